package units

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Dim is a physical dimension: the integer exponents of the seven SI base
// dimensions, indexed by [Metre], [Kilogram], [Second], [Ampere], [Kelvin],
// [Mole] and [Candela]. The zero value is [Dimensionless]. Dims are
// comparable with ==.
//
// Exponents are int8, so each must lie in [-128, 127]. Real models stay far
// inside that range, but exponents computed from user input (such as x**n)
// should go through the checked methods [Dim.MulOK], [Dim.DivOK] and
// [Dim.PowOK]; the unchecked ones panic on overflow rather than return a
// wrong dimension.
type Dim [7]int8

// Indexes of the SI base dimensions in a [Dim].
const (
	Metre    = iota // length, m
	Kilogram        // mass, kg
	Second          // time, s
	Ampere          // electric current, A
	Kelvin          // thermodynamic temperature, K
	Mole            // amount of substance, mol
	Candela         // luminous intensity, cd
)

// Named dimensions. The comment on each gives its SI unit and the internal
// unit generated code uses for it.
var (
	Dimensionless      = Dim{}                                              // 1
	Length             = Dim{Metre: 1}                                      // m; cm
	Area               = Dim{Metre: 2}                                      // m²; cm2
	Volume             = Dim{Metre: 3}                                      // m³; cm3
	Mass               = Dim{Kilogram: 1}                                   // kg; 1e-14 kg, which String writes pJ*ms2/cm2
	Time               = Dim{Second: 1}                                     // s; ms
	Rate               = Dim{Second: -1}                                    // 1/s; 1/ms
	Current            = Dim{Ampere: 1}                                     // A; uA
	Temperature        = Dim{Kelvin: 1}                                     // K; K
	Amount             = Dim{Mole: 1}                                       // mol; umol
	Voltage            = Dim{Metre: 2, Kilogram: 1, Second: -3, Ampere: -1} // V; mV
	Charge             = Dim{Second: 1, Ampere: 1}                          // C; nC
	Conductance        = Dim{Metre: -2, Kilogram: -1, Second: 3, Ampere: 2} // S; mS
	Capacitance        = Dim{Metre: -2, Kilogram: -1, Second: 4, Ampere: 2} // F; uF
	Resistance         = Dim{Metre: 2, Kilogram: 1, Second: -3, Ampere: -2} // ohm; kohm
	CurrentDensity     = Dim{Metre: -2, Ampere: 1}                          // A/m²; uA/cm2
	ConductanceDensity = Dim{Metre: -4, Kilogram: -1, Second: 3, Ampere: 2} // S/m²; mS/cm2
	CapacitanceDensity = Dim{Metre: -4, Kilogram: -1, Second: 4, Ampere: 2} // F/m²; uF/cm2
	Concentration      = Dim{Metre: -3, Mole: 1}                            // mol/m³; mM
	Energy             = Dim{Metre: 2, Kilogram: 1, Second: -2}             // J; pJ
)

// dimNames names the quantities of the named dimensions, for Describe.
var dimNames = map[Dim]string{
	Dimensionless:      "dimensionless",
	Length:             "length",
	Area:               "area",
	Volume:             "volume",
	Mass:               "mass",
	Time:               "time",
	Rate:               "rate",
	Current:            "current",
	Temperature:        "temperature",
	Amount:             "amount",
	Voltage:            "voltage",
	Charge:             "charge",
	Conductance:        "conductance",
	Capacitance:        "capacitance",
	Resistance:         "resistance",
	CurrentDensity:     "current density",
	ConductanceDensity: "conductance density",
	CapacitanceDensity: "capacitance density",
	Concentration:      "concentration",
	Energy:             "energy",
}

// basePow10 holds, for each base dimension, the size of the internal base
// unit in SI units as a power of ten: cm, 1e-14 kg, ms, uA, K, umol, cd.
var basePow10 = [len(Dim{})]int{
	Metre:    -2,
	Kilogram: -14,
	Second:   -3,
	Ampere:   -6,
	Kelvin:   0,
	Mole:     -6,
	Candela:  0,
}

// fitInt8 reports whether n is a valid exponent.
func fitInt8(n int) bool { return n >= math.MinInt8 && n <= math.MaxInt8 }

// MulOK returns the dimension of a product of quantities of dimensions d and
// e, and false if an exponent of the result would overflow int8.
func (d Dim) MulOK(e Dim) (Dim, bool) {
	var r Dim
	for i := range d {
		s := int(d[i]) + int(e[i])
		if !fitInt8(s) {
			return Dim{}, false
		}
		r[i] = int8(s)
	}
	return r, true
}

// DivOK returns the dimension of a quotient of quantities of dimensions d
// and e, and false if an exponent of the result would overflow int8.
func (d Dim) DivOK(e Dim) (Dim, bool) {
	var r Dim
	for i := range d {
		s := int(d[i]) - int(e[i])
		if !fitInt8(s) {
			return Dim{}, false
		}
		r[i] = int8(s)
	}
	return r, true
}

// Mul returns the dimension of a product of quantities of dimensions d and
// e. It panics if an exponent overflows int8; see [Dim.MulOK].
func (d Dim) Mul(e Dim) Dim {
	r, ok := d.MulOK(e)
	if !ok {
		panic(fmt.Sprintf("units: exponent overflow in (%v)*(%v)", d, e))
	}
	return r
}

// Div returns the dimension of a quotient of quantities of dimensions d and
// e. It panics if an exponent overflows int8; see [Dim.DivOK].
func (d Dim) Div(e Dim) Dim {
	r, ok := d.DivOK(e)
	if !ok {
		panic(fmt.Sprintf("units: exponent overflow in (%v)/(%v)", d, e))
	}
	return r
}

// Inv returns the dimension of the reciprocal of a quantity of dimension d.
// It panics if an exponent of d is -128, whose negation does not fit int8.
func (d Dim) Inv() Dim { return d.Pow(-1) }

// PowOK returns the dimension of a quantity of dimension d raised to the
// integer power n, and false if an exponent of the result would overflow
// int8.
func (d Dim) PowOK(n int) (Dim, bool) {
	var r Dim
	for i, e := range d {
		if e == 0 {
			continue
		}
		// |e| >= 1, so |e*n| >= |n|; bounding n first keeps e*n from
		// overflowing int.
		if n > 128 || n < -128 {
			return Dim{}, false
		}
		p := int(e) * n
		if !fitInt8(p) {
			return Dim{}, false
		}
		r[i] = int8(p)
	}
	return r, true
}

// Pow returns the dimension of a quantity of dimension d raised to the
// integer power n. It panics if an exponent of the result overflows int8
// (the range is [-128, 127]); use [Dim.PowOK] when n comes from user input.
func (d Dim) Pow(n int) Dim {
	r, ok := d.PowOK(n)
	if !ok {
		panic(fmt.Sprintf("units: exponent overflow in (%v)^%d", d, n))
	}
	return r
}

// Root returns the dimension of the n-th root of a quantity of dimension d,
// and false if n is 0, if an exponent of d is not divisible by n, or if the
// result overflows int8 (only -128 with n = -1 does).
func (d Dim) Root(n int) (Dim, bool) {
	if n == 0 {
		return Dim{}, false
	}
	var r Dim
	for i, e := range d {
		if int(e)%n != 0 {
			return Dim{}, false
		}
		q := int(e) / n
		if !fitInt8(q) {
			return Dim{}, false
		}
		r[i] = int8(q)
	}
	return r, true
}

// IsDimensionless reports whether d is [Dimensionless].
func (d Dim) IsDimensionless() bool { return d == Dimensionless }

// pow10 returns the size of one internal unit of d in SI units as a power
// of ten.
func (d Dim) pow10() int {
	p := 0
	for i, e := range d {
		p += int(e) * basePow10[i]
	}
	return p
}

// Scale returns the size of one internal unit of dimension d in SI units:
// 1e-3 for Voltage (mV), 1e-2 for CurrentDensity (uA/cm2 = 1e-2 A/m²), 1 for
// Concentration (mM = 1 mol/m³). A quantity of dimension d whose value is x
// in internal units is x*d.Scale() in SI units. The result is a correctly
// rounded power of ten; it is 0 or +Inf for dimensions so extreme that the
// power is out of float64 range.
func (d Dim) Scale() float64 { return exp10(d.pow10()) }

// exp10Table holds 10**n for n in [-maxExp10, maxExp10], correctly
// rounded (which math.Pow10 is not for large |n|); beyond that range 10**n
// is 0 or +Inf in float64.
var exp10Table = func() (t [2*maxExp10 + 1]float64) {
	for i := range t {
		// ParseFloat rounds correctly; its only possible error is ErrRange,
		// for which it returns +Inf or 0.
		t[i], _ = strconv.ParseFloat("1e"+strconv.Itoa(i-maxExp10), 64)
	}
	return t
}()

const maxExp10 = 400

// exp10 returns 10**n correctly rounded: 0 or +Inf if 10**n is out of
// float64 range.
func exp10(n int) float64 {
	switch {
	case n < -maxExp10:
		return 0
	case n > maxExp10:
		return math.Inf(1)
	}
	return exp10Table[n+maxExp10]
}

// An atom is one factor of a unit name, a symbol raised to a power.
type atom struct {
	sym string
	exp int
}

// atoms is a product of atoms: a head and up to seven base atoms. It is a
// value type so that String can try candidates without allocating.
type atoms struct {
	list [8]atom
	n    int
}

func (a *atoms) add(sym string, exp int) {
	if exp != 0 {
		a.list[a.n] = atom{sym, exp}
		a.n++
	}
}

// dimInt is a Dim with int exponents, so that the arithmetic used to name
// dimensions cannot overflow.
type dimInt [len(Dim{})]int

func toInt(d Dim) dimInt {
	var r dimInt
	for i, e := range d {
		r[i] = int(e)
	}
	return r
}

// sub returns d - k*e.
func (d dimInt) sub(e Dim, k int) dimInt {
	for i := range d {
		d[i] -= k * int(e[i])
	}
	return d
}

// addBase appends d written as a product of powers of the internal units
// mV, uA, umol, cm, ms, K and cd, in that order. Voltage stands in for mass,
// which in practice appears only through electrical units, and the result
// is unique: mV takes all of the mass exponent, uA what is left of current,
// and the rest are base units.
func (a *atoms) addBase(d dimInt) {
	v := d[Kilogram]
	a.add("mV", v)
	d = d.sub(Voltage, v)
	c := d[Ampere]
	a.add("uA", c)
	d = d.sub(Current, c)
	a.add("umol", d[Mole])
	a.add("cm", d[Metre])
	a.add("ms", d[Second])
	a.add("K", d[Kelvin])
	a.add("cd", d[Candela])
}

// heads are internal units of derived dimensions that String may put in
// front of the base atoms, in order of preference.
var heads = []struct {
	sym string
	dim Dim
}{
	{"mM", Concentration},
	{"nC", Charge},
	{"mS", Conductance},
	{"uF", Capacitance},
	{"kohm", Resistance},
	{"pJ", Energy},
}

// headPowers are the powers of a head String tries, in order of preference.
var headPowers = []int{1, -1, 2, -2}

// nameScore ranks candidate names of a dimension; smaller is better.
type nameScore struct {
	atoms  int // number of factors
	head   int // 0 without a head, 1 with one
	sumExp int // sum of the absolute exponents
	neg    int // number of factors in the denominator
	order  int // preference order of the head and its power
}

func (s nameScore) less(t nameScore) bool {
	switch {
	case s.atoms != t.atoms:
		return s.atoms < t.atoms
	case s.head != t.head:
		return s.head < t.head
	case s.sumExp != t.sumExp:
		return s.sumExp < t.sumExp
	case s.neg != t.neg:
		return s.neg < t.neg
	}
	return s.order < t.order
}

func (a *atoms) score(head, order int) nameScore {
	s := nameScore{atoms: a.n, head: head, order: order}
	for _, x := range a.list[:a.n] {
		if x.exp < 0 {
			s.neg++
			s.sumExp -= x.exp
		} else {
			s.sumExp += x.exp
		}
	}
	return s
}

// String returns the name of the internal unit of d, such as "1", "mV",
// "1/ms", "uA/cm2", "mS/cm2", "mM", "kohm*cm2" or "1/(mV*ms)". Powers are
// written as a suffix ("mV2", "cm3"). Of the ways to write d as a product
// of powers of internal units, String picks one with the fewest factors,
// preferring the base units (mV, uA, umol, cm, ms, K, cd) over the derived
// mM, nC, mS, uF, kohm and pJ, then small exponents, then few factors in
// the denominator.
func (d Dim) String() string {
	if d == Dimensionless {
		return "1"
	}
	di := toInt(d)
	var best atoms
	best.addBase(di)
	bestScore := best.score(0, 0)
	order := 0
	for _, h := range heads {
		for _, k := range headPowers {
			order++
			var a atoms
			a.add(h.sym, k)
			a.addBase(di.sub(h.dim, k))
			if s := a.score(1, order); s.less(bestScore) {
				best, bestScore = a, s
			}
		}
	}
	return best.format()
}

// format writes a as num/den, for example "mV/ms" or "1/(mV*ms)".
func (a *atoms) format() string {
	var b strings.Builder
	nden := 0
	for _, x := range a.list[:a.n] {
		if x.exp > 0 {
			if b.Len() > 0 {
				b.WriteByte('*')
			}
			writeAtom(&b, x.sym, x.exp)
		} else {
			nden++
		}
	}
	if b.Len() == 0 {
		b.WriteByte('1')
	}
	if nden == 0 {
		return b.String()
	}
	b.WriteByte('/')
	if nden > 1 {
		b.WriteByte('(')
	}
	first := true
	for _, x := range a.list[:a.n] {
		if x.exp < 0 {
			if !first {
				b.WriteByte('*')
			}
			first = false
			writeAtom(&b, x.sym, -x.exp)
		}
	}
	if nden > 1 {
		b.WriteByte(')')
	}
	return b.String()
}

func writeAtom(b *strings.Builder, sym string, exp int) {
	b.WriteString(sym)
	if exp != 1 {
		b.WriteString(strconv.Itoa(exp))
	}
}

// Describe returns String followed by the name of the quantity in
// parentheses when d is one of the named dimensions, such as "mV (voltage)",
// "1/ms (rate)", "uA/cm2 (current density)" or "1 (dimensionless)", and just
// String otherwise.
func (d Dim) Describe() string {
	if name, ok := dimNames[d]; ok {
		return d.String() + " (" + name + ")"
	}
	return d.String()
}
