package spec

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const netSrc = `neurogen: 1
network: Net
doc: two groups
dt: 0.1 ms
seed: 7
groups:
  exc:
    model: neuron.yaml
    n: 80
    init:
      V: normal(-65 mV, 5 mV)
      Na.m: 0
      E.g: {file: ge.npy}
  inh:
    model: {model: Inh, membrane: {C: 1 uF/cm2, V_init: -65 mV}, channels: {L: {g_max: 1 mS/cm2, E: -60 mV}}}
    n: 20
projections:
  ee:
    from: exc
    to: [exc, inh]
    receptor: E
    connect: {p: 0.02}
    weight: 6 nS
    delay: 1 ms
    self: false
inputs:
  drive: {to: exc, receptor: E, poisson: 5 Hz, weight: 1 nS}
  noise: {to: inh, ou: {mean: 0 nA, sd: 0.1 nA, tau: 5 ms}, seed: 3}
`

func TestLoadNetwork(t *testing.T) {
	n, err := LoadNetwork("net.yaml", []byte(netSrc))
	if err != nil {
		t.Fatal(err)
	}
	if !IsNetwork([]byte(netSrc)) || IsNetwork([]byte(base+chan1)) {
		t.Error("IsNetwork does not tell a network from a group spec")
	}
	at := func(s Scalar) string { return s.Pos.String() }
	if n.Name.Value != "Net" || n.DT.Value != "0.1 ms" || n.Seed.Value != "7" || n.Doc != "two groups" {
		t.Errorf("top fields: %+v", n)
	}
	if len(n.Groups) != 2 || len(n.Projections) != 1 || len(n.Inputs) != 2 {
		t.Fatalf("got %d groups, %d projections, %d inputs", len(n.Groups), len(n.Projections), len(n.Inputs))
	}
	exc, inh := n.Groups[0], n.Groups[1]
	if exc.Model == nil || exc.Model.Value != "neuron.yaml" || at(*exc.Model) != "net.yaml:8:12" || exc.N.Value != "80" {
		t.Errorf("group exc: %+v", exc)
	}
	if len(exc.Init) != 3 || exc.Init[0].State.Value != "V" || exc.Init[0].Value.Value != "normal(-65 mV, 5 mV)" ||
		at(*exc.Init[0].Value) != "net.yaml:11:10" || exc.Init[2].File == nil || exc.Init[2].File.Value != "ge.npy" {
		t.Errorf("init of exc: %+v %+v %+v", exc.Init[0], exc.Init[1], exc.Init[2])
	}
	if inh.Spec == nil || inh.Spec.Model.Value != "Inh" || len(inh.Spec.Channels) != 1 || inh.Spec.File != "net.yaml" ||
		inh.Spec.Start().String() != "net.yaml:15:12" || at(inh.Spec.Channels[0].Name) != "net.yaml:15:77" {
		t.Errorf("inline group inh: %+v", inh.Spec)
	}
	p := n.Projections[0]
	if p.From.Value != "exc" || len(p.To) != 2 || p.To[1].Value != "inh" || at(p.To[1]) != "net.yaml:20:15" ||
		p.Receptor.Value != "E" || p.Connect.Rule.Value != "p" || p.Connect.Arg.Value != "0.02" ||
		p.Weight.Value != "6 nS" || p.Delay.Value != "1 ms" || p.Self == nil || p.Self.Value || p.Multapses != nil {
		t.Errorf("projection: %+v", p)
	}
	in := n.Inputs[1]
	if n.Inputs[0].Poisson.Value != "5 Hz" || n.Inputs[0].Weight.Value != "1 nS" ||
		in.OU == nil || in.OU.Tau.Value != "5 ms" || in.Seed.Value != "3" {
		t.Errorf("inputs: %+v %+v", n.Inputs[0], in)
	}
}

func TestLoadNetworkErrors(t *testing.T) {
	const head = "neurogen: 1\nnetwork: N\n"
	const g = "groups: {a: {model: a.yaml, n: 1}}\n"
	tests := []struct{ name, src, want string }{
		{"missing", "neurogen: 1\n", "t.yaml:1:1: missing `groups` (the network's groups of neurons)\n" +
			"t.yaml:1:1: missing `network` (the network's name, e.g. `network: COBAHH`)"},
		{"unknown field", head + g + "projectons: {}\n", "t.yaml:4:1: unknown field `projectons` (did you mean `projections`?)"},
		{"group without model", head + "groups: {a: {n: 1, modle: x}}\n",
			"t.yaml:3:20: group `a`: unknown field `modle` (did you mean `model`?)"},
		{"group fields", head + "groups: {a: {n: 1.5}}\n",
			"t.yaml:3:10: group `a`: missing `model` (a group spec file, or a group spec written inline)\n" +
				"t.yaml:3:17: `n` must be an integer, got a float"},
		{"inline spec errors", head + "groups: {a: {n: 1, model: {model: M, channels: {}}}}\n",
			"t.yaml:3:27: missing `membrane`\nt.yaml:3:38: `channels` is empty"},
		{"two rules", head + g + "projections: {x: {from: a, to: a, receptor: E, weight: 1 nS, connect: {p: 0.1, all: true}}}\n",
			"t.yaml:4:80: projection `x`: connect: give one rule, not both `p` and `all`"},
		{"rule false", head + g + "projections: {x: {from: a, to: a, receptor: E, weight: 1 nS, connect: {all: false}}}\n",
			"t.yaml:4:77: projection `x`: connect: `all: false` connects nothing; write `all: true`, or another rule"},
		{"projection missing", head + g + "projections: {x: {from: a, to: [], conect: {p: 1}}}\n",
			"t.yaml:4:15: projection `x`: missing `receptor` (the receptor of the postsynaptic group that a spike reaches)\n" +
				"t.yaml:4:15: projection `x`: missing `weight` (the weight of a connection)\n" +
				"t.yaml:4:32: `to` is an empty list\n" +
				"t.yaml:4:36: projection `x`: unknown field `conect` (did you mean `connect`?)"},
		{"input kinds", head + g + "inputs: {i: {to: a, poisson: 1 Hz, current: \"step(0 ms, 1 ms, 1 nA)\", weight: 1 nS, receptor: E}}\n",
			"t.yaml:4:36: input `i`: give one kind of input, not both `poisson` and `current`"},
		{"input receptor on a current", head + g + "inputs: {i: {to: a, receptor: E, ou: {mean: 0 nA, sd: 1 nA}}}\n",
			"t.yaml:4:21: input `i`: `receptor` is for Poisson trains; `ou` is a current into the membrane\n" +
				"t.yaml:4:34: input `i`: ou: missing `tau`"},
		{"weights from the file", head + g + "projections: {x: {from: a, to: a, receptor: E, connect: {file: c.npz}, weight_typ: float32}}\n",
			"t.yaml:4:72: projection `x`: unknown field `weight_typ` (did you mean `weight_type`?)"},
		{"poisson without weight", head + g + "inputs: {i: {to: a, receptor: E, poisson: 1 Hz}}\n",
			"t.yaml:4:10: input `i`: missing `weight` (Poisson trains reach a receptor with a weight)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := LoadNetwork("t.yaml", []byte(tc.src))
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %v (%T), want an ErrorList", err, err)
			}
			if got := strings.TrimSpace(list.Error()); got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

// FuzzLoadNetwork checks that LoadNetwork never panics, that its errors are sorted, point into
// the file and say something on one line, and that it marks what it returns Incomplete exactly
// when it reports errors.
func FuzzLoadNetwork(f *testing.F) {
	f.Add([]byte(netSrc))
	for _, pat := range []string{"../specs/networks/*.yaml", "../check/testdata/networks/*.yaml", "../check/testdata/networks/errors/*.yaml"} {
		files, _ := filepath.Glob(pat)
		for _, file := range files {
			if src, err := os.ReadFile(file); err == nil {
				f.Add(src)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		n, err := LoadNetwork("f.yaml", src)
		lines := len(lineStarts(string(src)))
		var list ErrorList
		switch {
		case err == nil && (n == nil || n.Incomplete):
			t.Fatalf("no error, but network %v (incomplete: %t)", n, n != nil && n.Incomplete)
		case err != nil && !errors.As(err, &list):
			t.Fatalf("error %T %v is not an ErrorList", err, err)
		case err != nil && n != nil && !n.Incomplete:
			t.Fatalf("errors, but the network is not marked incomplete:\n%v", err)
		}
		for i, e := range list {
			if p := e.Pos.Position(); p.File != "f.yaml" || p.Line < 1 || p.Line > lines || p.Col < 1 {
				t.Errorf("error %q has a bad position (%d lines)", e, lines)
			}
			if e.Msg == "" || strings.ContainsAny(e.Msg, "\n\x1b") {
				t.Errorf("error %q has a bad message", e)
			}
			if i > 0 && e.Pos.Before(list[i-1].Pos) {
				t.Errorf("errors not sorted: %v before %v", list[i-1], e)
			}
		}
	})
}
