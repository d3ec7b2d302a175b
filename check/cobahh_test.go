package check_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/spec"
)

// brian2COBAHH is the right-hand side of Brian2's COBAHH example (networks.md) without the
// synaptic conductances, written out independently of the spec: v in mV, I in uA/cm2, the
// derivatives per ms. Brian2 multiplies C, gl, gNa and gK by the area, which cancels.
func brian2COBAHH(v, m, h, n, I float64) (dv, dm, dh, dn float64) {
	const (
		C, gl, gNa, gK = 1.0, 5e-5 * 1e3, 100.0, 30.0 // uF/cm2, mS/cm2
		El, EK, ENa    = -60.0, -90.0, 50.0
		VT             = -63.0
	)
	am := 0.32 * (13 - v + VT) / (math.Exp((13-v+VT)/4) - 1)
	bm := 0.28 * (v - VT - 40) / (math.Exp((v-VT-40)/5) - 1)
	ah := 0.128 * math.Exp((17-v+VT)/18)
	bh := 4 / (1 + math.Exp((40-v+VT)/5))
	an := 0.032 * (15 - v + VT) / (math.Exp((15-v+VT)/5) - 1)
	bn := 0.5 * math.Exp((10-v+VT)/40)
	dv = (gl*(El-v) - gNa*m*m*m*h*(v-ENa) - gK*n*n*n*n*(v-EK) + I) / C
	return dv, am*(1-m) - bm*m, ah*(1-h) - bh*h, an*(1-n) - bn*n
}

// TestCOBAHHNeuron: the stock COBAHH neuron's derivatives are Brian2's at random states, its
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
	byName := map[string]*ir.State{}
	for _, st := range m.States {
		byName[st.Name] = st
	}
	r := rand.New(rand.NewPCG(3, 4))
	for k := 0; k < 500; k++ {
		v, I := -100+160*r.Float64(), 20*r.Float64()
		x := [3]float64{r.Float64(), r.Float64(), r.Float64()}
		if k == 0 {
			v = -63 + 13 // a removable singularity of alpha_m
		}
		point := randomPoint(m, r)
		point[byName["V"].Local], point[m.Input] = v, I
		for i, name := range []string{"Na.m", "Na.h", "K.n"} {
			point[byName[name].Local] = x[i]
		}
		vals, err := evalModel(m, point)
		if err != nil {
			t.Fatal(err)
		}
		dv, dm, dh, dn := brian2COBAHH(v, x[0], x[1], x[2], I)
		if k == 0 {
			// Brian2's alpha_m is 0/0 at the pole; its limit is 0.32*4 = 1.28/ms.
			dm = 1.28*(1-x[0]) - 0.28*(v+63-40)/(math.Exp((v+63-40)/5)-1)*x[0]
		}
		for i, want := range []float64{dv, dm, dh, dn} {
			st := m.States[i]
			got := vals[st.Deriv.Local]
			if math.Abs(got-want) > 1e-11*math.Max(1, math.Abs(want)) {
				t.Errorf("at V=%g mV, m,h,n=%v, I=%g: d%s/dt = %.17g, Brian2's %.17g", v, x, I, st.Name, got, want)
			}
		}
	}
}

// TestCOBAHHNetwork: the stock COBAHH network loads without a structural error, and its check
// finds nothing wrong but what waits for receptors in group specs (issue 14, item 1): the
// receptors E and I, and their states E.g and I.g.
func TestCOBAHHNetwork(t *testing.T) {
	const file = "../specs/networks/cobahh.yaml"
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !spec.IsNetwork(src) {
		t.Fatal("spec.IsNetwork does not recognise the COBAHH network")
	}
	if _, err := spec.LoadNetwork(file, src); err != nil {
		t.Fatalf("load:\n%v", err)
	}
	_, err = check.LoadNetwork(file, src, check.NetworkOptions{})
	var list spec.ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("check: %v; want the errors of the missing receptors", err)
	}
	want := map[string]spec.Code{
		"27:7": spec.UnknownName, "28:7": spec.UnknownName, "37:7": spec.UnknownName, "38:7": spec.UnknownName,
		"44:15": spec.UnknownReceptor, "51:15": spec.UnknownReceptor,
	}
	for _, e := range list {
		at := e.Pos.String()[len(file)+1:]
		if want[at] != e.Code {
			t.Errorf("unexpected error %v (code %s)", e, e.Code)
		}
	}
	if len(list) != 8 {
		t.Errorf("%d errors, want 8 (4 states E.g and I.g, 4 pairs of projection and receptor):\n%v", len(list), list)
	}
}
