package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"

	"github.com/neurogen/neurogen/runtime"
)

var buildCommand = &command{
	name:     "build",
	summary:  "compile a spec into a standalone program whose flags are the model's parameters",
	synopsis: "neurogen build SPEC -o BINARY [-method METHOD] [-tables [-table-error E]] [-simd] [-float32] [-rebuild]",
	doc: `Build generates the package of SPEC and compiles it, with the go command and offline, into
BINARY: a standalone, statically linked program for that one model. It is the program that
neurogen run builds and caches for SPEC (a build after a run of the same spec takes it from the
cache), so it simulates exactly as run does; run it with its own flags:

	BINARY [-n N] [-t DURATION] [-dt STEP] [-method M] [-seed SEED] [-PARAMETER VALUE]... [-I_ext VALUE]
	       [-spikes FILE.csv] [-record VARS -o FILE.npz|FILE.csv [-every DURATION]
	       [-neurons SET]] [-save STATE] [-resume STATE [-resume-any-method]]

Every parameter of the model is a flag of its spec name, taking a value with a unit of its
dimension (-Na.g_max 100mS/cm2, -V_th -20mV), and -A sets the membrane area; the values are
those of neurogen run -set NAME=VALUE, checked by the same code: a per-neuron parameter and
-I_ext also take linspace(FROM, TO) over the neurons, or @FILE of one value per neuron in the
internal unit (a .npy file, or a text or CSV file); -I_ext also takes step(ON, OFF, VALUE),
VALUE from time ON to OFF and 0 before and after. BINARY -h lists the model's parameters with
their units, defaults and docs. It prints the summary of neurogen run (spike counts and rates,
the inputs, the CV of interspike intervals, speed) and writes the files its flags name, as
neurogen run does.

The flags that say what code to generate are gen's; with -simd the program is built with
GOEXPERIMENT=simd.

The exit status is 0 on success, 1 for errors in the spec or in building, 2 for a bad command
line.
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
	m, err := r.prog.loadSpec(e, "build", args[0])
	if err != nil {
		return err
	}
	goCmd, err := lookGo()
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
	how := strings.Join(append([]string{m.Method}, r.prog.variant()...), ", ")
	fmt.Fprintf(e.stdout, "wrote %s, the %s model (%s); %s -h lists its flags\n", r.out, m.Name, how, r.out)
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
		return fmt.Errorf("writing %s: %v", out, err)
	}
	return f.Commit()
}
