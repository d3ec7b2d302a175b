package units

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// TestLookupSpec checks exactly the scales given as examples in the API
// documentation, and a few more.
func TestLookupSpec(t *testing.T) {
	tests := []struct {
		name  string
		dim   Dim
		scale float64
	}{
		{"mV", Voltage, 1},
		{"V", Voltage, 1000},
		{"nA", Current, 1e-3},
		{"um", Length, 1e-4},
		{"µm", Length, 1e-4},
		{"s", Time, 1000},
		{"ms", Time, 1},
		{"Hz", Rate, 1e-3},
		{"kHz", Rate, 1},
		{"M", Concentration, 1000},
		{"mM", Concentration, 1},
		{"cm", Length, 1},
		{"cm2", Area, 1},
		{"cm3", Volume, 1},
		{"um2", Area, 1e-8},
		{"µm3", Volume, 1e-12},
		{"m2", Area, 1e4},
		{"m3", Volume, 1e6},
		{"mm", Length, 0.1},
		{"mm2", Area, 1e-2},
		{"nm", Length, 1e-7},
		{"mS", Conductance, 1},
		{"mol", Amount, 1e6},
		{"mmol", Amount, 1e3},
		{"umol", Amount, 1},
		{"kg", Mass, 1e14},
		{"g", Mass, 1e11},
		{"L", Volume, 1e3},
		{"uF", Capacitance, 1},
		{"pF", Capacitance, 1e-6},
		{"nC", Charge, 1},
		{"pJ", Energy, 1},
		{"kohm", Resistance, 1},
		{"ohm", Resistance, 1e-3},
		{"K", Temperature, 1},
		{"cd", Dim{Candela: 1}, 1},
	}
	for _, tc := range tests {
		u, ok := Lookup(tc.name)
		if !ok {
			t.Errorf("Lookup(%q) failed", tc.name)
			continue
		}
		want := Unit{Name: tc.name, Dim: tc.dim, Scale: tc.scale}
		if u != want {
			t.Errorf("Lookup(%q) = %+v, want %+v", tc.name, u, want)
		}
	}
}

// TestLookupAll checks every symbol with every prefix against scales
// computed independently: the SI value of the prefixed unit divided by the
// SI value of the internal unit of its dimension.
func TestLookupAll(t *testing.T) {
	symbols := []struct {
		name     string
		dim      Dim
		si       float64 // value of one unit in SI units
		internal float64 // SI value of the internal unit of dim
	}{
		{"m", Length, 1, 1e-2},        // internal cm
		{"g", Mass, 1e-3, 1e-14},      // internal 1e-14 kg
		{"s", Time, 1, 1e-3},          // ms
		{"A", Current, 1, 1e-6},       // uA
		{"K", Temperature, 1, 1},      // K
		{"mol", Amount, 1, 1e-6},      // umol
		{"cd", Dim{Candela: 1}, 1, 1}, // cd
		{"M", Concentration, 1e3, 1},  // mol/L = 1000 mol/m³; mM = 1 mol/m³
		{"V", Voltage, 1, 1e-3},       // mV
		{"S", Conductance, 1, 1e-3},   // mS
		{"F", Capacitance, 1, 1e-6},   // uF
		{"C", Charge, 1, 1e-9},        // nC
		{"Hz", Rate, 1, 1e3},          // 1/ms = 1000 Hz
		{"ohm", Resistance, 1, 1e3},   // kohm
		{"L", Volume, 1e-3, 1e-6},     // L = dm³; internal cm3
		{"J", Energy, 1, 1e-12},       // pJ
	}
	prefixes := []struct {
		name   string
		factor float64
	}{
		{"", 1}, {"p", 1e-12}, {"n", 1e-9}, {"u", 1e-6}, {"µ", 1e-6}, {"m", 1e-3}, {"k", 1e3},
	}
	seen := map[string]bool{}
	check := func(name string, dim Dim, want float64) {
		t.Helper()
		seen[name] = true
		u, ok := Lookup(name)
		if !ok {
			t.Errorf("Lookup(%q) failed", name)
			return
		}
		if u.Name != name || u.Dim != dim || !relClose(u.Scale, want, 1e-15) {
			t.Errorf("Lookup(%q) = %+v, want dim %v scale %g", name, u, dim, want)
		}
	}
	for _, s := range symbols {
		for _, p := range prefixes {
			check(p.name+s.name, s.dim, p.factor*s.si/s.internal)
		}
	}
	check("cm", Length, 1e-2/1e-2)
	// Lengths with a power suffix: (prefix·m)^n / cm^n.
	for _, p := range append(prefixes, struct {
		name   string
		factor float64
	}{"c", 1e-2}) {
		for _, n := range []int{2, 3} {
			name := fmt.Sprint(p.name, "m", n)
			want := 1.0
			for range n {
				want *= p.factor / 1e-2
			}
			check(name, Length.Pow(n), want)
		}
	}
	// Names lists exactly what was checked.
	if names := Names(); len(names) != len(seen) {
		t.Errorf("Names() has %d names, checked %d", len(names), len(seen))
		for _, n := range names {
			if !seen[n] {
				t.Errorf("Names() has unexpected %q", n)
			}
		}
	}
}

func TestLookupUnknown(t *testing.T) {
	for _, name := range []string{
		"", "mv", "MV", "Mm", "MV", "Mohm", "cs", "cA", "cmol", "ol", "um4", "cm1", "cm0",
		"V2", "ms2", "mV2", "km4", "kgg", "mmm", "uuA", "Ohm", "ohms", "sec", "hz", "KHz",
		"μm", // U+03BC GREEK SMALL LETTER MU, not the micro sign
		" mV", "mV ", "1", "1/ms",
	} {
		if u, ok := Lookup(name); ok {
			t.Errorf("Lookup(%q) = %+v, want failure", name, u)
		}
	}
}

func TestNames(t *testing.T) {
	names := Names()
	if !slices.IsSorted(names) {
		t.Error("Names() is not sorted")
	}
	if len(slices.Compact(slices.Clone(names))) != len(names) {
		t.Error("Names() has duplicates")
	}
	for _, n := range names {
		if _, ok := Lookup(n); !ok {
			t.Errorf("Lookup(%q) failed for a name from Names()", n)
		}
	}
	// The caller owns the slice.
	names[0] = "changed"
	if Names()[0] == "changed" {
		t.Error("Names() returns the package's own slice")
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in    string
		dim   Dim
		scale float64
	}{
		{"", Dimensionless, 1},
		{"   ", Dimensionless, 1},
		{"1", Dimensionless, 1},
		{"(1)", Dimensionless, 1},
		{"mV/mV", Dimensionless, 1},
		{"V/mV", Dimensionless, 1000},
		{"mS/cm2", ConductanceDensity, 1},
		{"S/cm2", ConductanceDensity, 1000},
		{"S/m2", ConductanceDensity, 0.1},    // 1 S/m² = 1e3 mS / 1e4 cm²
		{"S/m^2", ConductanceDensity, 0.1},   //
		{"uA/cm^2", CurrentDensity, 1},       //
		{"uA/cm**2", CurrentDensity, 1},      //
		{"uA * cm^-2", CurrentDensity, 1},    //
		{"uA*cm**-2", CurrentDensity, 1},     //
		{"uA*cm^+2/cm^4", CurrentDensity, 1}, //
		{"nA/um2", CurrentDensity, 1e5},      // 1e-3 uA / 1e-8 cm²
		{"A/m2", CurrentDensity, 100},        // 1e6 uA / 1e4 cm²
		{"uF/cm2", CapacitanceDensity, 1},    //
		{"F/m2", CapacitanceDensity, 100},    // 1e6 uF / 1e4 cm²
		{"1/(mV*ms)", Voltage.Mul(Time).Inv(), 1},
		{"1 / ( mV * ms )", Voltage.Mul(Time).Inv(), 1},
		{"1/mV/ms", Voltage.Mul(Time).Inv(), 1}, // left-associative
		{"mV/ms", Voltage.Div(Time), 1},
		{"V/s", Voltage.Div(Time), 1},
		{"mV/ms*ms", Voltage, 1}, // (mV/ms)*ms, not mV/(ms*ms)
		{"mV/(ms*ms)", Voltage.Div(Time.Pow(2)), 1},
		{"1/ms", Rate, 1},
		{"1/s", Rate, 1e-3},
		{"Hz", Rate, 1e-3},
		{"mol/m3", Concentration, 1},
		{"mol/L", Concentration, 1000},
		{"mmol/L", Concentration, 1},
		{"uM", Concentration, 1e-3},
		{"J/(mol*K)", Energy.Div(Amount.Mul(Temperature)), 1e6},
		{"C/mol", Charge.Div(Amount), 1e3},
		{"ohm*cm", Resistance.Mul(Length), 1e-3},
		{"kohm*cm^2", Resistance.Mul(Area), 1},
		{"mV^2", Voltage.Pow(2), 1},
		{"V**2", Voltage.Pow(2), 1e6},
		{"((mS))/((cm2))", ConductanceDensity, 1},
		{strings.Repeat("(", 100) + "mV" + strings.Repeat(")", 100), Voltage, 1},
		{"um2^2", Length.Pow(4), 1e-16},
		{"cm^0", Dimensionless, 1},
		{"µm", Length, 1e-4},
		{"pm^-25", Length.Pow(-25), 1e250}, // (1e-10 cm)^-25
		{"m^-128", Dim{Metre: -128}, 1e-256},
		{"m^127", Dim{Metre: 127}, 1e254},
	}
	for _, tc := range tests {
		u, err := Parse(tc.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tc.in, err)
			continue
		}
		want := Unit{Name: trimSpace(tc.in), Dim: tc.dim, Scale: tc.scale}
		if u != want {
			t.Errorf("Parse(%q) = %+v, want %+v", tc.in, u, want)
		}
	}
}

func trimSpace(s string) string {
	for len(s) > 0 && s[0] == ' ' {
		s = s[1:]
	}
	for len(s) > 0 && s[len(s)-1] == ' ' {
		s = s[:len(s)-1]
	}
	return s
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{"mv", 0, `unknown unit "mv" (did you mean "mV"?)`},
		{"mS/cm2*mv", 7, `unknown unit "mv" (did you mean "mV"?)`},
		{"MS", 0, `unknown unit "MS" (there is no mega prefix: M is molar; did you mean "mS"?)`},
		{"Mohm", 0, `unknown unit "Mohm" (there is no mega prefix: M is molar; did you mean "mohm"?)`},
		{"ohms", 0, `unknown unit "ohms" (did you mean "ohm"?)`},
		{"mV2", 0, `unknown unit "mV2" (did you mean "mV^2"?)`},
		{"1/cm4", 2, `unknown unit "cm4" (did you mean "cm^4"?)`},
		{"siemens", 0, `unknown unit "siemens"`},
		{"1/\u03bcm2", 2, // Greek small letter mu
			"unknown unit \"\u03bcm2\" (did you mean \"\u00b5m2\", with the micro sign U+00B5, or \"um2\"?)"},
		{"mS/", 3, `missing unit after "/"`},
		{"mS/ ", 4, `missing unit after "/"`},
		{"mS*", 3, `missing unit after "*"`},
		{"mS//cm2", 3, `missing unit after "/"`},
		{"(mS/)", 4, `missing unit after "/"`},
		{"/ms", 0, `missing unit before "/"`},
		{"*ms", 0, `missing unit before "*"`},
		{"^2", 0, `missing unit before "^"`},
		{"mV)", 2, `unexpected ")"`},
		{")", 0, `missing unit before ")"`},
		{"(mV", 0, `missing ")" to match "("`},
		{"1/(mV*ms", 2, `missing ")" to match "("`},
		{"()", 1, `missing unit after "("`},
		{"(", 1, `missing unit after "("`},
		{"mV ms", 3, `missing "*" or "/" before "ms"`},
		{"mV (ms)", 3, `missing "*" or "/" before "("`},
		{"(mV)ms", 4, `missing "*" or "/" before "ms"`},
		{"mV 1", 3, `missing "*" or "/" before "1"`},
		{"2/ms", 0, `unexpected number "2" in unit (only 1 is allowed, as in 1/ms)`},
		{"1.0/ms", 0, `unexpected number "1.0" in unit (only 1 is allowed, as in 1/ms)`},
		{"mV^", 3, `missing exponent after "^"`},
		{"mV**", 4, `missing exponent after "**"`},
		{"mV^x", 3, `missing exponent after "^"`},
		{"mV^-", 4, `missing exponent after "^"`},
		{"mV^1.5", 3, `exponent 1.5 is not an integer`},
		{"mV^2^2", 4, `unexpected "^"`},
		{"(mV)^2", 4, `unexpected "^"`},
		{"mV+ms", 2, `unexpected "+"`},
		{"-mV", 0, `unexpected "-"`},
		{"mV,", 2, `unexpected ","`},
		{"mV·ms", 2, `unexpected "·"`},
		{"cm²", 2, `unexpected "²"`},
		{"mV\xff", 2, `unexpected "\xff"`},
		{"Ωm", 0, `unknown unit "Ωm" (did you mean "cm"?)`},
		{"kΩ", 0, `unknown unit "kΩ" (did you mean "kohm"?)`},
		{"m^999", 2, `exponent out of range`},
		{"m^128", 2, `exponent out of range`},
		{"cm2^64", 4, `exponent out of range`},
		{"m^-129", 2, `exponent out of range`},
		{"m^100*m^100", 5, `exponent out of range`},
		{"m^-100/m^100", 6, `exponent out of range`},
		{strings.Repeat("(", 101) + "mV" + strings.Repeat(")", 101), 100, "too many nested parentheses"},
		{"pm^-100", 0, `unit "pm^-100" is out of range`},
		{" pm^100", 1, `unit "pm^100" is out of range`},
	}
	for _, tc := range tests {
		u, err := Parse(tc.in)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%q) = %+v, %v; want *Error", tc.in, u, err)
			continue
		}
		if e.Offset != tc.offset || e.Msg != tc.msg || e.Error() != tc.msg {
			t.Errorf("Parse(%q): error at %d %q, want at %d %q", tc.in, e.Offset, e.Msg, tc.offset, tc.msg)
		}
		if u != (Unit{}) {
			t.Errorf("Parse(%q) returned %+v with an error", tc.in, u)
		}
	}
}

func TestMustParse(t *testing.T) {
	if u := MustParse("mS/cm2"); u.Dim != ConductanceDensity {
		t.Errorf("MustParse(mS/cm2) = %+v", u)
	}
	defer func() {
		if recover() == nil {
			t.Error("MustParse(mv) did not panic")
		}
	}()
	MustParse("mv")
}
