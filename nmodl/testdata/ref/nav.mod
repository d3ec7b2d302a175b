TITLE nav.mod  Hodgkin-Huxley sodium channel as an eight-state Markov scheme (KINETIC, sparse)

COMMENT
The sodium conductance of Hodgkin and Huxley (1952) J. Physiol. 117:500-544 as the kinetic
scheme of independent gates that it implies (see Armstrong 1981, Physiol. Rev.
61:644-683): state mihj has i of its three m particles and j of its h particle activated,
only m3h1 conducts,
  m0hj <-> m1hj <-> m2hj <-> m3hj   (3 am, bm), (2 am, 2 bm), (am, 3 bm)
  mih0 <-> mih1                     (ah, bh)
  am = 0.1 (v + 40)/(1 - exp(-(v + 40)/10)),  bm = 4 exp(-(v + 65)/18)
  ah = 0.07 exp(-(v + 65)/20),                bh = 1/(1 + exp(-(v + 35)/10))
  ina = gnabar m3h1 (v - ena)
(modern convention, mV, ms, at 6.3 degC: no temperature factor). Started at its steady state
(the binomial distribution of m_inf and h_inf), the scheme is m^3 h exactly. Integrated with
sparse (backward Euler on the linear system, CONSERVE in place of one of its equations).
Written for neurogen's NEURON cross-check from the equations above.
ENDCOMMENT

NEURON {
	SUFFIX nav
	USEION na READ ena WRITE ina
	RANGE gnabar
}

UNITS {
	(mA) = (milliamp)
	(mV) = (millivolt)
	(S) = (siemens)
}

PARAMETER {
	gnabar = 0.12 (S/cm2)
}

ASSIGNED {
	v (mV)
	ena (mV)
	ina (mA/cm2)
	am (/ms)
	bm (/ms)
	ah (/ms)
	bh (/ms)
}

STATE {
	m0h0 m1h0 m2h0 m3h0
	m0h1 m1h1 m2h1 m3h1
}

BREAKPOINT {
	SOLVE scheme METHOD sparse
	ina = gnabar*m3h1*(v - ena)
}

INITIAL {
	LOCAL mi, mo, hi, ho
	rates(v)
	mo = am/(am + bm)	: m_inf
	mi = 1 - mo
	ho = ah/(ah + bh)	: h_inf
	hi = 1 - ho
	m0h0 = mi*mi*mi*hi
	m1h0 = 3*mi*mi*mo*hi
	m2h0 = 3*mi*mo*mo*hi
	m3h0 = mo*mo*mo*hi
	m0h1 = mi*mi*mi*ho
	m1h1 = 3*mi*mi*mo*ho
	m2h1 = 3*mi*mo*mo*ho
	m3h1 = mo*mo*mo*ho
}

KINETIC scheme {
	rates(v)
	~ m0h0 <-> m1h0	(3*am, bm)
	~ m1h0 <-> m2h0	(2*am, 2*bm)
	~ m2h0 <-> m3h0	(am, 3*bm)
	~ m0h1 <-> m1h1	(3*am, bm)
	~ m1h1 <-> m2h1	(2*am, 2*bm)
	~ m2h1 <-> m3h1	(am, 3*bm)
	~ m0h0 <-> m0h1	(ah, bh)
	~ m1h0 <-> m1h1	(ah, bh)
	~ m2h0 <-> m2h1	(ah, bh)
	~ m3h0 <-> m3h1	(ah, bh)
	CONSERVE m0h0 + m1h0 + m2h0 + m3h0 + m0h1 + m1h1 + m2h1 + m3h1 = 1
}

PROCEDURE rates(v (mV)) {
	UNITSOFF
	am = 0.1*(v + 40)/(1 - exp(-(v + 40)/10))
	bm = 4*exp(-(v + 65)/18)
	ah = 0.07*exp(-(v + 65)/20)
	bh = 1/(1 + exp(-(v + 35)/10))
	UNITSON
}
