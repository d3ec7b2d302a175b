package runtime

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
)

// Version is the version of neurogen this runtime belongs to; state files record it.
const Version = "0.1.0-dev"

// The state file format: see WriteState.
const (
	stateFormat        = "neurogen-state"
	stateFormatVersion = 2 // 2 adds each group's method, float32 and layout; 1 is read too
	metaName           = "__meta__"
)

// stateMeta is the JSON object of __meta__.
type stateMeta struct {
	Format        string      `json:"format"`
	FormatVersion int         `json:"format_version"`
	RuntimeAPI    int         `json:"runtime_api"`
	Neurogen      string      `json:"neurogen_version"`
	Step          int64       `json:"step"`
	T             float64     `json:"t"`
	Dt            float64     `json:"dt"`
	Groups        []metaGroup `json:"groups"`
	Delays        []metaDelay `json:"delays"`
	States        []metaState `json:"states"`
	// The network, when the Sim has one (omitted otherwise).
	Projections []metaProj  `json:"projections,omitempty"`
	Inputs      []metaInput `json:"inputs,omitempty"`
	Arrays      []metaArray `json:"arrays"`
}

type metaProj struct {
	Name     string `json:"name"`
	Pre      string `json:"pre"`
	Post     string `json:"post"`
	Target   string `json:"target"`
	Delay    int    `json:"delay_steps"`
	Synapses int    `json:"synapses"`
	Hash     string `json:"hash"`
	// Plasticity is TsodyksMarkram.String of the projection's short-term plasticity, if any.
	Plasticity string `json:"plasticity,omitempty"`
}

type metaInput struct {
	Name   string `json:"name"`
	Kind   string `json:"kind"`
	Group  string `json:"group"`
	Target string `json:"target"`
}

type metaGroup struct {
	Name       string `json:"name"`
	Model      string `json:"model"`
	SpecHash   string `json:"spec_hash"`
	LayoutHash string `json:"layout_hash"`
	Size       int    `json:"size"`
	// Since format version 2: the integration method, whether the state variables are
	// float32, and the layout that LayoutHash identifies, line by line (see layoutOf).
	Method  string   `json:"method,omitempty"`
	Float32 bool     `json:"float32,omitempty"`
	Layout  []string `json:"layout,omitempty"`
}

type metaDelay struct {
	Array    string  `json:"array"`
	Group    string  `json:"group"`
	Var      string  `json:"var"`
	Kind     string  `json:"kind"`
	MaxSteps int     `json:"max_steps"`
	Init     float64 `json:"init"`
}

type metaState struct {
	Name string `json:"name"`
	Size int    `json:"size"`
}

type metaArray struct {
	Name   string `json:"name"`
	Dtype  string `json:"dtype"`
	Shape  []int  `json:"shape"`
	SHA256 string `json:"sha256"`
}

// stateArray is one array of the Sim's state: how to read it from the live state, check a value
// of it, and write it back.
type stateArray struct {
	name  string
	what  string // the group or delay line it belongs to, for messages
	dtype string // "<f8", "|b1", "<u8" or "<i8"
	shape []int
	get   func() Array          // a copy of the live values
	check func(a *Array) error  // checks of the values (dtype and shape are already right); may be nil
	set   func(a *Array)        // copies the values into the live state; nil for a group-wide parameter
	param func(v float64) error // sets a group-wide parameter (Group.SetParam); nil for the rest
}

// stateLayout lists the arrays of the Sim's state in file order. It fails when a group does not
// hold what its Model declares, or when two arrays would have the same name (a parameter named
// like one of the group's own arrays).
func (s *Sim) stateLayout() ([]stateArray, error) {
	s.fitHistories() // a delay made longer since the last step: the history's rows as it will be
	var out []stateArray
	for gi, g := range s.groups {
		name, n := s.names[gi], g.Len()
		m := g.Model()
		what := fmt.Sprintf("group %q", name)
		vec := func(arr string, get func() []float64, check func(a *Array) error) {
			out = append(out, stateArray{name: name + "." + arr, what: what, dtype: "<f8", shape: []int{n},
				get:   func() Array { return Array{F64: slices.Clone(get())} },
				check: check,
				set:   func(a *Array) { copy(get(), a.F64) },
			})
		}
		for _, v := range m.Vars {
			view, _ := VarOf(g, v.Name)
			if view.Len() != n {
				return nil, fmt.Errorf("%s (model %s): Var(%q) holds %d values for %d neurons", what, m.Name, v.Name, view.Len(), n)
			}
			if view.F32 != nil {
				// Single precision in the group, double in the file: exact on saving, and a
				// file saved by this model loads back to the same bits; a value that is no
				// float32 (damaged, or beyond float32's range) is refused, not rounded.
				check := checkVar(v.Kind)
				out = append(out, stateArray{name: name + "." + v.Name, what: what, dtype: "<f8", shape: []int{n},
					get: func() Array {
						a := make([]float64, n)
						view.CopyTo(a)
						return Array{F64: a}
					},
					check: func(a *Array) error {
						if err := check(a); err != nil {
							return err
						}
						for i, x := range a.F64 {
							if float64(float32(x)) != x {
								return fmt.Errorf("%s holds %g, which is not a float32 value: the group keeps its state in float32 (-float32)", element(a, i), x)
							}
						}
						return nil
					},
					set: func(a *Array) { view.SetFrom(a.F64) },
				})
				continue
			}
			vec(v.Name, func() []float64 { return g.Var(v.Name) }, checkVar(v.Kind))
		}
		for _, p := range m.Params {
			if p.PerNeuron {
				if len(g.Var(p.Name)) != n {
					return nil, fmt.Errorf("%s (model %s): Var(%q) holds %d values for %d neurons", what, m.Name, p.Name, len(g.Var(p.Name)), n)
				}
				vec(p.Name, func() []float64 { return g.Var(p.Name) }, checkParam(p.Name))
				continue
			}
			if _, ok := g.Param(p.Name); !ok {
				return nil, fmt.Errorf("%s (model %s): Param(%q) does not know the model's parameter", what, m.Name, p.Name)
			}
			out = append(out, stateArray{name: name + "." + p.Name, what: what, dtype: "<f8", shape: []int{},
				get:   func() Array { v, _ := g.Param(p.Name); return Array{F64: []float64{v}} },
				check: checkParam(p.Name),
				param: func(v float64) error { return g.SetParam(p.Name, v) },
			})
		}
		for _, c := range []struct {
			method string
			len    int
		}{{"Input", len(g.Input())}, {"Spiked", len(g.Spiked())}, {"SpikeTimes", len(g.SpikeTimes())}} {
			if c.len != n {
				return nil, fmt.Errorf("%s (model %s): %s holds %d values for %d neurons", what, m.Name, c.method, c.len, n)
			}
		}
		vec("I_ext", g.Input, checkFinite)
		out = append(out, stateArray{name: name + ".spiked", what: what, dtype: "|b1", shape: []int{n},
			get: func() Array { return Array{Bool: slices.Clone(g.Spiked())} },
			set: func(a *Array) { copy(g.Spiked(), a.Bool) },
		})
		vec("spike_time", g.SpikeTimes, checkSpikeTimes)
		out = append(out,
			stateArray{name: name + ".seed", what: what, dtype: "<u8", shape: []int{},
				get: func() Array { return Array{U64: []uint64{g.Seed()}} },
				set: func(a *Array) { g.SetSeed(a.U64[0]) },
			},
			stateArray{name: name + ".voltage_clamp", what: what, dtype: "|b1", shape: []int{},
				get: func() Array { return Array{Bool: []bool{g.VoltageClamp()}} },
				set: func(a *Array) { g.SetVoltageClamp(a.Bool[0]) },
			},
			stateArray{name: name + ".now", what: what, dtype: "<f8", shape: []int{},
				get:   func() Array { return Array{F64: []float64{g.Now()}} },
				check: checkFinite,
				set:   func(a *Array) { g.SetNow(a.F64[0]) },
			})
	}
	for _, l := range s.delays {
		out = append(out, stateArray{name: l.Name() + ".delay", what: "delay line " + l.Name(), dtype: "<f8", shape: []int{l.max, l.n},
			get: func() Array {
				v := make([]float64, len(l.buf))
				for r := range l.max {
					copy(v[r*l.n:(r+1)*l.n], l.Row(l.max-r))
				}
				return Array{F64: v}
			},
			check: checkFinite,
			set: func(a *Array) {
				copy(l.buf, a.F64) // oldest first: with the head at row 0, row r is MaxSteps−r steps ago
				l.head = 0
			},
		})
		out = append(out, pushesArray(&l.line))
	}
	for _, l := range s.spikes {
		out = append(out, stateArray{name: l.Name() + ".delay", what: "spike delay line " + l.Name(), dtype: "|b1", shape: []int{l.max, l.n},
			get: func() Array {
				v := make([]bool, len(l.buf))
				for r := range l.max {
					copy(v[r*l.n:(r+1)*l.n], l.Row(l.max-r))
				}
				return Array{Bool: v}
			},
			set: func(a *Array) {
				copy(l.buf, a.Bool)
				l.head = 0
			},
		})
		out = append(out, pushesArray(&l.line))
	}
	for _, u := range s.states {
		out = append(out, stateArray{name: u.name, what: "state " + u.name, dtype: "<f8", shape: []int{len(u.values)},
			get:   func() Array { return Array{F64: slices.Clone(u.values)} },
			check: checkFinite,
			set:   func(a *Array) { copy(u.values, a.F64) },
		})
	}
	for _, h := range s.histories {
		out = append(out, stateArray{name: h.group + ".spiked.history", what: "spike history of " + h.group, dtype: "|b1", shape: []int{h.rows, h.n},
			get: func() Array {
				v := make([]bool, h.rows*h.n)
				for r := range h.rows {
					bits := h.bits[r*h.words : (r+1)*h.words]
					for i := range h.n {
						v[r*h.n+i] = bits[i>>6]>>(i&63)&1 != 0
					}
				}
				return Array{Bool: v}
			},
			set: func(a *Array) {
				clear(h.bits)
				for k, b := range a.Bool {
					if b {
						r, i := k/h.n, k%h.n
						h.bits[r*h.words+i>>6] |= 1 << (i & 63)
					}
				}
			},
		})
	}
	for _, c := range s.conns {
		if c.stp != nil && c.stp.rule != nil {
			out = append(out, ruleArrays(c)...)
		} else if c.stp != nil {
			out = append(out, stpArrays(c)...)
		}
		if c.kin != nil {
			out = append(out, kineticArrays(c.name, "projection "+c.name, c.kin)...)
		}
	}
	for _, p := range s.inputs {
		out = append(out, pcgArray(p.name+".rng", "Poisson input "+p.name, p.src))
		if p.kin != nil {
			out = append(out, kineticArrays(p.name, "Poisson input "+p.name, p.kin)...)
		}
	}
	for _, c := range s.currents {
		if c.kind != "ou" {
			continue // a function of the step: nothing to save
		}
		what := "OU input " + c.name
		out = append(out,
			stateArray{name: c.name + ".ou", what: what, dtype: "<f8", shape: []int{c.n},
				get:   func() Array { return Array{F64: slices.Clone(c.x)} },
				check: checkFinite,
				set:   func(a *Array) { copy(c.x, a.F64) },
			},
			pcgArray(c.name+".rng", what, c.src))
	}
	seen := map[string]string{metaName: "the metadata"}
	for i := range out {
		a := &out[i]
		if prev, ok := seen[a.name]; ok {
			return nil, fmt.Errorf("%s: array name %s is taken by %s (a parameter or variable with the name of another array?)", a.what, a.name, prev)
		}
		seen[a.name] = a.what
	}
	return out, nil
}

// stpArrays are the arrays of the short-term plasticity state of projection c.
func stpArrays(c *conn) []stateArray {
	s := c.stp
	what := "short-term plasticity of projection " + c.name
	n := len(s.u)
	unit := func(a *Array) error {
		for i, v := range a.F64 {
			if !(v >= 0 && v <= 1) {
				return fmt.Errorf("element %d is %g, not from 0 to 1", i, v)
			}
		}
		return nil
	}
	return []stateArray{
		{name: c.name + ".stp.u", what: what, dtype: "<f8", shape: []int{n}, check: unit,
			get: func() Array { return Array{F64: slices.Clone(s.u)} },
			set: func(a *Array) { copy(s.u, a.F64) }},
		{name: c.name + ".stp.x", what: what, dtype: "<f8", shape: []int{n}, check: unit,
			get: func() Array { return Array{F64: slices.Clone(s.x)} },
			set: func(a *Array) { copy(s.x, a.F64) }},
		lastArray(c.name, what, s),
	}
}

// lastArray is the array of the steps of the last events of plasticity state s of projection
// name.
func lastArray(name, what string, s *stp) stateArray {
	return stateArray{name: name + ".stp.last", what: what, dtype: "<i8", shape: []int{s.len()},
		get: func() Array { return Array{I64: slices.Clone(s.last)} },
		check: func(a *Array) error {
			for i, v := range a.I64 {
				if v < -1 {
					return fmt.Errorf("element %d is %d: want −1 (no event yet) or the step of the last event", i, v)
				}
			}
			return nil
		},
		set: func(a *Array) { copy(s.last, a.I64) }}
}

// orNone is s, or "none" when s is empty.
func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// pcgArray is the array of a PCG source's state: its high and low words.
func pcgArray(name, what string, src *rand.PCG) stateArray {
	return stateArray{name: name, what: what, dtype: "<u8", shape: []int{2},
		get: func() Array {
			b, _ := src.MarshalBinary() // "pcg:", then the state's high and low words, big-endian
			return Array{U64: []uint64{binary.BigEndian.Uint64(b[4:12]), binary.BigEndian.Uint64(b[12:20])}}
		},
		set: func(a *Array) {
			b := binary.BigEndian.AppendUint64(binary.BigEndian.AppendUint64([]byte("pcg:"), a.U64[0]), a.U64[1])
			if err := src.UnmarshalBinary(b); err != nil {
				panic("runtime: restoring a PCG state: " + err.Error()) // cannot happen: 20 bytes with the prefix
			}
		},
	}
}

// pushesArray is the array of a delay line's Pushes count.
func pushesArray(l *line) stateArray {
	return stateArray{name: l.Name() + ".delay.pushes", what: "delay line " + l.Name(), dtype: "<i8", shape: []int{},
		get: func() Array { return Array{I64: []int64{l.pushes}} },
		set: func(a *Array) { l.pushes = a.I64[0] },
	}
}

// checkFinite checks that every value is a finite number.
func checkFinite(a *Array) error {
	for i, v := range a.F64 {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("%s holds %g, not a finite number", element(a, i), v)
		}
	}
	return nil
}

// gateTolerance is how far outside [0, 1] a gate may be, for rounding: far above the rounding
// error of a step, far below anything a gate could mean.
const gateTolerance = 1e-6

// checkVar returns the check of a state variable of a kind (Var.Kind): finite, and a gate in
// [0, 1], a concentration positive.
func checkVar(kind string) func(a *Array) error {
	switch kind {
	case KindGate:
		return func(a *Array) error {
			if err := checkFinite(a); err != nil {
				return err
			}
			for i, v := range a.F64 {
				if v < -gateTolerance || v > 1+gateTolerance {
					return fmt.Errorf("%s holds %g, but a gate is a fraction from 0 to 1", element(a, i), v)
				}
			}
			return nil
		}
	case KindConcentration:
		return checkPositive("a concentration")
	}
	return checkFinite
}

// checkParam returns the check of a parameter: finite, and the membrane capacitance C and area
// A positive.
func checkParam(name string) func(a *Array) error {
	switch name {
	case "C":
		return checkPositive("the membrane capacitance")
	case "A":
		return checkPositive("the membrane area")
	}
	return checkFinite
}

// checkPositive returns a check that every value is finite and positive.
func checkPositive(what string) func(a *Array) error {
	return func(a *Array) error {
		if err := checkFinite(a); err != nil {
			return err
		}
		for i, v := range a.F64 {
			if v <= 0 {
				return fmt.Errorf("%s holds %g, but %s must be positive", element(a, i), v, what)
			}
		}
		return nil
	}
}

// checkSpikeTimes checks that every value is finite or -Inf.
func checkSpikeTimes(a *Array) error {
	for i, v := range a.F64 {
		if math.IsNaN(v) || math.IsInf(v, 1) {
			return fmt.Errorf("%s holds %g, neither a time nor -Inf (no spike yet)", element(a, i), v)
		}
	}
	return nil
}

// element names element i of a: "its value", "neuron 3" or "row 2, neuron 3".
func element(a *Array, i int) string {
	switch len(a.Shape) {
	case 0:
		return "its value"
	case 1:
		return fmt.Sprintf("neuron %d", i)
	}
	return fmt.Sprintf("row %d, neuron %d", i/a.Shape[1], i%a.Shape[1])
}

// dtype returns a's numpy dtype, or "" when its data fields are not set right.
func dtype(a *Array) string {
	d, _, err := a.descr()
	if err != nil {
		return ""
	}
	return d
}

// digest returns the hex SHA-256 of a's data bytes: its NPY encoding without the header.
func digest(a *Array) (string, error) {
	d, _, err := a.descr()
	if err != nil {
		return "", err
	}
	h := sha256.New()
	if err := EncodeNPY(&skipWriter{w: h, skip: len(npyHeader(d, a.Shape))}, a); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// skipWriter drops the first skip bytes written to it and passes the rest to w.
type skipWriter struct {
	w    io.Writer
	skip int
}

func (s *skipWriter) Write(p []byte) (int, error) {
	n := len(p)
	k := min(s.skip, len(p))
	s.skip -= k
	if _, err := s.w.Write(p[k:]); err != nil {
		return 0, err
	}
	return n, nil
}

// stateArrays returns the arrays of a state file for the Sim's present state, __meta__ first.
// It fails, writing nothing, when the state could not be loaded back: a value that is not
// finite where it must be (a run that went wrong) or two arrays of the same name.
func (s *Sim) stateArrays() ([]Array, error) {
	layout, err := s.stateLayout()
	if err != nil {
		return nil, err
	}
	meta := s.metadata()
	arrays := make([]Array, 1, len(layout)+1)
	for _, sa := range layout {
		a := sa.get()
		a.Name, a.Shape = sa.name, sa.shape
		if sa.check != nil {
			if err := sa.check(&a); err != nil {
				return nil, fmt.Errorf("%s: array %s: %w; a state that cannot be loaded back is not saved", sa.what, sa.name, err)
			}
		}
		sum, err := digest(&a)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", sa.what, err)
		}
		meta.Arrays = append(meta.Arrays, metaArray{Name: a.Name, Dtype: sa.dtype, Shape: a.Shape, SHA256: sum})
		arrays = append(arrays, a)
	}
	js, err := json.MarshalIndent(meta, "", " ")
	if err != nil {
		return nil, err
	}
	text := string(js)
	arrays[0] = Array{Name: metaName, Shape: []int{}, Str: &text}
	return arrays, nil
}

// metadata returns the Sim's metadata without its list of arrays.
func (s *Sim) metadata() stateMeta {
	meta := stateMeta{
		Format:        stateFormat,
		FormatVersion: stateFormatVersion,
		RuntimeAPI:    APIVersion,
		Neurogen:      Version,
		Step:          s.clock.Step,
		T:             s.clock.T(),
		Dt:            s.clock.Dt,
		Groups:        []metaGroup{},
		Delays:        []metaDelay{},
		States:        []metaState{},
		Arrays:        []metaArray{},
	}
	for _, u := range s.states {
		meta.States = append(meta.States, metaState{Name: u.name, Size: len(u.values)})
	}
	for i, g := range s.groups {
		m := g.Model()
		meta.Groups = append(meta.Groups, metaGroup{Name: s.names[i], Model: m.Name, SpecHash: m.SpecHash, LayoutHash: m.LayoutHash, Size: g.Len(),
			Method: m.Method, Float32: m.Float32, Layout: layoutOf(m)})
	}
	meta.Delays = append(meta.Delays, s.lineMeta()...)
	meta.Projections = s.projMeta()
	meta.Inputs = s.inputMeta()
	return meta
}

// inputMeta describes the Sim's inputs as the metadata does: the Poisson inputs, then the
// current inputs, each in the order added.
func (s *Sim) inputMeta() []metaInput {
	var out []metaInput
	for _, p := range s.inputs {
		out = append(out, metaInput{Name: p.name, Kind: "poisson", Group: p.group, Target: p.target})
	}
	for _, c := range s.currents {
		out = append(out, metaInput{Name: c.name, Kind: c.kind, Group: c.group, Target: "I_ext"})
	}
	return out
}

// projMeta describes the Sim's projections as the metadata does.
func (s *Sim) projMeta() []metaProj {
	var out []metaProj
	for _, c := range s.conns {
		out = append(out, metaProj{Name: c.name, Pre: c.pre.group, Post: c.post, Target: c.label,
			Delay: c.p.delay, Synapses: c.p.Len(), Hash: c.p.Hash()})
		if c.stp != nil && c.stp.rule != nil {
			out[len(out)-1].Plasticity = c.stp.rule.String()
		} else if c.stp != nil {
			out[len(out)-1].Plasticity = c.stp.tm.String()
		}
	}
	return out
}

// matchNetwork checks that the file's projections and inputs are the Sim's: the same names,
// groups and targets (else a SimMismatch), and for each projection the same connectivity (else
// a ConnectivityMismatch).
func (s *Sim) matchNetwork(meta *stateMeta) error {
	ours := s.projMeta()
	seen := map[string]bool{}
	for _, mp := range meta.Projections {
		i := slices.IndexFunc(ours, func(o metaProj) bool { return o.Name == mp.Name })
		switch {
		case seen[mp.Name]:
			return stateErr(SimMismatch, fmt.Errorf("metadata: projection %s is listed twice", mp.Name))
		case i < 0:
			return stateErr(SimMismatch, fmt.Errorf("projection %s (%s → %s.%s) is in the file but not in the sim", mp.Name, mp.Pre, mp.Post, mp.Target))
		}
		seen[mp.Name] = true
		o := ours[i]
		switch {
		case mp.Pre != o.Pre || mp.Post != o.Post || mp.Target != o.Target:
			return stateErr(SimMismatch, fmt.Errorf("projection %s: the file's is %s → %s.%s, the sim's %s → %s.%s", mp.Name, mp.Pre, mp.Post, mp.Target, o.Pre, o.Post, o.Target))
		case mp.Plasticity != o.Plasticity:
			return stateErr(SimMismatch, fmt.Errorf("projection %s: the file's short-term plasticity is %s, the sim's %s", mp.Name, orNone(mp.Plasticity), orNone(o.Plasticity)))
		case mp.Delay != o.Delay || mp.Synapses != o.Synapses || mp.Hash != o.Hash:
			return stateErr(ConnectivityMismatch, fmt.Errorf("projection %s (%s → %s.%s): the file's connectivity (%d synapses, delay %d steps, hash %.12s…) is not the sim's (%d synapses, delay %d steps, hash %.12s…): other seeds, rules, weights or delays",
				mp.Name, mp.Pre, mp.Post, mp.Target, mp.Synapses, mp.Delay, mp.Hash, o.Synapses, o.Delay, o.Hash))
		}
	}
	for _, o := range ours {
		if !seen[o.Name] {
			return stateErr(SimMismatch, fmt.Errorf("projection %s is in the sim but not in the file", o.Name))
		}
	}
	seen = map[string]bool{}
	inputs := s.inputMeta()
	for _, mi := range meta.Inputs {
		i := slices.IndexFunc(inputs, func(o metaInput) bool { return o.Name == mi.Name })
		switch {
		case seen[mi.Name]:
			return stateErr(SimMismatch, fmt.Errorf("metadata: input %s is listed twice", mi.Name))
		case i < 0:
			return stateErr(SimMismatch, fmt.Errorf("input %s (%s into %s.%s) is in the file but not in the sim", mi.Name, mi.Kind, mi.Group, mi.Target))
		case mi.Kind != inputs[i].Kind || mi.Group != inputs[i].Group || mi.Target != inputs[i].Target:
			o := inputs[i]
			return stateErr(SimMismatch, fmt.Errorf("input %s: the file's is %s into %s.%s, the sim's %s into %s.%s", mi.Name, mi.Kind, mi.Group, mi.Target, o.Kind, o.Group, o.Target))
		}
		seen[mi.Name] = true
	}
	for _, o := range inputs {
		if !seen[o.Name] {
			return stateErr(SimMismatch, fmt.Errorf("input %s is in the sim but not in the file", o.Name))
		}
	}
	return nil
}

// WriteState writes the Sim's state to w as a state file. A state file holds everything a Sim
// needs to resume a run bit for bit: every group's state, every delay line, the user's states
// (AddState) and the clock. It is an NPZ file (numpy.load reads it) of these arrays, all
// little-endian, for each group GROUP in the order added:
//
//	GROUP.VAR            <f8 (N,)   each state variable of Model().Vars: GROUP.V, GROUP.Na.m, GROUP.Ca_i …
//	GROUP.PARAM          <f8 (N,)   each per-neuron parameter of Model().Params, GROUP.Na.g_max …
//	GROUP.PARAM          <f8 ()     each group-wide parameter, GROUP.C, GROUP.V_th …
//	GROUP.I_ext          <f8 (N,)   the external input, Group.Input
//	GROUP.spiked         |b1 (N,)   Group.Spiked
//	GROUP.spike_time     <f8 (N,)   Group.SpikeTimes (-inf before a neuron's first spike; with a
//	                                refractory period, what it counts from)
//	GROUP.seed           <u8 ()     Group.Seed
//	GROUP.voltage_clamp  |b1 ()     Group.VoltageClamp
//	GROUP.now            <f8 ()     Group.Now
//
// then for each delay line, Delays in the order made and then SpikeDelays in the order made:
//
//	GROUP.VAR.delay         <f8 (MaxSteps, N)   a Delay's values, oldest first: row r is what
//	GROUP.spiked.delay      |b1 (MaxSteps, N)   was pushed MaxSteps−r steps ago (the last row, 1 step ago)
//	GROUP.VAR.delay.pushes  <i8 ()              its Pushes count (GROUP.spiked.delay.pushes)
//
// The rows a line has not pushed yet (the first MaxSteps−pushes) hold its initial value. Then
// for each state added with AddState, in the order added:
//
//	NAME                 <f8 (len,)  the user's values: NAME as given to AddState (syn.g …)
//
// then, for a network, for each presynaptic group of a projection (Connect) in the order first
// connected, each projection with short-term plasticity (SetPlasticity, SetPlasticRule) or
// into a kinetic receptor in the order connected,
// each Poisson input (AddPoisson) in the order added, then each OU input (AddOU) in the order
// added:
//
//	GROUP.spiked.history |b1 (rows, N)  its spikes: row k mod rows holds step k, for the last
//	                                    rows steps before the clock's (rows: its longest delay + 1)
//	PROJ.stp.u           <f8 (S,)       utilisation u after the last event, per synapse (S: its
//	                                    synapses; its presynaptic neurons with PerPresynaptic)
//	PROJ.stp.x           <f8 (S,)       available resources x after the last event
//	PROJ.stp.last        <i8 (S,)       the step the last event arrived at; −1: none yet
//	PROJ.stp.STATE       <f8 (S,)       for a rule (SetPlasticRule), in place of u and x: each
//	                                    of its States after the last event, before last
//	PROJ.kin.r           <f8 (S,)       into a kinetic receptor: each synapse's state at its last
//	                                    transition (a transmitter pulse's start or end)
//	PROJ.kin.last        <i8 (S,)       the step of that transition; −1: none yet
//	PROJ.kin.end         <i8 (S,)       the step its pulse ends (none after the clock's: off)
//	NAME.rng             <u8 (2,)       a Poisson input's PCG state, high and low words
//	NAME.kin.r, .last, .end             into a kinetic receptor: each neuron's synapse, as PROJ.kin
//	NAME.ou              <f8 (N,)       an OU input's state, the current of the next step
//	NAME.rng             <u8 (2,)       its PCG state
//
// The other current inputs (AddCurrent, AddStep, AddRamp, AddWaveform) are functions of the
// step and hold no state.
//
// First of all comes __meta__, a 0-d text array ('<U') holding a JSON object:
//
//	format            "neurogen-state"
//	format_version    2 (ReadState reads 1 too: a file without method, float32 and layout)
//	runtime_api       APIVersion
//	neurogen_version  Version
//	step, t, dt       the clock: the steps made, the time t = step·dt (ms) and the step dt (ms)
//	groups            [{name, model, spec_hash, layout_hash, size, method, float32, layout}], in
//	                  the order added: method is Model.Method, float32 Model.Float32 (omitted
//	                  when false), layout the lines that describe the layout (each variable
//	                  with its unit and kind, each parameter with its unit, per neuron or not)
//	delays            [{array, group, var, kind ("float64" or "spikes"), max_steps, init}]
//	states            [{name, size}], the states added with AddState, in the order added
//	projections       [{name, pre, post, target, delay_steps, synapses, hash, plasticity}],
//	                  omitted without projections: hash is Projection.Hash, refused
//	                  (connectivity-mismatch) if it or the size or delay differs from the Sim's;
//	                  plasticity is TsodyksMarkram.String or PlasticRule.String, omitted without, refused
//	                  (sim-mismatch) if it differs
//	inputs            [{name, kind, group, target}], omitted without inputs: the Poisson inputs
//	                  (kind "poisson"), then the current inputs (kind "current", "waveform" or
//	                  "ou", target "I_ext"), each in the order added
//	arrays            [{name, dtype, shape, sha256}] for every other array of the file, where
//	                  sha256 is the hex SHA-256 of the array's data bytes (numpy's a.tobytes())
//
// WriteState checks the state first and writes nothing when it could not be loaded back (a
// value such as V that is NaN, a gate outside [0, 1], two arrays of the same name). The file is the same bytes for the
// same state. Save writes a file atomically; Load and ReadState verify all of a file before they
// change anything.
func (s *Sim) WriteState(w io.Writer) error {
	arrays, err := s.stateArrays()
	if err != nil {
		return err
	}
	return WriteNPZ(w, arrays)
}

// saveWriter and saveFault are seams for the tests of Save's failure paths: saveWriter wraps
// the temporary file's writer, and saveFault, when set, is asked before each later stage
// ("chmod", "sync", "close", "rename", "syncdir") and makes that stage fail with its error.
var (
	saveWriter = func(w io.Writer) io.Writer { return w }
	saveFault  func(stage string) error
)

// Save writes the Sim's state to the file path, atomically: it writes a temporary file
// .NAME.tmp-PID-RANDOM beside the file, syncs it to disk, closes it and renames it over the file,
// then syncs the directory. On any failure before the rename it removes the temporary file, and a
// file that was at path is left as it was; nothing is ever half-written at path. The file gets
// the mode of the file it replaces, or 0644.
//
// A symlink at path is written through: the file it points to is replaced, and the link stays. A
// path that names an existing file which is not a regular file (a device such as /dev/null, a
// FIFO) is written in place, never replaced, and its write errors (a full device) are returned.
// A directory is refused. Before writing, Save removes the temporary files that killed saves to
// the same file left (those whose process is gone).
func (s *Sim) Save(path string) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("save state to %s: %w", path, err)
		}
	}()
	arrays, err := s.stateArrays()
	if err != nil {
		return err
	}
	f, err := CreateOutput(path)
	if err != nil {
		return err
	}
	defer f.Discard() // does nothing after Commit
	f.fault = saveFault
	if err := WriteNPZ(saveWriter(f), arrays); err != nil {
		return fmt.Errorf("writing %s: %w", f.Name(), err)
	}
	return f.Commit()
}

// LoadOptions relax what LoadWith and ReadStateWith accept; the zero value is what Load and
// ReadState accept.
type LoadOptions struct {
	// AnyMethod loads a group's state saved by a build of its model that integrates with
	// another method (Model.Method). It is refused by default because the state may not mean
	// the same: the staggered method keeps the gates half a step ahead of V, the others keep
	// them at V's time, so a state resumed under another method starts half a step off.
	AnyMethod bool
}

// Load reads the state file at path into the Sim, as ReadState does: all of it is verified
// before anything changes, and on any error the groups, delay lines and clock are as they were.
// Errors name the file.
func (s *Sim) Load(path string) error { return s.LoadWith(path, LoadOptions{}) }

// LoadWith is Load with options.
func (s *Sim) LoadWith(path string, opts LoadOptions) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("load state: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("load state from %s: %w", path, err)
	}
	if err := s.ReadStateWith(f, fi.Size(), opts); err != nil {
		return fmt.Errorf("load state from %s: %w", path, err)
	}
	return nil
}

// ReadState reads a state file of size bytes from r into the Sim. It decompresses nothing
// whose size it has not checked first: the metadata up to a limit derived from the Sim's own
// metadata, and each array only when the zip's directory declares exactly the size of the
// dtype and shape the Sim's state needs (never reading more than declared), so that a small
// file that inflates to gigabytes costs nothing. It first reads and verifies all of it: the
// zip's checksums; the metadata's format, version and runtime API; each array's
// dtype, shape and SHA-256 against the metadata; the clock (the Sim's dt, t = step·dt); the
// groups (the same names, in any order, and for each the same model name, layout hash and size
// as the Sim's group; the spec hash may differ); the delay lines (the same lines with the same
// maximum and initial value, at most as many pushes as steps, rows before the first push at the
// initial value); the user's states (the same names and lengths); exactly the arrays the Sim's
// state has, no more and no fewer, with the right dtypes and shapes; finite values wherever
// a NaN or infinity would be a bug (variables, parameters, input, delay lines, user states; a
// spike time may be -Inf); and values that are physically possible: gates from 0 to 1 (within
// 1e-6), concentrations and the membrane's C and A positive, a -float32 group's values float32
// values (as it saved them), a clock of at most MaxStep steps,
// each group's time (Now) at the clock's t (or 0, a group reset or not yet stepped), no spike
// time after it, no plasticity event or kinetic synapse's transition at or after the file's
// step, and each kinetic synapse's state one its pulses could give (kinetic.checkLoad), a
// pulse on ending D + delay steps after a spike that the file's history holds. A file that records each group's method (format version 2) must have the
// Sim's group's (LoadOptions.AnyMethod relaxes this). Only then does it change the Sim. On any
// error, which names the group or array and what is wrong, the groups, delay lines, user
// states and clock are as they were.
func (s *Sim) ReadState(r io.ReaderAt, size int64) error {
	return s.ReadStateWith(r, size, LoadOptions{})
}

// ReadStateWith is ReadState with options.
func (s *Sim) ReadStateWith(r io.ReaderAt, size int64, opts LoadOptions) error {
	z, err := OpenNPZ(r, size)
	if err != nil {
		return stateErr(Unreadable, err)
	}
	layout, err := s.stateLayout()
	if err != nil {
		return err
	}
	// Nothing is decompressed before its size is known to be what the Sim's state needs: the
	// metadata up to a limit derived from the Sim's own, each array exactly its dtype and
	// shape. A file that declares more (a zip bomb) is refused for the price of its directory.
	if !z.Has(metaName) {
		return stateErr(NotAStateFile, errors.New("no __meta__ array: not a neurogen state file"))
	}
	metaLimit, err := s.metaLimit(layout)
	if err != nil {
		return err
	}
	ma, err := z.read(metaName, metaLimit, func(info *npyInfo) error {
		if info.dtype[1] != 'U' || len(info.shape) != 0 {
			return stateErr(NotAStateFile, errors.New("array __meta__ is not a 0-d text array"))
		}
		return nil
	})
	if err != nil {
		return stateErr(Corrupted, err)
	}
	meta, err := readMeta(ma)
	if err != nil {
		return err
	}
	// The file is whole: the metadata lists its arrays.
	listed := map[string]*metaArray{metaName: nil}
	for i, ma := range meta.Arrays {
		if _, ok := listed[ma.Name]; ok {
			return stateErr(Corrupted, fmt.Errorf("metadata: array %s is listed twice", ma.Name))
		}
		if !z.Has(ma.Name) {
			return stateErr(Corrupted, fmt.Errorf("array %s is listed in the metadata but missing from the file", ma.Name))
		}
		listed[ma.Name] = &meta.Arrays[i]
	}
	for _, name := range z.Names() {
		if _, ok := listed[name]; !ok {
			return stateErr(Corrupted, fmt.Errorf("array %s is not listed in the metadata", name))
		}
	}
	// The file is for this Sim.
	if err := s.checkClock(meta); err != nil {
		return stateErr(ClockMismatch, err)
	}
	if err := s.matchGroups(meta.Groups, opts); err != nil {
		return stateErr(SimMismatch, err)
	}
	if err := s.matchDelays(meta.Delays); err != nil {
		return stateErr(SimMismatch, err)
	}
	if err := s.matchStates(meta.States); err != nil {
		return stateErr(SimMismatch, err)
	}
	if err := s.matchNetwork(meta); err != nil {
		return err
	}
	want := map[string]bool{metaName: true}
	for _, sa := range layout {
		want[sa.name] = true
		if !z.Has(sa.name) {
			return stateErr(SimMismatch, fmt.Errorf("%s: array %s is missing", sa.what, sa.name))
		}
	}
	for _, name := range z.Names() {
		if !want[name] {
			return stateErr(SimMismatch, fmt.Errorf("array %s is not part of the sim's state (unexpected array)", name))
		}
	}
	// Each array, read only when its size is what the Sim expects, and checked against its
	// listing in the metadata and its SHA-256.
	byName := make(map[string]*Array, len(layout))
	for _, sa := range layout {
		ml := listed[sa.name]
		a, err := z.read(sa.name, maxNPYHeader+sa.bytes(), func(info *npyInfo) error {
			switch {
			case info.dtype != ml.Dtype || !slices.Equal(info.shape, ml.Shape):
				return stateErr(Corrupted, fmt.Errorf("array %s is %s %v, but the metadata says %s %v", sa.name, info.dtype, info.shape, ml.Dtype, ml.Shape))
			case info.dtype != sa.dtype || !slices.Equal(info.shape, sa.shape):
				return stateErr(SimMismatch, fmt.Errorf("%s: array %s is %s %v, want %s %v", sa.what, sa.name, info.dtype, info.shape, sa.dtype, sa.shape))
			}
			return nil
		})
		if err != nil {
			return stateErr(Corrupted, err)
		}
		sum, err := digest(a)
		if err != nil {
			return err
		}
		if sum != ml.SHA256 {
			return stateErr(Corrupted, fmt.Errorf("array %s is corrupted: its SHA-256 is %s, the metadata says %s", sa.name, sum, ml.SHA256))
		}
		byName[sa.name] = a
	}
	for _, sa := range layout {
		if sa.check != nil {
			if err := sa.check(byName[sa.name]); err != nil {
				return stateErr(InvalidValue, fmt.Errorf("%s: array %s: %w", sa.what, sa.name, err))
			}
		}
	}
	if err := s.checkTimes(byName, meta); err != nil {
		return stateErr(ClockMismatch, err)
	}
	if err := s.checkHistories(byName, meta.Step); err != nil {
		return stateErr(InvalidValue, err)
	}
	for _, c := range s.conns {
		if c.stp == nil {
			continue
		}
		for i, v := range byName[c.name+".stp.last"].I64 {
			if v >= meta.Step {
				return stateErr(InvalidValue, fmt.Errorf("short-term plasticity of projection %s: array %s.stp.last: element %d is step %d, not before the file's step %d", c.name, c.name, i, v, meta.Step))
			}
		}
	}
	for _, c := range s.conns {
		if c.kin != nil {
			err := c.kin.checkLoad(byName, c.name, meta.Step)
			if err == nil {
				err = c.checkLoadRows(byName, meta.Step)
			}
			if err != nil {
				return stateErr(InvalidValue, fmt.Errorf("kinetic receptor state of projection %s: %w", c.name, err))
			}
		}
	}
	for _, p := range s.inputs {
		if p.kin != nil {
			if err := p.kin.checkLoad(byName, p.name, meta.Step); err != nil {
				return stateErr(InvalidValue, fmt.Errorf("kinetic receptor state of Poisson input %s: %w", p.name, err))
			}
		}
	}
	// Everything is verified: apply. Group-wide parameters go through SetParam, which may in
	// principle refuse; they go first and are undone if one does.
	var undo []func()
	for _, sa := range layout {
		if sa.param == nil {
			continue
		}
		old := sa.get()
		if err := sa.param(byName[sa.name].F64[0]); err != nil {
			for _, u := range slices.Backward(undo) {
				u()
			}
			return stateErr(InvalidValue, fmt.Errorf("%s: array %s: %w", sa.what, sa.name, err))
		}
		undo = append(undo, func() { sa.param(old.F64[0]) })
	}
	for _, sa := range layout {
		if sa.set != nil {
			sa.set(byName[sa.name])
		}
	}
	s.clock.Step = meta.Step
	s.finiteStep = meta.Step // the values were verified finite
	return nil
}

// checkClock checks the file's clock against the Sim's.
func (s *Sim) checkClock(meta *stateMeta) error {
	if meta.Dt != s.clock.Dt {
		return fmt.Errorf("clock: the file's time step is %g ms, the sim's %g ms", meta.Dt, s.clock.Dt)
	}
	if meta.Step > MaxStep {
		return fmt.Errorf("clock: step %d is past the last step a clock counts exactly, %d (2^53)", meta.Step, int64(MaxStep))
	}
	if meta.Step < 0 || meta.T != float64(meta.Step)*meta.Dt {
		return fmt.Errorf("clock: step %d at t = %g ms is not consistent with dt = %g ms", meta.Step, meta.T, meta.Dt)
	}
	return nil
}

// MaxStep is the most steps a state file's clock may have made: up to 2^53 steps, t = step·dt
// is exact in the step count (float64(step) is step), and a run can go on for as long again.
const MaxStep = 1 << 53

// timeTolerance is how far a time (a group's Now, a spike time) may be past the clock's
// t = step·dt, relative to t (or dt): far above the rounding of t+dt, far below a step.
const timeTolerance = 1e-9

// checkTimes checks each group's time and spike times against the clock: Now is t (or 0, as
// after Reset), and no spike is later than t.
func (s *Sim) checkTimes(byName map[string]*Array, meta *stateMeta) error {
	tol := timeTolerance * max(math.Abs(meta.T), meta.Dt)
	for _, name := range s.names {
		what := fmt.Sprintf("group %q", name)
		now := byName[name+".now"].F64[0]
		if now != 0 && math.Abs(now-meta.T) > tol {
			return fmt.Errorf("%s: array %s.now: the group's time is %g ms, but the clock is at t = %g ms (step %d)", what, name, now, meta.T, meta.Step)
		}
		for i, v := range byName[name+".spike_time"].F64 {
			if v > meta.T+tol {
				return fmt.Errorf("%s: array %s.spike_time: neuron %d spiked at %g ms, after the clock's t = %g ms (step %d)", what, name, i, v, meta.T, meta.Step)
			}
		}
	}
	return nil
}

// LayoutLines describes the layout of a model's state line by line, as the generator's
// LayoutHash hashes it (with Model.Float32): each variable with its unit and kind, then each
// parameter with its unit, per neuron or for the group. State files record it, so that a file
// of another layout is refused with what differs.
func LayoutLines(m *Model) []string { return layoutOf(m) }

// layoutOf is LayoutLines.
func layoutOf(m *Model) []string {
	out := []string{}
	for _, v := range m.Vars {
		out = append(out, fmt.Sprintf("var %s (%s, %s)", v.Name, v.Unit, v.Kind))
	}
	for _, p := range m.Params {
		per := "one per group"
		if p.PerNeuron {
			per = "per neuron"
		}
		out = append(out, fmt.Sprintf("param %s (%s, %s)", p.Name, p.Unit, per))
	}
	return out
}

// precision names the storage of a group's state variables.
func precision(float32 bool) string {
	if float32 {
		return "float32 state (generated with -float32)"
	}
	return "float64 state"
}

// layoutMismatch words how the layout of a group in a file differs from the Sim's group's.
func layoutMismatch(mg metaGroup, m *Model) error {
	prefix := fmt.Sprintf("group %q (model %s)", mg.Name, mg.Model)
	if mg.Layout == nil { // a file of format version 1 says no more than the hash
		return fmt.Errorf("%s: the file's state has another layout (variables or parameters; layout %s), the sim's group layout %s: was the spec changed?",
			prefix, mg.LayoutHash, m.LayoutHash)
	}
	if mg.Float32 != m.Float32 {
		return fmt.Errorf("%s: the file holds %s, the sim's group %s", prefix, precision(mg.Float32), precision(m.Float32))
	}
	ours := layoutOf(m)
	for i := range max(len(ours), len(mg.Layout)) {
		theirs, our := "nothing", "nothing"
		if i < len(mg.Layout) {
			theirs = mg.Layout[i]
		}
		if i < len(ours) {
			our = ours[i]
		}
		if theirs != our {
			return fmt.Errorf("%s: the file's state has another layout: where it has %s, the sim's group has %s (was the spec changed?)", prefix, theirs, our)
		}
	}
	return fmt.Errorf("%s: the file's layout hash is %s, the sim's group's %s, for the same variables and parameters: a damaged file?", prefix, mg.LayoutHash, m.LayoutHash)
}

// bytes returns the size of the array's data in bytes.
func (sa *stateArray) bytes() int64 {
	n := int64(1)
	for _, d := range sa.shape {
		n *= int64(d)
	}
	if sa.dtype == "|b1" {
		return n
	}
	return 8 * n
}

// metaLimit returns the largest __meta__ entry ReadState decompresses for the Sim, in bytes:
// 4 bytes a character (numpy's '<U') for twice the length of the metadata the Sim itself
// writes, and 64 KiB more.
func (s *Sim) metaLimit(layout []stateArray) (int64, error) {
	meta := s.metadata()
	for _, sa := range layout {
		meta.Arrays = append(meta.Arrays, metaArray{Name: sa.name, Dtype: sa.dtype, Shape: sa.shape, SHA256: strings.Repeat("0", 64)})
	}
	js, err := json.MarshalIndent(meta, "", " ")
	if err != nil {
		return 0, err
	}
	return maxNPYHeader + 4*(2*int64(len(js))+64<<10), nil
}

// MaxStateMetaBytes is the largest metadata entry (__meta__, numpy text of 4 bytes a
// character) that ReadStateMeta reads.
const MaxStateMetaBytes = 16 << 20

// ReadStateMeta returns the metadata of a state file of size bytes, the JSON text of its
// __meta__ array (see WriteState), reading nothing else of the file: a program can look at a
// state file's clock and groups before it builds a Sim to load it into. It refuses metadata
// that declares more than MaxStateMetaBytes before decompressing any, and checks nothing of
// the JSON.
func ReadStateMeta(r io.ReaderAt, size int64) (string, error) {
	z, err := OpenNPZ(r, size)
	if err != nil {
		return "", err
	}
	if !z.Has(metaName) {
		return "", errors.New("no __meta__ array: not a neurogen state file")
	}
	a, err := z.read(metaName, MaxStateMetaBytes, func(info *npyInfo) error {
		if info.dtype[1] != 'U' || len(info.shape) != 0 {
			return errors.New("array __meta__ is not a 0-d text array")
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	return *a.Str, nil
}

// readMeta decodes and checks the metadata array.
func readMeta(a *Array) (*stateMeta, error) {
	if a == nil {
		return nil, stateErr(NotAStateFile, errors.New("no __meta__ array: not a neurogen state file"))
	}
	if a.Str == nil || len(a.Shape) != 0 {
		return nil, stateErr(NotAStateFile, errors.New("array __meta__ is not a 0-d text array"))
	}
	dec := json.NewDecoder(strings.NewReader(*a.Str))
	dec.DisallowUnknownFields()
	var m stateMeta
	if err := dec.Decode(&m); err != nil {
		return nil, stateErr(NotAStateFile, fmt.Errorf("metadata (__meta__): %w", err))
	}
	if dec.More() {
		return nil, stateErr(NotAStateFile, errors.New("metadata (__meta__): text after the JSON object"))
	}
	switch {
	case m.Format != stateFormat:
		return nil, stateErr(NotAStateFile, fmt.Errorf("metadata: format %q, not %q: not a neurogen state file", m.Format, stateFormat))
	case m.FormatVersion != 1 && m.FormatVersion != stateFormatVersion:
		return nil, stateErr(UnsupportedStateVersion, fmt.Errorf("metadata: format version %d; this runtime reads versions 1 and %d", m.FormatVersion, stateFormatVersion))
	case m.RuntimeAPI != APIVersion:
		return nil, stateErr(UnsupportedStateVersion, fmt.Errorf("metadata: written for runtime API version %d; this runtime is version %d", m.RuntimeAPI, APIVersion))
	}
	return &m, nil
}

// matchGroups checks that the file's groups are the Sim's: the same names, and for each the
// same model, layout and size.
func (s *Sim) matchGroups(groups []metaGroup, opts LoadOptions) error {
	seen := map[string]bool{}
	for _, mg := range groups {
		g := s.Group(mg.Name)
		switch {
		case seen[mg.Name]:
			return fmt.Errorf("metadata: group %s is listed twice", mg.Name)
		case g == nil:
			return fmt.Errorf("group %q (model %s) is in the file but not in the sim", mg.Name, mg.Model)
		}
		seen[mg.Name] = true
		m := g.Model()
		switch {
		case mg.Model != m.Name:
			return fmt.Errorf("group %q: the file holds model %s (layout %s), the sim's group is model %s (layout %s)",
				mg.Name, mg.Model, mg.LayoutHash, m.Name, m.LayoutHash)
		case mg.LayoutHash != m.LayoutHash:
			return layoutMismatch(mg, m)
		case mg.Size != g.Len():
			return fmt.Errorf("group %q (model %s): the file holds %d neurons, the sim's group has %d", mg.Name, mg.Model, mg.Size, g.Len())
		case mg.Method != "" && mg.Method != m.Method && !opts.AnyMethod:
			why := ""
			if mg.Method == "staggered" || m.Method == "staggered" {
				why = " (the staggered method keeps the gates half a step ahead of V, the others at V's time)"
			}
			return fmt.Errorf("group %q (model %s): the state was saved by a build that integrates with %s, the sim's group with %s%s; to resume it under %s anyway, load it with LoadOptions{AnyMethod: true}",
				mg.Name, mg.Model, mg.Method, m.Method, why, m.Method)
		}
	}
	for _, name := range s.names {
		if !seen[name] {
			return fmt.Errorf("group %q is in the sim but not in the file", name)
		}
	}
	return nil
}

// lineMeta describes the Sim's delay lines as the metadata does.
func (s *Sim) lineMeta() []metaDelay {
	var out []metaDelay
	for _, l := range s.delays {
		out = append(out, metaDelay{Array: l.Name() + ".delay", Group: l.group, Var: l.name, Kind: "float64", MaxSteps: l.max, Init: l.init})
	}
	for _, l := range s.spikes {
		out = append(out, metaDelay{Array: l.Name() + ".delay", Group: l.group, Var: l.name, Kind: "spikes", MaxSteps: l.max})
	}
	return out
}

// matchDelays checks that the file's delay lines are the Sim's, each with the same maximum and
// initial value.
func (s *Sim) matchDelays(delays []metaDelay) error {
	want := map[string]metaDelay{}
	for _, w := range s.lineMeta() {
		want[w.Array] = w
	}
	seen := map[string]bool{}
	for _, md := range delays {
		w, ok := want[md.Array]
		switch {
		case seen[md.Array]:
			return fmt.Errorf("metadata: delay line %s is listed twice", md.Array)
		case !ok:
			return fmt.Errorf("delay line %s (%s.%s) is in the file but not in the sim", md.Array, md.Group, md.Var)
		case md.Kind != w.Kind || md.Group != w.Group || md.Var != w.Var:
			return fmt.Errorf("delay line %s: the file's is a %s line over %s.%s, the sim's a %s line over %s.%s",
				md.Array, md.Kind, md.Group, md.Var, w.Kind, w.Group, w.Var)
		case md.MaxSteps != w.MaxSteps:
			return fmt.Errorf("delay line %s: the file's holds %d steps, the sim's %d", md.Array, md.MaxSteps, w.MaxSteps)
		case math.Float64bits(md.Init) != math.Float64bits(w.Init):
			return fmt.Errorf("delay line %s: the file's initial value is %g, the sim's %g", md.Array, md.Init, w.Init)
		}
		seen[md.Array] = true
	}
	for _, w := range s.lineMeta() {
		if !seen[w.Array] {
			return fmt.Errorf("delay line %s is in the sim but not in the file", w.Array)
		}
	}
	return nil
}

// matchStates checks that the file's user states are the Sim's (AddState), each of the same
// length.
func (s *Sim) matchStates(states []metaState) error {
	seen := map[string]bool{}
	for _, ms := range states {
		v := s.State(ms.Name)
		switch {
		case seen[ms.Name]:
			return fmt.Errorf("metadata: state %s is listed twice", ms.Name)
		case v == nil:
			return fmt.Errorf("state %s (%d values) is in the file but not in the sim (AddState)", ms.Name, ms.Size)
		case ms.Size != len(v):
			return fmt.Errorf("state %s: the file holds %d values, the sim's state has %d", ms.Name, ms.Size, len(v))
		}
		seen[ms.Name] = true
	}
	for _, u := range s.states {
		if !seen[u.name] {
			return fmt.Errorf("state %s is in the sim (AddState) but not in the file", u.name)
		}
	}
	return nil
}

// checkHistories checks each delay line's pushes against the clock, and that the rows it has
// not pushed yet hold its initial value.
func (s *Sim) checkHistories(byName map[string]*Array, step int64) error {
	check := func(l *line, unwritten func(r int) bool) error {
		name := l.Name() + ".delay"
		p := byName[name+".pushes"].I64[0]
		if p < 0 || p > step {
			return fmt.Errorf("delay line %s: array %s.pushes: %d pushes at step %d (want 0 to %d)", l.Name(), name, p, step, step)
		}
		for r := range max(0, int64(l.max)-p) {
			if !unwritten(int(r)) {
				return fmt.Errorf("delay line %s: array %s: row %d holds values although the line has been pushed only %d times", l.Name(), name, r, p)
			}
		}
		return nil
	}
	for _, l := range s.delays {
		ring := byName[l.Name()+".delay"].F64
		bits := math.Float64bits(l.init)
		if err := check(&l.line, func(r int) bool {
			for _, v := range ring[r*l.n : (r+1)*l.n] {
				if math.Float64bits(v) != bits {
					return false
				}
			}
			return true
		}); err != nil {
			return err
		}
	}
	for _, l := range s.spikes {
		ring := byName[l.Name()+".delay"].Bool
		if err := check(&l.line, func(r int) bool { return !slices.Contains(ring[r*l.n:(r+1)*l.n], true) }); err != nil {
			return err
		}
	}
	for _, h := range s.histories {
		// Row k mod rows holds step k for the last rows steps before the clock's; a step
		// before step 0 has no spikes.
		ring := byName[h.group+".spiked.history"].Bool
		for k := step - int64(h.rows); k < 0; k++ {
			r := int((k%int64(h.rows) + int64(h.rows)) % int64(h.rows))
			if slices.Contains(ring[r*h.n:(r+1)*h.n], true) {
				return fmt.Errorf("spike history of %s: array %s.spiked.history: row %d holds spikes of step %d, before the first step", h.group, h.group, r, k)
			}
		}
	}
	return nil
}
