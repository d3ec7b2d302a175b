package main

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/neurogen/neurogen/check"
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
const inputName = "I_ext"

// assignment is one -set NAME=VALUE as written: VALUE is a quantity, or linspace(FROM, TO)
// of two quantities.
type assignment struct {
	text     string // NAME=VALUE as given
	name     string
	from, to units.Quantity
	linspace bool
}

// setList is the flag.Value of -set: every assignment in order of the command line. Set
// checks the syntax of each; resolve checks them against a model.
type setList []*assignment

func (l *setList) String() string {
	var s []string
	for _, a := range *l {
		s = append(s, a.text)
	}
	return strings.Join(s, " ")
}

func (l *setList) Set(s string) error {
	a, err := parseAssignment(s)
	if err != nil {
		return err
	}
	*l = append(*l, a)
	return nil
}

// parseAssignment parses NAME=VALUE.
func parseAssignment(s string) (*assignment, error) {
	name, value, ok := strings.Cut(s, "=")
	name, value = strings.TrimSpace(name), strings.TrimSpace(value)
	switch {
	case !ok:
		return nil, errors.New("want NAME=VALUE, such as Na.g_max=100mS/cm2")
	case name == "":
		return nil, errors.New("missing NAME before =")
	case value == "":
		return nil, fmt.Errorf("missing value after %s=", name)
	}
	a := &assignment{text: s, name: name}
	if rest, ok := strings.CutPrefix(value, "linspace"); ok {
		rest = strings.TrimSpace(rest)
		inner, ok := strings.CutPrefix(rest, "(")
		if ok {
			inner, ok = strings.CutSuffix(inner, ")")
		}
		ends := strings.Split(inner, ",")
		if !ok || len(ends) != 2 {
			return nil, errors.New("want linspace(FROM, TO) with two quantities, such as linspace(0uA/cm2, 20uA/cm2)")
		}
		var err error
		if a.from, err = units.ParseQuantity(ends[0]); err != nil {
			return nil, fmt.Errorf("linspace: %v", err)
		}
		if a.to, err = units.ParseQuantity(ends[1]); err != nil {
			return nil, fmt.Errorf("linspace: %v", err)
		}
		a.linspace = true
		return a, nil
	}
	q, err := units.ParseQuantity(value)
	if err != nil {
		return nil, err
	}
	a.from, a.to = q, q
	return a, nil
}

// Targets of a setting: what the model program writes a value into.
const (
	targetInput = "input" // Group.Input(), the external current density
	targetParam = "param" // Group.SetParam, a group-wide parameter or all of a per-neuron one
	targetVar   = "var"   // Group.Var(name)[i], a per-neuron parameter neuron by neuron
)

// setting is an assignment resolved against a model, in internal units: neuron i of n gets
// From + (To−From)·i/(n−1), and To exactly for the last one. It is part of the model program's
// configuration.
type setting struct {
	Name   string  `json:"name"`
	Target string  `json:"target"`
	From   float64 `json:"from"`
	To     float64 `json:"to"`
}

// resolve checks the assignments against the model, and returns the settings that follow from
// them in order of first appearance, a later assignment to a name replacing an earlier one.
func (l setList) resolve(m *check.Model) ([]setting, error) {
	var out []setting
	index := map[string]int{}
	for _, a := range l {
		s, err := a.resolve(m)
		if err != nil {
			return nil, usageErrorf("-set %s: %v", a.text, err)
		}
		if i, ok := index[s.Name]; ok {
			out[i] = s
			continue
		}
		index[s.Name] = len(out)
		out = append(out, s)
	}
	return out, nil
}

// resolve checks one assignment against the model.
func (a *assignment) resolve(m *check.Model) (setting, error) {
	s := setting{Name: a.name}
	if a.name == inputName {
		s.Target = targetInput
		var err error
		if s.From, err = inputDensity(a.from, m.A); err != nil {
			return s, err
		}
		if s.To, err = inputDensity(a.to, m.A); err != nil {
			return s, err
		}
		return s, finiteRange(s)
	}
	p := findParam(m, a.name)
	if p == nil {
		names := []string{inputName}
		for _, p := range m.Params {
			names = append(names, p.Name)
		}
		if sug := suggest(a.name, names); sug != "" {
			return s, fmt.Errorf("unknown parameter `%s` (did you mean `%s`?)", a.name, sug)
		}
		return s, fmt.Errorf("unknown parameter `%s`: model %s has no parameter of that name", a.name, m.Name)
	}
	for _, q := range []units.Quantity{a.from, a.to} {
		if err := checkDim(p.Name, p.Dim, q); err != nil {
			return s, err
		}
	}
	s.From, s.To = a.from.Value, a.to.Value
	switch {
	case !p.PerNeuron && a.linspace:
		return s, fmt.Errorf("`%s` is one value for the whole group, so it cannot vary across neurons; declare it `per_neuron: true` in the spec", p.Name)
	case p.PerNeuron && a.linspace:
		s.Target = targetVar
	default:
		s.Target = targetParam
	}
	return s, finiteRange(s)
}

// findParam returns the model's parameter of that name, or nil.
func findParam(m *check.Model, name string) *check.Param {
	for _, p := range m.Params {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// checkDim checks that q has the dimension of the parameter.
func checkDim(name string, d units.Dim, q units.Quantity) error {
	switch {
	case q.Unit.Dim == d:
		return nil
	case q.Unit.Name == "":
		return fmt.Errorf("`%s` is %s: write %s with a unit, such as %s%s", name, describeWant(d), q.Text, q.Text, d)
	case d == units.Dimensionless:
		return fmt.Errorf("`%s` is dimensionless: write a bare number, not %s", name, q.Text)
	}
	return fmt.Errorf("`%s` is %s, not %s", name, describeWant(d), q.Unit.Dim.Describe())
}

// inputDensity converts a value of I_ext to a current density (uA/cm2): a density as it is,
// an absolute current divided by the membrane area a (cm2).
func inputDensity(q units.Quantity, a float64) (float64, error) {
	switch q.Unit.Dim {
	case units.CurrentDensity:
		return q.Value, nil
	case units.Current:
		return q.Value / a, nil
	}
	want := "a current density (" + units.CurrentDensity.String() + ") or a current (nA)"
	if q.Unit.Name == "" {
		return 0, fmt.Errorf("`%s` is %s: write %s with a unit, such as %suA/cm2", inputName, want, q.Text, q.Text)
	}
	return 0, fmt.Errorf("`%s` is %s, not %s", inputName, want, q.Unit.Dim.Describe())
}

// finiteRange checks that every value of a linspace is a finite number.
func finiteRange(s setting) error {
	if math.IsInf(s.From, 0) || math.IsInf(s.To, 0) || math.IsInf(s.To-s.From, 0) {
		return errors.New("value out of range")
	}
	return nil
}

// describeWant describes a dimension as what a value must be: "a voltage (mV)", or "in
// mV2/ms" for a dimension with no name.
func describeWant(d units.Dim) string {
	s := d.Describe()
	if i := strings.Index(s, " ("); i > 0 {
		return "a " + strings.TrimSuffix(s[i+2:], ")") + " (" + s[:i] + ")"
	}
	return "in " + s
}
