#!/usr/bin/python3
"""HH52 in NEURON, for neurogen's benchmark harness (bench/run).

Every neuron is one single-compartment section (nseg 1, L = diam = 56.419 um, so its area is
1e-4 cm2; cm 1 uF/cm2) driven by I_i = 20*i/(N-1) uA/cm2 from t = 0, with NEURON's fixed step
(CVode off, cache_efficient on) and one of two mechanisms. The input is folded into the leak
(--input leak, the default: el = EL + I/gL, so gL (el - V) = gL (EL - V) + I, the same equation
without a point process per cell, which at N = 100 000 costs NEURON a quarter of its speed) or
injected by an IClamp at 0.5 (--input iclamp). The mechanisms:

  builtin  NEURON's own `hh` with its rate tables (usetable_hh 1), at celsius 6.3 (its rates are
           then HH52's) and el_hh = -54.387 mV (its default is -54.3; plus I/gL with --input
           leak), ena 50 and ek -77 mV;
  own      bench/hh52.mod: HH52's exact rates without tables, compiled here with nrnivmodl (or,
           where Debian's nrnivmodl cannot find its makefile, with that makefile run directly).

Modes:
  timing   N neurons, --reps runs of finitialize + ParallelContext.psolve(T) with --threads
           threads (ParallelContext.nthread); the time of psolve alone is the run time. Spikes
           are detected by a NetCon per section (threshold 0 mV, a gid each, recorded with
           ParallelContext.spike_record) and counted (--detect none: no detection). Memory per
           neuron is the growth of the process's resident set while the sections (and clamps
           and NetCons) are made and initialised, divided by N (NEURON keeps a neuron's state
           in several structures; this counts them all, with their Python and hoc objects).
  spikes   8 neurons (or --n), for every secondorder of --secondorders and dt of --dts, one run of
           --t-ms; spike times are upward crossings of 0 mV interpolated linearly in the recorded
           V trace.

Output is one JSON document on stdout (or --out). Exit status 3 with a one-line message when
NEURON (or, for --mech own, its .mod compiler) is missing.
"""

import argparse
import json
import math
import os
import shutil
import subprocess
import sys
import time

EXIT_MISSING = 3
HERE = os.path.dirname(os.path.abspath(__file__))
DIAM_UM = math.sqrt(1e4 / math.pi)  # L = diam: area pi*d*L = 1e4 um2 = 1e-4 cm2


def fail(msg, code=1):
    print(f"neuron_hh52.py: {msg}", file=sys.stderr)
    sys.exit(code)


def rss_bytes():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def build_mod(build_dir):
    """Compiles bench/hh52.mod into build_dir, or reuses what an earlier call compiled there from
    the same file; returns (path of libnrnmech.so, compile seconds, how)."""
    src = os.path.join(HERE, "hh52.mod")
    lib = os.path.join(build_dir, "x86_64", ".libs", "libnrnmech.so")
    info = os.path.join(build_dir, "compile.json")
    try:
        with open(src) as a, open(os.path.join(build_dir, "hh52.mod")) as b, open(info) as c:
            if a.read() == b.read() and os.path.exists(lib):
                d = json.load(c)
                return lib, d["compile_s"], d["how"]
    except (OSError, ValueError, KeyError):
        pass
    if os.path.isdir(build_dir):
        shutil.rmtree(build_dir)
    os.makedirs(build_dir)
    shutil.copy(src, build_dir)
    nrnivmodl = shutil.which("nrnivmodl")
    if nrnivmodl is None:
        fail("nrnivmodl is missing (Debian puts it in the neuron-dev package): cannot compile hh52.mod",
             EXIT_MISSING)
    t0 = time.perf_counter()
    p = subprocess.run([nrnivmodl], cwd=build_dir, capture_output=True, text=True)
    how = "nrnivmodl"
    makefile = "/usr/lib/nrn/nrnmech_makefile"
    if not os.path.exists(lib) and "nrnmech_makefile" in (p.stdout + p.stderr) and os.path.exists(makefile):
        # Debian's neuron-dev 8.2.2 installs nrnmech_makefile in /usr/lib/nrn but nrnivmodl looks
        # for it in /usr/bin, and the makefile looks for libnrniv.so in /usr/lib: nrnivmodl has
        # written mod_func.cpp and makemod2c_inc by then, so run its make step with both paths.
        p = subprocess.run(["make", "-j", "2", "-f", makefile, "ROOT=/usr", "libdir=/usr/lib/nrn",
                            "MODOBJFILES=./hh52.o", "UserLDFLAGS=", "UserINCFLAGS=", "LinkCoreNEURON=false",
                            "mech_lib_shared"],
                           cwd=os.path.join(build_dir, "x86_64"), capture_output=True, text=True)
        how = "nrnivmodl, then its make step with Debian's paths fixed"
    secs = time.perf_counter() - t0
    if not os.path.exists(lib):
        tail = "\n".join((p.stdout + p.stderr).strip().splitlines()[-5:])
        fail(f"compiling hh52.mod failed ({how}):\n{tail}", EXIT_MISSING)
    with open(info, "w") as f:
        json.dump(dict(compile_s=secs, how=how), f)
    return lib, secs, how


EL, GL = -54.387, 0.3  # HH52's leak: mV, mS/cm2

# The model's objects, kept until os._exit: freeing 100 000 sections one by one when setup's
# caller returns takes longer than the run.
KEEP = []


def setup(h, args, n, record_v):
    """Makes n neurons; returns (sections, clamps, netcons, spike vectors, v vectors)."""
    h.celsius = 6.3
    pc = h.ParallelContext()
    secs, stims, ncs, vs = [], [], [], []
    tvec, idvec = h.Vector(), h.Vector()
    for i in range(n):
        s = h.Section(name=f"cell{i}")
        s.nseg = 1
        s.L = s.diam = DIAM_UM
        s.cm = 1
        I = 20 * i / (n - 1) if n > 1 else 0.0
        # --input leak: the input joins the leak, gL (EL - V) + I = gL ((EL + I/gL) - V), the same
        # equation without a point process per cell; --input iclamp: an IClamp at 0.5.
        el = EL + I / GL if args.input == "leak" else EL
        if args.mech == "builtin":
            s.insert("hh")
            s.ena = 50
            s.ek = -77
            for seg in s:
                seg.hh.el = el
        else:
            s.insert("hh52")
            for seg in s:
                seg.hh52.el = el
        if args.input == "iclamp":
            st = h.IClamp(s(0.5))
            st.delay = 0
            st.dur = 1e9
            st.amp = I * h.area(0.5, sec=s) * 1e-5  # uA/cm2 * um2 * 1e-8 cm2/um2 * 1e3 nA/uA
            stims.append(st)
        secs.append(s)
        if record_v:
            v = h.Vector()
            v.record(s(0.5)._ref_v)
            vs.append(v)
        elif args.detect == "netcon":
            # a spike source per cell, recorded by ParallelContext (NetCon.record into one
            # Vector is not safe with threads)
            nc = h.NetCon(s(0.5)._ref_v, None, sec=s)
            nc.threshold = 0
            pc.set_gid2node(i, pc.id())
            pc.cell(i, nc)
            ncs.append(nc)
    if not record_v and args.detect == "netcon":
        pc.spike_record(-1, tvec, idvec)
    KEEP.append((secs, stims, ncs, tvec, idvec, vs))
    return secs, stims, ncs, (tvec, idvec), vs


def common(h, args):
    cv = h.CVode()
    cv.active(0)
    cv.cache_efficient(1)
    return dict(
        simulator="neuron", tool="neuron", model="HH52", version=h.nrnversion(),
        mech=args.mech, usetable=(int(h.usetable_hh) if args.mech == "builtin" else None),
        input=args.input, spike_detection=args.detect if args.mode == "timing" else "v_trace_linear_interp",
        celsius=6.3, cache_efficient=1, cvode=0,
        config=("built-in hh (rate tables)" if args.mech == "builtin" else "own hh52.mod"),
    )


def timing(args, h, compile_info):
    r0 = rss_bytes()
    t0 = time.perf_counter()
    base = common(h, args)
    pc = h.ParallelContext()
    pc.nthread(args.threads, 1)
    h.dt = args.dt_ms
    h.secondorder = args.secondorder
    secs, stims, ncs, (tvec, idvec), _ = setup(h, args, args.n, False)
    pc.set_maxstep(10)
    h.finitialize(-65)
    setup_s = time.perf_counter() - t0
    r1 = rss_bytes()
    run_s, rate, spikes, steps = [], [], [], 0
    for _ in range(args.reps):
        h.dt = args.dt_ms
        h.finitialize(-65)
        tvec.resize(0)
        idvec.resize(0)
        ts = time.perf_counter()
        pc.psolve(args.t_ms)
        el = time.perf_counter() - ts
        steps = int(round(h.t / args.dt_ms))
        run_s.append(el)
        rate.append(args.n * steps / el)
        spikes.append(int(tvec.size()) if args.detect == "netcon" else -1)
    so = {0: "backward Euler", 2: "Crank-Nicolson"}.get(args.secondorder, str(args.secondorder))
    return dict(
        base, label=f"neuron {base['config']} secondorder={args.secondorder}",
        method=f"fixed step secondorder={args.secondorder} ({so}; gates cnexp)",
        secondorder=args.secondorder, threads=args.threads,
        n=args.n, t_ms=args.t_ms, dt_ms=args.dt_ms, steps=steps,
        setup_s=setup_s, run_s=run_s, neuron_steps_per_s=rate, spike_counts=spikes,
        bytes_per_neuron=(r1 - r0) / args.n,
        bytes_note="growth of the resident set while the sections (with their clamps and NetCons) are "
                   "made and initialised, per neuron (all of NEURON's structures and object overhead)",
        **compile_info)


def crossings(t, v, vth=0.0):
    out = []
    for j in range(len(v) - 1):
        if v[j] < vth <= v[j + 1]:
            out.append(t[j] + (t[j + 1] - t[j]) * (vth - v[j]) / (v[j + 1] - v[j]))
    return out


def spikes(args, h, compile_info):
    base = common(h, args)
    pc = h.ParallelContext()
    pc.nthread(1)
    secs, stims, ncs, _, vs = setup(h, args, args.n, True)
    pc.set_maxstep(10)
    tv = h.Vector()
    tv.record(h._ref_t)
    I = [20 * i / (args.n - 1) if args.n > 1 else 0.0 for i in range(args.n)]
    out = []
    for so in [int(x) for x in args.secondorders.split(",")]:
        for dt in [float(x) for x in args.dts.split(",")]:
            h.dt = dt
            h.secondorder = so
            h.finitialize(-65)
            ts = time.perf_counter()
            pc.psolve(args.t_ms)
            el = time.perf_counter() - ts
            t = list(tv)
            sp, unstable = [], False
            for v in vs:
                x = list(v)
                unstable = unstable or not all(math.isfinite(y) for y in x)
                sp.append(crossings(t, x))
            name = {0: "backward Euler", 2: "Crank-Nicolson"}.get(so, str(so))
            out.append(dict(
                base, label=f"neuron {base['config']} secondorder={so}",
                method=f"fixed step secondorder={so} ({name}; gates cnexp)", secondorder=so,
                threads=1, n=args.n, t_ms=args.t_ms, dt_ms=dt, steps=int(round(h.t / dt)),
                unstable=unstable, run_s=el,
                I_uA_cm2=I, spikes=sp, spike_count_total=sum(len(s) for s in sp), **compile_info))
    return dict(runs=out)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", choices=["timing", "spikes"], required=True)
    ap.add_argument("--mech", choices=["builtin", "own"], default="builtin")
    ap.add_argument("--n", type=int, help="neurons (default 1000 in timing mode, 8 in spikes mode)")
    ap.add_argument("--t-ms", type=float, help="simulated ms (default 100 in timing mode, 1000 in spikes mode)")
    ap.add_argument("--dt-ms", type=float, default=0.025)
    ap.add_argument("--secondorder", type=int, default=0, choices=[0, 1, 2])
    ap.add_argument("--secondorders", default="0,2", help="spikes mode")
    ap.add_argument("--dts", default="0.1,0.05,0.025,0.01", help="spikes mode, ms")
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--input", choices=["leak", "iclamp"], default="leak",
                    help="how the input current enters: folded into the leak's reversal potential "
                         "(the default: the same equation, no point process) or by an IClamp per cell")
    ap.add_argument("--detect", choices=["netcon", "none"], default="netcon",
                    help="spike detection in timing mode: a NetCon per cell (the default) or none")
    ap.add_argument("--build-dir", help="where to compile hh52.mod (--mech own)")
    ap.add_argument("--out", help="write the JSON here instead of stdout")
    args = ap.parse_args()
    if args.n is None:
        args.n = 8 if args.mode == "spikes" else 1000
    if args.t_ms is None:
        args.t_ms = 1000.0 if args.mode == "spikes" else 100.0
    if args.n < 1 or args.reps < 1 or args.threads < 1 or not args.dt_ms > 0 or not args.t_ms > 0:
        fail("--n, --reps and --threads must be at least 1, --dt-ms and --t-ms positive", 2)
    compile_info = dict(compile_s=0.0, compile_note="built-in mechanism: nothing to compile")
    lib = None
    if args.mech == "own":
        if not args.build_dir:
            fail("--mech own needs --build-dir", 2)
        lib, secs, how = build_mod(os.path.abspath(args.build_dir))
        compile_info = dict(compile_s=secs, compile_note=f"hh52.mod compiled by {how}")
    os.environ.setdefault("NEURON_MODULE_OPTIONS", "-nogui -NSTACK 100000 -NFRAME 20000")
    try:
        from neuron import h
    except ImportError as e:
        fail(f"NEURON is not available to {sys.executable} ({e}); install it with "
             "'apt-get install neuron python3-neuron'", EXIT_MISSING)
    if lib is not None and not h.nrn_load_dll(lib):
        fail(f"NEURON could not load {lib}", 1)
    try:
        res = timing(args, h, compile_info) if args.mode == "timing" else spikes(args, h, compile_info)
    except RuntimeError as e:
        fail(f"the NEURON run failed: {e} (NEURON's own message is above)")
    text = json.dumps(res, indent=1)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")
    else:
        print(text)
    # Leave without tearing down N sections one by one (see KEEP).
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)


if __name__ == "__main__":
    main()
