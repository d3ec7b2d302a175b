package modelrun

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/neurogen/neurogen/internal/suggest"
	"github.com/neurogen/neurogen/runtime"
	"github.com/neurogen/neurogen/units"
)

// InputName is the name of the external input, Group.Input(), among the names a run sets.
const InputName = "I_ext"

// AreaName is the name of the membrane area among the names a run sets: it converts an I_ext
// given as a current (nA) into a current density.
const AreaName = "A"

// CapacitanceName is the name of the membrane capacitance among a model's parameters: dV/dt
// divides by it, so that a run refuses a value that is not positive, as it refuses one for any
// parameter marked Positive (which C is in packages generated since that mark exists).
const CapacitanceName = "C"

// A Kind is the form of a value.
type Kind int

const (
	Constant Kind = iota // a quantity, such as 10uA/cm2
	Linspace             // linspace(FROM, TO): neuron i of n gets FROM + (TO−FROM)·i/(n−1)
	File                 // @FILE: one value per neuron, in the internal unit, from a file
	Step                 // step(ON, OFF, VALUE): VALUE from time ON to OFF, 0 before and after
)

// Value is the value of a setting as written, checked for its syntax but not yet against a
// model.
type Value struct {
	Text     string // as written, trimmed
	Kind     Kind
	From, To units.Quantity // Constant (From, To the same) and Linspace
	File     string         // File: the file's path
	On, Off  units.Quantity // Step: the times
	Pulse    *Value         // Step: VALUE, itself not a step
}

// ParseValue parses a value: a quantity (10uA/cm2, a bare number for a dimensionless
// parameter), linspace(FROM, TO), @FILE, or step(ON, OFF, VALUE) with VALUE one of the others.
func ParseValue(s string) (*Value, error) {
	s = strings.TrimSpace(s)
	v := &Value{Text: s}
	if s == "" {
		return nil, errors.New("missing value")
	}
	if rest, ok := strings.CutPrefix(s, "@"); ok {
		v.Kind, v.File = File, strings.TrimSpace(rest)
		if v.File == "" {
			return nil, errors.New("missing file name after @")
		}
		return v, nil
	}
	if args, ok := call(s, "linspace"); ok {
		if len(args) != 2 || !closed(s) {
			return nil, errors.New("want linspace(FROM, TO) with two quantities, such as linspace(0uA/cm2, 20uA/cm2)")
		}
		var err error
		if v.From, err = units.ParseQuantity(args[0]); err != nil {
			return nil, fmt.Errorf("linspace: %w", err)
		}
		if v.To, err = units.ParseQuantity(args[1]); err != nil {
			return nil, fmt.Errorf("linspace: %w", err)
		}
		v.Kind = Linspace
		return v, nil
	}
	if args, ok := call(s, "step"); ok {
		if len(args) != 3 || !closed(s) {
			return nil, errors.New("want step(ON, OFF, VALUE), VALUE from time ON to OFF and 0 before and after, such as step(50ms, 150ms, 10uA/cm2)")
		}
		v.Kind = Step
		for k, t := range []*units.Quantity{&v.On, &v.Off} {
			q, err := units.ParseQuantity(args[k])
			if err != nil {
				return nil, fmt.Errorf("step: %w", err)
			}
			if q.Unit.Dim != units.Time && !(q.Unit.Name == "" && q.Value == 0) {
				return nil, fmt.Errorf("step: want times ON and OFF with a time unit, such as 50ms; got %s", q.Text)
			}
			*t = q
		}
		if !(v.Off.Value > v.On.Value) || v.On.Value < 0 {
			return nil, fmt.Errorf("step: want 0 ≤ ON < OFF; got ON %s, OFF %s", v.On.Text, v.Off.Text)
		}
		p, err := ParseValue(args[2])
		if err != nil {
			return nil, fmt.Errorf("step: %w", err)
		}
		if p.Kind == Step {
			return nil, errors.New("step: VALUE cannot be a step itself")
		}
		v.Pulse = p
		return v, nil
	}
	q, err := units.ParseQuantity(s)
	if err != nil {
		return nil, err
	}
	v.From, v.To = q, q
	return v, nil
}

// call reports whether s is a call of fn, "fn(…", and returns its arguments, split at the
// commas outside parentheses; the closing parenthesis is optional here (see closed).
func call(s, fn string) ([]string, bool) {
	rest, ok := strings.CutPrefix(s, fn)
	if !ok {
		return nil, false
	}
	inner, ok := strings.CutPrefix(strings.TrimSpace(rest), "(")
	if !ok {
		return nil, true
	}
	inner = strings.TrimSuffix(inner, ")")
	var args []string
	depth, from := 0, 0
	for i, r := range inner {
		switch {
		case r == '(':
			depth++
		case r == ')':
			depth--
		case r == ',' && depth == 0:
			args = append(args, inner[from:i])
			from = i + 1
		}
	}
	return append(args, inner[from:]), true
}

// closed reports whether s ends with its call's closing parenthesis.
func closed(s string) bool { return strings.HasSuffix(s, ")") && strings.Contains(s, "(") }

// String returns the value in a normal form, quantities with a space before their unit:
// "step(50 ms, 150 ms, 10 uA/cm2)".
func (v *Value) String() string {
	q := func(q units.Quantity) string {
		num, unit := splitQuantity(q.Text)
		if unit == "" {
			return num
		}
		return num + " " + unit
	}
	switch v.Kind {
	case Linspace:
		return "linspace(" + q(v.From) + ", " + q(v.To) + ")"
	case File:
		return "@" + v.File
	case Step:
		return "step(" + q(v.On) + ", " + q(v.Off) + ", " + v.Pulse.String() + ")"
	}
	return q(v.From)
}

// splitQuantity splits a quantity as written into its number and its unit.
func splitQuantity(s string) (num, unit string) {
	s = strings.TrimSpace(s)
	i := 0
	for i < len(s) && strings.IndexByte("+-.0123456789", s[i]) >= 0 {
		i++
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') && i+1 < len(s) && strings.IndexByte("+-0123456789", s[i+1]) >= 0 {
		i++
		for i < len(s) && strings.IndexByte("+-0123456789", s[i]) >= 0 {
			i++
		}
	}
	return s[:i], strings.TrimLeft(strings.TrimSpace(s[i:]), "*")
}

// Assignment is NAME=VALUE: one -set of neurogen run, or one -NAME VALUE of a built program.
type Assignment struct {
	Text  string // as given: NAME=VALUE, or -NAME VALUE
	Name  string
	Value *Value
}

// ParseAssignment parses NAME=VALUE.
func ParseAssignment(s string) (*Assignment, error) {
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
	v, err := ParseValue(value)
	if err != nil {
		return nil, err
	}
	return &Assignment{Text: s, Name: name, Value: v}, nil
}

// AssignmentError is an assignment that does not fit the model.
type AssignmentError struct {
	Assignment *Assignment
	Err        error
}

func (e *AssignmentError) Error() string { return e.Assignment.Text + ": " + e.Err.Error() }

func (e *AssignmentError) Unwrap() error { return e.Err }

// Inputs are assignments resolved against a model: what a Config takes from them.
type Inputs struct {
	Settings []Setting
	Changes  []Change
	Columns  []Column
}

// Names returns the names a run of the model sets: I_ext, A and the model's parameters.
func Names(md *runtime.Model) []string {
	names := []string{InputName, AreaName}
	for _, p := range md.Params {
		names = append(names, p.Name)
	}
	return names
}

// Resolve checks the assignments against the model md for a run of n neurons in steps of dt
// (ms), reads the files they name, and returns what they set, in order of first appearance, a
// later assignment to a name replacing an earlier one. The table's first column is always
// I_ext; a per-neuron parameter given a value per neuron gets one too. Errors are of type
// *AssignmentError, for the first assignment that does not fit.
func Resolve(md *runtime.Model, as []*Assignment, n int, dt float64) (*Inputs, error) {
	area := md.A
	for _, a := range as {
		if a.Name != AreaName {
			continue
		}
		v, err := resolveArea(a.Value)
		if err != nil {
			return nil, &AssignmentError{a, err}
		}
		area = v
	}
	in := &Inputs{}
	index := map[string]int{}
	columns := map[string]Column{}
	var steps map[string][]Change
	for _, a := range as {
		if a.Name == AreaName {
			continue
		}
		s, col, changes, err := resolve(md, a, area, n, dt)
		if err != nil {
			return nil, &AssignmentError{a, err}
		}
		if i, ok := index[s.Name]; ok {
			in.Settings[i] = s
		} else {
			index[s.Name] = len(in.Settings)
			in.Settings = append(in.Settings, s)
		}
		delete(columns, s.Name)
		if col != nil {
			columns[s.Name] = *col
		}
		if steps == nil {
			steps = map[string][]Change{}
		}
		steps[s.Name] = changes
	}
	in.Columns = []Column{{Name: InputName, Header: InputName + " (" + units.CurrentDensity.String() + ")"}}
	if c, ok := columns[InputName]; ok {
		in.Columns[0] = c
	}
	for _, s := range in.Settings {
		if c, ok := columns[s.Name]; ok && s.Name != InputName {
			in.Columns = append(in.Columns, c)
		}
		in.Changes = append(in.Changes, steps[s.Name]...)
	}
	return in, nil
}

// resolveArea checks a value of the membrane area.
func resolveArea(v *Value) (float64, error) {
	if v.Kind != Constant {
		return 0, fmt.Errorf("`%s` is one value for the whole group: write an area such as 2e-4cm2 or 20000um2", AreaName)
	}
	if err := checkDim(AreaName, units.Area, v.From); err != nil {
		return 0, err
	}
	if !(v.From.Value > 0) || math.IsInf(v.From.Value, 0) {
		return 0, fmt.Errorf("`%s` must be positive, got %s", AreaName, v.From.Text)
	}
	return v.From.Value, nil
}

// resolve checks one assignment, other than of A, against the model; the membrane area is
// area. It returns the setting, its column of the table (or nil) and, for a step, its changes.
func resolve(md *runtime.Model, a *Assignment, area float64, n int, dt float64) (Setting, *Column, []Change, error) {
	s := Setting{Name: a.Name}
	v := a.Value
	var unit string
	var perNeuron bool
	var value func(q units.Quantity) (float64, error)
	if a.Name == InputName {
		s.Target, unit, perNeuron = TargetInput, units.CurrentDensity.String(), true
		value = func(q units.Quantity) (float64, error) { return inputDensity(q, area) }
	} else {
		p := findParam(md, a.Name)
		if p == nil {
			if sug := suggest.Closest(a.Name, Names(md)); sug != "" {
				return s, nil, nil, fmt.Errorf("unknown parameter `%s` (did you mean `%s`?)", a.Name, sug)
			}
			return s, nil, nil, fmt.Errorf("unknown parameter `%s`: model %s has no parameter of that name", a.Name, md.Name)
		}
		u, err := units.Parse(p.Unit)
		if err != nil {
			return s, nil, nil, fmt.Errorf("parameter `%s` has unit %q: %w", p.Name, p.Unit, err)
		}
		unit, perNeuron = p.Unit, p.PerNeuron
		value = func(q units.Quantity) (float64, error) {
			if err := checkDim(p.Name, u.Dim, q); err != nil {
				return 0, err
			}
			if (p.Positive || p.Name == CapacitanceName) && !(q.Value > 0) {
				return 0, fmt.Errorf("`%s` must be positive, got %s", p.Name, q.Text)
			}
			return q.Value / u.Scale, nil
		}
		s.Target = TargetParam
		if v.Kind == Step {
			return s, nil, nil, fmt.Errorf("step(ON, OFF, VALUE) is for %s only, not for the parameter `%s`", InputName, p.Name)
		}
	}
	header := a.Name + " (" + unit + ")"
	if unit == "1" {
		header = a.Name
	}
	if v.Kind == Step {
		pulse, err := resolveValue(a.Name, v.Pulse, perNeuron, n, value, &s)
		if err != nil {
			return s, nil, nil, err
		}
		on, off := int64(math.Round(v.On.Value/dt)), int64(math.Round(v.Off.Value/dt))
		for _, t := range []units.Quantity{v.On, v.Off} {
			if _, err := runtime.Steps(t.Value, dt); err != nil {
				return s, nil, nil, fmt.Errorf("step: %s: %w", t.Text, err)
			}
		}
		zero := Setting{Name: s.Name, Target: s.Target}
		pulse.Target = s.Target
		changes := []Change{{Step: on, Setting: pulse}, {Step: off, Setting: zero}}
		num := func(q units.Quantity) string { x, u := splitQuantity(q.Text); return strings.TrimSpace(x + " " + u) }
		header = fmt.Sprintf("%s (%s, %s to %s)", a.Name, unit, num(v.On), num(v.Off))
		return zero, &Column{Name: a.Name, Header: header, Pulse: &pulse}, changes, nil
	}
	if _, err := resolveValue(a.Name, v, perNeuron, n, value, &s); err != nil {
		return s, nil, nil, err
	}
	if s.Target == TargetParam && v.Kind != Constant {
		s.Target = TargetVar
	}
	var col *Column
	if s.Target != TargetParam {
		col = &Column{Name: a.Name, Header: header}
	}
	return s, col, nil, nil
}

// resolveValue puts a value that is not a step into s, converting its quantities with value.
func resolveValue(name string, v *Value, perNeuron bool, n int, value func(units.Quantity) (float64, error), s *Setting) (Setting, error) {
	var err error
	switch v.Kind {
	case Constant, Linspace:
		if v.Kind == Linspace && !perNeuron {
			return *s, fmt.Errorf("`%s` is one value for the whole group, so it cannot vary across neurons; declare it `per_neuron: true` in the spec", name)
		}
		if s.From, err = value(v.From); err != nil {
			return *s, err
		}
		if s.To, err = value(v.To); err != nil {
			return *s, err
		}
		if math.IsInf(s.From, 0) || math.IsInf(s.To, 0) || math.IsInf(s.To-s.From, 0) {
			return *s, errors.New("value out of range")
		}
	case File:
		if !perNeuron {
			return *s, fmt.Errorf("`%s` is one value for the whole group, not one per neuron: @FILE needs a per-neuron parameter or %s", name, InputName)
		}
		if s.Values, err = ReadValues(v.File, n); err != nil {
			return *s, err
		}
	}
	return *s, nil
}

// findParam returns the model's parameter of that name, or nil.
func findParam(md *runtime.Model, name string) *runtime.Param {
	for i := range md.Params {
		if md.Params[i].Name == name {
			return &md.Params[i]
		}
	}
	return nil
}

// checkDim checks that q has the dimension d of the parameter name.
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
		return 0, fmt.Errorf("`%s` is %s: write %s with a unit, such as %suA/cm2", InputName, want, q.Text, q.Text)
	}
	return 0, fmt.Errorf("`%s` is %s, not %s", InputName, want, q.Unit.Dim.Describe())
}

// describeWant describes a dimension as what a value must be: "a voltage (mV)", or "in
// mV2/ms" for a dimension with no name.
func describeWant(d units.Dim) string {
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

// Limits on the files of @FILE: a text file may hold at most textBytesPerValue bytes per value
// (and a line at most maxLine bytes), a .npy file 8 bytes per value; each may have npySlack bytes
// more for a header.
const (
	textBytesPerValue = 64
	npySlack          = 64 << 10
	maxLine           = 1 << 20
)

// ReadValues reads the n values of a .npy file (a one-dimensional float64 or integer array), or
// n numbers separated by commas, spaces or line breaks from a text (CSV) file, whose first line
// is a header if it is not a number. It refuses a value that is not finite (NaN, ±Inf), naming
// the file and line or element, and it reads no more of the file than n values can take (a text
// file of 64 bytes per value, a .npy file of 8, and 64 KiB more), so that a huge file or an
// endless one such as /dev/zero fails at once. A file of fewer or more than n values is an error.
func ReadValues(path string, n int) ([]float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if strings.EqualFold(filepath.Ext(path), ".npy") {
		return readNPYValues(path, f, n)
	}
	limit := int64(n)*textBytesPerValue + npySlack
	lr := &io.LimitedReader{R: f, N: limit + 1}
	sc := bufio.NewScanner(lr)
	sc.Buffer(nil, maxLine)
	vals := []float64{}
	for line := 1; sc.Scan(); line++ {
		for f := range strings.FieldsFuncSeq(sc.Text(), func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\r' }) {
			v, err := strconv.ParseFloat(f, 64)
			switch {
			case err != nil && line == 1 && len(vals) == 0:
				// a header: the rest of the line is skipped
			case err != nil:
				return nil, fmt.Errorf("%s:%d: %q is not a number", path, line, f)
			case math.IsNaN(v) || math.IsInf(v, 0):
				return nil, fmt.Errorf("%s:%d: value %d is %v, not a finite number", path, line, len(vals)+1, v)
			case len(vals) == n:
				return nil, fmt.Errorf("%s:%d: more than %d values for %d neurons", path, line, n, n)
			}
			if err != nil {
				break
			}
			vals = append(vals, v)
		}
	}
	switch err := sc.Err(); {
	case lr.N == 0:
		return nil, fmt.Errorf("%s: longer than %d bytes, more than %d values take: not a file of one value per neuron", path, limit, n)
	case errors.Is(err, bufio.ErrTooLong):
		return nil, fmt.Errorf("%s: a line is longer than %d bytes: not a file of values", path, maxLine)
	case err != nil:
		return nil, err
	case len(vals) != n:
		return nil, fmt.Errorf("%s holds %d values for %d neurons", path, len(vals), n)
	}
	return vals, nil
}

// readNPYValues reads the n values of a .npy file: it checks the magic first and reads at most
// the size of n float64 values and a header.
func readNPYValues(path string, r io.Reader, n int) ([]float64, error) {
	limit := int64(n)*8 + npySlack
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	switch {
	case err != nil:
		return nil, err
	case !bytes.HasPrefix(b, []byte("\x93NUMPY")) && !bytes.HasPrefix([]byte("\x93NUMPY"), b):
		return nil, fmt.Errorf("%s: not a .npy file (it does not start as one)", path)
	case int64(len(b)) > limit:
		return nil, fmt.Errorf("%s: longer than %d bytes, more than %d values take: not an array of one value per neuron", path, limit, n)
	}
	a, err := runtime.DecodeNPY(path, b)
	if err != nil {
		return nil, err
	}
	if len(a.Shape) != 1 {
		return nil, fmt.Errorf("%s: want one value per neuron, a one-dimensional array; it has shape %v", path, a.Shape)
	}
	vals, ok := a.Float64s()
	if !ok {
		return nil, fmt.Errorf("%s: want float64 or integer values", path)
	}
	for i, v := range vals {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s: element %d is %v, not a finite number", path, i, v)
		}
	}
	if len(vals) != n {
		return nil, fmt.Errorf("%s holds %d values for %d neurons", path, len(vals), n)
	}
	return vals, nil
}
