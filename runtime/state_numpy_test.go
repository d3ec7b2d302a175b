package runtime_test

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/runtime"
)

// TestStateFileNumpy: a state file loads in numpy (tools/npz_check.py), every array with the
// dtype, shape and bits that the Sim holds, and the metadata as JSON text.
func TestStateFileNumpy(t *testing.T) {
	py := python(t)
	sim, err := runtime.NewSim(0.025)
	if err != nil {
		t.Fatal(err)
	}
	g := hh52.New(3)
	copy(g.Input(), []float64{0, 10, 20})
	if err := sim.Add("hh", g); err != nil {
		t.Fatal(err)
	}
	if _, err := sim.NewSpikeDelay("hh", 1); err != nil {
		t.Fatal(err)
	}
	sim.Run(400)
	file := filepath.Join(t.TempDir(), "state.npz")
	if err := sim.Save(file); err != nil {
		t.Fatal(err)
	}
	bits := func(xs []float64) []string {
		out := make([]string, len(xs))
		for k, x := range xs {
			out[k] = fmt.Sprintf("%016x", math.Float64bits(x))
		}
		return out
	}
	type entry struct {
		Dtype string   `json:"dtype,omitempty"`
		Shape []int    `json:"shape"`
		Bits  []string `json:"bits,omitempty"`
	}
	arrays := map[string]entry{
		"hh.I_ext":      {Dtype: "<f8", Shape: []int{3}, Bits: bits(g.Input())},
		"hh.spike_time": {Dtype: "<f8", Shape: []int{3}, Bits: bits(g.SpikeTimes())},
		"hh.spiked":     {Dtype: "|b1", Shape: []int{3}},
		"hh.Na.g_max":   {Dtype: "<f8", Shape: []int{}, Bits: bits([]float64{g.Params.NaGMax})},
	}
	for _, v := range g.Model().Vars {
		arrays["hh."+v.Name] = entry{Dtype: "<f8", Shape: []int{3}, Bits: bits(g.Var(v.Name))}
	}
	b, err := json.Marshal(map[string]any{"arrays": arrays})
	if err != nil {
		t.Fatal(err)
	}
	sidecar := filepath.Join(t.TempDir(), "expect.json")
	if err := os.WriteFile(sidecar, b, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, filepath.Join("..", "tools", "npz_check.py"), file, "--expect", sidecar,
		"--has", "__meta__", "--has", "hh.spiked.delay").CombinedOutput()
	if err != nil {
		t.Fatalf("npz_check: %v\n%s", err, out)
	}
	// The metadata is JSON that numpy reads as text.
	meta, err := exec.Command(py, "-c", `import json, sys, numpy as np; m = json.loads(str(np.load(sys.argv[1])["__meta__"])); print(m["format"], m["step"], m["groups"][0]["model"])`, file).CombinedOutput()
	if err != nil || strings.TrimSpace(string(meta)) != "neurogen-state 400 HH52" {
		t.Errorf("numpy reading __meta__: %v: %s", err, meta)
	}
}
