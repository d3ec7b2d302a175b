#!/usr/bin/python3
"""Receptor clamp reference: NMDA and the kinetic AMPA, GABA_A and GABA_B receptors in Brian2.

One postsynaptic neuron per clamp voltage (V in -80, -60, -40, -20, 0, 20 mV, held: v is a
constant of the group), two presynaptic spike generators with weights w1 = 1 and w2 = 2.5 (nS
for NMDA, AMPA and GABA_A; see the README for GABA_B) and no delay:

  source 1 spikes at 5, 5.5, 20, 100, 101.5 ms    (5.5 ms falls inside the 1 ms pulse of 5 ms)
  source 2 spikes at 20, 40, 300 ms

500 ms at dt = 0.1 ms, Brian2's default schedule, the numpy target. Every state and current
is recorded at the start of every step (row k: the state at t_k = k*dt, before step k).

  NMDA     as library/receptors/NMDA.yaml defines it, written here from its formulas: per
           neuron A and B (dA/dt = -A/tau_rise, dB/dt = -B/tau_decay, an event adds w to
           both), g = f*(B - A) with f = 1/((1 - r)*r**(r/(1 - r))), r = tau_rise/tau_decay,
           I = g*(E - v)/(1 + Mg/3.57 mM*exp(-0.062*v/mV)); method `exact`.
  AMPA,    per synapse (Brian2 Synapses, clock-driven): dr/dt = alpha*T*(1 - r) - beta*r,
  GABA_A   T = Cmax during the transmitter pulse, else 0; method `exact`; g = w1*r1 + w2*r2
           (nS), I = g*(E - v).
  GABA_B   per synapse dR/dt = K1*T*(1 - R) - K2*R, dG/dt = K3*R - K4*G; method `exact` (the
           coupled linear system solved exactly over a step with T held) and, in a second
           run, `exponential_euler` (each variable exact with the other held at the step's
           start: neurogen's exp_auto). Per neuron the weighted sums R = w1*R1 + w2*R2 and
           G = w1*G1 + w2*G2 (the weights as numbers), g = gmax*G**n/(G**n + KD) (gmax 1 nS),
           I = g*(E - v): Destexhe's gabab.mod with NET_RECEIVE sums the weighted R of its
           synapses and drives one G with it, which is the same G by linearity.

The transmitter pulse (see the README): a spike of step s (t_s = s*dt) is delivered in the
synapse slot of step s, after the state update, so T = Cmax for the D = Cdur/dt steps s+1 ...
s+D (from t_(s+1) to t_(s+1) + Cdur), a spike within a pulse restarting it. The script keeps
the step of each synapse's latest spike (`last`, set on_pre) and sets T at the start of every
step from it, before the state update, so that T is a constant of the step for `exact`.

Writes an NPZ (np.savez_compressed; float64 unless said):
  dt_ms[1], steps[1] (int64), V_mV[6], w[2], spike_source, spike_step (int64, the generator's
  spikes as a SpikeMonitor recorded them, step = round(t/dt)),
  nmda_g_nS[steps], nmda_block[6], nmda_I_nA[steps, 6] (Brian2's subexpressions),
  ampa_g_nS, gabaa_g_nS [steps] (w1*r1 + w2*r2),
  gabab_R, gabab_G [steps] (exact), gabab_ee_R, gabab_ee_G [steps] (exponential Euler): the
  weighted sums.
Only Brian2's states and subexpressions are stored, the kinetic receptors' currents and GABA_B's
g are the formulas above of these.
The states do not depend on v: the script checks that every neuron's (every synapse's of one
source) are the same, bit for bit, and stores them once. Currents are inward positive.

Usage: brian2_clamp.py --out brian2_clamp.npz
"""
import argparse
import sys
import warnings

DT_MS = 0.1
T_MS = 500.0
STEPS = int(round(T_MS / DT_MS))
V_MV = [-80.0, -60.0, -40.0, -20.0, 0.0, 20.0]
W = [1.0, 2.5]
SPIKES = [[5.0, 5.5, 20.0, 100.0, 101.5], [20.0, 40.0, 300.0]]  # ms, per source

# Parameters (the brief's and the cited papers', not neurogen's files).
NMDA = dict(tau_rise=2.0, tau_decay=100.0, E=0.0, Mg=1.0)              # ms, ms, mV, mM
AMPA = dict(alpha=1.1, beta=0.19, Cmax=1.0, Cdur=1.0, E=0.0)             # /ms/mM, /ms, mM, ms, mV
GABAA = dict(alpha=5.0, beta=0.18, Cmax=1.0, Cdur=1.0, E=-80.0)
GABAB = dict(K1=0.09, K2=0.0012, K3=0.18, K4=0.034, KD=100.0, n=4, Cmax=0.5, Cdur=0.3, E=-95.0,
             gmax=1.0)                                                    # gmax in nS


def fail(msg, code=1):
    print("brian2_clamp:", msg, file=sys.stderr)
    sys.exit(code)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", required=True, help="NPZ file to write")
    args = ap.parse_args()

    warnings.filterwarnings("ignore", category=FutureWarning)
    try:
        import numpy as np
        import brian2 as b2
        from brian2 import (ms, mV, nS, mM, NeuronGroup, Synapses, SpikeGeneratorGroup,
                            StateMonitor, SpikeMonitor, Network, prefs, defaultclock)
    except ImportError as e:
        fail(f"Brian2 is not available to {sys.executable} ({e}); apt-get install python3-brian", 3)
    b2.BrianLogger.log_level_error()
    prefs.logging.file_log = False
    prefs.logging.delete_log_on_exit = True
    prefs.codegen.target = "numpy"
    defaultclock.dt = DT_MS * ms

    nv = len(V_MV)
    src_i = [i for i, ts in enumerate(SPIKES) for _ in ts]
    src_t = [t for ts in SPIKES for t in ts]
    src = SpikeGeneratorGroup(2, src_i, src_t * ms)
    smon = SpikeMonitor(src)

    # NMDA: per neuron, linear.
    p = NMDA
    r = p["tau_rise"] / p["tau_decay"]
    f = 1.0 / ((1.0 - r) * r ** (r / (1.0 - r)))
    post = NeuronGroup(nv, """
        v : volt (constant)
        dA/dt = -A/tau_rise : siemens
        dB/dt = -B/tau_decay : siemens
        g_nmda = f*(B - A) : siemens
        block = 1/(1 + Mg/(3.57*mM)*exp(-0.062*v/mV)) : 1
        I_nmda = g_nmda*(E_nmda - v)*block : amp
        """, method="exact",
        namespace=dict(tau_rise=p["tau_rise"] * ms, tau_decay=p["tau_decay"] * ms, f=f,
                       Mg=p["Mg"] * mM, E_nmda=p["E"] * mV))
    post.v = np.array(V_MV) * mV
    syn_nmda = Synapses(src, post, "w : siemens", on_pre="A_post += w\nB_post += w")
    syn_nmda.connect()  # every source onto every neuron: synapse index = source*nv + neuron
    syn_nmda.w = np.repeat(W, nv) * nS

    def kinetic(name, eqs, params, method):
        D = int(round(params["Cdur"] / DT_MS))
        if abs(D * DT_MS - params["Cdur"]) > 1e-12:
            fail(f"{name}: Cdur is not a whole number of steps")
        ns = {k: v for k, v in params.items()}
        ns.update(per_ms=1 / ms, D=D, Cmax_mM=params["Cmax"])
        S = Synapses(src, post, eqs + """
            T : 1        # transmitter, mM
            last : 1     # the step of the synapse's latest spike (a whole number)
            """, on_pre="last = t_in_timesteps", method=method, namespace=ns, name=name)
        S.connect()
        S.last = -1e9
        # At the start of step k, before the state update: T = Cmax for k in last+1 ... last+D.
        S.run_regularly("T = Cmax_mM*int(t_in_timesteps >= last + 1 and t_in_timesteps <= last + D)",
                        when="start")
        return S

    rate_eqs = "dr/dt = (alpha*T*(1 - r) - beta*r)*per_ms : 1 (clock-driven)\n"
    gabab_eqs = """
        dR/dt = (K1*T*(1 - R) - K2*R)*per_ms : 1 (clock-driven)
        dG/dt = (K3*R - K4*G)*per_ms : 1 (clock-driven)
        """
    ampa = kinetic("ampa", rate_eqs, AMPA, "exact")
    gabaa = kinetic("gabaa", rate_eqs, GABAA, "exact")
    gabab = kinetic("gabab", gabab_eqs, GABAB, "exact")
    gabab_ee = kinetic("gabab_ee", gabab_eqs, GABAB, "exponential_euler")

    mon_post = StateMonitor(post, ["A", "B", "g_nmda", "I_nmda", "block"], record=True)
    mons = {S.name: StateMonitor(S, ["r"] if S in (ampa, gabaa) else ["R", "G"], record=True)
            for S in (ampa, gabaa, gabab, gabab_ee)}
    net = Network(src, smon, post, syn_nmda, ampa, gabaa, gabab, gabab_ee, mon_post, *mons.values())
    net.run(T_MS * ms)

    out = {}
    t = np.asarray(mon_post.t / ms)
    if len(t) != STEPS or np.max(np.abs(t - np.arange(STEPS) * DT_MS)) > 1e-9:
        fail("the monitors did not record once per step from t = 0")
    out["dt_ms"] = np.array([DT_MS])
    out["steps"] = np.array([STEPS], dtype=np.int64)
    out["V_mV"] = np.array(V_MV)
    out["w"] = np.array(W)
    out["spike_source"] = np.asarray(smon.i[:], dtype=np.int64)
    out["spike_step"] = np.rint(np.asarray(smon.t / ms) / DT_MS).astype(np.int64)
    want = sorted((round(tt / DT_MS), i) for i, ts in enumerate(SPIKES) for tt in ts)
    got = sorted(zip(out["spike_step"].tolist(), out["spike_source"].tolist()))
    if got != want:
        fail(f"the generator's spikes are {got}, not {want}")

    def same_columns(name, x):
        """x [neurons or synapses, steps]: every row must be the first."""
        if not np.all(x == x[:1]):
            fail(f"{name} differs between neurons (it should not depend on v)")
        return x[0]

    same_columns("A", np.asarray(mon_post.A / nS))
    same_columns("B", np.asarray(mon_post.B / nS))
    out["nmda_g_nS"] = same_columns("g_nmda", np.asarray(mon_post.g_nmda / nS))
    out["nmda_block"] = np.asarray(mon_post.block / 1)[:, 0]
    out["nmda_I_nA"] = np.asarray(mon_post.I_nmda / b2.nA).T

    def per_source(name, x):
        """x [synapses, steps], synapse index source*nv + neuron: [steps, 2]."""
        return np.stack([same_columns(name, x[s * nv:(s + 1) * nv]) for s in range(2)], axis=1)

    for key, S in (("ampa", ampa), ("gabaa", gabaa)):
        rr = per_source(key + ".r", np.asarray(mons[S.name].r))
        out[key + "_g_nS"] = W[0] * rr[:, 0] + W[1] * rr[:, 1]
    for key, S in (("gabab", gabab), ("gabab_ee", gabab_ee)):
        R = per_source(key + ".R", np.asarray(mons[S.name].R))
        G = per_source(key + ".G", np.asarray(mons[S.name].G))
        out[key + "_R"] = W[0] * R[:, 0] + W[1] * R[:, 1]
        out[key + "_G"] = W[0] * G[:, 0] + W[1] * G[:, 1]
    for k, v in out.items():
        if not np.all(np.isfinite(v)):
            fail(f"{k} is not finite")
    np.savez_compressed(args.out, **out)


if __name__ == "__main__":
    main()
