TITLE a three-state kinetic scheme C1 <-> C2 <-> O
NEURON {
	SUFFIX scheme
	USEION k READ ek WRITE ik
	RANGE gbar
}
PARAMETER {
	gbar = 0.02 (S/cm2)
	a0 = 0.12 (/ms)
	b0 = 0.04 (/ms)
}
ASSIGNED {
	v (mV)
	ek (mV)
	ik (mA/cm2)
	a (/ms)
	b (/ms)
}
STATE { C1 C2 O }
BREAKPOINT {
	SOLVE kin METHOD sparse
	ik = gbar*O*(v - ek)
}
INITIAL {
	C1 = 1
	C2 = 0
	O = 0
}
KINETIC kin {
	rates(v)
	~ C1 <-> C2 (2*a, b)
	~ C2 <-> O (a, 2*b)
	CONSERVE C1 + C2 + O = 1
}
PROCEDURE rates(v (mV)) {
	a = a0*exp(0.03*v)
	b = b0*exp(-0.02*v)
}
