package modelrun

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// Summary is what WriteSummary reports of a run: its configuration and result, and the names
// of its files as the user gave them.
type Summary struct {
	Config *Config
	Result *Result
	Build  string // how the program was had, such as "cached (12 ms)"; "": not said
	Spikes string // the spikes file, or ""
	Output string // the recording's file, or ""
	Save   string // the state file written at the end, or ""
	Resume string // the state file the run started from, or ""
	Keep   string // the directory the program was kept in, or ""
}

// WriteSummary prints a one-screen summary of a run: what ran (the model, its method and
// variant), how long it took, a table of the first neurons (spikes, rate, and the input and
// per-neuron parameters set) and the totals, and the files written.
func WriteSummary(w io.Writer, s *Summary) {
	cfg, res := s.Config, s.Result
	duration := float64(cfg.Steps) * cfg.Dt
	neurons := "neurons"
	if cfg.N == 1 {
		neurons = "neuron"
	}
	how := strings.Join(append([]string{res.Method}, res.Variant...), ", ")
	fmt.Fprintf(w, "%s (%s): %d %s, %g ms in %d steps of %g ms", res.Model, how, cfg.N, neurons, duration, cfg.Steps, cfg.Dt)
	if s.Resume != "" {
		fmt.Fprintf(w, ", from t = %g ms (step %d) of %s", float64(res.Start)*cfg.Dt, res.Start, s.Resume)
	} else if res.Seed != nil {
		fmt.Fprintf(w, ", seed %d", *res.Seed)
	}
	fmt.Fprintln(w)
	rate := "-"
	if res.SimSeconds > 0 {
		rate = fmt.Sprintf("%.3g", float64(cfg.N)*float64(cfg.Steps)/res.SimSeconds)
	}
	fmt.Fprintf(w, "simulation %s (%s neuron-steps/s)", Seconds(res.SimSeconds), rate)
	if s.Build != "" {
		fmt.Fprintf(w, "; build %s", s.Build)
	}
	fmt.Fprint(w, "\n\n")

	tw := tabwriter.NewWriter(w, 0, 0, 3, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "neuron\tspikes\trate (Hz)\t")
	for _, c := range cfg.Columns {
		fmt.Fprintf(tw, "%s\t", c.Header)
	}
	fmt.Fprintln(tw)
	for i, row := range res.Rows {
		fmt.Fprintf(tw, "%d\t%d\t%s\t", i, row.Count, hertz(row.Count, 1, duration))
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
	if r := hertz(res.Spikes, cfg.N, duration); r != "-" {
		fmt.Fprintf(w, ", mean rate %s Hz", r)
	}
	fmt.Fprintln(w)
	if res.Spikes > 0 {
		fmt.Fprintf(w, "CV of interspike intervals: %s\n", isiCV(res))
	}
	if s.Spikes != "" {
		fmt.Fprintf(w, "spikes written to %s\n", s.Spikes)
	}
	if s.Output != "" {
		who := fmt.Sprintf("%d %s", cfg.N, neurons)
		if cfg.Neurons != nil {
			who = fmt.Sprintf("%d of %d %s", len(cfg.Neurons), cfg.N, neurons)
		}
		records := "records"
		if res.Records == 1 {
			records = "record"
		}
		fmt.Fprintf(w, "recorded %s of %s every %g ms: %d %s (%s) written to %s\n",
			strings.Join(cfg.Record, ", "), who, float64(cfg.Every)*cfg.Dt, res.Records, records, ByteSize(res.MonitorBytes), s.Output)
	}
	if s.Save != "" {
		end := res.Start + int64(cfg.Steps)
		fmt.Fprintf(w, "state at t = %g ms (step %d) saved to %s\n", float64(end)*cfg.Dt, end, s.Save)
	}
	if s.Keep != "" {
		fmt.Fprintf(w, "model program kept in %s\n", s.Keep)
	}
}

// isiCV formats the CV of the interspike intervals of a run: the mean over the neurons with 3
// spikes or more of each one's CV.
func isiCV(res *Result) string {
	switch res.ISICVNeurons {
	case 0:
		return "- (no neuron has 3 or more spikes)"
	case 1:
		return fmt.Sprintf("%.4g (of the one neuron with 3 or more spikes)", res.ISICV)
	}
	return fmt.Sprintf("%.4g (mean over the %d neurons with 3 or more spikes)", res.ISICV, res.ISICVNeurons)
}

// ByteSize formats a size in bytes with a binary unit suited to it: "512 bytes", "1.5 KiB".
func ByteSize(b int64) string {
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

// Seconds formats a wall time in s with a unit suited to its size.
func Seconds(s float64) string {
	switch {
	case s < 1e-3:
		return fmt.Sprintf("%.0f µs", s*1e6)
	case s < 1:
		return fmt.Sprintf("%.3g ms", s*1e3)
	}
	return fmt.Sprintf("%.3g s", s)
}
