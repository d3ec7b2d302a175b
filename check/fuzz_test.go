package check_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/spec"
)

// FuzzCheck feeds arbitrary bytes through the pipeline as `neurogen gen` does: spec.Load, then
// check.Check (also on what loaded after errors, as check.Load does), then codegen.Generate when
// it checked. Errors are fine;
// panics, hangs, errors that are not a sorted spec.ErrorList pointing into the spec, and
// generated files that do not parse (or whose package does not type-check) are not. A spec that
// checks is also checked and generated with every method, twice each, and must give the same
// files both times.
//
// The seed corpus is the specs of testdata/errors and testdata/derivs, testdata/fuzz/FuzzCheck,
// and the stock specs: all of them when fuzzing, only specs/hh52.yaml when `go test` runs the
// seeds as a test. The seed run of the other stock specs would redo what other tests hold
// already: codegen's TestGenerateLeavesModel checks and generates every stock spec with every
// method twice and wants the same files, and TestStockSpecsGenerateGo below runs the rest of
// pipeline on them (they check with every method, and their packages parse and type-check).
// Run it with
//
//	go test ./check -run=NONE -fuzz=FuzzCheck -fuzztime=300s
func FuzzCheck(f *testing.F) {
	stock := "../specs/hh52.yaml"
	if fuzzing() {
		stock = "../specs/*.yaml"
	}
	var seeds []string
	for _, pattern := range []string{stock, "testdata/errors/*.yaml", "testdata/derivs/*.yaml"} {
		files, err := filepath.Glob(filepath.FromSlash(pattern))
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, files...)
	}
	if len(seeds) == 0 {
		f.Fatal("no seed specs")
	}
	for _, file := range seeds {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		done := make(chan string, 1)
		go func() {
			defer func() {
				if p := recover(); p != nil {
					done <- fmt.Sprintf("panic: %v\n%s", p, debug.Stack())
				}
			}()
			done <- pipeline(src)
		}()
		select {
		case problem := <-done:
			if problem != "" {
				t.Fatal(problem)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the pipeline hangs (no result after 30s)")
		}
	})
}

// fuzzing reports whether this test binary fuzzes (go test -fuzz), rather than running the
// seed corpora as tests.
func fuzzing() bool {
	f := flag.Lookup("test.fuzz")
	return f != nil && f.Value.String() != ""
}

// TestStockSpecsGenerateGo runs, on the stock specs that FuzzCheck's seed run leaves out, what
// its pipeline asks of them beyond TestGenerateLeavesModel (codegen's), which generates each
// with each method twice from one model and wants the same files: each spec checks with its
// own method and with every method, and each package generated parses and type-checks.
func TestStockSpecsGenerateGo(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "specs", "*.yaml"))
	if err != nil || len(paths) < 2 {
		t.Fatalf("stock specs: %v, %v", paths, err)
	}
	generated := 0
	for _, path := range paths {
		if filepath.Base(path) == "hh52.yaml" && !fuzzing() {
			continue // a seed of FuzzCheck's
		}
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		s, err := spec.Load(fuzzFile, src)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		if _, err := check.Check(s, check.Options{}); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, method := range ir.Methods {
			m, err := check.Check(s, check.Options{Method: method.String()})
			if err != nil {
				t.Errorf("%s checks with its own method but not with method %s: %v", path, method, err)
				continue
			}
			if _, problem := generateFiles(m); problem != "" {
				t.Errorf("%s: %s", path, problem)
				continue
			}
			generated++
		}
	}
	if want := (len(paths) - 1) * len(ir.Methods); generated < want {
		t.Errorf("%d packages generated and type-checked, want %d", generated, want)
	}
}

// fuzzFile is the name of the spec in FuzzCheck's errors.
const fuzzFile = "fuzz.yaml"

// pipeline runs load, check and generate on src and describes the first thing wrong, or
// returns "".
func pipeline(src []byte) string {
	s, err := spec.Load(fuzzFile, src)
	if err != nil {
		if problem := validErrors("spec.Load", err, src); problem != "" {
			return problem
		}
		// What `neurogen check` does: check what loaded, after the loader's errors too.
		if _, err := check.Load(fuzzFile, src, check.Options{}); err == nil {
			return "check.Load accepts a spec that spec.Load refuses"
		} else {
			return validErrors("check.Load", err, src)
		}
	}
	if _, err := check.Check(s, check.Options{}); err != nil {
		return validErrors("check.Check", err, src)
	}
	for _, method := range ir.Methods {
		m, err := check.Check(s, check.Options{Method: method.String()})
		if err != nil {
			return fmt.Sprintf("the spec checks with its own method but not with method %s: %v", method, err)
		}
		files, problem := generateFiles(m)
		if problem != "" {
			return problem
		}
		// Once more: the same files.
		m, err = check.Check(s, check.Options{Method: method.String()})
		if err != nil {
			return fmt.Sprintf("method %s: the second check fails: %v", method, err)
		}
		again, err := codegen.Generate(m, codegen.Options{})
		if err != nil || !sameFiles(files, again) {
			return fmt.Sprintf("method %s: checking and generating twice gives different files (%v)", method, err)
		}
	}
	return ""
}

// validErrors checks that err is a non-empty, sorted spec.ErrorList whose every error points
// into src.
func validErrors(stage string, err error, src []byte) string {
	var list spec.ErrorList
	if !errors.As(err, &list) || len(list) == 0 {
		return fmt.Sprintf("%s: error %T %q is not a non-empty spec.ErrorList", stage, err, err)
	}
	lines := lineLengths(src)
	for i, e := range list {
		p := e.Pos.Position()
		if p.File != fuzzFile || p.Line < 1 || p.Line > len(lines) || p.Col < 1 || p.Col > lines[p.Line-1]+1 {
			return fmt.Sprintf("%s: error %q has a position outside the spec (%d lines)", stage, e, len(lines))
		}
		if e.Msg == "" {
			return fmt.Sprintf("%s: error at %v has no message", stage, p)
		}
		if e.Code == "" {
			return fmt.Sprintf("%s: error %q has no code", stage, e)
		}
		if i > 0 && e.Pos.Before(list[i-1].Pos) {
			return fmt.Sprintf("%s: errors not sorted: %q before %q", stage, list[i-1], e)
		}
	}
	return ""
}

// lineLengths returns the length in bytes of each line of src, line breaks excluded; line
// breaks are "\n", "\r\n" and "\r", as in spec positions.
func lineLengths(src []byte) []int {
	var out []int
	n := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '\r':
			if i+1 < len(src) && src[i+1] == '\n' {
				i++
			}
			fallthrough
		case '\n':
			out = append(out, n)
			n = 0
		default:
			n++
		}
	}
	return append(out, n)
}

// generateFiles generates m's package and checks that every file parses as Go.
func generateFiles(m *ir.Model) (map[string][]byte, string) {
	files, err := codegen.Generate(m, codegen.Options{})
	if err != nil {
		return nil, fmt.Sprintf("codegen.Generate (method %s): %v", m.Method, err)
	}
	if len(files) == 0 {
		return nil, fmt.Sprintf("codegen.Generate (method %s) returned no files", m.Method)
	}
	fset := token.NewFileSet()
	var parsed []*ast.File
	for name, src := range files {
		f, err := parser.ParseFile(fset, name, src, parser.ParseComments)
		if err != nil {
			return nil, fmt.Sprintf("generated file %s (method %s) is not Go: %v\n%s", name, m.Method, err, numbered(src))
		}
		parsed = append(parsed, f)
	}
	// Beyond the syntax: the package type-checks (it would compile).
	conf := types.Config{Importer: goImporter()}
	if _, err := conf.Check(m.Package, fset, parsed, nil); err != nil {
		var src []byte
		for _, b := range files {
			src = b
		}
		return nil, fmt.Sprintf("generated package %s (method %s) does not type-check: %v\n%s", m.Package, m.Method, err, numbered(src))
	}
	return files, ""
}

// goImporter returns the importer that type-checks generated packages: from source, shared by
// the calls of one process so that each imported package is loaded once.
var goImporter = sync.OnceValue(func() types.Importer {
	return &onceImporter{from: importer.ForCompiler(token.NewFileSet(), "source", nil).(types.ImporterFrom)}
})

// onceImporter imports each path once, from its first caller's directory: the packages that
// generated code imports (the standard library's and neurogen's) are the same from anywhere in
// this module. The source importer alone keeps the packages it loaded, but finds each import's
// directory again first, which for a package outside the standard library runs go list (about
// a tenth of a second each time, a hundred times in this package's tests).
type onceImporter struct {
	mu   sync.Mutex
	from types.ImporterFrom
	pkgs map[string]*types.Package
}

func (o *onceImporter) Import(path string) (*types.Package, error) {
	return o.ImportFrom(path, "", 0)
}

func (o *onceImporter) ImportFrom(path, dir string, mode types.ImportMode) (*types.Package, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if pkg, ok := o.pkgs[path]; ok {
		return pkg, nil
	}
	pkg, err := o.from.ImportFrom(path, dir, mode)
	if err != nil {
		return nil, err
	}
	if o.pkgs == nil {
		o.pkgs = map[string]*types.Package{}
	}
	o.pkgs[path] = pkg
	return pkg, nil
}

func sameFiles(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for name, src := range a {
		if !bytes.Equal(src, b[name]) {
			return false
		}
	}
	return true
}

// numbered returns src with line numbers, for messages.
func numbered(src []byte) string {
	var b strings.Builder
	for i, line := range strings.Split(string(src), "\n") {
		fmt.Fprintf(&b, "%4d  %s\n", i+1, line)
	}
	return b.String()
}
