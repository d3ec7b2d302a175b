package ir

import (
	"fmt"

	"github.com/neurogen/neurogen/symbolic"
)

// Network is a checked network spec: groups of neurons, each a checked Model and a size, the
// projections between them and the inputs that drive them. Values are in internal units (ms,
// mV, and the units of the states they set), so that a builder or generated code reads them as
// they are. Like a Model, it is immutable once check returns it.
type Network struct {
	Name     string
	Doc      string
	SpecFile string  // the network spec file, as given
	SpecHash string  // hex SHA-256 of its bytes
	DT       float64 // the time step, ms
	Seed     uint64  // the seed of every random draw that gives none of its own
	// Groups in spec order; Projections and Inputs one per target group, in spec order (a
	// projection `to: [exc, inh]` is two).
	Groups      []*Group
	Projections []*Projection
	Inputs      []*Input
}

// Group is a group of N neurons of one model.
type Group struct {
	Name  string
	Model *Model
	N     int
	// Init are the initial values the network spec gives, in spec order; the states it does not
	// name start as the model says (V at V_init, gates at their steady state).
	Init []*StateInit
	// Seed is the seed of the draws of Init: the group's own `seed` (OwnSeed) or the network's.
	Seed    uint64
	OwnSeed bool
}

// StateInit is the initial value of one state in every neuron of a group: drawn from Value,
// or read from File (one value per neuron, in the state's internal unit) when File is set.
type StateInit struct {
	State  *State
	Value  Dist
	File   string // the path as written, relative to the network spec's directory
	Stream uint64 // the random stream of its draws (see Projection.Stream)
}

// DistKind is the kind of a value drawn per neuron or per connection.
type DistKind int

// Distribution kinds.
const (
	Constant DistKind = iota // A
	Normal                   // mean A, standard deviation B
	Uniform                  // uniform on [A, B)
)

var distKindNames = [...]string{Constant: "constant", Normal: "normal", Uniform: "uniform"}

// String returns "constant", "normal" or "uniform", as a spec writes the distributions.
func (k DistKind) String() string {
	if k < 0 || int(k) >= len(distKindNames) {
		return fmt.Sprintf("DistKind(%d)", int(k))
	}
	return distKindNames[k]
}

// Dist is a value, or a distribution values are drawn from, in an internal unit.
type Dist struct {
	Kind DistKind
	A, B float64
	Text string // as written in the spec
}

// ConnectRule is how a projection's connections are made.
type ConnectRule int

// Connection rules.
const (
	AllToAll         ConnectRule = iota // every pair
	FixedProbability                    // each pair independently with probability P
	FixedInDegree                       // K presynaptic neurons for each postsynaptic one
	OneToOne                            // pre i to post i
	FromFile                            // the pairs (and weights and delays) of a file
)

var connectRuleNames = [...]string{AllToAll: "all", FixedProbability: "p", FixedInDegree: "in_degree", OneToOne: "one_to_one", FromFile: "file"}

// String returns the rule's key in a spec's `connect:`.
func (r ConnectRule) String() string {
	if r < 0 || int(r) >= len(connectRuleNames) {
		return fmt.Sprintf("ConnectRule(%d)", int(r))
	}
	return connectRuleNames[r]
}

// Projection is the connections from the spikes of one group to a receptor of one group.
type Projection struct {
	Name      string // the spec's name; "NAME" when it has one target group, else "NAME/POST"
	Pre, Post *Group
	// Receptor is the name of the receptor of Post that a spike reaches, and Target that
	// receptor: its Events say what a spike of weight w does (Events[0].State is the state it
	// targets first), or its Kinetic part, for a kinetic receptor, and Weight is in its
	// WeightUnit.
	Receptor string
	Target   *ReceptorInfo
	Rule     ConnectRule
	P        float64 // FixedProbability
	K        int     // FixedInDegree
	File     string  // FromFile: the path as written, relative to the network spec's directory
	// Self allows connections from a neuron to itself (a projection from a group to itself);
	// Multapses more than one connection between one pair.
	Self, Multapses bool
	// Weight is the weight of each connection; with FromFile and no `weight` in the spec, its
	// Text is "" and the file's weight column gives them. Float32 stores weights drawn per
	// connection as float32 (`weight_type: float32`), else float64; a constant is stored once.
	Weight  Dist
	Float32 bool
	// Delay is in ms; DelaySteps the delay in whole steps when it is a constant. With
	// Rounding, each delay is rounded to the nearest whole step.
	Delay      Dist
	DelaySteps int
	Rounding   bool
	// Plasticity is the connections' short-term plasticity, or nil.
	Plasticity *Plasticity
	// Seed and Stream pick the random stream of the projection's draws (connections, weights,
	// delays): Seed is the projection's `seed` or the network's, Stream is fixed by the
	// projection's name and target, so that adding a projection changes no other's draws.
	// OwnSeed says that Seed is the projection's own `seed`; otherwise it is the network's, which
	// a generated network takes at run time (NewSeed).
	Seed, Stream uint64
	OwnSeed      bool
}

// InputKind is the kind of an input.
type InputKind int

// Input kinds.
const (
	Poisson     InputKind = iota // independent Poisson trains into a receptor
	Step                         // a current Values[0] from Times[0] to Times[1]
	Ramp                         // a current from Values[0] at Times[0] to Values[1] at Times[1]
	Piecewise                    // a current Values[i] from Times[i] on
	CurrentFile                  // a current waveform read from File, one value per FileDT
	OU                           // Ornstein–Uhlenbeck noise current
)

var inputKindNames = [...]string{Poisson: "poisson", Step: "step", Ramp: "ramp", Piecewise: "piecewise", CurrentFile: "current_file", OU: "ou"}

// String returns the input's kind as a spec writes it.
func (k InputKind) String() string {
	if k < 0 || int(k) >= len(inputKindNames) {
		return fmt.Sprintf("InputKind(%d)", int(k))
	}
	return inputKindNames[k]
}

// Input drives the neurons of one group. Currents are current densities (uA/cm2, the unit of
// the group's I_ext): a current written in A is divided by the group's membrane area.
type Input struct {
	Name  string // as Projection.Name
	Kind  InputKind
	Group *Group
	// Poisson: the rate of each neuron's train (1/ms), into the receptor Target (named
	// Receptor) with Weight, in Target.WeightUnit.
	Rate     Dist
	Receptor string
	Target   *ReceptorInfo
	Weight   float64
	// Step, Ramp, Piecewise: the times (ms) and current densities.
	Times, Values []float64
	// CurrentFile: the file, the time step of its values (ms), and the factor that turns them
	// into uA/cm2.
	File   string
	FileDT float64
	Scale  float64
	// OU: the stationary mean and standard deviation (uA/cm2) and the time constant (ms).
	Mean, SD, Tau float64
	// Seed and Stream pick the input's random stream: Seed is the input's own `seed` (OwnSeed)
	// or the network's.
	Seed, Stream uint64
	OwnSeed      bool
}

// Plasticity is the plasticity of a projection's connections, a state per connection or, with
// PerPresynaptic, per presynaptic neuron: the stock Tsodyks–Markram short-term plasticity
// (runtime.TsodyksMarkram; Model "tsodyks_markram"), with U in (0, 1], TauRec > 0 and
// TauFacil ≥ 0 in ms, or else a rule written as expressions (Rule; Model "").
type Plasticity struct {
	Model            string // "tsodyks_markram", or "" for a Rule
	U                float64
	TauRec, TauFacil float64
	PerPresynaptic   bool
	Rule             *PlasticRule
}

// PlasticDelta is the symbol of Δ, the time (ms) since a state's previous event, in the
// expressions of a PlasticRule; its states are the symbols of their names.
const PlasticDelta = "delta"

// PlasticRule is plasticity written as expressions (runtime.PlasticRule): at each event, each
// state is relaxed over Δ since the previous event (Relax, all at once, from the values before;
// none for the first event), the event delivers w·Factor, and the Updates set states in order,
// each from the values the updates before it left. Expressions are in internal units, over the
// states' names and PlasticDelta, the parameters folded in.
type PlasticRule struct {
	Params  []*PlasticParam
	States  []*PlasticState
	Factor  *symbolic.Expr // the delivered weight over w
	Weight  string         // the weight as written, such as "w*u*x"
	Updates []*PlasticUpdate
}

// PlasticParam is a parameter of a PlasticRule, folded into its expressions.
type PlasticParam struct {
	Name  string
	Value float64 // in the internal unit
	Text  string  // as written
}

// PlasticState is a state of a PlasticRule.
type PlasticState struct {
	Name     string
	Unit     string  // its internal unit, "1" for a dimensionless one
	Init     float64 // its value at rest
	InitText string
	// Relax is its value Δ after the previous event, or nil: it holds its value. RelaxText is
	// the spec's `relax`, or `deriv` when Deriv (Relax then is its exact solution).
	Relax     *symbolic.Expr
	RelaxText string
	Deriv     bool
}

// PlasticUpdate is one assignment of an event, State = Expr.
type PlasticUpdate struct {
	State *PlasticState
	Expr  *symbolic.Expr
	Text  string // as written, "x = x - u*x"
}
