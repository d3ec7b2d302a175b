package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/internal/plotting"
	"github.com/neurogen/neurogen/internal/progbuild"
	"github.com/neurogen/neurogen/internal/spikestats"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/modelrun"
	"github.com/neurogen/neurogen/runtime"
	"github.com/neurogen/neurogen/spec"
)

// isNetworkFile reports whether path is a network spec (network: where a group spec has
// model:), and returns its bytes when it is.
func isNetworkFile(path string) ([]byte, bool) {
	src, err := os.ReadFile(path)
	if err != nil || !spec.IsNetwork(src) {
		return nil, false
	}
	return src, true
}

// checkNetworkFlags refuses the flags of run that are for one group's spec.
func (r *runRunner) checkNetworkFlags() error {
	for _, f := range []struct {
		given bool
		name  string
	}{
		{r.nGiven, "-n (the spec gives each group's size)"}, {r.dtGiven, "-dt (the spec's dt: is the step)"},
		{len(r.sets) > 0, "-set"},
		{r.anyMethod, "-resume-any-method"},
		{r.maxMemoryGiven, "-max-memory"},
	} {
		if f.given {
			return usageErrorf("%s is for a group's spec; a network spec's run takes -t, -seed, -method, -tables, -table-error, -simd, -save, -resume, -workers, -spikes, -record, -neurons GROUP:SET, -every, -o, -plot, -keep and -rebuild", f.name)
		}
	}
	if r.neuronsGiven && (r.neurons.all || len(r.neurons.ranges) > 0) {
		return usageErrorf("-neurons %s: name the group of a network, GROUP:SET, such as exc:0-9", r.neurons.text)
	}
	if len(r.record.names) > 0 && r.out == "" {
		return usageErrorf("-record %s: missing -o FILE.npz, the file to write the recording into", r.record.String())
	}
	if len(r.record.names) == 0 && (r.out != "" || r.everyGiven || r.neuronsGiven) {
		return usageErrorf("-o, -every and -neurons need -record GROUP.VAR, such as -record exc.V")
	}
	if r.out != "" && strings.ToLower(filepath.Ext(r.out)) != ".npz" {
		return usageErrorf("-o %s: a network's recording is written as FILE.npz (arrays GROUP.t, GROUP.VAR …)", r.out)
	}
	if r.spikes != "" && !slices.Contains([]string{".csv", ".npz"}, strings.ToLower(filepath.Ext(r.spikes))) {
		return usageErrorf("-spikes %s: name it FILE.csv (lines group,neuron,time_ms) or FILE.npz", r.spikes)
	}
	if r.workers < 1 {
		return usageErrorf("-workers %d: want at least 1", r.workers)
	}
	for _, c := range []struct{ a, b, pa, pb string }{{"-o", "-spikes", r.out, r.spikes}, {"-o", "-plot", r.out, r.plot}, {"-spikes", "-plot", r.spikes, r.plot},
		{"-save", "-o", r.save, r.out}, {"-save", "-spikes", r.save, r.spikes}, {"-save", "-plot", r.save, r.plot}} {
		if samePath(c.pa, c.pb) {
			return usageErrorf("%s %s and %s %s name the same file", c.a, c.pa, c.b, c.pb)
		}
	}
	if r.plot != "" {
		if _, err := plotting.FormatOf(r.plot); err != nil {
			return usageErrorf("-plot %v", err)
		}
	}
	return nil
}

// loadNetwork checks the network spec src read from file with the flags' -method, printing its
// groups' warnings, and its errors (then errReported). -seed is the program's flag (the
// generated NewSeed): one program, built and cached once, runs every seed.
func (r *runRunner) loadNetwork(e *env, cmd, file string, src []byte) (*ir.Network, error) {
	opts := check.NetworkOptions{Options: check.Options{Method: r.method}}
	net, err := check.LoadNetwork(file, src, opts)
	printNetworkWarnings(e, net)
	if err != nil {
		printError(e, cmd, err)
		return nil, errReported{}
	}
	return net, nil
}

// networkArgs checks -t, -record, -neurons and -every against the network and returns the
// network program's command line for them and the other flags of the run.
func (r *runRunner) networkArgs(net *ir.Network) ([]string, int, error) {
	if r.t.ms < 0 {
		return nil, 0, usageErrorf("-t %s: the duration must not be negative", r.t.text)
	}
	steps, err := runtime.Steps(r.t.ms, net.DT)
	if err != nil || steps < 1 {
		return nil, 0, usageErrorf("-t %s: want a positive whole number of the network's steps of %g ms", r.t.text, net.DT)
	}
	ms := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) + "ms" }
	args := []string{"-t", ms(r.t.ms), "-workers", strconv.Itoa(r.workers)}
	if r.seed.set {
		args = append(args, "-seed", strconv.FormatUint(r.seed.seed, 10))
	}
	groups := map[string]*ir.Group{}
	var names []string
	for _, g := range net.Groups {
		groups[g.Name] = g
		names = append(names, g.Name)
	}
	group := func(flag, text, name string) (*ir.Group, error) {
		if g := groups[name]; g != nil {
			return g, nil
		}
		return nil, usageErrorf("%s %s: no group %q in network %s; its groups are %s", flag, text, name, net.Name, strings.Join(names, ", "))
	}
	for _, v := range r.record.names {
		gname, vname, ok := strings.Cut(v, ".")
		if !ok {
			return nil, 0, usageErrorf("-record %s: name a network's variables GROUP.VAR, such as %s.V", v, names[0])
		}
		g, err := group("-record", v, gname)
		if err != nil {
			return nil, 0, err
		}
		if known := recordable(g.Model); !slices.Contains(known, vname) {
			return nil, 0, usageErrorf("-record %s: group %s (%s) has no variable %s; it has %s", v, gname, g.Model.Name, vname, strings.Join(known, ", "))
		}
	}
	if len(r.record.names) > 0 {
		args = append(args, "-record", strings.Join(r.record.names, ","), "-o", r.out)
	}
	for _, gs := range r.neurons.groups {
		g, err := group("-neurons", gs.text, gs.group)
		if err != nil {
			return nil, 0, err
		}
		neurons, err := gs.set.resolve(g.N)
		if err != nil {
			return nil, 0, err
		}
		if neurons == nil { // all
			neurons = make([]int, g.N)
			for i := range neurons {
				neurons[i] = i
			}
		}
		parts := make([]string, len(neurons))
		for k, i := range neurons {
			parts[k] = strconv.Itoa(i)
		}
		args = append(args, "-neurons", gs.group+":"+strings.Join(parts, ","))
	}
	if r.everyGiven {
		n, err := runtime.Steps(r.every.ms, net.DT)
		if err != nil || n < 1 {
			return nil, 0, usageErrorf("-every %s: the recording interval must be a positive whole number of steps of %g ms", r.every.text, net.DT)
		}
		args = append(args, "-every", ms(r.every.ms))
	}
	if r.spikes != "" {
		args = append(args, "-spikes", r.spikes)
	}
	if r.save != "" {
		args = append(args, "-save", r.save)
	}
	if r.resume != "" {
		args = append(args, "-resume", r.resume)
	}
	return args, steps, nil
}

// runNetwork runs the network spec src read from file: neurogen run NET.yaml.
func (r *runRunner) runNetwork(e *env, file string, src []byte) error {
	if err := r.validate(); err != nil {
		return err
	}
	if err := r.checkNetworkFlags(); err != nil {
		return err
	}
	net, err := r.loadNetwork(e, "run", file, src)
	if err != nil {
		return err
	}
	args, steps, err := r.networkArgs(net)
	if err != nil {
		return err
	}
	goCmd, err := progbuild.LookGo()
	if err != nil {
		return err
	}
	dir := r.keep
	if dir == "" {
		if dir, err = os.MkdirTemp("", "neurogen-run-*"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	} else if err := progbuild.PrepareDir(dir); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	buildStart := time.Now()
	bin, cached, err := r.networkProgram(ctx, e, goCmd, net, dir, r.keep != "")
	if err != nil {
		return err
	}
	build := modelrun.Seconds(time.Since(buildStart).Seconds())
	if cached {
		build = "cached (" + build + ")"
	}
	// The figure is drawn from the spikes the program writes as NPZ beside it.
	plotSpikes := ""
	if r.plot != "" {
		plotSpikes = filepath.Join(dir, "plot-spikes.npz")
		args = append(args, "-spikes", plotSpikes)
	}
	total := 0
	for _, g := range net.Groups {
		total += g.N
	}
	barCfg := &programConfig{N: total, Steps: steps, Dt: net.DT}
	bar := newProgressBar(e.stderr, r.progress, barCfg)
	if bar != nil {
		args = append(args, "-progress", strconv.FormatFloat(barCfg.Progress, 'g', -1, 64)+"ms")
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, args...)
	progress := &programStderr{buf: &stderr, bar: bar}
	cmd.Stdout, cmd.Stderr = &stdout, progress
	err = cmd.Run()
	progress.close() // the bar is cleared before any message
	if err != nil {
		if ctx.Err() != nil || killedByInterrupt(err) {
			return errInterrupted
		}
		msg := strings.TrimSpace(stderr.String())
		// The program names itself; neurogen run names the network.
		msg = strings.TrimPrefix(msg, progbuild.ExeName(filepath.Base(bin))+": ")
		msg = strings.TrimPrefix(msg, filepath.Base(bin)+": ")
		if msg == "" {
			msg = err.Error()
		}
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == modelrun.ExitUsage {
			return usageErrorf("%s", msg)
		}
		return fmt.Errorf("network %s: %s", net.Name, msg)
	}
	out := stdout.String()
	if plotSpikes != "" {
		// The program's summary says it wrote the figure's spikes: that file is ours.
		out = strings.ReplaceAll(out, "wrote "+plotSpikes+"\n", "")
	}
	fmt.Fprint(e.stdout, out)
	fmt.Fprintf(e.stdout, "build: %s\n", build)
	if r.plot != "" {
		start := 0.0
		if r.resume != "" {
			if start, err = stateTime(r.resume); err != nil {
				return err
			}
		}
		if err := drawNetwork(net, plotSpikes, start, start+float64(steps)*net.DT, r.plot); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "wrote %s\n", r.plot)
	}
	return nil
}

// networkProgram returns the program of the network, built with goCmd (or from the cache), its
// groups' packages generated with the flags' -tables, -simd and -float32.
func (r *runRunner) networkProgram(ctx context.Context, e *env, goCmd string, net *ir.Network, dir string, keep bool) (string, bool, error) {
	// The program reads the spec's data files (initial values, waveforms) from the spec's
	// directory, wherever it runs.
	dataDir, err := filepath.Abs(filepath.Dir(net.SpecFile))
	if err != nil {
		return "", false, err
	}
	files, err := codegen.GenerateNetwork(net, codegen.NetworkOptions{
		SpecName: "the spec of network " + net.Name, ImportPath: progbuild.NetworkImportPath, DataDir: dataDir,
		Group: codegen.Options{Tables: r.tables, SIMD: r.simd, Float32: r.float32}})
	if err != nil {
		return "", false, err
	}
	pkg := ""
	for name, src := range files {
		if !strings.Contains(name, "/") {
			f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.PackageClauseOnly)
			if err != nil {
				return "", false, fmt.Errorf("the network's package (a bug in neurogen): %w", err)
			}
			pkg = f.Name.Name
		}
	}
	method := ""
	for _, g := range net.Groups {
		if m := g.Model.Method.String(); !strings.Contains(method, m) {
			method = strings.TrimPrefix(method+", "+m, ", ")
		}
	}
	method = strings.Join(append([]string{method}, r.variant()...), ", ")
	p := &progbuild.Program{Model: net.Name, Package: pkg, Method: method, Generated: files, Network: true, SIMD: r.simd}
	return progbuild.Build(ctx, p, progbuild.Options{GoCmd: goCmd, Dir: dir, Keep: keep, Rebuild: r.rebuild,
		NewStatus: func() progbuild.Status { return newBuildStatus(e.stderr, net.Name, r.simd) }, Warnings: e.stderr})
}

// stateTime returns the time (ms) of the state file path, which the program resumed from.
func stateTime(path string) (float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return 0, err
	}
	meta, err := runtime.ReadStateMeta(f, fi.Size())
	if err != nil {
		return 0, fmt.Errorf("-resume %s: %w", path, err)
	}
	var clock struct{ T float64 }
	if err := json.Unmarshal([]byte(meta), &clock); err != nil {
		return 0, fmt.Errorf("-resume %s: %w", path, err)
	}
	return clock.T, nil
}

// drawNetwork draws the figure of -plot from the spikes the program wrote into spikesNPZ.
func drawNetwork(net *ir.Network, spikesNPZ string, startMS, endMS float64, out string) error {
	f, err := os.Open(spikesNPZ)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	arrays, err := runtime.ReadNPZ(f, fi.Size())
	if err != nil {
		return fmt.Errorf("the spikes of the run (a bug in neurogen): %w", err)
	}
	byName := map[string]runtime.Array{}
	for _, a := range arrays {
		byName[a.Name] = a
	}
	fig := &plotting.NetworkFigure{Title: net.Name, Start: startMS, End: endMS}
	for _, g := range net.Groups {
		ns, ts := byName[g.Name+".spike_neuron"], byName[g.Name+".spike_time"]
		if len(ns.I64) != len(ts.F64) {
			return fmt.Errorf("the spikes of group %s (a bug in neurogen): %d neurons, %d times", g.Name, len(ns.I64), len(ts.F64))
		}
		sp := runtime.Spikes{Neuron: make([]int32, len(ns.I64)), Time: ts.F64}
		for k, i := range ns.I64 {
			sp.Neuron[k] = int32(i)
		}
		fig.Groups = append(fig.Groups, spikestats.Group{Name: g.Name, Neurons: g.N, Spikes: sp})
	}
	format, err := plotting.FormatOf(out)
	if err != nil {
		return err
	}
	o, err := runtime.CreateOutput(out)
	if err != nil {
		return err
	}
	if err := fig.Write(o, format); err != nil {
		o.Discard()
		return fmt.Errorf("-plot %s: %w", out, err)
	}
	return o.Commit()
}
