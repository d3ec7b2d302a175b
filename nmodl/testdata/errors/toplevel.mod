: Unknown top-level blocks and statements out of place; the next block parses.
FOO {
	x = 1
}
SOLVE states
NEURON {
	SUFFIX ok
	USEION
	USEION ca READ cai VALENCE x
	USEION na READ ena WRITE ina READ nai
	BREAKPOINT
}
LOCAL a, if

