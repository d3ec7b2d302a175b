// Package runtime is what every group that neurogen generates runs on: the Group interface they
// all satisfy, and everything a simulation needs beyond one group's Step.
//
// It imports nothing outside the standard library but neurogen's internal/suggest (itself
// standard library only), because its source travels, with internal/suggest's, inside the
// neurogen binary (Source) and is compiled into bespoke model programs on machines with no
// network. For the same reason its NPZ codec and its fast exponential are its own.
//
// What it holds:
//
//   - Groups: Group, the interface of a generated group, and Model, Var, Param and Rate, which
//     describe one (names, units, defaults, the spec it came from, a layout hash); VarOf and
//     Float32Vars read a variable whatever its precision; APIVersion and
//     SupportPackageIsVersion1 tie generated code to this package at compile time.
//   - Running one group: Clock, Run and Steps (a duration as a whole number of steps);
//     SetInputCurrent and InputCurrent (absolute currents through the membrane area); Spikes,
//     which collects spikes and writes them as CSV.
//   - Running several: Sim steps named groups on one clock, with delay lines over their
//     variables (Delay, SpikeDelay: a value of step k arrives at step k+d, read without
//     allocating), recorders (Monitor for variables and channel currents, SpikeMonitor for
//     spikes, both into storage sized up front against a memory limit, exported as NPZ or CSV)
//     and user state (Sim.AddState) that state files hold too.
//   - Networks: Projection, the connectivity of one projection in compressed rows by
//     presynaptic neuron (int32 indices, weights constant, float32 or float64, one delay in
//     steps), made by NewProjection or the seeded builders AllToAll, OneToOne,
//     FixedProbability, FixedInDegree and FromPairs (ConnectOptions: seed and stream, no
//     self-connections, multapses), or FromPairsByDelay (one per delay); Sim.ConnectReceptor
//     delivers a projection from one group's spikes into a receptor of another (Sim.Connect
//     into any per-neuron state) in Brian2's order, and Sim.AddPoisson and
//     Sim.AddPoissonReceptor add Poisson input; both give the same bits for any number of
//     workers and are held by state files (see the comment in network.go). Into a kinetic
//     receptor (Receptor.Kinetic: AMPA, GABA_A, GABA_B), a projection or Poisson input keeps
//     each synapse's state, computed in closed form at its transmitter pulse's start and end
//     (see the comment in kinetic.go). Current inputs
//     set a group's Input at the start of each step: Sim.AddStep, AddRamp, AddCurrent
//     (breakpoints, held or linear), AddWaveform (samples at their own dt; ReadWaveform reads
//     them from .npy or .csv) and AddOU (Ornstein–Uhlenbeck noise from its own PCG stream,
//     held by state files); see the comment in current.go.
//   - State files: Sim.Save writes everything needed to resume bit-identically (variables,
//     parameters, inputs, delay lines, the clock) as NPZ, which numpy reads, with JSON metadata
//     and a SHA-256 per array; Sim.Load verifies all of it (model, layout, method, sizes,
//     finite and physically possible values) before it changes anything, and refuses a file
//     with a StateError whose Code says which kind of fault it has. Outputs are written
//     atomically (CreateOutput: a temporary file, fsync, rename). WriteNPZ, ReadNPZ and OpenNPZ
//     are the codec, with sizes checked before anything is read or inflated.
//   - No silent NaN: CheckFinite finds the first value that is not finite and names the group,
//     variable, neuron and time; CheckParams refuses a parameter no step can use. A Sim checks
//     every DefaultFiniteCheck steps and at the end of Sim.Run; Run checks nothing.
//   - Parallel stepping: Pool (and Sim.SetWorkers) splits a group into chunks of ChunkSize
//     neurons stepped on goroutines started once; results are the same bits for any number of
//     workers.
//   - Arithmetic for generated code: Exp (within 0.52 ulp, about a third of math.Exp's cost),
//     Exprel ((e^z − 1)/z without cancellation), Choose, and on amd64 with GOEXPERIMENT=simd
//     their four- and eight-lane forms, which give the same bits.
//
// A run of a generated group g looks like this:
//
//	steps, err := runtime.Steps(1000, 0.01) // 1000 ms in steps of 0.01 ms
//	if err != nil { ... }
//	g.Reset()
//	runtime.SetInputCurrent(g, 0, 2e-3) // 2 nA into neuron 0
//	clk := runtime.Clock{Dt: 0.01}
//	var sp runtime.Spikes
//	runtime.Run(g, &clk, steps, &sp)
//	err = sp.WriteCSV(w)
//
// A Sim of two groups, the inhibitory one driven by the excitatory one's spikes of 1.5 ms ago:
//
//	sim, _ := runtime.NewSim(0.025)
//	sim.Add("exc", exc)
//	sim.Add("inh", inh)
//	spikes, _ := sim.NewSpikeDelay("exc", 5) // up to 5 ms of spike history
//	d, _ := spikes.Steps(1.5)
//	for range steps {
//		arrived := spikes.Row(d) // no allocation
//		// ... synaptic input from arrived into inh.Input()
//		if err := sim.Step(); err != nil {
//			return err // group "exc": V of neuron 3 is NaN at t = 12.5 ms (step 500); …
//		}
//	}
//	err = sim.Save("run.state")
//
// A network of two groups: exc's spikes into inh's excitatory conductance, 2 ms later
// (dt = 0.1 ms), with p = 0.02:
//
//	p, _ := runtime.FixedProbability(exc.Len(), inh.Len(), 0.02, runtime.ConnectOptions{Seed: 1, Stream: 1})
//	p.SetWeight(6)  // nS, the unit of E.g
//	p.SetDelay(20)  // steps
//	err := sim.Connect("e2i", "exc", "inh", "E.g", p)
//
// docs/runtime.md in the repository is the guide to how these fit together.
//
// Units: every number a Group holds or takes is in neurogen's internal units: mV, ms, uF/cm2,
// mS/cm2, uA/cm2 (current density), uA (absolute current), cm2 (area), mM (concentration).
package runtime
