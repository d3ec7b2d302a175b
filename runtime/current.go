package runtime

import (
	"bufio"
	"bytes"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// Current inputs drive a group's membrane with a current density (uA/cm2, the unit of
// Group.Input) that is a function of time or a random process: AddCurrent (breakpoints, held
// or linear between them), AddStep, AddRamp, AddWaveform (samples at their own time step) and
// AddOU (Ornstein–Uhlenbeck noise). At the start of Sim.Step, before the groups advance from
// t_k = k·dt (k the clock's step count), each current input into a group computes its value
// at t_k and the Sim writes the sum into the group's Input(): the group's first current input
// (in the order added) writes its values and each later one adds its own, so the sum is made
// in one fixed order. A group driven by current inputs thus has its Input() set by the Sim at
// every step: a value written into it between steps is overwritten (add a constant as an
// input of its own, AddStep from 0 to +Inf). As in Brian2, where a TimedArray or a noise term in
// a group's equations is evaluated at the start of the step by the state updater, the current
// of the step from t_k is the input's value at t_k.
//
// Times are in ms and are placed on the Sim's steps: a time t is at step t/dt, a whole step
// when within a relative 1e-9 of one (so 0.3 ms at dt 0.1 ms is step 3, not 2.9999999999999996).
// The inputs draw and evaluate in the calling goroutine, whatever the number of workers.

// Current is a current input of a Sim, made by AddCurrent, AddStep, AddRamp, AddWaveform or
// AddOU.
type Current struct {
	name, group, kind string // kind: "current", "waveform" or "ou", as state files name it
	in                []float64
	first             bool // its group's first current input: it writes Input, the later ones add
	n                 int
	// "current" and "waveform": the values, one per breakpoint or sample (per) or n of them
	// (vals[b·n+i] for neuron i), held or linear between breakpoints.
	vals   []float64
	per    bool
	linear bool
	at     []float64 // "current": the breakpoints' steps (time/dt, snapped to whole steps)
	dt     float64   // the Sim's step, ms
	sdt    float64   // "waveform": the samples' step, ms
	// "ou": the mean, standard deviation and time constant, the factors of the exact update
	// and the state, one value per neuron.
	mean, sd, tau float64
	decay, kick   float64
	x             []float64
	seed, stream  uint64
	src           *rand.PCG
	rng           *rand.Rand
}

// Name is the input's name.
func (c *Current) Name() string { return c.name }

// Group is the name of the group it drives.
func (c *Current) Group() string { return c.group }

// Kind is "current" (AddCurrent, AddStep, AddRamp), "waveform" (AddWaveform) or "ou" (AddOU).
func (c *Current) Kind() string { return c.kind }

// OU returns the Ornstein–Uhlenbeck state of an AddOU input, one value per neuron (uA/cm2): the
// current that the next step uses. The slice is the input's own: it may be written between
// steps (to start the process elsewhere than where AddOU drew it). Nil for the other kinds.
func (c *Current) OU() []float64 { return c.x }

// ValueAt returns the current density (uA/cm2) that the input gives neuron i at the start of
// step k (time k·dt), as Sim.Step computes it: for an OU input, its present state (k is not
// used). It panics for a neuron outside [0, n).
func (c *Current) ValueAt(k int64, i int) float64 {
	if uint(i) >= uint(c.n) {
		panic(fmt.Sprintf("runtime: Current.ValueAt: neuron %d is outside [0, %d)", i, c.n))
	}
	if c.kind == "ou" {
		return c.x[i]
	}
	b, u, ok := c.point(k)
	if !ok {
		return 0
	}
	return c.value(b, u, i)
}

// AddCurrent adds a current input named name (an ASCII identifier, not the name of a group, a
// state's prefix or another input) into group's Input(), a piecewise function of time given by
// breakpoints: times (ms, finite, non-decreasing) and values (uA/cm2, finite), one per
// breakpoint for every neuron, or len(times)·n for n neurons, breakpoint b's values for neuron
// i at values[b·n+i]. Before the first breakpoint the current is 0. Held (linear false), it
// is values[b] from times[b] until the next breakpoint; linear, it goes linearly from
// values[b] at times[b] to values[b+1] at times[b+1]; after the last breakpoint it stays at
// the last value. Two breakpoints at one time make a jump: from that time on, the later one's
// value. The input keeps copies of times and values.
//
// The value at step k (time k·dt) is, for the last breakpoint b with r_b ≤ k (r_b = times[b]/dt
// snapped to a whole step, see above), values[b] held, or values[b] + (values[b+1] −
// values[b])·(k − r_b)/(r_(b+1) − r_b) linear.
func (s *Sim) AddCurrent(name, group string, times, values []float64, linear bool) (*Current, error) {
	what := fmt.Sprintf("current input %s (into %s)", name, group)
	c, err := s.newCurrent(name, group, "current", what)
	if err != nil {
		return nil, err
	}
	if len(times) == 0 {
		return nil, fmt.Errorf("%s: no breakpoints", what)
	}
	for b, t := range times {
		switch {
		case math.IsNaN(t) || math.IsInf(t, 0):
			return nil, fmt.Errorf("%s: time %g ms (breakpoint %d) is not a finite number", what, t, b)
		case b > 0 && t < times[b-1]:
			return nil, fmt.Errorf("%s: the times must not decrease, but %g ms (breakpoint %d) follows %g ms", what, t, b, times[b-1])
		}
		c.at = append(c.at, snapStep(t/c.dt))
	}
	if err := c.setValues(values, len(times), "breakpoint", what); err != nil {
		return nil, err
	}
	c.linear = linear
	s.currents = append(s.currents, c)
	return c, nil
}

// AddStep adds a current input (AddCurrent) of amp (uA/cm2; one for every neuron or one per
// neuron) from start to stop (ms; stop > start, and +Inf for a current that does not stop),
// and 0 before start and from stop on. It is the network spec's `step(start, stop, amplitude)`.
func (s *Sim) AddStep(name, group string, start, stop float64, amp []float64) (*Current, error) {
	if !(stop > start) {
		return nil, fmt.Errorf("current input %s (into %s): a step from %g ms to %g ms: stop must be after start", name, group, start, stop)
	}
	if math.IsInf(stop, 1) {
		return s.AddCurrent(name, group, []float64{start}, amp, false)
	}
	return s.AddCurrent(name, group, []float64{start, stop}, append(slices.Clone(amp), make([]float64, len(amp))...), false)
}

// AddRamp adds a current input (AddCurrent) that goes linearly from `from` at start to `to` at
// stop (ms, stop > start; uA/cm2, one value for every neuron or one per neuron, from and to
// alike), and is 0 before start and from stop on. It is the network spec's
// `ramp(start, stop, from, to)`.
func (s *Sim) AddRamp(name, group string, start, stop float64, from, to []float64) (*Current, error) {
	what := fmt.Sprintf("current input %s (into %s)", name, group)
	switch {
	case !(stop > start) || math.IsInf(stop, 1):
		return nil, fmt.Errorf("%s: a ramp from %g ms to %g ms: stop must be after start, and finite", what, start, stop)
	case len(from) != len(to):
		return nil, fmt.Errorf("%s: %d values at the start and %d at the stop: give as many", what, len(from), len(to))
	}
	values := append(append(slices.Clone(from), to...), make([]float64, len(to))...)
	return s.AddCurrent(name, group, []float64{start, stop, stop}, values, true)
}

// AddWaveform adds a current input (into group's Input(), named as for AddCurrent) of samples
// taken every sampleDt ms (positive, finite; it need not be a multiple of the Sim's dt): sample
// j is the value at time j·sampleDt. values holds m samples (uA/cm2, finite) of cols columns:
// with cols 1, every neuron gets the same; with cols n (the group's size), one per neuron,
// sample j's value for neuron i at values[j·n+i]. The input keeps a copy. Held (linear false), the value at time t is sample j = ⌊t/sampleDt⌋, as
// Brian2's TimedArray gives it; linear, it goes linearly from sample j to sample j+1. After
// the last sample the value stays at the last sample's. At step k, t/sampleDt is
// float64(k)·dt/sampleDt, taken as a whole number when within a relative 1e-9 of one.
// ReadWaveform reads the samples of an .npy or .csv file.
func (s *Sim) AddWaveform(name, group string, sampleDt float64, values []float64, cols int, linear bool) (*Current, error) {
	what := fmt.Sprintf("waveform input %s (into %s)", name, group)
	c, err := s.newCurrent(name, group, "waveform", what)
	if err != nil {
		return nil, err
	}
	if !(sampleDt > 0) || math.IsInf(sampleDt, 1) {
		return nil, fmt.Errorf("%s: sample step %g ms is not positive and finite", what, sampleDt)
	}
	c.sdt = sampleDt
	if cols != 1 && cols != c.n {
		return nil, fmt.Errorf("%s: %d columns for %d neurons: give 1 (every neuron the same) or %d", what, cols, c.n, c.n)
	}
	if len(values) == 0 || len(values)%cols != 0 {
		return nil, fmt.Errorf("%s: %d values are not a whole, non-zero number of samples of %d", what, len(values), cols)
	}
	m := len(values) / cols
	if err := c.setValues(values, m, "sample", what); err != nil {
		return nil, err
	}
	c.linear = linear
	s.currents = append(s.currents, c)
	return c, nil
}

// AddOU adds an Ornstein–Uhlenbeck noise current (into group's Input(), named as for
// AddCurrent), independent for each neuron, of stationary mean (uA/cm2) and standard
// deviation sd (uA/cm2, ≥ 0), and correlation time tau (ms, positive): the autocorrelation of
// each neuron's current at a lag Δ is sd²·e^(−Δ/tau). Each step uses the present state x_i and
// then updates it exactly over dt:
//
//	x_i ← mean + (x_i − mean)·e^(−dt/tau) + sd·√(1 − e^(−2dt/tau))·N_i
//
// with e^(−dt/tau) from the runtime's Exp and N_i a standard normal: rand.New(src).NormFloat64()
// for the input's own source src = rand.NewPCG(seed, stream), one draw per neuron per step, in
// neuron order. AddOU starts each neuron in the stationary distribution, x_i = mean + sd·N_i
// (the source's first n draws), as Reset does again; Current.OU gives the state to set it
// otherwise. State files hold the state and the source, so that a resumed run continues bit
// for bit.
func (s *Sim) AddOU(name, group string, mean, sd, tau float64, seed, stream uint64) (*Current, error) {
	what := fmt.Sprintf("OU input %s (into %s)", name, group)
	c, err := s.newCurrent(name, group, "ou", what)
	if err != nil {
		return nil, err
	}
	switch {
	case math.IsNaN(mean) || math.IsInf(mean, 0):
		return nil, fmt.Errorf("%s: mean %g uA/cm2 is not a finite number", what, mean)
	case !(sd >= 0) || math.IsInf(sd, 1):
		return nil, fmt.Errorf("%s: standard deviation %g uA/cm2 is not zero or positive and finite", what, sd)
	case !(tau > 0) || math.IsInf(tau, 1):
		return nil, fmt.Errorf("%s: time constant %g ms is not positive and finite", what, tau)
	}
	c.mean, c.sd, c.tau = mean, sd, tau
	c.decay = Exp(-c.dt / tau)
	c.kick = sd * math.Sqrt(-math.Expm1(-2*c.dt/tau))
	c.seed, c.stream = seed, stream
	c.src = rand.NewPCG(seed, stream)
	c.rng = rand.New(c.src)
	c.x = make([]float64, c.n)
	c.reset()
	s.currents = append(s.currents, c)
	return c, nil
}

// newCurrent checks the name and the group of a new current input.
func (s *Sim) newCurrent(name, group, kind, what string) (*Current, error) {
	if err := s.checkInputName(name, what); err != nil {
		return nil, err
	}
	g := s.Group(group)
	if g == nil {
		return nil, fmt.Errorf("%s: no group %s in the sim", what, group)
	}
	in := g.Input()
	if len(in) != g.Len() {
		return nil, fmt.Errorf("%s: group %s has %d input values for %d neurons", what, group, len(in), g.Len())
	}
	c := &Current{name: name, group: group, kind: kind, in: in, n: g.Len(), dt: s.clock.Dt, first: true}
	for _, o := range s.currents {
		if o.group == group {
			c.first = false
		}
	}
	return c, nil
}

// checkInputName checks the name of a new input (Poisson or current).
func (s *Sim) checkInputName(name, what string) error {
	if !isIdentifier(name) {
		return fmt.Errorf("input name %q is not an ASCII identifier (letters, digits and _, not starting with a digit)", name)
	}
	if s.Group(name) != nil {
		return fmt.Errorf("%s: %s is the name of a group of the sim", what, name)
	}
	for _, u := range s.states {
		if stateGroup(u.name) == name {
			return fmt.Errorf("%s: %s is the prefix of the state %s added with AddState", what, name, u.name)
		}
	}
	if s.hasInput(name) {
		return fmt.Errorf("%s: the name is already in use", what)
	}
	return nil
}

// hasInput reports whether an input (Poisson or current) is named name.
func (s *Sim) hasInput(name string) bool {
	for _, p := range s.inputs {
		if p.name == name {
			return true
		}
	}
	for _, c := range s.currents {
		if c.name == name {
			return true
		}
	}
	return false
}

// setValues checks and copies the values of m breakpoints or samples, one or n each.
func (c *Current) setValues(values []float64, m int, unit, what string) error {
	switch len(values) {
	case m:
	case m * c.n:
		c.per = true
	default:
		return fmt.Errorf("%s: %d values for %d %ss and %d neurons: give %d, or %d (one per %s and neuron)", what, len(values), m, unit, c.n, m, m*c.n, unit)
	}
	for i, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%s: value %d (%g) is not a finite number", what, i, v)
		}
	}
	c.vals = slices.Clone(values)
	if c.n == 1 {
		c.per = false
	}
	return nil
}

// snapStep rounds r to a whole number when within a relative stepTolerance of one.
func snapStep(r float64) float64 {
	if n := math.Round(r); math.Abs(r-n) <= stepTolerance*max(1, math.Abs(n)) {
		return n
	}
	return r
}

// point returns where step k falls: the breakpoint or sample b, and the fraction u of the way
// to the next one (0 when held or at or after the last); ok is false before the first.
func (c *Current) point(k int64) (b int, u float64, ok bool) {
	m := len(c.vals)
	if c.per {
		m /= c.n
	}
	if c.kind == "waveform" {
		r := snapStep(float64(k) * c.dt / c.sdt)
		j := math.Floor(r)
		if j >= float64(m-1) {
			return m - 1, 0, true
		}
		if c.linear {
			u = r - j
		}
		return int(j), u, true
	}
	kf := float64(k)
	// The last b with at[b] ≤ k.
	lo, hi := 0, len(c.at)
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if c.at[mid] <= kf {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	b = lo - 1
	if b < 0 {
		return 0, 0, false
	}
	if c.linear && b < len(c.at)-1 {
		u = (kf - c.at[b]) / (c.at[b+1] - c.at[b])
	}
	return b, u, true
}

// value is neuron i's value at breakpoint or sample b and fraction u.
func (c *Current) value(b int, u float64, i int) float64 {
	if !c.per {
		i = 0
	}
	stride := 1
	if c.per {
		stride = c.n
	}
	v := c.vals[b*stride+i]
	if u == 0 {
		return v
	}
	w := c.vals[(b+1)*stride+i]
	return v + float64((w-v)*u) // rounded: no fused multiply–add
}

// drive is the input phase of step k: each current input writes or adds its values into its
// group's Input. It allocates nothing.
func (s *Sim) drive(k int64) {
	for _, c := range s.currents {
		c.step(k)
	}
}

// step writes (first) or adds its values at step k into the group's input.
func (c *Current) step(k int64) {
	in := c.in[:c.n]
	if c.kind == "ou" {
		x := c.x[:c.n]
		if c.first {
			copy(in, x)
		} else {
			for i, v := range x {
				in[i] += v
			}
		}
		mean, decay, kick := c.mean, c.decay, c.kick
		for i, v := range x {
			x[i] = float64(mean+float64((v-mean)*decay)) + float64(kick*c.rng.NormFloat64())
		}
		return
	}
	b, u, ok := c.point(k)
	switch {
	case !ok && c.first:
		clear(in)
	case !ok:
	case !c.per:
		v := c.value(b, u, 0)
		if c.first {
			for i := range in {
				in[i] = v
			}
		} else {
			for i := range in {
				in[i] += v
			}
		}
	case c.first:
		for i := range in {
			in[i] = c.value(b, u, i)
		}
	default:
		for i := range in {
			in[i] += c.value(b, u, i)
		}
	}
}

// reset puts an OU input back at its seed and draws its start again.
func (c *Current) reset() {
	if c.kind != "ou" {
		return
	}
	c.src.Seed(c.seed, c.stream)
	for i := range c.x {
		c.x[i] = c.mean + float64(c.sd*c.rng.NormFloat64())
	}
}

// Currents returns the current inputs, in the order added.
func (s *Sim) Currents() []*Current { return slices.Clone(s.currents) }

// maxWaveformBytes bounds the size of a waveform file that ReadWaveform reads.
const maxWaveformBytes = 1 << 31

// ReadWaveform reads the samples of a current waveform for AddWaveform (the network spec's
// `current_file`) from the file at path: an .npy file of float64 or int64 values, of shape
// (m,) or (m, 1) for samples that every neuron gets, or (m, n) for one column per neuron; or a
// text (.csv) file of one sample per line, each line one value or n values separated by commas
// or spaces, whose first line is a header if it is not numbers. Values are as the file holds
// them (multiply by the unit's factor to get uA/cm2). It returns the values in AddWaveform's
// order (sample-major) and the number of columns, 1 or n; a value that is not finite, a
// number of columns other than 1 or n, or ragged lines are errors that name the file and the
// line or element.
func ReadWaveform(path string, n int) (values []float64, cols int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, 0, err
	}
	if st.Size() > maxWaveformBytes {
		return nil, 0, fmt.Errorf("%s: %d bytes, more than the %d a waveform file may have", path, st.Size(), int64(maxWaveformBytes))
	}
	data := make([]byte, st.Size())
	if _, err := f.ReadAt(data, 0); err != nil {
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	if strings.EqualFold(filepath.Ext(path), ".npy") {
		return decodeWaveformNPY(path, data, n)
	}
	return decodeWaveformCSV(path, data, n)
}

// decodeWaveformNPY reads the samples of an .npy file.
func decodeWaveformNPY(path string, data []byte, n int) ([]float64, int, error) {
	a, err := DecodeNPY(path, data)
	if err != nil {
		return nil, 0, err
	}
	vals, ok := a.Float64s()
	if !ok {
		return nil, 0, fmt.Errorf("%s: want float64 or int64 values", path)
	}
	cols := 1
	switch {
	case len(a.Shape) == 1:
	case len(a.Shape) == 2 && (a.Shape[1] == 1 || a.Shape[1] == n):
		cols = a.Shape[1]
	default:
		return nil, 0, fmt.Errorf("%s: want samples of shape (m,), (m, 1) or (m, %d) for %d neurons; it has shape %v", path, n, n, a.Shape)
	}
	if len(vals) == 0 {
		return nil, 0, fmt.Errorf("%s: no samples", path)
	}
	for i, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, 0, fmt.Errorf("%s: element %d is %v, not a finite number", path, i, v)
		}
	}
	return vals, cols, nil
}

// decodeWaveformCSV reads the samples of a text file.
func decodeWaveformCSV(path string, data []byte, n int) ([]float64, int, error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, len(data)+1)
	var vals []float64
	cols := 0
	for line := 1; sc.Scan(); line++ {
		fields := strings.FieldsFunc(sc.Text(), func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\r' })
		if len(fields) == 0 {
			continue
		}
		row := make([]float64, 0, len(fields))
		var bad error
		for _, f := range fields {
			v, err := strconv.ParseFloat(f, 64)
			switch {
			case err != nil:
				bad = fmt.Errorf("%s:%d: %q is not a number", path, line, f)
			case math.IsNaN(v) || math.IsInf(v, 0):
				bad = fmt.Errorf("%s:%d: %s is not a finite number", path, line, f)
			}
			if bad != nil {
				break
			}
			row = append(row, v)
		}
		if bad != nil {
			if line == 1 && cols == 0 {
				continue // a header
			}
			return nil, 0, bad
		}
		switch {
		case cols == 0 && len(row) != 1 && len(row) != n:
			return nil, 0, fmt.Errorf("%s:%d: %d values on a line: want 1, or %d (one per neuron)", path, line, len(row), n)
		case cols == 0:
			cols = len(row)
		case len(row) != cols:
			return nil, 0, fmt.Errorf("%s:%d: %d values on a line after lines of %d", path, line, len(row), cols)
		}
		vals = append(vals, row...)
	}
	if err := sc.Err(); err != nil {
		return nil, 0, fmt.Errorf("%s: %w", path, err)
	}
	if len(vals) == 0 {
		return nil, 0, fmt.Errorf("%s: no samples", path)
	}
	return vals, cols, nil
}
