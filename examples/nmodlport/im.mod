TITLE im.mod  slow non-inactivating potassium current (M current)

COMMENT
The M current of the regular-spiking (RS) cortical pyramidal cell of

  Pospischil M, Toledo-Rodriguez M, Monier C, Piwkowska Z, Bal T, Fregnac Y, Markram H,
  Destexhe A (2008) Minimal Hodgkin-Huxley type models for different classes of cortical and
  thalamic neurons. Biol Cybern 99:427-441,

after Yamada, Koch and Adams (1989), written here from the paper's equations:

  ik      = gkbar p (v - ek)
  p_inf   = 1 / (1 + exp(-(v + 35)/10))                               (v in mV)
  tau_p   = tau_max / (3.3 exp((v + 35)/20) + exp(-(v + 35)/20))     (ms)

with gkbar 0.075 mS/cm2 and tau_max 608 ms for the RS cell: the slow current behind its
spike-frequency adaptation. tau_p is that of the paper, at 36 degC; tadj =
q10^((celsius - 36)/10) scales it at other temperatures (1 at 36 degC).
ENDCOMMENT

NEURON {
	SUFFIX im
	USEION k READ ek WRITE ik
	RANGE gkbar, taumax
	GLOBAL q10
}

UNITS {
	(mA) = (milliamp)
	(mV) = (millivolt)
	(S) = (siemens)
}

PARAMETER {
	gkbar = 7.5e-5 (S/cm2)  : maximal conductance
	taumax = 608 (ms)       : the largest time constant
	q10 = 2.3               : temperature factor of the rate per 10 degC
}

ASSIGNED {
	v (mV)
	ek (mV)
	celsius (degC)
	ik (mA/cm2)
	pinf
	ptau (ms)
}

STATE {
	p
}

BREAKPOINT {
	SOLVE states METHOD cnexp
	ik = gkbar * p * (v - ek)
}

INITIAL {
	rates(v)
	p = pinf
}

DERIVATIVE states {
	rates(v)
	p' = (pinf - p) / ptau
}

PROCEDURE rates(v (mV)) {
	LOCAL tadj
	UNITSOFF
	tadj = q10^((celsius - 36)/10)
	pinf = 1 / (1 + exp(-(v + 35)/10))
	ptau = taumax / (tadj * (3.3 * exp((v + 35)/20) + exp(-(v + 35)/20)))
	UNITSON
}
