#!/usr/bin/env python3
"""Voltage-clamp reference data for every stock channel of neurogen's library, made with Brian2.

Each channel of BrainPy's conductance-based library is written here in Brian2's equation
language, from the published formulas and BrainPy's defaults as collected in
/work/shared/reference/brainpy.md (not from neurogen's YAML files, which these data check), and
run through a voltage-step protocol:

  * V is held at V_hold with every state at its steady state there (and at the holding [Ca]i);
  * at t = 0, V steps to V_test (one neuron per V_test, each from the same fresh holding state)
    and is held there for the channel's duration;
  * every state and the current density I = g * (gates) * (E - V) (uA/cm2, inward positive) are
    recorded at 101 times t_k = k^2 * h, k = 0 ... 100, h = duration / 10^4 (dense at the start,
    where the fast gates move, sparse at the end);
  * calcium-dependent channels run at [Ca]i fixed at each of two levels and with a step of [Ca]i
    at t = 0; channels whose temperature factor is 1 at 36 degC run at 26 degC too; channels
    with a piecewise time constant get two extra test voltages 0.01 mV around its breakpoint.

Single-gate kinetics at a clamped V are linear ODEs with constant coefficients,
dx/dt = phi (alpha (1 - x) - beta x) = k (x_inf - x) with k = phi (alpha + beta) (or
phi (x_inf - x)/tau, k = phi/tau), so Brian2 evaluates x_inf and k from the rate expressions at
V_test and integrates dx/dt = k (x_inf - x) with its `exact` method (the analytic solution, derived
by SymPy) on the grid of step h. The script checks each trajectory against the closed form
x(t) = x_inf + (x0 - x_inf) exp(-k t) computed with numpy, the current against the channel's
current at those closed-form gates, and the published right-hand side (evaluated by Brian2)
against k (x_inf - x) at every sampled state.

Ih_De1996's states (O, O_L, P1) are coupled: O and O_L are linear in each other, but O_L's
equation has the product P1*O, which is not linear with constant coefficients when [Ca]i moves
P1. Its reference is scipy's solve_ivp (Radau, rtol 1e-13, atol 1e-16, analytic Jacobian) with
the rate constants that Brian2 evaluates at V_test; it is checked against Radau at rtol 1e-11,
against Brian2's own rk4 on the full equations (step h/10) and, where [Ca]i is fixed (P1 then
stays constant and the scheme is linear with constant coefficients), against the exact solution
by matrix exponential.

The script stops with an error if any cross-check differs by more than its tolerance (stated in
CHECKS below); the data is then good to about 1e-10 (relative for currents, absolute for gates),
and is written rounded to 12 significant digits.

Usage: /usr/bin/python3 tools/reference/channels.py [CHANNEL ...]   (default: all)
Writes testdata/reference/channels/CHANNEL.json under the repository root.
"""

import json
import math
import os
import platform
import sys
import time

import numpy as np
import scipy
import scipy.integrate
import scipy.linalg

import brian2
from brian2 import Network, NeuronGroup, StateMonitor, cm, mM, ms, msiemens, mV, prefs, uA

prefs.codegen.target = "numpy"
brian2.BrianLogger.log_level_error()

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
OUT = os.path.join(ROOT, "testdata", "reference", "channels")

# The environment of every channel.
T_DEGC = 36.0               # temperature, degC
E_CA = 120.0                # mV, fixed calcium reversal potential (BrainPy's CalciumFixed)
E_K = -90.0                 # mV, the potassium ion's reversal potential (for IK_Leak)
CA_LEVELS = [2.4e-4, 1e-3]  # mM, the two fixed [Ca]i levels
V_TESTS = [-100.0, -80.0, -60.0, -40.0, -20.0, 0.0, 20.0, 40.0]  # mV
K_MAX = 100                 # samples k = 0 ... K_MAX at t = k^2 h
GRID = K_MAX * K_MAX        # h = duration / GRID
SIG = 12                    # significant digits written

# Tolerances of the script's own cross-checks (the reference must be good to 1e-9 or better).
CHECKS = {
    "gate_abs": 1e-10,     # a state against its other computation
    "deriv_rel": 1e-12,    # the published dx/dt against k (x_inf - x), relative to k
    "current_rel": 1e-10,  # a current against its other computation, relative to the step's max |I|
    "rk4_gate_abs": 1e-9,  # Brian2 rk4 (step h/10) against the Radau solution, Ih_De1996
    "rk4_current_rel": 1e-8,
}

UNITS = {"mS/cm2": msiemens / cm ** 2, "mV": mV, "ms": ms, "1": 1, "1/ms": 1 / ms, "mM": mM, "degC": 1, "1/(ms*mM^4)": 1 / (ms * mM ** 4)}


def phi(base, T_ref):
    """The temperature factor base^((T - T_ref)/10), as a function of T (degC)."""
    return lambda T: base ** ((T - T_ref) / 10.0)


class Channel:
    """A channel: parameters (BrainPy's names, values, units), Brian2 equations, protocol."""

    def __init__(self, name, doc, params, eqs, gates, current, V_hold, duration, calcium=False,
                 derived=None, kinetic=False, env=None, unit_notes=None, temps=(T_DEGC,), probes=()):
        self.name = name
        # The test voltages: V_TESTS, and for a piecewise rate one voltage just on each side of
        # its breakpoint (0.01 mV away), so that a misplaced breakpoint shows.
        self.V_tests = V_TESTS + [round(float(v), 9) for v in probes]
        self.temps = list(temps)      # temperatures (degC) of the runs: T_DEGC, and more where
                                      # T_DEGC hides the temperature dependence (phi = 1 there)
        self.doc = doc
        self.params = params          # [(name, value, unit, doc)]
        self.derived = derived or {}  # name -> (value, unit, how), constants computed from params
        self.eqs = eqs.strip("\n")    # Brian2 equations: definitions and, per gate, x_inf and rate_x
        self.gates = gates            # state names, BrainPy's
        self.current = current        # Brian2 expression of the current density
        self.V_hold = V_hold
        self.duration = duration      # ms
        self.calcium = calcium        # reads [Ca]i
        self.kinetic = kinetic        # coupled kinetic scheme (Ih_De1996)
        self.env = env or {}
        self.unit_notes = unit_notes

    def namespace(self, T=T_DEGC):
        ns = {}
        for name, value, unit, _ in self.params:
            ns[name] = value * UNITS[unit]
        for name, (value, unit, _) in self.derived.items():
            ns[name] = (value(T) if callable(value) else value) * UNITS[unit]
        return ns

    def equations(self):
        lines = ["V : volt (constant)"]
        if self.calcium:
            lines.append("Ca : mmolar (constant)  # [Ca]i")
        lines.append(self.eqs)
        lines.append("I = %s : amp/meter**2" % self.current)
        return "\n".join(lines)


def markov(x, alpha, beta, phi_name):
    """A gate in α/β form, dx/dt = φ (α (1 - x) - β x): its rates, steady state x∞ = α/(α + β)
    and relaxation rate k = φ (α + β) as Brian2 subexpressions of V, and the equation Brian2
    integrates, dx/dt = k (x∞ - x) (the same equation), with k and x∞ held in per-neuron
    constants that Brian2 sets from those subexpressions after V is set (brian_run): Brian2's
    exact solver then has constant coefficients it solves cleanly (given the rate expressions
    themselves, SymPy expands piecewise ones into huge, badly conditioned code). dxdt_x is the
    published right-hand side, which reference() checks against k (x∞ - x) along the run."""
    return f"""
alpha_{x} = {alpha} : Hz
beta_{x} = {beta} : Hz
{x}_inf = alpha_{x}/(alpha_{x} + beta_{x}) : 1
rate_{x} = {phi_name}*(alpha_{x} + beta_{x}) : Hz
dxdt_{x} = {phi_name}*(alpha_{x}*(1 - {x}) - beta_{x}*{x}) : Hz
{x}_inf_V : 1 (constant)
rate_{x}_V : Hz (constant)
d{x}/dt = rate_{x}_V*({x}_inf_V - {x}) : 1"""


def ss(x, inf, tau, phi_name):
    """A gate in x∞/τ form, dx/dt = φ (x∞ - x)/τ: as markov(), with k = φ/τ."""
    return f"""
{x}_inf = {inf} : 1
tau_{x} = {tau} : second
rate_{x} = {phi_name}/tau_{x} : Hz
dxdt_{x} = {phi_name}*({x}_inf - {x})/tau_{x} : Hz
{x}_inf_V : 1 (constant)
rate_{x}_V : Hz (constant)
d{x}/dt = rate_{x}_V*({x}_inf_V - {x}) : 1"""


P = lambda name, value, unit, doc="": (name, value, unit, doc)


def channels():
    """Every stock channel, from brainpy.md's table. u = V - V_sh throughout."""
    out = []
    U = "u = V - V_sh : volt\n"

    # Rate functions k·x/(1 − e^{−x/s}) are 0/0 at x = 0 (INa_HH1952's α_p at V = −40 mV is one
    # of the test voltages): they are written with Brian2's exprel, exprel(y) = (e^y − 1)/y,
    # using the identity x/(1 − e^{−x/s}) = s/exprel(−x/s) (and x/(e^{x/s} − 1) = s/exprel(x/s)).
    # check_exprel() below verifies each rewritten form against the published one away from the
    # pole.

    # --- Sodium, p^3 q, Markov.
    out.append(Channel(
        "INa_Ba2002", "Bazhenov et al. 2002 J Neurosci 22:8691; BrainPy INa_Ba2002",
        [P("g_max", 90.0, "mS/cm2"), P("E", 50.0, "mV"), P("V_sh", -50.0, "mV"), P("T", 36.0, "degC")],
        U + markov("p", "0.32/(mV*ms)*4*mV/exprel(-(u - 13*mV)/(4*mV))",
                   "0.28/(mV*ms)*5*mV/exprel((u - 40*mV)/(5*mV))", "phi")
        + markov("q", "0.128/ms*exp(-(u - 17*mV)/(18*mV))",
                 "4/ms/(1 + exp(-(u - 40*mV)/(5*mV)))", "phi"),
        ["p", "q"], "g_max*p**3*q*(E - V)", -90, 50,
        derived={"phi": (phi(3.0, 36.0), "1", "3**((T - 36)/10)")}, temps=(T_DEGC, 26.0)))
    out.append(Channel(
        "INa_TM1991", "Traub & Miles 1991; BrainPy INa_TM1991",
        [P("g_max", 120.0, "mS/cm2"), P("E", 50.0, "mV"), P("V_sh", -63.0, "mV"), P("phi", 1.0, "1")],
        U + markov("p", "0.32/(mV*ms)*4*mV/exprel((13*mV - u)/(4*mV))",
                   "0.28/(mV*ms)*5*mV/exprel((u - 40*mV)/(5*mV))", "phi")
        + markov("q", "0.128/ms*exp((17*mV - u)/(18*mV))",
                 "4/ms/(1 + exp(-(u - 40*mV)/(5*mV)))", "phi"),
        ["p", "q"], "g_max*p**3*q*(E - V)", -90, 50))
    out.append(Channel(
        "INa_HH1952", "Hodgkin & Huxley 1952 J Physiol 117:500; BrainPy INa_HH1952",
        [P("g_max", 120.0, "mS/cm2"), P("E", 50.0, "mV"), P("V_sh", -45.0, "mV"), P("phi", 1.0, "1")],
        U + markov("p", "0.1/(mV*ms)*10*mV/exprel(-(u - 5*mV)/(10*mV))",
                   "4/ms*exp(-(u + 20*mV)/(18*mV))", "phi")
        + markov("q", "0.07/ms*exp(-(u + 20*mV)/(20*mV))",
                 "1/ms/(1 + exp(-(u - 10*mV)/(10*mV)))", "phi"),
        ["p", "q"], "g_max*p**3*q*(E - V)", -90, 50))

    # --- Delayed rectifiers, p^4, Markov.
    out.append(Channel(
        "IKDR_Ba2002", "Bazhenov et al. 2002; BrainPy IKDR_Ba2002",
        [P("g_max", 10.0, "mS/cm2"), P("E", -90.0, "mV"), P("V_sh", -50.0, "mV"), P("T", 36.0, "degC"),
         P("T_base", 3.0, "1")],
        U + markov("p", "0.032/(mV*ms)*5*mV/exprel(-(u - 15*mV)/(5*mV))",
                   "0.5/ms*exp(-(u - 10*mV)/(40*mV))", "phi"),
        ["p"], "g_max*p**4*(E - V)", -90, 50,
        derived={"phi": (phi(3.0, 36.0), "1", "T_base**((T - 36)/10)")}, temps=(T_DEGC, 26.0)))
    out.append(Channel(
        "IK_TM1991", "Traub & Miles 1991; BrainPy IK_TM1991",
        [P("g_max", 10.0, "mS/cm2"), P("E", -90.0, "mV"), P("V_sh", -60.0, "mV"), P("phi", 1.0, "1")],
        U + markov("p", "0.032/(mV*ms)*5*mV/exprel((15*mV - u)/(5*mV))",
                   "0.5/ms*exp((10*mV - u)/(40*mV))", "phi"),
        ["p"], "g_max*p**4*(E - V)", -90, 50))
    out.append(Channel(
        "IK_HH1952", "Hodgkin & Huxley 1952; BrainPy IK_HH1952",
        [P("g_max", 10.0, "mS/cm2"), P("E", -90.0, "mV"), P("V_sh", -45.0, "mV"), P("phi", 1.0, "1")],
        U + markov("p", "0.01/(mV*ms)*10*mV/exprel(-(u + 10*mV)/(10*mV))",
                   "0.125/ms*exp(-(u + 20*mV)/(80*mV))", "phi"),
        ["p"], "g_max*p**4*(E - V)", -90, 50))

    # --- A-type currents, p^4 q, x∞/τ.
    ka_tau_p = "1*ms/(exp((u + 35.8*mV)/(19.7*mV)) + exp(-(u + 79.7*mV)/(12.7*mV))) + 0.37*ms"
    ka_q_inf = "1/(1 + exp((u + 78*mV)/(6*mV)))"
    ka_tau_q = ("int(u < -63*mV)*1*ms/(exp((u + 46*mV)/(5*mV)) + exp(-(u + 238*mV)/(37.5*mV)))"
                " + int(u >= -63*mV)*19*ms")
    for name, g, p_inf in (("IKA1_HM1992", 30.0, "1/(1 + exp(-(u + 60*mV)/(8.5*mV)))"),
                           ("IKA2_HM1992", 20.0, "1/(1 + exp(-(u + 36*mV)/(20*mV)))")):
        out.append(Channel(
            name, "Huguenard & McCormick 1992; Huguenard & Prince 1991; BrainPy " + name,
            [P("g_max", g, "mS/cm2"), P("E", -90.0, "mV"), P("V_sh", 0.0, "mV"), P("phi_p", 1.0, "1"),
             P("phi_q", 1.0, "1")],
            U + ss("p", p_inf, ka_tau_p, "phi_p") + ss("q", ka_q_inf, ka_tau_q, "phi_q"),
            ["p", "q"], "g_max*p**4*q*(E - V)", -100, 200, probes=(-63.01, -62.99)))

    # --- K2 currents, p q, x∞/τ.
    k2_tau_q = "1*ms/(exp((u - 1329*mV)/(200*mV)) + exp(-(u + 130*mV)/(7.1*mV)))"
    for name, tau_q in (("IKK2A_HM1992", k2_tau_q),
                        ("IKK2B_HM1992", "int(u < -70*mV)*" + k2_tau_q + " + int(u >= -70*mV)*8.9*ms")):
        out.append(Channel(
            name, "Huguenard & McCormick 1992; BrainPy " + name,
            [P("g_max", 10.0, "mS/cm2"), P("E", -90.0, "mV"), P("V_sh", 0.0, "mV"), P("phi_p", 1.0, "1"),
             P("phi_q", 1.0, "1")],
            U + ss("p", "1/(1 + exp(-(u + 43*mV)/(17*mV)))",
                   "1*ms/(exp((u - 81*mV)/(25.6*mV)) + exp(-(u + 132*mV)/(18*mV))) + 9.9*ms", "phi_p")
            + ss("q", "1/(1 + exp((u + 58*mV)/(10.6*mV)))", tau_q, "phi_q"),
            ["p", "q"], "g_max*p*q*(E - V)", -100, 3000,
            probes=(-70.01, -69.99) if name == "IKK2B_HM1992" else ()))

    # --- Slow non-inactivating K (Yamada 1989), p, x∞/τ.
    out.append(Channel(
        "IKNI_Ya1989", "Yamada, Koch & Adams 1989; BrainPy IKNI_Ya1989",
        [P("g_max", 0.004, "mS/cm2"), P("E", -90.0, "mV"), P("tau_max", 4000.0, "ms"), P("V_sh", 0.0, "mV"),
         P("phi_p", 1.0, "1")],
        U + ss("p", "1/(1 + exp(-(u + 35*mV)/(10*mV)))",
               "tau_max/(3.3*exp((u + 35*mV)/(20*mV)) + exp(-(u + 35*mV)/(20*mV)))", "phi_p"),
        ["p"], "g_max*p*(E - V)", -90, 5000))

    # --- Leaks.
    out.append(Channel("IL", "BrainPy IL", [P("g_max", 0.1, "mS/cm2"), P("E", -70.0, "mV")],
                       "", [], "g_max*(E - V)", -90, 10))
    out.append(Channel("IKL", "BrainPy IKL", [P("g_max", 0.005, "mS/cm2"), P("E", -90.0, "mV")],
                       "", [], "g_max*(E - V)", -90, 10))
    out.append(Channel("IK_Leak", "BrainPy IK_Leak (2.4.3+): E is the potassium ion's",
                       [P("g_max", 0.005, "mS/cm2")],
                       "", [], "g_max*(E_K - V)", -90, 10,
                       derived={"E_K": (E_K, "mV", "the potassium ion's reversal potential (environment)")},
                       env={"E_K_mV": E_K}))

    # --- Ih (Huguenard & McCormick 1992), p, x∞/τ, on V itself (no V_sh).
    out.append(Channel(
        "Ih_HM1992", "Huguenard & McCormick 1992; BrainPy Ih_HM1992 with the paper's E = -43 mV "
        "(BrainPy's default is +43 mV, a slip)",
        [P("g_max", 10.0, "mS/cm2"), P("E", -43.0, "mV"), P("phi", 1.0, "1")],
        ss("p", "1/(1 + exp((V + 75*mV)/(5.5*mV)))",
           "1*ms/(exp(-0.086/mV*V - 14.59) + exp(0.0701/mV*V - 1.87))", "phi"),
        ["p"], "g_max*p*(E - V)", -50, 5000))

    # --- Ih (Destexhe et al. 1996), kinetic scheme with calcium:
    #   C <-> O (alpha, beta);  P0 <-> P1 (k1 [Ca]i^4, k2);  O + P1 <-> O_L (k3, k4).
    # The scheme's mass-action equations: dO/dt = alpha C - beta O - k3 P1 O + k4 O_L with
    # C = 1 - O - O_L, dO_L/dt = k3 P1 O - k4 O_L, dP1/dt = k1 [Ca]i^4 (1 - P1) - k2 P1 (P1 is
    # a regulating factor, not consumed by the locking). This follows the paper and Destexhe's
    # NEURON model (iar.mod: KINETIC with CONSERVE c1 + o1 + o2 = 1). BrainPy's code (and the
    # table of brainpy.md, which transcribes it) drops -k3 P1 O + k4 O_L from dO/dt, so that
    # C + O + O_L is not conserved; the steady state (the initial state here) is the same in
    # both. neurogen's stock channel follows the paper, and so does this reference.
    out.append(Channel(
        "Ih_De1996", "Destexhe, Bal, McCormick & Sejnowski 1996 J Neurophysiol 76:2049 (the paper's kinetic "
        "scheme, with the O <-> O_L transfer in dO/dt that BrainPy's code drops); BrainPy Ih_De1996 defaults",
        [P("g_max", 0.02, "mS/cm2"), P("E", -40.0, "mV"), P("g_inc", 2.0, "1"), P("k2", 4e-4, "1/ms"),
         P("k4", 1e-3, "1/ms"), P("Ca_half", 2e-3, "mM"), P("V_sh", 0.0, "mV"), P("T", 36.0, "degC"),
         P("T_base", 3.0, "1")],
        U + """
h_inf = 1/(1 + exp((u + 75*mV)/(5.5*mV))) : 1
tau_h = (20*ms + 1000*ms/(exp((u + 71.5*mV)/(14.2*mV)) + exp(-(u + 89*mV)/(11.6*mV))))/phi : second
alpha_O = h_inf/tau_h : Hz
beta_O = (1 - h_inf)/tau_h : Hz
k1Ca4 = k1*Ca**4 : Hz
P1_inf = k1Ca4/(k1Ca4 + k2) : 1
O_inf = alpha_O/(alpha_O + alpha_O*k3*P1_inf/k4 + beta_O) : 1
O_L_inf = k3*P1_inf*O_inf/k4 : 1
dO/dt = alpha_O*(1 - O - O_L) - beta_O*O - k3*P1*O + k4*O_L : 1
dO_L/dt = k3*P1*O - k4*O_L : 1
dP1/dt = k1Ca4*(1 - P1) - k2*P1 : 1""",
        ["O", "O_L", "P1"], "g_max*(O + g_inc*O_L)*(E - V)", -50, 10000, calcium=True, kinetic=True,
        derived={"phi": (phi(3.0, 24.0), "1", "T_base**((T - 24)/10)"),
                 "k1": (4e-4 / (2e-3) ** 4, "1/(ms*mM^4)", "k2/Ca_half**4"),
                 "k3": (1e-3 / 0.01, "1/ms", "k4/0.01")},
        unit_notes="[Ca]i in mM; k1 = k2/Ca_half^4 in 1/(ms mM^4), so P1's rate is k1*[Ca]i^4 with [Ca]i in mM"))

    # --- Calcium currents, p^2 q, with E_Ca = 120 mV fixed.
    t_hm = dict(
        p_inf="1/(1 + exp(-(u + 59*mV)/(6.2*mV)))",
        tau_p="1*ms/(exp(-(u + 132*mV)/(16.7*mV)) + exp((u + 16.8*mV)/(18.2*mV))) + 0.612*ms",
        q_inf="1/(1 + exp((u + 83*mV)/(4*mV)))",
        tau_q="int(u >= -80*mV)*(exp(-(u + 22*mV)/(10.5*mV))*ms + 28*ms)"
              " + int(u < -80*mV)*exp((u + 467*mV)/(66.6*mV))*ms")
    ca_env = {"E_Ca_mV": E_CA}
    # ICaT_HM1992 holds at -90 mV, not -100 (q∞ = 0.73 there): the step to -100 mV (u = -97 mV)
    # is then the one that exercises τ_q's branch for u < -80 mV.
    for name, g, V_sh, hold, dur, ref in (("ICaT_HM1992", 2.0, -3.0, -90, 300, "Huguenard & McCormick 1992"),
                                          ("ICaHT_HM1992", 2.0, 25.0, -90, 300, "Huguenard & McCormick 1992")):
        probes = (-80.01 + V_sh, -79.99 + V_sh)  # u = V - V_sh = -80 -+ 0.01 mV
        out.append(Channel(
            name, ref + "; BrainPy " + name,
            [P("g_max", g, "mS/cm2"), P("V_sh", V_sh, "mV"), P("T", 36.0, "degC"), P("T_base_p", 3.55, "1"),
             P("T_base_q", 3.0, "1")],
            U + ss("p", t_hm["p_inf"], t_hm["tau_p"], "phi_p") + ss("q", t_hm["q_inf"], t_hm["tau_q"], "phi_q"),
            ["p", "q"], "g_max*p**2*q*(E_Ca - V)", hold, dur, probes=probes,
            derived={"phi_p": (phi(3.55, 24.0), "1", "T_base_p**((T - 24)/10)"),
                     "phi_q": (phi(3.0, 24.0), "1", "T_base_q**((T - 24)/10)"),
                     "E_Ca": (E_CA, "mV", "the calcium ion's reversal potential (environment)")},
            env=ca_env))
    out.append(Channel(
        "ICaT_HP1992", "Huguenard & Prince 1992; BrainPy ICaT_HP1992",
        [P("g_max", 1.75, "mS/cm2"), P("V_sh", -3.0, "mV"), P("T", 36.0, "degC"), P("T_base_p", 5.0, "1"),
         P("T_base_q", 3.0, "1")],
        U + ss("p", "1/(1 + exp(-(u + 52*mV)/(7.4*mV)))",
               "3*ms + 1*ms/(exp((u + 27*mV)/(10*mV)) + exp(-(u + 102*mV)/(15*mV)))", "phi_p")
        + ss("q", "1/(1 + exp((u + 80*mV)/(5*mV)))",
             "85*ms + 1*ms/(exp((u + 48*mV)/(4*mV)) + exp(-(u + 407*mV)/(50*mV)))", "phi_q"),
        ["p", "q"], "g_max*p**2*q*(E_Ca - V)", -100, 500,
        derived={"phi_p": (phi(5.0, 24.0), "1", "T_base_p**((T - 24)/10)"),
                 "phi_q": (phi(3.0, 24.0), "1", "T_base_q**((T - 24)/10)"),
                 "E_Ca": (E_CA, "mV", "the calcium ion's reversal potential (environment)")},
        env=ca_env))
    out.append(Channel(
        "ICaHT_Re1993", "Reuveni et al. 1993 J Neurosci 13:4609; BrainPy ICaHT_Re1993",
        [P("g_max", 1.0, "mS/cm2"), P("V_sh", 0.0, "mV"), P("T", 36.0, "degC"), P("T_base_p", 2.3, "1"),
         P("T_base_q", 2.3, "1")],
        U + markov("p", "0.055/(mV*ms)*3.8*mV/exprel((-27*mV - u)/(3.8*mV))",
                   "0.94/ms*exp((-75*mV - u)/(17*mV))", "phi_p")
        + markov("q", "0.000457/ms*exp((-13*mV - u)/(50*mV))",
                 "0.0065/ms/(exp((-15*mV - u)/(28*mV)) + 1)", "phi_q"),
        ["p", "q"], "g_max*p**2*q*(E_Ca - V)", -90, 1000,
        derived={"phi_p": (phi(2.3, 23.0), "1", "T_base_p**((T - 23)/10)"),
                 "phi_q": (phi(2.3, 23.0), "1", "T_base_q**((T - 23)/10)"),
                 "E_Ca": (E_CA, "mV", "the calcium ion's reversal potential (environment)")},
        env=ca_env))
    out.append(Channel(
        "ICaL_IS2008", "Inoue & Strowbridge 2008; BrainPy ICaL_IS2008",
        [P("g_max", 1.0, "mS/cm2"), P("V_sh", 0.0, "mV"), P("T", 36.0, "degC"), P("T_base_p", 3.55, "1"),
         P("T_base_q", 3.0, "1")],
        U + ss("p", "1/(1 + exp(-(u + 10*mV)/(4*mV)))",
               "0.4*ms + 0.7*ms/(exp(-(u + 5*mV)/(15*mV)) + exp((u + 5*mV)/(15*mV)))", "phi_p")
        + ss("q", "1/(1 + exp((u + 25*mV)/(2*mV)))",
             "300*ms + 100*ms/(exp((u + 40*mV)/(9.5*mV)) + exp(-(u + 40*mV)/(9.5*mV)))", "phi_q"),
        ["p", "q"], "g_max*p**2*q*(E_Ca - V)", -90, 1000,
        derived={"phi_p": (phi(3.55, 24.0), "1", "T_base_p**((T - 24)/10)"),
                 "phi_q": (phi(3.0, 24.0), "1", "T_base_q**((T - 24)/10)"),
                 "E_Ca": (E_CA, "mV", "the calcium ion's reversal potential (environment)")},
        env=ca_env))

    # --- Calcium-gated currents.
    out.append(Channel(
        "ICaN_IS2008", "Destexhe et al. 1994; Inoue & Strowbridge 2008; BrainPy ICaN_IS2008",
        [P("g_max", 1.0, "mS/cm2"), P("E", 10.0, "mV"), P("phi", 1.0, "1")],
        ss("p", "1/(1 + exp(-(V + 43*mV)/(5.2*mV)))",
           "2.7*ms/(exp(-(V + 55*mV)/(15*mV)) + exp((V + 55*mV)/(15*mV))) + 1.6*ms", "phi"),
        ["p"], "g_max*Ca/(Ca + 0.2*mM)*p*(E - V)", -90, 50, calcium=True,
        unit_notes="[Ca]i in mM: M = [Ca]i/([Ca]i + 0.2 mM)"))
    out.append(Channel(
        "IAHP_De1994", "Destexhe et al. 1994 J Neurophysiol 72:803; BrainPy IAHP_De1994",
        [P("g_max", 10.0, "mS/cm2"), P("E", -95.0, "mV"), P("n", 2.0, "1"), P("alpha", 48.0, "1/ms", "1/(ms mM^n)"),
         P("beta", 0.09, "1/ms"), P("phi", 1.0, "1")],
        """
C2 = alpha*(Ca/mM)**n : Hz
C3 = C2 + beta : Hz""" + ss("p", "C2/C3", "1/C3", "phi"),
        ["p"], "g_max*p**2*(E - V)", -90, 100, calcium=True,
        unit_notes="[Ca]i in mM: C2 = alpha*[Ca]i^n with alpha in 1/(ms mM^n)"))
    return out


def check_exprel():
    """The exprel forms above against the published quotients, away from their poles."""
    ex = lambda y: np.expm1(y) / y
    u = np.array([-97.3, -61.1, -23.7, 3.3, 31.9, 58.2])
    pairs = [
        (0.32 * (u - 13) / (1 - np.exp(-(u - 13) / 4)), 0.32 * 4 / ex(-(u - 13) / 4)),
        (-0.28 * (u - 40) / (1 - np.exp((u - 40) / 5)), 0.28 * 5 / ex((u - 40) / 5)),
        (0.32 * (13 - u) / (np.exp((13 - u) / 4) - 1), 0.32 * 4 / ex((13 - u) / 4)),
        (0.28 * (u - 40) / (np.exp((u - 40) / 5) - 1), 0.28 * 5 / ex((u - 40) / 5)),
        (0.1 * (u - 5) / (1 - np.exp(-(u - 5) / 10)), 0.1 * 10 / ex(-(u - 5) / 10)),
        (0.032 * (u - 15) / (1 - np.exp(-(u - 15) / 5)), 0.032 * 5 / ex(-(u - 15) / 5)),
        (0.032 * (15 - u) / (np.exp((15 - u) / 5) - 1), 0.032 * 5 / ex((15 - u) / 5)),
        (0.01 * (u + 10) / (1 - np.exp(-(u + 10) / 10)), 0.01 * 10 / ex(-(u + 10) / 10)),
        (0.055 * (-27 - u) / (np.exp((-27 - u) / 3.8) - 1), 0.055 * 3.8 / ex((-27 - u) / 3.8)),
    ]
    for i, (a, b) in enumerate(pairs):
        if not np.allclose(a, b, rtol=1e-12, atol=0):
            raise SystemExit("exprel form %d differs from the published quotient: %s vs %s" % (i, a, b))


def sample_times(duration):
    h = duration / GRID
    idx = [k * k for k in range(K_MAX + 1)]
    return h, idx, [i * h for i in idx]


def runs_of(ch):
    """The runs of a channel: ([Ca]i hold, [Ca]i test, T)."""
    ca = [(None, None)]
    if ch.calcium:
        lo, hi = CA_LEVELS
        ca = [(lo, lo), (hi, hi), (lo, hi)]
    return [(h, t, T) for T in ch.temps for h, t in ca]


def brian_run(ch, ca_hold, ca_test, method, dt_ms, steps, T=T_DEGC):
    """Runs the channel's equations in Brian2 with `method` at step dt_ms: V_hold and ca_hold
    give the initial states, then V_test and ca_test. Returns the group, the initial states and
    the monitor (every step) of the states and I."""
    net = Network()
    n = len(ch.V_tests)
    G = NeuronGroup(n, ch.equations(), method=method, namespace=ch.namespace(T),
                    name="ch", dt=dt_ms * ms)
    G.V = ch.V_hold * mV
    if ch.calcium:
        G.Ca = ca_hold * mM
    init = {}
    for x in ch.gates:
        init[x] = np.array(getattr(G, x + "_inf")[:], dtype=float)
    for x in ch.gates:
        setattr(G, x, init[x])
    G.V = np.array(ch.V_tests) * mV
    if ch.calcium:
        G.Ca = ca_test * mM
    if not ch.kinetic:
        # The clamp: each gate's x∞ and k at V_test (and the test [Ca]i), evaluated by Brian2.
        for x in ch.gates:
            setattr(G, x + "_inf_V", x + "_inf")
            setattr(G, "rate_" + x + "_V", "rate_" + x)
    M = StateMonitor(G, ch.gates + ["I"], record=True, when="start", dt=dt_ms * ms)
    net.add(G, M)
    net.run((steps + 0.5) * dt_ms * ms, namespace={})
    return G, init, M


def monitor_values(ch, M, stride, idx):
    rows = np.asarray(idx) * stride
    gates = {x: np.asarray(getattr(M, x))[:, rows] for x in ch.gates}
    I = np.asarray(M.I / (uA / cm ** 2))[:, rows]
    return gates, I


def current_at(G, ch, gates_t):
    """The current that Brian2's expression gives for given gate values (one column per sample)."""
    n_s = next(iter(gates_t.values())).shape[1] if gates_t else 1
    out = np.empty((len(ch.V_tests), n_s))
    saved = {x: np.array(getattr(G, x)[:]) for x in ch.gates}
    for j in range(n_s):
        for x in ch.gates:
            setattr(G, x, gates_t[x][:, j])
        out[:, j] = np.asarray(G.I[:] / (uA / cm ** 2))
    for x in ch.gates:
        setattr(G, x, saved[x])
    return out


def worst(ref, other, floor_of=None):
    """Largest |ref - other|, relative to each step's max |ref| when floor_of is given."""
    d = np.abs(np.asarray(ref) - np.asarray(other))
    if floor_of is None:
        return float(d.max()) if d.size else 0.0
    scale = np.maximum(np.abs(np.asarray(ref)).max(axis=1, keepdims=True), 1e-300)
    return float((d / scale).max()) if d.size else 0.0


def ih_de1996_solve(G, init, ch, ca_test, times, method, rtol, atol):
    """Solves Ih_De1996's scheme at V_test with scipy (rates evaluated by Brian2)."""
    ns = ch.namespace()
    k2 = float(ns["k2"] / (1 / ms))
    k4 = float(ns["k4"] / (1 / ms))
    k3 = float(ns["k3"] / (1 / ms))
    a = np.asarray(G.alpha_O[:] / (1 / ms))
    b = np.asarray(G.beta_O[:] / (1 / ms))
    c = np.asarray(G.k1Ca4[:] / (1 / ms))
    out = {x: np.empty((len(ch.V_tests), len(times))) for x in ch.gates}
    for i in range(len(ch.V_tests)):
        ai, bi, ci = a[i], b[i], c[i]

        def f(t, y):
            O, O_L, P1 = y
            return [ai * (1 - O - O_L) - bi * O - k3 * P1 * O + k4 * O_L, k3 * P1 * O - k4 * O_L,
                    ci * (1 - P1) - k2 * P1]

        def jac(t, y):
            O, O_L, P1 = y
            return [[-ai - bi - k3 * P1, -ai + k4, -k3 * O], [k3 * P1, -k4, k3 * O], [0.0, 0.0, -ci - k2]]

        y0 = [init["O"][i], init["O_L"][i], init["P1"][i]]
        kw = {"jac": jac} if method in ("Radau", "BDF", "LSODA") else {}
        sol = scipy.integrate.solve_ivp(f, (0, times[-1]), y0, method=method, t_eval=times, rtol=rtol,
                                        atol=atol, **kw)
        if not sol.success:
            raise SystemExit("Ih_De1996: solve_ivp %s failed: %s" % (method, sol.message))
        for j, x in enumerate(ch.gates):
            out[x][i] = sol.y[j]
    return out, (a, b, c, k2, k3, k4)


def ih_de1996_expm(ch, init, rates, times):
    """Exact solution of Ih_De1996 with P1 constant (fixed [Ca]i at its steady state)."""
    a, b, c, k2, k3, k4 = rates
    out = {x: np.empty((len(ch.V_tests), len(times))) for x in ("O", "O_L", "P1")}
    for i in range(len(ch.V_tests)):
        P1 = init["P1"][i]
        # y = (O, O_L, 1): dy/dt = A y
        A = np.array([[-a[i] - b[i] - k3 * P1, -a[i] + k4, a[i]], [k3 * P1, -k4, 0.0], [0.0, 0.0, 0.0]])
        y0 = np.array([init["O"][i], init["O_L"][i], 1.0])
        for j, t in enumerate(times):
            y = scipy.linalg.expm(A * t) @ y0
            out["O"][i, j], out["O_L"][i, j] = y[0], y[1]
        out["P1"][i, :] = P1
    return out


def reference(ch):
    """The reference data of one channel, with its cross-checks."""
    h, idx, times = sample_times(ch.duration)
    runs = []
    checks = {}

    def note(key, value):
        checks[key] = max(checks.get(key, 0.0), value)

    for ca_hold, ca_test, T in runs_of(ch):
        if not ch.kinetic:
            G, init, M = brian_run(ch, ca_hold, ca_test, "exact", h, GRID, T)
            gates, I = monitor_values(ch, M, 1, idx)
            # Cross-check: closed form from the rates Brian2 evaluates at V_test.
            closed = {}
            t = np.asarray(times)[None, :]
            for x in ch.gates:
                xinf = np.asarray(getattr(G, x + "_inf")[:])[:, None]
                k = np.asarray(getattr(G, "rate_" + x)[:] / (1 / ms))[:, None]
                closed[x] = xinf + (init[x][:, None] - xinf) * np.exp(-k * t)
                note("gate_abs(brian2 exact vs closed form)", worst(gates[x], closed[x]))
            note("current_rel(brian2 exact vs closed form)", worst(I, current_at(G, ch, closed), True))
            # The equation integrated is the published one: dxdt_x (φ (α (1 - x) - β x) or
            # φ (x∞ - x)/τ, evaluated by Brian2) against k (x∞ - x) at every sampled state.
            for x in ch.gates:
                k = np.asarray(getattr(G, "rate_" + x)[:] / (1 / ms))
                xinf = np.asarray(getattr(G, x + "_inf")[:])
                for j in range(len(times)):
                    setattr(G, x, gates[x][:, j])
                    lit = np.asarray(getattr(G, "dxdt_" + x)[:] / (1 / ms))
                    note("deriv_rel(published dx/dt vs k (x_inf - x))",
                         float(np.max(np.abs(lit - k * (xinf - gates[x][:, j])) / k)))
            method = "Brian2 %s `exact` (numpy target) at step h" % brian2.__version__
        else:
            # Reference: Radau; Brian2 gives the rates and the initial (steady) state.
            G, init, M = brian_run(ch, ca_hold, ca_test, "rk4", h / 10, GRID * 10, T)
            radau, rates = ih_de1996_solve(G, init, ch, ca_test, times, "Radau", 1e-13, 1e-16)
            gates = radau
            I = current_at(G, ch, gates)
            coarse, _ = ih_de1996_solve(G, init, ch, ca_test, times, "Radau", 1e-11, 1e-14)
            for x in ch.gates:
                note("gate_abs(Radau rtol 1e-13 vs rtol 1e-11)", worst(radau[x], coarse[x]))
            note("current_rel(Radau rtol 1e-13 vs rtol 1e-11)", worst(I, current_at(G, ch, coarse), True))
            b2g, b2I = monitor_values(ch, M, 10, idx)
            for x in ch.gates:
                note("rk4_gate_abs(Radau vs Brian2 rk4 at h/10)", worst(radau[x], b2g[x]))
            note("rk4_current_rel(Radau vs Brian2 rk4 at h/10)", worst(I, b2I, True))
            # The steady state: the analytic one (BrainPy's reset_state) against the null space
            # of the linear system at V_hold.
            G2, _, _ = brian_run(ch, ca_hold, ca_hold, "rk4", h, 0, T)
            G2.V = ch.V_hold * mV
            a, b = float(G2.alpha_O[0] / (1 / ms)), float(G2.beta_O[0] / (1 / ms))
            k1c = float(G2.k1Ca4[0] / (1 / ms))
            k2, k3, k4 = rates[3], rates[4], rates[5]
            P1 = k1c / (k1c + k2)
            A = np.array([[a + b, a], [-k3 * P1, k4]])
            O, O_L = np.linalg.solve(A, [a, 0.0])
            note("gate_abs(analytic steady state vs linear solve)",
                 max(abs(O - init["O"][0]), abs(O_L - init["O_L"][0]), abs(P1 - init["P1"][0])))
            if ca_hold == ca_test:
                # P1 stays at its steady state, and (O, O_L) is linear with constant
                # coefficients: its exact solution is a matrix exponential.
                ex = ih_de1996_expm(ch, init, rates, times)
                for x in ch.gates:
                    note("gate_abs(Radau vs matrix exponential, fixed [Ca]i)", worst(radau[x], ex[x]))
                note("current_rel(Radau vs matrix exponential, fixed [Ca]i)", worst(I, current_at(G, ch, ex), True))
            method = ("scipy %s solve_ivp Radau (rtol 1e-13, atol 1e-16, analytic Jacobian) with the rates that "
                      "Brian2 %s evaluates" % (scipy.__version__, brian2.__version__))
        steps = []
        for i, V in enumerate(ch.V_tests):
            steps.append({"V_test_mV": V,
                          "I_uA_cm2": [rnd(v) for v in I[i]],
                          "gates": {x: [rnd(v) for v in gates[x][i]] for x in ch.gates}})
        run = {"steps": steps}
        if ch.calcium:
            run = {"Ca_i_hold_mM": ca_hold, "Ca_i_test_mM": ca_test, **run}
        if len(ch.temps) > 1:
            run = {"T_degC": T, **run}
        runs.append(run)

    for key, value in checks.items():
        kind = key.split("(")[0]
        if value > CHECKS[kind]:
            raise SystemExit("%s: cross-check %s = %.3g exceeds %.3g" % (ch.name, key, value, CHECKS[kind]))

    env = {"T_degC": T_DEGC, **ch.env}
    if len(ch.temps) > 1:
        env["T_degC_runs"] = ch.temps
    if ch.calcium:
        env["Ca_i_mM"] = CA_LEVELS
    return {
        "channel": ch.name,
        "source": ch.doc,
        "made_by": {
            "script": "tools/reference/channels.py",
            "command": "/usr/bin/python3 tools/reference/channels.py " + ch.name,
            "method": method,
            "python": platform.python_version(),
            "brian2": brian2.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "significant_digits": SIG,
        },
        "params": {n: {"value": v, "unit": u, **({"doc": d} if d else {})} for n, v, u, d in ch.params},
        "derived": {n: {"value": v(T_DEGC) if callable(v) else v, "unit": u, "from": how}
                    for n, (v, u, how) in ch.derived.items()},
        "units": ch.unit_notes or "V in mV, t in ms, g in mS/cm2, I in uA/cm2 (inward positive), [Ca]i in mM",
        "brian2_equations": ch.equations(),
        "environment": env,
        "protocol": {
            "V_hold_mV": float(ch.V_hold),
            "V_test_mV": ch.V_tests,
            "duration_ms": float(ch.duration),
            "h_ms": h,
            "sample_index": idx,
            "t_ms": [rnd(t) for t in times],
            "initial_state": "steady state at V_hold (and the run's Ca_i_hold_mM)",
        },
        "gates": ch.gates,
        "crosscheck": {k: float("%.3g" % v) for k, v in sorted(checks.items())},
        "runs": runs,
    }


def rnd(v):
    v = float(v)
    if v == 0 or not math.isfinite(v):
        return v
    return float("%.*g" % (SIG, v))


def dump(obj):
    """JSON with every list of numbers on one line."""
    def enc(o, ind):
        pad = " " * ind
        if isinstance(o, dict):
            if not o:
                return "{}"
            items = [pad + " " + json.dumps(k) + ": " + enc(v, ind + 1) for k, v in o.items()]
            return "{\n" + ",\n".join(items) + "\n" + pad + "}"
        if isinstance(o, list) and any(isinstance(v, (dict, list)) for v in o):
            return "[\n" + ",\n".join(pad + " " + enc(v, ind + 1) for v in o) + "\n" + pad + "]"
        return json.dumps(o, separators=(", ", ": "))
    return enc(obj, 0) + "\n"


def main(argv):
    check_exprel()
    chans = channels()
    names = [c.name for c in chans]
    want = argv or names
    for n in want:
        if n not in names:
            raise SystemExit("unknown channel %s (have: %s)" % (n, ", ".join(names)))
    os.makedirs(OUT, exist_ok=True)
    for ch in chans:
        if ch.name not in want:
            continue
        t0 = time.time()
        data = reference(ch)
        with open(os.path.join(OUT, ch.name + ".json"), "w") as f:
            f.write(dump(data))
        print("%-14s %5.1f s  %s" % (ch.name, time.time() - t0,
                                     ", ".join("%s %.2g" % (k, v) for k, v in data["crosscheck"].items())))
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
