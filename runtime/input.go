package runtime

// SetInputCurrent sets neuron i's external input to the absolute current I (uA), stored in
// g.Input() as the current density I/A in uA/cm2, where A = g.Model().A is the membrane area in
// cm2 (positive).
//
// 1 nA is 1e-3 uA; with the BrainPy default area A = 1e-3 cm2, 1 nA gives 1 uA/cm2.
func SetInputCurrent(g Group, i int, I float64) {
	g.Input()[i] = I / g.Model().A
}

// InputCurrent returns neuron i's external input as an absolute current in uA: g.Input()[i]
// (uA/cm2) times the membrane area g.Model().A (cm2). It is the inverse of SetInputCurrent, up
// to rounding.
func InputCurrent(g Group, i int) float64 {
	return g.Input()[i] * g.Model().A
}
