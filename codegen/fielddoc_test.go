package codegen

import "testing"

// TestFieldDoc: a field's doc is sentences built from the spec's name, doc, unit and value.
func TestFieldDoc(t *testing.T) {
	for _, c := range []struct {
		field, name, plain, doc, unit, extra, text string
		perNeuron                                  bool
		want                                       string
	}{
		{"C", "C", "parameter C", "specific membrane capacitance", "uF/cm2", "", "1 uF/cm2", false,
			"C is the specific membrane capacitance (uF/cm2); the spec sets 1 uF/cm2."},
		{"VTh", "V_th", "parameter V_th", "spike threshold", "mV", "", "0 mV", false,
			"VTh is V_th, the spike threshold (mV); the spec sets 0 mV."},
		{"NaGMax", "Na.g_max", "parameter Na.g_max", "", "mS/cm2", "", "120 mS/cm2", false,
			"NaGMax is parameter Na.g_max (mS/cm2); the spec sets 120 mS/cm2."},
		{"Phi", "phi", "parameter phi", "Temperature factor.", "1", "", "5", false,
			"Phi is phi, the temperature factor, dimensionless; the spec sets 5."},
		{"IhE", "Ih.E", "parameter Ih.E", "reversal potential (BrainPy has +43 mV)", "mV", "", "-43 mV", false,
			"IhE is Ih.E, the reversal potential (BrainPy has +43 mV), in mV; the spec sets -43 mV."},
		{"IMGMax", "IM.g_max", "parameter IM.g_max", "M-current conductance; it varies across the population", "mS/cm2", "", "0.075 mS/cm2", true,
			"IMGMax holds IM.g_max, the M-current conductance, for each neuron (mS/cm2); the spec sets 0.075 mS/cm2. It varies across the population."},
		{"V", "V", "the membrane potential", "membrane potential", "mV", "", "", true,
			"V holds the membrane potential for each neuron (mV)."},
		{"NaM", "Na.m", "gate m of channel Na", "", "1", "alpha/beta form", "", true,
			"NaM holds gate m of channel Na for each neuron (dimensionless, alpha/beta form)."},
		{"KN", "K.n", "gate n of channel K", "an activation. Slow", "1", "alpha/beta form", "", true,
			"KN holds K.n, an activation, for each neuron (dimensionless, alpha/beta form). Slow."},
	} {
		if got := fieldDocText(c.field, c.name, c.plain, c.doc, c.unit, c.extra, c.text, c.perNeuron); got != c.want {
			t.Errorf("fieldDocText(%q, doc %q) =\n%s\nwant\n%s", c.field, c.doc, got, c.want)
		}
	}
}
