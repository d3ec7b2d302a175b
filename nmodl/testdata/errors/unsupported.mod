: Constructs that nocmodl knows but this parser refuses, each with a message that says so.
NEURON {
	SUFFIX x
	USEION ca READ cai REPRESENTS CHEBI:29108
}
FUNCTION_TABLE tabf(v (mV))
LINEAR eq SOLVEFOR a, b {
	~ a = 1
}
DISCRETE d {
}
PROCEDURE p() {
	LAG x BY tau
	PROTECT if (x) { }
}
