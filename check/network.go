package check

import (
	"errors"
	"fmt"
	"hash/fnv"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/neurogen/neurogen/internal/suggest"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/spec"
	"github.com/neurogen/neurogen/units"
)

// NetworkOptions adjust the check of a network spec.
type NetworkOptions struct {
	// Options are those of each group's check (a network's `method:` overrides Method).
	Options
	// ReadFile reads a group spec that the network names by path (joined to the network file's
	// directory); nil means os.ReadFile.
	ReadFile func(name string) ([]byte, error)
	// Stat reports whether a data file the network names (connectivity, initial values, a
	// current waveform) exists; nil means os.Stat. The files are read when the network is
	// built, not checked.
	Stat func(name string) error
	// Seed, when not nil, replaces the network's `seed:` (neurogen run -seed): the draws that
	// give a seed of their own keep it.
	Seed *uint64
}

// DefaultDT is the time step of a network spec without `dt:`, ms (Brian2's default).
const DefaultDT = 0.1

// MaxGroupSize is the largest `n` of a group: neurons are indexed by int32.
const MaxGroupSize = math.MaxInt32

// LoadNetwork loads the network spec in src with spec.LoadNetwork, naming it file in
// positions, reads and checks the group specs it names and checks the network. It returns the
// network, or a spec.ErrorList, sorted, with every error found: those of the network spec and
// those of its group specs (at their own files' positions), all in one run.
func LoadNetwork(file string, src []byte, opts NetworkOptions) (*ir.Network, error) {
	n, err := spec.LoadNetwork(file, src)
	return loadAndCheck(n, err, func(n *spec.Network) (*ir.Network, spec.ErrorList) { return checkNetwork(n, opts) })
}

// netChecker holds the state of one network check.
type netChecker struct {
	spec   *spec.Network
	opts   NetworkOptions
	net    *ir.Network
	errs   spec.ErrorList
	dir    string
	groups map[string]*ir.Group // nil Model: the group's spec has errors
	names  []string             // the groups' names, for suggestions
	models map[string]*ir.Model // group specs by path, each read and checked once
}

func (c *netChecker) errorf(pos spec.Pos, code spec.Code, format string, args ...any) {
	c.errs.Add(pos, code, format, args...)
}

func checkNetwork(n *spec.Network, opts NetworkOptions) (*ir.Network, spec.ErrorList) {
	if opts.ReadFile == nil {
		opts.ReadFile = os.ReadFile
	}
	if opts.Stat == nil {
		opts.Stat = func(name string) error { _, err := os.Stat(name); return err }
	}
	c := &netChecker{spec: n, opts: opts, dir: filepath.Dir(n.File), groups: map[string]*ir.Group{},
		models: map[string]*ir.Model{}}
	c.net = &ir.Network{Name: n.Name.Value, Doc: n.Doc, SpecFile: n.File, SpecHash: n.SHA256, DT: DefaultDT}
	c.run()
	c.errs.Sort()
	if len(c.errs) > 0 {
		return nil, c.errs
	}
	if n.Incomplete {
		return nil, nil
	}
	return c.net, nil
}

func (c *netChecker) run() {
	n, net := c.spec, c.net
	if n.DT != nil {
		if q, ok := c.quantity(*n.DT, "`dt`", units.Time); ok {
			if !(q.Value > 0) || math.IsInf(q.Value, 0) {
				c.errorf(n.DT.Pos, spec.OutOfRange, "`dt` must be positive, got %s", n.DT.Value)
			} else {
				net.DT = q.Value
			}
		}
	}
	if n.Seed != nil {
		net.Seed = c.seed(*n.Seed, "`seed`")
	}
	if c.opts.Seed != nil {
		net.Seed = *c.opts.Seed
	}
	if n.Method != nil {
		if _, ok := ir.ParseMethod(n.Method.Value); ok {
			c.opts.Method = n.Method.Value
		} else {
			msg := fmt.Sprintf("unknown method `%s` (want one of %s)", n.Method.Value, strings.Join(ir.MethodNames(), ", "))
			if sug := suggest.Closest(n.Method.Value, ir.MethodNames()); sug != "" {
				msg = fmt.Sprintf("unknown method `%s` (did you mean `%s`?)", n.Method.Value, sug)
			}
			c.errorf(n.Method.Pos, spec.UnknownMethod, "%s", msg)
		}
	}
	for _, g := range n.Groups {
		c.group(g)
	}
	for _, p := range n.Projections {
		c.projection(p)
	}
	for _, in := range n.Inputs {
		c.input(in)
	}
}

// seed parses a seed, a non-negative integer.
func (c *netChecker) seed(s spec.Scalar, what string) uint64 {
	v, err := strconv.ParseUint(s.Value, 10, 64)
	if err != nil {
		c.errorf(s.Pos, spec.OutOfRange, "%s must be an integer from 0 to %d, got %s", what, uint64(math.MaxUint64), s.Value)
	}
	return v
}

// quantity parses a value with a unit of dimension want.
func (c *netChecker) quantity(s spec.Scalar, what string, want units.Dim) (units.Quantity, bool) {
	q, err := units.ParseQuantity(s.Value)
	if err != nil {
		pos := s.Pos
		var ue *units.Error
		if errors.As(err, &ue) {
			pos = s.PosAt(ue.Offset)
		}
		c.errorf(pos, spec.InvalidQuantity, "%s: %v", what, err)
		return q, false
	}
	if q.Unit.Dim != want {
		w := describeWant(want)
		if want == units.Rate {
			w = "a frequency (Hz)" // of Poisson trains
		}
		c.errorf(s.Pos, spec.WrongDimension, "%s must be %s, got %s", what, w, describe(q.Unit.Dim))
		return q, false
	}
	if math.IsInf(q.Value, 0) || math.IsNaN(q.Value) {
		c.errorf(s.Pos, spec.NonFinite, "%s is not finite: %s", what, s.Value)
		return q, false
	}
	return q, true
}

// path resolves a path the network names: relative to the network file's directory.
func (c *netChecker) path(p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(c.dir, filepath.FromSlash(p))
}

// dataFile checks a data file the network names: its kind by extension, and that it exists.
func (c *netChecker) dataFile(s spec.Scalar, what string, exts ...string) string {
	ext := strings.ToLower(filepath.Ext(s.Value))
	ok := false
	for _, e := range exts {
		ok = ok || ext == e
	}
	if !ok {
		c.errorf(s.Pos, spec.UnreadableFile, "%s %s: want a file ending in %s", what, strconv.Quote(s.Value), strings.Join(exts, " or "))
		return s.Value
	}
	if err := c.opts.Stat(c.path(s.Value)); err != nil {
		c.errorf(s.Pos, spec.UnreadableFile, "%s: %v", what, unwrapPath(err))
	}
	return s.Value
}

// unwrapPath returns the error inside an *os.PathError, whose path the message already has.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Path, pe.Err)
	}
	return err
}

// group checks a group: its spec, read by path or written inline, n and the initial values.
func (c *netChecker) group(g *spec.NetGroup) {
	name := g.Name.Value
	ig := &ir.Group{Name: name, Seed: c.net.Seed}
	if g.Seed != nil {
		ig.Seed, ig.OwnSeed = c.seed(*g.Seed, fmt.Sprintf("group `%s`: `seed`", name)), true
	}
	c.names = append(c.names, name)
	c.groups[name] = ig
	c.net.Groups = append(c.net.Groups, ig)
	switch {
	case g.Spec != nil:
		m, errs := check(g.Spec, c.opts.Options)
		c.errs = append(c.errs, errs...)
		ig.Model = m
	case g.Model != nil:
		path := c.path(g.Model.Value)
		m, seen := c.models[path]
		if !seen {
			src, err := c.opts.ReadFile(path)
			if err != nil {
				c.errorf(g.Model.Pos, spec.UnreadableFile, "group `%s`: %v", name, unwrapPath(err))
			} else {
				var errs error
				m, errs = Load(filepath.ToSlash(path), src, c.opts.Options)
				var list spec.ErrorList
				if errors.As(errs, &list) {
					c.errs = append(c.errs, list...)
				} else if errs != nil {
					c.errorf(g.Model.Pos, spec.UnreadableFile, "group `%s`: %v", name, errs)
				}
			}
			c.models[path] = m
		}
		ig.Model = m
	}
	if g.N != nil {
		k, err := strconv.ParseInt(g.N.Value, 10, 64)
		switch {
		case err != nil && !errors.Is(err, strconv.ErrRange):
			c.errorf(g.N.Pos, spec.OutOfRange, "group `%s`: `n` must be a whole number, got %s", name, g.N.Value)
		case err != nil || k < 1 || k > MaxGroupSize:
			c.errorf(g.N.Pos, spec.OutOfRange, "group `%s`: `n` must be from 1 to %d, got %s", name, MaxGroupSize, g.N.Value)
		default:
			ig.N = int(k)
		}
	}
	for _, iv := range g.Init {
		c.init(ig, iv)
	}
}

// stateDim returns the dimension of a state, from its internal unit.
func stateDim(st *ir.State) units.Dim {
	u, err := units.Parse(st.Unit)
	if err != nil {
		panic(fmt.Sprintf("check: state %s has unit %q: %v", st.Name, st.Unit, err))
	}
	return u.Dim
}

// init checks the initial value of one state of a group.
func (c *netChecker) init(g *ir.Group, iv *spec.InitValue) {
	what := fmt.Sprintf("group `%s`: init `%s`", g.Name, iv.State.Value)
	var st *ir.State
	if m := g.Model; m != nil {
		var names []string
		for _, s := range m.States {
			names = append(names, s.Name)
			if s.Name == iv.State.Value {
				st = s
			}
		}
		if st == nil {
			hint := ""
			if sug := suggest.Closest(iv.State.Value, names); sug != "" {
				hint = fmt.Sprintf(" (did you mean `%s`?)", sug)
			}
			c.errorf(iv.State.Pos, spec.UnknownName, "group `%s`: model `%s` has no state `%s`%s", g.Name, m.Name, iv.State.Value, hint)
		}
	}
	si := &ir.StateInit{State: st, Stream: stream("init", g.Name, iv.State.Value)}
	if iv.File != nil {
		si.File = c.dataFile(*iv.File, what, ".npy", ".csv")
	} else if iv.Value != nil {
		var want *units.Dim
		if st != nil {
			d := stateDim(st)
			want = &d
		}
		var ok bool
		si.Value, ok = c.dist(*iv.Value, what, want)
		if ok && st != nil {
			c.initRange(st, si.Value, *iv.Value, what)
		}
	}
	if st != nil {
		g.Init = append(g.Init, si)
	}
}

// initRange reports an initial value that its state cannot take: a gate outside [0, 1], a
// concentration that is not positive, a membrane potential beyond ±MaxVInit. For a
// distribution, its bounds (uniform) or its mean (normal) are checked; a normal distribution
// with a positive standard deviation, whose draws can fall anywhere, is refused for a gate and
// a concentration, whose range is bounded.
func (c *netChecker) initRange(st *ir.State, d ir.Dist, s spec.Scalar, what string) {
	if d.Kind == ir.Normal && d.B > 0 && (st.Kind == ir.Gate || st.Kind == ir.Concentration) {
		c.errorf(s.Pos, spec.OutOfRange, "%s: %s can draw values out of range: %s; draw it from `uniform(lo, hi)`", what, strings.TrimSpace(s.Value),
			map[ir.StateKind]string{ir.Gate: "a gate's value is from 0 to 1", ir.Concentration: "a concentration is positive"}[st.Kind])
		return
	}
	vals := []float64{d.A}
	if d.Kind == ir.Uniform {
		vals = append(vals, d.B)
	}
	for _, v := range vals {
		var bad string
		switch st.Kind {
		case ir.Gate:
			if v < 0 || v > 1 {
				bad = "a gate's value is from 0 to 1"
			}
		case ir.Concentration:
			if !(v > 0) {
				bad = "a concentration is positive"
			}
		case ir.Voltage:
			if math.Abs(v) > MaxVInit {
				bad = fmt.Sprintf("a membrane potential is within ±%g mV", MaxVInit)
			}
		case ir.Receptor:
		}
		if bad != "" {
			c.errorf(s.Pos, spec.OutOfRange, "%s: %s is out of range: %s", what, strings.TrimSpace(s.Value), bad)
			return
		}
	}
}

// stream returns the random stream of a draw, fixed by what it is and the names of its place,
// so that adding a projection or an input changes no other's draws.
func stream(parts ...string) uint64 {
	h := fnv.New64a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum64()
}

// callArgs splits `fn(a, b, ...)` into fn and its arguments, each with its positions; ok is
// false if s is not written so.
func callArgs(s spec.Scalar) (fn string, args []spec.Scalar, ok bool) {
	v := s.Value
	lp := strings.IndexByte(v, '(')
	if lp < 0 || !strings.HasSuffix(strings.TrimSpace(v), ")") {
		return "", nil, false
	}
	fn = strings.TrimSpace(v[:lp])
	for _, r := range fn {
		if !(r == '_' || 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z') {
			return "", nil, false
		}
	}
	rp := strings.LastIndexByte(v, ')')
	start := lp + 1
	for i := start; i <= rp; i++ {
		if i == rp || v[i] == ',' {
			part := v[start:i]
			off := start + len(part) - len(strings.TrimLeft(part, " \t\n"))
			args = append(args, s.Slice(off, off+len(strings.TrimSpace(part))))
			start = i + 1
		}
	}
	return fn, args, true
}

// dist checks a value or a distribution, `normal(mean, sd)` or `uniform(lo, hi)`, of dimension
// want (nil: any, for a value whose place has errors of its own).
func (c *netChecker) dist(s spec.Scalar, what string, want *units.Dim) (ir.Dist, bool) {
	d := ir.Dist{Text: s.Value}
	fn, args, isCall := callArgs(s)
	if !isCall {
		q, ok := c.value(s, what, want)
		d.A = q.Value
		return d, ok
	}
	switch fn {
	case "normal":
		d.Kind = ir.Normal
	case "uniform":
		d.Kind = ir.Uniform
	default:
		hint := ""
		if sug := suggest.Closest(fn, []string{"normal", "uniform"}); sug != "" {
			hint = fmt.Sprintf(" (did you mean `%s`?)", sug)
		}
		c.errorf(s.Pos, spec.InvalidQuantity, "%s: unknown distribution `%s`%s: want a value, `normal(mean, sd)` or `uniform(lo, hi)`", what, fn, hint)
		return d, false
	}
	if len(args) != 2 || args[0].Value == "" || args[1].Value == "" {
		c.errorf(s.Pos, spec.InvalidQuantity, "%s: `%s` takes two values, `%s`", what, fn, map[ir.DistKind]string{ir.Normal: "normal(mean, sd)", ir.Uniform: "uniform(lo, hi)"}[d.Kind])
		return d, false
	}
	a, ok1 := c.value(args[0], what, want)
	b, ok2 := c.value(args[1], what, want)
	if !ok1 || !ok2 {
		return d, false
	}
	if a.Unit.Dim != b.Unit.Dim {
		c.errorf(args[1].Pos, spec.DimensionMismatch, "%s: `%s` has %s and %s", what, fn, describe(a.Unit.Dim), describe(b.Unit.Dim))
		return d, false
	}
	d.A, d.B = a.Value, b.Value
	switch {
	case d.Kind == ir.Normal && d.B < 0:
		c.errorf(args[1].Pos, spec.OutOfRange, "%s: the standard deviation of `normal` must not be negative, got %s", what, args[1].Value)
		return d, false
	case d.Kind == ir.Uniform && !(d.A < d.B):
		c.errorf(s.Pos, spec.OutOfRange, "%s: uniform(lo, hi) needs lo < hi, got `%s`", what, strings.TrimSpace(s.Value))
		return d, false
	}
	return d, true
}

// value parses one value of dimension want (nil: any).
func (c *netChecker) value(s spec.Scalar, what string, want *units.Dim) (units.Quantity, bool) {
	if want != nil {
		return c.quantity(s, what, *want)
	}
	q, err := units.ParseQuantity(s.Value)
	if err != nil {
		return c.quantity(s, what, units.Dimensionless) // reports it
	}
	return q, true
}

// groupRef returns the group a projection or input names, reporting an unknown one.
func (c *netChecker) groupRef(s spec.Scalar, ctx string) *ir.Group {
	g, ok := c.groups[s.Value]
	if !ok {
		hint := ""
		if sug := suggest.Closest(s.Value, c.names); sug != "" {
			hint = fmt.Sprintf(" (did you mean `%s`?)", sug)
		}
		c.errorf(s.Pos, spec.UnknownGroup, "%sno group `%s`%s", ctx, s.Value, hint)
	}
	return g
}

// targets returns the groups of a `to:` list, each once, reporting one named twice.
func (c *netChecker) targets(to []spec.Scalar, ctx string) []spec.Scalar {
	var out []spec.Scalar
	first := map[string]spec.Pos{}
	for _, s := range to {
		if p, dup := first[s.Value]; dup {
			c.errorf(s.Pos, spec.DuplicateName, "%sgroup `%s` is listed twice in `to` (first at %d:%d)", ctx, s.Value, p.Line(), p.Col())
			continue
		}
		first[s.Value] = s.Pos
		out = append(out, s)
	}
	return out
}

// receptorTarget returns receptor name of model m, or nil and the names of m's receptors, for
// the message. It is the one place the network checker asks a model about its receptors.
func receptorTarget(m *ir.Model, name string) (*ir.ReceptorInfo, []string) {
	var names []string
	for _, r := range m.Receptors {
		if r.Name == name && (len(r.Events) > 0 || len(r.Assigns) > 0 || r.Kinetic != nil) {
			return r, nil
		}
		names = append(names, r.Name)
	}
	return nil, names
}

// receptor checks the receptor of a projection or an input into group g and returns it, or
// nil after an error (or when g's spec has errors).
func (c *netChecker) receptor(g *ir.Group, r *spec.Scalar, ctx string) *ir.ReceptorInfo {
	if g == nil || g.Model == nil || r == nil {
		return nil
	}
	rec, names := receptorTarget(g.Model, r.Value)
	if rec != nil {
		return rec
	}
	hint := " (it has no receptors)"
	if len(names) > 0 {
		hint = " (it has " + strings.Join(names, ", ") + ")"
		if sug := suggest.Closest(r.Value, names); sug != "" {
			hint = fmt.Sprintf(" (did you mean `%s`?)", sug)
		}
	}
	c.errorf(r.Pos, spec.UnknownReceptor, "%sgroup `%s` (model `%s`) has no receptor `%s`%s", ctx, g.Name, g.Model.Name, r.Value, hint)
	return nil
}

// kineticTarget checks a projection into a kinetic receptor: its transmitter pulse must be a
// whole number of the network's steps, and it takes no short-term plasticity.
func (c *netChecker) kineticTarget(ip *ir.Projection, p *spec.Projection, ctx string) {
	k := ip.Target.Kinetic
	if ip.Plasticity != nil {
		c.errorf(p.Receptor.Pos, spec.KineticReceptor, "%sreceptor `%s` of group `%s` is kinetic (a state per synapse): short-term plasticity into it is not supported", ctx, ip.Receptor, ip.Post.Name)
	}
	c.kineticPulse(k, p.Receptor.Pos, ctx, ip.Receptor, ip.Post.Name)
}

// kineticPulse reports, at pos, a kinetic receptor's transmitter pulse that is not a whole
// number of the network's steps: the runtime ends it that many steps after the event.
func (c *netChecker) kineticPulse(k *ir.KineticInfo, pos spec.Pos, ctx, receptor, group string) {
	dt := c.net.DT
	if !(dt > 0) {
		return
	}
	steps := k.Dur / dt
	whole := math.Round(steps)
	if whole > MaxDelaySteps {
		c.errorf(pos, spec.OutOfRange, "%sthe transmitter pulse of receptor `%s` (group `%s`) lasts %g ms, %.4g steps of %g ms: more than the longest pulse, %d steps",
			ctx, receptor, group, k.Dur, steps, dt, MaxDelaySteps)
		return
	}
	if math.Abs(steps-whole) > 1e-9*max(1, whole) || whole < 1 {
		c.errorf(pos, spec.FractionalDelay, "%sthe transmitter pulse of receptor `%s` (group `%s`) lasts %g ms, %.4g steps of %g ms: it must be a whole number of steps, 1 or more (set its `%s` to a multiple of dt)",
			ctx, receptor, group, k.Dur, steps, dt, strings.TrimSpace(k.DurText))
	}
}

// projection checks a projection, one ir.Projection per target group.
func (c *netChecker) projection(p *spec.Projection) {
	ctx := fmt.Sprintf("projection `%s`: ", p.Name.Value)
	var pre *ir.Group
	if p.From != nil {
		pre = c.groupRef(*p.From, ctx)
	}
	seed := c.net.Seed
	if p.Seed != nil {
		seed = c.seed(*p.Seed, ctx+"`seed`")
	}
	f32 := false
	if wt := p.WeightType; wt != nil {
		switch wt.Value {
		case "float32":
			f32 = true
		case "float64":
		default:
			hint := ""
			if sug := suggest.Closest(wt.Value, []string{"float32", "float64"}); sug != "" {
				hint = fmt.Sprintf(" (did you mean `%s`?)", sug)
			}
			c.errorf(wt.Pos, spec.OutOfRange, "%s`weight_type` must be `float32` or `float64`, got `%s`%s", ctx, wt.Value, hint)
		}
	}
	rounding := false
	if p.DelayRounding != nil {
		if p.DelayRounding.Value == "nearest" {
			rounding = true
		} else {
			c.errorf(p.DelayRounding.Pos, spec.OutOfRange, "%s`delay_rounding` must be `nearest`, got `%s`", ctx, p.DelayRounding.Value)
		}
	}
	var pl *ir.Plasticity
	if p.Plasticity != nil && p.Plasticity.Model != nil {
		pl = c.plasticity(p.Plasticity, ctx)
	}
	if p.Self != nil && p.From != nil && len(p.To) > 0 && !slices.ContainsFunc(p.To, func(to spec.Scalar) bool { return to.Value == p.From.Value }) {
		// A flag that changes nothing is most likely a projection aimed at the wrong group.
		c.errorf(p.Self.Pos, spec.ConflictingFields, "%s`self` applies to a projection from a group to itself, and this one connects `%s` to %s only",
			ctx, p.From.Value, quotedNames(p.To))
	}
	var checked bool // the values that do not depend on the target are reported once
	for _, to := range c.targets(p.To, ctx) {
		post := c.groupRef(to, ctx)
		ip := &ir.Projection{Name: p.Name.Value, Pre: pre, Post: post, Seed: seed, OwnSeed: p.Seed != nil, Rounding: rounding, Float32: f32,
			Stream: stream("projection", p.Name.Value, to.Value)}
		if len(p.To) > 1 {
			ip.Name += "/" + to.Value
		}
		if p.Receptor != nil {
			ip.Receptor = p.Receptor.Value
		}
		ip.Target = c.receptor(post, p.Receptor, ctx)
		if p.Self != nil {
			ip.Self = p.Self.Value
		}
		if p.Multapses != nil {
			ip.Multapses = p.Multapses.Value
		}
		report := !checked
		checked = true
		if report && p.Plasticity != nil && p.Plasticity.Model == nil {
			// A rule: checked once, its weight w in the first target's unit (its factor is
			// dimensionless, so the same for every target).
			wdim := units.Dimensionless
			if ip.Target != nil {
				wdim = ip.Target.WeightDim
			}
			pl = c.plasticRuleOf(p.Plasticity, ctx, wdim)
		}
		ip.Plasticity = pl
		if ip.Target != nil && ip.Target.Kinetic != nil {
			c.kineticTarget(ip, p, ctx)
		}
		if ip.Target != nil && len(ip.Target.Assigns) > 0 && ip.Plasticity != nil {
			c.errorf(p.Receptor.Pos, spec.NonlinearReceptor, "%sthe event of receptor `%s` of group `%s` (`%s`) is not a sum of increments of the weight: short-term plasticity into it is not supported",
				ctx, ip.Receptor, ip.Post.Name, strings.TrimSpace(ip.Target.EventText))
		}
		c.connect(ip, p, ctx, report)
		if p.Weight != nil && (ip.Target != nil || report) {
			var want *units.Dim
			if ip.Target != nil {
				want = &ip.Target.WeightDim
			}
			ip.Weight, _ = c.dist(*p.Weight, ctx+"`weight`", want)
		}
		if report {
			c.delay(ip, p, ctx)
		} else if len(c.net.Projections) > 0 {
			prev := c.net.Projections[len(c.net.Projections)-1]
			ip.Delay, ip.DelaySteps = prev.Delay, prev.DelaySteps
		}
		c.net.Projections = append(c.net.Projections, ip)
	}
}

// plasticity checks a projection's `plasticity:`; it returns nil after reporting an error.
func (c *netChecker) plasticity(p *spec.Plasticity, ctx string) *ir.Plasticity {
	ctx += "plasticity: "
	out := &ir.Plasticity{Model: "tsodyks_markram"}
	ok := true
	if m := p.Model; m != nil && m.Value != "tsodyks_markram" {
		hint := ""
		if sug := suggest.Closest(m.Value, []string{"tsodyks_markram"}); sug != "" {
			hint = fmt.Sprintf(" (did you mean `%s`?)", sug)
		}
		c.errorf(m.Pos, spec.OutOfRange, "%s`model` must be `tsodyks_markram` (Tsodyks–Markram short-term plasticity), got `%s`%s", ctx, m.Value, hint)
		ok = false
	} else if m == nil {
		ok = false // the loader reported it
	}
	if s := p.U; s != nil {
		q, good := c.quantity(*s, ctx+"`U`", units.Dimensionless)
		switch {
		case !good:
			ok = false
		case !(q.Value > 0 && q.Value <= 1):
			c.errorf(s.Pos, spec.OutOfRange, "%s`U` must be in (0, 1], got %s", ctx, s.Value)
			ok = false
		}
		out.U = q.Value
	} else {
		ok = false
	}
	if s := p.TauRec; s != nil {
		q, good := c.quantity(*s, ctx+"`tau_rec`", units.Time)
		switch {
		case !good:
			ok = false
		case !(q.Value > 0):
			c.errorf(s.Pos, spec.OutOfRange, "%s`tau_rec` must be positive, got %s", ctx, s.Value)
			ok = false
		}
		out.TauRec = q.Value
	} else {
		ok = false
	}
	if s := p.TauFacil; s != nil {
		q, good := c.quantity(*s, ctx+"`tau_facil`", units.Time)
		switch {
		case !good:
			ok = false
		case q.Value < 0:
			c.errorf(s.Pos, spec.OutOfRange, "%s`tau_facil` must not be negative (0 ms: no facilitation), got %s", ctx, s.Value)
			ok = false
		}
		out.TauFacil = q.Value
	}
	switch c.plasticPer(p.Per, ctx) {
	case 1:
		out.PerPresynaptic = true
	case -1:
		ok = false
	}
	if !ok {
		return nil
	}
	return out
}

// plasticRuleOf checks a projection's plasticity written as expressions (plastic.go); it
// returns nil after reporting an error.
func (c *netChecker) plasticRuleOf(p *spec.Plasticity, ctx string, wdim units.Dim) *ir.Plasticity {
	per := c.plasticPer(p.Per, ctx+"plasticity: ")
	rule := c.plasticRule(p, ctx, wdim)
	if rule == nil || per < 0 {
		return nil
	}
	return &ir.Plasticity{Rule: rule, PerPresynaptic: per == 1}
}

// plasticPer checks `per:`: 0 for connection (or nil), 1 for presynaptic, −1 after an error.
func (c *netChecker) plasticPer(s *spec.Scalar, ctx string) int {
	if s == nil {
		return 0
	}
	switch s.Value {
	case "connection":
		return 0
	case "presynaptic":
		return 1
	}
	hint := ""
	if sug := suggest.Closest(s.Value, []string{"connection", "presynaptic"}); sug != "" {
		hint = fmt.Sprintf(" (did you mean `%s`?)", sug)
	}
	c.errorf(s.Pos, spec.OutOfRange, "%s`per` must be `connection` or `presynaptic`, got `%s`%s", ctx, s.Value, hint)
	return -1
}

// connect checks a projection's rule into ip; report says whether to report the errors that
// do not depend on the target group.
func (c *netChecker) connect(ip *ir.Projection, p *spec.Projection, ctx string, report bool) {
	r := p.Connect
	if r == nil {
		return
	}
	errorf := func(pos spec.Pos, code spec.Code, format string, args ...any) {
		if report {
			c.errorf(pos, code, format, args...)
		}
	}
	switch r.Rule.Value {
	case "all":
		ip.Rule = ir.AllToAll
	case "one_to_one":
		ip.Rule = ir.OneToOne
		if ip.Pre != nil && ip.Post != nil && ip.Pre.N > 0 && ip.Post.N > 0 && ip.Pre.N != ip.Post.N {
			c.errorf(r.Rule.Pos, spec.OutOfRange, "%sone_to_one needs groups of one size, but `%s` has %d neurons and `%s` %d",
				ctx, ip.Pre.Name, ip.Pre.N, ip.Post.Name, ip.Post.N)
		}
	case "p":
		ip.Rule = ir.FixedProbability
		q, err := strconv.ParseFloat(strings.TrimSpace(r.Arg.Value), 64)
		if err != nil || math.IsNaN(q) || q < 0 || q > 1 {
			errorf(r.Arg.Pos, spec.OutOfRange, "%sconnect: `p` must be a probability, a number from 0 to 1, got %s", ctx, r.Arg.Value)
		}
		ip.P = q
	case "in_degree":
		ip.Rule = ir.FixedInDegree
		k, err := strconv.Atoi(strings.TrimSpace(r.Arg.Value))
		switch {
		case err != nil || k < 0:
			errorf(r.Arg.Pos, spec.OutOfRange, "%sconnect: `in_degree` must be a whole number ≥ 0, got %s", ctx, r.Arg.Value)
		case !ip.Multapses && ip.Pre != nil && ip.Pre.N > 0 && k > ip.Pre.N:
			errorf(r.Arg.Pos, spec.OutOfRange, "%sconnect: `in_degree` %d is more than the %d neurons of `%s` (without multapses)", ctx, k, ip.Pre.N, ip.Pre.Name)
		case !ip.Multapses && !ip.Self && ip.Pre != nil && ip.Pre == ip.Post && ip.Pre.N > 0 && k > ip.Pre.N-1:
			errorf(r.Arg.Pos, spec.OutOfRange, "%sconnect: `in_degree` %d is more than the %d other neurons of `%s` (without self-connections or multapses)", ctx, k, ip.Pre.N-1, ip.Pre.Name)
		}
		ip.K = k
	case "file":
		ip.Rule = ir.FromFile
		if report {
			ip.File = c.dataFile(r.Arg, ctx+"connect: `file`", ".npz", ".csv")
		} else {
			ip.File = r.Arg.Value
		}
	default:
		panic("check: unknown connect rule " + r.Rule.Value)
	}
}

// MaxDelaySteps is the longest delay of a projection, and the longest transmitter pulse of a
// kinetic receptor, in steps: runtime.MaxDelaySteps (a test keeps them equal), so that the
// checker refuses at its place in the spec what the runtime would refuse when the network is
// built (each step of a delay or pulse is a row of the spike history).
const MaxDelaySteps = 1 << 20

// delay checks a projection's delay: a time, a whole number of steps unless rounded.
func (c *netChecker) delay(ip *ir.Projection, p *spec.Projection, ctx string) {
	if p.Delay == nil {
		return
	}
	what := ctx + "`delay`"
	d, ok := c.dist(*p.Delay, what, &units.Time)
	ip.Delay = d
	if !ok {
		return
	}
	dt := c.net.DT
	switch d.Kind {
	case ir.Constant:
		if d.A < 0 {
			c.errorf(p.Delay.Pos, spec.OutOfRange, "%s must not be negative, got %s", what, p.Delay.Value)
			return
		}
		steps := d.A / dt
		whole := math.Round(steps)
		if whole > MaxDelaySteps {
			c.errorf(p.Delay.Pos, spec.OutOfRange, "%s of %s is %.4g steps of %g ms, more than the longest delay, %d steps", what, p.Delay.Value, whole, dt, MaxDelaySteps)
			return
		}
		if math.Abs(steps-whole) > 1e-9*max(1, whole) && !ip.Rounding {
			c.errorf(p.Delay.Pos, spec.FractionalDelay, "%s of %s is %.4g steps of %g ms, not a whole number: write a multiple of dt, or add `delay_rounding: nearest`",
				what, p.Delay.Value, steps, dt)
			return
		}
		ip.DelaySteps = int(whole)
	case ir.Normal, ir.Uniform:
		if !ip.Rounding {
			c.errorf(p.Delay.Pos, spec.FractionalDelay, "%s drawn from `%s` is not a whole number of steps: add `delay_rounding: nearest`", what, d.Kind)
		}
		if d.Kind == ir.Uniform && d.A < 0 {
			c.errorf(p.Delay.Pos, spec.OutOfRange, "%s must not be negative, got %s", what, p.Delay.Value)
		}
	}
}

// input checks an input, one ir.Input per target group.
func (c *netChecker) input(in *spec.Input) {
	ctx := fmt.Sprintf("input `%s`: ", in.Name.Value)
	seed := c.net.Seed
	if in.Seed != nil {
		seed = c.seed(*in.Seed, ctx+"`seed`")
	}
	for i, to := range c.targets(in.To, ctx) {
		g := c.groupRef(to, ctx)
		ii := &ir.Input{Name: in.Name.Value, Group: g, Seed: seed, OwnSeed: in.Seed != nil, Stream: stream("input", in.Name.Value, to.Value)}
		if len(in.To) > 1 {
			ii.Name += "/" + to.Value
		}
		report := i == 0
		// area turns a current into the group's current density; 0 when unknown.
		area := 0.0
		if g != nil && g.Model != nil {
			area = g.Model.A
		}
		switch {
		case in.Poisson != nil || in.RateFile != nil:
			ii.Kind = ir.Poisson
			if in.Receptor != nil {
				ii.Receptor = in.Receptor.Value
			}
			ii.Target = c.receptor(g, in.Receptor, ctx)
			if ii.Target != nil && ii.Target.Kinetic != nil {
				c.kineticPulse(ii.Target.Kinetic, in.Receptor.Pos, ctx, ii.Receptor, g.Name)
			}
			switch {
			case in.RateFile != nil:
				c.rateFile(ii, in.RateFile, ctx, report)
			case report:
				d, ok := c.dist(*in.Poisson, ctx+"`poisson`", &units.Rate)
				if ok && d.A < 0 {
					c.errorf(in.Poisson.Pos, spec.OutOfRange, "%s`poisson` rate must not be negative, got %s", ctx, in.Poisson.Value)
				}
				ii.Rate = d
			default:
				ii.Rate = c.net.Inputs[len(c.net.Inputs)-1].Rate
			}
			if in.Weight != nil && ii.Target != nil {
				q, _ := c.quantity(*in.Weight, ctx+"`weight`", ii.Target.WeightDim)
				ii.Weight = q.Value
			}
		case in.Current != nil:
			c.current(ii, *in.Current, ctx, area, report)
		case in.File != nil:
			ii.Kind = ir.CurrentFile
			f := in.File
			if f.File != nil {
				ii.File = f.File.Value
				if report {
					c.dataFile(*f.File, ctx+"current_file: `file`", ".npy", ".csv")
				}
			}
			if f.DT != nil && report {
				if q, ok := c.quantity(*f.DT, ctx+"current_file: `dt`", units.Time); ok && !(q.Value > 0) {
					c.errorf(f.DT.Pos, spec.OutOfRange, "%scurrent_file: `dt` must be positive, got %s", ctx, f.DT.Value)
				}
			}
			if f.DT != nil {
				if q, err := units.ParseQuantity(f.DT.Value); err == nil {
					ii.FileDT = q.Value
				}
			}
			if f.Unit != nil {
				u, err := units.Parse(f.Unit.Value)
				switch {
				case err != nil:
					if report {
						c.errorf(f.Unit.Pos, spec.InvalidQuantity, "%scurrent_file: `unit`: %v", ctx, err)
					}
				case u.Dim == units.CurrentDensity:
					ii.Scale = u.Scale
				case u.Dim == units.Current:
					if area > 0 {
						ii.Scale = u.Scale / area
					}
				default:
					if report {
						c.errorf(f.Unit.Pos, spec.WrongDimension, "%scurrent_file: `unit` must be a current (nA) or a current density (uA/cm2), got %s", ctx, describe(u.Dim))
					}
				}
			}
		case in.OU != nil:
			ii.Kind = ir.OU
			ou := in.OU
			cur := func(s *spec.Scalar, what string) float64 {
				if s == nil {
					return 0
				}
				v, _ := c.currentValue(*s, ctx+"ou: `"+what+"`", area, report)
				return v
			}
			ii.Mean, ii.SD = cur(ou.Mean, "mean"), cur(ou.SD, "sd")
			if ou.SD != nil && ii.SD < 0 && report {
				c.errorf(ou.SD.Pos, spec.OutOfRange, "%sou: `sd` must not be negative, got %s", ctx, ou.SD.Value)
			}
			if ou.Tau != nil && report {
				if q, ok := c.quantity(*ou.Tau, ctx+"ou: `tau`", units.Time); ok {
					if !(q.Value > 0) {
						c.errorf(ou.Tau.Pos, spec.OutOfRange, "%sou: `tau` must be positive, got %s", ctx, ou.Tau.Value)
					}
					ii.Tau = q.Value
				}
			} else if ou.Tau != nil {
				if q, err := units.ParseQuantity(ou.Tau.Value); err == nil {
					ii.Tau = q.Value
				}
			}
		default:
			continue // the loader reported it
		}
		c.net.Inputs = append(c.net.Inputs, ii)
	}
}

// rateFile checks a Poisson input's `poisson: {file: PATH, unit: UNIT}`: a file of values (read
// when the network is built, one rate per neuron) and a frequency, whose factor to 1/ms is
// the input's Scale.
func (c *netChecker) rateFile(ii *ir.Input, rf *spec.RateFile, ctx string, report bool) {
	if rf.File != nil {
		ii.File = rf.File.Value
		if report {
			c.dataFile(*rf.File, ctx+"poisson: `file`", ".npy", ".csv")
		}
	}
	if rf.Unit == nil {
		return
	}
	u, err := units.Parse(rf.Unit.Value)
	switch {
	case err != nil:
		if report {
			c.errorf(rf.Unit.Pos, spec.InvalidQuantity, "%spoisson: `unit`: %v", ctx, err)
		}
	case u.Dim != units.Rate:
		if report {
			c.errorf(rf.Unit.Pos, spec.WrongDimension, "%spoisson: `unit` must be a frequency (Hz), got %s", ctx, describe(u.Dim))
		}
	default:
		ii.Scale = u.Scale
	}
}

// currentValue converts a current (divided by the group's area, when known) or a current
// density to uA/cm2.
func (c *netChecker) currentValue(s spec.Scalar, what string, area float64, report bool) (float64, bool) {
	q, err := units.ParseQuantity(s.Value)
	if err != nil {
		if report {
			c.quantity(s, what, units.CurrentDensity) // reports it
		}
		return 0, false
	}
	switch q.Unit.Dim {
	case units.CurrentDensity:
		return q.Value, true
	case units.Current:
		if area > 0 {
			return q.Value / area, true
		}
		return 0, false
	}
	if report {
		c.errorf(s.Pos, spec.WrongDimension, "%s must be a current (nA) or a current density (uA/cm2), got %s", what, describe(q.Unit.Dim))
	}
	return 0, false
}

// current checks a current input written as a function of time: `step(start, stop, amp)`,
// `ramp(start, stop, from, to)` or `piecewise(t0, a0, t1, a1, ...)`.
func (c *netChecker) current(ii *ir.Input, s spec.Scalar, ctx string, area float64, report bool) {
	what := ctx + "`current`"
	fn, args, ok := callArgs(s)
	forms := map[string]struct {
		kind ir.InputKind
		sig  string
	}{
		"step": {ir.Step, "step(start, stop, amplitude)"}, "ramp": {ir.Ramp, "ramp(start, stop, from, to)"},
		"piecewise": {ir.Piecewise, "piecewise(t0, a0, t1, a1, ...)"},
	}
	form, known := forms[fn]
	if !ok || !known {
		if report {
			c.errorf(s.Pos, spec.InvalidQuantity, "%s: want `step(start, stop, amplitude)`, `ramp(start, stop, from, to)` or `piecewise(t0, a0, t1, a1, ...)`, got `%s`", what, strings.TrimSpace(s.Value))
		}
		return
	}
	ii.Kind = form.kind
	var times, amps []spec.Scalar
	switch form.kind {
	case ir.Step:
		if len(args) == 3 {
			times, amps = args[:2], args[2:]
		}
	case ir.Ramp:
		if len(args) == 4 {
			times, amps = args[:2], args[2:]
		}
	case ir.Piecewise:
		if len(args) >= 2 && len(args)%2 == 0 {
			for i := 0; i < len(args); i += 2 {
				times, amps = append(times, args[i]), append(amps, args[i+1])
			}
		}
	case ir.Poisson, ir.CurrentFile, ir.OU:
		panic("check: unknown current form " + fn)
	}
	if times == nil {
		if report {
			c.errorf(s.Pos, spec.WrongArgCount, "%s: `%s` has %d arguments; write `%s`", what, fn, len(args), form.sig)
		}
		return
	}
	for i, t := range times {
		tw := what
		if !report {
			tw = ""
		}
		q, ok := units.Quantity{}, false
		if report {
			q, ok = c.quantity(t, tw+" time", units.Time)
		} else if x, err := units.ParseQuantity(t.Value); err == nil {
			q, ok = x, true
		}
		if ok && i > 0 && len(ii.Times) == i && !(q.Value > ii.Times[i-1]) && report {
			c.errorf(t.Pos, spec.OutOfRange, "%s: the times must increase, but %s follows %s", what, t.Value, times[i-1].Value)
		}
		ii.Times = append(ii.Times, q.Value)
	}
	for _, a := range amps {
		v, _ := c.currentValue(a, what+" amplitude", area, report)
		ii.Values = append(ii.Values, v)
	}
}

// quotedNames writes groups' names as `a`, `b` and `c`.
func quotedNames(names []spec.Scalar) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "`" + n.Value + "`"
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}
