TITLE wbna.mod  Wang-Buzsaki sodium current with instantaneous activation

COMMENT
The sodium current of the interneuron model of Wang and Buzsaki (1996) J. Neurosci.
16:6402-6413:
  ina = gnabar m_inf^3 h (v - ena),  m_inf = alpha_m/(alpha_m + beta_m)
  alpha_m = 0.1 (v + 35)/(1 - exp(-(v + 35)/10)),  beta_m = 4 exp(-(v + 60)/18)
  dh/dt = phi (alpha_h (1 - h) - beta_h h)
  alpha_h = 0.07 exp(-(v + 58)/20),  beta_h = 1/(exp(-0.1 (v + 28)) + 1)
with phi = 5 (mV, /ms). m follows v instantaneously: it is computed in BREAKPOINT, not a
STATE. Written for neurogen's NEURON cross-check from the equations above.
ENDCOMMENT

NEURON {
	SUFFIX wbna
	USEION na READ ena WRITE ina
	RANGE gnabar, phi
}

UNITS {
	(mA) = (milliamp)
	(mV) = (millivolt)
	(S) = (siemens)
}

PARAMETER {
	gnabar = 0.035 (S/cm2)
	phi = 5 (1)
}

ASSIGNED {
	v (mV)
	ena (mV)
	ina (mA/cm2)
	minf (1)
}

STATE { h }

BREAKPOINT {
	SOLVE states METHOD cnexp
	minf = mrate(v)
	ina = gnabar*minf^3*h*(v - ena)
}

INITIAL {
	h = ah(v)/(ah(v) + bh(v))
}

DERIVATIVE states {
	h' = phi*(ah(v)*(1 - h) - bh(v)*h)
}

UNITSOFF
FUNCTION mrate(v (mV)) {
	LOCAL a, b
	a = 0.1*(v + 35)/(1 - exp(-(v + 35)/10))
	b = 4*exp(-(v + 60)/18)
	mrate = a/(a + b)
}

FUNCTION ah(v (mV)) (/ms) {
	ah = 0.07*exp(-(v + 58)/20)
}

FUNCTION bh(v (mV)) (/ms) {
	bh = 1/(exp(-0.1*(v + 28)) + 1)
}
UNITSON
