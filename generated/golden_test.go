package generated_test

import (
	"bufio"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/spec"
)

var update = flag.Bool("update", false, "rewrite the generated packages (as go generate would)")

// directive is one `//go:generate go run ../cmd/neurogen gen SPEC -o DIR [-pkg P] [-method M] [-tables] [-simd] [-float32]`.
type directive struct {
	spec, dir, pkg, method string
	tables, simd, float32  bool
}

func directives(t *testing.T) []directive {
	t.Helper()
	f, err := os.Open("generate.go")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var ds []directive
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, ok := strings.CutPrefix(sc.Text(), "//go:generate go run ../cmd/neurogen gen ")
		if !ok {
			continue
		}
		fs := strings.Fields(line)
		d := directive{spec: fs[0]}
		for i := 1; i < len(fs); i += 2 {
			if fs[i] == "-tables" || fs[i] == "-simd" || fs[i] == "-float32" {
				d.tables = d.tables || fs[i] == "-tables"
				d.simd = d.simd || fs[i] == "-simd"
				d.float32 = d.float32 || fs[i] == "-float32"
				i--
				continue
			}
			if i+1 == len(fs) {
				t.Fatalf("generate.go: flag %s without a value", fs[i])
			}
			switch fs[i] {
			case "-o":
				d.dir = fs[i+1]
			case "-pkg":
				d.pkg = fs[i+1]
			case "-method":
				d.method = fs[i+1]
			default:
				t.Fatalf("generate.go: unexpected flag %s", fs[i])
			}
		}
		ds = append(ds, d)
	}
	if len(ds) < 4 {
		t.Fatalf("generate.go has %d directives, want at least 4", len(ds))
	}
	return ds
}

// TestGolden regenerates every package of this directory in-process and compares it byte for
// byte with the checked-in file, three times over, so that any dependence on map order or other
// nondeterminism shows. With -update it writes the files instead.
func TestGolden(t *testing.T) {
	methods := map[string]bool{}
	for _, d := range directives(t) {
		src, err := os.ReadFile(d.spec)
		if err != nil {
			t.Fatal(err)
		}
		var first map[string][]byte
		for rep := 0; rep < 3; rep++ {
			s, err := spec.Load(d.spec, src)
			if err != nil {
				t.Fatal(err)
			}
			m, err := check.Check(s, src, check.Options{Package: d.pkg, Method: d.method})
			if err != nil {
				t.Fatal(err)
			}
			methods[m.Method] = true
			opts := codegen.Options{SpecName: d.spec, SIMD: d.simd, Float32: d.float32}
			if d.tables {
				opts.Tables = &codegen.DefaultTables
			}
			files, err := codegen.Generate(m, opts)
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
			path := filepath.Join(d.dir, name)
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
	for _, m := range check.Methods {
		if !methods[m] {
			t.Errorf("no generated package uses method %s", m)
		}
	}
}
