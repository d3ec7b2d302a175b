package codegen

import (
	"testing"

	"github.com/neurogen/neurogen/ir"
)

// TestPlasticLocals: a rule's states keep their names as Go locals, but for Go keywords,
// predeclared names (a state `max` must leave the builtin max to the expressions) and the
// names the function uses itself, which get a "_", never one that another state has.
func TestPlasticLocals(t *testing.T) {
	r := &ir.PlasticRule{}
	for _, n := range []string{"x", "type", "max", "s", "s_", "delta", "relax", "f", "runtime", "math", "float64", "u"} {
		r.States = append(r.States, &ir.PlasticState{Name: n})
	}
	got := plasticLocals(r)
	want := map[string]string{"x": "x", "type": "type_", "max": "max_", "s": "s__", "s_": "s_", "delta": "delta_", "relax": "relax_",
		"f": "f_", "runtime": "runtime_", "math": "math_", "float64": "float64_", "u": "u"}
	for n, id := range want {
		if got[n] != id {
			t.Errorf("state %s: local %q, want %q", n, got[n], id)
		}
	}
}
