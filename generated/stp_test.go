package generated_test

import (
	"math"
	"testing"

	"github.com/neurogen/neurogen/generated/stp"
)

// near12 reports whether a and b agree to 1e-12 relative.
func near12(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-12*math.Max(math.Abs(a), math.Abs(b))
}

// stpRun runs the generated STP network (specs/networks/stp.yaml) for steps steps and returns
// the steps at which each presynaptic neuron spiked; check is called after every step.
func stpRun(t *testing.T, net *stp.Network, steps int, check func(k int)) [][]int {
	t.Helper()
	trains := make([][]int, len(net.Pre.Spiked()))
	for k := range steps {
		if err := net.Sim.Step(); err != nil {
			t.Fatal(err)
		}
		for i, s := range net.Pre.Spiked() {
			if s {
				trains[i] = append(trains[i], k)
			}
		}
		check(k)
	}
	return trains
}

// TestSTPExpressions checks the generated plasticity written as expressions: Tsodyks–Markram as
// expressions delivers the stock model's weights, to 1e-12 relative, at every step of an
// irregular train, per connection and per presynaptic neuron (each into a receptor of its own,
// whose conductances then agree); its generated rule gives, event after event of a real train,
// the release of the published recurrence, with facilitation and depression both at work; and
// the second rule, depression towards a floor recovering by its `deriv`, gives what is
// computed here by hand.
func TestSTPExpressions(t *testing.T) {
	net, err := stp.New()
	if err != nil {
		t.Fatal(err)
	}
	sc, ec, sp, ep := net.Post.Var("Sc.g"), net.Post.Var("Ec.g"), net.Post.Var("Sp.g"), net.Post.Var("Ep.g")
	events := 0
	trains := stpRun(t, net, 4000, func(k int) {
		for j := range sc {
			if !near12(ec[j], sc[j]) || !near12(ep[j], sp[j]) {
				t.Fatalf("step %d, neuron %d: per connection %.17g (expressions) and %.17g (stock), per presynaptic neuron %.17g and %.17g",
					k, j, ec[j], sc[j], ep[j], sp[j])
			}
			if sc[j] != sp[j] {
				t.Fatalf("step %d, neuron %d: the stock model per connection %.17g, per presynaptic neuron %.17g: all-to-all from rest, they agree", k, j, sc[j], sp[j])
			}
		}
		if sc[0] > 0 {
			events++
		}
	})
	train := trains[0]
	if events == 0 || len(train) < 15 {
		t.Fatalf("%d spikes of pre 0, post conductances nonzero at %d steps: want a train", len(train), events)
	}
	gaps := map[int]bool{}
	for n := 1; n < len(train); n++ {
		gaps[train[n]-train[n-1]] = true
	}
	if len(gaps) < 5 {
		t.Errorf("pre 0's train has %d distinct intervals: want an irregular one", len(gaps))
	}

	// The generated rule over pre 0's train, against the recurrence of Markram, Wang & Tsodyks
	// (1998): u_1 = U, x_1 = 1, u_(n+1) = U + u_n(1−U)e^(−Δ/τ_facil),
	// x_(n+1) = 1 + (x_n − u_n·x_n − 1)e^(−Δ/τ_rec), release u_n·x_n.
	const U, tauRec, tauFacil = 0.2, 200.0, 500.0
	for _, name := range []string{"expr_conn", "expr_pre"} {
		r, ok := net.Sim.PlasticRule(name)
		if !ok || len(r.States) != 2 || r.Rest[0] != 1 || r.Rest[1] != U || r.PerPresynaptic != (name == "expr_pre") {
			t.Fatalf("%s: rule %+v, %v", name, r, ok)
		}
		s := append([]float64(nil), r.Rest...)
		u, x, maxU, minX := U, 1.0, 0.0, 1.0
		for n, k := range train {
			var f float64
			if n == 0 {
				f = r.Event(s, 0, false)
			} else {
				delta := float64(k-train[n-1]) * stp.DT
				u, x = U+u*(1-U)*math.Exp(-delta/tauFacil), 1+(x-u*x-1)*math.Exp(-delta/tauRec)
				f = r.Event(s, delta, true)
			}
			if !near12(f, u*x) {
				t.Errorf("%s: event %d: release %.17g, want %.17g", name, n, f, u*x)
			}
			maxU, minX = max(maxU, u), min(minX, x)
		}
		if !(maxU > 1.5*U && minX < 0.7) {
			t.Errorf("%s: u reaches %g and x falls to %g: want facilitation and depression both", name, maxU, minX)
		}
	}
	r, ok := net.Sim.PlasticRule("floor")
	if !ok || len(r.States) != 1 {
		t.Fatalf("floor: rule %+v, %v", r, ok)
	}
	s := []float64{r.Rest[0]}
	x, floored := 1.0, 0
	for n, k := range train {
		if n > 0 {
			x = 1 - (1-x)*math.Exp(-float64(k-train[n-1])*stp.DT/200)
		}
		if f := r.Event(s, float64(k-train[max(n-1, 0)])*stp.DT, n > 0); !near12(f, x) {
			t.Errorf("floor: event %d: %.17g, want %.17g", n, f, x)
		}
		if 0.6*x < 0.2 {
			floored++
		}
		x = math.Max(0.6*x, 0.2)
	}
	if floored == 0 {
		t.Error("floor: the train never reaches the floor")
	}
}

// TestSTPExpressionsAllocs: a step of the generated STP network, whose rules run as generated
// functions (per connection and per presynaptic neuron) beside the stock model, allocates
// nothing once events flow, as SetPlasticRule promises for an Event that allocates nothing.
func TestSTPExpressionsAllocs(t *testing.T) {
	net, err := stp.New()
	if err != nil {
		t.Fatal(err)
	}
	if err := net.Sim.Run(300); err != nil {
		t.Fatal(err)
	}
	if net.Post.Var("Ec.g")[0] == 0 {
		t.Fatal("no event reached post through expr_conn in 300 steps")
	}
	if n := testing.AllocsPerRun(100, func() { _ = net.Sim.Step() }); n != 0 {
		t.Errorf("%g allocations per step", n)
	}
}
