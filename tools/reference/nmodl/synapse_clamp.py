#!/usr/bin/env python3
"""Voltage clamp, in NEURON, of the synaptic point processes that neurogen imports as receptors.

nmodl/importer/testdata holds expsyn.mod and exp2syn.mod, written from the equations NEURON
documents for its built-in ExpSyn and Exp2Syn. This script compiles them with nrnivmodl (their
POINT_PROCESS renamed ExpSynRef and Exp2SynRef in the copy it compiles: NEURON has ExpSyn and
Exp2Syn built in, and refuses a second mechanism of the same name) and runs each, alone in a
section of its own, through this protocol:

  * the section's capacitance is 1e15 uF/cm2 and v is set back to V after every fadvance, so it
    stays at V; the point process starts at its INITIAL (its states 0) by finitialize(V);
    fixed step DT, secondorder 0, METHOD cnexp (the files');
  * a NetCon without a source delivers EVENTS (time in ms, weight in uS) to it; the times lie
    between steps, (k + 0.2)·DT, so that which step takes each event does not hang on rounding;
  * after finitialize and after every fadvance, h.fcurrent() evaluates BREAKPOINT at the states,
    and i (nA, outward positive) and the STATEs are recorded: STEPS + 1 samples, shortest
    round-trip floats.

NEURON's fixed step delivers an event at the step boundary nearest its time: one in
(k·DT, (k + 1/2)·DT] at the start of step k, before the states are integrated from k·DT to
(k + 1)·DT; one in ((k - 1/2)·DT, k·DT] at the end of step k - 1, after they are (so sample k,
taken after that fadvance, shows it undecayed; both seen in NEURON 8.2.2 with events at
(k + 0.49)·DT and (k - 0.4)·DT). An event at (k + 0.2)·DT is thus applied after sample k and
before step k: sample k + 1 is the first that shows it, decayed over one whole step. The script
checks this on the data (sample k does not show the event, sample k + 1 does); EVENTS gives each
event's k. nmodl/importer's TestNEURONSynapses holds the imported receptors to these data.

Usage, from the repository root (needs NEURON's Python module and nrnivmodl):

  /usr/bin/python3 tools/reference/nmodl/synapse_clamp.py

Writes testdata/reference/nmodl/synapse.json.
"""

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

MODDIR = "nmodl/importer/testdata"
OUT = "testdata/reference/nmodl/synapse.json"
V = -65.0  # mV, clamped
DT = 0.025  # ms
STEPS = 320  # 8 ms
W = 0.004  # uS
# (step, weight): one event, then two 0.1 ms apart (summation), then two in one step.
EVENTS = [(20, W), (120, W), (124, 0.5 * W), (200, 0.25 * W), (200, W)]
# Each file, the name NEURON runs it under, its parameters in the run (as TestSynapses's group),
# its STATEs.
SYNAPSES = {
    "expsyn.mod": ("ExpSyn", "ExpSynRef", {"tau": 2.0, "e": -10.0}, ["g"]),
    "exp2syn.mod": ("Exp2Syn", "Exp2SynRef", {"tau1": 0.5, "tau2": 3.0, "e": 0.0}, ["A", "B"]),
}


def child(lib, result):
    from neuron import h
    h.nrn_load_dll(lib)
    h.secondorder = 0
    h.dt = DT
    out = {}
    for file, (name, ref, params, states) in sorted(SYNAPSES.items()):
        sec = h.Section(name=name)
        sec.nseg, sec.L, sec.diam, sec.cm = 1, 10, 10, 1e15
        syn = getattr(h, ref)(sec(0.5))
        for k, x in params.items():
            setattr(syn, k, x)
        # A NetCon per event: NET_RECEIVE reads the NetCon's weight when the event arrives.
        ncs = [h.NetCon(None, syn) for _ in EVENTS]
        for nc, (_, w) in zip(ncs, EVENTS):
            nc.weight[0], nc.delay = w, 0
        h.finitialize(V)
        for nc, (step, _) in zip(ncs, EVENTS):
            nc.event((step + 0.2) * DT)
        rec = {v: [] for v in ["i"] + states}
        for n in range(STEPS + 1):
            if n > 0:
                h.fadvance()
            sec.v = V
            h.fcurrent()
            for v in rec:
                rec[v].append(getattr(syn, v))
        if abs(h.t - STEPS * DT) > 1e-9:
            sys.exit("%s: t = %r after %d steps" % (name, h.t, STEPS))
        # Each event shows first in the sample after its step: the states before it are what
        # the previous events left, decayed; after it, more.
        s = rec[states[-1]]
        for step, _ in EVENTS:
            if not (s[step + 1] > s[step] * 1.0001 and (step == 0 or s[step] <= s[step - 1] * 1.0001 or s[step - 1] == 0)):
                sys.exit("%s: the event of step %d is not first seen at sample %d: %r" % (name, step, step + 1, s[step - 1:step + 2]))
        out[file] = {"point_process": name, "params": params, "vars": ["i"] + states,
                     "samples": [rec[v] for v in ["i"] + states]}
    json.dump({"synapses": out, "neuron": h.nrnversion()}, open(result, "w"))


def main():
    if len(sys.argv) == 3:
        return child(*sys.argv[1:])
    build = tempfile.mkdtemp(prefix="neurogen-synapse-")
    try:
        for file, (name, ref, _, _) in SYNAPSES.items():
            src = open(os.path.join(MODDIR, file)).read()
            src, n = re.subn(r"\bPOINT_PROCESS\s+%s\b" % name, "POINT_PROCESS " + ref, src)
            if n != 1:
                sys.exit("%s: no POINT_PROCESS %s" % (file, name))
            open(os.path.join(build, file), "w").write(src)
        lib = os.path.abspath(compile_mods(build))
        path = os.path.join(build, "synapse.json")
        subprocess.run([sys.executable, __file__, lib, path], check=True)
        res = json.load(open(path))
    finally:
        shutil.rmtree(build, ignore_errors=True)
    for file, s in res["synapses"].items():
        s["digest"] = digest(MODDIR, [file[:-4]])
    out = {
        "about": "the synaptic point processes of " + MODDIR + " run in NEURON by "
                 "tools/reference/nmodl/synapse_clamp.py: each alone in voltage clamp at V, events "
                 "[step, weight (uS)] delivered at (step + 0.2) dt, so applied at the start of that step "
                 "and first seen in sample step + 1; per synapse, per variable (i in nA, outward "
                 "positive, then the states in uS), steps + 1 samples (after finitialize, then after "
                 "every step)",
        "neuron": res["neuron"], "python": platform.python_version(),
        "V": V, "dt": DT, "steps": STEPS, "events": [[s, w] for s, w in EVENTS],
        "synapses": res["synapses"],
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f, separators=(",", ":"), sort_keys=True)
        f.write("\n")
    print("wrote", OUT, os.path.getsize(OUT), "bytes")


if __name__ == "__main__":
    main()
