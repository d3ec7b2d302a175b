package units

import (
	"math"
	"strconv"
	"strings"
)

// Quantity is a number with a unit, as written in a spec.
type Quantity struct {
	// Value is the quantity in internal units.
	Value float64
	// Unit is the unit the quantity was written in; its Name is empty for
	// a bare number.
	Unit Unit
	// Text is the quantity as written, without leading and trailing
	// spaces, tabs and newlines.
	Text string
}

// ParseQuantity parses a number with an optional unit, such as "-65 mV",
// "-65mV", "2.5 uF/cm2", "1e-3 S/cm2", ".5" or "36", and converts it to
// internal units: "-65 mV" has Value -65, "0.12 S/cm2" Value 120 (mS/cm2).
// A bare number is dimensionless.
//
// The number is an optional sign, decimal digits with an optional fraction,
// and an optional exponent (1, -65, 2.5, .5, 1e-3, -1.5E+3). Spaces may
// follow it, then a unit as accepted by [Parse]. The unit may also be
// joined to the number by "*" or "/", as in Brian2: "2*mV" is 2 mV and
// "0.1/ms" is 0.1 1/ms (its Unit.Name is "1/ms").
//
// Value is the number times Unit.Scale, correctly rounded: since every
// Scale is a power of ten, the conversion only shifts the decimal
// exponent, so "0.1 V" is exactly what "100 mV" is. Values that overflow,
// or that underflow to zero from a nonzero number, are refused with
// "number out of range". Errors are of type *[Error].
func ParseQuantity(s string) (Quantity, error) {
	q, err := parseQuantity(s)
	if err != nil {
		return Quantity{}, err // avoid a non-nil error holding a nil *Error
	}
	return q, nil
}

// maxExp bounds the decimal exponents ParseQuantity passes on to
// strconv.ParseFloat; any nonzero number with a larger exponent is out of
// float64 range (unless it is written with a million digits).
const maxExp = 1_000_000

func parseQuantity(s string) (Quantity, *Error) {
	start := len(s) - len(strings.TrimLeft(s, spaces))
	text := strings.Trim(s, spaces)
	end := start + len(text)

	// Scan the number: sign, mantissa, exponent.
	i := start
	if i < end && (s[i] == '+' || s[i] == '-') {
		i++
	}
	mantStart := i
	digits, nonzero := 0, false
	for ; i < end && (isDigit(s[i]) || s[i] == '.'); i++ {
		if s[i] == '.' {
			if strings.Contains(s[mantStart:i], ".") {
				break
			}
			continue
		}
		digits++
		nonzero = nonzero || s[i] != '0'
	}
	if digits == 0 {
		return Quantity{}, errorf(mantStart, "missing number in %q", text)
	}
	mantEnd := i
	exp := 0
	if i < end && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < end && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < end && isDigit(s[j]) {
			for j < end && isDigit(s[j]) {
				j++
			}
			var err error
			exp, err = strconv.Atoi(s[i+1 : j])
			if err != nil || exp > maxExp || exp < -maxExp {
				if nonzero {
					return Quantity{}, errorf(start, "number out of range in %q", text)
				}
				exp = 0 // zero times any power of ten
			}
			i = j
		}
		// Otherwise the e begins the unit, as in "2e" (an unknown unit).
	}

	// The unit.
	j := i
	for j < end && isSpace(s[j]) {
		j++
	}
	var u Unit
	var pow10 int
	var err *Error
	switch {
	case j < end && s[j] == '/':
		u, pow10, err = parseAt(s[j:end], j, true)
		u.Name = "1" + u.Name
	case j < end && s[j] == '*':
		u, pow10, err = parseAt(s[j+1:end], j+1, false)
		if err == nil && u.Name == "" {
			err = errorf(end, `missing unit after "*"`)
		}
	case IsCelsius(s[j:end]):
		// Degrees Celsius are affine: 0 degC is 273.15 K, so they name a temperature, never a
		// difference, and exist only here, never in expressions.
		v, perr := strconv.ParseFloat(s[start:mantEnd]+"e"+strconv.Itoa(exp), 64)
		if perr != nil || math.IsInf(v, 0) || math.IsNaN(v) {
			return Quantity{}, errorf(start, "number out of range in %q", text)
		}
		if v < -CelsiusZero {
			return Quantity{}, errorf(start, "%q is below absolute zero", text)
		}
		return Quantity{Value: v + CelsiusZero, Unit: Unit{Name: s[j:end], Dim: Temperature, Scale: 1}, Text: text}, nil
	default:
		if j == i && j < end && (isDigit(s[j]) || s[j] == '.') {
			// Such as "1.2.3"; but "0.1 1/ms" is fine.
			return Quantity{}, errorf(j, "unexpected %q after number in %q", s[j:j+1], text)
		}
		u, pow10, err = parseAt(s[j:end], j, false)
	}
	if err != nil {
		return Quantity{}, err
	}

	// Shift the decimal exponent by the unit's power of ten, so that
	// ParseFloat rounds once.
	v, perr := strconv.ParseFloat(s[start:mantEnd]+"e"+strconv.Itoa(exp+pow10), 64)
	if perr != nil || math.IsInf(v, 0) || math.IsNaN(v) || (v == 0 && nonzero) {
		return Quantity{}, errorf(start, "number out of range in %q", text)
	}
	return Quantity{Value: v, Unit: u, Text: text}, nil
}

// CelsiusZero is 0 degC in kelvin.
const CelsiusZero = 273.15

// IsCelsius reports whether name is a spelling of degrees Celsius: degC, °C or celsius. They are
// accepted in quantities ("36 degC" is 309.15 K) but not as units in expressions, where a
// temperature difference is written in K.
func IsCelsius(name string) bool {
	return name == "degC" || name == "°C" || name == "celsius"
}
