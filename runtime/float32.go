package runtime

// Float32Vars is implemented by groups generated with `neurogen gen -float32`: they store their
// state variables (V, gates, concentrations) in single precision, to halve the memory of the
// state, and compute each step in double precision. Their Var returns nil for a state
// variable and Var32 returns its slice; per-neuron parameters, Input and SpikeTimes stay
// float64. Monitors, delay lines and state files read and write either kind (see VarOf).
type Float32Vars interface {
	// Var32 returns the slice of a state variable stored in single precision, or nil.
	Var32(name string) []float32
}

// VarView is a group's per-neuron variable as float64 values, over a float64 slice (Group.Var)
// or a float32 one (Float32Vars.Var32). It shares the group's storage.
type VarView struct {
	F64 []float64 // the variable, if the group stores it in double precision
	F32 []float32 // the variable, if the group stores it in single precision
}

// VarOf returns the view of a group's per-neuron variable by its spec name ("V", "Na.m", a
// per-neuron parameter), and false if the group has no such variable.
func VarOf(g Group, name string) (VarView, bool) {
	if v := g.Var(name); v != nil {
		return VarView{F64: v}, true
	}
	if f, ok := g.(Float32Vars); ok {
		if v := f.Var32(name); v != nil {
			return VarView{F32: v}, true
		}
	}
	return VarView{}, false
}

// Len is the number of values.
func (v VarView) Len() int {
	if v.F64 != nil {
		return len(v.F64)
	}
	return len(v.F32)
}

// At returns value i.
func (v VarView) At(i int) float64 {
	if v.F64 != nil {
		return v.F64[i]
	}
	return float64(v.F32[i])
}

// CopyTo copies the values into dst (len(dst) ≥ Len()), exactly: a float32 widens to float64
// without rounding.
func (v VarView) CopyTo(dst []float64) {
	if v.F64 != nil {
		copy(dst, v.F64)
		return
	}
	for i, x := range v.F32 {
		dst[i] = float64(x)
	}
}

// SetFrom sets the values from src; into a float32 variable, each is rounded to the nearest
// float32.
func (v VarView) SetFrom(src []float64) {
	if v.F64 != nil {
		copy(v.F64, src)
		return
	}
	for i := range v.F32 {
		if i < len(src) {
			v.F32[i] = float32(src[i])
		}
	}
}
