package codegen

import (
	"bytes"
	"fmt"
	"go/format"
	"maps"
	"math"
	"strings"

	"github.com/dave/jennifer/jen"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/symbolic"
)

// Eight- and four-lane Steps (Options.SIMD).
//
// With SIMD on, Generate writes two more files beside the model's: NAME_x4.go, built only
// with GOEXPERIMENT=simd on amd64, holds stepX8, which steps neurons eight at a time with
// simd/archsimd's Float64x8 (AVX-512), and stepX4, four at a time with Float64x4 (AVX2);
// NAME_nox4.go, built everywhere else, holds a stepX8 and a stepX4 that do nothing. StepRange
// calls stepX8 (when runtime.HasAVX512), then stepX4 (when runtime.HasAVX2) on what is left,
// and steps the rest one at a time. The two are one renderer's, vgen's, at two widths.
//
// Each computes the same expressions as the scalar loop, operation for operation in the
// same order, with runtime.ExpX8, ExprelX8 and ExprelOfX8 (ExpX4, …), which give the bits of
// Exp, Exprel and ExprelOf: so the paths give the same results bit for bit (tests hold every
// SIMD package to it). The scalar loop compiles without fused multiply–adds on GOAMD64 v1 and
// v2 (the default); under v3 Go may fuse them, and the paths may then differ in the last bits.
//
// The loop bodies are all vector code: a legacy SSE instruction (any scalar float64
// operation) among 256-bit ones costs a state transition on some CPUs, so spike detection and
// timing are done on the lanes too.

const simdPkg = "simd/archsimd"

// vecFuncs are the functions that have vector forms in the runtime (ExpX4 and ExpX8, …), by
// spec name; sqrt and abs are exact on the lanes too. The others (log, tanh, min, pow with a
// general exponent…) run lane by lane (runtime.LanesX4, LanesX8), as in the scalar loop.
var vecFuncs = map[string]string{"exp": "Exp", "exprel": "Exprel", "exprel_of": "ExprelOf"}

// vecPow returns the exponent x if genPow writes it without math.Pow, else 0.
func vecPow(x *symbolic.Expr) float64 {
	v, ok := x.IsConst()
	if !ok {
		return 0
	}
	n := math.Abs(v)
	if (n == math.Trunc(n) && n >= 1 && n <= 4) || n == 0.5 {
		return v
	}
	return 0
}

// vgen renders expressions on four or eight lanes. Locals of the loop are Float64x4 or
// Float64x8 (Mask64x4, Mask64x8 for conditions) of the same names as in the scalar loop;
// group-wide values (parameters, hoisted statements, t, dt) and constants are broadcast once,
// before the loop, into locals of their own.
type vgen struct {
	g       *generator
	lanes   int               // 4 or 8
	scalar  map[string]bool   // names of group-wide float64 locals
	bcast   map[string]string // scalar local → its broadcast
	consts  map[uint64]string // constant bits → its broadcast
	hoisted []jen.Code        // the broadcasts, in order of first use
	nconst  int
	dt      jen.Code // dt on the lanes
	halfDt  string   // the group-wide local holding 0.5*dt, where an update needs it
}

// simd returns archsimd's name + the lanes: simd("Float64x") is Float64x4 or Float64x8.
func (v *vgen) simd(name string) *jen.Statement {
	return jen.Qual(simdPkg, fmt.Sprintf("%s%d", name, v.lanes))
}

// rt returns the runtime's function name on the lanes: rt("Exp") is runtime.ExpX4 or ExpX8.
func (v *vgen) rt(name string) *jen.Statement {
	return jen.Qual(runtimePkg, fmt.Sprintf("%sX%d", name, v.lanes))
}

// array is the type [lanes]elem.
func (v *vgen) array(elem jen.Code) jen.Code {
	return jen.Index(jen.Lit(v.lanes)).Add(elem)
}

func (v *vgen) broadcast(c jen.Code) jen.Code {
	return v.simd("BroadcastFloat64x").Call(c)
}

// constant returns the local that holds c on the lanes.
func (v *vgen) constant(c float64) jen.Code {
	bits := math.Float64bits(c)
	if name, ok := v.consts[bits]; ok {
		return jen.Id(name)
	}
	v.nconst++
	name := v.g.local(fmt.Sprintf("k%d", v.nconst))
	v.consts[bits] = name
	lit, _ := num(c)
	v.hoisted = append(v.hoisted, jen.Id(name).Op(":=").Add(v.broadcast(lit)))
	return jen.Id(name)
}

// symbol returns the local of a (renamed) symbol on the lanes.
func (v *vgen) symbol(n string) jen.Code {
	if !v.scalar[n] {
		return jen.Id(n)
	}
	if b, ok := v.bcast[n]; ok {
		return jen.Id(b)
	}
	b := v.g.local(fmt.Sprintf("%s_x%d", n, v.lanes))
	v.bcast[n] = b
	v.hoisted = append(v.hoisted, jen.Id(b).Op(":=").Add(v.broadcast(jen.Id(n))))
	return jen.Id(b)
}

// expr renders e in the association of gen (left to right, as Go evaluates the scalar code),
// so that each lane computes what the scalar loop computes.
func (v *vgen) expr(e *symbolic.Expr, name func(string) string) jen.Code {
	switch e.Op {
	case symbolic.OpConst:
		return v.constant(e.Val)
	case symbolic.OpVar:
		return v.symbol(name(e.Name))
	case symbolic.OpAdd:
		var acc jen.Code
		for i, t := range orderTerms(e.Args, v.g.sumRanks()) {
			if i == 0 {
				acc = v.expr(t, name)
				continue
			}
			neg, mag := term(t)
			op := "Add"
			if neg {
				op = "Sub"
			}
			acc = jen.Add(acc).Dot(op).Call(v.expr(mag, name))
		}
		return acc
	case symbolic.OpMul:
		numer, denom, coef := symbolic.SplitFraction(e)
		var acc jen.Code
		switch {
		case coef == -1 && len(numer) > 0:
			acc = v.rt("Neg").Call(v.expr(numer[0], name))
			numer = numer[1:]
		case coef != 1 || len(numer) == 0:
			acc = v.constant(coef)
		}
		for _, f := range numer {
			acc = v.factor(acc, f, name)
		}
		for _, f := range denom {
			acc = jen.Add(acc).Dot("Div").Call(v.expr(f, name))
		}
		return acc
	case symbolic.OpPow:
		return v.pow(e.Args[0], e.Args[1], name)
	case symbolic.OpCall:
		args := make([]jen.Code, len(e.Args))
		for i, a := range e.Args {
			args[i] = v.expr(a, name)
		}
		switch e.Name {
		case "sqrt":
			return jen.Add(args[0]).Dot("Sqrt").Call()
		case "abs":
			return v.rt("Abs").Call(args[0])
		case "pow":
			return v.pow(e.Args[0], e.Args[1], name)
		case "min", "max":
			return v.lanes2(args[0], args[1], builtin(e.Name))
		case "clip":
			return v.lanes2(v.lanes2(args[0], args[1], builtin("max")), args[2], builtin("min"))
		}
		if f, ok := vecFuncs[e.Name]; ok {
			return v.rt(f).Call(args...)
		}
		if f, ok := mathFuncs[e.Name]; ok {
			// No vector form: math's function on each lane.
			return v.rt("Lanes").Call(args[0], jen.Qual(mathPkg, f))
		}
		panic("codegen: no vector code for function " + e.Name)
	case symbolic.OpCond:
		// runtime.Choose evaluates both branches too.
		return jen.Add(v.expr(e.Args[1], name)).Dot("Merge").Call(v.expr(e.Args[2], name), v.expr(e.Args[0], name))
	case symbolic.OpNot:
		return v.rt("Not").Call(v.expr(e.Args[0], name))
	case symbolic.OpAnd:
		return jen.Add(v.expr(e.Args[0], name)).Dot("And").Call(v.expr(e.Args[1], name))
	case symbolic.OpOr:
		return jen.Add(v.expr(e.Args[0], name)).Dot("Or").Call(v.expr(e.Args[1], name))
	case symbolic.OpNE:
		// Go's != is true where either side is NaN: the negation of an ordered ==.
		return v.rt("Not").Call(jen.Add(v.expr(e.Args[0], name)).Dot("Equal").Call(v.expr(e.Args[1], name)))
	}
	cmp := map[symbolic.Op]string{symbolic.OpLT: "Less", symbolic.OpLE: "LessEqual", symbolic.OpGT: "Greater",
		symbolic.OpGE: "GreaterEqual", symbolic.OpEQ: "Equal"}[e.Op]
	if cmp == "" {
		panic("codegen: no vector form of " + e.Op.String()) // vectorizable rules it out
	}
	return jen.Add(v.expr(e.Args[0], name)).Dot(cmp).Call(v.expr(e.Args[1], name))
}

// factor multiplies acc (nil: none yet) by f as genProduct writes it: gen leaves a power
// written as a product (b*b*b) or a quotient (1.0 / (b*b)) unparenthesised among the other
// factors, so Go multiplies acc by each of its factors in turn.
func (v *vgen) factor(acc jen.Code, f *symbolic.Expr, name func(string) string) jen.Code {
	if acc == nil {
		return v.expr(f, name)
	}
	var b, x *symbolic.Expr
	switch {
	case f.Op == symbolic.OpPow:
		b, x = f.Args[0], f.Args[1]
	case f.Op == symbolic.OpCall && f.Name == "pow":
		b, x = f.Args[0], f.Args[1]
	default:
		return jen.Add(acc).Dot("Mul").Call(v.expr(f, name))
	}
	p := vecPow(x)
	n := math.Abs(p)
	switch {
	case p < 0:
		// acc * 1.0 / c
		c := v.pow(b, symbolic.Const(n), name)
		return jen.Add(acc).Dot("Mul").Call(v.constant(1)).Dot("Div").Call(c)
	case n >= 2:
		for range int(n) {
			acc = jen.Add(acc).Dot("Mul").Call(v.expr(b, name))
		}
		return acc
	}
	return jen.Add(acc).Dot("Mul").Call(v.pow(b, x, name))
}

// lanes2 applies a scalar function of two arguments to each lane.
func (v *vgen) lanes2(a, b, f jen.Code) jen.Code {
	return v.rt("Lanes2").Call(a, b, f)
}

// builtin is Go's min or max as a function value.
func builtin(name string) jen.Code {
	return jen.Func().Params(jen.List(jen.Id("a"), jen.Id("b")).Float64()).Float64().Block(jen.Return(jen.Id(name).Call(jen.Id("a"), jen.Id("b"))))
}

// pow mirrors genPow: b*b*b, Sqrt, and 1/… for negative exponents; other exponents take
// math.Pow on each lane.
func (v *vgen) pow(b, x *symbolic.Expr, name func(string) string) jen.Code {
	p := vecPow(x)
	if p == 0 {
		return v.lanes2(v.expr(b, name), v.expr(x, name), jen.Qual(mathPkg, "Pow"))
	}
	n := math.Abs(p)
	var c jen.Code
	if n == 0.5 {
		c = jen.Add(v.expr(b, name)).Dot("Sqrt").Call()
	} else {
		c = v.expr(b, name)
		for k := 1; k < int(n); k++ {
			c = jen.Add(c).Dot("Mul").Call(v.expr(b, name))
		}
	}
	if p > 0 {
		return c
	}
	return jen.Add(v.constant(1)).Dot("Div").Call(c)
}

// stmts renders statements as assignments on the lanes, with their comments.
func (v *vgen) stmts(list []*ir.Stmt, rename func(string) string) []jen.Code {
	if rename == nil {
		rename = v.g.id
	}
	var out []jen.Code
	for _, st := range list {
		out = append(out, comments(st.Comment...)...)
		out = append(out, comments(v.g.foldNotes(st, rename)...)...)
		out = append(out, v.g.lineDirective(st, jen.Id(rename(st.Local)).Op(":=").Add(v.expr(st.Expr, rename)))...)
	}
	return out
}

// checkSIMD returns why the model has no vector Step, or nil.
func (g *generator) checkSIMD() error {
	m := g.m
	if !m.Method.Linearised() {
		return fmt.Errorf("SIMD code is generated for the exp_auto and staggered methods, not %s", m.Method)
	}
	return nil
}

// stepVec renders the step plan p on four or eight lanes, the body of stepX4 or stepX8; see
// the comment at the top of this file. The slices, the loop's locals and the new values have
// StepRange's names.
func (g *generator) stepVec(p *stepPlan, lanes int) []jen.Code {
	m := g.m
	V := p.V
	v := &vgen{g: g, lanes: lanes, scalar: map[string]bool{g.id(m.Time): true, "dt": true}, bcast: map[string]string{}, consts: map[uint64]string{}}
	has := map[int]string{4: "HasAVX2", 8: "HasAVX512"}[lanes]
	for _, q := range m.Params {
		if !q.PerNeuron {
			v.scalar[g.id(q.Local)] = true
		}
	}
	for _, s := range p.pre {
		v.scalar[g.id(s.Local)] = true
	}

	var out []jen.Code
	out = append(out,
		jen.If(jen.Op("!").Qual(runtimePkg, has)).Block(jen.Return(jen.Id("lo"))),
		jen.Id("n").Op(":=").Parens(jen.Id("hi").Op("-").Id("lo")).Op("&^").Lit(lanes-1))
	out = append(out, g.paramLoads(p.uses)...)
	out = append(out, g.stmts(p.pre, nil)...)
	first := p.slices[0].local
	out = append(out, jen.Id(first).Op(":=").Id("g").Dot(g.names.stateField(V)).Index(jen.Id("lo").Op(":").Id("lo").Op("+").Id("n")))
	for _, s := range p.slices[1:] {
		out = append(out, jen.Id(s.local).Op(":=").Id("g").Dot(s.field).Index(jen.Id("lo").Op(":").Id("lo").Op("+").Id("n")).Index(jen.Op(":").Len(jen.Id(first))))
	}
	out = append(out, jen.Id("clamp").Op(":=").Id("g").Dot("clamp").Comment("voltage clamp: dV/dt = 0"))

	var loop []jen.Code
	for _, s := range p.slices {
		switch {
		case s.value == "":
		case s.state != nil && g.opts.Float32:
			// single precision in the group, widened exactly
			loop = append(loop, jen.Id(s.value).Op(":=").Add(v.loadSlice("Float32")).Call(jen.Id(s.local).Index(jen.Id("i").Op(":"))).Dot("ConvertToFloat64").Call())
		default:
			loop = append(loop, jen.Id(s.value).Op(":=").Add(v.loadSlice("Float64")).Call(jen.Id(s.local).Index(jen.Id("i").Op(":"))))
		}
	}
	v.dt = v.symbol("dt")
	if p.tab != "" {
		out = append(out, jen.Id(p.tab).Op(":=").Id("g").Dot("table").Call(jen.Id("dt")))
	}
	// The group-wide values of the operations, computed once before the loop.
	for _, op := range p.ops {
		if op, ok := op.(opUpdate); ok && op.rule == ruleCrankNicolson && v.halfDt == "" {
			// 0.5*dt is computed as the scalar loop computes it, before its product with L.
			v.halfDt = g.local("halfDt")
			out = append(out, jen.Id(v.halfDt).Op(":=").Lit(0.5).Op("*").Id("dt"))
			v.scalar[v.halfDt] = true
		}
	}
	for _, op := range p.hoisted {
		out = append(out, g.stepOp(p, op)...)
		switch op := op.(type) {
		case opTime:
			v.scalar[op.local] = true
		case opCompute:
			for _, s := range op.stmts {
				v.scalar[g.renamer(op.rename)(s.Local)] = true
			}
		case opExprel:
			v.scalar[op.local] = true
		}
	}
	for _, op := range p.ops {
		loop = append(loop, v.stepOp(p, op)...)
	}

	next, dt := p.next, v.dt
	vth := v.symbol(g.id(p.Vth.Local))
	mask := g.local("up")
	bits := g.local("upBits")
	spikeTimes := jen.Parens(jen.Op("*").Add(v.array(jen.Float64()))).Call(jen.Id(p.slice("spikeTime")).Index(jen.Id("i").Op(":").Id("i").Op("+").Lit(lanes)))
	if p.refractory > 0 {
		out = append(out, g.refractoryStart(p))
		v.scalar[p.tRef] = true
		loop = append(loop,
			jen.Comment("// a spike where V > V_th after the step and the neuron is not refractory (Brian2's threshold"),
			jen.Comment("// with its refractory period), stamped with the step's start t as Brian2 stamps it"),
			jen.Id(mask).Op(":=").Id(next[V]).Dot("Greater").Call(vth).Dot("And").Call(
				v.loadSlice("Float64").Call(jen.Id(p.slice("spikeTime")).Index(jen.Id("i").Op(":"))).Dot("Less").Call(v.symbol(p.tRef))),
			jen.Id(bits).Op(":=").Id(mask).Dot("ToBits").Call())
	} else {
		loop = append(loop,
			jen.Comment("// a spike is an upward crossing of V_th, timed by linear interpolation"),
			jen.Id(mask).Op(":=").Id(g.id(V.Local)).Dot("Less").Call(vth).Dot("And").Call(jen.Id(next[V]).Dot("GreaterEqual").Call(vth)),
			jen.Id(bits).Op(":=").Id(mask).Dot("ToBits").Call())
	}
	sp := g.local("sp")
	loop = append(loop, jen.Id(sp).Op(":=").Parens(jen.Op("*").Add(v.array(jen.Bool()))).Call(jen.Id(p.slice("spiked")).Index(jen.Id("i").Op(":").Id("i").Op("+").Lit(lanes))))
	for j := range lanes {
		loop = append(loop, jen.Id(sp).Index(jen.Lit(j)).Op("=").Id(bits).Op("&").Lit(1<<j).Op("!=").Lit(0))
	}
	var stamp jen.Code = jen.Add(v.symbol(g.id(m.Time))).Dot("Add").Call(jen.Add(dt).Dot("Mul").Call(jen.Add(vth).Dot("Sub").Call(jen.Id(g.id(V.Local)))).Dot("Div").Call(
		jen.Id(next[V]).Dot("Sub").Call(jen.Id(g.id(V.Local)))))
	if p.refractory > 0 {
		stamp = v.symbol(g.id(m.Time))
	}
	loop = append(loop, jen.If(jen.Id(bits).Op("!=").Lit(0)).Block(
		jen.Add(stamp).Dot("StoreMasked").Call(spikeTimes, jen.Id(mask))))
	for _, st := range p.floors {
		// max(x, floor) for floor > 0: floor where x < floor, else x (NaN stays NaN).
		fl := v.constant(st.Floor)
		loop = append(loop, jen.Comment(fmt.Sprintf("// %s stays positive (at least %g)", st.Name, st.Floor)),
			jen.Id(next[st]).Op("=").Add(fl).Dot("Merge").Call(jen.Id(next[st]), jen.Id(next[st]).Dot("Less").Call(fl)))
	}
	for _, st := range p.states {
		val := jen.Id(next[st])
		if g.opts.Float32 {
			val = jen.Id(next[st]).Dot("ConvertToFloat32").Call()
		}
		loop = append(loop, jen.Add(val).Dot("StoreSlice").Call(jen.Id(p.slice(g.names.stateField(st))).Index(jen.Id("i").Op(":"))))
	}
	out = append(out, v.hoisted...)
	out = append(out, jen.For(jen.Id("i").Op(":=").Lit(0), jen.Id("i").Op("<").Len(jen.Id(first)), jen.Id("i").Op("+=").Lit(lanes)).Block(loop...))
	out = append(out, jen.Return(jen.Id("lo").Op("+").Id("n")))
	return out
}

// loadSlice is archsimd's LoadFloat64x4Slice (LoadFloat32x8Slice, …) for elem, Float64 or
// Float32, on the lanes.
func (v *vgen) loadSlice(elem string) *jen.Statement {
	return jen.Qual(simdPkg, fmt.Sprintf("Load%sx%dSlice", elem, v.lanes))
}

// stepOp renders one operation of the loop's body of the step plan p on the lanes. (The
// plan's group-wide operations are scalar code, before the loop.)
func (v *vgen) stepOp(p *stepPlan, op stepOp) []jen.Code {
	switch op := op.(type) {
	case opComment:
		return []jen.Code{jen.Comment("// " + op.text)}
	case opCompute:
		return v.stmts(op.stmts, v.g.renamer(op.rename))
	case opClamp:
		return []jen.Code{jen.If(jen.Id("clamp")).Block(jen.Id(op.dV).Op("=").Add(v.simd("Float64x")).Values())}
	case opUpdate:
		return []jen.Code{jen.Id(op.dst).Op(":=").Add(v.update(op))}
	case opTable:
		return v.tableStep(p, op)
	}
	panic(fmt.Sprintf("codegen: no vector code for %T", op))
}

// update is the new value of an update on the lanes, as Go evaluates scalarUpdate's.
func (v *vgen) update(op opUpdate) jen.Code {
	dt := v.dt
	switch op.rule {
	case ruleExp:
		// x + dt*d*Exprel(dt*L), as (x + ((dt*d)*Exprel(dt*L))).
		// d and L may be group-wide (a receptor's L = -1/tau, computed before the loop): symbol
		// broadcasts those to the lanes.
		return jen.Id(op.x).Dot("Add").Call(jen.Add(dt).Dot("Mul").Call(v.symbol(op.d)).Dot("Mul").Call(v.exprel(op)))
	case ruleExpCoupled:
		// (x + ((dt*d)*Exprel(dt*L))) + ((((dt*dt)*k)*dy)*Exprel2(dt*L, dt*Ly)) + …, as the
		// scalar code groups it.
		c := jen.Id(op.x).Dot("Add").Call(jen.Add(dt).Dot("Mul").Call(v.symbol(op.d)).Dot("Mul").Call(v.exprel(op)))
		for _, dr := range op.drives {
			c.Dot("Add").Call(jen.Add(dt).Dot("Mul").Call(dt).Dot("Mul").Call(v.symbol(dr.k)).Dot("Mul").Call(v.symbol(dr.dy)).Dot("Mul").Call(
				v.exprel2(op, dr)))
		}
		return c
	case ruleCrankNicolson:
		return jen.Id(op.x).Dot("Add").Call(jen.Add(dt).Dot("Mul").Call(v.symbol(op.d)).Dot("Div").Call(
			jen.Add(v.constant(1)).Dot("Sub").Call(jen.Add(v.symbol(v.halfDt)).Dot("Mul").Call(v.symbol(op.l)))))
	case ruleEuler, ruleStage, ruleSum:
		// the rules of euler, rk2 and rk4, which have no vector step
	}
	panic(fmt.Sprintf("codegen: no vector code for update rule %d", op.rule)) // checkSIMD refuses the method
}

// exprel is Exprel(dt*l) of an exponential update on the lanes: the broadcast of the local
// computed before the loop (opExprel) where l is group-wide.
func (v *vgen) exprel(op opUpdate) jen.Code {
	if op.exprel != "" {
		return v.symbol(op.exprel)
	}
	return v.rt("Exprel").Call(jen.Add(v.dt).Dot("Mul").Call(v.symbol(op.l)))
}

// exprel2 is Exprel2(dt*l, dt*ly) of a drive on the lanes, as exprel.
func (v *vgen) exprel2(op opUpdate, dr drive) jen.Code {
	if dr.exprel2 != "" {
		return v.symbol(dr.exprel2)
	}
	return v.rt("Exprel2").Call(jen.Add(v.dt).Dot("Mul").Call(v.symbol(op.l)), jen.Add(v.dt).Dot("Mul").Call(v.symbol(dr.ly)))
}

// tableStep is generator.tableStep on the lanes: each lane reads its row of the table (the
// four numbers of each gate's A and B at point k, loaded together and transposed into lanes)
// and interpolates as the scalar loop does. Where some lane's V is outside the tables, the
// exact step runs on all the lanes and those lanes take its values.
func (v *vgen) tableStep(p *stepPlan, op opTable) []jen.Code {
	g := v.g
	name := g.renamer(op.rename)
	u, in, inBits, kk, f, k := g.local("ux"), g.local("in"), g.local("inBits"), g.local("uin"), g.local("fx"), g.local("kx")
	for _, c := range []string{"tabVMin", "tabScale", "tabN"} {
		v.scalar[c] = true
	}
	// x.Trunc() on four lanes; Float64x8 has TruncScaled(0), the same rounding towards zero
	trunc := jen.Id(kk).Dot("Trunc").Call()
	if v.lanes == 8 {
		trunc = jen.Id(kk).Dot("TruncScaled").Call(jen.Lit(0))
	}
	out := []jen.Code{
		jen.Comment("// " + op.comment()),
		jen.Id(u).Op(":=").Id(op.v).Dot("Sub").Call(v.symbol("tabVMin")).Dot("Mul").Call(v.symbol("tabScale")),
		jen.Id(in).Op(":=").Id(u).Dot("GreaterEqual").Call(v.constant(0)).Dot("And").Call(jen.Id(u).Dot("Less").Call(v.symbol("tabN"))),
		jen.Id(inBits).Op(":=").Id(in).Dot("ToBits").Call(),
		jen.Comment("// lanes outside the tables read row 0, and take the exact step's values below"),
		jen.Id(kk).Op(":=").Id(u).Dot("Masked").Call(jen.Id(in)),
		jen.Id(f).Op(":=").Id(kk).Dot("Sub").Call(trunc).Comment("where V lies between points k and k+1"),
		jen.Var().Id(k).Add(v.array(jen.Int32())),
		jen.Id(kk).Dot("ConvertToInt32").Call().Dot("Store").Call(jen.Op("&").Id(k)),
	}
	rows := make([]string, v.lanes)
	for lane := range rows {
		rows[lane] = g.local(fmt.Sprintf("r%d", lane))
		out = append(out, jen.Id(rows[lane]).Op(":=").Op("&").Id(p.tab).Index(jen.Id(k).Index(jen.Lit(lane))))
	}
	var exactNext []jen.Code
	for j, st := range op.gates {
		next := p.next[st]
		a0, a1, b0, b1 := g.local(g.id(st.Local)+"_A0"), g.local(g.id(st.Local)+"_A1"), g.local(g.id(st.Local)+"_B0"), g.local(g.id(st.Local)+"_B1")
		var loads []jen.Code
		for lane := range v.lanes {
			row := jen.Parens(jen.Op("*").Index(jen.Lit(4)).Float64()).Call(jen.Id(rows[lane]).Index(jen.Lit(4 * j).Op(":").Lit(4*j + 4)))
			loads = append(loads, jen.Qual(simdPkg, "LoadFloat64x4").Call(row))
		}
		out = append(out,
			jen.List(jen.Id(a0), jen.Id(a1), jen.Id(b0), jen.Id(b1)).Op(":=").Add(v.rt("Transpose")).Call(loads...),
			// (A0 + f*A1)*x + B0 + f*B1, as Go evaluates it
			jen.Id(next).Op(":=").Id(a0).Dot("Add").Call(jen.Id(f).Dot("Mul").Call(jen.Id(a1))).Dot("Mul").Call(jen.Id(g.id(st.Local))).
				Dot("Add").Call(jen.Id(b0)).Dot("Add").Call(jen.Id(f).Dot("Mul").Call(jen.Id(b1))))
		e := g.local(g.id(st.Local) + "_exact")
		exactNext = append(exactNext,
			jen.Id(e).Op(":=").Add(v.update(opUpdate{rule: ruleExp, x: g.id(st.Local), d: name(st.Deriv.Local), l: name(st.Linear.Local)})),
			jen.Id(next).Op("=").Id(next).Dot("Merge").Call(jen.Id(e), jen.Id(in)))
	}
	fromExact := []jen.Code{jen.Comment("// V outside the tables in some lane: the exact step")}
	fromExact = append(fromExact, v.stmts(op.exact, name)...)
	fromExact = append(fromExact, exactNext...)
	return append(out, jen.If(jen.Id(inBits).Op("!=").Lit(1<<v.lanes-1)).Block(fromExact...))
}

// vecDoc is the doc comment of stepX4 and stepX8.
const vecDoc = "stepX%[1]d steps neurons lo <= i < lo+n, n = (hi-lo) rounded down to a multiple of %[1]d, %[2]s at a " +
	"time with simd/archsimd (%[3]s), and returns lo+n, where StepRange goes on %[4]s. " +
	"Each lane computes what StepRange's loop computes, in the same order, so the results are the " +
	"same bits. On a CPU without %[3]s (or with NEUROGEN_SIMD set to fewer lanes) it returns lo."

// vectorFiles returns the file of the eight- and four-lane steps and its stub, named after the
// model's file.
func (g *generator) vectorFiles(modelFile string, step *stepPlan) (map[string][]byte, error) {
	m := g.m
	base := strings.TrimSuffix(modelFile, ".go")
	header := "// Code generated by neurogen from " + g.headerName() + "; DO NOT EDIT."

	f := jen.NewFilePathName("", m.Package)
	f.HeaderComment(header)
	f.HeaderComment("//go:build goexperiment.simd && amd64")
	f.ImportName(runtimePkg, "runtime")
	f.ImportName(mathPkg, "math")
	f.ImportName(simdPkg, "archsimd")
	// The two functions take the same locals: the second gets the names the first got.
	taken := maps.Clone(g.names.locals.taken)
	for i, w := range []struct {
		lanes            int
		count, cpu, rest string
	}{{8, "eight", "AVX-512", "four neurons at a time (stepX4), then one"}, {4, "four", "AVX2", "one neuron at a time"}} {
		if i > 0 {
			f.Line()
			g.names.locals.taken = maps.Clone(taken)
		}
		for _, c := range comments(wrapText(fmt.Sprintf(vecDoc, w.lanes, w.count, w.cpu, w.rest), docWidth)) {
			f.Add(c)
		}
		body := g.stepVec(step, w.lanes)
		f.Func().Params(jen.Id("g").Op("*").Id("Group")).Id(fmt.Sprintf("stepX%d", w.lanes)).Params(jen.List(jen.Id("lo"), jen.Id("hi")).Int(), jen.List(jen.Id("t"), jen.Id("dt")).Float64()).Int().Block(body...)
	}
	var buf bytes.Buffer
	if err := f.Render(&buf); err != nil {
		return nil, fmt.Errorf("codegen: %s: %w", m.Name, err)
	}
	// A blank line between the header and the build constraint, as gofmt writes it by hand.
	src := bytes.Replace(buf.Bytes(), []byte("EDIT.\n//go:build"), []byte("EDIT.\n\n//go:build"), 1)
	vec, err := format.Source(groupImports(src))
	if err != nil {
		return nil, fmt.Errorf("codegen: %s: generated vector code does not parse (a bug in neurogen): %w", m.Name, err)
	}
	if vec, err = renumberTemps(vec, g.temps()); err != nil {
		return nil, err
	}
	if g.opts.LineDirectives {
		if vec, err = fixLines(vec, g.specName(), base+"_x4.go"); err != nil {
			return nil, err
		}
	}

	stub := fmt.Sprintf(`%s

//go:build !(goexperiment.simd && amd64)

package %s

// stepX8 and stepX4 are the eight- and four-lane steps of %s_x4.go, built with
// GOEXPERIMENT=simd on amd64. Here they leave every neuron to StepRange's scalar loop.
func (g *Group) stepX8(lo, hi int, t, dt float64) int { return lo }

func (g *Group) stepX4(lo, hi int, t, dt float64) int { return lo }
`, header, m.Package, base)
	nox4, err := format.Source([]byte(stub))
	if err != nil {
		return nil, fmt.Errorf("codegen: %s: generated stub does not parse (a bug in neurogen): %w", m.Name, err)
	}
	return map[string][]byte{base + "_x4.go": vec, base + "_nox4.go": nox4}, nil
}
