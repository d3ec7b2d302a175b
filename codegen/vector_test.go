package codegen_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/spec"
)

// vectorCmpTest is the test of the throwaway module of TestVectorStockModels: each scalar
// package and its -simd twin, stepped side by side, must agree bit for bit after every step.
const vectorCmpTest = `//go:build goexperiment.simd && amd64

package cmp_test

import (
	"math"
	"testing"

	"github.com/neurogen/neurogen/runtime"
%s)

var pairs = []struct {
	name string
	scalar, vector func(n int) runtime.Group
}{
%s}

// setV sets neuron i's V, in whichever precision the group keeps it.
func setV(g runtime.Group, i int, v float64) { setVar(g, "V", i, v) }

// setVar sets neuron i's variable name, in whichever precision the group keeps it.
func setVar(g runtime.Group, name string, i int, v float64) {
	if x := g.Var(name); x != nil {
		x[i] = v
		return
	}
	g.(runtime.Float32Vars).Var32(name)[i] = float32(v)
}

func TestSameBits(t *testing.T) {
	if !runtime.HasAVX2 {
		t.Skip("this CPU has no AVX2: the vector code does not run")
	}
	// With AVX-512, steps alternate between eight lanes (and four for what is left of a range)
	// and four lanes alone, so that both steps run on every neuron.
	avx512 := runtime.HasAVX512
	defer func() { runtime.HasAVX512 = avx512 }()
	t.Logf("AVX-512: %%v", avx512)
	const n, dt, steps = 203, 0.025, 2000
	for _, p := range pairs {
		a, b := p.scalar(n), p.vector(n)
		for _, g := range []runtime.Group{a, b} {
			for i := range n {
				g.Input()[i] = 30 * float64(i) / n
				setV(g, i, -80+40*float64(i%%97)/97)
			}
			g.Equilibrate()
			// receptor states other than 0 (2 to 10 nS), as events leave them
			for _, v := range g.Model().Vars {
				if v.Kind == "receptor" {
					for i := range n {
						setVar(g, v.Name, i, 2e-6*float64(1+i%%5))
					}
				}
			}
		}
		for k := range steps {
			tt := float64(k) * dt
			if k == steps/4 {
				// some lanes outside the rate tables' range
				for _, g := range []runtime.Group{a, b} {
					for i := 0; i < n; i += 7 {
						setV(g, i, 75)
					}
					for i := 3; i < n; i += 11 {
						setV(g, i, -125)
					}
				}
			}
			runtime.HasAVX512 = avx512 && k%%2 == 0
			for _, r := range [][2]int{{0, 1}, {1, 6}, {6, 117}, {117, n}} {
				a.StepRange(r[0], r[1], tt, dt)
				b.StepRange(r[0], r[1], tt, dt)
			}
			for _, v := range a.Model().Vars {
				x, _ := runtime.VarOf(a, v.Name)
				y, _ := runtime.VarOf(b, v.Name)
				for i := range x.Len() {
					if math.Float64bits(x.At(i)) != math.Float64bits(y.At(i)) {
						t.Fatalf("%%s: step %%d: %%s[%%d] = %%v (scalar), %%v (vector)", p.name, k+1, v.Name, i, x.At(i), y.At(i))
					}
				}
			}
			for i, s := range a.SpikeTimes() {
				if math.Float64bits(s) != math.Float64bits(b.SpikeTimes()[i]) || a.Spiked()[i] != b.Spiked()[i] {
					t.Fatalf("%%s: step %%d: neuron %%d's spike differs", p.name, k+1, i)
				}
			}
		}
		t.Logf("%%s: the same bits", p.name)
	}
}
`

// TestVectorStockModels generates every stock spec with exp_auto and with staggered, with and
// without rate tables (staggered with tables also with the state in float32), with and without
// -simd, and runs the pairs side by side under GOEXPERIMENT=simd: 203 neurons (three
// left to the scalar loop in each range), inputs 0 to 30 uA/cm2, 50 ms, every variable and
// spike the same bits after every step. On a CPU with AVX-512 every other step runs the
// eight-lane code (with the four-lane code on what is left of a range), the others the
// four-lane code alone. The same, without tables (its gate depends on t), for
// testdata/step/timedrive.yaml, whose drive and rate depend on the time alone, and for
// testdata/step/coupled.yaml, whose receptor states are driven by others (the receptor states
// of every spec start at 2 to 10 nS).
func TestVectorStockModels(t *testing.T) {
	gomodtest.NeedGo(t)
	specs, err := filepath.Glob(filepath.Join("..", "specs", "*.yaml"))
	if err != nil || len(specs) == 0 {
		t.Fatalf("no stock specs: %v", err)
	}
	timeDrive := filepath.Join("testdata", "step", "timedrive.yaml")
	coupled := filepath.Join("testdata", "step", "coupled.yaml")
	specs = append(specs, timeDrive, coupled)
	dir := gomodtest.TempModule(t, "example.com/cmp")
	var imports, pairs strings.Builder
	k := 0
	for _, path := range specs {
		src, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, cfg := range []struct {
			method          string
			tables, float32 bool
		}{{"exp_auto", false, false}, {"staggered", false, false}, {"exp_auto", true, false}, {"staggered", true, true}} {
			method := cfg.method
			if (path == timeDrive || path == coupled) && cfg.tables {
				continue
			}
			k++
			gen := func(pkg string, simd bool) (map[string][]byte, error) {
				s, err := spec.Load(path, src)
				if err != nil {
					t.Fatal(err)
				}
				m, err := check.Check(s, check.Options{Method: method, Package: pkg})
				if err != nil {
					t.Fatal(err)
				}
				opts := codegen.Options{SIMD: simd, Float32: cfg.float32}
				if cfg.tables {
					opts.Tables = &codegen.DefaultTables
				}
				return codegen.Generate(m, opts)
			}
			spkg, vpkg := fmt.Sprintf("s%d", k), fmt.Sprintf("v%d", k)
			vfiles, err := gen(vpkg, true)
			if err != nil {
				t.Fatalf("%s, %s, -simd: %v", path, method, err)
			}
			if len(vfiles) != 3 {
				t.Errorf("%s, %s: -simd gives %d files, want 3", path, method, len(vfiles))
			}
			sfiles, err := gen(spkg, false)
			if err != nil {
				t.Fatal(err)
			}
			for pkg, files := range map[string]map[string][]byte{spkg: sfiles, vpkg: vfiles} {
				for name, b := range files {
					gomodtest.WriteFile(t, filepath.Join(dir, pkg, name), b)
				}
			}
			fmt.Fprintf(&imports, "\t%q\n\t%q\n", "example.com/cmp/"+spkg, "example.com/cmp/"+vpkg)
			fmt.Fprintf(&pairs, "\t{%q, func(n int) runtime.Group { return %s.New(n) }, func(n int) runtime.Group { return %s.New(n) }},\n",
				fmt.Sprintf("%s %s tables=%v float32=%v", filepath.Base(path), method, cfg.tables, cfg.float32), spkg, vpkg)
		}
	}
	gomodtest.WriteFile(t, filepath.Join(dir, "cmp_test.go"), fmt.Appendf(nil, vectorCmpTest, imports.String(), pairs.String()))
	// -vet=off: go test would vet only cmp_test.go, this file's template, and compute the
	// facts of the 70-odd generated packages for it (a second and a half of CPU from an empty
	// cache), whose own findings it never reports.
	cmd := gomodtest.Command(dir, nil, "test", "-count=1", "-vet=off", "-v", ".")
	cmd.Env = append(cmd.Env, "GOEXPERIMENT=simd")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("GOEXPERIMENT=simd go test: %v\n%s", err, out)
	}
	if strings.Contains(string(out), "--- SKIP") {
		t.Skipf("%s", out)
	}
	if !strings.Contains(string(out), "AVX-512: true") {
		t.Logf("no AVX-512 on this CPU: the eight-lane code did not run")
	}
	if got := strings.Count(string(out), ": the same bits"); got != k {
		t.Errorf("%d pairs agree, want %d:\n%s", got, k, out)
	}
	t.Logf("%s", out)
}

// TestVectorRefused: -simd asks for what the four-lane code supports, and says why not.
func TestVectorRefused(t *testing.T) {
	for _, c := range []struct {
		model, method string
		tables        bool
		want          string
	}{
		{"hh52", "rk4", false, "SIMD code is generated for the exp_auto and staggered methods, not rk4"},
	} {
		m := stockModel(t, c.model, c.method)
		opts := codegen.Options{SIMD: true}
		if c.tables {
			tab := codegen.DefaultTables
			opts.Tables = &tab
		}
		_, err := codegen.Generate(m, opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s %s tables=%v -simd: error %v, want one containing %q", c.model, c.method, c.tables, err, c.want)
		}
	}
}
