#!/usr/bin/python3
"""COBAHH reference, NEURON side: the first 20 ms of the network of brian2_cobahh.py in NEURON.

Reads the same NPZ (internal/cobahhref/mkinput) and builds the network in NEURON: one
single-compartment section per neuron of area 20 000 um2 (L = diam = sqrt(20000/pi) um, cm 1),
cobahh_hh.mod (Traub-Miles Na and K with VT = -63 mV and the leak, m, h, n starting at 0), two
ExpSyn per neuron (tau 5 ms, e 0 mV; tau 10 ms, e -80 mV; conductances in uS, so absolute), a
NetCon per connection from the presynaptic v (threshold -20 mV, delay 0, weight 0.006 or
0.067 uS). Fixed step dt 0.1 ms with Crank-Nicolson (secondorder = 2). After finitialize each
section's v and each ExpSyn's g are set to the NPZ's values and the currents recomputed.

Spikes are recorded by a NetCon per neuron (threshold -20 mV); a spike found at the end of the
step that advances t_k to t_k + dt (NEURON's time t_k + dt, or an interpolated time in between)
is given step k, as in brian2_cobahh.py. Writes JSON: input_sha256, first_spikes ([neuron, step]
sorted by step then neuron, step < 200), their statistics over the 20 ms as brian2_cobahh.py
defines them (n_spikes, mean_rate_hz, mean_cv, bin_counts), and the settings.

Usage: neuron_cobahh.py --input in.npz --out neuron_n4000_seed1.json [--build-dir DIR] [--steps N]
(--steps 10000 runs the whole second, to compare by hand for longer; the committed files have 200.)
Compiles cobahh_hh.mod with nrnivmodl (Debian: the neuron-dev package) in the build directory.
"""
import argparse
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DT_MS = 0.1
FIRST_STEPS = 200


def fail(msg, code=1):
    print("neuron_cobahh:", msg, file=sys.stderr)
    sys.exit(code)


def build_mod(build_dir):
    """Compiles cobahh_hh.mod in build_dir; returns the path of libnrnmech.so."""
    os.makedirs(build_dir, exist_ok=True)
    shutil.copy(os.path.join(HERE, "cobahh_hh.mod"), build_dir)
    lib = os.path.join(build_dir, "x86_64", ".libs", "libnrnmech.so")
    nrnivmodl = shutil.which("nrnivmodl")
    if nrnivmodl is None:
        fail("nrnivmodl is missing (Debian puts it in the neuron-dev package)", 3)
    p = subprocess.run([nrnivmodl], cwd=build_dir, capture_output=True, text=True)
    makefile = "/usr/lib/nrn/nrnmech_makefile"
    if not os.path.exists(lib) and "nrnmech_makefile" in (p.stdout + p.stderr) and os.path.exists(makefile):
        # Debian's neuron-dev 8.2.2: nrnivmodl looks for its makefile in /usr/bin (see
        # bench/neuron_hh52.py); run its make step with the right paths.
        p = subprocess.run(["make", "-j", "2", "-f", makefile, "ROOT=/usr", "libdir=/usr/lib/nrn",
                            "MODOBJFILES=./cobahh_hh.o", "UserLDFLAGS=", "UserINCFLAGS=",
                            "LinkCoreNEURON=false", "mech_lib_shared"],
                           cwd=os.path.join(build_dir, "x86_64"), capture_output=True, text=True)
    if not os.path.exists(lib):
        fail("compiling cobahh_hh.mod failed:\n" + "\n".join((p.stdout + p.stderr).strip().splitlines()[-5:]), 3)
    return lib


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--input", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--build-dir", default="")
    ap.add_argument("--steps", type=int, default=FIRST_STEPS,
                    help="steps to run and record (default 200: the committed 20 ms)")
    args = ap.parse_args()
    steps = args.steps
    try:
        import numpy as np
        from neuron import h
        import neuron
    except ImportError as e:
        fail(f"NEURON is not available to {sys.executable} ({e}); apt-get install neuron python3-neuron", 3)

    with open(args.input, "rb") as f:
        sha = hashlib.sha256(f.read()).hexdigest()
    d = np.load(args.input)
    n, seed = int(d["N"]), int(d["seed"])
    pre, post = d["pre"].astype(np.int64), d["post"].astype(np.int64)
    n_exc = int(0.8 * n)

    build_dir = args.build_dir or tempfile.mkdtemp(prefix="cobahh_neuron_")
    h.nrn_load_dll(build_mod(build_dir))

    t0 = time.perf_counter()
    diam = math.sqrt(20000 / math.pi)
    secs, esyn, isyn, recs = [], [], [], []
    tvec, idvec = h.Vector(), h.Vector()
    for i in range(n):
        s = h.Section(name=f"c{i}")
        s.L, s.diam, s.nseg, s.cm = diam, diam, 1, 1
        s.insert("cobahh")
        e = h.ExpSyn(s(0.5))
        e.tau, e.e = 5, 0
        g = h.ExpSyn(s(0.5))
        g.tau, g.e = 10, -80
        nc = h.NetCon(s(0.5)._ref_v, None, sec=s)
        nc.threshold = -20
        nc.record(tvec, idvec, i)
        secs.append(s)
        esyn.append(e)
        isyn.append(g)
        recs.append(nc)
    ncs = []
    for i, j in zip(pre.tolist(), post.tolist()):
        s = secs[i]
        if i < n_exc:
            nc = h.NetCon(s(0.5)._ref_v, esyn[j], sec=s)
            nc.weight[0] = 0.006
        else:
            nc = h.NetCon(s(0.5)._ref_v, isyn[j], sec=s)
            nc.weight[0] = 0.067
        nc.threshold, nc.delay = -20, 0
        ncs.append(nc)
    area = secs[0](0.5).area()

    h.dt = DT_MS
    h.secondorder = 2
    h.finitialize(-65)
    for i in range(n):
        secs[i](0.5).v = float(d["v"][i])
        esyn[i].g = float(d["ge"][i]) * 1e-3
        isyn[i].g = float(d["gi"][i]) * 1e-3
    h.fcurrent()
    t1 = time.perf_counter()
    # One step more than steps: NEURON's fixed step tests the thresholds at the start of
    # fadvance, on the v the previous fadvance computed, so a crossing in step steps - 1 is
    # seen (and recorded at t = steps * dt) only by the next fadvance.
    while h.t < (steps + 1) * DT_MS - DT_MS / 2:
        h.fadvance()
    t2 = time.perf_counter()

    spikes = sorted((int(math.ceil(t / DT_MS - 1e-6)) - 1, int(i)) for t, i in zip(tvec, idvec))
    first = [[i, k] for k, i in spikes if k < steps]
    per = [[] for _ in range(n)]
    for i, k in first:
        per[i].append(k)
    sys.path.insert(0, HERE)
    from brian2_cobahh import stats, BIN_STEPS, MIN_ISIS
    res = dict(model="COBAHH", tool="neuron", version=neuron.__version__, secondorder=int(h.secondorder),
               method="fixed step, Crank-Nicolson (secondorder=2), cnexp gates, ExpSyn",
               input=os.path.basename(args.input), input_sha256=sha, N=n, seed=seed, n_exc=n_exc,
               n_synapses=int(len(pre)), area_um2=area, t_ms=steps * DT_MS, dt_ms=DT_MS,
               steps=steps, first_steps=steps, bin_steps=BIN_STEPS, min_isis=MIN_ISIS,
               setup_s=t1 - t0, run_s=t2 - t1)
    res.update(stats(per, n, steps, BIN_STEPS))
    res["first_spikes"] = first
    with open(args.out, "w") as f:
        json.dump(res, f, separators=(",", ":"))
        f.write("\n")
    if not args.build_dir:
        shutil.rmtree(build_dir, ignore_errors=True)
    print(f"seed {seed}: N {n}, {len(pre)} synapses, area {area:.3f} um2, {len(first)} spikes in {steps * DT_MS:g} ms")
    os._exit(0)  # freeing 320 000 NetCons one by one takes longer than the run


if __name__ == "__main__":
    main()
