package importer

import (
	"slices"

	"github.com/neurogen/neurogen/nmodl"
	"github.com/neurogen/neurogen/spec"
)

// A scheme is what the importer learns of a KINETIC block that BREAKPOINT solves, for the
// steady state that a SOLVE ... STEADYSTATE in INITIAL asks for: its first-order reactions as
// the edges of a graph of its states, and its CONSERVE.
type scheme struct {
	states    []string // in order of appearance
	edges     map[[2]string]*ex
	order     [][2]string // the edges' keys in order of appearance
	nonlinear spec.Pos    // a reaction not of first order (invalid when none)
	conserve  []string    // the states CONSERVE sums (nil when there is none)
	total     *ex         // and their sum
	consPos   spec.Pos
	consBad   bool           // a CONSERVE other than a sum of distinct states
	before    map[string]*ex // the states' values at the SOLVE ... STEADYSTATE in INITIAL
}

// add records the reaction r, the left side's states ln with coefficients lc, the right
// side's rn, rc, and its rates kf and kb (nil for -> or a missing one).
func (sch *scheme) add(r *nmodl.Reaction, ln []string, lc []float64, rn []string, rc []float64, kf, kb *ex) {
	for _, s := range append(slices.Clone(ln), rn...) {
		if !slices.Contains(sch.states, s) {
			sch.states = append(sch.states, s)
		}
	}
	if len(ln) != 1 || len(rn) != 1 || lc[0] != 1 || rc[0] != 1 || ln[0] == rn[0] {
		if !sch.nonlinear.IsValid() {
			sch.nonlinear = r.Pos()
		}
		return
	}
	edge := func(from, to string, k *ex) {
		key := [2]string{from, to}
		if old := sch.edges[key]; old != nil {
			k = bin("+", old, k)
		} else {
			sch.order = append(sch.order, key)
		}
		if sch.edges == nil {
			sch.edges = map[[2]string]*ex{}
		}
		sch.edges[key] = k
	}
	edge(ln[0], rn[0], kf)
	if kb != nil {
		edge(rn[0], ln[0], kb)
	}
}

// conserve records a KINETIC block's CONSERVE A + B + C = total.
func (im *importer) conserve(c *nmodl.Conserve) {
	sch := im.schemes[im.block]
	if sch == nil || sch.consPos.IsValid() {
		return
	}
	sch.consPos = c.Pos()
	var terms func(x nmodl.Expr) bool
	terms = func(x nmodl.Expr) bool {
		switch x := x.(type) {
		case *nmodl.Paren:
			return terms(x.X)
		case *nmodl.Binary:
			return x.Op == nmodl.Plus && terms(x.X) && terms(x.Y)
		case *nmodl.Ident:
			if !slices.Contains(im.states, x.Name) || slices.Contains(sch.conserve, x.Name) {
				return false
			}
			sch.conserve = append(sch.conserve, x.Name)
			return true
		}
		return false
	}
	if !terms(c.Lhs) {
		sch.consBad = true
	}
	sch.total = im.expr(c.Rhs)
}

// initSolve marks the states of the block that a SOLVE ... STEADYSTATE in INITIAL names as
// starting at their steady state (see steadyState); what INITIAL assigns them after it wins.
func (im *importer) initSolve(s *nmodl.Solve) {
	if !s.SteadyState {
		return
	}
	name := s.Name.Name
	if im.blocks[name] == nil {
		im.refuse(s.Name.Pos(), "SOLVE %s: no DERIVATIVE or KINETIC block of that name", name)
		return
	}
	n := 0
	before := map[string]*ex{}
	g := im.globals()
	for _, st := range im.states {
		if im.derivBlock[st] == name && im.derivs[st] != nil {
			// Without a CONSERVE, the states' sum before the SOLVE is their total (NEURON's
			// states start at 0).
			x, _ := im.lookup(st)
			if x == nil || equal(x, g[st]) {
				x = num(0)
			}
			before[st] = x
			im.set(st, &ex{op: "steady", name: st})
			n++
		}
	}
	if n == 0 {
		im.refuse(s.Pos(), "SOLVE %s STEADYSTATE in INITIAL: only the block that BREAKPOINT solves is imported", name)
		return
	}
	if im.steadyPos == nil {
		im.steadyPos = map[string]spec.Pos{}
	}
	if _, ok := im.steadyPos[name]; !ok {
		im.steadyPos[name] = s.Pos()
		if sch := im.schemes[name]; sch != nil {
			sch.before = before
		}
	}
}

// isSteady reports whether x holds a state's steady state that initSolve marked.
func (x *ex) isSteady() bool {
	if x.op == "steady" {
		return true
	}
	return slices.ContainsFunc(x.args, (*ex).isSteady)
}

// resolveSteady replaces the steady states that initSolve marked in x by their closed forms;
// false after an error.
func (im *importer) resolveSteady(x *ex) (*ex, bool) {
	if x.op == "steady" {
		v := im.steadyState(x.name)
		return v, v != nil
	}
	if !x.isSteady() {
		return x, true
	}
	y := &ex{op: x.op, name: x.name}
	for _, a := range x.args {
		r, ok := im.resolveSteady(a)
		if !ok {
			return nil, false
		}
		y.args = append(y.args, r)
	}
	return y, true
}

// maxTrees bounds the choices that steadyState tries (the product, over the states, of the
// number of reactions that leave each).
const maxTrees = 200000

// steadyState returns the steady state of state st of a KINETIC scheme at the initial V: the
// fraction of the CONSERVE's total that is in st when every reaction's forward and backward
// fluxes balance, a linear system. Its solution is in closed form by Kirchhoff's matrix-tree
// theorem: st's share is proportional to the sum, over the spanning trees of the graph of
// reactions whose edges all lead to st, of the product of their rates. Nil after an error
// (reported once per scheme).
func (im *importer) steadyState(st string) *ex {
	if x, ok := im.steady[st]; ok {
		return x
	}
	block := im.derivBlock[st]
	pos := im.steadyPos[block]
	var states []string
	for _, s := range im.states {
		if im.derivBlock[s] == block {
			states = append(states, s)
		}
	}
	if im.steady == nil {
		im.steady = map[string]*ex{}
	}
	fail := func(format string, args ...any) *ex {
		im.refuse(pos, "SOLVE %s STEADYSTATE in INITIAL is not imported: "+format, append([]any{block}, args...)...)
		for _, s := range states {
			im.steady[s] = nil
		}
		return nil
	}
	sch := im.schemes[block]
	if sch == nil {
		// A DERIVATIVE block: a kinetic gate whose derivative is affine in it, c0 + c1*x, and
		// uses no other state of the block, starts at -c0/c1.
		d := im.derivs[st]
		for _, s := range states {
			if s != st && d.uses(im.sname[s]) {
				return fail("%s' uses %s, and the steady state of coupled kinetic gates of a DERIVATIVE block is not imported (set them in INITIAL)", st, s)
			}
		}
		c0, c1, ok := affine(d, im.sname[st])
		if !ok || c1.isNum(0) {
			return fail("%s' is not affine in %s (c0 + c1*%s), so its steady state is not imported (set it in INITIAL)", st, st, st)
		}
		x := bin("/", neg(c0), c1)
		if x.size() > maxSize {
			return fail("the steady state of %s is too large (over %d operations)", st, maxSize)
		}
		im.steady[st] = x
		im.note("%s: SOLVE %s STEADYSTATE: %s starts at its steady state at the initial V, -c0/c1 of %s' = c0 + c1*%s", pos, block, st, st, st)
		return x
	}
	switch {
	case sch.nonlinear.IsValid():
		p := sch.nonlinear
		return fail("the reaction at %d:%d is not of first order (one state on each side, coefficient 1), so the steady state is not a linear system", p.Line(), p.Col())
	case !sch.consPos.IsValid():
		// NEURON's steady state keeps the states' sum (each reaction does), as it is at the SOLVE.
		for _, s := range states {
			if sch.before[s] == nil {
				return fail("the scheme has no CONSERVE, and %s has no value at the SOLVE", s)
			}
			if sch.total == nil {
				sch.total = sch.before[s]
			} else {
				sch.total = bin("+", sch.total, sch.before[s])
			}
			sch.conserve = append(sch.conserve, s)
		}
		if sch.total.isSteady() {
			return fail("the scheme has no CONSERVE, and the sum of its states at the SOLVE is not known")
		}
		im.note("%s: SOLVE %s STEADYSTATE: the scheme has no CONSERVE: the sum of its states is what it is at the SOLVE, %s", pos, block, sch.total)
	case sch.consBad || len(sch.conserve) != len(states) || slices.ContainsFunc(states, func(s string) bool { return !slices.Contains(sch.conserve, s) }):
		p := sch.consPos
		return fail("the CONSERVE at %d:%d is not the sum of every state of the scheme, each once", p.Line(), p.Col())
	}
	for _, s := range states {
		if !slices.Contains(sch.states, s) {
			return fail("%s' is not given by the scheme's reactions", s)
		}
	}
	idx := map[string]int{}
	for i, s := range states {
		idx[s] = i
	}
	n := len(states)
	out := make([][]int, n) // out[i]: the states that a reaction from i leads to
	rate := map[[2]int]*ex{}
	tries := 1
	for _, k := range sch.order {
		i, j := idx[k[0]], idx[k[1]]
		out[i] = append(out[i], j)
		rate[[2]int{i, j}] = sch.edges[k]
	}
	for i := range n {
		if len(out[i]) > 0 {
			if tries *= len(out[i]); tries > maxTrees/n {
				return fail("the scheme's %d states have too many spanning trees for a closed form", n)
			}
		}
	}
	// trees[r]: the sum over the spanning trees that lead to r of the products of their rates.
	trees := make([]*ex, n)
	next := make([]int, n)
	for r := range n {
		var sum *ex
		var choose func(v int)
		choose = func(v int) {
			if v == n {
				// Each state's path must reach r without a cycle.
				for u := range n {
					w := u
					for steps := 0; w != r; steps++ {
						if steps == n {
							return
						}
						w = next[w]
					}
				}
				var prod *ex
				for u := range n {
					if u == r {
						continue
					}
					k := rate[[2]int{u, next[u]}]
					if prod == nil {
						prod = k
					} else {
						prod = bin("*", prod, k)
					}
				}
				if prod == nil {
					prod = num(1)
				}
				if sum == nil {
					sum = prod
				} else {
					sum = bin("+", sum, prod)
				}
				return
			}
			if v == r {
				choose(v + 1)
				return
			}
			for _, w := range out[v] {
				next[v] = w
				choose(v + 1)
			}
		}
		choose(0)
		trees[r] = sum
	}
	var all *ex
	for _, t := range trees {
		switch {
		case t == nil:
		case all == nil:
			all = t
		default:
			all = bin("+", all, t)
		}
	}
	if all == nil {
		return fail("its reactions do not connect its states so that one steady state exists")
	}
	for i, s := range states {
		x := num(0)
		if trees[i] != nil && !sch.total.isNum(0) {
			x = bin("/", bin("*", sch.total, trees[i]), all)
		}
		if x.size() > maxSize {
			return fail("its closed form is too large (over %d operations)", maxSize)
		}
		im.steady[s] = x
	}
	im.note("%s: SOLVE %s STEADYSTATE: %s start at their steady state at the initial V, in closed form", pos, block, joinStates(states))
	return im.steady[st]
}

func joinStates(s []string) string {
	switch len(s) {
	case 1:
		return s[0]
	case 2:
		return s[0] + " and " + s[1]
	}
	out := ""
	for i, x := range s {
		switch {
		case i == len(s)-1:
			out += ", and " + x
		case i > 0:
			out += ", " + x
		default:
			out = x
		}
	}
	return out
}

func neg(x *ex) *ex {
	if x.op == "num" {
		return num(-numOf(x))
	}
	return &ex{op: "neg", args: []*ex{x}}
}

// affine writes x as c0 + c1*s, with c0 and c1 free of the name s; false when it is not.
func affine(x *ex, s string) (c0, c1 *ex, ok bool) {
	if !x.uses(s) {
		return x, num(0), true
	}
	if x.isName(s) {
		return num(0), num(1), true
	}
	switch x.op {
	case "neg":
		if a0, a1, ok := affine(x.args[0], s); ok {
			return neg(a0), neg(a1), true
		}
	case "+", "-":
		a0, a1, ok1 := affine(x.args[0], s)
		b0, b1, ok2 := affine(x.args[1], s)
		if ok1 && ok2 {
			return bin(x.op, a0, b0), bin(x.op, a1, b1), true
		}
	case "*":
		l, r := x.args[0], x.args[1]
		if !l.uses(s) {
			if b0, b1, ok := affine(r, s); ok {
				return bin("*", l, b0), bin("*", l, b1), true
			}
		} else if !r.uses(s) {
			if a0, a1, ok := affine(l, s); ok {
				return bin("*", a0, r), bin("*", a1, r), true
			}
		}
	case "/":
		if r := x.args[1]; !r.uses(s) {
			if a0, a1, ok := affine(x.args[0], s); ok {
				return bin("/", a0, r), bin("/", a1, r), true
			}
		}
	}
	return nil, nil, false
}
