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
receptor, sorted by name: the name, its states (a kinetic receptor's state per synapse marked
so), its event (what a spike of weight w does; for a kinetic receptor, the transmitter pulse it
releases at its synapse) and the first line of its doc:

	$ neurogen receptors
	NAME       STATES              EVENT              DOC
	AMPA       r (per synapse)     T = Cmax for Cdur  AMPA receptor, kinetic (Destexhe, Mainen and Sejnowski 1994).
	AlphaCond  x, g                x += w             Alpha-function synaptic conductance, the limit of Exp2Cond as its time constants meet.
	Exp2Cond   A, B                A += w; B += w     Bi-exponential synaptic conductance, normalised to a peak of w.
	ExpCond    g                   g += w             Exponential synaptic conductance.
	GABAA      r (per synapse)     T = Cmax for Cdur  GABA_A receptor, kinetic (Destexhe, Mainen and Sejnowski 1994).
	GABAB      R (per synapse), G  T = Cmax for Cdur  GABA_B receptor, kinetic, with G-protein activation of K+ channels.
	NMDA       A, B                A += w; B += w     NMDA receptor conductance with its voltage-dependent magnesium block.

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
			if st.PerSynapse() {
				states = append(states, st.Name.Value+" (per synapse)")
				continue
			}
			states = append(states, st.Name.Value)
		}
		event := "-"
		if rec.Event != nil {
			event = strings.Join(strings.Fields(rec.Event.Src), " ")
		}
		if t := rec.Transmitter; t != nil && t.Value != nil && t.For != nil {
			event = fmt.Sprintf("%s = %s for %s", t.Name.Value, strings.Join(strings.Fields(t.Value.Src), " "), strings.Join(strings.Fields(t.For.Src), " "))
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", name, strings.Join(states, ", "), event, firstLine(rec.Doc))
	}
	return w.Flush()
}
