// Command cobahh runs COBAHH, benchmark 3 of Brette et al. (2007) as Brian2's example defines it,
// from its generated package github.com/neurogen/neurogen/generated/cobahh (neurogen gen
// specs/networks/cobahh.yaml): 3200 excitatory and 800 inhibitory Hodgkin–Huxley neurons with
// exponential conductances, each pair connected with probability 0.02, started as the spec
// draws them. It prints per group the spike count, the mean rate, the mean CV of the
// interspike intervals and the synchrony of the population (the CV of its spike count per
// 10 ms bin), and with -spikes writes every spike as CSV lines group,neuron,time_ms.
//
// Run it from the repository root:
//
//	go run ./examples/cobahh
//	go run ./examples/cobahh -t 200ms -workers 2 -spikes spikes.csv
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"time"

	"github.com/neurogen/neurogen/generated/cobahh"
	"github.com/neurogen/neurogen/runtime"
)

// binMs is the bin of the population counts whose CV measures synchrony.
const binMs = 10.0

func main() {
	dur := flag.Duration("t", time.Second, "simulated `time` (a whole number of steps of 0.1 ms)")
	workers := flag.Int("workers", 1, "goroutines that step the groups and deliver the spikes")
	spikes := flag.String("spikes", "", "write every spike to `FILE.csv`, as lines group,neuron,time_ms")
	flag.Parse()
	if err := run(os.Stdout, float64(*dur)/float64(time.Millisecond), *workers, *spikes); err != nil {
		fmt.Fprintln(os.Stderr, "cobahh:", err)
		os.Exit(1)
	}
}

// group is one group's spikes over the run.
type group struct {
	name   string
	g      runtime.Group
	spikes runtime.Spikes
}

// run builds the network, runs it for tMs and prints the summary to w.
func run(w io.Writer, tMs float64, workers int, spikesCSV string) error {
	steps := int(math.Round(tMs / cobahh.DT))
	if steps < 1 || math.Abs(float64(steps)*cobahh.DT-tMs) > 1e-9*tMs {
		return fmt.Errorf("-t %g ms is not a positive whole number of steps of %g ms", tMs, cobahh.DT)
	}
	net, err := cobahh.New()
	if err != nil {
		return err
	}
	if err := net.Sim.SetWorkers(workers); err != nil {
		return err
	}
	defer net.Sim.Close()
	groups := []*group{{name: "exc", g: net.Exc}, {name: "inh", g: net.Inh}}
	start := time.Now()
	for range steps {
		if err := net.Sim.Step(); err != nil {
			return err
		}
		for _, gr := range groups {
			gr.spikes.Collect(gr.g)
		}
	}
	wall := time.Since(start)
	fmt.Fprintf(w, "COBAHH: %d neurons, %g ms in %d steps of %g ms, %d worker(s): %.2f s\n",
		net.Exc.Len()+net.Inh.Len(), tMs, steps, cobahh.DT, workers, wall.Seconds())
	fmt.Fprintf(w, "%-6s %8s %9s %8s %10s\n", "group", "spikes", "rate (Hz)", "ISI CV", "synchrony")
	for _, gr := range groups {
		s := summarize(&gr.spikes, gr.g.Len(), tMs)
		fmt.Fprintf(w, "%-6s %8d %9.2f %8.3f %10.3f\n", gr.name, s.spikes, s.rate, s.cv, s.synchrony)
	}
	if spikesCSV != "" {
		return writeSpikes(spikesCSV, groups)
	}
	return nil
}

// summary is one group's activity.
type summary struct {
	spikes    int
	rate      float64 // mean rate, Hz
	cv        float64 // mean CV of the interspike intervals of the neurons with 2 or more; NaN if none
	synchrony float64 // CV of the population's spike count per binMs bin
}

// summarize computes a group's summary from its spikes, over n neurons and tMs.
func summarize(s *runtime.Spikes, n int, tMs float64) summary {
	out := summary{spikes: s.Len(), rate: float64(s.Len()) / float64(n) / (tMs / 1000)}
	last := make([]float64, n)
	for i := range last {
		last[i] = math.NaN()
	}
	// Per neuron, the sum and sum of squares of its intervals, in spike order.
	cnt := make([]int, n)
	sum := make([]float64, n)
	ss := make([]float64, n)
	bins := make([]float64, int(math.Ceil(tMs/binMs)))
	for k, i := range s.Neuron {
		t := s.Time[k]
		if !math.IsNaN(last[i]) {
			d := t - last[i]
			cnt[i]++
			sum[i] += d
			ss[i] += d * d
		}
		last[i] = t
		b := min(int(t/binMs), len(bins)-1)
		bins[max(b, 0)]++
	}
	cvs, m := 0.0, 0
	for i := range n {
		if cnt[i] >= 2 {
			mean := sum[i] / float64(cnt[i])
			cvs += math.Sqrt(max(ss[i]/float64(cnt[i])-mean*mean, 0)) / mean
			m++
		}
	}
	out.cv = math.NaN()
	if m > 0 {
		out.cv = cvs / float64(m)
	}
	mean, sq := 0.0, 0.0
	for _, c := range bins {
		mean += c
	}
	mean /= float64(len(bins))
	for _, c := range bins {
		sq += (c - mean) * (c - mean)
	}
	out.synchrony = math.Sqrt(sq/float64(len(bins))) / mean
	return out
}

// writeSpikes writes every group's spikes as CSV: a header line group,neuron,time_ms, then the
// spikes group by group, each group's in the order they were recorded.
func writeSpikes(path string, groups []*group) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	b := bufio.NewWriter(f)
	b.WriteString("group,neuron,time_ms\n")
	for _, gr := range groups {
		for k, i := range gr.spikes.Neuron {
			b.WriteString(gr.name)
			b.WriteByte(',')
			b.WriteString(strconv.Itoa(int(i)))
			b.WriteByte(',')
			b.WriteString(strconv.FormatFloat(gr.spikes.Time[k], 'g', -1, 64))
			b.WriteByte('\n')
		}
	}
	if err := b.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
