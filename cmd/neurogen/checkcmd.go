package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/internal/suggest"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/spec"
)

var checkCommand = &command{
	name:     "check",
	summary:  "check specs and report their errors",
	synopsis: "neurogen check [-q] [-v] SPEC...",
	title:    "Check specs",
	doc: `Check loads and checks each SPEC and prints every error of every spec to standard error, one
per line, as file:line:col: message. For each valid spec it prints on standard output one line
that says what was checked: the model, its states, channels and ions, and the method (-q:
nothing; -v: also a line with every parameter and its value). SPEC "-" reads the standard input.
Structural errors (unknown or missing fields, values of the wrong YAML type) do not stop the
check: the rest of the spec is checked in the same run, and an error that only follows from
another (a use of a name whose declaration has an error) is not reported. Only a YAML syntax
error stops it.

	$ neurogen check specs/hh52.yaml bad.yaml
	specs/hh52.yaml: HH52 ok: 4 states (V, Na.m, Na.h, K.n), 3 channels (Na, K, L), method exp_auto
	bad.yaml:14:18: undefined: ` + "`" + `gK` + "`" + ` (did you mean ` + "`" + `g_max` + "`" + `?)

A SPEC with ` + "`" + `network:` + "`" + ` at the top is a network spec (docs/networks.md): check reads the group
specs it names, checks them and the network together, reports the errors of all of them at
once, and prints a line with the network's groups, projections, inputs and time step.

Check, gen, show, diff, run and build also print warnings, as file:line:col: warning:
message, about what is valid but likely wrong; a warning changes neither the exit status nor
the output. neurogen's currents are inward positive, g*(E - V), the opposite of NEURON's
outward-positive g*(v - e): a current whose slope at its reversal potential is positive (a
conductance current written (V - E), as copied from a .mod file) gets a warning at its
` + "`" + `current:` + "`" + ` that says so and how to turn it around:

	$ neurogen check -q cat.yaml
	cat.yaml:12:14: warning: the current of channel ` + "`" + `CaT` + "`" + ` increases with V at its reversal potential, so it is outward positive: neurogen's currents are inward positive, ` + "`" + `g*(E - V)` + "`" + `, unlike NEURON's outward-positive ` + "`" + `g*(v - e)` + "`" + `; write ` + "`" + `E_Ca - V` + "`" + ` for ` + "`" + `V - E_Ca` + "`" + `

The exit status is 0 when every spec is valid, 1 when any has an error or cannot be read.
`,
	minArgs: 1,
	maxArgs: -1,
	argName: "SPEC",
	new: func(fs *flagSet) runner {
		r := &checkRunner{}
		fs.boolFlag(&r.quiet, "q", false, "print nothing for a valid spec")
		fs.boolFlag(&r.verbose, "v", false, "also list each valid spec's parameters with their values")
		return r
	},
}

type checkRunner struct {
	quiet, verbose bool
}

func (r *checkRunner) run(e *env, args []string) error {
	failed := false
	for _, path := range args {
		src, name, err := readSpec(e, path)
		if err == nil && spec.IsNetwork(src) {
			net, err := check.LoadNetwork(name, src, check.NetworkOptions{})
			printNetworkWarnings(e, net)
			if err != nil {
				failed = true
				printError(e, "check", err)
			} else if !r.quiet {
				fmt.Fprintf(e.stdout, "%s: %s\n", name, networkSummary(net))
			}
			continue
		}
		var m *ir.Model
		if err == nil {
			m, err = checkSource(e, name, src, check.Options{})
		}
		if err != nil {
			failed = true
			printError(e, "check", err)
			continue
		}
		if r.quiet {
			continue
		}
		if path == "-" {
			path = stdinName
		}
		fmt.Fprintf(e.stdout, "%s: %s\n", path, checkSummary(m))
		if r.verbose {
			var ps []string
			for _, p := range m.Params {
				ps = append(ps, p.Name+" = "+strings.TrimSpace(p.Text))
			}
			fmt.Fprintf(e.stdout, "\t%s: %s\n", count(len(ps), "parameter"), strings.Join(ps, ", "))
		}
	}
	if failed {
		return errReported{}
	}
	return nil
}

// checkSummary says in one line what was checked: the model, its states, channels, ions,
// receptors and method. Lists of more than maxListed names end in "… and N more".
func checkSummary(m *ir.Model) string {
	var states, chans, ions []string
	for _, st := range m.States {
		states = append(states, st.Name)
	}
	for _, ch := range m.Channels {
		chans = append(chans, ch.Name)
	}
	for _, ion := range m.Ions {
		ions = append(ions, ion.Name)
	}
	parts := []string{listed(states, "state"), listed(chans, "channel")}
	if len(ions) > 0 {
		parts = append(parts, listed(ions, "ion"))
	}
	var recs []string
	for _, r := range m.Receptors {
		recs = append(recs, r.Name)
	}
	if len(recs) > 0 {
		parts = append(parts, listed(recs, "receptor"))
	}
	return fmt.Sprintf("%s ok: %s, method %s", m.Name, strings.Join(parts, ", "), m.Method)
}

// networkSummary says in one line what was checked of a network: its groups with their sizes
// and models, projections, inputs and time step.
func networkSummary(n *ir.Network) string {
	var groups, projs, inputs []string
	for _, g := range n.Groups {
		groups = append(groups, fmt.Sprintf("%s: %d × %s", g.Name, g.N, g.Model.Name))
	}
	for _, p := range n.Projections {
		projs = append(projs, fmt.Sprintf("%s %s→%s.%s", p.Name, p.Pre.Name, p.Post.Name, p.Receptor))
	}
	for _, in := range n.Inputs {
		inputs = append(inputs, fmt.Sprintf("%s %s→%s", in.Name, in.Kind, in.Group.Name))
	}
	parts := []string{listed(groups, "group"), listed(projs, "projection"), listed(inputs, "input")}
	return fmt.Sprintf("network %s ok: %s, dt %g ms", n.Name, strings.Join(parts, ", "), n.DT)
}

// maxListed is the most names checkSummary lists of one kind.
const maxListed = 10

// listed returns "N things (a, b, c)".
func listed(names []string, what string) string {
	s := count(len(names), what)
	if len(names) == 0 {
		return s
	}
	if len(names) > maxListed {
		names = append(names[:maxListed:maxListed], fmt.Sprintf("… and %d more", len(names)-maxListed))
	}
	return s + " (" + strings.Join(names, ", ") + ")"
}

// count returns "1 thing" or "N things".
func count(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// stdinName is how errors name a spec read from the standard input.
const stdinName = "<stdin>"

// loadModel reads, loads and checks the spec at path ("-" for e.stdin, where e may be nil
// otherwise). Errors in the spec come back as a spec.ErrorList, whose positions name the file
// as path; the file is refused when it is larger than spec.MaxSize.
func loadModel(e *env, path string, opts check.Options) (*ir.Model, error) {
	src, name, err := readSpec(e, path)
	if err != nil {
		return nil, err
	}
	return checkSource(e, name, src, opts)
}

// checkSource loads and checks the spec src read from the file name, as loadModel does.
func checkSource(e *env, name string, src []byte, opts check.Options) (*ir.Model, error) {
	// The checker runs even after structural errors, on what the loader could read, so that
	// every independent error comes out in one run.
	m, err := check.Load(name, src, opts)
	if m != nil && e != nil {
		// Warnings (a current written outward positive) do not stop anything.
		for _, w := range m.Warnings {
			fmt.Fprintf(e.stderr, "%s: warning: %s\n", w.Pos, oneLine(w.Msg))
		}
	}
	return m, err
}

// readSpec reads the spec file at path, or the standard input for "-", and returns it with
// the name errors use for it. It reads at most spec.MaxSize+1 bytes, so that spec.Load
// reports a larger file as too large without reading it all.
func readSpec(e *env, path string) (src []byte, name string, err error) {
	var r io.Reader
	name = path
	if path == "-" && e != nil && e.stdin != nil {
		r, name = e.stdin, stdinName
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, path, err
		}
		defer f.Close()
		r = f
	}
	src, err = io.ReadAll(io.LimitReader(r, spec.MaxSize+1))
	if err != nil {
		if name == stdinName {
			return nil, name, fmt.Errorf("reading the standard input: %w", err)
		}
		return nil, name, &os.PathError{Op: "read", Path: path, Err: unwrapPathError(err)}
	}
	return src, name, nil
}

// unwrapPathError returns the error inside a *os.PathError, or err.
func unwrapPathError(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// printError prints an error of command cmd: a spec's errors one per line as they are
// (file:line:col: message), anything else after "neurogen CMD: ".
func printError(e *env, cmd string, err error) {
	var list spec.ErrorList
	if errors.As(err, &list) {
		for _, se := range list {
			fmt.Fprintln(e.stderr, oneLine(se.Error()))
		}
		return
	}
	fmt.Fprintf(e.stderr, "neurogen %s: %v\n", cmd, err)
}

// oneLine keeps an error message on one line, so that every line of the output is one error.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n") {
		return s
	}
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' }), " ")
}

// validMethod checks a -method flag against ir.Methods.
func validMethod(m string) error {
	if _, ok := ir.ParseMethod(m); m == "" || ok {
		return nil
	}
	if s := suggest.Closest(m, ir.MethodNames()); s != "" {
		return usageErrorf("-method %s: unknown method (did you mean %s?)", m, s)
	}
	return usageErrorf("-method %s: unknown method (want one of %s)", m, strings.Join(ir.MethodNames(), ", "))
}

// printNetworkWarnings prints the warnings of each group spec of a network once, however many
// groups use it. net may be nil (a network that did not load).
func printNetworkWarnings(e *env, net *ir.Network) {
	if net == nil {
		return
	}
	seen := map[*ir.Model]bool{}
	for _, g := range net.Groups {
		if !seen[g.Model] {
			seen[g.Model] = true
			for _, w := range g.Model.Warnings {
				fmt.Fprintf(e.stderr, "%s: warning: %s\n", w.Pos, oneLine(w.Msg))
			}
		}
	}
}
