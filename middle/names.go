package middle

import (
	"slices"
	"strings"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/symbolic"
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

// pretty prints an expression with the locals of parameters and states shown as their spec
// names.
func pretty(m *ir.Model, e *symbolic.Expr) string {
	names := map[string]string{}
	for _, p := range m.Params {
		names[p.Local] = p.Name
	}
	for _, st := range m.States {
		names[st.Local] = st.Name
	}
	var b strings.Builder
	symbolic.Print(&b, e, func(n string) string {
		if s, ok := names[n]; ok {
			return s
		}
		return n
	})
	return b.String()
}
