TITLE syntax.mod  every construct the parser knows, in one file (it models nothing)

COMMENT first comment block ENDCOMMENT
COMMENT
second comment block
ENDCOMMENT

DEFINE NANN 4
LOCAL top, arr2[NANN]
INCLUDE "other.inc"

NEURON {
	POINT_PROCESS Syn
	USEION ca READ cai WRITE ica VALENCE -2
	USEION na WRITE ina READ nai : WRITE before READ
	NONSPECIFIC_CURRENT i
	ELECTRODE_CURRENT ie
	RANGE tau  g, e
	POINTER ptr
	BBCOREPOINTER rng
	EXTERNAL ext
	THREADSAFE tau
}

UNITS {
	(nA) = (nanoamp)
	e0 = 1.6e-19 (coulomb)
	kB = -1 (1)
}

PARAMETER {
	tau = 2 (ms) <1e-9, 1e9>
	e = 0 (mV)
	w[2] = 1
	neg = -.5E+2 (mV)
}

CONSTANT {
	c0 = 3 (mM)
}

ASSIGNED {
	v (mV)
	i (nA)
	ie (nA)
	cai (mM)
	ica (mA/cm2)
	g (uS)
	ptr
	ext
	x[NANN]
}

STATE {
	A (uS)
	B[4] (mM) <1e-6>
	C FROM 0 TO 1
	D2
}

INITIAL {
	A = 0
	FROM j = 0 TO NANN - 1 BY 1 {
		B[j] = 0
	}
	net_send(0, 1)
}

BEFORE BREAKPOINT {
	g = g
}

BREAKPOINT {
	SOLVE sch METHOD sparse IFERROR {
		printf("failed at %g\n", t)
	}
	SOLVE eq
	i = g*(v - e)
}

KINETIC sch {
	COMPARTMENT j, (1e-3)*PI {B}
	COMPARTMENT 2 {A}
	LONGITUDINAL_DIFFUSION j, 0.6*PI {B}
	~ B[0] + 2 B[1] <-> B[2] (1, 2)
	~ A -> C (3)
	~ A << (-ica*(1e4)/2)
	CONSERVE C + D2 = 1
}

LINEAR eq {
	~ x[0] + 2*x[1] = 1
	~ x[1] - x[0] = 0
}

DERIVATIVE second {
	D2'' = -D2
}

NET_RECEIVE(weight (uS), tsyn (ms)) {
	INITIAL {
		tsyn = t
	}
	if (flag == 0 && !(weight < 0) || flag == 1) {
		WATCH (v > -20) 2
	} else if (flag != 2) {
		A = A + weight
	}
	MUTEXLOCK
	PROTECT g = g + 1
	MUTEXUNLOCK
}

FUNCTION f(a, b (mV)) (/ms) {
	LOCAL k, arr[3]
	UNITSOFF
	k = 0
	while (k <= 2 && a >= b) {
		arr[k] = -a^2^-k % 3 + (-a)^2 - -b
		k = k + 1
	}
	f = 37 (degC) * k / 10 (degC)
	UNITSON
	VERBATIM
	/* C code, kept */
	ENDVERBATIM
}

VERBATIM
static double top;
ENDVERBATIM

CONSTRUCTOR { }
DESTRUCTOR { }
