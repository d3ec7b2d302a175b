package ir_test

import (
	"slices"
	"testing"

	"github.com/neurogen/neurogen/ir"
)

// TestKindNames: each kind's constants are spelled as specs write them, and the parse functions
// read those spellings back.
func TestKindNames(t *testing.T) {
	methods := map[ir.Method]string{ir.ExpAuto: "exp_auto", ir.Staggered: "staggered", ir.Euler: "euler", ir.RK2: "rk2", ir.RK4: "rk4"}
	for m, want := range methods {
		if m.String() != want {
			t.Errorf("Method %d: %q, want %q", int(m), m.String(), want)
		}
		if got, ok := ir.ParseMethod(want); !ok || got != m {
			t.Errorf("ParseMethod(%q) = %v, %t", want, got, ok)
		}
	}
	if len(ir.Methods) != len(methods) || ir.Methods[0] != ir.ExpAuto {
		t.Errorf("Methods = %v, want the %d methods, exp_auto (the default) first", ir.Methods, len(methods))
	}
	if got := ir.MethodNames(); !slices.Equal(got, []string{"exp_auto", "staggered", "euler", "rk2", "rk4"}) {
		t.Errorf("MethodNames() = %v", got)
	}
	for _, bad := range []string{"", "Euler", "exp-auto", "rk3"} {
		if m, ok := ir.ParseMethod(bad); ok {
			t.Errorf("ParseMethod(%q) = %v, want none", bad, m)
		}
	}
	for m, want := range map[ir.Method]bool{ir.ExpAuto: true, ir.Staggered: true, ir.Euler: false, ir.RK2: false, ir.RK4: false} {
		if m.Linearised() != want {
			t.Errorf("%s.Linearised() = %t, want %t", m, m.Linearised(), want)
		}
	}
	for f, want := range map[ir.GateForm]string{ir.AlphaBeta: "alpha/beta", ir.InfTau: "inf/tau", ir.Kinetic: "kinetic"} {
		if f.String() != want {
			t.Errorf("GateForm %d: %q, want %q", int(f), f.String(), want)
		}
	}
	for d, want := range map[ir.IonDynamics]string{ir.Fixed: "fixed", ir.FirstOrder: "first_order", ir.Detailed: "detailed", ir.Custom: "custom"} {
		if d.String() != want {
			t.Errorf("IonDynamics %d: %q, want %q", int(d), d.String(), want)
		}
		got, ok := ir.ParseIonDynamics(want)
		if wantOK := d != ir.Custom; ok != wantOK || (ok && got != d) {
			t.Errorf("ParseIonDynamics(%q) = %v, %t; want %v, %t (custom dynamics are an expression, not a name)", want, got, ok, d, wantOK)
		}
	}
	for k, want := range map[ir.StateKind]string{ir.Voltage: "voltage", ir.Gate: "gate", ir.Concentration: "concentration", ir.Receptor: "receptor"} {
		if k.String() != want {
			t.Errorf("StateKind %d: %q, want %q", int(k), k.String(), want)
		}
	}
	// A value outside the kind prints as a number rather than panicking.
	if got := ir.Method(9).String(); got != "Method(9)" {
		t.Errorf("Method(9).String() = %q", got)
	}
}
