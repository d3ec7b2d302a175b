TITLE exponentially decaying synaptic conductance

COMMENT
Written for neurogen's tests from the equations that NEURON documents for its built-in ExpSyn
(Hines and Carnevale, The NEURON Book, 2006; NEURON's reference, ExpSyn): a conductance g that
an event of weight w (uS) raises by w and that decays with time constant tau,
    g' = -g/tau,   on an event: g = g + w,   i = g (v - e)   (nA, outward),
so that one event gives g(t) = w exp(-t/tau).
ENDCOMMENT

NEURON {
	POINT_PROCESS ExpSyn
	RANGE tau, e, i
	NONSPECIFIC_CURRENT i
}

UNITS {
	(nA) = (nanoamp)
	(mV) = (millivolt)
	(uS) = (microsiemens)
}

PARAMETER {
	tau = 0.1 (ms) <1e-9,1e9> : decay time constant
	e = 0 (mV)                : reversal potential
}

ASSIGNED {
	v (mV)
	i (nA)
}

STATE {
	g (uS)
}

INITIAL {
	g = 0
}

BREAKPOINT {
	SOLVE state METHOD cnexp
	i = g*(v - e)
}

DERIVATIVE state {
	g' = -g/tau
}

NET_RECEIVE(weight (uS)) {
	g = g + weight
}
