: Unknown top-level blocks and statements out of place; the next block parses.
FOO {
	x = 1
}
SOLVE states
NEURON {
	SUFFIX ok
	USEION
	USEION ca READ cai VALENCE x
	BREAKPOINT
}
