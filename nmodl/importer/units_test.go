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
	} {
		if got := unitOf(&nmodl.Units{Text: in}); got != want {
			t.Errorf("(%s) is %q, want %q", in, got, want)
		}
	}
}
