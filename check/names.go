package check

import (
	"go/token"
	"strings"
	"unicode"
)

// predeclared are Go's predeclared identifiers; generated code never shadows them.
var predeclared = strings.Fields(`any append bool byte cap clear close complex complex64 complex128
	comparable copy delete error false float32 float64 imag int int8 int16 int32 int64 iota len
	make max min new nil panic print println real recover rune string true uint uint8 uint16
	uint32 uint64 uintptr`)

// generatedLocals are the names that generated functions use for their own purposes.
var generatedLocals = strings.Fields(`g p i n lo hi t dt dst rng math runtime rand ok name v on clamp`)

// groupMembers are the fields and methods of a generated Group that are not state variables.
var groupMembers = strings.Fields(`Model Len Reset SetSeed Step StepRange Var Param SetParam Input
	Spiked SpikeTimes Rates Currents SetVoltageClamp VoltageClamp Equilibrate Seed Now SetNow Params New`)

// exported turns a spec name into an exported Go identifier: g_max → GMax, m → M.
func exported(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		for _, w := range strings.Split(p, "_") {
			if w == "" {
				continue
			}
			r := []rune(w)
			r[0] = unicode.ToUpper(r[0])
			b.WriteString(string(r))
		}
	}
	s := b.String()
	if s == "" || !unicode.IsUpper([]rune(s)[0]) {
		s = "X" + s // a name that started with a digit after an underscore, e.g. "_1"
	}
	return s
}

// packageName derives a Go package name from a model name.
func packageName(model string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(model) {
		if r < 128 && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_') {
			b.WriteRune(r)
		}
	}
	p := b.String()
	if strings.Trim(p, "_") == "" || unicode.IsDigit(rune(p[0])) {
		p = "model" + p
	}
	if token.IsKeyword(p) || p == "main" || p == "runtime" || p == "math" {
		p += "model"
	}
	return p
}
