TITLE ih.mod  hyperpolarization-activated cation current (inf/tau gate, q10)

COMMENT
The h current of thalamic relay neurons of Huguenard and McCormick (1992) J. Neurophysiol.
68:1373-1383 (after McCormick and Pape 1990):
  h_inf = 1/(1 + exp((v + 75)/5.5))
  tau_h = 1/(exp(-14.59 - 0.086 v) + exp(-1.87 + 0.0701 v))
  ih = ghbar h (v - eh),  eh = -43 mV
(mV, ms), with tau_h divided by a q10 of 3 from 36 degC (a choice of this file: at celsius =
36 the rates are the paper's). A nonspecific current. Written for neurogen's NEURON
cross-check from the equations above.
ENDCOMMENT

NEURON {
	SUFFIX ih
	NONSPECIFIC_CURRENT ih
	RANGE ghbar, eh
}

UNITS {
	(mA) = (milliamp)
	(mV) = (millivolt)
	(S) = (siemens)
}

PARAMETER {
	ghbar = 2e-5 (S/cm2)
	eh = -43 (mV)
	q10 = 3 (1)
	temp = 36 (degC)	: the temperature of the rates as written
}

ASSIGNED {
	v (mV)
	celsius (degC)
	ih (mA/cm2)
	hinf (1)
	htau (ms)
	tadj (1)
}

STATE { h }

BREAKPOINT {
	SOLVE states METHOD cnexp
	ih = ghbar*h*(v - eh)
}

INITIAL {
	rates(v)
	h = hinf
}

DERIVATIVE states {
	rates(v)
	h' = (hinf - h)/htau
}

PROCEDURE rates(v (mV)) {
	tadj = q10^((celsius - temp)/(10 (degC)))
	UNITSOFF
	hinf = 1/(1 + exp((v + 75)/5.5))
	htau = 1/(exp(-14.59 - 0.086*v) + exp(-1.87 + 0.0701*v))/tadj
	UNITSON
}
