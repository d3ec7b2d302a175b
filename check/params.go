package check

import (
	"fmt"
	"slices"
	"strings"

	"github.com/neurogen/neurogen/parser"
	"github.com/neurogen/neurogen/spec"
	"github.com/neurogen/neurogen/symbolic"
	"github.com/neurogen/neurogen/units"
)

// This file holds parameter values written as expressions. A parameter's value is normally a
// quantity (`-50 mV`), but it may be an expression of numbers, units and other parameters, as
// in a Pospischil cell whose channels share the group's threshold shift:
//
//	params: {VT: -56.2 mV}
//	channels:
//	  Na: {use: INa_Ba2002, V_sh: VT}
//
// An expression of numbers and units alone (`2*mS/cm2`) is folded into an ordinary parameter.
// One that names parameters makes the parameter an alias: a definition of that expression, which
// every expression of the channel sees through, so that it follows the parameters it names when
// they are set at run time (`-set VT=…`) or per neuron. An alias is not a parameter of its own:
// it cannot be set, nor be per_neuron.

// paramAlias is what a definition that stands for a parameter must satisfy.
type paramAlias struct {
	full string     // the parameter's name, e.g. "Na.V_sh"
	want *units.Dim // the dimension it must have (that of a stock channel's parameter), or nil
	// wantMsg says where want comes from: "parameter `V_sh` of stock channel `INa_Ba2002` is a
	// voltage (mV) (as `-50 mV`)".
	wantMsg string
}

// overrideWant records the dimension a stock channel's parameter must keep when a spec gives it
// a value that is not a quantity (which useStock cannot check).
type overrideWant struct {
	dim units.Dim
	msg string
}

// setOverrideWant records, for a stock channel's (or receptor's: kind) parameter p overridden by
// an expression, the dimension of the stock value and how to say it.
func (c *checker) setOverrideWant(p *spec.Param, kind, stock, old string, dim units.Dim) {
	if c.overrideWants == nil {
		c.overrideWants = map[*spec.Param]overrideWant{}
	}
	c.overrideWants[p] = overrideWant{dim, fmt.Sprintf("parameter `%s` of %s is %s (as `%s`)",
		p.Name.Value, usedName(kind, stock), describeWant(dim), old)}
}

// paramText is a parameter's value as an expression text.
func paramText(p *spec.Param) spec.Text {
	if p.Text.Src != "" {
		return p.Text
	}
	return spec.NewText(p.Value.Value, p.Value.Pos, nil)
}

// isExpression reports whether a parameter's value, which is not a quantity, is an expression,
// and whether it names something other than units and constants (a parameter, a definition,
// or an undefined name, which its conversion reports).
func (c *checker) isExpression(sc *scope, p *spec.Param) (expr, names bool) {
	if _, err := units.ParseQuantity(p.Value.Value); err == nil {
		return false, false
	}
	ast, err := parser.Parse(p.Value.Value)
	if err != nil {
		return false, false
	}
	var walk func(e parser.Expr)
	walk = func(e parser.Expr) {
		switch x := e.(type) {
		case *parser.Ident:
			_, unit := units.Lookup(x.Name)
			_, konst := constants[x.Name]
			if sc.lookup(x.Name) != nil || (!unit && !konst) {
				names = true
			}
		case *parser.Paren:
			walk(x.X)
		case *parser.Unary:
			walk(x.X)
		case *parser.Binary:
			walk(x.X)
			walk(x.Y)
		case *parser.Call:
			for _, a := range x.Args {
				walk(a)
			}
		case *parser.Cond:
			walk(x.Cond)
			walk(x.Then)
			walk(x.Else)
		}
	}
	walk(ast)
	return true, names
}

// paramValue returns the value of a parameter that is a quantity, or an expression of numbers
// and units alone, folded; it reports an error and returns false otherwise.
func (c *checker) paramValue(sc *scope, full string, p *spec.Param) (units.Quantity, bool) {
	what := "parameter `" + full + "`"
	want, hasWant := c.overrideWants[p]
	if expr, _ := c.isExpression(sc, p); !expr {
		return c.quantity(p.Value, what, nil)
	}
	text := paramText(p)
	r := c.expression(text, sc, what)
	if r.e == nil {
		return units.Quantity{}, false
	}
	if r.t.boolean {
		c.errorf(text.Pos, spec.ConditionAsNumber, "%s must be a value, got a condition `%s`", what, strings.TrimSpace(text.Src))
		return units.Quantity{}, false
	}
	if hasWant && !r.t.zero && r.t.d != want.dim {
		c.errorf(text.Pos, spec.WrongDimension, "%s, got `%s` in %s", want.msg, strings.TrimSpace(text.Src), describe(r.t.d))
		return units.Quantity{}, false
	}
	d := r.t.d
	if hasWant {
		d = want.dim
	}
	v := symbolic.Eval(r.e, func(string) float64 { panic("check: a constant parameter value names a symbol") })
	return units.Quantity{Value: v, Unit: units.Unit{Name: d.String(), Dim: d, Scale: 1}, Text: strings.TrimSpace(p.Value.Value)}, true
}

// declareParamAlias declares a parameter whose value is an expression that names other
// parameters as an alias of that expression (see the top of this file) and reports true; it
// reports false, and does nothing, for a value that is not such an expression.
func (c *checker) declareParamAlias(sc *scope, channel, full, what string, p *spec.Param) bool {
	if _, names := c.isExpression(sc, p); !names {
		return false
	}
	name := p.Name.Value
	text := paramText(p)
	if p.PerNeuron {
		c.errorf(text.Pos, spec.PerNeuron, "parameter `%s`: a value that names other parameters (`%s`) follows them and cannot be per_neuron (make them per_neuron instead)",
			full, strings.TrimSpace(text.Src))
		c.declare(sc, &symbol{name: name, kind: symParam, pos: p.Name.Pos, what: what, bad: true})
		return true
	}
	parts := []string{name}
	if channel != "" {
		parts = []string{channel, name}
	}
	alias := &paramAlias{full: full}
	if w, ok := c.overrideWants[p]; ok {
		alias.want, alias.wantMsg = &w.dim, w.msg
	}
	df := &def{text: text, scope: sc, comment: full + " = " + strings.TrimSpace(text.Src) + " (a parameter given by an expression)",
		local: strings.Join(parts, "_"), alias: alias}
	sym := &symbol{name: name, kind: symDef, pos: p.Name.Pos, def: df, what: what}
	df.sym = sym
	if c.declare(sc, sym) {
		c.defs = append(c.defs, df)
	}
	return true
}

// checkAlias checks a converted alias of a parameter: it must be a value of the parameter's
// dimension that depends on parameters only, not on V, the time, the input or a state.
func (c *checker) checkAlias(d *def) {
	a := d.alias
	if d.bad || d.expr == nil {
		return
	}
	src := strings.TrimSpace(d.text.Src)
	what := "parameter `" + a.full + "`"
	var bad []*symbol
	for r := range d.refs {
		if r.kind != symParam && r.kind != symDef {
			bad = append(bad, r)
		}
	}
	slices.SortFunc(bad, func(x, y *symbol) int { return strings.Compare(x.name, y.name) })
	switch {
	case len(bad) > 0:
		c.errorf(d.text.Pos, spec.MisusedName, "%s = `%s`: a parameter's value may use numbers, units and parameters, not `%s` (%s)",
			what, src, bad[0].name, bad[0].what)
	case d.dim.boolean:
		c.errorf(d.text.Pos, spec.ConditionAsNumber, "%s must be a value, got a condition `%s`", what, src)
	case a.want != nil && !d.dim.zero && d.dim.d != *a.want:
		c.errorf(d.text.Pos, spec.WrongDimension, "%s, got `%s` in %s", a.wantMsg, src, describe(d.dim.d))
	default:
		return
	}
	d.bad = true
	d.expr = nil
}

// paramExpr returns the expression that stands for a parameter's symbol: its Go local, or the
// expression of an alias; nil for anything else or an alias with an error.
func (c *checker) paramExpr(s *symbol) *symbolic.Expr {
	switch {
	case s == nil || s.bad:
		return nil
	case s.kind == symParam:
		return symbolic.Var(s.local)
	case s.kind == symDef && s.def.alias != nil:
		c.convertDef(s.def)
		if s.def.bad {
			return nil
		}
		return s.def.expr
	}
	return nil
}
