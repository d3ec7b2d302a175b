package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/internal/suggest"
	"github.com/neurogen/neurogen/nmodl/export"
	"github.com/neurogen/neurogen/spec"
)

var exportCommand = &command{
	name:     "export",
	summary:  "write the channels of a spec in another simulator's language (NMODL)",
	synopsis: "neurogen export nmodl SPEC [-o DIR]",
	title:    "Export the channels to NMODL",
	doc: `Export nmodl checks SPEC and writes each of its channels, stock or written in the spec, as
an NMODL density mechanism, DIR/MODEL_CHANNEL.mod (the current directory without -o), so that
the model can be run and cross-checked in NEURON: ` + "`" + `nrnivmodl DIR` + "`" + ` compiles them. It prints
the path of each file it writes, and on standard error a note of what NEURON needs set to run
them as neurogen does (celsius, where the rates use the temperature).

Each file is written from the checked model, so it holds what neurogen runs: SUFFIX
MODEL_CHANNEL; the channel's parameters (RANGE, with their units); its gates as STATEs, set in
INITIAL to neurogen's initial values (the steady state at v); their rates in PROCEDURE rates(),
with removable singularities as neurogen rewrote them (exprel, written as a FUNCTION); the
gates integrated by SOLVE states METHOD cnexp, which at a fixed v integrates a gate as
neurogen's exp_auto does. Conventions are converted back: NMODL's currents are outward
positive in mA/cm2 and its conductances in S/cm2, neurogen's inward positive in uA/cm2 and
mS/cm2. A channel that carries an ion (` + "`" + `ion: Na` + "`" + `) writes ina (USEION na), one without an ion
a NONSPECIFIC_CURRENT i; an ion's reversal potential and concentrations that the channel reads
become eca, cai and cao (READ), and the group's temperature T becomes celsius (set celsius in
NEURON to the spec's T: NEURON's default is 6.3 degC). The file's header says it was
generated, and its COMMENT block holds the channel's doc.

What cannot be exported yet is refused, every channel at once, at its place in the spec
(exit status 1): a gate whose derivative is not linear in it (cnexp needs that) or has a
conditional (` + "`" + `? :` + "`" + `) whose condition depends on the gates, an expression that uses the group's
input I_ext or the membrane's parameters. Other conditionals are written with if/else (in a
rate, a current, an initial value), or computed by rates() (in a derivative). The time t becomes
NEURON's t.

A linear receptor (ExpCond, Exp2Cond, AlphaCond, one written in the spec) becomes a point
process, DIR/MODEL_RECEPTOR.mod: POINT_PROCESS with its states (conductances in uS), their
derivatives (cnexp), its current outward in nA (neurogen's, inward, times the membrane's area)
and its event as NET_RECEIVE(weight (uS)); insert it in a section and drive it with NetCons.
A kinetic receptor (a state per synapse), or one whose current is a density, is not exported,
with a note that says why.

An ion with dynamics (a calcium pool) becomes a mechanism of its own, MODEL_ION_pool.mod, whose
STATE is the inner concentration (cai), raised by the ion's total current (USEION ca READ ica
WRITE cai), which NEURON sums over the mechanisms that write ica as neurogen sums the channels
that carry the ion. Insert it with the channels, in the same section. See docs/nmodl.md.

The exit status is 0 on success, 1 if SPEC has errors or cannot be exported, 2 for a bad
command line.
`,
	minArgs: 1,
	maxArgs: 2,
	argName: "FORMAT (nmodl) and SPEC",
	new: func(fs *flagSet) runner {
		r := &exportRunner{}
		exportOutFlag(fs, &r.out)
		return r
	},
}

type exportRunner struct {
	out string
}

func (r *exportRunner) run(e *env, args []string) error {
	if args[0] != "nmodl" {
		hint := " (the one format is nmodl)"
		if s := suggest.Closest(args[0], []string{"nmodl"}); s != "" {
			hint = " (did you mean nmodl?)"
		}
		return usageErrorf("unknown format %q%s", args[0], hint)
	}
	if len(args) < 2 {
		return usageErrorf("missing SPEC")
	}
	path := args[1]
	if path != "-" {
		if src, err := os.ReadFile(path); err == nil && spec.IsNetwork(src) {
			return usageErrorf("%s is a network spec: export the spec of each of its groups", path)
		}
	}
	m, err := loadModel(e, path, check.Options{Unoptimized: true})
	if err == nil {
		var files map[string][]byte
		if files, err = export.Files(m); err == nil {
			for _, n := range export.Notes(m) {
				fmt.Fprintf(e.stderr, "note: %s\n", n)
			}
			return r.write(e, files)
		}
	}
	printError(e, "export", err)
	return errReported{}
}

func (r *exportRunner) write(e *env, files map[string][]byte) error {
	dir := r.out
	if dir == "" {
		dir = "."
	}
	if err := os.MkdirAll(dir, 0o777); err != nil {
		return err
	}
	for _, name := range sortedKeys(files) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, files[name], 0o666); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "wrote %s\n", p)
	}
	return nil
}
