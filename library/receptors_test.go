package library_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/library"
)

// TestStockReceptors checks every stock receptor: its file loads under its own name, its doc
// says what it is and cites a reference, and a group that uses it checks, with the receptor
// linear (every state of kind receptor, an event that increments one of them) or kinetic (a
// state per synapse: no event, its hidden per-neuron states among the receptor's), and its
// current in the membrane equation.
func TestStockReceptors(t *testing.T) {
	names := library.StockReceptors.Names()
	for _, want := range []string{"ExpCond", "Exp2Cond", "AlphaCond", "NMDA", "AMPA", "GABAA", "GABAB"} {
		if !strings.Contains(" "+strings.Join(names, " ")+" ", " "+want+" ") {
			t.Errorf("no stock receptor %s (have %v)", want, names)
		}
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			lr, err := library.StockReceptors.Receptor(name)
			if err != nil || lr == nil {
				t.Fatalf("Receptor(%s) = %v, %v", name, lr, err)
			}
			if !strings.Contains(lr.Receptor.Doc, "Reference") {
				t.Errorf("its doc cites no reference:\n%s", lr.Receptor.Doc)
			}
			src := fmt.Sprintf("neurogen: 1\nmodel: M\nmembrane: {C: 1 uF/cm2, V_init: -65 mV}\n"+
				"channels:\n  L: {g_max: 0.1 mS/cm2, E: -70 mV, current: g_max*(E - V)}\n"+
				"receptors:\n  R: {use: %s}\n", name)
			m, err := check.Load("m.yaml", []byte(src), check.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(m.Receptors) != 1 || m.Receptors[0].Current == nil {
				t.Fatalf("receptors %+v", m.Receptors)
			}
			r := m.Receptors[0]
			if k := r.Kinetic; k != nil {
				if len(r.Events) != 0 || !(k.AOn > 0 && k.BOn < 0 && k.BOff < 0 && k.Dur > 0) || !slices.Contains(r.States, k.On) || !slices.Contains(r.States, k.Off) || !slices.Contains(r.States, k.WOn) {
					t.Errorf("kinetic receptor %+v, %+v", r, k)
				}
			} else if len(r.Events) == 0 {
				t.Fatalf("receptor %+v has no event", r)
			}
			for _, st := range r.States {
				if st.Kind != ir.Receptor || !strings.HasPrefix(st.Name, "R.") {
					t.Errorf("state %s of kind %s", st.Name, st.Kind)
				}
			}
			if r.Stock != name || r.WeightUnit == "" {
				t.Errorf("stock %q, weight unit %q", r.Stock, r.WeightUnit)
			}
		})
	}
	if lr, err := library.StockReceptors.Receptor("NoSuch"); lr != nil || err != nil {
		t.Errorf("Receptor(NoSuch) = %v, %v; want nil, nil", lr, err)
	}
}
