package symbolic

import (
	"math"
	"slices"
)

// Func describes a function that spec expressions may call.
type Func struct {
	Name    string
	MinArgs int
	MaxArgs int // -1: any number ≥ MinArgs
	// Args says what the arguments must be: "dimensionless" (all of them), "same" (all of one
	// dimension, which is also the result's), "any" (pow: checked separately), "sqrt".
	Args string
	Doc  string
	Eval func(args []float64) float64
}

// Exprel is (e^z − 1)/z, with its limit 1 at z = 0.
func Exprel(z float64) float64 {
	if z == 0 {
		return 1
	}
	if math.IsInf(z, -1) {
		return 0
	}
	return math.Expm1(z) / z
}

func one(f func(float64) float64) func([]float64) float64 {
	return func(a []float64) float64 { return f(a[0]) }
}

// Funcs is the fixed set of functions a spec expression may call.
var Funcs = map[string]*Func{
	"exp":    {Name: "exp", MinArgs: 1, MaxArgs: 1, Args: "dimensionless", Doc: "e**x", Eval: one(math.Exp)},
	"expm1":  {Name: "expm1", MinArgs: 1, MaxArgs: 1, Args: "dimensionless", Doc: "e**x - 1, accurate near 0", Eval: one(math.Expm1)},
	"exprel": {Name: "exprel", MinArgs: 1, MaxArgs: 1, Args: "dimensionless", Doc: "(e**x - 1)/x, 1 at x = 0", Eval: one(Exprel)},
	"log":    {Name: "log", MinArgs: 1, MaxArgs: 1, Args: "dimensionless", Doc: "natural logarithm", Eval: one(math.Log)},
	"log1p":  {Name: "log1p", MinArgs: 1, MaxArgs: 1, Args: "dimensionless", Doc: "log(1 + x), accurate near 0", Eval: one(math.Log1p)},
	"tanh":   {Name: "tanh", MinArgs: 1, MaxArgs: 1, Args: "dimensionless", Doc: "hyperbolic tangent", Eval: one(math.Tanh)},
	"sinh":   {Name: "sinh", MinArgs: 1, MaxArgs: 1, Args: "dimensionless", Doc: "hyperbolic sine", Eval: one(math.Sinh)},
	"cosh":   {Name: "cosh", MinArgs: 1, MaxArgs: 1, Args: "dimensionless", Doc: "hyperbolic cosine", Eval: one(math.Cosh)},
	"sqrt":   {Name: "sqrt", MinArgs: 1, MaxArgs: 1, Args: "sqrt", Doc: "square root", Eval: one(math.Sqrt)},
	"abs":    {Name: "abs", MinArgs: 1, MaxArgs: 1, Args: "same", Doc: "absolute value", Eval: one(math.Abs)},
	"min":    {Name: "min", MinArgs: 2, MaxArgs: -1, Args: "same", Doc: "smallest argument", Eval: func(a []float64) float64 { return slices.Min(a) }},
	"max":    {Name: "max", MinArgs: 2, MaxArgs: -1, Args: "same", Doc: "largest argument", Eval: func(a []float64) float64 { return slices.Max(a) }},
	"clip":   {Name: "clip", MinArgs: 3, MaxArgs: 3, Args: "same", Doc: "clip(x, lo, hi): x limited to [lo, hi]", Eval: func(a []float64) float64 { return math.Min(math.Max(a[0], a[1]), a[2]) }},
	"pow":    {Name: "pow", MinArgs: 2, MaxArgs: 2, Args: "any", Doc: "pow(x, y) = x**y", Eval: func(a []float64) float64 { return math.Pow(a[0], a[1]) }},
}

// ExprelOf is Exprel(z) given ez = e^z: (ez − 1)/z where that loses little to cancellation
// (|z| ≥ 1/2, where |e^z − 1| ≥ 0.39), Exprel(z) elsewhere. Generated code calls it where e^z is
// already known, computed from another exponential of the same variable (see check's
// exponential sharing).
func ExprelOf(z, ez float64) float64 {
	if !(math.Abs(z) >= 0.5) || math.IsInf(z, 0) {
		return Exprel(z)
	}
	return (ez - 1) / z
}

// internalFuncs are functions that the checker's rewrites use and specs may not call.
var internalFuncs = map[string]*Func{
	"exprel_of": {Name: "exprel_of", MinArgs: 2, MaxArgs: 2, Args: "dimensionless", Doc: "exprel_of(z, e**z) = exprel(z)",
		Eval: func(a []float64) float64 { return ExprelOf(a[0], a[1]) }},
}

// lookupFunc finds a function of Funcs or of the internal ones.
func lookupFunc(name string) (*Func, bool) {
	if f, ok := Funcs[name]; ok {
		return f, true
	}
	f, ok := internalFuncs[name]
	return f, ok
}

// FuncNames returns the names of Funcs, sorted.
func FuncNames() []string {
	names := make([]string, 0, len(Funcs))
	for n := range Funcs {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
