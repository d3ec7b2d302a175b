package generated_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"testing"

	"github.com/neurogen/neurogen/generated/thalamicrelay"
	"github.com/neurogen/neurogen/generated/traubmilespyramidal"
	"github.com/neurogen/neurogen/runtime"
)

// rebound is the relay neuron's rebound-burst reference (thalamic_relay_rebound.json).
type rebound struct {
	Label    string  `json:"label"`
	Dt       float64 `json:"dt_ms"`
	Protocol struct {
		Rest    float64 `json:"rest_ms"`
		Hold    float64 `json:"hold_ms"`
		After   float64 `json:"after_ms"`
		I       float64 `json:"I_hold_uA_cm2"`
		Release float64 `json:"t_release_ms"`
	} `json:"protocol"`
	VRelease float64   `json:"V_release_mV"`
	VMin     float64   `json:"V_min_hold_mV"`
	Before   []float64 `json:"spikes_before_release"`
	After    []float64 `json:"spikes_after_release"`
	Count    int       `json:"burst_spike_count"`
	Latency  float64   `json:"first_spike_latency_ms"`
}

// TestThalamicRelayReboundBurst: the relay neuron at rest for 100 ms, held near −84 mV by a
// hyperpolarising step for 500 ms, then released, fires a rebound burst whose spike count equals
// the reference's and whose first-spike latency after release (and every burst spike) is within
// 1e-6 ms of it, V at release within 1e-6 mV: both are rk4 at 0.005 ms on the same equations, so
// only rounding differs, as in the current-clamp comparison (sameRK4).
func TestThalamicRelayReboundBurst(t *testing.T) {
	b, err := os.ReadFile(modelsRefDir + "thalamic_relay_rebound.json")
	if err != nil {
		t.Fatal(err)
	}
	var ref rebound
	if err := json.Unmarshal(b, &ref); err != nil {
		t.Fatal(err)
	}
	p := ref.Protocol
	if ref.Count < 2 || len(ref.Before) != 0 || math.Abs(ref.VRelease+84) > 2 {
		t.Fatalf("reference: %d spikes after release, %d before, V %.2f mV at release; want a burst, none before, about -84 mV",
			ref.Count, len(ref.Before), ref.VRelease)
	}

	g := thalamicrelay.New(1)
	clk := &runtime.Clock{Dt: ref.Dt}
	var sp runtime.Spikes
	vMin, vRelease := math.Inf(1), math.NaN()
	for k, seg := range []struct{ ms, I float64 }{{p.Rest, 0}, {p.Hold, p.I}, {p.After, 0}} {
		g.Input()[0] = seg.I
		steps, err := runtime.Steps(seg.ms, ref.Dt)
		if err != nil {
			t.Fatal(err)
		}
		for range steps {
			g.Step(clk.T(), clk.Dt)
			clk.Advance()
			sp.Collect(g)
			if k == 1 {
				vMin = min(vMin, g.V[0])
			}
		}
		if k == 1 {
			vRelease = g.V[0]
		}
	}
	var before, after []float64
	for _, st := range sp.Time {
		if st < p.Release {
			before = append(before, st)
		} else {
			after = append(after, st)
		}
	}
	t.Logf("V %.4f mV at release (reference %.4f), lowest %.4f mV during the hold (reference %.4f)", vRelease, ref.VRelease, vMin, ref.VMin)
	t.Logf("burst after release at %v ms: %d spikes (reference %d)", after, len(after), ref.Count)
	if len(before) != 0 {
		t.Errorf("spikes before release at %v ms, want none", before)
	}
	if !(math.Abs(vRelease-ref.VRelease) <= 1e-6) {
		t.Errorf("V at release %.6f mV, reference %.6f mV", vRelease, ref.VRelease)
	}
	if len(after) != ref.Count {
		t.Fatalf("%d spikes in the rebound burst, reference %d", len(after), ref.Count)
	}
	latency := after[0] - p.Release
	t.Logf("first-spike latency %.6f ms, reference %.6f ms: difference %.3g ms", latency, ref.Latency, latency-ref.Latency)
	if !(math.Abs(latency-ref.Latency) <= 1e-6) {
		t.Errorf("first-spike latency %.9f ms, reference %.9f ms: want within 1e-6 ms", latency, ref.Latency)
	}
	for k := range after {
		if d := math.Abs(after[k] - ref.After[k]); !(d <= 1e-6) {
			t.Errorf("burst spike %d at %.9f ms, reference %.9f ms", k, after[k], ref.After[k])
		}
	}
}

// TestMCurrentHeterogeneity: the pyramidal cell's M-current conductance is a per-neuron
// parameter. Spread across a population driven by the same current, it sets each neuron's
// adaptation: the more M current, the fewer spikes in a second, strictly. The same
// conductances in reverse order give the same counts in reverse order, so each neuron reads
// its own value.
func TestMCurrentHeterogeneity(t *testing.T) {
	gM := []float64{0, 0.05, 0.1, 0.2, 0.3, 0.4} // mS/cm2; the spec's value is 0.075
	counts := func(gM []float64) []int {
		g := traubmilespyramidal.New(len(gM))
		copy(g.IMGMax, gM)
		for i := range g.Input() {
			g.Input()[i] = 4 // uA/cm2
		}
		var sp runtime.Spikes
		runtime.Run(g, &runtime.Clock{Dt: 0.01}, 100000, &sp) // 1000 ms
		return sp.Counts(len(gM))
	}
	c := counts(gM)
	t.Logf("M-current g_max %v mS/cm2: %v spikes in 1000 ms at 4 uA/cm2", gM, c)
	for i := 1; i < len(c); i++ {
		if !(c[i] < c[i-1]) {
			t.Errorf("g_max %g mS/cm2 gives %d spikes, g_max %g gives %d: want strictly fewer with more M current", gM[i], c[i], gM[i-1], c[i-1])
		}
	}
	rev := slices.Clone(gM)
	slices.Reverse(rev)
	rc := counts(rev)
	slices.Reverse(rc)
	if !slices.Equal(rc, c) {
		t.Errorf("reversed conductances give counts %v (reversed back), want %v", rc, c)
	}
	// SetParam of a per-neuron parameter sets it for every neuron.
	g := traubmilespyramidal.New(3)
	if err := g.SetParam("IM.g_max", 0.3); err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(g.IMGMax); got != "[0.3 0.3 0.3]" {
		t.Errorf("after SetParam(IM.g_max, 0.3): %s", got)
	}
}
