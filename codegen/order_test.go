package codegen

import (
	"fmt"
	"testing"

	"github.com/neurogen/neurogen/symbolic"
)

// TestOrderTerms: a sum whose terms each mention a ranked symbol is written in rank order
// (the spec's channel order), each sign on its own; a run with an unranked term keeps
// symbolic's reading order.
func TestOrderTerms(t *testing.T) {
	v := symbolic.Var
	rank := sumRank{"I_Na": 0, "Na_g_max": 0, "Na_h": 0, "I_K": 1, "K_g_max": 1, "I_L": 2, "L_g_max": 2, "I_ext": 3}
	for _, c := range []struct {
		sum  *symbolic.Expr
		rank sumRank
		want string
	}{
		{symbolic.Add(v("I_Na"), v("I_K"), v("I_L"), v("I_ext")), rank, "I_Na + I_K + I_L + I_ext"},
		{symbolic.Add(v("I_Na"), v("I_K"), v("I_L"), v("I_ext")), nil, "I_K + I_L + I_Na + I_ext"},
		// HH52's linear coefficient of V: all negative, by channel.
		{symbolic.Add(symbolic.Neg(symbolic.Mul(v("K_g_max"), v("s4"))), symbolic.Neg(symbolic.Mul(v("Na_g_max"), v("Na_h"), v("s3"))), symbolic.Neg(v("L_g_max"))), rank,
			"-Na_g_max*Na_h*s3 - K_g_max*s4 - L_g_max"},
		// Positive terms first, each sign in rank order.
		{symbolic.Add(v("I_L"), v("I_Na"), symbolic.Neg(v("I_ext")), symbolic.Neg(v("I_K"))), rank, "I_Na + I_L - I_K - I_ext"},
		// An unranked term (V) leaves its run as it was.
		{symbolic.Add(v("I_Na"), v("I_K"), v("V")), rank, "I_K + I_Na + V"},
	} {
		got := fmt.Sprintf("%#v", exprRanked(c.sum, renameBy(nil), c.rank))
		if got != c.want {
			t.Errorf("%v with ranks %v: %s, want %s", c.sum, c.rank, got, c.want)
		}
	}
}
