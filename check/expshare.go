package check

import (
	"math"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/symbolic"
)

// Exponential sharing. Rate functions are full of exponentials of one variable with the same
// slope and different offsets — HH52's exp(−(V+40)/10) inside α_m, exp(−(V+35)/10) in β_h,
// exp(−(V+55)/10) inside α_n — and of slopes that are small integer multiples of each other
// (exp(−(V+65)/20) is exp(−(V+65)/80)⁴). shareExps rewrites each such family to one exponential,
// exp(c·x + d₀) for the first member of the family's smallest slope, raised to the power k of
// the member's slope to that one (k ≤ 4, written as products) and times a folded constant e^(d−k·d₀):
// the scheduler then computes it once per neuron. An exprel(u) of the family
// becomes exprel_of(u, e^u), which divides e^u − 1 by u where that is accurate (|u| ≥ 1/2) and
// evaluates exprel(u) elsewhere, near its pole. Each rewritten value differs from the direct one
// by a few ulp. A family of one is left alone.

// maxShareOffset bounds |d − k·d₀| of a shared exponential: e^20 ≈ 5e8 keeps the shared one
// from overflowing or underflowing where the direct one would not, over any sane range of V.
const maxShareOffset = 20

// affine returns e as c·x + d for a single variable x, or ok = false.
func affine(e *symbolic.Expr) (x string, c, d float64, ok bool) {
	switch e.Op {
	case symbolic.OpVar:
		return e.Name, 1, 0, true
	case symbolic.OpAdd:
		for _, a := range e.Args {
			if v, isConst := a.IsConst(); isConst {
				d += v
				continue
			}
			ax, ac, ad, aok := affine(a)
			if !aok || x != "" && ax != x {
				return "", 0, 0, false
			}
			x, c, d = ax, c+ac, d+ad
		}
		return x, c, d, x != "" && c != 0
	case symbolic.OpMul:
		k := 1.0
		var inner *symbolic.Expr
		for _, a := range e.Args {
			if v, isConst := a.IsConst(); isConst {
				k *= v
				continue
			}
			if inner != nil {
				return "", 0, 0, false
			}
			inner = a
		}
		if inner == nil {
			return "", 0, 0, false
		}
		ix, ic, id, iok := affine(inner)
		return ix, k * ic, k * id, iok && k*ic != 0
	}
	return "", 0, 0, false
}

// expUse is an exponential or exprel of an affine argument.
type expUse struct {
	x    string
	c, d float64
}

// shareExps rewrites the exponential families of exprs (see above), in place, and returns the
// exponentials it rewrote, each once, in the order of their first appearance.
func shareExps(exprs []*symbolic.Expr) []*ir.SharedExp {
	// Collect the uses in order.
	var uses []expUse
	collect := func(e *symbolic.Expr) {
		symbolic.Walk(e, func(n *symbolic.Expr) bool {
			if n.Op == symbolic.OpCall && (n.Name == "exp" || n.Name == "exprel") && len(n.Args) == 1 {
				if x, c, d, ok := affine(n.Args[0]); ok {
					uses = append(uses, expUse{x, c, d})
				}
			}
			return true
		})
	}
	for _, e := range exprs {
		collect(e)
	}
	// Each slope's first offset; each slope's parent, a slope of the same variable that divides
	// it by 4, 3 or 2 (same sign, the largest such factor) within the offset bound and has no
	// parent itself; each use's root, its slope's parent or the slope itself.
	type slope struct {
		x string
		c float64
	}
	firstD := map[slope]float64{}
	var slopes []slope
	for _, u := range uses {
		if _, ok := firstD[slope{u.x, u.c}]; !ok {
			firstD[slope{u.x, u.c}] = u.d
			slopes = append(slopes, slope{u.x, u.c})
		}
	}
	var parent func(s slope) (p slope, k int, ok bool)
	parent = func(s slope) (p slope, k int, ok bool) {
		for k := 4; k >= 2; k-- {
			p := slope{s.x, s.c / float64(k)}
			if d, found := firstD[p]; found && p.c*float64(k) == s.c && math.Abs(firstD[s]-float64(k)*d) <= maxShareOffset {
				if _, _, chained := parent(p); chained {
					continue // powers of powers would be x**8 and more: one level only
				}
				return p, k, true
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
	// expOf is e^(c·x + d) in terms of its slope's first exponential, itself in terms of its
	// parent's: e^(d − d₀) · exp(c·x + d₀), exp(c·x + d₀) = e^(d₀ − k·d_p) · (exp of the parent)^k.
	var slopeExp func(s slope) *symbolic.Expr
	slopeExp = func(s slope) *symbolic.Expr {
		d0 := firstD[s]
		if p, k, ok := parent(s); ok {
			e := symbolic.Pow(slopeExp(p), symbolic.Const(float64(k)))
			if off := d0 - float64(k)*firstD[p]; off != 0 {
				e = symbolic.Mul(symbolic.Const(math.Exp(off)), e)
			}
			return e
		}
		return symbolic.Call("exp", symbolic.Add(symbolic.Mul(symbolic.Const(s.c), symbolic.Var(s.x)), symbolic.Const(d0)))
	}
	expOf := func(u expUse) *symbolic.Expr {
		s := slope{u.x, u.c}
		e := slopeExp(s)
		if off := u.d - firstD[s]; off != 0 {
			if math.Abs(off) > maxShareOffset {
				return nil
			}
			e = symbolic.Mul(symbolic.Const(math.Exp(off)), e)
		}
		return e
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
		if e.Op == symbolic.OpCall && (e.Name == "exp" || e.Name == "exprel") && len(e.Args) == 1 {
			if x, c, d, ok := affine(e.Args[0]); ok && members[root(slope{x, c})] > 1 {
				if ex := expOf(expUse{x, c, d}); ex != nil {
					if direct := symbolic.Call("exp", e.Args[0]); !seen[direct.Key()] {
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
