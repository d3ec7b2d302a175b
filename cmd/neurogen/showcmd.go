package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/symbolic"
)

var showCommand = &command{
	name:     "show",
	summary:  "print what neurogen derived from a spec, or its Go code",
	synopsis: "neurogen show SPEC [-method METHOD] [-tables [-table-error E]]\n[-go [-pkg NAME] [-simd] [-float32] [-line]]",
	title:    "Show what neurogen derived from a spec",
	doc: `Show checks SPEC and prints, for a person to read, what the checker derived from it, in
sections:

  - Variables: each state (V, the gates, the concentrations), parameter (with its value in
    neurogen's internal units), the input I_ext, the time t, and each rate and current that
    the step computes on the way: its spec name, the Go local it becomes in the generated
    code, and its unit.
  - Initial state: what Reset sets each state to.
  - Equations: the statements of Step in the order it computes them, after the symbolic
    passes (units folded, singularities rewritten, derivatives taken, subexpressions
    shared): first those that depend on group-wide values only, computed once per step
    before the loop over neurons, then those computed per neuron. Each is LOCAL [UNIT] =
    EXPRESSION, with spec names for states and parameters (Na.m, Na.g_max) and Go locals
    for the values of other statements, followed by the comments the generated code
    carries (the spec text it came from).
  - Linear coefficients (exp_auto and staggered): for each state x, the statement that
    computes L = ∂(dx/dt)/∂x, which the exponential step uses (and Crank–Nicolson, for V
    under staggered), and, where it is short, the same with the shared subexpressions
    inlined; for a receptor state x driven by others (AlphaCond's g by x), each coupling
    coefficient K = ∂(dx/dt)/∂y, with which the step integrates x exactly together with y.
  - Singularities rewritten: each removable singularity, in which rate, at which V, before
    and after.
  - Shared subexpressions: the statements (s1, s2, …) that the scheduler introduced for
    what several statements compute, shared exponentials included, with their users.
  - Folded constants: each exponential computed from a shared one of the same variable, as
    a factor times a power of it (HH52's exp(-(V+35)/10) is e^0.5 times exp(-(V+40)/10);
    Traub–Miles' exp((u - 40)/5) is 1/exp((40 - u)/5)), the factor a number or, where
    group-wide parameters do not cancel, a statement computed before the loop, and each
    parameter whose value was converted to the internal unit.

-method shows the model of another integration method. -tables (and -table-error E) says
which gates rate tables advance, as gen -tables does, and marks the statements that are then
computed only for V outside the tables. The output is the same for the same spec and flags:

	$ neurogen show specs/hh52.yaml
	...
	Linear coefficients of exp_auto: L = ∂(dx/dt)/∂x, as Step computes it
	  V     L_V     = s5 * (-K.g_max * s4 - Na.g_max * Na.h * s3 - L.g_max)
	                = (-K.g_max * K.n**4 - Na.g_max * Na.h * Na.m**3 - L.g_max) / C
	  Na.m  L_Na_m  = -Na_m_alpha - Na_m_beta
	...

-go prints instead the Go source that gen would write with the same flags, to standard
output: each file whole, preceded by a line "// file NAME" when there are several (with
-simd). -pkg NAME, -simd, -float32 and -line are gen's; -simd, -float32 and -line change
only the generated code, so they need -go. Show reads SPEC from a file, as gen does, and
prints the errors of a bad spec as check does (exit status 1).

A network spec (docs/networks.md) shows what the network is: its time step and seed; its
groups (size, model, method, spec file); the initial values the spec gives (value or
distribution, in the state's internal unit with the spec's text, and the random stream); the
receptors of its models (what an event of weight w does, w's unit, the current); each
projection with its rule, its synapse count (exact for all-to-all, in-degree and one-to-one,
the expected count for a probability, "≈"; a file's is not read), weight (and how weights
drawn per synapse are stored), delay in steps, short-term plasticity and seed; the total
synapse count; and its inputs. -tables adds each model's rate tables. -go prints the files gen
writes for it (the network's package and its models' packages, each after "// file NAME"),
with -method, -tables, -simd, -line and -pkg as gen takes them; its models' packages are
imported by the network package's name, where gen writes the import path of -o:

	$ neurogen show specs/networks/cobahh.yaml
	...
	  exc_all/exc: exc → exc.E (g += w)
	    rule        each pair with probability 0.02, no self-connections
	    synapses    ≈ 204736
	...

The exit status is 0 on success, 1 for errors in the spec (printed as check prints them) or in
generating the code, 2 for a bad command line.
`,
	minArgs: 1,
	maxArgs: 1,
	argName: "SPEC",
	new: func(fs *flagSet) runner {
		r := &showRunner{}
		r.defineMethodTables(fs)
		fs.boolFlag(&r.goSource, "go", false, "print the generated Go source instead")
		r.definePkg(fs)
		r.defineSIMD(fs)
		r.defineFloat32(fs)
		r.defineLine(fs)
		return r
	},
}

// showRunner takes gen's flags that say what to generate (not -o and -v), and -go.
type showRunner struct {
	genFlags
	goSource bool
}

func (r *showRunner) run(e *env, args []string) error {
	if src, ok := isNetworkFile(args[0]); ok {
		return r.showNetwork(e, args[0], src)
	}
	if !r.goSource {
		for _, f := range []struct {
			name string
			on   bool
		}{{"-simd", r.simd}, {"-float32", r.float32}, {"-line", r.line}} {
			if f.on {
				return usageErrorf("%s changes only the generated code: use it with -go", f.name)
			}
		}
	}
	m, files, tables, err := r.generatePackage(e, "show", args[0])
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if r.goSource {
		names := sortedKeys(files)
		for _, name := range names {
			if len(names) > 1 {
				fmt.Fprintf(&out, "// file %s\n", name)
			}
			out.Write(files[name])
		}
	} else {
		var plan *codegen.TablePlan
		if tables != nil {
			if plan, err = codegen.PlanTables(m, *tables); err != nil {
				return err
			}
		}
		writeShow(&out, m, plan)
	}
	_, err = e.stdout.Write(out.Bytes())
	return err
}

// methodNotes describes each integration method in a line or two.
var methodNotes = map[ir.Method]string{
	ir.ExpAuto: "each state by the exponential step x(t+dt) = x + dt * exprel(dt * L) * dx/dt,\n" +
		"with L = ∂(dx/dt)/∂x: exact when dx/dt = L*x + b",
	ir.Staggered: "the other states half a step out of phase with V: V by Crank–Nicolson,\n" +
		"V(t+dt) = V + dt * dV/dt / (1 - dt/2 * L), with the others held at t+dt/2; then the others\n" +
		"by the exponential step from t+dt/2 to t+3dt/2, their statements evaluated again at V(t+dt)",
	ir.Euler: "forward Euler, x(t+dt) = x + dt * dx/dt",
	ir.RK2:   "the explicit midpoint method (second-order Runge–Kutta), all states together",
	ir.RK4:   "the classic fourth-order Runge–Kutta method, all states together",
}

// shower prints a model; see writeShow.
type shower struct {
	m    *ir.Model
	plan *codegen.TablePlan
	// spec maps the Go locals of states, parameters, the input and the time to spec names.
	spec map[string]string
	// stmts are the statements by local; shared those the scheduler introduced.
	stmts  map[string]*ir.Stmt
	shared map[string]bool
	// users lists the statements of the step that use each symbol, in schedule order.
	users map[string][]string
	// id gives the Go local of each symbol of the model, as the generated code names it.
	id func(sym string) string
	// outside are the statements needed only by tabulated gates: computed only for V outside
	// the tables.
	outside map[*ir.Stmt]bool
}

// writeShow prints, for a person to read, what the checker derived from a spec: the model's
// variables, its statements in schedule order, its linear coefficients, singularity rewrites,
// shared subexpressions and folded constants. plan, when not nil, is the model's rate tables.
func writeShow(w io.Writer, m *ir.Model, plan *codegen.TablePlan) {
	s := &shower{m: m, plan: plan, id: codegen.Locals(m), spec: map[string]string{m.Input: "I_ext", m.Time: "t"},
		stmts: map[string]*ir.Stmt{}, shared: map[string]bool{}, users: map[string][]string{}}
	for _, p := range m.Params {
		s.spec[p.Local] = p.Name
	}
	for _, st := range m.States {
		s.spec[st.Local] = st.Name
	}
	for _, st := range append(slices.Clone(m.Pre), m.Body...) {
		s.stmts[st.Local] = st
		if len(st.Comment) > 0 && strings.HasPrefix(st.Comment[0], "shared: ") {
			s.shared[st.Local] = true
		}
	}
	pre, body := s.stepStmts()
	for _, st := range append(slices.Clone(pre), body...) {
		for _, v := range symbolic.Vars(st.Expr) {
			if !slices.Contains(s.users[v], st.Local) {
				s.users[v] = append(s.users[v], st.Local)
			}
		}
	}
	if plan != nil {
		s.outside = map[*ir.Stmt]bool{}
		var roots []*ir.Stmt
		for _, st := range m.States {
			if !slices.Contains(plan.Gates, st) {
				roots = append(roots, st.Deriv, st.Linear)
			}
		}
		_, rest := m.Closure(roots...)
		for _, st := range body {
			if !slices.Contains(rest, st) {
				s.outside[st] = true
			}
		}
	}

	fmt.Fprintf(w, "%s (package %s) from %s\n", m.Name, m.Package, m.SpecFile)
	fmt.Fprintf(w, "method %s: %s\n", m.Method, showIndent(methodNotes[m.Method], "  "))
	if plan != nil {
		fmt.Fprintf(w, "%s\n", showWrap(plan.Report(), 96, "  "))
	}
	if m.Refractory > 0 {
		fmt.Fprintf(w, "spikes: V > V_th after a step, refractory %s ms (Brian2's threshold and refractory period), stamped with the step's start\n", showNum(m.Refractory))
	}
	s.variables(w)
	s.initial(w)
	s.equations(w, pre, body)
	s.linear(w)
	s.rewrites(w)
	s.sharedStmts(w, append(slices.Clone(pre), body...))
	s.folded(w)
}

// stepStmts returns the statements that Step computes, as codegen's step does: those its
// states' derivatives and linear coefficients need.
func (s *shower) stepStmts() (pre, body []*ir.Stmt) {
	return s.m.StepClosure()
}

// pretty prints e with spec names for states, parameters, the input and the time, and Go
// locals for the values of statements.
func (s *shower) pretty(e *symbolic.Expr) string {
	var b strings.Builder
	symbolic.Print(&b, e, func(n string) string {
		if name, ok := s.spec[n]; ok {
			return name
		}
		return s.id(n)
	})
	return b.String()
}

// ids returns the Go locals of the symbols.
func (s *shower) ids(syms []string) []string {
	out := make([]string, len(syms))
	for i, n := range syms {
		out[i] = s.id(n)
	}
	return out
}

// showHeading starts a section.
func showHeading(w io.Writer, title string) {
	fmt.Fprintf(w, "\n%s\n", title)
}

func (s *shower) variables(w io.Writer) {
	m := s.m
	showHeading(w, "Variables: spec name, Go local, unit (values in these units)")
	var rows [][]string
	row := func(kind, name, local, unit, note string) {
		rows = append(rows, []string{"  " + kind, name, s.id(local), unit, note})
	}
	for _, st := range m.States {
		note := ""
		switch st.Kind {
		case ir.Voltage:
			note = "membrane potential"
		case ir.Gate:
			note = fmt.Sprintf("gate of %s, %s", st.Channel.Name, st.Gate.Form)
		case ir.Concentration:
			note = fmt.Sprintf("inner concentration of %s, %s", st.Ion.Name, st.Ion.Dynamics)
		case ir.Receptor:
			note = "state of receptor " + st.Receptor.Name
		}
		row("state", st.Name, st.Local, st.Unit, note)
	}
	for _, p := range m.Params {
		note := "= " + showNum(p.Default)
		if p.PerNeuron {
			note += " by default, per neuron"
		}
		row("parameter", p.Name, p.Local, p.Unit, note)
	}
	row("input", "I_ext", m.Input, "uA/cm2", "per neuron, Input() or -set I_ext=...")
	row("time", "t", m.Time, "ms", "at the start of the step")
	for _, r := range m.Rates {
		row("rate", r.Name, r.Stmt.Local, r.Unit, polesNote(r.Poles))
	}
	for _, ch := range m.Channels {
		if ch.Current != nil {
			row("current", ch.Name+".I", ch.Current.Local, "uA/cm2", "inward positive")
		}
	}
	for _, ion := range m.Ions {
		if ion.Current != nil {
			var carriers []string
			for _, ch := range ion.Channels {
				carriers = append(carriers, ch.Name)
			}
			row("current", ion.Name, ion.Current.Local, "uA/cm2", "total of "+strings.Join(carriers, ", "))
		}
	}
	for _, r := range m.Receptors {
		if r.Current == nil {
			continue
		}
		var incs []string
		for _, inc := range r.Events {
			scale := ""
			if inc.Scale != 1 {
				scale = showNum(inc.Scale) + "*"
			}
			incs = append(incs, fmt.Sprintf("%s += %sw", inc.State.Name, scale))
		}
		note := fmt.Sprintf("receptor: an event of weight w (%s) does %s", r.WeightUnit, strings.Join(incs, "; "))
		if len(r.Assigns) > 0 {
			note = fmt.Sprintf("receptor: an event of weight w (%s) does %s, one event at a time", r.WeightUnit, oneLine(r.EventText))
		}
		if r.Kinetic != nil {
			note = fmt.Sprintf("kinetic receptor: an event of weight w (%s) sets %s, sums of w·%s", r.WeightUnit, oneLine(r.EventText), r.Kinetic.State)
		}
		row("current", r.Name+".I", r.Current.Local, "uA/cm2", note)
	}
	showTable(w, rows)
}

func (s *shower) initial(w io.Writer) {
	m := s.m
	showHeading(w, "Initial state (Reset)")
	v := m.VInit
	rows := [][]string{{"  V", "= " + showNum(v.Value) + " mV"}}
	if v.Uniform {
		rows[0][1] = fmt.Sprintf("= uniform(%s mV, %s mV), seed %d", showNum(v.Lo), showNum(v.Hi), m.Seed)
	}
	for _, st := range m.States[1:] {
		if st.Init == nil {
			continue
		}
		note := ""
		if st.Kind == ir.Gate && st.Gate.Form != ir.Kinetic {
			note = "(its steady state at V)"
		}
		rows = append(rows, []string{"  " + st.Name, "= " + s.pretty(st.Init), note})
	}
	showTable(w, rows)
}

// units returns the unit of the value of each statement that has a known one.
func (s *shower) units() map[string]string {
	u := map[string]string{}
	for _, r := range s.m.Rates {
		u[r.Stmt.Local] = r.Unit
	}
	for _, ch := range s.m.Channels {
		u[ch.Current.Local] = "uA/cm2"
	}
	for _, ion := range s.m.Ions {
		if ion.Current != nil {
			u[ion.Current.Local] = "uA/cm2"
		}
	}
	for _, st := range s.m.States {
		u[st.Deriv.Local] = perMs(st.Unit)
		if st.Linear != nil {
			u[st.Linear.Local] = "1/ms"
		}
	}
	return u
}

// polesNote describes the removable singularities at the potentials vs (mV), or is "".
func polesNote(vs []float64) string {
	var at []string
	for _, v := range vs {
		at = append(at, showNum(v))
	}
	switch len(at) {
	case 0:
		return ""
	case 1:
		return "removable singularity at V = " + at[0] + " mV"
	}
	return "removable singularities at V = " + strings.Join(at, ", ") + " mV"
}

// perMs is the unit of the time derivative of a quantity in unit.
func perMs(unit string) string {
	if unit == "1" {
		return "1/ms"
	}
	return unit + "/ms"
}

func (s *shower) equations(w io.Writer, pre, body []*ir.Stmt) {
	unit := s.units()
	showHeading(w, "Equations: the statements of Step in the order it computes them")
	emit := func(st *ir.Stmt) {
		u := ""
		if unit[st.Local] != "" {
			u = " [" + unit[st.Local] + "]"
		}
		fmt.Fprintf(w, "  %s%s = %s\n", s.id(st.Local), u, s.pretty(st.Expr))
		for i, c := range st.Comment {
			switch {
			case i == 0 && s.shared[st.Local]:
				c = "shared by " + strings.Join(s.ids(s.users[st.Local]), ", ")
			case strings.HasPrefix(c, "removable singularity"):
				c, _, _ = strings.Cut(c, ":")
				c += " (see Singularities)"
			}
			fmt.Fprintf(w, "      # %s\n", c)
		}
		if s.outside[st] {
			fmt.Fprintf(w, "      # only for V outside the rate tables\n")
		}
	}
	if len(pre) > 0 {
		fmt.Fprintf(w, "Once per step, before the loop over neurons (group-wide values only):\n")
		for _, st := range pre {
			emit(st)
		}
	}
	fmt.Fprintf(w, "Per neuron:\n")
	for _, st := range body {
		emit(st)
	}
	// Statements that only Rates and Currents evaluate.
	inStep := map[*ir.Stmt]bool{}
	for _, st := range append(slices.Clone(pre), body...) {
		inStep[st] = true
	}
	var rest []*ir.Stmt
	for _, st := range append(slices.Clone(s.m.Pre), s.m.Body...) {
		if !inStep[st] {
			rest = append(rest, st)
		}
	}
	if len(rest) > 0 {
		fmt.Fprintf(w, "Not needed by Step, evaluated by Rates or Currents only:\n")
		for _, st := range rest {
			emit(st)
		}
	}
}

func (s *shower) linear(w io.Writer) {
	m := s.m
	if !m.Method.Linearised() {
		return
	}
	showHeading(w, fmt.Sprintf("Linear coefficients of %s: L = ∂(dx/dt)/∂x, as Step computes it", m.Method))
	inline := func(e *symbolic.Expr) *symbolic.Expr {
		for range len(s.shared) + 1 {
			e = symbolic.Substitute(e, func(n string) *symbolic.Expr {
				if s.shared[n] {
					return s.stmts[n].Expr
				}
				return nil
			})
		}
		return e
	}
	var rows [][]string
	for _, st := range m.States {
		stmt := st.Linear
		if stmt == nil {
			continue
		}
		rows = append(rows, []string{"  " + st.Name, s.id(stmt.Local), "= " + s.pretty(stmt.Expr)})
		// The same with the shared subexpressions inlined, where that is short enough to read.
		if in := s.pretty(inline(stmt.Expr)); in != s.pretty(stmt.Expr) && len(in) <= maxInline {
			rows = append(rows, []string{"", "", "= " + in})
		}
		if s.plan != nil && slices.Contains(s.plan.Gates, st) {
			rows = append(rows, []string{"", "", fmt.Sprintf("# from the rate table for V in [%s, %s) mV", showNum(s.plan.VMin), showNum(s.plan.VMax))})
		}
		for _, c := range st.Coupled {
			rows = append(rows, []string{"", s.id(c.Coef.Local), fmt.Sprintf("= %s  # ∂(d%s/dt)/∂%s: integrated exactly with %s", s.pretty(c.Coef.Expr), st.Name, c.From.Name, c.From.Name)})
		}
	}
	showTable(w, rows)
}

// maxInline bounds the length of a linear coefficient with its shared subexpressions inlined,
// which show prints only when it is no longer.
const maxInline = 80

func (s *shower) rewrites(w io.Writer) {
	showHeading(w, "Singularities rewritten")
	if len(s.m.Rewrites) == 0 {
		fmt.Fprintf(w, "  none\n")
	}
	for _, rw := range s.m.Rewrites {
		at := polesNote(rw.Poles)
		if at != "" {
			at = ", " + at
		}
		fmt.Fprintf(w, "  %s%s\n", rw.Where, at)
		fmt.Fprintf(w, "      before: %s\n", rw.Before)
		fmt.Fprintf(w, "      after:  %s\n", rw.After)
	}
}

func (s *shower) sharedStmts(w io.Writer, stmts []*ir.Stmt) {
	showHeading(w, "Shared subexpressions, computed once and used by several statements")
	n := 0
	for _, st := range stmts {
		if !s.shared[st.Local] {
			continue
		}
		n++
		what := "used by"
		if st.Expr.Op == symbolic.OpCall && st.Expr.Name == "exp" {
			what = "an exponential, used by"
		}
		fmt.Fprintf(w, "  %s = %s\n      # %s %s\n", s.id(st.Local), s.pretty(st.Expr), what, strings.Join(s.ids(s.users[st.Local]), ", "))
	}
	if n == 0 {
		fmt.Fprintf(w, "  none\n")
	}
}

func (s *shower) folded(w io.Writer) {
	m := s.m
	showHeading(w, "Folded constants")
	n := 0
	if len(m.SharedExps) > 0 {
		fmt.Fprintf(w, "Exponentials computed from a shared one, e^(d - k*d0) * exp(c*x + d0)**k:\n")
		// The shared exponentials by the key of their expression.
		byKey := map[string]string{}
		for _, st := range append(slices.Clone(m.Pre), m.Body...) {
			if s.shared[st.Local] {
				byKey[st.Expr.Key()] = st.Local
			}
		}
		var rows [][]string
		for _, se := range m.SharedExps {
			as := substituteKeys(se.As, byKey)
			note := ""
			if c, ok := expFactor(as); ok {
				note = fmt.Sprintf("(%s = e^%s)", showNum(c), strconv.FormatFloat(math.Log(c), 'g', 12, 64))
			}
			rows = append(rows, []string{"  " + s.pretty(se.Exp), "= " + s.pretty(as), note})
			n++
		}
		showTable(w, rows)
	}
	var conv []*ir.Param
	for _, p := range m.Params {
		if p.Text != showNum(p.Default)+" "+p.Unit {
			conv = append(conv, p)
		}
	}
	if len(conv) > 0 {
		fmt.Fprintf(w, "Parameters converted to the internal units:\n")
		var rows [][]string
		for _, p := range conv {
			rows = append(rows, []string{"  " + p.Name, "= " + p.Text, "= " + showNum(p.Default) + " " + p.Unit})
			n++
		}
		showTable(w, rows)
	}
	if n == 0 {
		fmt.Fprintf(w, "  none\n")
	}
}

// showTable prints rows with their columns aligned, two spaces apart, and no trailing blanks.
func showTable(w io.Writer, rows [][]string) {
	var width []int
	for _, r := range rows {
		for i, c := range r {
			if i == len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], utf8.RuneCountInString(c))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, c := range r {
			b.WriteString(c)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", width[i]-utf8.RuneCountInString(c)+2))
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
}

// substituteKeys replaces the subexpressions of e whose keys are in names by those names.
func substituteKeys(e *symbolic.Expr, names map[string]string) *symbolic.Expr {
	if name, ok := names[e.Key()]; ok {
		return symbolic.Var(name)
	}
	if len(e.Args) == 0 {
		return e
	}
	args := make([]*symbolic.Expr, len(e.Args))
	for i, a := range e.Args {
		args[i] = substituteKeys(a, names)
	}
	return symbolic.Rebuild(e, args)
}

// expFactor returns the constant factor of a product, if it has one other than 1.
func expFactor(e *symbolic.Expr) (float64, bool) {
	if e.Op != symbolic.OpMul {
		return 0, false
	}
	c, ok := e.Args[0].IsConst()
	return c, ok && c > 0 && c != 1
}

// showNum formats a number in the shortest form that reads back to it, zero as 0, never -0.
func showNum(v float64) string { return strconv.FormatFloat(v+0, 'g', -1, 64) }

// showIndent puts prefix before every line of s but the first.
func showIndent(s, prefix string) string {
	return strings.ReplaceAll(s, "\n", "\n"+prefix)
}

// showWrap breaks s into lines of at most width bytes at spaces, every line after the first
// starting with prefix.
func showWrap(s string, width int, prefix string) string {
	var b strings.Builder
	line := 0
	for i, word := range strings.Fields(s) {
		if i > 0 {
			if line+1+len(word) > width {
				b.WriteString("\n" + prefix)
				line = len(prefix)
			} else {
				b.WriteByte(' ')
				line++
			}
		}
		b.WriteString(word)
		line += len(word)
	}
	return b.String()
}
