#!/usr/bin/python3
"""COBAHH reference: Brian2's example of Brette et al. (2007), benchmark 3, on a given input.

Reads an NPZ written by `go run ./internal/cobahhref/mkinput` (pre, post: connections, global
indices, the first 80 % of the neurons excitatory; v in mV, ge and gi in nS: initial values; N,
seed), builds exactly Brian2's COBAHH example on it (exponential_euler, dt 0.1 ms, threshold
v > -20 mV, refractory 3 ms, ge += 6 nS / gi += 67 nS on_pre, m, n, h starting at 0), runs it for
1 s in C++ standalone mode and writes a JSON file with:

  input_sha256     the SHA-256 of the NPZ read (Go tests regenerate the NPZ and compare)
  first_spikes     every spike of the first 20 ms, [neuron, step], sorted by step then neuron;
                   step k is the step that advances t_k = k*dt to t_k + dt (Brian2 stamps the
                   spike with t_k)
  n_spikes, mean_rate_hz, mean_cv, bin_counts (population spike count per 10 ms bin)
  sample           the same statistics over a sample of neurons (every 40th) with all their
                   spikes, so that a Go reimplementation of the statistics can be checked
  run_s            wall time of the network run alone (provisional: a shared machine)

Statistics (stats() below; internal/cobahhref.Compute is the same in Go): the mean rate is the
spike count divided by N and by 1 s; the CV of a neuron is the population standard deviation of
its interspike intervals over their mean, for neurons with at least 2 intervals (3 spikes), and
mean_cv is its mean over those neurons; bin b counts the spikes with step in [100 b, 100 b + 100).

Usage: brian2_cobahh.py --input in.npz --out brian2_seed1.json [--threads 1] [--build-dir DIR]
       [--perturb-mv 1e-3 --no-sample]
"""
import argparse
import hashlib
import json
import os
import shutil
import sys
import tempfile
import time
import warnings

T_MS = 1000.0
DT_MS = 0.1
STEPS = int(round(T_MS / DT_MS))
FIRST_STEPS = 200          # the first 20 ms
BIN_STEPS = 100            # 10 ms bins
SAMPLE_EVERY = 40          # neurons 0, 40, 80, ...
MIN_ISIS = 2


def fail(msg, code=1):
    print("brian2_cobahh:", msg, file=sys.stderr)
    sys.exit(code)


def stats(steps_per_neuron, n, steps, bin_steps):
    """Mean rate (Hz), mean CV of ISIs, spike count per bin; steps_per_neuron: sorted steps."""
    import numpy as np
    total = sum(len(s) for s in steps_per_neuron)
    rate = total / (n * steps * DT_MS * 1e-3)
    cvs = []
    for s in steps_per_neuron:
        if len(s) >= MIN_ISIS + 1:
            isi = np.diff(np.asarray(s, dtype=np.int64)).astype(np.float64)
            cvs.append(float(np.std(isi) / np.mean(isi)))
    bins = [0] * (steps // bin_steps)
    for s in steps_per_neuron:
        for k in s:
            bins[k // bin_steps] += 1
    return dict(n_spikes=int(total), mean_rate_hz=float(rate),
                mean_cv=float(np.mean(cvs)) if cvs else None, n_cv=len(cvs), bin_counts=bins)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--input", required=True, help="NPZ written by internal/cobahhref/mkinput")
    ap.add_argument("--out", required=True, help="JSON file to write")
    ap.add_argument("--threads", type=int, default=1, help="OpenMP threads (1: Brian2's build without OpenMP)")
    ap.add_argument("--build-dir", default="", help="standalone project directory (default: a temporary one)")
    ap.add_argument("--perturb-mv", type=float, default=0.0,
                    help="add this to every initial v (mV): to see how far a rounding-sized change moves "
                         "the spikes and statistics of the network (the reference's *_perturbed files)")
    ap.add_argument("--no-sample", action="store_true", help="leave the sample out of the JSON")
    args = ap.parse_args()

    warnings.filterwarnings("ignore", category=FutureWarning)
    try:
        import numpy as np
        import brian2 as b2
        from brian2 import (ms, mV, nS, umetre, cm, ufarad, siemens, msiemens, Equations, NeuronGroup,
                            Synapses, SpikeMonitor, Network, device, prefs, set_device, defaultclock)
    except ImportError as e:
        fail(f"Brian2 is not available to {sys.executable} ({e}); apt-get install python3-brian", 3)
    if shutil.which("g++") is None and shutil.which("c++") is None:
        fail("no C++ compiler (g++) on PATH: Brian2's C++ standalone mode needs one", 3)
    b2.BrianLogger.log_level_error()
    prefs.logging.file_log = False
    prefs.logging.delete_log_on_exit = True

    with open(args.input, "rb") as f:
        raw = f.read()
    sha = hashlib.sha256(raw).hexdigest()
    d = np.load(args.input)
    n, seed = int(d["N"]), int(d["seed"])
    pre, post = d["pre"].astype(np.int64), d["post"].astype(np.int64)
    n_exc = int(0.8 * n)

    build_dir = args.build_dir or tempfile.mkdtemp(prefix="cobahh_brian2_")
    build_dir = os.path.abspath(build_dir)
    if os.path.isdir(build_dir):
        shutil.rmtree(build_dir)
    set_device("cpp_standalone", build_on_run=False, directory=build_dir)
    prefs.devices.cpp_standalone.openmp_threads = args.threads if args.threads > 1 else 0
    prefs.codegen.cpp.headers += ["<chrono>", "<fstream>"]
    defaultclock.dt = DT_MS * ms

    # Brian2's examples/COBAHH.py (2.5.1), with the network's input read from the NPZ.
    area = 20000 * umetre ** 2
    Cm = (1 * ufarad * cm ** -2) * area
    gl = (5e-5 * siemens * cm ** -2) * area
    El = -60 * mV
    EK = -90 * mV
    ENa = 50 * mV
    g_na = (100 * msiemens * cm ** -2) * area
    g_kd = (30 * msiemens * cm ** -2) * area
    VT = -63 * mV
    taue = 5 * ms
    taui = 10 * ms
    Ee = 0 * mV
    Ei = -80 * mV
    we = 6 * nS
    wi = 67 * nS
    eqs = Equations('''
    dv/dt = (gl*(El-v)+ge*(Ee-v)+gi*(Ei-v)-
             g_na*(m*m*m)*h*(v-ENa)-
             g_kd*(n*n*n*n)*(v-EK))/Cm : volt
    dm/dt = alpha_m*(1-m)-beta_m*m : 1
    dn/dt = alpha_n*(1-n)-beta_n*n : 1
    dh/dt = alpha_h*(1-h)-beta_h*h : 1
    dge/dt = -ge*(1./taue) : siemens
    dgi/dt = -gi*(1./taui) : siemens
    alpha_m = 0.32*(mV**-1)*4*mV/exprel((13*mV-v+VT)/(4*mV))/ms : Hz
    beta_m = 0.28*(mV**-1)*5*mV/exprel((v-VT-40*mV)/(5*mV))/ms : Hz
    alpha_h = 0.128*exp((17*mV-v+VT)/(18*mV))/ms : Hz
    beta_h = 4./(1+exp((40*mV-v+VT)/(5*mV)))/ms : Hz
    alpha_n = 0.032*(mV**-1)*5*mV/exprel((15*mV-v+VT)/(5*mV))/ms : Hz
    beta_n = .5*exp((10*mV-v+VT)/(40*mV))/ms : Hz
    ''')
    t0 = time.perf_counter()
    P = NeuronGroup(n, model=eqs, threshold='v>-20*mV', refractory=3 * ms, method='exponential_euler')
    exc = pre < n_exc
    Ce = Synapses(P, P, on_pre='ge+=we')
    Ci = Synapses(P, P, on_pre='gi+=wi')
    Ce.connect(i=pre[exc], j=post[exc])
    Ci.connect(i=pre[~exc], j=post[~exc])
    P.v = (d["v"] + args.perturb_mv) * mV
    P.ge = d["ge"] * nS
    P.gi = d["gi"] * nS
    mon = SpikeMonitor(P)
    net = Network(P, Ce, Ci, mon)
    device.insert_code("main", "auto bench_t0 = std::chrono::steady_clock::now();")
    net.run(T_MS * ms)
    device.insert_code("main", (
        "{ std::chrono::duration<double> d = std::chrono::steady_clock::now() - bench_t0; "
        "std::ofstream f(\"results/bench_run.txt\"); f.precision(17); f << d.count() << std::endl; }"))
    t1 = time.perf_counter()
    try:
        device.build(directory=build_dir, compile=True, run=True, with_output=False)
    except (RuntimeError, OSError) as e:
        fail(f"the Brian2 run failed: {e} (project in {build_dir})")
    t2 = time.perf_counter()
    with open(os.path.join(build_dir, "results", "bench_run.txt")) as f:
        run_s = float(f.read().split()[0])

    idx = np.asarray(mon.i[:], dtype=np.int64)
    step = np.rint(np.asarray(mon.t[:] / ms) / DT_MS).astype(np.int64)
    order = np.lexsort((idx, step))
    idx, step = idx[order], step[order]
    per = [[] for _ in range(n)]
    for i, k in zip(idx.tolist(), step.tolist()):
        per[i].append(k)
    first = [[i, k] for i, k in zip(idx.tolist(), step.tolist()) if k < FIRST_STEPS]
    sample_neurons = list(range(0, n, SAMPLE_EVERY))
    sample = dict(neurons=sample_neurons, spikes=[per[i] for i in sample_neurons])
    sample.update(stats(sample["spikes"], len(sample_neurons), STEPS, BIN_STEPS))
    res = dict(
        model="COBAHH", tool="brian2", version=b2.__version__, device="cpp_standalone",
        openmp_threads=int(prefs.devices.cpp_standalone.openmp_threads),
        method="exponential_euler", rates="exprel (as Brian2's example)",
        input=os.path.basename(args.input), input_sha256=sha, N=n, seed=seed, n_exc=n_exc,
        n_synapses=int(len(pre)), t_ms=T_MS, dt_ms=DT_MS, steps=STEPS,
        first_steps=FIRST_STEPS, bin_steps=BIN_STEPS, min_isis=MIN_ISIS,
        perturb_mv=args.perturb_mv, setup_s=t1 - t0, build_and_run_s=t2 - t1, run_s=run_s,
        timing_note="run_s: wall time of the network run alone (std::chrono::steady_clock in main), "
                    "on a shared machine: provisional",
    )
    res.update(stats(per, n, STEPS, BIN_STEPS))
    res["first_spikes"] = first
    if not args.no_sample:
        res["sample"] = sample
    with open(args.out, "w") as f:
        json.dump(res, f, separators=(",", ":"))
        f.write("\n")
    if not args.build_dir:
        shutil.rmtree(build_dir, ignore_errors=True)
    print(f"seed {seed}: N {n}, {len(pre)} synapses, {res['n_spikes']} spikes, "
          f"{res['mean_rate_hz']:.2f} Hz, CV {res['mean_cv']:.3f}, run {run_s:.2f} s")


if __name__ == "__main__":
    main()
