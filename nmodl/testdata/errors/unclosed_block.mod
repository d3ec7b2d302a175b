: A NEURON block that the file ends inside.
NEURON {
	SUFFIX leak
	RANGE g, e
