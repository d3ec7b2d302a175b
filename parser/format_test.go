package parser

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// stripParens returns a copy of e without Paren nodes.
func stripParens(e Expr) Expr {
	switch e := e.(type) {
	case *Paren:
		return stripParens(e.X)
	case *Unary:
		c := *e
		c.X = stripParens(e.X)
		return &c
	case *Binary:
		c := *e
		c.X, c.Y = stripParens(e.X), stripParens(e.Y)
		return &c
	case *Call:
		c := *e
		c.Args = nil
		for _, a := range e.Args {
			c.Args = append(c.Args, stripParens(a))
		}
		return &c
	case *Cond:
		c := *e
		c.Cond, c.Then, c.Else = stripParens(e.Cond), stripParens(e.Then), stripParens(e.Else)
		return &c
	}
	return e
}

func TestFormat(t *testing.T) {
	tests := []struct{ src, want string }{
		{"x", "x"},
		{"1.50E+3", "1.50E+3"},
		{"5.", "5."},
		{"a+b*c", "a + b * c"},
		{"(a+b)*c", "(a + b) * c"},
		{"a-(b-c)", "a - (b - c)"},
		{"a  -  b - c", "a - b - c"},
		{"-a*b", "-a * b"},
		{"- a", "-a"},
		{"--a", "- -a"},
		{"!(a<b)&&c", "!(a < b) && c"},
		{"x**-1", "x ** -1"},
		{"-(x**2)", "-(x ** 2)"},
		{"(-x)**2", "(-x) ** 2"},
		{"f( a,b )", "f(a, b)"},
		{"g()", "g()"},
		{"a?b:(c?d:e)", "a ? b : (c ? d : e)"},
		{"(a?b:c)", "(a ? b : c)"},
		{"a+b<c*d||!e", "a + b < c * d || !e"},
		{"((x))", "((x))"},
	}
	for _, tt := range tests {
		if got := Format(mustParse(t, tt.src)); got != tt.want {
			t.Errorf("Format(Parse(%q)) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

// TestFormatParens checks the parentheses Format adds to trees built without Paren nodes.
func TestFormatParens(t *testing.T) {
	a, b, c, d, x, two := id("a"), id("b"), id("c"), id("d"), id("x"), num("2")
	tests := []struct {
		e    Expr
		want string
	}{
		{bin(bin(a, OpAdd, b), OpMul, c), "(a + b) * c"},
		{bin(a, OpMul, bin(b, OpAdd, c)), "a * (b + c)"},
		{bin(bin(a, OpSub, b), OpSub, c), "a - b - c"},
		{bin(a, OpSub, bin(b, OpSub, c)), "a - (b - c)"},
		{bin(a, OpDiv, bin(b, OpMul, c)), "a / (b * c)"},
		{bin(a, OpAdd, bin(b, OpMul, c)), "a + b * c"},
		{bin(bin(a, OpPow, b), OpPow, c), "(a ** b) ** c"},
		{bin(a, OpPow, bin(b, OpPow, c)), "a ** (b ** c)"},
		{bin(a, OpPow, un(OpNeg, bin(b, OpPow, c))), "a ** -(b ** c)"},
		{bin(a, OpPow, un(OpNeg, b)), "a ** -b"},
		{bin(a, OpPow, bin(b, OpMul, c)), "a ** (b * c)"},
		{bin(un(OpNeg, x), OpPow, two), "(-x) ** 2"},
		{un(OpNeg, bin(x, OpPow, two)), "-(x ** 2)"},
		{un(OpNeg, bin(x, OpMul, two)), "-(x * 2)"},
		{un(OpNeg, un(OpNeg, x)), "- -x"},
		{un(OpNot, un(OpNot, x)), "! !x"},
		{bin(un(OpNeg, x), OpMul, two), "-x * 2"},
		{bin(call("f", x), OpPow, two), "f(x) ** 2"},
		{bin(bin(a, OpLT, b), OpLT, c), "(a < b) < c"},
		{bin(a, OpEQ, bin(b, OpEQ, c)), "a == (b == c)"},
		{bin(bin(a, OpAdd, b), OpLT, bin(c, OpMul, d)), "a + b < c * d"},
		{bin(bin(a, OpOr, b), OpAnd, c), "(a || b) && c"},
		{bin(a, OpOr, bin(b, OpAnd, c)), "a || b && c"},
		{bin(a, OpOr, bin(b, OpOr, c)), "a || (b || c)"},
		{un(OpNot, bin(a, OpAnd, b)), "!(a && b)"},
		{cond(cond(a, b, c), d, x), "(a ? b : c) ? d : x"},
		{cond(a, cond(b, c, d), x), "a ? (b ? c : d) : x"}, // Parse refuses a ? b ? c : d : x
		{cond(a, b, cond(c, d, x)), "a ? b : (c ? d : x)"},
		{cond(bin(a, OpOr, b), c, d), "a || b ? c : d"},
		{bin(cond(a, b, c), OpAdd, d), "(a ? b : c) + d"},
		{un(OpNeg, cond(a, b, c)), "-(a ? b : c)"},
		{call("max", cond(a, b, c), bin(d, OpAdd, x)), "max(a ? b : c, d + x)"},
		{bin(par(bin(a, OpAdd, b)), OpMul, c), "(a + b) * c"},
	}
	for _, tt := range tests {
		got := Format(tt.e)
		if got != tt.want {
			t.Errorf("Format = %q, want %q", got, tt.want)
			continue
		}
		back, err := Parse(got)
		if err != nil {
			t.Errorf("Parse(Format) = %q: %v", got, err)
			continue
		}
		if diff := cmp.Diff(stripParens(tt.e), stripParens(back), ignorePos); diff != "" {
			t.Errorf("Parse(%q) differs from the formatted tree (-want +got):\n%s", got, diff)
		}
	}
}

func TestFormatOddTrees(t *testing.T) {
	tests := []struct {
		e    Expr
		want string
	}{
		{&Num{Value: 0.25}, "0.25"}, // no Text: built by a program, not parsed
		{&Num{Value: 1e-7}, "1e-07"},
		{nil, "<bad expression <nil>>"},
		{un(OpNeg, nil), "-<bad expression <nil>>"},
	}
	for _, tt := range tests {
		if got := Format(tt.e); got != tt.want {
			t.Errorf("Format(%#v) = %q, want %q", tt.e, got, tt.want)
		}
	}
}

// TestFormatRoundTrip checks that Format is a fixed point and keeps the tree, for every valid
// expression of TestParse's kind.
func TestFormatRoundTrip(t *testing.T) {
	srcs := []string{
		"a - b - c", "a / (b / c)", "-a*b", "!a && b", "a + b < c * d", "x**-1", "x ** - -1",
		"a ? b : (c ? d : e)", "(a ? b : c) ? d : e", "a ? (b ? c : d) : e", "f(a ? b : c, -(x**2))",
		"((x))", "2*x**2/(1 + exp(-(v + 40)/10))", "v < -40 ? 0 : 1e-3*(v + 40)**2",
		"!(a || b) && !!c || d != e", "+x - +y", "max(1, 2.5, .5, 5., 1E+3)",
	}
	for _, src := range srcs {
		e := mustParse(t, src)
		once := Format(e)
		e2, err := Parse(once)
		if err != nil {
			t.Errorf("Parse(Format(Parse(%q))) = Parse(%q): %v", src, once, err)
			continue
		}
		if twice := Format(e2); twice != once {
			t.Errorf("Format not a fixed point for %q: %q then %q", src, once, twice)
		}
		if diff := cmp.Diff(stripParens(e), stripParens(e2), ignorePos); diff != "" {
			t.Errorf("round trip of %q changed the tree (-want +got):\n%s", src, diff)
		}
	}
}
