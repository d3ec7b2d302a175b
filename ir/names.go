package ir

import "strings"

// ReservedLocals are the names that a model's Go locals never take: Go's predeclared
// identifiers, which generated code never shadows, and the names that generated functions use
// for their own purposes.
var ReservedLocals = strings.Fields(`any append bool byte cap clear close complex complex64 complex128
	comparable copy delete error false float32 float64 imag int int8 int16 int32 int64 iota len
	make max min new nil panic print println real recover rune string true uint uint8 uint16
	uint32 uint64 uintptr
	g p i n lo hi t dt dst rng math runtime rand ok name v on clamp`)
