package middle

import (
	"maps"
	"math"
	"slices"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/symbolic"
)

// Exponential sharing. Rate functions are full of exponentials of one variable with the same
// slope and different offsets — HH52's exp(−(V+40)/10) inside α_m, exp(−(V+35)/10) in β_h,
// exp(−(V+55)/10) inside α_n — and of slopes that are small integer multiples of each other
// (exp(−(V+65)/20) is exp(−(V+65)/80)⁴), or opposite (Traub–Miles' β_m has exp((u − 40)/5),
// β_h exp((40 − u)/5)). shareExps rewrites each such family to one exponential, exp(c·x + d₀)
// for the first member of the family's smallest slope, raised to the power k of the member's
// slope to that one (k ≤ 4, written as products; k = −1, a division, for an opposite slope with
// fewer uses, or as many and after its opposite) and times the factor e^(d−k·d₀): the scheduler then
// computes it once per neuron. An exprel(u) of the family
// becomes exprel_of(u, e^u), which divides e^u − 1 by u where that is accurate (|u| ≥ 1/2) and
// evaluates exprel(u) elsewhere, near its pole. Each rewritten value differs from the direct one
// by a few ulp. A family of one is left alone.
//
// The offset d may hold parameters that are constant during a call to Step (group-wide ones, not
// per-neuron ones), as Traub–Miles' exp((40 − (V − V_T))/5) does. Where the parameters cancel in
// d − k·d₀ (the rates of one channel, shifted by one V_T), the factor is a number, folded; where
// they do not (two channels shifted by V_sh parameters of their own), it is exp of an expression
// in the parameters, which the scheduler computes once per call, before the loop over neurons.
// A family whose offsets hold parameters shares the first member's own exponential, argument as
// written, so that member is computed to the bit as before.

// ShareExps returns m with the exponential families of its statements (Pre, then Body) shared,
// as described above, and SharedExps listing what was rewritten. m is left as it is.
func ShareExps(m *ir.Model) *ir.Model {
	c, _ := clone(m)
	all := slices.Concat(c.Pre, c.Body)
	exprs := make([]*symbolic.Expr, len(all))
	for i, st := range all {
		exprs[i] = st.Expr
	}
	c.SharedExps = shareExps(exprs, groupParams(c))
	for i, st := range all {
		st.Expr = exprs[i]
	}
	return c
}

// maxShareOffset bounds |d − k·d₀| of a shared exponential, at the parameters' defaults: e^20 ≈
// 5e8 keeps the shared one from overflowing or underflowing where the direct one would not, over
// any sane range of V (and of the parameters about their defaults).
const maxShareOffset = 20

// offset is the constant part d of an affine argument c·x + d: a number plus run-constant
// parameters (by symbol) times their coefficients, none zero.
type offset struct {
	c  float64
	ps map[string]float64
}

// minus returns a − k·b.
func (a offset) minus(b offset, k float64) offset {
	r := offset{c: a.c - k*b.c}
	for p, v := range a.ps {
		r.add(p, v)
	}
	for p, v := range b.ps {
		r.add(p, -k*v)
	}
	return r
}

func (a *offset) add(p string, v float64) {
	if a.ps == nil {
		a.ps = map[string]float64{}
	}
	a.ps[p] += v
	if a.ps[p] == 0 {
		delete(a.ps, p)
	}
}

func (a offset) scale(k float64) offset {
	r := offset{c: k * a.c}
	for p, v := range a.ps {
		r.add(p, k*v)
	}
	return r
}

// isConst reports whether a holds no parameter.
func (a offset) isConst() bool { return len(a.ps) == 0 }

// at returns a's value with the parameters at the given values.
func (a offset) at(vals map[string]float64) float64 {
	s := a.c
	for _, p := range slices.Sorted(maps.Keys(a.ps)) {
		s += a.ps[p] * vals[p]
	}
	return s
}

// expr returns a as an expression.
func (a offset) expr() *symbolic.Expr {
	terms := []*symbolic.Expr{symbolic.Const(a.c)}
	for _, p := range slices.Sorted(maps.Keys(a.ps)) {
		terms = append(terms, symbolic.Mul(symbolic.Const(a.ps[p]), symbolic.Var(p)))
	}
	return symbolic.Add(terms...)
}

// affine returns e as c·x + d for a single variable x and an offset d of numbers and the
// run-constant names (for which isConst is true), or ok = false.
func affine(e *symbolic.Expr, isConst func(string) bool) (x string, c float64, d offset, ok bool) {
	x, c, d, ok = linear(e, isConst)
	return x, c, d, ok && x != "" && c != 0
}

// linear is affine that allows no variable (x == "") or a slope of 0.
func linear(e *symbolic.Expr, isConst func(string) bool) (x string, c float64, d offset, ok bool) {
	switch e.Op {
	case symbolic.OpConst:
		return "", 0, offset{c: e.Val}, true
	case symbolic.OpVar:
		if isConst(e.Name) {
			var d offset
			d.add(e.Name, 1)
			return "", 0, d, true
		}
		return e.Name, 1, offset{}, true
	case symbolic.OpAdd:
		for _, a := range e.Args {
			ax, ac, ad, aok := linear(a, isConst)
			if !aok || ax != "" && x != "" && ax != x {
				return "", 0, offset{}, false
			}
			if ax != "" {
				x = ax
			}
			c += ac
			d = d.minus(ad, -1)
		}
		if x != "" && c == 0 {
			return "", 0, offset{}, false // x cancels: leave such a sum alone
		}
		return x, c, d, true
	case symbolic.OpMul:
		k := 1.0
		var inner *symbolic.Expr
		for _, a := range e.Args {
			if v, isConst := a.IsConst(); isConst {
				k *= v
				continue
			}
			if inner != nil {
				return "", 0, offset{}, false
			}
			inner = a
		}
		if inner == nil {
			return "", 0, offset{c: k}, true
		}
		ix, ic, id, iok := linear(inner, isConst)
		if !iok {
			return "", 0, offset{}, false
		}
		if ix != "" && k*ic == 0 {
			return "", 0, offset{}, false
		}
		return ix, k * ic, id.scale(k), true
	}
	return "", 0, offset{}, false
}

// expUse is an exponential or exprel of an affine argument.
type expUse struct {
	x   string
	c   float64
	d   offset
	arg *symbolic.Expr // the argument as written
}

// shareExps rewrites the exponential families of exprs (see above), in place, and returns the
// exponentials it computes from another, each once, in the order of their first appearance (not
// a family's first member where that is shared as written). params holds the
// run-constant parameters, by symbol, at their default values: they may appear in an offset.
func shareExps(exprs []*symbolic.Expr, params map[string]float64) []*ir.SharedExp {
	isConst := func(name string) bool { _, ok := params[name]; return ok }
	isExp := func(n *symbolic.Expr) bool {
		return n.Op == symbolic.OpCall && (n.Name == "exp" || n.Name == "exprel") && len(n.Args) == 1
	}
	// Collect the uses in order.
	var uses []expUse
	for _, e := range exprs {
		symbolic.Walk(e, func(n *symbolic.Expr) bool {
			if isExp(n) {
				if x, c, d, ok := affine(n.Args[0], isConst); ok {
					uses = append(uses, expUse{x, c, d, n.Args[0]})
				}
			}
			return true
		})
	}
	// Each slope's first use; each slope's parent, a slope of the same variable that divides
	// it by 4, 3 or 2 (same sign, the largest such factor), or else its opposite if that has
	// more uses or as many and appears first, within the offset bound and with no parent itself; each use's root, its
	// slope's parent or the slope itself.
	type slope struct {
		x string
		c float64
	}
	first := map[slope]expUse{}
	order := map[slope]int{}
	count := map[slope]int{}
	for _, u := range uses {
		s := slope{u.x, u.c}
		if _, ok := first[s]; !ok {
			first[s] = u
			order[s] = len(order)
		}
		count[s]++
	}
	// precedes reports whether slope a is the parent rather than its opposite b: the one with
	// more uses (fewer divisions), or the first of two with as many.
	precedes := func(a, b slope) bool {
		return count[a] > count[b] || count[a] == count[b] && order[a] < order[b]
	}
	within := func(off offset) bool { return math.Abs(off.at(params)) <= maxShareOffset }
	var parent func(s slope) (p slope, k int, ok bool)
	parent = func(s slope) (p slope, k int, ok bool) {
		for k := 4; k >= 2; k-- {
			p := slope{s.x, s.c / float64(k)}
			if fp, found := first[p]; found && p.c*float64(k) == s.c && within(first[s].d.minus(fp.d, float64(k))) {
				if _, _, chained := parent(p); chained {
					continue // powers of powers would be x**8 and more: one level only
				}
				return p, k, true
			}
		}
		// The opposite slope, where it has more uses or as many and appears first:
		// e^(c·x + d) = e^(d + d_p)/exp(−c·x + d_p).
		p = slope{s.x, -s.c}
		if fp, found := first[p]; found && precedes(p, s) && within(first[s].d.minus(fp.d, -1)) {
			if _, _, chained := parent(p); !chained {
				return p, -1, true
			}
		}
		return slope{}, 0, false
	}
	root := func(s slope) slope {
		for {
			p, _, ok := parent(s)
			if !ok {
				return s
			}
			s = p
		}
	}
	members := map[slope]int{}
	for _, u := range uses {
		members[root(slope{u.x, u.c})]++
	}
	// base is the exponential a root slope shares: exp(c·x + d₀) as a number d₀ allows, else
	// the first member's own exponential.
	base := func(s slope) *symbolic.Expr {
		f := first[s]
		if f.d.isConst() {
			return symbolic.Call("exp", symbolic.Add(symbolic.Mul(symbolic.Const(s.c), symbolic.Var(s.x)), symbolic.Const(f.d.c)))
		}
		return symbolic.Call("exp", f.arg)
	}
	// factor is e^off: a number where off holds no parameter, exp of off otherwise.
	factor := func(off offset) *symbolic.Expr {
		if off.isConst() {
			return symbolic.Const(math.Exp(off.c))
		}
		return symbolic.Call("exp", off.expr())
	}
	// expOf is e^(c·x + d) in terms of its slope's first exponential, e^(d − d₀)·exp(c·x + d₀),
	// that in terms of its parent's, exp(c·x + d₀) = e^(d₀ − k·d_p)·(exp of the parent)^k. The
	// two factors are one, e^(d − k·d_p), where either holds a parameter.
	expOf := func(u expUse) *symbolic.Expr {
		s := slope{u.x, u.c}
		off := u.d.minus(first[s].d, 1)
		if !within(off) {
			return nil
		}
		p, k, ok := parent(s)
		if !ok {
			return symbolic.Mul(factor(off), base(s))
		}
		pow := symbolic.Pow(base(p), symbolic.Const(float64(k)))
		offP := first[s].d.minus(first[p].d, float64(k))
		if off.isConst() && offP.isConst() {
			return symbolic.Mul(factor(off), symbolic.Mul(factor(offP), pow))
		}
		return symbolic.Mul(factor(u.d.minus(first[p].d, float64(k))), pow)
	}
	// Rewrite the members of families of two or more.
	var shared []*ir.SharedExp
	seen := map[string]bool{}
	var rewrite func(e *symbolic.Expr) *symbolic.Expr
	rewrite = func(e *symbolic.Expr) *symbolic.Expr {
		args := make([]*symbolic.Expr, len(e.Args))
		changed := false
		for i, a := range e.Args {
			args[i] = rewrite(a)
			changed = changed || args[i] != a
		}
		if isExp(e) {
			if x, c, d, ok := affine(e.Args[0], isConst); ok && members[root(slope{x, c})] > 1 {
				if ex := expOf(expUse{x, c, d, e.Args[0]}); ex != nil {
					if direct := symbolic.Call("exp", e.Args[0]); !seen[direct.Key()] && direct.Key() != ex.Key() {
						seen[direct.Key()] = true
						shared = append(shared, &ir.SharedExp{Exp: direct, As: ex})
					}
					if e.Name == "exp" {
						return ex
					}
					return symbolic.Call("exprel_of", e.Args[0], ex)
				}
			}
		}
		if changed {
			return symbolic.Rebuild(e, args)
		}
		return e
	}
	for i, e := range exprs {
		exprs[i] = rewrite(e)
	}
	return shared
}
