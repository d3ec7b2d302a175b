package check

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/spec"
	"github.com/neurogen/neurogen/symbolic"
	"github.com/neurogen/neurogen/units"
)

// ionInfo is an ion during a check.
type ionInfo struct {
	spec   *spec.Ion
	ion    *ir.Ion
	sc     *scope // the scope of its dynamics: its parameters and I_NAME
	ci     *symbol
	params map[string]*symbol // its parameters, by name
}

// Built-in ion dynamics and their parameters, with BrainPy's defaults. In both, the current
// density I (inward positive, as every current in neurogen) raises the inner concentration:
//
//	first_order: dC_i/dt = max(alpha·I, 0) − beta·C_i                      (BrainPy's CalciumFirstOrder)
//	detailed:    dC_i/dt = max(I/(z·F·d), 0) + (C_rest − C_i)/tau         (CalciumDetailed)
//
// BrainPy computes the influx as max(−alpha·I, 0) and max(−I/(2Fd), 0) with I inward positive,
// which makes the influx zero whenever the calcium current flows inward; neurogen takes the
// sign that makes an inward current raise [Ca]i.
var ionDynamics = map[ir.IonDynamics][]struct{ name, value, doc string }{
	ir.Fixed: nil,
	ir.FirstOrder: {
		{"alpha", "0.13 mM*cm2/(uA*ms)", "concentration change per unit of inward current density"},
		{"beta", "0.075 /ms", "decay rate of the concentration"},
	},
	ir.Detailed: {
		{"d", "1 um", "depth of the submembrane shell"},
		{"tau", "5 ms", "time constant of removal by pumps"},
		{"C_rest", "2.4e-4 mM", "resting inner concentration"},
	},
}

// ionDefaults are the valences and concentrations of the common ions (BrainPy's for calcium).
var ionDefaults = map[string]struct {
	z      int
	ci, co string
}{
	"Ca": {2, "2.4e-4 mM", "2 mM"},
	"Na": {1, "", ""},
	"K":  {1, "", ""},
	"Cl": {-1, "", ""},
	"Mg": {2, "", ""},
}

// declareIons declares every ion's names: E_X, X_i, X_o.
func (c *checker) declareIons() {
	c.ionByName = map[string]*ionInfo{}
	for _, si := range c.spec.Ions {
		if si.Use != nil {
			si = c.useIon(si)
		}
		name := si.Name.Value
		info := &ionInfo{spec: si, ion: &ir.Ion{Name: name, Doc: si.Doc, Dynamics: ir.Fixed}, params: map[string]*symbol{}}
		info.sc = &scope{parent: c.group, syms: map[string]*symbol{}, ion: name}
		c.ions = append(c.ions, info)
		c.ionByName[name] = info
		c.m.Ions = append(c.m.Ions, info.ion)
		def := ionDefaults[name]

		info.ion.Valence = def.z
		if si.Valence != nil {
			z, err := strconv.Atoi(si.Valence.Value)
			if err != nil || z == 0 || z < -4 || z > 4 {
				c.errorf(si.Valence.Pos, spec.OutOfRange, "ion `%s`: `valence` must be a nonzero integer from -4 to 4, got %s", name, si.Valence.Value)
			} else {
				info.ion.Valence = z
			}
		}

		// Concentrations: parameters NAME.C_i and NAME.C_o.
		conc := func(sc *spec.Scalar, field, dflt, doc string) *symbol {
			val := spec.Scalar{Value: dflt, Pos: si.Name.Pos}
			if sc != nil {
				val = *sc
			}
			if val.Value == "" {
				return nil
			}
			return c.ionParam(info, spec.Scalar{Value: field, Pos: val.Pos}, val, doc, &units.Concentration)
		}
		ci := conc(si.Ci, "C_i", def.ci, "inner concentration (initial value, when it has dynamics)")
		co := conc(si.Co, "C_o", def.co, "outer concentration")

		// Dynamics.
		kind := ir.Fixed
		if si.Dynamics != nil {
			var ok bool
			if kind, ok = ir.ParseIonDynamics(strings.TrimSpace(si.Dynamics.Src)); !ok {
				kind = ir.Custom
			}
		}
		info.ion.Dynamics = kind
		// A concentration whose value had an error (reported) is declared bad, so that its uses
		// and what needs it report nothing more.
		ciBad := ci == nil && (si.Ci != nil || si.Bad)
		if ci == nil && kind != ir.Fixed && !ciBad {
			c.errorf(si.Name.Pos, spec.MissingField, "ion `%s`: its %s dynamics need an initial inner concentration `C_i`", name, kind)
		}
		switch {
		case ciBad:
			info.ci = &symbol{name: name + "_i", kind: symParam, dim: units.Concentration, pos: si.Name.Pos, bad: true,
				what: "the inner concentration of ion `" + name + "`"}
		case ci == nil:
		case kind == ir.Fixed:
			info.ci = &symbol{name: name + "_i", kind: symParam, dim: units.Concentration, pos: ci.pos, local: ci.local,
				param: ci.param, what: "the inner concentration of ion `" + name + "`"}
		default:
			st := &ir.State{
				Name:  name + "_i",
				Local: c.locals.Name(name + "_i"),
				Unit:  units.Concentration.String(),
				Kind:  ir.Concentration,
				Doc:   "inner concentration of ion " + name,
				Init:  symbolic.Var(ci.local),
				Floor: ir.ConcentrationFloor,
				Ion:   info.ion,
			}
			info.ion.State = st
			c.m.States = append(c.m.States, st)
			info.ci = &symbol{name: name + "_i", kind: symState, dim: units.Concentration, pos: ci.pos, local: st.Local,
				state: st, what: "the inner concentration of ion `" + name + "`"}
		}
		if info.ci != nil {
			c.declare(c.group, info.ci)
		}
		switch {
		case co != nil:
			c.declare(c.group, &symbol{name: name + "_o", kind: symParam, dim: units.Concentration, pos: co.pos, local: co.local,
				param: co.param, what: "the outer concentration of ion `" + name + "`"})
		case si.Co != nil || si.Bad:
			c.declare(c.group, &symbol{name: name + "_o", kind: symParam, dim: units.Concentration, pos: si.Name.Pos, bad: true,
				what: "the outer concentration of ion `" + name + "`"})
		}

		// Parameters of the dynamics: the built-in ones' defaults, overridden by the spec's.
		given := map[string]*spec.Param{}
		for _, p := range si.Params {
			given[p.Name.Value] = p
		}
		if builtin := info.ion.Dynamics; builtin != ir.Custom {
			var names []string
			for _, d := range ionDynamics[builtin] {
				names = append(names, d.name)
			}
			for _, p := range si.Params {
				if !slices.Contains(names, p.Name.Value) {
					hint := "they have none"
					if len(names) > 0 {
						hint = "theirs are " + strings.Join(names, ", ")
					}
					c.errorf(p.Name.Pos, spec.UnknownField, "ion `%s`: `%s` is not a parameter of %s dynamics (%s)%s", name, p.Name.Value, builtin, hint,
						c.didYouMean(p.Name.Value, names))
				}
			}
			for _, d := range ionDynamics[builtin] {
				val, pos, doc := spec.Scalar{Value: d.value, Pos: si.Name.Pos}, si.Name.Pos, d.doc
				if p, ok := given[d.name]; ok {
					if p.Bad {
						c.badIonParam(info, p)
						continue
					}
					val, pos = p.Value, p.Name.Pos
				}
				q, err := units.ParseQuantity(d.value)
				if err != nil {
					panic("check: bad default " + d.value)
				}
				dim := q.Unit.Dim
				sym := c.ionParam(info, spec.Scalar{Value: d.name, Pos: pos}, val, doc, &dim)
				if sym != nil && builtin == ir.Detailed && (d.name == "d" || d.name == "tau") {
					// Divisors of the detailed dynamics: zero is a pole, a negative value a
					// concentration that runs away.
					sym.param.Positive = true
					if !(sym.param.Default > 0) {
						c.errorf(val.Pos, spec.OutOfRange, "parameter `%s` must be positive, got %s", sym.param.Name, val.Value)
					}
				}
			}
		} else {
			for _, p := range si.Params {
				if p.Bad {
					c.badIonParam(info, p)
					continue
				}
				c.ionParam(info, p.Name, p.Value, p.Doc, nil)
			}
		}

		// The reversal potential: fixed, or by Nernst.
		badE := func() {
			c.declare(c.group, &symbol{name: "E_" + name, kind: symParam, dim: units.Voltage, pos: si.Name.Pos, bad: true,
				what: "the reversal potential of ion `" + name + "`"})
		}
		if si.E == nil {
			if si.Bad {
				badE() // it may be the field with the error
			}
			continue
		}
		if strings.TrimSpace(si.E.Value) == "nernst" {
			c.nernst(info, si.E.Pos)
			continue
		}
		e := c.ionParam(info, spec.Scalar{Value: "E", Pos: si.E.Pos}, *si.E, "reversal potential", &units.Voltage)
		if e != nil {
			c.declare(c.group, &symbol{name: "E_" + name, kind: symParam, dim: units.Voltage, pos: e.pos, local: e.local,
				param: e.param, what: "the reversal potential of ion `" + name + "`"})
		} else {
			badE()
		}
	}
}

// useIon returns the ion that a `use: FILE.yaml` stands for: the file's ion (relative to the
// spec's directory, as `neurogen import` writes a calcium pool), under the spec's ion name,
// with the spec's values (valence, E, C_i, C_o, parameters) and doc in place of the file's.
// After an error (a file that does not load or is of another ion, `dynamics` beside `use:`,
// a parameter the file does not have), the ion is bad: its names are declared, and what
// depends on them is not checked.
func (c *checker) useIon(si *spec.Ion) *spec.Ion {
	bad := &spec.Ion{Name: si.Name, Bad: true}
	file := si.Use.Value
	if !filepath.IsAbs(file) {
		file = filepath.Join(filepath.Dir(si.Use.Pos.Position().File), file)
	}
	src, err := os.ReadFile(file)
	if err != nil {
		c.errorf(si.Use.Pos, spec.StockUse, "ion file: %v", err)
		return bad
	}
	li, err := spec.LoadIon(file, src)
	if err != nil {
		c.errorf(si.Use.Pos, spec.StockUse, "ion file %s: %v", si.Use.Value, err)
		return bad
	}
	if f := li.Ion.Name.Value; f != si.Name.Value {
		c.errorf(si.Use.Pos, spec.StockUse, "ion file %s is of ion `%s`, not `%s`", si.Use.Value, f, si.Name.Value)
		return bad
	}
	if si.Dynamics != nil {
		c.errorf(si.Dynamics.Pos, spec.StockUse, "ion `%s` uses %s, which gives its dynamics: beside `use:` it takes values (valence, E, C_i, C_o, parameters) and doc, not `dynamics`",
			si.Name.Value, si.Use.Value)
		return bad
	}
	m := *li.Ion
	m.Name, m.Use = si.Name, si.Use
	if strings.TrimSpace(si.Doc) != "" {
		m.Doc = si.Doc
	}
	for _, f := range []struct{ spec, file **spec.Scalar }{{&si.Valence, &m.Valence}, {&si.E, &m.E}, {&si.Ci, &m.Ci}, {&si.Co, &m.Co}} {
		if *f.spec != nil {
			*f.file = *f.spec
		}
	}
	var ok bool
	m.Params, ok = c.overrideParams(li.Ion.Params, si.Params, "ion", si.Use.Value, true)
	m.Bad = m.Bad || si.Bad || !ok
	return &m
}

// badIonParam declares a parameter of an ion whose value had an error that the loader
// reported: its uses report nothing more.
func (c *checker) badIonParam(info *ionInfo, p *spec.Param) {
	sym := &symbol{name: p.Name.Value, kind: symParam, pos: p.Name.Pos, bad: true, what: "a parameter of ion `" + info.ion.Name + "`"}
	if c.declare(info.sc, sym) {
		info.params[p.Name.Value] = sym
	}
}

// ionParam declares a parameter NAME.field of an ion (visible in its dynamics as field) and
// returns its symbol, or nil after an error.
func (c *checker) ionParam(info *ionInfo, name, value spec.Scalar, doc string, want *units.Dim) *symbol {
	ion := info.ion.Name
	full := ion + "." + name.Value
	what := "parameter `" + full + "`"
	q, ok := c.quantity(value, what, want)
	if !ok {
		return nil
	}
	if units.IsCelsius(q.Unit.Name) {
		c.errorf(value.Pos, spec.AffineUnit, "%s: a temperature in degC is only for the group's `T`", what)
	}
	p := &ir.Param{Name: full, Local: c.locals.Name(ion + "_" + name.Value),
		Unit: q.Unit.Dim.String(), Dim: q.Unit.Dim, Default: q.Value, Doc: doc, Text: value.Value}
	c.m.Params = append(c.m.Params, p)
	sym := &symbol{name: name.Value, kind: symParam, dim: q.Unit.Dim, pos: name.Pos, local: p.Local, param: p,
		what: "a parameter of ion `" + ion + "`"}
	if c.declare(info.sc, sym) {
		info.params[name.Value] = sym
	}
	return sym
}

// nernst defines E_X = R·T/(z·F)·ln(X_o/X_i) at the group's temperature T.
func (c *checker) nernst(info *ionInfo, pos spec.Pos) {
	name := info.ion.Name
	T := c.group.syms["T"]
	co := c.group.syms[name+"_o"]
	// After an error, E_X is declared bad: its uses report nothing more.
	bad := func() {
		c.declare(c.group, &symbol{name: "E_" + name, kind: symDef, dim: units.Voltage, pos: pos, bad: true,
			what: "the reversal potential of ion `" + name + "` (Nernst)"})
	}
	switch {
	case T != nil && T.bad, info.ci != nil && info.ci.bad, co != nil && co.bad:
		bad() // reported where they are declared
		return
	case T == nil || T.kind != symParam:
		c.errorf(pos, spec.MissingField, "ion `%s`: `E: nernst` needs the temperature: declare `T` under `params:`, e.g. `T: 36 degC`", name)
		bad()
		return
	case T.dim != units.Temperature:
		c.errorf(pos, spec.WrongDimension, "ion `%s`: `E: nernst` needs the temperature `T` in K or degC, got %s", name, describe(T.dim))
		bad()
		return
	case info.ion.Valence == 0:
		if !info.spec.Bad && info.spec.Valence == nil { // else reported at the valence
			c.errorf(pos, spec.MissingField, "ion `%s`: `E: nernst` needs its `valence`", name)
		}
		bad()
		return
	case info.ci == nil || co == nil:
		if !info.spec.Bad {
			c.errorf(pos, spec.MissingField, "ion `%s`: `E: nernst` needs its concentrations `C_i` and `C_o`", name)
		}
		bad()
		return
	}
	info.ion.Nernst = true
	R, F := constants["gas_constant"].value, constants["faraday"].value
	// E = R·T/(z·F)·ln(C_o/C_i)
	e := symbolic.Mul(symbolic.Const(R/(float64(info.ion.Valence)*F)), symbolic.Var(T.local),
		symbolic.Call("log", symbolic.Div(symbolic.Var(co.local), symbolic.Var(info.ci.local))))
	df := &def{status: defDone, expr: e, dim: dimT{d: units.Voltage}, local: "E_" + name,
		comment: fmt.Sprintf("E_%s = R*T/(%d*F) * log(%s_o/%s_i): the Nernst potential", name, info.ion.Valence, name, name),
		refs:    map[*symbol]bool{T: true, co: true, info.ci: true}}
	sym := &symbol{name: "E_" + name, kind: symDef, dim: units.Voltage, pos: pos, def: df,
		what: "the reversal potential of ion `" + name + "` (Nernst)"}
	df.sym = sym
	if c.declare(c.group, sym) {
		c.defs = append(c.defs, df)
	}
}

// ionDynamics builds each ion's total current and the derivative of its inner concentration;
// it runs once every channel's current is known.
func (c *checker) ionDynamics() {
	for _, info := range c.ions {
		ion := info.ion
		var currents []*symbolic.Expr
		var carrierNames []string
		for _, ch := range c.m.Channels {
			if cur := c.localOf(&ch.Current); ch.Ion == ion.Name && cur != "" {
				currents = append(currents, symbolic.Var(cur))
				ion.Channels = append(ion.Channels, ch)
				carrierNames = append(carrierNames, ch.Name)
			}
		}
		st := ion.State
		if st == nil {
			continue // fixed: no current needed
		}
		total := symbolic.Add(currents...)
		carriers := strings.Join(carrierNames, " + ")
		if carriers == "" {
			carriers = "0 (no channel carries it)"
		}
		comment := fmt.Sprintf("total %s current (uA/cm2, inward positive) = %s", ion.Name, carriers)
		b := c.newBinding("I_"+ion.Name, total, nil, spec.Pos{}, comment)
		c.linkTo(&ion.Current, b.local)
		c.declare(info.sc, &symbol{name: "I_" + ion.Name, kind: symBinding, dim: units.CurrentDensity, local: b.local,
			what: "the total current of ion `" + ion.Name + "`"})
		I := symbolic.Var(b.local)
		x := symbolic.Var(st.Local)
		p := func(n string) *symbolic.Expr {
			if s := info.params[n]; s != nil {
				return symbolic.Var(s.local)
			}
			return nil
		}
		switch ion.Dynamics {
		case ir.Fixed:
			panic("check: an ion with fixed dynamics has a state")
		case ir.FirstOrder:
			alpha, beta := p("alpha"), p("beta")
			if alpha == nil || beta == nil {
				continue
			}
			// max(alpha·I, 0) − beta·C_i
			c.kinetic[st] = symbolic.Sub(symbolic.Call("max", symbolic.Mul(alpha, I), symbolic.Const(0)), symbolic.Mul(beta, x))
		case ir.Detailed:
			d, tau, rest := p("d"), p("tau"), p("C_rest")
			if d == nil || tau == nil || rest == nil {
				continue
			}
			F := constants["faraday"].value
			// max(I/(z·F·d), 0) + (C_rest − C_i)/tau
			influx := symbolic.Div(I, symbolic.Mul(symbolic.Const(float64(ion.Valence)*F), d))
			c.kinetic[st] = symbolic.Add(symbolic.Call("max", influx, symbolic.Const(0)), symbolic.Div(symbolic.Sub(rest, x), tau))
		case ir.Custom:
			text := info.spec.Dynamics
			r := c.expression(*text, info.sc, "the dynamics of ion `"+ion.Name+"`")
			if r.e == nil {
				continue
			}
			want := units.Concentration.Div(units.Time)
			if r.t.boolean || (!r.t.zero && r.t.d != want) {
				c.errorf(text.Pos, spec.WrongDimension, "the dynamics of ion `%s` (d%s_i/dt) must be %s, got %s", ion.Name, ion.Name, describeWant(want), r.t)
				continue
			}
			c.kinetic[st] = r.e
		}
	}
}
