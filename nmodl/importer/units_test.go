package importer

import (
	"testing"

	"github.com/neurogen/neurogen/nmodl"
)

// TestUnitOf: NMODL's units in neurogen's spelling: a leading "/", "-" for a product, NMODL's
// names of units, and no unit for (1).
func TestUnitOf(t *testing.T) {
	for in, want := range map[string]string{
		"/mM-ms": "1/(mM*ms)", "pS/um2": "pS/um2", "mho/cm2": "S/cm2", "/ms": "1/ms", "mA/cm2": "mA/cm2",
		"1": "", "": "", "coul/mol": "C/mol", "umho": "uS", "degC": "degC", "mM-ms": "mM*ms",
		"/mM ms": "1/(mM*ms)", "mA / cm2": "mA/cm2", "100/coulomb meter": "1/(C*m)",
	} {
		if got := unitOf(&nmodl.Units{Text: in}); got != want {
			t.Errorf("(%s) is %q, want %q", in, got, want)
		}
	}
}

// TestScaledUnit: a number that NMODL's units start with is returned apart.
func TestScaledUnit(t *testing.T) {
	for in, want := range map[string]struct {
		scale float64
		unit  string
	}{
		"100/coulomb meter": {100, "1/(C*m)"}, "1": {1, ""}, "1/ms": {1, "1/ms"}, ".001 mA/cm2": {0.001, "mA/cm2"},
		"2": {2, ""}, "1e-3 S": {1e-3, "S"}, "mV": {1, "mV"},
	} {
		if s, u := scaledUnit(&nmodl.Units{Text: in}); s != want.scale || u != want.unit {
			t.Errorf("(%s) is %g %q, want %g %q", in, s, u, want.scale, want.unit)
		}
	}
}
