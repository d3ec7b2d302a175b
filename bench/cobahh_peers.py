#!/usr/bin/python3
"""COBAHH timing runners for Brian2 (C++ standalone) and NEURON, for bench/cobahh.

Runs the COBAHH reference scripts' own model code (testdata/reference/cobahh/brian2_cobahh.py and
neuron_cobahh.py, imported, not copied) on an input NPZ written by
`go run ./internal/cobahhref/mkinput -n N -o in.npz`, for --t-ms instead of their fixed 1 s (Brian2)
or 20 ms (NEURON), with --threads threads (Brian2: OpenMP threads, 1 = its build without OpenMP;
NEURON: one only, as its threads need NetCon delays of at least dt and COBAHH's are 0), and writes one JSON object in bench/cobahh's Result shape:
tool, config, threads, N, n_synapses, t_ms, dt_ms, setup_s, run_s (the network run alone: Brian2's
steady clock in its main, NEURON's fadvance loop), n_spikes.

Usage: cobahh_peers.py --tool brian2|neuron --input in.npz --out r.json [--threads 1] [--t-ms 1000]
       [--build-dir DIR]
Exits with status 3 when the simulator is missing.
"""
import argparse
import json
import os
import sys
import tempfile

REF = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "testdata", "reference", "cobahh")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tool", required=True, choices=["brian2", "neuron"])
    ap.add_argument("--input", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--t-ms", type=float, default=1000.0)
    ap.add_argument("--build-dir", default="")
    a = ap.parse_args()
    sys.path.insert(0, os.path.abspath(REF))
    tmp = a.out + ".ref.json"
    argv = ["x", "--input", a.input, "--out", tmp]
    if a.build_dir:
        argv += ["--build-dir", a.build_dir]
    if a.tool == "brian2":
        import brian2_cobahh as ref
        ref.T_MS = a.t_ms
        ref.STEPS = int(round(a.t_ms / ref.DT_MS))
        ref.FIRST_STEPS = min(ref.FIRST_STEPS, ref.STEPS)
        argv += ["--threads", str(a.threads), "--no-sample"]
        config = "C++ standalone, exponential_euler, -O3 -ffast-math -march=native"
    else:
        if a.threads > 1:
            print("cobahh_peers: NEURON's threads need every NetCon delay to be at least dt "
                  "(finitialize: usable mindelay is 0); COBAHH's delay is 0, so NEURON runs it on one thread only",
                  file=sys.stderr)
            sys.exit(4)
        import neuron_cobahh as ref
        ref.FIRST_STEPS = int(round(a.t_ms / ref.DT_MS))  # its run covers FIRST_STEPS steps
        try:
            from neuron import h
        except ImportError as e:
            print(f"cobahh_peers: NEURON is not available to {sys.executable} ({e})", file=sys.stderr)
            sys.exit(3)
        h.load_file("stdrun.hoc")
        pc = h.ParallelContext()
        pc.nthread(a.threads)
        config = "fixed step, Crank-Nicolson (secondorder=2), ExpSyn, a NetCon per synapse"
        # neuron_cobahh.main ends with os._exit(0) (freeing the NetCons is slow): write first.
        real_exit = os._exit

        def done(code):
            finish(a, tmp, config)
            real_exit(code)
        os._exit = done
    sys.argv = argv
    ref.main()
    finish(a, tmp, config)


def finish(a, tmp, config):
    with open(tmp) as f:
        r = json.load(f)
    os.remove(tmp)
    out = dict(tool=r["tool"], config=f'{r.get("version", "")} {config}'.strip(), threads=a.threads,
               N=r["N"], n_synapses=r["n_synapses"], t_ms=r["t_ms"], dt_ms=r["dt_ms"],
               setup_s=r["setup_s"], run_s=r["run_s"], n_spikes=r["n_spikes"])
    with open(a.out, "w") as f:
        json.dump(out, f)
        f.write("\n")


if __name__ == "__main__":
    main()
