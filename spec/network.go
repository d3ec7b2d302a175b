package spec

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"

	"github.com/goccy/go-yaml/ast"
)

// The fields of each kind of mapping of a network spec, in the order of the documentation
// (docs/networks.md).
var (
	networkFields     = []string{"neurogen", "network", "doc", "dt", "seed", "method", "groups", "projections", "inputs"}
	netGroupFields    = []string{"model", "n", "init", "seed", "doc"}
	projectionFields  = []string{"from", "to", "receptor", "connect", "weight", "weight_type", "delay", "delay_rounding", "plasticity", "self", "multapses", "seed", "doc"}
	plasticityFields  = []string{"model", "U", "tau_rec", "tau_facil", "per"}
	plasticRuleFields = []string{"per", "states", "weight", "update", "doc"}
	plasticStateField = []string{"init", "relax", "deriv", "unit", "doc"}
	connectRules      = []string{"all", "p", "in_degree", "one_to_one", "file"}
	inputFields       = []string{"to", "receptor", "weight", "poisson", "current", "current_file", "ou", "seed", "doc"}
	inputKinds        = []string{"poisson", "current", "current_file", "ou"}
	currentFileFields = []string{"file", "dt", "unit"}
	rateFileFields    = []string{"file", "unit"}
	ouFields          = []string{"mean", "sd", "tau"}
	initFileFields    = []string{"file"}
)

// Network is a network spec file: groups of neurons, each of a group spec and a size, the
// projections from a group's spikes to a receptor of a group, and the inputs that drive them.
// As in a Spec, values are kept as written, with their positions, for the checker (check.Network).
type Network struct {
	File    string // the file name used in positions
	SHA256  string // the SHA-256 of the file's bytes, in hex
	Version Scalar // `neurogen:` the format version
	Name    Scalar // `network:` the network's name
	Doc     string // `doc:`
	DocPos  Pos

	DT     *Scalar // `dt:` the time step, e.g. "0.1 ms"; nil when absent
	Seed   *Scalar // `seed:` the seed of every random draw that gives none of its own; nil when absent
	Method *Scalar // `method:` the integration method of every group, overriding their specs'

	Groups      []*NetGroup   // `groups:` in file order
	Projections []*Projection // `projections:` in file order
	Inputs      []*Input      // `inputs:` in file order

	// Incomplete says that LoadNetwork reported errors (see Spec.Incomplete).
	Incomplete bool

	start Pos
}

// Start returns the position of the start of the network's file (line 1, column 1).
func (n *Network) Start() Pos { return n.start }

// NetGroup is a group of neurons of one group spec: `NAME: {model: ..., n: ..., init: ...}`
// under `groups:`.
type NetGroup struct {
	Name Scalar
	Doc  string
	// Model is `model: PATH`, a group spec file by its path relative to the network's file;
	// Spec is `model: {...}`, a group spec written inline (its `neurogen:` may be left out).
	// One of them is set unless the loader reported an error (Bad).
	Model *Scalar
	Spec  *Spec
	N     *Scalar      // `n:` the number of neurons
	Init  []*InitValue // `init:` in file order
	Seed  *Scalar      // `seed:` the seed of the initial values' draws; nil for the network's
	// Bad says that the loader reported an error in `model` or `n`: the group's name is
	// declared, but what depends on the broken field is not checked.
	Bad bool
}

// InitValue is the initial value of one state of every neuron of a group, `STATE: VALUE` under
// `init:`: a value ("-60 mV", "0"), a distribution ("normal(-65 mV, 5 mV)", "uniform(0, 1)"),
// both in Value, or a file of one value per neuron, `STATE: {file: PATH}`, in File.
type InitValue struct {
	State Scalar // the state's name: "V", "Na.m", "E.g"
	Value *Scalar
	File  *Scalar
}

// Flag is a boolean field as written: its value and where.
type Flag struct {
	Value bool
	Pos   Pos
}

// Projection is `NAME: {...}` under `projections:`: the spikes of group From, through
// connections made by Connect, into receptor Receptor of each group of To.
type Projection struct {
	Name     Scalar
	Doc      string
	From     *Scalar  // the presynaptic group
	To       []Scalar // the postsynaptic groups: `to: exc` or `to: [exc, inh]`
	Receptor *Scalar  // the receptor of the postsynaptic groups that a spike reaches
	Connect  *Connect
	// Weight is a value or a distribution, in the unit of the receptor's weight; with
	// `connect: {file: ...}` it may be left out (the file's weight column).
	Weight *Scalar
	// WeightType is `weight_type: float32` or `float64` (the default): how weights drawn per
	// connection are stored.
	WeightType *Scalar
	Delay      *Scalar // a value or a distribution (a time); nil means 0 ms
	// DelayRounding is `delay_rounding: nearest`: a delay that is not a whole number of steps
	// is rounded to the nearest one rather than refused.
	DelayRounding *Scalar
	Self          *Flag   // `self:` connections from a neuron to itself, in a projection from a group to itself
	Multapses     *Flag   // `multapses:` more than one connection between one pair of neurons
	Seed          *Scalar // `seed:` the seed of the projection's random draws
	// Bad says that the loader reported an error in `from`, `to` or `receptor`.
	Bad bool

	// Plasticity is `plasticity:`, short-term plasticity of the connections, or nil.
	Plasticity *Plasticity
}

// Plasticity is a projection's `plasticity:`, with a state per connection (`per: connection`,
// the default) or per presynaptic neuron (`per: presynaptic`): the stock model, `{model:
// tsodyks_markram, U: 0.5, tau_rec: 800 ms, tau_facil: 0 ms}` (Tsodyks–Markram short-term
// plasticity), or, without `model`, a rule written as expressions: `states`, `weight`,
// `update` and parameters (every other key).
type Plasticity struct {
	Pos                 Pos     // of `plasticity:`
	Model               *Scalar // `tsodyks_markram`, the one stock model so far; nil for a rule
	U, TauRec, TauFacil *Scalar // TauFacil nil means 0 ms
	Per                 *Scalar // nil means connection

	// A rule (no `model`): its parameters in file order, `NAME: VALUE`; its states (`states:`,
	// at StatesPos, nil when absent or broken); `weight:`, what an event delivers; `update:`,
	// one assignment `STATE = EXPRESSION` per text, in order (a list, or one text of several
	// separated by `;`), at UpdatePos.
	Params    []*PlasticParam
	States    []*PlasticState
	StatesPos Pos
	Weight    *Text
	Update    []Text
	UpdatePos Pos
	Doc       string
	// Bad says that the loader reported an error in the rule.
	Bad bool
}

// PlasticParam is a parameter of a plasticity rule: `NAME: VALUE`, a value with its unit.
type PlasticParam struct {
	Name  Scalar
	Value *Scalar // nil after an error
}

// PlasticState is a state of a plasticity rule: `NAME: {init: EXPR, relax: EXPR}` (or `deriv:`
// in place of `relax:`), optionally with `unit:`.
type PlasticState struct {
	Name  Scalar
	Init  *Text   // its value at rest, an expression of the parameters
	Relax *Text   // its value Δ (`delta`) after the previous event, in closed form
	Deriv *Text   // or its derivative between events, affine in it
	Unit  *Scalar // its unit, or nil: the unit of init
	Doc   string
}

// Connect is a projection's `connect:` rule: one of `all: true`, `p: PROBABILITY`,
// `in_degree: K`, `one_to_one: true`, `file: PATH` (NPZ or CSV of pre, post[, weight, delay]).
type Connect struct {
	Pos  Pos    // of `connect:`
	Rule Scalar // the rule's key, at its position
	Arg  Scalar // its value as written: "true", "0.02", "80", "c.npz"
}

// Input is `NAME: {...}` under `inputs:`, one of four kinds: Poisson trains into a receptor
// (`poisson: RATE`, `receptor`, `weight`), a current given as a function of time (`current:
// step(...)`, `ramp(...)`, `piecewise(...)`), a current waveform from a file sampled at its own
// time step (`current_file:`), or Ornstein–Uhlenbeck noise (`ou:`).
type Input struct {
	Name     Scalar
	Doc      string
	To       []Scalar  // the groups it drives
	Receptor *Scalar   // for Poisson trains
	Weight   *Scalar   // for Poisson trains
	Poisson  *Scalar   // the rate of each neuron's train: a value or a distribution
	RateFile *RateFile // or `poisson: {file: PATH, unit: Hz}`: a rate per neuron from a file
	Current  *Scalar   // step(...), ramp(...) or piecewise(...)
	File     *CurrentFile
	OU       *OU
	Seed     *Scalar
	// Bad says that the loader reported an error in the input's kind or target.
	Bad bool
}

// CurrentFile is an input's `current_file: {file: PATH, dt: STEP, unit: UNIT}`: one value per
// time step of the file's own dt, the same for every neuron.
type CurrentFile struct {
	Pos  Pos
	File *Scalar
	DT   *Scalar
	Unit *Scalar // the unit of the file's values, such as "nA" or "uA/cm2"
}

// RateFile is a Poisson input's `poisson: {file: PATH, unit: UNIT}`: one rate per neuron, in
// that unit (a frequency).
type RateFile struct {
	Pos  Pos
	File *Scalar
	Unit *Scalar
}

// OU is an input's `ou: {mean: ..., sd: ..., tau: ...}`: an Ornstein–Uhlenbeck current of that
// stationary mean and standard deviation and that correlation time, independent per neuron.
type OU struct {
	Pos           Pos
	Mean, SD, Tau *Scalar
}

// IsNetwork reports whether src looks like a network spec rather than a group spec: a YAML
// mapping with a `network:` key at the top. It reports nothing; a file it cannot parse is not
// a network.
func IsNetwork(src []byte) bool {
	l := &loader{src: newSource("", src)}
	body, ok := l.document(src, "spec")
	if !ok {
		return false
	}
	for _, e := range l.entries(unwrap(body)) {
		if e.key == "network" {
			return true
		}
	}
	return false
}

// LoadNetwork reads the network spec in src; file names it in positions. It checks structure
// only, as Load does for a group spec, and reports every error at once as an ErrorList, sorted;
// it then returns what it could read, marked Incomplete (nil only when the YAML does not
// parse). An inline group spec is read as Load reads one, with positions in this file; a group
// spec given by path is not read here (check.LoadNetwork reads it).
func LoadNetwork(file string, src []byte) (*Network, error) {
	l := &loader{src: newSource(file, src)}
	body, ok := l.document(src, "network spec")
	if !ok {
		return nil, l.errs
	}
	n := l.network(body)
	sum := sha256.Sum256(src)
	n.SHA256 = hex.EncodeToString(sum[:])
	l.errs.Sort()
	n.Incomplete = len(l.errs) > 0
	return n, l.errs.Err()
}

// network reads the document body of a network spec.
func (l *loader) network(body ast.Node) *Network {
	top := l.src.start()
	n := &Network{File: l.src.file, start: top}
	if body = unwrap(body); !isNil(body) {
		switch body.(type) {
		case *ast.MappingNode, *ast.MappingValueNode, *ast.NullNode, *ast.AliasNode:
		default:
			l.errorf(l.pos(body), WrongType, "the network spec must be a mapping, got %s", kind(body))
			return n
		}
	}
	f := l.fields(body, networkFields, "")
	if e, ok := f["neurogen"]; !ok {
		l.errorf(top, MissingField, "missing `neurogen: %d` (the spec format version)", FormatVersion)
	} else if v := l.version(e); v != nil {
		n.Version = *v
	}
	if e, ok := f["network"]; !ok {
		l.errorf(top, MissingField, "missing `network` (the network's name, e.g. `network: COBAHH`)")
	} else if v, ok := l.str(e); ok {
		l.name(v.Value, v.Pos)
		n.Name = v
	}
	if e, ok := f["doc"]; ok {
		if v, ok := l.str(e); ok {
			n.Doc, n.DocPos = v.Value, v.Pos
		}
	}
	if e, ok := f["dt"]; ok {
		n.DT = l.value(e)
	}
	if e, ok := f["seed"]; ok {
		n.Seed = l.integer(e)
	}
	if e, ok := f["method"]; ok {
		if v, ok := l.str(e); ok {
			n.Method = &v
		}
	}
	if e, ok := f["groups"]; !ok {
		l.errorf(top, MissingField, "missing `groups` (the network's groups of neurons)")
	} else if l.mapping(e, "`groups`", true) {
		es := l.entries(e.val)
		if len(es) == 0 {
			l.errorf(e.pos, MissingValue, "`groups` is empty")
		}
		for _, g := range es {
			if g := l.netGroup(g); g != nil {
				n.Groups = append(n.Groups, g)
			}
		}
	}
	if e, ok := f["projections"]; ok && l.mapping(e, "`projections`", false) {
		for _, p := range l.entries(e.val) {
			if p := l.projection(p); p != nil {
				n.Projections = append(n.Projections, p)
			}
		}
	}
	if e, ok := f["inputs"]; ok && l.mapping(e, "`inputs`", false) {
		for _, in := range l.entries(e.val) {
			if in := l.input(in); in != nil {
				n.Inputs = append(n.Inputs, in)
			}
		}
	}
	return n
}

// netGroup reads a group of a network.
func (l *loader) netGroup(e entry) *NetGroup {
	ok := l.name(e.key, e.pos)
	if !l.mapping(e, fmt.Sprintf("group %s", code(e.key)), true) || !ok {
		if ok {
			return &NetGroup{Name: Scalar{Value: e.key, Pos: e.pos}, Bad: true}
		}
		return nil
	}
	g := &NetGroup{Name: Scalar{Value: e.key, Pos: e.pos}}
	ctx := fmt.Sprintf("group %s: ", code(e.key))
	f := l.fields(e.val, netGroupFields, ctx)
	if m, ok := f["model"]; !ok {
		l.errorf(e.pos, MissingField, "%smissing `model` (a group spec file, or a group spec written inline)", ctx)
		g.Bad = true
	} else {
		switch m.val.(type) {
		case *ast.MappingNode, *ast.MappingValueNode:
			n := len(l.errs)
			l.inline = true
			g.Spec = l.spec(m.val)
			l.inline = false
			g.Spec.Incomplete = len(l.errs) > n
		default:
			if v, ok := l.str(m); ok && strings.TrimSpace(v.Value) != "" {
				g.Model = &v
			} else {
				if ok {
					l.errorf(v.Pos, MissingValue, "%s`model` is empty", ctx)
				}
				g.Bad = true
			}
		}
	}
	if v, ok := f["seed"]; ok {
		g.Seed = l.integer(v)
	}
	if v, ok := f["n"]; !ok {
		l.errorf(e.pos, MissingField, "%smissing `n` (the number of neurons)", ctx)
		g.Bad = true
	} else if g.N = l.integer(v); g.N == nil {
		g.Bad = true
	}
	if d, ok := f["doc"]; ok {
		v, _ := l.str(d)
		g.Doc = v.Value
	}
	if in, ok := f["init"]; ok && l.mapping(in, ctx+"`init`", false) {
		for _, s := range l.entries(in.val) {
			iv := &InitValue{State: Scalar{Value: s.key, Pos: s.pos}}
			switch s.val.(type) {
			case *ast.MappingNode, *ast.MappingValueNode:
				ff := l.fields(s.val, initFileFields, fmt.Sprintf("%sinit %s: ", ctx, code(s.key)))
				fe, ok := ff["file"]
				if !ok {
					l.errorf(s.pos, MissingField, "%sinit %s: missing `file` (write a value, a distribution, or `{file: PATH}`)", ctx, code(s.key))
					continue
				}
				v, ok := l.str(fe)
				if !ok {
					continue
				}
				iv.File = &v
			default:
				if iv.Value = l.value(s); iv.Value == nil {
					continue
				}
			}
			g.Init = append(g.Init, iv)
		}
	}
	return g
}

// names reads a group name or a list of them (`to: exc`, `to: [exc, inh]`); ok is false after
// an error.
func (l *loader) names(e entry) ([]Scalar, bool) {
	if seq, isSeq := e.val.(*ast.SequenceNode); isSeq {
		if len(seq.Values) == 0 {
			l.errorf(l.pos(seq), MissingValue, "%s is an empty list", code(e.key))
			return nil, false
		}
		var out []Scalar
		ok := true
		for _, v := range seq.Values {
			sub := entry{key: e.key, pos: l.pos(v), val: unwrap(v)}
			s, good := l.str(sub)
			if good && l.name(s.Value, s.Pos) {
				out = append(out, s)
			} else {
				ok = false
			}
		}
		return out, ok
	}
	s, ok := l.str(e)
	if !ok || !l.name(s.Value, s.Pos) {
		return nil, false
	}
	return []Scalar{s}, true
}

// flag reads a boolean field with its position.
func (l *loader) flag(e entry) *Flag {
	if _, ok := e.val.(*ast.BoolNode); !ok {
		l.boolean(e) // reports it
		return nil
	}
	return &Flag{Value: l.boolean(e), Pos: l.pos(e.val)}
}

// projection reads a projection.
func (l *loader) projection(e entry) *Projection {
	ok := l.name(e.key, e.pos)
	if !l.mapping(e, fmt.Sprintf("projection %s", code(e.key)), true) || !ok {
		if ok {
			return &Projection{Name: Scalar{Value: e.key, Pos: e.pos}, Bad: true}
		}
		return nil
	}
	p := &Projection{Name: Scalar{Value: e.key, Pos: e.pos}}
	ctx := fmt.Sprintf("projection %s: ", code(e.key))
	f := l.fields(e.val, projectionFields, ctx)
	for _, req := range []struct{ key, what string }{
		{"from", "the presynaptic group"}, {"to", "the postsynaptic group or groups"},
		{"receptor", "the receptor of the postsynaptic group that a spike reaches"},
		{"connect", "the connection rule, e.g. `connect: {p: 0.02}`"}, {"weight", "the weight of a connection"},
	} {
		if req.key == "weight" && fromFile(f) {
			continue // the file's weight column
		}
		if _, ok := f[req.key]; !ok {
			l.errorf(e.pos, MissingField, "%smissing `%s` (%s)", ctx, req.key, req.what)
			p.Bad = true
		}
	}
	if v, ok := f["from"]; ok {
		if s, ok := l.str(v); ok && l.name(s.Value, s.Pos) {
			p.From = &s
		} else {
			p.Bad = true
		}
	}
	if v, ok := f["to"]; ok {
		var good bool
		if p.To, good = l.names(v); !good {
			p.Bad = true
		}
	}
	if v, ok := f["receptor"]; ok {
		if s, ok := l.str(v); ok && l.name(s.Value, s.Pos) {
			p.Receptor = &s
		} else {
			p.Bad = true
		}
	}
	if v, ok := f["connect"]; ok {
		p.Connect = l.connect(v, ctx)
	}
	if v, ok := f["weight"]; ok {
		p.Weight = l.value(v)
	}
	if v, ok := f["weight_type"]; ok {
		if s, ok := l.str(v); ok {
			p.WeightType = &s
		}
	}
	if v, ok := f["delay"]; ok {
		p.Delay = l.value(v)
	}
	if v, ok := f["delay_rounding"]; ok {
		if s, ok := l.str(v); ok {
			p.DelayRounding = &s
		}
	}
	if v, ok := f["plasticity"]; ok && l.mapping(v, ctx+"`plasticity`", true) && isRule(v.val) {
		p.Plasticity = l.plasticRule(v, ctx)
	} else if ok && p.Plasticity == nil && isMapping(v.val) {
		pl := &Plasticity{Pos: v.pos}
		ff := l.fields(v.val, plasticityFields, ctx+"plasticity: ")
		for _, req := range []struct {
			key  string
			dst  **Scalar
			what string
		}{
			{"model", &pl.Model, "the model, `tsodyks_markram`"}, {"U", &pl.U, "the utilisation increment, e.g. `U: 0.5`"},
			{"tau_rec", &pl.TauRec, "the recovery time constant, e.g. `tau_rec: 800 ms`"}, {"tau_facil", &pl.TauFacil, ""}, {"per", &pl.Per, ""},
		} {
			x, ok := ff[req.key]
			switch {
			case ok && (req.key == "model" || req.key == "per"):
				if sv, ok := l.str(x); ok {
					*req.dst = &sv
				}
			case ok:
				*req.dst = l.value(x)
			case req.what != "":
				l.errorf(v.pos, MissingField, "%splasticity: missing `%s` (%s)", ctx, req.key, req.what)
			}
		}
		p.Plasticity = pl
	}
	if v, ok := f["self"]; ok {
		p.Self = l.flag(v)
	}
	if v, ok := f["multapses"]; ok {
		p.Multapses = l.flag(v)
	}
	if v, ok := f["seed"]; ok {
		p.Seed = l.integer(v)
	}
	if d, ok := f["doc"]; ok {
		v, _ := l.str(d)
		p.Doc = v.Value
	}
	return p
}

// isMapping reports whether n is a mapping.
func isMapping(n ast.Node) bool {
	switch n.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return true
	}
	return false
}

// isRule reports whether the mapping of a `plasticity:` is a rule written as expressions: it
// has no `model` and has `states`, `weight` or `update` (without either, it is taken for the
// stock model whose `model` is missing).
func isRule(n ast.Node) bool {
	return !hasKey(n, "model") && (hasKey(n, "states") || hasKey(n, "weight") || hasKey(n, "update"))
}

// hasKey reports whether the mapping n has the key key.
func hasKey(n ast.Node, key string) bool {
	for _, mv := range mappingValues(n) {
		if k, ok := unwrap(mv.Key).(*ast.StringNode); ok && k.Value == key {
			return true
		}
	}
	return false
}

// plasticRule reads a projection's `plasticity:` without `model:`, a rule written as
// expressions; ctx prefixes messages.
func (l *loader) plasticRule(e entry, ctx string) *Plasticity {
	ctx += "plasticity: "
	pl := &Plasticity{Pos: e.pos}
	n := len(l.errs)
	es := l.entries(e.val)
	keys := l.paramKeys(strings.TrimSuffix(ctx, ": "), es, plasticRuleFields)
	for i, f := range es {
		switch keys[i] {
		case "":
		case "per":
			if sv, ok := l.str(f); ok {
				pl.Per = &sv
			}
		case "doc":
			v, _ := l.str(f)
			pl.Doc = v.Value
		case "weight":
			pl.Weight = l.expr(f)
		case "states":
			pl.StatesPos = f.pos
			if !l.mapping(f, "`"+f.key+"`", true) {
				continue
			}
			for _, se := range l.entries(f.val) {
				if st := l.plasticState(se, ctx); st != nil {
					pl.States = append(pl.States, st)
				}
			}
		case "update":
			pl.UpdatePos = f.pos
			if seq, ok := f.val.(*ast.SequenceNode); ok {
				for _, item := range seq.Values {
					if t := l.expr(entry{key: f.key, pos: l.pos(item), val: unwrap(item)}); t != nil {
						pl.Update = append(pl.Update, *t)
					}
				}
				continue
			}
			t := l.expr(f)
			if t == nil {
				continue
			}
			start := 0
			for _, part := range strings.SplitAfter(t.Src, ";") {
				lo := start
				start += len(part)
				if strings.TrimSpace(strings.TrimSuffix(part, ";")) == "" {
					continue
				}
				pl.Update = append(pl.Update, t.Slice(lo, lo+len(strings.TrimSuffix(part, ";"))))
			}
		default:
			if !l.name(f.key, f.pos) {
				continue
			}
			pl.Params = append(pl.Params, &PlasticParam{Name: Scalar{Value: f.key, Pos: f.pos}, Value: l.value(f)})
		}
	}
	for _, req := range []struct{ key, what string }{
		{"states", "its states, e.g. `states: {x: {init: 1, relax: 1 - (1 - x)*exp(-delta/tau_rec)}}`, or `model: tsodyks_markram`"},
		{"weight", "what an event delivers, e.g. `weight: w*u*x`"},
	} {
		if !slices.ContainsFunc(es, func(f entry) bool { return f.key == req.key }) && !slices.Contains(keys, req.key) {
			l.errorf(e.pos, MissingField, "%smissing `%s` (%s)", ctx, req.key, req.what)
		}
	}
	pl.Bad = len(l.errs) > n
	return pl
}

// plasticState reads a state of a plasticity rule: `NAME: {init: EXPR, relax: EXPR}`.
func (l *loader) plasticState(e entry, ctx string) *PlasticState {
	if !l.name(e.key, e.pos) || !l.mapping(e, fmt.Sprintf("%sstate %s", ctx, code(e.key)), true) {
		return nil
	}
	st := &PlasticState{Name: Scalar{Value: e.key, Pos: e.pos}}
	sctx := fmt.Sprintf("%sstate %s: ", ctx, code(e.key))
	f := l.fields(e.val, plasticStateField, sctx)
	if v, ok := f["init"]; ok {
		st.Init = l.expr(v)
	} else {
		l.errorf(e.pos, MissingField, "%smissing `init` (its value at rest, e.g. `init: 1`)", sctx)
	}
	if v, ok := f["relax"]; ok {
		st.Relax = l.expr(v)
	}
	if v, ok := f["deriv"]; ok {
		st.Deriv = l.expr(v)
		if _, both := f["relax"]; both {
			l.errorf(v.pos, ConflictingFields, "%sgive `relax` or `deriv`, not both", sctx)
		}
	}
	if v, ok := f["unit"]; ok {
		st.Unit = l.value(v)
	}
	if v, ok := f["doc"]; ok {
		d, _ := l.str(v)
		st.Doc = d.Value
	}
	return st
}

// fromFile reports whether the fields of a projection give `connect: {file: ...}`.
func fromFile(f map[string]entry) bool {
	c, ok := f["connect"]
	if !ok {
		return false
	}
	switch c.val.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
	default:
		return false
	}
	for _, mv := range mappingValues(c.val) {
		if k, ok := unwrap(mv.Key).(*ast.StringNode); ok && k.Value == "file" {
			return true
		}
	}
	return false
}

// mappingValues returns the key-value pairs of a mapping node.
func mappingValues(n ast.Node) []*ast.MappingValueNode {
	switch m := n.(type) {
	case *ast.MappingNode:
		return m.Values
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{m}
	}
	return nil
}

// connect reads a projection's `connect:`, a mapping of exactly one rule.
func (l *loader) connect(e entry, ctx string) *Connect {
	if !l.mapping(e, ctx+"`connect`", true) {
		return nil
	}
	f := l.fields(e.val, connectRules, ctx+"connect: ")
	var given []entry
	for _, r := range connectRules {
		if v, ok := f[r]; ok {
			given = append(given, v)
		}
	}
	switch len(given) {
	case 0:
		if len(f) == 0 && len(l.entries(e.val)) == 0 {
			l.errorf(e.pos, MissingValue, "%s`connect` is empty (give one of %s)", ctx, keyList(connectRules))
		}
		return nil
	case 1:
	default:
		slices.SortFunc(given, func(a, b entry) int { return a.pos.off - b.pos.off })
		l.errorf(given[1].pos, ConflictingFields, "%sconnect: give one rule, not both %s and %s", ctx, code(given[0].key), code(given[1].key))
		return nil
	}
	r := given[0]
	c := &Connect{Pos: e.pos, Rule: Scalar{Value: r.key, Pos: r.pos}}
	switch r.key {
	case "all", "one_to_one":
		fl := l.flag(r)
		if fl == nil {
			return nil
		}
		if !fl.Value {
			l.errorf(fl.Pos, OutOfRange, "%sconnect: `%s: false` connects nothing; write `%s: true`, or another rule", ctx, r.key, r.key)
			return nil
		}
		c.Arg = Scalar{Value: "true", Pos: fl.Pos}
	case "file":
		s, ok := l.str(r)
		if !ok {
			return nil
		}
		c.Arg = s
	default:
		v := l.value(r)
		if v == nil {
			return nil
		}
		c.Arg = *v
	}
	return c
}

// keyList formats keys for a message: "`a`, `b` or `c`".
func keyList(keys []string) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = code(k)
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

// input reads an input.
func (l *loader) input(e entry) *Input {
	ok := l.name(e.key, e.pos)
	if !l.mapping(e, fmt.Sprintf("input %s", code(e.key)), true) || !ok {
		if ok {
			return &Input{Name: Scalar{Value: e.key, Pos: e.pos}, Bad: true}
		}
		return nil
	}
	in := &Input{Name: Scalar{Value: e.key, Pos: e.pos}}
	ctx := fmt.Sprintf("input %s: ", code(e.key))
	f := l.fields(e.val, inputFields, ctx)
	if v, ok := f["to"]; !ok {
		l.errorf(e.pos, MissingField, "%smissing `to` (the group or groups it drives)", ctx)
		in.Bad = true
	} else {
		var good bool
		if in.To, good = l.names(v); !good {
			in.Bad = true
		}
	}
	var kinds []entry
	for _, k := range inputKinds {
		if v, ok := f[k]; ok {
			kinds = append(kinds, v)
		}
	}
	slices.SortFunc(kinds, func(a, b entry) int { return a.pos.off - b.pos.off })
	switch len(kinds) {
	case 0:
		l.errorf(e.pos, MissingField, "%sgive one of %s", ctx, keyList(inputKinds))
		in.Bad = true
	case 1:
	default:
		l.errorf(kinds[1].pos, ConflictingFields, "%sgive one kind of input, not both %s and %s", ctx, code(kinds[0].key), code(kinds[1].key))
		in.Bad = true
	}
	poisson := len(kinds) == 1 && kinds[0].key == "poisson"
	for _, k := range []string{"receptor", "weight"} {
		v, ok := f[k]
		switch {
		case poisson && !ok:
			l.errorf(e.pos, MissingField, "%smissing `%s` (Poisson trains reach a receptor with a weight)", ctx, k)
			in.Bad = true
		case !poisson && ok && len(kinds) == 1:
			l.errorf(v.pos, ConflictingFields, "%s`%s` is for Poisson trains; %s is a current into the membrane", ctx, k, code(kinds[0].key))
		}
	}
	if v, ok := f["receptor"]; ok {
		if s, ok := l.str(v); ok && l.name(s.Value, s.Pos) {
			in.Receptor = &s
		} else {
			in.Bad = true
		}
	}
	if v, ok := f["weight"]; ok {
		in.Weight = l.value(v)
	}
	if v, ok := f["poisson"]; ok {
		switch v.val.(type) {
		case *ast.MappingNode, *ast.MappingValueNode:
			rf := &RateFile{Pos: v.pos}
			ff := l.fields(v.val, rateFileFields, ctx+"poisson: ")
			if x, ok := ff["file"]; ok {
				if s, ok := l.str(x); ok {
					rf.File = &s
				}
			} else {
				l.errorf(v.pos, MissingField, "%spoisson: missing `file` (write a rate, a distribution, or `{file: PATH, unit: Hz}`)", ctx)
			}
			if x, ok := ff["unit"]; ok {
				rf.Unit = l.value(x)
			} else {
				l.errorf(v.pos, MissingField, "%spoisson: missing `unit` (the unit of the file's rates, e.g. `Hz`)", ctx)
			}
			in.RateFile = rf
		default:
			in.Poisson = l.value(v)
		}
	}
	if v, ok := f["current"]; ok {
		in.Current = l.value(v)
	}
	if v, ok := f["current_file"]; ok && l.mapping(v, ctx+"`current_file`", true) {
		cf := &CurrentFile{Pos: v.pos}
		ff := l.fields(v.val, currentFileFields, ctx+"current_file: ")
		if x, ok := ff["file"]; ok {
			if s, ok := l.str(x); ok {
				cf.File = &s
			}
		} else {
			l.errorf(v.pos, MissingField, "%scurrent_file: missing `file` (an NPY or CSV file of one value per step)", ctx)
		}
		if x, ok := ff["dt"]; ok {
			cf.DT = l.value(x)
		} else {
			l.errorf(v.pos, MissingField, "%scurrent_file: missing `dt` (the time step of the file's values)", ctx)
		}
		if x, ok := ff["unit"]; ok {
			cf.Unit = l.value(x)
		} else {
			l.errorf(v.pos, MissingField, "%scurrent_file: missing `unit` (the unit of the file's values, e.g. `nA`)", ctx)
		}
		in.File = cf
	}
	if v, ok := f["ou"]; ok && l.mapping(v, ctx+"`ou`", true) {
		ou := &OU{Pos: v.pos}
		ff := l.fields(v.val, ouFields, ctx+"ou: ")
		for key, dst := range map[string]**Scalar{"mean": &ou.Mean, "sd": &ou.SD, "tau": &ou.Tau} {
			if x, ok := ff[key]; ok {
				*dst = l.value(x)
			} else {
				l.errorf(v.pos, MissingField, "%sou: missing `%s`", ctx, key)
			}
		}
		in.OU = ou
	}
	if v, ok := f["seed"]; ok {
		in.Seed = l.integer(v)
	}
	if d, ok := f["doc"]; ok {
		v, _ := l.str(d)
		in.Doc = v.Value
	}
	return in
}
