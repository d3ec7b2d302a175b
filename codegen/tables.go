package codegen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/middle"
)

// The rate tables' plan is the middle end's (middle.PlanTables); codegen renders it.
type (
	// Tables asks for rate tables: see middle.Tables.
	Tables = middle.Tables
	// TablePlan is what the tables of a model hold: see middle.TablePlan.
	TablePlan = middle.TablePlan
)

// DefaultTables are the tables that a bare -tables asks for.
var DefaultTables = middle.DefaultTables

// PlanTables finds which gates of m can be tabulated and the spacing that meets t.Error: see
// middle.PlanTables.
func PlanTables(m *ir.Model, t Tables) (*TablePlan, error) { return middle.PlanTables(m, t) }

// tableStride is the number of values per point of the table: for each gate, the coefficients
// A and B of x(t+dt) = A·x + B and their differences to the next point.
func tableStride(p *TablePlan) int { return 4 * len(p.Gates) }

// tableDecls declares the table's type and constants and the method that builds it.
func (g *generator) tableDecls() {
	p, m := g.tables, g.m
	S := tableStride(p)
	v, k, row, key, t, j := g.local("v"), g.local("k"), g.local("row"), g.local("key"), g.local("t"), g.local("j")
	g.f.Comment("The rate tables: " + p.Report() + ".")
	g.f.Comment("Point k is V = tabVMin + k·tabStep; its row holds, for each tabulated gate in turn, A, the")
	g.f.Comment("difference of A to the next point, B and its difference, where x(t+dt) = A·x + B.")
	g.f.Const().Defs(
		jen.Id("tabVMin").Op("=").Add(lit(p.VMin)).Comment("mV"),
		jen.Id("tabStep").Op("=").Add(lit(p.Step)).Comment("mV"),
		jen.Id("tabScale").Op("=").Add(lit(1/p.Step)).Comment("1/mV"),
		jen.Id("tabN").Op("=").Lit(p.N).Comment("intervals: the table has tabN+1 points"),
		jen.Id("tabStride").Op("=").Lit(S).Comment("values per point"),
	)
	g.f.Line()
	g.f.Comment("rateTable is the table for one step dt and one set of the parameters the rates depend on.")
	g.f.Type().Id("rateTable").Struct(
		jen.Id("key").Index(jen.Lit(1+len(p.Params))).Float64().Comment("dt, then "+paramNames(p.Params)),
		jen.Id("v").Add(jen.Index().Index(jen.Id("tabStride")).Float64()),
	)
	g.f.Line()
	// table(dt): the table for dt and the present parameters, built when they change.
	keyVals := []jen.Code{jen.Id("dt")}
	for _, q := range p.Params {
		keyVals = append(keyVals, jen.Id("g").Dot("Params").Dot(g.names.paramField(q)))
	}
	var roots []*ir.Stmt
	for _, st := range p.Gates {
		roots = append(roots, st.Deriv, st.Linear)
	}
	pre, body := m.Closure(roots...)
	uses := usesOf(append(slices.Clone(pre), body...))
	var build []jen.Code
	build = append(build, g.paramLoads(uses)...)
	build = append(build, g.stmts(pre, nil)...)
	V := m.States[0]
	var loop []jen.Code
	loop = append(loop, jen.Id(g.id(V.Local)).Op(":=").Id("tabVMin").Op("+").Float64().Call(jen.Id(k)).Op("*").Id("tabStep"))
	for _, st := range p.Gates {
		loop = append(loop, jen.Id(g.id(st.Local)).Op(":=").Lit(0.0).Comment("dx/dt at x = 0 is the constant part b of dx/dt = L·x + b"))
	}
	loop = append(loop, g.stmts(body, nil)...)
	loop = append(loop, jen.Id(row).Op(":=").Op("&").Id(v).Index(jen.Id(k)))
	for j, st := range p.Gates {
		loop = append(loop,
			jen.Comment(fmt.Sprintf("// %s: A = exp(dt·L), B = dt·b·exprel(dt·L)", st.Name)),
			jen.Id(row).Index(jen.Lit(4*j)).Op("=").Qual(runtimePkg, "Exp").Call(jen.Id("dt").Op("*").Id(g.id(st.Linear.Local))),
			jen.Id(row).Index(jen.Lit(4*j+2)).Op("=").Id("dt").Op("*").Id(g.id(st.Deriv.Local)).Op("*").Qual(runtimePkg, "Exprel").Call(jen.Id("dt").Op("*").Id(g.id(st.Linear.Local))))
	}
	build = append(build,
		jen.Id(v).Op(":=").Make(jen.Index().Index(jen.Id("tabStride")).Float64(), jen.Id("tabN").Op("+").Lit(1)),
		jen.For(jen.Id(k).Op(":=").Lit(0), jen.Id(k).Op("<=").Id("tabN"), jen.Id(k).Op("++")).Block(loop...),
		jen.Comment("// the differences to the next point, for linear interpolation"),
		jen.For(jen.Id(k).Op(":=").Lit(0), jen.Id(k).Op("<").Id("tabN"), jen.Id(k).Op("++")).Block(
			jen.For(jen.Id(j).Op(":=").Lit(0), jen.Id(j).Op("<").Id("tabStride"), jen.Id(j).Op("+=").Lit(2)).Block(
				jen.Id(v).Index(jen.Id(k)).Index(jen.Id(j).Op("+").Lit(1)).Op("=").
					Id(v).Index(jen.Id(k).Op("+").Lit(1)).Index(jen.Id(j)).Op("-").Id(v).Index(jen.Id(k)).Index(jen.Id(j)))),
		jen.Id("g").Dot("tab").Dot("Store").Call(jen.Op("&").Id("rateTable").Values(jen.Dict{jen.Id("key"): jen.Id(key), jen.Id("v"): jen.Id(v)})),
		jen.Return(jen.Id(v)),
	)
	body2 := []jen.Code{
		jen.Id(key).Op(":=").Index(jen.Lit(1 + len(p.Params))).Float64().Values(keyVals...),
		jen.If(jen.Id(t).Op(":=").Id("g").Dot("tab").Dot("Load").Call(), jen.Id(t).Op("!=").Nil().Op("&&").Id(t).Dot("key").Op("==").Id(key)).Block(
			jen.Return(jen.Id(t).Dot("v"))),
		jen.Id("g").Dot("tabMu").Dot("Lock").Call(),
		jen.Defer().Id("g").Dot("tabMu").Dot("Unlock").Call(),
		jen.If(jen.Id(t).Op(":=").Id("g").Dot("tab").Dot("Load").Call(), jen.Id(t).Op("!=").Nil().Op("&&").Id(t).Dot("key").Op("==").Id(key)).Block(
			jen.Return(jen.Id(t).Dot("v")).Comment("built by a concurrent StepRange")),
	}
	body2 = append(body2, build...)
	g.method("table", []jen.Code{jen.Id("dt").Float64()}, []jen.Code{jen.Index().Index(jen.Id("tabStride")).Float64()},
		"table returns the rate table for steps of dt and the present parameters, building it (once, allocating) when either has changed since the last; concurrent StepRange calls share it.",
		body2...)
}

func paramNames(ps []*ir.Param) string {
	if len(ps) == 0 {
		return "nothing else"
	}
	var names []string
	for _, q := range ps {
		names = append(names, q.Name)
	}
	return strings.Join(names, ", ")
}

// tabulated reports whether st is advanced from the tables.
func (g *generator) tabulated(st *ir.State) bool {
	return g.tables != nil && slices.Contains(g.tables.Gates, st)
}

// tableStep renders the tabulated gates' updates of op in the scalar loop: from the table where
// op.v is in its range, else exactly by op.exact and the exponential step.
func (g *generator) tableStep(p *stepPlan, op opTable) []jen.Code {
	name := g.renamer(op.rename)
	u, k, f, r := g.local("u"), g.local("k"), g.local("f"), g.local("r")
	var names []jen.Code
	var fromTable, fromExact []jen.Code
	fromExact = append(fromExact, jen.Comment("// V outside the tables: the exact step"))
	fromExact = append(fromExact, g.stmts(op.exact, name)...)
	for j, st := range op.gates {
		next := p.next[st]
		names = append(names, jen.Id(next))
		fromTable = append(fromTable, jen.Id(next).Op("=").Parens(jen.Id(r).Index(jen.Lit(4*j)).Op("+").Id(f).Op("*").Id(r).Index(jen.Lit(4*j+1))).Op("*").Id(g.id(st.Local)).
			Op("+").Id(r).Index(jen.Lit(4*j+2)).Op("+").Id(f).Op("*").Id(r).Index(jen.Lit(4*j+3)))
		fromExact = append(fromExact, jen.Id(next).Op("=").Add(scalarUpdate(opUpdate{rule: ruleExp, x: g.id(st.Local), d: name(st.Deriv.Local), l: name(st.Linear.Local)})))
	}
	body := append([]jen.Code{
		jen.Id(k).Op(":=").Int().Call(jen.Id(u)),
		jen.Id(f).Op(":=").Id(u).Op("-").Float64().Call(jen.Id(k)).Comment("where V lies between points k and k+1"),
		jen.Id(r).Op(":=").Op("&").Id(p.tab).Index(jen.Id(k)),
	}, fromTable...)
	return []jen.Code{
		jen.Comment("// " + op.comment()),
		jen.Var().List(names...).Float64(),
		jen.If(jen.Id(u).Op(":=").Parens(jen.Id(op.v).Op("-").Id("tabVMin")).Op("*").Id("tabScale"), jen.Id(u).Op(">=").Lit(0).Op("&&").Id(u).Op("<").Id("tabN")).
			Block(body...).Else().Block(fromExact...),
	}
}
