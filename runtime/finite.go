package runtime

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// DefaultFiniteCheck is the number of steps between two checks of a Sim's state for NaN and
// infinities (see Sim.SetFiniteCheck) unless SetFiniteCheck sets another.
//
// It is chosen so that the check costs well under 1 % of the steps it watches.
// BenchmarkFiniteCheck and BenchmarkFiniteStep (finite_test.go) measured, per neuron, on an
// AMD EPYC shared with other work (-cpu 1, so the numbers are noisy): a check of HH52's four
// state variables 1.2 to 1.6 ns; one step 51 ns for HH52 (exp_auto) and 17 to 27 ns for HH52
// with SIMD rate tables (gen -tables -simd; bench/run's exp_auto+tables+simd times it), the
// cheapest step of the generated models. A check after every step would cost 3 % of an HH52
// step and 9 % of one with SIMD tables; every 50 steps it
// costs 0.06 % and 0.2 %. 50 steps are 1.25 ms of simulated time at dt = 0.025 ms: a run
// whose state turns non-finite stops within that.
const DefaultFiniteCheck = 50

// NonFiniteError reports a NaN or an infinity in the state of a group (or in a state added to
// a Sim with AddState): the first one in the order of the model's variables (Model().Vars),
// then of the neurons. CheckFinite and Sim.CheckFinite return it, and Sim.Step and Sim.Run with
// the check on (Sim.SetFiniteCheck).
type NonFiniteError struct {
	Group string // the group's name; for a state added with AddState, empty
	State string // for a state added with AddState, its name; otherwise empty
	// Projection is, for a state of a projection's plasticity, the projection's name; State
	// is then the plasticity state's name, and Neuron the synapse's index (or the presynaptic
	// neuron's, for a state per presynaptic neuron). Otherwise empty.
	Projection string
	Var        string  // the state variable ("V", "Na.m", "Ca_i"); empty for a user state
	Neuron     int     // the neuron's index (the value's index in a user state)
	Value      float64 // NaN, +Inf or -Inf
	T          float64 // the time of the state, ms
	Step       int64   // the Sim's step count at T; -1 when unknown (CheckFinite)
	// Others is how many other values of the state checked (the group's, or the user
	// state's) are not finite.
	Others int
	// FiniteStep is the step count of the Sim's last check that found every value finite,
	// before Step; -1 when there was none since the Sim was made, reset or loaded.
	FiniteStep int64
	FiniteT    float64 // the time of that check, ms
}

func (e *NonFiniteError) Error() string {
	var b strings.Builder
	if e.Projection != "" {
		fmt.Fprintf(&b, "projection %q: plasticity state %s of %s is %s", e.Projection, e.State, e.Var, fmtValue(e.Value))
	} else if e.State != "" {
		fmt.Fprintf(&b, "state %q: value %d is %s", e.State, e.Neuron, fmtValue(e.Value))
	} else {
		fmt.Fprintf(&b, "group %q: %s of neuron %d is %s", e.Group, e.Var, e.Neuron, fmtValue(e.Value))
	}
	fmt.Fprintf(&b, " at t = %s ms", fmtTime(e.T))
	if e.Step >= 0 {
		fmt.Fprintf(&b, " (step %d)", e.Step)
	}
	switch {
	case e.Others == 1:
		b.WriteString(", and 1 other value is not finite")
	case e.Others > 1:
		fmt.Fprintf(&b, ", and %d other values are not finite", e.Others)
	}
	if e.FiniteStep >= 0 && e.FiniteStep < e.Step {
		fmt.Fprintf(&b, "; every value was finite at t = %s ms (step %d)", fmtTime(e.FiniteT), e.FiniteStep)
	}
	return b.String()
}

// fmtValue writes NaN, +Inf or -Inf.
func fmtValue(x float64) string {
	switch {
	case math.IsInf(x, 1):
		return "+Inf"
	case math.IsInf(x, -1):
		return "-Inf"
	}
	return "NaN"
}

// fmtTime writes a time to 12 significant digits, so that step·dt prints as 12.325, not
// 12.325000000000001.
func fmtTime(t float64) string {
	return strconv.FormatFloat(t, 'g', 12, 64)
}

// CheckFinite checks every state variable (Model().Vars: V, gates, concentrations) of every
// neuron of g for NaN and infinities, and returns nil when all are finite, or a
// *NonFiniteError that names the group (as name), the variable, the neuron and the time
// (g.Now()) of the first value that is not. It allocates nothing when every value is finite,
// and costs about as much as reading the state once (a small fraction of a step: see
// DefaultFiniteCheck). Call it after runtime.Run, or between steps of a loop of your own.
func CheckFinite(name string, g Group) error {
	e := checkGroup(name, g)
	if e == nil {
		return nil
	}
	e.Step, e.FiniteStep = -1, -1
	return e
}

// checkGroup returns the group's first non-finite value, or nil.
func checkGroup(name string, g Group) *NonFiniteError {
	vars := g.Model().Vars
	for k, v := range vars {
		view, ok := VarOf(g, v.Name)
		if !ok {
			continue
		}
		i := view.firstNonFinite()
		if i < 0 {
			continue
		}
		e := &NonFiniteError{Group: name, Var: v.Name, Neuron: i, Value: view.At(i), T: g.Now()}
		e.Others = view.countNonFinite(i + 1) // the rest of this variable, then the others
		for _, w := range vars[k+1:] {
			if view, ok := VarOf(g, w.Name); ok {
				e.Others += view.countNonFinite(0)
			}
		}
		return e
	}
	return nil
}

// ParamError is a parameter value that no step can use: one that is not a finite number, or
// one that is not positive where the model divides by it (Param.Positive: C, a shell depth, a
// time constant). SetParam refuses such values; a value written into a group's Params struct
// or per-neuron slice directly is found by CheckParams, and by a Sim's checks before its state
// would turn NaN.
type ParamError struct {
	Group  string  // the group's name in its Sim, or the name given to CheckParams
	Param  string  // "C", "Na.g_max"
	Neuron int     // the neuron of a per-neuron parameter; -1 for a group-wide one
	Value  float64 // the value
	Unit   string  // its unit
}

func (e *ParamError) Error() string {
	what := "parameter " + e.Param
	if e.Neuron >= 0 {
		what += fmt.Sprintf(" of neuron %d", e.Neuron)
	}
	why := "not a finite number"
	if !math.IsNaN(e.Value) && !math.IsInf(e.Value, 0) {
		why = "it must be positive"
	}
	return fmt.Sprintf("group %q: %s is %v %s: %s", e.Group, what, e.Value, e.Unit, why)
}

// CheckParams checks every parameter of group g (named name in the error) as SetParam would:
// a finite number, and a positive one where the model needs it (Param.Positive); and that
// every neuron's input (Group.Input, reported as I_ext) is a finite number. It returns
// the *ParamError of the first parameter that fails, in the order of the model's parameters,
// or nil. It allocates nothing when every value is valid.
func CheckParams(name string, g Group) error {
	if e := checkParams(name, g); e != nil {
		return e
	}
	return nil
}

func checkParams(name string, g Group) *ParamError {
	for _, p := range g.Model().Params {
		bad := func(x float64) bool { return x-x != 0 || p.Positive && !(x > 0) }
		if p.PerNeuron {
			view, ok := VarOf(g, p.Name)
			if !ok {
				continue
			}
			for i := range view.Len() {
				if x := view.At(i); bad(x) {
					return &ParamError{Group: name, Param: p.Name, Neuron: i, Value: x, Unit: p.Unit}
				}
			}
			continue
		}
		if x, ok := g.Param(p.Name); ok && bad(x) {
			return &ParamError{Group: name, Param: p.Name, Neuron: -1, Value: x, Unit: p.Unit}
		}
	}
	if in := g.Input(); firstNonFinite(in) >= 0 {
		i := firstNonFinite(in)
		return &ParamError{Group: name, Param: "I_ext", Neuron: i, Value: in[i], Unit: "uA/cm2"}
	}
	return nil
}

// firstNonFinite returns the index of the first value that is NaN or infinite, or -1. x−x is
// 0 for a finite x and NaN for NaN and ±Inf, and NaN != 0.
func (v VarView) firstNonFinite() int {
	if v.F64 != nil {
		return firstNonFinite(v.F64)
	}
	return firstNonFinite(v.F32)
}

func firstNonFinite[F float32 | float64](v []F) int {
	// Eight values at a time, without a branch per value: a sum of x−x is NaN when any term
	// is. This is 2.5 times as fast as a branch per value.
	i := 0
	for ; i+8 <= len(v); i += 8 {
		w := v[i : i+8 : i+8]
		a := (w[0] - w[0]) + (w[1] - w[1]) + (w[2] - w[2]) + (w[3] - w[3])
		b := (w[4] - w[4]) + (w[5] - w[5]) + (w[6] - w[6]) + (w[7] - w[7])
		if a+b != 0 {
			break
		}
	}
	for ; i < len(v); i++ {
		if x := v[i]; x-x != 0 {
			return i
		}
	}
	return -1
}

// countNonFinite counts the values from index from on that are NaN or infinite.
func (v VarView) countNonFinite(from int) int {
	n := 0
	for i := from; i < v.Len(); i++ {
		if x := v.At(i); x-x != 0 {
			n++
		}
	}
	return n
}

// SetFiniteCheck sets how often the Sim checks its state for NaN and infinities: every
// groups' state variables (as CheckFinite does) and the states added with AddState. With
// every ≥ 1 it checks after every step whose step count is a multiple of every (the steps
// every·dt, 2·every·dt, … of simulated time), after every step at which a Monitor among its
// recorders records (so no record is made of a non-finite state without an error), and at
// the end of Run; Step and Run then return the *NonFiniteError of the first non-finite value.
// every = 0 turns the check off. A new Sim checks every DefaultFiniteCheck steps. The check
// reads the state and changes nothing: a run with it gives the same bits as one without. It
// fails when every < 0.
func (s *Sim) SetFiniteCheck(every int) error {
	if every < 0 {
		return fmt.Errorf("finite check every %d steps: want a whole number ≥ 0 (0 turns the check off)", every)
	}
	s.checkEvery = int64(every)
	return nil
}

// FiniteCheck returns the number of steps between two checks of the state (SetFiniteCheck),
// 0 when the check is off.
func (s *Sim) FiniteCheck() int { return int(s.checkEvery) }

// CheckFinite checks the parameters of every group (as CheckParams does, returning its
// *ParamError), then the state of every group (as CheckFinite does) and every state added
// with AddState for NaN and infinities, at the Sim's present time, whatever SetFiniteCheck
// set, and returns the *NonFiniteError of the first non-finite value, in the order the groups
// and states were added, or nil. It allocates nothing when every value is valid.
func (s *Sim) CheckFinite() error {
	for i, g := range s.groups {
		if e := checkParams(s.names[i], g); e != nil {
			return e
		}
	}
	step := s.clock.Step
	// Plasticity first: a NaN there reaches its target group's receptor in the same step, and
	// the rule, not the group, is where it comes from.
	e := s.checkPlasticity()
	for i, g := range s.groups {
		if e != nil {
			break
		}
		e = checkGroup(s.names[i], g)
	}
	if e == nil {
		for _, u := range s.states {
			if i := firstNonFinite(u.values); i >= 0 {
				e = &NonFiniteError{State: u.name, Neuron: i, Value: u.values[i], T: s.clock.T(),
					Others: VarView{F64: u.values}.countNonFinite(i + 1)}
				break
			}
		}
	}
	if e == nil {
		s.finiteStep = step
		return nil
	}
	e.Step, e.T = step, s.clock.T()
	e.FiniteStep, e.FiniteT = s.finiteStep, float64(s.finiteStep)*s.clock.Dt
	if s.finiteStep < 0 || s.finiteStep > step {
		e.FiniteStep, e.FiniteT = -1, 0
	}
	return e
}

// checkDue reports whether the Sim checks its state after the step of index step: at its
// every-th step counts and the steps at which a Monitor records.
func (s *Sim) checkDue(step int64) bool {
	if s.checkEvery <= 0 {
		return false
	}
	if (step+1)%s.checkEvery == 0 {
		return true
	}
	for _, r := range s.recorders {
		if m, ok := r.(*Monitor); ok && step >= 0 && (step+1)%m.every == 0 {
			return true
		}
	}
	return false
}

// checkPlasticity returns a non-finite value of the projections' plasticity states (the first
// projection's with one, the first synapse's or presynaptic neuron's with one), or nil. It
// allocates nothing unless it finds one.
func (s *Sim) checkPlasticity() *NonFiniteError {
	for _, c := range s.conns {
		st := c.stp
		if st == nil {
			continue
		}
		// The stock model's u and x, or a rule's values, state by state for each synapse.
		names, n := []string{"u", "x"}, 1
		vals := [][]float64{st.u, st.x}
		if st.rule != nil {
			names, n, vals = st.rule.States, len(st.rule.States), [][]float64{st.vals}
		}
		for k, v := range vals {
			i := firstNonFinite(v)
			if i < 0 {
				continue
			}
			what := "synapse"
			if st.per {
				what = "presynaptic neuron"
			}
			j, name := i/n, names[k]
			if st.rule != nil {
				name = names[i%n]
			}
			return &NonFiniteError{Projection: c.name, State: name, Var: fmt.Sprintf("%s %d", what, j), Neuron: j, Value: v[i],
				Others: VarView{F64: v}.countNonFinite(i + 1)}
		}
	}
	return nil
}
