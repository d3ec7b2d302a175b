package importer

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"

	"github.com/neurogen/neurogen/nmodl"
	"github.com/neurogen/neurogen/spec"
	"github.com/neurogen/neurogen/units"
)

// A Receptor is an imported synaptic POINT_PROCESS: a receptor file (spec.LoadReceptor's:
// `neurogen: 1`, `receptor: NAME`, then the fields of a receptor), which a group spec takes
// with `receptors: {NAME: {use: NAME.yaml}}`.
type Receptor struct {
	Name string // the POINT_PROCESS's name
	YAML []byte
}

// pointProc is what the importer knows of a POINT_PROCESS.
type pointProc struct {
	pos   spec.Pos
	net   *nmodl.FuncDecl   // its NET_RECEIVE block
	units map[string]string // a STATE -> its unit in the spec ("1" without one)
}

// receptorKeys are the keys of a receptor in a spec, and the weight w of its event: a
// parameter or state of a point process called so gets a `_` appended.
var receptorKeys = []string{"states", "current", "event", "use", "doc", "per", "weight", "transmitter", "w", "receptor", "unit", "deriv"}

// selfEvents are NEURON's functions that send or move events, which a receptor has no
// equivalent of.
var selfEvents = []string{"net_send", "net_event", "net_move"}

// pointCollect checks what a POINT_PROCESS needs before its blocks are executed: a
// NET_RECEIVE whose only argument is the weight, no INITIAL or self-events in it, no ion; it
// reads the states' units and renames what a receptor's keys call otherwise.
func (im *importer) pointCollect() {
	pp := im.point
	if pp == nil {
		return
	}
	for _, b := range im.file.Blocks {
		if nb, ok := b.(*nmodl.NeuronBlock); ok {
			for _, s := range nb.Stmts {
				if u, ok := s.(*nmodl.UseIon); ok {
					im.refuse(u.Pos(), "USEION in a POINT_PROCESS is not imported: a receptor's current carries no ion (write NONSPECIFIC_CURRENT)")
				}
			}
		}
	}
	if pp.net == nil {
		im.refuse(pp.pos, "POINT_PROCESS %s has no NET_RECEIVE block: only synaptic point processes, which events drive, are imported (as receptors)", im.suffix)
		return
	}
	if len(pp.net.Params) == 0 {
		im.refuse(pp.net.Pos(), "NET_RECEIVE has no weight: a receptor's event is driven by the connection's weight, NET_RECEIVE(weight (uS))")
	}
	for _, p := range pp.net.Params[min(1, len(pp.net.Params)):] {
		im.refuse(p.Pos(), "NET_RECEIVE's %s is per-connection state, which is not imported: a receptor's states are per neuron, the sums over its synapses, and its event may use only the weight (neurogen's short-term plasticity and kinetic receptors keep what a synapse needs)", p.Name.Name)
	}
	nmodl.Inspect(pp.net.Body, func(n nmodl.Node) bool {
		switch n := n.(type) {
		case *nmodl.BlockStmt:
			if n.Kind == "INITIAL" {
				im.refuse(n.Pos(), "INITIAL in NET_RECEIVE initialises per-connection state, which is not imported: a receptor's states are per neuron")
				return false
			}
		case *nmodl.Call:
			if slices.Contains(selfEvents, n.Fun.Name) {
				im.refuse(n.Pos(), "%s is not imported: a receptor's event changes its states, and sends no events", n.Fun.Name)
				return false
			}
		}
		return true
	})
	pp.units = map[string]string{}
	for _, b := range im.file.Blocks {
		if db, ok := b.(*nmodl.DeclBlock); ok && db.Kind == "STATE" {
			for _, d := range db.Decls {
				u := unitOf(d.Units)
				if u == "" {
					u = "1"
				} else if _, err := units.Parse(u); err != nil {
					im.refuse(d.Units.Pos(), "%s: units (%s) are not imported: %v", d.Name.Name, d.Units.Text, err)
				}
				pp.units[d.Name.Name] = u
			}
		}
	}
	for _, p := range im.params {
		if slices.Contains(receptorKeys, p.name) {
			im.note("%s: %s is called %s_ in the spec (a receptor's %s means something else there)", p.pos, p.name, p.name, p.name)
			p.name += "_"
		}
	}
	for _, s := range im.states {
		if n := im.sname[s]; slices.Contains(receptorKeys, n) {
			im.note("%s: %s is called %s_ in the spec (a receptor's %s means something else there)", pp.pos, n, n, n)
			im.sname[s] = n + "_"
		}
	}
}

// Degrees of an expression in a receptor's states (see linDeg).
const (
	degNonlinear = -1
	degConst     = 0 // free of the states
	degLinear    = 1 // linear and homogeneous in them
	degAffine    = 2 // linear plus a term free of them
)

// linDeg classifies x as an expression of the states.
func linDeg(x *ex, states map[string]bool) int {
	args := make([]int, len(x.args))
	for i, a := range x.args {
		args[i] = linDeg(a, states)
	}
	switch x.op {
	case "num", "raw":
		return degConst
	case "name":
		if states[x.name] {
			return degLinear
		}
		return degConst
	case "neg":
		return args[0]
	case "+", "-":
		a, b := args[0], args[1]
		switch {
		case a == degNonlinear || b == degNonlinear:
			return degNonlinear
		case a == b:
			return a
		}
		return degAffine
	case "*":
		a, b := args[0], args[1]
		switch {
		case a == degNonlinear || b == degNonlinear:
			return degNonlinear
		case a == degConst:
			return b
		case b == degConst:
			return a
		}
		return degNonlinear
	case "/":
		if args[1] != degConst {
			return degNonlinear
		}
		return args[0]
	case "?:":
		if args[0] != degConst {
			return degNonlinear
		}
		a, b := args[1], args[2]
		if x.args[1].isNum(0) {
			a = b
		}
		if x.args[2].isNum(0) {
			b = a
		}
		switch {
		case a == b:
			return a
		case a == degNonlinear || b == degNonlinear:
			return degNonlinear
		}
		return degAffine
	}
	for _, a := range args {
		if a != degConst {
			return degNonlinear
		}
	}
	return degConst
}

// subst returns x with each name in to replaced by its expression.
func subst(x *ex, to map[string]*ex) *ex {
	if x.op == "name" {
		if y, ok := to[x.name]; ok {
			return y
		}
		return x
	}
	if len(x.args) == 0 {
		return x
	}
	y := &ex{op: x.op, name: x.name, args: make([]*ex, len(x.args))}
	for i, a := range x.args {
		y.args[i] = subst(a, to)
	}
	return y
}

// withUnit is x, a number in NMODL's unit u, as a quantity: x*(u), or x where u is "1".
func withUnit(x *ex, u string) *ex {
	if u == "1" {
		return x
	}
	return bin("*", x, raw("("+exprUnit(u)+")"))
}

// perUnit is the quantity named n over its unit u: its number in NMODL's units.
func perUnit(n, u string) *ex {
	if u == "1" {
		return name(n)
	}
	return bin("/", name(n), raw("("+exprUnit(u)+")"))
}

// eventPart is one assignment of NET_RECEIVE to a state.
type eventPart struct {
	state string // the STATE's NMODL name
	rhs   *ex    // its new value, in NMODL's numbers
	inc   *ex    // rhs minus the state, where that is free of the states; else nil
	k     *ex    // inc over the weight, where inc is the weight times k, k free of the weight
}

// receptor makes a receptor of a POINT_PROCESS once BREAKPOINT, its DERIVATIVE block and
// INITIAL have been executed: its states with their derivatives (which must be linear and
// homogeneous in the states, so that one state per neuron holds the sum over its synapses),
// its current (NMODL's nA, outward positive, turned inward positive) and the event that
// NET_RECEIVE's assignments make.
func (im *importer) receptor() *Result {
	pp := im.point
	states := map[string]bool{}
	for _, s := range im.states {
		states[im.sname[s]] = true
	}
	for _, s := range im.states {
		if x := im.inits[s]; x != nil {
			if v, ok := im.constValue(x); !ok || v != 0 {
				im.refuse(im.init.Pos(), "INITIAL sets %s to %s: a receptor's states start at 0 (a neuron without events has none)", s, x)
			}
		}
		d := im.derivs[s]
		if d == nil {
			continue // reported by run
		}
		switch linDeg(d, states) {
		case degNonlinear:
			im.refuse(im.derivPos[s], "%s' = %s is not linear in the states: a receptor's dynamics are linear, so that one state per neuron holds the sum over its synapses (a receptor that saturates per synapse is a kinetic receptor, written in the spec)", s, d)
		case degAffine:
			im.refuse(im.derivPos[s], "%s' = %s has a term without a state: a receptor's dynamics are linear and homogeneous, so that its states stay 0 without events and one state per neuron holds the sum over its synapses", s, d)
		case degConst:
			if !d.isNum(0) {
				im.refuse(im.derivPos[s], "%s' = %s has a term without a state: a receptor's dynamics are linear and homogeneous, so that its states stay 0 without events", s, d)
			}
		}
	}
	var cur *ex
	for _, w := range im.writes {
		c, ok := im.frames[0][w]
		if !ok || c == nil {
			im.refuse(im.bp.Pos(), "current %s is not assigned in BREAKPOINT", w)
			continue
		}
		if cur == nil {
			cur = c
		} else {
			cur = bin("+", cur, c)
		}
	}
	parts := im.netReceive()
	if len(im.errs) > 0 {
		return nil
	}

	// A PARAMETER that INITIAL assigns (Exp2Syn keeps tau1 below tau2): NEURON runs with the
	// value INITIAL leaves, so the receptor does too, as an alias NAME_eff of that value.
	aliases := map[string]*ex{}
	eff := im.initParams()
	g := im.globals()
	for _, p := range im.params {
		val := eff[p.key]
		if val == nil {
			continue
		}
		an := p.name + "_eff"
		for slices.ContainsFunc(im.params, func(q *param) bool { return q.name == an }) || states[an] {
			an += "_"
		}
		u := p.unit
		if u == "" {
			u = "1"
		}
		aliases[an] = withUnit(val, u)
		if p.scale != 1 { // NMODL's number is the value over scale times the unit
			aliases[an] = bin("*", aliases[an], num(p.scale))
		}
		repl := subst(g[p.key], map[string]*ex{p.name: name(an)})
		fix := func(x *ex) *ex {
			if x == nil {
				return nil
			}
			return subst(replaceEq(x, val, repl), map[string]*ex{p.name: name(an)})
		}
		for s, d := range im.derivs {
			im.derivs[s] = fix(d)
		}
		for n, x := range im.initVals {
			im.initVals[n] = fix(x)
		}
		cur = fix(cur)
		for i := range parts {
			parts[i].rhs, parts[i].inc, parts[i].k = fix(parts[i].rhs), fix(parts[i].inc), fix(parts[i].k)
		}
		im.note("%s: INITIAL assigns the PARAMETER %s: the receptor runs with %s, the value INITIAL leaves it, as NEURON does", im.init.Pos(), p.key, an)
	}

	// The weight: NMODL's number of it is w over its units, which must be those of the
	// states it sets (neurogen's w has their unit).
	first := pp.units[parts[0].state]
	wp := pp.net.Params[0]
	wu := unitOf(wp.Units)
	if wu == "" {
		wu = first
	} else if wd, err := units.Parse(wu); err != nil {
		im.refuse(wp.Units.Pos(), "%s: units (%s) are not imported: %v", wp.Name.Name, wp.Units.Text, err)
		return nil
	} else if sd, err := units.Parse(first); err != nil || sd.Dim != wd.Dim {
		im.refuse(wp.Pos(), "the weight %s is in (%s), %s in (%s): neurogen's weight has the unit of the states an event sets", wp.Name.Name, wp.Units.Text, parts[0].state, first)
		return nil
	}

	// An event that adds the weight times k_s to each state s it sets, k_s free of the states
	// and the weight, adds w to the state s/k_s: the spec's state is NMODL's over k_s, and the
	// other expressions read NMODL's as k_s times it.
	allInc := !slices.ContainsFunc(parts, func(p eventPart) bool { return p.k == nil })
	// A factor that INITIAL computes from the parameters (Exp2Syn's factor) becomes a
	// parameter of the receptor, an alias of its expression.
	for i, p := range parts {
		if p.k == nil || p.k.isNum(1) {
			continue
		}
		for _, n := range slices.Sorted(maps.Keys(im.initVals)) {
			if equal(im.initVals[n], p.k) && !slices.ContainsFunc(im.params, func(q *param) bool { return q.name == n }) {
				an := n
				if slices.Contains(receptorKeys, an) || states[an] {
					an += "_"
				}
				aliases[an] = p.k
				parts[i].k = name(an)
				break
			}
		}
	}
	kOf := map[string]*ex{} // a state's spec name -> k_s, where it is not 1
	scale := map[string]*ex{}
	var scaled []string
	if allInc {
		for _, p := range parts {
			if n := im.sname[p.state]; !p.k.isNum(1) {
				kOf[n] = p.k
				scale[n] = bin("*", p.k, name(n))
				scaled = append(scaled, p.state)
			}
		}
	}
	// The dynamics, linear and homogeneous, keep their form where every state is scaled
	// alike; else each derivative is NMODL's with the states scaled, over its own k.
	uniform := len(kOf) == len(im.states)
	for _, k := range kOf {
		uniform = uniform && equal(k, kOf[im.sname[scaled[0]]])
	}
	if len(scaled) > 0 {
		verb := "are"
		if len(scaled) == 1 {
			verb = "is"
		}
		list := strings.Join(scaled, " and ")
		im.note("%s: NET_RECEIVE adds %s times a factor to %s: the receptor's %s %s NMODL's over the factor, so that an event adds w (the current multiplies by it)",
			pp.net.Pos(), wp.Name.Name, list, list, verb)
	}
	inUnits := map[string]*ex{}
	for _, s := range im.states {
		n := im.sname[s]
		inUnits[n] = perUnit(n, pp.units[s])
	}
	toSpec := func(x *ex) *ex {
		return subst(subst(x, scale), inUnits)
	}

	var b strings.Builder
	fmt.Fprintf(&b, "# A receptor imported from %s by neurogen. A group spec takes it with\n", filepath.Base(im.file.Name))
	fmt.Fprintf(&b, "# `receptors: {%s: {use: %s.yaml}}` (relative to the spec), and may change its parameters there.\n", im.suffix, im.suffix)
	fmt.Fprintf(&b, "neurogen: 1\nreceptor: %s\ndoc: |\n", im.suffix)
	writeDoc(&b, im.pointDoc(), "  ")
	used := map[string]bool{}
	var body strings.Builder
	body.WriteString("states:\n")
	for _, s := range im.states {
		n := im.sname[s]
		d := im.derivs[s]
		if len(kOf) > 0 && !uniform {
			d = subst(d, scale)
			if k := kOf[n]; k != nil {
				d = bin("/", d, k)
			}
		}
		d = subst(d, inUnits)
		u := pp.units[s]
		deriv := bin("/", d, raw("ms"))
		if u != "1" {
			deriv = bin("*", d, raw("("+exprUnit(u)+"/ms)"))
		}
		deriv.names(used)
		fmt.Fprintf(&body, "  %s: {deriv: %s, unit: %s}\n", n, quote(deriv.String()), quote(u))
	}
	c := &ex{op: "neg", args: []*ex{bin("*", toSpec(cur), raw("nA"))}}
	c.names(used)
	body.WriteString("# i (nA, outward positive), turned inward positive\n")
	fmt.Fprintf(&body, "current: %s\n", quote(c.String()))
	var evs []string
	for _, p := range parts {
		n, u := im.sname[p.state], pp.units[p.state]
		if allInc {
			w := name("w")
			if wu != u {
				w = withUnit(perUnit("w", wu), u)
			}
			evs = append(evs, n+" += "+w.String())
			continue
		}
		v := withUnit(subst(toSpec(p.rhs), map[string]*ex{"w": perUnit("w", wu)}), u)
		v.names(used)
		evs = append(evs, n+" = "+v.String())
	}
	var aliasText strings.Builder
	for _, n := range slices.Sorted(maps.Keys(aliases)) {
		if used[n] {
			aliases[n].names(used)
			fmt.Fprintf(&aliasText, "# %s, as INITIAL computes it from the parameters\n%s: %s\n", strings.TrimSuffix(n, "_eff"), n, quote(aliases[n].String()))
		}
	}
	im.writeParams(&b, used)
	b.WriteString(aliasText.String())
	b.WriteString(body.String())
	fmt.Fprintf(&b, "event: %s\n", quote(strings.Join(evs, "; ")))
	im.note("%s: POINT_PROCESS %s: a receptor, in %s.yaml", pp.pos, im.suffix, im.suffix)
	return &Result{Receptors: []Receptor{{Name: im.suffix, YAML: []byte(b.String())}}, Notes: im.notes}
}

// netReceive executes NET_RECEIVE and returns its assignments to the states, in the order
// they are first written. The weight is the name w (NMODL's number of it).
func (im *importer) netReceive() []eventPart {
	pp := im.point
	bp := im.frames
	g := maps.Clone(bp[0])
	before := maps.Clone(g)
	frame := map[string]*ex{}
	for i, p := range pp.net.Params {
		frame[p.Name.Name] = num(0)
		if i == 0 {
			frame[p.Name.Name] = name("w")
		}
	}
	im.frames = []map[string]*ex{g, frame}
	im.body(pp.net.Body, false)
	im.frames = bp
	var order []string
	nmodl.Inspect(pp.net.Body, func(n nmodl.Node) bool {
		if a, ok := n.(*nmodl.Assign); ok {
			if l, ok := a.Lhs.(*nmodl.Ident); ok && !slices.Contains(order, l.Name) {
				order = append(order, l.Name)
			}
		}
		return true
	})
	states := map[string]bool{}
	for _, s := range im.states {
		states[im.sname[s]] = true
	}
	params := map[string]bool{"w": true}
	for _, p := range im.params {
		params[p.name] = true
	}
	var parts []eventPart
	assigned := map[string]bool{}
	for _, n := range order {
		x, ok := g[n]
		if !ok || x == before[n] {
			continue
		}
		if !slices.Contains(im.states, n) {
			im.refuse(pp.net.Pos(), "NET_RECEIVE assigns %s, which is not a STATE: a receptor's event sets its states only", n)
			continue
		}
		used := map[string]bool{}
		x.names(used)
		for _, u := range slices.Sorted(maps.Keys(used)) {
			switch {
			case states[u]:
				if assigned[u] && u != im.sname[n] {
					im.refuse(pp.net.Pos(), "NET_RECEIVE sets %s from %s, which it has set before: write the event so that each state is set from the states as they were", n, u)
				}
			case !params[u]:
				im.refuse(pp.net.Pos(), "NET_RECEIVE's %s uses %s: a receptor's event may use the weight, its states and parameters", n, u)
			}
		}
		assigned[im.sname[n]] = true
		p := eventPart{state: n, rhs: x}
		self := before[n]
		switch {
		case x.op == "+" && equal(x.args[0], self):
			p.inc = x.args[1]
		case x.op == "+" && equal(x.args[1], self):
			p.inc = x.args[0]
		case x.op == "-" && equal(x.args[0], self):
			p.inc = &ex{op: "neg", args: []*ex{x.args[1]}}
		}
		if p.inc != nil && linDeg(p.inc, states) == degConst {
			if k, rest := factor(p.inc, "w"); rest.isName("w") {
				if k == nil {
					k = num(1)
				}
				p.k = k
			}
		} else {
			p.inc = nil
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 && len(im.errs) == 0 {
		im.refuse(pp.net.Pos(), "NET_RECEIVE sets no STATE: a receptor's event changes its states")
	}
	return parts
}

// initParams executes INITIAL again and returns the values, of the parameters and the
// temperature, that it assigns to PARAMETERs (Exp2Syn's clamp of tau1), by NMODL name.
func (im *importer) initParams() map[string]*ex {
	if im.init == nil {
		return nil
	}
	errs, notes, steps, saved := len(im.errs), len(im.notes), im.steps, im.frames
	g := im.globals()
	im.frames = []map[string]*ex{maps.Clone(g)}
	im.body(im.init.Body, false)
	vals := im.frames[0]
	// This run only learns values: INITIAL's own run reports.
	im.errs, im.notes, im.steps, im.frames = im.errs[:errs], im.notes[:notes], steps, saved
	constant := map[string]bool{"T": true}
	for _, p := range im.params {
		constant[p.name] = true
	}
	out := map[string]*ex{}
	for _, p := range im.params {
		x := vals[p.key]
		if x == nil || x == g[p.key] {
			continue
		}
		used := map[string]bool{}
		x.names(used)
		ok := true
		for u := range used {
			ok = ok && constant[u]
		}
		if ok {
			out[p.key] = x
		}
	}
	return out
}

// replaceEq returns x with every subexpression equal to target replaced by repl.
func replaceEq(x, target, repl *ex) *ex {
	if equal(x, target) {
		return repl
	}
	if len(x.args) == 0 {
		return x
	}
	y := &ex{op: x.op, name: x.name, args: make([]*ex, len(x.args))}
	for i, a := range x.args {
		y.args[i] = replaceEq(a, target, repl)
	}
	return y
}

// pointDoc is the receptor's doc: the file's TITLE and COMMENTs, and where it came from.
func (im *importer) pointDoc() string {
	var parts []string
	for _, b := range im.file.Blocks {
		switch b := b.(type) {
		case *nmodl.Title:
			parts = append(parts, strings.TrimSpace(b.Text))
		case *nmodl.CommentBlock:
			parts = append(parts, strings.TrimSpace(b.Text))
		}
	}
	parts = append(parts, fmt.Sprintf("Imported from %s by neurogen (NEURON's point-process current, outward positive in nA, turned inward positive; the weight has the unit of the states its event sets).", filepath.Base(im.file.Name)))
	return strings.Join(parts, "\n\n")
}
