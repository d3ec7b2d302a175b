package codegen_test

import (
	"go/format"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/spec"
)

// specLine returns the 1-based line of the spec file on which text first occurs.
func specLine(t *testing.T, src []byte, text string) int {
	t.Helper()
	i := strings.Index(string(src), text)
	if i < 0 {
		t.Fatalf("the spec has no %q", text)
	}
	return strings.Count(string(src[:i]), "\n") + 1
}

// TestLineDirectives: with Options.LineDirectives, a statement that comes from a spec
// expression is preceded by //line SPEC:LINE:COL naming where that expression starts, and
// followed by a directive that gives the Go file its own line numbers back; the files stay
// gofmt-clean and vet-clean and build. Go's float division by zero does not panic, and no
// statement of a spec can panic, so the test makes one that does: it rewrites the generated
// statement of HH52's alpha_m, in StepRange, to divide by an integer zero as well, runs a step,
// and the panic must name the spec's line of that rate (found in the spec text, not in the
// directive), while a panic injected into a statement of neurogen's own (dV/dt) names the Go
// file at its own line.
func TestLineDirectives(t *testing.T) {
	gomodtest.NeedGo(t)
	path := filepath.Join("..", "specs", "hh52.yaml")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := spec.Load(path, src)
	if err != nil {
		t.Fatal(err)
	}
	m, err := check.Check(s, check.Options{})
	if err != nil {
		t.Fatal(err)
	}
	const specName = "specs/hh52.yaml"
	files, err := codegen.Generate(m, codegen.Options{SpecName: specName, LineDirectives: true, SIMD: true})
	if err != nil {
		t.Fatal(err)
	}
	alphaLine := specLine(t, src, "alpha: 0.1/(mV*ms)")
	alphaCol := strings.Index(strings.Split(string(src), "\n")[alphaLine-1], "0.1/(mV*ms)") + 1
	goSrc := string(files["hh52.go"])
	for name, b := range files {
		if f, err := format.Source(b); err != nil || string(f) != string(b) {
			t.Errorf("%s is not gofmt-clean (%v)", name, err)
		}
	}
	// The directive names the rate's line, and the column that puts the statement's first
	// token (after two tabs in StepRange's loop) where the expression starts.
	want := "//line " + specName + ":" + strconv.Itoa(alphaLine) + ":" + strconv.Itoa(alphaCol-2) + "\n\t\tNa_m_alpha := "
	if !strings.Contains(goSrc, want) {
		t.Fatalf("hh52.go has no %q", want)
	}
	// Every directive back to the Go file names the line that follows it.
	lines := strings.Split(goSrc, "\n")
	back := regexp.MustCompile(`^//line hh52\.go:(\d+):1$`)
	nBack := 0
	for i, l := range lines {
		if mm := back.FindStringSubmatch(l); mm != nil {
			nBack++
			if n, _ := strconv.Atoi(mm[1]); n != i+2 {
				t.Errorf("line %d: %s, but the next line is %d", i+1, l, i+2)
			}
		}
	}
	if nBack == 0 || nBack != strings.Count(goSrc, "//line "+specName) {
		t.Errorf("%d directives back to hh52.go for %d into the spec", nBack, strings.Count(goSrc, "//line "+specName))
	}

	// The statements to break: alpha_m in StepRange (the only Na_m_alpha in a loop: Reset and
	// Equilibrate take it from rates, which computes it outside one) and dV/dt.
	stmt := regexp.MustCompile(`(?m)^\t\tNa_m_alpha := .*$`)
	locs := stmt.FindAllStringIndex(goSrc, -1)
	if len(locs) != 1 {
		t.Fatalf("found %d statements of alpha_m in a loop, want 1", len(locs))
	}
	for _, c := range []struct {
		name, file string
		line       func(broken string) int
		edit       func(string) string
	}{
		{"a spec rate", specName, func(string) int { return alphaLine }, func(g string) string {
			l := locs[0]
			return g[:l[1]] + " + float64(1/zero)" + g[l[1]:]
		}},
		{"neurogen's own statement", "hh52.go", func(broken string) int {
			return specLine(t, []byte(broken), "dV := s1 * (I_Na + I_K + I_L + I_ext) + float64(1/zero)")
		}, func(g string) string {
			return strings.Replace(g, "dV := s1 * (I_Na + I_K + I_L + I_ext)", "dV := s1 * (I_Na + I_K + I_L + I_ext) + float64(1/zero)", 1)
		}},
	} {
		dir := gomodtest.TempModule(t, "example.com/lines")
		broken := c.edit(goSrc) + "\n// zero is the divisor of the test's deliberate panic.\nvar zero int\n"
		for name, b := range files {
			if name == "hh52.go" {
				b = []byte(broken)
			}
			gomodtest.WriteFile(t, filepath.Join(dir, "hh52", name), b)
		}
		gomodtest.WriteFile(t, filepath.Join(dir, "main.go"), []byte(`package main

import "example.com/lines/hh52"

func main() { hh52.New(1).Step(0, 0.025) }
`))
		gomodtest.Run(t, dir, nil, "vet", "./...")
		out, err := gomodtest.Command(dir, nil, "run", ".").CombinedOutput()
		if err == nil || !strings.Contains(string(out), "integer divide by zero") {
			t.Fatalf("%s: the deliberate panic did not happen: %v\n%s", c.name, err, out)
		}
		at := regexp.MustCompile(`(?m)^\t(\S+):(\d+)`).FindAllStringSubmatch(string(out), -1)
		found := false
		for _, a := range at {
			if strings.HasSuffix(a[1], c.file) {
				n, _ := strconv.Atoi(a[2])
				found = n == c.line(broken)
				break
			}
		}
		if !found {
			t.Errorf("%s: the panic's trace does not name %s:%d first:\n%s", c.name, c.file, c.line(broken), out)
		}
	}
}
