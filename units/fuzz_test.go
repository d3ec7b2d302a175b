package units

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/internal/suggest"
)

// FuzzParse checks that Parse and ParseQuantity never panic, that their
// errors are *Error with an offset inside the input, that a parsed unit
// round-trips through its Name, and that the name String gives its
// dimension is the internal unit. The committed seed corpus is in
// testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"", "1", "mS/cm2", "uA/cm^2", "uA/cm**-2", "1/(mV*ms)", "mol/m3",
		"µm2", "kohm*cm2", "mv", "(mV", "m^127*m", "-65 mV", "0.1/ms", "2*mV",
		"1e-3 S/cm2", ".5", "1e999", "mV·ms", "m^-128",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkErr := func(what string, err error) {
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("%s(%q): error %v is %T, not *Error", what, s, err, err)
			}
			if e.Offset < 0 || e.Offset > len(s) || e.Msg == "" {
				t.Fatalf("%s(%q): bad error at %d: %q", what, s, e.Offset, e.Msg)
			}
		}

		u, err := Parse(s)
		if err != nil {
			checkErr("Parse", err)
		} else {
			if u.Name != strings.Trim(s, " \t\r\n") {
				t.Fatalf("Parse(%q).Name = %q", s, u.Name)
			}
			if !(u.Scale > 0) || math.IsInf(u.Scale, 0) {
				t.Fatalf("Parse(%q).Scale = %g", s, u.Scale)
			}
			v, err := Parse(u.Name)
			if err != nil || v != u {
				t.Fatalf("Parse(%q) = %+v, but Parse(%q) = %+v, %v", s, u, u.Name, v, err)
			}
			checkString(t, u.Dim)
		}

		q, err := ParseQuantity(s)
		if err != nil {
			checkErr("ParseQuantity", err)
		} else {
			if math.IsInf(q.Value, 0) || math.IsNaN(q.Value) || q.Text != strings.Trim(s, " \t\r\n") {
				t.Fatalf("ParseQuantity(%q) = %+v", s, q)
			}
			v, err := Parse(q.Unit.Name)
			if err != nil || v != q.Unit {
				t.Fatalf("ParseQuantity(%q).Unit = %+v, but Parse(%q) = %+v, %v", s, q.Unit, q.Unit.Name, v, err)
			}
		}

		suggest.Closest(s, sortedNames)
	})
}

// checkString checks that d.String names the internal unit of d, for
// dimensions whose exponents are small enough for that name to be
// parsed back without overflow.
func checkString(t *testing.T, d Dim) {
	str := d.String()
	_ = d.Describe()
	for _, e := range d {
		if e > 20 || e < -20 {
			return
		}
	}
	u, err := Parse(parseable(str))
	if err != nil || u.Dim != d || u.Scale != 1 {
		t.Fatalf("%v.String() = %q, which parses as %+v, %v", [7]int8(d), str, u, err)
	}
}
