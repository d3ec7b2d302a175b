// Package generated holds the Go packages that neurogen generates from the stock specs in
// ../specs, checked in so that they can be read, imported and tested without running neurogen.
// `go generate ./...` rebuilds them; CI fails when that changes anything.
//
//   - hh52: HH52 (Hodgkin–Huxley 1952), exp_auto, the default method
//   - hh52rk4: the same spec integrated with classic Runge–Kutta (rk4)
//   - hh52staggered: the same spec integrated with the second-order staggered step (NEURON's
//     Crank–Nicolson scheme)
//   - hh52tab, hh52staggeredtab: exp_auto and staggered with rate tables for the gates
//   - hh52x4, hh52staggeredx4, hh52tabx4, hh52staggeredtabx4: the four packages above with a
//     four-lane Step (-simd), which a build with GOEXPERIMENT=simd uses on CPUs with AVX2, with
//     the scalar packages' results bit for bit
//   - hh52f32, hh52staggeredtabx4f32: exp_auto, and staggered with tables and four lanes, with
//     the state stored in single precision (-float32)
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
//go:generate go run ../cmd/neurogen gen ../specs/hh52.yaml -o hh52tab -pkg hh52tab -tables
//go:generate go run ../cmd/neurogen gen ../specs/hh52.yaml -o hh52staggeredtab -pkg hh52staggeredtab -method staggered -tables
//go:generate go run ../cmd/neurogen gen ../specs/hh52.yaml -o hh52x4 -pkg hh52x4 -simd
//go:generate go run ../cmd/neurogen gen ../specs/hh52.yaml -o hh52staggeredx4 -pkg hh52staggeredx4 -method staggered -simd
//go:generate go run ../cmd/neurogen gen ../specs/hh52.yaml -o hh52tabx4 -pkg hh52tabx4 -tables -simd
//go:generate go run ../cmd/neurogen gen ../specs/hh52.yaml -o hh52staggeredtabx4 -pkg hh52staggeredtabx4 -method staggered -tables -simd
//go:generate go run ../cmd/neurogen gen ../specs/hh52.yaml -o hh52f32 -pkg hh52f32 -float32
//go:generate go run ../cmd/neurogen gen ../specs/hh52.yaml -o hh52staggeredtabx4f32 -pkg hh52staggeredtabx4f32 -method staggered -tables -simd -float32
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

// The variants that only tests need (other methods and options of these specs: the
// staggered method, rate tables, four lanes, float32) are not committed: TestVariants
// (variants_test.go) generates them into a temporary module and runs their tests there.
