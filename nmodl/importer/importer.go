// Package importer turns NEURON mechanisms (.mod files, parsed by package nmodl) into
// neurogen channel specs, and ion pools into ions' dynamics: issue 15's importer, for HH-style
// density mechanisms and kinetic schemes. See Import.
package importer

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/neurogen/neurogen/nmodl"
	"github.com/neurogen/neurogen/spec"
	"github.com/neurogen/neurogen/units"
)

// Refused is the code of an error for NMODL that the importer does not map to a spec.
const Refused spec.Code = "nmodl-import-refused"

// A Channel is one imported channel spec.
type Channel struct {
	Name string // the channel's name: the SUFFIX, or SUFFIX_CURRENT when it writes several
	YAML []byte // the spec, in the format of library/channels
}

// A Pool is an imported ion pool: a mechanism that writes an ion's inner concentration
// (USEION ca READ ica WRITE cai, with cai a STATE) becomes that ion's dynamics.
type Pool struct {
	Name string // the SUFFIX, or SUFFIX_cai when the mechanism also writes currents
	Ion  string // the ion's name in the spec (Ca)
	// YAML is an ion file (spec.LoadIon's: `neurogen: 1`, `ion: Ca`, then the fields of the
	// ion: C_i, its parameters and its dynamics, dCa_i/dt), which a group spec's ion takes
	// with `use: NAME.yaml`.
	YAML []byte
}

// Entry returns the ion's entry under a group spec's `ions:` (`  Ca:` and its fields indented
// by four spaces), the ion file's fields to paste into a spec.
func (p Pool) Entry() string {
	_, body, _ := strings.Cut(string(p.YAML), "\nion: "+p.Ion+"\n")
	var b strings.Builder
	b.WriteString("  " + p.Ion + ":\n")
	for _, l := range strings.SplitAfter(body, "\n") {
		switch {
		case l == "":
		case l == "\n":
			b.WriteString(l)
		default:
			b.WriteString("    " + l)
		}
	}
	return b.String()
}

// A Result is what Import made of a .mod file.
type Result struct {
	Channels []Channel
	Pools    []Pool
	// Receptors are synaptic POINT_PROCESSes, imported as receptors (see pointproc.go).
	Receptors []Receptor
	Notes     []string // what was mapped and how, and what was dropped
}

type param struct {
	key             string  // its NMODL name
	name, unit, doc string  // name: in the spec
	value           float64 // in NMODL's units, scale times unit
	scale           float64 // the number that NMODL's units start with, 1 when none
	pos             spec.Pos
}

type importer struct {
	file      *nmodl.File
	errs      spec.ErrorList
	notes     []string
	suffix    string
	ions      map[string]string // a read or written ion variable (ena, cai, ina) -> ion name (na)
	reads     map[string]*ex    // a read variable -> its expression
	writes    []string          // currents, in order
	concs     []string          // written inner concentrations (cai), in order
	concPos   map[string]spec.Pos
	concState map[string]string   // a written concentration (cai) -> the pool's STATE (cai, or ca copied into it)
	curReads  map[string]spec.Pos // read ion currents (ica), only for a pool of the ion
	valence   map[string]int      // USEION's VALENCE, by ion
	nonspec   map[string]bool
	params    []*param
	consts    map[string]*ex
	states    []string
	funcs     map[string]*nmodl.FuncDecl
	blocks    map[string]*nmodl.StmtBlock // DERIVATIVE blocks by name
	bp, init  *nmodl.StmtBlock

	frames     []map[string]*ex // the globals, then a frame per call being inlined
	stack      []string         // the functions being inlined
	derivs     map[string]*ex
	sname      map[string]string   // a state's name in the spec
	steps      int                 // statements executed (see maxSteps)
	block      string              // the DERIVATIVE or KINETIC block being executed
	derivBlock map[string]string   // a state -> the block that gives its derivative
	schemes    map[string]*scheme  // KINETIC blocks that BREAKPOINT solves, by name
	inInit     bool                // INITIAL is being executed
	initVals   map[string]*ex      // what INITIAL assigns that does not change (see initOnly)
	steady     map[string]*ex      // a state of a scheme -> its steady state (see steadyState)
	steadyPos  map[string]spec.Pos // a block -> the first SOLVE ... STEADYSTATE of it in INITIAL
	inits      map[string]*ex      // what INITIAL assigns to the states
	derivPos   map[string]spec.Pos
	point      *pointProc // a POINT_PROCESS, imported as a receptor; nil for a density mechanism
}

func (im *importer) refuse(pos spec.Pos, format string, args ...any) {
	im.errs.Add(pos, Refused, format, args...)
}

func (im *importer) note(format string, args ...any) {
	n := fmt.Sprintf(format, args...)
	if !slices.Contains(im.notes, n) {
		im.notes = append(im.notes, n)
	}
}

// Import reads one .mod file and returns a channel spec for each current it writes. The
// mechanism must be a density mechanism (SUFFIX) whose states are gates integrated by cnexp
// (or derivimplicit), or the states of a KINETIC scheme (sparse), whose reactions give their
// derivatives: x' = (xinf - x)/xtau becomes inf/tau, x' = a*(1 - x) - b*x alpha/beta (each
// also times a factor, the gate's phi), anything else a kinetic gate (deriv, init). PROCEDUREs and FUNCTIONs are inlined, if/else
// becomes c ? a : b, v is V, celsius the group's temperature T, ena E_Na, cai Ca_i. Currents
// are turned inward positive in uA/cm2 (NMODL's are outward positive in mA/cm2). A mechanism
// that writes an ion's inner concentration (cai, a STATE) is a pool: its derivative becomes the
// ion's dynamics, a Pool, with ica the ion's total current I_Ca. What is not mapped is refused,
// every instance at its file:line:col, as a spec.ErrorList.
func Import(filename string, src []byte) (*Result, error) {
	f, err := nmodl.Parse(filename, src)
	if err != nil {
		return nil, err
	}
	im := &importer{file: f, ions: map[string]string{}, reads: map[string]*ex{}, nonspec: map[string]bool{},
		consts: map[string]*ex{}, funcs: map[string]*nmodl.FuncDecl{}, blocks: map[string]*nmodl.StmtBlock{},
		derivs: map[string]*ex{}, sname: map[string]string{}, inits: map[string]*ex{}, derivPos: map[string]spec.Pos{},
		concPos: map[string]spec.Pos{}, concState: map[string]string{}, curReads: map[string]spec.Pos{}, valence: map[string]int{},
		derivBlock: map[string]string{}, schemes: map[string]*scheme{}}
	im.collect()
	im.pointCollect()
	var res *Result
	if len(im.errs) == 0 {
		im.run()
		if len(im.errs) == 0 && im.point != nil {
			res = im.receptor()
		} else if len(im.errs) == 0 {
			res = im.emit()
		}
	}
	if len(im.errs) > 0 {
		im.errs.Sort()
		return nil, im.errs
	}
	return res, nil
}

var ionNames = map[string]string{"na": "Na", "k": "K", "ca": "Ca", "cl": "Cl"}

func ionName(s string) string {
	if n, ok := ionNames[s]; ok {
		return n
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (im *importer) collect() {
	// The NEURON block first: a PARAMETER block before it may declare its ion variables (ek).
	for _, b := range im.file.Blocks {
		if b, ok := b.(*nmodl.NeuronBlock); ok {
			im.neuron(b)
		}
	}
	for _, b := range im.file.Blocks {
		switch b := b.(type) {
		case *nmodl.Title, *nmodl.CommentBlock, *nmodl.UnitsSwitch, *nmodl.NeuronBlock:
		case *nmodl.UnitsBlock:
			im.unitConsts(b)
		case *nmodl.DeclBlock:
			im.decls(b)
		case *nmodl.StmtBlock:
			switch b.Kind {
			case "INITIAL":
				im.init = b
			case "BREAKPOINT":
				im.bp = b
			case "DERIVATIVE", "KINETIC":
				im.blocks[b.Name.Name] = b
			default:
				im.refuse(b.Pos(), "%s blocks are not imported (only DERIVATIVE and KINETIC)", b.Kind)
			}
		case *nmodl.FuncDecl:
			if b.Kind == "NET_RECEIVE" && im.point != nil {
				im.point.net = b
				continue
			}
			if b.Kind == "NET_RECEIVE" {
				im.refuse(b.Pos(), "NET_RECEIVE is imported only in a POINT_PROCESS (as a receptor's event)")
				continue
			}
			im.funcs[b.Name.Name] = b
		case *nmodl.Define:
			im.consts[b.Name.Name] = num(b.Value.Value)
		case *nmodl.VerbatimBlock:
			im.refuse(b.Pos(), "VERBATIM is not imported: C code has no spec equivalent")
		case *nmodl.Include:
			im.refuse(b.Pos(), "INCLUDE is not imported: import the file it includes into one")
		case *nmodl.Local:
			// Variables that every block shares, as ASSIGNED ones: a block reads what is
			// assigned before it (and an unused one, a leftover, is nothing).
			for _, d := range b.Names {
				if d.Size != nil {
					im.refuse(d.Pos(), "%s: arrays are not imported", d.Name.Name)
				}
			}
			im.note("%s: LOCAL of the whole file: its variables are read as ASSIGNED ones", b.Pos())
		default:
			im.refuse(b.Pos(), "this block is not imported")
		}
	}
	// Refused statements anywhere, also in PROCEDUREs that nothing calls.
	nmodl.Inspect(im.file, func(n nmodl.Node) bool {
		switch n := n.(type) {
		case *nmodl.StmtBlock:
			return n.Kind != "LINEAR" && n.Kind != "NONLINEAR"
		case *nmodl.FuncDecl:
			return n.Kind != "NET_RECEIVE"
		case *nmodl.VerbatimBlock, *nmodl.While, *nmodl.FromLoop, *nmodl.Watch:
			im.stmt(n.(nmodl.Stmt), false)
		}
		return true
	})
	if im.suffix == "" && len(im.errs) == 0 {
		im.refuse(im.file.Pos(), "no SUFFIX or POINT_PROCESS: only density mechanisms and synaptic point processes are imported")
	}
	im.pools()
	if len(im.writes) == 0 && len(im.concs) == 0 && len(im.errs) == 0 {
		im.refuse(im.file.Pos(), "the mechanism writes no current (USEION x WRITE ix, NONSPECIFIC_CURRENT) and no concentration (WRITE xi): a channel spec needs a current, an ion's dynamics a concentration")
	}
	if im.bp == nil && len(im.errs) == 0 {
		im.refuse(im.file.Pos(), "no BREAKPOINT block")
	}
}

// pools checks what an ion pool needs once the file is read: a written concentration (cai) is
// a STATE, an ion's current (ica) is read only by a pool of that ion that does not write it,
// and a parameter named as a field of an ion (C_i, E) is renamed.
func (im *importer) pools() {
	for _, c := range im.concs {
		if slices.Contains(im.states, c) {
			im.concState[c] = c
			continue
		}
		// A pool whose STATE is another (ca), copied into cai where it is assigned (cai = ca).
		var copies []*nmodl.Assign
		alias := ""
		nmodl.Inspect(im.file, func(n nmodl.Node) bool {
			if a, ok := n.(*nmodl.Assign); ok {
				if l, ok := a.Lhs.(*nmodl.Ident); ok && l.Name == c {
					copies = append(copies, a)
					r := a.Rhs
					for p, ok := r.(*nmodl.Paren); ok; p, ok = r.(*nmodl.Paren) {
						r = p.X
					}
					if id, ok := r.(*nmodl.Ident); ok && slices.Contains(im.states, id.Name) && (alias == "" || alias == id.Name) {
						alias = id.Name
					} else {
						alias = "-"
					}
				}
			}
			return true
		})
		if len(copies) == 0 || alias == "-" {
			im.refuse(im.concPos[c], "USEION %s WRITE %s: only an ion pool whose %s is a STATE (with %s' in the solved DERIVATIVE block), or a copy of one (%s = ca), is imported", im.ions[c], c, c, c, c)
			continue
		}
		im.concState[c] = alias
		im.note("%s: %s = %s: the pool's concentration is the STATE %s", copies[0].Pos(), c, alias, alias)
	}
	for r, pos := range im.curReads {
		ion := im.ions[r]
		switch {
		case !slices.Contains(im.concs, ion+"i"):
			im.refuse(pos, "USEION %s READ %s is imported only in an ion pool (a mechanism that writes %si): a channel does not see the ion's total current", ion, r, ion)
		case slices.Contains(im.writes, r):
			im.refuse(pos, "USEION %s READ %s WRITE %s is not imported: a pool reads the total current of the channels, and writes none", ion, r, r)
		}
	}
	if len(im.concs) == 0 {
		return
	}
	for _, p := range im.params {
		if slices.Contains(ionFields, p.name) {
			r := p.name + "_"
			im.note("%s: %s is called %s in the spec (an ion's %s means something else there)", p.pos, p.name, r, p.name)
			p.name = r
		}
	}
}

// ionFields are the fields of an ion in a spec, which its parameters cannot be called.
var ionFields = []string{"doc", "valence", "E", "C_i", "C_o", "dynamics"}

func (im *importer) neuron(b *nmodl.NeuronBlock) {
	for _, s := range b.Stmts {
		switch s := s.(type) {
		case *nmodl.Suffix:
			if s.Kind == "POINT_PROCESS" {
				im.suffix, im.point = s.Name.Name, &pointProc{pos: s.Pos()}
				continue
			}
			if s.Kind != "SUFFIX" {
				im.refuse(s.Pos(), "%s is not imported: only density mechanisms (SUFFIX) and synaptic point processes (POINT_PROCESS) are", s.Kind)
				continue
			}
			im.suffix = s.Name.Name
		case *nmodl.UseIon:
			ion := s.Ion.Name
			for _, r := range s.Read {
				im.ions[r.Name] = ion
				switch r.Name {
				case "e" + ion:
					im.reads[r.Name] = bin("/", name("E_"+ionName(ion)), raw("mV"))
				case ion + "i", ion + "o":
					im.reads[r.Name] = bin("/", name(ionName(ion)+"_"+r.Name[len(ion):]), raw("mM"))
				case "i" + ion:
					// The ion's total current, which only its dynamics see (I_Ca): NMODL's is
					// outward positive in mA/cm2, neurogen's inward positive.
					im.reads[r.Name] = &ex{op: "neg", args: []*ex{bin("/", name("I_"+ionName(ion)), raw("(mA/cm2)"))}}
					im.curReads[r.Name] = r.Pos()
				default:
					im.refuse(r.Pos(), "USEION %s READ %s is not imported (only e%s, %si, %so, and i%s in a pool that writes %si)", ion, r.Name, ion, ion, ion, ion, ion)
				}
			}
			for _, w := range s.Write {
				switch w.Name {
				case "i" + ion:
					im.writes = append(im.writes, w.Name)
				case ion + "i":
					im.concs = append(im.concs, w.Name)
					im.concPos[w.Name] = w.Pos()
				default:
					im.refuse(w.Pos(), "USEION %s WRITE %s is not imported (only the current i%s, and %si in an ion pool)", ion, w.Name, ion, ion)
					continue
				}
				im.ions[w.Name] = ion
			}
			if s.Valence != nil {
				im.valence[ion] = int(numValue(s.Valence))
				im.note("%s: USEION %s VALENCE dropped (the group's ion has its own)", s.Valence.Pos(), ion)
			}
		case *nmodl.NameList:
			switch s.Kind {
			case "NONSPECIFIC_CURRENT":
				for _, n := range s.Names {
					im.nonspec[n.Name] = true
					im.writes = append(im.writes, n.Name)
				}
			case "RANGE", "GLOBAL", "THREADSAFE":
			default:
				im.refuse(s.Pos(), "%s is not imported", s.Kind)
			}
		}
	}
}

// unitConst are the physical constants of UNITS definitions, by their units (NEURON's, CODATA
// 2018 since NEURON 8): FARADAY = (faraday) (coulomb), R = (k-mole) (joule/degC).
var unitConst = map[[2]string]float64{
	{"faraday", "coulomb"}:      96485.33212,
	{"faraday", "coulombs"}:     96485.33212,
	{"faraday", "kilocoulombs"}: 96.48533212,
	{"faraday", "kilocoulomb"}:  96.48533212,
	{"k-mole", "joule/degC"}:    8.314462618,
	{"k-mole", "joule/K"}:       8.314462618,
	{"k-mole", "J/degC"}:        8.314462618,
	{"e", "coulomb"}:            1.602176634e-19,
	{"pi", "1"}:                 3.141592653589793,
}

// unitConsts makes constants of UNITS definitions that name values: "e0 = 1.6e-19 (coulomb)"
// and those of unitConst.
func (im *importer) unitConsts(b *nmodl.UnitsBlock) {
	for _, d := range b.Defs {
		if d.Name == nil {
			continue
		}
		switch {
		case d.Value != nil:
			im.consts[d.Name.Name] = num(numValue(d.Value))
		case d.Left != nil && d.Right != nil:
			v, ok := unitConst[[2]string{strings.TrimSpace(d.Left.Text), strings.TrimSpace(d.Right.Text)}]
			if !ok {
				im.refuse(d.Pos(), "%s = (%s) (%s): this physical constant is not imported", d.Name.Name, d.Left.Text, d.Right.Text)
				continue
			}
			im.consts[d.Name.Name] = num(v)
		}
	}
}

// reserved are names that a channel spec's keys or scope give a meaning (the membrane's C and A
// among them: a scheme's state C would hide the capacitance), and units that the
// imported expressions name: a parameter or state of the .mod file called so is renamed (with
// a note). Other unit names (a gate m) are fine: a channel's names hide units.
var reserved = map[string]bool{"V": true, "t": true, "T": true, "I_ext": true, "C": true, "A": true, "V_th": true,
	"V_init": true, "neurogen": true, "channel": true,
	"doc": true, "ion": true, "current": true, "gates": true, "defs": true, "use": true,
	"mV": true, "ms": true, "mM": true, "uM": true, "K": true, "S": true, "mS": true, "uS": true, "mA": true,
	"uA": true, "nA": true, "cm2": true, "um": true, "um2": true}

func (im *importer) specName(n string, pos spec.Pos) string {
	if !reserved[n] && !strings.HasPrefix(n, "E_") || im.point != nil && (n == "A" || n == "C") {
		// A receptor's states are its own: Exp2Syn's A is not the membrane's area there.
		return n
	}
	r := n + "_"
	im.note("%s: %s is called %s in the spec (%s means something else there)", pos, n, r, n)
	return r
}

// unitOf maps NMODL units to neurogen's: "" for a plain number.
func unitOf(u *nmodl.Units) string {
	_, t := scaledUnit(u)
	return t
}

var (
	leadingNumber = regexp.MustCompile(`^([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?`)
	slash         = regexp.MustCompile(`\s*/\s*`)
)

// scaledUnit maps NMODL units to neurogen's, as unitOf, and returns apart the number that
// they may start with (100 of (100/coulomb meter)), 1 when none.
func scaledUnit(u *nmodl.Units) (float64, string) {
	if u == nil {
		return 1, ""
	}
	t := strings.TrimSpace(u.Text)
	scale := 1.0
	if m := leadingNumber.FindString(t); m != "" && t != "1" {
		if v, err := strconv.ParseFloat(m, 64); err == nil && v > 0 {
			scale, t = v, strings.TrimSpace(t[len(m):])
		}
	}
	switch t {
	case "", "1":
		return scale, ""
	}
	// NMODL writes a product with "-" or a space (/mM-ms and /mM ms are 1/(mM*ms)).
	t = strings.Join(strings.Fields(slash.ReplaceAllString(t, "/")), "-")
	return scale, unitText(t)
}

func unitText(t string) string {
	if strings.HasPrefix(t, "/") {
		t = "1" + t
	}
	t = unitWord.ReplaceAllStringFunc(t, func(w string) string {
		if r, ok := unitWords[w]; ok {
			return r
		}
		return w
	})
	// NMODL writes a product with "-" (/mM-ms is 1/(mM*ms)).
	if strings.Contains(t, "-") {
		num, den, ok := strings.Cut(t, "/")
		num = strings.ReplaceAll(num, "-", "*")
		if ok {
			den = strings.ReplaceAll(den, "-", "*")
			if strings.Contains(den, "*") {
				den = "(" + den + ")"
			}
			num += "/" + den
		}
		t = num
	}
	return t
}

var unitWord = regexp.MustCompile(`[A-Za-z]+`)

// exprUnit spells a unit for an expression, where the names C, A and V are the membrane's
// capacitance and area and the membrane potential, not coulomb, ampere and volt.
func exprUnit(u string) string {
	return unitWord.ReplaceAllStringFunc(u, func(w string) string {
		switch w {
		case "C":
			return "(1000*mA*s)"
		case "A":
			return "(1000*mA)"
		case "V":
			return "(1000*mV)"
		}
		return w
	})
}

// unitWords are NMODL's names of units that neurogen spells otherwise.
var unitWords = map[string]string{"mho": "S", "mmho": "mS", "umho": "uS", "nmho": "nS", "coul": "C",
	"coulomb": "C", "micron": "um", "liter": "L", "mol": "mol", "degK": "K", "kelvin": "K", "meter": "m", "centimeter": "cm", "second": "s", "volt": "V", "amp": "A", "siemens": "S", "molar": "M", "millimolar": "mM", "micromolar": "uM", "milliamp": "mA", "millivolt": "mV"}

func (im *importer) decls(b *nmodl.DeclBlock) {
	for _, d := range b.Decls {
		n := d.Name.Name
		if b.Kind == "INDEPENDENT" {
			continue
		}
		if d.Size != nil {
			im.refuse(d.Pos(), "%s: arrays are not imported", n)
			continue
		}
		switch b.Kind {
		case "PARAMETER", "CONSTANT":
			if n == "v" || n == "celsius" || n == "dt" || im.ions[n] != "" {
				continue
			}
			var v float64
			switch {
			case d.Value != nil:
				v = numValue(d.Value)
			case b.Kind == "PARAMETER":
				im.note("%s: PARAMETER %s has no value: it is 0, as in NEURON (give it the value the model's hoc sets)", d.Pos(), n)
			default:
				im.refuse(d.Pos(), "%s %s has no value", b.Kind, n)
				continue
			}
			if b.Kind == "CONSTANT" {
				im.consts[n] = num(v)
				continue
			}
			scale, u := scaledUnit(d.Units)
			if u != "" && u != "degC" {
				if _, err := units.Parse(u); err != nil {
					im.refuse(d.Units.Pos(), "%s: units (%s) are not imported: %v", n, d.Units.Text, err)
					continue
				}
			}
			if scale != 1 && u == "degC" {
				im.refuse(d.Units.Pos(), "%s: units (%s) are not imported: a temperature with a factor", n, d.Units.Text)
				continue
			}
			p := &param{key: n, name: im.specName(n, d.Pos()), unit: u, scale: scale, value: v, pos: d.Pos()}
			if c := im.file.TrailingComment(d); c != nil {
				p.doc = strings.TrimSpace(c.Text)
			}
			if d.Lo != nil && d.Hi != nil && !d.From {
				// NEURON's range only bounds what its GUI offers: the doc keeps it.
				r := fmt.Sprintf("NEURON's range <%s, %s>", strconv.FormatFloat(numValue(d.Lo), 'g', -1, 64), strconv.FormatFloat(numValue(d.Hi), 'g', -1, 64))
				if p.doc != "" {
					r = p.doc + "; " + r
				}
				p.doc = r
			}
			im.params = append(im.params, p)
		case "STATE":
			im.states = append(im.states, n)
			im.sname[n] = im.specName(n, d.Pos())
		case "ASSIGNED", "INDEPENDENT":
		default:
			im.refuse(d.Pos(), "%s is not imported", b.Kind)
		}
	}
}

func numValue(x nmodl.Expr) float64 {
	switch x := x.(type) {
	case *nmodl.Number:
		return x.Value
	case *nmodl.Unary:
		return -numValue(x.X)
	}
	return 0
}

// globals are the names a mechanism starts with.
func (im *importer) globals() map[string]*ex {
	g := map[string]*ex{"v": bin("/", name("V"), raw("mV")), "t": bin("/", name("t"), raw("ms")), "celsius": bin("-", bin("/", name("T"), raw("K")), num(273.15))}
	for n, x := range im.reads {
		g[n] = x
	}
	for n, x := range im.consts {
		g[n] = x
	}
	for _, p := range im.params {
		switch p.unit {
		case "":
			g[p.key] = name(p.name)
		case "degC":
			g[p.key] = bin("-", bin("/", name(p.name), raw("K")), num(273.15))
		default:
			u := exprUnit(p.unit)
			if strings.ContainsAny(u, "/* ^") {
				u = "(" + u + ")"
			}
			g[p.key] = bin("/", name(p.name), raw(u))
		}
		if p.scale != 1 {
			// NMODL's number of a parameter in (100/coulomb meter) is its value over that unit.
			s := strconv.FormatFloat(p.scale, 'g', -1, 64)
			switch p.unit {
			case "":
				g[p.key] = bin("/", name(p.name), raw(s))
			default:
				g[p.key] = bin("/", name(p.name), raw("("+s+"*("+exprUnit(p.unit)+"))"))
			}
		}
	}
	for _, s := range im.states {
		if c := im.concOf(s); c != "" {
			g[s] = bin("/", name(ionName(im.ions[c])+"_i"), raw("mM"))
			continue
		}
		g[s] = name(im.sname[s])
	}
	return g
}

// isConc reports whether the state s is an inner concentration that the mechanism writes (cai
// of a pool, or the STATE copied into it).
func (im *importer) isConc(s string) bool { return im.concOf(s) != "" }

// concOf returns the concentration (cai) whose pool's STATE is s, "" if none.
func (im *importer) concOf(s string) string {
	for _, c := range im.concs {
		if im.concState[c] == s {
			return c
		}
	}
	return ""
}
