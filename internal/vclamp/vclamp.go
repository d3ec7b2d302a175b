// Package vclamp evaluates a checked model's statements with V clamped, for tests that hold
// neurogen's channels to NEURON's: the values of every symbol at a fixed V, the gates started at
// their initial values at a holding potential, and steps of the gates and concentrations by
// neurogen's exp_auto (as the generated step takes them) or by classical Runge–Kutta (a
// reference solution of the model's equations at a small step).
package vclamp

import (
	"fmt"
	"slices"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/symbolic"
)

// A Clamp holds the values of a model's symbols, in slots, with V held where it is set.
type Clamp struct {
	m      *ir.Model
	slot   map[string]int
	vals   []float64
	stmts  []compiled // Pre, then Body
	inits  []compiled // each gate's initial value, in States order (nil for others)
	moving []*ir.State
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
	return c, nil
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

// Set sets a parameter (or any symbol) to v; the next Start or step evaluates with it.
func (c *Clamp) Set(sym string, v float64) {
	i, ok := c.slot[sym]
	if !ok {
		panic("vclamp: no symbol " + sym)
	}
	c.vals[i] = v
}

func (c *Clamp) eval() {
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
			c.eval()
			c.vals[c.inits[i].slot] = c.inits[i].f(c.vals)
		case s.Kind == ir.Concentration && s.Init != nil:
			c.vals[c.slot[s.Local]] = symbolic.Eval(s.Init, c.Value)
		}
	}
	c.vals[c.slot["V"]] = level
	c.eval()
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
	set := func(j int, frac float64) {
		for i, s := range c.moving {
			x := x0[i]
			if j > 0 {
				x += frac * h * k[i][j-1]
			}
			c.vals[c.slot[s.Local]] = x
		}
		c.eval()
		for i, s := range c.moving {
			k[i][j] = c.Value(s.Deriv.Local)
		}
	}
	for range n {
		for i, s := range c.moving {
			x0[i] = c.Value(s.Local)
		}
		set(0, 0)
		set(1, 0.5)
		set(2, 0.5)
		set(3, 1)
		for i, s := range c.moving {
			c.vals[c.slot[s.Local]] = x0[i] + h/6*(k[i][0]+2*k[i][1]+2*k[i][2]+k[i][3])
		}
	}
	c.eval()
}
