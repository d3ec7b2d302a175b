package symbolic

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestCompileMatchesEval: a compiled expression gives Eval's bits, for random expressions over
// every operation (sums, products, powers, calls, conditions, comparisons and logic), at
// random points that include zeros, negatives and signed zeros.
func TestCompileMatchesEval(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	names := []string{"x", "y", "z"}
	slot := func(n string) int { return slices.Index(names, n) }
	extra := []func(a, b *Expr) *Expr{
		func(a, b *Expr) *Expr { return Call("exprel", a) },
		func(a, b *Expr) *Expr { return Call("exp", Mul(Const(0.1), a)) },
		func(a, b *Expr) *Expr { return Call("max", a, b, Const(0.5)) },
		func(a, b *Expr) *Expr { return Cond(Compare(OpLT, a, b), a, b) },
		func(a, b *Expr) *Expr { return And(Compare(OpGE, a, Const(0)), Not(Compare(OpEQ, b, Const(1)))) },
		func(a, b *Expr) *Expr { return Or(Compare(OpNE, a, b), Compare(OpLE, a, Const(-1))) },
		func(a, b *Expr) *Expr { return Sub(Pow(a, Const(0.5)), Compare(OpGT, b, a)) },
	}
	for k := 0; k < 3000; k++ {
		e := randNaive(r, 4).build()
		if k%2 == 1 {
			e = extra[r.IntN(len(extra))](e, randNaive(r, 3).build())
		}
		f, err := Compile(e, slot)
		if err != nil {
			t.Fatalf("%s: %v", e, err)
		}
		for j := 0; j < 5; j++ {
			vals := make([]float64, len(names))
			for i := range vals {
				vals[i] = []float64{0, math.Copysign(0, -1), -1, 2 * r.Float64(), -3 * r.Float64()}[r.IntN(5)]
			}
			want := Eval(e, func(n string) float64 { return vals[slot(n)] })
			if got := f(vals); math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Fatalf("case %d: %s at %v: compiled %v (%#x), Eval %v (%#x)", k, e, vals, got, math.Float64bits(got), want, math.Float64bits(want))
			}
		}
	}
}

// TestCompileErrors: a symbol without a slot, and a function that does not exist, are errors.
func TestCompileErrors(t *testing.T) {
	none := func(string) int { return -1 }
	if _, err := Compile(Add(Var("a"), Const(1)), none); err == nil || err.Error() != "symbolic: no value for a" {
		t.Errorf("a symbol without a slot: %v", err)
	}
	bad := &Expr{Op: OpCall, Name: "nosuch", Args: []*Expr{Const(1)}}
	if _, err := Compile(bad, none); err == nil || err.Error() != "symbolic: no function nosuch" {
		t.Errorf("an unknown function: %v", err)
	}
}
