package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/neurogen/neurogen/codegen"
	"github.com/neurogen/neurogen/internal/progbuild"
	"github.com/neurogen/neurogen/ir"
	"github.com/neurogen/neurogen/modelrun"
	"github.com/neurogen/neurogen/runtime"
)

var runCommand = &command{
	name:    "run",
	summary: "simulate a spec's neuron group and summarise its spikes",
	synopsis: `neurogen run SPEC [-n N] [-t DURATION] [-dt STEP] [-set NAME=VALUE]...
[-method METHOD] [-tables [-table-error E]] [-simd] [-float32] [-seed SEED]
[-spikes FILE.csv] [-keep DIR] [-rebuild] [-progress=false]
[-record VARS -o FILE.npz|FILE.csv [-every DURATION] [-neurons SET]
[-max-memory SIZE]] [-save STATE] [-resume STATE [-resume-any-method]]
[-plot FILE.png|FILE.svg]
neurogen run NET.yaml [-t DURATION] [-seed SEED] [-method METHOD] [-workers N]
[-spikes FILE.csv|FILE.npz] [-record GROUP.VAR,... -o FILE.npz [-neurons GROUP:SET]...
[-every DURATION]] [-plot FILE.png|FILE.svg] [-keep DIR] [-rebuild]`,
	title: "Run a simulation",
	doc: `Run generates the package of SPEC into a temporary Go module, together with a small main
program and the source of neurogen's runtime (which travels inside neurogen), builds it with
the go command found on PATH, runs it and prints a summary. The build never touches the
network (GOPROXY=off, GOTOOLCHAIN=local, GOWORK=off, GOFLAGS=-mod=mod,
CGO_ENABLED=0), so run works from an installed neurogen with no checkout of its source. The
program's source depends only on the spec's content and -method; the values of a run reach
it in a JSON file, so the program cache (below) makes later runs of the same model start at
once, without building.

The flags are listed at the end, under Flags, Recording, Plotting and Saving and resuming.

DURATION and STEP are times with a unit, such as 100ms, 1s, 0.025ms or "250 us"; a bare
number is an error. DURATION must be zero or positive, STEP positive, and DURATION a whole
number of steps.

-set NAME=VALUE sets NAME for every neuron. NAME is a parameter of the spec by its spec name
(C and V_th of the membrane, a group-level parameter such as q10, a channel's parameter such
as Na.g_max), A, the membrane area, or I_ext, the external input of each neuron. VALUE is

  - a quantity whose unit has the parameter's dimension, such as 120mS/cm2, -60mV or
    "0.12 S/cm2"; a bare number for a dimensionless parameter. I_ext takes a current density
    (5uA/cm2) or a current (0.5nA), which is divided by the membrane area: the spec's A, or
    the one -set A gives (an area such as 2e-4cm2 or 20000um2), wherever it stands on the
    command line. A does nothing else: the model works in densities.
  - linspace(FROM, TO), with two such quantities, which gives neuron i of N the value
    FROM + (TO−FROM)·i/(N−1) (FROM when N is 1).
  - @FILE, one value per neuron in the internal unit (uA/cm2 for I_ext), exactly N of them:
    a .npy file of a one-dimensional float64 or integer array, or a text or CSV file of
    numbers separated by commas, spaces or line breaks, whose first line is a header if it
    is not a number. NaN and ±Inf are refused with the file and line (or element). Only
    as much of the file is read as N values can take (64 bytes each in text, 8 in .npy, and
    64 KiB more), so that a huge or endless file (/dev/zero) is refused at once.
  - for I_ext only, step(ON, OFF, VALUE): VALUE (any of the forms above) from time ON to
    time OFF of the simulation, 0 before and after, such as step(50ms, 150ms, 10uA/cm2). ON
    and OFF are times with a unit (or 0), whole numbers of steps; a resumed run keeps the
    times of its clock.

A parameter that the spec gives as an expression of other parameters (` + "`" + `V_sh: VT` + "`" + `) is not a
parameter of its own: it follows the ones it names, so -set VT=-60mV moves it too.

linspace and @FILE need one value per neuron, so they are for I_ext and for parameters
declared per_neuron: true in the spec only. A later -set of the same NAME replaces an
earlier one. An unknown NAME, a unit of the wrong dimension, linspace on a group-wide
parameter and a file of the wrong length are errors (exit status 2), found before anything is
built. The shell needs linspace and step quoted. The binaries of neurogen build take the same
values, checked by the same code, as flags -NAME VALUE.

Before anything is built, run estimates the memory the run holds (the group's arrays, 8 bytes
per neuron for each state variable, per-neuron parameter, the input and the spike times, the
program's bookkeeping, the values of @FILE settings and the recording, plus about 96 MiB) and
refuses (exit status 2) an -n whose run does not fit in the memory available, with the largest
-n that fits. On Linux that is /proc/meminfo's MemAvailable, or less under a cgroup's memory
limit; elsewhere the check is not made. The binaries of neurogen build make the same check.

The group starts from its initial state (after the settings are applied) at t = 0, or from the
state of -resume (below). Run prints the model and method, with the variant of its package when
-tables, -simd or -float32 made one ("HH52 (exp_auto, tables, simd): 8 neurons, …"), the number
of neurons, duration, step and number of steps (and the time and step a resumed run starts
from), the wall time of the simulation with its speed in neuron-steps per second, and the time
of generating and building the program (or of finding it in the cache); then, for each of the
first 20 neurons, its spike count, mean rate and I_ext (and each per-neuron parameter set with
linspace or @FILE; for a step input, its VALUE under a head that gives ON and OFF, such as
"I_ext (uA/cm2, 50 ms to 150 ms)"); then the total spike count, how many neurons spiked and the
mean rate; the CV of the interspike intervals; then the files it wrote. With -spikes FILE.csv it
writes every spike, step by step (the spikes of one step in neuron order, each at its time
interpolated within the step, or, with a refractory period, the step's start, as Brian2 stamps
it), as lines "neuron,time_ms" after that header line; the file is written whole, or not at
all when the run fails.

The output files of -spikes, -o and -save are written the same way, by runtime.CreateOutput:
a symlink is written through (the file it points to gets the data, and the link stays); a
regular file is replaced atomically, through a temporary file .NAME.tmp-PID-RANDOM beside it
(where its directory is not writable but the file is, the file is written in place instead);
an existing file that is not regular (a device such as /dev/null, a FIFO) is written in place,
never replaced; a directory is refused. A write error, a full device's "no space left on
device" included, ends the run with exit status 1. The temporary files that a killed run left
beside a file (their process is gone) are removed by the next run that writes that file. Two
outputs that name one file, through a symlink or not, are an error (exit status 2). The
program of build -o, the files of gen and the figure of plot -o are written the same way.

A run never reports success on a state that is not finite. The model program checks every
state variable of every neuron for NaN and infinities (runtime.Sim's check) in the initial
state, every 50 steps, after every record of -record and at the end; the first check that
finds one stops the run with exit status 1 and an error that names the variable, the neuron
and the time, and the last time at which every value was finite:

	neurogen run: group "group": V of neuron 3 is NaN at t = 1.25 ms (step 50), and 3 other values are not finite; every value was finite at t = 0 ms (step 0)

No file of -spikes, -o or -save is written then (a device or FIFO named as an output has
received what was written in place). A capacitance, a parameter or an input that is legal but
out of the model's range, or a time step too long for the method, can make V blow up this
way; with -record V around the time it names, the run shows how the state got there.

The CV of the interspike intervals is the mean, over the neurons with 3 spikes or more in the
run (2 intervals or more), of each neuron's CV: the standard deviation of its intervals, in
the population form (dividing by the number of intervals, as numpy.std and
scipy.stats.variation do), over their mean. Averaging CVs rather than pooling the intervals
of all neurons keeps the neurons' different rates out of it: a group of perfectly regular
neurons at different rates has a CV of 0. The summary says how many neurons it is over, or
that no neuron has 3 spikes; the intervals of a resumed run start at its first spike.

A run that takes more than about a second draws a progress bar on standard error when that
is a terminal: how much of the simulated time is done, the speed in neuron-steps per second
and the time left, redrawn about ten times a second and cleared at the end, also when the
run fails or is interrupted (Ctrl-C). It is never drawn into a file or a pipe, so logs stay
clean; -progress=false turns it off on a terminal too. The model program reports its
progress to run on its standard error, which keeps the program's source, and so its place
in the cache, the same with and without a bar.

# Network specs

A network spec (docs/networks.md: network: where a group spec has model:) runs the same way:
run generates the network's package and its groups' packages (codegen.GenerateNetwork), builds
them with the main of modelrun.NetworkProgram (cached like a group's program), runs it for -t
(a whole number of the spec's steps) and prints a line per group: its neurons, spikes, the
neurons that spiked, the mean rate, the mean CV of the interspike intervals (as above) with
the number of neurons it is over, and the synchrony χ of Golomb and Rinzel (1993) in 1 ms bins:
χ² is the variance over the bins of the group's mean spike count per neuron over the mean of
the neurons' own variances, 1 when all fire in the same bins and about 1/√N for N independent
neurons. -seed replaces the spec's seed: for every draw that gives none of its own (initial
values, connections, inputs); -workers N steps the groups and delivers the spikes in N
goroutines, with the same results for any N. -spikes FILE.csv writes lines
"group,neuron,time_ms" after that header, group by group; FILE.npz the arrays
GROUP.spike_neuron and GROUP.spike_time. -record takes GROUP.VAR names (exc.V, inh.E.g), into
-o FILE.npz (arrays GROUP.t, GROUP.VAR [records, neurons], GROUP.neurons …), of the neurons of
-neurons GROUP:SET (repeatable, one group each; default each recorded group's first 10).
-plot draws a spike raster of each group, one above the other, and below them each group's
population rate in 1 ms bins. A long run draws the progress bar of a group's run (the
speed in neuron-steps per second counts every group's neurons). -tables (with -table-error)
and -simd generate each group's package as gen does (see gen): -simd gives the spikes of the
plain run bit for bit; -tables moves each spike by about the tables' error (1e-5 ms or less
over the first 50 ms of a small COBAHH network at the default 1e-6), which grows as a chaotic
network's spikes part. -save STATE writes the network's state at the end (runtime.Sim.Save:
every group, receptor, delay line, plasticity state, kinetic receptor's synapse and input
generator, and a hash of the connectivity) and -resume STATE runs -t more from it, bit for bit the run that was not
interrupted (the resumed run's spikes and summary cover its own time, from the state's; resume
with the -seed, -method and flags of the run that saved, since the connectivity is built again
and must match the state's). -float32 keeps the groups' states in float32, as gen -float32
does (a saved state resumes with -float32 only), and -n, -dt, -set, -resume-any-method and -max-memory are for a group's spec and
refused for a network. The network program that
build writes takes -t, -seed (default the spec's; run passes its -seed to it, so one program
runs every seed), -save, -resume, -workers, -spikes (repeatable), -record, -neurons, -every, -o and -bin
(the bin of χ) and -progress DURATION (lines "neurogen-progress: STEPS NANOSECONDS" on
standard error, from which run draws its bar).

	$ neurogen run specs/networks/cobahh.yaml -t 1s -workers 2 -spikes spikes.csv -plot cobahh.png
	$ neurogen run specs/networks/cobahh.yaml -t 200ms -record exc.V,exc.E.g -neurons exc:0-4 -o v.npz

# Record variables

-record VARS records the comma-separated variables VARS of the neurons -neurons SET, every
-every DURATION, into the file -o FILE, with a runtime.Monitor. -record may be repeated (its
lists add up; a name twice is an error). A variable is

  - a state variable of the model, by its spec name: V, a gate such as Na.m, an ion's inner
    concentration such as Ca_i;
  - a parameter declared per_neuron: true, such as L.g_max;
  - I_ext, each neuron's external input (uA/cm2);
  - CHANNEL.I, the current density of a channel (uA/cm2, inward positive), such as Na.I.

Values are in neurogen's internal units (mV, ms, mM, uA/cm2, mS/cm2 …). An unknown name is an
error with the nearest known one; a group-wide parameter cannot be recorded (it has one
value, which -set gives).

-every DURATION is a time with a unit, a positive whole number of steps; the default is one
step. The monitor records the initial state at t = 0 and the state at the end of every k-th
step, k = DURATION/STEP, that is at t = 0, DURATION, 2·DURATION, …: a run of T recorded every
step has T/STEP + 1 records. The times of the records of a resumed run follow the same grid
(the absolute step count, not the start of the run); a resumed run does not record the state
it starts from, which is the last record of the run that saved it, so that the recordings of
the two runs join without a repeated record.

-neurons SET is "all" or a comma-separated list of indices and ranges of indices, both ends
included, such as 0,3,10-19; the neurons are recorded in increasing order, each once (a
neuron in two elements of SET is recorded once). The default is all when N is 100 or less; a
larger group needs -neurons, so that a big recording is never made by accident. An index of
N or more is an error.

-o FILE names the recording, written whole (to a temporary file beside FILE, renamed when the
run has succeeded) or not at all. Its extension gives the format:

  - FILE.npz, an NPZ file (numpy.load reads it) of the arrays of runtime.Monitor.Arrays: t
    (float64 [records], ms), step (int64 [records], the number of steps made when the record was
    taken, from the start of the simulation: 0 for the initial state), neurons (int64
    [neurons]), one float64 [records, neurons] array per variable named as in -record (V, Na.m,
    Na.I …), units (text, one line "NAME UNIT" for t and each variable), every (int64, steps),
    dropped (int64, 0); and the spikes of the run, spike_neuron (int64 [spikes]) and spike_time
    (float64 [spikes], ms), in the order -spikes writes them (step by step).
  - FILE.csv, CSV with a header line "t_ms,neuron,VAR…" (the variables in the order given)
    and one line per record and neuron, numbers in the shortest form that reads back to the
    same float64. The spikes are not in it: use -spikes.

-record needs -o, and -o, -every, -neurons and -max-memory need -record or -plot (below).

The monitor allocates all its memory before the run (one record more for a resumed run, the
room of the initial state it does not record): 8 bytes per variable, neuron and record,
16 per record for its time and step, and a little more (see runtime.Monitor.Bytes). A
recording that would need more than -max-memory SIZE is refused before anything is built,
with what it would need and the -every that would fit (exit status 2). SIZE is a number
of bytes with an optional unit, B, KiB, MiB, GiB, TiB, kB, MB, GB or TB (512MiB, 2GiB, 1e9),
or none for no limit; the default is 1GiB. The spikes that go into an NPZ recording are held
in memory too, 12 bytes each, and are not counted in SIZE, which cannot know them in advance.

# Save and resume

-save STATE writes the complete state of the simulation at the end of the run to STATE with
runtime.Sim.Save: atomically (a temporary file, synced and renamed), after the recording and
the spikes are written, so that a failed run leaves no half file. The state file is an NPZ
file in the format of runtime.Sim.WriteState: the program's Sim has one group, named group,
so the arrays are group.V, group.Na.m, … (each state variable), group.Na.g_max … (each
parameter), group.I_ext, group.spiked, group.spike_time, group.seed, group.voltage_clamp,
group.now, and __meta__ with the clock (step, t, dt) and the model.

-resume STATE starts from the state in STATE instead of the initial state:

  - the clock continues: the run starts at STATE's step and time t, and -t DURATION is the
    time to run on (a run of -t 50ms from t = 50 ms ends at t = 100 ms). Spike times, the
    recording's times and the state saved with -save are on that continuing clock;
  - -n and -dt default to STATE's group size and step; when given they must match it (exit
    status 2 otherwise);
  - -seed is an error: the state already holds V and the seed;
  - everything else comes from STATE: V and every gate and concentration, every parameter and
    I_ext as they were at the save. -set applies after loading, so it changes a parameter or
    the input from the resumed step on (without -set the run goes on with STATE's values);
  - STATE must hold one group named group of the same model: the same variables and
    parameters with the same units and precision (-float32), integrated with the same method
    (the spec may differ in what leaves them alone). A state of another model is refused
    before anything is built; the model program loads the file with runtime.Sim.Load, which
    verifies all of it first (also that its values are physically possible: gates in [0, 1],
    concentrations and C positive, no spike after its clock), and its errors are printed as
    they are, with exit status 1;
  - -resume-any-method resumes a state saved under another -method, which is refused without
    it: the staggered method keeps the gates half a step ahead of V, the others at V's time,
    so such a state resumes half a step off.

A run of 2T and a run of T saved with -save, then resumed with -resume for another T, end in
the same state, byte for byte, with the same spikes and records in the second half: resuming
is exact. -save may name the file of -resume, which it then replaces at the end.

-keep DIR builds in DIR (a new or empty directory, or one that an earlier -keep filled) and
leaves the module there: go.mod, main.go, variant.go, the generated package in model/, the
runtime's source under neurogen/, the run's config.json and the program in bin/. Without -keep,
run builds in a temporary directory that it removes. When the cache holds the program, -keep
writes the module all the same, with a copy of the cached program in bin/, and builds nothing;
-keep DIR -rebuild builds in DIR.

# The program cache

Run keeps each program it builds in a cache, and a later run of the same model takes it from
there instead of calling go build: it starts in a few milliseconds, and the summary says "build
cached (…)". A program is found by a SHA-256 over everything it is built from: the bytes of
every file of its module (the generated package, main.go, variant.go, go.mod and the source of
the runtime, units and modelrun packages, which come with this neurogen), the go command's
toolchain (go env GOVERSION, GOROOT, GOOS, GOARCH, GOAMD64 and the other architecture levels,
GOEXPERIMENT, GOFLAGS, CGO_ENABLED, GOFIPS140) and the cache's format. The values of a run (-n,
-t, -dt, -set, -seed, the files) are not part of it, nor is the spec's path: the generated
package of a run names its spec "the spec of model NAME", so the same spec under another name or
in another directory finds the same program. A changed spec, another -method, another neurogen
or another Go builds a new program.

The cache is the directory $NEUROGEN_CACHE, or neurogen in the user's cache directory
(os.UserCacheDir: $XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches on macOS,
%LocalAppData% on Windows); NEUROGEN_CACHE=off turns it off. Its programs/ directory holds
one directory per program: the program, its SHA-256 (sha256) and what it was built from
(info). A program is stored whole or not at all (written into a temporary directory, then
renamed into place), so concurrent runs and crashes never leave half a program; before a
program is used its bytes are checked against its SHA-256, and a damaged one is removed and
built again. The cache keeps the 50 programs used last, about 5 MB each for HH52, and
removes older ones as it stores new ones; removing the directory (rm -rf
~/.cache/neurogen) clears it, and is always safe. -rebuild builds even when the cache holds
the program, and stores the new one in its place. A cache that cannot be written costs a
warning on standard error, not the run.

Examples:

	$ neurogen run specs/hh52.yaml -n 8 -t 1s -set 'I_ext=linspace(0uA/cm2, 20uA/cm2)'
	$ neurogen run specs/hh52.yaml -set I_ext=10uA/cm2 -set Na.g_max=100mS/cm2 -spikes out.csv
	$ neurogen run specs/hh52.yaml -method rk4 -dt 0.05ms -t 500ms -set I_ext=0.01nA
	$ neurogen run specs/hh52.yaml -n 2 -t 200ms -set 'I_ext=step(50ms, 150ms, 10uA/cm2)'
	$ neurogen run specs/hh52.yaml -n 100 -set I_ext=@inputs.csv -set A=2e-4cm2
	$ neurogen run specs/hh52.yaml -n 4 -t 500ms -record V,Na.m,Na.I -every 0.1ms -o a.npz -save s.npz
	$ neurogen run specs/hh52.yaml -resume s.npz -t 500ms -record V -neurons 0,2 -o b.csv

The exit status is 0 on success, 1 for errors in the spec, the build or the run, 2 for a bad
command line (a value error is found before anything is built).
`,
	minArgs: 1,
	maxArgs: 1,
	argName: "SPEC",
	new: func(fs *flagSet) runner {
		r := &runRunner{n: 1}
		r.t.Set("100ms")
		r.dt.Set("0.025ms")
		r.maxMemory = memoryValue{bytes: runtime.DefaultMonitorLimit, text: "1GiB"}
		r.define(fs)
		return r
	},
}

// define defines the flags of run on fs.
func (r *runRunner) define(fs *flagSet) {
	// -n and -dt default to a resumed state's: run needs to know whether they were given.
	fs.valueFlag(givenValue{&r.n, &r.nGiven}, "n", "N", "the number of neurons (default 1)")
	fs.valueFlag(&r.t, "t", "DURATION", `
		the simulated time, with a time unit: 100ms, 1s (default 100ms); a whole number
		of steps`)
	fs.valueFlag(givenValue{&r.dt, &r.dtGiven}, "dt", "STEP", "the time step, with a time unit (default 0.025ms)")
	fs.valueFlag(&r.sets, "set", "NAME=VALUE", `
		set a parameter (by its spec name: C, V_th, Na.g_max, …), the membrane area A
		or the external input I_ext of every neuron to VALUE: a quantity with a unit,
		linspace(FROM, TO), @FILE or, for I_ext, step(ON, OFF, VALUE), as above;
		repeatable, the last for a NAME wins`)
	r.defineMethodTables(fs)
	r.defineSIMD(fs)
	r.defineFloat32(fs)
	fs.valueFlag(&r.seed, "seed", "SEED", `
		the seed of the random initial state (default: the spec's); for a network spec,
		the seed of every draw that gives no seed of its own (initial values,
		connections, inputs), in place of the spec's`)
	fs.IntVar(&r.workers, "workers", 1, "")
	fs.docs = append(fs.docs, flagDoc{name: "-workers N", usage: `
		for a network spec: the goroutines that step its groups and deliver its spikes
		(default 1); the results are the same, bit for bit, for any N`})
	fs.stringFlag(&r.spikes, "spikes", "FILE.csv", `
		write every spike to FILE.csv, as lines "neuron,time_ms" after that header; for a
		network spec, lines "group,neuron,time_ms", or FILE.npz`)
	fs.stringFlag(&r.keep, "keep", "DIR", `
		write the program's module into DIR, a new or empty directory (or one of an
		earlier -keep), build it there unless the cache holds the program, and keep it
		there for inspection, with the program in DIR/bin`)
	rebuildFlag(fs, &r.rebuild)
	fs.boolFlag(&r.progress, "progress", true, `
		draw no progress bar. By default a run that takes more than a second draws one on
		standard error when that is a terminal (never into a file or a pipe): the simulated
		time done, the speed in neuron-steps/s and the time left; it is cleared at the end`)

	fs.section("Recording")
	fs.valueFlag(&r.record, "record", "VARS", `
		record the comma-separated variables VARS (repeatable: the lists add up): state
		variables (V, Na.m, Ca_i), per-neuron parameters, I_ext, and channel currents
		CHANNEL.I (uA/cm2, inward positive); needs -o. For a network spec, GROUP.VAR
		(exc.V, inh.E.g)`)
	fs.stringFlag(&r.out, "o", "FILE.npz|FILE.csv", `
		write the recording to FILE, in the format its extension names: NPZ or CSV, as
		above`)
	fs.valueFlag(givenValue{&r.every, &r.everyGiven}, "every", "DURATION", `
		record every DURATION of simulated time, a whole number of steps (default: every
		step); records fall at the times k·DURATION from t = 0, also in a resumed run.
		A run records its initial state at t = 0 first (T/DURATION + 1 records); a
		resumed run does not, as it was the last record of the run that saved it`)
	fs.valueFlag(givenValue{&r.neurons, &r.neuronsGiven}, "neurons", "SET", `
		the neurons to record: all, or indices and ranges such as 0,3,10-19 (default:
		all when N ≤ 100; a larger group needs -neurons). For a network spec,
		GROUP:SET, once per group, such as exc:0-9 (default: each group's first 10)`)
	fs.valueFlag(givenValue{&r.maxMemory, &r.maxMemoryGiven}, "max-memory", "SIZE", `
		refuse, before the run, a recording that would take more memory than SIZE, such
		as 512MiB or 2GiB, or none for no limit (default 1GiB)`)

	fs.section("Plotting")
	fs.stringFlag(&r.plot, "plot", "FILE.png|FILE.svg", `
		after the run, draw the recorded variables of up to 8 recorded neurons (the
		first 8 of -neurons), a panel each, above a spike raster of the whole group into
		FILE, PNG or SVG as its extension says: the figure of neurogen plot. It records
		V if -record does not; without -o that recording only feeds the figure, and
		-neurons defaults to the first 8 neurons`)

	fs.section("Saving and resuming")
	fs.stringFlag(&r.save, "save", "STATE", `
		write the complete state at the end of the run to STATE, a state file (an NPZ
		file, see runtime.Sim.WriteState; arrays group.V, group.Na.m, …), atomically`)
	fs.stringFlag(&r.resume, "resume", "STATE", `
		start from the state in STATE, written by -save, instead of the initial state:
		the clock goes on from the file's, -t is the time to run on, -n and -dt default
		to the file's, and -set applies after loading (see Save and resume above)`)
	fs.boolFlag(&r.anyMethod, "resume-any-method", false, `
		resume a state saved by a run that integrates with another method (-method), which
		is refused without it: a staggered state keeps its gates half a step ahead of V`)
}

type runRunner struct {
	codeFlags // -method, -tables, -table-error, -simd (built with GOEXPERIMENT=simd), -float32

	n       countValue
	t, dt   timeValue
	sets    setList
	seed    seedValue
	spikes  string
	keep    string
	workers int // -workers, for a network spec

	rebuild  bool // build even if the cache holds the program
	progress bool // draw a progress bar on a terminal

	record    recordList
	out       string
	every     timeValue
	neurons   neuronSet
	maxMemory memoryValue
	save      string
	resume    string
	anyMethod bool   // -resume-any-method
	plot      string // the -plot figure, or ""

	nGiven, dtGiven, everyGiven, neuronsGiven, maxMemoryGiven bool
}

// errInterrupted is the error of a build or run ended by an interrupt.
var errInterrupted = progbuild.ErrInterrupted

// tableRows is the number of neurons in the summary's table.
const tableRows = modelrun.TableRows

// programConfig is the configuration of a model program, which neurogen run writes.
type programConfig = modelrun.Config

// programResult is what a model program prints.
type programResult = modelrun.Result

// exitUserError is the exit status of a model program whose error is the user's to read as it
// is (a state file that does not load, a recording over its limit, a file it cannot write);
// other failures are bugs or accidents, and neurogen run says that the program failed.
const exitUserError = modelrun.ExitUser

// recordFormats are the formats of -o, by extension.
var recordFormats = map[string]string{".npz": "npz", ".csv": "csv"}

func (r *runRunner) run(e *env, args []string) error {
	if src, ok := isNetworkFile(args[0]); ok {
		return r.runNetwork(e, args[0], src)
	}
	switch {
	case len(r.neurons.groups) > 0:
		return usageErrorf("-neurons %s names a group: GROUP:SET is for a network spec's run", r.neurons.groups[0].text)
	case r.workers != 1:
		return usageErrorf("-workers %d is for a network spec's run; a group's program steps it in one goroutine", r.workers)
	}
	if err := r.validate(); err != nil {
		return err
	}
	if err := r.checkCombinations(); err != nil {
		return err
	}
	m, err := r.loadSpec(e, "run", args[0])
	if err != nil {
		return err
	}
	var state *stateInfo
	if r.resume != "" {
		if state, err = readStateInfo(r.resume); err != nil {
			return err
		}
		if err := state.Match(runtimeModel(m), r.anyMethod); err != nil {
			return err
		}
		if err := r.matchState(state); err != nil {
			return err
		}
	}
	steps, err := r.steps()
	if err != nil {
		return err
	}
	in, err := modelrun.Resolve(runtimeModel(m), r.sets, int(r.n), r.dt.ms)
	if err != nil {
		return usageErrorf("-set %v", err)
	}
	cfg := &programConfig{N: int(r.n), Dt: r.dt.ms, Steps: steps, Settings: in.Settings, Changes: in.Changes,
		Columns: in.Columns, Rows: tableRows, Group: groupName, Resume: r.resume, AnyMethod: r.anyMethod, Save: r.save, MaxMemory: r.maxMemory.bytes}
	if r.seed.set {
		cfg.Seed = &r.seed.seed
	}
	var start int64
	if state != nil {
		start = state.Step
	}
	if err := r.resolveRecording(m, cfg, start); err != nil {
		return err
	}
	plot, err := r.planPlot(m, cfg, start) // -plot: V recorded for the figure (plotcmd.go)
	if err != nil {
		return err
	}
	defer plot.close()
	// The group, the program's bookkeeping and the recording must fit in memory.
	if err := modelrun.PlanMemory(runtimeModel(m), cfg).CheckMemory("-n", cfg.N); err != nil {
		return usageErrorf("%v", err)
	}

	// Everything about the command line is checked; from here on errors exit 1.
	goCmd, err := progbuild.LookGo()
	if err != nil {
		return err
	}
	var pending []*pendingFile
	defer func() {
		for _, p := range pending {
			p.discard()
		}
	}()
	for _, o := range []struct {
		path string
		tmp  *string
	}{{r.spikes, &cfg.Spikes}, {r.out, &cfg.Output}} {
		if o.path == "" {
			continue
		}
		p, err := newPendingFile(o.path)
		if err != nil {
			return err
		}
		pending = append(pending, p)
		*o.tmp = p.tmp
	}
	if r.save != "" {
		if err := probeWritable(r.save); err != nil {
			return err
		}
	}
	dir := r.keep
	if dir == "" {
		if dir, err = os.MkdirTemp("", "neurogen-run-*"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	} else if err := progbuild.PrepareDir(dir); err != nil {
		return err
	}

	// An interrupt ends the build or the run, and the deferred clean-up still happens.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	buildStart := time.Now()
	bin, cached, err := r.program(ctx, e, goCmd, m, dir)
	if err != nil {
		return err
	}
	buildTime := time.Since(buildStart)

	res, err := runProgram(ctx, bin, dir, cfg, newProgressBar(e.stderr, r.progress, cfg))
	if err != nil {
		return err
	}
	for _, p := range pending {
		if err := p.commit(); err != nil {
			return err
		}
	}
	build := modelrun.Seconds(buildTime.Seconds())
	if cached {
		build = "cached (" + build + ")"
	}
	modelrun.WriteSummary(e.stdout, &modelrun.Summary{Config: cfg, Result: res, Build: build,
		Spikes: r.spikes, Output: r.out, Save: r.save, Resume: r.resume, Keep: r.keep})
	return plot.draw(e.stdout, m, cfg, res)
}

// checkCombinations checks the flags that go together, or not, before anything is read.
func (r *runRunner) checkCombinations() error {
	rec := len(r.record.names) > 0 || r.plot != "" // -plot records V
	switch {
	case r.resume != "" && r.seed.set:
		return usageErrorf("-seed %s -resume %s: the state to resume already holds V and the seed; drop -seed", r.seed.String(), r.resume)
	case len(r.record.names) > 0 && r.out == "":
		return usageErrorf("-record %s: missing -o FILE.npz or FILE.csv, the file to write the recording into", r.record.String())
	case !rec && r.out != "":
		return usageErrorf("-o %s: nothing to record: name the variables with -record, such as -record V", r.out)
	case !rec && r.everyGiven:
		return usageErrorf("-every %s: nothing to record: name the variables with -record, such as -record V", r.every.text)
	case !rec && r.neuronsGiven:
		return usageErrorf("-neurons %s: nothing to record: name the variables with -record, such as -record V", r.neurons.text)
	case !rec && r.maxMemoryGiven:
		return usageErrorf("-max-memory %s: nothing to record: name the variables with -record, such as -record V", r.maxMemory.text)
	}
	if r.out != "" {
		if _, ok := recordFormats[strings.ToLower(filepath.Ext(r.out))]; !ok {
			return usageErrorf("-o %s: name the recording FILE.npz (NPZ, for numpy) or FILE.csv (CSV)", r.out)
		}
	}
	for _, c := range []struct{ a, b, pa, pb string }{
		{"-o", "-spikes", r.out, r.spikes}, {"-o", "-save", r.out, r.save}, {"-spikes", "-save", r.spikes, r.save},
	} {
		if samePath(c.pa, c.pb) {
			return usageErrorf("%s %s and %s %s name the same file", c.a, c.pa, c.b, c.pb)
		}
	}
	return r.checkPlot()
}

// matchState takes -n and -dt from the state to resume, or checks them against it.
func (r *runRunner) matchState(st *stateInfo) error {
	if r.nGiven && int(r.n) != st.Size {
		return usageErrorf("-n %d -resume %s: the state holds %d neurons; omit -n or give -n %d", int(r.n), r.resume, st.Size, st.Size)
	}
	r.n = countValue(st.Size)
	if r.dtGiven && math.Abs(r.dt.ms-st.Dt) > 1e-9*st.Dt {
		return usageErrorf("-dt %s -resume %s: the state was made with steps of %g ms; omit -dt or give -dt %gms", r.dt.text, r.resume, st.Dt, st.Dt)
	}
	r.dt.ms = st.Dt // exactly the file's, which the runtime insists on
	if !r.dtGiven {
		r.dt.text = strconv.FormatFloat(st.Dt, 'g', -1, 64) + "ms"
	}
	return nil
}

// resolveRecording checks -record, -every, -neurons and -max-memory against the model and
// the run, and puts them in cfg.
func (r *runRunner) resolveRecording(m *ir.Model, cfg *programConfig, start int64) error {
	if len(r.record.names) == 0 {
		return nil
	}
	if err := r.record.resolve(m); err != nil {
		return err
	}
	every := 1
	if r.everyGiven {
		if !(r.every.ms > 0) {
			return usageErrorf("-every %s: the recording interval must be positive", r.every.text)
		}
		n, err := runtime.Steps(r.every.ms, r.dt.ms)
		if err != nil || n < 1 {
			return usageErrorf("-every %s: the recording interval must be a whole number of steps of %s", r.every.text, r.dt.text)
		}
		every = n
	} else {
		r.every.ms = r.dt.ms
	}
	var neurons []int
	switch {
	case r.neuronsGiven:
		var err error
		if neurons, err = r.neurons.resolve(cfg.N); err != nil {
			return err
		}
	case cfg.N > defaultAllNeurons:
		return usageErrorf("-record %s: the group has %d neurons: say which to record with -neurons (all, or indices and ranges such as 0-%d)",
			r.record.String(), cfg.N, defaultAllNeurons-1)
	}
	if err := checkMonitorMemory(r, m, cfg.N, neurons, every, start, int64(cfg.Steps)); err != nil {
		return err
	}
	cfg.Record, cfg.Every, cfg.Neurons = r.record.names, every, neurons
	cfg.Format = recordFormats[strings.ToLower(filepath.Ext(r.out))]
	return nil
}

// steps checks -n, -t and -dt and returns the number of steps.
func (r *runRunner) steps() (int, error) {
	switch {
	case !(r.dt.ms > 0):
		return 0, usageErrorf("-dt %s: the time step must be positive", r.dt.text)
	case r.t.ms < 0:
		return 0, usageErrorf("-t %s: the duration must not be negative", r.t.text)
	}
	steps, err := runtime.Steps(r.t.ms, r.dt.ms)
	if err != nil {
		return 0, usageErrorf("-t %s -dt %s: %v", r.t.text, r.dt.text, err)
	}
	return steps, nil
}

// runProgram runs the model program bin with the configuration cfg (written into dir) and
// returns its result, drawing its progress on bar (which may be nil).
func runProgram(ctx context.Context, bin, dir string, cfg *programConfig, bar *progressBar) (*programResult, error) {
	data, err := json.MarshalIndent(cfg, "", "\t")
	if err != nil {
		return nil, err
	}
	cfgPath := filepath.Join(dir, "config.json")
	if err := os.WriteFile(cfgPath, append(data, '\n'), 0o666); err != nil {
		return nil, err
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, bin, "-config", cfgPath)
	progress := &programStderr{buf: &stderr, bar: bar}
	cmd.Stdout, cmd.Stderr = &stdout, progress
	err = cmd.Run()
	progress.close() // the bar is cleared before any message
	if err != nil {
		if ctx.Err() != nil || killedByInterrupt(err) {
			return nil, errInterrupted
		}
		msg := strings.TrimSpace(stderr.String())
		var exit *exec.ExitError
		if errors.As(err, &exit) && exit.ExitCode() == exitUserError && msg != "" {
			return nil, errors.New(msg) // the runtime's message, as it is
		}
		if msg == "" {
			msg = err.Error()
		}
		return nil, fmt.Errorf("the model program failed: %s", msg)
	}
	var res programResult
	if err := json.Unmarshal(stdout.Bytes(), &res); err != nil {
		return nil, fmt.Errorf("the model program printed no result (a bug in neurogen): %w", err)
	}
	return &res, nil
}

// pendingFile is an output file written whole or not at all: the model program writes tmp, a
// temporary file beside the destination (beside a symlink's target: the link is written
// through), which commit renames over the destination. A destination that cannot be replaced (a
// device such as /dev/null, a FIFO, or a file in a directory where no temporary file can be
// made) has no temporary file: the program writes it in place, and commit and discard do
// nothing.
type pendingFile struct {
	dst, tmp string // tmp is the file the program writes
	out      *runtime.OutputFile
}

// newPendingFile creates the temporary file for dst, which also checks early that dst's
// directory exists and is writable.
func newPendingFile(dst string) (*pendingFile, error) {
	t, err := runtime.ResolveOutput(dst)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			err = pe.Err
		}
		return nil, fmt.Errorf("cannot write %s: %w", dst, err)
	}
	if t.InPlace {
		return &pendingFile{dst: dst, tmp: t.File}, nil
	}
	f, err := t.Create()
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("cannot write %s: %w", dst, pe.Err)
		}
		return nil, err
	}
	if err := f.Close(); err != nil { // the program writes it by name; commit renames it by name
		f.Discard()
		return nil, err
	}
	return &pendingFile{dst: dst, tmp: f.Name(), out: f}, nil
}

// commit renames the temporary file over the destination.
func (p *pendingFile) commit() error {
	if p.out == nil {
		return nil
	}
	if err := p.out.Commit(); err != nil {
		return fmt.Errorf("writing %s: %w", p.dst, err)
	}
	return nil
}

// discard removes the temporary file unless it was committed, and what a killed program left
// while writing it (the program writes tmp through a temporary file of its own).
func (p *pendingFile) discard() {
	if p.out != nil {
		p.out.Discard()
		runtime.RemoveOutputLeftovers(p.tmp)
	}
}

// program returns the model program of m, built with the go command goCmd as r's flags ask
// (from the program cache when it holds it: cached is then true), writing its module into dir
// for a build outside the cache and for -keep. On a terminal, a build draws a status line
// that names what the go command compiles.
func (r *runRunner) program(ctx context.Context, e *env, goCmd string, m *ir.Model, dir string) (bin string, cached bool, err error) {
	opts := r.codegenOptions()
	opts.SpecName = progbuild.SpecName(m.Name)
	generated, err := codegen.Generate(m, opts)
	if err != nil {
		return "", false, err
	}
	p := &progbuild.Program{Model: m.Name, Package: m.Package, Method: m.Method.String(), Generated: generated,
		Variant: r.variant(), RandomInit: m.VInit.Uniform, SIMD: r.simd}
	return progbuild.Build(ctx, p, progbuild.Options{GoCmd: goCmd, Dir: dir, Keep: r.keep != "", Rebuild: r.rebuild,
		NewStatus: func() progbuild.Status { return newBuildStatus(e.stderr, m.Name, r.simd) }, Warnings: e.stderr})
}
