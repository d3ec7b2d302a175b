package main

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/neurogen/neurogen/check"
	"github.com/neurogen/neurogen/units"
)

// summary is what neurogen run reports about a run.
type summary struct {
	model    *check.Model
	cfg      *programConfig
	res      *programResult
	duration float64       // ms
	build    time.Duration // generating, writing and building the program, or finding it in the cache
	cached   bool          // the program came from the cache
	spikes   string        // the -spikes file, or ""
	keep     string        // the -keep directory, or ""
	out      string        // the -o file of the recording, or ""
	every    float64       // the recording interval, ms
	save     string        // the -save state file, or ""
	resume   string        // the -resume state file, or ""
}

// writeSummary prints a one-screen summary of a run: what ran, how long it took, a table of
// the first neurons and the totals.
func writeSummary(w io.Writer, s *summary) {
	m, cfg, res := s.model, s.cfg, s.res
	neurons := "neurons"
	if cfg.N == 1 {
		neurons = "neuron"
	}
	fmt.Fprintf(w, "%s (%s): %d %s, %g ms in %d steps of %g ms", m.Name, res.Method, cfg.N, neurons, s.duration, cfg.Steps, cfg.Dt)
	if s.resume != "" {
		fmt.Fprintf(w, ", from t = %g ms (step %d) of %s", float64(res.Start)*cfg.Dt, res.Start, s.resume)
	} else if m.VInit.Uniform {
		seed := m.Seed
		if cfg.Seed != nil {
			seed = *cfg.Seed
		}
		fmt.Fprintf(w, ", seed %d", seed)
	}
	fmt.Fprintln(w)
	rate := "-"
	if res.SimSeconds > 0 {
		rate = fmt.Sprintf("%.3g", float64(cfg.N)*float64(cfg.Steps)/res.SimSeconds)
	}
	build := seconds(s.build.Seconds())
	if s.cached {
		build = "cached (" + build + ")"
	}
	fmt.Fprintf(w, "simulation %s (%s neuron-steps/s); build %s\n\n", seconds(res.SimSeconds), rate, build)

	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "neuron\tspikes\trate (Hz)\t")
	for _, c := range cfg.Columns {
		fmt.Fprintf(tw, "%s (%s)\t", c, columnUnit(m, c))
	}
	fmt.Fprintln(tw)
	for i, row := range res.Rows {
		fmt.Fprintf(tw, "%d\t%d\t%s\t", i, row.Count, hertz(row.Count, 1, s.duration))
		for _, v := range row.Values {
			fmt.Fprintf(tw, "%.6g\t", v)
		}
		fmt.Fprintln(tw)
	}
	tw.Flush()
	if more := cfg.N - len(res.Rows); more > 0 {
		fmt.Fprintf(w, "… %d more\n", more)
	}
	fmt.Fprintf(w, "\ntotal: %d spikes, %d of %d %s active", res.Spikes, res.Active, cfg.N, neurons)
	if r := hertz(res.Spikes, cfg.N, s.duration); r != "-" {
		fmt.Fprintf(w, ", mean rate %s Hz", r)
	}
	fmt.Fprintln(w)
	if res.Spikes > 0 {
		fmt.Fprintf(w, "CV of interspike intervals: %s\n", isiCV(res))
	}
	if s.spikes != "" {
		fmt.Fprintf(w, "spikes written to %s\n", s.spikes)
	}
	if s.out != "" {
		who := fmt.Sprintf("%d %s", cfg.N, neurons)
		if cfg.Neurons != nil {
			who = fmt.Sprintf("%d of %d %s", len(cfg.Neurons), cfg.N, neurons)
		}
		records := "records"
		if res.Records == 1 {
			records = "record"
		}
		fmt.Fprintf(w, "recorded %s of %s every %g ms: %d %s (%s) written to %s\n",
			strings.Join(cfg.Record, ", "), who, s.every, res.Records, records, byteSize(res.MonitorBytes), s.out)
	}
	if s.save != "" {
		fmt.Fprintf(w, "state at t = %g ms (step %d) saved to %s\n", float64(res.Start+int64(cfg.Steps))*cfg.Dt, res.Start+int64(cfg.Steps), s.save)
	}
	if s.keep != "" {
		fmt.Fprintf(w, "model program kept in %s\n", s.keep)
	}
}

// isiCV formats the CV of the interspike intervals of a run: the mean over the neurons with 3
// spikes or more of each one's CV.
func isiCV(res *programResult) string {
	switch res.ISICVNeurons {
	case 0:
		return "- (no neuron has 3 or more spikes)"
	case 1:
		return fmt.Sprintf("%.4g (of the one neuron with 3 or more spikes)", res.ISICV)
	}
	return fmt.Sprintf("%.4g (mean over the %d neurons with 3 or more spikes)", res.ISICV, res.ISICVNeurons)
}

// byteSize formats a size in bytes with a binary unit suited to it: "512 bytes", "1.5 KiB".
func byteSize(b int64) string {
	if b < 1024 {
		return fmt.Sprintf("%d bytes", b)
	}
	x, units := float64(b)/1024, []string{"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"}
	u := 0
	for x >= 1024 && u < len(units)-1 {
		x, u = x/1024, u+1
	}
	return fmt.Sprintf("%.3g %s", x, units[u])
}

// hertz formats the mean rate of count spikes over n neurons in duration ms.
func hertz(count, n int, duration float64) string {
	if duration <= 0 || n <= 0 {
		return "-"
	}
	return fmt.Sprintf("%.4g", float64(count)/float64(n)/(duration/1000))
}

// seconds formats a wall time in s with a unit suited to its size.
func seconds(s float64) string {
	switch {
	case s < 1e-3:
		return fmt.Sprintf("%.0f µs", s*1e6)
	case s < 1:
		return fmt.Sprintf("%.3g ms", s*1e3)
	}
	return fmt.Sprintf("%.3g s", s)
}

// columnUnit returns the internal unit of a table column: I_ext or a per-neuron parameter.
func columnUnit(m *check.Model, name string) string {
	if name == inputName {
		return units.CurrentDensity.String()
	}
	if p := findParam(m, name); p != nil {
		return p.Unit
	}
	return "?"
}
