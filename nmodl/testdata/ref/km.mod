TITLE km.mod  slow muscarinic potassium current of Mainen and Sejnowski (derivimplicit, q10)

COMMENT
The slow, non-inactivating potassium current (M current) of the neocortical pyramidal-cell
models of Mainen and Sejnowski (1996) Nature 382:363-366:
  a = Ra (v - tha)/(1 - exp(-(v - tha)/qa)),  b = -Rb (v - tha)/(1 - exp((v - tha)/qa))
  n_inf = a/(a + b),  tau_n = 1/(tadj (a + b)),  tadj = q10^((celsius - temp)/10)
  ik = gbar n (v - ek)
with tha = -30 mV, qa = 9 mV, Ra = Rb = 0.001 /ms/mV, temp = 23 degC, q10 = 2.3 (mV, ms).
Integrated with derivimplicit (backward Euler, a Newton step), and with a TABLE. Written for
neurogen's NEURON cross-check from the equations above.
ENDCOMMENT

NEURON {
	SUFFIX km
	USEION k READ ek WRITE ik
	RANGE gbar
	GLOBAL ninf, ntau
}

UNITS {
	(mA) = (milliamp)
	(mV) = (millivolt)
	(S) = (siemens)
}

PARAMETER {
	gbar = 1e-3 (S/cm2)
	tha = -30 (mV)
	qa = 9 (mV)
	Ra = 0.001 (/ms)	: per mV
	Rb = 0.001 (/ms)	: per mV
	temp = 23 (degC)
	q10 = 2.3 (1)
}

ASSIGNED {
	v (mV)
	celsius (degC)
	ek (mV)
	ik (mA/cm2)
	ninf (1)
	ntau (ms)
}

STATE { n }

BREAKPOINT {
	SOLVE states METHOD derivimplicit
	ik = gbar*n*(v - ek)
}

INITIAL {
	rates(v)
	n = ninf
}

DERIVATIVE states {
	rates(v)
	n' = (ninf - n)/ntau
}

PROCEDURE rates(v (mV)) {
	LOCAL a, b, tadj
	TABLE ninf, ntau DEPEND celsius FROM -120 TO 100 WITH 220
	UNITSOFF
	tadj = q10^((celsius - temp)/10)
	a = Ra*(v - tha)/(1 - exp(-(v - tha)/qa))
	b = -Rb*(v - tha)/(1 - exp((v - tha)/qa))
	ntau = 1/tadj/(a + b)
	ninf = a/(a + b)
	UNITSON
}
