package plotting

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/neurogen/neurogen/internal/spikestats"
)

// The default size of a NetworkFigure: RasterHeight pixels for each group's raster and
// RatesHeight for the rates below them.
const (
	RasterHeight = 240
	RatesHeight  = 220
)

// A NetworkFigure is the figure of a network's run: a spike raster of each group (neuron index
// against spike time), one above the other with a shared time axis, and below them the
// population rate of every group (Hz, in bins of Bin), a line each in the colour of its raster.
type NetworkFigure struct {
	Title  string
	Groups []spikestats.Group // top to bottom; the colours are Tableau's, in this order

	// Start and End are the time axis's range, ms; they must be finite, with End > Start.
	Start, End float64
	// Bin is the width of the rates' bins, ms; 0 for spikestats.DefaultBin.
	Bin float64

	// Width and Height are the size in pixels; 0 for DefaultWidth, and RasterHeight per group
	// plus RatesHeight.
	Width, Height int
}

// Size returns the figure's size in pixels: Width and Height, or their defaults.
func (f *NetworkFigure) Size() (width, height int) {
	width, height = f.Width, f.Height
	if width == 0 {
		width = DefaultWidth
	}
	if height == 0 {
		height = RasterHeight*len(f.Groups) + RatesHeight
	}
	return width, height
}

// Rates returns the population rate of each group in each bin (Hz, spikestats.Bins.Rate) and
// the bins, which cover [Start, End): what the lower panel draws. It reports what makes the
// figure impossible: no group, a time range that is empty or not finite, a bin that is not a
// positive time, a group without neurons, a spike outside its group.
func (f *NetworkFigure) Rates() ([][]float64, spikestats.Bins, error) {
	if len(f.Groups) == 0 {
		return nil, spikestats.Bins{}, fmt.Errorf("a network figure of no group")
	}
	if !(f.End > f.Start) {
		return nil, spikestats.Bins{}, fmt.Errorf("a time range from %g ms to %g ms", f.Start, f.End)
	}
	w := f.Bin
	if w == 0 {
		w = spikestats.DefaultBin
	}
	bins, err := spikestats.BinsOver(f.Start, f.End, w)
	if err != nil {
		return nil, bins, err
	}
	rates := make([][]float64, len(f.Groups))
	for k, g := range f.Groups {
		if g.Neurons < 1 {
			return nil, bins, fmt.Errorf("group %q: %d neurons", g.Name, g.Neurons)
		}
		if _, err := spikestats.Trains(g.Spikes, g.Neurons); err != nil {
			return nil, bins, fmt.Errorf("group %q: %w", g.Name, err)
		}
		rates[k] = bins.Rate(g.Spikes, g.Neurons)
	}
	return rates, bins, nil
}

// Write draws the figure in format ("png" or "svg") and writes it to w. The same figure gives
// the same bytes.
func (f *NetworkFigure) Write(w io.Writer, format string) error {
	rates, bins, err := f.Rates()
	if err != nil {
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
		if err := f.draw(draw.New(c), rates, bins); err != nil {
			return err
		}
		_, err := vgimg.PngCanvas{Canvas: c}.WriteTo(w)
		return err
	case "svg":
		c := vgsvg.New(wl, hl)
		if err := f.draw(draw.New(c), rates, bins); err != nil {
			return err
		}
		_, err := c.WriteTo(w)
		return err
	}
	return fmt.Errorf("unknown format %q: want png or svg", format)
}

// groupColour is the colour of group k's raster and rate.
func groupColour(k int) color.RGBA { return palette[k%len(palette)] }

// draw draws the rasters and the rates on c, the rows of the tiles weighted by height.
func (f *NetworkFigure) draw(c draw.Canvas, rates [][]float64, bins spikestats.Bins) error {
	var plots []*plot.Plot
	_, height := f.Size()
	for k, g := range f.Groups {
		p := plot.New()
		if k == 0 {
			p.Title.Text = f.Title
			p.Title.TextStyle.Font.Size = vg.Points(14)
		}
		p.Y.Label.Text = g.Name + " (" + fmt.Sprint(g.Neurons) + ")"
		p.X.Min, p.X.Max = f.Start, f.End
		p.Y.Min, p.Y.Max = -0.5, float64(g.Neurons)-0.5
		p.X.Tick.Marker, p.Y.Tick.Marker = unlabelled{plainTicks{}}, indexTicks{}
		rowHeight := vg.Length(height) * vg.Inch / dpi / vg.Length(len(f.Groups)+1) / vg.Length(g.Neurons)
		p.Add(&groupRaster{g: g, colour: groupColour(k), half: max(min(rowHeight*0.4, vg.Points(4)), vg.Inch/dpi/2)})
		plots = append(plots, p)
	}
	rp := plot.New()
	rp.X.Label.Text = "t (ms)"
	rp.Y.Label.Text = fmt.Sprintf("rate (Hz, %g ms bins)", bins.Width)
	rp.X.Min, rp.X.Max = f.Start, f.End
	rp.X.Tick.Marker, rp.Y.Tick.Marker = plainTicks{}, plainTicks{}
	rp.Legend.Top = true
	hi := 0.0
	for k, g := range f.Groups {
		pts := make(plotter.XYs, 0, 2*bins.N)
		for b, r := range rates[k] {
			lo := bins.Start + float64(b)*bins.Width
			pts = append(pts, plotter.XY{X: lo, Y: r}, plotter.XY{X: min(lo+bins.Width, f.End), Y: r})
			hi = max(hi, r)
		}
		line, err := plotter.NewLine(pts)
		if err != nil {
			return fmt.Errorf("group %q: %w", g.Name, err)
		}
		line.LineStyle = draw.LineStyle{Color: groupColour(k), Width: vg.Points(1)}
		rp.Add(line)
		rp.Legend.Add(g.Name, line)
	}
	rp.Y.Min, rp.Y.Max = 0, max(hi*1.05, 1)
	plots = append(plots, rp)

	grid := make([][]*plot.Plot, len(plots))
	for k, p := range plots {
		grid[k] = []*plot.Plot{p}
	}
	tiles := plot.Align(grid,
		draw.Tiles{Rows: len(plots), Cols: 1, PadTop: vg.Points(6), PadBottom: vg.Points(6), PadLeft: vg.Points(6), PadRight: vg.Points(6), PadY: vg.Points(8)},
		c)
	for k, p := range plots {
		p.Draw(tiles[k][0])
	}
	return nil
}

// groupRaster draws a group's spikes: a vertical tick 2·half high for each, in the group's
// colour (see rasterPlotter).
type groupRaster struct {
	g      spikestats.Group
	colour color.Color
	half   vg.Length
}

func (r *groupRaster) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	style := draw.LineStyle{Color: r.colour, Width: vg.Points(1)}
	for k, t := range r.g.Spikes.Time {
		if !(t >= p.X.Min && t <= p.X.Max) {
			continue
		}
		x, y := trX(t), trY(float64(r.g.Spikes.Neuron[k]))
		c.StrokeLine2(style, x, y-r.half, x, y+r.half)
	}
}
