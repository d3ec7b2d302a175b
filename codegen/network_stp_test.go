package codegen_test

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/internal/gomodtest"
)

// stpNet has short-term plasticity on two projections: per connection, depressing, and per
// presynaptic neuron, facilitating, onto two groups.
const stpNet = netHead + `projections:
  ab: {from: a, to: b, receptor: E, connect: {p: 0.3}, weight: 6 nS, plasticity: {model: tsodyks_markram, U: 0.5, tau_rec: 0.8 s}}
  ba: {from: b, to: [a, b], receptor: I, connect: {p: 0.2}, weight: 30 nS,
       plasticity: {model: tsodyks_markram, U: 0.1, tau_rec: 100 ms, tau_facil: 1 s, per: presynaptic}}
  aa: {from: a, to: a, receptor: E, connect: {p: 0.1}, weight: 1 nS}
`

const stpMain = `package main

import (
	"encoding/json"
	"os"

	"example.com/netstp/small"
	"github.com/neurogen/neurogen/runtime"
)

func main() {
	net, err := small.New()
	if err != nil {
		panic(err)
	}
	out := map[string]any{}
	for _, name := range net.Sim.Projections() {
		tm, ok := net.Sim.Plasticity(name)
		if ok {
			out[name] = tm
		} else {
			out[name] = nil
		}
	}
	_ = runtime.TsodyksMarkram{}
	if err := net.Sim.Run(100); err != nil {
		panic(err)
	}
	json.NewEncoder(os.Stdout).Encode(out)
}
`

// TestGeneratedNetworkPlasticity builds a generated network whose spec gives short-term
// plasticity and checks that each projection of the Sim has the plasticity the spec says, in
// the runtime's units (ms), and none where the spec gives none, and that it runs.
func TestGeneratedNetworkPlasticity(t *testing.T) {
	gomodtest.NeedGo(t)
	net := loadNet(t, stpNet)
	files, err := codegen.GenerateNetwork(net, codegen.NetworkOptions{SpecName: "net.yaml", ImportPath: "example.com/netstp/small"})
	if err != nil {
		t.Fatal(err)
	}
	dir := gomodtest.TempModule(t, "example.com/netstp")
	for name, b := range files {
		gomodtest.WriteFile(t, filepath.Join(dir, "small", filepath.FromSlash(name)), b)
	}
	gomodtest.WriteFile(t, filepath.Join(dir, "main.go"), []byte(stpMain))
	type tm struct {
		U, TauRec, TauFacil float64
		PerPresynaptic      bool
	}
	var got map[string]*tm
	if err := json.Unmarshal([]byte(gomodtest.Run(t, dir, nil, "run", ".")), &got); err != nil {
		t.Fatal(err)
	}
	fac := &tm{U: 0.1, TauRec: 100, TauFacil: 1000, PerPresynaptic: true}
	want := map[string]*tm{"ab": {U: 0.5, TauRec: 800}, "ba_to_a": fac, "ba_to_b": fac, "aa": nil}
	if len(got) != len(want) {
		t.Fatalf("projections %v, want %v", got, want)
	}
	for name, w := range want {
		g, ok := got[name]
		switch {
		case !ok:
			t.Errorf("projection %s missing", name)
		case (g == nil) != (w == nil) || g != nil && *g != *w:
			t.Errorf("projection %s: plasticity %+v, want %+v", name, g, w)
		}
	}
}
