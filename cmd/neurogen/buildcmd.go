package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/neurogen/neurogen/internal/progbuild"
	"github.com/neurogen/neurogen/runtime"
)

var buildCommand = &command{
	name:     "build",
	summary:  "compile a spec into a standalone program whose flags are the model's parameters",
	synopsis: "neurogen build SPEC -o BINARY [-method METHOD] [-tables [-table-error E]] [-simd] [-float32] [-rebuild]",
	title:    "Build a standalone program",
	doc: `Build compiles SPEC into BINARY, a standalone, statically linked program for that one model:
the program that run builds and caches (a build after a run of the same model takes it from
the cache, and run is build followed by a run of the program with the run's values in a
configuration file). Its own command line takes the model's parameters as flags of their
spec names, with units, and the run's values:

	BINARY [-n N] [-t DURATION] [-dt STEP] [-method M] [-seed SEED] [-PARAMETER VALUE]... [-I_ext VALUE]
	       [-spikes FILE.csv] [-record VARS -o FILE.npz|FILE.csv [-every DURATION]
	       [-neurons SET]] [-save STATE] [-resume STATE [-resume-any-method]]

-NAME VALUE takes the values of run's -set NAME=VALUE, checked by the same code (package
modelrun, which both share) with the same messages: a parameter's quantity with a unit of its
dimension (-Na.g_max 100mS/cm2; a bare number for a dimensionless one), -A the membrane area,
linspace(FROM, TO) and @FILE for a per-neuron parameter and -I_ext, and step(ON, OFF, VALUE)
for -I_ext. BINARY -h lists the model's parameters with their units, defaults and docs, then
the other flags; the integration method is compiled in, and -method takes only that one. It
prints the summary of run, made by the same code (without the build time), and writes the
files its flags name, in the formats of run, the recording from t = 0; -resume STATE takes
-n and -dt from STATE, as run does. A bad flag exits 2
with one line saying what is wrong (an unknown flag with the nearest known one: unknown flag
-Na.gmax (did you mean -Na.g_max?)); resuming a state of another model, an unwritable
file, or a state that turns non-finite (run's message: the variable, the neuron, the time)
exits 3; other errors exit 1.

	$ neurogen build specs/hh52.yaml -o hh52
	wrote hh52, the HH52 model (exp_auto); hh52 -h lists its flags
	$ ./hh52 -n 8 -t 1s -I_ext 'linspace(0uA/cm2, 20uA/cm2)' -Na.g_max 100mS/cm2 -spikes spikes.csv
	$ ./hh52 -n 2 -t 200ms -I_ext 'step(50ms, 150ms, 10uA/cm2)' -record V -o v.npz

A network spec gives the network program of run (see run, Network specs), whose flags are
-t, -seed, -save, -resume, -workers, -spikes, -record GROUP.VAR, -neurons GROUP:SET, -every,
-o, -bin and -progress; -seed (default the spec's) is that of run, the same spikes:

	$ neurogen build specs/networks/cobahh.yaml -o cobahh
	$ ./cobahh -t 1s -workers 2 -seed 7 -spikes spikes.csv

The flags that say what code to generate are gen's (for a network: -method, -tables,
-table-error and -simd, applied to each group's package); with -simd the program is built
with GOEXPERIMENT=simd. The exit status of neurogen build is 0 on success, 1 for errors in the spec
or in building, 2 for a bad command line.
`,
	minArgs: 1,
	maxArgs: 1,
	argName: "SPEC",
	new: func(fs *flagSet) runner {
		r := &buildRunner{}
		fs.stringFlag(&r.out, "o", "BINARY", "the program to write (required); an existing file is replaced")
		r.prog.defineMethodTables(fs)
		r.prog.defineSIMD(fs)
		r.prog.defineFloat32(fs)
		rebuildFlag(fs, &r.prog.rebuild)
		return r
	},
}

type buildRunner struct {
	out  string
	prog runRunner // the settings of the program that run would build
}

func (r *buildRunner) run(e *env, args []string) error {
	if r.out == "" {
		return usageErrorf("missing -o BINARY: the program to write")
	}
	if err := r.prog.validate(); err != nil {
		return err
	}
	if src, ok := isNetworkFile(args[0]); ok {
		return r.buildNetwork(e, args[0], src)
	}
	m, err := r.prog.loadSpec(e, "build", args[0])
	if err != nil {
		return err
	}
	goCmd, err := progbuild.LookGo()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "neurogen-build-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	bin, _, err := r.prog.program(ctx, e, goCmd, m, dir)
	if err != nil {
		return err
	}
	// Written beside the destination (a symlink's target), then renamed over it: a failed build
	// leaves it alone. A device or FIFO is written in place, never replaced.
	if err := writeProgram(bin, r.out); err != nil {
		return err
	}
	how := strings.Join(append([]string{m.Method.String()}, r.prog.variant()...), ", ")
	fmt.Fprintf(e.stdout, "wrote %s, the %s model (%s); %s -h lists its flags\n", r.out, m.Name, how, r.out)
	return nil
}

// buildNetwork builds the program of the network spec src read from file.
func (r *buildRunner) buildNetwork(e *env, file string, src []byte) error {
	net, err := r.prog.loadNetwork(e, "build", file, src)
	if err != nil {
		return err
	}
	goCmd, err := progbuild.LookGo()
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "neurogen-build-*")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	bin, _, err := r.prog.networkProgram(ctx, e, goCmd, net, dir, false)
	if err != nil {
		return err
	}
	if err := writeProgram(bin, r.out); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "wrote %s, the network %s; %s -h lists its flags\n", r.out, net.Name, r.out)
	return nil
}

// writeProgram copies the program bin to out as runtime.CreateOutput writes files: through a
// symlink, atomically, in place for a device. A new file is executable (0755).
func writeProgram(bin, out string) error {
	t, err := runtime.ResolveOutput(out)
	if err != nil {
		return err
	}
	if !t.Exists {
		t.Perm = 0o755
	}
	in, err := os.Open(bin)
	if err != nil {
		return err
	}
	defer in.Close()
	f, err := t.Create()
	if err != nil {
		return err
	}
	defer f.Discard() // does nothing after Commit
	if _, err := io.Copy(f, in); err != nil {
		return fmt.Errorf("writing %s: %w", out, err)
	}
	return f.Commit()
}
