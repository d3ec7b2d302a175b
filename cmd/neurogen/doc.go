// Command neurogen compiles specs of Hodgkin–Huxley-type neuron groups into Go packages, and
// runs them.
//
// A spec is a YAML file that describes one group of conductance-based neurons: a membrane, its
// parameters and ion channels whose kinetics are written as expressions. neurogen checks it
// (names, dimensions, units) and generates a Go package with a Group type that simulates the
// neurons and implements github.com/neurogen/neurogen/runtime.Group.
//
// Usage:
//
//	neurogen COMMAND [ARGUMENTS]
//
// The commands are:
//
//	check    check specs and report their errors
//	gen      generate the Go package of a spec
//	diff     check that a generated package is what gen would write
//	show     print what neurogen derived from a spec, or its Go code
//	run      simulate a spec's neuron group and summarise its spikes
//	build    compile a spec into a standalone program whose flags are the model's parameters
//	plot     draw the recorded variables and spike raster of a recording
//	channels list the stock channels, or print one
//	version  print the version of neurogen and of the runtime API it generates for
//	help     print the usage of neurogen or of a command
//
// Flags may come before or after the positional arguments; "--" ends the flags. Every command
// takes -h (or -help, --help), which prints its usage to standard output; 'neurogen help
// COMMAND' prints the same.
//
// # Exit status
//
//   - 0: success.
//   - 1: an error in a spec, in reading or writing a file, in building or running a model
//     program. Errors in a spec are printed one per line as file:line:col: message, the file
//     named as on the command line; other errors as "neurogen COMMAND: message".
//   - 2: a bad command line: an unknown command or flag, a missing or extra argument, a bad
//     flag value. The error is one line, followed by "run 'neurogen COMMAND -h' for usage".
//     neurogen without arguments prints its usage to standard error and exits 2.
//
// # Check specs
//
//	neurogen check [-q] [-v] SPEC...
//
// Check loads and checks each SPEC and prints every error of every spec to standard error, one
// per line. For each valid spec it prints on standard output one line that says what was
// checked: the model, its states, channels and ions, and the method (-q: nothing; -v: also a
// line with every parameter and its value). SPEC "-" reads the standard input. Structural errors (unknown or
// missing fields, values of the wrong YAML type) do not stop the check: the rest of the spec is
// checked in the same run, and an error that only follows from another (a use of a name whose
// declaration has an error) is not reported. Only a YAML syntax error stops it.
//
//	$ neurogen check specs/hh52.yaml bad.yaml
//	specs/hh52.yaml: HH52 ok: 4 states (V, Na.m, Na.h, K.n), 3 channels (Na, K, L), method exp_auto
//	bad.yaml:14:18: undefined: `gK` (did you mean `g_max`?)
//
// Check, gen, show, diff, run and build also print warnings, as file:line:col: warning:
// message, about what is valid but likely wrong; a warning changes neither the exit status nor
// the output. neurogen's currents are inward positive, g*(E - V), the opposite of NEURON's
// outward-positive g*(v - e): a current whose slope at its reversal potential is positive (a
// conductance current written (V - E), as copied from a .mod file) gets a warning at its
// `current:` that says so and how to turn it around:
//
//	$ neurogen check cat.yaml
//	cat.yaml:12:14: warning: the current of channel `CaT` increases with V at its reversal potential, so it is outward positive: neurogen's currents are inward positive, `g*(E - V)`, unlike NEURON's outward-positive `g*(v - e)`; write `E_Ca - V` for `V - E_Ca`
//
// # Generate a package
//
//	neurogen gen SPEC -o DIR [-pkg NAME] [-method METHOD] [-tables [-table-error E]] [-simd] [-float32] [-line] [-v]
//
// Gen checks SPEC and writes the Go package of its model into DIR (created if missing). The
// package is named after the model (hh52 for HH52) unless -pkg NAME gives another name: a Go
// identifier that is not a keyword, "_" or "main". -method overrides the spec's integration
// method: exp_auto, staggered, euler, rk2 or rk4.
//
// -tables advances the gates whose kinetics depend on V alone (and on group-wide parameters)
// from rate tables, as NEURON's TABLE does: for each such gate, the coefficients A and B of its
// exponential step x(t+dt) = A·x + B are tabulated from -100 to 60 mV and interpolated linearly
// in V. The tables are built by the generated code for the step dt of the run and the present
// parameters, when it first steps and again whenever dt or a parameter the rates depend on
// changes. Outside the range, V is stepped exactly (never clamped to the table), and so are
// the other states. The spacing is the largest that keeps the interpolation error of every
// tabulated gate's steady state x∞ (absolute) and rate λ (relative) within -table-error E
// (default 1e-6), checked at three points inside every interval at the spec's parameter values;
// gen prints the tables' size and the error reached on standard error, and the generated file
// says the same. Tables need method exp_auto or staggered. A gate whose rates depend on anything
// but V and group-wide parameters (a concentration, a per-neuron parameter, the time) stays
// exact, and gen says so.
//
// -simd also writes a four-lane Step: NAME_x4.go, built only with GOEXPERIMENT=simd on amd64
// (Go 1.26's experimental simd/archsimd), and its stub NAME_nox4.go for every other build.
// On a CPU with AVX2, StepRange steps four neurons at a time with it, and the rest one at a
// time. Each lane does what the scalar loop does, operation for operation, with runtime.ExpX4
// and ExprelX4, which give the bits of runtime.Exp and Exprel: the results are the same bits as
// without -simd (tests hold every stock model to it), two to three times sooner. Functions with
// no four-lane form (log, tanh, min, pow with a general exponent) run lane by lane. With
// -tables, each lane reads its own row of the table. -simd needs method exp_auto or staggered:
//
//	neurogen gen specs/hh52.yaml -o hh52 -simd
//	GOEXPERIMENT=simd go test -bench . ./...
//
// -line adds source maps: before each statement that comes from an expression written in SPEC
// (a rate, a current, a definition, a kinetic gate's derivative) a //line SPEC:LINE:COL
// directive, and after it one that gives the Go file its own positions back, so that compiler
// errors, panics and profiles of that statement name the spec's line (SPEC as given on the
// command line). It is off by default, so that the files read as plain Go.
//
// -float32 stores the state variables (V, gates, concentrations) in single precision, halving
// their memory; each step reads them into float64, computes in double precision and rounds the
// new state to float32. The group's Var returns nil for them and Var32 (runtime.Float32Vars)
// their []float32 slices; per-neuron parameters, Input and SpikeTimes stay float64, and the
// runtime's monitors, delay lines and state files read and write either kind. On HH52 every
// spike stays within 4e-4 ms of the float64 run over 1000 ms (tested to 2e-3 ms). It combines
// with every method, -tables and -simd.
//
// Each file is written whole (to a temporary file in DIR that is then renamed) and only when
// its content changes, so that regenerating an unchanged spec leaves the files and their
// modification times alone. Generated files begin with
//
//	// Code generated by neurogen from SPEC; DO NOT EDIT.
//
// where SPEC is the spec's path as given on the command line, with forward slashes. -v prints
// each file written or found up to date. The generated package imports
// github.com/neurogen/neurogen/runtime, so the module that holds it requires
// github.com/neurogen/neurogen.
//
// Gen is made for go:generate, which runs it in the directory of the file that holds the
// directive:
//
//	//go:generate neurogen gen model.yaml -o model
//
// The package is named after the model (hh52 above, imported from the directory model), not
// after DIR; to follow the Go convention that a package is named after its directory, say so:
//
//	//go:generate neurogen gen model.yaml -o model -pkg model
//
// # Check that a generated package is up to date
//
//	neurogen diff SPEC -o DIR [-pkg NAME] [-method METHOD] [-tables [-table-error E]] [-simd] [-float32] [-line] [-v]
//
// Diff is the check for CI that the checked-in package is what gen would write now. It takes
// gen's flags, with their meanings and checks, generates the package of SPEC in memory as gen
// does and compares it with the files in DIR, writing nothing. When they match, it prints
// nothing and exits 0. Otherwise it prints a unified diff from the files on disk to the
// generated ones on standard output, with three lines of context, one file after another in
// order of name, and a line on standard error that says DIR is out of date, and exits 1:
//
//	--- model/hh52.go (on disk)
//	+++ model/hh52.go (generated)
//	@@ -40,7 +40,7 @@
//	...
//
// A file that gen would write but DIR lacks is compared as empty, "--- DIR/NAME (missing)" (a
// DIR that does not exist lacks every file). A regular file in DIR that gen would not write
// but that begins with neurogen's header, "// Code generated by neurogen from", is stale (left
// by an earlier -simd, say, or under another model name) and is shown removed, "+++ DIR/NAME
// (not generated)". Other files in DIR, and its subdirectories, are left alone. A last line
// without a newline is marked "\ No newline at end of file", as diff -u marks it, and the output
// applies with patch -p0 -E from the directory diff ran in. -v prints on standard error, for
// each file, whether it is up to date, differs, is missing or is stale.
//
// The generated files name SPEC as given on the command line, so diff must run where the
// go:generate directive runs (the directory of its Go file) with the same SPEC and flags,
// gen replaced by diff:
//
//	cd internal/model && neurogen diff model.yaml -o model -pkg model
//
// Errors in the spec are printed as gen prints them, with exit status 1, and a bad command
// line exits 2.
//
// # Show what neurogen derived from a spec
//
//	neurogen show SPEC [-method METHOD] [-tables [-table-error E]]
//	                   [-go [-pkg NAME] [-simd] [-float32] [-line]]
//
// Show checks SPEC and prints, for a person to read, what the checker derived from it, in
// sections:
//
//   - Variables: each state (V, the gates, the concentrations), parameter (with its value in
//     neurogen's internal units), the input I_ext, the time t, and each rate and current that
//     the step computes on the way: its spec name, the Go local it becomes in the generated
//     code, and its unit.
//   - Initial state: what Reset sets each state to.
//   - Equations: the statements of Step in the order it computes them, after the symbolic
//     passes (units folded, singularities rewritten, derivatives taken, subexpressions
//     shared): first those that depend on group-wide values only, computed once per step
//     before the loop over neurons, then those computed per neuron. Each is LOCAL [UNIT] =
//     EXPRESSION, with spec names for states and parameters (Na.m, Na.g_max) and Go locals
//     for the values of other statements, followed by the comments the generated code
//     carries (the spec text it came from).
//   - Linear coefficients (exp_auto and staggered): for each state x, the statement that
//     computes L = ∂(dx/dt)/∂x, which the exponential step uses (and Crank–Nicolson, for V
//     under staggered), and, where it is short, the same with the shared subexpressions
//     inlined.
//   - Singularities rewritten: each removable singularity, in which rate, at which V, before
//     and after.
//   - Shared subexpressions: the statements (s1, s2, …) that the scheduler introduced for
//     what several statements compute, shared exponentials included, with their users.
//   - Folded constants: each exponential computed from a shared one of the same variable, as
//     a constant times a power of it (HH52's exp(-(V+35)/10) is e^0.5 times exp(-(V+40)/10)),
//     and each parameter whose value was converted to the internal unit.
//
// -method shows the model of another integration method. -tables (and -table-error E) says
// which gates rate tables advance, as gen -tables does, and marks the statements that are then
// computed only for V outside the tables. The output is the same for the same spec and flags:
//
//	$ neurogen show specs/hh52.yaml
//	...
//	Linear coefficients of exp_auto: L = ∂(dx/dt)/∂x, as Step computes it
//	  V     L_V     = s5 * (-K.g_max * s4 - Na.g_max * Na.h * s3 - L.g_max)
//	                = (-K.g_max * K.n**4 - Na.g_max * Na.h * Na.m**3 - L.g_max) / C
//	  Na.m  L_Na_m  = -Na_m_alpha - Na_m_beta
//	...
//
// -go prints instead the Go source that gen would write with the same flags, to standard
// output: each file whole, preceded by a line "// file NAME" when there are several (with
// -simd). -pkg NAME, -simd, -float32 and -line are gen's; -simd, -float32 and -line change
// only the generated code, so they need -go. Show reads SPEC from a file, as gen does, and
// prints the errors of a bad spec as check does (exit status 1).
//
// # Run a simulation
//
//	neurogen run SPEC [-n N] [-t DURATION] [-dt STEP] [-set NAME=VALUE]...
//	                  [-method METHOD] [-tables [-table-error E]] [-simd] [-float32] [-seed SEED]
//	                  [-spikes FILE.csv] [-keep DIR] [-rebuild] [-progress=false]
//	                  [-record VARS -o FILE.npz|FILE.csv [-every DURATION] [-neurons SET]
//	                  [-max-memory SIZE]] [-save STATE] [-resume STATE]
//	                  [-plot FILE.png|FILE.svg]
//
// Run generates the package of SPEC into a temporary Go module, together with a small main
// program and the source of neurogen's runtime (which travels inside neurogen), builds it with
// the go command found on PATH, runs it and prints a summary. The build never touches the
// network (GOPROXY=off, GOTOOLCHAIN=local, GOWORK=off, GOFLAGS=-mod=mod -trimpath,
// CGO_ENABLED=0), so run works from an installed neurogen with no checkout of its source. The
// program's source depends only on the spec's content and -method; the values of a run reach
// it in a JSON file, so the program cache (below) makes later runs of the same model start at
// once, without building.
//
// The flags:
//
//	-n N             the number of neurons, 1 or more (default 1)
//	-t DURATION      the simulated time (default 100ms)
//	-dt STEP         the time step (default 0.025ms)
//	-set NAME=VALUE  set a parameter or the external input; repeatable
//	-method METHOD   the integration method: exp_auto, staggered, euler, rk2 or rk4 (default: the spec's)
//	-tables          advance the gates from rate tables (see neurogen gen -tables)
//	-table-error E   the tables' interpolation error bound (default 1e-6; implies -tables)
//	-simd            step four neurons at a time (see gen -simd), the same results bit for bit
//	-float32         keep the state in single precision (see gen -float32)
//	-seed SEED       the seed of a random initial state (default: the spec's)
//	-spikes FILE     write every spike to FILE as CSV
//	-keep DIR        write the module into DIR, build it there, and keep it for inspection
//	-rebuild         build the program even if the cache holds it
//	-progress=false  draw no progress bar on a terminal
//	-record VARS     record the comma-separated variables VARS (needs -o)
//	-o FILE          write the recording to FILE.npz (NPZ) or FILE.csv (CSV)
//	-every DURATION  the recording interval (default: one step)
//	-neurons SET     the neurons to record: all, or such as 0,3,10-19 (default: all up to 100)
//	-max-memory SIZE the most memory the recording may take (default 1GiB; none: no limit)
//	-save STATE      write the complete state at the end of the run to the file STATE
//	-resume STATE    start from the state in the file STATE, written by -save
//	-plot FILE       draw the recorded variables (V too) and a spike raster into FILE.png or FILE.svg
//
// DURATION and STEP are times with a unit, such as 100ms, 1s, 0.025ms or "250 us"; a bare
// number is an error. DURATION must be zero or positive, STEP positive, and DURATION a whole
// number of steps.
//
// -set NAME=VALUE sets NAME for every neuron. NAME is a parameter of the spec by its spec name
// (C and V_th of the membrane, a group-level parameter such as q10, a channel's parameter such
// as Na.g_max) or I_ext, the external input of each neuron. VALUE is
//
//   - a quantity whose unit has the parameter's dimension, such as 120mS/cm2, -60mV or
//     "0.12 S/cm2"; a bare number for a dimensionless parameter. I_ext takes a current density
//     (5uA/cm2) or a current (0.5nA), which is divided by the membrane area A of the spec.
//   - linspace(FROM, TO), with two such quantities, which gives neuron i of N the value
//     FROM + (TO−FROM)·i/(N−1) (FROM when N is 1). It needs one value per neuron, so it is
//     allowed for I_ext and for parameters declared per_neuron: true in the spec only.
//
// A parameter that the spec gives as an expression of other parameters (`V_sh: VT`) is not a
// parameter of its own: it follows the ones it names, so -set VT=-60mV moves it too.
//
// A later -set of the same NAME replaces an earlier one. An unknown NAME, a unit of the wrong
// dimension and linspace on a group-wide parameter are errors (exit status 2), found before
// anything is built. The shell needs linspace quoted.
//
// The group starts from its initial state (after the settings are applied) at t = 0, or from
// the state of -resume (below). Run prints the model and method, the number of neurons,
// duration, step and number of steps (and the time and step a resumed run starts from), the
// wall time of the simulation with its speed in neuron-steps per second, and the time of
// generating and building the program (or of finding it in the cache); then, for each of the
// first 20 neurons, its spike count, mean rate and I_ext (and each per-neuron parameter set
// with linspace); then the total spike count, how many neurons spiked and the mean rate; the
// CV of the interspike intervals; then the files it wrote. With -spikes FILE.csv it writes
// every spike, step by step (the spikes of one step in neuron order, each at its time
// interpolated within the step), as lines "neuron,time_ms" after that header line; the file is
// written whole, or not at all when the run fails.
//
// The CV of the interspike intervals is the mean, over the neurons with 3 spikes or more in the
// run (2 intervals or more), of each neuron's CV: the standard deviation of its intervals, in
// the population form (dividing by the number of intervals, as numpy.std and
// scipy.stats.variation do), over their mean. Averaging CVs rather than pooling the intervals
// of all neurons keeps the neurons' different rates out of it: a group of perfectly regular
// neurons at different rates has a CV of 0. The summary says how many neurons it is over, or
// that no neuron has 3 spikes; the intervals of a resumed run start at its first spike.
//
// A run that takes more than about a second draws a progress bar on standard error when that
// is a terminal: how much of the simulated time is done, the speed in neuron-steps per second
// and the time left, redrawn about ten times a second and cleared at the end, also when the
// run fails or is interrupted (Ctrl-C). It is never drawn into a file or a pipe, so logs stay
// clean; -progress=false turns it off on a terminal too. The model program reports its
// progress to run on its standard error, which keeps the program's source, and so its place
// in the cache, the same with and without a bar.
//
// # Record variables
//
// -record VARS records the comma-separated variables VARS of the neurons -neurons SET, every
// -every DURATION, into the file -o FILE, with a runtime.Monitor. -record may be repeated (its
// lists add up; a name twice is an error). A variable is
//
//   - a state variable of the model, by its spec name: V, a gate such as Na.m, an ion's inner
//     concentration such as Ca_i;
//   - a parameter declared per_neuron: true, such as L.g_max;
//   - I_ext, each neuron's external input (uA/cm2);
//   - CHANNEL.I, the current density of a channel (uA/cm2, inward positive), such as Na.I.
//
// Values are in neurogen's internal units (mV, ms, mM, uA/cm2, mS/cm2 …). An unknown name is an
// error with the nearest known one; a group-wide parameter cannot be recorded (it has one
// value, which -set gives).
//
// -every DURATION is a time with a unit, a positive whole number of steps; the default is one
// step. The monitor records the state at the end of every k-th step, k = DURATION/STEP, that is
// at t = DURATION, 2·DURATION, … from t = 0, the times of the records of a resumed run included
// (they follow the absolute step count, not the start of the run).
//
// -neurons SET is "all" or a comma-separated list of indices and ranges of indices, both ends
// included, such as 0,3,10-19; the neurons are recorded in increasing order, each once (a
// neuron in two elements of SET is recorded once). The default is all when N is 100 or less; a
// larger group needs -neurons, so that a big recording is never made by accident. An index of
// N or more is an error.
//
// -o FILE names the recording, written whole (to a temporary file beside FILE, renamed when the
// run has succeeded) or not at all. Its extension gives the format:
//
//   - FILE.npz, an NPZ file (numpy.load reads it) of the arrays of runtime.Monitor.Arrays: t
//     (float64 [records], ms), step (int64 [records], the index of the step after which the
//     record was made), neurons (int64 [neurons]), one float64 [records, neurons] array per
//     variable named as in -record (V, Na.m, Na.I …), units (text, one line "NAME UNIT" for t
//     and each variable), every (int64, steps), dropped (int64, 0); and the spikes of the run,
//     spike_neuron (int64 [spikes]) and spike_time (float64 [spikes], ms), in the order
//     -spikes writes them (step by step).
//   - FILE.csv, CSV with a header line "t_ms,neuron,VAR…" (the variables in the order given)
//     and one line per record and neuron, numbers in the shortest form that reads back to the
//     same float64. The spikes are not in it: use -spikes.
//
// -record needs -o, and -o, -every, -neurons and -max-memory need -record or -plot (below).
//
// The monitor allocates all its memory before the run: 8 bytes per variable, neuron and record,
// 16 per record for its time and step, and a little more (see runtime.Monitor.Bytes). A
// recording that would need more than -max-memory SIZE is refused before anything is built,
// with what it would need and the -every that would fit (exit status 2). SIZE is a number
// of bytes with an optional unit, B, KiB, MiB, GiB, TiB, kB, MB, GB or TB (512MiB, 2GiB, 1e9),
// or none for no limit; the default is 1GiB. The spikes that go into an NPZ recording are held
// in memory too, 12 bytes each, and are not counted in SIZE, which cannot know them in advance.
//
// # Save and resume
//
// -save STATE writes the complete state of the simulation at the end of the run to STATE with
// runtime.Sim.Save: atomically (a temporary file, synced and renamed), after the recording and
// the spikes are written, so that a failed run leaves no half file. The state file is an NPZ
// file in the format of runtime.Sim.WriteState: the program's Sim has one group, named group,
// so the arrays are group.V, group.Na.m, … (each state variable), group.Na.g_max … (each
// parameter), group.I_ext, group.spiked, group.spike_time, group.seed, group.voltage_clamp,
// group.now, and __meta__ with the clock (step, t, dt) and the model.
//
// -resume STATE starts from the state in STATE instead of the initial state:
//
//   - the clock continues: the run starts at STATE's step and time t, and -t DURATION is the
//     time to run on (a run of -t 50ms from t = 50 ms ends at t = 100 ms). Spike times, the
//     recording's times and the state saved with -save are on that continuing clock;
//   - -n and -dt default to STATE's group size and step; when given they must match it (exit
//     status 2 otherwise);
//   - -seed is an error: the state already holds V and the seed;
//   - everything else comes from STATE: V and every gate and concentration, every parameter and
//     I_ext as they were at the save. -set applies after loading, so it changes a parameter or
//     the input from the resumed step on (without -set the run goes on with STATE's values);
//   - STATE must hold one group named group of the same model: the same variables and
//     parameters with the same units (-method may differ; the spec may differ in what leaves
//     them alone). The model program loads it with runtime.Sim.Load, which verifies all of the
//     file first, and its errors are printed as they are, with exit status 1.
//
// A run of 2T and a run of T saved with -save, then resumed with -resume for another T, end in
// the same state, byte for byte, with the same spikes and records in the second half: resuming
// is exact. -save may name the file of -resume, which it then replaces at the end.
//
// -keep DIR builds in DIR (a new or empty directory, or one that an earlier -keep filled) and
// leaves the module there: go.mod, main.go, the generated package in model/, the runtime's
// source under neurogen/, the run's config.json and the program in bin/. Without -keep, run
// builds in a temporary directory that it removes. When the cache holds the program, -keep
// writes the module all the same, with a copy of the cached program in bin/, and builds
// nothing; -keep DIR -rebuild builds in DIR.
//
// # The program cache
//
// Run keeps each program it builds in a cache, and a later run of the same model takes it
// from there instead of calling go build: it starts in a few milliseconds, and the summary
// says "build cached (…)". A program is found by a SHA-256 over everything it is built from:
// the bytes of every file of its module (the generated package, main.go, cli.go, go.mod and
// the source of the runtime and of the units package, which come with this neurogen), the go command's toolchain (go env
// GOVERSION, GOROOT, GOOS, GOARCH, GOAMD64 and the other architecture levels, GOEXPERIMENT,
// GOFLAGS, CGO_ENABLED, GOFIPS140) and the cache's format. The values of a run (-n, -t, -dt,
// -set, -seed, the files) are not part of it, nor is the spec's path: the generated package
// of a run names its spec "the spec of model NAME", so the same spec under another name or
// in another directory finds the same program. A changed spec, another -method, another
// neurogen or another Go builds a new program.
//
// The cache is the directory $NEUROGEN_CACHE, or neurogen in the user's cache directory
// (os.UserCacheDir: $XDG_CACHE_HOME or ~/.cache on Linux, ~/Library/Caches on macOS,
// %LocalAppData% on Windows); NEUROGEN_CACHE=off turns it off. Its programs/ directory holds
// one directory per program: the program, its SHA-256 (sha256) and what it was built from
// (info). A program is stored whole or not at all (written into a temporary directory, then
// renamed into place), so concurrent runs and crashes never leave half a program; before a
// program is used its bytes are checked against its SHA-256, and a damaged one is removed and
// built again. The cache keeps the 50 programs used last, about 5 MB each for HH52, and
// removes older ones as it stores new ones; removing the directory (rm -rf
// ~/.cache/neurogen) clears it, and is always safe. -rebuild builds even when the cache holds
// the program, and stores the new one in its place. A cache that cannot be written costs a
// warning on standard error, not the run.
//
// Examples:
//
//	$ neurogen run specs/hh52.yaml -n 8 -t 1s -set 'I_ext=linspace(0uA/cm2, 20uA/cm2)'
//	$ neurogen run specs/hh52.yaml -set I_ext=10uA/cm2 -set Na.g_max=100mS/cm2 -spikes out.csv
//	$ neurogen run specs/hh52.yaml -method rk4 -dt 0.05ms -t 500ms -set I_ext=0.01nA
//	$ neurogen run specs/hh52.yaml -n 4 -t 500ms -record V,Na.m,Na.I -every 0.1ms -o a.npz -save s.npz
//	$ neurogen run specs/hh52.yaml -resume s.npz -t 500ms -record V -neurons 0,2 -o b.csv
//
// # Build a standalone program
//
//	neurogen build SPEC -o BINARY [-method METHOD] [-tables [-table-error E]] [-simd] [-float32] [-rebuild]
//
// Build compiles SPEC into BINARY, a standalone, statically linked program for that one model:
// the program that run builds and caches (a build after a run of the same model takes it from
// the cache, and run is build followed by a run of the program with the run's values in a
// configuration file). Its own command line takes the model's parameters as flags of their
// spec names, with units, and the run's values:
//
//	BINARY [-n N] [-t DURATION] [-dt STEP] [-method M] [-seed SEED] [-PARAMETER VALUE]... [-I_ext VALUE]
//	       [-spikes FILE.csv] [-record VARS -o FILE.npz|FILE.csv [-every DURATION]
//	       [-neurons SET]] [-save STATE] [-resume STATE]
//
// A parameter's VALUE is a quantity with a unit of its dimension (-Na.g_max 100mS/cm2; a bare
// number for a dimensionless one); a per-neuron parameter and -I_ext (a current density) also
// take linspace(FROM, TO) over the neurons, or @FILE of one value per neuron in the internal
// unit: a .npy file of a one-dimensional array, or a text or CSV file (a first line that is
// not a number is a header). -I_ext also takes step(ON, OFF, VALUE): VALUE from time ON to
// OFF, and 0 before and after. BINARY -h lists
// the model's parameters with their units, defaults and docs, then the other flags; the
// integration method is compiled in, and -method takes only that one. It prints
// a summary of the run (the first 20 neurons' spike counts, rates and inputs; the totals, the
// mean rate and the CV of interspike intervals; the speed) and writes the files its flags
// name, in the formats of run. A bad flag exits 2 with one line saying what is wrong;
// resuming a state of another model, or an unwritable file, exits 3; other errors exit 1.
//
//	$ neurogen build specs/hh52.yaml -o hh52
//	wrote hh52, the HH52 model (exp_auto); hh52 -h lists its flags
//	$ ./hh52 -n 8 -t 1s -I_ext 'linspace(0uA/cm2, 20uA/cm2)' -Na.g_max 100mS/cm2 -spikes spikes.csv
//
// # Plot a run
//
//	neurogen run SPEC … -plot FILE.png|FILE.svg
//	neurogen plot FILE.npz [-o OUT.png|OUT.svg] [-neurons SET] [-vars NAMES]
//
// The figure of a run has a panel for each recorded variable and a spike raster below them,
// all on one time axis (ms), labelled once, under the raster. The panels come in the order
// recorded, V first; each is labelled with the variable and its unit, "V (mV)", "Na.I
// (uA/cm2)", or the name alone for a dimensionless one such as a gate ("M.p"). Each panel
// draws the variable of up to 8 neurons, a colour per neuron, the same in every panel and for
// the neuron's ticks in the raster (black for the neurons not drawn). The legend, right of the
// panels, names each neuron and its input: "neuron 3: I_ext 8.57 uA/cm2", "neuron 3: I_ext 10
// uA/cm2 from 50 to 150 ms" for a step, or the neuron alone when the recording does not hold
// the input. The raster has a row per neuron of the group, a tick for each spike at its time.
// The title is the model's name. A long trace is drawn through the lowest and highest value of
// each short interval, so that no spike is lost between pixels; a value that is not finite
// leaves a gap. The extension of the file, .png or .svg, picks the format; any other is an
// error (exit status 2). A PNG is 1000×700 pixels for one variable and 220 pixels taller for
// each further one. The figure is written whole or not at all, and the same data give the same
// bytes. The drawing is package internal/plotting, which takes plain slices.
//
// -plot FILE draws the figure of a run into FILE after the run, and says what it drew on a
// last line, "plotted V, K.n of neurons 0-7 and 211 spikes of 20 neurons to FILE". It records
// V (added to -record's variables if they lack it) of the neurons of -neurons and draws every
// variable recorded (up to 6) of the first 8 of them. Without -o, that recording only feeds
// the figure: it goes into a temporary file that run removes, and -neurons defaults to the
// first 8 neurons. With -o FILE.csv the spikes are read back from -spikes, or from a temporary
// file, and the input from the run's table (for its first 20 neurons). -plot may not name the
// file of -spikes, -save or -resume.
//
// neurogen plot FILE.npz draws the same figure from a recording that neurogen run -record VARS
// -o FILE.npz (or a built binary's -record VARS -o FILE.npz) wrote: the NPZ holds the
// variables with their units, the times, the recorded neurons, their input (input, one row per
// change of it, from the times input_t), the run's spikes, the model's name and the group's
// size. It writes OUT (-o; default FILE with the extension .png). -neurons SET picks the
// traces: all, or indices and ranges such as 0,3,10-12, each recorded in FILE and at most 8 of
// them; the default is the first 8 recorded. -vars NAMES picks the variables and their order,
// such as -vars V,M.p, each recorded in FILE and at most 6; the default is every variable
// recorded, V first, up to 6. A recording without the spikes (an NPZ of
// runtime.Monitor.WriteNPZ) gives an empty raster. A neuron or a variable that FILE does not
// record is an error (exit status 2); a file that cannot be read, is not an NPZ file, is a
// state file of -save, or holds no variable is an error (exit status 1) that says so.
//
//	$ neurogen run specs/hh52.yaml -n 20 -t 200ms -set 'I_ext=linspace(0uA/cm2, 20uA/cm2)' -plot a.png
//	$ neurogen run specs/hh52.yaml -n 20 -t 200ms -set 'I_ext=linspace(0uA/cm2, 20uA/cm2)' -record V,K.n -o a.npz
//	$ neurogen plot a.npz -neurons 4,9,19 -o b.svg
//	$ neurogen plot a.npz -vars K.n -o n.png
//
// # List the stock channels
//
//	neurogen channels [NAME]
//
// Channels lists the stock channel library, the channels a spec takes with `use: NAME` (and
// overrides parameters of, as in `Na: {use: INa_HH1952, g_max: 100 mS/cm2}`). It prints one
// line per channel, sorted by name: the name, the ion its current carries ("-" for none), its
// gates with their forms (alpha/beta; inf/tau; inf, an instantaneous gate; kinetic, a state
// given by its derivative; "-" for none) and the first line of its doc:
//
//	$ neurogen channels
//	IAHP_De1994   K   p (inf/tau)           Calcium-activated potassium current of the slow ...
//	...
//	INa_HH1952    Na  p, q (alpha/beta)     Fast sodium current of the squid giant axon ...
//	Ih_De1996     -   P1, O, O_L (kinetic)  Hyperpolarization-activated cation current ...
//
// With NAME it prints that channel's file exactly: its spec, whose doc gives the equations,
// the default parameters with their units, the paper it comes from and any deviation from
// BrainPy's channel of the same name. An unknown NAME is a usage error (exit status 2), with
// the names it may stand for:
//
//	$ neurogen channels ICaT
//	neurogen channels: unknown stock channel "ICaT" (did you mean one of ICaT_HM1992, ICaT_HP1992?)
//
// A channel that reads the group's temperature (for its temperature factors) needs `T` among
// the spec's parameters (`params: {T: 36 degC}`); one that reads an ion (E_Ca, Ca_i, E_K) needs
// the ion under `ions:`. The check of a spec says so when they are missing.
//
// # Version
//
//	neurogen version
//
// Version prints the version of neurogen (the module version of an installed binary, or the
// constant Version), the version of the runtime API its generated code is written for
// (runtime.APIVersion), and the Go version it was built with.
package main
