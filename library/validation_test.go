package library_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/library"
	"github.com/neurogen/neurogen/spec"
)

// The validation of the stock channels against an independent simulator.
//
// testdata/reference/channels/NAME.json holds, for every stock channel, a voltage-clamp
// protocol run by tools/reference/channels.py: the channel written in Brian2 from the published
// formulas and BrainPy's defaults (not from the files in channels/), every state starting at its
// steady state at V_hold, then steps to each V_test, with the states and the current density
// sampled at 101 times (see testdata/reference/channels/README.md). This test builds, for each
// channel, a harness spec that uses the stock channel with its defaults, generates its Go
// package, runs the same protocol with the generated code under a voltage clamp and compares:
//
//   - currents: |I - I_ref| ≤ 1e-6 · max(|I_ref(t)|, 1e-3 · max_t |I_ref|) at every sample,
//     that is 1e-6 relative, with an absolute floor of 1e-9 times the largest |I| of that
//     step (where the gates are all but closed, or at V = E, the current is ~0 and a relative
//     error says nothing);
//   - states (gates, kinetic states): |x - x_ref| ≤ 1e-6 at every sample.
//
// Integration: channels whose gates are independent (α/β or x∞/τ form, at most driven by a
// fixed [Ca]i) run with exp_auto at the reference's grid step h: with V clamped each gate's
// equation is linear with constant coefficients, and exp_auto's step
// x + h·f·exprel(h·L) is its exact solution, so the only error is rounding. Channels with
// coupled kinetic states (Ih_De1996's O, O_L and P1) run with rk4 at h/⌈h/0.02 ms⌉ (the
// fastest rate there is ~0.2/ms, so rk4's error is far below 1e-9); exp_auto's per-variable
// step would be only first-order accurate for them.
//
// The test also checks that the comparison rejects slightly wrong channels: a g_max 2.5e-6 too
// large, and a copy of INa_HH1952 with one constant of a rate changed in its 4th digit.

const (
	valCurrentRel   = 1e-6 // relative tolerance of the currents
	valCurrentFloor = 1e-3 // the floor: this fraction of the step's largest |I|, times valCurrentRel
	valGateAbs      = 1e-6 // absolute tolerance of the states
	valRK4MaxDt     = 0.02 // ms, the largest step for channels integrated with rk4
)

// valReference is a file of testdata/reference/channels.
type valReference struct {
	Channel string `json:"channel"`
	Params  map[string]struct {
		Value float64 `json:"value"`
		Unit  string  `json:"unit"`
	} `json:"params"`
	Environment struct {
		T    float64   `json:"T_degC"`
		ECa  *float64  `json:"E_Ca_mV"`
		EK   *float64  `json:"E_K_mV"`
		CaIn []float64 `json:"Ca_i_mM"`
	} `json:"environment"`
	Protocol struct {
		VHold float64   `json:"V_hold_mV"`
		VTest []float64 `json:"V_test_mV"`
		H     float64   `json:"h_ms"`
		Index []int     `json:"sample_index"`
		T     []float64 `json:"t_ms"`
	} `json:"protocol"`
	Gates []string `json:"gates"`
	Runs  []struct {
		T      *float64 `json:"T_degC"` // when not environment.T_degC
		CaHold *float64 `json:"Ca_i_hold_mM"`
		CaTest *float64 `json:"Ca_i_test_mM"`
		Steps  []struct {
			VTest float64              `json:"V_test_mV"`
			I     []float64            `json:"I_uA_cm2"`
			Gates map[string][]float64 `json:"gates"`
		} `json:"steps"`
	} `json:"runs"`
}

// valJob is what the driver program runs: one harness package through one reference's protocol.
type valJob struct {
	Pkg     string
	Channel string
	VHold   float64
	VTest   []float64
	H       float64
	Sub     int // steps of the generated code per grid step h
	Index   []int
	Vars    []string
	Runs    []valJobRun
}

type valJobRun struct{ T, CaHold, CaTest *float64 } // T in the model's unit of T

// valResult is the driver's output for one job: [run][step] samples.
type valResult struct {
	Pkg  string
	Err  string
	Runs [][]struct {
		I    []float64
		Vars map[string][]float64
	}
}

// valHarness is one generated package and the reference it is compared with.
type valHarness struct {
	name   string // channel, or mutant name
	pkg    string
	ref    *valReference
	method string
	mutant string // what a mutant changes; "" for the real channel
	params string // which reference parameters were compared with the stock defaults
	tUnit  string // the model's unit of the group's T
}

func valLoadReferences(t *testing.T) map[string]*valReference {
	t.Helper()
	dir := filepath.Join(gomodtest.Root(t), "testdata", "reference", "channels")
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	refs := map[string]*valReference{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r := new(valReference)
		if err := json.Unmarshal(src, r); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		if r.Channel != name {
			t.Fatalf("%s: names channel %q", f, r.Channel)
		}
		if len(r.Protocol.Index) != len(r.Protocol.T) || len(r.Protocol.Index) < 2 || r.Protocol.Index[0] != 0 {
			t.Fatalf("%s: bad sample_index", f)
		}
		for _, run := range r.Runs {
			if len(run.Steps) != len(r.Protocol.VTest) {
				t.Fatalf("%s: %d steps, want one per V_test", f, len(run.Steps))
			}
			for i, st := range run.Steps {
				if st.VTest != r.Protocol.VTest[i] || len(st.I) != len(r.Protocol.T) {
					t.Fatalf("%s: step %d malformed", f, i)
				}
				for _, x := range r.Gates {
					if len(st.Gates[x]) != len(r.Protocol.T) {
						t.Fatalf("%s: step %d: gate %s has %d samples", f, i, x, len(st.Gates[x]))
					}
				}
			}
		}
		refs[name] = r
	}
	return refs
}

// valSpec is a spec that uses the stock channel name as it is (or with the overrides),
// with the reference's environment.
func valSpec(r *valReference, name, overrides, method string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "neurogen: 1\nmodel: %s\ndoc: validation harness for stock channel %s\n", name, r.Channel)
	fmt.Fprintf(&b, "membrane: {C: 1 uF/cm2, V_init: %s mV}\nmethod: %s\n", valNum(r.Protocol.VHold), method)
	fmt.Fprintf(&b, "params: {T: %s degC}\n", valNum(r.Environment.T))
	var ions []string
	if r.Environment.ECa != nil || len(r.Environment.CaIn) > 0 {
		ca := "Ca: {E: 120 mV"
		if r.Environment.ECa != nil {
			ca = "Ca: {E: " + valNum(*r.Environment.ECa) + " mV"
		}
		if len(r.Environment.CaIn) > 0 {
			ca += ", C_i: " + valNum(r.Environment.CaIn[0]) + " mM"
		}
		ions = append(ions, ca+"}")
	}
	if r.Environment.EK != nil {
		ions = append(ions, "K: {E: "+valNum(*r.Environment.EK)+" mV}")
	}
	if len(ions) > 0 {
		b.WriteString("ions:\n")
		for _, ion := range ions {
			b.WriteString("  " + ion + "\n")
		}
	}
	fmt.Fprintf(&b, "channels:\n  %s: {use: %s%s}\n", r.Channel, r.Channel, overrides)
	return b.String()
}

func valNum(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// valMethod is rk4 for a channel with coupled kinetic states (`deriv:`), exp_auto otherwise.
func valMethod(t *testing.T, lib *library.Library, name string) string {
	t.Helper()
	c, err := lib.Channel(name)
	if err != nil || c == nil {
		t.Fatalf("stock channel %s: %v", name, err)
	}
	for _, g := range c.Channel.Gates {
		if g.Deriv != nil {
			return "rk4"
		}
	}
	return "exp_auto"
}

// valBuild checks and generates a harness into the module, and checks the stock channel's
// parameter defaults against the reference's parameters of the same name.
func valBuild(t *testing.T, mod string, h *valHarness, overrides string, lib check.Library) {
	t.Helper()
	src := valSpec(h.ref, h.name, overrides, h.method)
	file := h.pkg + ".yaml"
	s, err := spec.Load(file, []byte(src))
	if err != nil {
		t.Fatalf("%s: harness spec:\n%s\n%v", h.name, src, err)
	}
	m, err := check.Check(s, check.Options{Package: h.pkg, Library: lib})
	if err != nil {
		t.Fatalf("%s: harness spec:\n%s\n%v", h.name, src, err)
	}
	if h.mutant == "" {
		h.params = valCheckDefaults(t, h.ref, m)
	}
	for _, p := range m.Params {
		if p.Name == "T" {
			h.tUnit = p.Unit
		}
	}
	files, err := codegen.Generate(m, codegen.Options{SpecName: file})
	if err != nil {
		t.Fatal(err)
	}
	for fn, code := range files {
		gomodtest.WriteFile(t, filepath.Join(mod, h.pkg, fn), code)
	}
}

// valCheckDefaults compares the reference's parameters with the checked model's defaults of the
// same name (both in neurogen's internal units) and says which it compared. Temperatures and
// names the stock channel does not have (BrainPy's T, or phi where neurogen computes it from
// the group's T) are skipped: the comparison of currents covers them.
func valCheckDefaults(t *testing.T, r *valReference, m *ir.Model) string {
	t.Helper()
	params := map[string]*ir.Param{}
	for _, p := range m.Params {
		params[p.Name] = p
	}
	var names, same, skipped []string
	for n := range r.Params {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		rp := r.Params[n]
		p := params[r.Channel+"."+n]
		if p == nil || rp.Unit == "degC" {
			skipped = append(skipped, n)
			continue
		}
		if p.Unit != rp.Unit {
			t.Errorf("%s: parameter %s in %s, the reference's in %s", r.Channel, n, p.Unit, rp.Unit)
			continue
		}
		if math.Abs(p.Default-rp.Value) > 1e-12*math.Abs(rp.Value) {
			t.Errorf("%s: parameter %s defaults to %v %s, the reference (BrainPy's default) is %v %s",
				r.Channel, n, p.Default, p.Unit, rp.Value, rp.Unit)
			continue
		}
		same = append(same, n)
	}
	out := "defaults " + strings.Join(same, " ")
	if len(skipped) > 0 {
		out += " (not in the channel: " + strings.Join(skipped, " ") + ")"
	}
	return out
}

// valDeviation is the worst deviation of one harness from its reference.
type valDeviation struct {
	gate                float64 // worst |Δx|
	curPeak, curPoint   float64 // worst |ΔI|/max|I| of the step, worst |ΔI|/|I| where |I| ≥ floor
	fails               int
	first               string
	gateWhere, curWhere string
	comparisons         int
}

func valCompare(h *valHarness, res *valResult) *valDeviation {
	r := h.ref
	d := &valDeviation{}
	fail := func(msg string, args ...any) {
		if d.fails == 0 {
			d.first = fmt.Sprintf(msg, args...)
		}
		d.fails++
	}
	if res.Err != "" {
		fail("driver: %s", res.Err)
		return d
	}
	if len(res.Runs) != len(r.Runs) {
		fail("driver returned %d runs, want %d", len(res.Runs), len(r.Runs))
		return d
	}
	for ri, run := range r.Runs {
		where := ""
		if run.T != nil {
			where = fmt.Sprintf("T = %g degC, ", *run.T)
		}
		if run.CaHold != nil {
			where += fmt.Sprintf("[Ca]i %g → %g mM, ", *run.CaHold, *run.CaTest)
		}
		if len(res.Runs[ri]) != len(run.Steps) {
			fail("%sthe driver returned %d steps, want %d", where, len(res.Runs[ri]), len(run.Steps))
			continue
		}
		for si, st := range run.Steps {
			got := res.Runs[ri][si]
			ok := len(got.I) == len(r.Protocol.T)
			for _, x := range r.Gates {
				ok = ok && len(got.Vars[x]) == len(r.Protocol.T)
			}
			if !ok {
				fail("%sV = %g mV: the driver's samples do not match the reference's", where, st.VTest)
				continue
			}
			peak := 0.0
			for _, v := range st.I {
				peak = math.Max(peak, math.Abs(v))
			}
			for k, tk := range r.Protocol.T {
				at := fmt.Sprintf("%sV = %g mV, t = %g ms", where, st.VTest, tk)
				d.comparisons++
				ref, g := st.I[k], got.I[k]
				diff := math.Abs(g - ref)
				tol := valCurrentRel * math.Max(math.Abs(ref), valCurrentFloor*peak)
				if peak > 0 && diff/peak > d.curPeak {
					d.curPeak = diff / peak
					d.curWhere = at
				}
				if math.Abs(ref) >= valCurrentFloor*peak && ref != 0 {
					d.curPoint = math.Max(d.curPoint, diff/math.Abs(ref))
				}
				if !(diff <= tol) {
					fail("%s: I = %.12g uA/cm2, reference %.12g (|Δ| %.3g > %.3g)", at, g, ref, diff, tol)
				}
				for _, x := range r.Gates {
					d.comparisons++
					gx, rx := got.Vars[x][k], st.Gates[x][k]
					gd := math.Abs(gx - rx)
					if gd > d.gate || math.IsNaN(gd) {
						d.gate, d.gateWhere = gd, x+" at "+at
					}
					if !(gd <= valGateAbs) {
						fail("%s: %s = %.12g, reference %.12g (|Δ| %.3g > %g)", at, x, gx, rx, gd, valGateAbs)
					}
				}
			}
		}
	}
	return d
}

// valVarName is the generated group's name of a reference state.
func valVarName(channel, gate string) string { return channel + "." + gate }

func TestValidation(t *testing.T) {
	gomodtest.NeedGo(t)
	refs := valLoadReferences(t)
	lib := library.Stock

	// Every stock channel has a reference, and every reference a stock channel.
	var names []string
	for _, n := range lib.Names() {
		if refs[n] == nil {
			t.Errorf("stock channel %s has no reference in testdata/reference/channels: add it to tools/reference/channels.py", n)
			continue
		}
		names = append(names, n)
	}
	for n := range refs {
		if !slices.Contains(lib.Names(), n) {
			t.Errorf("testdata/reference/channels/%s.json: no stock channel %s", n, n)
		}
	}

	mod := gomodtest.TempModule(t, "example.com/validation")
	var hs []*valHarness
	for _, n := range names {
		h := &valHarness{name: n, pkg: "v_" + strings.ToLower(n), ref: refs[n], method: valMethod(t, lib, n)}
		valBuild(t, mod, h, "", lib)
		hs = append(hs, h)
	}

	// Mutants: the comparison must reject them.
	if r := refs["INa_HH1952"]; r != nil {
		h := &valHarness{name: "INa_HH1952", pkg: "mutant_gmax", ref: r, method: "exp_auto",
			mutant: "g_max 120.0003 mS/cm2 instead of 120 (2.5e-6 relative)"}
		valBuild(t, mod, h, ", g_max: 120.0003 mS/cm2", lib)
		hs = append(hs, h)

		src, _ := lib.Source("INa_HH1952")
		const from, to = "beta: 4/ms * exp(-(u + 20*mV)/(18*mV))", "beta: 4/ms * exp(-(u + 20*mV)/(18.001*mV))"
		if strings.Count(string(src), from) == 1 {
			mlib := library.New(fstest.MapFS{"channels/INa_HH1952.yaml": {Data: []byte(strings.Replace(string(src), from, to, 1))}},
				"channels", "mutant")
			h := &valHarness{name: "INa_HH1952", pkg: "mutant_rate", ref: r, method: "exp_auto",
				mutant: "beta_p with 18.001 mV for 18 mV"}
			valBuild(t, mod, h, "", mlib)
			hs = append(hs, h)
		} else {
			t.Errorf("INa_HH1952.yaml no longer has %q: update the mutant of TestValidation", from)
		}
	}

	jobs, results := valRun(t, mod, hs)

	for i, h := range hs {
		d := valCompare(h, results[i])
		if h.mutant != "" {
			if d.fails == 0 {
				t.Errorf("mutant %s (%s): the comparison accepted it (worst |ΔI|/max|I| %.3g, |Δx| %.3g)",
					h.pkg, h.mutant, d.curPeak, d.gate)
			} else {
				t.Logf("mutant %-12s rejected as it must be: %d of %d comparisons fail, first: %s", h.pkg, d.fails, d.comparisons, d.first)
			}
			continue
		}
		t.Logf("%-13s %-8s dt %-6g worst |ΔI|/max|I| %.2g (%s), worst |ΔI|/|I| %.2g, worst |Δx| %.2g (%s); %s",
			h.name, h.method, h.ref.Protocol.H/float64(jobs[i].Sub), d.curPeak, d.curWhere, d.curPoint, d.gate, d.gateWhere, h.params)
		if d.fails > 0 {
			t.Errorf("%s: %d of %d comparisons outside tolerance; first: %s", h.name, d.fails, d.comparisons, d.first)
		}
	}
}

// valRun writes the driver program into the module with every harness, runs it through each
// harness's reference protocol and returns the jobs and the results, with the states renamed to
// the reference's gate names.
func valRun(t *testing.T, mod string, hs []*valHarness) ([]valJob, []*valResult) {
	t.Helper()
	var reg strings.Builder
	reg.WriteString("package main\n\nimport (\n\t\"github.com/neurogen/neurogen/runtime\"\n")
	for _, h := range hs {
		fmt.Fprintf(&reg, "\t%q\n", "example.com/validation/"+h.pkg)
	}
	reg.WriteString(")\n\nvar groups = map[string]func(n int) runtime.Group{\n")
	for _, h := range hs {
		fmt.Fprintf(&reg, "\t%q: func(n int) runtime.Group { return %s.New(n) },\n", h.pkg, h.pkg)
	}
	reg.WriteString("}\n")
	gomodtest.WriteFile(t, filepath.Join(mod, "groups.go"), []byte(reg.String()))
	gomodtest.WriteFile(t, filepath.Join(mod, "main.go"), []byte(valDriver))

	var jobs []valJob
	for _, h := range hs {
		r := h.ref
		sub := 1
		if h.method == "rk4" {
			sub = int(math.Ceil(r.Protocol.H/valRK4MaxDt - 1e-9))
		}
		j := valJob{Pkg: h.pkg, Channel: r.Channel, VHold: r.Protocol.VHold, VTest: r.Protocol.VTest, H: r.Protocol.H,
			Sub: sub, Index: r.Protocol.Index}
		for _, x := range r.Gates {
			j.Vars = append(j.Vars, valVarName(r.Channel, x))
		}
		for _, run := range r.Runs {
			jr := valJobRun{CaHold: run.CaHold, CaTest: run.CaTest}
			if run.T != nil {
				if h.tUnit != "K" {
					t.Fatalf("%s: the group's T is in %q, not K", h.name, h.tUnit)
				}
				T := *run.T + 273.15
				jr.T = &T
			}
			j.Runs = append(j.Runs, jr)
		}
		jobs = append(jobs, j)
	}
	in, err := json.Marshal(jobs)
	if err != nil {
		t.Fatal(err)
	}
	out := gomodtest.Run(t, mod, in, "run", ".")
	var results []*valResult
	if err := json.Unmarshal([]byte(out), &results); err != nil {
		t.Fatalf("driver output: %v", err)
	}
	if len(results) != len(hs) {
		t.Fatalf("driver returned %d results for %d harnesses", len(results), len(hs))
	}

	for i, h := range hs {
		// Rename the driver's CHANNEL.GATE variables to the reference's gate names.
		for _, run := range results[i].Runs {
			for s := range run {
				vars := map[string][]float64{}
				for _, x := range h.ref.Gates {
					vars[x] = run[s].Vars[valVarName(h.ref.Channel, x)]
				}
				run[s].Vars = vars
			}
		}
	}
	return jobs, results
}

// valDriver runs the jobs it reads from stdin and writes the results to stdout, as JSON. For each
// run of a job: a group of one neuron per V_test, clamped; [Ca]i at the holding level; Reset
// (V at V_init = V_hold, every state at its steady state there); then V set to V_test and
// [Ca]i to the test level, and Step at h/Sub, sampling at the grid indices.
const valDriver = `package main

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
)

type job struct {
	Pkg     string
	Channel string
	VHold   float64
	VTest   []float64
	H       float64
	Sub     int
	Index   []int
	Vars    []string
	Runs    []struct{ T, CaHold, CaTest *float64 }
}

type sample struct {
	I    []float64
	Vars map[string][]float64
}

type result struct {
	Pkg  string
	Err  string
	Runs [][]sample
}

func main() {
	var jobs []job
	if err := json.NewDecoder(os.Stdin).Decode(&jobs); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	var out []*result
	for _, j := range jobs {
		out = append(out, run(j))
	}
	if err := json.NewEncoder(os.Stdout).Encode(out); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run(j job) *result {
	r := &result{Pkg: j.Pkg}
	fail := func(format string, args ...any) *result {
		r.Err = fmt.Sprintf(format, args...)
		r.Runs = nil
		return r
	}
	for _, ru := range j.Runs {
		n := len(j.VTest)
		g := groups[j.Pkg](n)
		g.SetVoltageClamp(true)
		if ru.T != nil {
			if err := g.SetParam("T", *ru.T); err != nil {
				return fail("%v", err)
			}
		}
		if ru.CaHold != nil {
			if err := g.SetParam("Ca.C_i", *ru.CaHold); err != nil {
				return fail("%v", err)
			}
		}
		g.Reset()
		V := g.Var("V")
		for i := range V {
			if V[i] != j.VHold {
				return fail("Reset put V at %v mV, not V_hold = %v mV", V[i], j.VHold)
			}
			V[i] = j.VTest[i]
		}
		if ru.CaTest != nil {
			if err := g.SetParam("Ca.C_i", *ru.CaTest); err != nil {
				return fail("%v", err)
			}
		}
		ci := slices.Index(g.Model().Currents, j.Channel)
		if ci < 0 {
			return fail("no current %s in %v", j.Channel, g.Model().Currents)
		}
		vars := make([][]float64, len(j.Vars))
		for k, name := range j.Vars {
			if vars[k] = g.Var(name); vars[k] == nil {
				return fail("no variable %s", name)
			}
		}
		samples := make([]sample, n)
		for i := range samples {
			samples[i].Vars = map[string][]float64{}
		}
		cur := make([]float64, len(g.Model().Currents))
		bad := ""
		take := func(t float64) {
			for i := range samples {
				g.Currents(i, cur)
				samples[i].I = append(samples[i].I, finite(cur[ci], &bad, "I", t))
				for k, name := range j.Vars {
					samples[i].Vars[name] = append(samples[i].Vars[name], finite(vars[k][i], &bad, name, t))
				}
			}
		}
		take(0)
		dt := j.H / float64(j.Sub)
		k := 0
		for _, target := range j.Index[1:] {
			for ; k < target; k++ {
				for s := 0; s < j.Sub; s++ {
					g.Step(float64(k*j.Sub+s)*dt, dt)
				}
			}
			take(float64(k) * j.H)
		}
		if bad != "" {
			return fail("%s", bad)
		}
		for i := range V {
			if V[i] != j.VTest[i] {
				return fail("the clamp let V move from %v to %v mV", j.VTest[i], V[i])
			}
		}
		r.Runs = append(r.Runs, samples)
	}
	return r
}

// finite returns v, or 0 after noting the first non-finite value in bad (JSON has no NaN).
func finite(v float64, bad *string, name string, t float64) float64 {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		if *bad == "" {
			*bad = fmt.Sprintf("%s = %v at t = %v ms", name, v, t)
		}
		return 0
	}
	return v
}
`

// TestValidationMutants (set NEUROGEN_MUTANTS=1 to run it; about two minutes) measures how
// sharp the validation is: for every stock channel and every number in its file outside the
// doc (parameter values, constants of the rates and the current; exponents after ** excepted,
// as a non-integer power of a concentration does not check), a copy of the channel with that
// number 0.1% larger (0.001 for a 0) must fail the comparison with its reference.
func TestValidationMutants(t *testing.T) {
	if os.Getenv("NEUROGEN_MUTANTS") == "" {
		t.Skip("set NEUROGEN_MUTANTS=1 to run the mutation sweep")
	}
	gomodtest.NeedGo(t)
	refs := valLoadReferences(t)
	lib := library.Stock
	mod := gomodtest.TempModule(t, "example.com/validation")
	number := regexp.MustCompile(`(?:^|[^\w.])(\d+(?:\.\d+)?(?:e-?\d+)?)`)
	var hs []*valHarness
	for _, n := range lib.Names() {
		if refs[n] == nil {
			continue
		}
		src, _ := lib.Source(n)
		text := string(src)
		inDoc, off := false, 0
		for li, line := range strings.Split(text, "\n") {
			start := off
			off += len(line) + 1
			switch {
			case strings.HasPrefix(line, "doc:"):
				inDoc = true
				continue
			case inDoc && (strings.HasPrefix(line, " ") || line == ""):
				continue
			}
			inDoc = false
			code := line
			if li < 2 || strings.HasPrefix(strings.TrimSpace(code), "doc:") {
				continue
			}
			if i := strings.Index(code, "doc:"); i >= 0 {
				code = code[:i]
			}
			for _, m := range number.FindAllStringSubmatchIndex(code, -1) {
				a, b := m[2], m[3]
				if a >= 2 && code[a-2:a] == "**" {
					continue
				}
				v, _ := strconv.ParseFloat(code[a:b], 64)
				nv := v * 1.001
				if v == 0 {
					nv = 0.001
				}
				mut := text[:start+a] + strconv.FormatFloat(nv, 'g', -1, 64) + text[start+b:]
				mlib := library.New(fstest.MapFS{"channels/" + n + ".yaml": {Data: []byte(mut)}}, "channels", "mutant")
				h := &valHarness{name: n, pkg: fmt.Sprintf("mutant%d", len(hs)), ref: refs[n], method: valMethod(t, lib, n),
					mutant: fmt.Sprintf("%s.yaml:%d: %s → %g in %q", n, li+1, code[a:b], nv, strings.TrimSpace(line))}
				valBuild(t, mod, h, "", mlib)
				hs = append(hs, h)
			}
		}
	}
	_, results := valRun(t, mod, hs)
	caught := 0
	for i, h := range hs {
		if d := valCompare(h, results[i]); d.fails == 0 {
			t.Errorf("mutant not caught: %s (worst |ΔI|/max|I| %.2g, |Δx| %.2g)", h.mutant, d.curPeak, d.gate)
		} else {
			caught++
		}
	}
	t.Logf("%d of %d mutants caught", caught, len(hs))
}
