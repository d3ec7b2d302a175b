TITLE sk.mod  small-conductance calcium-activated potassium channel

COMMENT
Gated by intracellular calcium only, with the Hill activation of Koehler et al. (1996)
Science 273:1709-1714: half activation at 0.43 uM, Hill coefficient 4.8, and a
calcium-independent time constant.
ENDCOMMENT

NEURON {
	SUFFIX sk
	USEION ca READ cai
	USEION k READ ek WRITE ik
	RANGE gbar, ik
	GLOBAL zinf, ztau
}

UNITS {
	(mA) = (milliamp)
	(mV) = (millivolt)
	(S) = (siemens)
	(mM) = (milli/liter)
}

PARAMETER {
	gbar = 1e-3 (S/cm2) <0, 1e9>
	kd = 0.00043 (mM)
	hill = 4.8 (1)
	ztau = 1 (ms)
	caimin = 1e-7 (mM)
}

ASSIGNED {
	v (mV)
	ek (mV)
	cai (mM)
	ik (mA/cm2)
	zinf (1)
}

STATE { z }

BREAKPOINT {
	SOLVE states METHOD cnexp
	ik = gbar*z*(v - ek)
}

INITIAL {
	rate(cai)
	z = zinf
}

DERIVATIVE states {
	rate(cai)
	z' = (zinf - z)/ztau
}

PROCEDURE rate(ca (mM)) {
	LOCAL c
	c = ca
	if (c < caimin) {
		c = caimin
	}
	zinf = 1/(1 + (kd/c)^hill)
}
