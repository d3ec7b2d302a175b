package parser

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// FuzzParse checks that Parse never panics, reports errors as *Error inside the text, gives
// every node a span inside the text, and that Format of a parsed tree parses back to the same
// tree and is a fixed point. The seed corpus is in testdata/fuzz/FuzzParse.
func FuzzParse(f *testing.F) {
	for _, src := range []string{
		"-x**2",
		"a ? b : c ? d : e",
		"x**-y",
		"f(1, g(2), (3))",
		"alpha_m(v) * (1 - m) - beta_m(v) * m",
	} {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			var perr *Error
			if !errors.As(err, &perr) {
				t.Fatalf("Parse(%q): error %T, want *Error", src, err)
			}
			if e != nil {
				t.Fatalf("Parse(%q) returned a tree and an error", src)
			}
			if perr.Pos < 0 || int(perr.Pos) > len(src) || perr.Msg == "" {
				t.Fatalf("Parse(%q): bad error %d: %q", src, perr.Pos, perr.Msg)
			}
			return
		}
		checkSpans(t, src, e)

		once := Format(e)
		if len(once) > MaxLen { // formatting adds spaces; this text is too long to parse
			return
		}
		e2, err := Parse(once)
		if err != nil {
			t.Fatalf("Parse(%q) ok, but Parse(Format) = Parse(%q): %v", src, once, err)
		}
		if twice := Format(e2); twice != once {
			t.Fatalf("Format is not a fixed point for %q: %q, then %q", src, once, twice)
		}
		if diff := cmp.Diff(stripParens(e), stripParens(e2), ignorePos); diff != "" {
			t.Fatalf("Parse(Format(Parse(%q))) changed the tree (-first +second):\n%s", src, diff)
		}
	})
}

// checkSpans checks that every node of e lies inside src and inside its parent, and that its
// positions point at its text: its name, number, operator, parentheses, `?` and `:`.
func checkSpans(t *testing.T, src string, e Expr) {
	t.Helper()
	var parents []Expr
	Inspect(e, func(e Expr) bool {
		if e == nil {
			parents = parents[:len(parents)-1]
			return false
		}
		pos, end := e.Pos(), e.End()
		if pos < 0 || pos > end || int(end) > len(src) {
			t.Fatalf("Parse(%q): %T spans [%d,%d)", src, e, pos, end)
		}
		if n := len(parents); n > 0 {
			if p := parents[n-1]; pos < p.Pos() || end > p.End() {
				t.Fatalf("Parse(%q): %T [%d,%d) outside its parent %T [%d,%d)", src, e, pos, end, p, p.Pos(), p.End())
			}
		}
		// at reports whether src has text s at offset p.
		at := func(p Pos, s string) bool {
			return p >= 0 && int(p)+len(s) <= len(src) && src[p:int(p)+len(s)] == s
		}
		var ok bool
		switch e := e.(type) {
		case *Num:
			ok = src[pos:end] == e.Text
		case *Ident:
			ok = src[pos:end] == e.Name
		case *Unary:
			ok = at(e.OpPos, e.Op.String())
		case *Binary:
			ok = at(e.OpPos, e.Op.String())
		case *Call:
			ok = at(e.Lparen, "(") && at(e.Rparen, ")")
		case *Paren:
			ok = at(e.Lparen, "(") && at(e.Rparen, ")")
		case *Cond:
			ok = at(e.Question, "?") && at(e.Colon, ":")
		}
		if !ok {
			t.Fatalf("Parse(%q): %s does not match the text %q", src, describe(e), src[pos:end])
		}
		parents = append(parents, e)
		return true
	})
}
