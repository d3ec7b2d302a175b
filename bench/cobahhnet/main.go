// Command cobahhnet is the neurogen side of the COBAHH benchmark (bench/cobahh): it builds COBAHH
// (Brette et al. 2007, benchmark 3, as Brian2's example) at any size from the generated package
// generated/cobahh, steps it with the runtime's Sim, and prints one JSON object.
//
// Usage:
//
//	go run ./bench/cobahhnet [-n 4000] [-t 1000] [-workers 1] [-seed 1] [-weights const|f32|f64] [-variant exact]
//	go run ./bench/cobahhnet -report DIR   # the Markdown tables of DIR/raw/*.json
//
// The network is the generated package's: groups exc (the first 80 %) and inh of its
// cobahhneuron model, initial values as its Init draws them (Init fills groups of any size),
// and the four projections of the spec with their weights (6 nS, 67 nS) and delay (0 steps),
// each drawn by runtime.FixedProbability with p = 80/N (80 inputs per neuron at every N) and
// the spec's stream (cobahhref.SpecStream), so that at N = 4000 it is the generated New's
// network exactly. -weights f32 or f64 stores every connection's weight (the same value) per
// synapse, as a projection with per-connection weights does.
//
// -variant picks the neuron model's package: exact is generated/cobahh's own (exp_auto, exact
// arithmetic); bench/cobahh adds the fast switches (cobahh_neuron.yaml generated with -tables
// and -simd) in a variants_gen.go of a module of its own, as bench/variants does for HH52.
// A variant's groups start from the exact groups' initial values, copied state by state.
//
// The timed part is the loop of Sim.Step calls (groups, spike propagation and receptor
// updates) together with a count of each step's spikes and of the synaptic events they cause
// (the sum of the spiking neurons' out-degrees). It reports the time per simulated second,
// neuron-steps per second, synaptic events per second and the bytes of connectivity per
// synapse (the projections' Bytes over their synapse count).
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"path/filepath"
	goruntime "runtime"
	"slices"
	"time"
	"unsafe"

	"github.com/neurogen/neurogen/generated/cobahh"
	"github.com/neurogen/neurogen/generated/cobahh/cobahhneuron"
	"github.com/neurogen/neurogen/internal/cobahhref"
	"github.com/neurogen/neurogen/runtime"
)

// Result is one run's JSON, the shape every COBAHH runner of bench/cobahh writes.
type Result struct {
	Tool          string  `json:"tool"`
	Config        string  `json:"config"`
	Threads       int     `json:"threads"`
	N             int     `json:"N"`
	Synapses      int64   `json:"n_synapses"`
	TMs           float64 `json:"t_ms"`
	DtMs          float64 `json:"dt_ms"`
	SetupS        float64 `json:"setup_s"`
	RunS          float64 `json:"run_s"`
	Spikes        int64   `json:"n_spikes"`
	Events        int64   `json:"n_events,omitempty"`
	BytesPerSyn   float64 `json:"bytes_per_synapse,omitempty"`
	BytesPerSynPC float64 `json:"bytes_per_synapse_per_connection_f32,omitempty"`
	Note          string  `json:"note,omitempty"`
}

// variants maps a name given to -variant to the constructor of a COBAHH neuron group.
var variants = map[string]func(n int) runtime.Group{
	"exact": func(n int) runtime.Group { return cobahhneuron.New(n) },
}

// variantFlags names each variant's neurogen gen flags, for the report.
var variantFlags = map[string]string{"exact": "exp_auto, exact"}

func main() {
	n := flag.Int("n", 4000, "number of neurons (the first 80 % excitatory); 80 inputs per neuron")
	tMs := flag.Float64("t", 1000, "simulated time (ms)")
	workers := flag.Int("workers", 1, "workers of the Sim")
	seed := flag.Uint64("seed", cobahh.Seed, "seed of the connectivity and the initial values, as the generated NewSeed takes it")
	weights := flag.String("weights", "const", "weight storage: const (one per projection), f32 or f64 (one per synapse)")
	variant := flag.String("variant", "exact", "the neuron package (see -list)")
	list := flag.Bool("list", false, "list the variants")
	report := flag.String("report", "", "print the tables of `DIR`/raw/*.json instead of running")
	flag.Parse()
	var err error
	if *list {
		for _, k := range slices.Sorted(maps.Keys(variants)) {
			fmt.Printf("%s\t%s\n", k, variantFlags[k])
		}
		return
	}
	if *report != "" {
		err = printReport(os.Stdout, *report)
	} else {
		var r *Result
		r, err = run(*n, *tMs, *workers, *seed, *weights, *variant)
		if err == nil {
			err = json.NewEncoder(os.Stdout).Encode(r)
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "cobahhnet:", err)
		os.Exit(1)
	}
}

// build returns COBAHH of n neurons: the generated package's groups, Init and projections, the
// latter drawn with p = 80/n, with the groups of variant in place of the exact ones.
func build(n int, seed uint64, weights, variant string) (*runtime.Sim, [2]runtime.Group, []*runtime.Projection, error) {
	var groups [2]runtime.Group
	if n < 10 {
		return nil, groups, nil, fmt.Errorf("-n %d: want at least 10 neurons", n)
	}
	mk, ok := variants[variant]
	if !ok {
		return nil, groups, nil, fmt.Errorf("-variant %q: not one of %v", variant, slices.Sorted(maps.Keys(variants)))
	}
	sim, err := runtime.NewSim(cobahh.DT)
	if err != nil {
		return nil, groups, nil, err
	}
	ne := cobahhref.NExc(n)
	net := &cobahh.Network{Sim: sim, Seed: seed, Exc: cobahhneuron.New(ne), Inh: cobahhneuron.New(n - ne)}
	if err := net.Init(); err != nil {
		return nil, groups, nil, err
	}
	groups = [2]runtime.Group{net.Exc, net.Inh}
	if variant != "exact" {
		for k, g := range groups {
			v := mk(g.Len())
			if err := copyState(v, g); err != nil {
				return nil, groups, nil, err
			}
			groups[k] = v
		}
	}
	if err := sim.Add("exc", groups[0]); err != nil {
		return nil, groups, nil, err
	}
	if err := sim.Add("inh", groups[1]); err != nil {
		return nil, groups, nil, err
	}
	p := min(cobahhref.P*4000/float64(n), 1)
	size := map[string]int{"exc": ne, "inh": n - ne}
	// The spec's weights (mS) and receptors, as the generated ConnectNAME set them.
	w := map[string]float64{"exc": 6e-06, "inh": 6.7e-05}
	rec := map[string]string{"exc": "E", "inh": "I"}
	var projs []*runtime.Projection
	for _, pr := range cobahhref.Projections {
		proj, err := runtime.FixedProbability(size[pr.Pre], size[pr.Post], p, runtime.ConnectOptions{
			Seed: seed, Stream: cobahhref.SpecStream(pr.Name, pr.Post), NoSelf: pr.Pre == pr.Post,
		})
		if err != nil {
			return nil, groups, nil, fmt.Errorf("%s onto %s: %w", pr.Name, pr.Post, err)
		}
		switch weights {
		case "const":
			err = proj.SetWeight(w[pr.Pre])
		case "f32":
			ws := make([]float32, proj.Len())
			for k := range ws {
				ws[k] = float32(w[pr.Pre])
			}
			err = proj.SetWeights32(ws)
		case "f64":
			ws := make([]float64, proj.Len())
			for k := range ws {
				ws[k] = w[pr.Pre]
			}
			err = proj.SetWeights64(ws)
		default:
			err = fmt.Errorf("-weights %q: want const, f32 or f64", weights)
		}
		if err != nil {
			return nil, groups, nil, err
		}
		if err := proj.SetDelay(0); err != nil {
			return nil, groups, nil, err
		}
		if err := sim.ConnectReceptor(pr.Name+"_to_"+pr.Post, pr.Pre, pr.Post, rec[pr.Pre], proj); err != nil {
			return nil, groups, nil, err
		}
		projs = append(projs, proj)
	}
	return sim, groups, projs, nil
}

// copyState sets every state variable of dst to src's (a float64 group): rounded to float32
// where dst keeps it in single precision (a -float32 variant).
func copyState(dst, src runtime.Group) error {
	for _, v := range src.Model().Vars {
		y, ok := runtime.VarOf(dst, v.Name)
		x := src.Var(v.Name)
		if !ok || x == nil || y.Len() != len(x) {
			return fmt.Errorf("the variant's group has no state %s of %d values", v.Name, len(x))
		}
		y.SetFrom(x)
	}
	return nil
}

func run(n int, tMs float64, workers int, seed uint64, weights, variant string) (*Result, error) {
	steps := int(math.Round(tMs / cobahh.DT))
	if steps < 1 {
		return nil, fmt.Errorf("-t %g ms: not a positive number of steps of %g ms", tMs, cobahh.DT)
	}
	t0 := time.Now()
	sim, groups, projs, err := build(n, seed, weights, variant)
	if err != nil {
		return nil, err
	}
	if err := sim.SetWorkers(workers); err != nil {
		return nil, err
	}
	defer sim.Close()
	// out[g][i]: the synapses leaving neuron i of group g, over every projection.
	out := [][]int32{make([]int32, groups[0].Len()), make([]int32, groups[1].Len())}
	var syn, nbytes int64
	for k, pr := range cobahhref.Projections {
		g := 0
		if pr.Pre == "inh" {
			g = 1
		}
		start := projs[k].Start()
		for i := range projs[k].NPre() {
			out[g][i] += start[i+1] - start[i]
		}
		syn += int64(projs[k].Len())
		nbytes += projs[k].Bytes()
	}
	setup := time.Since(t0)
	goruntime.GC()
	var spikes, events int64
	start := time.Now()
	for range steps {
		if err := sim.Step(); err != nil {
			return nil, err
		}
		for gi, g := range groups {
			// The few spikes of a step found with bytes.IndexByte (vectorised) over the flags
			// as bytes, so that the count costs microseconds, not a scan of every flag: it runs
			// in the calling goroutine, between the workers' steps.
			o, f := out[gi], g.Spiked()
			b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(f))), len(f))
			for i := 0; ; i++ {
				j := bytes.IndexByte(b[i:], 1)
				if j < 0 {
					break
				}
				i += j
				spikes++
				events += int64(o[i])
			}
		}
	}
	wall := time.Since(start)
	perConn := float64(nbytes) / float64(syn)
	if weights == "const" {
		perConn += 4 // a float32 weight per synapse
	}
	return &Result{
		Tool: "neurogen", Config: variant + " (" + variantFlags[variant] + "), weights " + weights + ", delay per projection",
		Threads: workers, N: n, Synapses: syn, TMs: float64(steps) * cobahh.DT, DtMs: cobahh.DT,
		SetupS: setup.Seconds(), RunS: wall.Seconds(), Spikes: spikes, Events: events,
		BytesPerSyn: float64(nbytes) / float64(syn), BytesPerSynPC: perConn,
	}, nil
}

// printReport reads every DIR/raw/*.json (one Result per file) and prints the speed table and
// neurogen's ratios.
func printReport(w io.Writer, dir string) error {
	files, err := filepath.Glob(filepath.Join(dir, "raw", "*.json"))
	if err != nil {
		return err
	}
	var rs []Result
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return err
		}
		var r Result
		if err := json.Unmarshal(b, &r); err != nil {
			return fmt.Errorf("%s: %w", f, err)
		}
		rs = append(rs, r)
	}
	if len(rs) == 0 {
		return fmt.Errorf("no results in %s/raw", dir)
	}
	order := map[string]int{"neurogen": 0, "brian2": 1, "neuron": 2}
	slices.SortStableFunc(rs, func(a, b Result) int {
		if a.N != b.N {
			return a.N - b.N
		}
		if a.Threads != b.Threads {
			return a.Threads - b.Threads
		}
		return order[a.Tool] - order[b.Tool]
	})
	fmt.Fprintln(w, "| N | synapses | simulator | configuration | threads | simulated | s per simulated s | M neuron-steps/s | M syn. events/s | spikes | mean rate (Hz) | bytes/synapse |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|---|---|---|---|---|---|")
	for _, r := range rs {
		simS := r.TMs / 1000
		nsteps := float64(r.N) * r.TMs / r.DtMs
		ev, by := "–", "–"
		if r.Events > 0 {
			ev = fmt.Sprintf("%.1f", float64(r.Events)/r.RunS/1e6)
		}
		if r.BytesPerSyn > 0 {
			by = fmt.Sprintf("%.2f (%.2f with a float32 weight each)", r.BytesPerSyn, r.BytesPerSynPC)
		}
		fmt.Fprintf(w, "| %d | %d | %s | %s | %d | %g ms | %.2f | %.2f | %s | %d | %.2f | %s |\n",
			r.N, r.Synapses, r.Tool, r.Config, r.Threads, r.TMs, r.RunS/simS, nsteps/r.RunS/1e6, ev,
			r.Spikes, float64(r.Spikes)/float64(r.N)/simS, by)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "| N | threads | neurogen | neurogen ÷ Brian2 C++ (target ≥3× at 1 thread, exact) | neurogen ÷ NEURON | neurogen 2 workers ÷ 1 (target ≥1.7× at N = 40 000) |")
	fmt.Fprintln(w, "|---|---|---|---|---|---|")
	speed := func(tool, config string, n, th int) float64 {
		for _, r := range rs {
			if r.Tool == tool && (config == "" || r.Config == config) && r.N == n && r.Threads == th {
				return r.TMs / r.RunS
			}
		}
		return 0
	}
	ratio := func(a, b float64) string {
		if a == 0 || b == 0 {
			return "–"
		}
		return fmt.Sprintf("%.2f×", a/b)
	}
	for _, r := range rs {
		if r.Tool != "neurogen" {
			continue
		}
		g := r.TMs / r.RunS
		two := "–"
		if r.Threads == 2 {
			two = ratio(g, speed("neurogen", r.Config, r.N, 1))
		}
		fmt.Fprintf(w, "| %d | %d | %s | %s | %s | %s |\n", r.N, r.Threads, r.Config,
			ratio(g, speed("brian2", "", r.N, r.Threads)), ratio(g, speed("neuron", "", r.N, r.Threads)), two)
	}
	return nil
}
