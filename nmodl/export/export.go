// Package export writes the channels of a checked neurogen model (ir.Model) as NMODL .mod
// files that NEURON compiles (nrnivmodl), so that a neurogen model can be run and cross-checked
// in NEURON.
//
// Each channel becomes one density mechanism, SUFFIX MODEL_CHANNEL: its parameters in a
// PARAMETER block with units, its gates as STATEs set to neurogen's initial values (the steady
// state at v) in INITIAL, their rates computed by a PROCEDURE rates() into ASSIGNED variables, and
// the gates integrated by `SOLVE states METHOD cnexp`, which at a fixed v integrates a gate
// exactly as neurogen's exp_auto does. Conventions are converted back: neurogen's currents are
// inward positive in uA/cm2 and its conductances in mS/cm2, NMODL's currents outward positive in
// mA/cm2 and conductances in S/cm2 (a parameter in mS/cm2 is written in S/cm2, and the
// expressions use 1000 times it). A channel that carries an ion writes i<ion> (USEION), one
// without an ion writes a NONSPECIFIC_CURRENT i; the ion's reversal potential and concentrations
// that the channel reads become e<ion>, <ion>i and <ion>o (READ), and the group's temperature T
// becomes celsius + 273.15 (K).
//
// The model should be the checked model before the middle end (check.Options.Unoptimized): one
// statement per rate, current and derivative, which the .mod file keeps as written.
package export

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/spec"
	"github.com/neurogen/neurogen/symbolic"
)

// Files returns the .mod file of each channel of m, and of each ion's dynamics (a calcium
// pool), by file name (the mechanism's SUFFIX with ".mod"), or a spec.ErrorList with every
// channel that cannot be exported yet, each at its place in the spec.
func Files(m *ir.Model) (map[string][]byte, error) {
	files, _, err := exportAll(m)
	return files, err
}

// Notes returns what a NEURON user must do for the files of m to run as neurogen runs them:
// set celsius where the rates use the temperature, keep a fixed reversal potential from being
// computed from the concentration that a pool writes. It returns nil where m cannot be
// exported.
func Notes(m *ir.Model) []string {
	_, notes, _ := exportAll(m)
	return notes
}

func exportAll(m *ir.Model) (map[string][]byte, []string, error) {
	out := map[string][]byte{}
	var errs spec.ErrorList
	celsius := false
	reads := map[string]bool{}
	for _, ch := range m.Channels {
		x := &exporter{m: m, ch: ch, suffix: Suffix(m, ch), what: "channel `" + ch.Name + "`"}
		src, ok := x.channel()
		errs = append(errs, x.errs...)
		if ok {
			out[x.suffix+".mod"] = src
			celsius = celsius || x.usesCelsius()
			for _, r := range x.reads {
				reads[r] = true
			}
		}
	}
	var notes []string
	for _, in := range m.Ions {
		if in.Dynamics == ir.Fixed || in.State == nil {
			continue
		}
		x := &exporter{m: m, suffix: PoolSuffix(m, in), what: "ion `" + in.Name + "`'s dynamics"}
		src, ok := x.pool(in)
		if _, dup := out[x.suffix+".mod"]; dup {
			x.errorf(in.State.Deriv.Pos, "its mechanism's name %s is a channel's", x.suffix)
		} else if ok {
			out[x.suffix+".mod"] = src
			celsius = celsius || x.usesCelsius()
		}
		errs = append(errs, x.errs...)
		if l := strings.ToLower(in.Name); reads["e"+l] {
			notes = append(notes, fmt.Sprintf("%s writes %si and channels read e%s, which the spec fixes: in NEURON, keep e%s from being computed from %si with ion_style(\"%s_ion\", 3, 1, 0, 0, 0) and set e%s", x.suffix, l, l, l, l, l, l))
		}
	}
	for _, r := range m.Receptors {
		x := &exporter{m: m, suffix: ReceptorName(m, r), what: "receptor `" + r.Name + "`"}
		src, why := x.receptor(r)
		if _, dup := out[x.suffix+".mod"]; dup && why == "" {
			why = "its mechanism's name " + x.suffix + " is another's"
		}
		if why != "" {
			notes = append(notes, fmt.Sprintf("receptor %s is not exported: %s", r.Name, why))
			continue
		}
		out[x.suffix+".mod"] = src
		celsius = celsius || x.usesCelsius()
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, nil, errs
	}
	if celsius {
		for _, p := range m.Params {
			if isTemperature(p) {
				notes = append([]string{fmt.Sprintf("the rates use the temperature: in NEURON, set celsius to the spec's T, %s (NEURON's default is 6.3 degC)", p.Text)}, notes...)
			}
		}
	}
	return out, notes, nil
}

// Suffix is the NMODL SUFFIX of channel ch of m: the model's and the channel's names joined by
// an underscore, with every character that NMODL names cannot hold replaced by an underscore.
func Suffix(m *ir.Model, ch *ir.Channel) string {
	return identifier(m.Name + "_" + ch.Name)
}

var nonIdent = regexp.MustCompile(`[^A-Za-z0-9_]`)

func identifier(s string) string {
	s = nonIdent.ReplaceAllString(s, "_")
	if s == "" || (s[0] >= '0' && s[0] <= '9') {
		s = "_" + s
	}
	return s
}

// reserved are names NMODL or NEURON give a meaning of their own.
var reserved = map[string]bool{
	"v": true, "t": true, "dt": true, "celsius": true, "area": true, "diam": true, "i": true,
	"rates": true, "states": true, "secondorder": true, "pi": true, "FARADAY": true, "R": true,
	"PI": true, "e": true, "exprel": true, "expm1": true, "log1p": true, "vmin": true, "vmax": true,
	"vclip": true, "if": true, "else": true, "while": true, "for": true, "exp": true, "log": true,
	// NMODL's keywords that a spec's names could be.
	"FROM": true, "TO": true, "BY": true, "WITH": true, "TABLE": true, "DEPEND": true, "LOCAL": true,
	"STATE": true, "PARAMETER": true, "ASSIGNED": true, "CONSTANT": true, "SOLVE": true,
	"METHOD": true, "KINETIC": true, "CONSERVE": true, "COMPARTMENT": true, "INITIAL": true,
	"BREAKPOINT": true, "DERIVATIVE": true, "PROCEDURE": true, "FUNCTION": true, "NEURON": true,
	"UNITS": true, "RANGE": true, "GLOBAL": true, "SUFFIX": true, "USEION": true, "READ": true,
	"WRITE": true, "VALENCE": true, "TITLE": true, "COMMENT": true, "ENDCOMMENT": true,
	"VERBATIM": true, "ENDVERBATIM": true, "UNITSON": true, "UNITSOFF": true, "WATCH": true,
	"LINEAR": true, "NONLINEAR": true, "STEADYSTATE": true, "INDEPENDENT": true, "DEFINE": true,
	"INCLUDE": true, "POINTER": true, "THREADSAFE": true, "NONSPECIFIC_CURRENT": true,
	// A STATE x has an initial value x0 in the C that nocmodl writes, where y0 and j0 are
	// Bessel functions of math.h.
	"y": true, "j": true,
	// The ions' variables of NEURON's three ions.
	"ina": true, "ik": true, "ica": true, "ena": true, "ek": true, "eca": true, "nai": true,
	"nao": true, "ki": true, "ko": true, "cai": true, "cao": true,
}

// exporter writes one channel.
type exporter struct {
	m      *ir.Model
	ch     *ir.Channel
	suffix string
	what   string // what errors name: "channel `Na`"
	errs   spec.ErrorList

	names  map[string]string         // symbol → its NMODL name (gates, rates, parameters)
	subst  map[string]*symbolic.Expr // symbol → what it is in NMODL variables
	taken  map[string]bool
	funcs  map[string]bool // helper functions used
	reads  []string        // ion variables read
	params []*ir.Param     // the channel's own (and the group's) parameters, in model order
	stmts  []*ir.Stmt      // the rates' statements (everything but current and derivatives)
	temps  int             // conditional temporaries
	// derivs are the gates' derivatives with their conditionals that do not depend on the
	// gates computed by rates() (as statements of stmts).
	derivs map[*ir.State]*symbolic.Expr
}

func (x *exporter) errorf(pos spec.Pos, format string, args ...any) {
	x.errs.Add(pos, "", x.what+": cannot export to NMODL: "+format, args...)
}

// name gives symbol sym the NMODL name want (or want with underscores added where it is
// taken), and returns it.
func (x *exporter) name(sym, want string) string {
	n := identifier(want)
	for x.taken[n] || reserved[n] {
		n += "_"
	}
	x.taken[n] = true
	x.names[sym] = n
	x.subst[sym] = symbolic.Var(n)
	return n
}

// channel writes the channel's .mod file.
func (x *exporter) channel() ([]byte, bool) {
	m, ch := x.m, x.ch
	x.names, x.subst, x.taken, x.funcs = map[string]string{}, map[string]*symbolic.Expr{}, map[string]bool{}, map[string]bool{}
	ion := strings.ToLower(ch.Ion)
	curPos := ch.Current.Pos

	// What the channel needs: its current, its gates' derivatives and initial values.
	roots := []*ir.Stmt{ch.Current}
	var inits []*symbolic.Expr
	for _, g := range ch.Gates {
		roots = append(roots, g.Deriv)
		if g.Init != nil {
			inits = append(inits, g.Init)
		}
	}
	pre, body := m.Closure(roots...)
	ipre, ibody := m.ExprClosure(inits...)
	stmts := map[string]*ir.Stmt{}
	for _, st := range slices.Concat(pre, body, ipre, ibody) {
		stmts[st.Local] = st
	}
	isDeriv := map[string]*ir.State{}
	for _, g := range ch.Gates {
		isDeriv[g.Deriv.Local] = g
	}
	for _, st := range slices.Concat(m.Pre, m.Body) {
		if stmts[st.Local] != nil && st != ch.Current && isDeriv[st.Local] == nil {
			x.stmts = append(x.stmts, st)
		}
	}

	// The symbols every expression uses.
	used := map[string]bool{}
	var exprs []*symbolic.Expr
	for _, st := range stmts {
		exprs = append(exprs, st.Expr)
	}
	exprs = append(exprs, inits...)
	for _, e := range exprs {
		for _, v := range symbolic.Vars(e) {
			used[v] = true
		}
	}
	if used[m.Input] {
		x.errorf(curPos, "it uses the group's input `I_ext`, which an NMODL density mechanism does not see (in NEURON, inject it with an IClamp)")
	}

	// Names: gates first, then the rates, parameters and what the ions give. The time is
	// NEURON's t (which a fixed step has at its middle for currents, at its end for states,
	// where neurogen has the step's start).
	x.subst["V"] = symbolic.Var("v")
	x.subst[m.Time] = symbolic.Var("t")
	for _, g := range ch.Gates {
		x.name(g.Local, shortName(g.Name, ch.Name))
	}
	for _, r := range m.Rates {
		if stmts[r.Stmt.Local] != nil {
			x.name(r.Stmt.Local, strings.ReplaceAll(shortName(r.Name, ch.Name), ".", "_"))
		}
	}
	for _, st := range x.stmts {
		if _, ok := x.names[st.Local]; !ok {
			x.name(st.Local, strings.TrimPrefix(st.Local, identifier(ch.Name)+"_"))
		}
	}
	ionOf := map[string]*ir.Ion{}
	for _, in := range m.Ions {
		ionOf[in.Name] = in
	}
	for _, st := range m.States {
		if !used[st.Local] || st.Kind == ir.Voltage || st.Kind == ir.Gate && st.Channel == ch {
			continue
		}
		if st.Kind == ir.Concentration && st.Ion != nil {
			n := strings.ToLower(st.Ion.Name) + "i"
			x.subst[st.Local] = symbolic.Var(n)
			x.reads = append(x.reads, n)
			continue
		}
		x.errorf(curPos, "it uses `%s`, a state of the group that is not one of its gates", st.Name)
	}
	for _, p := range m.Params {
		if !used[p.Local] {
			continue
		}
		ionName, field, isIon := strings.Cut(p.Name, ".")
		if in := ionOf[ionName]; isIon && in != nil {
			l := strings.ToLower(in.Name)
			n := map[string]string{"E": "e" + l, "C_i": l + "i", "C_o": l + "o"}[field]
			if n == "" {
				x.errorf(curPos, "it uses `%s`, a parameter of the ion's dynamics", p.Name)
				continue
			}
			x.subst[p.Local] = symbolic.Var(n)
			x.reads = append(x.reads, n)
			continue
		}
		if isTemperature(p) {
			x.subst[p.Local] = symbolic.Add(symbolic.Var("celsius"), symbolic.Const(273.15))
			continue
		}
		if p.Membrane {
			x.errorf(curPos, "it uses the membrane's `%s`", p.Name)
			continue
		}
		n := x.name(p.Local, shortName(p.Name, ch.Name))
		switch p.Unit {
		case "mS/cm2", "uA/cm2":
			x.subst[p.Local] = symbolic.Mul(symbolic.Const(1000), symbolic.Var(n))
		}
		x.params = append(x.params, p)
	}
	slices.Sort(x.reads)
	x.reads = slices.Compact(x.reads)
	if ion != "" && slices.Contains(x.reads, "i"+ion) {
		x.errorf(curPos, "it reads the current of its own ion")
	}

	// The gates' integration: cnexp needs each derivative linear in its own gate, and a
	// DERIVATIVE block holds no if/else: a conditional that does not depend on the gates is
	// computed by rates().
	x.derivs = map[*ir.State]*symbolic.Expr{}
	isGate := func(s string) bool {
		return slices.ContainsFunc(ch.Gates, func(g *ir.State) bool { return g.Local == s })
	}
	for _, g := range ch.Gates {
		d := g.Deriv.Expr
		if symbolic.DependsOn(symbolic.Differentiate(d, g.Local, nil), func(s string) bool { return s == g.Local }) {
			x.errorf(g.Deriv.Pos, "gate `%s`'s derivative is not linear in it, which NEURON's cnexp (neurogen's exp_auto) needs", g.Name)
		}
		d = x.hoistConds(g, d, isGate)
		x.derivs[g] = d
		if hasCond(d) {
			x.errorf(g.Deriv.Pos, "gate `%s`'s derivative has a conditional (`? :`) that depends on the gates, which a DERIVATIVE block cannot hold", g.Name)
		}
		if g.Init == nil {
			x.errorf(g.Deriv.Pos, "gate `%s` has no initial value", g.Name)
		}
	}
	for _, e := range exprs {
		symbolic.Walk(e, func(n *symbolic.Expr) bool {
			if n.Op == symbolic.OpCall && !nmodlFuncs[n.Name] {
				x.errorf(curPos, "NMODL has no form of the function `%s` (export the model before the middle end: check.Options.Unoptimized)", n.Name)
			}
			return true
		})
	}
	if len(x.errs) > 0 {
		return nil, false
	}
	return x.write(ion), true
}

// outward writes a product −k·…·(E − V) as k·…·(V − E), as NMODL's currents read.
func outward(e *symbolic.Expr) *symbolic.Expr {
	if e.Op != symbolic.OpMul {
		return e
	}
	if _, _, coef := symbolic.SplitFraction(e); coef >= 0 {
		return e
	}
	for i, f := range e.Args {
		if f.Op != symbolic.OpAdd || !slices.Contains(symbolic.Vars(f), "v") {
			continue
		}
		terms := make([]*symbolic.Expr, len(f.Args))
		for j, t := range f.Args {
			terms[j] = symbolic.Neg(t)
		}
		fs := slices.Clone(e.Args)
		fs[i] = symbolic.Add(terms...)
		fs = append(fs, symbolic.Const(-1))
		return symbolic.Mul(fs...)
	}
	return e
}

// hoistConds returns d with each conditional that depends on no gate replaced by a variable
// that rates() computes (a statement appended to x.stmts, named after gate g), and each whose
// condition depends on no gate, c ? a : b, by s·a + (1 − s)·b with s = (c ? 1 : 0) computed by
// rates(), which is a or b exactly where both are finite.
func (x *exporter) hoistConds(g *ir.State, d *symbolic.Expr, isGate func(string) bool) *symbolic.Expr {
	add := func(e *symbolic.Expr, suffix, comment string) *symbolic.Expr {
		sym := g.Local + "\x00" + strconv.Itoa(len(x.stmts))
		x.name(sym, x.names[g.Local]+suffix)
		x.stmts = append(x.stmts, &ir.Stmt{Local: sym, Expr: e, Comment: []string{comment}})
		return symbolic.Var(sym)
	}
	var hoist func(e *symbolic.Expr) *symbolic.Expr
	hoist = func(e *symbolic.Expr) *symbolic.Expr {
		if e.Op == symbolic.OpCond && !symbolic.DependsOn(e, isGate) {
			return add(e, "_cond", "a conditional of "+g.Name+"'s derivative")
		}
		if e.Op == symbolic.OpCond && !symbolic.DependsOn(e.Args[0], isGate) {
			s := add(symbolic.Cond(e.Args[0], symbolic.Const(1), symbolic.Const(0)), "_on", "1 where the condition of "+g.Name+"'s derivative holds, else 0")
			return symbolic.Add(symbolic.Mul(s, hoist(e.Args[1])), symbolic.Mul(symbolic.Sub(symbolic.Const(1), s), hoist(e.Args[2])))
		}
		if len(e.Args) == 0 {
			return e
		}
		args := make([]*symbolic.Expr, len(e.Args))
		for i, a := range e.Args {
			args[i] = hoist(a)
		}
		return symbolic.Rebuild(e, args)
	}
	return hoist(d)
}

// shortName is a spec name without its channel: "Na.m.alpha" → "m.alpha"; a group-level one
// stays as it is.
func shortName(name, channel string) string {
	if s, ok := strings.CutPrefix(name, channel+"."); ok {
		return s
	}
	return name
}

func hasCond(e *symbolic.Expr) bool {
	found := false
	symbolic.Walk(e, func(n *symbolic.Expr) bool {
		if n.Op == symbolic.OpCond {
			found = true
		}
		return !found
	})
	return found
}

// conv is e in NMODL's variables.
func (x *exporter) conv(e *symbolic.Expr) *symbolic.Expr {
	return symbolic.Substitute(e, func(name string) *symbolic.Expr { return x.subst[name] })
}

// write prints the .mod file.
func (x *exporter) write(ion string) []byte {
	m, ch := x.m, x.ch
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }

	title := firstLine(ch.Doc)
	if title == "" {
		title = "channel " + ch.Name + " of " + m.Name
	}
	w("TITLE %s\n\n", title)
	w(": Generated by neurogen from %s (model %s, channel %s", m.SpecFile, m.Name, ch.Name)
	if ch.Stock != "" {
		w(", stock channel %s", ch.Stock)
	}
	w("); DO NOT EDIT.\n")
	w(": Regenerate with `neurogen export nmodl %s`.\n", m.SpecFile)
	w(": Currents are outward positive in mA/cm2 and conductances in S/cm2 (neurogen's are inward\n")
	w(": positive in uA/cm2 and mS/cm2). Gates start at neurogen's initial values.\n")
	if x.usesCelsius() {
		w(": The rates use the temperature: set celsius to the spec's T (%s).\n", x.paramText("T"))
	}
	var docs []string
	if doc := strings.TrimSpace(ch.Doc); doc != "" {
		docs = append(docs, doc)
	}
	if doc := strings.TrimSpace(m.Doc); doc != "" {
		docs = append(docs, "Model "+m.Name+": "+doc)
	}
	if len(docs) > 0 {
		w("\nCOMMENT\n%s\nENDCOMMENT\n", strings.ReplaceAll(strings.Join(docs, "\n\n"), "ENDCOMMENT", "END COMMENT"))
	}

	// NEURON block.
	cur := "i"
	w("\nNEURON {\n\tSUFFIX %s\n", x.suffix)
	if ion != "" {
		cur = "i" + ion
		w("\tUSEION %s", ion)
		var reads []string
		for _, r := range x.reads {
			if r == "e"+ion || r == ion+"i" || r == ion+"o" {
				reads = append(reads, r)
			}
		}
		if len(reads) > 0 {
			w(" READ %s", strings.Join(reads, ", "))
		}
		w(" WRITE %s", cur)
		if in := x.ion(ch.Ion); in != nil && !stdIon[ion] {
			w(" VALENCE %d", in.Valence)
		}
		w("\n")
	} else {
		w("\tNONSPECIFIC_CURRENT i\n")
	}
	for _, in := range x.m.Ions {
		l := strings.ToLower(in.Name)
		if l == ion {
			continue
		}
		var reads []string
		for _, r := range x.reads {
			if r == "e"+l || r == l+"i" || r == l+"o" {
				reads = append(reads, r)
			}
		}
		if len(reads) > 0 {
			w("\tUSEION %s READ %s", l, strings.Join(reads, ", "))
			if !stdIon[l] {
				w(" VALENCE %d", in.Valence)
			}
			w("\n")
		}
	}
	var rng []string
	for _, p := range x.params {
		rng = append(rng, x.names[p.Local])
	}
	for _, st := range x.stmts {
		rng = append(rng, x.names[st.Local])
	}
	if ion == "" {
		rng = append(rng, "i")
	}
	w("\tRANGE %s\n}\n", strings.Join(rng, ", "))

	w("\nUNITS {\n\t(mA) = (milliamp)\n\t(mV) = (millivolt)\n\t(S) = (siemens)\n\t(mM) = (milli/liter)\n}\n")

	x.writeParams(w, densityUnits)

	w("\nASSIGNED {\n\tv (mV)\n")
	for _, r := range x.reads {
		w("\t%s%s\n", r, nmodlUnit(readUnit(r)))
	}
	w("\t%s (mA/cm2)\n", cur)
	for _, st := range x.stmts {
		w("\t%s%s\n", x.names[st.Local], nmodlUnit(x.stmtUnit(st)))
	}
	w("}\n")

	gated, rated := len(ch.Gates) > 0, len(x.stmts) > 0
	if gated {
		w("\nSTATE {\n")
		for _, g := range ch.Gates {
			w("\t%s\n", x.names[g.Local])
		}
		w("}\n")
	}

	w("\nBREAKPOINT {\n")
	current := outward(x.conv(symbolic.Mul(symbolic.Const(-0.001), ch.Current.Expr)))
	first := x.temps
	var pre []string
	text := x.print(current, &pre)
	x.locals(w, first)
	if gated {
		w("\tSOLVE states METHOD cnexp\n")
	}
	if x.needsRates(current) {
		w("\trates()\n")
	}
	w("\t: %s\n", clipComment(oneLine(ch.Text)))
	for _, l := range pre {
		w("%s\n", l)
	}
	w("%s\n}\n", wrap("\t"+cur+" = "+text))

	if gated {
		w("\nINITIAL {\n")
		first := x.temps
		var lines []string
		for _, g := range ch.Gates {
			var pre []string
			e := x.print(x.conv(g.Init), &pre)
			lines = append(append(lines, pre...), wrap("\t"+x.names[g.Local]+" = "+e))
		}
		x.locals(w, first)
		if rated {
			w("\trates()\n")
		}
		w("%s\n}\n", strings.Join(lines, "\n"))

		// Gates whose derivatives use other gates: cnexp solves the equations one after another,
		// each with the gates that those before it have advanced, where exp_auto advances every
		// gate from the step's start; so each equation reads copies taken at the start.
		start := map[string]string{}
		var copies []string
		for _, g := range ch.Gates {
			for _, h := range ch.Gates {
				if h != g && slices.Contains(symbolic.Vars(x.derivs[g]), h.Local) && start[h.Local] == "" {
					start[h.Local] = x.name(h.Local+"\x00start", x.names[h.Local]+"_start")
				}
			}
		}
		for _, g := range ch.Gates {
			if n := start[g.Local]; n != "" {
				copies = append(copies, n)
			}
		}
		w("\nDERIVATIVE states {\n")
		if len(copies) > 0 {
			w("\tLOCAL %s\n", strings.Join(copies, ", "))
			w("\t: the gates' derivatives use one another: each reads them as they were at the step's\n")
			w("\t: start, as neurogen's exp_auto does (cnexp would have those above it advanced)\n")
			for _, g := range ch.Gates {
				if n := start[g.Local]; n != "" {
					w("\t%s = %s\n", n, x.names[g.Local])
				}
			}
		}
		if rated {
			w("\trates()\n")
		}
		for _, g := range ch.Gates {
			d := symbolic.Substitute(x.derivs[g], func(name string) *symbolic.Expr {
				if n := start[name]; n != "" && name != g.Local {
					return symbolic.Var(n)
				}
				return nil
			})
			w("%s\n", wrap("\t"+x.names[g.Local]+"' = "+x.printDeriv(x.conv(d))))
		}
		w("}\n")
	}

	if rated {
		w("\nPROCEDURE rates() {\n")
		first := x.temps
		var lines []string
		for _, st := range x.stmts {
			for _, c := range st.Comment {
				lines = append(lines, "\t: "+clipComment(oneLine(c)))
			}
			var pre []string
			e := x.print(x.conv(st.Expr), &pre)
			lines = append(lines, pre...)
			lines = append(lines, wrap("\t"+x.names[st.Local]+" = "+e))
		}
		x.locals(w, first)
		w("\tUNITSOFF\n%s\n\tUNITSON\n}\n", strings.Join(lines, "\n"))
	}

	for _, f := range []string{"exprel", "expm1", "log1p", "vmin", "vmax", "vclip"} {
		if x.funcs[f] {
			w("\n%s", helpers[f])
		}
	}
	return []byte(ascii(b.String()))
}

// densityUnits converts a channel's parameter to NMODL's units: conductance densities to
// S/cm2 and current densities to mA/cm2.
func densityUnits(val float64, unit string) (float64, string) {
	switch unit {
	case "mS/cm2":
		return val / 1000, "S/cm2"
	case "uA/cm2":
		return val / 1000, "mA/cm2"
	}
	return val, unit
}

// writeParams writes the PARAMETER block: x.params, each converted by convert, with its doc
// and its value as the spec writes it, and celsius.
func (x *exporter) writeParams(w func(string, ...any), convert func(val float64, unit string) (float64, string)) {
	w("\nPARAMETER {\n")
	for _, p := range x.params {
		val, unit := convert(p.Default, p.Unit)
		note := strings.TrimSpace(firstLine(p.Doc))
		if p.Text != "" {
			note = strings.TrimSpace(note + " (spec: " + p.Text + ")")
		}
		w("\t%s = %s%s", x.names[p.Local], num(val), nmodlUnit(unit))
		if note != "" {
			w(" : %s", note)
		}
		w("\n")
	}
	if x.usesCelsius() {
		w("\tcelsius (degC)\n")
	}
	w("}\n")
}

// asciiFor are the non-ASCII characters of neurogen's docs that have a usual ASCII spelling.
var asciiFor = map[rune]string{
	'–': "-", '—': "-", '−': "-", '‘': "'", '’': "'", '“': `"`, '”': `"`, '·': "*", '×': "x",
	'°': "deg", 'µ': "u", 'μ': "u", '≤': "<=", '≥': ">=", '≈': "~", '→': "->", '∞': "inf",
	'α': "alpha", 'β': "beta", 'τ': "tau", 'φ': "phi", 'Δ': "Delta", '²': "2", '³': "3", '…': "...",
	'é': "e", 'è': "e", 'ü': "u", 'ö': "o", 'ä': "a", '₀': "0", '₁': "1", '∂': "d", 'ᶻ': "^z",
}

// ascii spells s in ASCII, which is all that nocmodl reads: the characters of asciiFor as it
// says, any other as <U+XXXX>.
func ascii(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r < 0x80:
			b.WriteRune(r)
		case asciiFor[r] != "":
			b.WriteString(asciiFor[r])
		default:
			fmt.Fprintf(&b, "<U+%04X>", r)
		}
	}
	return b.String()
}

// nmodlFuncs are the functions print writes in NMODL.
var nmodlFuncs = map[string]bool{
	"exp": true, "log": true, "sqrt": true, "tanh": true, "sinh": true, "cosh": true, "abs": true,
	"pow": true, "exprel": true, "expm1": true, "log1p": true, "min": true, "max": true, "clip": true,
}

var stdIon = map[string]bool{"na": true, "k": true, "ca": true}

func (x *exporter) ion(name string) *ir.Ion {
	for _, in := range x.m.Ions {
		if in.Name == name {
			return in
		}
	}
	return nil
}

// isTemperature reports whether p is the group's temperature T, in K (a group may also have a
// parameter T of its own, of another dimension, which is no temperature).
func isTemperature(p *ir.Param) bool { return p.Name == "T" && p.Unit == "K" }

func (x *exporter) usesCelsius() bool {
	for _, p := range x.m.Params {
		if isTemperature(p) {
			_, ok := x.subst[p.Local]
			return ok
		}
	}
	return false
}

func (x *exporter) paramText(name string) string {
	for _, p := range x.m.Params {
		if p.Name == name {
			return p.Text
		}
	}
	return ""
}

// locals declares the temporaries of conditionals printed since there were first of them.
func (x *exporter) locals(w func(string, ...any), first int) {
	if x.temps == first {
		return
	}
	var ls []string
	for i := first + 1; i <= x.temps; i++ {
		ls = append(ls, "c"+strconv.Itoa(i))
	}
	w("\tLOCAL %s\n", strings.Join(ls, ", "))
}

// needsRates reports whether e uses a rate's variable.
func (x *exporter) needsRates(e *symbolic.Expr) bool {
	for _, v := range symbolic.Vars(e) {
		for _, st := range x.stmts {
			if x.names[st.Local] == v {
				return true
			}
		}
	}
	return false
}

func (x *exporter) stmtUnit(st *ir.Stmt) string {
	for _, r := range x.m.Rates {
		if r.Stmt == st {
			return r.Unit
		}
	}
	return ""
}

func readUnit(r string) string {
	if strings.HasPrefix(r, "e") {
		return "mV"
	}
	return "mM"
}

// nmodlUnit is unit as an NMODL unit in parentheses after a space, or "" when there is none or
// NMODL would not read it.
func nmodlUnit(unit string) string {
	switch {
	case unit == "":
		return ""
	case unit == "1":
		return " (1)"
	case strings.HasPrefix(unit, "1/"):
		unit = unit[1:]
	}
	if !regexp.MustCompile(`^/?[A-Za-z]+[0-9]*(/[A-Za-z]+[0-9]*)?$`).MatchString(unit) {
		return ""
	}
	return " (" + unit + ")"
}

// maxLine is the length past which a line is broken: nocmodl refuses lines of more than 512
// characters.
const maxLine = 100

// wrap breaks a statement longer than maxLine at spaces (NMODL reads a newline inside an
// expression as a space), continuing it on lines indented by two tabs.
func wrap(s string) string {
	if len(s) <= maxLine {
		return s
	}
	var b strings.Builder
	n := 0
	for i, f := range strings.Split(s, " ") {
		switch {
		case i == 0:
		case n+1+len(f) > maxLine && n > 16:
			b.WriteString("\n\t\t")
			n = 16
		default:
			b.WriteByte(' ')
			n++
		}
		b.WriteString(f)
		n += len(f)
	}
	return b.String()
}

// clipComment shortens a comment that nocmodl could not read in one line.
func clipComment(s string) string {
	if len(s) > 400 {
		return s[:400] + " ..."
	}
	return s
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	l, _, _ := strings.Cut(s, "\n")
	return strings.TrimSpace(l)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// The helper functions that NMODL does not have, written so that NEURON computes what neurogen
// does.
var helpers = map[string]string{
	"exprel": `FUNCTION exprel(z) {
	: (exp(z) - 1)/z, with its limit 1 at z = 0
	if (fabs(z) < 1e-5) {
		exprel = 1 + z/2 + z*z/6
	} else {
		exprel = (exp(z) - 1)/z
	}
}
`,
	"expm1": `FUNCTION expm1(z) {
	: exp(z) - 1, accurate near 0
	if (fabs(z) < 1e-5) {
		expm1 = z + z*z/2 + z*z*z/6
	} else {
		expm1 = exp(z) - 1
	}
}
`,
	"log1p": `FUNCTION log1p(z) {
	: log(1 + z), accurate near 0
	if (fabs(z) < 1e-5) {
		log1p = z - z*z/2 + z*z*z/3
	} else {
		log1p = log(1 + z)
	}
}
`,
	"vmin": `FUNCTION vmin(a, b) {
	if (a < b) {
		vmin = a
	} else {
		vmin = b
	}
}
`,
	"vmax": `FUNCTION vmax(a, b) {
	if (a > b) {
		vmax = a
	} else {
		vmax = b
	}
}
`,
	"vclip": `FUNCTION vclip(z, lo, hi) {
	if (z < lo) {
		vclip = lo
	} else if (z > hi) {
		vclip = hi
	} else {
		vclip = z
	}
}
`,
}

// print writes e in NMODL's expression language. A conditional is computed before into a LOCAL
// (c1, c2, …) by if/else statements appended to pre; where pre is nil there must be none.
func (x *exporter) print(e *symbolic.Expr, pre *[]string) string {
	p := &printer{x: x, pre: pre}
	return p.expr(e, 0)
}

// printDeriv writes e in a DERIVATIVE block, where cnexp's parser takes no ^: powers are
// written pow(a, b).
func (x *exporter) printDeriv(e *symbolic.Expr) string {
	p := &printer{x: x, noCaret: true}
	return p.expr(e, 0)
}

type printer struct {
	x       *exporter
	pre     *[]string
	noCaret bool
}

// Precedences of NMODL's expressions, loosest first.
const (
	precOr = iota + 1
	precAnd
	precCmp
	precAdd
	precMul
	precUnary
	precPow
	precAtom
)

func (p *printer) wrap(s string, prec, outer int) string {
	if prec < outer {
		return "(" + s + ")"
	}
	return s
}

func (p *printer) expr(e *symbolic.Expr, outer int) string {
	switch e.Op {
	case symbolic.OpConst:
		s := num(e.Val)
		if math.IsInf(e.Val, 0) || math.IsNaN(e.Val) {
			s = "(" + s + ")" // not reachable from a checked model
		}
		if e.Val < 0 {
			return p.wrap(s, precUnary, outer)
		}
		return s
	case symbolic.OpVar:
		return e.Name
	case symbolic.OpAdd:
		var b strings.Builder
		for i, t := range symbolic.ReadingOrder(e.Args) {
			neg, rest := negated(t)
			switch {
			case i == 0:
				b.WriteString(p.expr(t, precAdd))
			case neg:
				b.WriteString(" - " + p.expr(rest, precMul))
			default:
				b.WriteString(" + " + p.expr(t, precMul))
			}
		}
		return p.wrap(b.String(), precAdd, outer)
	case symbolic.OpMul:
		num_, den, coef := symbolic.SplitFraction(e)
		var b strings.Builder
		sign := ""
		if coef < 0 {
			sign, coef = "-", -coef
		}
		first := true
		if coef != 1 || len(num_) == 0 {
			b.WriteString(num(coef))
			first = false
		}
		for _, f := range num_ {
			if !first {
				b.WriteString(" * ")
			}
			b.WriteString(p.expr(f, precMul))
			first = false
		}
		for _, f := range den {
			b.WriteString(" / " + p.expr(f, precMul+1))
		}
		// NMODL's unary minus binds tighter than * and /, so -a * b is (-a) * b: the same.
		return p.wrap(sign+b.String(), precMul, outer)
	case symbolic.OpPow:
		if v, ok := e.Args[1].IsConst(); ok && v == -1 {
			return p.wrap("1 / "+p.expr(e.Args[0], precMul+1), precMul, outer)
		}
		if v, ok := e.Args[1].IsConst(); ok && v == math.Trunc(v) && v > 0 && !p.noCaret {
			return p.wrap(p.expr(e.Args[0], precAtom)+"^"+num(v), precPow, outer)
		}
		// pow(), not ^: cnexp's parser of a DERIVATIVE block takes no ^ of an expression.
		return "pow(" + p.expr(e.Args[0], 0) + ", " + p.expr(e.Args[1], 0) + ")"
	case symbolic.OpCall:
		return p.call(e)
	case symbolic.OpCond:
		if p.pre == nil {
			panic("export: a conditional where no statement can go") // refused by channel()
		}
		p.x.temps++
		t := "c" + strconv.Itoa(p.x.temps)
		c := p.expr(e.Args[0], 0)
		a := p.expr(e.Args[1], 0)
		bb := p.expr(e.Args[2], 0)
		*p.pre = append(*p.pre, fmt.Sprintf("\tif (%s) {\n\t\t%s = %s\n\t} else {\n\t\t%s = %s\n\t}", c, t, a, t, bb))
		return t
	case symbolic.OpNot:
		return p.wrap("!"+p.expr(e.Args[0], precAtom), precUnary, outer)
	case symbolic.OpAnd:
		return p.wrap(p.expr(e.Args[0], precAnd)+" && "+p.expr(e.Args[1], precAnd+1), precAnd, outer)
	case symbolic.OpOr:
		return p.wrap(p.expr(e.Args[0], precOr)+" || "+p.expr(e.Args[1], precOr+1), precOr, outer)
	case symbolic.OpLT, symbolic.OpLE, symbolic.OpGT, symbolic.OpGE, symbolic.OpEQ, symbolic.OpNE:
		return p.wrap(p.expr(e.Args[0], precAdd)+" "+e.Op.String()+" "+p.expr(e.Args[1], precAdd), precCmp, outer)
	}
	panic(fmt.Sprintf("export: unknown expression %v", e.Op))
}

// negated reports whether the term t of a sum is negative, and −t.
func negated(t *symbolic.Expr) (bool, *symbolic.Expr) {
	if v, ok := t.IsConst(); ok {
		return v < 0, symbolic.Const(-v)
	}
	if t.Op == symbolic.OpMul {
		if _, _, coef := symbolic.SplitFraction(t); coef < 0 {
			return true, symbolic.Neg(t)
		}
	}
	return false, t
}

func (p *printer) call(e *symbolic.Expr) string {
	args := make([]string, len(e.Args))
	for i, a := range e.Args {
		args[i] = p.expr(a, 0)
	}
	name := e.Name
	switch name {
	case "exp", "log", "sqrt", "tanh", "sinh", "cosh":
	case "abs":
		name = "fabs"
	case "pow":
	case "exprel", "expm1", "log1p":
		p.x.funcs[name] = true
	case "min", "max":
		name = "v" + name
		p.x.funcs[name] = true
		s := args[0]
		for _, a := range args[1:] {
			s = name + "(" + s + ", " + a + ")"
		}
		return s
	case "clip":
		name = "vclip"
		p.x.funcs[name] = true
	default:
		panic(fmt.Sprintf("export: function %s has no NMODL form", name))
	}
	return name + "(" + strings.Join(args, ", ") + ")"
}
