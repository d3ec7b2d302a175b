TITLE kdr.mod  delayed-rectifier potassium current of Traub and Miles, shifted by VT

COMMENT
The delayed-rectifier potassium current of the regular-spiking (RS) cortical pyramidal cell of

  Pospischil M, Toledo-Rodriguez M, Monier C, Piwkowska Z, Bal T, Fregnac Y, Markram H,
  Destexhe A (2008) Minimal Hodgkin-Huxley type models for different classes of cortical and
  thalamic neurons. Biol Cybern 99:427-441,

with the kinetics of Traub and Miles (1991), written here from the paper's equations:

  ik      = gkbar n^4 (v - ek)
  alpha_n = -0.032 (v - VT - 15) / (exp(-(v - VT - 15)/5) - 1)   (/ms, v in mV)
  beta_n  =  0.5 exp(-(v - VT - 10)/40)

VT (vtraub) is the sodium current's, -56.2 mV for the RS cell; gkbar is 6 mS/cm2. The rates
are those of the paper, at 36 degC; tadj = q10^((celsius - 36)/10) scales them at other
temperatures (1 at 36 degC).
ENDCOMMENT

NEURON {
	SUFFIX kdr
	USEION k READ ek WRITE ik
	RANGE gkbar, vtraub
	GLOBAL q10
}

UNITS {
	(mA) = (milliamp)
	(mV) = (millivolt)
	(S) = (siemens)
}

PARAMETER {
	gkbar = 0.006 (S/cm2)   : maximal conductance
	vtraub = -56.2 (mV)     : VT, the threshold shift
	q10 = 3                 : temperature factor of the rates per 10 degC
}

ASSIGNED {
	v (mV)
	ek (mV)
	celsius (degC)
	ik (mA/cm2)
	ninf
	ntau (ms)
}

STATE {
	n
}

BREAKPOINT {
	SOLVE states METHOD cnexp
	ik = gkbar * n*n*n*n * (v - ek)
}

INITIAL {
	rates(v)
	n = ninf
}

DERIVATIVE states {
	rates(v)
	n' = (ninf - n) / ntau
}

PROCEDURE rates(v (mV)) {
	LOCAL a, b, tadj, v2
	UNITSOFF
	tadj = q10^((celsius - 36)/10)
	v2 = v - vtraub
	a = 0.032 * vtrap(15 - v2, 5)
	b = 0.5 * exp((10 - v2)/40)
	ninf = a / (a + b)
	ntau = 1 / (tadj * (a + b))
	UNITSON
}

FUNCTION vtrap(x, y) {
	: x / (exp(x/y) - 1), and its limit at x = 0
	if (fabs(x/y) < 1e-6) {
		vtrap = y * (1 - x/y/2)
	} else {
		vtrap = x / (exp(x/y) - 1)
	}
}
