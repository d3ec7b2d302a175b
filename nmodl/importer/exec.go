package importer

import (
	"maps"
	"strings"

	"github.com/neurogen/neurogen/nmodl"
	"github.com/neurogen/neurogen/spec"
)

func (im *importer) lookup(n string) (*ex, bool) {
	for i := len(im.frames) - 1; i >= 0; i-- {
		if x, ok := im.frames[i][n]; ok {
			return x, true
		}
	}
	return nil, false
}

func (im *importer) set(n string, x *ex) {
	for i := len(im.frames) - 1; i > 0; i-- {
		if _, ok := im.frames[i][n]; ok {
			im.frames[i][n] = x
			return
		}
	}
	im.frames[0][n] = x
}

func (im *importer) copyFrames() []map[string]*ex {
	c := make([]map[string]*ex, len(im.frames))
	for i, f := range im.frames {
		c[i] = maps.Clone(f)
	}
	return c
}

// initOnly returns the variables that INITIAL assigns values that do not change: of the
// parameters, the temperature and outer concentrations only (a q10 factor tadj). NEURON keeps
// what INITIAL assigns, so BREAKPOINT and the blocks it solves read them.
func (im *importer) initOnly() map[string]*ex {
	if im.init == nil {
		return nil
	}
	errs, notes, steps := len(im.errs), len(im.notes), im.steps
	g := im.globals()
	im.frames = []map[string]*ex{maps.Clone(g)}
	im.body(im.init.Body, false)
	vals := im.frames[0]
	// This run only learns values: INITIAL's own run reports.
	im.errs, im.notes, im.steps = im.errs[:errs], im.notes[:notes], steps
	im.frames = []map[string]*ex{g}
	constant := map[string]bool{"T": true}
	for _, p := range im.params {
		constant[p.name] = true
	}
	out := map[string]*ex{}
	for n, x := range vals {
		if _, ok := g[n]; ok || x.op == "steady" || x.isSteady() {
			continue
		}
		used := map[string]bool{}
		x.names(used)
		ok := true
		for u := range used {
			if !constant[u] && !strings.HasSuffix(u, "_o") {
				ok = false
			}
		}
		if ok {
			out[n] = x
		}
	}
	return out
}

// run executes BREAKPOINT (and the DERIVATIVE block it solves) symbolically.
func (im *importer) run() {
	im.frames = []map[string]*ex{im.globals()}
	im.initVals = im.initOnly()
	maps.Copy(im.frames[0], im.initVals)
	refused := false // a SOLVE of BREAKPOINT
	for _, s := range im.bp.Body.Stmts {
		sv, ok := s.(*nmodl.Solve)
		if !ok {
			continue
		}
		switch m := sv.Method; {
		case sv.SteadyState || m == nil:
			refused = true
			im.refuse(sv.Pos(), "SOLVE %s in BREAKPOINT: only METHOD cnexp, derivimplicit, euler or runge (sparse for KINETIC) is imported", sv.Name.Name)
		case m.Name == "cnexp" || m.Name == "derivimplicit" || m.Name == "euler" || m.Name == "runge" || m.Name == "sparse":
			d := im.blocks[sv.Name.Name]
			if d == nil {
				refused = true
				im.refuse(sv.Name.Pos(), "SOLVE %s: no DERIVATIVE or KINETIC block of that name", sv.Name.Name)
				continue
			}
			if (d.Kind == "KINETIC") != (m.Name == "sparse") {
				refused = true
				im.refuse(m.Pos(), "SOLVE %s METHOD %s: a DERIVATIVE block is solved by cnexp, a KINETIC one by sparse", sv.Name.Name, m.Name)
				continue
			}
			if m.Name != "cnexp" && m.Name != "sparse" {
				im.note("%s: SOLVE %s METHOD %s: integrated by the group's method", m.Pos(), sv.Name.Name, m.Name)
			}
			// What the block assigns stays for BREAKPOINT's statements, as in NEURON, where
			// the SOLVE runs first and ASSIGNED variables keep their values.
			im.block = sv.Name.Name
			if d.Kind == "KINETIC" {
				im.schemes[im.block] = &scheme{}
			}
			im.body(d.Body, true)
			im.block = ""
		default:
			refused = true
			im.refuse(m.Pos(), "METHOD %s is not imported (only cnexp, derivimplicit, euler and runge, and sparse for KINETIC)", m.Name)
		}
	}
	im.body(im.bp.Body, false)
	if im.init != nil {
		bp := im.frames
		g := im.globals()
		im.frames = []map[string]*ex{maps.Clone(g)}
		im.inInit = true
		im.body(im.init.Body, false)
		im.inInit = false
		for _, s := range im.states {
			if x := im.frames[0][s]; x != nil && !equal(x, g[s]) {
				im.inits[s] = x
			}
		}
		im.frames = bp
	}
	for _, s := range im.states {
		if im.derivs[s] == nil && !refused { // else a SOLVE was refused
			im.refuse(im.bp.Pos(), "state %s has no equation in the solved DERIVATIVE block", s)
		}
	}
}

func (im *importer) body(b *nmodl.Body, deriv bool) {
	for _, s := range b.Stmts {
		im.stmt(s, deriv)
	}
}

// maxSteps bounds the statements that inlining executes: a FUNCTION that calls another twice,
// which calls another twice ..., executes 2^depth bodies.
const maxSteps = 100000

func (im *importer) stmt(s nmodl.Stmt, deriv bool) {
	if im.steps++; im.steps > maxSteps {
		if im.steps == maxSteps+1 {
			im.errs.Add(s.Pos(), spec.TooLarge, "inlining PROCEDUREs and FUNCTIONs executes more than %d statements", maxSteps)
		}
		return
	}
	switch s := s.(type) {
	case *nmodl.Local:
		for _, d := range s.Names {
			if d.Size != nil {
				im.refuse(d.Pos(), "LOCAL arrays are not imported")
			}
			im.frames[len(im.frames)-1][d.Name.Name] = num(0)
		}
	case *nmodl.Assign:
		rhs := im.expr(s.Rhs)
		if rhs.size() > maxSize {
			im.tooLarge(s.Pos())
			rhs = num(0)
		}
		switch l := s.Lhs.(type) {
		case *nmodl.Ident:
			im.set(l.Name, rhs)
		case *nmodl.Deriv:
			if !deriv || l.Order != 1 {
				im.refuse(l.Pos(), "%s' outside a DERIVATIVE block (or of a higher order) is not imported", l.Name)
				return
			}
			im.derivs[l.Name] = rhs
			im.derivPos[l.Name] = l.Pos()
			im.derivBlock[l.Name] = im.block
		default:
			im.refuse(s.Pos(), "assignments to arrays are not imported")
		}
	case *nmodl.ExprStmt:
		if c, ok := s.X.(*nmodl.Call); ok {
			im.call(c)
			return
		}
		im.refuse(s.Pos(), "this statement is not imported")
	case *nmodl.If:
		c := truth(im.expr(s.Cond))
		before := im.copyFrames()
		im.body(s.Then, deriv)
		then := im.frames
		im.frames = before
		im.frames = im.copyFrames()
		if s.Else != nil {
			if b, ok := s.Else.(*nmodl.BlockStmt); ok && b.Kind == "" {
				im.body(b.Body, deriv)
			} else {
				im.stmt(s.Else, deriv)
			}
		}
		for i, f := range im.frames {
			for n, x := range then[i] {
				if y, ok := f[n]; !ok || !equal(x, y) {
					if !ok {
						y = num(0)
					}
					if f[n] = cond(c, x, y); f[n].size() > maxSize {
						im.tooLarge(s.Pos())
						f[n] = num(0)
					}
				}
			}
		}
	case *nmodl.Solve:
		// BREAKPOINT's are handled by run
		if im.inInit {
			im.initSolve(s)
		}
	case *nmodl.Reaction:
		im.reaction(s, deriv)
	case *nmodl.Conserve:
		im.conserve(s)
		im.note("%s: CONSERVE dropped (neurogen integrates every state of the scheme)", s.Pos())
	case *nmodl.Table:
		im.note("%s: TABLE dropped (neurogen evaluates the rates directly)", s.Pos())
	case *nmodl.UnitsSwitch:
	case *nmodl.BlockStmt:
		if s.Kind == "" {
			im.body(s.Body, deriv)
			return
		}
		im.refuse(s.Pos(), "%s is not imported", s.Kind)
	case *nmodl.VerbatimBlock:
		im.refuse(s.Pos(), "VERBATIM is not imported: C code has no spec equivalent")
	case *nmodl.While:
		im.refuse(s.Pos(), "while loops are not imported")
	case *nmodl.FromLoop:
		im.refuse(s.Pos(), "FROM ... TO loops are not imported")
	case *nmodl.Watch:
		im.refuse(s.Pos(), "WATCH is not imported")
	default:
		im.refuse(s.Pos(), "this statement is not imported")
	}
}

var builtins = map[string]string{"exp": "exp", "log": "log", "sqrt": "sqrt", "fabs": "abs", "pow": "pow",
	"tanh": "tanh", "sinh": "sinh", "cosh": "cosh", "expm1": "expm1", "log1p": "log1p"}

func (im *importer) call(c *nmodl.Call) *ex {
	n := c.Fun.Name
	var args []*ex
	for _, a := range c.Args {
		args = append(args, im.expr(a))
	}
	if f, ok := builtins[n]; ok {
		return call(f, args...)
	}
	if n == "log10" && len(args) == 1 {
		return bin("/", call("log", args[0]), call("log", num(10)))
	}
	fd := im.funcs[n]
	if fd == nil {
		im.refuse(c.Pos(), "call of %s: neither a PROCEDURE or FUNCTION of the file nor a function neurogen has", n)
		return num(0)
	}
	for _, s := range im.stack {
		if s == n {
			im.refuse(c.Pos(), "recursive call of %s is not imported", n)
			return num(0)
		}
	}
	if len(args) != len(fd.Params) {
		im.refuse(c.Pos(), "call of %s with %d arguments, want %d", n, len(args), len(fd.Params))
		return num(0)
	}
	frame := map[string]*ex{}
	for i, p := range fd.Params {
		frame[p.Name.Name] = args[i]
	}
	if fd.Kind == "FUNCTION" {
		frame[n] = num(0)
	}
	im.stack = append(im.stack, n)
	im.frames = append(im.frames, frame)
	im.body(fd.Body, false)
	top := im.frames[len(im.frames)-1]
	im.frames = im.frames[:len(im.frames)-1]
	im.stack = im.stack[:len(im.stack)-1]
	if fd.Kind == "FUNCTION" {
		return top[n]
	}
	return num(0)
}

func (im *importer) expr(x nmodl.Expr) *ex {
	switch x := x.(type) {
	case *nmodl.Number:
		return num(x.Value)
	case *nmodl.Ident:
		if v, ok := im.lookup(x.Name); ok {
			if iv := im.initVals[x.Name]; iv != nil && v == iv {
				im.note("%s: %s keeps the value that INITIAL assigns it, as in NEURON (it does not change)", im.init.Pos(), x.Name)
			}
			return v
		}
		im.refuse(x.Pos(), "%s: no value (not a PARAMETER, STATE, read ion variable or assigned before use)", x.Name)
		return num(0)
	case *nmodl.Paren:
		return im.expr(x.X)
	case *nmodl.Unary:
		a := im.expr(x.X)
		if x.Op == nmodl.Minus {
			if a.op == "num" && !a.isNum(0) {
				return num(-numOf(a))
			}
			return &ex{op: "neg", args: []*ex{a}}
		}
		return &ex{op: "not", args: []*ex{truth(a)}}
	case *nmodl.Binary:
		op := x.Op.String()
		if op == "^" {
			op = "**"
		}
		if op == "%" {
			im.refuse(x.OpPos, "%% is not imported")
		}
		l, r := im.expr(x.X), im.expr(x.Y)
		if op == "&&" || op == "||" {
			l, r = truth(l), truth(r)
		}
		return bin(op, l, r)
	case *nmodl.Call:
		return im.call(x)
	}
	im.refuse(x.Pos(), "this expression is not imported")
	return num(0)
}

// reaction adds the flux of ~ A + 2 B <-> C (kf, kb) to the derivatives of its states.
func (im *importer) reaction(r *nmodl.Reaction, kinetic bool) {
	if !kinetic || r.Op == nmodl.Flux || len(r.Rates) == 0 {
		im.refuse(r.Pos(), "this reaction is not imported (only A <-> B (kf, kb) and A -> B (k) in a KINETIC block)")
		return
	}
	side := func(rs []*nmodl.Reactant, k *ex) (*ex, []string, []float64) {
		f := k
		var names []string
		var coefs []float64
		for _, x := range rs {
			id, ok := x.State.(*nmodl.Ident)
			if !ok || im.sname[id.Name] == "" {
				im.refuse(x.Pos(), "a reactant must be a STATE of the file")
				return num(0), nil, nil
			}
			c := 1.0
			if x.Coef != nil {
				c = x.Coef.Value
			}
			s := name(im.sname[id.Name])
			if c != 1 {
				s = bin("**", s, num(c))
			}
			f = bin("*", f, s)
			names = append(names, id.Name)
			coefs = append(coefs, c)
		}
		return f, names, coefs
	}
	kf := im.expr(r.Rates[0])
	flux, ln, lc := side(r.Left, kf)
	var rn []string
	var rc []float64
	var back, kb *ex
	if r.Op == nmodl.Reversible && len(r.Rates) > 1 {
		kb = im.expr(r.Rates[1])
		back, rn, rc = side(r.Right, kb)
		flux = bin("-", flux, back)
	} else {
		_, rn, rc = side(r.Right, num(1))
	}
	add := func(s string, c float64, sign string) {
		d := im.derivs[s]
		if d == nil {
			d = num(0)
			im.derivPos[s] = r.Pos()
		}
		im.derivBlock[s] = im.block
		t := flux
		if c != 1 {
			t = bin("*", num(c), flux)
		}
		if im.derivs[s] = bin(sign, d, t); im.derivs[s].size() > maxSize {
			im.tooLarge(r.Pos())
			im.derivs[s] = num(0)
		}
	}
	if sch := im.schemes[im.block]; sch != nil {
		sch.add(r, ln, lc, rn, rc, kf, kb)
	}
	for i, s := range ln {
		add(s, lc[i], "-")
	}
	for i, s := range rn {
		add(s, rc[i], "+")
	}
}

func (im *importer) tooLarge(pos spec.Pos) {
	im.errs.Add(pos, spec.TooLarge, "the expression is too large once PROCEDUREs and FUNCTIONs are inlined (over %d operations)", maxSize)
}

// truth makes x a condition: NMODL tests a number against 0 (if (adj)), a spec needs a
// comparison.
func truth(x *ex) *ex {
	switch x.op {
	case "<", ">", "<=", ">=", "==", "!=", "&&", "||", "not":
		return x
	}
	return bin("!=", x, num(0))
}
