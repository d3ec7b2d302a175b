// Package modelrun is what a model program is made of, shared by `neurogen run` and the
// binaries of `neurogen build`, so that the two take the same inputs, parsed and checked by one
// implementation, simulate alike and print the same summary.
//
// A model program's main calls [Main] with the New of its generated package. `neurogen run`
// parses its -set values with [ParseAssignment] and checks them against the model with
// [Resolve] before it builds anything, then passes the program a [Config] in a JSON file;
// the program's own command line (the flags of a `neurogen build` binary) builds the same
// Config with the same functions. Both print the run with [WriteSummary].
//
// It imports nothing outside the standard library but neurogen's runtime, units and
// internal/suggest packages: its source travels inside neurogen ([Source]) into the module of
// every model program.
package modelrun

// Config is the configuration of a run of a model program; all values are in internal units.
type Config struct {
	N        int       `json:"n"`
	Dt       float64   `json:"dt_ms"`
	Steps    int       `json:"steps"`
	Seed     *uint64   `json:"seed"`
	Settings []Setting `json:"settings"` // made before the run, in order
	// Changes are settings made during the run, each before the step that starts at its Step
	// (an absolute step index: a resumed run makes those at or before its first step at once,
	// in order, then the others), in order of Step.
	Changes []Change `json:"changes,omitempty"`
	Spikes  string   `json:"spikes"`
	Columns []Column `json:"columns"` // the table's columns after the spike counts
	Rows    int      `json:"rows"`    // the table's rows: the first neurons

	Group     string   `json:"group"`      // the group's name in the Sim and its state files
	Resume    string   `json:"resume"`     // the state file to start from, or ""
	AnyMethod bool     `json:"any_method"` // resume a state saved under another method
	Save      string   `json:"save"`       // the state file to write at the end, or ""
	Record    []string `json:"record"`     // the variables to record; none: no monitor
	Every     int      `json:"every"`      // the recording interval, steps
	Neurons   []int    `json:"neurons"`    // the neurons to record; nil: all
	MaxMemory int64    `json:"max_memory"` // the monitor's limit, bytes; negative: none
	Output    string   `json:"output"`     // the file to write the recording into
	Format    string   `json:"format"`     // its format: "npz" or "csv"

	Progress float64 `json:"progress_ms"` // the interval of progress reports; 0: none
}

// Targets of a setting: what a model program writes a value into.
const (
	TargetInput = "input" // Group.Input(), the external current density
	TargetParam = "param" // Group.SetParam, a group-wide parameter or all of a per-neuron one
	TargetVar   = "var"   // Group.Var(name)[i], a per-neuron parameter neuron by neuron
)

// Setting gives neuron i of n the value From + (To−From)·i/(n−1) (To exactly for the last
// one), or Values[i] when Values holds one value per neuron, in the internal unit.
type Setting struct {
	Name   string    `json:"name"`
	Target string    `json:"target"`
	From   float64   `json:"from"`
	To     float64   `json:"to"`
	Values []float64 `json:"values,omitempty"`
}

// At returns neuron i's value of the setting in a group of n.
func (s *Setting) At(i, n int) float64 {
	switch {
	case s.Values != nil:
		return s.Values[i]
	case n == 1:
		return s.From
	case i == n-1:
		return s.To
	}
	return s.From + (s.To-s.From)*float64(i)/float64(n-1)
}

// Change is a setting made before step Step.
type Change struct {
	Step    int64   `json:"step"`
	Setting Setting `json:"setting"`
}

// Column is a column of the summary's table: each neuron's value of I_ext or of a per-neuron
// parameter at the end of the run, or, for a step input, its amplitude Pulse.
type Column struct {
	Name   string   `json:"name"`
	Header string   `json:"header"` // its head, with the unit: "I_ext (uA/cm2)"
	Pulse  *Setting `json:"pulse,omitempty"`
}

// Result is what a model program reports of a run.
type Result struct {
	Model   string   `json:"model"`
	Method  string   `json:"method"`
	Variant []string `json:"variant"` // how the package was generated: tables, simd, float32
	Seed    *uint64  `json:"seed"`    // the seed of the initial state, when V_init is drawn
	N       int      `json:"n"`
	Steps   int      `json:"steps"`
	Start   int64    `json:"start"` // the step the run started from

	SimSeconds float64 `json:"sim_seconds"`
	Spikes     int     `json:"spikes"`
	Active     int     `json:"active"`
	Rows       []Row   `json:"rows"`

	Records      int   `json:"records"`       // records made by the monitor
	MonitorBytes int64 `json:"monitor_bytes"` // its memory

	ISICV        float64 `json:"isi_cv"`         // the mean CV of the interspike intervals
	ISICVNeurons int     `json:"isi_cv_neurons"` // over these neurons, with 3 spikes or more
}

// Row is a neuron's spike count and its values of Config.Columns.
type Row struct {
	Count  int       `json:"count"`
	Values []float64 `json:"values"`
}
