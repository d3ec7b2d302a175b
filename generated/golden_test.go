package generated_test

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/spec"
)

var update = flag.Bool("update", false, "rewrite the generated packages (as go generate would)")

// genPrefix starts every go:generate directive of generate.go.
const genPrefix = "//go:generate go run ../cmd/neurogen gen "

// directive is one `//go:generate go run ../cmd/neurogen gen SPEC -o DIR [flags]`: what
// neurogen gen would check and generate.
type directive struct {
	spec, dir string
	check     check.Options
	gen       codegen.Options
}

// genFlagSet defines every flag that neurogen gen takes (cmd/neurogen's genFlags.define,
// which TestGenFlagsInSync holds this to), with its own meaning.
func genFlagSet(d *directive, tables *bool, tableError *float64) *flag.FlagSet {
	fs := flag.NewFlagSet("neurogen gen", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&d.dir, "o", "", "")
	fs.StringVar(&d.check.Package, "pkg", "", "")
	fs.StringVar(&d.check.Method, "method", "", "")
	fs.Bool("v", false, "") // what gen prints, not what it writes
	fs.BoolVar(tables, "tables", false, "")
	fs.Float64Var(tableError, "table-error", 0, "")
	fs.BoolVar(&d.gen.SIMD, "simd", false, "")
	fs.BoolVar(&d.gen.Float32, "float32", false, "")
	fs.BoolVar(&d.gen.LineDirectives, "line", false, "")
	return fs
}

// parseDirective reads the arguments of gen in a directive (the text after genPrefix) as gen
// does: one SPEC, flags before or after it, every flag gen takes and no other.
func parseDirective(args string) (directive, error) {
	var d directive
	var tables bool
	var tableError float64
	fs := genFlagSet(&d, &tables, &tableError)
	var pos []string
	rest := strings.Fields(args)
	for {
		if err := fs.Parse(rest); err != nil {
			return d, err
		}
		if fs.NArg() == 0 {
			break
		}
		pos = append(pos, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(pos) != 1 {
		return d, fmt.Errorf("want one SPEC, have %q", pos)
	}
	if d.dir == "" {
		return d, errors.New("missing -o DIR")
	}
	d.spec = pos[0]
	d.gen.SpecName = d.spec
	bound := false // -table-error given
	fs.Visit(func(f *flag.Flag) { bound = bound || f.Name == "table-error" })
	if tables || bound {
		t := codegen.DefaultTables
		if bound {
			if !(tableError > 0 && tableError < 0.1) {
				return d, fmt.Errorf("-table-error %g: want a positive bound below 0.1", tableError)
			}
			t.Error = tableError
		}
		d.gen.Tables = &t
	}
	return d, nil
}

// directives returns the directives of generate.go; every go:generate line must be one.
func directives(t *testing.T) []directive {
	t.Helper()
	f, err := os.Open("generate.go")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ds []directive
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if !strings.HasPrefix(sc.Text(), "//go:generate ") {
			continue
		}
		args, ok := strings.CutPrefix(sc.Text(), genPrefix)
		if !ok {
			t.Fatalf("generate.go:%d: a directive that does not start %q, which TestGolden cannot check", n, genPrefix)
		}
		d, err := parseDirective(args)
		if err != nil {
			t.Fatalf("generate.go:%d: %v", n, err)
		}
		ds = append(ds, d)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(ds) < 4 {
		t.Fatalf("generate.go has %d directives, want at least 4", len(ds))
	}
	return ds
}

// TestParseDirective: every flag of gen means in a directive what it means to gen, and a
// flag gen does not take is refused, not ignored.
func TestParseDirective(t *testing.T) {
	tables := codegen.DefaultTables
	fine := codegen.Tables{VMin: tables.VMin, VMax: tables.VMax, Error: 1e-8}
	for _, c := range []struct {
		args string
		want directive
	}{
		{"a.yaml -o a", directive{spec: "a.yaml", dir: "a", gen: codegen.Options{SpecName: "a.yaml"}}},
		{"-o a a.yaml -v", directive{spec: "a.yaml", dir: "a", gen: codegen.Options{SpecName: "a.yaml"}}},
		{"a.yaml -o a -pkg p -method rk4", directive{spec: "a.yaml", dir: "a",
			check: check.Options{Package: "p", Method: "rk4"}, gen: codegen.Options{SpecName: "a.yaml"}}},
		{"a.yaml -o a -tables", directive{spec: "a.yaml", dir: "a", gen: codegen.Options{SpecName: "a.yaml", Tables: &tables}}},
		{"a.yaml -o a -table-error 1e-8", directive{spec: "a.yaml", dir: "a", gen: codegen.Options{SpecName: "a.yaml", Tables: &fine}}},
		{"a.yaml -o a -tables -table-error=1e-8", directive{spec: "a.yaml", dir: "a", gen: codegen.Options{SpecName: "a.yaml", Tables: &fine}}},
		{"a.yaml -o a -simd -float32", directive{spec: "a.yaml", dir: "a", gen: codegen.Options{SpecName: "a.yaml", SIMD: true, Float32: true}}},
		{"a.yaml -o a -line", directive{spec: "a.yaml", dir: "a", gen: codegen.Options{SpecName: "a.yaml", LineDirectives: true}}},
	} {
		got, err := parseDirective(c.args)
		if err != nil {
			t.Errorf("%s: %v", c.args, err)
			continue
		}
		if d := cmp.Diff(c.want, got, cmp.AllowUnexported(directive{})); d != "" {
			t.Errorf("%s (-want +got):\n%s", c.args, d)
		}
	}
	for _, c := range []struct{ args, err string }{
		{"a.yaml -o a -lines", "flag provided but not defined: -lines"},
		{"a.yaml -o a -table-error", "flag needs an argument: -table-error"},
		{"a.yaml -o a -table-error 0", "-table-error 0: want a positive bound below 0.1"},
		{"a.yaml -o a -table-error x", `invalid value "x" for flag -table-error: parse error`},
		{"a.yaml", "missing -o DIR"},
		{"a.yaml b.yaml -o a", `want one SPEC, have ["a.yaml" "b.yaml"]`},
	} {
		_, err := parseDirective(c.args)
		if err == nil || err.Error() != c.err {
			t.Errorf("%s: error %v, want %q", c.args, err, c.err)
		}
	}
}

// TestGenFlagsInSync: the directives take exactly the flags that neurogen gen defines, read
// from the source of cmd/neurogen (a main package, which a test cannot import).
func TestGenFlagsInSync(t *testing.T) {
	dir := filepath.Join("..", "cmd", "neurogen")
	paths, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	// Every function and method of the command by name, to follow (*genFlags).define into the
	// helpers it calls; a flag is the string literal after the variable in a call of a
	// function whose name ends in Flag (fs.boolFlag(&f.simd, "simd", ...)).
	funcs := map[string][]*ast.FuncDecl{}
	var define *ast.FuncDecl
	fset := token.NewFileSet()
	for _, path := range paths {
		if strings.HasSuffix(path, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, decl := range f.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok {
				funcs[fn.Name.Name] = append(funcs[fn.Name.Name], fn)
				if fn.Name.Name == "define" && fn.Recv != nil && types.ExprString(fn.Recv.List[0].Type) == "*genFlags" {
					define = fn
				}
			}
		}
	}
	var gen []string
	seen := map[*ast.FuncDecl]bool{}
	var visit func(fn *ast.FuncDecl)
	visit = func(fn *ast.FuncDecl) {
		if fn == nil || fn.Body == nil || seen[fn] {
			return
		}
		seen[fn] = true
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			var name string
			switch f := call.Fun.(type) {
			case *ast.Ident:
				name = f.Name
			case *ast.SelectorExpr:
				name = f.Sel.Name
			}
			if strings.HasSuffix(name, "Flag") && len(call.Args) >= 2 {
				if lit, ok := call.Args[1].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					flag, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatal(err)
					}
					gen = append(gen, flag)
				}
			}
			if fns := funcs[name]; len(fns) == 1 {
				visit(fns[0])
			}
			return true
		})
	}
	visit(define)
	if len(gen) == 0 {
		t.Fatalf("no (*genFlags).define defining flags in %s: update this test to where gen's flags are", dir)
	}
	var mine []string
	var tables bool
	var tableError float64
	genFlagSet(&directive{}, &tables, &tableError).VisitAll(func(f *flag.Flag) { mine = append(mine, f.Name) })
	slices.Sort(gen)
	if d := cmp.Diff(gen, mine); d != "" {
		t.Errorf("the directives' flags differ from gen's (-gen +directives):\n%s", d)
	}
}

// TestGolden is the freshness check of the stock packages (as CI's `go generate ./...` is, but
// within go test): it regenerates every package of this directory in-process and compares it
// byte for byte with the checked-in file, three times over, so that any dependence on map order
// or other nondeterminism shows. With -update it writes the files instead. It is not where a
// change to codegen is reviewed: codegen/testdata/features is (see codegen's package doc).
func TestGolden(t *testing.T) {
	methods := map[ir.Method]bool{}
	for _, d := range directives(t) {
		src, err := os.ReadFile(d.spec)
		if err != nil {
			t.Fatal(err)
		}
		var first map[string][]byte
		for rep := 0; rep < 3; rep++ {
			if spec.IsNetwork(src) {
				// A network: its package and its models' packages below it (neurogen gen NET.yaml).
				net, err := check.LoadNetwork(d.spec, src, check.NetworkOptions{Options: d.check})
				if err != nil {
					t.Fatal(err)
				}
				for _, g := range net.Groups {
					methods[g.Model.Method] = true
				}
				files, err := codegen.GenerateNetwork(net, codegen.NetworkOptions{
					SpecName: d.spec, Package: d.check.Package, ImportPath: "github.com/neurogen/neurogen/generated/" + d.dir,
					Group: codegen.Options{LineDirectives: d.gen.LineDirectives},
				})
				if err != nil {
					t.Fatal(err)
				}
				if rep == 0 {
					first = files
					continue
				}
				for name, b := range files {
					if string(b) != string(first[name]) {
						t.Fatalf("%s: generation %d differs from the first: %s", d.spec, rep, cmp.Diff(string(first[name]), string(b)))
					}
				}
				continue
			}
			s, err := spec.Load(d.spec, src)
			if err != nil {
				t.Fatal(err)
			}
			m, err := check.Check(s, d.check)
			if err != nil {
				t.Fatal(err)
			}
			methods[m.Method] = true
			files, err := codegen.Generate(m, d.gen)
			if err != nil {
				t.Fatal(err)
			}
			if rep == 0 {
				first = files
				continue
			}
			for name, b := range files {
				if string(b) != string(first[name]) {
					t.Fatalf("%s: generation %d differs from the first: %s", d.spec, rep, cmp.Diff(string(first[name]), string(b)))
				}
			}
		}
		for name, got := range first {
			path := filepath.Join(d.dir, filepath.FromSlash(name))
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				continue
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go generate ./... or go test -update)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s is stale (-want +got):\n%s", path, diff)
			}
		}
	}
	for _, m := range ir.Methods {
		if !methods[m] {
			t.Errorf("no generated package uses method %s", m)
		}
	}
}
