TITLE cat.mod  low-threshold T-type calcium current with the GHK current equation

COMMENT
The T current of thalamic relay neurons of Huguenard and McCormick (1992) J. Neurophysiol.
68:1373-1383 (activation after Coulter et al. 1989), through the Goldman-Hodgkin-Katz current
equation:
  m_inf = 1/(1 + exp(-(v + 57)/6.2)),  h_inf = 1/(1 + exp((v + 81)/4))
  tau_m = 0.612 + 1/(exp(-(v + 132)/16.7) + exp((v + 16.8)/18.2))
  tau_h = exp((v + 467)/66.6)                  for v < -80 mV
          28 + exp(-(v + 22)/10.5)             otherwise
  ica = pcabar m^2 h ghk(v, cai, cao)
(mV, ms), the time constants at 24 degC, scaled by q10 factors 5 (m) and 3 (h). ghk is a
FUNCTION of v, cai and cao. Written for neurogen's NEURON cross-check from the equations above.
ENDCOMMENT

NEURON {
	SUFFIX cat
	USEION ca READ cai, cao WRITE ica
	RANGE pcabar
	GLOBAL qm, qh
}

UNITS {
	(mA) = (milliamp)
	(mV) = (millivolt)
	(mM) = (milli/liter)
	FARADAY = (faraday) (coulomb)
	R = (k-mole) (joule/degC)
}

PARAMETER {
	pcabar = 1e-4 (cm/s)
	qm = 5 (1)
	qh = 3 (1)
	temp = 24 (degC)
}

ASSIGNED {
	v (mV)
	celsius (degC)
	cai (mM)
	cao (mM)
	ica (mA/cm2)
	minf (1)
	hinf (1)
	mtau (ms)
	htau (ms)
}

STATE { m h }

BREAKPOINT {
	SOLVE castate METHOD cnexp
	ica = pcabar*m*m*h*ghk(v, cai, cao)
}

INITIAL {
	rates(v)
	m = minf
	h = hinf
}

DERIVATIVE castate {
	rates(v)
	m' = (minf - m)/mtau
	h' = (hinf - h)/htau
}

PROCEDURE rates(v (mV)) {
	LOCAL phim, phih
	UNITSOFF
	phim = qm^((celsius - temp)/10)
	phih = qh^((celsius - temp)/10)
	minf = 1/(1 + exp(-(v + 57)/6.2))
	hinf = 1/(1 + exp((v + 81)/4))
	mtau = (0.612 + 1/(exp(-(v + 132)/16.7) + exp((v + 16.8)/18.2)))/phim
	if (v < -80) {
		htau = exp((v + 467)/66.6)/phih
	} else {
		htau = (28 + exp(-(v + 22)/10.5))/phih
	}
	UNITSON
}

FUNCTION ghk(v (mV), ci (mM), co (mM)) (.001 coul/cm3) {
	: z F (ci - co exp(-u)) u/(1 - exp(-u)), u = z F v/(R T), z = 2
	LOCAL u, w
	u = (1e-3)*2*FARADAY*v/(R*(celsius + 273.15))
	if (fabs(u) < 1e-6) {
		w = 1 + u/2	: u/(1 - exp(-u)) near 0
	} else {
		w = u/(1 - exp(-u))
	}
	ghk = (.001)*2*FARADAY*(ci - co*exp(-u))*w
}
