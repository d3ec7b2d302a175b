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
one's error, and 1/7 the samples' (the Go test's tolerance rests on it). nmodl/importer's TestNEURONReference holds the imported channels to these data.

Usage, from the repository root (needs NEURON's Python module and nrnivmodl):

  /usr/bin/python3 tools/reference/nmodl/import_clamp.py

Writes testdata/reference/nmodl/import.json.
"""

import glob
import json
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
    return out + [getattr(seg, s + "_" + suffix) for s in states]


def protocol(h, mechs, dt, per_sample):
    """Runs the protocol at step dt, per_sample steps between samples; returns, per
    mechanism, per level, the samples (one list per sample time)."""
    h.dt = dt
    out = {m[0]: [] for m in mechs}
    for level in LEVELS:
        h.finitialize(V_HOLD)
        rec = {m[0]: [] for m in mechs}
        for suffix, sec, _, _ in mechs:
            seg = sec(0.5)
            for name, want in (("ena", ENA), ("ek", EK), ("cai", CAI), ("cao", CAO)):
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


def child(group, lib, result):
    """Runs the mechanisms of one group (cnexp, or implicit) in this process."""
    from neuron import h
    h.nrn_load_dll(lib)
    h.celsius = CELSIUS
    h.secondorder = 0
    mechs = []
    for path in sorted(glob.glob(os.path.join(MODDIR, "*.mod"))):
        suffix, method, currents, states = describe(path)
        if (method in IMPLICIT) != (group == "implicit"):
            continue
        sec = h.Section(name=suffix)
        sec.nseg, sec.L, sec.diam, sec.cm = 1, 10, 10, 1e15
        sec.insert(suffix)
        if hasattr(h, "usetable_" + suffix):
            setattr(h, "usetable_" + suffix, 0)
        # No mechanism writes a concentration: finitialize leaves them, and ena and ek, as set.
        for name, value in (("ena", ENA), ("ek", EK), ("cai", CAI), ("cao", CAO)):
            if hasattr(sec(0.5), name):
                setattr(sec(0.5), name, value)
        mechs.append((suffix, sec, currents, states))
    if group == "cnexp":
        runs = [protocol(h, mechs, DT, EVERY)]
    else:
        runs = [protocol(h, mechs, DT / (K * f), EVERY * K * f) for f in (1, 2, 4, 8)]
    json.dump({"runs": runs, "neuron": h.nrnversion()}, open(result, "w"))


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
        for group in ("cnexp", "implicit"):  # a process each: NEURON cannot delete their sections
            path = os.path.join(build, group + ".json")
            subprocess.run([sys.executable, __file__, group, lib, path], check=True)
            results[group] = json.load(open(path))
    finally:
        shutil.rmtree(build, ignore_errors=True)

    mechanisms = {}
    for f in files:
        suffix, method, currents, states = describe(f)
        implicit = method in IMPLICIT
        runs = [r[suffix] for r in results["implicit" if implicit else "cnexp"]["runs"]]
        m = {"file": os.path.basename(f), "digest": digest(MODDIR, [os.path.basename(f)[:-4]]),
             "method": method, "vars": currents + states, "levels": []}
        worst = 0.0
        for j in range(len(m["vars"])):
            if not implicit:
                cols = [[s[j] for s in runs[0][li]] for li in range(len(LEVELS))]
            else:
                cols, coarse = [], []
                for li in range(len(LEVELS)):
                    x1, x2, x4, x8 = ([s[j] for s in r[li]] for r in runs)
                    coarse.append([(8 * c - 6 * b + a) / 3 for a, b, c in zip(x1, x2, x4)])
                    cols.append([(8 * c - 6 * b + a) / 3 for a, b, c in zip(x2, x4, x8)])
                # As the Go test measures: relative to the value, or to 1e-3 of the largest value
                # of the variable in the protocol.
                scale = max(abs(x) for col in cols for x in col)
                for col, co in zip(cols, coarse):
                    for x, y in zip(col, co):
                        worst = max(worst, abs(x - y) / max(abs(x), 1e-3 * scale, 1e-300))
            for li in range(len(LEVELS)):
                if j == 0:
                    m["levels"].append([])
                m["levels"][li].append([float("%.12g" % x) for x in cols[li]])
        if implicit:
            m["steps"] = [DT / (2 * K), DT / (4 * K), DT / (8 * K)]
            m["extrapolation_difference"] = float("%.3g" % worst)
        mechanisms[suffix] = m
    out = {
        "about": "the .mod files of " + MODDIR + " run in NEURON by tools/reference/nmodl/import_clamp.py: "
                 "currents in mA/cm2, outward positive, then the states; per mechanism, per level, per "
                 "variable, STEPS/EVERY+1 samples (the holding state, then after every EVERY steps of dt); "
                 "derivimplicit and sparse: extrapolated to dt -> 0 from the three steps given",
        "neuron": results["cnexp"]["neuron"], "python": platform.python_version(),
        "V_hold": V_HOLD, "levels": LEVELS, "dt": DT, "steps": STEPS, "every": EVERY,
        "celsius": CELSIUS, "ena": ENA, "ek": EK, "cai": CAI, "cao": CAO,
        "mechanisms": mechanisms,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f, separators=(",", ":"), sort_keys=True)
        f.write("\n")
    print("wrote", OUT, os.path.getsize(OUT), "bytes")
    for s, m in sorted(mechanisms.items()):
        if "extrapolation_difference" in m:
            print("%s (%s): the two extrapolations differ by %g relative" % (s, m["method"], m["extrapolation_difference"]))


if __name__ == "__main__":
    main()
