: COBAHH's membrane (Brette et al. 2007, benchmark 3, as Brian2's example): Traub-Miles sodium
: and potassium with VT = -63 mV, and the leak, all as densities; m, h and n start at 0.
: The rates with the removable singularities written as x/(exp(x)-1), as Brian2's exprel.

NEURON {
	SUFFIX cobahh
	NONSPECIFIC_CURRENT i
	RANGE gnabar, gkbar, gl, el, ena, ek, vt
}

UNITS {
	(mA) = (milliamp)
	(mV) = (millivolt)
	(S) = (siemens)
}

PARAMETER {
	gnabar = 0.1 (S/cm2)
	gkbar = 0.03 (S/cm2)
	gl = 5e-5 (S/cm2)
	el = -60 (mV)
	ena = 50 (mV)
	ek = -90 (mV)
	vt = -63 (mV)
}

ASSIGNED {
	v (mV)
	i (mA/cm2)
	am (/ms)
	bm (/ms)
	ah (/ms)
	bh (/ms)
	an (/ms)
	bn (/ms)
}

STATE { m h n }

BREAKPOINT {
	SOLVE states METHOD cnexp
	i = gnabar*m*m*m*h*(v - ena) + gkbar*n*n*n*n*(v - ek) + gl*(v - el)
}

INITIAL {
	m = 0
	h = 0
	n = 0
}

DERIVATIVE states {
	rates(v)
	m' = am*(1 - m) - bm*m
	h' = ah*(1 - h) - bh*h
	n' = an*(1 - n) - bn*n
}

PROCEDURE rates(v (mV)) {
	am = 0.32*4*efun((13 - v + vt)/4)
	bm = 0.28*5*efun((v - vt - 40)/5)
	ah = 0.128*exp((17 - v + vt)/18)
	bh = 4/(1 + exp((40 - v + vt)/5))
	an = 0.032*5*efun((15 - v + vt)/5)
	bn = 0.5*exp((10 - v + vt)/40)
}

: x/(exp(x) - 1), 1 at x = 0: Brian2's 1/exprel(x).
FUNCTION efun(x) {
	if (fabs(x) < 1e-6) {
		efun = 1 - x/2
	} else {
		efun = x/(exp(x) - 1)
	}
}
