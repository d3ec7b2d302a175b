TITLE a gate of neither HH form, imported as a kinetic gate (deriv, init)
NEURON {
	SUFFIX kin
	USEION k READ ek WRITE ik
	RANGE gbar
}
PARAMETER {
	gbar = 0.01 (S/cm2)
	a0 = 0.2 (/ms)
	b0 = 0.05 (/ms)
}
STATE { x }
ASSIGNED {
	v (mV)
	ek (mV)
	ik (mA/cm2)
}
BREAKPOINT {
	SOLVE states METHOD cnexp
	ik = gbar*x*(v - ek)
}
INITIAL { x = a0/(a0 + b0) }
DERIVATIVE states {
	x' = a0*exp(v/20)*(1 - x)^2 - b0*x
}
