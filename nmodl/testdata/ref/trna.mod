TITLE trna.mod  Traub-Miles sodium current (alpha/beta gates, a vtrap helper)

COMMENT
The sodium current of Traub and Miles (1991) Neuronal Networks of the Hippocampus, Cambridge
University Press, in the form of the COBAHH benchmark (benchmark 3 of Brette et al. 2007, J. Comput.
Neurosci. 23:349-398), with VT = -63 mV:
  alpha_m = 0.32 (13 - v + VT)/(exp((13 - v + VT)/4) - 1)
  beta_m  = 0.28 (v - VT - 40)/(exp((v - VT - 40)/5) - 1)
  alpha_h = 0.128 exp((17 - v + VT)/18)
  beta_h  = 4/(1 + exp((40 - v + VT)/5))
  ina = gnabar m^3 h (v - ena)
(mV, /ms). The removable singularities of alpha_m and beta_m go through vtrap, which takes
the limit near them. Written for neurogen's NEURON cross-check from the equations above.
ENDCOMMENT

NEURON {
	SUFFIX trna
	USEION na READ ena WRITE ina
	RANGE gnabar, vt
}

UNITS {
	(mA) = (milliamp)
	(mV) = (millivolt)
	(S) = (siemens)
}

PARAMETER {
	gnabar = 0.1 (S/cm2)	: 100 mS/cm2
	vt = -63 (mV)	: sets the threshold
}

ASSIGNED {
	v (mV)
	ena (mV)
	ina (mA/cm2)
	am (/ms)
	bm (/ms)
	ah (/ms)
	bh (/ms)
}

STATE { m h }

BREAKPOINT {
	SOLVE states METHOD cnexp
	ina = gnabar*m*m*m*h*(v - ena)
}

INITIAL {
	rates(v)
	m = am/(am + bm)
	h = ah/(ah + bh)
}

DERIVATIVE states {
	rates(v)
	m' = am*(1 - m) - bm*m
	h' = ah*(1 - h) - bh*h
}

PROCEDURE rates(v (mV)) {
	LOCAL u
	UNITSOFF
	u = v - vt
	am = 0.32*vtrap(13 - u, 4)
	bm = 0.28*vtrap(u - 40, 5)
	ah = 0.128*exp((17 - u)/18)
	bh = 4/(1 + exp((40 - u)/5))
	UNITSON
}

FUNCTION vtrap(x, y) {	: x/(exp(x/y) - 1), and its limit y(1 - x/y/2) where x/y is small
	if (fabs(x/y) < 1e-6) {
		vtrap = y*(1 - x/y/2)
	} else {
		vtrap = x/(exp(x/y) - 1)
	}
}
