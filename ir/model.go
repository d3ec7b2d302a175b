package ir

import (
	"slices"

	"github.com/neurogen/neurogen/spec"
	"github.com/neurogen/neurogen/symbolic"
	"github.com/neurogen/neurogen/units"
)

// Model is a checked spec, ready for code generation. Expressions are in internal units (mV,
// ms, uF/cm2, mS/cm2, uA/cm2, cm2, mM); their variables name the model's symbols: the Local of
// a state, a parameter or a statement, Input and Time. Nodes refer to nodes by pointer: a
// state's derivative, a channel's current and a rate are the statements that compute them.
type Model struct {
	Name     string // the spec's model name
	Package  string // Go package name
	Doc      string
	SpecFile string // the spec file, as given
	SpecHash string // hex SHA-256 of the spec file's bytes
	Method   Method // the integration method

	A float64 // membrane area, cm2
	// Refractory is the refractory period (ms) of the membrane's `refractory:`: when positive,
	// a neuron spikes at the end of a step where V > V_th unless it spiked less than
	// Refractory before (Brian2's rule); at 0, at an upward crossing of V_th.
	Refractory float64
	VInit      Init   // initial membrane potential
	Seed       uint64 // seed of a random V_init

	// Params are the parameters: the membrane's C and V_th first, then group-level ones, then
	// each channel's, in spec order.
	Params []*Param
	// States are the state variables; States[0] is V.
	States []*State
	// Channels in spec order.
	Channels []*Channel
	// Receptors are the synaptic receptors, in spec order: where a network delivers events.
	Receptors []*ReceptorInfo
	// Rates are the gates' rate functions (alpha/beta or inf/tau), in spec order.
	Rates []*Rate
	// Pre are statements that depend on group-wide values only: computed once per call,
	// before the loop over neurons.
	Pre []*Stmt
	// Body are the per-neuron statements that compute every state's derivative (and, for
	// exp_auto and staggered, its linear coefficient) from the state at the start of the step.
	Body []*Stmt
	// Defs are the spec's intermediate definitions (a `defs` entry, a channel's `u`, an ion's
	// Nernst E), which the statements have inlined: hints for the middle end, not statements of
	// the step. A shared subexpression that is one of them is computed by a statement named
	// after it: Local is the name wanted (made unique where it is used), Comment and Pos are the
	// definition's own.
	Defs []*Stmt
	// Ions are the group's ion species, in spec order.
	Ions []*Ion
	// Rewrites are the removable singularities that were rewritten.
	Rewrites []*Rewrite
	// SharedExps are the exponentials computed from another of the same variable (HH52's
	// exp(-(V+35)/10) from exp(-(V+40)/10)), in the order of their first use, for reports.
	SharedExps []*SharedExp
	// Input is the symbol of the external input density (uA/cm2).
	Input string
	// Time is the symbol of the time t (ms) at the start of the step.
	Time string
	// Warnings are what is valid but likely wrong, such as a current written outward positive
	// (see check/signs.go), in the same form as errors; they do not stop generation.
	Warnings spec.ErrorList
}

// Closure returns the statements needed to compute the given ones (nil ones are skipped), them
// included, in order, split as Pre and Body are.
func (m *Model) Closure(roots ...*Stmt) (pre, body []*Stmt) {
	need := map[string]bool{}
	for _, st := range roots {
		if st != nil {
			need[st.Local] = true
		}
	}
	return m.closure(need)
}

// StepClosure returns the statements a step needs: those that compute the states' derivatives
// and linear coefficients (not those only rates or currents need), in order, split as Pre and
// Body are.
func (m *Model) StepClosure() (pre, body []*Stmt) {
	var roots []*Stmt
	for _, st := range m.States {
		roots = append(roots, st.StepRoots()...)
	}
	return m.Closure(roots...)
}

// ExprClosure returns the statements needed to compute the expressions, in order, split as Pre
// and Body are.
func (m *Model) ExprClosure(es ...*symbolic.Expr) (pre, body []*Stmt) {
	need := map[string]bool{}
	for _, e := range es {
		for _, v := range symbolic.Vars(e) {
			need[v] = true
		}
	}
	return m.closure(need)
}

// closure returns the statements that compute the symbols of need and those they need.
func (m *Model) closure(need map[string]bool) (pre, body []*Stmt) {
	all := append(slices.Clone(m.Pre), m.Body...)
	for i := len(all) - 1; i >= 0; i-- {
		st := all[i]
		if need[st.Local] {
			for _, v := range symbolic.Vars(st.Expr) {
				need[v] = true
			}
		}
	}
	for _, st := range m.Pre {
		if need[st.Local] {
			pre = append(pre, st)
		}
	}
	for _, st := range m.Body {
		if need[st.Local] {
			body = append(body, st)
		}
	}
	return pre, body
}

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
	Local     string // its symbol in expressions (codegen chooses its Go name)
	Unit      string // internal unit, e.g. "mS/cm2"
	Dim       units.Dim
	Default   float64 // in the internal unit
	PerNeuron bool
	Doc       string
	Text      string // the value as written in the spec
	Membrane  bool   // C or V_th: part of the membrane equation
	Positive  bool   // only values > 0 make sense (C): SetParam refuses others
	// Folded names the kinetic receptor whose per-synapse kinetics fold the parameter's value
	// into numbers when the code is generated (KineticInfo): SetParam refuses another value.
	Folded string
}

// State is a state variable, integrated by the chosen method.
type State struct {
	Name    string // spec name: "V", "Na.m"
	Local   string // its symbol in expressions (codegen chooses its Go name)
	Unit    string
	Kind    StateKind
	Doc     string
	Channel *Channel // for a gate
	Gate    *GateInfo
	Deriv   *Stmt // the statement that computes dx/dt
	Linear  *Stmt // the statement that computes ∂(dx/dt)/∂x (exp_auto and staggered only; else nil)
	// Coupled are the other states that drive the state linearly, where exp_auto and staggered
	// integrate it exactly together with them (see Coupling); else nil.
	Coupled []*Coupling
	// Init is the initial value for gates and concentrations: for a gate the steady state at the
	// neuron's V (or the spec's `init`), in terms of the locals of Body and Pre, V, parameters,
	// concentrations and the gates before it. Nil for V (see Model.VInit).
	Init *symbolic.Expr
	// Floor is the smallest value the state may take (concentrations stay positive); 0: none.
	Floor float64
	Ion   *Ion // for a concentration
	// Receptor is the receptor of a receptor state.
	Receptor *ReceptorInfo
}

// Coupling is one of the states y_j that drive a state x linearly, where together they are a
// linear system with constant coefficients over a step:
//
//	dx/dt = L_x·x + Σ_j Coef_j·y_j + b_x,   dy_j/dt = L_j·y_j + b_j,
//
// with L_x, Coef_j, L_j, b_x and b_j depending on no state that changes over the step (not V,
// nor the time; b_j may read a kinetic receptor's w_on, whose derivative is 0). Each y_j's update
// is exact on its own; x's is exact given the y_j's exact trajectories (AlphaCond's g driven by
// x; GABA_B's G driven by R_on and R_off).
type Coupling struct {
	From *State // y_j
	Coef *Stmt  // the statement that computes Coef_j = ∂(dx/dt)/∂y_j
}

// StepRoots are the statements of the state that its step reads: its derivative, its linear
// coefficient and its coupling's coefficient, where it has them (nil ones left out).
func (st *State) StepRoots() []*Stmt {
	roots := []*Stmt{st.Deriv}
	if st.Linear != nil {
		roots = append(roots, st.Linear)
	}
	for _, c := range st.Coupled {
		roots = append(roots, c.Coef)
	}
	return roots
}

// ReceptorInfo is a synaptic receptor of the group (its states are of kind Receptor). It is linear: its states' dynamics are linear
// and homogeneous in them, and an event adds the connection's weight w, times a number, to
// states; so one state per neuron holds the sum over the neuron's synapses, and delivering an
// event is adding w to a state's slice.
type ReceptorInfo struct {
	Name    string
	Stock   string // the stock receptor it uses, if any
	Doc     string
	States  []*State // its states (Kind Receptor), in spec order
	Current *Stmt    // the statement that computes its current density (uA/cm2, inward positive)
	// Text is the current as written; Density says it was written as a current density, else
	// it was a current, divided by the membrane area.
	Text    string
	Density bool
	// Events are what one event of weight w does: each adds Scale·w to its state, in the
	// order written. Events[0].State is the state an event targets first.
	Events []Increment
	// Assigns are what one event does when it is not a sum of increments (such as the
	// saturating `g += w*(gmax - g)/gmax`; then Events is nil): each sets its state to its
	// value, an expression of the receptor's states (as the earlier assignments left them),
	// the weight (the symbol EventWeight) and parameters, in the order written.
	// Assigns[0].State is the state an event sets first.
	Assigns   []EventAssign
	EventText string // the event as written
	// WeightUnit is the internal unit of w: the unit of Events[0].State (e.g. "mS"), or of a
	// kinetic receptor's `weight:`.
	WeightUnit string
	WeightDim  units.Dim
	// Kinetic describes a kinetic receptor, one with a state per synapse; nil for a linear one
	// (then Events is its event; a kinetic receptor has none).
	Kinetic *KineticInfo
}

// KineticInfo is the per-synapse part of a kinetic receptor, computed as Destexhe, Mainen and
// Sejnowski (1994) did. Each event releases a square pulse of transmitter at its synapse (T =
// TValue for Dur, else 0), during which the synapse's state r follows r' = AOn + BOn·r, and
// after it r' = BOff·r. Both are linear, so a neuron keeps three ordinary receptor states: On,
// the sum of w·r over its synapses in their pulse; Off, the sum over the others; and WOn, the
// sum of w over the synapses in their pulse, with On' = AOn·WOn + BOn·On, Off' = BOff·Off and
// WOn' = 0, integrated by the group's method. At a pulse's start and end the runtime computes
// the synapse's r in closed form and moves w·r (and w) between the sums; in the receptor's
// other expressions the state's name means On + Off.
type KineticInfo struct {
	State     string // the per-synapse state's name in the spec, "r"
	StateUnit string // its internal unit ("1" for a fraction)
	On, Off   *State // Σ w·r over the synapses in their pulse, over the others
	WOn       *State // Σ w over the synapses in their pulse
	// AOn and BOn (1/ms, in r's unit per ms for AOn) are r' = AOn + BOn·r during a pulse, BOff
	// after it.
	AOn, BOn, BOff float64
	Transmitter    string  // T, as the spec names it
	TValue         float64 // T during a pulse, internal units
	TUnit          string  // its internal unit
	Dur            float64 // the pulse's duration, ms
	// Deriv is the per-synapse state's derivative, TransmitterText and DurText the
	// transmitter's value and duration, as written.
	Deriv, TransmitterText, DurText string
}

// EventAssign is one part of a receptor's event that is not an increment: State = Value.
type EventAssign struct {
	State *State
	Value *symbolic.Expr
	Text  string // the part as written ("g += w*(gmax - g)/gmax")
}

// EventWeight is the symbol of the connection's weight w in a receptor's Assigns; names
// starting with `__` are reserved, so no spec name can be it.
const EventWeight = "__w"

// Increment is one part of a receptor's event: State += Scale·w.
type Increment struct {
	State *State
	Scale float64
}

// Ion is an ion species of the group.
type Ion struct {
	Name     string
	Valence  int
	Nernst   bool // E by the Nernst equation, at the group's temperature T
	Dynamics IonDynamics
	// Current is the statement that computes its total current density (uA/cm2, inward
	// positive), the sum of the currents of the channels that carry it; nil when it has no
	// dynamics.
	Current  *Stmt
	Channels []*Channel // the channels that carry it, in spec order
	State    *State     // its inner concentration, when it has dynamics
	Doc      string
}

// ConcentrationFloor is the smallest inner concentration (mM): an update that would go below it
// (which exp_auto never does for the built-in dynamics, whose decay is linear) stops there, so
// that the Nernst potential's logarithm is always defined.
const ConcentrationFloor = 1e-12

// GateInfo describes how a gate is written.
type GateInfo struct {
	Form  GateForm
	Power int // exponent in the default current
}

// Channel is an ion channel.
type Channel struct {
	Name    string
	Stock   string // the stock channel it uses, if any
	Ion     string // the ion it carries, if any
	Doc     string
	Current *Stmt  // the statement that computes its current density (uA/cm2)
	Text    string // the current expression as written (or the default one)
	Gates   []*State
}

// Rate is one rate function of a gate, evaluated by the generated Rates method.
type Rate struct {
	Name  string // "Na.m.alpha"
	Stmt  *Stmt  // the statement that computes it
	Unit  string
	Text  string    // as written in the spec
	Poles []float64 // V (mV) of removable singularities, at the parameters' defaults
}

// Stmt is one statement of the model: the symbol Local is Expr, which generated code computes
// as a Go local that codegen names.
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
// middle/expshare.go): Exp, the exponential as the model's expressions have it, is computed as As, a
// factor times a power of the family's shared exponential, e^(d − k·d₀) · exp(c·x + d₀)^k. The
// factor is a number, or, where d − k·d₀ holds group-wide parameters, exp of them (computed
// once per call, in Pre).
// An exprel(u) of the family is computed from its exp(u), which Exp is then.
type SharedExp struct {
	Exp *symbolic.Expr // exp(u), u affine in one variable
	As  *symbolic.Expr // what computes it; the shared exponential is a statement of its own
}
