package middle

import (
	"go/token"
	"slices"
	"strings"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/symbolic"
)

// namer hands out Go locals that no symbol of a model takes.
type namer struct{ taken map[string]bool }

// newNamer returns a namer that avoids ir.ReservedLocals and every local of m: its
// parameters', states' and statements', the input's and the time's.
func newNamer(m *ir.Model) *namer {
	n := &namer{taken: map[string]bool{m.Input: true, m.Time: true}}
	for _, s := range ir.ReservedLocals {
		n.taken[s] = true
	}
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

// Name returns want, or want with underscores appended until it is neither taken nor a Go
// keyword, and takes it.
func (n *namer) Name(want string) string {
	for n.taken[want] || token.IsKeyword(want) {
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
