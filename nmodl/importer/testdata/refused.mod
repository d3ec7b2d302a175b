TITLE constructs the importer refuses, each reported at its position
NEURON {
	ARTIFICIAL_CELL syn
	POINTER pre
	USEION ca READ ica WRITE cai, cao
	RANGE g
}
PARAMETER { g = 1 (uS) w = 2 (furlong) }
STATE { C O }
VERBATIM
static int n;
ENDVERBATIM
BREAKPOINT {
	SOLVE kin METHOD sparse
}
LINEAR kin {
	~ C + O = 1
}
NET_RECEIVE(w) {
	g = g + w
}
PROCEDURE loop() {
	FROM i = 0 TO 3 {
		g = g + 1
	}
	WATCH (g > 1) 2
}
