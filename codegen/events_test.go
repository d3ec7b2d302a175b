package codegen_test

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/symbolic"
)

// TestEventAssigns: of generated/testdata/saturating.yaml's receptors, the two whose events are
// not sums of increments become assignments (Sat's `+=` as the state plus its expression,
// Max's `=` as written), evaluated here at a state and weight; Lin's `g += w` stays an
// increment, delivered by adding weights. A float32 generation of the model is refused.
func TestEventAssigns(t *testing.T) {
	file := filepath.Join("..", "generated", "testdata", "saturating.yaml")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	m, err := check.Load(file, src, check.Options{})
	if err != nil {
		t.Fatal(err)
	}
	params := map[string]float64{}
	for _, p := range m.Params {
		params[p.Local] = p.Default
	}
	eval := func(a ir.EventAssign, g, w float64) float64 {
		env := func(n string) float64 {
			switch {
			case n == ir.EventWeight:
				return w
			case n == a.State.Local:
				return g
			}
			v, ok := params[n]
			if !ok {
				t.Fatalf("%s: unexpected symbol %s", a.Text, n)
			}
			return v
		}
		return symbolic.Eval(a.Value, env)
	}
	sat, mx, lin := m.Receptors[0], m.Receptors[1], m.Receptors[2]
	if len(sat.Assigns) != 1 || len(sat.Events) != 0 || sat.Assigns[0].State.Name != "Sat.g" || sat.WeightUnit != "mS" {
		t.Fatalf("Sat: assigns %v, increments %v, weight unit %s", sat.Assigns, sat.Events, sat.WeightUnit)
	}
	const gmax = 2e-6 // mS
	for _, c := range [][2]float64{{0, 1e-6}, {1e-6, 0.5e-6}, {1.9e-6, 3e-6}} {
		g, w := c[0], c[1]
		if got, want := eval(sat.Assigns[0], g, w), g+w*(gmax-g)/gmax; math.Abs(got-want) > 1e-15*gmax {
			t.Errorf("Sat at g = %g, w = %g: %g, want %g", g, w, got, want)
		}
		if got, want := eval(mx.Assigns[0], g, w), max(g, w); got != want {
			t.Errorf("Max at g = %g, w = %g: %g, want %g", g, w, got, want)
		}
	}
	if len(lin.Assigns) != 0 || len(lin.Events) != 1 || lin.Events[0].Scale != 1 {
		t.Errorf("Lin: assigns %v, increments %v: want one increment of scale 1", lin.Assigns, lin.Events)
	}
	_, err = codegen.Generate(m, codegen.Options{Float32: true})
	if err == nil || !strings.Contains(err.Error(), "receptor Sat's event") || !strings.Contains(err.Error(), "-float32") {
		t.Errorf("float32: %v", err)
	}
}
