package ir

import "fmt"

// The kinds of the IR are closed sets of typed constants, each with a String method that gives
// its spelling in specs and reports. A switch over a kind names every constant of it (see
// TestSwitchesExhaustive), so that adding one is a compile-and-test-guided change.

// Method is an integration method.
type Method int

// Integration methods, the default first.
const (
	ExpAuto   Method = iota // exponential Euler with the linear coefficient of every state
	Staggered               // V and the rest alternately, each exponentially, half a step apart
	Euler                   // forward Euler
	RK2                     // Heun's method
	RK4                     // classical Runge–Kutta
)

// Methods lists the integration methods, the default first.
var Methods = []Method{ExpAuto, Staggered, Euler, RK2, RK4}

var methodNames = [...]string{ExpAuto: "exp_auto", Staggered: "staggered", Euler: "euler", RK2: "rk2", RK4: "rk4"}

// String returns the method as a spec's `method:` and the -method flag write it.
func (m Method) String() string {
	if m < 0 || int(m) >= len(methodNames) {
		return fmt.Sprintf("Method(%d)", int(m))
	}
	return methodNames[m]
}

// ParseMethod returns the method a spec's `method:` or a -method flag names, and whether there
// is one of that name.
func ParseMethod(s string) (Method, bool) {
	for _, m := range Methods {
		if m.String() == s {
			return m, true
		}
	}
	return 0, false
}

// MethodNames lists the methods' names, the default first, for messages and suggestions.
func MethodNames() []string {
	out := make([]string, len(Methods))
	for i, m := range Methods {
		out[i] = m.String()
	}
	return out
}

// Linearised reports whether the method integrates each state exponentially, from its
// derivative and its linear coefficient ∂(dx/dt)/∂x (State.Linear): exp_auto and staggered.
func (m Method) Linearised() bool {
	switch m {
	case ExpAuto, Staggered:
		return true
	case Euler, RK2, RK4:
		return false
	}
	panic(fmt.Sprintf("ir: unknown method %d", int(m)))
}

// GateForm says how a gate's kinetics are written in the spec.
type GateForm int

// Gate forms.
const (
	AlphaBeta GateForm = iota // alpha and beta: dx/dt = α(1−x) − βx
	InfTau                    // inf and tau: dx/dt = (x∞ − x)/τ
	Kinetic                   // deriv (and init): dx/dt as written
)

var gateFormNames = [...]string{AlphaBeta: "alpha/beta", InfTau: "inf/tau", Kinetic: "kinetic"}

// String returns "alpha/beta", "inf/tau" or "kinetic".
func (f GateForm) String() string {
	if f < 0 || int(f) >= len(gateFormNames) {
		return fmt.Sprintf("GateForm(%d)", int(f))
	}
	return gateFormNames[f]
}

// IonDynamics says how an ion's inner concentration evolves.
type IonDynamics int

// Ion dynamics.
const (
	Fixed      IonDynamics = iota // no dynamics: the concentrations are parameters
	FirstOrder                    // built-in first-order pool (check/ions.go)
	Detailed                      // built-in pool with a shell depth
	Custom                        // dynamics written as an expression
)

var ionDynamicsNames = [...]string{Fixed: "fixed", FirstOrder: "first_order", Detailed: "detailed", Custom: "custom"}

// String returns the dynamics as a spec's `dynamics:` writes it ("custom" for an expression).
func (d IonDynamics) String() string {
	if d < 0 || int(d) >= len(ionDynamicsNames) {
		return fmt.Sprintf("IonDynamics(%d)", int(d))
	}
	return ionDynamicsNames[d]
}

// ParseIonDynamics returns the built-in dynamics a spec's `dynamics:` names (not Custom, which
// is any other text), and whether there is one of that name.
func ParseIonDynamics(s string) (IonDynamics, bool) {
	for _, d := range []IonDynamics{Fixed, FirstOrder, Detailed} {
		if d.String() == s {
			return d, true
		}
	}
	return 0, false
}

// StateKind says what a state variable is.
type StateKind int

// State kinds.
const (
	Voltage       StateKind = iota // the membrane potential V
	Gate                           // a gating variable of a channel
	Concentration                  // an ion's inner concentration
	Receptor                       // a state of a synaptic receptor, summed over its synapses
)

var stateKindNames = [...]string{Voltage: "voltage", Gate: "gate", Concentration: "concentration", Receptor: "receptor"}

// String names the kind, as runtime.Var.Kind does.
func (k StateKind) String() string {
	if k < 0 || int(k) >= len(stateKindNames) {
		return fmt.Sprintf("StateKind(%d)", int(k))
	}
	return stateKindNames[k]
}
