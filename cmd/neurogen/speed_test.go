package main

import (
	"io"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/neurogen/neurogen/internal/gomodtest"
	"github.com/neurogen/neurogen/internal/progbuild"
)

// BenchmarkGen times `neurogen gen` of HH52, in-process: reading, checking and generating the
// package and writing it into a new directory. Issue 5 asks for under 100 ms.
func BenchmarkGen(b *testing.B) {
	spec, out := benchSpec(b), b.TempDir()
	i := 0
	for b.Loop() {
		i++
		if code := Run([]string{"gen", spec, "-o", filepath.Join(out, strconv.Itoa(i))}, nil, io.Discard, io.Discard); code != exitOK {
			b.Fatalf("neurogen gen: exit %d", code)
		}
	}
}

// BenchmarkRunCached times `neurogen run` of HH52 for no time at all (-t 0ms) with the
// program in the cache: from the command line to the program's result, everything a run
// does before and after simulating. Issue 5 asks that it start simulating within a second.
func BenchmarkRunCached(b *testing.B) {
	gomodtest.NeedGo(b)
	b.Setenv(progbuild.CacheEnv, b.TempDir())
	args := []string{"run", benchSpec(b), "-t", "0ms"}
	if code := Run(args, nil, io.Discard, io.Discard); code != exitOK {
		b.Fatalf("neurogen run: exit %d", code)
	}
	builds := progbuild.Builds()
	for b.Loop() {
		if code := Run(args, nil, io.Discard, io.Discard); code != exitOK {
			b.Fatalf("neurogen run: exit %d", code)
		}
	}
	if n := progbuild.Builds() - builds; n != 0 {
		b.Fatalf("%d builds in runs of a cached program", n)
	}
}

// benchSpec returns the path of the stock HH52 spec.
func benchSpec(b *testing.B) string { return filepath.Join(gomodtest.Root(b), "specs", "hh52.yaml") }
