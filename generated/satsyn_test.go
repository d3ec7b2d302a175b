package generated_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/neurogen/neurogen/generated/satsyn"
	"github.com/neurogen/neurogen/runtime"
)

// TestSatSynEvents holds the generated event functions of satsyn (testdata/saturating.yaml) to
// values computed here: between steps each conductance decays by e^(−dt/τ) (exp_auto is exact
// for it), and each event arriving in a step applies, in presynaptic order, Sat's
// g + w·(gmax − g)/gmax, Max's max(g, w), or Lin's g + w (delivered by adding weights). Neuron 0
// takes two events in step 5.
func TestSatSynEvents(t *testing.T) {
	const dt, gmax, steps = 0.1, 2e-6, 30 // ms, mS (2 nS)
	spikes := [][]int64{{2, 5}, {5}, {8}}
	sim, _ := runtime.NewSim(dt)
	post := satsyn.New(2)
	if err := errors.Join(sim.Add("pre", newSpikeSource(3, spikes)), sim.Add("post", post)); err != nil {
		t.Fatal(err)
	}
	// 0 → 0 (1.5 nS), 1 → 0 (1.2 nS), 0 → 1 (0.5 nS), 2 → 1 (3 nS), weights in mS.
	pre, dst, w := []int32{0, 0, 1, 2}, []int32{0, 1, 0, 1}, []float64{1.5e-6, 0.5e-6, 1.2e-6, 3e-6}
	for _, r := range []string{"Sat", "Max", "Lin"} {
		p, err := runtime.FromPairs(3, 2, pre, dst, w, runtime.ConnectOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if err := sim.ConnectReceptor(r, "pre", "post", r, p); err != nil {
			t.Fatal(err)
		}
	}
	arrive := map[int64][][2]float64{} // step → (neuron, w) in delivery order
	for i, steps := range spikes {
		for _, k := range steps {
			for q := range pre {
				if int(pre[q]) == i {
					arrive[k] = append(arrive[k], [2]float64{float64(dst[q]), w[q]})
				}
			}
		}
	}
	var sat, mx, lin [2]float64
	for k := range int64(steps) {
		if err := sim.Step(); err != nil {
			t.Fatal(err)
		}
		for j := range 2 {
			sat[j] *= math.Exp(-dt / 5)
			mx[j] *= math.Exp(-dt / 10)
			lin[j] *= math.Exp(-dt / 5)
		}
		for _, a := range arrive[k] {
			j, w := int(a[0]), a[1]
			sat[j] += w * (gmax - sat[j]) / gmax
			mx[j] = max(mx[j], w)
			lin[j] += w
		}
		for j := range 2 {
			for _, c := range []struct {
				name      string
				got, want float64
			}{{"Sat.g", post.SatG[j], sat[j]}, {"Max.g", post.MaxG[j], mx[j]}, {"Lin.g", post.LinG[j], lin[j]}} {
				if math.Abs(c.got-c.want) > 1e-12*gmax {
					t.Fatalf("after step %d: %s[%d] = %g, want %g", k, c.name, j, c.got, c.want)
				}
			}
		}
	}
	// The two events of step 5 into neuron 0 saturate: less than their sum, below gmax.
	if post.SatG[0] >= post.LinG[0] || post.SatG[0] >= gmax {
		t.Errorf("Sat.g[0] = %g, Lin.g[0] = %g: the events did not saturate", post.SatG[0], post.LinG[0])
	}
}

// TestSatSynWorkers: projections into satsyn's event functions give the same bits for 1, 2 and
// 3 workers, and a step allocates nothing.
func TestSatSynWorkers(t *testing.T) {
	const npre, npost = 40, 1200
	var want [][]float64
	for _, workers := range []int{1, 2, 3} {
		rng := rand.New(rand.NewPCG(5, 6))
		spikes := make([][]int64, npre)
		for i := range spikes {
			for k := range int64(60) {
				if rng.Float64() < 0.08 {
					spikes[i] = append(spikes[i], k)
				}
			}
		}
		sim, _ := runtime.NewSim(0.1)
		post := satsyn.New(npost)
		if err := errors.Join(sim.Add("pre", newSpikeSource(npre, spikes)), sim.Add("post", post)); err != nil {
			t.Fatal(err)
		}
		for _, r := range []string{"Sat", "Max"} {
			p, err := runtime.FixedProbability(npre, npost, 0.3, runtime.ConnectOptions{Seed: 9})
			if err != nil {
				t.Fatal(err)
			}
			ws := make([]float64, p.Len())
			for q := range ws {
				ws[q] = (0.2 + rng.Float64()) * 1e-6
			}
			if err := errors.Join(p.SetWeights64(ws), p.SetDelay(1), sim.ConnectReceptor(r, "pre", "post", r, p)); err != nil {
				t.Fatal(err)
			}
		}
		if err := errors.Join(sim.SetWorkers(workers), sim.Run(50)); err != nil {
			t.Fatal(err)
		}
		if n := testing.AllocsPerRun(5, func() { _ = sim.Step() }); n != 0 {
			t.Errorf("%d workers: %g allocations per step", workers, n)
		}
		got := [][]float64{post.SatG, post.MaxG}
		if workers == 1 {
			want = got
			continue
		}
		for a := range want {
			for i := range want[a] {
				if math.Float64bits(got[a][i]) != math.Float64bits(want[a][i]) {
					t.Fatalf("%d workers: state %d [%d] = %v, 1 worker %v", workers, a, i, got[a][i], want[a][i])
				}
			}
		}
	}
}

// TestSatSynParam: the event function reads the group's parameters as they are now (SetParam),
// not the spec's values folded in: with gmax = 4 nS, an event of 1 nS onto 1 nS gives
// 1 + 1·(4 − 1)/4 = 1.75 nS, and with the spec's 2 nS, 1.5 nS.
func TestSatSynParam(t *testing.T) {
	g := satsyn.New(2)
	apply := g.Model().Receptor("Sat").Apply
	if err := g.SetParam("Sat.gmax", 4e-6); err != nil {
		t.Fatal(err)
	}
	g.SatG[1] = 1e-6
	apply(g, 1, 1e-6)
	if math.Abs(g.SatG[1]-1.75e-6) > 1e-20 || g.SatG[0] != 0 {
		t.Errorf("gmax 4 nS: Sat.g = %v, want [0 1.75e-06]", g.SatG)
	}
	g.Params = satsyn.DefaultParams()
	g.SatG[1] = 1e-6
	apply(g, 1, 1e-6)
	if math.Abs(g.SatG[1]-1.5e-6) > 1e-20 {
		t.Errorf("gmax 2 nS: Sat.g[1] = %g, want 1.5e-06", g.SatG[1])
	}
}
