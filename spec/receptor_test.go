package spec

import "testing"

// TestLoadReceptors: a spec's receptors, with their states, current, event and parameters, and
// the position of each expression.
func TestLoadReceptors(t *testing.T) {
	src := `neurogen: 1
model: M
membrane: {C: 1 uF/cm2, V_init: -65 mV}
channels:
  L: {g_max: 0.1 mS/cm2, E: -70 mV, current: g_max*(E - V)}
receptors:
  E:
    doc: excitatory
    tau: 5 ms
    states:
      g: {deriv: -g/tau, unit: nS, doc: conductance}
    current: g*(0*mV - V)
    event: g += w
  I: {use: ExpCond, tau: 10 ms}
`
	s, err := Load("m.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Receptors) != 2 {
		t.Fatalf("%d receptors, want 2", len(s.Receptors))
	}
	e, i := s.Receptors[0], s.Receptors[1]
	if e.Name.Value != "E" || e.Doc != "excitatory" || e.Use != nil || len(e.Params) != 1 || e.Params[0].Name.Value != "tau" || e.Bad {
		t.Errorf("receptor E: %+v", e)
	}
	if len(e.States) != 1 || e.States[0].Name.Value != "g" || e.States[0].Unit.Value != "nS" || e.States[0].Doc != "conductance" || e.States[0].Bad {
		t.Errorf("states of E: %+v", e.States)
	}
	for _, c := range []struct {
		text *Text
		want Position
	}{
		{e.States[0].Deriv, Position{"m.yaml", 11, 18}},
		{e.Current, Position{"m.yaml", 12, 14}},
		{e.Event, Position{"m.yaml", 13, 12}},
	} {
		if c.text == nil || c.text.PosAt(0).Position() != c.want {
			t.Errorf("text %+v, want it at %v", c.text, c.want)
		}
	}
	if sl := e.Event.Slice(5, 6); sl.Src != "w" || sl.Pos.Position() != (Position{"m.yaml", 13, 17}) {
		t.Errorf("Slice(5, 6) of the event = %q at %v, want \"w\" at 13:17", sl.Src, sl.Pos.Position())
	}
	if i.Use == nil || i.Use.Value != "ExpCond" || len(i.Params) != 1 || i.States != nil || i.Current != nil {
		t.Errorf("receptor I: %+v", i)
	}
}

// TestLoadReceptor: a stock receptor file, and its structural errors.
func TestLoadReceptor(t *testing.T) {
	src := `neurogen: 1
receptor: ExpCond
doc: exponential
tau: 5 ms
states:
  g: {deriv: -g/tau, unit: nS}
current: g*(0*mV - V)
event: g += w
`
	lr, err := LoadReceptor("ExpCond.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	r := lr.Receptor
	if r.Name.Value != "ExpCond" || r.Doc != "exponential" || len(r.Params) != 1 || len(r.States) != 1 || r.Event == nil ||
		r.Event.PosAt(0).Position() != (Position{"ExpCond.yaml", 8, 8}) {
		t.Errorf("read %+v", r)
	}
	for _, tc := range []struct{ name, src, want string }{
		{"missing name", "neurogen: 1\ntau: 1 ms\n", "x.yaml:1:1: missing `receptor: NAME`"},
		{"uses another", "neurogen: 1\nreceptor: A\nuse: B\n", "x.yaml:3:6: a stock receptor cannot `use:` another"},
		{"bad field", "neurogen: 1\nreceptor: A\nevnt: g += w\n", "x.yaml:3:1: receptor `A`: unknown field `evnt` (did you mean `event`?)"},
		{"state without deriv", "neurogen: 1\nreceptor: A\nstates: {g: {unit: nS}}\n",
			"x.yaml:3:10: state `g` of receptor `A`: missing `deriv` (its derivative, e.g. `deriv: -g/tau`)"},
	} {
		_, err := LoadReceptor("x.yaml", []byte(tc.src))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: got %v, want %s", tc.name, err, tc.want)
		}
	}
}
