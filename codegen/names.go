package codegen

import (
	"go/token"
	"strings"
	"unicode"

	"github.com/neurogen/neurogen/ir"
)

// predeclared are Go's predeclared identifiers; generated code never shadows them.
var predeclared = strings.Fields(`any append bool byte cap clear close complex complex64 complex128
	comparable copy delete error false float32 float64 imag int int8 int16 int32 int64 iota len
	make max min new nil panic print println real recover rune string true uint uint8 uint16
	uint32 uint64 uintptr`)

// generatedLocals are the names that generated functions use for their own purposes.
var generatedLocals = strings.Fields(`g p i n lo hi t dt dst rng math runtime rand ok name v on clamp`)

// groupMembers are the fields and methods of a generated Group that are not state variables.
var groupMembers = strings.Fields(`Model Len Reset SetSeed Step StepRange Var Param SetParam Input
	Spiked SpikeTimes Rates Currents SetVoltageClamp VoltageClamp Equilibrate Seed Now SetNow Params New`)

// goNames are the Go identifiers of one generation of a model, chosen once, in a fixed order,
// before anything is written: the fields of Group (states and per-neuron parameters) and of
// Params (group-wide parameters), and the locals that the generated functions use beyond the
// model's own symbols. Emitters only print these names; generating twice from one model chooses
// the same ones.
type goNames struct {
	field  map[any]string    // *ir.State or *ir.Param → its field in Group or Params
	local  map[string]string // a symbol of the model → its Go local
	locals *namer            // every Go local handed out: the model's symbols' and fresh ones
}

// newGoNames names the fields of m and takes its symbols as locals.
func newGoNames(m *ir.Model) *goNames {
	n := &goNames{field: map[any]string{}, local: map[string]string{}, locals: newNamer(predeclared, generatedLocals)}
	group, params := newNamer(groupMembers), newNamer(nil)
	// V first, then the parameters, then the other states: the order in which the checker
	// declares them, but for the collisions between the exported names of a parameter and a
	// state that come from other parts of the spec.
	n.field[m.States[0]] = group.name(exportedName(m.States[0].Name))
	for _, p := range m.Params {
		if p.PerNeuron {
			n.field[p] = group.name(exportedName(p.Name))
		} else {
			n.field[p] = params.name(exportedName(p.Name))
		}
	}
	for _, st := range m.States[1:] {
		n.field[st] = group.name(exportedName(st.Name))
	}
	// The symbols' locals: their own names where Go allows them (a keyword, a predeclared
	// identifier or a name the generated functions use for themselves gets underscores
	// appended), in the order in which the checker declares them. The time is the generated
	// functions' parameter t.
	n.local[m.Time] = "t"
	add := func(sym string) {
		if _, dup := n.local[sym]; dup {
			panic("codegen: two symbols of the model are named " + sym)
		}
		n.local[sym] = n.locals.name(sym)
	}
	add(m.States[0].Local)
	add(m.Input)
	for _, p := range m.Params {
		add(p.Local)
	}
	for _, st := range m.States[1:] {
		add(st.Local)
	}
	for _, st := range append(append([]*ir.Stmt{}, m.Pre...), m.Body...) {
		add(st.Local)
	}
	return n
}

// id returns the Go local of a symbol of the model.
func (n *goNames) id(sym string) string {
	id, ok := n.local[sym]
	if !ok {
		panic("codegen: no symbol " + sym + " in the model")
	}
	return id
}

// Locals returns the Go local that Generate gives each symbol of m (a state, a parameter, a
// statement, the input, the time), for tools that show the generated code's names.
func Locals(m *ir.Model) func(sym string) string { return newGoNames(m).id }

// stateField returns the field of Group that holds the state's values.
func (n *goNames) stateField(st *ir.State) string { return n.field[st] }

// paramField returns the field of Group (per-neuron) or Params (group-wide) that holds p.
func (n *goNames) paramField(p *ir.Param) string { return n.field[p] }

// namer hands out unique Go identifiers in one namespace.
type namer struct {
	taken map[string]bool
}

func newNamer(reserved ...[]string) *namer {
	n := &namer{taken: map[string]bool{}}
	for _, list := range reserved {
		for _, s := range list {
			n.taken[s] = true
		}
	}
	return n
}

// name returns want, or want with underscores appended until it is neither taken, reserved nor
// a Go keyword, and takes it.
func (n *namer) name(want string) string {
	for n.taken[want] || token.IsKeyword(want) {
		want += "_"
	}
	n.taken[want] = true
	return want
}

// exportedName turns a spec name into an exported Go identifier: Na.g_max → NaGMax, V_th → VTh,
// Ca_i → CaI.
func exportedName(name string) string {
	var b strings.Builder
	for _, p := range strings.Split(name, ".") {
		for _, w := range strings.Split(p, "_") {
			if w == "" {
				continue
			}
			r := []rune(w)
			r[0] = unicode.ToUpper(r[0])
			b.WriteString(string(r))
		}
	}
	s := b.String()
	if s == "" || !unicode.IsUpper([]rune(s)[0]) {
		s = "X" + s // a name that started with a digit after an underscore, e.g. "_1"
	}
	return s
}
