TITLE nat.mod  fast sodium current of Traub and Miles, shifted by VT

COMMENT
The fast sodium current of the regular-spiking (RS) cortical pyramidal cell of

  Pospischil M, Toledo-Rodriguez M, Monier C, Piwkowska Z, Bal T, Fregnac Y, Markram H,
  Destexhe A (2008) Minimal Hodgkin-Huxley type models for different classes of cortical and
  thalamic neurons. Biol Cybern 99:427-441,

with the kinetics of Traub and Miles (1991), written here from the paper's equations:

  ina     = gnabar m^3 h (v - ena)
  alpha_m = -0.32 (v - VT - 13) / (exp(-(v - VT - 13)/4) - 1)   (/ms, v in mV)
  beta_m  =  0.28 (v - VT - 40) / (exp((v - VT - 40)/5) - 1)
  alpha_h =  0.128 exp(-(v - VT - 17)/18)
  beta_h  =  4 / (1 + exp(-(v - VT - 40)/5))

VT (vtraub) sets the spike threshold: -56.2 mV and gnabar 56 mS/cm2 for the RS cell. The
rates are those of the paper, at 36 degC; tadj = q10^((celsius - 36)/10) scales them at other
temperatures (1 at 36 degC).
ENDCOMMENT

NEURON {
	SUFFIX nat
	USEION na READ ena WRITE ina
	RANGE gnabar, vtraub
	GLOBAL q10
}

UNITS {
	(mA) = (milliamp)
	(mV) = (millivolt)
	(S) = (siemens)
}

PARAMETER {
	gnabar = 0.056 (S/cm2)  : maximal conductance
	vtraub = -56.2 (mV)     : VT, the threshold shift
	q10 = 3                 : temperature factor of the rates per 10 degC
}

ASSIGNED {
	v (mV)
	ena (mV)
	celsius (degC)
	ina (mA/cm2)
	minf
	hinf
	mtau (ms)
	htau (ms)
}

STATE {
	m
	h
}

BREAKPOINT {
	SOLVE states METHOD cnexp
	ina = gnabar * m*m*m*h * (v - ena)
}

INITIAL {
	rates(v)
	m = minf
	h = hinf
}

DERIVATIVE states {
	rates(v)
	m' = (minf - m) / mtau
	h' = (hinf - h) / htau
}

PROCEDURE rates(v (mV)) {
	LOCAL a, b, tadj, v2
	UNITSOFF
	tadj = q10^((celsius - 36)/10)
	v2 = v - vtraub
	a = 0.32 * vtrap(13 - v2, 4)
	b = 0.28 * vtrap(v2 - 40, 5)
	minf = a / (a + b)
	mtau = 1 / (tadj * (a + b))
	a = 0.128 * exp((17 - v2)/18)
	b = 4 / (1 + exp((40 - v2)/5))
	hinf = a / (a + b)
	htau = 1 / (tadj * (a + b))
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
