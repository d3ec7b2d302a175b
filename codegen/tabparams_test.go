package codegen_test

import (
	"encoding/json"
	"math"
	"path/filepath"
	"testing"

	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/ir"
)

// tabParamsMain is the program of TestTablesFollowParams' throwaway module: it runs the exact
// and the tabulated group, side by side, through changes of a parameter the rates depend on
// (V_T) and of dt, and a third, exact group that keeps V_T, and prints their spike times.
const tabParamsMain = `package main

import (
	"encoding/json"
	"os"

	"example.com/tabparams/exact"
	"example.com/tabparams/tab"
	"github.com/neurogen/neurogen/runtime"
)

func main() {
	groups := []runtime.Group{exact.New(1), tab.New(1), exact.New(1)}
	spikes := make([][]float64, len(groups))
	for _, g := range groups {
		g.Input()[0] = 5
	}
	t := 0.0
	for _, phase := range []struct {
		VT, dt float64
		steps  int
	}{
		{-63, 0.025, 1600}, // 40 ms: the table is built for V_T = -63 mV and dt = 0.025 ms
		{-57, 0.025, 1600}, // 40 ms more with V_T = -57 mV: every rate shifts by 6 mV
		{-57, 0.01, 2000},  // 20 ms more at dt = 0.01 ms
	} {
		for i, g := range groups {
			if i < 2 {
				if err := g.SetParam("V_T", phase.VT); err != nil {
					panic(err)
				}
			}
		}
		for range phase.steps {
			for i, g := range groups {
				g.Step(t, phase.dt)
				if g.Spiked()[0] {
					spikes[i] = append(spikes[i], g.SpikeTimes()[0])
				}
			}
			t += phase.dt
		}
	}
	json.NewEncoder(os.Stdout).Encode(spikes)
}
`

// TestTablesFollowParams: a tabulated group's rate table is built for one dt and one set of
// the parameters the rates depend on, and rebuilt when either changes (codegen's table key),
// so a group whose rates depend on a parameter (Traub–Miles' V_T) follows the exact group
// through a change of that parameter mid-run, and through a change of dt after it. It
// generates both packages from the stock spec with the code generator under test (the
// committed ones in ../generated hold the generator as it was when they were generated), so a
// key that leaves out the parameters fails here at once: the tabulated group then steps with
// rates 6 mV off.
func TestTablesFollowParams(t *testing.T) {
	gomodtest.NeedGo(t)
	m := func(pkg string) *ir.Model {
		m := stockModel(t, "traubmiles", "staggered")
		m.Package = pkg
		return m
	}
	exact, err := codegen.Generate(m("exact"), codegen.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tab, err := codegen.Generate(m("tab"), codegen.Options{Tables: &codegen.DefaultTables})
	if err != nil {
		t.Fatal(err)
	}
	dir := gomodtest.TempModule(t, "example.com/tabparams")
	for pkg, files := range map[string]map[string][]byte{"exact": exact, "tab": tab} {
		for name, b := range files {
			gomodtest.WriteFile(t, filepath.Join(dir, pkg, name), b)
		}
	}
	gomodtest.WriteFile(t, filepath.Join(dir, "main.go"), []byte(tabParamsMain))
	var spikes [3][]float64
	if err := json.Unmarshal([]byte(gomodtest.Run(t, dir, nil, "run", ".")), &spikes); err != nil {
		t.Fatal(err)
	}
	exactSp, tabSp, kept := spikes[0], spikes[1], spikes[2]
	t.Logf("exact: %v\ntables: %v\nV_T kept: %v", exactSp, tabSp, kept)

	// The change must matter: after it, the exact group fires otherwise than one that kept V_T.
	after := func(sp []float64) []float64 {
		for i, s := range sp {
			if s > 40 {
				return sp[i:]
			}
		}
		return nil
	}
	if len(after(exactSp)) < 2 {
		t.Fatalf("the exact group fires %d spikes after V_T changes: the test shows little", len(after(exactSp)))
	}
	if len(after(kept)) == len(after(exactSp)) && math.Abs(after(kept)[0]-after(exactSp)[0]) < 1 {
		t.Fatalf("changing V_T moves the first spike after it by less than 1 ms: the test shows little")
	}
	// The tabulated group follows the exact one spike for spike: its tables' interpolation error
	// (1e-6 relative) moves spikes by far less than 1e-3 ms in 100 ms (TestTablesAgainstExact
	// allows 1e-3 ms over 1000 ms).
	if len(tabSp) != len(exactSp) {
		t.Fatalf("%d spikes with tables, %d exact:\ntables: %v\nexact: %v", len(tabSp), len(exactSp), tabSp, exactSp)
	}
	for i := range exactSp {
		if d := math.Abs(tabSp[i] - exactSp[i]); !(d <= 1e-3) {
			t.Errorf("spike %d: at %v ms with tables, %v ms exact (%s): want them within 1e-3 ms", i, tabSp[i], exactSp[i], phaseOf(exactSp[i]))
		}
	}
}

// phaseOf names the phase of tabParamsMain a time falls in.
func phaseOf(t float64) string {
	switch {
	case t <= 40:
		return "V_T = -63 mV, dt = 0.025 ms"
	case t <= 80:
		return "V_T = -57 mV, dt = 0.025 ms"
	}
	return "V_T = -57 mV, dt = 0.01 ms"
}
