package codegen

import (
	"fmt"

	"github.com/dave/jennifer/jen"

	"github.com/neurogen/neurogen/ir"
)

// eventFuncName is the package-level function that applies one event of receptor r, for a
// receptor whose event is not a sum of increments (r.Assigns): runtime.Receptor.Apply.
func eventFuncName(r *ir.ReceptorInfo) string { return "event" + exportedName(r.Name) }

// checkEvents refuses what the event functions do not support: a state in single precision.
func (g *generator) checkEvents() error {
	if !g.opts.Float32 {
		return nil
	}
	for _, r := range g.m.Receptors {
		if len(r.Assigns) > 0 {
			return fmt.Errorf("codegen: %s: receptor %s's event (%s) is not a sum of increments, which a group of single-precision state (-float32) does not support: generate it in float64", g.m.Name, r.Name, oneLine(r.EventText))
		}
	}
	return nil
}

// eventFuncs writes, for each receptor whose event is not a sum of increments, the function
// that applies one event of weight w to neuron i: the receptor's states and the parameters its
// event uses loaded, each assignment in the order written (each seeing the earlier ones'
// values), the states it sets stored.
func (g *generator) eventFuncs() {
	var group, w string // the functions' parameters, named once
	for _, r := range g.m.Receptors {
		if len(r.Assigns) == 0 {
			continue
		}
		if group == "" {
			group, w = g.local("group"), g.local("w")
		}
		name := func(sym string) string {
			if sym == ir.EventWeight {
				return w
			}
			return g.id(sym)
		}
		uses := map[string]bool{}
		for _, a := range r.Assigns {
			uses[a.State.Local] = true
			for k, v := range usesOf(nil, a.Value) {
				uses[k] = v
			}
		}
		body := []jen.Code{jen.Id("g").Op(":=").Id(group).Assert(jen.Op("*").Id("Group"))}
		body = append(body, g.paramLoads(uses)...)
		body = append(body, g.loads(uses, jen.Id("i"), func(f string) jen.Code { return jen.Id("g").Dot(f) }, nil)...)
		stored := map[*ir.State]bool{}
		var stores []jen.Code
		for _, a := range r.Assigns {
			for _, l := range commentLines(a.Text) {
				body = append(body, jen.Comment(l))
			}
			body = append(body, jen.Id(g.id(a.State.Local)).Op("=").Add(expr(a.Value, name)))
			if !stored[a.State] {
				stored[a.State] = true
				stores = append(stores, jen.Id("g").Dot(g.names.stateField(a.State)).Index(jen.Id("i")).Op("=").Add(g.writeState(jen.Id(g.id(a.State.Local)))))
			}
		}
		body = append(body, stores...)
		fn := eventFuncName(r)
		doc := fmt.Sprintf("%s applies one event of weight %s (%s) to neuron i of %s (a *Group): receptor %s's event, not a sum of increments, which the runtime calls per event (runtime.Receptor.Apply). From the spec:",
			fn, w, r.WeightUnit, group, r.Name)
		for _, l := range commentLines(wrapText(doc, docWidth)) {
			g.f.Comment(l)
		}
		g.f.Comment("//")
		g.f.Comment("//\tevent: " + oneLine(r.EventText))
		g.f.Func().Id(fn).Params(jen.Id(group).Qual(runtimePkg, "Group"), jen.Id("i").Int(), jen.Id(w).Float64()).Block(body...)
		g.f.Line()
	}
}
