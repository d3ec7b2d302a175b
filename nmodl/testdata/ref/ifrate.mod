TITLE ifrate.mod  A-type potassium current with a piecewise time constant

COMMENT
Activation a and inactivation b with Boltzmann steady states; the inactivation time constant
is constant above -20 mV and voltage dependent below it, a piecewise rate of the kind of
Connor and Stevens (1971) J. Physiol. 213:31-53.
ENDCOMMENT

NEURON {
	SUFFIX ka
	USEION k READ ek WRITE ik
	RANGE gbar
}

UNITS {
	(mA) = (milliamp)
	(mV) = (millivolt)
}

PARAMETER {
	gbar = 0.01 (mho/cm2)
	tauamin = 0.5 (ms)
}

ASSIGNED {
	v (mV)
	ek (mV)
	ik (mA/cm2)
	ainf binf
	atau (ms)
	btau (ms)
}

STATE { a b }

BREAKPOINT {
	SOLVE states METHOD cnexp
	ik = gbar*a^3*b*(v - ek)
}

INITIAL {
	rates(v)
	a = ainf
	b = binf
}

DERIVATIVE states {
	rates(v)
	a' = (ainf - a)/atau
	b' = (binf - b)/btau
}

PROCEDURE rates(v (mV)) {
	UNITSOFF
	ainf = 1/(1 + exp(-(v + 60)/8.5))
	binf = 1/(1 + exp((v + 78)/6))
	atau = 1/(exp((v + 35.8)/19.7) + exp(-(v + 79.7)/12.7)) + 0.37
	if (atau < tauamin) {
		atau = tauamin
	}
	if (v < -80) {
		btau = 1/(exp((v + 46)/5) + exp(-(v + 238)/37.5))
	} else if (v < -20) {
		btau = 9 + 10*exp(-(v + 20)/10)
	} else {
		btau = 9
	}
	UNITSON
}
