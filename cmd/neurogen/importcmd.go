package main

import (
	"fmt"
	"io"
	"os"

	"github.com/neurogen/neurogen/nmodl/importer"
)

var importCommand = &command{
	name:     "import",
	summary:  "turn NEURON mechanisms (.mod files) into channel, ion and receptor specs",
	synopsis: "neurogen import FILE.mod ... [-o DIR] [-q]",
	title:    "Import NMODL channels",
	doc: `Import reads each FILE.mod, a NEURON density mechanism (SUFFIX) with HH-style gates, and
writes a channel spec, in the format of library/channels, for each current it writes:
DIR/NAME.yaml (the current directory without -o), NAME being the SUFFIX, or SUFFIX_CURRENT for
a mechanism that writes several (hh.mod gives hh_ina, hh_ik and hh_il); a group spec uses one
as it uses a stock channel, with use: DIR/NAME.yaml (relative to the spec). An ion pool, a
mechanism that writes cai (USEION ca READ ica WRITE cai, cai a STATE or a copy of one, as
cad.mod), becomes the ion's dynamics: DIR/NAME.yaml is an ion file (ion: Ca, C_i, the
parameters, and dynamics: dCa_i/dt), which a group spec's ion takes with use: DIR/NAME.yaml as a
channel takes a channel file. A synaptic point process (POINT_PROCESS with NET_RECEIVE(weight),
as NEURON's ExpSyn and Exp2Syn), whose dynamics are linear in its states, becomes a receptor:
DIR/NAME.yaml is a receptor file (receptor: NAME, its parameters, states, current and event),
which a group spec's receptor takes with use: DIR/NAME.yaml; its current, NMODL's nA outward, is
turned inward positive, and the weight has the unit of the states its event sets (uS for
ExpSyn). It prints the path of each file it writes, and on standard error notes of what it
mapped how and what it dropped (a TABLE, for one); -q prints only errors (for go:generate).

PROCEDUREs and FUNCTIONs are inlined with their LOCALs, if/else becomes c ? a : b, and a gate
written x' = (xinf - x)/xtau in the DERIVATIVE block that BREAKPOINT solves (METHOD cnexp)
becomes inf and tau, one written x' = a*(1 - x) - b*x alpha and beta, any other a kinetic gate
(deriv, init from INITIAL), as are the states of a KINETIC scheme (METHOD sparse), whose
reactions give their derivatives (a SOLVE ... STEADYSTATE sparse in INITIAL gives their init
the steady state at the initial V, in closed form). v is V, celsius the group's temperature T,
ena E_Na, cai and cao Ca_i and Ca_o: a group that uses the channel declares those. Currents are
turned inward positive (NMODL's are outward positive in mA/cm2). The TITLE, the COMMENT blocks
and the line comments that head the file (where files give references) become the spec's doc.

What is not mapped (ARTIFICIAL_CELL, NET_RECEIVE with per-connection state, a point process
whose dynamics are not linear, LINEAR, VERBATIM, FROM ... TO, WATCH, POINTER,
a pool whose cai is neither a STATE nor a copy of one) is refused, every instance at its
file:line:col, and no file is written for that FILE.mod. See docs/nmodl.md.

The exit status is 0 on success, 1 if a FILE.mod cannot be read or imported, 2 for a bad
command line.
`,
	minArgs: 1,
	maxArgs: -1,
	argName: "FILE.mod",
	new: func(fs *flagSet) runner {
		r := &importRunner{}
		exportOutFlag(fs, &r.out)
		fs.boolFlag(&r.quiet, "q", false, "print only errors: no notes, no paths of the files written")
		return r
	},
}

type importRunner struct {
	out   string
	quiet bool
}

func (r *importRunner) run(e *env, args []string) error {
	failed := false
	for _, path := range args {
		src, err := os.ReadFile(path)
		var res *importer.Result
		if err == nil {
			res, err = importer.Import(path, src)
		}
		if err != nil {
			printError(e, "import", err)
			failed = true
			continue
		}
		if !r.quiet {
			for _, n := range res.Notes {
				fmt.Fprintf(e.stderr, "note: %s\n", n)
			}
		}
		files := map[string][]byte{}
		for _, c := range res.Channels {
			files[c.Name+".yaml"] = c.YAML
		}
		for _, p := range res.Pools {
			files[p.Name+".yaml"] = p.YAML
		}
		for _, r := range res.Receptors {
			files[r.Name+".yaml"] = r.YAML
		}
		we := e
		if r.quiet {
			we = &env{stdin: e.stdin, stdout: io.Discard, stderr: e.stderr}
		}
		if err := (&exportRunner{out: r.out}).write(we, files); err != nil {
			return err
		}
	}
	if failed {
		return errReported{}
	}
	return nil
}
