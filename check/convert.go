package check

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/neurogen/neurogen/parser"
	"github.com/neurogen/neurogen/spec"
	"github.com/neurogen/neurogen/symbolic"
	"github.com/neurogen/neurogen/units"
)

// dimT is the type of an expression: a boolean, or a number with a dimension. A literal zero
// has every dimension (0 mV = 0 ms = 0), so `V > 0` is fine.
type dimT struct {
	d       units.Dim
	zero    bool
	boolean bool
}

func (t dimT) String() string {
	switch {
	case t.boolean:
		return "a boolean"
	case t.zero:
		return "0"
	}
	return t.d.Describe()
}

// conv is the conversion of one expression text in one scope.
type conv struct {
	c     *checker
	sc    *scope
	text  spec.Text
	where string // what the expression is, for messages: "alpha of gate `Na.m`"
	bad   bool   // an error was reported
	// rws are the removable singularities rewritten in this expression, including those of the
	// definitions it uses.
	rws []symbolic.Rewrite
}

func (c *checker) parse(text spec.Text) parser.Expr {
	e, err := parser.Parse(text.Src)
	if err != nil {
		off := 0
		msg := err.Error()
		if pe, ok := err.(*parser.Error); ok {
			off, msg = int(pe.Pos), pe.Msg
		}
		c.errorf(text.PosAt(off), "%s", msg)
		return nil
	}
	return e
}

// expression parses and converts text in scope sc, rewriting removable singularities as it
// goes (before a quotient can be raised to a power or merged into a larger product). It
// returns nil after reporting errors.
func (c *checker) expression(text spec.Text, sc *scope, where string) (*symbolic.Expr, dimT, []symbolic.Rewrite) {
	ast := c.parse(text)
	if ast == nil {
		return nil, dimT{}, nil
	}
	v := &conv{c: c, sc: sc, text: text, where: where}
	e, t := v.expr(ast)
	if v.bad {
		return nil, t, nil
	}
	return e, t, v.rws
}

// product canonicalises a product or quotient and rewrites its removable singularities.
func (v *conv) product(e *symbolic.Expr) *symbolic.Expr {
	e, rws := symbolic.RewriteSingularities(e)
	v.rws = append(v.rws, rws...)
	return e
}

func (v *conv) errorf(at parser.Pos, format string, args ...any) {
	v.bad = true
	v.c.errorf(v.text.PosAt(int(at)), format, args...)
}

// src is the source text of a node.
func (v *conv) src(e parser.Expr) string {
	lo, hi := int(e.Pos()), int(e.End())
	if lo < 0 || hi > len(v.text.Src) || lo > hi {
		return "?"
	}
	return v.text.Src[lo:hi]
}

var dimless = dimT{d: units.Dimensionless}

func (v *conv) number(e parser.Expr, t dimT) bool {
	if t.boolean {
		v.errorf(e.Pos(), "`%s` is a comparison, not a number", v.src(e))
		return false
	}
	return true
}

func (v *conv) boolean(e parser.Expr, t dimT) bool {
	if !t.boolean {
		v.errorf(e.Pos(), "`%s` is a number, not a condition: compare it, as in `%s > 0`", v.src(e), v.src(e))
		return false
	}
	return true
}

// same unifies the dimensions of two operands that must agree.
func (v *conv) same(at parser.Pos, what string, x, y parser.Expr, tx, ty dimT) (dimT, bool) {
	switch {
	case tx.zero && ty.zero:
		return tx, true
	case tx.zero:
		return ty, true
	case ty.zero:
		return tx, true
	case tx.d == ty.d:
		return tx, true
	}
	v.errorf(at, "mismatched dimensions in %s: `%s` is %s but `%s` is %s", what, v.src(x), tx.d.Describe(), v.src(y), ty.d.Describe())
	return tx, false
}

func (v *conv) expr(e parser.Expr) (*symbolic.Expr, dimT) {
	switch e := e.(type) {
	case *parser.Num:
		t := dimless
		t.zero = e.Value == 0
		return symbolic.Const(e.Value), t
	case *parser.Paren:
		return v.expr(e.X)
	case *parser.Ident:
		return v.ident(e)
	case *parser.Unary:
		x, tx := v.expr(e.X)
		if x == nil {
			return nil, tx
		}
		if e.Op == parser.OpNot {
			if !v.boolean(e.X, tx) {
				return nil, tx
			}
			return symbolic.Not(x), tx
		}
		if !v.number(e.X, tx) {
			return nil, tx
		}
		if e.Op == parser.OpNeg {
			return symbolic.Neg(x), tx
		}
		return x, tx
	case *parser.Binary:
		return v.binary(e)
	case *parser.Cond:
		cond, tc := v.expr(e.Cond)
		a, ta := v.expr(e.Then)
		b, tb := v.expr(e.Else)
		if cond == nil || a == nil || b == nil {
			return nil, ta
		}
		if !v.boolean(e.Cond, tc) || !v.number(e.Then, ta) || !v.number(e.Else, tb) {
			return nil, ta
		}
		t, ok := v.same(e.Colon, "the branches of `?:`", e.Then, e.Else, ta, tb)
		if !ok {
			return nil, t
		}
		return symbolic.Cond(cond, a, b), t
	case *parser.Call:
		return v.call(e)
	}
	v.errorf(e.Pos(), "unsupported expression")
	return nil, dimT{}
}

func (v *conv) ident(e *parser.Ident) (*symbolic.Expr, dimT) {
	name := e.Name
	sym := v.sc.lookup(name)
	if sym == nil {
		if u, ok := units.Lookup(name); ok {
			return symbolic.Const(u.Scale), dimT{d: u.Dim}
		}
		if _, ok := symbolic.Funcs[name]; ok {
			v.errorf(e.At, "`%s` is a function: call it, as in `%s(x)`", name, name)
			return nil, dimT{}
		}
		v.errorf(e.At, "%s", v.c.undefined(name, v.sc))
		return nil, dimT{}
	}
	switch sym.kind {
	case symDef:
		d := sym.def
		v.c.convertDef(d)
		if d.bad || d.expr == nil {
			v.bad = true
			return nil, dimT{}
		}
		v.rws = append(v.rws, d.rws...)
		return d.expr, d.dim
	case symState, symParam, symTime, symInput:
		return symbolic.Var(sym.local), dimT{d: sym.dim}
	}
	v.errorf(e.At, "cannot use `%s` here", name)
	return nil, dimT{}
}

// undefined builds the message for an unknown name, with a suggestion.
func (c *checker) undefined(name string, sc *scope) string {
	msg := fmt.Sprintf("undefined: `%s`", name)
	cands := sc.names()
	sug := units.Suggest(name, cands)
	if sug == "" {
		sug = units.Suggest(name, units.Names())
	}
	if sug != "" {
		msg += fmt.Sprintf(" (did you mean `%s`?)", sug)
	}
	if sc.owner != "" {
		var gates []string
		for n, s := range sc.syms {
			if s.kind == symState {
				gates = append(gates, n)
			}
		}
		if len(gates) > 0 && sug == "" {
			slices.Sort(gates)
			msg += fmt.Sprintf(" (channel `%s` has gates %s)", sc.owner, strings.Join(gates, ", "))
		} else if len(gates) == 0 && sug == "" && len(name) <= 2 {
			msg += fmt.Sprintf(" (channel `%s` has no gates: declare it under `gates:`)", sc.owner)
		}
	}
	return msg
}

func (v *conv) binary(e *parser.Binary) (*symbolic.Expr, dimT) {
	x, tx := v.expr(e.X)
	y, ty := v.expr(e.Y)
	if x == nil || y == nil {
		return nil, tx
	}
	switch e.Op {
	case parser.OpAnd, parser.OpOr:
		if !v.boolean(e.X, tx) || !v.boolean(e.Y, ty) {
			return nil, tx
		}
		if e.Op == parser.OpAnd {
			return symbolic.And(x, y), tx
		}
		return symbolic.Or(x, y), tx
	}
	if !v.number(e.X, tx) || !v.number(e.Y, ty) {
		return nil, tx
	}
	switch e.Op {
	case parser.OpAdd, parser.OpSub:
		t, ok := v.same(e.OpPos, "`"+e.Op.String()+"`", e.X, e.Y, tx, ty)
		if !ok {
			return nil, t
		}
		if e.Op == parser.OpAdd {
			return symbolic.Add(x, y), t
		}
		return symbolic.Sub(x, y), t
	case parser.OpMul:
		return v.product(symbolic.Mul(x, y)), dimT{d: tx.d.Mul(ty.d)}
	case parser.OpDiv:
		return v.product(symbolic.Div(x, y)), dimT{d: tx.d.Div(ty.d)}
	case parser.OpPow:
		return v.pow(e, e.X, e.Y, x, y, tx, ty)
	}
	if e.Op.IsComparison() {
		if _, ok := v.same(e.OpPos, "`"+e.Op.String()+"`", e.X, e.Y, tx, ty); !ok {
			return nil, tx
		}
		return symbolic.Compare(compareOp[e.Op], x, y), dimT{boolean: true}
	}
	v.errorf(e.OpPos, "unsupported operator `%s`", e.Op)
	return nil, tx
}

var compareOp = map[parser.Op]symbolic.Op{
	parser.OpLT: symbolic.OpLT, parser.OpLE: symbolic.OpLE, parser.OpGT: symbolic.OpGT,
	parser.OpGE: symbolic.OpGE, parser.OpEQ: symbolic.OpEQ, parser.OpNE: symbolic.OpNE,
}

// pow checks base**exp: the exponent is dimensionless, and a constant integer (or a constant
// whose root the base's dimension has) when the base has a dimension.
func (v *conv) pow(at parser.Expr, bx, ex parser.Expr, b, x *symbolic.Expr, tb, tx dimT) (*symbolic.Expr, dimT) {
	if !tx.d.IsDimensionless() && !tx.zero {
		v.errorf(ex.Pos(), "the exponent `%s` must be dimensionless, got %s", v.src(ex), tx.d.Describe())
		return nil, tb
	}
	r := symbolic.Pow(b, x)
	if tb.d.IsDimensionless() || tb.zero {
		return r, dimless
	}
	p, ok := x.IsConst()
	if !ok {
		v.errorf(ex.Pos(), "`%s` has dimension %s, so its exponent must be a constant number, not `%s`", v.src(bx), tb.d.Describe(), v.src(ex))
		return nil, tb
	}
	for _, q := range []int{1, 2, 3, 4} {
		n := p * float64(q)
		if n != math.Trunc(n) || math.Abs(n) > 64 {
			continue
		}
		d, ok := tb.d.PowOK(int(n))
		if ok {
			d, ok = d.Root(q)
		}
		if ok {
			return r, dimT{d: d}
		}
	}
	v.errorf(ex.Pos(), "`%s` to the power %v has no physical dimension (%s)", v.src(bx), p, tb.d.Describe())
	return nil, tb
}

func (v *conv) call(e *parser.Call) (*symbolic.Expr, dimT) {
	name := e.Fun.Name
	f, ok := symbolic.Funcs[name]
	if !ok {
		msg := fmt.Sprintf("unknown function `%s`", name)
		if sug := units.Suggest(name, symbolic.FuncNames()); sug != "" {
			msg += fmt.Sprintf(" (did you mean `%s`?)", sug)
		} else {
			msg += " (functions: " + strings.Join(symbolic.FuncNames(), ", ") + ")"
		}
		if sym := v.sc.lookup(name); sym != nil {
			msg = fmt.Sprintf("`%s` is %s, not a function", name, sym.what)
		}
		v.errorf(e.Fun.At, "%s", msg)
		return nil, dimT{}
	}
	n := len(e.Args)
	if n < f.MinArgs || (f.MaxArgs >= 0 && n > f.MaxArgs) {
		want := fmt.Sprintf("%d", f.MinArgs)
		switch {
		case f.MaxArgs < 0:
			want = fmt.Sprintf("at least %d", f.MinArgs)
		case f.MaxArgs != f.MinArgs:
			want = fmt.Sprintf("%d to %d", f.MinArgs, f.MaxArgs)
		}
		plural := "s"
		if want == "1" {
			plural = ""
		}
		v.errorf(e.Fun.At, "`%s` takes %s argument%s, got %d", name, want, plural, n)
		return nil, dimT{}
	}
	args := make([]*symbolic.Expr, n)
	types := make([]dimT, n)
	for i, a := range e.Args {
		args[i], types[i] = v.expr(a)
		if args[i] == nil {
			return nil, dimT{}
		}
		if !v.number(a, types[i]) {
			return nil, dimT{}
		}
	}
	switch f.Args {
	case "dimensionless":
		for i, a := range e.Args {
			if !types[i].zero && !types[i].d.IsDimensionless() {
				v.errorf(a.Pos(), "the argument of `%s` must be dimensionless, got `%s` in %s", name, v.src(a), types[i].d.Describe())
				return nil, dimT{}
			}
		}
		return symbolic.Call(name, args...), dimless
	case "same":
		t := types[0]
		for i := 1; i < n; i++ {
			var ok bool
			if t, ok = v.same(e.Args[i].Pos(), "the arguments of `"+name+"`", e.Args[0], e.Args[i], t, types[i]); !ok {
				return nil, t
			}
		}
		return symbolic.Call(name, args...), t
	case "sqrt":
		d, ok := types[0].d.Root(2)
		if !ok && !types[0].zero {
			v.errorf(e.Args[0].Pos(), "the square root of %s has no physical dimension", types[0].d.Describe())
			return nil, dimT{}
		}
		return symbolic.Call(name, args...), dimT{d: d}
	case "any": // pow
		return v.pow(e, e.Args[0], e.Args[1], args[0], args[1], types[0], types[1])
	}
	return symbolic.Call(name, args...), types[0]
}

// convertDef converts an intermediate definition once, detecting cycles.
func (c *checker) convertDef(d *def) {
	switch d.status {
	case 2:
		return
	case 1:
		c.cycle(d)
		d.bad = true
		return
	}
	d.status = 1
	c.defStack = append(c.defStack, d)
	e, t, rws := c.expression(d.text, d.scope, "definition `"+d.sym.name+"`")
	c.defStack = c.defStack[:len(c.defStack)-1]
	if e == nil {
		d.bad = true
	}
	d.expr, d.dim, d.sym.dim, d.rws = e, t, t.d, rws
	d.status = 2
}

// cycle reports a cycle among definitions that reaches d again.
func (c *checker) cycle(d *def) {
	i := len(c.defStack) - 1
	for i >= 0 && c.defStack[i] != d {
		i--
	}
	if i < 0 {
		return
	}
	path := []string{}
	for _, x := range c.defStack[i:] {
		path = append(path, x.sym.name)
	}
	path = append(path, d.sym.name)
	if !d.cycleReported {
		c.errorf(d.sym.pos, "definition cycle: %s", strings.Join(path, " -> "))
		for _, x := range c.defStack[i:] {
			x.cycleReported = true
		}
	}
}
