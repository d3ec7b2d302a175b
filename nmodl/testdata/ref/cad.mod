TITLE cad.mod  submembrane calcium pool with first-order removal

COMMENT
Calcium entering through the membrane fills a shell of depth `depth` under it and decays to
cainf with time constant taur: the pool of Destexhe, Contreras, Sejnowski and Steriade (1994)
J. Neurophysiol. 72:803-818, without the pump term. An outward calcium current does not empty
the shell (the influx is rectified).
ENDCOMMENT

INDEPENDENT {t FROM 0 TO 1 WITH 1 (ms)}

NEURON {
	SUFFIX cad
	USEION ca READ ica, cai WRITE cai
	RANGE depth, taur, cainf
}

UNITS {
	(molar) = (1/liter)
	(mM) = (millimolar)
	(um) = (micron)
	(mA) = (milliamp)
	(msM) = (ms mM)
	FARADAY = (faraday) (coulomb)
}

PARAMETER {
	depth = .1 (um)
	taur = 200 (ms)
	cainf = 100e-6 (mM)
}

STATE {
	cai (mM) <1e-5>
}

INITIAL {
	cai = cainf
}

ASSIGNED {
	ica (mA/cm2)
	drive_channel (mM/ms)
}

BREAKPOINT {
	SOLVE state METHOD derivimplicit
}

DERIVATIVE state {
	drive_channel = -(10000)*ica/(2*FARADAY*depth)
	if (drive_channel <= 0.) { drive_channel = 0. } : no outward flux
	cai' = drive_channel + (cainf - cai)/taur
}
