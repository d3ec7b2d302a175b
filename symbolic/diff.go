package symbolic

// Differentiate returns ∂e/∂x, canonicalised. A symbol other than x contributes d(name), its
// own derivative with respect to x, which lets a caller apply the chain rule through named
// intermediate values; d may be nil or return nil, meaning 0 (the symbol does not depend on x).
func Differentiate(e *Expr, x string, d func(name string) *Expr) *Expr {
	memo := map[*Expr]*Expr{}
	var diff func(e *Expr) *Expr
	diff = func(e *Expr) *Expr {
		if r, ok := memo[e]; ok {
			return r
		}
		r := derive(e, x, d, diff)
		memo[e] = r
		return r
	}
	return diff(e)
}

func derive(e *Expr, x string, d func(string) *Expr, diff func(*Expr) *Expr) *Expr {
	zero := Const(0)
	switch e.Op {
	case OpConst:
		return zero
	case OpVar:
		if e.Name == x {
			return Const(1)
		}
		if d != nil {
			if r := d(e.Name); r != nil {
				return r
			}
		}
		return zero
	case OpAdd:
		terms := make([]*Expr, len(e.Args))
		for i, a := range e.Args {
			terms[i] = diff(a)
		}
		return Add(terms...)
	case OpMul:
		// Product rule: Σ_i f_i' Π_{j≠i} f_j.
		var terms []*Expr
		for i, a := range e.Args {
			da := diff(a)
			if da.Is(0) {
				continue
			}
			fs := make([]*Expr, 0, len(e.Args))
			fs = append(fs, da)
			for j, b := range e.Args {
				if j != i {
					fs = append(fs, b)
				}
			}
			terms = append(terms, Mul(fs...))
		}
		return Add(terms...)
	case OpPow:
		b, p := e.Args[0], e.Args[1]
		db, dp := diff(b), diff(p)
		var terms []*Expr
		if !db.Is(0) {
			// p * b**(p-1) * b'
			terms = append(terms, Mul(p, Pow(b, Add(p, Const(-1))), db))
		}
		if !dp.Is(0) {
			// b**p * log(b) * p'
			terms = append(terms, Mul(e, Call("log", b), dp))
		}
		return Add(terms...)
	case OpCall:
		return deriveCall(e, diff)
	case OpCond:
		return Cond(e.Args[0], diff(e.Args[1]), diff(e.Args[2]))
	default: // booleans are piecewise constant
		return zero
	}
}

func deriveCall(e *Expr, diff func(*Expr) *Expr) *Expr {
	a := e.Args
	u := a[0]
	du := diff(u)
	switch e.Name {
	case "exp":
		return Mul(e, du)
	case "expm1":
		return Mul(Call("exp", u), du)
	case "exprel":
		if du.Is(0) {
			return Const(0)
		}
		return Mul(exprelPrime(u, e), du)
	case "log":
		return Div(du, u)
	case "log1p":
		return Div(du, Add(Const(1), u))
	case "tanh":
		return Mul(Sub(Const(1), Pow(e, Const(2))), du)
	case "sinh":
		return Mul(Call("cosh", u), du)
	case "cosh":
		return Mul(Call("sinh", u), du)
	case "sqrt":
		return Div(du, Mul(Const(2), e))
	case "abs":
		return Mul(Cond(Compare(OpLT, u, Const(0)), Const(-1), Const(1)), du)
	case "min", "max":
		// Pairwise: the derivative of the argument that is selected.
		op := OpLT
		if e.Name == "max" {
			op = OpGT
		}
		best, dbest := a[0], du
		for _, b := range a[1:] {
			db := diff(b)
			dbest = Cond(Compare(op, b, best), db, dbest)
			best = Call(e.Name, best, b)
		}
		return dbest
	case "clip":
		lo, hi := a[1], a[2]
		return Cond(Compare(OpLT, u, lo), diff(lo), Cond(Compare(OpGT, u, hi), diff(hi), du))
	}
	panic("symbolic.Differentiate: no rule for " + e.Name)
}

// exprelPrimeSeriesMax is where the derivative of exprel changes from its Taylor polynomial to
// the closed form (see exprelPrime).
const exprelPrimeSeriesMax = 0.5

// exprelPrimeCoeffs are the Taylor coefficients of exprel'(u) = Σ_{k≥0} (k+1)/(k+2)! u^k, for
// k = 0…15: the first omitted term is below 1e-19 of the value for |u| < 1/2.
var exprelPrimeCoeffs = func() []float64 {
	c := make([]float64, 16)
	fact := 1.0 // (k+2)!, exact in float64 up to 17!
	for k := range c {
		if k == 0 {
			fact = 2
		} else {
			fact *= float64(k + 2)
		}
		c[k] = float64(k+1) / fact
	}
	return c
}()

// exprelPrime returns d/du exprel(u), where e is exprel(u): (e^u − exprel(u))/u for |u| ≥ 1/2,
// where the difference loses under a digit to cancellation (e^u/|e^u − exprel(u)| ≤ 4.7 there),
// and the Taylor polynomial 1/2 + u/3 + u²/8 + … by Horner's scheme for |u| < 1/2, where the
// closed form would lose log10(1/|u|) digits and is 0/0 at u = 0. NaN takes the closed form.
func exprelPrime(u, e *Expr) *Expr {
	c := exprelPrimeCoeffs
	poly := Const(c[len(c)-1])
	for k := len(c) - 2; k >= 0; k-- {
		poly = Add(Const(c[k]), Mul(u, poly))
	}
	closed := Div(Sub(Call("exp", u), e), u)
	return Cond(Compare(OpLT, Call("abs", u), Const(exprelPrimeSeriesMax)), poly, closed)
}
