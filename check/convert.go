package check

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/neurogen/neurogen/internal/suggest"
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
	case t.d.IsDimensionless():
		return "a dimensionless value"
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
	// refs are the names it uses, directly or through definitions.
	refs map[*symbol]bool
}

// converted is an expression converted from spec text.
type converted struct {
	e    *symbolic.Expr // nil after an error, which has been reported
	t    dimT
	rws  []symbolic.Rewrite
	refs map[*symbol]bool
}

func (c *checker) parse(text spec.Text, sc *scope) parser.Expr {
	e, err := parser.Parse(text.Src)
	if err != nil {
		off := 0
		msg := err.Error()
		if pe, ok := err.(*parser.Error); ok {
			off, msg = int(pe.Pos), pe.Msg
		}
		c.report(sc, textPos(text, off), spec.Syntax, "%s", msg)
		return nil
	}
	return e
}

// textPos returns the file position of byte offset off of an expression text. An offset in the
// blanks and line breaks that end the text (the end of the expression, in an error such as
// "expected an operand") maps to the first of them, just after the expression's last byte:
// PosAt maps the end of a text that ends in a line break past the end of its last line.
func textPos(text spec.Text, off int) spec.Pos {
	if end := len(strings.TrimRight(text.Src, " \t\r\n")); off > end {
		off = end
	}
	return text.PosAt(off)
}

// expression parses and converts text in scope sc, rewriting removable singularities as it
// goes (before a quotient can be raised to a power or merged into a larger product). It
// returns nil after reporting errors.
func (c *checker) expression(text spec.Text, sc *scope, where string) converted {
	// A plain quantity ("5 ms", "-65 mV", "0.1 mS/cm2") stands for its value wherever an
	// expression may go. It is tried only when the text is not an expression (as one it would
	// be written 5*ms), so that `2 * m` stays two times the gate m rather than two metres.
	if _, err := parser.Parse(text.Src); err != nil {
		if q, qerr := units.ParseQuantity(text.Src); qerr == nil && q.Unit.Name != "" && !units.IsCelsius(q.Unit.Name) {
			return converted{e: symbolic.Const(q.Value), t: dimT{d: q.Unit.Dim, zero: q.Value == 0}}
		}
	}
	ast := c.parse(text, sc)
	if ast == nil {
		return converted{}
	}
	v := &conv{c: c, sc: sc, text: text, where: where, refs: map[*symbol]bool{}}
	e, t := v.expr(ast)
	if v.bad {
		return converted{t: t, refs: v.refs}
	}
	return converted{e: e, t: t, rws: v.rws, refs: v.refs}
}

// product canonicalises a product or quotient and rewrites its removable singularities.
func (v *conv) product(e *symbolic.Expr) *symbolic.Expr {
	e, rws := symbolic.RewriteSingularities(e)
	v.rws = append(v.rws, rws...)
	return e
}

func (v *conv) errorf(at parser.Pos, code spec.Code, format string, args ...any) {
	v.bad = true
	v.c.report(v.sc, textPos(v.text, int(at)), code, format, args...)
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
		v.errorf(e.Pos(), spec.ConditionAsNumber, "`%s` is a comparison, not a number", v.src(e))
		return false
	}
	return true
}

func (v *conv) boolean(e parser.Expr, t dimT) bool {
	if !t.boolean {
		v.errorf(e.Pos(), spec.NumberAsCondition, "`%s` is a number, not a condition: compare it, as in `%s > 0`", v.src(e), v.src(e))
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
	v.errorf(at, spec.DimensionMismatch, "mismatched dimensions in %s: `%s` is %s but `%s` is %s%s", what, v.src(x), describe(tx.d), v.src(y), describe(ty.d),
		v.unitHint(x, y, tx, ty))
	return tx, false
}

// unitHint suggests the unit that a bare number lacks, when one of x and y is a number
// without unit and the other has a dimension: " (write `40*mV`?)".
func (v *conv) unitHint(x, y parser.Expr, tx, ty dimT) string {
	num, other := x, ty
	if _, ok := num.(*parser.Num); !ok || !tx.d.IsDimensionless() {
		num, other = y, tx
	}
	if _, ok := num.(*parser.Num); !ok || other.d.IsDimensionless() || other.boolean {
		return ""
	}
	u := other.d.String()
	if strings.ContainsAny(u, "^* ") || strings.Count(u, "/") > 1 {
		return ""
	}
	if rest, ok := strings.CutPrefix(u, "1/"); ok {
		return fmt.Sprintf(" (write `%s/%s`?)", v.src(num), rest)
	}
	if _, ok := units.Lookup(strings.SplitN(u, "/", 2)[0]); !ok {
		return ""
	}
	return fmt.Sprintf(" (write `%s*%s`?)", v.src(num), u)
}

// maxExprSize bounds the size of an expression with its definitions inlined, in nodes. A
// definition used twice in the next, and so on, doubles the size at each step: without a bound
// a small spec could take any time and memory to check and generate.
const maxExprSize = 20000

// size returns the number of nodes of e as a tree (shared subexpressions counted at each use),
// or maxExprSize+1 if it has more.
func (c *checker) size(e *symbolic.Expr) int {
	if n, ok := c.sizes[e]; ok {
		return n
	}
	n := 1
	for _, a := range e.Args {
		n = min(n+c.size(a), maxExprSize+1)
	}
	if c.sizes == nil {
		c.sizes = map[*symbolic.Expr]int{}
	}
	c.sizes[e] = n
	return n
}

// expr converts e, checking that the result is not too large.
func (v *conv) expr(e parser.Expr) (*symbolic.Expr, dimT) {
	x, t := v.node(e)
	if x != nil && v.c.size(x) > maxExprSize {
		v.errorf(e.Pos(), spec.TooLarge, "expression too large: with its definitions inlined it has more than %d operations; simplify it or the definitions it uses", maxExprSize)
		return nil, t
	}
	if x != nil && !v.c.finite(x) {
		v.notFinite(e, x)
		return nil, t
	}
	return x, t
}

// finite reports whether every constant of e is a finite number. Constants fold as e is built,
// so that a constant overflow (exp(1000), 1e200*1e200) or a constant pole (1/0, 0**-1) leaves
// an Inf or NaN among them, which generated code would compute with for every V.
func (c *checker) finite(e *symbolic.Expr) bool {
	if ok, seen := c.finites[e]; seen {
		return ok
	}
	ok := true
	if val, isConst := e.IsConst(); isConst {
		ok = !math.IsInf(val, 0) && !math.IsNaN(val)
	}
	for _, a := range e.Args {
		ok = ok && c.finite(a)
	}
	if c.finites == nil {
		c.finites = map[*symbolic.Expr]bool{}
	}
	c.finites[e] = ok
	return ok
}

// notFinite reports the node e, whose conversion x holds a constant that is not finite while its
// operands' conversions did not (see finite).
func (v *conv) notFinite(e parser.Expr, x *symbolic.Expr) {
	if val, ok := x.IsConst(); ok {
		if math.IsNaN(val) {
			v.errorf(e.Pos(), spec.NonFinite, "`%s` is not a number (NaN)", v.src(e))
			return
		}
		v.errorf(e.Pos(), spec.NonFinite, "`%s` overflows: its value is %v, beyond the largest float64", v.src(e), val)
		return
	}
	v.errorf(e.Pos(), spec.NonFinite, "`%s` overflows: a constant in it is not finite", v.src(e))
}

// constant describes the operand a whose value is the constant val: "`-1`", or "`1 - 2` = -1"
// when the text is not that number itself.
func (v *conv) constant(a parser.Expr, val float64) string {
	if v.literal(a, val) {
		return "`" + v.src(a) + "`"
	}
	return fmt.Sprintf("`%s` = %v", v.src(a), val)
}

// literal reports whether the text of a is the number val, written out.
func (v *conv) literal(a parser.Expr, val float64) bool {
	x, err := strconv.ParseFloat(strings.TrimSpace(v.src(a)), 64)
	return err == nil && x == val
}

func (v *conv) node(e parser.Expr) (*symbolic.Expr, dimT) {
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
	v.errorf(e.Pos(), spec.Syntax, "unsupported expression")
	return nil, dimT{}
}

func (v *conv) ident(e *parser.Ident) (*symbolic.Expr, dimT) {
	name := e.Name
	sym := v.sc.lookup(name)
	if sym == nil {
		if k, ok := constants[name]; ok {
			return symbolic.Const(k.value), dimT{d: k.dim}
		}
		if units.IsCelsius(name) {
			v.errorf(e.At, spec.AffineUnit, "`%s` is an affine unit (0 %s = 273.15 K) and cannot appear in expressions: give a temperature as a parameter (`T: 36 degC`) and write differences in K, as in `(T - T_ref)/(10*K)`", name, name)
			return nil, dimT{}
		}
		if u, ok := units.Lookup(name); ok {
			return symbolic.Const(u.Scale), dimT{d: u.Dim}
		}
		if _, ok := symbolic.Funcs[name]; ok {
			v.errorf(e.At, spec.MisusedName, "`%s` is a function: call it, as in `%s(x)`", name, name)
			return nil, dimT{}
		}
		v.errorf(e.At, spec.UnknownName, "%s", v.c.undefined(name, v.sc))
		return nil, dimT{}
	}
	if sym.bad {
		v.bad = true // reported where it is declared
		return nil, dimT{}
	}
	v.refs[sym] = true
	switch sym.kind {
	case symDef:
		d := sym.def
		v.c.convertDef(d)
		if d.bad || d.expr == nil {
			v.bad = true
			return nil, dimT{}
		}
		v.rws = append(v.rws, d.rws...)
		for r := range d.refs {
			v.refs[r] = true
		}
		return d.expr, d.dim
	case symState, symParam, symTime, symInput, symBinding:
		return symbolic.Var(sym.local), dimT{d: sym.dim}
	}
	v.errorf(e.At, spec.MisusedName, "cannot use `%s` here", name)
	return nil, dimT{}
}

// undefined builds the message for an unknown name, with a suggestion. In a channel, it says
// which gates the channel has, and whether the name belongs to another channel.
func (c *checker) undefined(name string, sc *scope) string {
	msg := fmt.Sprintf("undefined: `%s`", name)
	// A name that an ion or the temperature would give: say so, and nothing else.
	if ion := ionOfName(name); ion != "" && c.ionByName[ion] == nil {
		return msg + fmt.Sprintf(" (the group declares no ion `%s`: add it under `ions:`)", ion)
	} else if ion != "" {
		// The ion is declared without the field that gives the name.
		switch name {
		case "E_" + ion:
			return msg + fmt.Sprintf(" (ion `%s` has no `E`: give its reversal potential, e.g. `E: 120 mV` or `E: nernst`)", ion)
		case ion + "_i":
			return msg + fmt.Sprintf(" (ion `%s` has no `C_i`: give its inner concentration, e.g. `C_i: 2.4e-4 mM`)", ion)
		case ion + "_o":
			return msg + fmt.Sprintf(" (ion `%s` has no `C_o`: give its outer concentration, e.g. `C_o: 2 mM`)", ion)
		}
	}
	if name == "T" {
		return msg + " (the temperature: declare it under `params:`, e.g. `T: 36 degC`)"
	}
	sug := c.suggestName(name, sc.names())
	unitSug := ""
	if sug == "" && utf8.RuneCountInString(name) > 1 { // `j` for the joule J would be noise
		unitSug = c.suggestName(name, units.Names())
	}
	var gates []string // the channel's, in spec order
	for _, ch := range c.m.Channels {
		if sc.owner != "" && ch.Name == sc.owner {
			for _, st := range ch.Gates {
				gates = append(gates, "`"+strings.TrimPrefix(st.Name, ch.Name+".")+"`")
			}
		}
	}
	switch {
	case sug != "":
		msg += fmt.Sprintf(" (did you mean `%s`?)", sug)
	case len(gates) > 0:
		msg += fmt.Sprintf(" is not a gate of channel `%s` (its gates: %s), nor a parameter or definition in scope",
			sc.owner, strings.Join(gates, ", "))
		if unitSug != "" {
			msg += fmt.Sprintf(" (did you mean the unit `%s`?)", unitSug)
		}
	case unitSug != "":
		msg += fmt.Sprintf(" (did you mean `%s`?)", unitSug)
	case sc.owner != "" && !sc.receptor && len(name) <= 2:
		msg += fmt.Sprintf(" (channel `%s` has no gates: declare it under `gates:`)", sc.owner)
	}
	// A name of another channel: its gates, parameters and definitions are its own.
	for _, other := range c.chanScopes {
		if other == sc {
			continue
		}
		if sym, ok := other.syms[name]; ok {
			msg += fmt.Sprintf("; `%s` is %s, and names declared in a channel are visible only inside it", name, sym.what)
			break
		}
	}
	return msg
}

// unitNote explains a wrong dimension of the expression text that may come from a name read
// as a unit: a gate that the scope lacks, such as `m`, is the unit metre. It returns
// " (`m` is read as the unit m: ...)" for the first lower-case one-letter unit name, or unit
// name that another channel declares, used in the text, or "".
func (c *checker) unitNote(text spec.Text, sc *scope) string {
	e, err := parser.Parse(text.Src)
	if err != nil {
		return ""
	}
	note := ""
	var walk func(e parser.Expr)
	walk = func(e parser.Expr) {
		if note != "" {
			return
		}
		switch e := e.(type) {
		case *parser.Ident:
			if sc.lookup(e.Name) != nil {
				return
			}
			if _, ok := units.Lookup(e.Name); !ok {
				return
			}
			elsewhere := false
			for _, other := range c.chanScopes {
				_, ok := other.syms[e.Name]
				elsewhere = elsewhere || ok && other != sc
			}
			if !elsewhere && !(len(e.Name) == 1 && 'a' <= e.Name[0] && e.Name[0] <= 'z') {
				return
			}
			if sc.owner != "" {
				note = fmt.Sprintf(" (`%s` is read as the unit %s: channel `%s` has no gate, parameter or definition `%s`)", e.Name, e.Name, sc.owner, e.Name)
			} else {
				note = fmt.Sprintf(" (`%s` is read as the unit %s: the group has no parameter or definition `%s`)", e.Name, e.Name, e.Name)
			}
		case *parser.Paren:
			walk(e.X)
		case *parser.Unary:
			walk(e.X)
		case *parser.Binary:
			walk(e.X)
			walk(e.Y)
		case *parser.Cond:
			walk(e.Cond)
			walk(e.Then)
			walk(e.Else)
		case *parser.Call:
			for _, a := range e.Args {
				walk(a)
			}
		}
	}
	walk(e)
	return note
}

// maxSuggestWork bounds the number of names compared in suggestions in one Check.
const maxSuggestWork = 1 << 20

// didYouMean returns " (did you mean `x`?)" for the candidate x closest to name, or "".
func (c *checker) didYouMean(name string, cands []string) string {
	if sug := c.suggestName(name, cands); sug != "" {
		return fmt.Sprintf(" (did you mean `%s`?)", sug)
	}
	return ""
}

// suggestName returns the candidate closest to name (see suggest.Closest), or "".
func (c *checker) suggestName(name string, cands []string) string {
	// Each comparison costs about a microsecond: a spec with thousands of names and thousands
	// of unknown ones gets suggestions for the first of them only.
	if c.suggestWork += len(cands); c.suggestWork > maxSuggestWork {
		return ""
	}
	return suggest.Closest(name, cands)
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
		if yv, ok := y.IsConst(); ok && yv == 0 {
			if v.literal(e.Y, 0) {
				v.errorf(e.Y.Pos(), spec.DivisionByZero, "division by zero")
			} else {
				v.errorf(e.Y.Pos(), spec.DivisionByZero, "division by zero: `%s` is 0", v.src(e.Y))
			}
			return nil, tx
		}
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
	v.errorf(e.OpPos, spec.Syntax, "unsupported operator `%s`", e.Op)
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
		v.errorf(ex.Pos(), spec.WrongDimension, "the exponent `%s` must be dimensionless, got %s", v.src(ex), tx.d.Describe())
		return nil, tb
	}
	if bv, ok := b.IsConst(); ok && bv == 0 {
		if xv, ok := x.IsConst(); ok && xv < 0 {
			v.errorf(at.Pos(), spec.DivisionByZero, "division by zero: `%s` raises 0 to the negative power %v", v.src(at), xv)
			return nil, tb
		}
	}
	r := symbolic.Pow(b, x)
	if tb.d.IsDimensionless() || tb.zero {
		return r, dimless
	}
	p, ok := x.IsConst()
	if !ok {
		v.errorf(ex.Pos(), spec.WrongDimension, "`%s` has dimension %s, so its exponent must be a constant number, not `%s`", v.src(bx), tb.d.Describe(), v.src(ex))
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
	v.errorf(ex.Pos(), spec.WrongDimension, "`%s` to the power %v has no physical dimension (%s)", v.src(bx), p, tb.d.Describe())
	return nil, tb
}

func (v *conv) call(e *parser.Call) (*symbolic.Expr, dimT) {
	name := e.Fun.Name
	f, ok := symbolic.Funcs[name]
	if !ok {
		msg := fmt.Sprintf("unknown function `%s`", name)
		if sug := v.c.suggestName(name, symbolic.FuncNames()); sug != "" {
			msg += fmt.Sprintf(" (did you mean `%s`?)", sug)
		} else {
			msg += " (functions: " + strings.Join(symbolic.FuncNames(), ", ") + ")"
		}
		if sym := v.sc.lookup(name); sym != nil {
			msg = fmt.Sprintf("`%s` is %s, not a function", name, sym.what)
		}
		v.errorf(e.Fun.At, spec.UnknownFunction, "%s", msg)
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
		v.errorf(e.Fun.At, spec.WrongArgCount, "`%s` takes %s argument%s, got %d", name, want, plural, n)
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
	// The functions whose domain a constant argument can leave: their result would be NaN or
	// -Inf for every V.
	if a, ok := args[0].IsConst(); ok {
		switch {
		case name == "log" && !(a > 0):
			v.errorf(e.Args[0].Pos(), spec.OutOfDomain, "log of a non-positive constant: %s", v.constant(e.Args[0], a))
			return nil, dimT{}
		case name == "log1p" && !(a > -1):
			v.errorf(e.Args[0].Pos(), spec.OutOfDomain, "log1p of a constant that is not above -1: %s", v.constant(e.Args[0], a))
			return nil, dimT{}
		case name == "sqrt" && a < 0:
			v.errorf(e.Args[0].Pos(), spec.OutOfDomain, "sqrt of a negative constant: %s", v.constant(e.Args[0], a))
			return nil, dimT{}
		}
	}
	switch f.Args {
	case "dimensionless":
		for i, a := range e.Args {
			if !types[i].zero && !types[i].d.IsDimensionless() {
				v.errorf(a.Pos(), spec.WrongDimension, "the argument of `%s` must be dimensionless, got `%s` in %s", name, v.src(a), types[i].d.Describe())
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
			v.errorf(e.Args[0].Pos(), spec.WrongDimension, "the square root of %s has no physical dimension", types[0].d.Describe())
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
	case defDone:
		return
	case defConverting:
		c.cycle(d)
		d.bad = true
		return
	case defPending: // converted below
	}
	d.status = defConverting
	c.defStack = append(c.defStack, d)
	where := "definition `" + d.sym.name + "`"
	if d.alias != nil {
		where = "parameter `" + d.alias.full + "`"
	}
	r := c.expression(d.text, d.scope, where)
	c.defStack = c.defStack[:len(c.defStack)-1]
	if r.e == nil {
		d.bad = true
	}
	d.expr, d.dim, d.sym.dim, d.rws, d.refs = r.e, r.t, r.t.d, r.rws, r.refs
	d.status = defDone
	if d.alias != nil {
		c.checkAlias(d)
	}
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
		kind := "definition"
		if d.alias != nil {
			kind = "parameter"
		}
		if len(path) == 2 {
			c.errorf(d.sym.pos, spec.Cycle, "%s `%s` refers to itself", kind, d.sym.name)
		} else {
			c.errorf(d.sym.pos, spec.Cycle, "%s cycle: %s", kind, strings.Join(path, " -> "))
		}
		for _, x := range c.defStack[i:] {
			x.cycleReported = true
		}
	}
}

// constants are the physical constants that expressions may use by name (CODATA 2018).
var constants = func() map[string]struct {
	value float64
	dim   units.Dim
} {
	out := map[string]struct {
		value float64
		dim   units.Dim
	}{}
	for name, k := range map[string]struct {
		si   float64
		unit string
	}{
		"faraday":      {96485.33212, "C/mol"},     // Faraday constant
		"gas_constant": {8.314462618, "J/(mol*K)"}, // molar gas constant
	} {
		u, err := units.Parse(k.unit)
		if err != nil {
			panic(err)
		}
		out[name] = struct {
			value float64
			dim   units.Dim
		}{k.si * u.Scale, u.Dim}
	}
	return out
}()

// ionOfName returns X for the names an ion X gives expressions (E_X, X_i, X_o), or "".
func ionOfName(name string) string {
	x, ok := strings.CutPrefix(name, "E_")
	if !ok {
		x, ok = strings.CutSuffix(name, "_i")
	}
	if !ok {
		x, ok = strings.CutSuffix(name, "_o")
	}
	if !ok || x == "" || x[0] < 'A' || x[0] > 'Z' {
		return ""
	}
	return x
}
