// Package ir is neurogen's intermediate representation: a checked neuron-group model, the value
// that package check produces from a spec and that code generation (codegen), the show and
// check commands (cmd/neurogen) and the tests read.
//
// A Network (network.go) is a checked network spec: groups, each a Model and a size with
// initial values, the projections between them and the inputs that drive them, one per target
// group, in internal units.
//
// A Model holds the group's parameters, state variables, channels, ions and rate functions, in
// spec order, and the statements (Stmt) that compute every state's derivative (and, for
// exp_auto and staggered, its linear coefficient) in internal units: mV, ms, uF/cm2, mS/cm2,
// uA/cm2, cm2, mM. A state points to the statements of its derivative and linear coefficient, a
// channel and an ion to that of their current, a rate to its own; Model.Closure lists what a set
// of statements needs.
// Its kinds are typed constants (Method, GateForm, IonDynamics, StateKind), each with a String
// method that gives its spelling in specs; switches over them name every constant, which a test
// of this package enforces across the module.
//
// A Model is immutable once check returns it: readers never change it, so that generating code
// twice from one model gives the same bytes. It holds no Go names: states, parameters,
// statements, the input and the time have symbols, unique in the model and derived from the
// spec (the Local fields, Input, Time), by which expressions refer to them; codegen chooses every
// Go identifier (each symbol's local, the fields of Group and Params, the locals of its own) in
// one naming step, and cmd/neurogen's show prints the same names through codegen.Locals.
//
// Where things are added: a new integration method is a constant of Method (with its name in
// methodNames), then the places the exhaustiveness test points at; a new gate form or ion
// dynamics likewise.
package ir
