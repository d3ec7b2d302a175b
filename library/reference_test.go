package library_test

import (
	"math"

	"github.com/neurogen/neurogen/internal/govref"
)

// The reference for the library's rates: govaluate's evaluation of each rate's text in the
// channel file, as generated/rates_test.go does for the stock specs. It shares nothing with
// neurogen's pipeline beyond the spec loader (structure only) and units (numbers and unit
// names): no parser, no symbolic algebra, no singularity rewriting, no generated code.

// Tolerances and neighbourhoods (see generated/rates_test.go for their reasoning).
const (
	// rateTol is the relative agreement required of a generated rate away from its poles.
	rateTol = 1e-12
	// poleRadius (mV): potentials closer than this to a pole are not compared with the text.
	poleRadius = 0.1
	// limitTol is the relative agreement required at a pole with the limit of the spec text.
	limitTol = 1e-9
	// richardsonH (mV) is the step of the extrapolation that computes that limit.
	richardsonH = 0.01
)

// refRate is one rate of a channel file, with the scope its text is evaluated in.
type refRate struct {
	name  string // X.p.alpha …
	text  string
	scope *govref.Scope
}

func (r refRate) at(V float64) (float64, error) { return govref.Eval(r.text, r.scope, V) }

// poleLimit returns the limit of the text of ref at V0 and an estimate of its relative error
// (see govref.Limit).
func poleLimit(ref refRate, V0 float64) (limit, errEst float64, err error) {
	return govref.Limit(ref.at, V0, richardsonH)
}

// findPole returns the float nearest V0, within 64 ulp, at which the text of ref is exactly
// 0/0 (NaN), if there is one.
func findPole(ref refRate, V0 float64) (float64, bool, error) {
	for x, n := V0, 0; n <= 64; n++ {
		for _, y := range []float64{x, V0 - (x - V0)} {
			at, err := ref.at(y)
			if err != nil {
				return 0, false, err
			}
			if math.IsNaN(at) {
				return y, true, nil
			}
		}
		x = math.Nextafter(x, math.Inf(1))
	}
	return V0, false, nil
}
