// Command mkinput writes the COBAHH reference's input (connectivity and initial values, see
// package cobahhref) as NPZ, for testdata/reference/cobahh/brian2_cobahh.py to read:
//
//	go run ./internal/cobahhref/mkinput -n 4000 -seed 1 -o in.npz
//
// With -init DIR it also writes the initial values per group and state as NPY files
// (DIR/exc_V.npy, DIR/exc_E.g.npy, …) for the stock network spec's `init: {STATE: {file: …}}`.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"
	goruntime "runtime"

	"github.com/neurogen/neurogen/internal/cobahhref"
	"github.com/neurogen/neurogen/runtime"
)

func main() {
	n := flag.Int("n", 4000, "number of neurons (the first 80 % excitatory)")
	seed := flag.Uint64("seed", 1, "seed of every draw")
	out := flag.String("o", "", "the NPZ file to write")
	initDir := flag.String("init", "", "also write the initial values per group and state as NPY files into this directory")
	flag.Parse()
	if *out == "" || flag.NArg() > 0 {
		fmt.Fprintln(os.Stderr, "usage: mkinput -n N -seed S -o FILE.npz [-init DIR]")
		os.Exit(2)
	}
	if err := write(*n, *seed, *out, *initDir); err != nil {
		fmt.Fprintln(os.Stderr, "mkinput:", err)
		os.Exit(1)
	}
}

func write(n int, seed uint64, path, initDir string) error {
	in, err := cobahhref.Make(n, seed)
	if err != nil {
		return err
	}
	if initDir != "" {
		if err := os.MkdirAll(initDir, 0o755); err != nil {
			return err
		}
		if _, err := in.WriteInitFiles(initDir); err != nil {
			return err
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	// The int64 arrays of the NPZ (512 MB at N = 400 000) replace the int32 ones, which are
	// let go before writing: the peak is the arrays, not both.
	arrays := in.Arrays()
	in.Pre, in.Post = nil, nil
	goruntime.GC()
	w := bufio.NewWriter(f)
	if err := runtime.WriteNPZ(w, arrays); err != nil {
		f.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
