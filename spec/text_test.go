package spec

import (
	"fmt"
	"strings"
	"testing"
)

// lineStarts returns the byte offset of each line of src (line breaks: \n, \r\n, lone \r),
// computed independently of source.
func lineStarts(src string) []int {
	starts := []int{0}
	for i := 0; i < len(src); i++ {
		switch {
		case src[i] == '\r' && i+1 < len(src) && src[i+1] == '\n':
			i++
			starts = append(starts, i+1)
		case src[i] == '\n' || src[i] == '\r':
			starts = append(starts, i+1)
		}
	}
	return starts
}

// offsetOf returns the byte offset of p in src, or an error if p is not a position in src
// (a column may point just past the end of its line).
func offsetOf(src string, pos Pos) (int, error) {
	p := pos.Position()
	starts := lineStarts(src)
	if p.Line < 1 || p.Line > len(starts) || p.Col < 1 {
		return 0, fmt.Errorf("position %v outside the file (%d lines)", p, len(starts))
	}
	end := len(src)
	if p.Line < len(starts) {
		end = starts[p.Line]
	}
	off := starts[p.Line-1] + p.Col - 1
	if p.Line == 1 && strings.HasPrefix(src, "\ufeff") {
		off += len("\ufeff") // line 1's columns start after a byte order mark
	}
	if off > end {
		return 0, fmt.Errorf("position %v past the end of its line", p)
	}
	return off, nil
}

// checkText checks that t.PosAt maps every byte of t.Src that is not white space to the same
// byte in src, or to the backslash of an escape sequence in a double-quoted scalar.
func checkText(t *testing.T, src string, x Text) {
	t.Helper()
	if x.PosAt(0) != x.Pos {
		t.Errorf("%q: PosAt(0) = %v, Pos = %v", x.Src, x.PosAt(0), x.Pos)
	}
	for i := 0; i < len(x.Src); i++ {
		p := x.PosAt(i)
		off, err := offsetOf(src, p)
		if err != nil {
			t.Errorf("%q: PosAt(%d): %v", x.Src, i, err)
			continue
		}
		c := x.Src[i]
		if strings.IndexByte(" \t\n", c) >= 0 {
			continue
		}
		if off >= len(src) || src[off] != c && src[off] != '\\' {
			t.Errorf("%q: PosAt(%d) = %v points at %q, want %q", x.Src, i, p, src[off:min(off+10, len(src))], c)
		}
	}
	end := x.PosAt(len(x.Src))
	if _, err := offsetOf(src, end); err != nil && len(x.Src) > 0 {
		t.Errorf("%q: PosAt(len): %v", x.Src, err)
	}
}

const textHeader = "neurogen: 1\nmodel: M\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\nchannels: {L: {g: 1}}\n"

func TestTextPositions(t *testing.T) {
	tests := []struct {
		name string
		yaml string   // appended to textHeader
		want []string // the decoded defs, in order
	}{
		{"plain", "defs:\n  u: V - V_sh\n", []string{"V - V_sh"}},
		{"spaces and comment", "defs:\n  u:      V  -  x   # note\n", []string{"V  -  x"}},
		{"next line", "defs:\n  u:\n    V - x\n", []string{"V - x"}},
		{"tab separator", "defs:\n  u:\tV - x\n", []string{"V - x"}},
		{"plain multi-line", "defs:\n  u: a +\n    b *   \n\n     c\n  w: d\n", []string{"a + b *\nc", "d"}},
		{"plain multi-line from next line", "defs:\n  u:\n      a\n    + b\n", []string{"a + b"}},
		{"number", "defs:\n  u: 1.5e-3\n  w: 42\n", []string{"1.5e-3", "42"}},
		{"single-quoted", "defs:\n  u: 'it''s (a)'\n", []string{"it's (a)"}},
		{"single-quoted multi-line", "defs:\n  u: 'a  \n    ''b''\n\n\n  c'\n", []string{"a 'b'\n\nc"}},
		{"double-quoted", `defs:
  u: "a\tb \"q\" \\ \x41\u00e9\U0001F600 \N\_\L\/ c"
`, []string{"a\tb \"q\" \\ Aé😀 \u0085\u00a0\u2028/ c"}},
		{"double-quoted multi-line", "defs:\n  u: \"a + \\\n     b\n    c  \n\n      d\"\n", []string{"a + b c\nd"}},
		{"double-quoted surrogate pair", "defs:\n  u: \"x\\ud83d\\ude00y\"\n", []string{"x😀y"}},
		{"literal", "defs:\n  u: |\n    a\n      b\n\n    c\n  w: d\n", []string{"a\n  b\n\nc\n", "d"}},
		{"literal keep", "defs:\n  u: |+ # comment\n    a\n\n\n  w: d\n", []string{"a\n\n\n", "d"}},
		{"literal strip", "defs:\n  u: |-\n    a\n    b\n\n", []string{"a\nb"}},
		{"literal indentation indicator", "defs:\n  u: |2\n      a\n    b\n", []string{"  a\nb\n"}},
		{"literal at end of file", "defs:\n  u: |\n    a\n    b", []string{"a\nb"}},
		{"plain multi-line at end of file", "defs:\n  u: 0\n     -x", []string{"0 -x"}},
		{"literal trailing spaces", "defs:\n  u: |\n    a  \n    b\n", []string{"a  \nb\n"}},
		{"folded", "defs:\n  u: >\n    a\n    b\n\n    c\n      d\n    e\n", []string{"a b\nc\n  d\ne\n"}},
		{"folded strip", "defs:\n  u: >-\n    a +\n    b\n\n\n    c\n", []string{"a + b\n\nc"}},
		{"flow", "defs: {u: V + 40*mV, w: 'a''b', z: \"c\\td\"}\n", []string{"V + 40*mV", "a'b", "c\td"}},
		{"flow multi-line", "defs: {u: a + b, w: \"x\n  y\",\n  z: 'p\n  q'}\n", []string{"a + b", "x y", "p q"}},
		{"unicode columns", "defs: {a: \"é\", u: α + é * β, w: 'ü' }\n", []string{"é", "α + é * β", "ü"}},
		{"unicode multi-line", "defs:\n  u: α +\n     é\n  w: \"ö\n    ü\"\n", []string{"α + é", "ö ü"}},
		{"document start", "---\ndefs:\n  u: a\n", []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, eol := range []string{"\n", "\r\n", "\r"} {
				src := textHeader + tt.yaml
				if rest, ok := strings.CutPrefix(tt.yaml, "---\n"); ok {
					src = "---\n" + textHeader + rest
				}
				src = strings.ReplaceAll(src, "\n", eol)
				s, err := Load("t.yaml", []byte(src))
				if err != nil {
					t.Fatalf("eol %q: %v", eol, err)
				}
				var got []string
				for _, d := range s.Defs {
					got = append(got, d.Expr.Src)
					checkText(t, src, d.Expr)
				}
				if fmt.Sprint(got) != fmt.Sprint(tt.want) {
					t.Errorf("eol %q: defs = %q, want %q", eol, got, tt.want)
				}
			}
		})
	}
}

// TestTextPositionsExact pins down the position of every byte of a few texts.
func TestTextPositionsExact(t *testing.T) {
	src := textHeader + "defs:\n" +
		"  a: x+y\n" + // line 6
		"  b: \"\\x41é\\\n" + // line 7
		"     z\"\n" + // line 8
		"  c: |\n" + // line 9
		"    p\n" + // line 10
		"     q\n" + // line 11
		"  d: 'a''b\n" + // line 12
		"   c'\n" // line 13
	s, err := Load("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][]string{
		"a": {"6:6", "6:7", "6:8"},
		"b": {"7:7", "7:11", "7:12", "8:6"},           // A from \x41, é (2 bytes), z
		"c": {"10:5", "10:6", "11:5", "11:6", "11:7"}, // p \n ' ' q \n
		"d": {"12:7", "12:8", "12:10", "12:11", "13:4"},
	}
	for _, d := range s.Defs {
		var got []string
		for i := 0; i < len(d.Expr.Src); i++ {
			p := d.Expr.PosAt(i)
			got = append(got, fmt.Sprintf("%d:%d", p.Line(), p.Col()))
		}
		if fmt.Sprint(got) != fmt.Sprint(want[d.Name.Value]) {
			t.Errorf("%s (%q): positions %v, want %v", d.Name.Value, d.Expr.Src, got, want[d.Name.Value])
		}
		if p := d.Expr.PosAt(len(d.Expr.Src) + 1); p.Line() == 0 {
			t.Errorf("%s: PosAt past the end is invalid", d.Name.Value)
		}
	}
}

// TestTextAllFields checks the expressions outside `defs:` and a byte order mark.
func TestTextAllFields(t *testing.T) {
	src := "\ufeffneurogen: 1\nmodel: M\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\n" +
		"channels:\n" +
		"  Na:\n" +
		"    current: 'g * m**3 *\n      h * (E - V)'\n" +
		"    defs: {x: V + 40*mV}\n" +
		"    gates:\n" +
		"      m:\n        alpha: \"0.1*(V + 40)\"\n        beta: >-\n          4 *\n          exp(-V),\n        phi: 3\n" +
		"      h:\n        inf: 1/(1 + exp(V))\n        tau: |\n          5\n"
	s, err := Load("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	c := s.Channels[0]
	g := c.Gates
	texts := []*Text{c.Current, &c.Defs[0].Expr, g[0].Alpha, g[0].Beta, g[0].Phi, g[1].Inf, g[1].Tau}
	want := []string{"g * m**3 * h * (E - V)", "V + 40*mV", "0.1*(V + 40)", "4 * exp(-V),", "3", "1/(1 + exp(V))", "5\n"}
	for i, x := range texts {
		if x == nil {
			t.Fatalf("text %d missing", i)
		}
		if x.Src != want[i] {
			t.Errorf("text %d = %q, want %q", i, x.Src, want[i])
		}
		checkText(t, src, *x)
	}
	if p := s.Version.Pos; p.Line() != 1 || p.Col() != 11 {
		t.Errorf("version at %v, want 1:11 (the byte order mark takes no column)", p)
	}
}

// TestScalarPositions checks Scalar.Pos: the first byte, or the opening quote, also where goccy
// misplaces the token (a multi-line plain scalar at the end of the input).
func TestScalarPositions(t *testing.T) {
	src := "neurogen: 1\nmodel: M\nchannels: {L: {g: \"1 mS/cm2\"}}\nmembrane:\n  C: '1 uF/cm2'\n  V_init: -65\n    mV"
	s, err := Load("t.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		got       Scalar
		line, col int
	}{
		{s.Channels[0].Params[0].Value, 3, 19},
		{*s.Membrane.C, 5, 6},
		{*s.Membrane.VInit, 6, 11},
	} {
		if p := tt.got.Pos; p.Line() != tt.line || p.Col() != tt.col {
			t.Errorf("%q at %d:%d, want %d:%d", tt.got.Value, p.Line(), p.Col(), tt.line, tt.col)
		}
	}
}

// TestScalarPosAt checks the position of bytes inside scalars as Load reads them, plain, quoted
// and folded, and of their slices; and that a Scalar made by hand answers its Pos.
func TestScalarPosAt(t *testing.T) {
	src := "neurogen: 1\nmodel: M\nmembrane:\n  C: \"1 uF/cm2\"\n  A: 1e-3 cm2\n" +
		"  V_init: >-\n    uniform(-70 mV,\n    -60 mV)\nchannels: {L: {g: 1 mS/cm2}}\n"
	s, err := Load("s.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := s.Membrane
	for _, tc := range []struct {
		what string
		sc   Scalar
		off  int
		want string
	}{
		{"quoted C, its unit", *m.C, 2, "s.yaml:4:9"},         // after the opening quote
		{"plain A, its unit", *m.A, 5, "s.yaml:5:11"},         // byte for byte
		{"folded V_init, line 2", *m.VInit, 16, "s.yaml:8:5"}, // the folded line break is a space at 7:20
		{"slice of V_init", m.VInit.Slice(16, 22), 3, "s.yaml:8:8"},
		{"hand-made", Scalar{Value: "1 mV", Pos: m.A.Pos}, 2, "s.yaml:5:6"},
	} {
		if got := tc.sc.PosAt(tc.off).String(); got != tc.want {
			t.Errorf("%s: PosAt(%d) of %q = %s, want %s", tc.what, tc.off, tc.sc.Value, got, tc.want)
		}
	}
	if v := m.VInit.Slice(16, 22); v.Value != "-60 mV" || v.Pos.String() != "s.yaml:8:5" {
		t.Errorf("Slice(16, 22) = %q at %s, want \"-60 mV\" at s.yaml:8:5", v.Value, v.Pos)
	}
}
