#!/usr/bin/python3
"""HH52 in Brian2's C++ standalone mode, for neurogen's benchmark harness (bench/run).

Modes:
  build    one NeuronGroup of N neurons with spike detection (threshold and refractory
           'v > 0*mV', a SpikeMonitor): the project is generated and compiled in --build-dir, and
           the run's static facts (setup and compile time, bytes per neuron) are written there.
  run      runs the binary of a built project --reps times (no Brian2 needed): each run reports
           the wall time of the network run alone (std::chrono::steady_clock around it, code
           inserted into main) and the spike count, beside Brian2's own figure from
           results/last_run_info.txt (CPU time without OpenMP, wall time with it).
  timing   build, then run.
  spikes   one project that holds every (method, dt) pair of --methods x --dts as its own group
           of 8 neurons with its own clock (one compile for all), run once for --t-ms; spike times
           are upward crossings of 0 mV interpolated linearly in the recorded V trace.

The model is the one of testdata/reference/hh52/README.md, its rates written as there
(--rates literal) or with Brian2's exprel for the two removable singularities (--rates exprel:
finite at the poles, but about a third slower, since glibc's expm1 costs more than its exp);
neuron i of N gets I_i = 20*i/(N-1) uA/cm2. Output is one JSON document on stdout (or --out).
Exit status 3 with a one-line message when Brian2 is not importable.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
import warnings

EXIT_MISSING = 3

EQS = """
dv/dt = (gL*(EL - v) + gNa*m**3*h*(ENa - v) + gK*n**4*(EK - v) + I)/C : volt
dm/dt = alpha_m*(1 - m) - beta_m*m : 1
dh/dt = alpha_h*(1 - h) - beta_h*h : 1
dn/dt = alpha_n*(1 - n) - beta_n*n : 1
beta_m = 4/ms*exp(-(v + 65*mV)/(18*mV)) : Hz
alpha_h = 0.07/ms*exp(-(v + 65*mV)/(20*mV)) : Hz
beta_h = (1/ms)/(1 + exp(-(v + 35*mV)/(10*mV))) : Hz
beta_n = 0.125/ms*exp(-(v + 65*mV)/(80*mV)) : Hz
I : amp/meter**2 (constant)
"""

# The two rates with a removable singularity: as the reference writes them (0/0 only at exactly
# -40 and -55 mV), or with Brian2's exprel, which is finite there but slower (glibc's expm1).
RATES = {
    "literal": """
alpha_m = 0.1/mV*(v + 40*mV)/(1 - exp(-(v + 40*mV)/(10*mV)))/ms : Hz
alpha_n = 0.01/mV*(v + 55*mV)/(1 - exp(-(v + 55*mV)/(10*mV)))/ms : Hz
""",
    "exprel": """
alpha_m = (1/ms)/exprel(-(v + 40*mV)/(10*mV)) : Hz
alpha_n = (0.1/ms)/exprel(-(v + 55*mV)/(10*mV)) : Hz
""",
}


def fail(msg, code=1):
    print(f"brian2_hh52.py: {msg}", file=sys.stderr)
    sys.exit(code)


def steady_state(V):
    """Gate steady states at V (mV), computed in Python as in the reference."""
    import math

    def exprel(x):
        return 1.0 if x == 0 else math.expm1(x) / x

    am = 1.0 / exprel(-(V + 40) / 10)
    bm = 4 * math.exp(-(V + 65) / 18)
    ah = 0.07 * math.exp(-(V + 65) / 20)
    bh = 1 / (1 + math.exp(-(V + 35) / 10))
    an = 0.1 / exprel(-(V + 55) / 10)
    bn = 0.125 * math.exp(-(V + 65) / 80)
    return am / (am + bm), ah / (ah + bh), an / (an + bn)


def make_group(b2, n, method, dt_ms, detect, name, rates):
    ns = dict(C=1 * b2.uF / b2.cm**2, gNa=120 * b2.msiemens / b2.cm**2, gK=36 * b2.msiemens / b2.cm**2,
              gL=0.3 * b2.msiemens / b2.cm**2, ENa=50 * b2.mV, EK=-77 * b2.mV, EL=-54.387 * b2.mV)
    kw = {}
    if detect == "refractory":
        # Brian2's idiom for a Hodgkin-Huxley model: a spike when v crosses 0 mV upwards, no
        # new spike while it stays above (the refractory condition does not freeze any equation).
        kw = dict(threshold="v > 0*mV", refractory="v > 0*mV")
    elif detect == "threshold":
        kw = dict(threshold="v > 0*mV")  # a spike at every step above 0 mV
    g = b2.NeuronGroup(n, EQS + RATES[rates], method=method, namespace=ns, dt=dt_ms * b2.ms, name=name, **kw)
    m0, h0, n0 = steady_state(-65.0)
    g.v = -65 * b2.mV
    g.m = m0
    g.h = h0
    g.n = n0
    if n > 1:
        g.I = "20*i/(N - 1)*uA/cm**2"
    else:
        g.I = 0 * b2.uA / b2.cm**2
    return g


def state_bytes_per_neuron(b2, g, n):
    """Bytes of the group's per-neuron arrays (state, input, spike bookkeeping) per neuron."""
    import numpy
    total = 0
    for name, var in g.variables.items():
        if isinstance(var, b2.core.variables.ArrayVariable) and not var.scalar and var.size == n \
                and not name.startswith("_") and name != "i":
            total += numpy.dtype(var.dtype).itemsize
    return total


def compile_args():
    from brian2.codegen.cpp_prefs import get_compiler_and_args
    _, args = get_compiler_and_args()
    return list(args)


def timing_project(args, b2):
    """Generates and compiles the timing project, and writes its static facts beside it."""
    from brian2 import device, prefs, set_device
    build_dir = os.path.abspath(args.build_dir)
    if os.path.isdir(build_dir):
        shutil.rmtree(build_dir)
    t0 = time.perf_counter()
    set_device("cpp_standalone", build_on_run=False, directory=build_dir)
    prefs.devices.cpp_standalone.openmp_threads = args.threads if args.threads > 1 else 0
    prefs.codegen.cpp.headers += ["<chrono>", "<fstream>"]
    g = make_group(b2, args.n, args.method, args.dt_ms, args.detect, "hh52", args.rates)
    objs = [g]
    if args.detect != "none":
        objs.append(b2.SpikeMonitor(g, record=False, name="bench_spikes"))
    net = b2.Network(*objs)
    # The wall time of the network run alone, and the spike count, written by the binary.
    device.insert_code("main", "auto bench_t0 = std::chrono::steady_clock::now();")
    net.run(args.t_ms * b2.ms)
    device.insert_code("main", (
        "{ std::chrono::duration<double> d = std::chrono::steady_clock::now() - bench_t0; "
        "std::ofstream f(\"results/bench_run.txt\"); f.precision(17); "
        "f << d.count() << \" \" << " + ("_array_bench_spikes_N[0]" if args.detect != "none" else "-1")
        + " << std::endl; }"))
    t1 = time.perf_counter()
    device.build(directory=build_dir, compile=True, run=False, with_output=False)
    t2 = time.perf_counter()
    static = dict(
        tool="brian2", label=f"brian2 cpp_standalone {args.method}", config=f"cpp_standalone {args.method}",
        method=args.method, threads=args.threads, spike_detection=args.detect, rates=args.rates,
        n=args.n, t_ms=args.t_ms, dt_ms=args.dt_ms, steps=int(round(args.t_ms / args.dt_ms)),
        setup_s=t1 - t0, compile_s=t2 - t1,
        compile_note="code generation and compilation of the standalone project (device.build)",
        bytes_per_neuron=state_bytes_per_neuron(b2, g, args.n),
        bytes_note="the group's per-neuron arrays (v, m, h, n, I, lastspike, not_refractory)",
        version=b2.__version__, compile_args=compile_args(),
        openmp_threads=int(prefs.devices.cpp_standalone.openmp_threads),
    )
    with open(os.path.join(build_dir, "bench_static.json"), "w") as f:
        json.dump(static, f, indent=1)
    return static


def run_binary(build_dir, reps):
    """Runs a built timing project reps times; needs no Brian2, only the project."""
    build_dir = os.path.abspath(build_dir)
    try:
        with open(os.path.join(build_dir, "bench_static.json")) as f:
            res = json.load(f)
    except OSError as e:
        fail(f"no built timing project in {build_dir} ({e.strerror}): run --mode build first")
    run_s, brian_s, wall_binary, rate, spikes = [], [], [], [], []
    for _ in range(reps):
        tb = time.perf_counter()
        p = subprocess.run(["./main"], cwd=build_dir, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        wall_binary.append(time.perf_counter() - tb)
        if p.returncode != 0:
            fail(f"the Brian2 binary in {build_dir} failed (exit {p.returncode}): {p.stderr.strip()[-300:]}")
        with open(os.path.join(build_dir, "results", "bench_run.txt")) as f:
            s, count = f.read().split()
        with open(os.path.join(build_dir, "results", "last_run_info.txt")) as f:
            brian_s.append(float(f.read().split()[0]))
        run_s.append(float(s))
        rate.append(res["n"] * res["steps"] / float(s))
        spikes.append(int(count))
    res.update(run_s=run_s, brian2_last_run_time_s=brian_s, binary_wall_s=wall_binary,
               neuron_steps_per_s=rate, spike_counts=spikes,
               timing_note="run_s: wall time of the network run alone (std::chrono::steady_clock in main); "
                           "brian2_last_run_time_s: Brian2's own figure (CPU time without OpenMP)")
    return res


def crossings(t, v, vth=0.0):
    import numpy as np
    v = np.asarray(v)
    k = np.nonzero((v[:-1] < vth) & (v[1:] >= vth))[0]
    return [float(t[j] + (t[j + 1] - t[j]) * (vth - v[j]) / (v[j + 1] - v[j])) for j in k]


def spikes(args, b2):
    import numpy as np
    from brian2 import device, prefs, set_device
    build_dir = os.path.abspath(args.build_dir)
    if os.path.isdir(build_dir):
        shutil.rmtree(build_dir)
    t0 = time.perf_counter()
    set_device("cpp_standalone", build_on_run=False, directory=build_dir)
    prefs.devices.cpp_standalone.openmp_threads = 0
    objs, runs = [], []
    for method in args.methods.split(","):
        for dt in [float(x) for x in args.dts.split(",")]:
            name = f"hh52_{method}_{str(dt).replace('.', 'p')}"
            g = make_group(b2, args.n, method, dt, "none", name, args.rates)
            mon = b2.StateMonitor(g, "v", record=True, clock=g.clock, name="mon_" + name)
            objs += [g, mon]
            runs.append((method, dt, g, mon))
    net = b2.Network(*objs)
    net.run(args.t_ms * b2.ms)
    t1 = time.perf_counter()
    device.build(directory=build_dir, compile=True, run=True, with_output=False)
    t2 = time.perf_counter()
    I = [20 * i / (args.n - 1) if args.n > 1 else 0.0 for i in range(args.n)]
    out = []
    for method, dt, g, mon in runs:
        t = np.asarray(mon.t / b2.ms)
        v = np.asarray(mon.v / b2.mV)
        # the monitor records the state at the start of each step, so the last sample is at
        # T - dt; the state at T is the group's final state.
        tt = np.append(t, args.t_ms)
        sp = [crossings(tt, np.append(v[i], float(g.v[i] / b2.mV))) for i in range(args.n)]
        unstable = bool(not np.all(np.isfinite(v)))
        out.append(dict(
            simulator="brian2", tool="brian2", version=b2.__version__, model="HH52",
            label=f"brian2 cpp_standalone {method}", config=f"cpp_standalone {method}",
            method=method, threads=1, n=args.n, t_ms=args.t_ms, dt_ms=dt, rates=args.rates,
            spike_detection="v_trace_linear_interp", unstable=unstable,
            compile_s=t2 - t1, setup_s=t1 - t0,
            I_uA_cm2=I, spikes=sp, compile_args=compile_args()))
    return dict(runs=out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", choices=["timing", "build", "run", "spikes"], required=True)
    ap.add_argument("--n", type=int, help="neurons (default 1000; 8 in spikes mode)")
    ap.add_argument("--t-ms", type=float, help="simulated ms (default 100; 1000 in spikes mode)")
    ap.add_argument("--dt-ms", type=float, default=0.025)
    ap.add_argument("--method", default="exponential_euler")
    ap.add_argument("--methods", default="exponential_euler,rk4", help="spikes mode")
    ap.add_argument("--dts", default="0.1,0.05,0.025,0.01", help="spikes mode, ms")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--rates", choices=sorted(RATES), default="literal",
                    help="alpha_m and alpha_n as the reference writes them (literal, the default) or with exprel")
    ap.add_argument("--detect", choices=["refractory", "threshold", "none"], default="refractory",
                    help="spike detection in build/timing mode: threshold and refractory 'v > 0*mV' "
                         "(an upward crossing; the default), the threshold alone, or none")
    ap.add_argument("--reps", type=int, default=3, help="timing and run modes")
    ap.add_argument("--build-dir", required=True, help="the standalone project's directory (rewritten, except in run mode)")
    ap.add_argument("--out", help="write the JSON here instead of stdout")
    args = ap.parse_args()
    if args.n is None:
        args.n = 8 if args.mode == "spikes" else 1000
    if args.t_ms is None:
        args.t_ms = 1000.0 if args.mode == "spikes" else 100.0
    if args.n < 1 or args.reps < 1 or args.threads < 1 or not args.dt_ms > 0 or not args.t_ms > 0:
        fail("--n, --reps and --threads must be at least 1, --dt-ms and --t-ms positive", 2)
    if args.mode == "run":
        write(args, run_binary(args.build_dir, args.reps))
        return
    warnings.filterwarnings("ignore", category=FutureWarning)  # pythran's, on import
    try:
        import brian2 as b2
        import numpy  # noqa: F401
    except ImportError as e:
        fail(f"Brian2 is not available to {sys.executable} ({e}); install it with "
             "'apt-get install python3-brian python3-numpy'", EXIT_MISSING)
    if shutil.which("g++") is None and shutil.which("c++") is None:
        fail("no C++ compiler (g++) on PATH: Brian2's C++ standalone mode needs one", EXIT_MISSING)
    b2.BrianLogger.log_level_error()
    b2.prefs.logging.file_log = False
    b2.prefs.logging.delete_log_on_exit = True
    try:
        if args.mode == "spikes":
            res = spikes(args, b2)
        else:
            res = timing_project(args, b2)
            if args.mode == "timing":
                res = run_binary(args.build_dir, args.reps)
    except (RuntimeError, OSError, subprocess.SubprocessError) as e:
        fail(f"the Brian2 run failed: {str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__}"
             f" (project in {args.build_dir})")
    write(args, res)


def write(args, res):
    text = json.dumps(res, indent=1)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    else:
        print(text)


if __name__ == "__main__":
    main()
