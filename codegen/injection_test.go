package codegen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/build"
	"go/build/constraint"
	"go/parser"
	"go/token"
	"io"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/runtime"
	"github.com/neurogen/neurogen/spec"
)

// TestSpecTextCannotInject holds spec text to what it may become in generated code: validated
// identifiers, escaped string literals and sanitised comments. Each case edits specs/hh52.yaml
// — a doc holding Go code, comment terminators, directives, line breaks of every kind, quotes,
// bidirectional overrides or NUL; a name that is a Go keyword, a predeclared identifier, a
// name the generated code uses itself, a name that collides with another after conversion to
// Go, a name that is not ASCII or holds a dot, a model name that changes how Go treats the
// file; a spec file name with line breaks and quotes — and the spec is either rejected by
// spec.Load or check.Check with the expected error at the expected position, or its generated
// package
//
//   - parses, is marked generated (ast.IsGenerated), has only line comments with a space or tab
//     after the // (so no directive such as //go:generate or //line, and no /* */ that text
//     could close), declares
//     exactly the top-level names and methods of every generated package (no init) and imports
//     only what generated code imports;
//   - compiles and passes go vet, together with all other cases, in one module;
//   - runs exactly like the spec without the edit: the same spikes for I = 10 uA/cm2 over 50 ms
//     as the checked-in generated/hh52, with the docs and the spec name carried verbatim into
//     Model(), parameters that are decoys set to absurd values without effect, and no injected
//     code running (the payloads panic or print "pwned").
func TestSpecTextCannotInject(t *testing.T) {
	gomodtest.NeedGo(t)
	baseSrc, err := os.ReadFile(filepath.Join(gomodtest.Root(t), "specs", "hh52.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	base := string(baseSrc)
	cases := injectionCases(t, base)

	type variant struct {
		c      *injectCase
		dir    string // directory in the module, and the import's alias
		pkg    string
		loaded *spec.Spec
	}
	mod := gomodtest.TempModule(t, "example.com/inject")
	var variants []*variant
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := []byte(c.src)
			s, err := spec.Load(specFile, src)
			if err == nil {
				var m *ir.Model
				m, err = check.Check(s, check.Options{})
				if err == nil {
					if c.wantErr != "" {
						t.Fatalf("spec accepted, want the error %q", c.wantErr)
					}
					files, err := Generate(m, Options{SpecName: c.specName})
					if err != nil {
						c.fail(t, "Generate: %v", err)
						return
					}
					if len(files) != 1 {
						t.Fatalf("Generate returned %d files, want 1", len(files))
					}
					for name, src := range files {
						if !c.inspect(t, name, src, m.Package) {
							return
						}
						if c.knownIssue != "" {
							t.Errorf("the known issue (%s) no longer occurs: remove the mark", c.knownIssue)
						}
						v := &variant{c: c, dir: fmt.Sprintf("v%02d", i), pkg: m.Package, loaded: s}
						gomodtest.WriteFile(t, filepath.Join(mod, v.dir, name), src)
						variants = append(variants, v)
					}
					return
				}
			}
			switch {
			case c.wantErr == "":
				c.fail(t, "spec rejected: %v", err)
			case !slices.ContainsFunc(strings.Split(err.Error(), "\n"), regexp.MustCompile("^(?:"+c.wantErr+")$").MatchString):
				t.Errorf("spec rejected with\n%v\nwant an error that matches %q", err, c.wantErr)
			}
		})
	}
	if len(variants) == 0 {
		t.Fatal("no case generated a package")
	}

	// One program runs the checked-in generated/hh52 and every variant.
	var prog strings.Builder
	prog.WriteString("package main\n\nimport (\n\t\"encoding/json\"\n\t\"os\"\n\n\t\"github.com/neurogen/neurogen/runtime\"\n\tbase \"github.com/neurogen/neurogen/generated/hh52\"\n")
	for _, v := range variants {
		fmt.Fprintf(&prog, "\t%s %q\n", v.dir, "example.com/inject/"+v.dir)
	}
	prog.WriteString(injectMain)
	prog.WriteString("\tenc.Encode(simulate(\"base\", base.New(1), nil))\n")
	for _, v := range variants {
		fmt.Fprintf(&prog, "\tenc.Encode(simulate(%q, %s.New(1), %#v))\n", v.dir, v.dir, v.c.decoys)
	}
	prog.WriteString("}\n")
	gomodtest.WriteFile(t, filepath.Join(mod, "main.go"), []byte(prog.String()))
	gomodtest.Run(t, mod, nil, "vet", "./...")
	cmd := gomodtest.Command(mod, nil, "run", ".")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, err := cmd.Output()
	if err != nil || stderr.Len() > 0 {
		// A payload that ran would have panicked or printed "pwned" on standard error.
		t.Fatalf("go run: %v\n%s", err, stderr.String())
	}
	out := string(stdout)

	results := map[string]*injectResult{}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var r injectResult
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("the program printed %q: %v", sc.Text(), err)
		}
		results[r.Case] = &r
	}
	want := results["base"]
	if want == nil || len(want.Spikes) < 3 {
		t.Fatalf("generated/hh52 gave %v; want a few spikes in 50 ms at 10 uA/cm2", want)
	}
	for _, v := range variants {
		t.Run(v.c.name, func(t *testing.T) {
			got := results[v.dir]
			if got == nil {
				t.Fatal("no result")
			}
			if got.Err != "" {
				t.Errorf("SetParam of a decoy: %s", got.Err)
			}
			// The same equations, possibly summed in another order (names order the terms of
			// sums): the same spikes, to far better than the step.
			if len(got.Spikes) != len(want.Spikes) {
				t.Errorf("%d spikes at %v ms, plain HH52 %d at %v ms", len(got.Spikes), got.Spikes, len(want.Spikes), want.Spikes)
			} else {
				for k := range got.Spikes {
					if math.Abs(got.Spikes[k]-want.Spikes[k]) > 1e-9 {
						t.Errorf("spike %d at %v ms, plain HH52 at %v ms", k, got.Spikes[k], want.Spikes[k])
					}
				}
			}
			v.c.checkModel(t, v.loaded, got.Model)
		})
	}
}

// specFile is the name spec.Load reports positions in.
const specFile = "inject.yaml"

// injectMain is the program after its imports; the calls of simulate follow.
const injectMain = `)

type result struct {
	Case   string
	Spikes []float64
	Model  *runtime.Model
	Err    string
}

// simulate sets every decoy parameter to an absurd value, then runs one neuron with
// I = 10 uA/cm2 for 50 ms (dt 0.025 ms) and returns its spike times and model.
func simulate(name string, g runtime.Group, decoys []string) result {
	r := result{Case: name, Model: g.Model()}
	for _, d := range decoys {
		if err := g.SetParam(d, 1e6); err != nil {
			r.Err += err.Error() + "; "
		}
	}
	g.Input()[0] = 10
	var sp runtime.Spikes
	runtime.Run(g, &runtime.Clock{Dt: 0.025}, 2000, &sp)
	r.Spikes = append([]float64{}, sp.Time...)
	return r
}

func main() {
	enc := json.NewEncoder(os.Stdout)
`

type injectResult struct {
	Case   string
	Spikes []float64
	Model  *runtime.Model
	Err    string
}

// injectCase is a spec made from hh52.yaml by an edit, and what must become of it.
type injectCase struct {
	name     string
	src      string
	specName string // Options.SpecName
	// wantErr, if set, is a regular expression that one line of the error of spec.Load or
	// check.Check (file:line:col: message) must match in full.
	wantErr string
	// knownIssue marks a case that fails today for a reason outside codegen: the test skips
	// it, saying why, and fails once it passes, so that the mark goes.
	knownIssue string
	decoys     []string // parameters that no equation uses: set to 1e6, they must change nothing
	payload    string   // the text the docs hold, if the case is about docs
}

// fail reports a failure, or skips a case marked as a known issue.
func (c *injectCase) fail(t *testing.T, format string, args ...any) {
	t.Helper()
	msg := fmt.Sprintf(format, args...)
	if c.knownIssue != "" {
		t.Skipf("known issue: %s\n%s", c.knownIssue, msg)
	}
	t.Error(msg)
}

// topLevel are the declarations of every generated package: functions, methods of *Group
// and the other names (types, variables, constants).
var topLevel = struct{ funcs, methods, names []string }{
	funcs: []string{"DefaultParams", "New"},
	methods: []string{"Currents", "Equilibrate", "Input", "Len", "Model", "Now", "Param", "Rates", "Reset", "Seed", "SetNow", "SetParam", "SetSeed", "SetVoltageClamp", "SpikeTimes", "Spiked",
		"Step", "StepRange", "Var", "VoltageClamp"},
	names: []string{"Group", "Params", "_", "_", "model"},
}

// directivePrefixes start comment text that some Go tool reads as a directive even after a
// space: a build constraint, a //tool:name directive, the //line, //export (cgo) and //extern
// (gccgo) directives, nolint and lint:ignore (linters), a cgo flag line and a package clause.
var directivePrefixes = []string{"+build", "go:", "line ", "export ", "extern ", "nolint", "lint:", "#cgo", "package "}

var allowedImports = []string{"fmt", "math", "math/rand/v2", "github.com/neurogen/neurogen/runtime"}

// inspect checks the generated file statically: its name, package clause, comments,
// declarations and imports. It reports whether the file may join the build.
func (c *injectCase) inspect(t *testing.T, name string, src []byte, pkg string) bool {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
	if err != nil {
		t.Errorf("the generated file does not parse: %v", err)
		return false
	}
	ok := true
	if f.Name.Name != pkg {
		t.Errorf("package %s, the model's package is %s", f.Name.Name, pkg)
		ok = false
	}
	if name != pkg+".go" && name != "model.go" {
		t.Errorf("file %s for package %s", name, pkg)
		ok = false
	}
	if !ast.IsGenerated(f) {
		t.Errorf("ast.IsGenerated is false; the file starts %q", strings.SplitN(string(src), "\n", 2)[0])
	}
	if first, _, _ := strings.Cut(string(src), "\n"); !strings.HasPrefix(first, "// Code generated by neurogen from ") {
		t.Errorf("the file starts %q, not with the header", first)
		ok = false
	}
	// The go command builds the file: no build constraint excludes it.
	ctxt := build.Default
	ctxt.OpenFile = func(string) (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(src)), nil }
	if match, err := ctxt.MatchFile(".", name); err != nil || !match {
		t.Errorf("go/build: the file matches %v (%v), want true", match, err)
		ok = false
	}
	for _, cg := range f.Comments {
		for _, cm := range cg.List {
			// gofmt writes an indented line of a doc comment as "//\t…".
			if cm.Text != "//" && !strings.HasPrefix(cm.Text, "// ") && !strings.HasPrefix(cm.Text, "//\t") {
				t.Errorf("%s: comment %q is not a line comment with a space after //: text can become a directive or close it", fset.Position(cm.Pos()), cm.Text)
				ok = false
			}
			// Nor is it read as a directive after the space: not a build constraint, not a
			// //word: directive for go/ast, and none of the forms that gofmt, cgo, the go
			// command or linters read.
			if constraint.IsGoBuild(cm.Text) || constraint.IsPlusBuild(cm.Text) {
				t.Errorf("%s: comment %q is a build constraint", fset.Position(cm.Pos()), cm.Text)
				ok = false
			}
			if d, isDir := ast.ParseDirective(cm.Pos(), cm.Text); isDir {
				t.Errorf("%s: comment %q is the directive %s:%s", fset.Position(cm.Pos()), cm.Text, d.Tool, d.Name)
				ok = false
			}
			text := strings.TrimSpace(strings.TrimPrefix(cm.Text, "//"))
			if cg != f.Comments[0] && strings.HasPrefix(text, "Code generated ") ||
				slices.ContainsFunc(directivePrefixes, func(p string) bool { return strings.HasPrefix(text, p) }) {
				t.Errorf("%s: comment %q reads as a directive after its space", fset.Position(cm.Pos()), cm.Text)
				ok = false
			}
		}
	}
	var funcs, methods, names, imports []string
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Recv == nil {
				funcs = append(funcs, d.Name.Name)
				continue
			}
			recv := ""
			if st, ok := d.Recv.List[0].Type.(*ast.StarExpr); ok {
				if id, ok := st.X.(*ast.Ident); ok {
					recv = id.Name
				}
			}
			if recv != "Group" {
				t.Errorf("method %s on %s, want only methods of *Group", d.Name.Name, recv)
				ok = false
			}
			methods = append(methods, d.Name.Name)
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.ImportSpec:
					p, _ := strconv.Unquote(sp.Path.Value)
					imports = append(imports, p)
				case *ast.TypeSpec:
					names = append(names, sp.Name.Name)
				case *ast.ValueSpec:
					for _, n := range sp.Names {
						names = append(names, n.Name)
					}
				}
			}
		}
	}
	// rates, the rate functions written once, is there when they depend on V and the
	// parameters alone (rateFunc), as they do in most of the cases.
	methods = slices.DeleteFunc(methods, func(n string) bool { return n == "rates" })
	for _, l := range [][]string{funcs, methods, names} {
		slices.Sort(l)
	}
	if !slices.Equal(funcs, topLevel.funcs) || !slices.Equal(methods, topLevel.methods) || !slices.Equal(names, topLevel.names) {
		t.Errorf("top-level declarations: functions %v, methods %v, others %v; want %v, %v, %v",
			funcs, methods, names, topLevel.funcs, topLevel.methods, topLevel.names)
		ok = false
	}
	for _, p := range imports {
		if !slices.Contains(allowedImports, p) {
			t.Errorf("imports %q", p)
			ok = false
		}
	}
	return ok
}

// oneLine is how Model() carries the docs of gates and parameters: on one line.
func oneLineDoc(s string) string { return strings.Join(strings.Fields(s), " ") }

// checkModel compares what the program's Model() says with the spec.
func (c *injectCase) checkModel(t *testing.T, s *spec.Spec, m *runtime.Model) {
	t.Helper()
	if m == nil {
		t.Fatal("no model")
	}
	wantSpec := c.specName
	if wantSpec == "" {
		wantSpec = specFile
	}
	if m.Spec != wantSpec {
		t.Errorf("Model().Spec = %q, want %q", m.Spec, wantSpec)
	}
	if m.Name != s.Model.Value || m.Doc != s.Doc {
		t.Errorf("Model() names %q with doc %q; the spec %q with doc %q", m.Name, m.Doc, s.Model.Value, s.Doc)
	}
	docs := map[string]string{}
	for _, v := range m.Vars {
		docs[v.Name] = v.Doc
	}
	for _, p := range m.Params {
		docs[p.Name] = p.Doc
	}
	for _, ch := range s.Channels {
		for _, p := range ch.Params {
			if n := ch.Name.Value + "." + p.Name.Value; docs[n] != oneLineDoc(p.Doc) {
				t.Errorf("Model() has doc %q for %s, the spec %q", docs[n], n, p.Doc)
			}
		}
		for _, g := range ch.Gates {
			if n := ch.Name.Value + "." + g.Name.Value; docs[n] != oneLineDoc(g.Doc) {
				t.Errorf("Model() has doc %q for %s, the spec %q", docs[n], n, g.Doc)
			}
		}
	}
	if c.payload != "" && !strings.Contains(m.Doc, c.payload) {
		t.Errorf("Model().Doc = %q does not hold the payload %q", m.Doc, c.payload)
	}
}

// edit replaces the one occurrence of old in src by new; it fails the test if old does not
// occur exactly once (specs/hh52.yaml changed).
func edit(t *testing.T, src string, pairs ...string) string {
	t.Helper()
	for i := 0; i+1 < len(pairs); i += 2 {
		if n := strings.Count(src, pairs[i]); n != 1 {
			t.Fatalf("specs/hh52.yaml holds %q %d times, want once", pairs[i], n)
		}
		src = strings.Replace(src, pairs[i], pairs[i+1], 1)
	}
	return src
}

// yamlString writes s as a YAML double-quoted scalar (JSON's escapes are YAML's).
func yamlString(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(s); err != nil {
		panic(err)
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// at returns the position file:line:col of the first occurrence of needle in src, as a
// regular expression.
func at(t *testing.T, src, needle string) string {
	t.Helper()
	i := strings.Index(src, needle)
	if i < 0 {
		t.Fatalf("%q not in the spec", needle)
	}
	line := strings.Count(src[:i], "\n") + 1
	col := i - strings.LastIndex(src[:i], "\n")
	return regexp.QuoteMeta(fmt.Sprintf("%s:%d:%d", specFile, line, col))
}

// injectionCases builds the cases from the text of specs/hh52.yaml.
func injectionCases(t *testing.T, base string) []*injectCase {
	modelDoc := regexp.MustCompile(`(?m)^doc: \|\n(  .*\n)+`)
	if len(modelDoc.FindAllString(base, -1)) != 1 {
		t.Fatal("specs/hh52.yaml has no block `doc: |` for the model")
	}
	// docs puts text in the docs of the model, channel Na, gate Na.m and parameter Na.g_max.
	docs := func(text string) string {
		q := yamlString(text)
		src := modelDoc.ReplaceAllLiteralString(base, "doc: "+q+"\n")
		return edit(t, src,
			"    doc: fast sodium current\n", "    doc: "+q+"\n",
			"      m:\n", "      m:\n        doc: "+q+"\n",
			"    g_max: 120 mS/cm2\n", "    g_max: {value: 120 mS/cm2, doc: "+q+"}\n")
	}
	var cases []*injectCase
	add := func(c *injectCase) { cases = append(cases, c) }

	// Docs: the payloads would panic or print "pwned" if they ran.
	for _, p := range []struct{ name, text string }{
		{"block comment", `*/ func init() { panic("x") } /*`},
		{"newlines", "\n}\nfunc init() { panic(\"pwned\") }\n//"},
		{"directives", "//go:generate rm -rf /\n//line evil.go:1\nfunc init() { println(\"pwned\") }"},
		{"backticks", "`; func init() { panic(\"pwned\") }; var _ = `"},
		{"quotes", `"; func init() { panic("pwned") }; var _ = "`},
		{"carriage return", "x\rfunc init() { panic(\"pwned\") }\r//"},
		{"line separator", "x\u2028func init() { panic(\"pwned\") }\u2029//go:generate rm -rf /"},
		{"bidi", "x \u202e} ;)(denwp(cinap { )(tini cnuf\u202c \u2066//go:generate x\u2069 \u200f"},
		{"NUL and controls", "x\x00y\x01\x7f\u0085z\ufeff"},
		{"tab and form feed", "\t//go:generate x\f//line y.go:1"},
		// Text that Go's tools read as a directive even after "// ": gofmt turned the first
		// into //go:build ignore above the package clause, so that the package did not build.
		{"build ignore", "+build ignore"},
		{"build constraints", "+build linux,!linux\n\n+build ignore\ngo:build ignore\n//go:build ignore\n// +build ignore\n\n+build"},
		{"directive forms", "go:generate echo pwned\ngo:embed *\ngo:linkname x runtime.x\nline evil.go:1\nline evil.go:1:1\n" +
			"export F\nextern f\nnolint\nnolint:all\nlint:ignore SA1000 x\n#cgo LDFLAGS: -lpwned\n" +
			"Code generated by hand; DO NOT EDIT.\npackage main\n\npackage main; func init() { panic(\"pwned\") }"},
		{"indented directives", "    +build ignore\n\t+build ignore\n\u00a0+build ignore\n\u3000go:build ignore\n  line x.go:1\n\v+build ignore"},
	} {
		add(&injectCase{name: "doc/" + p.name, src: docs(p.text), payload: p.text})
	}

	// A build constraint in the spec text of an expression, which statement comments carry:
	// go vet reports "misplaced +build comment".
	add(&injectCase{name: "expression/build constraint", src: edit(t, base,
		"    E: 50 mV\n", "    E: 50 mV\n    build: 0/ms\n    line: 0/ms\n",
		"        alpha: 0.1/(mV*ms) * (V + 40*mV) / (1 - exp(-(V + 40*mV)/(10*mV)))\n",
		"        alpha: |\n          0.1/(mV*ms) * (V + 40*mV) / (1 - exp(-(V + 40*mV)/(10*mV)))\n          +build\n          +line\n")})

	// Spec file names, via Options.SpecName.
	add(&injectCase{name: "spec name with line breaks and quotes", src: base,
		specName: "dir with space/my \"spec\"\n//go:generate rm -rf /\r\n`x` */ \u2028//line evil.go:1\x00.yaml"})
	add(&injectCase{name: "spec name with a block comment", src: base, specName: "*/ package main /*.yaml"})
	add(&injectCase{name: "spec name with build constraints", src: base, specName: "+build ignore\n//go:build ignore\n+build.yaml"})

	// Go keywords as names.
	add(&injectCase{name: "keyword/channel func", src: edit(t, base, "  Na:\n", "  func:\n")})
	add(&injectCase{name: "keyword/gate type", src: edit(t, base, "      m:\n", "      type:\n", "g_max * m**3 * h", "g_max * type**3 * h")})
	add(&injectCase{name: "keyword/parameter range", src: edit(t, base, "    g_max: 120 mS/cm2\n", "    range: 120 mS/cm2\n",
		"current: g_max * m**3", "current: range * m**3")})
	add(&injectCase{name: "keyword/model package", src: edit(t, base, "model: HH52\n", "model: package\n")})
	add(&injectCase{name: "keyword/definitions", src: edit(t, base, "method: exp_auto\n",
		"method: exp_auto\ndefs:\n  select: V\n  go: select\n", "current: g_max * (E - V)", "current: g_max * (E - go)")})

	// Predeclared names and the names of generated code.
	add(&injectCase{name: "predeclared/channel len", src: edit(t, base, "  K:\n", "  len:\n")})
	add(&injectCase{name: "predeclared/parameter nil", src: edit(t, base, "    E: 50 mV\n", "    nil: 50 mV\n", "h * (E - V)", "h * (nil - V)")})
	add(&injectCase{name: "predeclared/parameter true (quoted)", src: edit(t, base, "method: exp_auto\n",
		"method: exp_auto\nparams:\n  \"true\": 1\n  \"false\": 2\n  iota: 3\n  string: 4\n"),
		decoys: []string{"true", "false", "iota", "string"}})
	src := edit(t, base, "      h:\n", "      true:\n")
	add(&injectCase{name: "predeclared/gate true (YAML boolean)", src: src,
		wantErr: at(t, src, "true:") + `: mapping keys must be names, got a boolean`})
	add(&injectCase{name: "locals/gate i", src: edit(t, base, "      h:\n", "      i:\n", "m**3 * h *", "m**3 * i *")})
	add(&injectCase{name: "locals/parameter g", src: edit(t, base, "    g_max: 0.3 mS/cm2\n", "    g: 0.3 mS/cm2\n",
		"current: g_max * (E - V)", "current: g * (E - V)")})
	add(&injectCase{name: "locals/definition math", src: edit(t, base, "    current: g_max * (E - V)",
		"    defs:\n      math: E - V\n    current: g_max * math")})
	add(&injectCase{name: "locals/parameter runtime", src: edit(t, base, "method: exp_auto\n",
		"method: exp_auto\nparams:\n  runtime: 0.3 mS/cm2\n", "current: g_max * (E - V)", "current: runtime * (E - V)"),
		decoys: []string{"L.g_max"}})
	add(&injectCase{name: "locals/parameters of generated functions", src: edit(t, base, "method: exp_auto\n",
		"method: exp_auto\nparams:\n"+
			"  dst: 1\n  lo: 1\n  hi: 1\n  dt: 1\n  rng: 1\n  fmt: 1\n  rand: 1\n  p: 1\n  ok: 1\n  name: 1\n  v: 1\n  model: 1\n  V_s: 1\n  s1: 1\n  L_V: 1\n  V_next: 1\n  dV: 1\n  I_Na: 1\n  New: 1\n  Params: 1\n  DefaultParams: 1\n  Group: 1\n  spiked: 1\n  spikeTime: 1\n  input: 1\n  seed: 1\n"),
		decoys: []string{"dst", "lo", "hi", "dt", "rng", "fmt", "rand", "p", "ok", "name", "v", "model", "V_s", "s1", "L_V",
			"V_next", "dV", "I_Na", "New", "Params", "DefaultParams", "Group", "spiked", "spikeTime", "input", "seed"}})
	add(&injectCase{name: "locals/per-neuron parameters named like members", src: edit(t, base, "method: exp_auto\n",
		"method: exp_auto\nparams:\n"+
			"  V_: {value: 1, per_neuron: true}\n  input: {value: 1, per_neuron: true}\n  Input: {value: 1, per_neuron: true}\n"+
			"  Step: {value: 1, per_neuron: true}\n  Params: {value: 1, per_neuron: true}\n  Na_m: {value: 1, per_neuron: true}\n  NaM: {value: 1, per_neuron: true}\n"),
		decoys: []string{"V_", "input", "Input", "Step", "Params", "Na_m", "NaM"}})
	src = edit(t, base, "    E: -54.387 mV\n", "    E: -54.387 mV\n    t: 1 ms\n")
	add(&injectCase{name: "predeclared/time t", src: src, wantErr: at(t, src, "t: 1 ms") + ": `t` is .*the time.* cannot be redefined"})
	src = edit(t, base, "    E: -54.387 mV\n", "    E: -54.387 mV\n    V: 1 mV\n")
	add(&injectCase{name: "predeclared/potential V", src: src, wantErr: at(t, src, "V: 1 mV") + ": `V` is .*the membrane potential.* cannot be redefined"})

	// Names that collide after conversion to Go names (NaGMax, NaM, Na_m).
	add(&injectCase{name: "collision/g_max and gMax", src: edit(t, base, "    E: 50 mV\n", "    E: 50 mV\n    gMax: 0 mS/cm2\n    GMax: 0 mS/cm2\n    g__max: 0 mS/cm2\n"),
		decoys: []string{"Na.gMax", "Na.GMax", "Na.g__max"}})
	add(&injectCase{name: "collision/channels NaM and Na_m", src: edit(t, base, "  K:\n",
		"  NaM:\n    g_max: 0 mS/cm2\n    E: 50 mV\n    current: g_max * h * (E - V)\n    gates:\n      h:\n        inf: 0.5\n        tau: 1*ms\n"+
			"  Na_m:\n    g_max: 0 mS/cm2\n    E: 50 mV\n    current: g_max * h * (E - V)\n    gates:\n      h:\n        inf: 0.5\n        tau: 1*ms\n"+
			"  K:\n")})
	add(&injectCase{name: "collision/group definition Na_m", src: edit(t, base, "method: exp_auto\n",
		"method: exp_auto\ndefs:\n  Na_m: V\n  I_Na: Na_m\n", "current: g_max * (E - V)", "current: g_max * (E - I_Na)")})

	// Names that are not ASCII identifiers.
	for _, n := range []struct{ name, from, to, at, quoted string }{
		{"channel naïve", "  Na:\n", "  naïve:\n", "naïve:", "`naïve`"},
		{"gate Δ", "      n:\n", "      Δ:\n", "Δ:", "`Δ`"},
		{"parameter with a dot", "    g_max: 36 mS/cm2\n", "    g.max: 36 mS/cm2\n", "g.max:", "`g.max`"},
		{"model with a dot", "model: HH52\n", "model: HH.52\n", "HH.52", "`HH.52`"},
		{"model with a newline", "model: HH52\n", "model: \"HH52\\nfunc init() {}\"\n", "\"HH52", `"HH52\nfunc init() {}"`},
	} {
		src := edit(t, base, n.from, n.to)
		add(&injectCase{name: "not ASCII/" + n.name, src: src,
			wantErr: at(t, src, n.at) + ": invalid name " + regexp.QuoteMeta(n.quoted) + ": names are ASCII letters, digits and `_`, not starting with a digit"})
	}

	// Model names that change how the go command treats a file named after the package.
	for _, n := range []string{"HH_windows", "HH_arm64", "HH_test", "_HH", "init", "fmt"} {
		add(&injectCase{name: "model/" + n, src: edit(t, base, "model: HH52\n", "model: "+n+"\n")})
	}
	// `_` is a valid spec name but not a package name: check names the package "model".
	add(&injectCase{name: "model/_", src: edit(t, base, "model: HH52\n", "model: _\n")})
	return cases
}
