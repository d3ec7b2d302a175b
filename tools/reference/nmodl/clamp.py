#!/usr/bin/env python3
"""Voltage clamp of every stock channel in NEURON, from the .mod files neurogen exports.

`neurogen export nmodl tools/reference/nmodl/stock.yaml` writes one .mod file per stock channel
(the group stock.yaml holds them all, with T = 36 degC, a Ca ion whose reversal potential is
Nernst's from [Ca]i = 2.4e-4 mM and [Ca]o = 2 mM, and a K ion at E = -90 mV). This script
exports them into a temporary directory, compiles them with nrnivmodl and runs each channel,
alone in a section of its own, through a voltage-clamp protocol:

  * every state starts at its steady state at V_HOLD (finitialize, the .mod's INITIAL, which
    is neurogen's initial value), [Ca]i and [Ca]o fixed (no mechanism writes them), ek = -90 mV,
    celsius = 36;
  * at t = 0, v steps to each of LEVELS and stays there for STEPS steps of DT (fixed step,
    cnexp): after every fadvance, v is set back to the level (the section's capacitance is
    1e15 uF/cm2, so a step moves v by less than 1e-13 mV before that) and h.fcurrent()
    evaluates the current at the new states;
  * each channel's current density (NEURON's: mA/cm2, outward positive) and its gates are
    recorded at step 0 (the holding states, the current at the level) and after every step.

A second case, pool (tools/reference/nmodl/pool.yaml), runs a T-type calcium channel and the
detailed calcium pool its current fills, exported as a mechanism that reads ica and writes cai,
together in one section, [Ca]i starting at the pool's C_i and recorded as the pool's variable,
eca fixed at 120 mV as the spec fixes E_Ca (ion_style, or NEURON would compute it from cai).

NEURON's cnexp integrates a state whose derivative is linear in it, at fixed v, exactly as
neurogen's exp_auto does (x + (1 - exp(dt*b))*(-a/b - x) against x + dt*exprel(dt*b)*(a + b*x)),
and the pool reads ica as the channels' BREAKPOINT left it at the step's start, as exp_auto reads
the ion's current; so the two agree to rounding. nmodl/export's TestNEURONClamp holds neurogen
to these data.

Usage, from the repository root (needs go, NEURON's Python module and nrnivmodl):

  /usr/bin/python3 tools/reference/nmodl/clamp.py [stock] [pool]   (default: both)

Writes testdata/reference/nmodl/CASE.json.
"""

import hashlib
import json
import os
import shutil
import platform
import subprocess
import sys
import tempfile

V_HOLD = -70.0
LEVELS = [-100.0, -40.0, 0.0, 40.0]
DT = 0.025
STEPS = 200
CELSIUS = 36.0
CAI, CAO, EK, ECA = 2.4e-4, 2.0, -90.0, 120.0


def build(moddir, spec):
    """Exports the channels into moddir and compiles them; returns the channels' names."""
    subprocess.run(["go", "run", "./cmd/neurogen", "export", "nmodl", spec, "-o", moddir], check=True,
                   stdout=subprocess.DEVNULL)
    return compile_mods(moddir), sorted(f[:-4] for f in os.listdir(moddir) if f.endswith(".mod"))


def compile_mods(moddir):
    """Compiles the .mod files of moddir with nrnivmodl; returns the library's path."""
    # Debian's neuron-dev 8.2 keeps nrnmech_makefile under /usr/lib/nrn, where nrnivmodl does not
    # look, and links against /usr/lib/nrn/libnrniv.so: point it there. The `special` binary
    # then fails to link, which the Python module does not need.
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


def digest(moddir, suffixes):
    """SHA-256 of the code of the .mod files: for each, its name and a newline, then each line
    that holds code, without its comment (from ":") and trailing blanks, and a newline; the
    TITLE, COMMENT blocks and blank lines left out. The Go test recomputes it, so that data made
    from other code than export writes now fail, whatever the docs say."""
    sha = hashlib.sha256()
    for s in suffixes:
        sha.update((s + ".mod\n").encode())
        comment = False
        for line in open(os.path.join(moddir, s + ".mod")):
            t = line.strip()
            if comment:
                comment = t != "ENDCOMMENT"
                continue
            if t == "COMMENT":
                comment = True
                continue
            code = line.split(":")[0].rstrip()
            if code.strip() == "" or code.startswith("TITLE"):
                continue
            sha.update((code + "\n").encode())
    return sha.hexdigest()


def gates(modfile):
    """The STATE names of a .mod file, in order."""
    names, inside = [], False
    for line in open(modfile):
        s = line.strip()
        if s.startswith("STATE {"):
            inside = True
        elif inside and s == "}":
            break
        elif inside and s:
            names.append(s)
    return names


def current(modfile):
    """The current the mechanism writes: ina, ik, ica or i."""
    for line in open(modfile):
        s = line.split(":")[0].split()
        if s[:1] == ["NONSPECIFIC_CURRENT"]:
            return "i"
        if s[:1] == ["USEION"] and "WRITE" in s:
            return s[s.index("WRITE") + 1]
    sys.exit(modfile + ": no current")


# The cases: the group spec, where the data go, and whether every mechanism has a section of its
# own (each channel alone: its current is the ion's current of its section) or all share one
# (a pool and the channels whose current fills it).
CASES = {
    "stock": ("tools/reference/nmodl/stock.yaml", "testdata/reference/nmodl/stock.json", False),
    "pool": ("tools/reference/nmodl/pool.yaml", "testdata/reference/nmodl/pool.json", True),
}


def run(h, moddir, suffixes, shared):
    """Runs the protocol on the mechanisms; returns, per mechanism, its variables and their
    samples per level."""
    mechs = []
    one = None
    for suffix in suffixes:
        mod = os.path.join(moddir, suffix + ".mod")
        if shared and one is not None:
            sec = one
        else:
            sec = h.Section(name=suffix)
            sec.nseg, sec.L, sec.diam, sec.cm = 1, 10, 10, 1e15
            one = sec
        sec.insert(suffix)
        pool = suffix.endswith("_pool")
        mechs.append((suffix, sec, None if pool else current(mod), [] if pool else gates(mod)))
    for sec in {id(m[1]): m[1] for m in mechs}.values():
        seg = sec(0.5)
        if hasattr(seg, "ek"):
            seg.ek = EK
        if hasattr(seg, "cai") and not shared:  # a concentration no mechanism writes keeps its value
            seg.cai, seg.cao = CAI, CAO
        elif hasattr(seg, "cao"):
            # A pool writes cai: NEURON would compute eca from it, where the spec fixes E_Ca.
            seg.cao = CAO
            h.ion_style("ca_ion", 3, 1, 0, 0, 0, sec=sec)
            seg.eca = ECA
    # The ions' initial concentrations exist once a mechanism that uses the ion is inserted.
    h.cai0_ca_ion, h.cao0_ca_ion = CAI, CAO

    def sample(sec, suffix, cur, names):
        seg = sec(0.5)
        if cur is None:  # a pool: its concentration
            return [seg.cai]
        own = cur + "_" + suffix if cur == "i" else cur  # a nonspecific current is the mechanism's
        return [getattr(seg, own)] + [getattr(seg, n + "_" + suffix) for n in names]

    data = {}
    for suffix, _, cur, names in mechs:
        data[suffix] = {"vars": ["cai"] if cur is None else [cur] + names, "levels": []}
    for level in LEVELS:
        h.finitialize(V_HOLD)
        for suffix, sec, _, _ in mechs:
            seg = sec(0.5)
            if hasattr(seg, "ek"):
                seg.ek = EK
            if hasattr(seg, "cai") and (seg.cai != CAI or seg.cao != CAO):
                sys.exit("%s: cai %g, cao %g after finitialize" % (suffix, seg.cai, seg.cao))
            if shared and hasattr(seg, "eca") and seg.eca != ECA:
                sys.exit("%s: eca %g after finitialize" % (suffix, seg.eca))
        rec = {s: [] for s in data}

        def record():
            for _, sec, _, _ in mechs:
                sec.v = level
            h.fcurrent()
            for suffix, sec, cur, names in mechs:
                rec[suffix].append(sample(sec, suffix, cur, names))

        record()
        for _ in range(STEPS):
            h.fadvance()
            record()
        for suffix in data:
            cols = list(zip(*rec[suffix]))
            data[suffix]["levels"].append([[float("%.13g" % x) for x in c] for c in cols])
    return data


def main():
    names = sys.argv[1:] or sorted(CASES)
    for name in names:
        if name not in CASES:
            sys.exit("unknown case %r (cases: %s)" % (name, ", ".join(sorted(CASES))))
    root = os.getcwd()
    for name in names:
        # NEURON loads one set of mechanisms per process: a process per case.
        if len(names) > 1:
            subprocess.run([sys.executable, __file__, name], check=True)
            continue
        spec, out_path, shared = CASES[name]
        moddir = tempfile.mkdtemp(prefix="neurogen-nmodl-")
        lib, suffixes = build(moddir, spec)
        os.chdir(moddir)  # `import neuron` loads x86_64/.libs/libnrnmech.so from here
        from neuron import h
        if not hasattr(h, suffixes[0]):
            sys.exit("NEURON did not load " + lib)
        h.celsius = CELSIUS
        h.dt = DT
        h.secondorder = 0
        data = run(h, moddir, suffixes, shared)
        out = {
            "about": "neurogen export nmodl of " + spec + " run in NEURON by tools/reference/nmodl/clamp.py: "
                     "currents in mA/cm2, outward positive; gates; concentrations in mM; per mechanism, "
                     "per level, per variable, STEPS+1 samples (the holding state, then after each step)",
            "neuron": h.nrnversion(),
            "mod_sha256": digest(moddir, suffixes),
            "python": platform.python_version(),
            "V_hold": V_HOLD, "levels": LEVELS, "dt": DT, "steps": STEPS, "celsius": CELSIUS,
            "cai": CAI, "cao": CAO, "ek": EK, "eca_pool": ECA, "shared_section": shared,
            "mechanisms": data,
        }
        os.chdir(root)
        os.makedirs(os.path.dirname(out_path), exist_ok=True)
        with open(out_path, "w") as f:
            json.dump(out, f, separators=(",", ":"), sort_keys=True)
            f.write("\n")
        shutil.rmtree(moddir)
        print("wrote", out_path, os.path.getsize(out_path), "bytes")


if __name__ == "__main__":
    main()
