package nmodl

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/neurogen/neurogen/spec"
)

var update = flag.Bool("update", false, "rewrite the golden files of testdata (go test ./nmodl -update)")

// modFiles returns the .mod files of dir.
func modFiles(t testing.TB, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.mod"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .mod files in %s: %v", dir, err)
	}
	return files
}

func parseFile(t *testing.T, path string) (*File, []byte) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, err := Parse(filepath.Base(path), src)
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return f, src
}

// golden compares got with the file path, or rewrites it under -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./nmodl -update to create it)", err)
	}
	if d := cmp.Diff(string(want), string(got)); d != "" {
		t.Errorf("%s differs (-want +got):\n%s", path, d)
	}
}

// TestGolden parses each .mod file of testdata and compares the canonical NMODL that Format
// prints, followed by every comment with its position, with the file's golden.
func TestGolden(t *testing.T) {
	for _, path := range modFiles(t, "testdata") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			f, _ := parseFile(t, path)
			var b bytes.Buffer
			b.Write(Format(f))
			b.WriteString("\n-- comments --\n")
			for _, c := range f.Comments {
				kind := "line"
				if c.Kind == BlockComment {
					kind = "block"
				}
				fmt.Fprintf(&b, "%s: %s %q\n", c.At, kind, c.Text)
			}
			golden(t, strings.TrimSuffix(path, ".mod")+".golden", b.Bytes())
		})
	}
}

// ignorePos compares trees without their positions.
var ignorePos = cmp.Options{
	cmp.Comparer(func(a, b spec.Pos) bool { return true }),
	cmpopts.IgnoreFields(File{}, "Name", "Comments"),
}

// TestRoundTrip checks that parsing what Format prints gives the same tree, and formatting that
// tree the same text.
func TestRoundTrip(t *testing.T) {
	for _, path := range modFiles(t, "testdata") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			f, _ := parseFile(t, path)
			out := Format(f)
			g, err := Parse("printed.mod", out)
			if err != nil {
				t.Fatalf("Format's output does not parse: %v\n%s", err, out)
			}
			if d := cmp.Diff(f, g, ignorePos); d != "" {
				t.Errorf("the reparsed tree differs (-parsed +reparsed):\n%s", d)
			}
			if again := Format(g); !bytes.Equal(again, out) {
				t.Errorf("Format is not idempotent:\n%s", cmp.Diff(string(out), string(again)))
			}
		})
	}
}

// tree writes x as an S-expression, so that tests see its shape, not its printing.
func tree(x Expr) string { return treeOf(x, true) }

// stripParens writes x as tree does, without its Paren nodes, which the printer adds to trees
// built by hand.
func stripParens(x Expr) string { return treeOf(x, false) }

func treeOf(x Expr, parens bool) string {
	tree := func(x Expr) string { return treeOf(x, parens) }
	switch x := x.(type) {
	case *Ident:
		return x.Name
	case *Number:
		if x.Units != nil {
			return fmt.Sprintf("%g(%s)", x.Value, x.Units.Text)
		}
		return fmt.Sprintf("%g", x.Value)
	case *StringLit:
		return x.Lit
	case *Deriv:
		return x.Name + strings.Repeat("'", x.Order)
	case *Paren:
		if !parens {
			return tree(x.X)
		}
		return "(paren " + tree(x.X) + ")"
	case *Unary:
		return "(" + x.Op.String() + " " + tree(x.X) + ")"
	case *Binary:
		return "(" + x.Op.String() + " " + tree(x.X) + " " + tree(x.Y) + ")"
	case *Call:
		s := "(call " + x.Fun.Name
		for _, a := range x.Args {
			s += " " + tree(a)
		}
		return s + ")"
	case *Index:
		return "(index " + x.X.Name + " " + tree(x.Index) + ")"
	}
	return fmt.Sprintf("?%T", x)
}

// parseExpr parses src as the right-hand side of an assignment.
func parseExpr(t *testing.T, src string) Expr {
	t.Helper()
	f, err := Parse("e.mod", []byte("PROCEDURE p() {\n\tx = "+src+"\n}\n"))
	if err != nil {
		t.Fatalf("%s: %v", src, err)
	}
	return f.Blocks[0].(*FuncDecl).Body.Stmts[0].(*Assign).Rhs
}

// TestPrecedence checks the shape of expressions against nocmodl's precedence and
// associativity (parse1.y): ^ is power, right-associative and tighter than unary minus.
func TestPrecedence(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		{"-x^2", "(- (^ x 2))"},
		{"2^-1", "(^ 2 (- 1))"},
		{"a^b^c", "(^ a (^ b c))"},
		{"a-b-c", "(- (- a b) c)"},
		{"a/b*c", "(* (/ a b) c)"},
		{"a % b * c", "(* (% a b) c)"},
		{"-a*b", "(* (- a) b)"},
		{"a+b*c^d", "(+ a (* b (^ c d)))"},
		{"a*-b", "(* a (- b))"},
		{"a - -b", "(- a (- b))"},
		{"a<b && c>=d || !e", "(|| (&& (< a b) (>= c d)) (! e))"},
		{"a || b && c", "(|| a (&& b c))"},
		{"!a == b", "(== (! a) b)"},
		{"a == b != c", "(!= (== a b) c)"},
		{"a + b < c * d", "(< (+ a b) (* c d))"},
		{"1e-3*v", "(* 0.001 v)"},
		{".12", "0.12"},
		{"100e-6 + 2.5E+2 + 6.", "(+ (+ 0.0001 250) 6)"},
		{"37 (degC) / 10 ( degC )", "(/ 37(degC) 10(degC))"},
		{"q10^((celsius - 6.3 (degC))/10 (degC))", "(^ q10 (paren (/ (paren (- celsius 6.3(degC))) 10(degC))))"},
		{"exp(-(v+65)/18)", "(call exp (/ (- (paren (+ v 65))) 18))"},
		{"f()", "(call f)"},
		{"g(a, -b, h(c))", "(call g a (- b) (call h c))"},
		{"x[i+1] * y", "(* (index x (+ i 1)) y)"},
	} {
		if got := tree(parseExpr(t, c.src)); got != c.want {
			t.Errorf("%s parses as %s, want %s", c.src, got, c.want)
		}
	}
}

// TestPrinterParens checks that ExprString parenthesises trees made by hand (as an exporter
// makes them) so that they parse back to the same shape.
func TestPrinterParens(t *testing.T) {
	id := func(s string) *Ident { return &Ident{Name: s} }
	bin := func(x Expr, op Token, y Expr) *Binary { return &Binary{X: x, Op: op, Y: y} }
	neg := func(x Expr) *Unary { return &Unary{Op: Minus, X: x} }
	a, b, c := id("a"), id("b"), id("c")
	for _, c := range []struct {
		x    Expr
		want string
	}{
		{bin(bin(a, Plus, b), Star, c), "(a + b) * c"},
		{bin(a, Minus, bin(b, Minus, c)), "a - (b - c)"},
		{bin(bin(a, Minus, b), Minus, c), "a - b - c"},
		{bin(a, Slash, bin(b, Star, c)), "a / (b * c)"},
		{bin(bin(a, Caret, b), Caret, c), "(a ^ b) ^ c"},
		{bin(a, Caret, bin(b, Caret, c)), "a ^ b ^ c"},
		{neg(bin(a, Plus, b)), "-(a + b)"},
		{neg(bin(a, Caret, b)), "-a ^ b"},
		{bin(neg(a), Caret, b), "(-a) ^ b"},
		{bin(a, Caret, neg(b)), "a ^ -b"},
		{bin(neg(a), Star, b), "-a * b"},
		{bin(bin(a, OrOr, b), AndAnd, c), "(a || b) && c"},
		{&Unary{Op: Not, X: bin(a, Lt, b)}, "!(a < b)"},
		{bin(&Number{Value: 1e-3}, Star, &Number{Lit: "2", Value: 2, Units: &Units{Text: "mV"}}), "0.001 * 2 (mV)"},
	} {
		got := ExprString(c.x)
		if got != c.want {
			t.Errorf("ExprString(%s) = %q, want %q", tree(c.x), got, c.want)
			continue
		}
		if back := parseExpr(t, got); stripParens(back) != tree(c.x) {
			t.Errorf("%q parses back as %s, want %s", got, stripParens(back), tree(c.x))
		}
	}
}

// lineCol returns where the n-th (from 1) occurrence of sub starts in src, as file:line:col,
// counted here independently of spec.Pos.
func lineCol(t *testing.T, file string, src []byte, sub string, n int) string {
	t.Helper()
	off := -1
	for i := 0; i < n; i++ {
		j := bytes.Index(src[off+1:], []byte(sub))
		if j < 0 {
			t.Fatalf("%q not found %d times", sub, n)
		}
		off += 1 + j
	}
	line := bytes.Count(src[:off], []byte("\n")) + 1
	col := off - (bytes.LastIndexByte(src[:off], '\n') + 1) + 1
	return fmt.Sprintf("%s:%d:%d", file, line, col)
}

func findBlock[T Block](t *testing.T, f *File, pred func(T) bool) T {
	t.Helper()
	for _, b := range f.Blocks {
		if x, ok := b.(T); ok && pred(x) {
			return x
		}
	}
	var zero T
	t.Fatalf("no %T block", zero)
	return zero
}

// TestHH checks what the parser keeps of hh.mod: values, units, limits, names, positions,
// comments.
func TestHH(t *testing.T) {
	f, src := parseFile(t, "testdata/hh.mod")
	at := func(sub string, n int) string { return lineCol(t, "hh.mod", src, sub, n) }

	title := f.Blocks[0].(*Title)
	if title.Text != "hh.mod   squid sodium, potassium, and leak channels" || title.At.String() != "hh.mod:1:1" {
		t.Errorf("title %q at %s", title.Text, title.At)
	}
	if cb := f.Blocks[1].(*CommentBlock); !strings.Contains(cb.Text, "J. Physiol. 117:500-544.") || cb.At.String() != at("COMMENT", 1) {
		t.Errorf("comment block %q at %s", cb.Text, cb.At)
	}

	nb := findBlock(t, f, func(*NeuronBlock) bool { return true })
	if s := nb.Stmts[0].(*Suffix); s.Kind != "SUFFIX" || s.Name.Name != "hh" || s.Name.At.String() != at("hh\n", 1) {
		t.Errorf("suffix %s %s at %s", s.Kind, s.Name.Name, s.Name.At)
	}
	na := nb.Stmts[1].(*UseIon)
	if na.Ion.Name != "na" || idents(na.Read) != "ena" || idents(na.Write) != "ina" || na.Valence != nil {
		t.Errorf("USEION %s READ %s WRITE %s", na.Ion.Name, idents(na.Read), idents(na.Write))
	}
	if na.At.String() != at("USEION na", 1) {
		t.Errorf("USEION na at %s, want %s", na.At, at("USEION na", 1))
	}
	rng := nb.Stmts[4].(*NameList)
	if rng.Kind != "RANGE" || idents(rng.Names) != "gnabar, gkbar, gl, el, gna, gk" || rng.Names[5].At.String() != at("gk\n", 1) {
		t.Errorf("RANGE %s, last at %s", idents(rng.Names), rng.Names[5].At)
	}
	if ts := nb.Stmts[6].(*NameList); ts.Kind != "THREADSAFE" || len(ts.Names) != 0 {
		t.Errorf("THREADSAFE %s", idents(ts.Names))
	}

	par := findBlock(t, f, func(b *DeclBlock) bool { return b.Kind == "PARAMETER" })
	g := par.Decls[0]
	if g.Name.Name != "gnabar" || g.Value.(*Number).Value != 0.12 || g.Value.(*Number).Lit != ".12" ||
		g.Units.Text != "S/cm2" || g.Lo.(*Number).Value != 0 || g.Hi.(*Number).Value != 1e9 || g.From {
		t.Errorf("gnabar: %s", decl(g))
	}
	if g.Pos().String() != at("gnabar =", 1) || g.Units.Pos().String() != at("(S/cm2)", 1) {
		t.Errorf("gnabar at %s, its units at %s", g.Pos(), g.Units.Pos())
	}
	if el := par.Decls[3]; el.Name.Name != "el" || tree(el.Value) != "(- 54.3)" || el.Units.Text != "mV" {
		t.Errorf("el: %s", decl(el))
	}
	st := findBlock(t, f, func(b *DeclBlock) bool { return b.Kind == "STATE" })
	if len(st.Decls) != 3 || st.Decls[2].Name.Name != "n" {
		t.Errorf("STATE: %d names", len(st.Decls))
	}

	bp := findBlock(t, f, func(b *StmtBlock) bool { return b.Kind == "BREAKPOINT" })
	solve := bp.Body.Stmts[0].(*Solve)
	if solve.Name.Name != "states" || solve.Method.Name != "cnexp" || solve.SteadyState || solve.At.String() != at("SOLVE", 1) {
		t.Errorf("SOLVE %s METHOD %s at %s", solve.Name.Name, solve.Method.Name, solve.At)
	}
	ds := findBlock(t, f, func(b *StmtBlock) bool { return b.Kind == "DERIVATIVE" })
	m := ds.Body.Stmts[1].(*Assign)
	if tree(m.Lhs) != "m'" || tree(m.Rhs) != "(/ (paren (- minf m)) mtau)" || m.Pos().String() != at("m' =", 1) {
		t.Errorf("%s = %s at %s", tree(m.Lhs), tree(m.Rhs), m.Pos())
	}

	rates := findBlock(t, f, func(b *FuncDecl) bool { return b.Kind == "PROCEDURE" })
	if rates.Name.Name != "rates" || len(rates.Params) != 1 || rates.Params[0].Units.Text != "mV" || rates.Units != nil {
		t.Errorf("PROCEDURE %s", rates.Name.Name)
	}
	if loc := rates.Body.Stmts[0].(*Local); len(loc.Names) != 4 || loc.Names[3].Name.Name != "q10" {
		t.Errorf("LOCAL %d names", len(loc.Names))
	}
	tab := rates.Body.Stmts[1].(*Table)
	if idents(tab.Names) != "minf, mtau, hinf, htau, ninf, ntau" || idents(tab.Depend) != "celsius" ||
		tree(tab.From) != "(- 100)" || tree(tab.To) != "100" || tree(tab.With) != "200" || tab.At.String() != at("TABLE", 1) {
		t.Errorf("TABLE %s DEPEND %s FROM %s TO %s WITH %s", idents(tab.Names), idents(tab.Depend), tree(tab.From), tree(tab.To), tree(tab.With))
	}
	if u := rates.Body.Stmts[2].(*UnitsSwitch); u.On || u.At.String() != at("UNITSOFF", 1) {
		t.Errorf("UNITSOFF at %s", u.At)
	}
	if q := rates.Body.Stmts[3].(*Assign); tree(q.Rhs) != "(^ 3 (paren (/ (paren (- celsius 6.3)) 10)))" {
		t.Errorf("q10 = %s", tree(q.Rhs))
	}

	vtrap := findBlock(t, f, func(b *FuncDecl) bool { return b.Kind == "FUNCTION" })
	ifs := vtrap.Body.Stmts[0].(*If)
	if tree(ifs.Cond) != "(< (call fabs (/ x y)) 1e-06)" || len(ifs.Then.Stmts) != 1 {
		t.Errorf("if %s", tree(ifs.Cond))
	}
	if e, ok := ifs.Else.(*BlockStmt); !ok || tree(e.Body.Stmts[0].(*Assign).Rhs) != "(/ x (paren (- (call exp (/ x y)) 1)))" {
		t.Errorf("else %#v", ifs.Else)
	}
	if on := f.Blocks[len(f.Blocks)-1].(*UnitsSwitch); !on.On {
		t.Errorf("last block is not UNITSON")
	}

	// Comments: ":" and "?" line comments with their text and place.
	var lines []string
	for _, c := range f.Comments {
		if c.Kind == LineComment {
			lines = append(lines, c.At.String()+" "+c.Text)
		}
	}
	want := []string{
		at("? interface", 1) + "  interface",
		at(": assigned", 1) + "  assigned GLOBALs will be per thread",
		at("? currents", 1) + "  currents",
	}
	if len(lines) < 3 || !cmp.Equal(lines[:3], want) {
		t.Errorf("first line comments %q, want %q", lines, want)
	}
	if len(lines) != 11 {
		t.Errorf("%d line comments, want 11", len(lines))
	}
}

// TestKinetic checks reactions, CONSERVE and STEADYSTATE in kinetic.mod.
func TestKinetic(t *testing.T) {
	f, src := parseFile(t, "testdata/kinetic.mod")
	k := findBlock(t, f, func(b *StmtBlock) bool { return b.Kind == "KINETIC" })
	if k.Name.Name != "scheme" {
		t.Errorf("KINETIC %s", k.Name.Name)
	}
	var got []string
	for _, s := range k.Body.Stmts {
		switch s := s.(type) {
		case *Reaction:
			r := reactants(s.Left) + " " + s.Op.String() + " " + reactants(s.Right) + " |"
			for _, x := range s.Rates {
				r += " " + tree(x)
			}
			got = append(got, r)
		case *Conserve:
			got = append(got, "CONSERVE "+tree(s.Lhs)+" = "+tree(s.Rhs))
		}
	}
	want := []string{
		"C1 <-> C2 | (* 2 a) b",
		"C2 <-> O | a (* 2 b)",
		"O + B <-> OB | kon koff",
		"CONSERVE (+ (+ (+ C1 C2) O) OB) = 1",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("kinetic scheme (-want +got):\n%s", d)
	}
	r := k.Body.Stmts[3].(*Reaction)
	if r.At.String() != lineCol(t, "kinetic.mod", src, "~ O + B", 1) || r.Right[0].Pos().String() != lineCol(t, "kinetic.mod", src, "OB\t(kon", 1) {
		t.Errorf("reaction at %s, OB at %s", r.At, r.Right[0].Pos())
	}
	ini := findBlock(t, f, func(b *StmtBlock) bool { return b.Kind == "INITIAL" })
	if s := ini.Body.Stmts[0].(*Solve); !s.SteadyState || s.Method.Name != "sparse" {
		t.Errorf("SOLVE in INITIAL: %+v", s)
	}
}

// TestOthers checks constructs of the other files: a UNITS factor, a STATE tolerance,
// INDEPENDENT, VALENCE, a FUNCTION's units and its parameters', else if.
func TestOthers(t *testing.T) {
	cad, _ := parseFile(t, "testdata/cad.mod")
	u := findBlock(t, cad, func(*UnitsBlock) bool { return true })
	if fd := u.Defs[5]; fd.Name.Name != "FARADAY" || fd.Left.Text != "faraday" || fd.Right.Text != "coulomb" || fd.Value != nil {
		t.Errorf("FARADAY: %+v", fd)
	}
	if ms := u.Defs[4]; ms.Name != nil || ms.Left.Text != "msM" || ms.Right.Text != "ms mM" {
		t.Errorf("(msM): %+v", ms)
	}
	st := findBlock(t, cad, func(b *DeclBlock) bool { return b.Kind == "STATE" })
	if c := st.Decls[0]; c.Name.Name != "cai" || c.Units.Text != "mM" || tree(c.Tol) != "1e-05" {
		t.Errorf("cai: %s", decl(c))
	}
	ind := findBlock(t, cad, func(b *DeclBlock) bool { return b.Kind == "INDEPENDENT" })
	if d := ind.Decls[0]; !d.From || tree(d.Lo) != "0" || tree(d.Hi) != "1" || tree(d.With) != "1" || d.Units.Text != "ms" {
		t.Errorf("INDEPENDENT: %s", decl(d))
	}

	ghk, _ := parseFile(t, "testdata/ghk.mod")
	nb := findBlock(t, ghk, func(*NeuronBlock) bool { return true })
	if ion := nb.Stmts[1].(*UseIon); idents(ion.Read) != "cai, cao" || tree(ion.Valence) != "2" {
		t.Errorf("USEION ca: %s valence %v", idents(ion.Read), ion.Valence)
	}
	gu := findBlock(t, ghk, func(*UnitsBlock) bool { return true })
	if fd := gu.Defs[3]; fd.Name.Name != "FARADAY" || tree(fd.Value) != "96485.3" || fd.Right.Text != "coul" {
		t.Errorf("FARADAY: %+v", fd)
	}
	fn := findBlock(t, ghk, func(b *FuncDecl) bool { return b.Name != nil && b.Name.Name == "ghk" })
	if fn.Units.Text != ".001 coul/cm3" || len(fn.Params) != 3 || fn.Params[2].Name.Name != "co" || fn.Params[2].Units.Text != "mM" {
		t.Errorf("FUNCTION ghk: units %q, %d params", fn.Units.Text, len(fn.Params))
	}
	cst := findBlock(t, ghk, func(b *DeclBlock) bool { return b.Kind == "CONSTANT" })
	if z := cst.Decls[0]; z.Name.Name != "zca" || tree(z.Value) != "2" || z.Units.Text != "1" {
		t.Errorf("zca: %s", decl(z))
	}
	gst := findBlock(t, ghk, func(b *DeclBlock) bool { return b.Kind == "STATE" })
	if m := gst.Decls[0]; !m.From || tree(m.Lo) != "0" || tree(m.Hi) != "1" {
		t.Errorf("m: %s", decl(m))
	}

	ka, _ := parseFile(t, "testdata/ifrate.mod")
	rates := findBlock(t, ka, func(b *FuncDecl) bool { return b.Kind == "PROCEDURE" })
	chain := rates.Body.Stmts[5].(*If)
	var conds []string
	for s := Stmt(chain); s != nil; {
		switch x := s.(type) {
		case *If:
			conds = append(conds, tree(x.Cond))
			s = x.Else
		case *BlockStmt:
			conds = append(conds, "else "+tree(x.Body.Stmts[0].(*Assign).Rhs))
			s = nil
		}
	}
	if d := cmp.Diff([]string{"(< v (- 80))", "(< v (- 20))", "else 9"}, conds); d != "" {
		t.Errorf("else-if chain (-want +got):\n%s", d)
	}
}

// TestErrors parses each malformed file of testdata/errors and compares its errors, one a line
// as file:line:col: message [code], with its .err golden. Each file's comments say what is
// wrong.
func TestErrors(t *testing.T) {
	for _, path := range modFiles(t, "testdata/errors") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			f, err := Parse(filepath.Base(path), src)
			if f == nil {
				t.Fatal("Parse returned no file")
			}
			var list spec.ErrorList
			if !errors.As(err, &list) || len(list) == 0 {
				t.Fatalf("Parse gave %v, want a spec.ErrorList", err)
			}
			var b strings.Builder
			for _, e := range list {
				if e.Code != Syntax && e.Code != Unsupported && e.Code != spec.TooLarge {
					t.Errorf("%v: code %q", e, e.Code)
				}
				fmt.Fprintf(&b, "%s [%s]\n", e, e.Code)
			}
			if got := strings.Count(err.Error(), "\n") + 1; got != len(list) {
				t.Errorf("err prints %d lines for %d errors", got, len(list))
			}
			golden(t, strings.TrimSuffix(path, ".mod")+".err", []byte(b.String()))
		})
	}
}

// TestLimits checks that input nested too deeply is refused with one error, not a crash.
func TestLimits(t *testing.T) {
	for _, c := range []struct{ name, src, want string }{
		{"parens", "PROCEDURE p() {\n\tx = " + strings.Repeat("(", 5000) + "1\n}\n", "deep.mod:2:205: nested more than 200 deep"},
		{"minus", "PROCEDURE p() {\n\tx = " + strings.Repeat("-", 5000) + "1\n}\n", "deep.mod:2:205: nested more than 200 deep"},
		{"braces", "INITIAL " + strings.Repeat("{", 5000), "deep.mod:1:210: nested more than 200 deep"},
	} {
		_, err := Parse("deep.mod", []byte(c.src))
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: got %v, want %s", c.name, err, c.want)
		}
	}
	// A long expression in a message is shortened, and printing it costs little.
	long := "BREAKPOINT {\n" + strings.Repeat("a + ", 5000) + "b = 1\n}\n"
	if _, err := Parse("long.mod", []byte(long)); err == nil || err.Error() != `long.mod:2:1: cannot assign to "... + ... + a + a + a + a + b"` {
		t.Errorf("a long expression: got %v", err)
	}
	_, err := Parse("big.mod", make([]byte, maxSize+1))
	var list spec.ErrorList
	if !errors.As(err, &list) || len(list) != 1 || list[0].Code != spec.TooLarge {
		t.Errorf("a file over the size limit: %v", err)
	}
}

// TestLineEnds checks that "\r\n" and a lone "\r" end lines as "\n" does, and that a byte
// order mark is skipped and not counted in columns.
func TestLineEnds(t *testing.T) {
	for name, src := range map[string]string{
		"lf":   "NEURON {\n\tSUFFIX x\n}\nPARAMETER {\n\tg = 1 (S/cm2) : conductance\n\te = $\n}\n",
		"crlf": "NEURON {\r\n\tSUFFIX x\r\n}\r\nPARAMETER {\r\n\tg = 1 (S/cm2) : conductance\r\n\te = $\r\n}\r\n",
		"cr":   "NEURON {\r\tSUFFIX x\r}\rPARAMETER {\r\tg = 1 (S/cm2) : conductance\r\te = $\r}\r",
		"bom":  "\xEF\xBB\xBFNEURON {\n\tSUFFIX x\n}\nPARAMETER {\n\tg = 1 (S/cm2) : conductance\n\te = $\n}\n",
	} {
		f, err := Parse(name+".mod", []byte(src))
		want := name + ".mod:6:6: unexpected character '$'"
		if err == nil || err.Error() != want {
			t.Errorf("%s: got error %v, want %s", name, err, want)
			continue
		}
		if pos := f.Blocks[0].Pos().String(); pos != name+".mod:1:1" {
			t.Errorf("%s: NEURON at %s", name, pos)
		}
		g := f.Blocks[1].(*DeclBlock).Decls[0]
		if g.Pos().String() != name+".mod:5:2" || len(f.Comments) != 1 || f.Comments[0].Text != " conductance" || f.Comments[0].At.String() != name+".mod:5:16" {
			t.Errorf("%s: g at %s, comments %v", name, g.Pos(), f.Comments)
		}
	}
}

// TestCommentsOf checks the lookups of comments by place that an importer uses for doc:.
func TestCommentsOf(t *testing.T) {
	hh, src := parseFile(t, "testdata/hh.mod")
	texts := func(cs []*Comment) []string {
		var s []string
		for _, c := range cs {
			s = append(s, c.Text)
		}
		return s
	}
	nb := findBlock(t, hh, func(*NeuronBlock) bool { return true })
	if got := texts(hh.CommentsIn(nb.Pos(), nb.End())); !cmp.Equal(got, []string{" assigned GLOBALs will be per thread"}) {
		t.Errorf("comments in NEURON: %q", got)
	}
	if nb.End().String() != lineCol(t, "hh.mod", src, "}\n\nPARAMETER", 1) {
		t.Errorf("NEURON ends at %s", nb.End())
	}
	rates := findBlock(t, hh, func(b *FuncDecl) bool { return b.Kind == "PROCEDURE" })
	want := []string{
		"Computes rate and other constants at current v.",
		"Call once from HOC to initialize inf at resting v.",
		`"m" sodium activation system`,
		`"h" sodium inactivation system`,
		`"n" potassium activation system`,
	}
	if got := texts(hh.CommentsIn(rates.Pos(), rates.End())); !cmp.Equal(got, want) {
		t.Errorf("comments in PROCEDURE rates: %q", got)
	}
	if c := hh.TrailingComment(rates); c == nil || c.Text != want[0] {
		t.Errorf("trailing comment of PROCEDURE rates: %v", c)
	}
	par := findBlock(t, hh, func(b *DeclBlock) bool { return b.Kind == "PARAMETER" })
	if c := hh.TrailingComment(par.Decls[0]); c != nil {
		t.Errorf("gnabar has trailing comment %q", c.Text)
	}
	if cs := hh.CommentsIn(par.Pos(), par.End()); cs != nil {
		t.Errorf("comments in PARAMETER: %q", texts(cs))
	}

	kin, _ := parseFile(t, "testdata/kinetic.mod")
	k := findBlock(t, kin, func(b *StmtBlock) bool { return b.Kind == "KINETIC" })
	if c := kin.TrailingComment(k.Body.Stmts[3]); c == nil || c.Text != " the blocker binds open channels only" {
		t.Errorf("trailing comment of ~ O + B <-> OB: %v", c)
	}
	if c := kin.TrailingComment(k.Body.Stmts[2]); c != nil {
		t.Errorf("~ C2 <-> O has trailing comment %q", c.Text)
	}
}

// TestExported parses the .mod files that package nmodl/export writes for its goldens, which
// NEURON's nrnivmodl compiles: NMODL that nocmodl accepts must parse, and print back to a tree
// that parses the same.
func TestExported(t *testing.T) {
	files, err := filepath.Glob("export/testdata/*/*.mod")
	if err != nil || len(files) == 0 {
		t.Skipf("no exported .mod files in export/testdata (%v)", err)
	}
	for _, path := range files {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Parse(filepath.Base(path), src)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		g, err := Parse("printed.mod", Format(f))
		if err != nil {
			t.Errorf("%s printed: %v", path, err)
			continue
		}
		if d := cmp.Diff(f, g, ignorePos); d != "" {
			t.Errorf("%s: the reparsed tree differs (-parsed +reparsed):\n%s", path, d)
		}
	}
}

// TestCommentBreaksLine checks that a COMMENT block that spans lines separates statements as a
// line break does: after an error found at the token that follows it, the parser resumes there.
func TestCommentBreaksLine(t *testing.T) {
	src := "BREAKPOINT {\n\tx = (1\n\tCOMMENT\n\tnote\n\tENDCOMMENT y = 2\n}\n"
	f, err := Parse("c.mod", []byte(src))
	if want := `c.mod:5:13: expected ")", found name y`; err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
	stmts := f.Blocks[0].(*StmtBlock).Body.Stmts
	if len(stmts) != 2 || tree(stmts[1].(*Assign).Lhs) != "y" || tree(stmts[1].(*Assign).Rhs) != "2" {
		t.Errorf("statements after the error: %d", len(stmts))
	}
	if len(f.Comments) != 1 || f.Comments[0].Text != "\n\tnote\n\t" {
		t.Errorf("comments %v", f.Comments)
	}
}
