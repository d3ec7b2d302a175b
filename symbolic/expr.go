// Package symbolic is neurogen's small computer algebra system: canonical expression trees with
// constant folding, symbolic differentiation, rewriting of removable singularities, evaluation and
// printing.
//
// Expressions are immutable and always in canonical form, because every constructor simplifies
// as it builds: sums and products are flattened, their constants folded, like terms and like
// factors combined, and their operands sorted, so two expressions that differ only by
// commutativity, associativity or constant arithmetic get the same Key. Subtraction is a sum with
// a negated term (Mul by −1), division a product with a negative power. Products are never
// distributed over sums, so the factors a person wrote, such as (V + 40), stay intact.
package symbolic

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// Op is the kind of an expression node.
type Op uint8

// Node kinds.
const (
	OpConst Op = iota // a number (Val)
	OpVar             // a symbol (Name)
	OpAdd             // sum of Args (two or more)
	OpMul             // product of Args (two or more); a constant coefficient comes first
	OpPow             // Args[0] ** Args[1]
	OpCall            // Name(Args...), a function of Funcs
	OpCond            // Args[0] ? Args[1] : Args[2]
	OpLT              // Args[0] < Args[1]
	OpLE              // Args[0] <= Args[1]
	OpGT              // Args[0] > Args[1]
	OpGE              // Args[0] >= Args[1]
	OpEQ              // Args[0] == Args[1]
	OpNE              // Args[0] != Args[1]
	OpAnd             // Args[0] && Args[1]
	OpOr              // Args[0] || Args[1]
	OpNot             // !Args[0]
)

var opNames = [...]string{
	OpConst: "const", OpVar: "var", OpAdd: "+", OpMul: "*", OpPow: "**", OpCall: "call",
	OpCond: "?:", OpLT: "<", OpLE: "<=", OpGT: ">", OpGE: ">=", OpEQ: "==", OpNE: "!=",
	OpAnd: "&&", OpOr: "||", OpNot: "!",
}

// String returns the operator symbol.
func (op Op) String() string {
	if int(op) < len(opNames) {
		return opNames[op]
	}
	return "op" + strconv.Itoa(int(op))
}

// IsBool reports whether nodes of kind op have a boolean value.
func (op Op) IsBool() bool { return op >= OpLT && op <= OpNot }

// Expr is an immutable expression node in canonical form. Build it only with the constructors
// of this package.
type Expr struct {
	Op   Op
	Val  float64 // OpConst
	Name string  // OpVar: the symbol; OpCall: the function
	Args []*Expr
	key  string
}

// Key is a string that identifies e up to canonical form: two expressions with the same Key are
// the same expression.
func (e *Expr) Key() string { return e.key }

// IsConst reports whether e is a number, and which.
func (e *Expr) IsConst() (float64, bool) { return e.Val, e.Op == OpConst }

// Is reports whether e is the number v.
func (e *Expr) Is(v float64) bool { return e.Op == OpConst && e.Val == v }

func fmtNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

func node(op Op, val float64, name string, args ...*Expr) *Expr {
	e := &Expr{Op: op, Val: val, Name: name, Args: args}
	var b strings.Builder
	switch op {
	case OpConst:
		b.WriteString(fmtNum(val))
	case OpVar:
		b.WriteString(name)
	default:
		b.WriteByte('(')
		if op == OpCall {
			b.WriteString(name)
		} else {
			b.WriteString(op.String())
		}
		for _, a := range args {
			b.WriteByte(' ')
			b.WriteString(a.key)
		}
		b.WriteByte(')')
	}
	e.key = b.String()
	return e
}

// Const returns the number v.
func Const(v float64) *Expr { return node(OpConst, v, "") }

// Var returns the symbol name.
func Var(name string) *Expr { return node(OpVar, 0, name) }

// Bool returns 1 for true and 0 for false, the values of comparisons.
func Bool(b bool) *Expr {
	if b {
		return Const(1)
	}
	return Const(0)
}

// coefTerm splits e into a numeric coefficient and the rest: 3*x*y → (3, x*y).
func coefTerm(e *Expr) (float64, *Expr) {
	if e.Op == OpMul && e.Args[0].Op == OpConst {
		if len(e.Args) == 2 {
			return e.Args[0].Val, e.Args[1]
		}
		return e.Args[0].Val, node(OpMul, 0, "", e.Args[1:]...)
	}
	return 1, e
}

// Add returns the canonical sum of xs.
func Add(xs ...*Expr) *Expr {
	c := 0.0
	type acc struct {
		coef float64
		term *Expr
	}
	var order []string
	terms := map[string]*acc{}
	var visit func(x *Expr)
	visit = func(x *Expr) {
		switch x.Op {
		case OpConst:
			c += x.Val
		case OpAdd:
			for _, a := range x.Args {
				visit(a)
			}
		default:
			k, t := coefTerm(x)
			if a, ok := terms[t.key]; ok {
				a.coef += k
			} else {
				terms[t.key] = &acc{k, t}
				order = append(order, t.key)
			}
		}
	}
	for _, x := range xs {
		visit(x)
	}
	slices.Sort(order)
	var args []*Expr
	for _, k := range order {
		a := terms[k]
		if a.coef == 0 {
			continue
		}
		args = append(args, scale(a.coef, a.term))
	}
	if c != 0 || len(args) == 0 {
		args = append(args, Const(c))
	}
	if len(args) == 1 {
		return args[0]
	}
	return node(OpAdd, 0, "", args...)
}

// scale returns k*t for a term t that is not a constant and has no coefficient of its own.
func scale(k float64, t *Expr) *Expr {
	if k == 1 {
		return t
	}
	if t.Op == OpMul {
		return node(OpMul, 0, "", append([]*Expr{Const(k)}, t.Args...)...)
	}
	return node(OpMul, 0, "", Const(k), t)
}

// Mul returns the canonical product of xs.
func Mul(xs ...*Expr) *Expr {
	coef := 1.0
	type acc struct {
		base *Expr
		exps []*Expr
	}
	var order []string
	facs := map[string]*acc{}
	var visit func(x *Expr)
	visit = func(x *Expr) {
		switch x.Op {
		case OpConst:
			coef *= x.Val
		case OpMul:
			for _, a := range x.Args {
				visit(a)
			}
		default:
			b, e := x, Const(1)
			if x.Op == OpPow {
				b, e = x.Args[0], x.Args[1]
			}
			if a, ok := facs[b.key]; ok {
				a.exps = append(a.exps, e)
			} else {
				facs[b.key] = &acc{b, []*Expr{e}}
				order = append(order, b.key)
			}
		}
	}
	for _, x := range xs {
		visit(x)
	}
	if coef == 0 {
		return Const(0)
	}
	var args []*Expr
	for _, k := range order {
		a := facs[k]
		var p *Expr
		if len(a.exps) == 1 {
			p = Pow(a.base, a.exps[0])
		} else {
			p = Pow(a.base, Add(a.exps...))
		}
		switch p.Op {
		case OpConst:
			coef *= p.Val
		case OpMul: // a power that distributed; its factors are already canonical
			for _, f := range p.Args {
				if f.Op == OpConst {
					coef *= f.Val
				} else {
					args = append(args, f)
				}
			}
		default:
			args = append(args, p)
		}
	}
	if coef == 0 {
		return Const(0)
	}
	if len(args) > 1 {
		// Equal bases may meet again after distribution; merge them by rebuilding.
		seen := map[string]bool{}
		for _, a := range args {
			b := a
			if a.Op == OpPow {
				b = a.Args[0]
			}
			if seen[b.key] {
				return Mul(append([]*Expr{Const(coef)}, args...)...)
			}
			seen[b.key] = true
		}
	}
	slices.SortFunc(args, func(a, b *Expr) int {
		if ra, rb := factorRank(a), factorRank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a.key, b.key)
	})
	if len(args) == 0 {
		return Const(coef)
	}
	if coef != 1 {
		args = append([]*Expr{Const(coef)}, args...)
	}
	if len(args) == 1 {
		return args[0]
	}
	return node(OpMul, 0, "", args...)
}

// factorRank orders the factors of a product for reading: names, then calls, then powers, then
// sums and the rest.
func factorRank(e *Expr) int {
	switch e.Op {
	case OpVar:
		return 0
	case OpCall:
		return 1
	case OpPow:
		return 2
	case OpAdd:
		return 3
	}
	return 4
}

// isInt reports whether v is an integer of modest size.
func isInt(v float64) bool { return v == math.Trunc(v) && math.Abs(v) <= 1<<20 }

// Pow returns b**e.
func Pow(b, e *Expr) *Expr {
	ev, econst := e.IsConst()
	bv, bconst := b.IsConst()
	switch {
	case econst && bconst:
		return Const(math.Pow(bv, ev))
	case econst && ev == 0:
		return Const(1)
	case econst && ev == 1:
		return b
	case bconst && bv == 1:
		return Const(1)
	case econst && isInt(ev) && b.Op == OpPow:
		if iv, ok := b.Args[1].IsConst(); ok && isInt(iv) {
			return Pow(b.Args[0], Const(iv*ev))
		}
	case econst && ev == -1 && b.Op == OpMul:
		// 1/(a·b) = a⁻¹·b⁻¹, so quotients are products and like factors meet. Other powers of
		// products stay as they are: (α/(α+β))**3 keeps the factor a person wrote.
		fs := make([]*Expr, len(b.Args))
		for i, f := range b.Args {
			fs[i] = Pow(f, e)
		}
		return Mul(fs...)
	}
	return node(OpPow, 0, "", b, e)
}

// Neg returns −x.
func Neg(x *Expr) *Expr { return Mul(Const(-1), x) }

// Sub returns a − b.
func Sub(a, b *Expr) *Expr { return Add(a, Neg(b)) }

// Div returns a / b.
func Div(a, b *Expr) *Expr { return Mul(a, Pow(b, Const(-1))) }

// Call returns the function call name(args...). The function must be one of Funcs with a valid
// number of arguments (the checker ensures that); calls with only constant arguments are folded.
func Call(name string, args ...*Expr) *Expr {
	f, ok := lookupFunc(name)
	if !ok {
		panic("symbolic.Call: unknown function " + name)
	}
	if name == "pow" && len(args) == 2 {
		return Pow(args[0], args[1])
	}
	allConst := true
	vals := make([]float64, len(args))
	for i, a := range args {
		v, ok := a.IsConst()
		allConst = allConst && ok
		vals[i] = v
	}
	if allConst {
		return Const(f.Eval(vals))
	}
	if name == "min" || name == "max" {
		// min(x, x) = x; keep argument order (it decides which NaN wins) otherwise.
		same := true
		for _, a := range args[1:] {
			same = same && a.key == args[0].key
		}
		if same {
			return args[0]
		}
	}
	return node(OpCall, 0, name, args...)
}

// Cond returns c ? a : b.
func Cond(c, a, b *Expr) *Expr {
	if v, ok := c.IsConst(); ok {
		if v != 0 {
			return a
		}
		return b
	}
	if a.key == b.key {
		return a
	}
	return node(OpCond, 0, "", c, a, b)
}

// Compare returns the comparison a op b for op one of OpLT … OpNE.
func Compare(op Op, a, b *Expr) *Expr {
	if op < OpLT || op > OpNE {
		panic("symbolic.Compare: not a comparison: " + op.String())
	}
	av, aok := a.IsConst()
	bv, bok := b.IsConst()
	if aok && bok {
		return Bool(compare(op, av, bv))
	}
	return node(op, 0, "", a, b)
}

func compare(op Op, a, b float64) bool {
	switch op {
	case OpLT:
		return a < b
	case OpLE:
		return a <= b
	case OpGT:
		return a > b
	case OpGE:
		return a >= b
	case OpEQ:
		return a == b
	case OpNE:
		return a != b
	}
	return false
}

// And returns a && b.
func And(a, b *Expr) *Expr {
	if v, ok := a.IsConst(); ok {
		if v == 0 {
			return Const(0)
		}
		return b
	}
	if v, ok := b.IsConst(); ok {
		if v == 0 {
			return Const(0)
		}
		return a
	}
	return node(OpAnd, 0, "", a, b)
}

// Or returns a || b.
func Or(a, b *Expr) *Expr {
	if v, ok := a.IsConst(); ok {
		if v != 0 {
			return Const(1)
		}
		return b
	}
	if v, ok := b.IsConst(); ok {
		if v != 0 {
			return Const(1)
		}
		return a
	}
	return node(OpOr, 0, "", a, b)
}

// Not returns !a.
func Not(a *Expr) *Expr {
	if v, ok := a.IsConst(); ok {
		return Bool(v == 0)
	}
	if a.Op == OpNot {
		return a.Args[0]
	}
	return node(OpNot, 0, "", a)
}

// Rebuild returns a node of the same kind as e with new arguments, canonicalised.
func Rebuild(e *Expr, args []*Expr) *Expr {
	switch e.Op {
	case OpConst, OpVar:
		return e
	case OpAdd:
		return Add(args...)
	case OpMul:
		return Mul(args...)
	case OpPow:
		return Pow(args[0], args[1])
	case OpCall:
		return Call(e.Name, args...)
	case OpCond:
		return Cond(args[0], args[1], args[2])
	case OpAnd:
		return And(args[0], args[1])
	case OpOr:
		return Or(args[0], args[1])
	case OpNot:
		return Not(args[0])
	default:
		return Compare(e.Op, args[0], args[1])
	}
}

// Substitute replaces symbols: every Var whose name f maps to a non-nil expression is replaced
// by it, and the result is canonicalised.
func Substitute(e *Expr, f func(name string) *Expr) *Expr {
	memo := map[*Expr]*Expr{}
	var sub func(e *Expr) *Expr
	sub = func(e *Expr) *Expr {
		if r, ok := memo[e]; ok {
			return r
		}
		var r *Expr
		switch e.Op {
		case OpConst:
			r = e
		case OpVar:
			if r = f(e.Name); r == nil {
				r = e
			}
		default:
			args := make([]*Expr, len(e.Args))
			changed := false
			for i, a := range e.Args {
				args[i] = sub(a)
				changed = changed || args[i] != a
			}
			r = e
			if changed {
				r = Rebuild(e, args)
			}
		}
		memo[e] = r
		return r
	}
	return sub(e)
}

// Vars returns the names of the symbols in e, sorted.
func Vars(e *Expr) []string {
	set := map[string]bool{}
	Walk(e, func(x *Expr) bool {
		if x.Op == OpVar {
			set[x.Name] = true
		}
		return true
	})
	names := make([]string, 0, len(set))
	for n := range set {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// DependsOn reports whether e contains a symbol for which pred is true.
func DependsOn(e *Expr, pred func(name string) bool) bool {
	found := false
	Walk(e, func(x *Expr) bool {
		if found {
			return false
		}
		if x.Op == OpVar && pred(x.Name) {
			found = true
		}
		return !found
	})
	return found
}

// Walk calls f for e and, while f returns true, for its arguments, depth first.
func Walk(e *Expr, f func(*Expr) bool) {
	if !f(e) {
		return
	}
	for _, a := range e.Args {
		Walk(a, f)
	}
}
