package runtime

// Choose returns a when c is true and b otherwise. Generated code uses it for the spec's
// ternary `c ? a : b`; both branches are already evaluated (they are plain arithmetic without
// side effects), and the call is inlined.
func Choose(c bool, a, b float64) float64 {
	if c {
		return a
	}
	return b
}
