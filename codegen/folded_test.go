package codegen

import (
	"math"
	"testing"
)

// TestExpPower: a folded factor of exp sharing is named as the short power of e it is; a
// coefficient of the spec, or a number that is no short power of e, is not.
func TestExpPower(t *testing.T) {
	for _, c := range []struct {
		c    float64
		want string // "": none
	}{
		{math.Exp(0.5), "0.5"},
		{math.Exp(-1.5), "-1.5"},
		{math.Exp(-0.6), "-0.6"},
		{math.Exp(-0.7), "-0.7"},
		{math.Exp(-3.5 - -4.0), "0.5"},
		{math.Exp(-2.8000000000000003 - -3.5), "0.7"},
		{math.E, "1"},
		{math.Exp(0.123456), "0.123456"},
		{math.Exp(0.1234567), ""}, // seven digits: not short
		{4, ""},
		{0.07, ""},
		{1, ""},
		{-math.Exp(0.5), ""},
		{0, ""},
		{math.Inf(1), ""},
		{math.NaN(), ""},
		{1.0 / 3, ""},
		{-0.05555555555555555, ""},
	} {
		x, ok := expPower(c.c)
		if ok != (c.want != "") || x != c.want {
			t.Errorf("expPower(%v) = %q, %v; want %q", c.c, x, ok, c.want)
		}
	}
}

// TestShortFactor: the rate coefficient that a folded factor of exp sharing was multiplied by is
// found again, sign included; a product with no short coefficient is not explained.
func TestShortFactor(t *testing.T) {
	f := math.Exp(-0.5)
	for _, c := range []struct {
		c, f float64
		want string
	}{
		{0.01 * f, f, "0.01"},
		{-0.07 * math.Exp(-0.7), math.Exp(-0.7), "-0.07"},
		{0.125 * f, f, "0.125"},
		{f, f, "1"},
		{math.Pi * f, f, ""},
		{1, 0, ""},
	} {
		a, ok := shortFactor(c.c, c.f)
		if ok != (c.want != "") || a != c.want {
			t.Errorf("shortFactor(%v, %v) = %q, %v; want %q", c.c, c.f, a, ok, c.want)
		}
	}
}
