COMMENT
HH52 for neurogen's benchmark harness: the model of /work/shared/reference/hh52/README.md with its
exact rates (no TABLE, no temperature factor), so that NEURON's fixed step is held to the same
equations as neurogen and Brian2. Units: mV, ms, S/cm2, mA/cm2. The reversal potentials are
parameters of this mechanism (no na or k ion mechanisms), and the two removable singularities
are computed by their limit near the pole.
ENDCOMMENT

NEURON {
    SUFFIX hh52
    NONSPECIFIC_CURRENT ina52, ik52, il52
    RANGE gnabar, gkbar, gl, ena, ek, el
}

UNITS {
    (mA) = (milliamp)
    (mV) = (millivolt)
    (S) = (siemens)
}

PARAMETER {
    gnabar = 0.120 (S/cm2)
    gkbar = 0.036 (S/cm2)
    gl = 0.0003 (S/cm2)
    ena = 50 (mV)
    ek = -77 (mV)
    el = -54.387 (mV)
}

STATE { m h n }

ASSIGNED {
    v (mV)
    ina52 (mA/cm2)
    ik52 (mA/cm2)
    il52 (mA/cm2)
    minf hinf ninf
    mtau (ms) htau (ms) ntau (ms)
}

BREAKPOINT {
    SOLVE states METHOD cnexp
    ina52 = gnabar*m*m*m*h*(v - ena)
    ik52 = gkbar*n*n*n*n*(v - ek)
    il52 = gl*(v - el)
}

INITIAL {
    rates(v)
    m = minf
    h = hinf
    n = ninf
}

DERIVATIVE states {
    rates(v)
    m' = (minf - m)/mtau
    h' = (hinf - h)/htau
    n' = (ninf - n)/ntau
}

PROCEDURE rates(v (mV)) {
    LOCAL a, b
    UNITSOFF
    a = 0.1*vtrap(-(v + 40), 10)
    b = 4*exp(-(v + 65)/18)
    mtau = 1/(a + b)
    minf = a*mtau
    a = 0.07*exp(-(v + 65)/20)
    b = 1/(exp(-(v + 35)/10) + 1)
    htau = 1/(a + b)
    hinf = a*htau
    a = 0.01*vtrap(-(v + 55), 10)
    b = 0.125*exp(-(v + 65)/80)
    ntau = 1/(a + b)
    ninf = a*ntau
    UNITSON
}

FUNCTION vtrap(x, y) {
    : x/(exp(x/y) - 1), with its limit y*(1 - x/y/2) near x = 0
    if (fabs(x/y) < 1e-6) {
        vtrap = y*(1 - x/y/2)
    } else {
        vtrap = x/(exp(x/y) - 1)
    }
}
