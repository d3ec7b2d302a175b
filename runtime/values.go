package runtime

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// MaxValuesFile is the largest file ReadValues reads, in bytes.
const MaxValuesFile = 1 << 30

// ReadValues reads n values, one per neuron, from the file at path: an NPY array (.npy) of n
// float64 or int64 elements, or a text file (.csv, .txt) of n numbers separated by commas,
// spaces or line breaks, with lines starting with # ignored. A network's initial values from a
// file are read with it (their unit is the state's internal unit). It fails, naming the file
// and where, for a file of another kind, another count, a value that is not a finite number, or
// a file larger than MaxValuesFile.
func ReadValues(path string, n int) ([]float64, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.Size() > MaxValuesFile {
		return nil, fmt.Errorf("%s: %d bytes, more than the %d a file of values may have", path, fi.Size(), MaxValuesFile)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out []float64
	switch strings.ToLower(filepath.Ext(path)) {
	case ".npy":
		a, err := DecodeNPY(path, data)
		if err != nil {
			return nil, err
		}
		var ok bool
		if out, ok = a.Float64s(); !ok {
			return nil, fmt.Errorf("%s: an array of neither float64 nor int64 values", path)
		}
		if len(a.Shape) > 1 {
			return nil, fmt.Errorf("%s: an array of shape %v, want one value per neuron (%d)", path, a.Shape, n)
		}
	case ".csv", ".txt":
		for ln, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "#") {
				continue
			}
			for _, f := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\r' }) {
				v, err := strconv.ParseFloat(f, 64)
				if err != nil {
					return nil, fmt.Errorf("%s:%d: %q is not a number", path, ln+1, f)
				}
				out = append(out, v)
			}
		}
	default:
		return nil, fmt.Errorf("%s: not a file of values (.npy, .csv or .txt)", path)
	}
	if len(out) != n {
		return nil, fmt.Errorf("%s: %d values, want one per neuron (%d)", path, len(out), n)
	}
	for i, v := range out {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%s: value %d is %g, not finite", path, i, v)
		}
	}
	return out, nil
}

// MaxV (mV) bounds an initial membrane potential, as the checker bounds V_init and a network
// spec's initial values (check.MaxVInit).
const MaxV = 1000.0

// CheckValues returns an error for the first value in x that a state of that kind (a Var's
// Kind) cannot take, as the checker refuses it in a spec: a gate outside [0, 1], a
// concentration that is not positive, a membrane potential beyond ±MaxV mV, or a value that is
// not finite. A network's Init checks the initial values it reads from a file with it.
func CheckValues(kind string, x []float64) error {
	for i, v := range x {
		var bad string
		switch {
		case math.IsNaN(v) || math.IsInf(v, 0):
			bad = "not finite"
		case kind == KindGate && (v < 0 || v > 1):
			bad = "out of range: a gate's value is from 0 to 1"
		case kind == KindConcentration && !(v > 0):
			bad = "out of range: a concentration is positive"
		case kind == KindVoltage && math.Abs(v) > MaxV:
			bad = fmt.Sprintf("out of range: a membrane potential is within ±%g mV", MaxV)
		}
		if bad != "" {
			return fmt.Errorf("value %d is %g, %s", i, v, bad)
		}
	}
	return nil
}
