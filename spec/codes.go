package spec

// A Code says which kind of error an Error is: a short, stable identifier, as go/types gives
// every type error a code. Messages may change wording from one release to the next; codes do
// not, so tests and tools that need to know which error they have compare codes. Codes are
// not printed: `neurogen check` prints file:line:col: message, and docs/errors.md lists every
// code.
//
// The zero Code, "", is no code: errors made outside the loader and checker (a hand-built
// ErrorList) may have none.
type Code string

// The codes of the loader (spec.Load: the YAML and the structure of a spec).
const (
	// TooLarge: a spec, a file or an expression exceeds a size limit (bytes, YAML tokens,
	// nesting, operations once definitions are inlined).
	TooLarge Code = "too-large"
	// InvalidText: bytes that are not valid UTF-8, a tab inside unquoted text, an invalid
	// escape sequence in a quoted string.
	InvalidText Code = "invalid-text"
	// YAMLSyntax: the YAML does not parse.
	YAMLSyntax Code = "yaml-syntax"
	// UnsupportedYAML: YAML that specs do not use: directives, several documents, anchors,
	// aliases, tags, merge keys, complex keys.
	UnsupportedYAML Code = "unsupported-yaml"
	// InvalidKey: a mapping key that is not a name (a number, a list).
	InvalidKey Code = "invalid-key"
	// DuplicateKey: a key given twice in one mapping.
	DuplicateKey Code = "duplicate-key"
	// UnknownField: a key that is no field (nor parameter) of where it is written.
	UnknownField Code = "unknown-field"
	// MisplacedField: a field written at the wrong level, such as a gate's field indented as a
	// gate.
	MisplacedField Code = "misplaced-field"
	// MissingField: a required field is absent (`model`, `membrane: C`, an ion's `C_i` when its
	// dynamics need it, `g_max` and `E` for the default current).
	MissingField Code = "missing-field"
	// MissingValue: a field with no value, or an empty one.
	MissingValue Code = "missing-value"
	// WrongType: a value of the wrong YAML kind: a list where a mapping belongs, text where a
	// number or a boolean does.
	WrongType Code = "wrong-type"
	// InvalidName: a name that is not an identifier, or one reserved (starting with `__`).
	InvalidName Code = "invalid-name"
	// UnsupportedVersion: a `neurogen:` format version that is invalid or newer than this
	// neurogen reads.
	UnsupportedVersion Code = "unsupported-version"
	// GateForm: a gate whose fields make no form: `alpha` without `beta`, `tau` without `inf`,
	// forms mixed, `phi` on an instantaneous gate.
	GateForm Code = "gate-form"
	// ConflictingFields: fields that exclude each other given together: two rules under a
	// projection's `connect`, two kinds of input, a `receptor` on an input that is a current.
	ConflictingFields Code = "conflicting-fields"
)

// The codes of the checker (check.Check: names, dimensions, values).
const (
	// UnknownName: a name that is defined nowhere in scope.
	UnknownName Code = "unknown-name"
	// UnknownFunction: a call of a function that does not exist (or of a name that is not a
	// function).
	UnknownFunction Code = "unknown-function"
	// UnknownMethod: an integration method that does not exist.
	UnknownMethod Code = "unknown-method"
	// UnknownChannel: `use:` of a stock channel that does not exist.
	UnknownChannel Code = "unknown-channel"
	// DuplicateName: a name defined twice in one scope (channels, parameters, definitions), or a
	// predeclared name (`V`, `t`, a function) redefined.
	DuplicateName Code = "duplicate-name"
	// MisusedName: a name used where it cannot be: a function not called, a gate outside its
	// channel, a state in a parameter's value.
	MisusedName Code = "misused-name"
	// StockUse: a channel that uses a stock channel and changes what the stock channel fixes
	// (its current, gates, definitions, ion), or a stock channel that is broken.
	StockUse Code = "stock-use"
	// Syntax: an expression that does not parse, or uses an operator the language lacks (`^`).
	Syntax Code = "syntax"
	// WrongArgCount: a function called with too few or too many arguments.
	WrongArgCount Code = "wrong-arg-count"
	// DimensionMismatch: operands that must have one dimension have two, as in `V + 1 ms`.
	DimensionMismatch Code = "dimension-mismatch"
	// WrongDimension: a value or expression whose dimension is not the one its place needs: a
	// current that is not a current density, an argument of exp that is not dimensionless.
	WrongDimension Code = "wrong-dimension"
	// AffineUnit: a temperature in degC where only differences (K) make sense.
	AffineUnit Code = "affine-unit"
	// InvalidQuantity: a value that is not a number with a unit (an unknown unit, a malformed
	// `uniform(lo, hi)`).
	InvalidQuantity Code = "invalid-quantity"
	// ConditionAsNumber: a comparison where a number is needed.
	ConditionAsNumber Code = "condition-as-number"
	// NumberAsCondition: a number where a condition is needed.
	NumberAsCondition Code = "number-as-condition"
	// OutOfRange: a value outside the range its field allows: a capacitance that is not
	// positive, a `power` above 16, a constant time constant that is not positive.
	OutOfRange Code = "out-of-range"
	// NonFinite: a constant that is NaN or overflows, or a rate that is not finite at any V.
	NonFinite Code = "non-finite"
	// DivisionByZero: a division by a constant zero, or zero raised to a negative power.
	DivisionByZero Code = "division-by-zero"
	// OutOfDomain: a function of a constant outside its domain: the log of a negative number,
	// the square root of one.
	OutOfDomain Code = "out-of-domain"
	// Cycle: definitions or parameters that refer to themselves, directly or in a cycle.
	Cycle Code = "cycle"
	// UseBeforeSet: a gate's `init` that uses a gate declared after it.
	UseBeforeSet Code = "use-before-set"
	// PerNeuron: a per_neuron parameter whose value names other parameters.
	PerNeuron Code = "per-neuron"
	// UnusedGate: a gate that no current uses.
	UnusedGate Code = "unused-gate"
	// NonlinearReceptor: a receptor whose dynamics are not linear in its states (one that
	// saturates per synapse is written as a kinetic receptor, KineticReceptor), or short-term
	// plasticity into a receptor whose event is not a sum of increments of the weight.
	NonlinearReceptor Code = "nonlinear-receptor"
	// KineticReceptor: a kinetic receptor (one with a `per: synapse` state) that cannot be
	// computed per synapse in closed form: not one per-synapse state, a derivative that is not
	// affine in it with constant coefficients, or a missing or wrong `weight` or `transmitter`.
	KineticReceptor Code = "kinetic-receptor"
	// IncompleteSpec: a spec that the loader reported errors for, given to the checker.
	IncompleteSpec Code = "incomplete-spec"
	// UnknownGroup: a projection or input that names a group the network does not have.
	UnknownGroup Code = "unknown-group"
	// UnknownReceptor: a projection or Poisson input into a receptor that the target group's
	// spec does not have, or `use:` of a stock receptor that does not exist.
	UnknownReceptor Code = "unknown-receptor"
	// UnreadableFile: a file a network spec names (a group spec, a connectivity or
	// initial-value file) that cannot be read, or whose kind (by its extension) is not read.
	UnreadableFile Code = "unreadable-file"
	// FractionalDelay: a delay that is not a whole number of time steps, without
	// `delay_rounding: nearest`.
	FractionalDelay Code = "fractional-delay"
	// PlasticityForm: a plasticity rule that is not of a form neurogen runs: a `weight` that
	// is not the weight w times a factor, a `deriv` that is not affine in its state with
	// constant coefficients, a `relax` that does not give the state back at `delta` = 0.
	PlasticityForm Code = "plasticity-form"
)

// The codes of the checker's warnings (ir.Model.Warnings: valid, but likely wrong).
const (
	// OutwardCurrent: a current written outward positive, `g*(V - E)`, where neurogen's
	// currents are inward positive, `g*(E - V)`.
	OutwardCurrent Code = "outward-current"
)
