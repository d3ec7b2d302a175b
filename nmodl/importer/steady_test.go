package importer_test

import (
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"gonum.org/v1/gonum/mat"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/nmodl/importer"
	"github.com/neurogen/neurogen/symbolic"
)

// steadyRef solves dx/dt = A x = 0 with sum(x) = total by gonum: the last equation replaced by
// the conservation.
func steadyRef(t *testing.T, A [][]float64, total float64) []float64 {
	t.Helper()
	n := len(A)
	M := mat.NewDense(n, n, nil)
	rhs := mat.NewVecDense(n, nil)
	for i := range n - 1 {
		M.SetRow(i, A[i])
	}
	for j := range n {
		M.Set(n-1, j, 1)
	}
	rhs.SetVec(n-1, total)
	var x mat.VecDense
	if err := x.SolveVec(M, rhs); err != nil {
		t.Fatal(err)
	}
	return x.RawVector().Data
}

// initAt evaluates the initial value of the kinetic gate NAME of m at V.
func initAt(t *testing.T, m *ir.Model, name string, V float64) float64 {
	t.Helper()
	for _, s := range m.States {
		if s.Name == name {
			if s.Gate == nil || s.Gate.Form != ir.Kinetic || s.Init == nil {
				t.Fatalf("%s is not a kinetic gate with an initial value", name)
			}
			return symbolic.Eval(s.Init, env(t, m, V))
		}
	}
	t.Fatalf("no state %s", name)
	return 0
}

// TestSteadyState: a SOLVE ... STEADYSTATE sparse in INITIAL starts a KINETIC scheme's states
// at their steady state at the initial V, equal (to 1e-12) to gonum's solution of the linear
// system with the CONSERVE's total (without one, the states' sum at the SOLVE): the chain of scheme.mod, and a scheme with a cycle (so
// several spanning trees per state) whose CONSERVE's total is not 1 (its state C is C_ in
// the spec: C is the membrane's capacitance).
func TestSteadyState(t *testing.T) {
	src, err := os.ReadFile("testdata/scheme.mod")
	if err != nil {
		t.Fatal(err)
	}
	chain := strings.Replace(string(src), "\tC1 = 1\n\tC2 = 0\n\tO = 0\n", "\tSOLVE kin STEADYSTATE sparse\n", 1)
	res, err := importer.Import("steady.mod", []byte(chain))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(res.Notes, "steady.mod:25:2: SOLVE kin STEADYSTATE: C1, C2, and O start at their steady state at the initial V, in closed form") {
		t.Errorf("notes %q", res.Notes)
	}
	m := group(t, res, "membrane: {C: 1 uF/cm2, V_init: -65 mV}\nions:\n  K: {E: -90 mV}\n")
	for _, V := range []float64{-80, -65, -20, 15} {
		a, b := 0.12*math.Exp(0.03*V), 0.04*math.Exp(-0.02*V)
		want := steadyRef(t, [][]float64{
			{-2 * a, b, 0},
			{2 * a, -b - a, 2 * b},
			{0, a, -2 * b},
		}, 1)
		for i, n := range []string{"scheme.C1", "scheme.C2", "scheme.O"} {
			if got := initAt(t, m, n, V); math.Abs(got-want[i]) > 1e-12 {
				t.Errorf("V = %g mV: %s starts at %.17g, want %.17g", V, n, got, want[i])
			}
		}
	}

	// Without CONSERVE, the states keep the sum they have at the SOLVE: 0.6 set before it (and
	// 0 where nothing is set, as in NEURON, whose states start at 0). NEURON 8.2 gives the same
	// (checked once by hand: 0.6 times the CONSERVE = 1 solution, and 0, 0, 0).
	for _, tc := range []struct {
		init  string
		total float64
	}{{"\tC1 = 0.6\n\tSOLVE kin STEADYSTATE sparse\n", 0.6}, {"\tSOLVE kin STEADYSTATE sparse\n", 0}} {
		free := strings.Replace(strings.Replace(string(src), "\tC1 = 1\n\tC2 = 0\n\tO = 0\n", tc.init, 1), "\tCONSERVE C1 + C2 + O = 1\n", "", 1)
		res, err := importer.Import("free.mod", []byte(free))
		if err != nil {
			t.Fatal(err)
		}
		m := group(t, res, "membrane: {C: 1 uF/cm2, V_init: -65 mV}\nions:\n  K: {E: -90 mV}\n")
		V := -30.0
		a, b := 0.12*math.Exp(0.03*V), 0.04*math.Exp(-0.02*V)
		want := steadyRef(t, [][]float64{{-2 * a, b, 0}, {2 * a, -b - a, 2 * b}, {0, a, -2 * b}}, tc.total)
		for i, n := range []string{"scheme.C1", "scheme.C2", "scheme.O"} {
			if got := initAt(t, m, n, V); math.Abs(got-want[i]) > 1e-12 {
				t.Errorf("no CONSERVE, total %g: %s starts at %.17g, want %.17g", tc.total, n, got, want[i])
			}
		}
	}

	cycle := `NEURON { SUFFIX cyc USEION na READ ena WRITE ina RANGE gbar }
PARAMETER { gbar = 0.1 (S/cm2) }
STATE { C O I D }
BREAKPOINT {
	SOLVE kin METHOD sparse
	ina = gbar*O*(v - ena)
}
INITIAL {
	C = 1
	SOLVE kin STEADYSTATE sparse
}
KINETIC kin {
	LOCAL a
	a = exp(v/25)
	~ C <-> O (0.5*a, 0.2)
	~ O <-> I (0.3, 0.05/a)
	~ I <-> C (0.01, 0.02*a)
	~ O <-> D (0.7, 1.1)
	~ C <-> O (0.1, 0)
	CONSERVE C + (O + I) + D = 0.8
}
`
	res, err = importer.Import("cyc.mod", []byte(cycle))
	if err != nil {
		t.Fatal(err)
	}
	m = group(t, res, "membrane: {C: 1 uF/cm2, V_init: -65 mV}\nions:\n  Na: {E: 50 mV}\n")
	for _, V := range []float64{-90, -40, 30} {
		a := math.Exp(V / 25)
		kCO, kOC, kOI, kIO, kIC, kCI, kOD, kDO := 0.5*a+0.1, 0.2, 0.3, 0.05/a, 0.01, 0.02*a, 0.7, 1.1
		want := steadyRef(t, [][]float64{ // C, O, I, D
			{-kCO - kCI, kOC, kIC, 0},
			{kCO, -kOC - kOI - kOD, kIO, kDO},
			{kCI, kOI, -kIO - kIC, 0},
			{0, kOD, 0, -kDO},
		}, 0.8)
		for i, n := range []string{"cyc.C_", "cyc.O", "cyc.I", "cyc.D"} {
			if got := initAt(t, m, n, V); math.Abs(got-want[i]) > 1e-12 {
				t.Errorf("V = %g mV: %s starts at %.17g, want %.17g", V, n, got, want[i])
			}
		}
	}
}

// TestSteadyStateRefused: a steady state that is not a linear system with one solution is
// refused at the SOLVE, as are coupled kinetic gates of a DERIVATIVE block; the gates of HH
// form of a DERIVATIVE block start at their steady state as neurogen's do, without a note.
func TestSteadyStateRefused(t *testing.T) {
	src, err := os.ReadFile("testdata/scheme.mod")
	if err != nil {
		t.Fatal(err)
	}
	steady := strings.Replace(string(src), "\tC1 = 1\n\tC2 = 0\n\tO = 0\n", "\tSOLVE kin STEADYSTATE sparse\n", 1)
	for _, tc := range []struct{ old, new, want string }{
		{"CONSERVE C1 + C2 + O = 1", "CONSERVE C1 + O = 1", "p.mod:25:2: SOLVE kin STEADYSTATE in INITIAL is not imported: the CONSERVE at 31:2 is not the sum of every state of the scheme, each once"},
		{"~ C2 <-> O (a, 2*b)", "~ 2 C2 <-> O (a, 2*b)", "p.mod:25:2: SOLVE kin STEADYSTATE in INITIAL is not imported: the reaction at 30:2 is not of first order (one state on each side, coefficient 1), so the steady state is not a linear system"},
		{"~ C1 <-> C2 (2*a, b)\n\t~ C2 <-> O (a, 2*b)", "~ C2 -> C1 (b)\n\t~ C2 -> O (a)", "p.mod:25:2: SOLVE kin STEADYSTATE in INITIAL is not imported: its reactions do not connect its states so that one steady state exists"},
	} {
		_, err := importer.Import("p.mod", []byte(strings.Replace(steady, tc.old, tc.new, 1)))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s -> %s:\ngot  %v\nwant %s", tc.old, tc.new, err, tc.want)
		}
	}

	kin, err := os.ReadFile("testdata/kin.mod")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(kin), "x = a0/(a0 + b0)") {
		t.Fatal("kin.mod has changed")
	}
	_, err = importer.Import("k.mod", []byte(strings.Replace(string(kin), "x = a0/(a0 + b0)", "SOLVE states STEADYSTATE derivimplicit", 1)))
	if err == nil || err.Error() != "k.mod:22:11: SOLVE states STEADYSTATE in INITIAL is not imported: x' is not affine in x (c0 + c1*x), so its steady state is not imported (set it in INITIAL)" {
		t.Errorf("got %v", err)
	}
	coupled := `NEURON { SUFFIX cp USEION k READ ek WRITE ik }
PARAMETER { g = 0.01 (S/cm2) }
STATE { x y }
BREAKPOINT {
	SOLVE states METHOD derivimplicit
	ik = g*x*(v - ek)
}
INITIAL { SOLVE states STEADYSTATE derivimplicit }
DERIVATIVE states {
	x' = 0.1*y - 0.2*x
	y' = 0.2*x - 0.1*y
}
`
	_, err = importer.Import("cp.mod", []byte(coupled))
	if err == nil || err.Error() != "cp.mod:8:11: SOLVE states STEADYSTATE in INITIAL is not imported: x' uses y, and the steady state of coupled kinetic gates of a DERIVATIVE block is not imported (set them in INITIAL)" {
		t.Errorf("got %v", err)
	}

	hh, err := os.ReadFile("../testdata/hh.mod")
	if err != nil {
		t.Fatal(err)
	}
	const init = "\tm = minf\n\th = hinf\n\tn = ninf\n"
	if !strings.Contains(string(hh), init) {
		t.Fatal("hh.mod has changed")
	}
	res, err := importer.Import("hh.mod", []byte(strings.Replace(string(hh), init, "\tSOLVE states STEADYSTATE cnexp\n", 1)))
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range res.Notes {
		if strings.Contains(n, "INITIAL") || strings.Contains(n, "STEADYSTATE") {
			t.Errorf("note %q", n)
		}
	}
}

// TestSteadyStateDerivative: a kinetic gate of a DERIVATIVE block whose derivative is affine in
// it, x' = c0 + c1*x (of neither HH form), starts at -c0/c1 at the initial V under SOLVE ...
// STEADYSTATE derivimplicit, beside a gate of HH form that starts at its steady state anyway.
func TestSteadyStateDerivative(t *testing.T) {
	src := `NEURON { SUFFIX af USEION k READ ek WRITE ik }
PARAMETER { g = 0.01 (S/cm2) q = 2 }
STATE { x n }
ASSIGNED { a (/ms) b (/ms) }
BREAKPOINT {
	SOLVE states METHOD derivimplicit
	ik = g*x*n*(v - ek)
}
INITIAL { SOLVE states STEADYSTATE derivimplicit }
DERIVATIVE states {
	a = 0.3*exp(v/30)
	b = 0.1*exp(-v/40)
	x' = q*(a - (a + b)*x) + 0.05
	n' = (1/(1 + exp(-v/9)) - n)/5
}
`
	res, err := importer.Import("af.mod", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := group(t, res, "membrane: {C: 1 uF/cm2, V_init: -65 mV}\nions:\n  K: {E: -90 mV}\n")
	for _, V := range []float64{-80, -20, 25} {
		a, b := 0.3*math.Exp(V/30), 0.1*math.Exp(-V/40)
		if got, want := initAt(t, m, "af.x", V), (2*a+0.05)/(2*(a+b)); math.Abs(got-want) > 1e-12 {
			t.Errorf("V = %g mV: x starts at %.17g, want %.17g", V, got, want)
		}
	}
	if !slices.Contains(res.Notes, "af.mod:9:11: SOLVE states STEADYSTATE: x starts at its steady state at the initial V, -c0/c1 of x' = c0 + c1*x") {
		t.Errorf("notes %q", res.Notes)
	}
}
