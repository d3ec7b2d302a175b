package generated_test

import (
	"fmt"
	"testing"

	"github.com/neurogen/neurogen/generated/cobahh"
	"github.com/neurogen/neurogen/generated/cobahh/cobahhneuron"
)

// cobahhOutDegree returns, per group of the generated COBAHH network (exc, inh), each neuron's
// number of outgoing synapses over every projection of its Sim.
func cobahhOutDegree(tb testing.TB, net *cobahh.Network) [2][]int64 {
	tb.Helper()
	out := [2][]int64{make([]int64, net.Exc.Len()), make([]int64, net.Inh.Len())}
	pre := map[string]int{"exc_all_to_exc": 0, "exc_all_to_inh": 0, "inh_all_to_exc": 1, "inh_all_to_inh": 1}
	for name, g := range pre {
		p := net.Sim.Projection(name)
		if p == nil {
			tb.Fatalf("the generated COBAHH has no projection %s (it has %v)", name, net.Sim.Projections())
		}
		start := p.Start()
		for i := range p.NPre() {
			out[g][i] += int64(start[i+1] - start[i])
		}
	}
	return out
}

// cobahhCount adds the spikes of the last step and the synaptic events they cause.
func cobahhCount(groups [2]*cobahhneuron.Group, out [2][]int64, spikes, events *int64) {
	for gi, g := range groups {
		for i, s := range g.Spiked() {
			if s {
				*spikes++
				*events += out[gi][i]
			}
		}
	}
}

// TestCOBAHHStepAllocatesNothing: a step of the generated COBAHH network (groups, spike
// propagation into the receptors), with 1 and 2 workers, allocates nothing, in steps where
// spikes are delivered.
func TestCOBAHHStepAllocatesNothing(t *testing.T) {
	for _, workers := range []int{1, 2} {
		net, err := cobahh.New()
		if err != nil {
			t.Fatal(err)
		}
		if err := net.Sim.SetWorkers(workers); err != nil {
			t.Fatal(err)
		}
		out := cobahhOutDegree(t, net)
		groups := [2]*cobahhneuron.Group{net.Exc, net.Inh}
		if err := net.Sim.Run(20); err != nil {
			t.Fatal(err)
		}
		var spikes, events int64
		allocs := testing.AllocsPerRun(30, func() {
			if err := net.Sim.Step(); err != nil {
				t.Fatal(err)
			}
			cobahhCount(groups, out, &spikes, &events)
		})
		net.Sim.Close()
		if allocs != 0 {
			t.Errorf("%d workers: %v allocations per network step", workers, allocs)
		}
		// The steps measured must have delivered spikes, or propagation went untested.
		if spikes == 0 || events == 0 {
			t.Errorf("%d workers: %d spikes and %d synaptic events in the measured steps, want some", workers, spikes, events)
		}
	}
}

// BenchmarkCOBAHHStep times a step of the generated COBAHH network (N = 4000, 320 013
// synapses), groups and propagation together, after 100 ms of warm-up, with 1 and 2 workers,
// and reports ns per neuron-step and ns per synaptic event (the events of the spikes of the
// steps timed: the sum of the spiking neurons' out-degrees); 0 allocs/op.
//
//	go test -run '^$' -bench COBAHHStep ./generated
func BenchmarkCOBAHHStep(b *testing.B) {
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("N=4000/workers=%d", workers), func(b *testing.B) {
			net, err := cobahh.New()
			if err != nil {
				b.Fatal(err)
			}
			if err := net.Sim.SetWorkers(workers); err != nil {
				b.Fatal(err)
			}
			defer net.Sim.Close()
			out := cobahhOutDegree(b, net)
			groups := [2]*cobahhneuron.Group{net.Exc, net.Inh}
			if err := net.Sim.Run(1000); err != nil {
				b.Fatal(err)
			}
			n := net.Exc.Len() + net.Inh.Len()
			var spikes, events int64
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if err := net.Sim.Step(); err != nil {
					b.Fatal(err)
				}
				cobahhCount(groups, out, &spikes, &events)
			}
			ns := float64(b.Elapsed().Nanoseconds())
			b.ReportMetric(ns/float64(b.N)/float64(n), "ns/neuron-step")
			if events > 0 {
				b.ReportMetric(ns/float64(events), "ns/syn-event")
			}
			b.ReportMetric(float64(events)/float64(b.N), "syn-events/step")
		})
	}
}
