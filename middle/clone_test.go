package middle

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/ir"
)

// TestCloneKnowsEveryField: clone copies the model's graph field by field, so a field added to
// one of the IR's node types must be added to clone (copied, relinked or deliberately shared)
// and then here; this test names the fields clone was written for.
func TestCloneKnowsEveryField(t *testing.T) {
	for _, c := range []struct {
		v      any
		fields string
	}{
		{ir.Model{}, "Name Package Doc SpecFile SpecHash Method A VInit Seed Params States Channels Rates Pre Body Defs Ions Rewrites SharedExps Input Time Warnings Receptors Refractory"},
		{ir.State{}, "Name Local Unit Kind Doc Channel Gate Deriv Linear Coupled Init Floor Ion Receptor"},
		{ir.Coupling{}, "From Coef"},
		{ir.ReceptorInfo{}, "Name Stock Doc States Current Text Density Events Assigns EventText WeightUnit WeightDim Kinetic"},
		{ir.KineticInfo{}, "State StateUnit On Off WOn AOn BOn BOff Transmitter TValue TUnit Dur Deriv TransmitterText DurText"},
		{ir.Increment{}, "State Scale"},
		{ir.Channel{}, "Name Stock Ion Doc Current Text Gates"},
		{ir.Ion{}, "Name Valence Nernst Dynamics Current Channels State Doc"},
		{ir.Rate{}, "Name Stmt Unit Text Poles"},
		{ir.Stmt{}, "Local Expr Comment Pos"},
		{ir.GateInfo{}, "Form Power"},
	} {
		typ := reflect.TypeOf(c.v)
		var got []string
		for i := range typ.NumField() {
			got = append(got, typ.Field(i).Name)
		}
		want := strings.Fields(c.fields)
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("ir.%s has fields %v; clone (clone.go) was written for %v: copy or relink the new ones there, then list them here", typ.Name(), got, want)
		}
	}
}

// TestCloneIsDeep: the copy's nodes are new and linked to each other as the original's are.
func TestCloneIsDeep(t *testing.T) {
	dv := &ir.Stmt{Local: "dV", Comment: []string{"dV"}}
	dm := &ir.Stmt{Local: "dm"}
	cur := &ir.Stmt{Local: "I_Na"}
	ica := &ir.Stmt{Local: "I_Ca"}
	V := &ir.State{Name: "V", Deriv: dv}
	ch := &ir.Channel{Name: "Na", Current: cur}
	mg := &ir.State{Name: "Na.m", Channel: ch, Gate: &ir.GateInfo{Power: 3}, Deriv: dm}
	ch.Gates = []*ir.State{mg}
	ion := &ir.Ion{Name: "Ca", Current: ica, Channels: []*ir.Channel{ch}}
	ca := &ir.State{Name: "Ca_i", Ion: ion}
	ion.State = ca
	m := &ir.Model{
		States: []*ir.State{V, mg, ca}, Channels: []*ir.Channel{ch}, Ions: []*ir.Ion{ion},
		Rates: []*ir.Rate{{Name: "Na.m.alpha", Stmt: cur, Poles: []float64{-40}}},
		Pre:   []*ir.Stmt{cur}, Body: []*ir.Stmt{ica, dv, dm},
	}
	c, stmt := clone(m)
	if len(stmt) != 4 {
		t.Errorf("%d statements mapped, want 4", len(stmt))
	}
	for _, st := range slices.Concat(c.Pre, c.Body) {
		if slices.Contains(slices.Concat(m.Pre, m.Body), st) {
			t.Errorf("statement %s is shared with the original", st.Local)
		}
	}
	cV, cm, cca, cch, cion := c.States[0], c.States[1], c.States[2], c.Channels[0], c.Ions[0]
	switch {
	case cV == V || cm == mg || cca == ca || cch == ch || cion == ion || c.Rates[0] == m.Rates[0] || cm.Gate == mg.Gate:
		t.Errorf("a node is shared with the original")
	case cV.Deriv != c.Body[1] || cm.Deriv != c.Body[2] || cch.Current != c.Pre[0] || cion.Current != c.Body[0] || c.Rates[0].Stmt != c.Pre[0]:
		t.Errorf("a link points outside the copy's statements")
	case cm.Channel != cch || cch.Gates[0] != cm || cca.Ion != cion || cion.State != cca || cion.Channels[0] != cch:
		t.Errorf("a link between nodes points to the original's")
	}
	c.Body[1].Comment[0] = "changed"
	c.Rates[0].Poles[0] = 0
	cm.Gate.Power = 1
	if dv.Comment[0] != "dV" || m.Rates[0].Poles[0] != -40 || mg.Gate.Power != 3 {
		t.Errorf("a change to the copy reached the original")
	}
}
