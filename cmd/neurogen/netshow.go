package main

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/ir"
)

// showNetwork is show of a network spec: what the checker made of it (writeNetworkShow), or with
// -go the files gen would write for it.
func (r *showRunner) showNetwork(e *env, file string, src []byte) error {
	if err := r.validate(); err != nil {
		return err
	}
	if !r.goSource {
		for _, f := range []struct {
			name string
			on   bool
		}{{"-simd", r.simd}, {"-float32", r.float32}, {"-line", r.line}, {"-pkg", r.pkg != ""}} {
			if f.on {
				return usageErrorf("%s changes only the generated code: use it with -go", f.name)
			}
		}
	}
	net, err := check.LoadNetwork(file, src, check.NetworkOptions{Options: check.Options{Method: r.method}})
	if err != nil {
		printError(e, "show", err)
		return errReported{}
	}
	var out strings.Builder
	if r.goSource {
		pkg := r.pkg
		if pkg == "" {
			pkg = net.Name
		}
		files, err := codegen.GenerateNetwork(net, codegen.NetworkOptions{
			SpecName: filepath.ToSlash(file), Package: r.pkg, ImportPath: strings.ToLower(pkg), Group: r.codegenOptions()})
		if err != nil {
			return err
		}
		for _, name := range sortedKeys(files) {
			fmt.Fprintf(&out, "// file %s\n", name)
			out.Write(files[name])
		}
	} else if err := writeNetworkShow(&out, net, r.tables); err != nil {
		return err
	}
	_, err = io.WriteString(e.stdout, out.String())
	return err
}

// writeNetworkShow writes, for a person to read, what the checker made of a network spec: its
// groups, their initial values and receptors, its projections (rule, an estimate of the synapse
// count, weight, delay, plasticity, seed) and its inputs; with tables, each model's rate tables.
func writeNetworkShow(w io.Writer, n *ir.Network, tables *codegen.Tables) error {
	fmt.Fprintf(w, "Network %s, from %s: time step %s ms, seed %d (of every draw that gives none of its own)\n",
		n.Name, n.SpecFile, showNum(n.DT), n.Seed)
	if doc := strings.TrimSpace(n.Doc); doc != "" {
		fmt.Fprintf(w, "\n%s\n", showWrap(oneLine(doc), 96, ""))
	}

	showHeading(w, "Groups")
	rows := [][]string{{"group", "neurons", "model", "method", "spec"}}
	var models []*ir.Model
	groupsOf := map[*ir.Model][]string{}
	total := 0
	for _, g := range n.Groups {
		rows = append(rows, []string{g.Name, strconv.Itoa(g.N), g.Model.Name, g.Model.Method.String(), g.Model.SpecFile})
		if groupsOf[g.Model] == nil {
			models = append(models, g.Model)
		}
		groupsOf[g.Model] = append(groupsOf[g.Model], g.Name)
		total += g.N
	}
	showTable(w, indentRows(rows))
	fmt.Fprintf(w, "  %d neurons in %s\n", total, plural(len(n.Groups), "group"))

	showHeading(w, "Initial values (the states not named start as their model says: V at V_init, gates at their steady state)")
	rows = [][]string{{"state", "value", "stream"}}
	for _, g := range n.Groups {
		for _, in := range g.Init {
			v, stream := codegen.DescribeDist(in.Value, stateUnit(in.State)), fmt.Sprintf("%#x", in.Stream)
			if g.OwnSeed {
				stream = fmt.Sprintf("%#x (seed %d)", in.Stream, g.Seed)
			}
			if in.File != "" {
				v, stream = "from "+in.File+" (in "+stateUnit(in.State)+")", "–"
			} else if in.Value.Kind == ir.Constant {
				stream = "–"
			}
			rows = append(rows, []string{g.Name + "." + in.State.Name, v, stream})
		}
	}
	if len(rows) == 1 {
		fmt.Fprintln(w, "  none")
	} else {
		showTable(w, indentRows(rows))
	}

	showHeading(w, "Receptors (what an event of weight w does, and the current)")
	rows = [][]string{{"groups", "receptor", "event", "w in", "current", "stock"}}
	for _, m := range models {
		for _, rc := range m.Receptors {
			stock := rc.Stock
			if stock == "" {
				stock = "–"
			}
			rows = append(rows, []string{strings.Join(groupsOf[m], ", "), rc.Name, oneLine(rc.EventText), rc.WeightUnit, oneLine(rc.Text), stock})
		}
	}
	if len(rows) == 1 {
		fmt.Fprintln(w, "  none")
	} else {
		showTable(w, indentRows(rows))
	}

	showHeading(w, "Projections (synapses: the expected count of a random rule)")
	if len(n.Projections) == 0 {
		fmt.Fprintln(w, "  none")
	}
	sum, exact := 0.0, true
	for _, p := range n.Projections {
		syn, ok := synapseEstimate(p)
		count := "as the file gives"
		if ok {
			sum += syn
			count = showCount(syn)
			if p.Rule == ir.FixedProbability {
				count = "≈ " + count
			}
		} else {
			exact = false
		}
		delay := fmt.Sprintf("%d steps (%s ms)", p.DelaySteps, showNum(float64(p.DelaySteps)*n.DT))
		switch {
		case p.Delay.Kind != ir.Constant:
			delay = codegen.DescribeDist(p.Delay, "ms") + " per synapse, rounded to whole steps"
		case p.Rule == ir.FromFile && p.Delay.Text == "":
			delay = "the file's delay column, if any, else 0 steps"
		}
		weight := codegen.DescribeDist(p.Weight, p.Target.WeightUnit)
		if p.Weight.Text == "" {
			weight = "the file's weight column"
		}
		if p.Weight.Kind != ir.Constant {
			weight += ", per synapse as " + map[bool]string{false: "float64", true: "float32"}[p.Float32]
		}
		seed := "the network's"
		if p.OwnSeed {
			seed = strconv.FormatUint(p.Seed, 10)
		}
		fmt.Fprintf(w, "  %s: %s → %s.%s (%s)\n", p.Name, p.Pre.Name, p.Post.Name, p.Receptor, oneLine(p.Target.EventText))
		lines := [][]string{
			{"rule", codegen.DescribeRule(p)},
			{"synapses", count},
			{"weight", weight},
			{"delay", delay},
		}
		if pl := p.Plasticity; pl != nil {
			per := "connection"
			if pl.PerPresynaptic {
				per = "presynaptic neuron"
			}
			if r := pl.Rule; r != nil {
				lines = append(lines, plasticRuleLines(r, per)...)
			} else {
				lines = append(lines, []string{"plasticity", fmt.Sprintf("Tsodyks–Markram, U %s, tau_rec %s ms, tau_facil %s ms, a state per %s", showNum(pl.U), showNum(pl.TauRec), showNum(pl.TauFacil), per)})
			}
		}
		lines = append(lines, []string{"seed", fmt.Sprintf("%s, stream %#x", seed, p.Stream)})
		for _, l := range lines { // one width for every projection's labels
			fmt.Fprintf(w, "    %-10s  %s\n", l[0], l[1])
		}
	}
	if len(n.Projections) > 0 {
		prefix := ""
		if !exact {
			prefix = ", besides those of files"
		}
		fmt.Fprintf(w, "  %s synapses in all%s\n", showCount(sum), prefix)
	}

	showHeading(w, "Inputs")
	if len(n.Inputs) == 0 {
		fmt.Fprintln(w, "  none")
	}
	for _, in := range n.Inputs {
		seed := ""
		if in.Kind == ir.Poisson || in.Kind == ir.OU {
			seed = "; seed the network's"
			if in.OwnSeed {
				seed = "; seed " + strconv.FormatUint(in.Seed, 10)
			}
			seed += fmt.Sprintf(", stream %#x", in.Stream)
		}
		fmt.Fprintf(w, "  %s: %s%s\n", in.Name, codegen.DescribeInput(in), seed)
	}

	if tables != nil {
		showHeading(w, "Rate tables (-tables)")
		for _, m := range models {
			plan, err := codegen.PlanTables(m, *tables)
			if err != nil {
				return err
			}
			fmt.Fprintf(w, "  %s: %s\n", m.Name, plan.Report())
		}
	}
	return nil
}

// synapseEstimate returns the number of synapses of a projection (the expected number for a
// fixed probability), and false for connections from a file.
func synapseEstimate(p *ir.Projection) (float64, bool) {
	pre, post := float64(p.Pre.N), float64(p.Post.N)
	noSelf := p.Pre == p.Post && !p.Self
	switch p.Rule {
	case ir.AllToAll:
		if noSelf {
			return pre * (post - 1), true
		}
		return pre * post, true
	case ir.FixedProbability:
		if noSelf {
			return p.P * pre * (post - 1), true
		}
		return p.P * pre * post, true
	case ir.FixedInDegree:
		return float64(p.K) * post, true
	case ir.OneToOne:
		return pre, true
	case ir.FromFile:
		return 0, false // the file is read when the network is built, not by show
	}
	panic(fmt.Sprintf("unknown connection rule %v", p.Rule))
}

// showCount writes a synapse count: whole numbers as they are, others to 4 significant digits.
func showCount(x float64) string {
	if x == math.Trunc(x) && x < 1e15 {
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}

// indentRows indents the first column of rows by two spaces, as show's tables are.
func indentRows(rows [][]string) [][]string {
	for _, r := range rows {
		r[0] = "  " + r[0]
	}
	return rows
}

// stateUnit is a state's internal unit, "1" for none.
func stateUnit(st *ir.State) string {
	if st.Unit != "" {
		return st.Unit
	}
	return "1"
}

// plasticRuleLines describes plasticity written as expressions, a state per per: its
// parameters, each state (its value at rest and its relaxation), the weight and the updates.
func plasticRuleLines(r *ir.PlasticRule, per string) [][]string {
	head := "expressions, a state per " + per
	var params []string
	for _, p := range r.Params {
		params = append(params, p.Name+" "+p.Text)
	}
	if len(params) > 0 {
		head += "; " + strings.Join(params, ", ")
	}
	lines := [][]string{{"plasticity", head}}
	for _, st := range r.States {
		unit := ""
		if st.Unit != "1" {
			unit = " " + st.Unit
		}
		text := fmt.Sprintf("%s%s at rest", showNum(st.Init), unit)
		switch {
		case st.Deriv:
			text += ", d/dt = " + oneLine(st.RelaxText) + " (solved exactly)"
		case st.Relax != nil:
			text += ", relaxes to " + oneLine(st.RelaxText)
		default:
			text += ", held between events"
		}
		lines = append(lines, []string{"  " + st.Name, text})
	}
	lines = append(lines, []string{"  weight", r.Weight})
	var ups []string
	for _, u := range r.Updates {
		ups = append(ups, oneLine(u.Text))
	}
	if len(ups) > 0 {
		lines = append(lines, []string{"  update", strings.Join(ups, "; ")})
	}
	return lines
}
