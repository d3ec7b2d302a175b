package middle_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/middle"
)

// stockModel checks a stock spec of ../specs with the given method.
func stockModel(t *testing.T, name, method string) *ir.Model {
	t.Helper()
	path := filepath.Join("..", "specs", name+".yaml")
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	m, err := check.Load(path, src, check.Options{Method: method})
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func gateNames(p *middle.TablePlan) string {
	var names []string
	for _, st := range p.Gates {
		names = append(names, st.Name)
	}
	return strings.Join(names, " ")
}

// TestPlanTables: which gates are tabulated, and a spacing that meets the bound and halves as
// the bound falls fourfold (linear interpolation errs as the square of the spacing).
func TestPlanTables(t *testing.T) {
	m := stockModel(t, "hh52", "exp_auto")
	before := dump(m)
	defer func() {
		if dump(m) != before {
			t.Errorf("PlanTables changed the model")
		}
	}()
	var prev *middle.TablePlan
	for _, bound := range []float64{4e-5, 1e-5, 2.5e-6} {
		p, err := middle.PlanTables(m, middle.Tables{VMin: -100, VMax: 60, Error: bound})
		if err != nil {
			t.Fatal(err)
		}
		t.Log(p.Report())
		if got := gateNames(p); got != "Na.m Na.h K.n" || len(p.Untabulated) != 0 {
			t.Errorf("HH52: tabulated %q, exact %v; want all three gates", got, p.Untabulated)
		}
		if p.ErrInf > bound || p.ErrRate > bound || p.ErrInf == 0 || p.ErrRate == 0 {
			t.Errorf("bound %g: errors %g and %g", bound, p.ErrInf, p.ErrRate)
		}
		if p.Step != 160/float64(p.N) {
			t.Errorf("bound %g: %d intervals of %g mV over 160 mV", bound, p.N, p.Step)
		}
		if prev != nil && p.N != 2*prev.N {
			t.Errorf("bound %g needs %d intervals, bound %g %d: want twice as many", bound, p.N, prev.Error, prev.N)
		}
		prev = p
	}
	// The relay cell: IT's inactivation has a time constant with a kink, which linear
	// interpolation cannot follow to 1e-6; it stays exact, and the report says so.
	p, err := middle.PlanTables(stockModel(t, "thalamic_relay", "staggered"), middle.DefaultTables)
	if err != nil {
		t.Fatal(err)
	}
	if got := gateNames(p); got != "INa.p INa.q IK.p IT.p Ih.p" || len(p.Untabulated) != 1 || !strings.HasPrefix(p.Untabulated[0], "IT.q (") {
		t.Errorf("ThalamicRelay: tabulated %q, exact %v", got, p.Untabulated)
	}
	if !strings.Contains(p.Report(), "computed exactly: IT.q") {
		t.Errorf("the report does not name the exact gate: %s", p.Report())
	}
}

func TestPlanTablesErrors(t *testing.T) {
	m := stockModel(t, "hh52", "exp_auto")
	for _, c := range []struct {
		m    *ir.Model
		t    middle.Tables
		want string
	}{
		{stockModel(t, "hh52", "rk4"), middle.DefaultTables, "rate tables hold the coefficients of the exponential step: they need method exp_auto or staggered, not rk4"},
		{m, middle.Tables{VMin: 60, VMax: -100, Error: 1e-6}, "rate tables: the range of V, 60 to -100 mV, is empty or not finite"},
		{m, middle.Tables{VMin: -100, VMax: 60, Error: 0}, "rate tables: error bound 0, want a positive bound below 0.1"},
		{m, middle.Tables{VMin: -100, VMax: 60, Error: 1e-30}, "rate tables: no gate of HH52 can be tabulated within 1e-30"},
	} {
		_, err := middle.PlanTables(c.m, c.t)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("PlanTables(%s, %+v): %v, want %q", c.m.Method, c.t, err, c.want)
		}
	}
}
