package units

import (
	"errors"
	"math"
	"strings"
	"testing"
)

func TestParseQuantity(t *testing.T) {
	tests := []struct {
		in    string
		value float64
		unit  string // Unit.Name
		dim   Dim
		text  string
	}{
		{"0", 0, "", Dimensionless, "0"},
		{"36", 36, "", Dimensionless, "36"},
		{"  36  ", 36, "", Dimensionless, "36"},
		{"-0", math.Copysign(0, -1), "", Dimensionless, "-0"},
		{".5", 0.5, "", Dimensionless, ".5"},
		{"5.", 5, "", Dimensionless, "5."},
		{"+2", 2, "", Dimensionless, "+2"},
		{"1e-3", 1e-3, "", Dimensionless, "1e-3"},
		{"-1.5E+3", -1500, "", Dimensionless, "-1.5E+3"},
		{"-65 mV", -65, "mV", Voltage, "-65 mV"},
		{"-65mV", -65, "mV", Voltage, "-65mV"},
		{"\t-65\tmV\n", -65, "mV", Voltage, "-65\tmV"},
		{"-0.065 V", -65, "V", Voltage, "-0.065 V"},
		{"0.1 V", 100, "V", Voltage, "0.1 V"},
		{"1 uF/cm2", 1, "uF/cm2", CapacitanceDensity, "1 uF/cm2"},
		{"0.01 F/m2", 1, "F/m2", CapacitanceDensity, "0.01 F/m2"},
		{"120 mS/cm2", 120, "mS/cm2", ConductanceDensity, "120 mS/cm2"},
		{"0.12 S/cm2", 120, "S/cm2", ConductanceDensity, "0.12 S/cm2"},
		{"36e-3 S / cm^2", 36, "S / cm^2", ConductanceDensity, "36e-3 S / cm^2"},
		{"1.1 nA", 1.1e-3, "nA", Current, "1.1 nA"},
		{"2.5 uA/cm**2", 2.5, "uA/cm**2", CurrentDensity, "2.5 uA/cm**2"},
		{"500 um", 0.05, "um", Length, "500 um"},
		{"1e3 um2", 1e-5, "um2", Area, "1e3 um2"},
		{"2 mM", 2, "mM", Concentration, "2 mM"},
		{"2e-3 M", 2, "M", Concentration, "2e-3 M"},
		{"0.1 1/ms", 0.1, "1/ms", Rate, "0.1 1/ms"},
		{"100 Hz", 0.1, "Hz", Rate, "100 Hz"},
		{"310 K", 310, "K", Temperature, "310 K"},
		{"1 kohm*cm2", 1, "kohm*cm2", Resistance.Mul(Area), "1 kohm*cm2"},
		// Brian2 style.
		{"2*mV", 2, "mV", Voltage, "2*mV"},
		{"2 * mV/ms", 2, "mV/ms", Voltage.Div(Time), "2 * mV/ms"},
		{"0.1/ms", 0.1, "1/ms", Rate, "0.1/ms"},
		{"0.1 / (mV*ms)", 0.1, "1/ (mV*ms)", Voltage.Mul(Time).Inv(), "0.1 / (mV*ms)"},
		{"4/ms*ms", 4, "1/ms*ms", Dimensionless, "4/ms*ms"},
		// Range.
		{"1e308", 1e308, "", Dimensionless, "1e308"},
		{"1e305 V", 1e308, "V", Voltage, "1e305 V"},
		{"0e99999999999999999999", 0, "", Dimensionless, "0e99999999999999999999"},
		{"0.000e-99999999 V", 0, "V", Voltage, "0.000e-99999999 V"},
		{"4.9e-324", 5e-324, "", Dimensionless, "4.9e-324"},
	}
	for _, tc := range tests {
		q, err := ParseQuantity(tc.in)
		if err != nil {
			t.Errorf("ParseQuantity(%q): %v", tc.in, err)
			continue
		}
		if q.Value != tc.value || math.Signbit(q.Value) != math.Signbit(tc.value) || q.Unit.Name != tc.unit || q.Unit.Dim != tc.dim || q.Text != tc.text {
			t.Errorf("ParseQuantity(%q) = %+v, want value %g unit %q dim %v text %q", tc.in, q, tc.value, tc.unit, tc.dim, tc.text)
		}
		// The unit is what Parse makes of its name.
		if u, err := Parse(q.Unit.Name); err != nil || u != q.Unit {
			t.Errorf("ParseQuantity(%q).Unit = %+v, but Parse(%q) = %+v, %v", tc.in, q.Unit, q.Unit.Name, u, err)
		}
	}
}

// TestParseQuantityRounding checks that conversion rounds once: the value
// is exactly the float64 nearest the decimal number in internal units.
func TestParseQuantityRounding(t *testing.T) {
	tests := []struct {
		in   string
		want float64
	}{
		{"1.1 nA", 1.1e-3},    // 1.1 * 1e-3 would give 0.0011000000000000001
		{"0.3 V", 300},        //
		{"0.07 S/cm2", 70},    // 0.07 * 1000 would give 70.00000000000001
		{"1.7 um", 1.7e-4},    //
		{"2.3 pF", 2.3e-6},    //
		{"-77.5e-3 V", -77.5}, //
	}
	for _, tc := range tests {
		q, err := ParseQuantity(tc.in)
		if err != nil || q.Value != tc.want {
			t.Errorf("ParseQuantity(%q) = %v, %v; want exactly %v", tc.in, q.Value, err, tc.want)
		}
	}
}

func TestParseQuantityErrors(t *testing.T) {
	tests := []struct {
		in     string
		offset int
		msg    string
	}{
		{"", 0, `missing number in ""`},
		{"   ", 3, `missing number in ""`},
		{"mV", 0, `missing number in "mV"`},
		{" mV", 1, `missing number in "mV"`},
		{"-mV", 1, `missing number in "-mV"`},
		{"- 65 mV", 1, `missing number in "- 65 mV"`},
		{".", 0, `missing number in "."`},
		{".e3", 0, `missing number in ".e3"`},
		{"inf", 0, `missing number in "inf"`},
		{"NaN", 0, `missing number in "NaN"`},
		{"\v5", 0, "missing number in \"\\v5\""},
		{" 5\u00a0", 2, `unexpected "\u00a0"`},
		{"-65 mv", 4, `unknown unit "mv" (did you mean "mV"?)`},
		{"1 mS/", 5, `missing unit after "/"`},
		{"2e", 1, `unknown unit "e"`}, // one letter: no other letter is nearer than the rest,
		{"1.2.3", 3, `unexpected "." after number in "1.2.3"`},
		{"1 2", 2, `unexpected number "2" in unit (only 1 is allowed, as in 1/ms)`},
		{"5+", 1, `unexpected "+"`},
		{"2*", 2, `missing unit after "*"`},
		{"2/", 2, `missing unit after "/"`},
		{"2**mV", 2, `missing unit before "*"`},
		{"1e999", 0, `number out of range in "1e999"`},
		{"-1e999", 0, `number out of range in "-1e999"`},
		{"1e99999999999999999999", 0, `number out of range in "1e99999999999999999999"`},
		{"1e-400", 0, `number out of range in "1e-400"`},
		{" 1e306 kV", 1, `number out of range in "1e306 kV"`},
		{"1e-320 pV", 0, `number out of range in "1e-320 pV"`},
		{"1 pm^-100", 2, `unit "pm^-100" is out of range`},
	}
	for _, tc := range tests {
		q, err := ParseQuantity(tc.in)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("ParseQuantity(%q) = %+v, %v; want *Error", tc.in, q, err)
			continue
		}
		if e.Offset != tc.offset || e.Msg != tc.msg {
			t.Errorf("ParseQuantity(%q): error at %d %q, want at %d %q", tc.in, e.Offset, e.Msg, tc.offset, tc.msg)
		}
	}
}

func TestCelsius(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want float64 // K
	}{{"36 degC", 309.15}, {"-273.15 degC", 0}, {"6.3°C", 279.45}, {"0 celsius", 273.15}, {"310 K", 310}} {
		q, err := ParseQuantity(tc.in)
		if err != nil {
			t.Errorf("%q: %v", tc.in, err)
			continue
		}
		if math.Abs(q.Value-tc.want) > 1e-12 || q.Unit.Dim != Temperature {
			t.Errorf("%q = %v %v, want %v K", tc.in, q.Value, q.Unit.Dim, tc.want)
		}
	}
	if _, err := ParseQuantity("-300 degC"); err == nil || !strings.Contains(err.Error(), "below absolute zero") {
		t.Errorf("-300 degC: %v, want an error below absolute zero", err)
	}
	if _, ok := Lookup("degC"); ok {
		t.Errorf("degC is a unit of expressions; it must not be")
	}
}
