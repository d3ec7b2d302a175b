package runtime

// SupportPackageIsVersion1 is referenced by code generated for version 1 of this package's
// API, so that generated code fails to compile against a runtime it was not made for, with an
// error that names the version.
const SupportPackageIsVersion1 = true

// APIVersion is the version of the generated-code API this runtime provides.
const APIVersion = 1

// Model describes a generated model: what the group holds, in which units, and where it came
// from. A generated package has one Model value shared by all its groups.
type Model struct {
	Name     string // model name from the spec
	Doc      string // the spec's doc
	Spec     string // the spec file it was generated from
	SpecHash string // hex SHA-256 of the spec file's bytes
	Method   string // integration method: exp_auto, staggered, euler, rk2 or rk4
	// LayoutHash identifies the layout of the generated group's state (its variables and
	// parameters with their units, and the runtime API version): state files carry it, so a
	// file written by one generated layout is never loaded into another.
	LayoutHash string
	// Float32 reports that the group stores its state variables in single precision
	// (gen -float32): Var returns nil for them and Float32Vars.Var32 their slices.
	Float32 bool

	C   float64 // specific membrane capacitance, uF/cm2
	A   float64 // membrane area, cm2
	VTh float64 // spike threshold, mV
	// Refractory is the membrane's refractory period (ms), 0 without one. With one, a neuron
	// spikes in a step when V > VTh after it and its last spike's step started at least
	// Refractory before (in whole steps, as Brian2 counts them), and SpikeTimes holds the start
	// of the step of its last spike; without one, it spikes at each upward crossing of VTh,
	// timed by linear interpolation.
	Refractory float64

	Vars   []Var   // state variables in storage order; Vars[0] is "V"
	Params []Param // parameters, group-level first, then per channel, in spec order
	Rates  []Rate  // every gate's rate functions (alpha, beta or inf, tau), in spec order
	// Currents are the channels, then the receptors, whose current densities Group.Currents
	// evaluates, each in spec order.
	Currents []string
	// Receptors are the group's synaptic receptors, in spec order: where a network delivers
	// events. Nil for a group without receptors (and for code generated before they existed).
	Receptors []Receptor
}

// Receptor describes a synaptic receptor of a group, such as "E" of a group spec's
// `receptors:`. It is linear: its states (variables of kind KindReceptor) hold the sum over
// each neuron's synapses, so an event of weight w into neuron i is delivered by adding Scale·w
// to Var(t.Var)[i] for each t of Targets, between steps.
type Receptor struct {
	Name string // the receptor's name in the spec, "E"
	Doc  string
	// Target is the variable an event increments first ("E.g"), Targets[0].Var: for most
	// receptors the only one, with scale 1.
	Target  string
	Targets []ReceptorTarget // every increment of an event, in the order the spec writes them
	// WeightUnit is the internal unit of w, that of the variables it increments: "mS" for a
	// conductance (1 nS is 1e-6 mS), "uA/cm2" for a current density.
	WeightUnit string
	// Event is the spec's event, as written ("g += w").
	Event string
	// Kinetic describes a kinetic receptor, one whose state is per synapse (then Target and
	// Targets are empty: Sim.ConnectReceptor keeps each synapse's state); nil for a linear one.
	Kinetic *KineticReceptor
	// Apply, for a receptor whose event is not a sum of increments (such as the saturating
	// `g += w*(gmax - g)/gmax`), applies one event of weight w to neuron j of g, a group of
	// this model: it sets the neuron's receptor states from their values, w and the group's
	// parameters. Then Targets is empty and Target names the state the event sets first (the
	// one whose slice the Sim splits between workers); Apply must touch neuron j alone, and
	// not allocate; JSON leaves it out. Nil for a receptor whose event adds to its states (eventfunc.go).
	Apply func(g Group, j int, w float64) `json:"-"`
}

// KineticReceptor is the per-synapse part of a kinetic receptor (Destexhe, Mainen and
// Sejnowski 1994): each event releases a square pulse of transmitter at its synapse, of Dur
// ms (an event during a pulse restarts it), during which the synapse's state r follows
// r' = AOn + BOn·r and after which r' = BOff·r. The group holds, per neuron, On = Σ w·r over
// its synapses in their pulse, Off = Σ w·r over the others and WOn = Σ w over those in their
// pulse (On' = AOn·WOn + BOn·On, Off' = BOff·Off, WOn' = 0, integrated by its Step); a
// projection into it keeps each synapse's r at its last pulse start or end, and moves w·r
// (and w) between the sums there (file kinetic.go).
type KineticReceptor struct {
	State          string  // the per-synapse state's name in the spec, "r"
	On, Off, WOn   string  // the group's variables ("AMPA.r_on", "AMPA.r_off", "AMPA.w_on")
	AOn, BOn, BOff float64 // 1/ms (AOn in r's unit per ms)
	Dur            float64 // the pulse's duration, ms
}

// ReceptorTarget is one increment of a receptor's event: Var += Scale·w.
type ReceptorTarget struct {
	Var   string
	Scale float64
}

// Receptor returns the receptor of that name, or nil if m has none.
func (m *Model) Receptor(name string) *Receptor {
	for i := range m.Receptors {
		if m.Receptors[i].Name == name {
			return &m.Receptors[i]
		}
	}
	return nil
}

// Var describes a state variable such as "V" or "Na.m".
type Var struct {
	Name string // "V", "CHANNEL.GATE", or "ION_i" for an ion's inner concentration
	Unit string // internal unit, e.g. "mV"; "1" for dimensionless
	Kind string // KindVoltage, KindGate, KindConcentration or KindReceptor
	Doc  string
}

// The kinds of state variable, as Var.Kind names them.
const (
	KindVoltage       = "voltage"       // the membrane potential V
	KindGate          = "gate"          // a gating variable of a channel, from 0 to 1
	KindConcentration = "concentration" // an ion's inner concentration, positive
	KindReceptor      = "receptor"      // a state of a synaptic receptor, summed over the neuron's synapses
)

// Param describes a parameter such as "Na.g_max" (channel parameter) or "I_ext" (group level).
type Param struct {
	Name      string
	Unit      string  // internal unit
	Default   float64 // the spec's value, in the internal unit
	PerNeuron bool    // one value per neuron (a slice) rather than one per group
	Doc       string
	Positive  bool // only values > 0 are valid (C, a divisor): SetParam refuses others
}

// Rate describes one rate function of a gate, evaluated by Group.Rates.
type Rate struct {
	Name string // "CHANNEL.GATE.alpha" (or beta, inf, tau)
	Unit string // "1/ms" for alpha and beta, "ms" for tau, "1" for inf
	Expr string // the expression as written in the spec
	// Poles are the membrane potentials (mV, at the parameters' defaults) where the spec's
	// expression is 0/0; the generated code computes the limit there.
	Poles []float64
}

// Group is a population of neurons of one generated model. All slices have one element per
// neuron and are owned by the group; callers may read and write them between steps.
type Group interface {
	// Model describes the generated model.
	Model() *Model
	// Len is the number of neurons.
	Len() int
	// Reset puts every neuron in its initial state: V from the spec's V_init (drawn with the
	// group's seed when it is random), every gate at its steady state for that V, every
	// receptor state at 0, no spikes. Parameters and input are left as they are.
	Reset()
	// Equilibrate puts every gate at its steady state for the neuron's present V and
	// concentrations (kinetic gates at their spec's `init`), leaving V, concentrations and
	// receptor states as they are: set them per neuron, then Equilibrate, for heterogeneous
	// initial states.
	Equilibrate()
	// SetSeed sets the seed of the random draws that Reset makes.
	SetSeed(seed uint64)
	// Seed returns the seed of the random draws that Reset makes.
	Seed() uint64
	// Now is the time (ms) of the group's state: t+dt after Step(t, dt), 0 after Reset. Rates
	// and Currents evaluate time-dependent expressions at it.
	Now() float64
	// SetNow sets the time of the state, as when a saved state is restored.
	SetNow(t float64)
	// VoltageClamp reports whether the voltage clamp is on.
	VoltageClamp() bool
	// Step advances every neuron from time t to t+dt (ms). It allocates nothing.
	Step(t, dt float64)
	// StepRange advances neurons lo ≤ i < hi only; disjoint ranges may run concurrently. A
	// generated group panics, naming the range, unless 0 ≤ lo ≤ hi ≤ Len.
	StepRange(lo, hi int, t, dt float64)
	// Var returns the slice of a state variable ("V", "Na.m") or per-neuron parameter, or nil if
	// there is none of that name.
	Var(name string) []float64
	// Param returns the value of a group-wide parameter.
	Param(name string) (float64, bool)
	// SetParam sets a parameter: a group-wide one, or every neuron's value of a per-neuron one.
	// It fails for an unknown name or a non-finite value.
	SetParam(name string, v float64) error
	// Input returns each neuron's external current density in uA/cm2. Step adds it to the
	// membrane equation and leaves it as it is (it is not cleared after a step).
	Input() []float64
	// Spiked reports, for each neuron, whether it spiked during the last Step: V crossed V_th
	// upwards, or, for a model with a refractory period (Model.Refractory), V > V_th after the
	// step and the neuron was not refractory.
	Spiked() []bool
	// SpikeTimes holds, for each neuron, the time of its last spike (ms), linearly interpolated
	// between the two steps that bracket the crossing, or, for a model with a refractory
	// period, the start of the step it spiked in (Brian2's stamp, which the refractory period
	// counts from); -Inf before the first spike.
	SpikeTimes() []float64
	// Rates evaluates Model().Rates for neuron i at membrane potential V (mV), with the
	// neuron's other state and parameters as they are, into dst (len(dst) ≥ len(Model().Rates)).
	Rates(i int, V float64, dst []float64)
	// Currents evaluates each channel's (then each receptor's) current density (uA/cm2, inward
	// positive; the order of Model().Currents) for neuron i in its present state into dst.
	Currents(i int, dst []float64)
	// SetVoltageClamp holds V where it is (a voltage clamp) while on: Step then advances the
	// gates and concentrations only, and the caller sets V between steps.
	SetVoltageClamp(on bool)
}
