package middle_test

import (
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/middle"
	"github.com/neurogen/neurogen/symbolic"
)

// TestStockPasses: for every stock spec and method, each pass leaves the model it is given as
// it was and links the one it returns to its own statements, and Optimize on the model before
// the middle end (check.Options.Unoptimized) is what check.Load returns.
func TestStockPasses(t *testing.T) {
	files, err := filepath.Glob("../specs/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no stock specs: %v", err)
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, method := range ir.Methods {
			if testing.Short() && method != ir.ExpAuto {
				continue
			}
			t.Run(filepath.Base(file)+"/"+method.String(), func(t *testing.T) {
				raw, err := check.Load(file, src, check.Options{Method: method.String(), Unoptimized: true})
				if err != nil {
					t.Fatal(err)
				}
				if len(raw.Pre) != 0 || len(raw.SharedExps) != 0 || raw.States[0].Linear != nil {
					t.Errorf("the unoptimised model has %d statements before the loop, %d shared exponentials, V's linear coefficient %v",
						len(raw.Pre), len(raw.SharedExps), raw.States[0].Linear)
				}
				before := dump(raw)
				m := raw
				for _, p := range []func(*ir.Model) *ir.Model{middle.Linearize, middle.ShareExps, middle.Schedule} {
					in := dump(m)
					out := p(m)
					if dump(m) != in {
						t.Fatalf("a pass changed its input")
					}
					ownLinks(t, out)
					m = out
				}
				if dump(raw) != before {
					t.Errorf("the passes changed the unoptimised model")
				}
				full, err := check.Load(file, src, check.Options{Method: method.String()})
				if err != nil {
					t.Fatal(err)
				}
				if got, want := dump(middle.Optimize(raw)), dump(full); got != want || dump(m) != want {
					t.Errorf("Optimize of the unoptimised model differs from check.Load's:\n%s\nwant\n%s", got, want)
				}
			})
		}
	}
}

// TestOptimizePreservesValues: the middle end changes how a model computes, never what. For
// every stock spec (exp_auto, so that linear coefficients are derived too), at random states,
// inputs, times and group-wide parameters (voltages moved by up to ±15 mV, the others scaled by
// 0.7 to 1.3), the optimised model's derivatives, currents and rates agree with the unoptimised
// model's, evaluated statement by statement, to 1e-12 (relative, or absolute below 1).
func TestOptimizePreservesValues(t *testing.T) {
	files, err := filepath.Glob("../specs/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no stock specs: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := check.Load(file, src, check.Options{Method: "exp_auto", Unoptimized: true})
			if err != nil {
				t.Fatal(err)
			}
			opt := middle.Optimize(raw)
			r := rand.New(rand.NewPCG(3, uint64(len(file))))
			for range 300 {
				leaves := map[string]float64{raw.Input: 20 * r.Float64(), raw.Time: 1000 * r.Float64()}
				for _, p := range raw.Params {
					v := p.Default * (0.7 + 0.6*r.Float64())
					if p.Unit == "mV" {
						v = p.Default + 30*r.Float64() - 15
					}
					leaves[p.Local] = v
				}
				for _, st := range raw.States {
					switch st.Kind {
					case ir.Voltage:
						leaves[st.Local] = -100 + 160*r.Float64()
					case ir.Gate:
						leaves[st.Local] = 0.01 + 0.98*r.Float64()
					case ir.Concentration:
						leaves[st.Local] = 1e-5 + 1e-3*r.Float64()
					case ir.Receptor:
						leaves[st.Local] = 1e-4 * r.Float64() // up to 100 nS in mS
					}
				}
				a, b := eval(t, raw, leaves), eval(t, opt, leaves)
				var pairs [][2]*ir.Stmt
				for i, st := range raw.States {
					pairs = append(pairs, [2]*ir.Stmt{st.Deriv, opt.States[i].Deriv})
				}
				for i, ch := range raw.Channels {
					pairs = append(pairs, [2]*ir.Stmt{ch.Current, opt.Channels[i].Current})
				}
				for i, rt := range raw.Rates {
					pairs = append(pairs, [2]*ir.Stmt{rt.Stmt, opt.Rates[i].Stmt})
				}
				for _, p := range pairs {
					x, y := a[p[0].Local], b[p[1].Local]
					if math.IsNaN(x) || math.Abs(x-y) > 1e-12*max(1, math.Abs(x)) {
						t.Fatalf("at %v: %s is %v unoptimised, %s %v optimised", leaves, p[0].Local, x, p[1].Local, y)
					}
				}
			}
		})
	}
}

// eval evaluates the statements of m, Pre then Body, in order, over the leaves.
func eval(t *testing.T, m *ir.Model, leaves map[string]float64) map[string]float64 {
	t.Helper()
	vals := maps.Clone(leaves)
	for _, st := range slices.Concat(m.Pre, m.Body) {
		vals[st.Local] = symbolic.Eval(st.Expr, func(n string) float64 {
			v, ok := vals[n]
			if !ok {
				t.Fatalf("%s uses %s, which nothing before it computes", st.Local, n)
			}
			return v
		})
	}
	return vals
}
