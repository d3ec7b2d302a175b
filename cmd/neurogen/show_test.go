package main

import (
	"flag"
	"fmt"
	"go/ast"
	goparser "go/parser"
	"go/token"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/parser"
	"github.com/neurogen/neurogen/runtime"
	"github.com/neurogen/neurogen/symbolic"
)

// updateGolden reports whether the golden files under testdata are to be rewritten rather
// than compared (go test -run TestShow -update). Another test file of the package may define
// -update first; then it is that flag.
var updateGolden = func() func() bool {
	if f := flag.Lookup("update"); f != nil {
		return func() bool { return f.Value.String() == "true" }
	}
	b := flag.Bool("update", false, "rewrite the golden files under testdata")
	return func() bool { return *b }
}()

// TestShowGolden holds `neurogen show` of HH52 to testdata/show/hh52.txt: the same output on
// every run, no line wider than 100 columns.
func TestShowGolden(t *testing.T) {
	golden, err := filepath.Abs(filepath.Join("testdata", "show", "hh52.txt"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	copySpec(t, "hh52.yaml")
	code, stdout, stderr := neurogen(t, nil, "show", "hh52.yaml")
	if code != exitOK || stderr != "" {
		t.Fatalf("neurogen show hh52.yaml: exit %d, stderr %q", code, stderr)
	}
	if _, again, _ := neurogen(t, nil, "show", "hh52.yaml"); again != stdout {
		t.Errorf("two runs of neurogen show differ:\n%s", cmp.Diff(stdout, again))
	}
	for i, line := range strings.Split(stdout, "\n") {
		if n := utf8.RuneCountInString(line); n > 100 {
			t.Errorf("line %d is %d columns wide: %s", i+1, n, line)
		}
		if strings.TrimRight(line, " \t") != line {
			t.Errorf("line %d ends in blanks: %q", i+1, line)
		}
	}
	if updateGolden() {
		if err := os.MkdirAll(filepath.Dir(golden), 0o777); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(golden, []byte(stdout), 0o666); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test -run TestShowGolden -update writes it)", err)
	}
	if diff := cmp.Diff(string(want), stdout); diff != "" {
		t.Errorf("neurogen show hh52.yaml differs from %s (-want +got):\n%s", golden, diff)
	}
}

// TestShowLinearMatchesStep checks the linear coefficients that `neurogen show` prints for
// HH52 against the generated Step, independently of both: it evaluates the equations show
// prints (parsed with the spec's expression parser) and the statements of the generated
// StepRange (parsed with go/parser), each with an evaluator of its own, at states across the
// range of V (the singularities of the rates included), and requires every state's L to agree.
// It also requires each L to be the derivative of its state's dx/dt, by central differences
// of the printed equations.
func TestShowLinearMatchesStep(t *testing.T) {
	t.Chdir(t.TempDir())
	copySpec(t, "hh52.yaml")
	m, err := loadModel(nil, "hh52.yaml", check.Options{})
	if err != nil {
		t.Fatal(err)
	}
	code, text, stderr := neurogen(t, nil, "show", "hh52.yaml")
	if code != exitOK || stderr != "" {
		t.Fatalf("neurogen show: exit %d, stderr %q", code, stderr)
	}
	eqs := shownEquations(t, text)
	lin := shownLinear(t, text)
	code, src, stderr := neurogen(t, nil, "show", "-go", "hh52.yaml")
	if code != exitOK || stderr != "" {
		t.Fatalf("neurogen show -go: exit %d, stderr %q", code, stderr)
	}
	step := parseStepRange(t, src)

	// show prints one L per state, the model's, the statement the equations compute.
	if len(lin) != len(m.States) {
		t.Fatalf("show prints %d linear coefficients, want %d (one per state): %v", len(lin), len(m.States), lin)
	}
	for _, st := range m.States {
		l, ok := lin[st.Name]
		switch {
		case !ok:
			t.Errorf("show prints no L for %s", st.Name)
		case l.local != st.Linear.Local:
			t.Errorf("show names %s's L %s, the model %s", st.Name, l.local, st.Linear.Local)
		case eqs.expr[l.local] != l.expr:
			t.Errorf("show's L of %s is %s, its equation %s = %s", st.Name, l.expr, l.local, eqs.expr[l.local])
		case step.defs[l.local] == nil:
			t.Errorf("the generated StepRange has no %s := ...", l.local)
		}
	}
	if t.Failed() {
		return
	}

	r := rand.New(rand.NewPCG(6, 4))
	for _, v := range []float64{-90, -65, -55, -40, -40 + 1e-9, -20, 0, 25, 50} {
		// Inputs by spec name (show) and Go local (Step), from the model's names.
		specIn := map[string]float64{"I_ext": 3}
		goIn := map[string]float64{m.Input: 3}
		for _, st := range m.States {
			x := r.Float64()
			if st.Kind == ir.Voltage {
				x = v
			}
			specIn[st.Name], goIn[st.Local] = x, x
		}
		for _, p := range m.Params {
			specIn[p.Name] = p.Default
		}
		shown := eqs.eval(t, specIn)
		var roots []string
		for _, st := range m.States {
			roots = append(roots, st.Deriv.Local, st.Linear.Local)
		}
		stepped := step.eval(t, goIn, roots)
		for _, st := range m.States {
			for _, l := range []string{st.Deriv.Local, st.Linear.Local} {
				if a, b := shown[l], stepped[l]; !closeTo(a, b, 1e-13) {
					t.Errorf("V = %g: %s is %.17g as show prints it, %.17g in Step", v, l, a, b)
				}
			}
			// L = ∂(dx/dt)/∂x.
			a := shown[st.Linear.Local]
			h := 1e-6 * max(1, math.Abs(specIn[st.Name]))
			plus, minus := nudged(specIn, st.Name, h)
			d := (eqs.eval(t, plus)[st.Deriv.Local] - eqs.eval(t, minus)[st.Deriv.Local]) / (2 * h)
			if !closeTo(d, a, 1e-5) {
				t.Errorf("V = %g: L of %s is %.10g, but d(%s)/d%s is %.10g by central differences", v, st.Name, a, st.Deriv.Local, st.Name, d)
			}
		}
	}
}

// nudged returns copies of in with in[name] moved by +h and -h.
func nudged(in map[string]float64, name string, h float64) (plus, minus map[string]float64) {
	plus, minus = map[string]float64{}, map[string]float64{}
	for k, v := range in {
		plus[k], minus[k] = v, v
	}
	plus[name] += h
	minus[name] -= h
	return plus, minus
}

// closeTo reports whether a and b agree within rel, relative to the larger (within rel*1e-3
// absolutely, for values near 0).
func closeTo(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*max(math.Abs(a), math.Abs(b), 1e-3)
}

// equations are the statements show prints under "Equations", in order.
type equations struct {
	locals []string
	expr   map[string]string // as printed
	parsed map[string]parser.Expr
}

var (
	// dotted matches a spec name with dots, such as Na.g_max, which the expression parser
	// takes as an identifier once its dots are replaced.
	dotted = regexp.MustCompile(`\b[A-Za-z_]\w*(\.[A-Za-z_]\w*)+\b`)
	// equationLine is LOCAL [UNIT] = EXPR.
	equationLine = regexp.MustCompile(`^  (\w+)(?: \[[^\]]*\])? = (.*)$`)
	// linearLine is STATE  LOCAL  = EXPR in the linear coefficients' section.
	linearLine = regexp.MustCompile(`^  (\S+)\s+(\w+)\s+= (.*)$`)
)

// undot turns the dots of spec names into "__".
func undot(s string) string { return strings.ReplaceAll(s, ".", "__") }

// section returns the lines of the section of text that starts with a line beginning with
// title, up to the next blank line.
func section(t *testing.T, text, title string) []string {
	t.Helper()
	var out []string
	in := false
	for _, line := range strings.Split(text, "\n") {
		switch {
		case strings.HasPrefix(line, title):
			in = true
		case in && line == "":
			return out
		case in:
			out = append(out, line)
		}
	}
	if !in {
		t.Fatalf("no section %q in the output of show:\n%s", title, text)
	}
	return out
}

func shownEquations(t *testing.T, text string) *equations {
	t.Helper()
	eqs := &equations{expr: map[string]string{}, parsed: map[string]parser.Expr{}}
	for _, line := range section(t, text, "Equations:") {
		sm := equationLine.FindStringSubmatch(line)
		if sm == nil {
			continue // a comment or a heading
		}
		e, err := parser.Parse(dotted.ReplaceAllStringFunc(sm[2], undot))
		if err != nil {
			t.Fatalf("show's equation %q does not parse: %v", line, err)
		}
		eqs.locals = append(eqs.locals, sm[1])
		eqs.expr[sm[1]] = sm[2]
		eqs.parsed[sm[1]] = e
	}
	if len(eqs.locals) == 0 {
		t.Fatalf("show prints no equations:\n%s", text)
	}
	return eqs
}

type shownL struct{ local, expr string }

// shownLinear returns the linear coefficients show prints, by state.
func shownLinear(t *testing.T, text string) map[string]shownL {
	t.Helper()
	out := map[string]shownL{}
	for _, line := range section(t, text, "Linear coefficients") {
		if sm := linearLine.FindStringSubmatch(line); sm != nil {
			out[sm[1]] = shownL{sm[2], sm[3]}
		}
	}
	return out
}

// eval evaluates the equations in order with the inputs by spec name and returns every value,
// by local.
func (eqs *equations) eval(t *testing.T, in map[string]float64) map[string]float64 {
	t.Helper()
	env := map[string]float64{}
	for k, v := range in {
		env[undot(k)] = v
	}
	for _, l := range eqs.locals {
		v, err := evalSpecExpr(eqs.parsed[l], env)
		if err != nil {
			t.Fatalf("show's equation %s = %s: %v", l, eqs.expr[l], err)
		}
		env[l] = v
	}
	return env
}

// evalSpecExpr evaluates an expression of the spec language.
func evalSpecExpr(e parser.Expr, env map[string]float64) (float64, error) {
	switch e := e.(type) {
	case *parser.Num:
		return strconv.ParseFloat(e.Text, 64)
	case *parser.Ident:
		v, ok := env[e.Name]
		if !ok {
			return 0, fmt.Errorf("%s is not defined before", e.Name)
		}
		return v, nil
	case *parser.Paren:
		return evalSpecExpr(e.X, env)
	case *parser.Unary:
		x, err := evalSpecExpr(e.X, env)
		switch e.Op {
		case parser.OpNeg:
			return -x, err
		case parser.OpPlus:
			return x, err
		}
	case *parser.Binary:
		x, err := evalSpecExpr(e.X, env)
		if err != nil {
			return 0, err
		}
		y, err := evalSpecExpr(e.Y, env)
		switch e.Op {
		case parser.OpAdd:
			return x + y, err
		case parser.OpSub:
			return x - y, err
		case parser.OpMul:
			return x * y, err
		case parser.OpDiv:
			return x / y, err
		case parser.OpPow:
			return math.Pow(x, y), err
		}
	case *parser.Call:
		var args []float64
		for _, a := range e.Args {
			v, err := evalSpecExpr(a, env)
			if err != nil {
				return 0, err
			}
			args = append(args, v)
		}
		switch {
		case e.Fun.Name == "exp" && len(args) == 1:
			return math.Exp(args[0]), nil
		case e.Fun.Name == "exprel" && len(args) == 1:
			return symbolic.Exprel(args[0]), nil
		case e.Fun.Name == "exprel_of" && len(args) == 2:
			return symbolic.ExprelOf(args[0], args[1]), nil
		}
	}
	return 0, fmt.Errorf("cannot evaluate %s", parser.Format(e))
}

// stepRange is the generated StepRange: the expression assigned to each local (:=), and the
// default parameters by Params field.
type stepRange struct {
	defs   map[string]ast.Expr
	params map[string]float64
}

// parseStepRange parses the generated source and finds StepRange's assignments and
// DefaultParams' values.
func parseStepRange(t *testing.T, src string) *stepRange {
	t.Helper()
	f, err := goparser.ParseFile(token.NewFileSet(), "hh52.go", src, 0)
	if err != nil {
		t.Fatalf("the generated source does not parse: %v", err)
	}
	s := &stepRange{defs: map[string]ast.Expr{}, params: map[string]float64{}}
	for _, d := range f.Decls {
		fn, ok := d.(*ast.FuncDecl)
		if !ok {
			continue
		}
		switch fn.Name.Name {
		case "StepRange":
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if a, ok := n.(*ast.AssignStmt); ok && a.Tok == token.DEFINE && len(a.Lhs) == 1 && len(a.Rhs) == 1 {
					if id, ok := a.Lhs[0].(*ast.Ident); ok {
						if s.defs[id.Name] != nil {
							t.Fatalf("StepRange defines %s twice", id.Name)
						}
						s.defs[id.Name] = a.Rhs[0]
					}
				}
				return true
			})
		case "DefaultParams":
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				if kv, ok := n.(*ast.KeyValueExpr); ok {
					v, err := evalGoExpr(kv.Value, func(string) (float64, error) { return 0, fmt.Errorf("a name") })
					if err != nil {
						t.Fatalf("DefaultParams: %v", err)
					}
					s.params[kv.Key.(*ast.Ident).Name] = v
				}
				return true
			})
		}
	}
	if len(s.defs) == 0 || len(s.params) == 0 {
		t.Fatalf("no StepRange or DefaultParams in the generated source")
	}
	return s
}

// eval evaluates StepRange's locals roots, with the state variables and the input given by Go
// local and the parameters at their defaults, and returns every local it evaluated on the way.
func (s *stepRange) eval(t *testing.T, in map[string]float64, roots []string) map[string]float64 {
	t.Helper()
	env := map[string]float64{}
	var get func(name string) (float64, error)
	get = func(name string) (float64, error) {
		if v, ok := env[name]; ok {
			return v, nil
		}
		def := s.defs[name]
		switch d := def.(type) {
		case nil:
			return 0, fmt.Errorf("%s is not defined", name)
		case *ast.SelectorExpr: // X := g.Params.Field
			if x, ok := d.X.(*ast.SelectorExpr); ok && x.Sel.Name == "Params" {
				v, ok := s.params[d.Sel.Name]
				if !ok {
					return 0, fmt.Errorf("no parameter %s", d.Sel.Name)
				}
				env[name] = v
				return v, nil
			}
		case *ast.IndexExpr: // X := X_s[i]: a state variable or the input
			v, ok := in[name]
			if !ok {
				return 0, fmt.Errorf("%s is read from %s, but no value is given", name, d.X.(*ast.Ident).Name)
			}
			env[name] = v
			return v, nil
		}
		v, err := evalGoExpr(def, get)
		if err != nil {
			return 0, fmt.Errorf("%s: %v", name, err)
		}
		env[name] = v
		return v, nil
	}
	for _, name := range roots {
		if _, err := get(name); err != nil {
			t.Fatalf("StepRange: %v", err)
		}
	}
	return env
}

// evalGoExpr evaluates a float64 expression of the generated code.
func evalGoExpr(e ast.Expr, get func(string) (float64, error)) (float64, error) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.FLOAT || e.Kind == token.INT {
			return strconv.ParseFloat(e.Value, 64)
		}
	case *ast.Ident:
		return get(e.Name)
	case *ast.ParenExpr:
		return evalGoExpr(e.X, get)
	case *ast.UnaryExpr:
		if e.Op == token.SUB {
			x, err := evalGoExpr(e.X, get)
			return -x, err
		}
	case *ast.BinaryExpr:
		x, err := evalGoExpr(e.X, get)
		if err != nil {
			return 0, err
		}
		y, err := evalGoExpr(e.Y, get)
		switch e.Op {
		case token.ADD:
			return x + y, err
		case token.SUB:
			return x - y, err
		case token.MUL:
			return x * y, err
		case token.QUO:
			return x / y, err
		}
	case *ast.CallExpr:
		sel, ok := e.Fun.(*ast.SelectorExpr)
		if !ok {
			break
		}
		var args []float64
		for _, a := range e.Args {
			v, err := evalGoExpr(a, get)
			if err != nil {
				return 0, err
			}
			args = append(args, v)
		}
		switch fn := sel.X.(*ast.Ident).Name + "." + sel.Sel.Name; {
		case fn == "runtime.Exp" && len(args) == 1:
			return runtime.Exp(args[0]), nil
		case fn == "runtime.Exprel" && len(args) == 1:
			return runtime.Exprel(args[0]), nil
		case fn == "runtime.ExprelOf" && len(args) == 2:
			return runtime.ExprelOf(args[0], args[1]), nil
		}
	}
	return 0, fmt.Errorf("cannot evaluate %T", e)
}

// TestShowGo holds show -go to the packages checked in under generated/, which go generate
// wrote through gen (and TestGolden keeps fresh), and to one that gen writes here (four lanes
// and tables, which generated/ does not keep): for each, show -go with the same flags prints
// its files, in name order, each after a "// file NAME" line when there are several. With
// -line it prints the same code with //line directives that point at the spec.
func TestShowGo(t *testing.T) {
	t.Chdir(filepath.Join(gomodtest.Root(t), "generated"))
	const spec = "../specs/hh52.yaml" // as generate.go names it
	show := func(flags ...string) string {
		t.Helper()
		code, stdout, stderr := neurogen(t, nil, append([]string{"show", spec, "-go"}, flags...)...)
		if code != exitOK || stderr != "" {
			t.Fatalf("neurogen show -go %s: exit %d, stderr %q", strings.Join(flags, " "), code, stderr)
		}
		return stdout
	}
	// The package that gen writes with four lanes and tables, as it would into generated/.
	x4 := filepath.Join(t.TempDir(), "hh52staggeredtabx4")
	x4Flags := []string{"-pkg", "hh52staggeredtabx4", "-method", "staggered", "-tables", "-simd"}
	if code, _, stderr := neurogen(t, nil, append([]string{"gen", spec, "-o", x4}, x4Flags...)...); code != exitOK {
		t.Fatalf("neurogen gen %s: exit %d, stderr %q", strings.Join(x4Flags, " "), code, stderr)
	}
	var plain string
	for _, c := range []struct {
		dir   string
		flags []string
	}{
		{"hh52", nil},
		{"hh52rk4", []string{"-method", "rk4", "-pkg", "hh52rk4"}},
		{"hh52f32", []string{"-pkg", "hh52f32", "-float32"}},
		{x4, x4Flags},
	} {
		entries, err := os.ReadDir(c.dir)
		if err != nil {
			t.Fatal(err)
		}
		var files []string // sorted by name
		for _, e := range entries {
			if !strings.HasSuffix(e.Name(), "_test.go") { // the examples beside them
				files = append(files, e.Name())
			}
		}
		var want strings.Builder
		for _, name := range files {
			src, err := os.ReadFile(filepath.Join(c.dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if len(files) > 1 {
				fmt.Fprintf(&want, "// file %s\n", name)
			}
			want.Write(src)
		}
		got := show(c.flags...)
		if diff := cmp.Diff(want.String(), got); diff != "" {
			t.Errorf("neurogen show -go %s differs from generated/%s (-want +got):\n%s", strings.Join(c.flags, " "), c.dir, diff)
		}
		if c.dir == "hh52" {
			plain = got
		}
	}
	// -line adds //line directives, each naming the spec and a line of it, and nothing else.
	src, err := os.ReadFile(spec)
	if err != nil {
		t.Fatal(err)
	}
	specLines := strings.Count(string(src), "\n") + 1
	var rest []string
	directives := 0
	for _, line := range strings.Split(show("-line"), "\n") {
		d, ok := strings.CutPrefix(strings.TrimLeft(line, "\t"), "//line ")
		if !ok {
			rest = append(rest, line)
			continue
		}
		directives++
		if d, ok = strings.CutPrefix(d, spec+":"); !ok {
			continue // back to the Go file after a statement from the spec
		}
		n, err := strconv.Atoi(strings.Split(d, ":")[0])
		if err != nil || n < 1 || n > specLines {
			t.Errorf("%s: line %q is not a line of %s", line, d, spec)
		}
	}
	if directives < 10 {
		t.Errorf("show -go -line printed %d //line directives, want one per statement from the spec", directives)
	}
	if diff := cmp.Diff(plain, strings.Join(rest, "\n")); diff != "" {
		t.Errorf("show -go -line without its //line directives differs from show -go (-plain +line):\n%s", diff)
	}
}

// TestShowMethods runs show on every stock spec with every method: each prints the model's
// statements and, for exp_auto and staggered, each state's linear coefficient; -tables says
// which gates the tables advance.
func TestShowMethods(t *testing.T) {
	specs, err := filepath.Glob(filepath.Join(filepath.Dir(hh52(t)), "*.yaml"))
	if err != nil || len(specs) < 2 {
		t.Fatalf("stock specs: %v, %v", specs, err)
	}
	for _, path := range specs {
		for _, method := range ir.Methods {
			m, err := loadModel(nil, path, check.Options{Method: method.String()})
			if err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := neurogen(t, nil, "show", path, "-method", method.String())
			if code != exitOK || stderr != "" {
				t.Errorf("neurogen show %s -method %s: exit %d, stderr %q", path, method, code, stderr)
				continue
			}
			eqs := shownEquations(t, stdout)
			for _, st := range m.States {
				if !slices.Contains(eqs.locals, st.Deriv.Local) {
					t.Errorf("show %s -method %s: no equation for d%s/dt (%s)", path, method, st.Name, st.Deriv.Local)
				}
			}
			hasL := method == ir.ExpAuto || method == ir.Staggered
			if got := strings.Contains(stdout, "\nLinear coefficients"); got != hasL {
				t.Errorf("show %s -method %s: linear coefficients printed: %v, want %v", path, method, got, hasL)
			}
			if hasL {
				lin := shownLinear(t, stdout)
				for _, st := range m.States {
					if lin[st.Name].local != st.Linear.Local {
						t.Errorf("show %s -method %s: L of %s is %q, want %s", path, method, st.Name, lin[st.Name].local, st.Linear.Local)
					}
				}
			}
		}
	}
	code, stdout, stderr := neurogen(t, nil, "show", hh52(t), "-tables")
	if code != exitOK || !strings.Contains(stdout, "rate tables for Na.m, Na.h, K.n:") ||
		strings.Count(stdout, "# from the rate table for V in [-100, 60) mV") != 3 {
		t.Errorf("neurogen show -tables: exit %d, stderr %q, stdout\n%s\nwant the tables of Na.m, Na.h and K.n", code, stderr, stdout)
	}
}

// TestShowErrors: a bad spec gets the errors check prints, a bad command line a usage error.
func TestShowErrors(t *testing.T) {
	t.Chdir(t.TempDir())
	copySpec(t, "hh52.yaml")
	src, err := os.ReadFile("hh52.yaml")
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(src), "current: g_max * n**4 * (E - V)", "current: gK * n**4 * (E - V)", 1)
	bad = strings.Replace(bad, "E: 50 mV", "E: 50 mS", 1)
	writeFile(t, "bad.yaml", bad)
	_, _, checkErr := neurogen(t, nil, "check", "bad.yaml")
	if strings.Count(checkErr, "\n") < 2 || !strings.HasPrefix(checkErr, "bad.yaml:") {
		t.Fatalf("check bad.yaml prints %q, want two errors or more", checkErr)
	}
	for _, args := range [][]string{{"show", "bad.yaml"}, {"show", "-go", "bad.yaml"}} {
		code, stdout, stderr := neurogen(t, nil, args...)
		if code != exitError || stdout != "" || stderr != checkErr {
			t.Errorf("neurogen %s: exit %d, stdout %q, stderr\n%s\nwant exit 1 and the errors of check:\n%s", strings.Join(args, " "), code, stdout, stderr, checkErr)
		}
	}
	for _, tc := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"show"}, exitUsage, "neurogen show: missing SPEC\nrun 'neurogen show -h' for usage\n"},
		{[]string{"show", "hh52.yaml", "-simd"}, exitUsage, "neurogen show: -simd changes only the generated code: use it with -go\nrun 'neurogen show -h' for usage\n"},
		{[]string{"show", "hh52.yaml", "-float32"}, exitUsage, "neurogen show: -float32 changes only the generated code: use it with -go\nrun 'neurogen show -h' for usage\n"},
		{[]string{"show", "hh52.yaml", "-line"}, exitUsage, "neurogen show: -line changes only the generated code: use it with -go\nrun 'neurogen show -h' for usage\n"},
		{[]string{"show", "hh52.yaml", "-method", "exp_atuo"}, exitUsage, "neurogen show: -method exp_atuo: unknown method (did you mean exp_auto?)\nrun 'neurogen show -h' for usage\n"},
		{[]string{"show", "hh52.yaml", "-o", "x"}, exitUsage, "neurogen show: flag provided but not defined: -o\nrun 'neurogen show -h' for usage\n"},
		{[]string{"show", "-"}, exitUsage, "neurogen show: show reads its spec from a file, not the standard input\nrun 'neurogen show -h' for usage\n"},
		{[]string{"show", "missing.yaml"}, exitError, "neurogen show: open missing.yaml: no such file or directory\n"},
		{[]string{"show", "hh52.yaml", "-method", "rk4", "-tables"}, exitError, "neurogen show: HH52: rate tables hold the coefficients of the exponential step: they need method exp_auto or staggered, not rk4\n"},
	} {
		code, stdout, stderr := neurogen(t, nil, tc.args...)
		if code != tc.code || stdout != "" || stderr != tc.stderr {
			t.Errorf("neurogen %s: exit %d, stdout %q, stderr %q\nwant exit %d, stderr %q", strings.Join(tc.args, " "), code, stdout, stderr, tc.code, tc.stderr)
		}
	}
}

// TestShowCoupling: show lists, under the linear coefficients, the coupling coefficient of a
// receptor state that another drives (AlphaCond's g, driven by x), which Step integrates
// exactly together with it.
func TestShowCoupling(t *testing.T) {
	path := filepath.Join(t.TempDir(), "alpha.yaml")
	src := "neurogen: 1\nmodel: Alpha\nmembrane: {C: 1 uF/cm2, A: 20000 um2, V_init: -60 mV, V_th: 0 mV}\n" +
		"channels:\n  L: {g_max: 0.05 mS/cm2, E: -60 mV, current: g_max*(E - V)}\nreceptors:\n  Al: {use: AlphaCond, tau: 2 ms}\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := neurogen(t, nil, "show", path)
	if code != exitOK || stderr != "" {
		t.Fatalf("neurogen show: exit %d, stderr %q", code, stderr)
	}
	_, lin, _ := strings.Cut(stdout, "\nLinear coefficients of exp_auto")
	lin, _, _ = strings.Cut(lin, "\n\n")
	var row string
	for line := range strings.SplitSeq(lin, "\n") {
		if f := strings.Fields(line); len(f) > 0 && f[0] == "K_Al_g" {
			row = line
		}
	}
	// K = ∂((e·x − g)/τ)/∂x = e/τ, with 1/τ a shared subexpression.
	if !strings.Contains(row, "= 2.718281828459045 * s") || !strings.HasSuffix(row, "# ∂(dAl.g/dt)/∂Al.x: integrated exactly with Al.x") {
		t.Errorf("show's linear coefficients have no coupling row K_Al_g = e/τ for Al.g (got %q):\n%s", row, lin)
	}
}
