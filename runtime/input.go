package runtime

import "fmt"

// SetInputCurrent sets neuron i's external input to the absolute current I (uA), stored in
// g.Input() as the current density I/A in uA/cm2, where A = g.Model().A is the membrane area in
// cm2 (positive).
//
// 1 nA is 1e-3 uA; with the BrainPy default area A = 1e-3 cm2, 1 nA gives 1 uA/cm2. A neuron i
// outside [0, g.Len()) panics with a message that names it.
func SetInputCurrent(g Group, i int, I float64) {
	in := g.Input()
	if uint(i) >= uint(len(in)) {
		panic(fmt.Sprintf("runtime: SetInputCurrent: neuron %d is outside [0, %d)", i, len(in)))
	}
	in[i] = I / g.Model().A
}

// InputCurrent returns neuron i's external input as an absolute current in uA: g.Input()[i]
// (uA/cm2) times the membrane area g.Model().A (cm2). It is the inverse of SetInputCurrent, up
// to rounding. A neuron i outside [0, g.Len()) panics with a message that names it.
func InputCurrent(g Group, i int) float64 {
	in := g.Input()
	if uint(i) >= uint(len(in)) {
		panic(fmt.Sprintf("runtime: InputCurrent: neuron %d is outside [0, %d)", i, len(in)))
	}
	return in[i] * g.Model().A
}
