package ir

import (
	"strings"

	"github.com/neurogen/neurogen/symbolic"
)

// Pretty prints e as the spec would write it: the symbols of parameters and states as their
// spec names ("Na.g_max", "V"), any other symbol as it is. Reports and generated comments
// (a shared subexpression, a rewritten singularity) use it.
func (m *Model) Pretty(e *symbolic.Expr) string {
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
