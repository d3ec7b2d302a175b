package units

import (
	"math"
	"regexp"
	"strings"
	"testing"
)

// relClose reports whether got is within tol of want, relative to want.
func relClose(got, want, tol float64) bool {
	if got == want {
		return true
	}
	return math.Abs(got-want) <= tol*math.Abs(want)
}

// namedDims lists every named dimension with its SI exponents, worked out
// by hand from the SI definitions, in the order
// m, kg, s, A, K, mol, cd.
var namedDims = []struct {
	name string
	dim  Dim
	want [7]int8
}{
	{"Dimensionless", Dimensionless, [7]int8{}},
	{"Length", Length, [7]int8{1, 0, 0, 0, 0, 0, 0}},
	{"Area", Area, [7]int8{2, 0, 0, 0, 0, 0, 0}},
	{"Volume", Volume, [7]int8{3, 0, 0, 0, 0, 0, 0}},
	{"Mass", Mass, [7]int8{0, 1, 0, 0, 0, 0, 0}},
	{"Time", Time, [7]int8{0, 0, 1, 0, 0, 0, 0}},
	{"Rate", Rate, [7]int8{0, 0, -1, 0, 0, 0, 0}},
	{"Current", Current, [7]int8{0, 0, 0, 1, 0, 0, 0}},
	{"Temperature", Temperature, [7]int8{0, 0, 0, 0, 1, 0, 0}},
	{"Amount", Amount, [7]int8{0, 0, 0, 0, 0, 1, 0}},
	// V = W/A = J/(s·A) = kg·m²·s⁻²/(s·A) = kg·m²·s⁻³·A⁻¹
	{"Voltage", Voltage, [7]int8{2, 1, -3, -1, 0, 0, 0}},
	// C = A·s
	{"Charge", Charge, [7]int8{0, 0, 1, 1, 0, 0, 0}},
	// S = A/V = A / (kg·m²·s⁻³·A⁻¹) = kg⁻¹·m⁻²·s³·A²
	{"Conductance", Conductance, [7]int8{-2, -1, 3, 2, 0, 0, 0}},
	// F = C/V = A·s / (kg·m²·s⁻³·A⁻¹) = kg⁻¹·m⁻²·s⁴·A²
	{"Capacitance", Capacitance, [7]int8{-2, -1, 4, 2, 0, 0, 0}},
	// ohm = V/A = kg·m²·s⁻³·A⁻²
	{"Resistance", Resistance, [7]int8{2, 1, -3, -2, 0, 0, 0}},
	// A/m²
	{"CurrentDensity", CurrentDensity, [7]int8{-2, 0, 0, 1, 0, 0, 0}},
	// S/m² = kg⁻¹·m⁻⁴·s³·A²
	{"ConductanceDensity", ConductanceDensity, [7]int8{-4, -1, 3, 2, 0, 0, 0}},
	// F/m² = kg⁻¹·m⁻⁴·s⁴·A²
	{"CapacitanceDensity", CapacitanceDensity, [7]int8{-4, -1, 4, 2, 0, 0, 0}},
	// mol/m³
	{"Concentration", Concentration, [7]int8{-3, 0, 0, 0, 0, 1, 0}},
	// J = N·m = kg·m·s⁻²·m = kg·m²·s⁻²
	{"Energy", Energy, [7]int8{2, 1, -2, 0, 0, 0, 0}},
}

func TestNamedDims(t *testing.T) {
	if Metre != 0 || Kilogram != 1 || Second != 2 || Ampere != 3 || Kelvin != 4 || Mole != 5 || Candela != 6 {
		t.Fatal("base dimension indexes are not m, kg, s, A, K, mol, cd")
	}
	for _, tc := range namedDims {
		if [7]int8(tc.dim) != tc.want {
			t.Errorf("%s = %v, want %v", tc.name, [7]int8(tc.dim), tc.want)
		}
	}
}

func TestDimScale(t *testing.T) {
	// Size of the internal unit of each named dimension in SI units, derived
	// from the internal unit names rather than from the base units.
	tests := []struct {
		dim  Dim
		want float64
	}{
		{Dimensionless, 1},
		{Length, 1e-2},         // cm
		{Area, 1e-4},           // cm² = (1e-2 m)²
		{Volume, 1e-6},         // cm³ = (1e-2 m)³
		{Mass, 1e-14},          // by definition of the internal system
		{Time, 1e-3},           // ms
		{Rate, 1e3},            // 1/ms = 1000/s
		{Current, 1e-6},        // uA
		{Temperature, 1},       // K
		{Amount, 1e-6},         // umol
		{Voltage, 1e-3},        // mV
		{Charge, 1e-9},         // nC = uA·ms = 1e-6 A · 1e-3 s
		{Conductance, 1e-3},    // mS
		{Capacitance, 1e-6},    // uF
		{Resistance, 1e3},      // kohm = mV/uA = 1e-3 V / 1e-6 A
		{CurrentDensity, 1e-2}, // uA/cm² = 1e-6 A / 1e-4 m² = 1e-2 A/m²
		// mS/cm² = 1e-3 S / 1e-4 m² = 10 S/m²
		{ConductanceDensity, 10},
		// uF/cm² = 1e-6 F / 1e-4 m² = 1e-2 F/m²
		{CapacitanceDensity, 1e-2},
		// mM = 1e-3 mol/L = 1e-3 mol / 1e-3 m³ = 1 mol/m³
		{Concentration, 1},
		// pJ; also mV·uA·ms = 1e-3·1e-6·1e-3 J
		{Energy, 1e-12},
		{Voltage.Div(Time), 1},                      // mV/ms = 1e-3 V / 1e-3 s = 1 V/s
		{Voltage.Mul(Time).Inv(), 1e6},              // 1/(mV·ms) = 1/(1e-3·1e-3) = 1e6 /(V·s)
		{Voltage.Pow(2), 1e-6},                      // mV²
		{Dim{Candela: 1}, 1},                        // cd
		{Concentration.Div(Time), 1e3},              // mM/ms = 1 mol/m³ / 1e-3 s
		{Resistance.Mul(Area), 1e-1},                // kohm·cm² = 1e3 ohm · 1e-4 m²
		{Energy.Div(Amount.Mul(Temperature)), 1e-6}, // pJ/(umol·K) = 1e-12/1e-6
	}
	for _, tc := range tests {
		if got := tc.dim.Scale(); !relClose(got, tc.want, 1e-15) {
			t.Errorf("%v.Scale() = %g, want %g", tc.dim, got, tc.want)
		}
	}
}

// TestCoherence checks that the internal units need no conversion factors
// in the equations of Hodgkin–Huxley models.
func TestCoherence(t *testing.T) {
	dims := []struct {
		got, want Dim
		what      string
	}{
		{ConductanceDensity.Mul(Voltage), CurrentDensity, "g·V = I"},
		{CurrentDensity.Div(CapacitanceDensity), Voltage.Div(Time), "I/C = dV/dt"},
		{Conductance.Mul(Voltage), Current, "G·V = I"},
		{Capacitance.Mul(Voltage), Charge, "C·V = Q"},
		{Current.Mul(Time), Charge, "I·t = Q"},
		{Resistance.Mul(Conductance), Dimensionless, "R·G = 1"},
		{Charge.Mul(Voltage), Energy, "Q·V = E"},
		{Capacitance.Div(Conductance), Time, "C/G = tau"},
		{Concentration.Mul(Volume), Amount, "c·V = n"},
		{CurrentDensity.Mul(Area), Current, "J·A = I"},
	}
	for _, d := range dims {
		if d.got != d.want {
			t.Errorf("%s: got %v, want %v", d.what, d.got, d.want)
		}
		// Coherent: the product of internal units is the internal unit.
		if d.got.Scale() != d.want.Scale() {
			t.Errorf("%s: scales differ", d.what)
		}
	}

	// The same with units as written: mS/cm2 × mV = uA/cm2, with no factor.
	gv := MustParse("mS/cm2").Scale * MustParse("mV").Scale
	if i := MustParse("uA/cm2").Scale; gv != i || i != 1 {
		t.Errorf("mS/cm2 × mV = %g, uA/cm2 = %g; want both 1", gv, i)
	}
	for _, name := range []string{"mV", "ms", "uF/cm2", "mS/cm2", "uA/cm2", "uA", "cm", "cm2", "mM", "K", "mV/ms", "1/ms", "nC", "pJ", "kohm", "umol", "mS", "uF"} {
		if s := MustParse(name).Scale; s != 1 {
			t.Errorf("internal unit %s has Scale %g, want 1", name, s)
		}
	}
}

// TestRTOverF computes the thermal voltage RT/F at 310 K in internal units
// from constants in SI units converted by Parse, and compares it with the
// same computation in SI.
func TestRTOverF(t *testing.T) {
	const (
		R = 8.314462618 // J/(mol·K)
		F = 96485.33212 // C/mol
		T = 310.0       // K
	)
	rUnit := MustParse("J/(mol*K)")
	fUnit := MustParse("C/mol")
	kelvin, _ := Lookup("K")
	r, f, temp := R*rUnit.Scale, F*fUnit.Scale, T*kelvin.Scale
	got := r * temp / f
	dim := rUnit.Dim.Mul(kelvin.Dim).Div(fUnit.Dim)
	if dim != Voltage {
		t.Fatalf("dimension of RT/F = %v, want voltage", dim)
	}
	si := R * T / F // volts
	want := si / 1e-3
	if !relClose(got, want, 1e-12) {
		t.Errorf("RT/F = %.15g mV, want %.15g mV", got, want)
	}
	if got < 26.7 || got > 26.8 {
		t.Errorf("RT/F = %g mV, want about 26.7 mV", got)
	}
}

func TestDimArithmetic(t *testing.T) {
	if got := Voltage.Mul(Current); got != Energy.Div(Time) {
		t.Errorf("V·A = %v, want W", got)
	}
	if got := Voltage.Div(Current); got != Resistance {
		t.Errorf("V/A = %v, want ohm", got)
	}
	if got := Time.Inv(); got != Rate {
		t.Errorf("1/s = %v, want rate", got)
	}
	if got := Length.Pow(3); got != Volume {
		t.Errorf("m^3 = %v, want volume", got)
	}
	if got := Voltage.Pow(0); got != Dimensionless {
		t.Errorf("V^0 = %v, want 1", got)
	}
	if got := Area.Pow(-1); got != (Dim{Metre: -2}) {
		t.Errorf("m^-2 = %v", [7]int8(got))
	}
	if got, ok := Area.Root(2); !ok || got != Length {
		t.Errorf("sqrt(m²) = %v, %v", got, ok)
	}
	if got, ok := Voltage.Pow(2).Root(-2); !ok || got != Voltage.Inv() {
		t.Errorf("root(V², -2) = %v, %v", got, ok)
	}
	if _, ok := Voltage.Root(2); ok {
		t.Error("sqrt(V) succeeded")
	}
	if _, ok := Voltage.Root(0); ok {
		t.Error("Root(0) succeeded")
	}
	if got, ok := Dimensionless.Root(0); ok {
		t.Errorf("Dimensionless.Root(0) = %v, true", got)
	}
	if !Dimensionless.IsDimensionless() || Voltage.Div(Voltage) != Dimensionless || !Voltage.Div(Voltage).IsDimensionless() || Rate.IsDimensionless() {
		t.Error("IsDimensionless")
	}

	// Exponent range: [-128, 127], never clamped or wrapped.
	big := Dim{Metre: 100}
	for _, tc := range []struct {
		d    Dim
		n    int
		want Dim
		ok   bool
	}{
		{Length, 127, Dim{Metre: 127}, true},
		{Length, 128, Dim{}, false},
		{Length, -128, Dim{Metre: -128}, true},
		{Length, -129, Dim{}, false},
		{Dim{Metre: -1}, 128, Dim{Metre: -128}, true},
		{Dim{Metre: 2}, 64, Dim{}, false},
		{Dim{Metre: 2}, 63, Dim{Metre: 126}, true},
		{Dimensionless, math.MaxInt, Dimensionless, true},
		{Length, math.MaxInt, Dim{}, false},
		{Length, math.MinInt, Dim{}, false},
		{Dim{Second: 3}, math.MaxInt / 2, Dim{}, false},
		{big, 2, Dim{}, false},
	} {
		got, ok := tc.d.PowOK(tc.n)
		if got != tc.want || ok != tc.ok {
			t.Errorf("%v.PowOK(%d) = %v, %v; want %v, %v", [7]int8(tc.d), tc.n, [7]int8(got), ok, [7]int8(tc.want), tc.ok)
		}
	}
	if _, ok := big.MulOK(big); ok {
		t.Error("MulOK overflow not detected")
	}
	if got, ok := big.MulOK(Length); !ok || got != (Dim{Metre: 101}) {
		t.Error("MulOK")
	}
	if _, ok := big.Inv().DivOK(big); ok {
		t.Error("DivOK overflow not detected")
	}
	if got, ok := (Dim{Metre: -128}).Root(-1); ok {
		t.Errorf("Root(-1) of -128 = %v, true", got)
	}
	for name, f := range map[string]func(){
		"Mul": func() { big.Mul(big) },
		"Div": func() { big.Div(big.Inv()) },
		"Pow": func() { big.Pow(2) },
		"Inv": func() { Dim{Second: -128}.Inv() },
	} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s did not panic on overflow", name)
				}
			}()
			f()
		}()
	}
}

func TestDimString(t *testing.T) {
	tests := []struct {
		dim           Dim
		str, describe string
	}{
		{Dimensionless, "1", "1 (dimensionless)"},
		{Length, "cm", "cm (length)"},
		{Area, "cm2", "cm2 (area)"},
		{Volume, "cm3", "cm3 (volume)"},
		{Mass, "pJ*ms2/cm2", "pJ*ms2/cm2 (mass)"},
		{Time, "ms", "ms (time)"},
		{Rate, "1/ms", "1/ms (rate)"},
		{Current, "uA", "uA (current)"},
		{Temperature, "K", "K (temperature)"},
		{Amount, "umol", "umol (amount)"},
		{Voltage, "mV", "mV (voltage)"},
		{Charge, "nC", "nC (charge)"},
		{Conductance, "mS", "mS (conductance)"},
		{Capacitance, "uF", "uF (capacitance)"},
		{Resistance, "kohm", "kohm (resistance)"},
		{CurrentDensity, "uA/cm2", "uA/cm2 (current density)"},
		{ConductanceDensity, "mS/cm2", "mS/cm2 (conductance density)"},
		{CapacitanceDensity, "uF/cm2", "uF/cm2 (capacitance density)"},
		{Concentration, "mM", "mM (concentration)"},
		{Energy, "pJ", "pJ (energy)"},
		{Voltage.Div(Time), "mV/ms", "mV/ms"},
		{Voltage.Mul(Time).Inv(), "1/(mV*ms)", "1/(mV*ms)"},
		{Voltage.Pow(2), "mV2", "mV2"},
		{Voltage.Inv(), "1/mV", "1/mV"},
		{Concentration.Div(Time), "mM/ms", "mM/ms"},
		{Amount.Div(Area).Div(Time), "umol/(cm2*ms)", "umol/(cm2*ms)"},
		{Resistance.Mul(Area), "kohm*cm2", "kohm*cm2"},
		{Energy.Div(Amount).Div(Temperature), "pJ/(umol*K)", "pJ/(umol*K)"},
		{Charge.Div(Amount), "nC/umol", "nC/umol"},
		{Charge.Div(Area), "nC/cm2", "nC/cm2"},
		{Voltage.Mul(Current), "mV*uA", "mV*uA"},
		{Length.Div(Time), "cm/ms", "cm/ms"},
		{Length.Pow(-3), "1/cm3", "1/cm3"},
		{Capacitance.Inv(), "1/uF", "1/uF"},
		{Dim{Candela: 1}, "cd", "cd"},
		{Dim{Metre: 4}, "cm4", "cm4"},
	}
	for _, tc := range tests {
		if got := tc.dim.String(); got != tc.str {
			t.Errorf("%v.String() = %q, want %q", [7]int8(tc.dim), got, tc.str)
		}
		if got := tc.dim.Describe(); got != tc.describe {
			t.Errorf("%v.Describe() = %q, want %q", [7]int8(tc.dim), got, tc.describe)
		}
	}
}

// powerSuffix matches a name with a power suffix, such as mV2 or cm3.
var powerSuffix = regexp.MustCompile(`([A-Za-zµ]+)([0-9]+)`)

// parseable rewrites the output of Dim.String into a unit Parse accepts:
// mV2 becomes mV^2; cm2 stays as it is.
func parseable(s string) string {
	return powerSuffix.ReplaceAllStringFunc(s, func(m string) string {
		if _, ok := Lookup(m); ok {
			return m
		}
		sub := powerSuffix.FindStringSubmatch(m)
		return sub[1] + "^" + sub[2]
	})
}

// TestStringIsInternalUnit checks, over many dimensions, that String names
// the internal unit: the unit it names has dimension d and Scale 1.
func TestStringIsInternalUnit(t *testing.T) {
	n := 0
	for m := -4; m <= 4; m++ {
		for kg := -2; kg <= 2; kg++ {
			for s := -4; s <= 4; s++ {
				for a := -2; a <= 2; a++ {
					for mol := -1; mol <= 1; mol++ {
						for k := -1; k <= 1; k++ {
							d := Dim{int8(m), int8(kg), int8(s), int8(a), int8(k), int8(mol), int8(k * mol)}
							str := d.String()
							u, err := Parse(parseable(str))
							if err != nil {
								t.Fatalf("%v.String() = %q: %v", [7]int8(d), str, err)
							}
							if u.Dim != d || u.Scale != 1 {
								t.Fatalf("%v.String() = %q, which is %v with scale %g", [7]int8(d), str, [7]int8(u.Dim), u.Scale)
							}
							if strings.Count(str, "/") > 1 {
								t.Fatalf("%v.String() = %q has more than one /", [7]int8(d), str)
							}
							n++
						}
					}
				}
			}
		}
	}
	t.Logf("checked %d dimensions", n)
}
