// Package vclamp evaluates a checked model's statements with V clamped, for tests that hold
// neurogen's channels to NEURON's: the values of every symbol at a fixed V, the gates started at
// their initial values at a holding potential, and steps of the gates and concentrations by
// neurogen's exp_auto (as the generated step takes them) or by classical Runge–Kutta (a
// reference solution of the model's equations at a small step).
package vclamp

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/symbolic"
)

// A Clamp holds the values of a model's symbols, in slots, with V held where it is set.
type Clamp struct {
	m      *ir.Model
	slot   map[string]int
	vals   []float64
	all    []*ir.Stmt
	stmts  []compiled // Pre, then Body
	dyn    []compiled // those that read a moving state, the input or the time (see mark)
	inits  []compiled // each gate's initial value, in States order (nil for others)
	moving []*ir.State
	xslot  []int // the moving states' slots
	dslot  []int // their derivatives'
}

type compiled struct {
	slot int
	f    func([]float64) float64
}

// New compiles the statements of m (Pre, then Body), the gates' initial values, and sets the
// parameters to their defaults.
func New(m *ir.Model) (*Clamp, error) {
	c := &Clamp{m: m, slot: map[string]int{}}
	add := func(s string) {
		if _, ok := c.slot[s]; !ok {
			c.slot[s] = len(c.slot)
		}
	}
	for _, p := range m.Params {
		add(p.Local)
	}
	for _, s := range m.States {
		add(s.Local)
	}
	add(m.Input)
	add(m.Time)
	all := slices.Concat(m.Pre, m.Body)
	c.all = all
	for _, st := range all {
		add(st.Local)
	}
	c.vals = make([]float64, len(c.slot))
	for _, p := range m.Params {
		c.vals[c.slot[p.Local]] = p.Default
	}
	slot := func(s string) int {
		if i, ok := c.slot[s]; ok {
			return i
		}
		return -1
	}
	for _, st := range all {
		f, err := symbolic.Compile(st.Expr, slot)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", st.Local, err)
		}
		c.stmts = append(c.stmts, compiled{c.slot[st.Local], f})
	}
	for _, s := range m.States {
		var f func([]float64) float64
		if s.Kind == ir.Gate {
			var err error
			if f, err = symbolic.Compile(s.Init, slot); err != nil {
				return nil, fmt.Errorf("%s: %v", s.Name, err)
			}
		}
		c.inits = append(c.inits, compiled{c.slot[s.Local], f})
		if s.Kind == ir.Gate || s.Kind == ir.Concentration && s.Deriv != nil {
			c.moving = append(c.moving, s)
		}
	}
	c.mark()
	return c, nil
}

// mark finds the statements that read, directly or through others, a state that moves, the
// input or the time: the steps compute only those (V's rates, at a clamped V, are computed
// once by Start).
func (c *Clamp) mark() {
	dep := map[string]bool{c.m.Input: true, c.m.Time: true}
	for _, s := range c.moving {
		dep[s.Local] = true
	}
	c.xslot, c.dslot = c.xslot[:0], c.dslot[:0]
	for _, s := range c.moving {
		c.xslot = append(c.xslot, c.slot[s.Local])
		c.dslot = append(c.dslot, c.slot[s.Deriv.Local])
	}
	c.dyn = c.dyn[:0]
	for i, st := range c.all {
		if symbolic.DependsOn(st.Expr, func(n string) bool { return dep[n] }) {
			dep[st.Local] = true
			c.dyn = append(c.dyn, c.stmts[i])
		}
	}
}

// Release lets V move too (current clamp): the steps then advance it by its derivative, with
// the input density (the model's Input symbol, uA/cm2) as Set.
func (c *Clamp) Release() {
	for _, s := range c.m.States {
		if s.Kind == ir.Voltage && !slices.Contains(c.moving, s) {
			c.moving = append(c.moving, s)
		}
	}
	c.mark()
}

// Value is the value of the symbol sym (a parameter, a state or a statement's local) as of
// the last evaluation; it panics on a symbol the model does not have.
func (c *Clamp) Value(sym string) float64 {
	i, ok := c.slot[sym]
	if !ok {
		panic("vclamp: no symbol " + sym)
	}
	return c.vals[i]
}

// Set sets a parameter (or any symbol) to v; the next Start evaluates with it (set
// parameters, the input included, before Start).
func (c *Clamp) Set(sym string, v float64) {
	i, ok := c.slot[sym]
	if !ok {
		panic("vclamp: no symbol " + sym)
	}
	c.vals[i] = v
}

// eval computes the statements that the moving states change.
func (c *Clamp) eval() {
	for _, s := range c.dyn {
		c.vals[s.slot] = s.f(c.vals)
	}
}

// evalAll computes every statement.
func (c *Clamp) evalAll() {
	for _, s := range c.stmts {
		c.vals[s.slot] = s.f(c.vals)
	}
}

// Start sets every gate to its initial value at V = hold, each after those before it, and
// every concentration to its initial value, then steps V to level and evaluates the
// statements there.
func (c *Clamp) Start(hold, level float64) {
	c.vals[c.slot["V"]] = hold
	for i, s := range c.m.States {
		switch {
		case s.Kind == ir.Gate:
			c.evalAll()
			c.vals[c.inits[i].slot] = c.inits[i].f(c.vals)
		case s.Kind == ir.Concentration && s.Init != nil:
			c.vals[c.slot[s.Local]] = symbolic.Eval(s.Init, c.Value)
		}
	}
	c.vals[c.slot["V"]] = level
	c.evalAll()
}

// Step advances every gate and concentration with dynamics by exp_auto's step,
// x + dt·exprel(dt·L)·f, from the derivatives and linear coefficients at the step's start; V
// stays.
func (c *Clamp) Step(dt float64) {
	next := make([]float64, len(c.moving))
	for i, s := range c.moving {
		x, f, l := c.Value(s.Local), c.Value(s.Deriv.Local), c.Value(s.Linear.Local)
		next[i] = x + dt*symbolic.Exprel(dt*l)*f
	}
	for i, s := range c.moving {
		c.vals[c.slot[s.Local]] = next[i]
	}
	c.eval()
}

// StepRK4 advances every gate and concentration with dynamics by n steps of dt/n of the
// classical fourth-order Runge–Kutta method on their derivatives; V stays. With n large
// enough it is the exact solution of the model's equations to rounding, whatever method the
// generated step uses.
func (c *Clamp) StepRK4(dt float64, n int) {
	h := dt / float64(n)
	x0 := make([]float64, len(c.moving))
	k := make([][4]float64, len(c.moving))
	for range n {
		// The statements are computed at the step's start (every method ends so): stage 1.
		for i, xs := range c.xslot {
			x0[i], k[i][0] = c.vals[xs], c.vals[c.dslot[i]]
		}
		for j, frac := range [...]float64{0.5, 0.5, 1} {
			for i, xs := range c.xslot {
				c.vals[xs] = x0[i] + frac*h*k[i][j]
			}
			c.eval()
			for i, ds := range c.dslot {
				k[i][j+1] = c.vals[ds]
			}
		}
		for i, xs := range c.xslot {
			c.vals[xs] = x0[i] + h/6*(k[i][0]+2*k[i][1]+2*k[i][2]+k[i][3])
		}
		c.eval()
	}
}

// A Propagator is the map of one step of a Clamp's gates and concentrations, at its V, where
// their derivatives are affine in them (a KINETIC scheme of first-order reactions, at a fixed V):
// x(t + dt) = P·x(t) + q.
type Propagator struct {
	p    [][]float64
	q    []float64
	next []float64
}

// Affine computes the propagator of a step of dt at the current V, by RK4 at dt/n from x = 0
// and from each unit vector (n = 256 makes it exact to rounding for rates up to about 1000/ms
// and dt = 0.025 ms); the states are left as they were.
func (c *Clamp) Affine(dt float64, n int) *Propagator {
	k := len(c.moving)
	saved := make([]float64, k)
	for i, s := range c.moving {
		saved[i] = c.Value(s.Local)
	}
	run := func(unit int) []float64 {
		for i, s := range c.moving {
			c.vals[c.slot[s.Local]] = 0
			if i == unit {
				c.vals[c.slot[s.Local]] = 1
			}
		}
		c.eval()
		c.StepRK4(dt, n)
		x := make([]float64, k)
		for i, s := range c.moving {
			x[i] = c.Value(s.Local)
		}
		return x
	}
	p := &Propagator{q: run(-1), next: make([]float64, k)}
	p.p = make([][]float64, k)
	for i := range p.p {
		p.p[i] = make([]float64, k)
	}
	for j := range k {
		x := run(j)
		for i := range k {
			p.p[i][j] = x[i] - p.q[i]
		}
	}
	for i, s := range c.moving {
		c.vals[c.slot[s.Local]] = saved[i]
	}
	c.eval()
	return p
}

// Step advances c's gates and concentrations by the propagator's step; V stays.
func (p *Propagator) Step(c *Clamp) {
	for i := range p.next {
		x := p.q[i]
		for j, s := range c.moving {
			x += p.p[i][j] * c.Value(s.Local)
		}
		p.next[i] = x
	}
	for i, s := range c.moving {
		c.vals[c.slot[s.Local]] = p.next[i]
	}
	c.eval()
}

// Digest is tools/reference/nmodl/clamp.py's digest of the code of .mod files (by name):
// SHA-256 of, for each file in name order, its name and a newline, then each line that holds
// code, without its comment (from ":") and trailing blanks, and a newline; the TITLE, COMMENT
// blocks and blank lines left out, so that a file's comments may change without new reference
// data, and its code may not.
func Digest(files map[string][]byte) string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	h := sha256.New()
	for _, n := range names {
		h.Write([]byte(n + "\n"))
		comment := false
		for _, line := range strings.SplitAfter(string(files[n]), "\n") {
			t := strings.TrimSpace(line)
			if comment {
				comment = t != "ENDCOMMENT"
				continue
			}
			if t == "COMMENT" {
				comment = true
				continue
			}
			code, _, _ := strings.Cut(line, ":")
			code = strings.TrimRight(code, " \t\r\n")
			if strings.TrimSpace(code) == "" || strings.HasPrefix(code, "TITLE") {
				continue
			}
			h.Write([]byte(code + "\n"))
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
