package spikestats

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"text/tabwriter"

	"github.com/neurogen/neurogen/runtime"
)

// A Group is the spike record of one group of a network.
type Group struct {
	Name    string
	Neurons int            // its size: the neurons are 0 … Neurons−1
	Spikes  runtime.Spikes // its spikes, times in ms
}

// Options are the choices of Summarize.
type Options struct {
	Start, End float64 // the run's time range, ms: the rates are over End − Start
	Bin        float64 // the bin width of χ, ms (0: DefaultBin)
	MinISIs    int     // the intervals a neuron needs to count in the mean CV (0: DefaultMinISIs)
}

// DefaultBin is the bin width (ms) of χ and of the population rate when none is given: short
// against the periods of the rhythms of interest (gamma at 40 Hz has 25 ms), long against the
// jitter of spikes that are synchronous.
const DefaultBin = 1.0

// DefaultMinISIs is the number of interspike intervals a neuron needs for its CV to count in the
// mean CV: 2 (3 spikes), as `neurogen run` has it for a group.
const DefaultMinISIs = 2

// Summary is the summary of one group's spikes over a run.
type Summary struct {
	Name    string
	Neurons int
	Spikes  int
	Active  int     // the neurons that spiked at least once
	Rate    float64 // the mean rate, Hz: Spikes over Neurons and over the run's length
	CV      float64 // the mean CV of the interspike intervals (MeanCV); NaN when NCV is 0
	NCV     int     // the neurons the mean CV is over
	Chi     float64 // the Golomb–Rinzel synchrony χ in bins of Options.Bin (Bins.Chi); NaN when undefined
}

// Summarize returns the summary of g's spikes over the run opt describes.
func Summarize(g Group, opt Options) (Summary, error) {
	if g.Neurons < 1 {
		return Summary{}, fmt.Errorf("group %q: %d neurons", g.Name, g.Neurons)
	}
	if !(opt.End > opt.Start) {
		return Summary{}, fmt.Errorf("group %q: a run from %g ms to %g ms", g.Name, opt.Start, opt.End)
	}
	if opt.Bin == 0 {
		opt.Bin = DefaultBin
	}
	if opt.MinISIs == 0 {
		opt.MinISIs = DefaultMinISIs
	}
	trains, err := Trains(g.Spikes, g.Neurons)
	if err != nil {
		return Summary{}, fmt.Errorf("group %q: %w", g.Name, err)
	}
	bins, err := BinsOver(opt.Start, opt.End, opt.Bin)
	if err != nil {
		return Summary{}, fmt.Errorf("group %q: %w", g.Name, err)
	}
	s := Summary{Name: g.Name, Neurons: g.Neurons, Spikes: g.Spikes.Len()}
	for _, t := range trains {
		if len(t) > 0 {
			s.Active++
		}
	}
	s.Rate = float64(s.Spikes) / (float64(g.Neurons) * (opt.End - opt.Start) * 1e-3)
	s.CV, s.NCV = MeanCV(trains, opt.MinISIs)
	s.Chi = bins.Chi(trains)
	return s, nil
}

// WriteCSV writes the spikes of the groups as CSV: a header line "group,neuron,time_ms", then
// one line per spike, group by group in the order given and each group's spikes in record
// order, such as "exc,3,12.345678901234567". Times are written in the shortest form that parses
// back to the same float64. A group's name must not need quoting in CSV (no comma, quote or
// line break): group names are identifiers.
func WriteCSV(w io.Writer, groups []Group) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("group,neuron,time_ms\n")
	var line []byte
	for _, g := range groups {
		for _, c := range g.Name {
			if c == ',' || c == '"' || c == '\n' || c == '\r' {
				return fmt.Errorf("group %q: a name with %q cannot be written in CSV", g.Name, c)
			}
		}
		if len(g.Spikes.Neuron) != len(g.Spikes.Time) {
			return fmt.Errorf("group %q: %d spike neurons but %d spike times", g.Name, len(g.Spikes.Neuron), len(g.Spikes.Time))
		}
		for k, i := range g.Spikes.Neuron {
			line = append(line[:0], g.Name...)
			line = append(line, ',')
			line = strconv.AppendInt(line, int64(i), 10)
			line = append(line, ',')
			line = strconv.AppendFloat(line, g.Spikes.Time[k], 'g', -1, 64)
			line = append(line, '\n')
			bw.Write(line) // bufio.Writer keeps the first error; Flush returns it.
		}
	}
	return bw.Flush()
}

// WriteTable writes the summaries as an aligned table, a line per group:
//
//	group  neurons  spikes  active  rate (Hz)  CV of ISIs      χ
//	exc       3200   61234    3187      19.14   0.87 (3012)  0.084
//
// The CV is followed by the number of neurons it is over; an undefined CV or χ is "–".
func WriteTable(w io.Writer, sums []Summary) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "group\tneurons\tspikes\tactive\trate (Hz)\tCV of ISIs\tχ\t")
	for _, s := range sums {
		cv := "–"
		if !math.IsNaN(s.CV) {
			cv = fmt.Sprintf("%.3f (%d)", s.CV, s.NCV)
		}
		chi := "–"
		if !math.IsNaN(s.Chi) {
			chi = fmt.Sprintf("%.3f", s.Chi)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%.3f\t%s\t%s\t\n", s.Name, s.Neurons, s.Spikes, s.Active, s.Rate, cv, chi)
	}
	return tw.Flush()
}

// parseG12 rounds x to 12 significant digits.
func parseG12(x float64) (float64, error) {
	return strconv.ParseFloat(strconv.FormatFloat(x, 'g', 12, 64), 64)
}
