TITLE kv.mod  fast potassium current of Mainen and Sejnowski (TABLE, q10, celsius)

COMMENT
The fast voltage-dependent potassium current of the neocortical pyramidal-cell models of
Mainen and Sejnowski (1996) Nature 382:363-366 (Mainen et al. 1995, Neuron 15:1427-1439):
  a = Ra (v - tha)/(1 - exp(-(v - tha)/qa)),  b = -Rb (v - tha)/(1 - exp((v - tha)/qa))
  n_inf = a/(a + b),  tau_n = 1/(tadj (a + b)),  tadj = q10^((celsius - temp)/10)
  ik = gbar n (v - ek)
with tha = 25 mV, qa = 9 mV, Ra = 0.02 /ms/mV, Rb = 0.002 /ms/mV, temp = 23 degC, q10 = 2.3
(mV, ms). The rates go into a TABLE over v (NEURON's usual speed-up; neurogen computes them).
Written for neurogen's NEURON cross-check from the equations above.
ENDCOMMENT

NEURON {
	SUFFIX kv
	USEION k READ ek WRITE ik
	RANGE gbar, ninf, ntau
	GLOBAL Ra, Rb, tha, qa, q10, temp
}

UNITS {
	(mA) = (milliamp)
	(mV) = (millivolt)
	(S) = (siemens)
}

PARAMETER {
	gbar = 0.03 (S/cm2)
	tha = 25 (mV)
	qa = 9 (mV)
	Ra = 0.02 (/ms)	: per mV
	Rb = 0.002 (/ms)	: per mV
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
	SOLVE states METHOD cnexp
	ik = gbar*n*(v - ek)
}

INITIAL {
	trates(v)
	n = ninf
}

DERIVATIVE states {
	trates(v)
	n' = (ninf - n)/ntau
}

PROCEDURE trates(v (mV)) {
	LOCAL a, b, tadj
	TABLE ninf, ntau DEPEND celsius, temp, Ra, Rb, tha, qa, q10 FROM -100 TO 100 WITH 200
	UNITSOFF
	tadj = q10^((celsius - temp)/10)
	a = Ra*(v - tha)/(1 - exp(-(v - tha)/qa))
	b = -Rb*(v - tha)/(1 - exp((v - tha)/qa))
	ntau = 1/tadj/(a + b)
	ninf = a/(a + b)
	UNITSON
}
