// Package codegen writes the Go package of a checked model with jennifer: a Group type that
// stores its neurons as a structure of arrays, and a Step whose body is one loop over neurons with
// every channel inlined, constants folded, shared subexpressions computed once and group-wide
// work hoisted out of the loop. Each statement carries, as a comment, the spec expression it came
// from.
//
// Output is deterministic, gofmt-clean and vet-clean; it imports only the standard library and
// neurogen's runtime, and refuses to compile against a runtime of another API version.
//
// Every generated package has this API, which programs (including the ones `neurogen run`
// builds) may rely on:
//
//	type Params struct{ ... }             // group-wide parameters, one field per parameter
//	func DefaultParams() Params           // the spec's values
//	type Group struct{ V, ... []float64; Params Params; ... } // one slice per state variable and per-neuron parameter
//	func New(n int) *Group                // n neurons, default parameters, no input, Reset
//	(*Group) implements runtime.Group     // Reset, Step, StepRange, Rates, Var, Param, SetParam, Input, ...
//
// Field names are the spec names in Go form: gate m of channel Na is NaM, parameter g_max of
// channel Na is NaGMax (in Params, or in Group when per neuron).
//
// # The step
//
// The step is planned once, in step.go: what it loads per neuron, the statements it computes
// in which order (and under which names, for a second evaluation), the update the integration
// method gives each state, where the rate tables are looked up and what it stores. StepRange's
// loop (codegen.go) and, with Options.SIMD, the vector stepX8 and stepX4 (vector.go) render
// that plan and nothing else, so they compute the same things in the same order. A new
// integration method is one case of planStep.
//
// # Goldens
//
// The review surface of the generator is testdata/features: one txtar archive per feature
// (each integration method, gate form, kind of ion dynamics, rate tables, four lanes,
// float32, //line directives, per-neuron parameters, aliases, singularity rewrites, shared
// exponentials, the time t, a uniform V_init), each a small spec (spec.yaml), the flags of
// neurogen gen it is generated with (flags, optional) and the parts of the output that show
// the feature: a section "FILE: DECL" holds one top-level declaration of a generated file
// (StepRange, Reset, Params, ...) with its doc comment, a section "FILE" the whole file.
// TestFeatureGolden compares them and fails when a feature has no case. After a change to
// what codegen writes, rewrite them with
//
//	go test ./codegen -run TestFeatureGolden -update
//
// and read the diff of testdata/features: it shows, feature by feature, what the change
// does. To add a case, write a txtar with its spec and empty sections named for the
// declarations to show, and run the same command. The packages under ../generated are kept
// fresh by `go generate ./...` (which CI checks); they are for reading and importing, not
// for reviewing a change.
package codegen
