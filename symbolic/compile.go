package symbolic

import (
	"fmt"
	"math"
)

// Compile turns e into a function of a slice of values, in which each symbol of e has the
// index that slot gives it. It computes exactly what Eval computes, operation for operation,
// so the two give the same bits; it only looks names up once, at compilation, rather than at
// every evaluation. It returns an error for a symbol that slot does not place (slot returns a
// negative index), or a function that does not exist.
//
// Use it where one expression is evaluated many times, as the planning of rate tables does. A
// compiled function reuses its buffers: it is not safe for concurrent use.
func Compile(e *Expr, slot func(name string) int) (func(vals []float64) float64, error) {
	switch e.Op {
	case OpConst:
		v := e.Val
		return func([]float64) float64 { return v }, nil
	case OpVar:
		i := slot(e.Name)
		if i < 0 {
			return nil, fmt.Errorf("symbolic: no value for %s", e.Name)
		}
		return func(vals []float64) float64 { return vals[i] }, nil
	}
	args := make([]func([]float64) float64, len(e.Args))
	for k, a := range e.Args {
		f, err := Compile(a, slot)
		if err != nil {
			return nil, err
		}
		args[k] = f
	}
	switch e.Op {
	case OpAdd:
		first, rest := args[0], args[1:]
		return func(vals []float64) float64 {
			s := first(vals) // not 0.0 + …: −0 + −0 is −0
			for _, a := range rest {
				s += a(vals)
			}
			return s
		}, nil
	case OpMul:
		return func(vals []float64) float64 {
			p := 1.0
			for _, a := range args {
				p *= a(vals)
			}
			return p
		}, nil
	case OpPow:
		x, y := args[0], args[1]
		return func(vals []float64) float64 { return math.Pow(x(vals), y(vals)) }, nil
	case OpCall:
		f, ok := lookupFunc(e.Name)
		if !ok {
			return nil, fmt.Errorf("symbolic: no function %s", e.Name)
		}
		eval, in := f.Eval, make([]float64, len(args))
		return func(vals []float64) float64 {
			for i, a := range args {
				in[i] = a(vals)
			}
			return eval(in)
		}, nil
	case OpCond:
		c, a, b := args[0], args[1], args[2]
		return func(vals []float64) float64 {
			if c(vals) != 0 {
				return a(vals)
			}
			return b(vals)
		}, nil
	case OpAnd:
		a, b := args[0], args[1]
		return func(vals []float64) float64 { return b2f(a(vals) != 0 && b(vals) != 0) }, nil
	case OpOr:
		a, b := args[0], args[1]
		return func(vals []float64) float64 { return b2f(a(vals) != 0 || b(vals) != 0) }, nil
	case OpNot:
		a := args[0]
		return func(vals []float64) float64 { return b2f(a(vals) == 0) }, nil
	case OpLT, OpLE, OpGT, OpGE, OpEQ, OpNE:
		op, a, b := e.Op, args[0], args[1]
		return func(vals []float64) float64 { return b2f(compare(op, a(vals), b(vals))) }, nil
	}
	return nil, fmt.Errorf("symbolic.Compile: bad node %v", e.Op)
}
