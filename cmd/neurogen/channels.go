package main

import (
	"fmt"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/neurogen/neurogen/internal/suggest"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/library"
	"github.com/neurogen/neurogen/spec"
)

var channelsCommand = &command{
	name:     "channels",
	summary:  "list the stock channels, or print one",
	synopsis: "neurogen channels [NAME]",
	title:    "List the stock channels",
	doc: `Channels lists the stock channel library, the channels a spec takes with ` + "`" + `use: NAME` + "`" + ` (and
overrides parameters of, as in ` + "`" + `Na: {use: INa_HH1952, g_max: 100 mS/cm2}` + "`" + `).
It prints a header line, then one line per channel, sorted by name: the name, the ion its
current carries ("-" for none), its gates with their forms (alpha/beta; inf/tau; inf, an
instantaneous gate; kinetic, a state given by its derivative; "-" for none) and the first line
of its doc:

	$ neurogen channels
	NAME          ION  GATES                 DOC
	IAHP_De1994   K    p (inf/tau)           Calcium-activated potassium current of the slow ...
	...
	INa_HH1952    Na   p, q (alpha/beta)     Fast sodium current of the squid giant axon ...
	Ih_De1996     -    P1, O, O_L (kinetic)  Hyperpolarization-activated cation current ...

With NAME it prints that channel's file exactly: its spec, whose doc gives the equations,
the default parameters with their units, the paper it comes from and any deviation from
BrainPy's channel of the same name. An unknown NAME is a usage error (exit status 2), with
the names it may stand for:

	$ neurogen channels ICaT
	neurogen channels: unknown stock channel "ICaT" (did you mean one of ICaT_HM1992, ICaT_HP1992?)

A channel that reads the group's temperature (for its temperature factors) needs ` + "`" + `T` + "`" + ` among
the spec's parameters (` + "`" + `params: {T: 36 degC}` + "`" + `); one that reads an ion (E_Ca, Ca_i, E_K) needs
the ion under ` + "`" + `ions:` + "`" + `. The check of a spec says so when they are missing.

The exit status is 0 on success, 2 for an unknown NAME.
`,
	maxArgs: 1,
	argName: "NAME",
	new:     func(fs *flagSet) runner { return &channelsRunner{lib: library.Stock} },
}

type channelsRunner struct {
	lib *library.Library
}

func (r *channelsRunner) run(e *env, args []string) error {
	if len(args) == 1 {
		return r.show(e, args[0])
	}
	w := tabwriter.NewWriter(e.stdout, 0, 8, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tION\tGATES\tDOC")
	for _, name := range r.lib.Names() {
		c, err := r.lib.Channel(name)
		if err != nil {
			return err
		}
		ch := c.Channel
		ion := "-"
		if ch.Ion != nil {
			ion = ch.Ion.Value
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", name, ion, gateList(ch.Gates), firstLine(ch.Doc))
	}
	return w.Flush()
}

// show prints the file of channel name.
func (r *channelsRunner) show(e *env, name string) error {
	src, ok := r.lib.Source(name)
	if !ok {
		return usageErrorf("unknown stock channel %q%s", name, r.didYouMean(name))
	}
	_, err := e.stdout.Write(src)
	return err
}

// didYouMean suggests the channels a mistyped or shortened name may stand for: the closest
// name, or else the names that begin with it (ICaT for ICaT_HM1992 and ICaT_HP1992). A name
// of one letter is as close to every short name as to any, so it gets no suggestion.
func (r *channelsRunner) didYouMean(name string) string {
	names := r.lib.Names()
	if utf8.RuneCountInString(name) <= 1 {
		return " ('neurogen channels' lists them)"
	}
	if s := suggest.Closest(name, names); s != "" {
		return fmt.Sprintf(" (did you mean %q?)", s)
	}
	var prefixed []string
	for _, n := range names {
		if strings.HasPrefix(strings.ToLower(n), strings.ToLower(name)) {
			prefixed = append(prefixed, n)
		}
	}
	switch {
	case len(prefixed) == 1:
		return fmt.Sprintf(" (did you mean %q?)", prefixed[0])
	case len(prefixed) > 1 && len(prefixed) <= 6:
		return fmt.Sprintf(" (did you mean one of %s?)", strings.Join(prefixed, ", "))
	}
	return " ('neurogen channels' lists them)"
}

// gateList describes gates as "p, q (alpha/beta)": their names, each run of gates of the same
// form followed by the form; "-" when there are none.
func gateList(gates []*spec.Gate) string {
	if len(gates) == 0 {
		return "-"
	}
	var parts []string
	var run []string
	for i, g := range gates {
		run = append(run, g.Name.Value)
		if i+1 == len(gates) || gateForm(gates[i+1]) != gateForm(g) {
			parts = append(parts, strings.Join(run, ", ")+" ("+gateForm(g)+")")
			run = nil
		}
	}
	return strings.Join(parts, ", ")
}

// gateForm names how a gate is written, as ir.GateInfo.Form does, with "inf" for an
// instantaneous gate.
func gateForm(g *spec.Gate) string {
	switch {
	case g.Alpha != nil || g.Beta != nil:
		return ir.AlphaBeta.String()
	case g.Deriv != nil:
		return ir.Kinetic.String()
	case g.Tau != nil:
		return ir.InfTau.String()
	case g.Inf != nil:
		return "inf"
	}
	return "?"
}

// firstLine returns the first non-blank line of a doc, trimmed.
func firstLine(doc string) string {
	for line := range strings.SplitSeq(doc, "\n") {
		if s := strings.TrimSpace(line); s != "" {
			return s
		}
	}
	return ""
}
