// Package plotting draws the figure of a run of a neuron group: the recorded variables of a few
// neurons against time, one panel per variable (the membrane potential, gates, concentrations,
// currents), sharing the time axis above a spike raster of the whole group (neuron index
// against spike time), as PNG or SVG. Each neuron has a colour of its own in every panel and in
// the raster, and the legend names it and its input. It takes plain slices, so that any
// program that has run a group (neurogen run, a program that neurogen builds, a user's own) can
// draw the same figure.
package plotting

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// MaxTraces is the largest number of neurons one figure draws: more would not be told apart
// in one panel.
const MaxTraces = 8

// MaxPanels is the largest number of variables one figure draws, a panel each.
const MaxPanels = 6

// The figure's default size in pixels, and the resolution that converts pixels to lengths:
// DefaultHeight holds one panel and the raster, and each further panel adds PanelHeight.
const (
	DefaultWidth  = 1000
	DefaultHeight = 700
	PanelHeight   = 220
	dpi           = 100
)

// A Panel is one recorded variable, drawn in a panel of its own.
type Panel struct {
	Name string // the variable, such as "V", "Na.m" or "Na.I": the axis's label
	Unit string // its unit, such as "mV" or "uA/cm2"; "" or "1" for a dimensionless one (a gate)
}

// Label is the panel's axis label: the name with the unit in parentheses, "V (mV)", or the
// name alone for a dimensionless variable.
func (p Panel) Label() string {
	if p.Unit == "" || p.Unit == "1" {
		return p.Name
	}
	return p.Name + " (" + p.Unit + ")"
}

// A Trace is one neuron's recorded values.
type Trace struct {
	Neuron int    // the neuron's index in the group, which the legend names
	Input  string // what the legend says of the neuron's input, such as "I_ext 8.57 uA/cm2"; "" when unknown

	// Values holds one series per panel of the figure, in the order of Figure.Panels, each
	// one value per time of Figure.T; a value that is not finite (NaN, ±Inf) leaves a gap.
	Values [][]float64
}

// Label is the trace's legend entry: "neuron 3: I_ext 8.57 uA/cm2", or "neuron 3" when the
// input is unknown.
func (t Trace) Label() string {
	s := "neuron " + strconv.Itoa(t.Neuron)
	if t.Input != "" {
		s += ": " + t.Input
	}
	return s
}

// A Figure is what Write draws.
type Figure struct {
	Title string // on top, such as the model's name

	T      []float64 // the times of the traces' values, ms, increasing
	Panels []Panel   // the variables, top to bottom; at most MaxPanels
	Traces []Trace   // at most MaxTraces, drawn in this order with distinct colours

	// The spikes of the group: spike k is neuron SpikeNeuron[k] at SpikeTime[k] (ms).
	SpikeNeuron []int
	SpikeTime   []float64
	Neurons     int // the size of the group: the raster's rows are neurons 0 … Neurons−1

	// Start and End are the time axis's range, ms; when End ≤ Start, the range of the times
	// and spikes.
	Start, End float64

	// Width and Height are the size in pixels; 0 for DefaultWidth, and DefaultHeight plus
	// PanelHeight for each panel after the first.
	Width, Height int
}

// Formats are the formats that Write writes.
var Formats = []string{"png", "svg"}

// FormatOf returns the format that the extension of path names ("png" for a.png or A.PNG), or
// an error that says which extensions there are.
func FormatOf(path string) (string, error) {
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(path), "."))
	for _, f := range Formats {
		if ext == f {
			return f, nil
		}
	}
	return "", fmt.Errorf("%s: name the figure FILE.png or FILE.svg: the extension picks the format", path)
}

// Check reports what makes the figure impossible to draw: too many traces or panels, a trace
// without a series per panel or a series whose length is not that of T, spikes whose neurons
// and times differ in number, a spike of a neuron outside the group, a negative size.
func (f *Figure) Check() error {
	switch {
	case len(f.Traces) > MaxTraces:
		return fmt.Errorf("%d traces: a figure draws at most %d", len(f.Traces), MaxTraces)
	case len(f.Panels) > MaxPanels:
		return fmt.Errorf("%d panels: a figure draws at most %d", len(f.Panels), MaxPanels)
	case len(f.SpikeNeuron) != len(f.SpikeTime):
		return fmt.Errorf("%d spike neurons but %d spike times", len(f.SpikeNeuron), len(f.SpikeTime))
	case f.Neurons < 0:
		return fmt.Errorf("a group of %d neurons", f.Neurons)
	case f.Width < 0 || f.Height < 0:
		return fmt.Errorf("a size of %d×%d pixels", f.Width, f.Height)
	}
	for _, tr := range f.Traces {
		if len(tr.Values) != len(f.Panels) {
			return fmt.Errorf("neuron %d: %d series for %d panels", tr.Neuron, len(tr.Values), len(f.Panels))
		}
		for k, v := range tr.Values {
			if len(v) != len(f.T) {
				return fmt.Errorf("neuron %d: %d values of %s for %d times", tr.Neuron, len(v), f.Panels[k].Name, len(f.T))
			}
		}
	}
	for k, i := range f.SpikeNeuron {
		if i < 0 || i >= f.Neurons {
			return fmt.Errorf("spike %d: neuron %d is not in the group of %d", k, i, f.Neurons)
		}
	}
	return nil
}

// Size returns the figure's size in pixels: Width and Height, or their defaults.
func (f *Figure) Size() (width, height int) {
	width, height = f.Width, f.Height
	if width == 0 {
		width = DefaultWidth
	}
	if height == 0 {
		height = DefaultHeight + PanelHeight*max(len(f.Panels)-1, 0)
	}
	return width, height
}

// Write draws the figure in format ("png" or "svg") and writes it to w. The same figure gives
// the same bytes.
func (f *Figure) Write(w io.Writer, format string) error {
	if err := f.Check(); err != nil {
		return err
	}
	width, height := f.Size()
	if width < 200 || height < 150 {
		return fmt.Errorf("a size of %d×%d pixels is too small for a figure (at least 200×150)", width, height)
	}
	wl, hl := vg.Length(width)*vg.Inch/dpi, vg.Length(height)*vg.Inch/dpi
	switch format {
	case "png":
		c := vgimg.NewWith(vgimg.UseWH(wl, hl), vgimg.UseDPI(dpi), vgimg.UseBackgroundColor(color.White))
		if err := f.draw(draw.New(c)); err != nil {
			return err
		}
		_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(w)
		return err
	case "svg":
		c := vgsvg.New(wl, hl)
		if err := f.draw(draw.New(c)); err != nil {
			return err
		}
		_, err := c.WriteTo(w)
		return err
	}
	return fmt.Errorf("unknown format %q: want png or svg", format)
}

// palette gives the traces distinct colours (Tableau's first eight), one per trace.
var palette = [MaxTraces]color.RGBA{
	{0x1f, 0x77, 0xb4, 0xff}, {0xff, 0x7f, 0x0e, 0xff}, {0x2c, 0xa0, 0x2c, 0xff}, {0xd6, 0x27, 0x28, 0xff},
	{0x94, 0x67, 0xbd, 0xff}, {0x8c, 0x56, 0x4b, 0xff}, {0xe3, 0x77, 0xc2, 0xff}, {0x7f, 0x7f, 0x7f, 0xff},
}

// maxPoints is the most points a trace is drawn with: a longer one is reduced to the extremes
// of as many intervals (see decimate), which looks the same at the figure's resolution.
const maxPoints = 4 * DefaultWidth

// lineWidth is the width of the traces: thinner as there are more of them, so that the ones
// behind still show.
func (f *Figure) lineWidth() vg.Length {
	if len(f.Traces) > 4 {
		return vg.Points(0.75)
	}
	return vg.Points(1)
}

// plots makes the plots of the figure, top to bottom: one per panel, then the raster; and the
// legend, an entry per trace. The panels show their time axis's ticks but no labels, which
// the raster's axis below gives for them all.
func (f *Figure) plots() ([]*plot.Plot, *plot.Legend, error) {
	start, end := f.timeRange()
	var plots []*plot.Plot
	for k, panel := range f.Panels {
		p := plot.New()
		p.Y.Label.Text = panel.Label()
		p.X.Tick.Marker, p.Y.Tick.Marker = unlabelled{plainTicks{}}, plainTicks{}
		lo, hi := math.Inf(1), math.Inf(-1)
		for n, tr := range f.Traces {
			style := draw.LineStyle{Color: palette[n], Width: f.lineWidth()}
			v := tr.Values[k]
			for _, s := range segments(f.T, v) {
				xs, ys := decimate(f.T[s.lo:s.hi], v[s.lo:s.hi], maxPoints*(s.hi-s.lo)/len(f.T)/2)
				line, err := plotter.NewLine(xys(xs, ys))
				if err != nil {
					return nil, nil, fmt.Errorf("neuron %d, %s: %w", tr.Neuron, panel.Name, err)
				}
				line.LineStyle = style
				p.Add(line)
				for _, y := range ys {
					lo, hi = math.Min(lo, y), math.Max(hi, y)
				}
			}
		}
		p.Y.Min, p.Y.Max = valueRange(lo, hi, panel.Unit == "mV")
		p.X.Min, p.X.Max = start, end
		plots = append(plots, p)
	}
	if len(plots) > 0 {
		plots[0].Title.Text = f.Title
		plots[0].Title.TextStyle.Font.Size = vg.Points(14)
	}

	legend := plot.NewLegend()
	legend.Top = true
	legend.Left = true
	legend.TextStyle.Font.Size = vg.Points(11)
	for n, tr := range f.Traces {
		thumb, err := plotter.NewLine(plotter.XYs{})
		if err != nil {
			return nil, nil, err
		}
		thumb.LineStyle = draw.LineStyle{Color: palette[n], Width: vg.Points(2)}
		legend.Add(tr.Label(), thumb)
	}

	raster := plot.New()
	if len(plots) == 0 {
		raster.Title.Text = f.Title
		raster.Title.TextStyle.Font.Size = vg.Points(14)
	}
	raster.X.Label.Text = "t (ms)"
	raster.Y.Label.Text = "neuron"
	raster.X.Min, raster.X.Max = start, end
	rows := max(f.Neurons, 1)
	raster.Y.Min, raster.Y.Max = -0.5, float64(rows)-0.5
	raster.X.Tick.Marker, raster.Y.Tick.Marker = plainTicks{}, indexTicks{}
	if len(f.SpikeTime) == 0 {
		if raster.Title.Text == "" {
			raster.Title.Text = "no spikes"
			raster.Title.TextStyle.Font.Size = vg.Points(10)
		} else {
			raster.Title.Text += " (no spikes)"
		}
	}
	return append(plots, raster), &legend, nil
}

// draw draws the figure on c: the panels on top, the raster below, the legend to the right of
// the panels.
func (f *Figure) draw(c draw.Canvas) error {
	plots, legend, err := f.plots()
	if err != nil {
		return err
	}
	raster := plots[len(plots)-1]
	if len(f.SpikeTime) > 0 {
		colour := map[int]color.Color{}
		for n, tr := range f.Traces {
			colour[tr.Neuron] = palette[n]
		}
		// A spike is a vertical tick most of a row high (at least a pixel, at most 8 points).
		rowHeight := c.Size().Y / vg.Length(len(plots)) / vg.Length(max(f.Neurons, 1))
		raster.Add(&rasterPlotter{f: f, colour: colour, half: max(min(rowHeight*0.4, vg.Points(4)), vg.Inch/dpi/2)})
	}

	// The plots take the left of the canvas, the legend the right: the plots' time axes are
	// aligned, one above the other.
	legendWidth := vg.Length(0)
	if len(f.Traces) > 0 {
		r := legend.Rectangle(c)
		legendWidth = r.Size().X + vg.Points(12)
	}
	left := draw.Crop(c, 0, -legendWidth, 0, 0)
	grid := make([][]*plot.Plot, len(plots))
	for k, p := range plots {
		grid[k] = []*plot.Plot{p}
	}
	tiles := plot.Align(grid,
		draw.Tiles{Rows: len(plots), Cols: 1, PadTop: vg.Points(6), PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(6), PadY: vg.Points(8)},
		left)
	for k, p := range plots {
		p.Draw(tiles[k][0])
	}
	if len(f.Traces) > 0 && len(f.Panels) > 0 {
		// Beside the panels, from the top of the first one's data down to the bottom of the last's.
		first := plots[0].DataCanvas(tiles[0][0])
		last := plots[len(f.Panels)-1].DataCanvas(tiles[len(f.Panels)-1][0])
		lc := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
			Min: vg.Point{X: c.Max.X - legendWidth + vg.Points(6), Y: last.Min.Y},
			Max: vg.Point{X: c.Max.X, Y: first.Max.Y},
		}}
		legend.Draw(lc)
	}
	return nil
}

// timeRange returns the time axis's range: [Start, End] when End > Start, or that of the
// times and the spikes, widened to a millisecond when it is a point.
func (f *Figure) timeRange() (lo, hi float64) {
	if f.End > f.Start {
		return f.Start, f.End
	}
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, ts := range [][]float64{f.T, f.SpikeTime} {
		for _, t := range ts {
			if !math.IsNaN(t) && !math.IsInf(t, 0) {
				lo, hi = math.Min(lo, t), math.Max(hi, t)
			}
		}
	}
	switch {
	case lo > hi:
		return 0, 1
	case lo == hi:
		return lo - 0.5, hi + 0.5
	}
	return lo, hi
}

// valueRange returns a value axis's range for values in [lo, hi], with a margin of 5% on
// either side. Without values it is a usual range: -80 … 40 for a voltage, 0 … 1 otherwise.
// A voltage's range is at least 1 mV about its middle, another variable's at least 10% of its
// magnitude (or 1 about 0), so that a constant draws as a line in the middle.
func valueRange(lo, hi float64, voltage bool) (float64, float64) {
	if lo > hi {
		if voltage {
			return -80, 40
		}
		return 0, 1
	}
	mid := (lo + hi) / 2
	least := 0.1 * math.Max(math.Abs(lo), math.Abs(hi))
	if voltage {
		least = 1
	} else if least == 0 {
		least = 1
	}
	if hi-lo < least {
		return mid - least/2, mid + least/2
	}
	m := 0.05 * (hi - lo)
	return lo - m, hi + m
}

// A segment is the values lo … hi−1 of a trace, all finite.
type segment struct{ lo, hi int }

// segments returns the runs of points whose time and value are both finite: a line is drawn
// through each, with gaps between them.
func segments(t, v []float64) []segment {
	var out []segment
	lo := -1
	for i := range v {
		ok := !math.IsNaN(v[i]) && !math.IsInf(v[i], 0) && !math.IsNaN(t[i]) && !math.IsInf(t[i], 0)
		switch {
		case ok && lo < 0:
			lo = i
		case !ok && lo >= 0:
			out = append(out, segment{lo, i})
			lo = -1
		}
	}
	if lo >= 0 {
		out = append(out, segment{lo, len(v)})
	}
	return out
}

// decimate returns the points (t[i], v[i]) when there are at most 2·n of them (or n < 1);
// otherwise it divides them into n runs of consecutive points and keeps, from each, its lowest
// and its highest point, in the order of time, and the very first and last points. The line
// through them covers the same values at every pixel as the line through all points, when a
// run is narrower than a pixel: a spike's peak and trough survive.
func decimate(t, v []float64, n int) ([]float64, []float64) {
	if n < 1 || len(v) <= 2*n {
		return t, v
	}
	xs := make([]float64, 0, 2*n+2)
	ys := make([]float64, 0, 2*n+2)
	add := func(i int) {
		if len(xs) > 0 && xs[len(xs)-1] == t[i] && ys[len(ys)-1] == v[i] {
			return
		}
		xs, ys = append(xs, t[i]), append(ys, v[i])
	}
	add(0)
	for k := range n {
		lo, hi := k*len(v)/n, (k+1)*len(v)/n
		imin, imax := lo, lo
		for i := lo; i < hi; i++ {
			if v[i] < v[imin] {
				imin = i
			}
			if v[i] > v[imax] {
				imax = i
			}
		}
		add(min(imin, imax))
		add(max(imin, imax))
	}
	add(len(v) - 1)
	return xs, ys
}

// xys pairs xs and ys as plotter points.
func xys(xs, ys []float64) plotter.XYs {
	pts := make(plotter.XYs, len(xs))
	for i := range pts {
		pts[i] = plotter.XY{X: xs[i], Y: ys[i]}
	}
	return pts
}

// rasterPlotter is the plotter of the spikes: a vertical tick 2·half high for each, in the colour of
// its neuron's trace, black for the neurons without one. Unlike a plotter.Scatter it has no
// glyph boxes, which would pad the raster's time axis out of line with the traces'.
type rasterPlotter struct {
	f      *Figure
	colour map[int]color.Color
	half   vg.Length
}

func (r *rasterPlotter) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	for k, t := range r.f.SpikeTime {
		if !(t >= p.X.Min && t <= p.X.Max) { // outside the time axis, or NaN
			continue
		}
		col, ok := r.colour[r.f.SpikeNeuron[k]]
		if !ok {
			col = color.Black
		}
		x, y := trX(t), trY(float64(r.f.SpikeNeuron[k]))
		c.StrokeLine2(draw.LineStyle{Color: col, Width: vg.Points(1)}, x, y-r.half, x, y+r.half)
	}
}

// plainTicks are gonum's default ticks labelled in the shortest form of their value: 25, not
// 25.00.
type plainTicks struct{}

func (plainTicks) Ticks(lo, hi float64) []plot.Tick {
	ticks := plot.DefaultTicks{}.Ticks(lo, hi)
	for k := range ticks {
		if ticks[k].Label != "" {
			// Through 12 significant digits, which drops the rounding errors of the steps.
			v, _ := strconv.ParseFloat(strconv.FormatFloat(ticks[k].Value, 'g', 12, 64), 64)
			if v == 0 {
				v = 0 // not −0
			}
			ticks[k].Label = strconv.FormatFloat(v, 'f', -1, 64)
		}
	}
	return ticks
}

// unlabelled are the ticks of a Ticker without their labels: the time axes of the panels above
// the raster, whose own axis is labelled for them all.
type unlabelled struct{ plot.Ticker }

func (u unlabelled) Ticks(lo, hi float64) []plot.Tick {
	ticks := u.Ticker.Ticks(lo, hi)
	for k := range ticks {
		ticks[k].Label = ""
	}
	return ticks
}

// indexTicks marks neuron indices: whole numbers only, at most about ten of them labelled,
// at steps of 1, 2 or 5 times a power of ten.
type indexTicks struct{}

func (indexTicks) Ticks(lo, hi float64) []plot.Tick {
	first, last := math.Ceil(lo), math.Floor(hi)
	if last < first {
		return nil
	}
	step := 1.0
	for k := 0; (last-first)/step > 10; k++ {
		step = []float64{2, 5, 10}[k%3] * math.Pow(10, float64(k/3))
	}
	var ticks []plot.Tick
	for x := math.Ceil(first/step) * step; x <= last; x += step {
		if x == 0 {
			x = 0 // not −0
		}
		ticks = append(ticks, plot.Tick{Value: x, Label: strconv.FormatFloat(x, 'f', -1, 64)})
	}
	return ticks
}
