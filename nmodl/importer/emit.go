package importer

import (
	"fmt"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/neurogen/neurogen/nmodl"
	"github.com/neurogen/neurogen/spec"
)

type gate struct {
	key              string // the state's NMODL name
	name             string
	form             string // "inf/tau", "alpha/beta", "kinetic"
	a, b, phi, deriv *ex
}

// factor splits x into P * rest where rest uses s and P does not (P nil when there is none).
func factor(x *ex, s string) (p, rest *ex) {
	if x.op == "*" {
		l, r := x.args[0], x.args[1]
		if !l.uses(s) {
			p2, r2 := factor(r, s)
			if p2 == nil {
				return l, r2
			}
			return bin("*", l, p2), r2
		}
		if !r.uses(s) {
			p2, r2 := factor(l, s)
			if p2 == nil {
				return r, r2
			}
			return bin("*", p2, r), r2
		}
	}
	return nil, x
}

// linear matches x*b or b*x, with b free of x.
func times(x *ex, s string) *ex {
	if x.op != "*" {
		return nil
	}
	l, r := x.args[0], x.args[1]
	if l.isName(s) && !r.uses(s) {
		return r
	}
	if r.isName(s) && !l.uses(s) {
		return l
	}
	return nil
}

// classify finds the gate form of s' = d.
func classify(s string, d *ex) gate {
	g := gate{name: s, form: "kinetic", deriv: d}
	// P * (inf - s) / tau
	if d.op == "/" && !d.args[1].uses(s) {
		p, rest := factor(d.args[0], s)
		if rest.op == "-" && rest.args[1].isName(s) && !rest.args[0].uses(s) {
			return gate{name: s, form: "inf/tau", a: rest.args[0], b: d.args[1], phi: p}
		}
	}
	// P * ((inf - s) / tau)
	if p, rest := factor(d, s); rest.op == "/" && !rest.args[1].uses(s) {
		n := rest.args[0]
		if n.op == "-" && n.args[1].isName(s) && !n.args[0].uses(s) {
			return gate{name: s, form: "inf/tau", a: n.args[0], b: rest.args[1], phi: p}
		}
	}
	// a*(1 - s) - s*b
	if alpha, beta := alphaBeta(d, s); alpha != nil {
		return gate{name: s, form: "alpha/beta", a: alpha, b: beta}
	}
	// P * (a*(1 - s) - s*b), a temperature factor as in Wang and Buzsaki's phi
	if p, rest := factor(d, s); p != nil {
		if alpha, beta := alphaBeta(rest, s); alpha != nil {
			return gate{name: s, form: "alpha/beta", a: alpha, b: beta, phi: p}
		}
	}
	return g
}

// alphaBeta matches d = a*(1 - s) - s*b (either factor first in each product), with a and b
// free of s; it returns nil, nil otherwise.
func alphaBeta(d *ex, s string) (alpha, beta *ex) {
	if d.op != "-" {
		return nil, nil
	}
	l, r := d.args[0], d.args[1]
	beta = times(r, s)
	if l.op == "*" {
		for i, o := range l.args {
			if o.op == "-" && o.args[0].isNum(1) && o.args[1].isName(s) && !l.args[1-i].uses(s) {
				alpha = l.args[1-i]
			}
		}
	}
	if alpha == nil || beta == nil {
		return nil, nil
	}
	return alpha, beta
}

func quote(s string) string { return strconv.Quote(s) }

func (im *importer) emit() *Result {
	gates := map[string]gate{}
	for _, s := range im.states {
		if im.isConc(s) {
			continue
		}
		g := classify(im.sname[s], im.derivs[s])
		g.key = s
		if x := im.inits[s]; x != nil && x.op == "steady" && g.form != "kinetic" {
			im.inits[s] = nil // neurogen starts a gate of an HH form at its steady state
		} else if x != nil && x.isSteady() {
			im.inits[s], _ = im.resolveSteady(x)
		}
		if g.form == "kinetic" && im.inits[s] == nil {
			im.note("%s: %s starts at 0: INITIAL does not set it", im.derivPos[s], s)
		}
		if init := im.inits[s]; init != nil && g.form != "kinetic" {
			steady := g.a
			if g.form == "alpha/beta" {
				steady = bin("/", g.a, bin("+", g.a, g.b))
			}
			if !equal(init, steady) {
				im.note("%s: INITIAL sets %s otherwise than to its steady state; neurogen starts it at its steady state", im.init.Pos(), s)
			}
		}
		gates[s] = g
		im.note("%s: %s' = ...: gate %s, %s", im.derivPos[s], s, s, g.form)
	}
	doc := im.doc()
	res := &Result{}
	usesT := false // the specs read the temperature (celsius)
	for _, w := range im.writes {
		cur, ok := im.frames[0][w]
		if !ok || cur == nil {
			im.refuse(im.bp.Pos(), "current %s is not assigned in BREAKPOINT", w)
			continue
		}
		chName := im.suffix
		if len(im.writes)+len(im.concs) > 1 {
			chName = im.suffix + "_" + w
		}
		used := map[string]bool{}
		cur.names(used)
		var gs []gate
		for done := map[string]bool{}; ; {
			n := len(done)
			for _, s := range im.states {
				if used[im.sname[s]] && !done[s] && !im.isConc(s) {
					done[s] = true
					g := gates[s]
					for _, x := range []*ex{g.a, g.b, g.phi, g.deriv, im.inits[s]} {
						if x != nil {
							x.names(used)
						}
					}
				}
			}
			if len(done) == n {
				break
			}
		}
		for _, s := range im.states {
			if used[im.sname[s]] && !im.isConc(s) {
				gs = append(gs, gates[s])
			}
		}
		var b strings.Builder
		fmt.Fprintf(&b, "neurogen: 1\nchannel: %s\ndoc: |\n", chName)
		writeDoc(&b, doc, "  ")
		if ion, ok := im.ions[w]; ok {
			fmt.Fprintf(&b, "ion: %s\n", ionName(ion))
		}
		im.writeParams(&b, used)
		fmt.Fprintf(&b, "# %s (mA/cm2, outward positive), turned inward positive\n", w)
		fmt.Fprintf(&b, "current: %s\n", quote((&ex{op: "neg", args: []*ex{bin("*", cur, raw("(mA/cm2)"))}}).String()))
		if len(gs) > 0 {
			b.WriteString("gates:\n")
		}
		for _, g := range gs {
			fmt.Fprintf(&b, "  %s:\n", g.name)
			if d := im.stateDoc(g.key); d != "" {
				fmt.Fprintf(&b, "    doc: %s\n", quote(d))
			}
			switch g.form {
			case "inf/tau":
				fmt.Fprintf(&b, "    inf: %s\n    tau: %s\n", quote(g.a.String()), quote(bin("*", g.b, raw("ms")).String()))
			case "alpha/beta":
				fmt.Fprintf(&b, "    alpha: %s\n    beta: %s\n", quote(bin("/", g.a, raw("ms")).String()), quote(bin("/", g.b, raw("ms")).String()))
			case "kinetic":
				init := im.inits[g.key]
				if init == nil {
					init = num(0)
				}
				fmt.Fprintf(&b, "    deriv: %s\n    init: %s\n", quote(bin("/", g.deriv, raw("ms")).String()), quote(init.String()))
			}
			if g.phi != nil {
				fmt.Fprintf(&b, "    phi: %s\n", quote(g.phi.String()))
			}
		}
		res.Channels = append(res.Channels, Channel{Name: chName, YAML: []byte(b.String())})
		usesT = usesT || used["T"]
	}
	for _, c := range im.concs {
		if p, ok := im.pool(c, doc); ok {
			res.Pools = append(res.Pools, p)
			used := map[string]bool{}
			im.derivs[im.concState[c]].names(used)
			usesT = usesT || used["T"]
		}
	}
	if usesT {
		im.note("%s: celsius is the group's temperature T: a group that uses these specs declares it, `params: {T: 6.3 degC}` (NEURON's default celsius) unless the model's hoc sets celsius", im.celsiusPos())
	}
	res.Notes = im.notes
	return res
}

// writeDoc writes doc as the lines of a YAML block scalar indented by indent.
func writeDoc(b *strings.Builder, doc, indent string) {
	for _, l := range strings.Split(doc, "\n") {
		if strings.TrimSpace(l) == "" {
			b.WriteString("\n")
		} else {
			b.WriteString(indent + l + "\n")
		}
	}
}

// neuronConc0 are NEURON's initial concentrations (mM) of its ions (cai0_ca_ion, ...): where
// INITIAL does not set a pool's concentration, NEURON starts it there. Other ions start at 1.
var neuronConc0 = map[string]float64{"cai": 5e-5, "cao": 2, "nai": 10, "nao": 140, "ki": 54.4, "ko": 2.5}

// stdValence are the valences that neurogen gives the ions that NEURON knows.
var stdValence = map[string]int{"ca": 2, "na": 1, "k": 1, "cl": -1}

// pool writes the dynamics of the concentration c (cai), which the mechanism writes, as the
// ion's entry of a group spec's `ions:` section: C_i from INITIAL, the parameters the
// derivative uses, and the derivative, dCa_i/dt, in mM/ms.
func (im *importer) pool(c, doc string) (Pool, bool) {
	ion := im.ions[c]
	in := ionName(ion)
	state := im.concState[c]
	d := im.derivs[state]
	pos := im.derivPos[state]
	if d == nil {
		return Pool{}, false // reported by run
	}
	used := map[string]bool{}
	d.names(used)
	ok := true
	for _, s := range im.states {
		if !im.isConc(s) && used[im.sname[s]] {
			im.refuse(pos, "the dynamics of %s use the state %s: a pool's derivative may use its concentration, the ion's current, v, celsius and parameters, not other states", state, s)
			ok = false
		}
	}
	ci, ciNote := neuronConc0[c], ""
	if _, known := neuronConc0[c]; !known {
		ci = 1
	}
	if x := im.inits[state]; x != nil {
		v, isConst := im.constValue(x)
		if !isConst {
			im.refuse(im.init.Pos(), "INITIAL sets %s to %s, which is not a constant: the ion's initial concentration C_i is a value", state, x)
			ok = false
		}
		ci = v
	} else if state != c {
		ci, ciNote = 0, fmt.Sprintf(": INITIAL does not set %s", state)
		im.note("%s: INITIAL does not set %s: it starts at 0, as in NEURON", pos, state)
	} else {
		ciNote = fmt.Sprintf(", NEURON's %s0_%s_ion: INITIAL does not set %s", c, ion, c)
		im.note("%s: INITIAL does not set %s: it starts at NEURON's default %s0_%s_ion, %g mM", pos, c, c, ion, ci)
	}
	if !ok {
		return Pool{}, false
	}
	name := im.suffix
	if len(im.writes)+len(im.concs) > 1 {
		name = im.suffix + "_" + c
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# The dynamics of ion %s, imported from %s by neurogen. A group spec takes them with\n", in, filepath.Base(im.file.Name))
	fmt.Fprintf(&b, "# `ions: {%s: {use: %s.yaml}}` (relative to the spec), and may change their values there.\n", in, name)
	fmt.Fprintf(&b, "# NEURON computes e%s from %si and %so where a mechanism writes %si: add `E: nernst` (with\n", ion, ion, ion, ion)
	fmt.Fprintf(&b, "# the group's T) where the channels use E_%s.\n", in)
	fmt.Fprintf(&b, "neurogen: 1\nion: %s\ndoc: |\n", in)
	writeDoc(&b, doc, "  ")
	if z, ok := im.valence[ion]; ok && z != stdValence[ion] {
		fmt.Fprintf(&b, "valence: %d\n", z)
	}
	fmt.Fprintf(&b, "C_i: %s mM # %s at the start%s\n", strconv.FormatFloat(ci, 'g', -1, 64), state, ciNote)
	if co := in + "_o"; used[co] {
		v, known := neuronConc0[ion+"o"]
		if !known {
			v = 1
		}
		fmt.Fprintf(&b, "C_o: %s mM # NEURON's %so0_%s_ion\n", strconv.FormatFloat(v, 'g', -1, 64), ion, ion)
	}
	im.writeParams(&b, used)
	fmt.Fprintf(&b, "# %s' (mM/ms), with %s = %s_i/mM and i%s (mA/cm2, outward positive) = -I_%s/(mA/cm2)\n", state, state, in, ion, in)
	fmt.Fprintf(&b, "dynamics: %s\n", quote(bin("*", d, raw("(mM/ms)")).String()))
	im.note("%s: %s' = ...: the dynamics of ion %s (d%s_i/dt), in %s.yaml", pos, state, in, in, name)
	return Pool{Name: name, Ion: in, YAML: []byte(b.String())}, true
}

// constValue evaluates x, an initial value, with the parameters at their values: it is
// constant when it names no other variable (a parameter is p/unit, which is its value in NMODL's
// units).
func (im *importer) constValue(x *ex) (float64, bool) {
	vals := map[string]float64{}
	for _, p := range im.params {
		vals[p.name] = p.value
		if p.unit == "degC" {
			vals[p.name] = p.value + 273.15 // celsius is T/K - 273.15
		}
	}
	var ev func(x *ex) (float64, bool)
	ev = func(x *ex) (float64, bool) {
		var a []float64
		for _, y := range x.args {
			v, ok := ev(y)
			if !ok {
				return 0, false
			}
			a = append(a, v)
		}
		b2f := func(b bool) float64 {
			if b {
				return 1
			}
			return 0
		}
		switch x.op {
		case "num":
			return numOf(x), true
		case "name":
			v, ok := vals[x.name]
			return v, ok
		case "raw":
			return 1, true // a unit that divides a parameter
		case "neg":
			return -a[0], true
		case "not":
			return b2f(a[0] == 0), true
		case "+":
			return a[0] + a[1], true
		case "-":
			return a[0] - a[1], true
		case "*":
			return a[0] * a[1], true
		case "/":
			return a[0] / a[1], true
		case "**":
			return math.Pow(a[0], a[1]), true
		case "<":
			return b2f(a[0] < a[1]), true
		case ">":
			return b2f(a[0] > a[1]), true
		case "<=":
			return b2f(a[0] <= a[1]), true
		case ">=":
			return b2f(a[0] >= a[1]), true
		case "==":
			return b2f(a[0] == a[1]), true
		case "!=":
			return b2f(a[0] != a[1]), true
		case "&&":
			return b2f(a[0] != 0 && a[1] != 0), true
		case "||":
			return b2f(a[0] != 0 || a[1] != 0), true
		case "?:":
			if a[0] != 0 {
				return a[1], true
			}
			return a[2], true
		case "call":
			if f, ok := mathFuncs[x.name]; ok && len(a) == 1 {
				return f(a[0]), true
			}
			if x.name == "pow" && len(a) == 2 {
				return math.Pow(a[0], a[1]), true
			}
		}
		return 0, false
	}
	v, ok := ev(x)
	return v, ok && !math.IsNaN(v) && !math.IsInf(v, 0)
}

var mathFuncs = map[string]func(float64) float64{"exp": math.Exp, "log": math.Log, "sqrt": math.Sqrt, "abs": math.Abs,
	"tanh": math.Tanh, "sinh": math.Sinh, "cosh": math.Cosh, "expm1": math.Expm1, "log1p": math.Log1p}

// stateDoc is the comment that ends the line of the STATE declaration of s, where s is the
// line's only declaration ("m : Na activation"), or "".
func (im *importer) stateDoc(s string) string {
	for _, b := range im.file.Blocks {
		db, ok := b.(*nmodl.DeclBlock)
		if !ok || db.Kind != "STATE" {
			continue
		}
		for _, d := range db.Decls {
			if d.Name.Name != s {
				continue
			}
			for _, o := range db.Decls {
				if o != d && o.Pos().Line() == d.Pos().Line() {
					return ""
				}
			}
			if c := im.file.TrailingComment(d); c != nil {
				return strings.TrimSpace(c.Text)
			}
			return ""
		}
	}
	return ""
}

// celsiusPos is the position of the first celsius in the file's statements, or the file's
// start if none.
func (im *importer) celsiusPos() spec.Pos {
	var at spec.Pos
	for _, b := range im.file.Blocks {
		switch b.(type) {
		case *nmodl.StmtBlock, *nmodl.FuncDecl:
		default:
			continue
		}
		nmodl.Inspect(b, func(n nmodl.Node) bool {
			if _, ok := n.(*nmodl.Table); ok {
				return false // DEPEND celsius, dropped with the TABLE
			}
			if id, ok := n.(*nmodl.Ident); ok && id.Name == "celsius" && !at.IsValid() {
				at = id.Pos()
			}
			return !at.IsValid()
		})
		if at.IsValid() {
			return at
		}
	}
	return im.file.Pos()
}

// doc is the specs' doc: the file's TITLE, its COMMENT blocks and the line comments that head
// it, on lines of their own before its first block of code (where files such as Hay's give
// their references: ":Reference : Kole, Hallermann and Stuart, J. Neurosci. 2006"; later ones
// label sections, ": interface", or hold code left out), in source order, a run of line
// comments on consecutive lines one paragraph, then where the specs were imported from.
func (im *importer) doc() string {
	type part struct {
		off  int
		text string
	}
	var parts []part
	// busy are the lines on which a block starts or ends: a comment there belongs to it.
	busy := map[int]bool{}
	inside := func(c *nmodl.Comment) bool {
		for _, b := range im.file.Blocks {
			if e, ok := b.(interface{ End() spec.Pos }); ok && b.Pos().Offset() <= c.At.Offset() && c.At.Offset() < e.End().Offset() {
				return true
			}
		}
		return busy[c.At.Line()]
	}
	code := -1 // the offset of the first block of code
	for _, b := range im.file.Blocks {
		switch b.(type) {
		case *nmodl.Title, *nmodl.CommentBlock:
		default:
			if code < 0 {
				code = b.Pos().Offset()
			}
		}
		busy[b.Pos().Line()] = true
		if e, ok := b.(interface{ End() spec.Pos }); ok {
			busy[e.End().Line()] = true
		}
		switch b := b.(type) {
		case *nmodl.Title:
			parts = append(parts, part{b.Pos().Offset(), strings.TrimSpace(b.Text)})
		case *nmodl.CommentBlock:
			parts = append(parts, part{b.Pos().Offset(), strings.TrimSpace(b.Text)})
		}
	}
	last := -1 // the line of the comment that ends the last part, -1 if none
	for _, c := range im.file.Comments {
		if code >= 0 && c.At.Offset() >= code {
			break
		}
		if c.Kind != nmodl.LineComment || inside(c) {
			continue
		}
		t := strings.TrimSpace(c.Text) // a doc's first line sets its block's indentation
		if t == "" {
			last = -1
			continue
		}
		if n := len(parts); n > 0 && last >= 0 && c.At.Line() == last+1 {
			parts[n-1].text += "\n" + t
		} else {
			parts = append(parts, part{c.At.Offset(), t})
		}
		last = c.At.Line()
	}
	slices.SortStableFunc(parts, func(a, b part) int { return a.off - b.off })
	var texts []string
	for _, p := range parts {
		if p.text != "" {
			texts = append(texts, p.text)
		}
	}
	texts = append(texts, fmt.Sprintf("Imported from %s by neurogen (NEURON's outward-positive currents in mA/cm2 turned inward positive).", filepath.Base(im.file.Name)))
	return strings.Join(texts, "\n\n")
}

// writeParams writes the PARAMETERs that used names, in the file's order, as a spec's
// parameters: each its value in its unit, and its doc.
func (im *importer) writeParams(b *strings.Builder, used map[string]bool) {
	for _, p := range im.params {
		if !used[p.name] {
			continue
		}
		v := strconv.FormatFloat(p.value*p.scale, 'g', -1, 64)
		if p.unit != "" {
			v += " " + p.unit
		}
		fmt.Fprintf(b, "%s: {value: %s", p.name, v)
		if p.doc != "" {
			fmt.Fprintf(b, ", doc: %s", quote(p.doc))
		}
		b.WriteString("}\n")
	}
}
