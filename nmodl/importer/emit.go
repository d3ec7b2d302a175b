package importer

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/neurogen/neurogen/nmodl"
)

type gate struct {
	key              string // the state's NMODL name
	name             string
	form             string // "inf/tau", "alpha/beta", "kinetic"
	a, b, phi, deriv *ex
}

// factor splits x into P * rest where rest uses s and P does not (P nil when there is none).
func factor(x *ex, s string) (p, rest *ex) {
	if x.op == "*" {
		l, r := x.args[0], x.args[1]
		if !l.uses(s) {
			p2, r2 := factor(r, s)
			if p2 == nil {
				return l, r2
			}
			return bin("*", l, p2), r2
		}
		if !r.uses(s) {
			p2, r2 := factor(l, s)
			if p2 == nil {
				return r, r2
			}
			return bin("*", p2, r), r2
		}
	}
	return nil, x
}

// linear matches x*b or b*x, with b free of x.
func times(x *ex, s string) *ex {
	if x.op != "*" {
		return nil
	}
	l, r := x.args[0], x.args[1]
	if l.isName(s) && !r.uses(s) {
		return r
	}
	if r.isName(s) && !l.uses(s) {
		return l
	}
	return nil
}

// classify finds the gate form of s' = d.
func classify(s string, d *ex) gate {
	g := gate{name: s, form: "kinetic", deriv: d}
	// P * (inf - s) / tau
	if d.op == "/" && !d.args[1].uses(s) {
		p, rest := factor(d.args[0], s)
		if rest.op == "-" && rest.args[1].isName(s) && !rest.args[0].uses(s) {
			return gate{name: s, form: "inf/tau", a: rest.args[0], b: d.args[1], phi: p}
		}
	}
	// P * ((inf - s) / tau)
	if p, rest := factor(d, s); rest.op == "/" && !rest.args[1].uses(s) {
		n := rest.args[0]
		if n.op == "-" && n.args[1].isName(s) && !n.args[0].uses(s) {
			return gate{name: s, form: "inf/tau", a: n.args[0], b: rest.args[1], phi: p}
		}
	}
	// a*(1 - s) - s*b
	if d.op == "-" {
		l, r := d.args[0], d.args[1]
		beta := times(r, s)
		var alpha *ex
		if l.op == "*" {
			for i, o := range l.args {
				if o.op == "-" && o.args[0].isNum(1) && o.args[1].isName(s) && !l.args[1-i].uses(s) {
					alpha = l.args[1-i]
				}
			}
		}
		if alpha != nil && beta != nil {
			return gate{name: s, form: "alpha/beta", a: alpha, b: beta}
		}
	}
	return g
}

func quote(s string) string { return strconv.Quote(s) }

func (im *importer) emit() *Result {
	gates := map[string]gate{}
	for _, s := range im.states {
		g := classify(im.sname[s], im.derivs[s])
		g.key = s
		if g.form == "kinetic" && im.steady != nil {
			im.refuse(im.steady.Pos(), "SOLVE %s STEADYSTATE in INITIAL is not imported: set the states of kinetic gates in INITIAL", im.steady.Name.Name)
		}
		if g.form == "kinetic" && im.inits[s] == nil {
			im.note("%s: %s starts at 0: INITIAL does not set it", im.derivPos[s], s)
		}
		if init := im.inits[s]; init != nil && g.form != "kinetic" {
			steady := g.a
			if g.form == "alpha/beta" {
				steady = bin("/", g.a, bin("+", g.a, g.b))
			}
			if !equal(init, steady) {
				im.note("%s: INITIAL sets %s otherwise than to its steady state; neurogen starts it at its steady state", im.init.Pos(), s)
			}
		}
		gates[s] = g
		im.note("%s: %s' = ...: gate %s, %s", im.derivPos[s], s, s, g.form)
	}
	doc := im.doc()
	res := &Result{}
	for _, w := range im.writes {
		cur, ok := im.frames[0][w]
		if !ok || cur == nil {
			im.refuse(im.bp.Pos(), "current %s is not assigned in BREAKPOINT", w)
			continue
		}
		chName := im.suffix
		if len(im.writes) > 1 {
			chName = im.suffix + "_" + w
		}
		used := map[string]bool{}
		cur.names(used)
		var gs []gate
		for done := map[string]bool{}; ; {
			n := len(done)
			for _, s := range im.states {
				if used[im.sname[s]] && !done[s] {
					done[s] = true
					g := gates[s]
					for _, x := range []*ex{g.a, g.b, g.phi, g.deriv, im.inits[s]} {
						if x != nil {
							x.names(used)
						}
					}
				}
			}
			if len(done) == n {
				break
			}
		}
		for _, s := range im.states {
			if used[im.sname[s]] {
				gs = append(gs, gates[s])
			}
		}
		var b strings.Builder
		fmt.Fprintf(&b, "neurogen: 1\nchannel: %s\ndoc: |\n", chName)
		for _, l := range strings.Split(doc, "\n") {
			if strings.TrimSpace(l) == "" {
				b.WriteString("\n")
			} else {
				b.WriteString("  " + l + "\n")
			}
		}
		if ion, ok := im.ions[w]; ok {
			fmt.Fprintf(&b, "ion: %s\n", ionName(ion))
		}
		for _, p := range im.params {
			if !used[p.name] {
				continue
			}
			v := strconv.FormatFloat(p.value, 'g', -1, 64)
			if p.unit != "" {
				v += " " + p.unit
			}
			fmt.Fprintf(&b, "%s: {value: %s", p.name, v)
			if p.doc != "" {
				fmt.Fprintf(&b, ", doc: %s", quote(p.doc))
			}
			b.WriteString("}\n")
		}
		fmt.Fprintf(&b, "# %s (mA/cm2, outward positive), turned inward positive\n", w)
		fmt.Fprintf(&b, "current: %s\n", quote((&ex{op: "neg", args: []*ex{bin("*", cur, raw("(mA/cm2)"))}}).String()))
		if len(gs) > 0 {
			b.WriteString("gates:\n")
		}
		for _, g := range gs {
			fmt.Fprintf(&b, "  %s:\n", g.name)
			switch g.form {
			case "inf/tau":
				fmt.Fprintf(&b, "    inf: %s\n    tau: %s\n", quote(g.a.String()), quote(bin("*", g.b, raw("ms")).String()))
			case "alpha/beta":
				fmt.Fprintf(&b, "    alpha: %s\n    beta: %s\n", quote(bin("/", g.a, raw("ms")).String()), quote(bin("/", g.b, raw("ms")).String()))
			case "kinetic":
				init := im.inits[g.key]
				if init == nil {
					init = num(0)
				}
				fmt.Fprintf(&b, "    deriv: %s\n    init: %s\n", quote(bin("/", g.deriv, raw("ms")).String()), quote(init.String()))
			}
			if g.phi != nil {
				fmt.Fprintf(&b, "    phi: %s\n", quote(g.phi.String()))
			}
		}
		res.Channels = append(res.Channels, Channel{Name: chName, YAML: []byte(b.String())})
	}
	res.Notes = im.notes
	return res
}

func (im *importer) doc() string {
	var parts []string
	for _, b := range im.file.Blocks {
		switch b := b.(type) {
		case *nmodl.Title:
			parts = append(parts, strings.TrimSpace(b.Text))
		case *nmodl.CommentBlock:
			parts = append(parts, strings.TrimSpace(b.Text))
		}
	}
	parts = append(parts, fmt.Sprintf("Imported from %s by neurogen (NEURON's outward-positive currents in mA/cm2 turned inward positive).", filepath.Base(im.file.Name)))
	return strings.Join(parts, "\n\n")
}
