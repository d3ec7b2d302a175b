package spec

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// FuzzLoad checks that Load never panics or hangs, that its errors are sorted and point into the
// file, and that the positions in the Spec lie in the file. With $SPEC_FUZZ_STRICT set, it also
// checks that texts of specs without errors map to the right bytes (see checkText).
func FuzzLoad(f *testing.F) {
	strict := os.Getenv("SPEC_FUZZ_STRICT") != ""
	f.Fuzz(func(t *testing.T, src []byte) {
		// Load runs in a goroutine to detect hangs; a panic is passed back.
		type result struct {
			s     *Spec
			err   error
			panic any
		}
		done := make(chan result, 1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					done <- result{panic: fmt.Sprintf("%v\n%s", p, debug.Stack())}
				}
			}()
			s, err := Load("f.yaml", src)
			done <- result{s: s, err: err}
		}()
		var r result
		select {
		case r = <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("Load hangs")
		}
		if r.panic != nil {
			t.Fatalf("Load panics: %v", r.panic)
		}
		s, err := r.s, r.err
		lines := len(lineStarts(string(src)))
		if err != nil {
			var list ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("error %T %v is not a non-empty ErrorList", err, err)
			}
			for i, e := range list {
				if p := e.Pos.Position(); p.File != "f.yaml" || p.Line < 1 || p.Line > lines || p.Col < 1 {
					t.Errorf("error %q has a bad position (%d lines)", e, lines)
				} else if _, err := offsetOf(string(src), e.Pos); err != nil {
					t.Errorf("error %q: %v", e, err)
				}
				if e.Msg == "" || strings.ContainsAny(e.Msg, "\n\x1b") {
					t.Errorf("error %q has a bad message", e)
				}
				if e.Code == "" {
					t.Errorf("error %q has no code", e)
				}
				if i > 0 && e.Pos.Before(list[i-1].Pos) {
					t.Errorf("errors not sorted: %q before %q", list[i-1], e)
				}
			}
		}
		if s == nil {
			return
		}
		for _, p := range positions(s) {
			if _, err := offsetOf(string(src), p); err != nil && p.IsValid() {
				t.Errorf("scalar: %v", err)
			}
		}
		for _, x := range texts(s) {
			for i := 0; i <= len(x.Src); i++ {
				if _, err := offsetOf(string(src), x.PosAt(i)); err != nil && (i < len(x.Src) || x.Src == "") {
					t.Errorf("text %q: PosAt(%d): %v", x.Src, i, err)
				}
			}
			if strict && err == nil {
				checkText(t, string(src), x)
			}
		}
	})
}

// texts returns all expressions of s.
func texts(s *Spec) []Text {
	var out []Text
	for _, d := range s.Defs {
		if !d.Bad { // a bad definition has no text
			out = append(out, d.Expr)
		}
	}
	for _, c := range s.Channels {
		if c.Current != nil {
			out = append(out, *c.Current)
		}
		for _, d := range c.Defs {
			if !d.Bad {
				out = append(out, d.Expr)
			}
		}
		for _, g := range c.Gates {
			for _, x := range []*Text{g.Alpha, g.Beta, g.Inf, g.Tau, g.Phi} {
				if x != nil {
					out = append(out, *x)
				}
			}
		}
	}
	return out
}

// FuzzTextPos checks, for specs without errors, that Text.PosAt maps each byte of an expression
// to the same byte in the file. The input is the `defs:` section of a valid spec.
func FuzzTextPos(f *testing.F) {
	for _, s := range []string{
		"defs:\n  u: V - V_sh\n",
		"defs:\n  u: a +\n    b *   \n\n     c\n  w: d\n",
		"defs:\n  u: 'it''s\n    two'\n",
		"defs:\n  u: \"a\\tb \\\"q\\\" \\x41\\u00e9\\U0001F600 \\\n     c\\\\\"\n",
		"defs:\n  u: |\n    a\n      b\n\n    c\n  w: >-\n    d\n    e\n\n    f\n",
		"defs:\n  u: |+2\n     a\n    b\n\n",
		"defs: {u: V + 40*mV, w: 'a''b', z: \"c\\td\n  e\"}\n",
		"defs:\r\n  u: α +\r\n     é\r\n  w: \"ö\r\n    ü\"\r\n",
	} {
		f.Add([]byte(s))
	}
	// goccy drops an escaped blank before a line break ("a\\ <newline>b" becomes "a b").
	quirk := regexp.MustCompile(`\\[ \t]+[\r\n]`)
	f.Fuzz(func(t *testing.T, defs []byte) {
		if quirk.Match(defs) {
			return
		}
		src := textHeader + string(defs)
		s, err := Load("f.yaml", []byte(src))
		if err != nil {
			return
		}
		for _, x := range texts(s) {
			checkText(t, src, x)
		}
	})
}

// positions returns the positions of the names and scalars of s.
func positions(s *Spec) []Pos {
	ps := []Pos{s.Version.Pos, s.Model.Pos, s.DocPos}
	sc := func(xs ...*Scalar) {
		for _, x := range xs {
			if x != nil {
				ps = append(ps, x.Pos)
			}
		}
	}
	params := func(list []*Param) {
		for _, p := range list {
			sc(&p.Name, &p.Value)
		}
	}
	if m := s.Membrane; m != nil {
		ps = append(ps, m.Pos)
		sc(m.C, m.A, m.VTh, m.VInit, m.Seed)
	}
	sc(s.Method)
	params(s.Params)
	for _, d := range s.Defs {
		sc(&d.Name)
	}
	for _, c := range s.Channels {
		sc(&c.Name, c.Use)
		params(c.Params)
		for _, d := range c.Defs {
			sc(&d.Name)
		}
		for _, g := range c.Gates {
			sc(&g.Name, g.Power)
		}
	}
	return ps
}
