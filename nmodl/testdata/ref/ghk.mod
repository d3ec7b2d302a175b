TITLE ghk.mod  L-type calcium current with the Goldman-Hodgkin-Katz flux

COMMENT
The current through a channel of permeability pcabar*m*m, by the GHK current equation
(Goldman 1943; Hodgkin and Katz 1949), written as a FUNCTION of v, cai and cao:
  ghk = z^2 F^2 v/(R T) (cai - cao exp(-z F v/(R T)))/(1 - exp(-z F v/(R T)))
with the removable singularity at v = 0 handled by efun.
ENDCOMMENT

NEURON {
	SUFFIX cal
	USEION ca READ cai, cao WRITE ica VALENCE 2
	RANGE pcabar, ica
}

UNITS {
	(mA) = (milliamp)
	(mV) = (millivolt)
	(mM) = (milli/liter)
	FARADAY = 96485.3 (coul)
	R = (k-mole) (joule/degC)
	PI = (pi) (1)
}

PARAMETER {
	pcabar = 2e-4 (cm/s)
	vhalf = -10 (mV)
	k = 6 (mV)
	mtau = 1.5 (ms)
}

CONSTANT {
	zca = 2 (1)
}

ASSIGNED {
	v (mV)
	celsius (degC)
	cai (mM)
	cao (mM)
	ica (mA/cm2)
	minf (1)
}

STATE { m FROM 0 TO 1 }

BREAKPOINT {
	SOLVE states METHOD cnexp
	ica = pcabar*m*m*ghk(v, cai, cao)
}

INITIAL {
	minf = 1/(1 + exp(-(v - vhalf)/k))
	m = minf
}

DERIVATIVE states {
	minf = 1/(1 + exp(-(v - vhalf)/k))
	m' = (minf - m)/mtau
}

FUNCTION ghk(v (mV), ci (mM), co (mM)) (.001 coul/cm3) {
	LOCAL z, eci, eco
	z = (1e-3)*zca*FARADAY*v/(R*(celsius + 273.15))
	eco = co*efun(z)
	eci = ci*efun(-z)
	ghk = (.001)*zca*FARADAY*(eci - eco)
}

FUNCTION efun(z) {
	if (fabs(z) < 1e-4) {
		efun = 1 - z/2
	} else {
		efun = z/(exp(z) - 1)
	}
}
