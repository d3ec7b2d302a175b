// Package middle is neurogen's middle end: the passes that turn the model that package check
// builds, one statement per value the spec names (every rate, current, ion current and
// derivative, definitions inlined), into the statements that code generation emits. Each pass
// is a function from an *ir.Model to a new one and leaves its input as it is:
//
//   - Linearize adds each state's linear coefficient ∂(dx/dt)/∂x, by symbolic differentiation,
//     for the methods that integrate it exactly (exp_auto, staggered);
//   - ShareExps computes exponentials of one variable that differ by a constant factor (group-
//     wide parameters count as constants) from one exponential per family;
//   - Schedule shares common subexpressions as temporaries (named after the spec's definitions
//     where one matches), moves what depends on group-wide values only before the loop over
//     neurons, and orders the statements.
//
// Optimize runs them in that order. check.Check and check.Load call it, so that every reader of
// a checked model (codegen, the show and check commands, tests) gets the optimised one;
// check.Options.Unoptimized returns the model before it.
//
// PlanTables is an analysis of the optimised model, not a pass: which gates' kinetics rate
// tables can hold (in V) and at what spacing; codegen renders the plan.
package middle

import "github.com/neurogen/neurogen/ir"

// Optimize runs the middle end on m: Linearize, ShareExps, Schedule. m is left as it is.
func Optimize(m *ir.Model) *ir.Model {
	return Schedule(ShareExps(Linearize(m)))
}
