// Package generated holds the Go packages that neurogen generates from the stock specs in
// ../specs, checked in so that they can be read, imported and tested without running neurogen.
// `go generate ./...` rebuilds them; CI fails when that changes anything.
//
//   - hh52: HH52 (Hodgkin–Huxley 1952), exp_auto, the default method
//   - hh52rk4: the same spec integrated with classic Runge–Kutta (rk4)
//   - traubmiles: Traub–Miles kinetics with a threshold shift, rk4
//   - wangbuzsaki: Wang–Buzsáki interneuron, instantaneous sodium activation, rk2
//   - morrislecar: Morris–Lecar, gates in steady-state/time-constant form, per-neuron g_max, euler
//
// The tests beside this file hold the generated code to independent references: HH52 spike
// times against a high-accuracy solution, every rate against govaluate's evaluation of the spec
// text, zero allocations per step.
package generated

//go:generate go run ../cmd/neurogen gen ../specs/hh52.yaml -o hh52
//go:generate go run ../cmd/neurogen gen ../specs/hh52.yaml -o hh52rk4 -pkg hh52rk4 -method rk4
//go:generate go run ../cmd/neurogen gen ../specs/traubmiles.yaml -o traubmiles
//go:generate go run ../cmd/neurogen gen ../specs/wangbuzsaki.yaml -o wangbuzsaki
//go:generate go run ../cmd/neurogen gen ../specs/morrislecar.yaml -o morrislecar
