package parser

import (
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// Constructors of expected trees; positions are left zero and ignored by ignorePos.

func num(text string) *Num {
	v, err := strconv.ParseFloat(text, 64)
	if err != nil {
		panic(err) // a typo in a test table
	}
	return &Num{Text: text, Value: v}
}

func id(name string) *Ident                { return &Ident{Name: name} }
func un(op Op, x Expr) *Unary              { return &Unary{Op: op, X: x} }
func bin(x Expr, op Op, y Expr) *Binary    { return &Binary{X: x, Op: op, Y: y} }
func cond(c, then, els Expr) *Cond         { return &Cond{Cond: c, Then: then, Else: els} }
func par(x Expr) *Paren                    { return &Paren{X: x} }
func call(name string, args ...Expr) *Call { return &Call{Fun: id(name), Args: args} }

// ignorePos makes cmp ignore every position.
var ignorePos = cmp.FilterPath(func(p cmp.Path) bool {
	return p.Last().Type() == reflect.TypeFor[Pos]()
}, cmp.Ignore())

func mustParse(t *testing.T, src string) Expr {
	t.Helper()
	e, err := Parse(src)
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return e
}

func TestParse(t *testing.T) {
	a, b, c, d, e, x, y := id("a"), id("b"), id("c"), id("d"), id("e"), id("x"), id("y")
	tests := []struct {
		src  string
		want Expr
	}{
		// primaries
		{"1", num("1")},
		{"2.5", num("2.5")},
		{".5", num(".5")},
		{"5.", num("5.")},
		{"1e-3", num("1e-3")},
		{"1.5E+3", num("1.5E+3")},
		{"007", num("007")},
		{"1e-400", num("1e-400")}, // underflows to 0, which is fine
		{"g_Na", id("g_Na")},
		{"_", id("_")},
		{"V_half2", id("V_half2")},
		{"f()", call("f")},
		{"exp(x)", call("exp", x)},
		{"max( a ,b , c )", call("max", a, b, c)},
		{"f (x)", call("f", x)},
		{"(x)", par(x)},
		{"((x))", par(par(x))},
		{" \t\r\nx\n", x},

		// precedence and associativity
		{"a - b - c", bin(bin(a, OpSub, b), OpSub, c)},
		{"a / b / c", bin(bin(a, OpDiv, b), OpDiv, c)},
		{"a - b + c", bin(bin(a, OpSub, b), OpAdd, c)},
		{"a + b * c", bin(a, OpAdd, bin(b, OpMul, c))},
		{"a * b + c", bin(bin(a, OpMul, b), OpAdd, c)},
		{"a / b * c", bin(bin(a, OpDiv, b), OpMul, c)},
		{"-a*b", bin(un(OpNeg, a), OpMul, b)},
		{"-a - -b", bin(un(OpNeg, a), OpSub, un(OpNeg, b))},
		{"--a", un(OpNeg, un(OpNeg, a))},
		{"+a", un(OpPlus, a)},
		{"!a && b", bin(un(OpNot, a), OpAnd, b)},
		{"!!a", un(OpNot, un(OpNot, a))},
		{"a || b && c", bin(a, OpOr, bin(b, OpAnd, c))},
		{"a && b || c", bin(bin(a, OpAnd, b), OpOr, c)},
		{"a || b || c", bin(bin(a, OpOr, b), OpOr, c)},
		{"a && b && c", bin(bin(a, OpAnd, b), OpAnd, c)},
		{"a + b < c * d", bin(bin(a, OpAdd, b), OpLT, bin(c, OpMul, d))},
		{"a < b && c >= d", bin(bin(a, OpLT, b), OpAnd, bin(c, OpGE, d))},
		{"a<=b", bin(a, OpLE, b)},
		{"a>b", bin(a, OpGT, b)},
		{"a==b", bin(a, OpEQ, b)},
		{"a!=b", bin(a, OpNE, b)},
		{"(a < b) < c", bin(par(bin(a, OpLT, b)), OpLT, c)},
		{"x**2", bin(x, OpPow, num("2"))},
		{"x**-1", bin(x, OpPow, un(OpNeg, num("1")))},
		{"x ** - -1", bin(x, OpPow, un(OpNeg, un(OpNeg, num("1"))))},
		{"2*x**2", bin(num("2"), OpMul, bin(x, OpPow, num("2")))},
		{"x**2*y", bin(bin(x, OpPow, num("2")), OpMul, y)},
		{"-(x**2)", un(OpNeg, par(bin(x, OpPow, num("2"))))},
		{"(-x)**2", bin(par(un(OpNeg, x)), OpPow, num("2"))},
		{"(a**b)**c", bin(par(bin(a, OpPow, b)), OpPow, c)},
		{"a**(b**c)", bin(a, OpPow, par(bin(b, OpPow, c)))},
		{"f(x)**2", bin(call("f", x), OpPow, num("2"))},
		{"-f(x)", un(OpNeg, call("f", x))},
		{"x**f(y)", bin(x, OpPow, call("f", y))},

		// conditionals
		{"a ? b : c", cond(a, b, c)},
		{"a ? b : (c ? d : e)", cond(a, b, par(cond(c, d, e)))},
		{"a ? (b ? c : d) : e", cond(a, par(cond(b, c, d)), e)},
		{"(a ? b : c) ? d : e", cond(par(cond(a, b, c)), d, e)},
		{"a || b ? c + d : -e", cond(bin(a, OpOr, b), bin(c, OpAdd, d), un(OpNeg, e))},
		{"x < 0 ? 0 : x", cond(bin(x, OpLT, num("0")), num("0"), x)},
		{"f(a ? b : c, d)", call("f", cond(a, b, c), d)},
		{"a?b:c", cond(a, b, c)},
	}
	for _, tt := range tests {
		got, err := Parse(tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got, ignorePos); diff != "" {
			t.Errorf("Parse(%q) mismatch (-want +got):\n%s", tt.src, diff)
		}
	}
}

// describe renders one node with all its positions.
func describe(e Expr) string {
	span := fmt.Sprintf("[%d,%d)", e.Pos(), e.End())
	switch e := e.(type) {
	case *Num:
		return "Num " + e.Text + " " + span
	case *Ident:
		return "Ident " + e.Name + " " + span
	case *Unary:
		return fmt.Sprintf("Unary %s@%d %s", e.Op, e.OpPos, span)
	case *Binary:
		return fmt.Sprintf("Binary %s@%d %s", e.Op, e.OpPos, span)
	case *Call:
		return fmt.Sprintf("Call (@%d )@%d %s", e.Lparen, e.Rparen, span)
	case *Paren:
		return fmt.Sprintf("Paren (@%d )@%d %s", e.Lparen, e.Rparen, span)
	case *Cond:
		return fmt.Sprintf("Cond ?@%d :@%d %s", e.Question, e.Colon, span)
	}
	return fmt.Sprintf("%T", e)
}

func nodes(e Expr) []string {
	var out []string
	Inspect(e, func(e Expr) bool {
		if e != nil {
			out = append(out, describe(e))
		}
		return true
	})
	return out
}

func TestPositions(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{
			// 0         1         2         3
			// 0123456789012345678901234567890123456
			" -a*(b + 1.5e3) >= f(x, y) ? g() : !c",
			[]string{
				"Cond ?@27 :@33 [1,37)",
				"Binary >=@16 [1,26)",
				"Binary *@3 [1,15)",
				"Unary -@1 [1,3)",
				"Ident a [2,3)",
				"Paren (@4 )@14 [4,15)",
				"Binary +@7 [5,14)",
				"Ident b [5,6)",
				"Num 1.5e3 [9,14)",
				"Call (@20 )@25 [19,26)",
				"Ident f [19,20)",
				"Ident x [21,22)",
				"Ident y [24,25)",
				"Call (@30 )@31 [29,32)",
				"Ident g [29,30)",
				"Unary !@35 [35,37)",
				"Ident c [36,37)",
			},
		},
		{
			// 0         1
			// 01234567890123456
			"x**-2.5 != y / .5",
			[]string{
				"Binary !=@8 [0,17)",
				"Binary **@1 [0,7)",
				"Ident x [0,1)",
				"Unary -@3 [3,7)",
				"Num 2.5 [4,7)",
				"Binary /@13 [11,17)",
				"Ident y [11,12)",
				"Num .5 [15,17)",
			},
		},
		{
			"\n( ( v ) )\t",
			[]string{
				"Paren (@1 )@9 [1,10)",
				"Paren (@3 )@7 [3,8)",
				"Ident v [5,6)",
			},
		},
	}
	for _, tt := range tests {
		got := nodes(mustParse(t, tt.src))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("positions in %q (-want +got):\n%s", tt.src, diff)
		}
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		src string
		pos Pos
		msg string
	}{
		// lexical
		{"a ^ b", 2, "`^` is not a power operator (govaluate reads it as bitwise XOR): write `**`"},
		{"a = b", 2, "`=` is not an operator: write `==` to compare"},
		{"a % b", 2, "unsupported operator `%`"},
		{"a & b", 2, "unsupported operator `&`"},
		{"a | b", 2, "unsupported operator `|`"},
		{"a << b", 2, "unsupported operator `<<`"},
		{"a >> b", 2, "unsupported operator `>>`"},
		{"~a", 0, "unsupported operator `~`"},
		{"a =~ b", 2, "unsupported operator `=~`"},
		{"a !~ b", 2, "unsupported operator `!~`"},
		{"a ?? b", 2, "unsupported operator `??`"},
		{"'x'", 0, "strings are not allowed in expressions"},
		{`x + "mV"`, 4, "strings are not allowed in expressions"},
		{"[g Na]", 0, "`[` is not allowed in expressions: write the bare name, as in `g_Na`"},
		{"café", 3, "unexpected character 'é' (names are ASCII letters, digits and _)"},
		{"x.y", 1, "unexpected character '.' (names are ASCII letters, digits and _)"},
		{"a;", 1, "unexpected character ';' (names are ASCII letters, digits and _)"},
		{"a\x00", 1, `unexpected character '\x00' (names are ASCII letters, digits and _)`},
		{"a\vb", 1, `unexpected character '\v' (names are ASCII letters, digits and _)`},
		{"x\xff", 1, "invalid UTF-8 byte 0xff"},
		{"1e999", 0, "number out of range: `1e999` exceeds the float64 range"},
		{"x - 2e308", 4, "number out of range: `2e308` exceeds the float64 range"},

		// ambiguities
		{"40mV", 2, "missing operator between `40` and `mV`: write `40*mV`"},
		{"-65 mV", 4, "missing operator between `65` and `mV`: write `65*mV`"},
		{"2e", 1, "missing operator between `2` and `e`: write `2*e`"},
		{"-x**2", 0, "`-x**2` is ambiguous: write `-(x**2)` or `(-x)**2`"},
		{"-2**2", 0, "`-2**2` is ambiguous: write `-(2**2)` or `(-2)**2`"},
		{"+x**2", 0, "`+x**2` is ambiguous: write `+(x**2)` or `(+x)**2`"},
		{"!a**b", 0, "`!a**b` is ambiguous: write `!(a**b)` or `(!a)**b`"},
		{"1 - -f(x) ** 2", 4, "`-f(x) ** 2` is ambiguous: write `-(f(x) ** 2)` or `(-f(x)) ** 2`"},
		{"x**-y**2", 3, "`-y**2` is ambiguous: write `-(y**2)` or `(-y)**2`"},
		{"a**b**c", 4, "`a**b**c` is ambiguous: write `(a**b)**c` or `a**(b**c)`"},
		{"1 + a ** b ** c", 11, "`a ** b ** c` is ambiguous: write `(a ** b) ** c` or `a ** (b ** c)`"},
		{"a**b**c**d", 7, "`b**c**d` is ambiguous: write `(b**c)**d` or `b**(c**d)`"},
		{"a < b < c", 6, "comparisons do not chain: write `a < b && b < c`"},
		{"0<=x<1", 4, "comparisons do not chain: write `0<=x && x<1`"},
		{"a == b != c + 1", 7, "comparisons do not chain: write `a == b && b != c + 1`"},
		{"a < b < )", 6, "comparisons do not chain: write `a < b && b < c`"},

		// structure
		{"", 0, "empty expression"},
		{" \n\t", 0, "empty expression"},
		{"a)", 1, "unexpected `)` after expression"},
		{"f(x))", 4, "unexpected `)` after expression"},
		{"a, b", 1, "unexpected `,` after expression"},
		{"a : b", 2, "unexpected `:` after expression"},
		{"a !b", 2, "unexpected `!` after expression"},
		{"a b", 2, "missing operator between `a` and `b`: insert one, such as `*` or `+`"},
		{"2(x)", 1, "missing operator between `2` and `(`: insert one, such as `*` or `+`"},
		{"(a)(b)", 3, "missing operator between `)` and `(`: insert one, such as `*` or `+`"},
		{"(a b)", 3, "missing operator between `a` and `b`: insert one, such as `*` or `+`"},
		{"f(a b)", 4, "missing operator between `a` and `b`: insert one, such as `*` or `+`"},
		{"1.2.3", 3, "missing operator between `1.2` and `.3`: insert one, such as `*` or `+`"},
		{"*a", 0, "expected an operand, found `*`"},
		{")", 0, "expected an operand, found `)`"},
		{"a +", 3, "expected an operand after `+`, found end of expression"},
		{"a * / b", 4, "expected an operand after `*`, found `/`"},
		{"-", 1, "expected an operand after `-`, found end of expression"},
		{"x ** ", 5, "expected an operand after `**`, found end of expression"},
		{"()", 1, "expected an operand after `(`, found `)`"},
		{"f(,)", 2, "expected an operand after `(`, found `,`"},
		{"f(1,)", 4, "expected an argument after `,`, found `)`"},
		{"f(1,,2)", 4, "expected an argument after `,`, found `,`"},
		{"(a", 2, "expected `)` to close the `(`, found end of expression"},
		{"(1, 2)", 2, "expected `)` to close the `(`, found `,`"},
		{"f(a", 3, "expected `,` or `)` in the call of `f`, found end of expression"},
		{"f(a : b)", 4, "expected `,` or `)` in the call of `f`, found `:`"},
		{"a ? b", 5, "expected the `:` of `cond ? then : else`, found end of expression"},
		// govaluate cannot evaluate these (it fails when a is true, or false): parentheses.
		{"a ? b : c ? d : e", 10, "a `?:` in the else branch of another needs parentheses (govaluate cannot evaluate it): write `a ? b : (c ? d : e)`"},
		{"a ? b ? c : d : e", 6, "a `?:` in the then branch of another needs parentheses (govaluate cannot evaluate it): write `a ? (b ? c : d) : e`"},
		{"V < -80*mV ? 1*ms : V < -60*mV ? 2*ms : 3*ms", 31, "a `?:` in the else branch of another needs parentheses (govaluate cannot evaluate it): write `V < -80*mV ? 1*ms : (V < -60*mV ? 2*ms : 3*ms)`"},
		{"a ? b, c", 5, "expected the `:` of `cond ? then : else`, found `,`"},
		{"a ? b :", 7, "expected an operand after `:`, found end of expression"},
		{"a ?", 3, "expected an operand after `?`, found end of expression"},

		// the first problem wins
		{") ^", 0, "expected an operand, found `)`"},
		{"a ^ )", 2, "`^` is not a power operator (govaluate reads it as bitwise XOR): write `**`"},
		{"-x**2 ^ 3", 0, "`-x**2` is ambiguous: write `-(x**2)` or `(-x)**2`"},
		{"a b ^", 2, "missing operator between `a` and `b`: insert one, such as `*` or `+`"},
	}
	for _, tt := range tests {
		e, err := Parse(tt.src)
		var perr *Error
		if !errors.As(err, &perr) {
			t.Errorf("Parse(%q) = %s, %v; want *Error", tt.src, Format(e), err)
			continue
		}
		if e != nil {
			t.Errorf("Parse(%q) returned both a tree and an error", tt.src)
		}
		if perr.Pos != tt.pos || perr.Msg != tt.msg {
			t.Errorf("Parse(%q):\n got %d: %s\nwant %d: %s", tt.src, perr.Pos, perr.Msg, tt.pos, tt.msg)
		}
	}
}

func TestLimits(t *testing.T) {
	nest := func(open, x, close string, n int) string {
		return strings.Repeat(open, n) + x + strings.Repeat(close, n)
	}
	tests := []struct {
		name string
		src  string
		pos  Pos // -1: no error
	}{
		{"parens ok", nest("(", "x", ")", maxDepth-1), -1},
		{"parens", nest("(", "x", ")", maxDepth), maxDepth},
		{"calls ok", nest("f(", "x", ")", maxDepth-1), -1},
		{"calls", nest("f(", "x", ")", maxDepth), 2 * maxDepth},
		{"unary ok", nest("-", "x", "", maxDepth-1), -1},
		{"unary", nest("-", "x", "", maxDepth), maxDepth - 1},
		{"exponents", nest("x**(", "x", ")", maxDepth), 2 * maxDepth}, // two levels each
		{"conditionals ok", nest("a ? b : (", "x", ")", maxDepth/2-1), -1},
		{"conditionals", nest("a ? b : (", "x", ")", maxDepth/2), 9 * maxDepth / 2}, // at x: two levels each (else, parentheses)
		{"long flat sum", "x" + strings.Repeat("+x", (MaxLen-1)/2), -1},
		{"too long", strings.Repeat(" ", MaxLen) + "x", 0},
	}
	for _, tt := range tests {
		e, err := Parse(tt.src)
		if tt.pos < 0 {
			if err != nil {
				t.Errorf("%s: %v", tt.name, err)
			} else if got := Format(e); len(got) < len(strings.TrimSpace(tt.src)) {
				t.Errorf("%s: Format lost text", tt.name)
			}
			continue
		}
		var perr *Error
		if !errors.As(err, &perr) {
			t.Errorf("%s: err = %v, want *Error", tt.name, err)
			continue
		}
		if perr.Pos != tt.pos {
			t.Errorf("%s: error at %d, want %d: %s", tt.name, perr.Pos, tt.pos, perr.Msg)
		}
		wantMsg := "expression nests too deeply: simplify it or split it into several expressions"
		if tt.name == "too long" {
			wantMsg = fmt.Sprintf("expression too long: %d bytes, the limit is %d", MaxLen+1, MaxLen)
		}
		if perr.Msg != wantMsg {
			t.Errorf("%s: message %q, want %q", tt.name, perr.Msg, wantMsg)
		}
	}
}

func TestInspect(t *testing.T) {
	e := mustParse(t, "f(a, -b) + (c ? 1 : 2)")
	var visits []string
	Inspect(e, func(e Expr) bool {
		if e == nil {
			visits = append(visits, "end")
			return false
		}
		visits = append(visits, Format(e))
		_, isCall := e.(*Call)
		return !isCall // prune below calls
	})
	want := []string{
		"f(a, -b) + (c ? 1 : 2)",
		"f(a, -b)",
		"(c ? 1 : 2)",
		"c ? 1 : 2", "c", "end", "1", "end", "2", "end", "end",
		"end",
		"end",
	}
	if diff := cmp.Diff(want, visits); diff != "" {
		t.Errorf("Inspect visits (-want +got):\n%s", diff)
	}
}

func TestUnparen(t *testing.T) {
	x := id("x")
	if got := Unparen(par(par(x))); got != x {
		t.Errorf("Unparen(((x))) = %s", Format(got))
	}
	inner := par(x)
	e := un(OpNeg, inner)
	if got := Unparen(e); got != e {
		t.Errorf("Unparen(-(x)) = %s, want the same node", Format(got))
	}
	if got := Unparen(nil); got != nil {
		t.Errorf("Unparen(nil) = %v", got)
	}
}

func TestOpString(t *testing.T) {
	for op, want := range map[Op]string{OpPow: "**", OpNeg: "-", OpNE: "!=", OpOr: "||", Op(-1): "?", Op(99): "?"} {
		if got := op.String(); got != want {
			t.Errorf("Op(%d).String() = %q, want %q", op, got, want)
		}
	}
}
