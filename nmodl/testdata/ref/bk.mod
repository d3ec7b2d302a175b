TITLE bk.mod  calcium- and voltage-activated potassium current (BK), reading cai

COMMENT
The large-conductance calcium-activated potassium channel of Moczydlowski and Latorre (1983)
J. Gen. Physiol. 82:511-542, as a two-state channel whose opening and closing rates depend on
[Ca]i and v through two calcium-binding steps with voltage-dependent dissociation constants:
  alpha = abar/(1 + k1 exp(-2 d1 F v/(R T))/cai)
  beta  = bbar/(1 + cai/(k4 exp(-2 d4 F v/(R T))))
  do/dt = alpha (1 - o) - beta o,  ik = gkbar o (v - ek)
with k1 = 0.18 mM, k4 = 0.011 mM, d1 = 0.84, d4 = 1.0, abar = 0.48 /ms, bbar = 0.28 /ms, the
values that models since have used, and T from celsius. Written for neurogen's NEURON
cross-check from the equations above.
ENDCOMMENT

NEURON {
	SUFFIX bk
	USEION ca READ cai
	USEION k READ ek WRITE ik
	RANGE gkbar
	GLOBAL abar, bbar
}

UNITS {
	(mA) = (milliamp)
	(mV) = (millivolt)
	(S) = (siemens)
	(mM) = (milli/liter)
	FARADAY = (faraday) (coulomb)
	R = (k-mole) (joule/degC)
}

PARAMETER {
	gkbar = 0.01 (S/cm2)
	d1 = 0.84 (1)
	d4 = 1.0 (1)
	k1 = 0.18 (mM)
	k4 = 0.011 (mM)
	abar = 0.48 (/ms)
	bbar = 0.28 (/ms)
}

ASSIGNED {
	v (mV)
	celsius (degC)
	cai (mM)
	ek (mV)
	ik (mA/cm2)
	oinf (1)
	otau (ms)
}

STATE { o }

BREAKPOINT {
	SOLVE states METHOD cnexp
	ik = gkbar*o*(v - ek)
}

INITIAL {
	rates(v, cai)
	o = oinf
}

DERIVATIVE states {
	rates(v, cai)
	o' = (oinf - o)/otau
}

FUNCTION kd(k (mM), d, v (mV)) (mM) {
	kd = k*exp((-2e-3)*d*FARADAY*v/(R*(273.15 + celsius)))
}

PROCEDURE rates(v (mV), ca (mM)) {
	LOCAL a, b
	a = abar/(1 + kd(k1, d1, v)/ca)
	b = bbar/(1 + ca/kd(k4, d4, v))
	otau = 1/(a + b)
	oinf = a*otau
}
