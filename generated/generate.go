// Package generated holds the Go packages that neurogen generates from the stock specs in
// ../specs, checked in so that they can be read, imported and tested without running neurogen.
// `go generate ./...` rebuilds them; CI fails when that changes anything.
//
//   - hh52: HH52 (Hodgkin–Huxley 1952), exp_auto, the default method
//   - hh52rk4: the same spec integrated with classic Runge–Kutta (rk4)
//   - hh52staggered: the same spec integrated with the second-order staggered step (NEURON's
//     Crank–Nicolson scheme)
//   - hh52f32: exp_auto with the state stored in single precision (-float32), which the tests
//     of runtime and modelrun use as their float32 group
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
//go:generate go run ../cmd/neurogen gen ../specs/hh52.yaml -o hh52staggered -pkg hh52staggered -method staggered
//go:generate go run ../cmd/neurogen gen ../specs/hh52.yaml -o hh52f32 -pkg hh52f32 -float32
//go:generate go run ../cmd/neurogen gen ../specs/traubmiles.yaml -o traubmiles
//go:generate go run ../cmd/neurogen gen ../specs/wangbuzsaki.yaml -o wangbuzsaki
//go:generate go run ../cmd/neurogen gen ../specs/morrislecar.yaml -o morrislecar

// Whole-cell models built from the stock channel library, each held to an independent Brian2
// reference (../testdata/reference/models/, models_test.go) and used by an example in
// ../examples/:
//
//   - hhbrainpy: BrainPy's built-in HH (gL 0.03 mS/cm2, V_th 20 mV), rk4
//   - thalamicrelay: thalamocortical relay neuron with IT, Ih and calcium dynamics, rk4
//   - traubmilespyramidal: regular-spiking pyramidal cell, Traub–Miles with an M current, rk4
//
//go:generate go run ../cmd/neurogen gen ../specs/hh_brainpy.yaml -o hhbrainpy
//go:generate go run ../cmd/neurogen gen ../specs/thalamic_relay.yaml -o thalamicrelay
//go:generate go run ../cmd/neurogen gen ../specs/traubmiles_pyramidal.yaml -o traubmilespyramidal

// The stock network, its package beside its model's (cobahh/cobahhneuron), run against Brian2 by
// cobahh_test.go:
//
//   - cobahh: COBAHH (Brette et al. 2007, benchmark 3, as Brian2's example), exp_auto
//
//go:generate go run ../cmd/neurogen gen ../specs/networks/cobahh.yaml -o cobahh

// Plasticity written as expressions beside the stock model, held to it and to values computed
// by hand by stp_test.go:
//
//   - stp: Tsodyks–Markram as expressions and as the stock model, per connection and per
//     presynaptic neuron, and depression towards a floor, from 20 COBAHH neurons onto 3
//
//go:generate go run ../cmd/neurogen gen ../specs/networks/stp.yaml -o stp

// The harness of the stock receptors under voltage clamp, run against Brian2 by
// receptorclamp_test.go (../testdata/reference/receptors):
//
//   - receptorclamp: a passive membrane with the stock receptors at their defaults, exp_auto
//
//go:generate go run ../cmd/neurogen gen testdata/receptor_clamp.yaml -o receptorclamp

// Receptors whose event is an expression of the state (a saturating conductance, one set to the
// largest weight), delivered one event at a time, held to values computed by hand by
// satsyn_test.go:
//
//   - satsyn: a passive membrane with the saturating receptors, exp_auto
//
//go:generate go run ../cmd/neurogen gen testdata/saturating.yaml -o satsyn

// The variants that only tests need (other methods and options of these specs: rate tables,
// four lanes) are not committed: TestVariants (variants_test.go) generates them into a
// temporary module and runs their tests there, and bench/variants generates HH52's for the
// benchmark. codegen/testdata/features shows, feature by feature, the code each option
// generates.
