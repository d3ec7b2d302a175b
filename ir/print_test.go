package ir_test

import (
	"testing"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/symbolic"
)

func TestPretty(t *testing.T) {
	m := &ir.Model{
		Params: []*ir.Param{{Name: "Na.g_max", Local: "Na_g_max"}},
		States: []*ir.State{{Name: "V", Local: "V"}, {Name: "Na.m", Local: "Na_m"}},
	}
	e := symbolic.Mul(symbolic.Var("Na_g_max"), symbolic.Var("Na_m"), symbolic.Var("s1"), symbolic.Sub(symbolic.Const(50), symbolic.Var("V")))
	if got, want := m.Pretty(e), "Na.g_max * Na.m * s1 * (50 - V)"; got != want {
		t.Errorf("Pretty = %q, want %q", got, want)
	}
}
