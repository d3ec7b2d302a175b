#!/usr/bin/env python3
"""Check an NPZ file written by neurogen (runtime.WriteNPZ, Monitor.WriteNPZ,
SpikeMonitor.WriteNPZ) by loading it with numpy.

Usage:
    npz_check.py FILE.npz [--expect SIDECAR.json] [--only]
                          [--shape NAME=D1,D2,...] [--dtype NAME=DTYPE] [--has NAME]...

Without expectations it lists the arrays (name, dtype, shape). Expectations come from a JSON
sidecar, from arguments, or both:

    {
      "only": true,                         # optional: the file holds these arrays and no other
      "arrays": {
        "mon.t":     {"dtype": "<f8", "shape": [3], "values": [0.5, 1.0, 1.5]},
        "mon.V":     {"dtype": "<f8", "shape": [3, 2], "bits": ["c0503f5c28f5c28f", ...]},
        "mon.units": {"dtype": "<U12", "shape": [], "text": "t ms\\nV mV\\n"}
      }
    }

Every key of an entry is optional. "dtype" is numpy's dtype string (arr.dtype.str: "<f8",
"<i8", "|b1", "<U5"); "shape" a list ([] for a 0-d array); "values" the elements in C order as
JSON numbers or booleans, compared exactly (float64 bit for bit, NaN equal to NaN); "bits" the
elements of a float64 array as hexadecimal IEEE-754 bit patterns, for exactness beyond JSON
(NaN payloads, infinities); "text" the string of a 0-d text array.

--shape NAME=  (nothing after =) expects a 0-d array. --only: no arrays beyond those expected.
Exit status 0 when every expectation holds, 1 with one line per failure otherwise, 2 for bad
usage or an unreadable file.
"""

import argparse
import json
import sys

try:
    import numpy as np
except ImportError:
    sys.exit(f"npz_check: numpy is not installed for {sys.executable}; run it with a Python that has numpy (such as /usr/bin/python3)")


def parse_args(argv):
    p = argparse.ArgumentParser(description="Check an NPZ file written by neurogen.")
    p.add_argument("file")
    p.add_argument("--expect", help="JSON sidecar of expectations")
    p.add_argument("--only", action="store_true", help="no arrays beyond the expected ones")
    p.add_argument("--shape", action="append", default=[], metavar="NAME=D1,D2")
    p.add_argument("--dtype", action="append", default=[], metavar="NAME=DTYPE")
    p.add_argument("--has", action="append", default=[], metavar="NAME")
    return p.parse_args(argv)


def split_kv(arg, flag):
    name, sep, value = arg.rpartition("=")
    if not sep or not name:
        raise SystemExit(f"npz_check: {flag} {arg!r}: want NAME=VALUE")
    return name, value


def expectations(args):
    exp = {}
    only = args.only
    if args.expect:
        with open(args.expect, encoding="utf-8") as f:
            side = json.load(f)
        only = only or bool(side.get("only", False))
        for name, e in side.get("arrays", {}).items():
            exp.setdefault(name, {}).update(e)
    for arg in args.shape:
        name, v = split_kv(arg, "--shape")
        dims = [int(d) for d in v.split(",") if d.strip()]
        exp.setdefault(name, {})["shape"] = dims
    for arg in args.dtype:
        name, v = split_kv(arg, "--dtype")
        exp.setdefault(name, {})["dtype"] = np.dtype(v).str
    for name in args.has:
        exp.setdefault(name, {})
    return exp, only


def same_values(arr, want):
    """Exact comparison of arr with the JSON list want (C order)."""
    flat = arr.reshape(-1)
    if len(want) != flat.size:
        return f"{flat.size} elements, expected {len(want)}"
    if arr.dtype == np.float64:
        w = np.array(want, dtype=np.float64)
        bad = ~((flat.view(np.uint64) == w.view(np.uint64)) | (np.isnan(flat) & np.isnan(w)))
    elif arr.dtype.kind in "iub":
        w = np.array(want, dtype=arr.dtype)
        bad = flat != w
    else:
        return f"cannot compare values of dtype {arr.dtype.str}"
    if bad.any():
        i = int(np.argmax(bad))
        return f"{int(bad.sum())} elements differ; first at flat index {i}: {flat[i]!r}, expected {want[i]!r}"
    return None


def main(argv):
    args = parse_args(argv)
    exp, only = expectations(args)
    try:
        npz = np.load(args.file, allow_pickle=False)
    except Exception as e:  # noqa: BLE001 - any failure to read is reported the same way
        print(f"npz_check: cannot read {args.file}: {e}", file=sys.stderr)
        return 2
    failures = []
    with npz:
        names = list(npz.files)
        arrays = {}
        for name in names:
            try:
                arrays[name] = npz[name]
            except Exception as e:  # noqa: BLE001
                failures.append(f"{name}: numpy cannot load it: {e}")
        for name, e in exp.items():
            if name not in arrays:
                if name not in names:
                    failures.append(f"{name}: missing (the file has {', '.join(names)})")
                continue
            a = arrays[name]
            if "dtype" in e and a.dtype.str != e["dtype"]:
                failures.append(f"{name}: dtype {a.dtype.str}, expected {e['dtype']}")
                continue
            if "shape" in e and list(a.shape) != list(e["shape"]):
                failures.append(f"{name}: shape {list(a.shape)}, expected {list(e['shape'])}")
                continue
            if "values" in e:
                msg = same_values(a, e["values"])
                if msg:
                    failures.append(f"{name}: {msg}")
            if "bits" in e:
                if a.dtype != np.float64:
                    failures.append(f"{name}: 'bits' given for dtype {a.dtype.str}")
                else:
                    want = np.array([int(h, 16) for h in e["bits"]], dtype=np.uint64)
                    got = a.reshape(-1).view(np.uint64)
                    if got.size != want.size:
                        failures.append(f"{name}: {got.size} elements, expected {want.size}")
                    elif (got != want).any():
                        i = int(np.argmax(got != want))
                        failures.append(f"{name}: {int((got != want).sum())} elements differ; first at flat index {i}: "
                                        f"{int(got[i]):016x}, expected {int(want[i]):016x}")
            if "text" in e:
                if a.dtype.kind != "U" or a.shape != ():
                    failures.append(f"{name}: not a 0-d text array (dtype {a.dtype.str}, shape {list(a.shape)})")
                elif str(a[()]) != e["text"]:
                    failures.append(f"{name}: text {str(a[()])!r}, expected {e['text']!r}")
        if only:
            extra = [n for n in names if n not in exp]
            if extra:
                failures.append(f"arrays not expected: {', '.join(extra)}")
    if failures:
        for f in failures:
            print(f"FAIL {f}")
        return 1
    for name in names:
        a = arrays.get(name)
        if a is not None:
            print(f"{name}\t{a.dtype.str}\t{list(a.shape)}")
    print(f"ok: {len(names)} arrays, {len(exp)} checked")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
