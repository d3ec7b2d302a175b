// Command cobahh runs COBAHH, benchmark 3 of Brette et al. (2007) as Brian2's example defines it,
// from its generated package github.com/neurogen/neurogen/generated/cobahh (neurogen gen
// specs/networks/cobahh.yaml): 3200 excitatory and 800 inhibitory Hodgkin–Huxley neurons with
// exponential conductances, each pair connected with probability 0.02, started as the spec
// draws them. It prints per group the spike count, the mean rate, the mean CV of the
// interspike intervals and the Golomb–Rinzel synchrony χ in 1 ms bins (internal/spikestats),
// and with -spikes writes every spike as CSV lines group,neuron,time_ms.
//
// Run it from the repository root:
//
//	go run ./examples/cobahh
//	go run ./examples/cobahh -t 200ms -workers 2 -spikes spikes.csv
package main

import (
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"time"

	"github.com/neurogen/neurogen/generated/cobahh"
	"github.com/neurogen/neurogen/internal/spikestats"
	"github.com/neurogen/neurogen/runtime"
)

// binMs is the bin of the synchrony measure χ.
const binMs = 1.0

func main() {
	dur := flag.Duration("t", time.Second, "simulated `time` (a whole number of steps of 0.1 ms)")
	workers := flag.Int("workers", 1, "goroutines that step the groups and deliver the spikes")
	spikes := flag.String("spikes", "", "write every spike to `FILE.csv`, as lines group,neuron,time_ms")
	flag.Parse()
	if _, err := run(os.Stdout, float64(*dur)/float64(time.Millisecond), *workers, *spikes); err != nil {
		fmt.Fprintln(os.Stderr, "cobahh:", err)
		os.Exit(1)
	}
}

// run builds the network, runs it for tMs, prints the summary to w and returns it.
func run(w io.Writer, tMs float64, workers int, spikesCSV string) ([]spikestats.Summary, error) {
	steps := int(math.Round(tMs / cobahh.DT))
	if steps < 1 || math.Abs(float64(steps)*cobahh.DT-tMs) > 1e-9*tMs {
		return nil, fmt.Errorf("-t %g ms is not a positive whole number of steps of %g ms", tMs, cobahh.DT)
	}
	net, err := cobahh.New()
	if err != nil {
		return nil, err
	}
	if err := net.Sim.SetWorkers(workers); err != nil {
		return nil, err
	}
	defer net.Sim.Close()
	gs := []runtime.Group{net.Exc, net.Inh}
	groups := []spikestats.Group{{Name: "exc", Neurons: net.Exc.Len()}, {Name: "inh", Neurons: net.Inh.Len()}}
	start := time.Now()
	for range steps {
		if err := net.Sim.Step(); err != nil {
			return nil, err
		}
		for i, g := range gs {
			groups[i].Spikes.Collect(g)
		}
	}
	wall := time.Since(start)
	fmt.Fprintf(w, "COBAHH: %d neurons, %g ms in %d steps of %g ms, %d worker(s): %.2f s\n",
		net.Exc.Len()+net.Inh.Len(), tMs, steps, cobahh.DT, workers, wall.Seconds())
	var sums []spikestats.Summary
	for _, g := range groups {
		s, err := spikestats.Summarize(g, spikestats.Options{End: tMs, Bin: binMs})
		if err != nil {
			return nil, err
		}
		sums = append(sums, s)
	}
	if err := spikestats.WriteTable(w, sums); err != nil {
		return nil, err
	}
	if spikesCSV != "" {
		f, err := os.Create(spikesCSV)
		if err != nil {
			return nil, err
		}
		if err := spikestats.WriteCSV(f, groups); err != nil {
			f.Close()
			return nil, err
		}
		if err := f.Close(); err != nil {
			return nil, err
		}
	}
	return sums, nil
}
