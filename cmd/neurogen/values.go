package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/modelrun"
	"github.com/neurogen/neurogen/runtime"
	"github.com/neurogen/neurogen/units"
)

// timeValue is a flag.Value for a time with a unit, such as "100ms", "1s" or "0.025 ms", held
// in ms.
type timeValue struct {
	ms   float64
	text string
}

func (v *timeValue) String() string { return v.text }

func (v *timeValue) Set(s string) error {
	q, err := units.ParseQuantity(s)
	if err != nil {
		return err
	}
	switch {
	case q.Unit.Name == "":
		return fmt.Errorf("missing time unit (did you mean %sms?)", strings.TrimSpace(s))
	case q.Unit.Dim != units.Time:
		return fmt.Errorf("want a time, such as 100ms or 1s; got %s", q.Unit.Dim.Describe())
	}
	v.ms, v.text = q.Value, q.Text
	return nil
}

// countValue is a flag.Value for the number of neurons: an integer from 1 to
// math.MaxInt32 (spike records number neurons with int32), written in Go syntax
// (10000, 10_000, 0x10).
type countValue int

func (v *countValue) String() string { return strconv.Itoa(int(*v)) }

func (v *countValue) Set(s string) error {
	n, err := strconv.ParseInt(s, 0, 64)
	switch {
	case err != nil && errors.Is(err, strconv.ErrRange), err == nil && n > math.MaxInt32:
		return fmt.Errorf("too many neurons (at most %d)", math.MaxInt32)
	case err != nil:
		return errors.New("not an integer")
	case n < 1:
		return errors.New("need at least 1 neuron")
	}
	*v = countValue(n)
	return nil
}

// seedValue is a flag.Value for an optional seed.
type seedValue struct {
	set  bool
	seed uint64
}

func (v *seedValue) String() string {
	if !v.set {
		return ""
	}
	return strconv.FormatUint(v.seed, 10)
}

func (v *seedValue) Set(s string) error {
	n, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		return errors.New("want a non-negative integer")
	}
	v.set, v.seed = true, n
	return nil
}

// inputName is the name -set gives the external input, Group.Input().
const inputName = modelrun.InputName

// setList is the flag.Value of -set: every assignment NAME=VALUE in order of the command line.
// Set checks the syntax of each; modelrun.Resolve checks them against a model.
type setList []*modelrun.Assignment

func (l *setList) String() string {
	var s []string
	for _, a := range *l {
		s = append(s, a.Text)
	}
	return strings.Join(s, " ")
}

func (l *setList) Set(s string) error {
	a, err := modelrun.ParseAssignment(s)
	if err != nil {
		return err
	}
	*l = append(*l, a)
	return nil
}

// runtimeModel describes m as its generated package would, as far as modelrun.Resolve and
// modelrun.PlanMemory need: its name, membrane area, parameters, state variables and channels
// (and receptors, whose currents Currents lists after the channels').
func runtimeModel(m *ir.Model) *runtime.Model {
	md := &runtime.Model{Name: m.Name, Method: m.Method.String(), A: m.A}
	for _, p := range m.Params {
		md.Params = append(md.Params, runtime.Param{Name: p.Name, Unit: p.Unit, Default: p.Default, PerNeuron: p.PerNeuron, Doc: p.Doc, Positive: p.Positive})
	}
	for _, s := range m.States {
		md.Vars = append(md.Vars, runtime.Var{Name: s.Name})
	}
	for _, c := range m.Channels {
		md.Currents = append(md.Currents, c.Name)
	}
	for _, r := range m.Receptors {
		md.Currents = append(md.Currents, r.Name)
	}
	return md
}

// findParam returns the model's parameter of that name, or nil.
func findParam(m *ir.Model, name string) *ir.Param {
	for _, p := range m.Params {
		if p.Name == name {
			return p
		}
	}
	return nil
}
