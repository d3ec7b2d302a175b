TITLE kinetic.mod  three-state potassium channel with an open-channel blocker

COMMENT
A closed-closed-open Markov scheme C1 <-> C2 <-> O with exponential voltage dependence of the
rates, as in the Eyring-rate form of Destexhe, Mainen and Sejnowski (1994) J. Comput.
Neurosci. 1:195-230, and a blocker B, a state of its own, that binds open channels.
ENDCOMMENT

NEURON {
	SUFFIX kmark
	USEION k READ ek WRITE ik
	RANGE gbar, g
	GLOBAL a0, b0, za, zb, kon, koff
	THREADSAFE
}

UNITS {
	(mA) = (milliamp)
	(mV) = (millivolt)
	(pS) = (picosiemens)
	(um) = (micron)
	(mM) = (milli/liter)
}

PARAMETER {
	gbar = 20 (pS/um2)
	a0 = 0.12 (/ms)
	b0 = 0.04 (/ms)
	za = 0.03 (/mV)
	zb = -0.02 (/mV)
	kon = 0.5 (/mM-ms)
	koff = 0.1 (/ms)
}

ASSIGNED {
	v (mV)
	ek (mV)
	ik (mA/cm2)
	g (pS/um2)
	a (/ms)
	b (/ms)
}

STATE {
	C1 C2 O OB
	B (mM)
}

BREAKPOINT {
	SOLVE scheme METHOD sparse
	g = gbar*O
	ik = (1e-4)*g*(v - ek)
}

INITIAL {
	SOLVE scheme STEADYSTATE sparse
}

KINETIC scheme {
	rates(v)
	~ C1 <-> C2	(2*a, b)
	~ C2 <-> O	(a, 2*b)
	~ O + B <-> OB	(kon, koff)	: the blocker binds open channels only
	CONSERVE C1 + C2 + O + OB = 1
}

PROCEDURE rates(v (mV)) {
	a = a0*exp(za*v)
	b = b0*exp(zb*v)
}
