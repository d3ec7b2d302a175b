package runtime_test

import (
	"bytes"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/internal/suggest"
	"github.com/neurogen/neurogen/runtime"
)

// TestSource checks that Source holds exactly this directory's non-test .go files, as they
// are on disk, and that each parses as package runtime importing only the standard library and
// internal/suggest (whose source travels with the runtime's).
func TestSource(t *testing.T) {
	src := runtime.Source()
	onDisk, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	onDisk = slices.DeleteFunc(onDisk, func(name string) bool { return strings.HasSuffix(name, "_test.go") })
	names := slices.Sorted(maps.Keys(src))
	if !slices.Equal(names, onDisk) {
		t.Fatalf("Source has %v, the directory %v", names, onDisk)
	}
	for _, want := range []string{"group.go", "exprel.go", "source.go"} {
		if _, ok := src[want]; !ok {
			t.Errorf("Source lacks %s", want)
		}
	}
	fset := token.NewFileSet()
	for name, b := range src {
		if strings.HasSuffix(name, "_test.go") {
			t.Errorf("Source has test file %s", name)
		}
		disk, err := os.ReadFile(name)
		if err != nil || !bytes.Equal(b, disk) {
			t.Errorf("%s: embedded source differs from the file on disk (%v)", name, err)
		}
		f, err := parser.ParseFile(fset, name, b, parser.ParseComments)
		if err != nil {
			t.Errorf("%s does not parse: %v", name, err)
			continue
		}
		if f.Name.Name != "runtime" {
			t.Errorf("%s is package %s", name, f.Name.Name)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if first, _, _ := strings.Cut(path, "/"); strings.Contains(first, ".") && path != suggestPath {
				t.Errorf("%s imports %s, outside the standard library", name, path)
			}
		}
	}
	// Every call returns fresh copies.
	src["group.go"][0] = 'X'
	delete(src, "source.go")
	again := runtime.Source()
	if again["group.go"][0] == 'X' || again["source.go"] == nil {
		t.Error("changing Source's result changed the next call's")
	}
}

// suggestPath is the one package outside the standard library that the runtime imports.
const suggestPath = "github.com/neurogen/neurogen/internal/suggest"

// TestSourceBuilds writes Source, and that of internal/suggest, into a fresh module, as neurogen
// does, and builds it there.
func TestSourceBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go build")
	}
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	// At the same path in every run, so that the go build cache, keyed by directories, serves
	// the packages of an earlier run unchanged: only a changed source is compiled again.
	dir := gomodtest.StableDir(t)
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module github.com/neurogen/neurogen\n\ngo 1.26\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for sub, src := range map[string]map[string][]byte{"runtime": runtime.Source(), "internal/suggest": suggest.Source()} {
		pkg := filepath.Join(dir, filepath.FromSlash(sub))
		if err := os.MkdirAll(pkg, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, b := range src {
			if err := os.WriteFile(filepath.Join(pkg, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	cmd := exec.Command(gobin, "build", "./...")
	cmd.Dir = dir
	// Offline on purpose: the module requires nothing, and the runtime's source must build with
	// the standard library and internal/suggest alone, as it does inside every model program.
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod", "GOPROXY=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build of the written runtime: %v\n%s", err, out)
	}
}
