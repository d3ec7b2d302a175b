package check_test

import (
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/spec"
)

// brian2COBAHH is the right-hand side of Brian2's COBAHH example (networks.md), written out
// independently of the spec: v in mV, ge and gi in nS, I in uA/cm2, the derivatives per ms (of
// ge and gi in nS/ms). Brian2 multiplies C, gl, gNa and gK by the area, which cancels; ge and
// gi are absolute conductances, so their currents are divided by the area.
func brian2COBAHH(v, m, h, n, ge, gi, I float64) (dv, dm, dh, dn, dge, dgi float64) {
	const (
		C, gl, gNa, gK = 1.0, 5e-5 * 1e3, 100.0, 30.0 // uF/cm2, mS/cm2
		El, EK, ENa    = -60.0, -90.0, 50.0
		Ee, Ei         = 0.0, -80.0
		taue, taui     = 5.0, 10.0
		VT             = -63.0
		area           = 20000e-8 // cm2
		nS             = 1e-6     // mS: nS*mV is 1e-6 uA
	)
	am := 0.32 * (13 - v + VT) / (math.Exp((13-v+VT)/4) - 1)
	bm := 0.28 * (v - VT - 40) / (math.Exp((v-VT-40)/5) - 1)
	ah := 0.128 * math.Exp((17-v+VT)/18)
	bh := 4 / (1 + math.Exp((40-v+VT)/5))
	an := 0.032 * (15 - v + VT) / (math.Exp((15-v+VT)/5) - 1)
	bn := 0.5 * math.Exp((10-v+VT)/40)
	syn := (ge*nS*(Ee-v) + gi*nS*(Ei-v)) / area
	dv = (gl*(El-v) + syn - gNa*m*m*m*h*(v-ENa) - gK*n*n*n*n*(v-EK) + I) / C
	return dv, am*(1-m) - bm*m, ah*(1-h) - bh*h, an*(1-n) - bn*n, -ge / taue, -gi / taui
}

// TestCOBAHHNeuron: the stock COBAHH neuron's derivatives are Brian2's at random states (with
// the synaptic conductances at 0 in a quarter of them: the neuron alone, driven by I_ext), its
// membrane as the benchmark's (area, threshold), and its method exponential Euler.
func TestCOBAHHNeuron(t *testing.T) {
	m := loadModel(t, "../specs/cobahh_neuron.yaml", check.Options{})
	if m.Method != ir.ExpAuto || math.Abs(m.A-2e-4) > 1e-18 {
		t.Errorf("method %s, A %g cm2; want exp_auto, 20000 um2 = 2e-4 cm2", m.Method, m.A)
	}
	for _, p := range m.Params {
		if p.Name == "V_th" && p.Default != -20 {
			t.Errorf("V_th = %g mV, want -20 mV", p.Default)
		}
	}
	names := []string{"V", "Na.m", "Na.h", "K.n", "E.g", "I.g"}
	if len(m.States) != len(names) {
		t.Fatalf("%d states, want %v", len(m.States), names)
	}
	for i, st := range m.States {
		if st.Name != names[i] {
			t.Fatalf("state %d is %s, want %s", i, st.Name, names[i])
		}
	}
	r := rand.New(rand.NewPCG(3, 4))
	for k := 0; k < 500; k++ {
		v, I := -100+160*r.Float64(), 20*r.Float64()
		x := [3]float64{r.Float64(), r.Float64(), r.Float64()}
		ge, gi := 100*r.Float64(), 400*r.Float64() // nS
		if k%4 == 1 {
			ge, gi = 0, 0
		}
		if k == 0 {
			v = -63 + 13 // a removable singularity of alpha_m
		}
		point := randomPoint(m, r)
		point[m.Input] = I
		for i, val := range []float64{v, x[0], x[1], x[2], ge * 1e-6, gi * 1e-6} { // E.g, I.g in mS
			point[m.States[i].Local] = val
		}
		vals, err := evalModel(m, point)
		if err != nil {
			t.Fatal(err)
		}
		dv, dm, dh, dn, dge, dgi := brian2COBAHH(v, x[0], x[1], x[2], ge, gi, I)
		if k == 0 {
			// Brian2's alpha_m is 0/0 at the pole; its limit is 0.32*4 = 1.28/ms.
			dm = 1.28*(1-x[0]) - 0.28*(v+63-40)/(math.Exp((v+63-40)/5)-1)*x[0]
		}
		for i, want := range []float64{dv, dm, dh, dn, dge * 1e-6, dgi * 1e-6} {
			st := m.States[i]
			got := vals[st.Deriv.Local]
			if math.Abs(got-want) > 1e-11*math.Max(1e-6, math.Abs(want)) {
				t.Errorf("at V=%g mV, m,h,n=%v, ge=%g nS, gi=%g nS, I=%g: d%s/dt = %.17g, Brian2's %.17g", v, x, ge, gi, I, st.Name, got, want)
			}
		}
	}
}

// TestCOBAHHNetwork: the stock COBAHH network, checked, has the benchmark's numbers in internal
// units (mV, ms, mS): sizes, Brian2's initial values, four projections of p 0.02 with we 6 nS
// and wi 67 nS into the receptors E and I, no delay, no self-connections, dt 0.1 ms.
func TestCOBAHHNetwork(t *testing.T) {
	const file = "../specs/networks/cobahh.yaml"
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !spec.IsNetwork(src) {
		t.Fatal("spec.IsNetwork does not recognise the COBAHH network")
	}
	net, err := check.LoadNetwork(file, src, check.NetworkOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if net.Name != "COBAHH" || net.DT != 0.1 || net.Seed != 1 || len(net.Groups) != 2 {
		t.Fatalf("network %s, dt %g, seed %d, %d groups", net.Name, net.DT, net.Seed, len(net.Groups))
	}
	exc, inh := net.Groups[0], net.Groups[1]
	if exc.N != 3200 || inh.N != 800 || exc.Model != inh.Model || exc.Model.Name != "COBAHHNeuron" {
		t.Errorf("groups: %s %d, %s %d, models %p %p", exc.Name, exc.N, inh.Name, inh.N, exc.Model, inh.Model)
	}
	wantInit := map[string]ir.Dist{
		"V":    {Kind: ir.Normal, A: -65, B: 5},
		"Na.m": {}, "Na.h": {}, "K.n": {},
		"E.g": {Kind: ir.Normal, A: 40e-6, B: 15e-6},   // (1.5*randn + 4)*10 nS, in mS
		"I.g": {Kind: ir.Normal, A: 200e-6, B: 120e-6}, // (12*randn + 20)*10 nS
	}
	for _, g := range net.Groups {
		if len(g.Init) != len(wantInit) {
			t.Errorf("group %s: %d initial values, want %d", g.Name, len(g.Init), len(wantInit))
		}
		for _, si := range g.Init {
			w, ok := wantInit[si.State.Name]
			got := si.Value
			if !ok || got.Kind != w.Kind || !near(got.A, w.A) || !near(got.B, w.B) {
				t.Errorf("group %s: init %s = %s %g %g, want %s %g %g", g.Name, si.State.Name, got.Kind, got.A, got.B, w.Kind, w.A, w.B)
			}
		}
	}
	type proj struct {
		name, pre, post, receptor string
		p, w                      float64
	}
	want := []proj{
		{"exc_all/exc", "exc", "exc", "E", 0.02, 6e-6}, {"exc_all/inh", "exc", "inh", "E", 0.02, 6e-6},
		{"inh_all/exc", "inh", "exc", "I", 0.02, 67e-6}, {"inh_all/inh", "inh", "inh", "I", 0.02, 67e-6},
	}
	if len(net.Projections) != len(want) {
		t.Fatalf("%d projections, want %d", len(net.Projections), len(want))
	}
	for i, p := range net.Projections {
		w := want[i]
		got := proj{p.Name, p.Pre.Name, p.Post.Name, p.Receptor, p.P, p.Weight.A}
		if got.name != w.name || got.pre != w.pre || got.post != w.post || got.receptor != w.receptor || got.p != w.p || !near(got.w, w.w) ||
			p.Rule != ir.FixedProbability || p.Weight.Kind != ir.Constant || p.DelaySteps != 0 || p.Self || p.Multapses ||
			p.Target == nil || p.Target.Name != w.receptor || p.Target.Events[0].State.Name != w.receptor+".g" || p.Seed != 1 {
			t.Errorf("projection %d: %+v (rule %s, self %t, target %v), want %+v", i, got, p.Rule, p.Self, p.Target, w)
		}
	}
}
