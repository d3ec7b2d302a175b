package middle

import (
	"slices"

	"github.com/neurogen/neurogen/ir"
)

// namer hands out symbols that no symbol of a model takes (codegen chooses their Go names).
type namer struct{ taken map[string]bool }

// newNamer returns a namer that avoids every symbol of m: its parameters', states' and
// statements', the input's and the time's.
func newNamer(m *ir.Model) *namer {
	n := &namer{taken: map[string]bool{m.Input: true, m.Time: true}}
	for _, p := range m.Params {
		n.taken[p.Local] = true
	}
	for _, st := range m.States {
		n.taken[st.Local] = true
	}
	for _, st := range slices.Concat(m.Pre, m.Body) {
		n.taken[st.Local] = true
	}
	return n
}

// Name returns want, or want with underscores appended until it is not taken, and takes it.
func (n *namer) Name(want string) string {
	for n.taken[want] {
		want += "_"
	}
	n.taken[want] = true
	return want
}
