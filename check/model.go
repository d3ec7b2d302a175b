// Package check turns a loaded spec into a checked model: it resolves every name, infers and
// checks physical dimensions, converts every value to neurogen's internal units, inlines
// intermediate definitions, rewrites removable singularities, differentiates the right-hand sides
// (the linear coefficients of exp_auto), shares common subexpressions and settles every Go name.
//
// The result, a Model, is a plain value that code generation reads without re-checking or
// inventing names. All errors of a spec are reported at once, each at its position in the spec
// file.
package check

import (
	"maps"

	"github.com/neurogen/neurogen/spec"
	"github.com/neurogen/neurogen/symbolic"
	"github.com/neurogen/neurogen/units"
)

// Methods lists the integration methods, the default first.
var Methods = []string{"exp_auto", "staggered", "euler", "rk2", "rk4"}

// Model is a checked spec, ready for code generation. Expressions are in internal units (mV,
// ms, uF/cm2, mS/cm2, uA/cm2, cm2, mM) and refer to Go local names.
type Model struct {
	Name     string // the spec's model name
	Package  string // Go package name
	Doc      string
	SpecFile string // the spec file, as given
	SpecHash string // hex SHA-256 of the spec file's bytes
	Method   string // exp_auto, staggered, euler, rk2 or rk4

	A     float64 // membrane area, cm2
	VInit Init    // initial membrane potential
	Seed  uint64  // seed of a random V_init

	// Params are the parameters: the membrane's C and V_th first, then group-level ones, then
	// each channel's, in spec order.
	Params []*Param
	// States are the state variables; States[0] is V.
	States []*State
	// Channels in spec order.
	Channels []*Channel
	// Rates are the gates' rate functions (alpha/beta or inf/tau), in spec order.
	Rates []*Rate
	// Pre are statements that depend on group-wide values only: computed once per call,
	// before the loop over neurons.
	Pre []*Stmt
	// Body are the per-neuron statements that compute every state's derivative (and, for
	// exp_auto and staggered, its linear coefficient) from the state at the start of the step.
	Body []*Stmt
	// Ions are the group's ion species, in spec order.
	Ions []*Ion
	// Rewrites are the removable singularities that were rewritten.
	Rewrites []*Rewrite
	// SharedExps are the exponentials computed from another of the same variable (HH52's
	// exp(-(V+35)/10) from exp(-(V+40)/10)), in the order of their first use, for reports.
	SharedExps []*SharedExp
	// Input is the Go local name of the external input density (uA/cm2) in the loop.
	Input string
	// Time is the Go local name of the time t (ms) at the start of the step.
	Time string
	// Warnings are what is valid but likely wrong, such as a current written outward positive
	// (see signs.go), in the same form as errors; they do not stop generation.
	Warnings spec.ErrorList

	names *namer
}

// Namer hands out Go local names for one generation of a model's code: names that no local of
// the model, nor any name the Namer handed out before, uses. It never changes the model.
type Namer struct{ n namer }

// NewNamer returns a Namer that starts from the model's own locals. Code generation takes a new
// one each time, and asks it for the names it needs beyond those of the spec (next values,
// Runge–Kutta stages) in a fixed order, so that generating twice from one model gives the same
// names.
func (m *Model) NewNamer() *Namer {
	nn := &Namer{n: namer{taken: map[string]bool{}}}
	if m.names != nil {
		maps.Copy(nn.n.taken, m.names.taken)
	}
	return nn
}

// Name returns want, or want with underscores appended, whichever first is neither a local of
// the model, nor handed out before, nor a Go keyword, and takes it.
func (n *Namer) Name(want string) string { return n.n.name(want) }

// Init is the initial membrane potential: Value, or uniform on [Lo, Hi) when Uniform.
type Init struct {
	Uniform   bool
	Value     float64
	Lo, Hi    float64
	Text      string // as written in the spec
	HasSeed   bool
	SeedGiven uint64
}

// Param is a parameter of the group.
type Param struct {
	Name      string // spec name: "C", "I_ext", "Na.g_max"
	Field     string // Go field name (in Params for group-wide, in Group for per-neuron)
	Local     string // Go local name in generated functions
	Unit      string // internal unit, e.g. "mS/cm2"
	Dim       units.Dim
	Default   float64 // in the internal unit
	PerNeuron bool
	Doc       string
	Text      string // the value as written in the spec
	Membrane  bool   // C or V_th: part of the membrane equation
	Positive  bool   // only values > 0 make sense (C): SetParam refuses others
}

// StateKind says what a state variable is.
type StateKind int

// State kinds.
const (
	Voltage       StateKind = iota // the membrane potential V
	Gate                           // a gating variable of a channel
	Concentration                  // an ion's inner concentration
)

// String names the kind, as runtime.Var.Kind does.
func (k StateKind) String() string {
	return [...]string{"voltage", "gate", "concentration"}[k]
}

// State is a state variable, integrated by the chosen method.
type State struct {
	Name    string // spec name: "V", "Na.m"
	Field   string // Go field name of its slice in Group
	Local   string // Go local name of its value in the loop
	Unit    string
	Kind    StateKind
	Doc     string
	Channel *Channel // for a gate
	Gate    *GateInfo
	Deriv   string // Go local of the statement that computes dx/dt
	Linear  string // Go local of the statement that computes ∂(dx/dt)/∂x (exp_auto and staggered only)
	// Init is the initial value for gates and concentrations: for a gate the steady state at the
	// neuron's V (or the spec's `init`), in terms of the locals of Body and Pre, V, parameters,
	// concentrations and the gates before it. Nil for V (see Model.VInit).
	Init *symbolic.Expr
	// Floor is the smallest value the state may take (concentrations stay positive); 0: none.
	Floor float64
	Ion   *Ion // for a concentration
}

// Ion is an ion species of the group.
type Ion struct {
	Name     string
	Valence  int
	Nernst   bool   // E by the Nernst equation, at the group's temperature T
	Dynamics string // fixed, first_order, detailed or custom
	// Current is the Go local of its total current density (uA/cm2, inward positive), the sum of
	// the currents of the channels that carry it; "" when it has no dynamics.
	Current  string
	Channels []string // the channels that carry it
	State    *State   // its inner concentration, when it has dynamics
	Doc      string
}

// ConcentrationFloor is the smallest inner concentration (mM): an update that would go below it
// (which exp_auto never does for the built-in dynamics, whose decay is linear) stops there, so
// that the Nernst potential's logarithm is always defined.
const ConcentrationFloor = 1e-12

// GateInfo describes how a gate is written.
type GateInfo struct {
	Form  string // "alpha/beta", "inf/tau" or "kinetic" (deriv and init)
	Power int    // exponent in the default current
}

// Channel is an ion channel.
type Channel struct {
	Name    string
	Stock   string // the stock channel it uses, if any
	Ion     string // the ion it carries, if any
	Doc     string
	Current string // Go local of the statement that computes its current density (uA/cm2)
	Text    string // the current expression as written (or the default one)
	Gates   []*State
}

// Rate is one rate function of a gate, evaluated by the generated Rates method.
type Rate struct {
	Name  string // "Na.m.alpha"
	Local string // Go local of the statement that computes it
	Unit  string
	Text  string    // as written in the spec
	Poles []float64 // V (mV) of removable singularities, at the parameters' defaults
}

// Stmt is one statement of generated code: Local := Expr.
type Stmt struct {
	Local   string
	Expr    *symbolic.Expr
	Comment []string // what it computes, with the spec text it came from; may be empty
	// Pos is where the statement's expression is written in the spec (a rate, a current, a
	// definition, a kinetic gate's derivative); zero for what neurogen composed (a shared
	// subexpression, the membrane equation, an alpha/beta gate's derivative, L).
	Pos spec.Pos
}

// Rewrite is a removable singularity that was rewritten, for reports.
type Rewrite struct {
	Where  string // e.g. "Na.m.alpha"
	Before string
	After  string
	Poles  []float64
}

// SharedExp is an exponential of a family that shares one exponential per neuron (see
// expshare.go): Exp, the exponential as the model's expressions have it, is computed as As, a
// constant times a power of the family's shared exponential, e^(d − k·d₀) · exp(c·x + d₀)^k.
// An exprel(u) of the family is computed from its exp(u), which Exp is then.
type SharedExp struct {
	Exp *symbolic.Expr // exp(u), u affine in one variable
	As  *symbolic.Expr // what computes it; the shared exponential is a statement of its own
}
