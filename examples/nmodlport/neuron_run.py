"""Runs the regular-spiking cell of Pospischil et al. (2008) in NEURON, from the .mod files of
this directory (nat.mod, kdr.mod, im.mod, and NEURON's own pas for the leak), in current clamp,
and writes the spike times that TestNEURON (nmodlport_test.go) holds neurogen's run of rs.yaml
to. The cell is rs.yaml's: one section of 10 000 um2 (L = diam = sqrt(10000/pi) um, nseg 1),
cm 1 uF/cm2, ena 50 mV, ek -90 mV, leak 0.0205 mS/cm2 at -70.3 mV, celsius 36, every state at
its steady state at v_init = -70 mV. Four cells get an IClamp of 0.1, 0.2, 0.3 and 0.4 nA from
t = 0 (1, 2, 3 and 4 uA/cm2) for 1000 ms. A spike is an upward crossing of 0 mV, timed by
linear interpolation between the two steps of v that bracket it, as neurogen times them.

Three runs: the fixed step of 0.025 ms with secondorder = 2 (Crank-Nicolson, which neurogen's
staggered method reproduces), the same step with NEURON's default secondorder = 0 (backward
Euler), and secondorder = 2 at 0.001 ms, whose spikes are within about 1e-4 ms of the exact
solution (its error falls as dt^2: 625 times below that of the 0.025 ms run).

Usage, from the repository root (needs NEURON's Python module and nrnivmodl; a few seconds):

  /usr/bin/python3 examples/nmodlport/neuron_run.py   # writes examples/nmodlport/testdata/neuron.json
"""

import json
import math
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
MODS = ["nat.mod", "kdr.mod", "im.mod"]
AREA_UM2 = 10000.0
AMPS_NA = [0.1, 0.2, 0.3, 0.4]
T_MS = 1000.0
V_INIT = -70.0
V_TH = 0.0
RUNS = [(2, 0.025), (0, 0.025), (2, 0.001)]  # (secondorder, dt)


def compile_mods(moddir):
    """Compiles the .mod files of moddir with nrnivmodl; returns the library's path."""
    # Debian's neuron-dev 8.2 keeps nrnmech_makefile under /usr/lib/nrn, where nrnivmodl does
    # not look, and links against /usr/lib/nrn/libnrniv.so: point it there (the `special`
    # binary then fails to link, which the Python module does not need).
    env = dict(os.environ)
    if os.path.exists("/usr/lib/nrn/nrnmech_makefile") and not os.path.exists("/usr/bin/nrnmech_makefile"):
        exe = os.path.join(moddir, "nrnexec")
        os.makedirs(os.path.join(exe, "bin"))
        os.symlink("/usr/lib/nrn/nrnmech_makefile", os.path.join(exe, "bin", "nrnmech_makefile"))
        env["NRNHOME_EXEC"] = exe
    subprocess.run(["nrnivmodl", "-loadflags", "-L/usr/lib/nrn -Wl,-rpath,/usr/lib/nrn"],
                   cwd=moddir, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    lib = os.path.join(moddir, "x86_64", ".libs", "libnrnmech.so")
    if not os.path.exists(lib):
        sys.exit("nrnivmodl did not build " + lib)
    return lib


def crossings(t0, dt, v):
    """Upward crossings of V_TH, linearly interpolated between steps."""
    out = []
    for k in range(1, len(v)):
        if v[k - 1] < V_TH <= v[k]:
            out.append(t0 + dt * (k - 1 + (V_TH - v[k - 1]) / (v[k] - v[k - 1])))
    return out


def run(h, secondorder, dt):
    cells = []
    diam = math.sqrt(AREA_UM2 / math.pi)
    for amp in AMPS_NA:
        s = h.Section()
        s.nseg = 1
        s.L = s.diam = diam
        s.cm = 1
        for mech in ("nat", "kdr", "im", "pas"):
            s.insert(mech)
        s.ena = 50
        s.ek = -90
        for seg in s:
            seg.pas.g = 2.05e-5   # S/cm2
            seg.pas.e = -70.3     # mV
        st = h.IClamp(s(0.5))
        st.delay = 0
        st.dur = 1e9
        st.amp = amp
        v = h.Vector()
        v.record(s(0.5)._ref_v)
        cells.append((s, st, v))
    h.celsius = 36
    h.secondorder = secondorder
    h.dt = dt
    h.finitialize(V_INIT)
    while h.t < T_MS - dt / 2:
        h.fadvance()
    area = h.area(0.5, sec=cells[0][0])
    return {
        "model": "PospischilRS",
        "label": "NEURON fixed step, secondorder=%d" % secondorder,
        "secondorder": secondorder,
        "n": len(AMPS_NA),
        "t_ms": T_MS,
        "dt_ms": dt,
        "I_nA": AMPS_NA,
        "I_uA_cm2": [amp * 1e-3 / (area * 1e-8) for amp in AMPS_NA],  # nA -> uA, um2 -> cm2
        "area_um2": area,
        "spikes": [crossings(0.0, dt, list(v)) for (_, _, v) in cells],
    }


def main():
    moddir = tempfile.mkdtemp(prefix="nmodlport-")
    try:
        for f in MODS:
            shutil.copy(os.path.join(HERE, f), moddir)
        compile_mods(moddir)
        os.chdir(moddir)  # `import neuron` loads x86_64/.libs/libnrnmech.so from here
        from neuron import h
        if not hasattr(h, "nat"):
            sys.exit("NEURON did not load the compiled .mod files")
        runs = [run(h, so, dt) for (so, dt) in RUNS]
    finally:
        shutil.rmtree(moddir, ignore_errors=True)
    out = {
        "neuron": h.nrnversion(),
        "mod_files": MODS,
        "celsius": 36,
        "v_init_mV": V_INIT,
        "V_th_mV": V_TH,
        "runs": runs,
    }
    os.makedirs(os.path.join(HERE, "testdata"), exist_ok=True)
    path = os.path.join(HERE, "testdata", "neuron.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    for r in runs:
        print(r["label"], "dt", r["dt_ms"], "spikes", [len(s) for s in r["spikes"]])


if __name__ == "__main__":
    main()
