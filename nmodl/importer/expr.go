package importer

import (
	"math"
	"strconv"
	"strings"
)

// An ex is an expression in neurogen's syntax, as a tree, in NMODL's units (plain numbers).
type ex struct {
	op   string // "num", "name", "raw", "neg", "not", a binary operator, "call", "?:"
	name string // the number, the name, the raw text or the function
	args []*ex
	n    int // size once printed, in nodes (0: not computed yet); see size
}

// maxSize bounds an expression's size once everything is inlined (a tree shares subtrees, which
// printing repeats: x = x + x ten times is 2^10 nodes).
const maxSize = 20000

// size is the number of nodes of x printed, at most maxSize+1.
func (x *ex) size() int {
	if x.n == 0 {
		x.n = 1
		for _, a := range x.args {
			x.n = min(x.n+a.size(), maxSize+1)
		}
	}
	return x.n
}

func num(v float64) *ex              { return &ex{op: "num", name: strconv.FormatFloat(v, 'g', -1, 64)} }
func name(s string) *ex              { return &ex{op: "name", name: s} }
func raw(s string) *ex               { return &ex{op: "raw", name: s} }
func bin(op string, x, y *ex) *ex    { return simplify(&ex{op: op, args: []*ex{x, y}}) }
func call(f string, args ...*ex) *ex { return &ex{op: "call", name: f, args: args} }
func cond(c, a, b *ex) *ex           { return clamp(&ex{op: "?:", args: []*ex{c, a, b}}) }
func (x *ex) isName(s string) bool   { return x.op == "name" && x.name == s }
func (x *ex) isNum(v float64) bool {
	f, err := strconv.ParseFloat(x.name, 64)
	return x.op == "num" && err == nil && f == v
}

// uses reports whether x refers to the name s.
func (x *ex) uses(s string) bool {
	if x.isName(s) {
		return true
	}
	for _, a := range x.args {
		if a.uses(s) {
			return true
		}
	}
	return false
}

// names adds the names x refers to.
func (x *ex) names(set map[string]bool) {
	if x.op == "name" {
		set[x.name] = true
	}
	for _, a := range x.args {
		a.names(set)
	}
}

func equal(x, y *ex) bool {
	if x == y {
		return true
	}
	if x.op != y.op || x.name != y.name || len(x.args) != len(y.args) {
		return false
	}
	for i := range x.args {
		if !equal(x.args[i], y.args[i]) {
			return false
		}
	}
	return true
}

var prec = map[string]int{
	"?:": 0, "||": 1, "&&": 2,
	"<": 3, ">": 3, "<=": 3, ">=": 3, "==": 3, "!=": 3,
	"+": 4, "-": 4, "*": 5, "/": 5, "neg": 6, "not": 6, "**": 7,
}

// String prints x in neurogen's syntax with the parentheses it needs: a conditional nested in
// anything, the operands of ** and of unary minus unless atoms, and as precedence requires.
func (x *ex) String() string {
	var b strings.Builder
	x.print(&b)
	return b.String()
}

func (x *ex) atom() bool {
	switch x.op {
	case "name", "call", "raw":
		return true
	case "num":
		return !strings.HasPrefix(x.name, "-")
	}
	return false
}

func (x *ex) sub(b *strings.Builder, paren bool) {
	if paren {
		b.WriteByte('(')
		x.print(b)
		b.WriteByte(')')
	} else {
		x.print(b)
	}
}

func (x *ex) print(b *strings.Builder) {
	switch x.op {
	case "num", "name":
		b.WriteString(x.name)
	case "raw":
		b.WriteString(x.name)
	case "steady": // a steady state not resolved (after an error)
		b.WriteString("steady(" + x.name + ")")
	case "call":
		b.WriteString(x.name)
		b.WriteByte('(')
		for i, a := range x.args {
			if i > 0 {
				b.WriteString(", ")
			}
			a.print(b)
		}
		b.WriteByte(')')
	case "neg", "not":
		if x.op == "neg" {
			b.WriteByte('-')
		} else {
			b.WriteByte('!')
		}
		a := x.args[0]
		a.sub(b, !a.atom())
	case "?:":
		for i, a := range x.args {
			if i == 1 {
				b.WriteString(" ? ")
			} else if i == 2 {
				b.WriteString(" : ")
			}
			a.sub(b, a.op == "?:" || prec[a.op] > 0 && prec[a.op] < 3 && i > 0)
		}
	default:
		p := prec[x.op]
		l, r := x.args[0], x.args[1]
		if x.op == "**" {
			l.sub(b, !l.atom())
			b.WriteString("**")
			r.sub(b, !r.atom())
			return
		}
		l.sub(b, l.op == "?:" || !l.atom() && prec[l.op] < p || l.op == "neg" && p >= 6)
		b.WriteString(" " + x.op + " ")
		rp := prec[r.op]
		r.sub(b, r.op == "?:" || r.op == "neg" || !r.atom() && (rp < p || rp == p && (x.op == "-" || x.op == "/" || p == 3)))
	}
}

// simplify folds what inlining leaves behind: arithmetic of two numbers, and (a - c) + c,
// x*1, x/1, x + 0 and x - 0, so that celsius + 273.15 reads T / K, not T / K - 273.15 + 273.15.
func simplify(x *ex) *ex {
	l, r := x.args[0], x.args[1]
	if l.op == "num" && r.op == "num" {
		a, b := numOf(l), numOf(r)
		var v float64
		switch x.op {
		case "+":
			v = a + b
		case "-":
			v = a - b
		case "*":
			v = a * b
		case "/":
			v = a / b
		default:
			return x
		}
		if !math.IsInf(v, 0) && !math.IsNaN(v) && (x.op != "/" || b != 0) {
			return num(v)
		}
		return x
	}
	switch {
	case x.op == "+" && l.op == "-" && l.args[1].op == "num" && r.op == "num" && l.args[1].name == r.name:
		return l.args[0]
	case (x.op == "*" || x.op == "/") && r.isNum(1), (x.op == "+" || x.op == "-") && r.isNum(0):
		return l
	case x.op == "*" && l.isNum(1), x.op == "+" && l.isNum(0):
		return r
	}
	return x
}

func numOf(x *ex) float64 {
	f, _ := strconv.ParseFloat(x.name, 64)
	return f
}

// clamp writes a rectification such as NMODL's if (x < 0) { x = 0 }, which becomes
// x < 0 ? 0 : x, as max(x, 0) (and the like with min): shorter, x once, and a form that NMODL
// export writes back.
func clamp(x *ex) *ex {
	c, a, b := x.args[0], x.args[1], x.args[2]
	if len(c.args) != 2 {
		return x
	}
	l, r := c.args[0], c.args[1]
	var f string
	switch {
	case (c.op == "<" || c.op == "<=") && equal(a, r) && equal(b, l), (c.op == ">" || c.op == ">=") && equal(a, l) && equal(b, r):
		f = "max" // l < r ? r : l, l > r ? l : r
	case (c.op == "<" || c.op == "<=") && equal(a, l) && equal(b, r), (c.op == ">" || c.op == ">=") && equal(a, r) && equal(b, l):
		f = "min" // l < r ? l : r, l > r ? r : l
	default:
		return x
	}
	return call(f, l, r)
}
