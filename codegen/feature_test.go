package codegen_test

import (
	"bytes"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/spec"
	"github.com/neurogen/neurogen/symbolic"
)

var update = flag.Bool("update", false, "rewrite the expected sections of testdata/features/*.txtar (TestFeatureGolden)")

// archive is a txtar archive (golang.org/x/tools/txtar's format): a comment, then files, each
// starting at a line "-- NAME --".
type archive struct {
	comment []byte
	files   []archiveFile
}

type archiveFile struct {
	name string
	data []byte
}

// parseArchive reads a txtar archive.
func parseArchive(data []byte) *archive {
	a := new(archive)
	var cur *[]byte = &a.comment
	for len(data) > 0 {
		line := data
		rest := []byte(nil)
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, rest = data[:i+1], data[i+1:]
		}
		t := strings.TrimRight(string(line), "\r\n")
		if name, ok := strings.CutPrefix(t, "-- "); ok && strings.HasSuffix(name, " --") && len(name) > 3 {
			a.files = append(a.files, archiveFile{name: strings.TrimSpace(strings.TrimSuffix(name, " --"))})
			cur = &a.files[len(a.files)-1].data
		} else {
			*cur = append(*cur, line...)
		}
		data = rest
	}
	return a
}

// format writes the archive back; each file ends with a newline.
func (a *archive) format() []byte {
	var b bytes.Buffer
	b.Write(a.comment)
	for _, f := range a.files {
		fmt.Fprintf(&b, "-- %s --\n", f.name)
		b.Write(f.data)
		if len(f.data) > 0 && f.data[len(f.data)-1] != '\n' {
			b.WriteByte('\n')
		}
	}
	return b.Bytes()
}

// featureCase is one testdata/features/*.txtar: a spec, the flags of neurogen gen it is
// generated with, and the parts of the generated files it is held to.
type featureCase struct {
	path string
	ar   *archive
	spec []byte
	chk  check.Options
	gen  codegen.Options
}

// featureFlags reads the flags section: the flags of neurogen gen that change what codegen
// writes.
func featureFlags(c *featureCase, args string) error {
	fs := flag.NewFlagSet("flags", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.chk.Method, "method", "", "")
	tables := fs.Bool("tables", false, "")
	tableError := fs.Float64("table-error", 0, "")
	fs.BoolVar(&c.gen.SIMD, "simd", false, "")
	fs.BoolVar(&c.gen.Float32, "float32", false, "")
	fs.BoolVar(&c.gen.LineDirectives, "line", false, "")
	if err := fs.Parse(strings.Fields(args)); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if *tables || *tableError != 0 {
		t := codegen.DefaultTables
		if *tableError != 0 {
			t.Error = *tableError
		}
		c.gen.Tables = &t
	}
	return nil
}

// loadFeature reads one case.
func loadFeature(t *testing.T, path string) *featureCase {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := &featureCase{path: path, ar: parseArchive(data)}
	c.gen.SpecName = "spec.yaml"
	for _, f := range c.ar.files {
		switch f.name {
		case "spec.yaml":
			c.spec = f.data
		case "flags":
			if err := featureFlags(c, string(f.data)); err != nil {
				t.Fatalf("%s: flags: %v", path, err)
			}
		}
	}
	if c.spec == nil {
		t.Fatalf("%s: no spec.yaml section", path)
	}
	return c
}

// generate checks the case's spec and generates its package.
func (c *featureCase) generate(t *testing.T) (*spec.Spec, *ir.Model, map[string][]byte) {
	t.Helper()
	s, err := spec.Load("spec.yaml", c.spec)
	if err != nil {
		t.Fatalf("%s: %v", c.path, err)
	}
	m, err := check.Check(s, c.chk)
	if err != nil {
		t.Fatalf("%s: %v", c.path, err)
	}
	files, err := codegen.Generate(m, c.gen)
	if err != nil {
		t.Fatalf("%s: %v", c.path, err)
	}
	return s, m, files
}

// excerpt returns what a section named "FILE" or "FILE: DECL" holds: the whole generated file,
// or one top-level declaration of it (a function or method, or the type, var or const of that
// name) with its doc comment.
func excerpt(files map[string][]byte, name string) (string, error) {
	file, decl, one := strings.Cut(name, ":")
	src, ok := files[strings.TrimSpace(file)]
	if !ok {
		return "", fmt.Errorf("no generated file %q (the files are %v)", file, slices.Sorted(mapKeys(files)))
	}
	if !one {
		return string(src), nil
	}
	decl = strings.TrimSpace(decl)
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, src, parser.ParseComments)
	if err != nil {
		return "", err
	}
	var found []ast.Node
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Name.Name == decl {
				found = append(found, d)
			}
		case *ast.GenDecl:
			for _, s := range d.Specs {
				switch s := s.(type) {
				case *ast.TypeSpec:
					if s.Name.Name == decl {
						found = append(found, d)
					}
				case *ast.ValueSpec:
					if slices.ContainsFunc(s.Names, func(n *ast.Ident) bool { return n.Name == decl }) {
						found = append(found, d)
					}
				}
			}
		}
	}
	if len(found) != 1 {
		return "", fmt.Errorf("%d declarations of %s in %s, want 1", len(found), decl, file)
	}
	start := found[0].Pos()
	switch d := found[0].(type) {
	case *ast.FuncDecl:
		if d.Doc != nil {
			start = d.Doc.Pos()
		}
	case *ast.GenDecl:
		if d.Doc != nil {
			start = d.Doc.Pos()
		}
	}
	return string(src[fset.Position(start).Offset:fset.Position(found[0].End()).Offset]) + "\n", nil
}

func mapKeys(m map[string][]byte) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// TestFeatureGolden holds each feature of the code generator to a small golden: every
// testdata/features/*.txtar is one spec fragment (spec.yaml), optionally the flags of neurogen
// gen it is generated with (flags), and one section per part of the output it shows, named
// "FILE" (the whole file) or "FILE: DECL" (one top-level declaration of it, with its doc
// comment). Those sections are what a reviewer reads when codegen changes: one feature, the
// lines it generates. With -update it rewrites them (see the package doc).
//
// Together the cases cover every method, gate form, kind of ion dynamics and option of
// Generate: the test fails when one is missing.
func TestFeatureGolden(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "features", "*.txtar"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no testdata/features/*.txtar: %v", err)
	}
	seen := map[string]bool{}
	for _, path := range paths {
		c := loadFeature(t, path)
		s, m, files := c.generate(t)
		_, _, again := c.generate(t)
		for name, src := range files {
			if !bytes.Equal(src, again[name]) {
				t.Errorf("%s: %s differs between two generations: %s", path, name, cmp.Diff(string(src), string(again[name])))
			}
		}
		for k := range featuresOf(s, m, c.gen) {
			seen[k] = true
		}
		changed := false
		shown := 0
		for i, f := range c.ar.files {
			if f.name == "spec.yaml" || f.name == "flags" {
				continue
			}
			shown++
			got, err := excerpt(files, f.name)
			if err != nil {
				t.Errorf("%s: section %q: %v", path, f.name, err)
				continue
			}
			if got == string(f.data) {
				continue
			}
			if *update {
				c.ar.files[i].data = []byte(got)
				changed = true
				continue
			}
			t.Errorf("%s: section %q differs (-want +got):\n%s", path, f.name, cmp.Diff(string(f.data), got))
		}
		if shown == 0 {
			t.Errorf("%s: no section of the generated output to compare", path)
		}
		if changed {
			if err := os.WriteFile(path, c.ar.format(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	var want []string
	for _, method := range ir.Methods {
		want = append(want, "method "+fmt.Sprint(method))
	}
	// Every gate form and kind of ion dynamics there is, so that a new one needs a case.
	for f := ir.GateForm(0); !strings.HasPrefix(f.String(), "GateForm("); f++ {
		want = append(want, "gate "+f.String())
	}
	for d := ir.IonDynamics(0); !strings.HasPrefix(d.String(), "IonDynamics("); d++ {
		want = append(want, "ion "+d.String())
	}
	// Every kind of state, so that a new one needs a case.
	for k := ir.StateKind(0); !strings.HasPrefix(k.String(), "StateKind("); k++ {
		want = append(want, "state "+k.String())
	}
	if len(want) < len(ir.Methods)+3+4 {
		t.Fatalf("only %d methods, gate forms and ion dynamics: %q", len(want), want)
	}
	want = append(want,
		"gate instantaneous", "ion nernst",
		"tables exp_auto", "tables staggered", "simd exp_auto", "simd staggered", "simd tables",
		"float32", "float32 simd", "line directives",
		"per-neuron parameter", "parameter alias", "singularity rewrite", "shared exp", "time", "V_init uniform",
		"receptor current", "receptor density", "refractory", "refractory simd")
	for _, k := range want {
		if !seen[k] {
			t.Errorf("no case of testdata/features shows %q", k)
		}
	}
}

// featuresOf names the features of the code generator that a spec, its model and the options
// use, for TestFeatureGolden's check that every one has a case.
func featuresOf(s *spec.Spec, m *ir.Model, opts codegen.Options) map[string]bool {
	f := map[string]bool{"method " + fmt.Sprint(m.Method): true}
	for _, st := range m.States {
		f["state "+st.Kind.String()] = true
		if st.Gate != nil {
			f["gate "+fmt.Sprint(st.Gate.Form)] = true
		}
	}
	for _, r := range m.Receptors {
		if r.Density {
			f["receptor density"] = true
		} else {
			f["receptor current"] = true
		}
	}
	params := map[string]bool{}
	for _, p := range m.Params {
		params[p.Name] = true
	}
	for _, ch := range s.Channels {
		for _, g := range ch.Gates {
			if g.Inf != nil && g.Tau == nil {
				f["gate instantaneous"] = true
			}
		}
		for _, p := range ch.Params {
			// A parameter of the spec that the model does not have is an alias.
			if !params[ch.Name.Value+"."+p.Name.Value] {
				f["parameter alias"] = true
			}
		}
	}
	for _, st := range slices.Concat(m.Pre, m.Body) {
		if symbolic.DependsOn(st.Expr, func(n string) bool { return n == m.Time }) {
			f["time"] = true
		}
	}
	for _, ion := range m.Ions {
		f["ion "+fmt.Sprint(ion.Dynamics)] = true
		if ion.Nernst {
			f["ion nernst"] = true
		}
	}
	method := fmt.Sprint(m.Method)
	if opts.Tables != nil {
		f["tables "+method] = true
	}
	if opts.SIMD {
		f["simd "+method] = true
		if opts.Tables != nil {
			f["simd tables"] = true
		}
	}
	if opts.Float32 {
		f["float32"] = true
		if opts.SIMD {
			f["float32 simd"] = true
		}
	}
	if opts.LineDirectives {
		f["line directives"] = true
	}
	for _, p := range m.Params {
		if p.PerNeuron && p.Name != "I_ext" {
			f["per-neuron parameter"] = true
		}
	}
	if len(m.Rewrites) > 0 {
		f["singularity rewrite"] = true
	}
	if len(m.SharedExps) > 0 {
		f["shared exp"] = true
	}
	if m.VInit.Uniform {
		f["V_init uniform"] = true
	}
	if m.Refractory > 0 {
		f["refractory"] = true
		if opts.SIMD {
			f["refractory simd"] = true
		}
	}
	return f
}
