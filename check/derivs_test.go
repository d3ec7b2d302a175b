package check_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"gonum.org/v1/gonum/diff/fd"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/spec"
	"github.com/neurogen/neurogen/symbolic"
)

// Tolerance of TestLinearCoefficients: |L − fd| ≤ derivRelTol·|fd| + derivAbsTol, where fd is
// the central difference with step h = 2e-6·max(1, |x|). On the models tested, the largest
// difference is about 2% of this tolerance; it is the finite difference's own error, since it
// scales as h² for larger steps (truncation) and as 1/h for smaller ones (rounding). A missing
// or wrong term of the chain rule gives errors of order one.
const (
	derivRelTol = 1e-6
	derivAbsTol = 1e-9
	derivPoints = 250
)

// TestLinearCoefficients checks exp_auto's linear coefficients, the symbolic derivatives
// ∂(dx/dt)/∂x that the checker builds by differentiating through rates, definitions and
// currents, against gonum's central finite differences of the model's own right-hand sides.
//
// For every stock spec (and the extra specs in testdata/derivs), it evaluates the IR (Pre, then
// Body, statement by statement with symbolic.Eval) at random states: V in [−100, 60] mV, gates
// in [0.01, 0.99], input in [0, 20] uA/cm2, t in [0, 1000] ms, parameters at their defaults.
// For every state x it compares the value of x's Linear statement with the central difference
// of x's Deriv statement with respect to x, every other value fixed, and checks that every
// Deriv and Linear value is finite.
func TestLinearCoefficients(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "specs", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no specs in ../specs")
	}
	extra, err := filepath.Glob(filepath.Join("testdata", "derivs", "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range append(files, extra...) {
		t.Run(filepath.Base(file), func(t *testing.T) {
			m := loadModel(t, file, check.Options{Method: "exp_auto"})
			r := rand.New(rand.NewPCG(7, uint64(len(file))))
			worst := 0.0 // largest |L − fd| / (derivRelTol·|fd| + derivAbsTol)
			for k := 0; k < derivPoints; k++ {
				point := randomPoint(m, r)
				vals, err := evalModel(m, point)
				if err != nil {
					t.Fatal(err)
				}
				for _, st := range m.States {
					if st.Deriv == nil || st.Linear == nil {
						t.Fatalf("state %s has no Deriv or Linear statement (exp_auto)", st.Name)
					}
					d, L := vals[st.Deriv.Local], vals[st.Linear.Local]
					if math.IsNaN(d) || math.IsInf(d, 0) || math.IsNaN(L) || math.IsInf(L, 0) {
						t.Fatalf("at %v: d%s/dt = %v, L = %v; want finite values", point, st.Name, d, L)
					}
					x0 := point[st.Local]
					f := func(x float64) float64 {
						p := clone(point)
						p[st.Local] = x
						vals, err := evalModel(m, p)
						if err != nil {
							t.Fatal(err)
						}
						return vals[st.Deriv.Local]
					}
					h := 2e-6 * math.Max(1, math.Abs(x0))
					want := fd.Derivative(f, x0, &fd.Settings{Formula: fd.Central, Step: h})
					tol := derivRelTol*math.Abs(want) + derivAbsTol
					worst = math.Max(worst, math.Abs(L-want)/tol)
					if !(math.Abs(L-want) <= tol) {
						t.Errorf("∂(d%s/dt)/∂%s at %v:\n symbolic (%s) = %.17g\n central difference = %.17g (tolerance %.3g)",
							st.Name, st.Name, point, st.Linear.Local, L, want, tol)
					}
				}
			}
			t.Logf("%d random states, %d variables: largest error %.3g of the tolerance", derivPoints, len(m.States), worst)
		})
	}
}

// loadModel loads and checks a spec file that must be valid.
func loadModel(t *testing.T, file string, opts check.Options) *ir.Model {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	s, err := spec.Load(file, src)
	if err != nil {
		t.Fatalf("load:\n%v", err)
	}
	m, err := check.Check(s, opts)
	if err != nil {
		t.Fatalf("check:\n%v", err)
	}
	return m
}

// randomPoint returns values for the leaves of the model's statements: states at random,
// parameters at their defaults, the input and the time at random.
func randomPoint(m *ir.Model, r *rand.Rand) map[string]float64 {
	p := map[string]float64{}
	for _, par := range m.Params {
		p[par.Local] = par.Default
	}
	for _, st := range m.States {
		if st.Kind == ir.Voltage {
			p[st.Local] = -100 + 160*r.Float64()
		} else {
			p[st.Local] = 0.01 + 0.98*r.Float64()
		}
	}
	p[m.Input] = 20 * r.Float64()
	p[m.Time] = 1000 * r.Float64()
	return p
}

// evalModel evaluates the model's statements in order (Pre, then Body) over the leaves in
// point, and returns every value by Go local.
func evalModel(m *ir.Model, point map[string]float64) (map[string]float64, error) {
	vals := clone(point)
	var missing string
	env := func(name string) float64 {
		v, ok := vals[name]
		if !ok && missing == "" {
			missing = name
		}
		return v
	}
	for _, list := range [][]*ir.Stmt{m.Pre, m.Body} {
		for _, st := range list {
			if _, dup := vals[st.Local]; dup {
				return nil, fmt.Errorf("statement %s assigns a name that is already defined", st.Local)
			}
			vals[st.Local] = symbolic.Eval(st.Expr, env)
			if missing != "" {
				return nil, fmt.Errorf("statement %s = %s uses %s, which no earlier statement or leaf defines", st.Local, st.Expr, missing)
			}
		}
	}
	return vals, nil
}

func clone(m map[string]float64) map[string]float64 {
	c := make(map[string]float64, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}
