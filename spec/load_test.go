package spec

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

func TestLoadValid(t *testing.T) {
	src, err := os.ReadFile("testdata/hh52.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Load("hh52.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	at := func(line, col int) Pos { return posAt(got.start.file, line, col) }
	sc := func(v string, line, col int) Scalar { return Scalar{Value: v, Pos: at(line, col)} }
	sp := func(v string, line, col int) *Scalar { s := sc(v, line, col); return &s }
	tx := func(v string, line, col int) *Text { return &Text{Src: v, Pos: at(line, col)} }
	want := &Spec{
		File:    "hh52.yaml",
		SHA256:  fmt.Sprintf("%x", sha256.Sum256(src)),
		Version: sc("1", 1, 11),
		Model:   sc("HH52", 2, 8),
		Doc:     "Hodgkin–Huxley squid axon.",
		DocPos:  at(3, 6),
		Membrane: &Membrane{
			Pos:   at(4, 1),
			C:     sp("1 uF/cm2", 5, 6),
			A:     sp("1e-3 cm2", 6, 6),
			VTh:   sp("0 mV", 7, 9),
			VInit: sp("uniform(-70 mV, -60 mV)", 8, 11), // at the quote
			Seed:  sp("42", 9, 9),
		},
		Method: sp("exp_auto", 10, 9),
		Params: []*Param{
			{Name: sc("I_ext", 12, 3), Value: sc("0 uA/cm2", 12, 18), Text: *tx("0 uA/cm2", 12, 18), PerNeuron: true, Doc: "injected current"},
			{Name: sc("T", 13, 3), Value: sc("6.3", 13, 6), Text: *tx("6.3", 13, 6)},
		},
		Defs: []*Def{{Name: sc("u", 15, 3), Expr: *tx("V - V_sh", 15, 6)}},
		Channels: []*Channel{
			{
				Name:    sc("Na", 17, 3),
				Doc:     "fast sodium",
				Current: tx("g_max * m**3 * h * (E - V)", 21, 14),
				Params: []*Param{
					{Name: sc("g_max", 19, 5), Value: sc("120 mS/cm2", 19, 12), Text: *tx("120 mS/cm2", 19, 12)},
					{Name: sc("E", 20, 5), Value: sc("50 mV", 20, 8), Text: *tx("50 mV", 20, 8)},
				},
				Defs: []*Def{{Name: sc("x", 22, 12), Expr: *tx("V + 40*mV", 22, 15)}},
				Gates: []*Gate{
					{
						Name:  sc("m", 24, 7),
						Alpha: tx("0.1/(mV*ms) * (V + 40*mV) / (1 - exp(-(V + 40*mV)/(10*mV)))", 25, 16),
						Beta:  tx("4/ms * exp(-(V + 65*mV)/(18*mV))", 26, 16),
						Phi:   tx("1", 27, 14),
						Power: sp("3", 28, 16),
						Doc:   "activation",
					},
					{
						Name: sc("h", 30, 7),
						Inf:  tx("1/(1 + exp((V + 60*mV)/(7*mV)))", 30, 17), // inside the quotes
						Tau:  tx("5 ms", 30, 56),
					},
				},
			},
			{
				Name:   sc("K", 31, 3),
				Use:    sp("IK_HH1952", 31, 12),
				Params: []*Param{{Name: sc("g_max", 31, 23), Value: sc("36 mS/cm2", 31, 30), Text: *tx("36 mS/cm2", 31, 30)}},
			},
			{
				Name:    sc("L", 32, 3),
				Current: tx("g_max * (E\n  - V)\n", 36, 7),
				Params: []*Param{
					{Name: sc("g_max", 33, 5), Value: sc("0.3 mS/cm2", 33, 12), Text: *tx("0.3 mS/cm2", 33, 12)},
					{Name: sc("E", 34, 5), Value: sc("-54.4 mV", 34, 8), Text: *tx("-54.4 mV", 34, 8)},
				},
			},
		},
	}
	if diff := cmp.Diff(want, got, cmpopts.IgnoreUnexported(Text{}, Scalar{}, Spec{}), cmp.Comparer(func(p, q Pos) bool { return p == q })); diff != "" {
		t.Errorf("Load mismatch (-want +got):\n%s", diff)
	}
	for _, x := range texts(got) {
		checkText(t, string(src), x)
	}
	if p := got.Channels[2].Current.PosAt(13); p != at(37, 9) {
		t.Errorf("PosAt of `-` in the literal block = %v, want 37:9", p)
	}
}

// base is the start of a valid spec; the error tests add to it.
const base = "neurogen: 1\nmodel: M\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\n"

// chan1 completes base.
const chan1 = "channels: {L: {g: 1 mS/cm2}}\n"

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want string // all errors, one per line
	}{
		// YAML syntax and unsupported YAML.
		{"syntax error", "neurogen: 1\nmodel: \"M\n", `t.yaml:2:8: YAML syntax error: could not find end character of double-quoted text`},
		{"tab indentation", "membrane:\n\tC: 1\n", `t.yaml:2:1: YAML syntax error: found character '\t' that cannot start any token`},
		// A key indented more than the one above: the error is at that key, not at the value
		// above that YAML reads it into.
		{"bad indentation", "neurogen: 1\n model: M\n", "t.yaml:2:2: YAML syntax error: mapping value is not allowed in this context: is `model` indented too far? (a line indented more than the key above it continues that key's value)"},
		{"bad indentation, value on its own line", "neurogen: 1\nmodel:\n  M\n    doc: x\n", "t.yaml:4:5: YAML syntax error: unexpected key name: is `doc` indented too far? (a line indented more than the key above it continues that key's value)"},
		{"multiple documents", base + chan1 + "---\nmodel: N\n", `t.yaml:5:1: multiple YAML documents are not supported (found a second one here)`},
		{"directive", "%YAML 1.2\n---\n" + base + chan1, `t.yaml:1:1: YAML directives are not supported`},
		{"anchor and alias", base + "channels:\n  Na: &a {g: 1}\n  K: *a\n", "t.yaml:5:7: anchors are not supported\nt.yaml:6:6: aliases are not supported"},
		{"tag", base + chan1 + "method: !!str rk4\n", "t.yaml:5:9: tags (`!!str`) are not supported"},
		{"merge key", base + "channels:\n  Na:\n    <<: {g: 1}\n", "t.yaml:6:5: merge keys (`<<`) are not supported"},
		{"complex key", base + chan1 + "? method\n: rk4\n", "t.yaml:5:1: complex mapping keys (`?`) are not supported"},
		{"numeric key", base + chan1 + "params: {1: 2}\n", "t.yaml:5:10: mapping keys must be names, got an integer"},
		{"null key", base + chan1 + "defs: {~: x}\n", "t.yaml:5:8: mapping keys must be names, got null"},
		{"invalid escapes", base + chan1 + "doc: \"\\xZZ \\u12G4 \\x41\\\"\"\n", "t.yaml:5:7: invalid escape sequence `\\xZZ`\nt.yaml:5:12: invalid escape sequence `\\u12G4`"},
		{"tab in unquoted text", base + "channels: {L: {g\tmax: 1, current: a\t+ b}}\n", "t.yaml:4:17: tab characters inside unquoted text are not supported; use spaces\nt.yaml:4:36: tab characters inside unquoted text are not supported; use spaces"},
		{"not a mapping", "- neurogen: 1\n", "t.yaml:1:1: the spec must be a mapping, got a sequence"},

		// YAML types.
		{"channels not a mapping", base + "channels: 5\n", "t.yaml:4:11: `channels` must be a mapping, got an integer"},
		{"doc not a string", base + chan1 + "doc: [1]\n", "t.yaml:5:6: `doc` must be a string, got a sequence"},
		{"model not a string", "neurogen: 1\nmodel: 5\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\n" + chan1, "t.yaml:2:8: `model` must be a string, got an integer"},
		{"value not a scalar", "neurogen: 1\nmodel: M\nmembrane: {C: [1], V_init: -65 mV}\n" + chan1, "t.yaml:3:15: `C` must be a value (a string or a number), got a sequence"},
		{"param not a value", base + chan1 + "params: {p: true}\n", "t.yaml:5:13: `p` must be a value or a mapping with `value:`, got a boolean"},
		{"per_neuron not a boolean", base + chan1 + "params: {p: {value: 1, per_neuron: yes}}\n", "t.yaml:5:36: `per_neuron` must be a boolean (true or false), got a string"},
		{"power not an integer", base + "channels: {L: {gates: {m: {inf: 1, tau: 1 ms, power: 1.5}}}}\n", "t.yaml:4:54: `power` must be an integer, got a float"},
		{"seed not an integer", "neurogen: 1\nmodel: M\nmembrane: {C: 1 uF/cm2, V_init: -65 mV, seed: x}\n" + chan1, "t.yaml:3:47: `seed` must be an integer, got a string"},
		{"version not an integer", "neurogen: \"1\"\nmodel: M\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\n" + chan1, "t.yaml:1:11: `neurogen` must be an integer, got a string"},
		{"expression not a scalar", base + "channels: {L: {current: {a: 1}}}\n", "t.yaml:4:25: `current` must be an expression (a string or a number), got a mapping"},
		{"channel not a mapping", base + "channels: {L: 1}\n", "t.yaml:4:15: channel `L` must be a mapping, got an integer"},
		{"gate not a mapping", base + "channels: {L: {gates: {m: x}}}\n", "t.yaml:4:27: gate `m` must be a mapping, got a string"},

		// Missing fields and values.
		{"missing membrane", "neurogen: 1\nmodel: M\n" + chan1, "t.yaml:1:1: missing `membrane`"},
		{"missing C", "neurogen: 1\nmodel: M\nmembrane:\n  V_init: -65 mV\n" + chan1, "t.yaml:3:1: membrane: missing `C` (the specific capacitance, e.g. `C: 1 uF/cm2`)"},
		{"missing V_init", "neurogen: 1\nmodel: M\nmembrane:\n  C: 1 uF/cm2\n" + chan1, "t.yaml:3:1: membrane: missing `V_init` (the initial potential, e.g. `V_init: -65 mV`)"},
		{"missing version", "model: M\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\n" + chan1, "t.yaml:1:1: missing `neurogen: 1` (the spec format version)"},
		{"missing model", "neurogen: 1\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\n" + chan1, "t.yaml:1:1: missing `model` (the model name, e.g. `model: HH52`)"},
		{"missing channels", base, "t.yaml:1:1: missing `channels`"},
		{"empty channels", base + "channels: {}\n", "t.yaml:4:1: `channels` is empty"},
		{"null channels", base + "channels:\n", "t.yaml:4:1: `channels` has no value"},
		{"null membrane", "neurogen: 1\nmodel: M\nmembrane:\n" + chan1, "t.yaml:3:1: `membrane` has no value"},
		{"null alpha", base + "channels:\n  Na:\n    gates:\n      m:\n        alpha:\n        beta: 1\n", "t.yaml:8:9: `alpha` has no value"},
		{"null param", base + chan1 + "params:\n  p:\n", "t.yaml:6:3: `p` has no value"},
		{"missing param value", base + chan1 + "params:\n  p: {per_neuron: true}\n", "t.yaml:6:3: param `p`: missing `value`"},
		{"empty expression", base + chan1 + "defs: {u: ''}\n", "t.yaml:5:11: `u` is empty"},
		{"empty file", "", "t.yaml:1:1: missing `channels`\nt.yaml:1:1: missing `membrane`\nt.yaml:1:1: missing `model` (the model name, e.g. `model: HH52`)\nt.yaml:1:1: missing `neurogen: 1` (the spec format version)"},

		// Unknown fields.
		{"unknown top-level field", base + chan1 + "membrain: {}\n", "t.yaml:5:1: unknown field `membrain` (did you mean `membrane`?)"},
		{"unknown field, no suggestion", base + chan1 + "colour: red\n", "t.yaml:5:1: unknown field `colour`"},
		{"unknown membrane field", "neurogen: 1\nmodel: M\nmembrane: {C: 1 uF/cm2, V_init: -65 mV, v_th: 0 mV}\n" + chan1, "t.yaml:3:41: membrane: unknown field `v_th` (did you mean `V_th`?)"},
		// A misspelled field is read as the field it misspells: no error for the missing `alpha`.
		{"unknown gate field", base + "channels: {L: {gates: {m: {alhpa: 1, beta: 1}}}}\n", "t.yaml:4:28: gate `m`: unknown field `alhpa` (did you mean `alpha`?)"},
		// Read as m's beta: no error for the missing `beta`.
		{"gate field indented as a gate", base + "channels: {L: {gates: {m: {alpha: 1}, beta: 1}}}\n", "t.yaml:4:39: `beta` is indented as a gate of channel `L`, but it is a field of a gate: indent it as the fields of gate `m` above"},
		{"misspelled channel field", base + "channels: {L: {gate: {m: {inf: 1, tau: 1}}}}\n", "t.yaml:4:16: channel `L`: unknown field `gate` (did you mean `gates`?)"},
		{"unknown param field", base + chan1 + "params: {p: {value: 1, per_neuronn: true}}\n", "t.yaml:5:24: param `p`: unknown field `per_neuronn` (did you mean `per_neuron`?)"},

		// Duplicate keys.
		{"duplicate top-level key", base + chan1 + "model: N\n", "t.yaml:5:1: duplicate key `model` (first at 2:1)"},
		{"duplicate gates", base + "channels:\n  Na:\n    gates:\n      m: {inf: 1, tau: 1}\n      h: {inf: 1, tau: 1}\n      m: {inf: 1, tau: 1}\n      m: {inf: 1, tau: 1}\n",
			"t.yaml:9:7: duplicate key `m` (first at 7:7)\nt.yaml:10:7: duplicate key `m` (first at 7:7)"},
		{"duplicate in flow mapping", "neurogen: 1\nmodel: M\nmembrane: {C: 1 uF/cm2, V_init: -65 mV, C: 2 uF/cm2}\n" + chan1, "t.yaml:3:41: duplicate key `C` (first at 3:12)"},

		// Names.
		{"non-ASCII name", "neurogen: 1\nmodel: naïve\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\n" + chan1, "t.yaml:2:8: invalid name `naïve`: names are ASCII letters, digits and `_`, not starting with a digit"},
		{"name starting with a digit", base + "channels: {2K: {g: 1}}\n", "t.yaml:4:12: invalid name `2K`: names are ASCII letters, digits and `_`, not starting with a digit"},
		{"reserved name", base + chan1 + "defs: {__x: 1}\n", "t.yaml:5:8: invalid name `__x`: names starting with `__` are reserved"},
		{"channel parameter name", base + "channels: {L: {g-max: 1}}\n", "t.yaml:4:16: invalid name `g-max`: names are ASCII letters, digits and `_`, not starting with a digit"},
		{"gate name", base + "channels: {L: {gates: {\"m 1\": {inf: 1, tau: 1}}}}\n", "t.yaml:4:24: invalid name `m 1`: names are ASCII letters, digits and `_`, not starting with a digit"},
		{"name with a line break", base + "channels: {L: {gates: {\"m\\n\": {inf: 1, tau: 1}}}}\n", `t.yaml:4:24: invalid name "m\n": names are ASCII letters, digits and ` + "`_`" + `, not starting with a digit`},

		// Gates.
		{"gate with alpha only", base + "channels: {L: {gates: {m: {alpha: 1}}}}\n", "t.yaml:4:24: gate `m`: give both `alpha` and `beta`"},
		{"gate with no kinetics", base + "channels: {L: {gates: {m: {power: 2}}}}\n", "t.yaml:4:24: gate `m`: give `alpha` and `beta`, or `inf` and `tau`, or `inf` alone (an instantaneous gate), or `deriv` and `init`"},
		{"tau without inf", base + "channels: {L: {gates: {m: {tau: 1}}}}\n", "t.yaml:4:24: gate `m`: `tau` needs `inf`"},
		{"deriv without init", base + "channels: {L: {gates: {m: {deriv: 1}}}}\n", "t.yaml:4:24: gate `m`: `deriv` needs `init` (its initial value), and `init` needs `deriv`"},
		{"instantaneous gate with phi", base + "channels: {L: {gates: {m: {inf: 1, phi: 2}}}}\n", "t.yaml:4:24: gate `m`: an instantaneous gate (`inf` alone) has no `phi`"},
		{"gate mixing forms", base + "channels: {L: {gates: {m: {alpha: 1, beta: 1, tau: 1}}}}\n", "t.yaml:4:24: gate `m` mixes forms: give `alpha` and `beta`, or `inf` and `tau`, or `inf` alone, or `deriv` and `init`"},

		// Versions.
		{"newer version", "neurogen: 2\nmodel: M\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\n" + chan1, "t.yaml:1:11: spec format version 2 is newer than this neurogen reads (up to 1)"},
		{"version 0", "neurogen: 0\nmodel: M\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\n" + chan1, "t.yaml:1:11: invalid spec format version 0 (versions start at 1)"},
		{"huge version", "neurogen: 18446744073709551615\nmodel: M\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\n" + chan1, "t.yaml:1:11: spec format version 18446744073709551615 is newer than this neurogen reads (up to 1)"},

		// Limits.
		{"not UTF-8", base + chan1 + "doc: caf\xe9\n", "t.yaml:5:9: the spec is not valid UTF-8"},
		{"too deep", base + chan1 + "doc: " + strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1) + "\n", "t.yaml:5:106: the spec is nested too deeply"},
		{"too many tokens", base + chan1 + "doc: [" + strings.Repeat("1,", MaxTokens) + "]\n", "t.yaml:5:19976: the spec is too large (more than 20000 YAML tokens)"},
		{"too large", base + chan1 + "doc: " + strings.Repeat("x", MaxSize-95) + "\n", "t.yaml:1:1: the spec is too large (1048577 bytes; at most 1048576)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load("t.yaml", []byte(tt.src))
			if err == nil {
				t.Fatalf("no error, want\n%s", tt.want)
			}
			var list ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error is a %T, not an ErrorList", err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("got\n%s\nwant\n%s", got, tt.want)
			}
			// A byte order mark, which editors do not show, moves no error (it took three
			// columns of line 1); the size limit counts its bytes.
			if tt.name == "too large" {
				return
			}
			_, err = Load("t.yaml", []byte("\ufeff"+tt.src))
			if err == nil || err.Error() != tt.want {
				t.Errorf("after a byte order mark: got\n%v\nwant\n%s", err, tt.want)
			}
		})
	}
}

// TestLoadManyErrors checks that Load reports every problem of a spec at once, in order, and
// still returns what it could read.
func TestLoadManyErrors(t *testing.T) {
	src := `neurogen: 2
model: HH
membrane:
  C: 1 uF/cm2
  Vinit: -65 mV
params:
  I: {value: 1 uA/cm2, per_neuron: maybe}
  g: 1 mS/cm2
channels:
  Na:
    g_max: 120 mS/cm2
    gates:
      m: {alpha: 1/ms, inf: 1}
      h: {inf: 1, tau: 1 ms}
      h: {inf: 1, tau: 1 ms}
  K: {use: IK, gates: [n]}
  naïve: {}
`
	s, err := Load("many.yaml", []byte(src))
	want := strings.Join([]string{
		"many.yaml:1:11: spec format version 2 is newer than this neurogen reads (up to 1)",
		"many.yaml:5:3: membrane: unknown field `Vinit` (did you mean `V_init`?)",
		"many.yaml:7:36: `per_neuron` must be a boolean (true or false), got a string",
		"many.yaml:13:7: gate `m` mixes forms: give `alpha` and `beta`, or `inf` and `tau`, or `inf` alone, or `deriv` and `init`",
		"many.yaml:15:7: duplicate key `h` (first at 14:7)",
		"many.yaml:16:23: `gates` must be a mapping, got a sequence",
		"many.yaml:17:3: invalid name `naïve`: names are ASCII letters, digits and `_`, not starting with a digit",
	}, "\n")
	if err == nil || err.Error() != want {
		t.Fatalf("got\n%v\nwant\n%s", err, want)
	}
	// The partial spec keeps what was valid, reads the misspelled `Vinit` as `V_init` (so
	// that `V_init` is not reported missing) and marks the broken parts.
	if s == nil || s.Model.Value != "HH" || s.Membrane.C == nil || len(s.Params) != 2 || len(s.Channels) != 2 ||
		len(s.Channels[0].Gates) != 2 || s.Channels[1].Use == nil || s.Channels[1].Use.Value != "IK" {
		t.Fatalf("partial spec: %+v", s)
	}
	if v := s.Membrane.VInit; v == nil || v.Value != "-65 mV" || v.Pos.Line() != 5 || v.Pos.Col() != 10 {
		t.Errorf("membrane V_init (from `Vinit`) = %+v, want -65 mV at 5:10", v)
	}
	if g := s.Channels[0].Gates; !g[0].Bad || g[1].Bad {
		t.Errorf("gates m, h: Bad = %v, %v; want true, false", g[0].Bad, g[1].Bad)
	}
	if c := s.Channels; c[0].Bad || !c[1].Bad {
		t.Errorf("channels Na, K: Bad = %v, %v; want false, true", c[0].Bad, c[1].Bad)
	}
	if p := s.Params; p[0].Bad || p[1].Bad {
		t.Errorf("params I, g: Bad = %v, %v; want false, false", p[0].Bad, p[1].Bad)
	}
}

// TestLoadSyntaxErrorSpec checks that a YAML syntax error gives a nil Spec.
func TestLoadSyntaxErrorSpec(t *testing.T) {
	s, err := Load("t.yaml", []byte("a: [\n"))
	if s != nil || err == nil {
		t.Errorf("Load = %v, %v; want nil and an error", s, err)
	}
}

func TestDidYouMean(t *testing.T) {
	for _, tt := range []struct{ name, want string }{
		{"membrain", "membrane"},
		{"chanels", "channels"},
		{"Method", "method"},
		{"modle", "model"},
		{"x", ""},
		{"parameters", ""},
	} {
		got := didYouMean(tt.name, topFields)
		if tt.want != "" && got != " (did you mean `"+tt.want+"`?)" || tt.want == "" && got != "" {
			t.Errorf("didYouMean(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestLoadIonsAndGateForms(t *testing.T) {
	src := `neurogen: 1
model: TC
membrane: {C: 1 uF/cm2, V_init: -65 mV}
ions:
  Ca:
    valence: 2
    E: nernst
    C_i: 2.4e-4 mM
    C_o: 2 mM
    dynamics: detailed
    tau: 5 ms
channels:
  IT:
    ion: Ca
    g_max: 2 mS/cm2
    current: g_max * p**2 * q * (E_Ca - V)
    gates:
      p: {inf: "1/(1 + exp(-(V + 59*mV)/(6.2*mV)))"}
      q: {inf: "1/(1 + exp((V + 83*mV)/(4*mV)))", tau: 30 ms}
  Ih:
    g_max: 0.02 mS/cm2
    E: -40 mV
    current: g_max * O * (E - V)
    gates:
      O: {deriv: "0.01/ms * (1 - O)", init: "0.5"}
`
	s, err := Load("tc.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Ions) != 1 {
		t.Fatalf("%d ions, want 1", len(s.Ions))
	}
	ion := s.Ions[0]
	if ion.Name.Value != "Ca" || ion.Valence.Value != "2" || ion.E.Value != "nernst" || ion.Ci.Value != "2.4e-4 mM" ||
		ion.Co.Value != "2 mM" || ion.Dynamics.Src != "detailed" || len(ion.Params) != 1 || ion.Params[0].Name.Value != "tau" {
		t.Errorf("ion read as %+v", ion)
	}
	if c := s.Channels[0]; c.Ion == nil || c.Ion.Value != "Ca" || c.Ion.Pos.Position() != (Position{"tc.yaml", 14, 10}) {
		t.Errorf("channel IT: ion %+v", c.Ion)
	}
	if g := s.Channels[0].Gates[0]; g.Inf == nil || g.Tau != nil {
		t.Errorf("instantaneous gate read as %+v", g)
	}
	if g := s.Channels[1].Gates[0]; g.Deriv == nil || g.Init == nil || g.Deriv.Src != "0.01/ms * (1 - O)" {
		t.Errorf("kinetic state read as %+v", g)
	}
}

func TestLoadChannel(t *testing.T) {
	src := `neurogen: 1
channel: IL
doc: leak
g_max: 0.1 mS/cm2
E: -70 mV
current: g_max * (E - V)
`
	lc, err := LoadChannel("IL.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	c := lc.Channel
	if c.Name.Value != "IL" || c.Doc != "leak" || len(c.Params) != 2 || c.Current == nil || c.Current.PosAt(0).Position() != (Position{"IL.yaml", 6, 10}) {
		t.Errorf("read %+v", c)
	}
	for _, tc := range []struct{ name, src, want string }{
		{"missing name", "neurogen: 1\ng_max: 1 mS/cm2\n", "x.yaml:1:1: missing `channel: NAME`"},
		{"uses another", "neurogen: 1\nchannel: A\nuse: B\n", "x.yaml:3:6: a stock channel cannot `use:` another"},
		{"bad field", "neurogen: 1\nchannel: A\ncurent: x\n", "x.yaml:3:1: channel `A`: unknown field `curent` (did you mean `current`?)"},
	} {
		_, err := LoadChannel("x.yaml", []byte(tc.src))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: got %v, want %s", tc.name, err, tc.want)
		}
	}
}

// TestLoadErrorCodes checks which error the loader reports for one slip of each kind, by code:
// TestLoadErrors holds their wording.
func TestLoadErrorCodes(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []Code
	}{
		{"syntax error", "neurogen: 1\nmodel: \"M\n", []Code{YAMLSyntax}},
		{"anchor", base + chan1 + "doc: &a x\n", []Code{UnsupportedYAML}},
		{"numeric key", base + chan1 + "params: {1: 2}\n", []Code{InvalidKey}},
		{"duplicate key", base + chan1 + "model: N\n", []Code{DuplicateKey}},
		{"unknown field", base + chan1 + "membrain: {}\n", []Code{UnknownField}},
		{"gate field indented as a gate", base + "channels: {L: {gates: {m: {alpha: 1}, beta: 1}}}\n", []Code{MisplacedField}},
		{"missing membrane", "neurogen: 1\nmodel: M\n" + chan1, []Code{MissingField}},
		{"empty channels", base + "channels: {}\n", []Code{MissingValue}},
		{"null param", base + chan1 + "params:\n  p:\n", []Code{MissingValue}},
		{"channels not a mapping", base + "channels: 5\n", []Code{WrongType}},
		{"per_neuron not a boolean", base + chan1 + "params: {p: {value: 1, per_neuron: yes}}\n", []Code{WrongType}},
		{"reserved name", base + chan1 + "defs: {__x: 1}\n", []Code{InvalidName}},
		{"newer version", "neurogen: 2\nmodel: M\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\n" + chan1, []Code{UnsupportedVersion}},
		{"tau without inf", base + "channels: {L: {gates: {m: {tau: 1}}}}\n", []Code{GateForm}},
		{"not UTF-8", base + chan1 + "doc: caf\xe9\n", []Code{InvalidText}},
		{"too deep", base + chan1 + "doc: " + strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1) + "\n", []Code{TooLarge}},
		{"empty file", "", []Code{MissingField, MissingField, MissingField, MissingField}},
	}
	for _, tt := range tests {
		_, err := Load("t.yaml", []byte(tt.src))
		var list ErrorList
		if !errors.As(err, &list) {
			t.Errorf("%s: error %v, want an ErrorList", tt.name, err)
			continue
		}
		var got []Code
		for _, e := range list {
			got = append(got, e.Code)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s: codes %v, want %v (%v)", tt.name, got, tt.want, err)
		}
	}
}

// posAt returns the Pos of line and col (1-based, col in bytes after a byte order mark on line
// 1) in f, for expected values: a Pos compares by file and offset.
func posAt(f *File, line, col int) Pos {
	start := f.lines[line-1]
	if line == 1 {
		start = f.bom
	}
	return Pos{file: f, off: start + col - 1}
}
