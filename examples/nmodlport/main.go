// Command nmodlport runs the regular-spiking cell of Pospischil et al. (2008) that
// docs/tutorial/nmodl.md ports from NEURON: the .mod files of this directory (nat.mod, kdr.mod,
// im.mod), imported into channels/*.yaml by `neurogen import`, used by rs.yaml, generated into
// the package pospischilrs. It runs the four cells that neuron_run.py ran in NEURON (1 to
// 4 uA/cm2 for 1000 ms, with neurogen's staggered method, which is NEURON's secondorder = 2, at
// NEURON's step) and prints, for each, its spike count in both and the largest difference of
// their spike times, from NEURON's spikes in testdata/neuron.json (no NEURON needed).
//
// Run it from the repository root:
//
//	go run ./examples/nmodlport
package main

//go:generate go run ../../cmd/neurogen import -q nat.mod kdr.mod im.mod -o channels
//go:generate go run ../../cmd/neurogen gen rs.yaml -o pospischilrs

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"math"
	"os"
	"strings"

	"github.com/neurogen/neurogen/examples/nmodlport/pospischilrs"
	"github.com/neurogen/neurogen/internal/spikecmp"
	"github.com/neurogen/neurogen/runtime"
)

//go:embed testdata/neuron.json
var neuronJSON []byte

// neuronRuns returns NEURON's runs of testdata/neuron.json: secondorder = 2 at 0.025 ms (the
// one neurogen's staggered method reproduces), secondorder = 0 at 0.025 ms and secondorder = 2
// at 0.001 ms.
func neuronRuns() ([]*spikecmp.Run, error) {
	var data struct {
		Runs []*spikecmp.Run `json:"runs"`
	}
	if err := json.Unmarshal(neuronJSON, &data); err != nil {
		return nil, fmt.Errorf("testdata/neuron.json: %w", err)
	}
	if len(data.Runs) != 3 {
		return nil, fmt.Errorf("testdata/neuron.json has %d runs, want 3", len(data.Runs))
	}
	return data.Runs, nil
}

// simulate runs the generated cell with the inputs and the step of ref, for ref's duration, and
// returns its spikes in ref's form.
func simulate(ref *spikecmp.Run) (*spikecmp.Run, error) {
	g := pospischilrs.New(len(ref.I))
	copy(g.Input(), ref.I) // uA/cm2
	steps, err := runtime.Steps(ref.T, ref.Dt)
	if err != nil {
		return nil, err
	}
	var sp runtime.Spikes
	runtime.Run(g, &runtime.Clock{Dt: ref.Dt}, steps, &sp)
	run := &spikecmp.Run{Model: g.Model().Name, Label: "neurogen " + g.Model().Method, Dt: ref.Dt, T: ref.T,
		N: len(ref.I), I: ref.I, Spikes: make([][]float64, len(ref.I))}
	for k, i := range sp.Neuron {
		run.Spikes[i] = append(run.Spikes[i], sp.Time[k])
	}
	return run, nil
}

func main() {
	if err := report(os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// report runs the cell as NEURON's runs did and writes the comparison.
func report(w io.Writer) error {
	refs, err := neuronRuns()
	if err != nil {
		return err
	}
	ng, err := simulate(refs[0])
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "%s (%s, dt = %g ms) against NEURON's runs of the same .mod files, %g ms:\n", ng.Model, ng.Label, ng.Dt, ng.T)
	fmt.Fprintln(w, "spike counts, and the largest difference of paired spike times (ms)")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "               neurogen    NEURON secondorder=2     NEURON secondorder=0    NEURON secondorder=2")
	fmt.Fprintln(w, "                           dt 0.025 ms              dt 0.025 ms             dt 0.001 ms")
	var cmp [3]spikecmp.Result
	for k, ref := range refs {
		cmp[k] = spikecmp.Compare(ng, ref, math.Inf(1))
	}
	for i, n := range cmp[0].PerNeuron {
		line := fmt.Sprintf("%4.3g uA/cm2  %8d", n.I, n.RunCount)
		for k := range cmp {
			m := cmp[k].PerNeuron[i]
			line += fmt.Sprintf("    %4d  %-15.2g", m.TruthCount, m.MaxErr)
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	return nil
}
