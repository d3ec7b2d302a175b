package main

import (
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/neurogen/neurogen/internal/suggest"
	"github.com/neurogen/neurogen/library"
)

var receptorsCommand = &command{
	name:     "receptors",
	summary:  "list the stock synaptic receptors, or print one",
	synopsis: "neurogen receptors [NAME]",
	title:    "List the stock synaptic receptors",
	doc: `Receptors lists the stock receptor library, the synaptic receptors a spec takes with
` + "`" + `use: NAME` + "`" + ` under ` + "`" + `receptors:` + "`" + ` (and overrides parameters of, as in
` + "`" + `I: {use: ExpCond, tau: 10 ms, E: -80 mV}` + "`" + `). It prints a header line, then one line per
receptor, sorted by name: the name, its states, its event (what a spike of weight w does) and
the first line of its doc:

	$ neurogen receptors
	NAME       STATES  EVENT           DOC
	AlphaCond  x, g    x += w          Alpha-function synaptic conductance, the limit of Exp2Cond as its time constants meet.
	Exp2Cond   A, B    A += w; B += w  Bi-exponential synaptic conductance, normalised to a peak of w.
	ExpCond    g       g += w          Exponential synaptic conductance.
	NMDA       A, B    A += w; B += w  NMDA receptor conductance with its voltage-dependent magnesium block.

With NAME it prints that receptor's file exactly: its spec, whose doc gives the equations,
the default parameters with their units and the paper it comes from. An unknown NAME is a
usage error (exit status 2).

The exit status is 0 on success, 2 for an unknown NAME.
`,
	maxArgs: 1,
	argName: "NAME",
	new:     func(fs *flagSet) runner { return &receptorsRunner{lib: library.StockReceptors} },
}

type receptorsRunner struct {
	lib *library.Library
}

func (r *receptorsRunner) run(e *env, args []string) error {
	if len(args) == 1 {
		src, ok := r.lib.Source(args[0])
		if !ok {
			hint := " ('neurogen receptors' lists them)"
			if s := suggest.Closest(args[0], r.lib.Names()); s != "" {
				hint = fmt.Sprintf(" (did you mean %q?)", s)
			}
			return usageErrorf("unknown stock receptor %q%s", args[0], hint)
		}
		_, err := e.stdout.Write(src)
		return err
	}
	w := tabwriter.NewWriter(e.stdout, 0, 8, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tSTATES\tEVENT\tDOC")
	for _, name := range r.lib.Names() {
		lr, err := r.lib.Receptor(name)
		if err != nil {
			return err
		}
		rec := lr.Receptor
		var states []string
		for _, st := range rec.States {
			states = append(states, st.Name.Value)
		}
		event := "-"
		if rec.Event != nil {
			event = strings.Join(strings.Fields(rec.Event.Src), " ")
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", name, strings.Join(states, ", "), event, firstLine(rec.Doc))
	}
	return w.Flush()
}
