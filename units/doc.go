// Package units gives neurogen physical dimensions, unit symbols and
// quantities, so that a model spec can be checked for dimensional
// consistency the way Brian2 checks it, and so that every constant written
// in a spec can be converted to the unit system the generated code uses.
//
// # Dimensions
//
// A [Dim] holds the integer exponents of the seven SI base dimensions
// (length, mass, time, current, temperature, amount of substance, luminous
// intensity). Dimensions multiply by adding exponents; two expressions may
// be added or compared only if their dimensions are equal.
//
// # The internal unit system
//
// Generated code does not compute in SI units, whose magnitudes are awkward
// for neurons (membrane potentials of 0.065 V, capacitances of 0.01 F/m²),
// but in the units electrophysiologists write:
//
//	voltage               mV
//	time                  ms
//	capacitance density   uF/cm2
//	conductance density   mS/cm2
//	current density       uA/cm2
//	current               uA
//	length, area          cm, cm2
//	concentration         mM
//	temperature           K
//
// These units are coherent: a product or quotient of quantities expressed in
// internal units is itself expressed in the internal unit of its dimension,
// with no conversion factor. For example (mS/cm2)·mV = uA/cm2, and
// (uA/cm2)/(uF/cm2) = mV/ms. That holds because all internal units derive
// from one set of base units:
//
//	length         cm      (1e-2 m)
//	mass           1e-14 kg
//	time           ms      (1e-3 s)
//	current        uA      (1e-6 A)
//	temperature    K
//	amount         umol    (1e-6 mol)
//	luminous int.  cd
//
// The odd-looking mass unit is chosen so that the internal voltage unit,
// kg·m²·s⁻³·A⁻¹ = 1e-14·1e-4·1e9·1e6 V, is exactly 1 mV. The other derived
// internal units follow: farad (A·s/V) → uF, siemens (A/V) → mS, ohm → kohm,
// coulomb → nC, joule → pJ, mol/m³ → mM (= umol/cm3).
//
// [Dim.Scale] gives the size of the internal unit of a dimension in SI units,
// and [Dim.String] its name. A [Unit] is a unit as written in a spec (such
// as "mS/cm2" or "S/m^2"); its Scale converts a number in that unit to
// internal units. [ParseQuantity] reads a number with a unit, such as
// "-65 mV", and converts it.
//
// All unit symbols are SI units with decimal prefixes, so every Unit.Scale
// and Dim.Scale is a power of ten, computed exactly (correctly rounded) rather
// than accumulated by repeated floating-point multiplication.
package units
