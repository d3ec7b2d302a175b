// Package spec reads neurogen spec files: YAML descriptions of a conductance-based neuron group
// (a membrane, parameters, intermediate definitions and ion channels whose kinetics are text
// expressions).
//
// The loader checks structure only (YAML syntax, field names, YAML types, required fields,
// duplicate names) and keeps the file position of every value, so that later stages can point
// their errors into the spec file. After an error it goes on: it skips what is broken, marks
// the part that holds it (the Bad fields) and returns the rest, so that the checker can report
// its own errors in the same run without repeating the loader's. It does not parse expressions, units or values: those are
// kept as text (Scalar, Text) for the parser and the checker.
package spec

import (
	"fmt"
	"sort"
	"strings"
)

// FormatVersion is the newest spec format version this package reads (the `neurogen:` field).
const FormatVersion = 1

// Error is one problem in a spec, at a position. Code says which kind of problem it is (see
// Code); Msg says it to a person, and may change wording between releases.
type Error struct {
	Pos  Pos
	Code Code
	Msg  string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// ErrorList is a list of spec errors. It is an error itself when non-empty.
type ErrorList []*Error

// Add appends an error with code at pos.
func (l *ErrorList) Add(pos Pos, code Code, format string, args ...any) {
	*l = append(*l, &Error{Pos: pos, Code: code, Msg: fmt.Sprintf(format, args...)})
}

// Sort orders the list by position, then message, and drops exact duplicates.
func (l *ErrorList) Sort() {
	s := *l
	sort.SliceStable(s, func(i, j int) bool {
		if s[i].Pos != s[j].Pos {
			return s[i].Pos.Before(s[j].Pos)
		}
		return s[i].Msg < s[j].Msg
	})
	out := s[:0]
	for i, e := range s {
		if i > 0 && *e == *s[i-1] {
			continue
		}
		out = append(out, e)
	}
	*l = out
}

// Error prints every error on a line of its own, as file:line:col: message.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Err returns l as an error, or nil when l is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Scalar is a YAML scalar as written: its decoded text and the position where it starts.
// Quantities ("120 mS/cm2", "-65 mV"), names and method names are Scalars. Numbers keep their
// text as written ("1e-3", "0x2A"). Pos is the scalar's first byte, or its opening quote or
// block indicator (`|`, `>`); PosAt gives the position of any byte of Value.
type Scalar struct {
	Value string
	Pos   Pos
	text  Text // where each byte of Value is, for a Scalar that Load read; else zero
}

// PosAt returns the position in the file of byte offset off of s.Value, as Text.PosAt does,
// for a Scalar that Load read (quoted and multi-line ones included). For a Scalar made
// otherwise, which does not know where its bytes are, it returns s.Pos.
func (s Scalar) PosAt(off int) Pos {
	if s.text.Pos.IsValid() && s.text.Src == s.Value {
		return s.text.PosAt(off)
	}
	return s.Pos
}

// Slice returns the Scalar of s.Value[lo:hi], with the positions of its bytes: a part of a
// value (a bound of `uniform(lo, hi)`) reports its errors where that part is written.
func (s Scalar) Slice(lo, hi int) Scalar {
	lo, hi = max(0, min(lo, len(s.Value))), max(0, min(hi, len(s.Value)))
	hi = max(lo, hi)
	p := s.PosAt(lo)
	t := Text{}
	if s.text.Pos.IsValid() && s.text.Src == s.Value {
		t = s.text.slice(lo, hi)
	}
	return Scalar{Value: s.Value[lo:hi], Pos: p, text: t}
}

// Text is an expression written in the spec. Src is the decoded YAML string; PosAt maps a byte
// offset in Src to its position in the file (also for quoted and multi-line scalars).
type Text struct {
	Src string
	Pos Pos // position of Src[0]
	// offs[i] is the byte offset of Src[i] in Pos's file; nil means Src lies on one line,
	// byte for byte, from Pos.
	offs []int32
}

// NewText returns a Text for src at pos; offs, if not nil, has one position per byte of src,
// all in pos's file.
func NewText(src string, pos Pos, offs []Pos) Text {
	if offs != nil && len(offs) != len(src) {
		panic("spec.NewText: len(offs) != len(src)")
	}
	t := Text{Src: src, Pos: pos}
	if offs != nil {
		t.offs = make([]int32, len(offs))
		for i, p := range offs {
			if p.file != pos.file {
				panic("spec.NewText: positions in another file")
			}
			t.offs[i] = int32(p.off)
		}
	}
	return t
}

// Slice returns the Text of t.Src[lo:hi], with the positions of its bytes: a part of an
// expression (one increment of a receptor's `event`) reports its errors where it is written.
// Out-of-range bounds are clamped.
func (t Text) Slice(lo, hi int) Text {
	lo, hi = max(0, min(lo, len(t.Src))), max(0, min(hi, len(t.Src)))
	return t.slice(lo, max(lo, hi))
}

// slice returns the Text of t.Src[lo:hi], 0 <= lo <= hi <= len(t.Src).
func (t Text) slice(lo, hi int) Text {
	s := Text{Src: t.Src[lo:hi], Pos: t.PosAt(lo)}
	if t.offs != nil {
		s.offs = t.offs[lo:hi]
	}
	return s
}

// PosAt returns the file position of byte offset off of t.Src. An offset at or past the end maps
// just after the last byte.
func (t Text) PosAt(off int) Pos {
	if off < 0 {
		off = 0
	}
	if len(t.offs) == 0 {
		return t.Pos.add(off)
	}
	p := t.Pos
	if off < len(t.offs) {
		p.off = int(t.offs[off])
		return p
	}
	p.off = int(t.offs[len(t.offs)-1])
	return p.add(off - len(t.offs) + 1)
}

// Spec is one spec file: a neuron group.
type Spec struct {
	File    string // the file name used in positions
	SHA256  string // the SHA-256 of the file's bytes, in hex
	Version Scalar // `neurogen:` the format version, e.g. "1"
	Model   Scalar // `model:` the model name; it becomes the Go package name by default
	Doc     string // `doc:`
	DocPos  Pos

	Membrane *Membrane // `membrane:`
	Method   *Scalar   // `method:` exp_auto (default), staggered, euler, rk2, rk4; nil when absent

	Params   []*Param   // `params:` group-level parameters, in file order
	Defs     []*Def     // `defs:` group-level intermediate definitions, in file order
	Ions     []*Ion     // `ions:` in file order
	Channels []*Channel // `channels:` in file order
	// Receptors are the synaptic receptors (`receptors:`), in file order: where a network's
	// projections and inputs deliver their events.
	Receptors []*Receptor

	// Incomplete says that Load reported errors: parts of the spec are missing or marked Bad,
	// and it can be checked for further errors but not turned into a model.
	Incomplete bool

	start Pos // line 1, column 1
}

// Start returns the position of the start of the spec's file (line 1, column 1), where errors
// about the file as a whole are reported.
func (s *Spec) Start() Pos { return s.start }

// Ion is an ion species of the group: `NAME: {...}` under `ions:`. Expressions see its reversal
// potential as E_NAME, its concentrations as NAME_i and NAME_o and, in its dynamics, the total
// current density of the channels that carry it as I_NAME.
type Ion struct {
	Name     Scalar
	Use      *Scalar // `use:` a file NAME.yaml of the ion's dynamics (LoadIon's); nil when absent
	Doc      string
	Valence  *Scalar // `valence:` the charge number z, e.g. 2 for Ca
	E        *Scalar // `E:` a voltage, or `nernst`
	Ci       *Scalar // `C_i:` inner concentration: fixed, or initial when it has dynamics
	Co       *Scalar // `C_o:` outer concentration
	Dynamics *Text   // `dynamics:` fixed, first_order, detailed, or an expression for dNAME_i/dt
	Params   []*Param
	// Bad says that the loader reported an error in `valence`, `E`, `C_i`, `C_o` or
	// `dynamics`: the names the ion gives are declared, but what depends on the broken field
	// is not checked.
	Bad bool
}

// Membrane is the `membrane:` section. Nil fields were absent.
type Membrane struct {
	Pos   Pos
	C     *Scalar // specific capacitance, e.g. "1 uF/cm2" (required)
	A     *Scalar // membrane area, e.g. "1e-3 cm2"; converts absolute input currents to densities
	VTh   *Scalar // `V_th:` spike threshold, e.g. "0 mV"
	VInit *Scalar // `V_init:` "-65 mV" or "uniform(-70 mV, -60 mV)" (required)
	Seed  *Scalar // `seed:` integer seed of the V_init draw
	// Refractory is `refractory:`, a time such as "3 ms": with it a neuron spikes when V > V_th
	// at the end of a step and it is not refractory (Brian2's threshold and refractory); without
	// it, at an upward crossing of V_th.
	Refractory *Scalar
}

// Param is a named parameter with a value and unit. In YAML either `NAME: VALUE` or
// `NAME: {value: VALUE, per_neuron: BOOL, doc: TEXT}`.
type Param struct {
	Name  Scalar
	Value Scalar // e.g. "120 mS/cm2", or an expression of other parameters such as "VT + 2*mV"
	// Text is Value as an expression text, with the position of each byte.
	Text      Text
	PerNeuron bool
	Doc       string
	// Bad says that the loader reported an error in the parameter's value (Value is then not
	// meaningful): its name is declared, and later stages report nothing more about it.
	Bad bool
}

// Def is an intermediate definition `NAME: EXPRESSION`.
type Def struct {
	Name Scalar
	Expr Text
	Bad  bool // the loader reported an error in the expression; see Param.Bad
}

// Channel is an ion channel: `NAME: {...}` under `channels:`. Keys other than the reserved
// ones (use, doc, current, gates, defs) are the channel's parameters.
type Channel struct {
	Name    Scalar
	Use     *Scalar // `use:` a stock channel to start from; nil when absent
	Ion     *Scalar // `ion:` the ion whose current this channel carries; nil when absent
	Doc     string
	Current *Text    // `current:` the current density expression (inward positive); nil when absent
	Params  []*Param // every other key, in file order
	Defs    []*Def   // `defs:`
	Gates   []*Gate  // `gates:` in file order
	// Bad says that the loader reported an error in `use`, `ion`, `current`, `gates` or `defs`:
	// the channel is incomplete, and its current is not checked.
	Bad bool
}

// Gate is a gating variable of a channel: α/β form (Alpha, Beta), x∞/τ form (Inf, Tau),
// instantaneous (Inf alone: x = x∞), or a kinetic state given by its derivative and initial
// value (Deriv, Init), for schemes whose states are coupled.
type Gate struct {
	Name  Scalar
	Alpha *Text
	Beta  *Text
	Inf   *Text
	Tau   *Text
	Deriv *Text   // `deriv:` dx/dt
	Init  *Text   // `init:` the initial value, with Deriv
	Phi   *Text   // `phi:` temperature factor (dimensionless expression); nil means 1
	Power *Scalar // `power:` exponent of the gate in the default current; nil means 1
	Doc   string
	// Bad says that the loader reported an error in the gate (a field with a wrong value, a
	// missing or extra field of its form): its name is declared, but it has no kinetics.
	Bad bool
}

// Receptor is a synaptic receptor: `NAME: {...}` under `receptors:`. Keys other than the
// reserved ones (use, doc, states, current, event) are its parameters. Expressions see its
// states and parameters by their names, as a channel's see its gates.
type Receptor struct {
	Name    Scalar
	Use     *Scalar // `use:` a stock receptor to start from; nil when absent
	Doc     string
	States  []*ReceptorState // `states:` in file order
	Current *Text            // `current:` a current (nA) or a current density (uA/cm2), inward positive
	// Event is what one arriving event does to the states: `x += w`, several separated by `;`,
	// where w is the connection's weight, in the unit of x.
	Event *Text
	// Weight is `weight:`, the unit of a connection's weight w, of a kinetic receptor (one with
	// a `per: synapse` state); nil when absent.
	Weight *Scalar
	// Transmitter is `transmitter:`, the square pulse of transmitter that each event releases
	// at its synapse, of a kinetic receptor; nil when absent.
	Transmitter *Transmitter
	Params      []*Param // every other key, in file order
	// Bad says that the loader reported an error in `use`, `states`, `current` or `event`.
	Bad bool
}

// ReceptorState is a state variable of a receptor: its derivative and its unit; it starts at 0.
type ReceptorState struct {
	Name  Scalar
	Deriv *Text   // `deriv:` dx/dt
	Unit  *Scalar // `unit:` the unit of x, e.g. nS; "1" for a fraction
	// Per is `per:`, `neuron` (the default: one state per neuron, the sum over its synapses)
	// or `synapse` (one per synapse, a kinetic receptor's); nil when absent.
	Per *Scalar
	Doc string
	Bad bool // the loader reported an error in it
}

// PerSynapse reports whether the state is one per synapse (`per: synapse`).
func (s *ReceptorState) PerSynapse() bool { return s.Per != nil && s.Per.Value == "synapse" }

// Transmitter is a kinetic receptor's `transmitter: {T: VALUE, for: DURATION}`: each event sets
// the transmitter T at its synapse to VALUE for DURATION, and it is 0 otherwise.
type Transmitter struct {
	Pos   Pos    // where `transmitter:` is
	Name  Scalar // T, the name its state's derivative uses
	Value *Text  // the concentration during the pulse
	For   *Text  // the pulse's duration
}

// LibraryIon is an ion's dynamics in a file of its own, as `neurogen import` writes an NMODL
// calcium pool: `neurogen:`, `ion: NAME` and the fields of an ion, which a spec's ion takes
// with `use: FILE.yaml`.
type LibraryIon struct {
	File    string
	Version Scalar
	Ion     *Ion // Ion.Name is the `ion:` value
}

// LibraryReceptor is a stock receptor: a file with `neurogen:`, `receptor: NAME` and the fields
// of a receptor.
type LibraryReceptor struct {
	File     string
	Version  Scalar
	Receptor *Receptor // Receptor.Name is the `receptor:` value
}

// LibraryChannel is a stock channel: a file with `neurogen:`, `channel: NAME` and the fields of a
// channel.
type LibraryChannel struct {
	File    string
	Version Scalar
	Channel *Channel // Channel.Name is the `channel:` value
}
