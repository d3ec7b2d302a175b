package middle

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/symbolic"
)

// Tables asks for rate tables (NEURON's TABLE): the gates whose kinetics depend on V alone
// (and on group-wide parameters) are advanced by coefficients tabulated over [VMin, VMax) and
// linearly interpolated, instead of evaluating their rate functions and an exponential per
// neuron and step. Outside the range, and for every other state, the step is computed exactly.
type Tables struct {
	VMin, VMax float64 // the range of V, mV
	// Error bounds the linear interpolation of each tabulated gate's steady state x∞(V)
	// (absolutely) and of its rate λ(V) = −∂(dx/dt)/∂x (relative to λ), at the spec's parameter
	// values; the table's spacing is the largest that meets it.
	Error float64
}

// DefaultTables are the tables that a bare -tables asks for.
var DefaultTables = Tables{VMin: -100, VMax: 60, Error: 1e-6}

// tableMaxPoints bounds a table's size (intervals).
const tableMaxPoints = 1 << 16

// TablePlan is what the tables of a model hold, as PlanTables finds them.
type TablePlan struct {
	Tables
	Gates  []*ir.State // the tabulated gates, in state order
	Params []*ir.Param // the group-wide parameters their rates depend on
	N      int         // intervals: the table has N+1 points per gate
	Step   float64     // mV between points
	// ErrInf and ErrRate bound the interpolation errors of x∞ (absolute) and of λ (relative):
	// the largest found at three points inside every interval, at the spacing each gate needed.
	ErrInf, ErrRate float64
	// Untabulated names the gates left exact, with the reason.
	Untabulated []string
}

// Report describes the plan in a line or two, for neurogen gen and the generated file.
func (p *TablePlan) Report() string {
	var names []string
	for _, st := range p.Gates {
		names = append(names, st.Name)
	}
	s := fmt.Sprintf("rate tables for %s: %d points from %g to %g mV (every %.4g mV); interpolation error at most %.2g for x∞ and %.2g relative for the rate (bound %g)",
		strings.Join(names, ", "), p.N+1, p.VMin, p.VMax, p.Step, p.ErrInf, p.ErrRate, p.Error)
	if len(p.Untabulated) > 0 {
		s += "; computed exactly: " + strings.Join(p.Untabulated, ", ")
	}
	return s
}

// PlanTables finds which gates of m can be tabulated and the spacing that meets t.Error. It is
// an analysis of the model, which it leaves as it is; codegen renders the plan.
func PlanTables(m *ir.Model, t Tables) (*TablePlan, error) {
	switch {
	case !(t.VMin < t.VMax) || math.IsInf(t.VMin, 0) || math.IsInf(t.VMax, 0):
		return nil, fmt.Errorf("rate tables: the range of V, %g to %g mV, is empty or not finite", t.VMin, t.VMax)
	case !(t.Error > 0 && t.Error < 0.1):
		return nil, fmt.Errorf("rate tables: error bound %g, want a positive bound below 0.1", t.Error)
	case !m.Method.Linearised():
		return nil, fmt.Errorf("rate tables hold the coefficients of the exponential step: they need method exp_auto or staggered, not %s", m.Method)
	}
	p := &TablePlan{Tables: t}
	V := m.States[0]
	params := map[string]*ir.Param{}
	for _, q := range m.Params {
		params[q.Local] = q
	}
	pre := map[string]bool{}
	for _, s := range m.Pre {
		pre[s.Local] = true
	}
	used := map[*ir.Param]bool{}
	for _, st := range m.States[1:] {
		if st.Kind != ir.Gate {
			continue
		}
		why := ""
		pres, body := m.Closure(st.Deriv, st.Linear)
		locals := map[string]bool{}
		deps := map[*ir.Param]bool{}
		for _, s := range append(slices.Clone(pres), body...) {
			for _, v := range symbolic.Vars(s.Expr) {
				q := params[v]
				switch {
				case v == V.Local || v == st.Local || locals[v] || pre[v]:
				case q != nil && !q.PerNeuron:
					deps[q] = true
				case q != nil:
					why = "a per-neuron parameter, " + q.Name
				case v == m.Time:
					why = "the time"
				case v == m.Input:
					why = "the input"
				default:
					why = "another state variable"
				}
			}
			locals[s.Local] = true
		}
		_, lin := m.Closure(st.Linear)
		for _, s := range lin {
			if why == "" && symbolic.DependsOn(s.Expr, func(n string) bool { return n == st.Local }) {
				why = "kinetics not linear in the gate"
			}
		}
		if why != "" {
			p.Untabulated = append(p.Untabulated, st.Name+" (its rates depend on "+why+")")
			continue
		}
		p.Gates = append(p.Gates, st)
		for q := range deps {
			used[q] = true
		}
	}
	if len(p.Gates) == 0 {
		return nil, fmt.Errorf("rate tables: no gate of %s has kinetics that depend on V alone (%s)", m.Name, strings.Join(p.Untabulated, "; "))
	}
	for _, q := range m.Params {
		if used[q] {
			p.Params = append(p.Params, q)
		}
	}
	// x∞ and λ of each gate at V, at the parameters' defaults. The statements are compiled
	// (symbolic.Compile gives symbolic.Eval's bits), each value has a slot.
	var roots []*ir.Stmt
	for _, st := range p.Gates {
		roots = append(roots, st.Deriv, st.Linear)
	}
	pres, body := m.Closure(roots...)
	all := append(slices.Clone(pres), body...)
	slots := map[string]int{}
	var vals []float64
	set := func(name string, v float64) int {
		i, ok := slots[name]
		if !ok {
			i = len(vals)
			slots[name] = i
			vals = append(vals, 0)
		}
		vals[i] = v
		return i
	}
	set(m.Time, 0)
	set(m.Input, 0)
	for _, q := range m.Params {
		set(q.Local, q.Default)
	}
	vSlot := set(V.Local, 0)
	gateSlots := make([]int, len(p.Gates))
	for j, st := range p.Gates {
		gateSlots[j] = set(st.Local, 0) // dx/dt at x = 0 is λ·x∞
	}
	type compiled struct {
		f    func([]float64) float64
		slot int
	}
	stmts := make([]compiled, len(all))
	for k, s := range all {
		f, err := symbolic.Compile(s.Expr, func(name string) int {
			if i, ok := slots[name]; ok {
				return i
			}
			return -1
		})
		if err != nil {
			return nil, fmt.Errorf("rate tables: %s (a bug in neurogen): %w", s.Local, err)
		}
		stmts[k] = compiled{f, set(s.Local, 0)}
	}
	derivSlots := make([]int, len(p.Gates))
	linSlots := make([]int, len(p.Gates))
	for j, st := range p.Gates {
		derivSlots[j], linSlots[j] = slots[st.Deriv.Local], slots[st.Linear.Local]
	}
	G := len(p.Gates)
	// The statements of each gate's own closure, by index into stmts (in order): once a gate
	// has its size or is found hopeless, the finer levels evaluate only the gates still open.
	gateStmts := make([][]int, G)
	for j, st := range p.Gates {
		pres, body := m.Closure(st.Deriv, st.Linear)
		in := map[*ir.Stmt]bool{}
		for _, s := range append(pres, body...) {
			in[s] = true
		}
		for k, s := range all {
			if in[s] {
				gateStmts[j] = append(gateStmts[j], k)
			}
		}
	}
	active := make([]bool, len(stmts)) // the statements evalAt evaluates
	// evalAt writes x∞ and λ of every gate at V = v into inf and rate; those of a gate whose
	// statements are not active are stale (and unused).
	evalAt := func(v float64, inf, rate []float64) {
		vals[vSlot] = v
		for k, s := range stmts {
			if active[k] {
				vals[s.slot] = s.f(vals)
			}
		}
		for j := range G {
			L := vals[linSlots[j]]
			inf[j] = -vals[derivSlots[j]] / L
			rate[j] = -L
		}
	}
	// The smallest power-of-two number of intervals that meets the bound, gate by gate; a gate
	// that needs more than tableMaxPoints (a rate with a jump or a kink) stays exact. The grid
	// of 2n intervals is the grid of n and its midpoints, evaluated already (at the same V, to
	// the bit: VMin + (k+½)·h is VMin + (2k+1)·(h/2)), and so are its midpoints, the quarter
	// points of n (VMin + (k+¼)·h is VMin + (2k+½)·(h/2)), so each level after the first
	// evaluates 2n new points.
	need := make([]int, G)
	errInf := make([]float64, G)
	errRate := make([]float64, G)
	hopeless := make([]bool, G)
	var prevErr []float64
	var infs, rates, midInfs, midRates []float64 // by point, then gate: [k*G+j]
	// The last level's values at VMin + (k+¼)·h and (k+¾)·h, which are the midpoints of the next
	// level's intervals 2k and 2k+1, to the bit as the grid's are.
	var q1Infs, q1Rates, q3Infs, q3Rates []float64
	a, b := make([]float64, G), make([]float64, G)
	for n := 16; n <= tableMaxPoints; n *= 2 {
		open := false
		clear(active)
		for j := range p.Gates {
			if need[j] == 0 && !hopeless[j] {
				open = true
				for _, k := range gateStmts[j] {
					active[k] = true
				}
			}
		}
		if !open {
			break
		}
		h := (t.VMax - t.VMin) / float64(n)
		if infs == nil {
			infs, rates = make([]float64, (n+1)*G), make([]float64, (n+1)*G)
			for k := 0; k <= n; k++ {
				evalAt(t.VMin+float64(k)*h, infs[k*G:(k+1)*G], rates[k*G:(k+1)*G])
			}
		} else {
			gi, gr := make([]float64, (n+1)*G), make([]float64, (n+1)*G)
			for k := 0; k <= n; k++ {
				from, fromR, i := infs, rates, k/2
				if k%2 == 1 {
					from, fromR = midInfs, midRates
				}
				copy(gi[k*G:(k+1)*G], from[i*G:(i+1)*G])
				copy(gr[k*G:(k+1)*G], fromR[i*G:(i+1)*G])
			}
			infs, rates = gi, gr
		}
		midInfs, midRates = make([]float64, n*G), make([]float64, n*G)
		n1i, n1r, n3i, n3r := make([]float64, n*G), make([]float64, n*G), make([]float64, n*G), make([]float64, n*G)
		ei := make([]float64, G)
		er := make([]float64, G)
		for k := 0; k < n; k++ {
			for _, f := range []float64{0.25, 0.5, 0.75} {
				at := k * G
				switch {
				case f == 0.5 && q1Infs != nil:
					fromI, fromR, i := q1Infs, q1Rates, k/2
					if k%2 == 1 {
						fromI, fromR = q3Infs, q3Rates
					}
					copy(a, fromI[i*G:(i+1)*G])
					copy(b, fromR[i*G:(i+1)*G])
				default:
					evalAt(t.VMin+(float64(k)+f)*h, a, b)
				}
				switch f {
				case 0.25:
					copy(n1i[at:at+G], a)
					copy(n1r[at:at+G], b)
				case 0.5:
					copy(midInfs[at:at+G], a)
					copy(midRates[at:at+G], b)
				case 0.75:
					copy(n3i[at:at+G], a)
					copy(n3r[at:at+G], b)
				}
				for j := range G {
					i0, i1 := infs[k*G+j], infs[(k+1)*G+j]
					r0, r1 := rates[k*G+j], rates[(k+1)*G+j]
					li := i0 + f*(i1-i0)
					lr := r0 + f*(r1-r0)
					ei[j] = max(ei[j], math.Abs(li-a[j]))
					er[j] = max(er[j], math.Abs(lr-b[j])/math.Abs(b[j]))
					if math.IsNaN(li) || math.IsNaN(lr) || math.IsInf(a[j], 0) || math.IsInf(b[j], 0) {
						ei[j], er[j] = math.Inf(1), math.Inf(1) // not finite somewhere: never met
					}
				}
			}
		}
		q1Infs, q1Rates, q3Infs, q3Rates = n1i, n1r, n3i, n3r
		for j := range p.Gates {
			e := max(ei[j], er[j])
			switch {
			case need[j] != 0:
			case ei[j] <= t.Error && er[j] <= t.Error:
				need[j], errInf[j], errRate[j] = n, ei[j], er[j]
			case n >= 1024 && prevErr[j] < 2.5*e:
				// Halving the spacing should quarter the error of a smooth function; a rate
				// with a jump or a kink errs in proportion to the spacing and is left exact.
				hopeless[j] = true
			}
		}
		prevErr = prevErr[:0]
		for j := range p.Gates {
			prevErr = append(prevErr, max(ei[j], er[j]))
		}
	}
	var gates []*ir.State
	for j, st := range p.Gates {
		if need[j] == 0 {
			p.Untabulated = append(p.Untabulated, fmt.Sprintf("%s (linear interpolation does not converge to the bound: a rate with a jump, a kink or a pole?)", st.Name))
			continue
		}
		gates = append(gates, st)
		p.N = max(p.N, need[j])
	}
	if len(gates) == 0 {
		return nil, fmt.Errorf("rate tables: no gate of %s can be tabulated within %g (%s)", m.Name, t.Error, strings.Join(p.Untabulated, "; "))
	}
	// A gate's errors at the spacing it needed bound its errors at the table's, which is as fine
	// or finer.
	p.Step = (t.VMax - t.VMin) / float64(p.N)
	for j := range p.Gates {
		if need[j] != 0 {
			p.ErrInf, p.ErrRate = max(p.ErrInf, errInf[j]), max(p.ErrRate, errRate[j])
		}
	}
	p.Gates = gates
	return p, nil
}
