package symbolic

import (
	"math"
	"slices"
)

// A Rewrite records one removable singularity that RewriteSingularities replaced.
type Rewrite struct {
	Before *Expr // the quotient as it was: F / D, with D a multiple of exp(U) − 1
	After  *Expr // its replacement, k / exprel(U)
	U      *Expr // the exponent; the original quotient is 0/0 where U = 0
}

// RewriteSingularities finds quotients of the form F / (c·(exp(U) − 1)), in which the factor F
// is a constant multiple k·U of the exponent (both sides vanish at U = 0, a removable
// singularity, as in the HH rate 0.1·(V + 40)/(1 − exp(−(V + 40)/10))), and rewrites each to
// (k/c) / exprel(U), which is finite and accurate at and near U = 0. Proportionality is decided on
// linear forms, so (V + 40), (0.1·V + 4) and (13 − V + V_sh) are all recognised.
func RewriteSingularities(e *Expr) (*Expr, []Rewrite) {
	var rws []Rewrite
	memo := map[*Expr]*Expr{}
	var rw func(e *Expr) *Expr
	rw = func(e *Expr) *Expr {
		if r, ok := memo[e]; ok {
			return r
		}
		r := e
		if len(e.Args) > 0 {
			args := make([]*Expr, len(e.Args))
			changed := false
			for i, a := range e.Args {
				args[i] = rw(a)
				changed = changed || args[i] != a
			}
			if changed {
				r = Rebuild(e, args)
			}
		}
		if r.Op == OpMul {
			for {
				nr, w, ok := rewriteProduct(r)
				if !ok {
					break
				}
				rws = append(rws, w)
				r = nr
				if r.Op != OpMul {
					break
				}
			}
		}
		memo[e] = r
		return r
	}
	return rw(e), rws
}

// expMinusOne matches D = c0 + c1·exp(U) with c0 = −c1 ≠ 0, returning c1 and U.
func expMinusOne(d *Expr) (c1 float64, u *Expr, ok bool) {
	if d.Op != OpAdd || len(d.Args) != 2 {
		return 0, nil, false
	}
	c0, isConst := d.Args[1].IsConst()
	if !isConst {
		return 0, nil, false
	}
	k, t := coefTerm(d.Args[0])
	if t.Op != OpCall || t.Name != "exp" || k == 0 || c0 != -k {
		return 0, nil, false
	}
	return k, t.Args[0], true
}

// rewriteProduct rewrites one singular quotient inside the product p.
func rewriteProduct(p *Expr) (*Expr, Rewrite, bool) {
	for di, d := range p.Args {
		if d.Op != OpPow || !d.Args[1].Is(-1) {
			continue
		}
		c1, u, ok := expMinusOne(d.Args[0])
		if !ok {
			continue
		}
		lu, ok := linearForm(u)
		if !ok || len(lu.terms) == 0 {
			continue
		}
		for fi, f := range p.Args {
			if fi == di || f.Op == OpConst {
				continue
			}
			lf, ok := linearForm(f)
			if !ok {
				continue
			}
			k, ok := proportional(lf, lu)
			if !ok {
				continue
			}
			repl := Mul(Const(k/c1), Pow(Call("exprel", u), Const(-1)))
			rest := []*Expr{repl}
			for j, g := range p.Args {
				if j != di && j != fi {
					rest = append(rest, g)
				}
			}
			w := Rewrite{Before: Mul(f, d), After: repl, U: u}
			return Mul(rest...), w, true
		}
	}
	return nil, Rewrite{}, false
}

// linear is Σ coef[k]·term[k] + c over non-constant terms.
type linear struct {
	terms map[string]float64
	c     float64
}

// linearForm expands e as a linear combination of its non-constant terms, distributing numeric
// coefficients over sums. Any other node is one term of its own.
func linearForm(e *Expr) (linear, bool) {
	l := linear{terms: map[string]float64{}}
	var add func(e *Expr, k float64, depth int) bool
	add = func(e *Expr, k float64, depth int) bool {
		if depth > 64 {
			return false
		}
		switch {
		case e.Op == OpConst:
			l.c += k * e.Val
		case e.Op == OpAdd:
			for _, a := range e.Args {
				if !add(a, k, depth+1) {
					return false
				}
			}
		default:
			c, t := coefTerm(e)
			if c != 1 || t != e {
				return add(t, k*c, depth+1)
			}
			l.terms[e.key] += k
		}
		return true
	}
	ok := add(e, 1, 0)
	for key, v := range l.terms {
		if v == 0 {
			delete(l.terms, key)
		}
	}
	return l, ok
}

// proportional reports whether a = k·b, to 1e-12 relative, and returns k.
func proportional(a, b linear) (float64, bool) {
	if len(a.terms) != len(b.terms) || len(b.terms) == 0 {
		return 0, false
	}
	// k from the largest coefficient of b, for accuracy.
	keys := make([]string, 0, len(b.terms))
	for key := range b.terms {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	best := keys[0]
	for _, key := range keys {
		if math.Abs(b.terms[key]) > math.Abs(b.terms[best]) {
			best = key
		}
	}
	av, ok := a.terms[best]
	if !ok {
		return 0, false
	}
	k := av / b.terms[best]
	close := func(x, y float64) bool {
		return math.Abs(x-y) <= 1e-12*math.Max(math.Abs(x), math.Abs(y))
	}
	for key, bv := range b.terms {
		if !close(a.terms[key], k*bv) {
			return 0, false
		}
	}
	if !close(a.c, k*b.c) && !(a.c == 0 && b.c == 0) {
		return 0, false
	}
	return k, k != 0 && !math.IsInf(k, 0) && !math.IsNaN(k)
}

// Root solves U = 0 for the symbol x when U is linear in x, with the other symbols' values
// given by env: U(x) = U(0) + a·x, so x = −U(0)/a. It reports false when U is not linear in x
// or a is 0.
func Root(u *Expr, x string, env func(string) float64) (float64, bool) {
	du := Differentiate(u, x, nil)
	if DependsOn(du, func(n string) bool { return n == x }) {
		return 0, false
	}
	with := func(xv float64) func(string) float64 {
		return func(n string) float64 {
			if n == x {
				return xv
			}
			return env(n)
		}
	}
	a := Eval(du, with(0))
	if a == 0 || math.IsNaN(a) || math.IsInf(a, 0) {
		return 0, false
	}
	return -Eval(u, with(0)) / a, true
}
