package codegen

import (
	"crypto/sha256"
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/neurogen/neurogen/ir"
)

// plasticFuncs names the function of each plasticity rule of the network (the targets of one
// spec projection share theirs): "plastic" and the spec projection's Go name.
func (ng *netGen) plasticFuncs(taken map[string]bool) {
	ng.plastic = map[*ir.PlasticRule]string{}
	for _, p := range ng.n.Projections {
		if p.Plasticity == nil || p.Plasticity.Rule == nil || ng.plastic[p.Plasticity.Rule] != "" {
			continue
		}
		base, _, _ := strings.Cut(p.Name, "/")
		want := "plastic" + goName(base)
		for taken[want] {
			want += "_"
		}
		taken[want] = true
		ng.plastic[p.Plasticity.Rule] = want
	}
}

// plasticLocals gives each state of r a Go local: its name, or its name and "_" where that is a
// Go keyword, a predeclared name, or a name the function uses itself.
func plasticLocals(r *ir.PlasticRule) map[string]string {
	own := map[string]bool{"s": true, "delta": true, "relax": true, "f": true, "runtime": true, "math": true}
	taken := map[string]bool{}
	for _, st := range r.States {
		taken[st.Name] = true
	}
	out := map[string]string{}
	for _, st := range r.States {
		id := st.Name
		if token.IsKeyword(id) || types.Universe.Lookup(id) != nil || own[id] {
			id += "_"
			for taken[id] {
				id += "_"
			}
			taken[id] = true
		}
		out[st.Name] = id
	}
	return out
}

// plasticRuleText is the rule as the spec writes it, for comments.
func plasticRuleText(r *ir.PlasticRule) string {
	var b strings.Builder
	if len(r.Params) > 0 {
		var ps []string
		for _, p := range r.Params {
			ps = append(ps, p.Name+": "+oneLine(p.Text))
		}
		fmt.Fprintf(&b, "%s\n", strings.Join(ps, ", "))
	}
	b.WriteString("states:\n")
	for _, st := range r.States {
		kind := "relax"
		if st.Deriv {
			kind = "deriv"
		}
		fmt.Fprintf(&b, "  %s: {init: %s", st.Name, oneLine(st.InitText))
		if st.Relax != nil {
			fmt.Fprintf(&b, ", %s: %s", kind, oneLine(st.RelaxText))
		}
		b.WriteString("}\n")
	}
	fmt.Fprintf(&b, "weight: %s\n", oneLine(r.Weight))
	var ups []string
	for _, u := range r.Updates {
		ups = append(ups, oneLine(u.Text))
	}
	if len(ups) > 0 {
		fmt.Fprintf(&b, "update: [%s]\n", strings.Join(ups, ", "))
	}
	return b.String()
}

// plasticRuleName is the rule's runtime.PlasticRule.Name, which state files record: a hash of
// what it computes, so that a state file of another rule is refused.
func plasticRuleName(r *ir.PlasticRule) string {
	h := sha256.New()
	for _, st := range r.States {
		relax := "-"
		if st.Relax != nil {
			relax = st.Relax.String()
		}
		fmt.Fprintf(h, "state %s %s %v %s\n", st.Name, st.Unit, st.Init, relax)
	}
	fmt.Fprintf(h, "factor %s\n", r.Factor)
	for _, u := range r.Updates {
		fmt.Fprintf(h, "update %s %s\n", u.State.Name, u.Expr)
	}
	return fmt.Sprintf("expressions %x", h.Sum(nil)[:8])
}

// plasticFunc writes the function of rule r of projection name (runtime.PlasticRule.Event):
// the states loaded, relaxed over delta when relax (all from the values before), the factor of
// the delivered weight, the updates in order, the states stored.
func (ng *netGen) plasticFunc(r *ir.PlasticRule, name string) {
	fn := ng.plastic[r]
	locals := plasticLocals(r)
	sym := func(s string) string {
		if id, ok := locals[s]; ok {
			return id
		}
		return s // delta
	}
	var ids, loads []jen.Code
	for k, st := range r.States {
		ids = append(ids, jen.Id(locals[st.Name]))
		loads = append(loads, jen.Id("s").Index(jen.Lit(k)))
	}
	var body []jen.Code
	body = append(body, jen.List(ids...).Op(":=").List(loads...))
	var relaxIDs, relaxed []jen.Code
	var relaxDoc []jen.Code
	for _, st := range r.States {
		if st.Relax == nil {
			continue
		}
		text := st.Name + ": " + oneLine(st.RelaxText)
		if st.Deriv {
			text = st.Name + ": d/dt = " + oneLine(st.RelaxText) + ", solved exactly"
		}
		for _, l := range commentLines(text) {
			relaxDoc = append(relaxDoc, jen.Comment(l))
		}
		relaxIDs = append(relaxIDs, jen.Id(locals[st.Name]))
		relaxed = append(relaxed, expr(st.Relax, sym))
	}
	if len(relaxIDs) > 0 {
		block := append(relaxDoc, jen.List(relaxIDs...).Op("=").List(relaxed...))
		body = append(body, jen.If(jen.Id("relax")).Block(block...))
	}
	for _, l := range commentLines("weight: " + oneLine(r.Weight) + ", w times f") {
		body = append(body, jen.Comment(l))
	}
	body = append(body, jen.Id("f").Op(":=").Add(expr(r.Factor, sym)))
	for _, u := range r.Updates {
		for _, l := range commentLines(oneLine(u.Text)) {
			body = append(body, jen.Comment(l))
		}
		body = append(body, jen.Id(locals[u.State.Name]).Op("=").Add(expr(u.Expr, sym)))
	}
	body = append(body, jen.List(loads...).Op("=").List(ids...), jen.Return(jen.Id("f")))

	doc := fmt.Sprintf("%s is the plasticity of projection %s as its spec writes it, a runtime.PlasticRule's Event: "+
		"s holds one state's values (%s), relaxed over delta ms since its previous event when relax; it returns f, the event delivering w·f, "+
		"and leaves s updated. From the spec (parameters folded into the constants):", fn, name, stateNames(r))
	for _, l := range commentLines(wrapText(doc, docWidth)) {
		ng.f.Comment(l)
	}
	ng.f.Comment("//")
	for _, l := range textLines(plasticRuleText(r)) {
		ng.f.Comment("//\t" + l)
	}
	ng.f.Func().Id(fn).Params(jen.Id("s").Index().Float64(), jen.Id("delta").Float64(), jen.Id("relax").Bool()).Float64().Block(body...)
	ng.f.Line()
}

// stateNames lists the rule's states: "x, u".
func stateNames(r *ir.PlasticRule) string {
	var out []string
	for _, st := range r.States {
		out = append(out, st.Name)
	}
	return strings.Join(out, ", ")
}

// setPlasticRule is the call that gives projection p its rule, once connected.
func (ng *netGen) setPlasticRule(p *ir.Projection) jen.Code {
	pl := p.Plasticity
	r := pl.Rule
	var names, rest []jen.Code
	for _, st := range r.States {
		names = append(names, jen.Lit(st.Name))
		rest = append(rest, lit(st.Init))
	}
	return jen.Id("n").Dot("Sim").Dot("SetPlasticRule").Call(jen.Lit(ng.simNames[p]), jen.Qual(runtimePkg, "PlasticRule").Values(jen.Dict{
		jen.Id("Name"):           jen.Lit(plasticRuleName(r)),
		jen.Id("States"):         jen.Index().String().Values(names...),
		jen.Id("Rest"):           jen.Index().Float64().Values(rest...),
		jen.Id("Event"):          jen.Id(ng.plastic[r]),
		jen.Id("PerPresynaptic"): jen.Lit(pl.PerPresynaptic),
	}))
}
