#!/usr/bin/env python3
"""Independent Brian2 references for neurogen's stock whole-cell models.

Each model is written here from its published equations (and, for the channel kinetics, from
BrainPy's channel library as /work/shared/reference/brainpy.md describes it), never from
neurogen's YAML specs or its stock channel files, and simulated by Brian2 with its classic
Runge-Kutta integrator (rk4) at dt = 0.005 ms. For every model the script writes
testdata/reference/models/NAME.json: current-clamp spike times of a population of neurons, one
constant input density per neuron switched on at t = 0, in the format of
testdata/reference/hh52/*.json (I_uA_cm2, spikes, t_ms, dt_ms, n, model, label), which
internal/spikecmp reads. For the thalamic relay neuron it also writes
thalamic_relay_rebound.json: the rebound burst after release from a hyperpolarising step.

Spikes are upward crossings of the model's V_th, timed by linear interpolation between the two
samples of V that bracket the crossing (as neurogen's runtime and the HH52 Brian2 references do).
Every neuron starts at V_init with every gate at its steady state for V_init (and calcium at its
initial concentration), as neurogen's Reset does.

Usage (Brian2 2.5.1; run from the repository root):

    /usr/bin/python3 tools/reference/models.py [-o testdata/reference/models] [MODEL ...]

MODEL is any of hh_brainpy, wangbuzsaki, thalamic_relay, traubmiles_pyramidal (default: all).
"""

import argparse
import json
import os
import platform
import sys
import time

import numpy as np
import brian2 as b2
from brian2 import (NeuronGroup, Network, StateMonitor, defaultclock, prefs, ms, mV, uF, cm,
                    msiemens, uA, mM, umetre, kelvin, second, joule, coulomb, mole)

DT_MS = 0.005
METHOD = 'rk4'

# CODATA 2018 (exact in the 2019 SI): R = N_A·k, F = N_A·e. neurogen uses the same values.
GAS_CONSTANT = 8.314462618 * joule / (mole * kelvin)
FARADAY = 96485.33212 * coulomb / mole
ZERO_CELSIUS = 273.15 * kelvin


# ---------------------------------------------------------------------------------------------
# Models. Each returns (equations, namespace, initial values as strings, V_init, V_th).
# Currents are written inward positive, as in BrainPy (g·x·(E − V)); I is the input density.
# ---------------------------------------------------------------------------------------------

def hh_brainpy():
    """BrainPy's built-in HH (brainpy.md: ENa 50, gNa 120, EK −77, gK 36, EL −54.387, gL 0.03,
    C 1, V_th 20; rates on V+40/65/55), i.e. Hodgkin & Huxley (1952) shifted to rest near −65."""
    eqs = '''
    dV/dt = (gNa*m**3*h*(ENa - V) + gK*n**4*(EK - V) + gL*(EL - V) + I) / C : volt
    dm/dt = alpha_m*(1 - m) - beta_m*m : 1
    dh/dt = alpha_h*(1 - h) - beta_h*h : 1
    dn/dt = alpha_n*(1 - n) - beta_n*n : 1
    alpha_m = 0.1/(mV*ms) * 10*mV / exprel(-(V + 40*mV)/(10*mV)) : Hz
    beta_m = 4/ms * exp(-(V + 65*mV)/(18*mV)) : Hz
    alpha_h = 0.07/ms * exp(-(V + 65*mV)/(20*mV)) : Hz
    beta_h = 1/ms / (1 + exp(-(V + 35*mV)/(10*mV))) : Hz
    alpha_n = 0.01/(mV*ms) * 10*mV / exprel(-(V + 55*mV)/(10*mV)) : Hz
    beta_n = 0.125/ms * exp(-(V + 65*mV)/(80*mV)) : Hz
    I : amp/meter**2
    '''
    ns = dict(C=1 * uF / cm**2, ENa=50 * mV, gNa=120 * msiemens / cm**2, EK=-77 * mV,
              gK=36 * msiemens / cm**2, EL=-54.387 * mV, gL=0.03 * msiemens / cm**2)
    init = dict(m='alpha_m/(alpha_m + beta_m)', h='alpha_h/(alpha_h + beta_h)',
                n='alpha_n/(alpha_n + beta_n)')
    return eqs, ns, init, -65.0, 20.0


def wangbuzsaki():
    """Wang & Buzsáki (1996, J Neurosci 16:6402), constants as BrainPy's WangBuzsakiModel:
    ENa 55, gNa 35, EK −90, gK 9, EL −65, gL 0.1, φ 5, C 1, m = m∞(V) instantaneous; V_th 0 mV."""
    eqs = '''
    dV/dt = (gNa*m_inf**3*h*(ENa - V) + gK*n**4*(EK - V) + gL*(EL - V) + I) / C : volt
    dh/dt = phi*(alpha_h*(1 - h) - beta_h*h) : 1
    dn/dt = phi*(alpha_n*(1 - n) - beta_n*n) : 1
    alpha_m = 0.1/(mV*ms) * 10*mV / exprel(-0.1*(V + 35*mV)/mV) : Hz
    beta_m = 4/ms * exp(-(V + 60*mV)/(18*mV)) : Hz
    m_inf = alpha_m/(alpha_m + beta_m) : 1
    alpha_h = 0.07/ms * exp(-(V + 58*mV)/(20*mV)) : Hz
    beta_h = 1/ms / (exp(-0.1*(V + 28*mV)/mV) + 1) : Hz
    alpha_n = 0.01/(mV*ms) * 10*mV / exprel(-0.1*(V + 34*mV)/mV) : Hz
    beta_n = 0.125/ms * exp(-(V + 44*mV)/(80*mV)) : Hz
    I : amp/meter**2
    '''
    ns = dict(C=1 * uF / cm**2, ENa=55 * mV, gNa=35 * msiemens / cm**2, EK=-90 * mV,
              gK=9 * msiemens / cm**2, EL=-65 * mV, gL=0.1 * msiemens / cm**2, phi=5.0)
    init = dict(h='alpha_h/(alpha_h + beta_h)', n='alpha_n/(alpha_n + beta_n)')
    # V_th 0 mV, not BrainPy's 20 mV: from 0.2 to 10 uA/cm2 the lowest spike peaks of this model
    # are 23 to 32 mV, so a 20 mV threshold sits a few mV below them.
    return eqs, ns, init, -65.0, 0.0


def thalamic_relay():
    """Thalamocortical relay (RTC) cell of Li, Henriquez & Fröhlich (2017, PLoS Comput Biol
    13:e1005797) as BrainPy's example builds it, spindle state (g_KL 0.01), with INa, IK, IT,
    Ih, IL, IKL and detailed calcium (Destexhe et al. 1993 shell); no ICaL, ICaHT, IAHP, ICaN.

    Kinetics (brainpy.md; u = V − V_sh):
      INa (Bazhenov et al. 2002), V_sh −40: p³q, α_p = 0.32(u−13)/(1−e^{−(u−13)/4}),
          β_p = −0.28(u−40)/(1−e^{(u−40)/5}), α_q = 0.128e^{−(u−17)/18}, β_q = 4/(1+e^{−(u−40)/5}).
      IK (Bazhenov et al. 2002 / Traub & Miles), V_sh −40, φ 0.25: p⁴,
          α = 0.032(u−15)/(1−e^{−(u−15)/5}), β = 0.5e^{−(u−10)/40}.
      IT (Huguenard & McCormick 1992), V_sh −3: p²q, steady state/time constant,
          φ_p = 3.55^{(T−24)/10}, φ_q = 3^{(T−24)/10}.
      Ih (Huguenard & McCormick 1992), E −43 mV.
      [Ca]i: d[Ca]/dt = max(I_T/(2Fd), 0) + (C_rest − [Ca])/τ (I_T inward positive: an
          inward calcium current raises [Ca]i), E_Ca = RT/(2F)·ln(C_o/[Ca]i), T = 36 °C.
    """
    eqs = '''
    dV/dt = (I_Na + I_K + I_T + I_h + I_L + I_KL + I) / C : volt
    I_Na = gNa*mNa**3*hNa*(ENa - V) : amp/meter**2
    I_K = gK*nK**4*(EK - V) : amp/meter**2
    I_T = gT*pT**2*qT*(E_Ca - V) : amp/meter**2
    I_h = gh*rh*(Eh - V) : amp/meter**2
    I_L = gL*(EL - V) : amp/meter**2
    I_KL = gKL*(EKL - V) : amp/meter**2
    E_Ca = R*T/(2*F) * log(Ca_o/Ca_i) : volt

    uNa = V - VshNa : volt
    dmNa/dt = alpha_m*(1 - mNa) - beta_m*mNa : 1
    dhNa/dt = alpha_h*(1 - hNa) - beta_h*hNa : 1
    alpha_m = 0.32/(mV*ms) * 4*mV / exprel(-(uNa - 13*mV)/(4*mV)) : Hz
    beta_m = 0.28/(mV*ms) * 5*mV / exprel((uNa - 40*mV)/(5*mV)) : Hz
    alpha_h = 0.128/ms * exp(-(uNa - 17*mV)/(18*mV)) : Hz
    beta_h = 4/ms / (1 + exp(-(uNa - 40*mV)/(5*mV))) : Hz

    uK = V - VshK : volt
    dnK/dt = phiK*(alpha_n*(1 - nK) - beta_n*nK) : 1
    alpha_n = 0.032/(mV*ms) * 5*mV / exprel(-(uK - 15*mV)/(5*mV)) : Hz
    beta_n = 0.5/ms * exp(-(uK - 10*mV)/(40*mV)) : Hz

    uT = V - VshT : volt
    dpT/dt = phi_p*(p_inf - pT)/tau_p : 1
    dqT/dt = phi_q*(q_inf - qT)/tau_q : 1
    p_inf = 1/(1 + exp(-(uT + 59*mV)/(6.2*mV))) : 1
    tau_p = 1*ms/(exp(-(uT + 132*mV)/(16.7*mV)) + exp((uT + 16.8*mV)/(18.2*mV))) + 0.612*ms : second
    q_inf = 1/(1 + exp((uT + 83*mV)/(4*mV))) : 1
    tau_q = int(uT >= -80*mV)*(exp(-(uT + 22*mV)/(10.5*mV)) + 28)*ms + int(uT < -80*mV)*exp((uT + 467*mV)/(66.6*mV))*ms : second

    drh/dt = (r_inf - rh)/tau_r : 1
    r_inf = 1/(1 + exp((V + 75*mV)/(5.5*mV))) : 1
    tau_r = 1*ms/(exp(-0.086*V/mV - 14.59) + exp(0.0701*V/mV - 1.87)) : second

    dCa_i/dt = clip(I_T/(2*F*d), 0*mM/ms, inf*mM/ms) + (C_rest - Ca_i)/tau_Ca : mM
    I : amp/meter**2
    '''
    T = 36.0
    ns = dict(C=1 * uF / cm**2,
              gNa=90 * msiemens / cm**2, ENa=50 * mV, VshNa=-40 * mV,
              gK=10 * msiemens / cm**2, EK=-90 * mV, VshK=-40 * mV, phiK=0.25,
              gT=2.1 * msiemens / cm**2, VshT=-3 * mV,
              phi_p=3.55 ** ((T - 24) / 10), phi_q=3.0 ** ((T - 24) / 10),
              gh=0.01 * msiemens / cm**2, Eh=-43 * mV,
              gL=0.01 * msiemens / cm**2, EL=-70 * mV,
              gKL=0.01 * msiemens / cm**2, EKL=-90 * mV,
              R=GAS_CONSTANT, F=FARADAY, T=ZERO_CELSIUS + T * kelvin, Ca_o=2 * mM,
              d=0.5 * umetre, tau_Ca=10 * ms, C_rest=5e-5 * mM)
    init = dict(mNa='alpha_m/(alpha_m + beta_m)', hNa='alpha_h/(alpha_h + beta_h)',
                nK='alpha_n/(alpha_n + beta_n)', pT='p_inf', qT='q_inf', rh='r_inf',
                Ca_i='5e-5*mM')
    return eqs, ns, init, -64.5, 0.0


def traubmiles_pyramidal():
    """Regular-spiking pyramidal cell of Pospischil et al. (2008, Biol Cybern 99:427), fitted RS
    cell: Traub & Miles (1991) INa and IKd shifted by V_T = −56.2 mV, M current (Yamada et al.
    1989) with τ_max 608 ms; gNa 56, gKd 6, gM 0.075, gL 0.0205 mS/cm², EL −70.3, ENa 50,
    EK −90 mV, C 1 µF/cm²."""
    eqs = '''
    dV/dt = (gNa*m**3*h*(ENa - V) + gKd*n**4*(EK - V) + gM*p*(EK - V) + gL*(EL - V) + I) / C : volt
    u = V - VT : volt
    dm/dt = alpha_m*(1 - m) - beta_m*m : 1
    dh/dt = alpha_h*(1 - h) - beta_h*h : 1
    dn/dt = alpha_n*(1 - n) - beta_n*n : 1
    dp/dt = (p_inf - p)/tau_p : 1
    alpha_m = 0.32/(mV*ms) * 4*mV / exprel((13*mV - u)/(4*mV)) : Hz
    beta_m = 0.28/(mV*ms) * 5*mV / exprel((u - 40*mV)/(5*mV)) : Hz
    alpha_h = 0.128/ms * exp((17*mV - u)/(18*mV)) : Hz
    beta_h = 4/ms / (1 + exp((40*mV - u)/(5*mV))) : Hz
    alpha_n = 0.032/(mV*ms) * 5*mV / exprel((15*mV - u)/(5*mV)) : Hz
    beta_n = 0.5/ms * exp((10*mV - u)/(40*mV)) : Hz
    p_inf = 1/(1 + exp(-(V + 35*mV)/(10*mV))) : 1
    tau_p = tau_max/(3.3*exp((V + 35*mV)/(20*mV)) + exp(-(V + 35*mV)/(20*mV))) : second
    gM : siemens/meter**2
    I : amp/meter**2
    '''
    ns = dict(C=1 * uF / cm**2, ENa=50 * mV, EK=-90 * mV, VT=-56.2 * mV,
              gNa=56 * msiemens / cm**2, gKd=6 * msiemens / cm**2,
              gL=0.0205 * msiemens / cm**2, EL=-70.3 * mV, tau_max=608 * ms)
    init = dict(m='alpha_m/(alpha_m + beta_m)', h='alpha_h/(alpha_h + beta_h)',
                n='alpha_n/(alpha_n + beta_n)', p='p_inf', gM='0.075*msiemens/cm**2')
    return eqs, ns, init, -71.9, 0.0


# Each model: its builder, its spec's model name, and the current-clamp inputs (uA/cm2), chosen
# to span silence to fast firing.
MODELS = {
    'hh_brainpy': (hh_brainpy, 'HHBrainPy', [0, 2, 4, 4.5, 6, 10, 15, 20]),
    'wangbuzsaki': (wangbuzsaki, 'WangBuzsaki', [0, 0.1, 0.2, 0.5, 1, 2, 5, 10]),
    'thalamic_relay': (thalamic_relay, 'ThalamicRelay', [0, 0.5, 1, 2, 4, 8]),
    'traubmiles_pyramidal': (traubmiles_pyramidal, 'TraubMilesPyramidal', [0, 0.3, 0.5, 0.75, 1, 2, 4, 8]),
}

CC_T_MS = 1000.0

# The relay neuron's rebound protocol: rest, a hyperpolarising step, release.
REBOUND = dict(rest_ms=100.0, hold_ms=500.0, after_ms=400.0, I_hold_uA_cm2=-0.405)


def build(model, n):
    eqs, ns, init, V0, Vth = MODELS[model][0]()
    G = NeuronGroup(n, eqs, method=METHOD, namespace=ns, name='cell')
    G.V = V0 * mV
    for var, expr in init.items():
        setattr(G, var, expr)
    return G, V0, Vth


def crossings(t, v, vth):
    """Upward crossings of vth in a sampled trace, linearly interpolated."""
    i = np.nonzero((v[:-1] < vth) & (v[1:] >= vth))[0]
    return t[i] + (vth - v[i]) * (t[i + 1] - t[i]) / (v[i + 1] - v[i])


def simulate(model, segments, n_neurons):
    """Runs n neurons through segments [(duration_ms, I per neuron in uA/cm2)], returns the
    sample times (ms, as step index · dt), the V traces (mV, one row per neuron), V_th."""
    b2.start_scope()
    defaultclock.dt = DT_MS * ms
    G, V0, Vth = build(model, n_neurons)
    mon = StateMonitor(G, 'V', record=True, dt=DT_MS * ms)
    net = Network(G, mon)
    for dur, I in segments:
        G.I = np.asarray(I) * uA / cm**2
        net.run(dur * ms)
    steps = int(round(sum(d for d, _ in segments) / DT_MS))
    v = np.asarray(mon.V / mV)
    # The monitor records V at the start of each step; append the final state.
    v = np.concatenate([v, np.asarray(G.V / mV)[:, None]], axis=1)
    if v.shape[1] != steps + 1:
        raise RuntimeError(f'{model}: {v.shape[1]} samples for {steps} steps')
    t = np.arange(steps + 1) * DT_MS
    return t, v, Vth


def header(model, label, **extra):
    d = dict(simulator='brian2', version=b2.__version__, python=platform.python_version(),
             numpy=np.__version__, model=MODELS[model][1], label=label, method=METHOD,
             target=prefs.codegen.target, dt_ms=DT_MS,
             spike_detection='v_trace_linear_interp',
             constants=dict(R=float(GAS_CONSTANT), F=float(FARADAY), zero_celsius_K=273.15),
             script='tools/reference/models.py')
    d.update(extra)
    return d


def current_clamp(model):
    I = [float(x) for x in MODELS[model][2]]
    t0 = time.time()
    t, v, vth = simulate(model, [(CC_T_MS, I)], len(I))
    spikes = [crossings(t, v[i], vth).tolist() for i in range(len(I))]
    d = header(model, f'brian2 {prefs.codegen.target} {METHOD} dt {DT_MS} ms', n=len(I),
               t_ms=CC_T_MS, V_th_mV=vth, V_init_mV=float(v[0, 0]), index=list(range(len(I))),
               I_uA_cm2=I, spikes=spikes, spike_counts=[len(s) for s in spikes],
               wall_s=time.time() - t0)
    return d


def rebound():
    model = 'thalamic_relay'
    p = REBOUND
    t_release = p['rest_ms'] + p['hold_ms']
    segs = [(p['rest_ms'], [0.0]), (p['hold_ms'], [p['I_hold_uA_cm2']]), (p['after_ms'], [0.0])]
    t0 = time.time()
    t, v, vth = simulate(model, segs, 1)
    v = v[0]
    sp = crossings(t, v, vth)
    after = sp[sp >= t_release]
    ir = int(round(t_release / DT_MS))
    ih0 = int(round(p['rest_ms'] / DT_MS))
    hold = v[ih0:ir + 1]
    d = header(model, f'brian2 {prefs.codegen.target} {METHOD} dt {DT_MS} ms, rebound burst',
               protocol=dict(p, t_release_ms=t_release,
                             doc='I = 0 for rest_ms, I_hold for hold_ms, then I = 0 for after_ms; '
                                 'one neuron from V_init with gates at steady state'),
               V_th_mV=vth, t_ms=float(t[-1]),
               V_rest_mV=float(v[ih0]), V_release_mV=float(v[ir]),
               V_min_hold_mV=float(hold.min()), V_max_after_release_mV=float(v[ir:].max()),
               spikes_before_release=(sp[sp < t_release]).tolist(),
               spikes_after_release=after.tolist(),
               burst_spike_count=int(len(after)),
               first_spike_latency_ms=float(after[0] - t_release) if len(after) else None,
               wall_s=time.time() - t0)
    return d


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('-o', default='testdata/reference/models', help='output directory')
    ap.add_argument('models', nargs='*', default=list(MODELS), help='models to run')
    args = ap.parse_args()
    try:
        import Cython  # noqa: F401
        prefs.codegen.target = 'cython'
    except ImportError:
        prefs.codegen.target = 'numpy'
    os.makedirs(args.o, exist_ok=True)
    for model in args.models:
        if model not in MODELS:
            sys.exit(f'unknown model {model}; known: {", ".join(MODELS)}')
        runs = [(model, current_clamp(model))]
        if model == 'thalamic_relay':
            runs.append(('thalamic_relay_rebound', rebound()))
        for name, d in runs:
            path = os.path.join(args.o, name + '.json')
            with open(path, 'w') as f:
                json.dump(d, f, indent=1)
                f.write('\n')
            if 'spikes' in d:
                print(f'{name}: {d["spike_counts"]} spikes for I = {d["I_uA_cm2"]} uA/cm2 '
                      f'({d["wall_s"]:.1f} s) -> {path}')
            else:
                print(f'{name}: V_release {d["V_release_mV"]:.3f} mV, burst of {d["burst_spike_count"]} '
                      f'spikes, first after {d["first_spike_latency_ms"]} ms: {d["spikes_after_release"]} '
                      f'({d["wall_s"]:.1f} s) -> {path}')


if __name__ == '__main__':
    main()
