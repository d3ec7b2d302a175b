TITLE bi-exponential synaptic conductance, normalised to a peak of the weight

COMMENT
Written for neurogen's tests from the equations that NEURON documents for its built-in Exp2Syn
(Hines and Carnevale, The NEURON Book, 2006; NEURON's reference, Exp2Syn): two states A and B
that an event of weight w (uS) raises by w times factor, decaying with tau1 (rise) and tau2
(decay),
    A' = -A/tau1,   B' = -B/tau2,   g = B - A,   i = g (v - e)   (nA, outward),
factor = 1/(exp(-tp/tau2) - exp(-tp/tau1)) at the peak time
tp = tau1 tau2/(tau2 - tau1) ln(tau2/tau1), computed in INITIAL, so that one event gives
g(t) = w factor (exp(-t/tau2) - exp(-t/tau1)), whose peak is w. As in NEURON, INITIAL keeps
tau1/tau2 within [1e-9, 0.9999].
ENDCOMMENT

NEURON {
	POINT_PROCESS Exp2Syn
	RANGE tau1, tau2, e, i, g
	NONSPECIFIC_CURRENT i
}

UNITS {
	(nA) = (nanoamp)
	(mV) = (millivolt)
	(uS) = (microsiemens)
}

PARAMETER {
	tau1 = 0.1 (ms) <1e-9,1e9> : rise time constant
	tau2 = 10 (ms) <1e-9,1e9>  : decay time constant
	e = 0 (mV)                 : reversal potential
}

ASSIGNED {
	v (mV)
	i (nA)
	g (uS)
	factor
}

STATE {
	A (uS)
	B (uS)
}

INITIAL {
	LOCAL tp
	if (tau1/tau2 > 0.9999) {
		tau1 = 0.9999*tau2
	}
	if (tau1/tau2 < 1e-9) {
		tau1 = tau2*1e-9
	}
	A = 0
	B = 0
	tp = (tau1*tau2)/(tau2 - tau1) * log(tau2/tau1)
	factor = -exp(-tp/tau1) + exp(-tp/tau2)
	factor = 1/factor
}

BREAKPOINT {
	SOLVE state METHOD cnexp
	g = B - A
	i = g*(v - e)
}

DERIVATIVE state {
	A' = -A/tau1
	B' = -B/tau2
}

NET_RECEIVE(weight (uS)) {
	A = A + weight*factor
	B = B + weight*factor
}
