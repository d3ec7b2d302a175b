package check_test

import (
	"fmt"
	"math"
	"path/filepath"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/ir"
)

// TestReceptorModel checks what the checker makes of the receptors of testdata/derivs/receptors.yaml:
// the model's receptor list (states, the states an event increments, the weight's unit), the
// receptor states (kind, internal unit, initial value 0), and how each receptor's current
// enters dV/dt: a current (g*(E - V) in nS*mV) divided by the membrane area, a density as it
// is, each inward positive, against values computed here from the spec's numbers.
func TestReceptorModel(t *testing.T) {
	m := loadModel(t, filepath.Join("testdata", "derivs", "receptors.yaml"), check.Options{Unoptimized: true})
	type want struct {
		name, stock string
		states      []string
		events      []string
		scales      []float64
		unit        string
		density     bool
	}
	wants := []want{
		{"E", "", []string{"E.g"}, []string{"E.g"}, []float64{1}, "mS", false},
		{"I", "ExpCond", []string{"I.g"}, []string{"I.g"}, []float64{1}, "mS", false},
		{"S", "Exp2Cond", []string{"S.A", "S.B"}, []string{"S.A", "S.B"}, []float64{1, 1}, "mS", false},
		{"D", "", []string{"D.u"}, []string{"D.u"}, []float64{2}, "uA/cm2", true},
		{"H", "", []string{"H.u"}, []string{"H.u"}, []float64{-1}, "uA", false},
	}
	if len(m.Receptors) != len(wants) {
		t.Fatalf("%d receptors, want %d", len(m.Receptors), len(wants))
	}
	for i, w := range wants {
		r := m.Receptors[i]
		if r.Name != w.name || r.Stock != w.stock || r.WeightUnit != w.unit || r.Density != w.density {
			t.Errorf("receptor %d: %s (stock %q, weight unit %q, density %t), want %s (%q, %q, %t)",
				i, r.Name, r.Stock, r.WeightUnit, r.Density, w.name, w.stock, w.unit, w.density)
		}
		if len(r.States) != len(w.states) || len(r.Events) != len(w.events) {
			t.Fatalf("receptor %s: %d states, %d increments, want %d, %d", r.Name, len(r.States), len(r.Events), len(w.states), len(w.events))
		}
		for k, st := range r.States {
			if st.Name != w.states[k] || st.Kind != ir.Receptor || st.Receptor != r || st.Unit != w.unit || st.Init == nil || !st.Init.Is(0) {
				t.Errorf("state %d of %s: %s, kind %s, unit %s, init %v; want %s, receptor, %s, 0", k, r.Name, st.Name, st.Kind, st.Unit, st.Init, w.states[k], w.unit)
			}
			if !containsState(m.States, st) {
				t.Errorf("state %s is not in the model's states", st.Name)
			}
		}
		for k, inc := range r.Events {
			if inc.State.Name != w.events[k] || inc.Scale != w.scales[k] {
				t.Errorf("increment %d of %s: %s += %g*w, want %s += %g*w", k, r.Name, inc.State.Name, inc.Scale, w.events[k], w.scales[k])
			}
		}
	}

	// dV/dt at a state with every receptor open: compare with the spec's numbers.
	const (
		V    = -50.0 // mV
		ge   = 6e-6  // mS (6 nS)
		gi   = 67e-6 // mS
		sA   = 2e-6  // mS
		sB   = 5e-6  // mS
		u    = 0.3   // uA/cm2
		area = 2e-4  // cm2 (20000 um2)
		gl   = 0.05  // mS/cm2
		El   = -60.0 // mV
		Iext = 0.0   // uA/cm2
		tr   = 1.0   // ms
		td   = 5.0   // ms
		EI   = -80.0 // mV
		ES   = 0.0   // mV
	)
	r := tr / td
	f := 1 / ((1 - r) * math.Pow(r, r/(1-r))) // Exp2Cond's peak normalisation
	const uH = 2e-3                           // uA (2 nA), divided by the area
	wantDV := gl*(El-V) + (ge*(0-V)+gi*(EI-V)+f*(sB-sA)*(ES-V)+uH)/area + u + Iext
	point := map[string]float64{m.Input: Iext, m.Time: 0}
	for _, p := range m.Params {
		point[p.Local] = p.Default
	}
	vals := map[string]float64{"V": V, "E.g": ge, "I.g": gi, "S.A": sA, "S.B": sB, "D.u": u, "H.u": uH}
	for _, st := range m.States {
		point[st.Local] = vals[st.Name]
	}
	got, err := evalModel(m, point)
	if err != nil {
		t.Fatal(err)
	}
	if dv := got[m.States[0].Deriv.Local]; math.Abs(dv-wantDV) > 1e-12*math.Abs(wantDV) {
		t.Errorf("dV/dt = %.15g mV/ms, want %.15g", dv, wantDV)
	}
	// Each receptor state decays: dx/dt = -x/tau.
	taus := map[string]float64{"E.g": 5, "I.g": 10, "S.A": tr, "S.B": td, "D.u": 2, "H.u": 10}
	for _, st := range m.States[1:] {
		if st.Kind != ir.Receptor {
			continue
		}
		want := -vals[st.Name] / taus[st.Name]
		if d := got[st.Deriv.Local]; math.Abs(d-want) > 1e-15*math.Abs(want) {
			t.Errorf("d%s/dt = %g, want %g", st.Name, d, want)
		}
	}
}

// TestReceptorLinks: after the middle end, which copies the model, each receptor's states are
// the model's, and its current is one of the model's statements.
func TestReceptorLinks(t *testing.T) {
	m := loadModel(t, filepath.Join("testdata", "derivs", "receptors.yaml"), check.Options{})
	stmts := map[*ir.Stmt]bool{}
	for _, st := range append(append([]*ir.Stmt{}, m.Pre...), m.Body...) {
		stmts[st] = true
	}
	for _, r := range m.Receptors {
		if !stmts[r.Current] {
			t.Errorf("receptor %s: its current is not a statement of the model", r.Name)
		}
		for _, st := range r.States {
			if !containsState(m.States, st) || st.Receptor != r {
				t.Errorf("receptor %s: state %s is not the model's, or not linked back", r.Name, st.Name)
			}
		}
		for _, inc := range r.Events {
			if !containsState(r.States, inc.State) {
				t.Errorf("receptor %s: its event increments %s, not one of its states", r.Name, inc.State.Name)
			}
		}
	}
}

func containsState(list []*ir.State, st *ir.State) bool {
	for _, x := range list {
		if x == st {
			return true
		}
	}
	return false
}

// TestNMDABlock holds the stock NMDA receptor's current under voltage clamp to Jahr and
// Stevens' (1990) magnesium block, computed here: I = g (E − V) / (1 + [Mg] e^(−0.062 V) / 3.57)
// with g = f (B − A), over the range of V a neuron visits and for two concentrations of Mg;
// and checks the block's size at −60 mV and 1 mM against the paper's figure (about 8% of the
// conductance open).
func TestNMDABlock(t *testing.T) {
	for _, mg := range []float64{1, 2} {
		src := fmt.Sprintf("neurogen: 1\nmodel: M\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\n"+
			"channels:\n  L: {g_max: 0.1 mS/cm2, E: -70 mV, current: g_max*(E - V)}\n"+
			"receptors:\n  N: {use: NMDA, Mg: %g mM}\n", mg)
		m, err := check.Load("m.yaml", []byte(src), check.Options{Unoptimized: true})
		if err != nil {
			t.Fatal(err)
		}
		r := m.Receptors[0]
		const area = 1e-3  // cm2, the default membrane area
		A, B := 1e-6, 3e-6 // mS
		tr, td := 2.0, 100.0
		q := tr / td
		f := 1 / ((1 - q) * math.Pow(q, q/(1-q)))
		for V := -100.0; V <= 40; V += 5 {
			point := map[string]float64{m.Input: 0, m.Time: 0}
			for _, p := range m.Params {
				point[p.Local] = p.Default
			}
			for _, st := range m.States {
				point[st.Local] = map[string]float64{"V": V, "N.A": A, "N.B": B}[st.Name]
			}
			vals, err := evalModel(m, point)
			if err != nil {
				t.Fatal(err)
			}
			block := 1 / (1 + mg*math.Exp(-0.062*V)/3.57)
			want := f * (B - A) * (0 - V) * block / area
			if got := vals[r.Current.Local]; math.Abs(got-want) > 1e-12*math.Abs(want)+1e-300 {
				t.Errorf("Mg %g mM, V = %g mV: NMDA current %.15g uA/cm2, want %.15g", mg, V, got, want)
			}
		}
	}
	if b := 1 / (1 + math.Exp(0.062*60)/3.57); b < 0.07 || b > 0.09 {
		t.Errorf("the block at -60 mV leaves %.3f open, want about 0.08", b)
	}
}

// TestKineticReceptorModel checks what the checker makes of the kinetic receptors of
// testdata/derivs/kinetic.yaml: the on and off coefficients of each per-synapse state, from
// the spec's numbers (r' = alpha·T·(1 − r) − beta·r gives AOn = alpha·Cmax, BOn = −(alpha·Cmax
// + beta), BOff = −beta), the pulse, the weight's unit and the three hidden per-neuron states.
func TestKineticReceptorModel(t *testing.T) {
	m := loadModel(t, filepath.Join("testdata", "derivs", "kinetic.yaml"), check.Options{Unoptimized: true})
	type want struct {
		name, state         string
		aOn, bOn, bOff, dur float64
		tvalue              float64
		weight, sum         string
	}
	wants := []want{
		// AMPA with alpha 2 /ms/mM and Cdur 2 ms; beta 0.19 /ms, Cmax 1 mM.
		{"A", "r", 2 * 1, -(2*1 + 0.19), -0.19, 2, 1, "mS", "mS"},
		// GABAB: K1 0.09 /ms/mM, K2 0.0012 /ms, Cmax 0.5 mM, Cdur 0.3 ms; w a number.
		{"B", "R", 0.09 * 0.5, -(0.09*0.5 + 0.0012), -0.0012, 0.3, 0.5, "1", "1"},
		// k_on 3 /ms/uM = 3000 /ms/mM, C 2 uM = 0.002 mM, k_off 0.5 /s = 0.0005 /ms.
		{"K", "s", 3000 * 0.002, -(3000*0.002 + 0.0005), -0.0005, 0.5, 0.002, "mS", "mS"},
	}
	if len(m.Receptors) != len(wants) {
		t.Fatalf("%d receptors, want %d", len(m.Receptors), len(wants))
	}
	close := func(a, b float64) bool { return math.Abs(a-b) <= 1e-15*math.Max(math.Abs(a), math.Abs(b)) }
	for i, w := range wants {
		r := m.Receptors[i]
		k := r.Kinetic
		if r.Name != w.name || k == nil {
			t.Fatalf("receptor %d: %s, kinetic %v; want %s, kinetic", i, r.Name, k != nil, w.name)
		}
		if k.State != w.state || !close(k.AOn, w.aOn) || !close(k.BOn, w.bOn) || !close(k.BOff, w.bOff) || !close(k.Dur, w.dur) || !close(k.TValue, w.tvalue) {
			t.Errorf("receptor %s: %s' = %g + %g·%s in a pulse of %g ms (T = %g), %g·%s after; want %s, %g, %g, %g ms, %g, %g",
				r.Name, k.State, k.AOn, k.BOn, k.State, k.Dur, k.TValue, k.BOff, k.State, w.state, w.aOn, w.bOn, w.dur, w.tvalue, w.bOff)
		}
		if r.WeightUnit != w.weight || len(r.Events) != 0 {
			t.Errorf("receptor %s: weight in %q, %d increments; want %q, none", r.Name, r.WeightUnit, len(r.Events), w.weight)
		}
		for _, c := range []struct {
			st         *ir.State
			name, unit string
		}{{k.On, w.name + "." + w.state + "_on", w.sum}, {k.Off, w.name + "." + w.state + "_off", w.sum}, {k.WOn, w.name + ".w_on", w.weight}} {
			if c.st == nil || c.st.Name != c.name || c.st.Unit != c.unit || c.st.Kind != ir.Receptor || c.st.Receptor != r || !containsState(r.States, c.st) || !containsState(m.States, c.st) {
				t.Errorf("receptor %s: hidden state %v, want %s in %s, of the receptor and the model", r.Name, c.st, c.name, c.unit)
			}
		}
	}
}
