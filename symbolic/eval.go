package symbolic

import (
	"fmt"
	"math"
)

// Eval evaluates e with the symbols' values given by env. Booleans are 1 (true) and 0 (false).
// It is the reference semantics of an expression: generated code computes the same function.
func Eval(e *Expr, env func(name string) float64) float64 {
	switch e.Op {
	case OpConst:
		return e.Val
	case OpVar:
		return env(e.Name)
	case OpAdd:
		s := Eval(e.Args[0], env) // not 0.0 + …: −0 + −0 is −0
		for _, a := range e.Args[1:] {
			s += Eval(a, env)
		}
		return s
	case OpMul:
		p := 1.0
		for _, a := range e.Args {
			p *= Eval(a, env)
		}
		return p
	case OpPow:
		return math.Pow(Eval(e.Args[0], env), Eval(e.Args[1], env))
	case OpCall:
		vals := make([]float64, len(e.Args))
		for i, a := range e.Args {
			vals[i] = Eval(a, env)
		}
		f, _ := lookupFunc(e.Name)
		return f.Eval(vals)
	case OpCond:
		if Eval(e.Args[0], env) != 0 {
			return Eval(e.Args[1], env)
		}
		return Eval(e.Args[2], env)
	case OpAnd:
		return b2f(Eval(e.Args[0], env) != 0 && Eval(e.Args[1], env) != 0)
	case OpOr:
		return b2f(Eval(e.Args[0], env) != 0 || Eval(e.Args[1], env) != 0)
	case OpNot:
		return b2f(Eval(e.Args[0], env) == 0)
	case OpLT, OpLE, OpGT, OpGE, OpEQ, OpNE:
		return b2f(compare(e.Op, Eval(e.Args[0], env), Eval(e.Args[1], env)))
	}
	panic(fmt.Sprintf("symbolic.Eval: bad node %v", e.Op))
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// MapEnv returns an env for Eval that looks symbols up in m and panics on a missing one.
func MapEnv(m map[string]float64) func(string) float64 {
	return func(name string) float64 {
		v, ok := m[name]
		if !ok {
			panic("symbolic: no value for " + name)
		}
		return v
	}
}
