TITLE trk.mod  Traub-Miles potassium delayed rectifier (alpha/beta gate, an unguarded helper)

COMMENT
The potassium current of Traub and Miles (1991) Neuronal Networks of the Hippocampus,
Cambridge University Press, in the form of the COBAHH benchmark (benchmark 3 of Brette et
al. 2007, J. Comput. Neurosci. 23:349-398), with VT = -63 mV:
  alpha_n = 0.032 (15 - v + VT)/(exp((15 - v + VT)/5) - 1)
  beta_n  = 0.5 exp((10 - v + VT)/40)
  ik = gkbar n^4 (v - ek)
(mV, /ms). The helper efun(x) = x/(exp(x) - 1) has no guard at x = 0: neurogen's own
rewriting of removable singularities has to find it. Written for neurogen's NEURON
cross-check from the equations above.
ENDCOMMENT

NEURON {
	SUFFIX trk
	USEION k READ ek WRITE ik
	RANGE gkbar, vt
}

UNITS {
	(mA) = (milliamp)
	(mV) = (millivolt)
	(S) = (siemens)
}

PARAMETER {
	gkbar = 0.03 (S/cm2)	: 30 mS/cm2
	vt = -63 (mV)
}

ASSIGNED {
	v (mV)
	ek (mV)
	ik (mA/cm2)
}

STATE { n }

BREAKPOINT {
	SOLVE states METHOD cnexp
	ik = gkbar*n^4*(v - ek)
}

INITIAL {
	n = alpha(v)/(alpha(v) + beta(v))
}

DERIVATIVE states {
	n' = alpha(v)*(1 - n) - beta(v)*n
}

FUNCTION alpha(v (mV)) (/ms) {
	UNITSOFF
	alpha = 0.032*5*efun((15 - v + vt)/5)
	UNITSON
}

FUNCTION beta(v (mV)) (/ms) {
	UNITSOFF
	beta = 0.5*exp((10 - v + vt)/40)
	UNITSON
}

FUNCTION efun(x) {
	efun = x/(exp(x) - 1)
}
