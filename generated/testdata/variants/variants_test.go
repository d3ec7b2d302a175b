package generated_test

import (
	"math"
	"testing"

	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/generated/hh52staggered"
	"github.com/neurogen/neurogen/generated/variants/hh52staggeredtab"
	"github.com/neurogen/neurogen/generated/variants/hh52staggeredtabx4"
	"github.com/neurogen/neurogen/generated/variants/hh52staggeredtabx4f32"
	"github.com/neurogen/neurogen/generated/variants/hh52staggeredx4"
	"github.com/neurogen/neurogen/generated/variants/hh52tab"
	"github.com/neurogen/neurogen/generated/variants/hh52tabx4"
	"github.com/neurogen/neurogen/generated/variants/hh52x4"
	"github.com/neurogen/neurogen/generated/variants/hhbrainpytab"
	"github.com/neurogen/neurogen/generated/variants/morrislecartab"
	"github.com/neurogen/neurogen/generated/variants/thalamicrelaytab"
	"github.com/neurogen/neurogen/generated/variants/traubmilespyramidaltab"
	"github.com/neurogen/neurogen/generated/variants/traubmilestab"
	"github.com/neurogen/neurogen/generated/variants/wangbuzsakirk4"
	"github.com/neurogen/neurogen/generated/variants/wangbuzsakitab"
	"github.com/neurogen/neurogen/internal/spikecmp"
	"github.com/neurogen/neurogen/runtime"
)

// This directory is not a package of neurogen: TestVariants (../../variants_test.go) copies
// it, with ../../common_test.go and ../../rates_test.go, into a temporary module beside the
// variants it generates there (github.com/neurogen/neurogen/generated/variants/NAME), and runs
// its tests. Paths such as ../specs resolve there as they do in generated/.

// models are the variants, by name, with the spec each came from; the tests of common_test.go
// and rates_test.go run on each.
var models = []model{
	{"hh52x4", "../specs/hh52.yaml", func(n int) runtime.Group { return hh52x4.New(n) }},
	{"hh52staggeredx4", "../specs/hh52.yaml", func(n int) runtime.Group { return hh52staggeredx4.New(n) }},
	{"hh52tabx4", "../specs/hh52.yaml", func(n int) runtime.Group { return hh52tabx4.New(n) }},
	{"hh52staggeredtabx4", "../specs/hh52.yaml", func(n int) runtime.Group { return hh52staggeredtabx4.New(n) }},
	{"hh52tab", "../specs/hh52.yaml", func(n int) runtime.Group { return hh52tab.New(n) }},
	{"hh52staggeredtab", "../specs/hh52.yaml", func(n int) runtime.Group { return hh52staggeredtab.New(n) }},
	{"wangbuzsakirk4", "../specs/wangbuzsaki.yaml", func(n int) runtime.Group { return wangbuzsakirk4.New(n) }},
	{"traubmilestab", "../specs/traubmiles.yaml", func(n int) runtime.Group { return traubmilestab.New(n) }},
	{"wangbuzsakitab", "../specs/wangbuzsaki.yaml", func(n int) runtime.Group { return wangbuzsakitab.New(n) }},
	{"morrislecartab", "../specs/morrislecar.yaml", func(n int) runtime.Group { return morrislecartab.New(n) }},
	{"hhbrainpytab", "../specs/hh_brainpy.yaml", func(n int) runtime.Group { return hhbrainpytab.New(n) }},
	{"thalamicrelaytab", "../specs/thalamic_relay.yaml", func(n int) runtime.Group { return thalamicrelaytab.New(n) }},
	{"traubmilespyramidaltab", "../specs/traubmiles_pyramidal.yaml", func(n int) runtime.Group { return traubmilespyramidaltab.New(n) }},
}

// float32Models are the variants generated with -float32. They are not among models, whose
// tests read the state through Var; BenchmarkStep times them too.
var float32Models = []model{
	{"hh52staggeredtabx4f32", "../specs/hh52.yaml", func(n int) runtime.Group { return hh52staggeredtabx4f32.New(n) }},
}

// brian2Models: Wang–Buzsáki with rk4, as its reference is, and the stock models with rate
// tables and the staggered method (second order): the method's own error, not the tables'
// (which TestTablesAgainstExact bounds on HH52).
var brian2Models = []brian2Model{
	{"wangbuzsakirk4", "../specs/wangbuzsaki.yaml", func(n int) runtime.Group { return wangbuzsakirk4.New(n) },
		"wangbuzsaki.json", 0.005, 1e-6, sameRK4},
	{"hhbrainpytab", "../specs/hh_brainpy.yaml", func(n int) runtime.Group { return hhbrainpytab.New(n) },
		"hh_brainpy.json", 0.005, 0.01, staggeredWhy + " (observed 5.6e-3 ms)"},
	{"thalamicrelaytab", "../specs/thalamic_relay.yaml", func(n int) runtime.Group { return thalamicrelaytab.New(n) },
		"thalamic_relay.json", 0.005, 0.03, staggeredWhy + " (observed 0.015 ms)"},
	{"traubmilespyramidaltab", "../specs/traubmiles_pyramidal.yaml", func(n int) runtime.Group { return traubmilespyramidaltab.New(n) },
		"traubmiles_pyramidal.json", 0.005, 0.15, staggeredWhy + " (observed 0.074 ms)"},
	{"wangbuzsakitab", "../specs/wangbuzsaki.yaml", func(n int) runtime.Group { return wangbuzsakitab.New(n) },
		"wangbuzsaki.json", 0.005, 0.25, staggeredWhy + " (observed 0.12 ms)"},
}

// TestTablesAgainstExact: with rate tables, every HH52 spike of the reference run (1000 ms, 8
// neurons, 387 spikes) is within 1e-3 ms of the same method's exact run, at two steps.
func TestTablesAgainstExact(t *testing.T) {
	truth, err := spikecmp.LoadRun(refDir + "truth.json")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name         string
		exact, table func(n int) runtime.Group
	}{
		{"exp_auto", func(n int) runtime.Group { return hh52.New(n) }, func(n int) runtime.Group { return hh52tab.New(n) }},
		{"staggered", func(n int) runtime.Group { return hh52staggered.New(n) }, func(n int) runtime.Group { return hh52staggeredtab.New(n) }},
	} {
		for _, dt := range []float64{0.01, 0.025} {
			exact := simulate(t, c.exact(len(truth.I)), truth.I, 1000, dt)
			table := simulate(t, c.table(len(truth.I)), truth.I, 1000, dt)
			r := spikecmp.Compare(table, exact, 1000)
			t.Logf("%s, dt %g: tables against exact: %v", c.name, dt, r)
			if r.CountDiff+r.EdgeDiff != 0 || !(r.MaxErr <= 1e-3) {
				t.Errorf("%s, dt %g: tables against exact: %v; want equal counts and every spike within 1e-3 ms", c.name, dt, r)
			}
		}
	}
}

// TestTablesOutOfRange: a neuron whose V leaves the tables' range (-100 to 60 mV) is stepped
// exactly there, so it follows the exact group to rounding; one inside the range is
// interpolated, so it differs a little.
func TestTablesOutOfRange(t *testing.T) {
	exact, table := hh52.New(2), hh52tab.New(2)
	for _, g := range []runtime.Group{exact, table} {
		g.SetVoltageClamp(true) // V steps from -65 mV, where the gates are at rest, and stays
		copy(g.Var("V"), []float64{-120, -61.3})
		for k := range 400 {
			g.Step(float64(k)*0.025, 0.025)
		}
	}
	for _, gate := range []string{"Na.m", "Na.h", "K.n"} {
		e, tb := exact.Var(gate), table.Var(gate)
		if e[0] != tb[0] {
			t.Errorf("%s at -120 mV (outside the tables): %v with tables, %v exact; want the same bits", gate, tb[0], e[0])
		}
		if d := math.Abs(e[1] - tb[1]); d == 0 || d > 1e-6 {
			t.Errorf("%s at -61.3 mV (inside the tables): %v with tables, %v exact; want a difference within (0, 1e-6]", gate, tb[1], e[1])
		}
	}
}

// TestTablesFollowDtAndParams: the tables are rebuilt when dt or a parameter the rates depend
// on changes, so a tabulated group follows the exact group through changes of dt, and a change
// of parameter leaves no trace of the old table.
func TestTablesFollowDtAndParams(t *testing.T) {
	exact, table := hh52.New(1), hh52tab.New(1)
	for _, g := range []runtime.Group{exact, table} {
		g.Input()[0] = 10
	}
	tt := 0.0
	for _, dt := range []float64{0.025, 0.01, 0.05} {
		for range 200 {
			exact.Step(tt, dt)
			table.Step(tt, dt)
			tt += dt
		}
		if d := math.Abs(exact.Var("V")[0] - table.Var("V")[0]); d > 1e-3 {
			t.Errorf("after steps of %g ms: V %v with tables, %v exact", dt, table.Var("V")[0], exact.Var("V")[0])
		}
	}
	// A parameter the rates depend on (Traub–Miles' V_T): a group whose table was built for
	// another value rebuilds it, and runs as one that never had the other value.
	stale, fresh := traubmilestab.New(1), traubmilestab.New(1)
	if err := stale.SetParam("V_T", -56); err != nil {
		t.Fatal(err)
	}
	stale.Step(0, 0.025) // builds the table for V_T = -56
	for _, g := range []runtime.Group{stale, fresh} {
		if err := g.SetParam("V_T", -60); err != nil {
			t.Fatal(err)
		}
		g.Reset() // the gates at rest for V_T = -60
		g.Input()[0] = 5
		for k := range 4000 {
			g.Step(float64(k)*0.025, 0.025)
		}
	}
	if a, b := stale.Var("V")[0], fresh.Var("V")[0]; a != b || stale.SpikeTimes()[0] != fresh.SpikeTimes()[0] {
		t.Errorf("after V_T changed: V %v, last spike %v; a group that always had it: %v, %v", a, stale.SpikeTimes()[0], b, fresh.SpikeTimes()[0])
	}
	if math.IsInf(fresh.SpikeTimes()[0], -1) {
		t.Error("no spike in 100 ms: the test shows little")
	}
}
