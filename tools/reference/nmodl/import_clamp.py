#!/usr/bin/env python3
"""Voltage clamp, in NEURON, of the reference .mod files that neurogen imports.

nmodl/testdata/ref holds .mod files written from published equations (each cites its paper).
This script compiles them as they are with nrnivmodl and runs each mechanism, alone in a
section of its own, through a voltage-clamp protocol:

  * every state starts at its steady state at V_HOLD (finitialize, the .mod's INITIAL);
    celsius = CELSIUS; ena, ek, [Ca]i and [Ca]o at ENA, EK, CAI, CAO (no mechanism writes a
    concentration); rate TABLEs off (usetable_SUFFIX = 0);
  * at t = 0, v steps to each of LEVELS and stays there for STEPS steps of DT (the section's
    capacitance is 1e15 uF/cm2: v moves by less than 1e-10 mV in the whole run, and is set back
    to the level before each sample); h.fcurrent() evaluates the currents at the new states;
  * each current the mechanism writes (mA/cm2, outward positive) and each STATE are recorded at
    step 0 (the holding states, the currents at the level) and after every EVERY-th step.

A mechanism integrated by cnexp runs at DT itself: at fixed v, cnexp integrates a state whose
derivative is linear in it exactly, as neurogen's exp_auto does, so the two agree to rounding.
One integrated by derivimplicit or sparse (backward Euler, first order in dt) runs at four
steps, h = DT/K, h/2, h/4 and h/8, and the samples are Richardson's extrapolation of the three
finest to dt -> 0, (8 x(h/8) - 6 x(h/4) + x(h/2))/3, whose error is O(h^3); the script records,
per mechanism, the largest relative difference between it and the same extrapolation from the
three coarsest, whose error is 8 times as large: 8/7 of that difference bounds the coarser
one's error, and 1/7 the samples' (the Go test's tolerance rests on it). nmodl/importer's
TestNEURONReference holds the imported channels to these data.

A mechanism that writes a concentration (cad.mod, a calcium pool) is not run alone: the pool
case runs POOL (the pool, the channel that fills it, one that reads it) in one section through
the same protocol, extrapolated as cad is derivimplicit (TestNEURONPool). The cell case runs
CELL in one section of 1 uF/cm2 in current clamp, CELL_I from t = 0 at CELL_CELSIUS with
CELL_PARAMS set, at each of CELL_DTS, and records where v crosses 0 mV upward (interpolated
linearly between steps); the spike times are extrapolated from the three finest steps as
above (TestNEURONCell).

Usage, from the repository root (needs NEURON's Python module and nrnivmodl):

  /usr/bin/python3 tools/reference/nmodl/import_clamp.py

Writes testdata/reference/nmodl/import.json.
"""

import glob
import json
import math
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from clamp import compile_mods, digest  # noqa: E402

MODDIR = "nmodl/testdata/ref"
OUT = "testdata/reference/nmodl/import.json"
V_HOLD = -70.0
# No level sits on a removable singularity of a rate (-50, -48, -40, -35, -30, -23, 0, 25 mV).
LEVELS = [-100.0, -45.0, -10.0, 30.0]
DT = 0.025
STEPS = 1000
EVERY = 20
K = 100  # the implicit methods' coarsest step is DT/K
CELSIUS = 36.0
ENA, EK, CAI, CAO = 50.0, -90.0, 5e-4, 2.0
IMPLICIT = ("derivimplicit", "sparse")
# Sets of mechanisms run together in one section: a calcium pool with the channel that fills it
# and one that reads it, in voltage clamp; and a whole cell, in current clamp.
POOL = ["cad", "cat", "sk"]
CELL = ["cad", "cat", "sk", "hh52"]
CELL_V_INIT = -65.0  # mV
CELL_I = 30.0  # uA/cm2, injected from t = 0
CELL_TSTOP = 100.0  # ms
CELL_CELSIUS = 6.3  # HH's temperature: at 36 degC its squid axon does not fire repetitively
CELL_PARAMS = {"pcabar_cat": 3e-6, "gbar_sk": 3e-4}  # cm/s, S/cm2: calcium builds up over spikes
CELL_DTS = [0.004, 0.002, 0.001, 0.0005]  # ms


def code(path):
    """The text of a .mod file without its comments and COMMENT blocks."""
    text = re.sub(r"(?s)\bCOMMENT\b.*?\bENDCOMMENT\b", "", open(path).read())
    return "\n".join(line.split(":")[0] for line in text.splitlines())


def describe(path):
    """The SUFFIX, the method, the currents and the states of a .mod file."""
    src = code(path)
    suffix = re.search(r"\bSUFFIX\s+(\w+)", src).group(1)
    method = re.search(r"\bMETHOD\s+(\w+)", src).group(1)
    currents = []
    for line in src.splitlines():
        words = line.replace(",", " ").split()
        if words[:1] == ["NONSPECIFIC_CURRENT"]:
            currents += words[1:]
        elif words[:1] == ["USEION"] and "WRITE" in words:
            i = words.index("WRITE") + 1
            while i < len(words) and words[i] not in ("READ", "VALENCE"):
                if words[i].startswith("i"):  # a current, not a concentration (a pool's cai)
                    currents.append(words[i])
                i += 1
    block = re.search(r"\bSTATE\s*\{([^}]*)\}", src).group(1)
    block = re.sub(r"\([^)]*\)|<[^>]*>|\bFROM\s+\S+\s+TO\s+\S+", " ", block)
    return suffix, method, currents, block.split()


def sample(seg, suffix, currents, states):
    out = []
    for c in currents:
        ion = re.fullmatch(r"i(na|k|ca|cl)", c)
        out.append(getattr(seg, c) if ion else getattr(seg, c + "_" + suffix))
    for s in states:
        ion = re.fullmatch(r"(na|k|ca|cl)[io]", s)  # a pool's concentration is the ion's
        out.append(getattr(seg, s) if ion else getattr(seg, s + "_" + suffix))
    return out


def writes_conc(path):
    return re.search(r"\bWRITE\b[^\n]*\b(na|k|ca|cl)i\b", code(path)) is not None


def protocol(h, mechs, dt, per_sample, pool):
    """Runs the voltage-clamp protocol at step dt, per_sample steps between samples; returns,
    per mechanism, per level, the samples (one list per sample time)."""
    h.dt = dt
    out = {m[0]: [] for m in mechs}
    for level in LEVELS:
        h.finitialize(V_HOLD)
        rec = {m[0]: [] for m in mechs}
        for suffix, sec, _, _ in mechs:
            seg = sec(0.5)
            for name, want in (("ena", ENA), ("ek", EK), ("cai", CAI), ("cao", CAO)):
                if name == "cai" and pool:
                    continue  # the pool's INITIAL sets it
                if hasattr(seg, name) and getattr(seg, name) != want:
                    sys.exit("%s: %s %g after finitialize, want %g" % (suffix, name, getattr(seg, name), want))
        for k in range(STEPS // EVERY + 1):
            if k > 0:
                for _ in range(per_sample):
                    h.fadvance()
            for _, sec, _, _ in mechs:
                sec.v = level
            h.fcurrent()
            for suffix, sec, currents, states in mechs:
                rec[suffix].append(sample(sec(0.5), suffix, currents, states))
        for suffix in out:
            out[suffix].append(rec[suffix])
    return out


def section(h, name, cm, suffixes):
    """A section with the mechanisms, rate TABLEs off, ena, ek, [Ca]i and [Ca]o set (a pool's
    INITIAL sets [Ca]i; no mechanism writes the others, so finitialize leaves them)."""
    sec = h.Section(name=name)
    sec.nseg, sec.L, sec.diam, sec.cm = 1, 10, 10, cm
    for suffix in suffixes:
        sec.insert(suffix)
        if hasattr(h, "usetable_" + suffix):
            setattr(h, "usetable_" + suffix, 0)
    for name, value in (("ena", ENA), ("ek", EK), ("cai", CAI), ("cao", CAO)):
        if hasattr(sec(0.5), name):
            setattr(sec(0.5), name, value)
    return sec


def spikes(t, v):
    """The times where v crosses 0 mV upward, interpolated linearly between steps."""
    out = []
    for i in range(1, len(v)):
        if v[i - 1] < 0 <= v[i]:
            out.append(t[i - 1] + (t[i] - t[i - 1]) * (0 - v[i - 1]) / (v[i] - v[i - 1]))
    return out


def child(group, lib, result):
    """Runs one group in this process: cnexp or implicit (each mechanism alone in a section),
    pool (POOL in one section) or cell (CELL in current clamp)."""
    from neuron import h
    h.nrn_load_dll(lib)
    h.celsius = CELSIUS
    h.secondorder = 0
    files = {describe(p)[0]: p for p in glob.glob(os.path.join(MODDIR, "*.mod"))}
    if group == "cell":
        # area pi*diam*L = 100 um2 = 1e-6 cm2: 1 nA is 1000 uA/cm2.
        h.celsius = CELL_CELSIUS
        sec = section(h, "cell", 1, CELL)
        sec.diam = 10 / math.pi
        for name, value in CELL_PARAMS.items():
            setattr(sec(0.5), name, value)
        stim = h.IClamp(sec(0.5))
        stim.delay, stim.dur, stim.amp = 0, 1e9, CELL_I / 1000 * (math.pi * sec.diam * sec.L * 1e-8) / 1e-6
        runs = []
        for dt in CELL_DTS:
            h.dt = dt
            tv, vv = h.Vector().record(h._ref_t), h.Vector().record(sec(0.5)._ref_v)
            h.finitialize(CELL_V_INIT)
            while h.t < CELL_TSTOP - dt / 2:
                h.fadvance()
            runs.append(spikes(list(tv), list(vv)))
        json.dump({"runs": runs}, open(result, "w"))
        return
    mechs = []
    for suffix, path in sorted(files.items()):
        _, method, currents, states = describe(path)
        if group == "pool":
            if suffix not in POOL:
                continue
            sec = mechs[0][1] if mechs else section(h, "pool", 1e15, POOL)
        elif writes_conc(path) or (method in IMPLICIT) != (group == "implicit"):
            continue
        else:
            sec = section(h, suffix, 1e15, [suffix])
        mechs.append((suffix, sec, currents, states))
    if group == "cnexp":
        runs = [protocol(h, mechs, DT, EVERY, False)]
    else:
        runs = [protocol(h, mechs, DT / (K * f), EVERY * K * f, group == "pool") for f in (1, 2, 4, 8)]
    json.dump({"runs": runs, "neuron": h.nrnversion()}, open(result, "w"))


def extrapolate(x1, x2, x4, x8):
    """Richardson's extrapolation to dt -> 0 of values at steps h/2, h/4 and h/8 of a first-order
    method (error O(h^3)), and the same from h, h/2 and h/4."""
    return (8 * x8 - 6 * x4 + x2) / 3, (8 * x4 - 6 * x2 + x1) / 3


def assemble(paths, runs, implicit):
    """The mechanisms' data from the runs: per mechanism its variables and, per level, their
    samples; where implicit, extrapolated, with the largest relative difference of the two
    extrapolations."""
    mechanisms, worst = {}, 0.0
    for path in paths:
        suffix, method, currents, states = describe(path)
        rs = [r[suffix] for r in runs]
        m = {"file": os.path.basename(path), "digest": digest(MODDIR, [os.path.basename(path)[:-4]]),
             "method": method, "vars": currents + states, "levels": [[] for _ in LEVELS]}
        for j in range(len(m["vars"])):
            if not implicit:
                cols = [[s[j] for s in rs[0][li]] for li in range(len(LEVELS))]
            else:
                cols, coarse = [], []
                for li in range(len(LEVELS)):
                    pairs = [extrapolate(*x) for x in zip(*([s[j] for s in r[li]] for r in rs))]
                    cols.append([p[0] for p in pairs])
                    coarse.append([p[1] for p in pairs])
                # As the Go test measures: relative to the value, or to 1e-3 of the largest value
                # of the variable in the protocol.
                scale = max(abs(x) for col in cols for x in col)
                for col, co in zip(cols, coarse):
                    for x, y in zip(col, co):
                        worst = max(worst, abs(x - y) / max(abs(x), 1e-3 * scale, 1e-300))
            for li in range(len(LEVELS)):
                m["levels"][li].append([float("%.12g" % x) for x in cols[li]])
        mechanisms[suffix] = m
    return mechanisms, float("%.3g" % worst)


def main():
    if len(sys.argv) == 4:
        return child(*sys.argv[1:])
    build = tempfile.mkdtemp(prefix="neurogen-import-")
    files = sorted(glob.glob(os.path.join(MODDIR, "*.mod")))
    for f in files:
        shutil.copy(f, build)
    try:
        lib = os.path.abspath(compile_mods(build))
        results = {}
        for group in ("cnexp", "implicit", "pool", "cell"):  # a process each: NEURON cannot delete sections
            path = os.path.join(build, group + ".json")
            subprocess.run([sys.executable, __file__, group, lib, path], check=True)
            results[group] = json.load(open(path))
    finally:
        shutil.rmtree(build, ignore_errors=True)

    by_suffix = {describe(f)[0]: f for f in files}
    mechanisms = {}
    for f in files:
        suffix, method, _, _ = describe(f)
        if writes_conc(f):
            continue
        implicit = method in IMPLICIT
        m, worst = assemble([f], results["implicit" if implicit else "cnexp"]["runs"], implicit)
        if implicit:
            m[suffix]["steps"] = [DT / (2 * K), DT / (4 * K), DT / (8 * K)]
            m[suffix]["extrapolation_difference"] = worst
        mechanisms.update(m)
    pool, worst = assemble([by_suffix[s] for s in POOL], results["pool"]["runs"], True)
    pool = {"mechanisms": pool, "steps": [DT / (2 * K), DT / (4 * K), DT / (8 * K)], "extrapolation_difference": worst}
    runs = results["cell"]["runs"]
    if len({len(r) for r in runs}) != 1:
        sys.exit("the cell fires %s spikes at steps %s" % ([len(r) for r in runs], CELL_DTS))
    pairs = [extrapolate(*x) for x in zip(*runs)]
    cell = {"files": [os.path.basename(by_suffix[s]) for s in CELL],
            "digest": digest(MODDIR, [os.path.basename(by_suffix[s])[:-4] for s in sorted(CELL)]),
            "V_init": CELL_V_INIT, "I": CELL_I, "tstop": CELL_TSTOP, "steps": CELL_DTS[1:],
            "celsius": CELL_CELSIUS, "params": CELL_PARAMS,
            "spikes": [float("%.9g" % p[0]) for p in pairs],
            "extrapolation_difference": float("%.3g" % max(abs(p[0] - p[1]) for p in pairs)),
            "spikes_at_steps": [[float("%.9g" % x) for x in r] for r in runs]}
    out = {
        "about": "the .mod files of " + MODDIR + " run in NEURON by tools/reference/nmodl/import_clamp.py: "
                 "mechanisms: each alone in voltage clamp, currents in mA/cm2, outward positive, then the "
                 "states; per mechanism, per level, per variable, STEPS/EVERY+1 samples (the holding state, "
                 "then after every EVERY steps of dt); derivimplicit and sparse extrapolated to dt -> 0 from "
                 "the three steps given. pool: a calcium pool and two channels in one section, the same "
                 "protocol, extrapolated. cell: spike times (ms) in current clamp, extrapolated",
        "neuron": results["cnexp"]["neuron"], "python": platform.python_version(),
        "V_hold": V_HOLD, "levels": LEVELS, "dt": DT, "steps": STEPS, "every": EVERY,
        "celsius": CELSIUS, "ena": ENA, "ek": EK, "cai": CAI, "cao": CAO,
        "mechanisms": mechanisms, "pool": pool, "cell": cell,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f, separators=(",", ":"), sort_keys=True)
        f.write("\n")
    print("wrote", OUT, os.path.getsize(OUT), "bytes")
    for s, m in sorted(mechanisms.items()):
        if "extrapolation_difference" in m:
            print("%s (%s): the two extrapolations differ by %g relative" % (s, m["method"], m["extrapolation_difference"]))
    print("pool: the two extrapolations differ by %g relative" % pool["extrapolation_difference"])
    print("cell: %d spikes, the two extrapolations differ by %g ms; spike times at each step:" % (len(cell["spikes"]), cell["extrapolation_difference"]))
    for dt, r in zip(CELL_DTS, runs):
        print("  dt %g: %s" % (dt, " ".join("%.6f" % x for x in r)))


if __name__ == "__main__":
    main()
