// Package check turns a loaded spec into a checked model, an *ir.Model: it resolves every name,
// infers and checks physical dimensions, converts every value to neurogen's internal units,
// inlines intermediate definitions, rewrites removable singularities and names the model's
// symbols after the spec (codegen chooses their Go names). It builds one statement per rate,
// current and derivative; the middle end (package middle), which Check and Load run on that
// model unless Options.Unoptimized, derives the linear coefficients of exp_auto and staggered,
// shares exponentials and common subexpressions and moves what depends on group-wide values
// only before the loop.
//
// The result is a plain value (see package ir) that code generation reads without re-checking
// or inventing names. All errors of a spec are reported at once, each at its position in the
// spec file.
package check

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/neurogen/neurogen/internal/suggest"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/library"
	"github.com/neurogen/neurogen/middle"
	"github.com/neurogen/neurogen/spec"
	"github.com/neurogen/neurogen/symbolic"
	"github.com/neurogen/neurogen/units"
)

// Options adjust a check.
type Options struct {
	// Method overrides the spec's integration method when not empty.
	Method string
	// Package overrides the Go package name derived from the model name when not empty.
	Package string
	// Library is where `use:` finds stock channels; nil means the stock library.
	Library Library
	// Receptors is where a receptor's `use:` finds stock receptors; nil means the stock
	// library's (library.StockReceptors).
	Receptors ReceptorLibrary
	// Unoptimized returns the model before the middle end (package middle): one statement
	// per rate, current and derivative, definitions inlined, nothing shared or hoisted, no
	// linear coefficients. By default Check and Load run middle.Optimize on it.
	Unoptimized bool
}

// Library is a source of stock channels, such as library.Stock.
type Library interface {
	// Channel returns the channel of that name, or nil and no error if there is none.
	Channel(name string) (*spec.LibraryChannel, error)
	// Names lists the channels, sorted.
	Names() []string
}

// Load loads the spec in src with spec.Load, naming it file in positions, and checks it. It
// returns the model, or a spec.ErrorList, sorted, with every error of both: the checker runs on
// what the loader could read even when the loader found errors, so that one run reports every
// independent problem. Only a spec whose YAML cannot be parsed at all is not checked.
func Load(file string, src []byte, opts Options) (*ir.Model, error) {
	s, err := spec.Load(file, src)
	return loadAndCheck(s, err, func(s *spec.Spec) (*ir.Model, spec.ErrorList) { return check(s, opts) })
}

// loadAndCheck checks what a loader returned (s, with its error err) and returns the result, or
// every error of both, sorted: the checker runs on what the loader could read even when the
// loader found errors. A nil s (nothing could be read) is not checked.
func loadAndCheck[S, R any](s *S, err error, check func(*S) (*R, spec.ErrorList)) (*R, error) {
	if s == nil {
		return nil, err
	}
	var errs spec.ErrorList
	if err != nil {
		list, ok := err.(spec.ErrorList)
		if !ok {
			return nil, err
		}
		errs = append(errs, list...)
	}
	r, list := check(s)
	errs = append(errs, list...)
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	return r, nil
}

// Check checks a loaded spec and returns the model, or a spec.ErrorList with every error found.
//
// s may be what spec.Load returned along with errors: Check then reports nothing about the
// parts the loader marked Bad, nor about what depends on them, so that its errors are only
// the independent ones. The model of such a spec must not be used.
func Check(s *spec.Spec, opts Options) (*ir.Model, error) {
	m, errs := check(s, opts)
	if len(errs) > 0 {
		return nil, errs
	}
	if s.Incomplete {
		return nil, spec.ErrorList{{Pos: s.Start(), Code: spec.IncompleteSpec,
			Msg: "the spec has errors that spec.Load reported"}}
	}
	return m, nil
}

// check checks s and returns the model, or the errors it found, sorted. It returns neither
// for an incomplete spec without errors of its own.
func check(s *spec.Spec, opts Options) (*ir.Model, spec.ErrorList) {
	c := &checker{
		spec:      s,
		locals:    newNamer([]string{"t"}), // the time
		syms:      map[string]*symbol{},
		gateSpec:  map[*ir.State]*spec.Gate{},
		gateRates: map[*ir.State]*gateRates{},
		rewrites:  map[string][]symbolic.Rewrite{},
		links:     map[**ir.Stmt]string{},
	}
	c.m = &ir.Model{
		Name:     s.Model.Value,
		Doc:      s.Doc,
		SpecFile: s.File,
		SpecHash: s.SHA256,
	}
	c.run(opts)
	c.errs.Sort()
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	if s.Incomplete {
		return nil, nil
	}
	if opts.Unoptimized {
		return c.m, nil
	}
	return middle.Optimize(c.m), nil
}

type symKind int

const (
	symState symKind = iota
	symParam
	symDef
	symTime
	symInput
	symBinding // a per-neuron value computed by a statement, such as an ion's total current
)

// symbol is a name an expression can refer to.
type symbol struct {
	name  string // as written in expressions
	kind  symKind
	dim   units.Dim
	pos   spec.Pos // where it is defined
	local string   // the model's symbol (states, params, time)
	param *ir.Param
	state *ir.State
	def   *def
	what  string // "parameter", "gate", ... for messages
	// bad marks a name whose declaration had an error (reported there): expressions that use
	// it fail without a message of their own.
	bad bool
	// gate is the spec of a gate (state or instantaneous), for the check that it is used.
	gate *spec.Gate
}

// def is an intermediate definition, converted on first use.
type def struct {
	sym     *symbol
	text    spec.Text
	scope   *scope
	status  defStatus
	expr    *symbolic.Expr
	dim     dimT
	rws     []symbolic.Rewrite
	bad     bool
	comment string
	local   string
	// cycleReported is set once a cycle through this definition has been reported.
	cycleReported bool
	// refs are the names the definition uses, directly or through other definitions.
	refs map[*symbol]bool
	// alias is set when the definition is a parameter given by an expression (params.go).
	alias *paramAlias
}

// defStatus is how far the conversion of a definition has got.
type defStatus int

const (
	defPending    defStatus = iota
	defConverting           // on the stack of definitions being converted: a use now is a cycle
	defDone
)

type scope struct {
	parent *scope
	owner  string // channel name, "" for the group
	syms   map[string]*symbol
	all    []string // names(), once every name is declared
	// stock is the stock channel a channel scope comes from, and useAt the position of its
	// `use:`: errors in the stock channel's text are reported there.
	stock string
	useAt spec.Pos
	ion   string // the ion of an ion's scope
	// receptor says that the scope is a receptor's (owner is its name), not a channel's.
	receptor bool
}

// kindName is "receptor" for a receptor's scope, else "channel".
func (s *scope) kindName() string {
	if s.receptor {
		return "receptor"
	}
	return "channel"
}

func (s *scope) lookup(name string) *symbol {
	for ; s != nil; s = s.parent {
		if sym, ok := s.syms[name]; ok {
			return sym
		}
	}
	return nil
}

// names lists every name visible in s, sorted, for suggestions. It is called only once every
// name is declared, and remembers its result.
func (s *scope) names() []string {
	if s.all != nil {
		return s.all
	}
	out := []string{}
	for sc := s; sc != nil; sc = sc.parent {
		for n := range sc.syms {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	s.all = out
	return out
}

type checker struct {
	spec   *spec.Spec
	m      *ir.Model
	errs   spec.ErrorList
	locals *namer // the symbols of the model
	syms   map[string]*symbol
	group  *scope
	defs   []*def
	// bindings are named values computed per neuron: rates and currents, over leaves.
	bindings   []*binding
	channelCur map[*ir.Channel]*symbolic.Expr
	defaultCur map[*ir.Channel]bool // channels without a `current`, which get the default one
	gateSpec   map[*ir.State]*spec.Gate
	gateRates  map[*ir.State]*gateRates
	defStack   []*def
	rewrites   map[string][]symbolic.Rewrite // by binding local
	// chanScopes are the channels' scopes, in spec order, for messages about names that
	// another channel declares.
	chanScopes []*scope
	sizes      map[*symbolic.Expr]int  // see size
	finites    map[*symbolic.Expr]bool // see finite
	// suggestWork counts the names compared for "did you mean" suggestions.
	suggestWork int
	lib         Library
	ions        []*ionInfo
	ionByName   map[string]*ionInfo
	// gateRefs are the names each gate's kinetics use, for the check that every gate is used.
	gateRefs  map[*symbol]map[*symbol]bool
	curRefs   map[*ir.Channel]map[*symbol]bool
	stockSeen map[string]bool // errors already reported at a use:, see report
	// kinetic holds each kinetic gate's dx/dt and each concentration's, over leaves.
	kinetic map[*ir.State]*symbolic.Expr
	instant []*instantGate
	// badGates are the gates with errors that the loader reported.
	badGates []badGate
	// links are the model's references to statements, by the local of the output that becomes
	// the statement: link sets them once schedule has made the statements.
	links map[**ir.Stmt]string
	// overrideWants are the dimensions of stock parameters overridden by expressions (params.go).
	overrideWants map[*spec.Param]overrideWant
	// receptors are the receptors being checked, in spec order (receptors.go), and
	// receptorCur their currents (uA/cm2) over leaves.
	receptors   []*receptorScope
	receptorCur map[*ir.ReceptorInfo]*symbolic.Expr
	recLib      ReceptorLibrary
}

// badGate is a gate the loader found broken: its expressions are checked on their own.
type badGate struct {
	ch *ir.Channel
	sc *scope
	g  *spec.Gate
}

// instantGate is an instantaneous gate, x = x∞(V).
type instantGate struct {
	ch  *ir.Channel
	sym *symbol
	sc  *scope
	b   *binding // its rate "inf"
}

type binding struct {
	local   string
	expr    *symbolic.Expr // over leaves (states, params, time, input)
	comment []string
	pos     spec.Pos // where its expression is written in the spec; zero if neurogen composed it
}

func (c *checker) errorf(pos spec.Pos, code spec.Code, format string, args ...any) {
	c.errs.Add(pos, code, format, args...)
}

// report reports an error at pos in scope sc. An error inside a stock channel's text is
// reported at the `use:` that brought the channel in, naming the place in the stock file.
func (c *checker) report(sc *scope, pos spec.Pos, code spec.Code, format string, args ...any) {
	for s := sc; s != nil; s = s.parent {
		if s.stock != "" {
			if pos.File() != s.useAt.File() {
				// Once per use and message: a name missing from the group may appear in
				// several places of the stock channel.
				msg := fmt.Sprintf(format, args...)
				key := s.useAt.String() + "\x00" + msg
				if c.stockSeen[key] {
					return
				}
				if c.stockSeen == nil {
					c.stockSeen = map[string]bool{}
				}
				c.stockSeen[key] = true
				c.errorf(s.useAt, code, "%s: %s (at %s)", usedName(s.kindName(), s.stock), msg, pos)
				return
			}
			break
		}
	}
	c.errorf(pos, code, format, args...)
}

func (c *checker) run(opts Options) {
	s := c.spec
	m := c.m
	m.Package = packageName(m.Name)
	if opts.Package != "" {
		m.Package = opts.Package
	}
	c.lib = opts.Library
	if c.lib == nil {
		c.lib = library.Stock
	}
	c.recLib = opts.Receptors
	if c.recLib == nil {
		c.recLib = library.StockReceptors
	}
	c.receptorCur = map[*ir.ReceptorInfo]*symbolic.Expr{}
	c.gateRefs = map[*symbol]map[*symbol]bool{}
	c.curRefs = map[*ir.Channel]map[*symbol]bool{}
	c.kinetic = map[*ir.State]*symbolic.Expr{}
	c.method(opts.Method)
	c.group = &scope{syms: map[string]*symbol{}}
	c.builtins()
	c.membrane()
	for _, p := range s.Params {
		c.param(c.group, "", p)
	}
	for _, d := range s.Defs {
		c.declareDef(c.group, "", d)
	}
	c.declareIons()
	type chanScope struct {
		ch    *ir.Channel
		sc    *scope
		spec  *spec.Channel
		gates []*ir.State
	}
	var chans []chanScope
	seenChan := map[string]spec.Pos{}
	for _, sch := range s.Channels {
		if prev, ok := seenChan[sch.Name.Value]; ok {
			c.errorf(sch.Name.Pos, spec.DuplicateName, "duplicate channel `%s` (first at %d:%d)", sch.Name.Value, prev.Line(), prev.Col())
			continue
		}
		seenChan[sch.Name.Value] = sch.Name.Pos
		sc := &scope{parent: c.group, owner: sch.Name.Value, syms: map[string]*symbol{}}
		stock := ""
		if sch.Use != nil {
			merged := c.useStock(sch)
			if merged == nil {
				continue
			}
			merged.Bad = merged.Bad || sch.Bad
			stock, sc.stock, sc.useAt = sch.Use.Value, sch.Use.Value, sch.Use.Pos
			sch = merged
		}
		ch := &ir.Channel{Name: sch.Name.Value, Doc: sch.Doc, Stock: stock}
		if sch.Ion != nil {
			ch.Ion = sch.Ion.Value
		}
		c.chanScopes = append(c.chanScopes, sc)
		for _, p := range sch.Params {
			c.param(sc, ch.Name, p)
		}
		for _, d := range sch.Defs {
			c.declareDef(sc, ch.Name, d)
		}
		var gates []*ir.State
		for _, g := range sch.Gates {
			if st := c.declareGate(sc, ch, g); st != nil {
				gates = append(gates, st)
			}
		}
		ch.Gates = gates
		m.Channels = append(m.Channels, ch)
		chans = append(chans, chanScope{ch, sc, sch, gates})
	}
	c.declareReceptors(seenChan)
	// Definitions are converted in spec order (and on first use, for forward references).
	for _, d := range c.defs {
		c.convertDef(d)
	}
	c.channelCur = map[*ir.Channel]*symbolic.Expr{}
	c.defaultCur = map[*ir.Channel]bool{}
	for _, cs := range chans {
		c.channel(cs.ch, cs.sc, cs.spec, cs.gates)
	}
	for _, rs := range c.receptors {
		c.receptor(rs)
	}
	c.ionDynamics()
	// Unused gates are reported along with every other error: gateUse looks only at the
	// channels whose current was converted.
	c.gateUse()
	if len(c.errs) > 0 || s.Incomplete {
		return // a spec with load errors is checked for more errors, never lowered
	}
	c.lower()
}

func (c *checker) method(override string) {
	m, s := c.m, c.spec
	name := ir.Methods[0].String()
	pos := s.Start()
	if s.Method != nil {
		name, pos = s.Method.Value, s.Method.Pos
	}
	if override != "" {
		name = override
	}
	method, ok := ir.ParseMethod(name)
	if !ok {
		msg := fmt.Sprintf("unknown method `%s` (want one of %s)", name, strings.Join(ir.MethodNames(), ", "))
		if sug := suggest.Closest(name, ir.MethodNames()); sug != "" {
			msg = fmt.Sprintf("unknown method `%s` (did you mean `%s`?)", name, sug)
		}
		c.errorf(pos, spec.UnknownMethod, "%s", msg)
	}
	m.Method = method
}

func (c *checker) builtins() {
	c.group.syms["V"] = &symbol{name: "V", kind: symState, dim: units.Voltage, local: c.locals.Name("V"), what: "the membrane potential"}
	c.group.syms["t"] = &symbol{name: "t", kind: symTime, dim: units.Time, local: "t", what: "the time"}
	c.m.Time = "t"
	c.m.Input = c.locals.Name("I_ext")
	c.group.syms["I_ext"] = &symbol{name: "I_ext", kind: symInput, dim: units.CurrentDensity, local: c.m.Input,
		what: "the group's external input, a current density per neuron set with Input() or -set I_ext=..."}
	v := &ir.State{Name: "V", Local: c.group.syms["V"].local, Unit: units.Voltage.String(), Kind: ir.Voltage,
		Doc: "membrane potential"}
	c.group.syms["V"].state = v
	c.m.States = append(c.m.States, v)
}

// quantity parses a value and checks its dimension when want is not nil.
func (c *checker) quantity(sc spec.Scalar, what string, want *units.Dim) (units.Quantity, bool) {
	q, err := units.ParseQuantity(sc.Value)
	if err != nil {
		pos := sc.Pos
		if ue, ok := err.(*units.Error); ok {
			pos = sc.PosAt(ue.Offset)
		}
		c.errorf(pos, spec.InvalidQuantity, "%s: %v", what, err)
		return q, false
	}
	if want != nil && q.Unit.Dim != *want {
		c.errorf(sc.Pos, spec.WrongDimension, "%s must be %s, got %s", what, describeWant(*want), describe(q.Unit.Dim))
		return q, false
	}
	return q, true
}

// describeWant describes the dimension a value must have: "a voltage (mV)", "an area (cm2)",
// "dimensionless", or "in mV/ms" for a dimension without a name.
func describeWant(d units.Dim) string {
	if d.IsDimensionless() {
		return "dimensionless"
	}
	s := d.Describe()
	if i := strings.Index(s, " ("); i > 0 {
		name := strings.TrimSuffix(s[i+2:], ")")
		article := "a "
		if strings.ContainsRune("aeiou", rune(name[0])) {
			article = "an "
		}
		return article + name + " (" + s[:i] + ")"
	}
	return "in " + s
}

// describe describes a dimension in a message: "mV (voltage)", "mV/ms", "dimensionless".
func describe(d units.Dim) string {
	if d.IsDimensionless() {
		return "dimensionless"
	}
	return d.Describe()
}

func (c *checker) membrane() {
	s, m := c.spec, c.m
	mem := s.Membrane
	if mem == nil {
		// The loader reported it: the names it gives are declared bad, so that their uses
		// report nothing more.
		for _, name := range []string{"C", "V_th"} {
			c.group.syms[name] = &symbol{name: name, kind: symParam, what: "membrane `" + name + "`", bad: true}
		}
		return
	}
	memParam := func(name string, sc *spec.Scalar, dim units.Dim, def string, doc string) {
		val := spec.Scalar{Value: def, Pos: mem.Pos}
		if sc != nil {
			val = *sc
		}
		text, pos := val.Value, val.Pos
		what := "the " + doc + " (membrane `" + name + "`)"
		q, ok := c.quantity(val, "membrane `"+name+"`", &dim)
		if !ok {
			c.group.syms[name] = &symbol{name: name, kind: symParam, pos: pos, what: what, bad: true}
			return
		}
		p := &ir.Param{Name: name, Local: c.locals.Name(name), Unit: dim.String(),
			Dim: dim, Default: q.Value, Doc: doc, Text: text, Membrane: true}
		m.Params = append(m.Params, p)
		c.group.syms[name] = &symbol{name: name, kind: symParam, dim: dim, pos: pos, local: p.Local, param: p, what: what}
	}
	if mem.C == nil {
		// The loader reported the missing or broken field.
		c.group.syms["C"] = &symbol{name: "C", kind: symParam, pos: mem.Pos, what: "membrane `C`", bad: true}
	} else {
		memParam("C", mem.C, units.CapacitanceDensity, "", "specific membrane capacitance")
		if sym := c.group.syms["C"]; sym.param != nil {
			// dV/dt divides by C: zero gives Inf and NaN from the first step, a negative C
			// a membrane that runs away.
			sym.param.Positive = true
			if !(sym.param.Default > 0) {
				c.errorf(mem.C.Pos, spec.OutOfRange, "membrane `C` must be positive, got %s", mem.C.Value)
			}
		}
	}
	memParam("V_th", mem.VTh, units.Voltage, "0 mV", "spike threshold")
	m.A = 1e-3 // cm2, BrainPy's default
	if mem.A != nil {
		if q, ok := c.quantity(*mem.A, "membrane `A`", &units.Area); ok {
			if q.Value <= 0 {
				c.errorf(mem.A.Pos, spec.OutOfRange, "membrane `A` must be positive, got %s", mem.A.Value)
			}
			m.A = q.Value
		}
	}
	if mem.Refractory != nil {
		if q, ok := c.quantity(*mem.Refractory, "membrane `refractory`", &units.Time); ok {
			if !(q.Value >= 0) || math.IsInf(q.Value, 1) {
				c.errorf(mem.Refractory.Pos, spec.OutOfRange, "membrane `refractory` must be a time of at least 0 ms, got %s", mem.Refractory.Value)
			} else {
				m.Refractory = q.Value
			}
		}
	}
	if mem.Seed != nil {
		n, err := strconv.ParseUint(mem.Seed.Value, 10, 64)
		if err != nil {
			c.errorf(mem.Seed.Pos, spec.OutOfRange, "membrane `seed` must be a non-negative integer, got %s", mem.Seed.Value)
		}
		m.Seed = n
	}
	if mem.VInit != nil {
		c.vinit(*mem.VInit)
	}
}

func (c *checker) vinit(sc spec.Scalar) {
	m := c.m
	m.VInit.Text = sc.Value
	v := sc.Value
	if rest, ok := strings.CutPrefix(strings.TrimSpace(v), "uniform"); ok {
		rest = strings.TrimSpace(rest)
		inner, ok := strings.CutPrefix(rest, "(")
		inner, ok2 := strings.CutSuffix(inner, ")")
		parts := strings.Split(inner, ",")
		if !ok || !ok2 || len(parts) != 2 {
			c.errorf(sc.Pos, spec.InvalidQuantity, "membrane `V_init`: want a voltage such as `-65 mV` or `uniform(-70 mV, -60 mV)`, got `%s`", strings.TrimSpace(v))
			return
		}
		// Each bound, with the positions of its bytes in the file.
		lp := strings.IndexByte(v, '(')
		boundOf := func(i int) spec.Scalar {
			off := lp + 1
			if i == 1 {
				off += len(parts[0]) + 1
			}
			off += len(parts[i]) - len(strings.TrimLeft(parts[i], " \t"))
			return sc.Slice(off, off+len(strings.TrimSpace(parts[i])))
		}
		at := func(i int) spec.Pos { return boundOf(i).Pos }
		bound := func(i int, what string) (units.Quantity, bool) {
			return c.quantity(boundOf(i), "membrane `V_init` "+what, &units.Voltage)
		}
		lo, ok := bound(0, "lower bound")
		hi, ok2 := bound(1, "upper bound")
		if ok && ok2 {
			for i, q := range []units.Quantity{lo, hi} {
				if math.Abs(q.Value) > MaxVInit {
					c.errorf(at(i), spec.OutOfRange, "membrane `V_init`: %s is outside the range a membrane potential can take (±%g mV)", strings.TrimSpace(parts[i]), MaxVInit)
				}
			}
			if !(lo.Value < hi.Value) {
				c.errorf(sc.Pos, spec.OutOfRange, "membrane `V_init`: uniform(lo, hi) needs lo < hi, got `%s`", strings.TrimSpace(v))
			}
			m.VInit.Uniform, m.VInit.Lo, m.VInit.Hi = true, lo.Value, hi.Value
		}
		return
	}
	if q, ok := c.quantity(sc, "membrane `V_init`", &units.Voltage); ok {
		if math.Abs(q.Value) > MaxVInit {
			c.errorf(sc.Pos, spec.OutOfRange, "membrane `V_init`: %s is outside the range a membrane potential can take (±%g mV)", strings.TrimSpace(v), MaxVInit)
		}
		m.VInit.Value = q.Value
	}
}

// MaxVInit (mV) bounds the initial membrane potential: |V_init| ≤ MaxVInit. Real membranes stay
// within a few hundred millivolts of zero; a V_init far beyond (1e308 mV, a slip of the unit)
// makes the first step's rates overflow.
const MaxVInit = 1000.0

// declare adds a symbol to a scope, reporting a duplicate.
func (c *checker) declare(sc *scope, sym *symbol) bool {
	if prev := sc.lookup(sym.name); prev != nil {
		switch {
		case prev.kind == symState && prev.state != nil && prev.state.Kind == ir.Voltage, prev.kind == symTime, prev.kind == symInput:
			c.errorf(sym.pos, spec.DuplicateName, "`%s` is predeclared (%s) and cannot be redefined", sym.name, prev.what)
		case prev.pos.IsValid():
			c.errorf(sym.pos, spec.DuplicateName, "duplicate name `%s`: already %s at %d:%d", sym.name, prev.what, prev.pos.Line(), prev.pos.Col())
		default:
			c.errorf(sym.pos, spec.DuplicateName, "duplicate name `%s`: already %s", sym.name, prev.what)
		}
		return false
	}
	sc.syms[sym.name] = sym
	return true
}

func (c *checker) param(sc *scope, channel string, p *spec.Param) {
	name := p.Name.Value
	full := name
	if channel != "" {
		full = channel + "." + name
	}
	what := "a parameter"
	if channel != "" {
		what = "a parameter of " + sc.kindName() + " `" + channel + "`"
	}
	if p.Bad {
		c.declare(sc, &symbol{name: name, kind: symParam, pos: p.Name.Pos, what: what, bad: true})
		return
	}
	if c.declareParamAlias(sc, channel, full, what, p) {
		return
	}
	q, ok := c.paramValue(sc, full, p)
	if !ok {
		c.declare(sc, &symbol{name: name, kind: symParam, pos: p.Name.Pos, what: what, bad: true})
		return
	}
	parts := []string{name}
	if channel != "" {
		parts = []string{channel, name}
	}
	local := c.locals.Name(strings.Join(parts, "_"))
	par := &ir.Param{Name: full, Local: local, Unit: q.Unit.Dim.String(), Dim: q.Unit.Dim,
		Default: q.Value, PerNeuron: p.PerNeuron, Doc: p.Doc, Text: p.Value.Value}
	if c.declare(sc, &symbol{name: name, kind: symParam, dim: q.Unit.Dim, pos: p.Name.Pos, local: local, param: par, what: what}) {
		c.m.Params = append(c.m.Params, par)
	}
}

func (c *checker) declareDef(sc *scope, channel string, d *spec.Def) {
	name := d.Name.Value
	what := "a definition"
	parts := []string{name}
	if channel != "" {
		what = "a definition of channel `" + channel + "`"
		parts = []string{channel, name}
	}
	df := &def{text: d.Expr, scope: sc, comment: strings.Join(parts, ".") + " = " + d.Expr.Src, local: strings.Join(parts, "_")}
	sym := &symbol{name: name, kind: symDef, pos: d.Name.Pos, def: df, what: what, bad: d.Bad}
	df.sym = sym
	if c.declare(sc, sym) && !d.Bad {
		c.defs = append(c.defs, df)
	}
}

func (c *checker) declareGate(sc *scope, ch *ir.Channel, g *spec.Gate) *ir.State {
	name := g.Name.Value
	if g.Bad {
		// The loader reported it: declare the name, check what expressions it has.
		if c.declare(sc, &symbol{name: name, kind: symState, dim: units.Dimensionless, pos: g.Name.Pos, gate: g, bad: true,
			what: "a gate of channel `" + ch.Name + "`"}) {
			c.badGates = append(c.badGates, badGate{ch: ch, sc: sc, g: g})
		}
		return nil
	}
	if g.Inf != nil && g.Tau == nil && g.Alpha == nil && g.Deriv == nil {
		// An instantaneous gate, x = x∞(V): a definition, not a state.
		df := &def{text: *g.Inf, scope: sc, comment: ch.Name + "." + name + " = " + g.Inf.Src + " (instantaneous)",
			local: ch.Name + "_" + name}
		sym := &symbol{name: name, kind: symDef, pos: g.Name.Pos, def: df, gate: g,
			what: "an instantaneous gate of channel `" + ch.Name + "`"}
		df.sym = sym
		if c.declare(sc, sym) {
			c.defs = append(c.defs, df)
			c.instant = append(c.instant, &instantGate{ch: ch, sym: sym, sc: sc})
		}
		return nil
	}
	st := &ir.State{
		Name:    ch.Name + "." + name,
		Local:   c.locals.Name(ch.Name + "_" + name),
		Unit:    "1",
		Kind:    ir.Gate,
		Doc:     g.Doc,
		Channel: ch,
		Gate:    &ir.GateInfo{Form: ir.AlphaBeta, Power: 1},
	}
	switch {
	case g.Inf != nil:
		st.Gate.Form = ir.InfTau
	case g.Deriv != nil:
		st.Gate.Form = ir.Kinetic
	}
	if g.Power != nil {
		n, err := strconv.Atoi(g.Power.Value)
		if err != nil || n < 0 || n > 16 {
			c.errorf(g.Power.Pos, spec.OutOfRange, "gate `%s`: `power` must be an integer from 0 to 16, got %s", name, g.Power.Value)
		} else {
			st.Gate.Power = n
		}
	}
	if !c.declare(sc, &symbol{name: name, kind: symState, dim: units.Dimensionless, pos: g.Name.Pos, local: st.Local, state: st, gate: g, what: "a gate of channel `" + ch.Name + "`"}) {
		return nil
	}
	c.m.States = append(c.m.States, st)
	c.gateSpec[st] = g
	return st
}
