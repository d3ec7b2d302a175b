package plotting

import (
	"bytes"
	"encoding/xml"
	"flag"
	"image"
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/generated/hh52"
	"github.com/neurogen/neurogen/runtime"
)

var keep = flag.String("keep", "", "write the test figures into this directory, to look at them")

// hh52Figure simulates n HH52 neurons driven by 0 … 20 uA/cm2 for 100 ms, records V (and
// Na.m, K.n with gates) at every step and every spike, and returns the figure of the last
// traces of them.
func hh52Figure(t *testing.T, n, traces int, gates bool) *Figure {
	t.Helper()
	const dt, steps = 0.025, 4000
	g := hh52.New(n)
	for i := range g.Input() {
		g.Input()[i] = 20 * float64(i) / float64(n-1)
	}
	g.Reset()
	f := &Figure{Title: "HH52", Neurons: n, Start: 0, End: steps * dt, Traces: make([]Trace, traces),
		Panels: []Panel{{"V", "mV"}}}
	vars := [][]float64{g.V}
	if gates {
		f.Panels = append(f.Panels, Panel{"Na.m", "1"}, Panel{"K.n", "1"})
		vars = append(vars, g.NaM, g.KN)
	}
	for k := range f.Traces {
		i := n - traces + k
		f.Traces[k] = Trace{Neuron: i, Input: "I_ext " + strconv.FormatFloat(g.Input()[i], 'g', 3, 64) + " uA/cm2",
			Values: make([][]float64, len(vars))}
	}
	clock := runtime.Clock{Dt: dt}
	for range steps {
		g.Step(clock.T(), dt)
		clock.Advance()
		f.T = append(f.T, clock.T())
		for k := range f.Traces {
			for j, x := range vars {
				f.Traces[k].Values[j] = append(f.Traces[k].Values[j], x[f.Traces[k].Neuron])
			}
		}
		for i, s := range g.Spiked() {
			if s {
				f.SpikeNeuron = append(f.SpikeNeuron, i)
				f.SpikeTime = append(f.SpikeTime, clock.T())
			}
		}
	}
	if len(f.SpikeNeuron) == 0 {
		t.Fatal("no spikes: the figure would test nothing")
	}
	return f
}

func render(t *testing.T, f *Figure, format, name string) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := f.Write(&b, format); err != nil {
		t.Fatalf("Write %s: %v", format, err)
	}
	if *keep != "" {
		if err := os.WriteFile(*keep+"/"+name+"."+format, b.Bytes(), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

// TestPNG renders HH52 traces and checks the image's size and that it holds a drawing: many
// pixels differ from the white background, the traces' colours are there, and the trace panel
// is not uniform.
func TestPNG(t *testing.T) {
	f := hh52Figure(t, 8, 4, false)
	data := render(t, f, "png", "hh52")
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the PNG does not decode: %v", err)
	}
	b := img.Bounds()
	if b.Dx() != DefaultWidth || b.Dy() != DefaultHeight {
		t.Fatalf("size %d×%d pixels, want %d×%d", b.Dx(), b.Dy(), DefaultWidth, DefaultHeight)
	}
	white := color.RGBAModel.Convert(color.White)
	differ := 0
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			if color.RGBAModel.Convert(img.At(x, y)) != white {
				differ++
			}
		}
	}
	// Axes, labels, 4 traces of 4000 points with their spikes, and a raster: a few percent of
	// the pixels at least; a figure that is mostly ink is broken too.
	if frac := float64(differ) / float64(b.Dx()*b.Dy()); frac < 0.02 || frac > 0.5 {
		t.Errorf("%.3f of the pixels differ from the background; want 0.02 … 0.5", frac)
	}
	// Each trace's colour is drawn, and only its own trace's: count pixels near each colour in
	// the upper half (traces) and the lower half (raster ticks of the traced neurons).
	for k := range f.Traces {
		up := countColour(img, image.Rect(b.Min.X, b.Min.Y, b.Max.X, b.Dy()/2), palette[k])
		down := countColour(img, image.Rect(b.Min.X, b.Dy()/2, b.Max.X, b.Max.Y), palette[k])
		if up < 200 {
			t.Errorf("trace %d (neuron %d): %d pixels of its colour in the upper half; want ≥ 200", k, f.Traces[k].Neuron, up)
		}
		if spikes := countNeuron(f, f.Traces[k].Neuron); spikes > 0 && down == 0 {
			t.Errorf("neuron %d: %d spikes but none of its colour in the raster", f.Traces[k].Neuron, spikes)
		}
	}
	// The trace panel is not uniform: its rows differ (a spiking trace crosses many of them).
	rows := map[int]bool{}
	for y := b.Min.Y + b.Dy()/10; y < b.Dy()/2; y++ {
		for x := b.Min.X + b.Dx()/5; x < b.Max.X*3/5; x++ {
			if countColourAt(img, x, y) {
				rows[y] = true
				break
			}
		}
	}
	if len(rows) < b.Dy()/8 {
		t.Errorf("trace colours in %d rows of the upper panel; want the spikes to span ≥ %d", len(rows), b.Dy()/8)
	}
	// The same figure, the same bytes.
	if again := render(t, f, "png", "hh52"); !bytes.Equal(again, data) {
		t.Error("a second rendering of the same figure differs")
	}
}

// near reports whether c is within a small distance of want (antialiasing blends edges).
func near(c color.Color, want color.RGBA) bool {
	r, g, b, _ := c.RGBA()
	d := func(x uint32, y uint8) float64 { return math.Abs(float64(x>>8) - float64(y)) }
	return d(r, want.R) < 24 && d(g, want.G) < 24 && d(b, want.B) < 24
}

func countColour(img image.Image, r image.Rectangle, want color.RGBA) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if near(img.At(x, y), want) {
				n++
			}
		}
	}
	return n
}

func countColourAt(img image.Image, x, y int) bool {
	for _, p := range palette {
		if near(img.At(x, y), p) {
			return true
		}
	}
	return false
}

func countNeuron(f *Figure, i int) int {
	n := 0
	for _, j := range f.SpikeNeuron {
		if j == i {
			n++
		}
	}
	return n
}

// TestPNGSize checks that a figure has the size it asks for.
func TestPNGSize(t *testing.T) {
	f := hh52Figure(t, 3, 1, false)
	f.Width, f.Height = 640, 480
	img, err := png.Decode(bytes.NewReader(render(t, f, "png", "small")))
	if err != nil {
		t.Fatal(err)
	}
	if b := img.Bounds(); b.Dx() != 640 || b.Dy() != 480 {
		t.Errorf("size %d×%d, want 640×480", b.Dx(), b.Dy())
	}
}

// TestSVG checks that the SVG parses as XML, is an svg element, and draws paths: at least one
// per trace and panel and one per spike, the axes' labels with units, and the legend's text.
func TestSVG(t *testing.T) {
	f := hh52Figure(t, 8, 3, true)
	data := render(t, f, "svg", "hh52")
	dec := xml.NewDecoder(bytes.NewReader(data))
	var root string
	paths := 0
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tok.Name.Local
			}
			if tok.Name.Local == "path" {
				paths++
			}
		case xml.CharData:
			text.Write(tok)
		}
	}
	if root != "svg" {
		t.Errorf("root element %q, want svg", root)
	}
	if want := 3*len(f.Traces) + len(f.SpikeTime); paths < want {
		t.Errorf("%d path elements; want at least %d (traces of 3 panels and spikes)", paths, want)
	}
	// The title, the axes' labels and the legend's names and inputs are text: neurons 5, 6
	// and 7 of 0 … 7 have 20·5/7, 20·6/7 and 20 uA/cm2.
	for _, want := range []string{"HH52", "t (ms)", "V (mV)", "Na.m", "K.n", "neuron",
		"neuron 5: I_ext 14.3 uA/cm2", "neuron 6: I_ext 17.1 uA/cm2", "neuron 7: I_ext 20 uA/cm2"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the SVG's text does not have %q: %q", want, text.String())
		}
	}
	// A gate is dimensionless: no unit after its name.
	if strings.Contains(text.String(), "Na.m (") {
		t.Errorf("the SVG's text gives Na.m a unit: %q", text.String())
	}
	// One time axis labelled, the raster's, under all the panels.
	if n := strings.Count(text.String(), "t (ms)"); n != 1 {
		t.Errorf("the SVG labels %d time axes; want the raster's alone", n)
	}
}

// TestEdgeCases draws figures with no traces, no spikes, gaps, a single point and one neuron,
// none of which may fail.
func TestEdgeCases(t *testing.T) {
	nan := math.NaN()
	vOnly, vm := []Panel{{"V", "mV"}}, []Panel{{"V", "mV"}, {"M.p", "1"}}
	for name, f := range map[string]*Figure{
		"empty":       {Title: "empty"},
		"no spikes":   {T: []float64{1, 2, 3}, Panels: vOnly, Traces: []Trace{{0, "", [][]float64{{-65, -64, -63}}}}, Neurons: 1},
		"gaps":        {T: []float64{1, 2, 3, 4, 5}, Panels: vOnly, Traces: []Trace{{2, "", [][]float64{{nan, -65, math.Inf(1), -60, -55}}}}, Neurons: 3},
		"all NaN":     {T: []float64{1, 2}, Panels: vm, Traces: []Trace{{0, "", [][]float64{{nan, nan}, {nan, nan}}}}, Neurons: 1},
		"constant":    {T: []float64{1, 2}, Panels: vm, Traces: []Trace{{0, "I_ext 0 uA/cm2", [][]float64{{-65, -65}, {0, 0}}}}, Neurons: 1},
		"one point":   {T: []float64{1}, Panels: vOnly, Traces: []Trace{{0, "", [][]float64{{-65}}}}, SpikeNeuron: []int{0}, SpikeTime: []float64{1}, Neurons: 1},
		"panels only": {T: []float64{1, 2}, Panels: vm},
		"spikes only": {SpikeNeuron: []int{0, 9999}, SpikeTime: []float64{3, 4}, Neurons: 10000},
	} {
		for _, format := range Formats {
			var b bytes.Buffer
			if err := f.Write(&b, format); err != nil {
				t.Errorf("%s, %s: %v", name, format, err)
			} else if b.Len() == 0 {
				t.Errorf("%s, %s: nothing written", name, format)
			}
		}
	}
}

// TestErrors checks that a figure that cannot be drawn is refused, saying why.
func TestErrors(t *testing.T) {
	nine := make([]Trace, 9)
	seven := make([]Panel, 7)
	v := []Panel{{"V", "mV"}}
	for _, tc := range []struct {
		f      Figure
		format string
		msg    string
	}{
		{Figure{Traces: nine}, "png", "9 traces: a figure draws at most 8"},
		{Figure{Panels: seven}, "png", "7 panels: a figure draws at most 6"},
		{Figure{T: []float64{1, 2}, Panels: v, Traces: []Trace{{3, "", [][]float64{{1}}}}, Neurons: 4}, "png", "neuron 3: 1 values of V for 2 times"},
		{Figure{T: []float64{1, 2}, Panels: v, Traces: []Trace{{3, "", nil}}, Neurons: 4}, "png", "neuron 3: 0 series for 1 panels"},
		{Figure{SpikeNeuron: []int{1}, Neurons: 2}, "png", "1 spike neurons but 0 spike times"},
		{Figure{SpikeNeuron: []int{2}, SpikeTime: []float64{1}, Neurons: 2}, "png", "spike 0: neuron 2 is not in the group of 2"},
		{Figure{Width: 100, Height: 100}, "png", "a size of 100×100 pixels is too small for a figure (at least 200×150)"},
		{Figure{}, "pdf", `unknown format "pdf": want png or svg`},
	} {
		err := tc.f.Write(io.Discard, tc.format)
		if err == nil || err.Error() != tc.msg {
			t.Errorf("Write: %v, want %q", err, tc.msg)
		}
	}
}

func TestFormatOf(t *testing.T) {
	for path, want := range map[string]string{"a.png": "png", "dir.x/B.PNG": "png", "c.svg": "svg", "d.Svg": "svg"} {
		if got, err := FormatOf(path); got != want || err != nil {
			t.Errorf("FormatOf(%q) = %q, %v; want %q", path, got, err, want)
		}
	}
	for _, path := range []string{"a.pdf", "png", "a.png.txt", ""} {
		if _, err := FormatOf(path); err == nil || !strings.Contains(err.Error(), "name the figure FILE.png or FILE.svg") {
			t.Errorf("FormatOf(%q): %v, want an error naming the formats", path, err)
		}
	}
}

// TestDecimate holds the reduced trace to the full one: it keeps the first and last points,
// each interval's extremes (so the global ones), points of the trace only, in time order.
func TestDecimate(t *testing.T) {
	n := 100000
	ts, vs := make([]float64, n), make([]float64, n)
	for i := range ts {
		ts[i] = float64(i) * 0.01
		vs[i] = math.Sin(float64(i)*0.001) * 50
		if i%9973 == 0 {
			vs[i] = 60 // a one-sample spike
		}
	}
	xs, ys := decimate(ts, vs, 500)
	if len(xs) > 1002 || len(xs) < 500 {
		t.Fatalf("%d points, want 500 … 1002", len(xs))
	}
	if xs[0] != ts[0] || xs[len(xs)-1] != ts[n-1] {
		t.Errorf("the ends are %g, %g; want %g, %g", xs[0], xs[len(xs)-1], ts[0], ts[n-1])
	}
	if !slices.IsSorted(xs) {
		t.Error("the points are not in time order")
	}
	if slices.Max(ys) != slices.Max(vs) || slices.Min(ys) != slices.Min(vs) {
		t.Errorf("range [%g, %g], want [%g, %g]", slices.Min(ys), slices.Max(ys), slices.Min(vs), slices.Max(vs))
	}
	spikes := 0
	for _, y := range ys {
		if y == 60 {
			spikes++
		}
	}
	if want := (n-1)/9973 + 1; spikes != want {
		t.Errorf("%d of the %d one-sample spikes kept", spikes, want)
	}
	for k := range xs {
		i := int(math.Round(xs[k] / 0.01))
		if vs[i] != ys[k] {
			t.Fatalf("point %d (%g, %g) is not the trace's (%g)", k, xs[k], ys[k], vs[i])
		}
	}
	if x, y := decimate(ts[:10], vs[:10], 5); len(x) != 10 || len(y) != 10 {
		t.Errorf("10 points, 5 intervals: %d points, want all 10", len(x))
	}
}

func TestIndexTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		want   []float64
	}{
		{-0.5, 0.5, []float64{0}},
		{-0.3, 0.3, []float64{0}},
		{-0.5, 3.5, []float64{0, 1, 2, 3}},
		{-0.5, 24.5, []float64{0, 5, 10, 15, 20}},
		{-0.5, 999.5, []float64{0, 100, 200, 300, 400, 500, 600, 700, 800, 900}},
	} {
		var got []float64
		for _, tk := range (indexTicks{}).Ticks(tc.lo, tc.hi) {
			got = append(got, tk.Value)
			if want := strconv.FormatFloat(tk.Value, 'f', -1, 64); tk.Label != want || strings.HasPrefix(tk.Label, "-") {
				t.Errorf("tick %g labelled %q", tk.Value, tk.Label)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Ticks(%g, %g) = %v, want %v", tc.lo, tc.hi, got, tc.want)
		}
	}
}

// TestPlainTicks checks that the value axes' labels are their values in the shortest form:
// no padding zeros (gonum labels some ranges 25.00), no −0, no rounding noise.
func TestPlainTicks(t *testing.T) {
	for _, r := range [][2]float64{{-80.6, 40.2}, {-79.3, 44.4}, {0, 0.3}, {-1, 1}, {0, 1000}, {12.5, 13.1}, {-0.7, 0.1}} {
		labels := 0
		for _, tk := range (plainTicks{}).Ticks(r[0], r[1]) {
			if tk.Label == "" {
				continue
			}
			labels++
			v, err := strconv.ParseFloat(tk.Label, 64)
			if err != nil || math.Abs(v-tk.Value) > 1e-9*math.Max(1, math.Abs(tk.Value)) {
				t.Errorf("range %v: tick %g labelled %q", r, tk.Value, tk.Label)
			}
			if strings.Contains(tk.Label, ".") && strings.HasSuffix(tk.Label, "0") || tk.Label == "-0" || len(tk.Label) > 8 {
				t.Errorf("range %v: label %q is not in its shortest form", r, tk.Label)
			}
		}
		if labels < 2 {
			t.Errorf("range %v: %d labelled ticks", r, labels)
		}
	}
}

// TestPlots checks the plots a figure is made of: a panel per variable, in order, labelled with
// its name and unit, each ranging over its values, and the raster last, whose time axis alone
// is labelled; all share the time range.
func TestPlots(t *testing.T) {
	f := hh52Figure(t, 8, 8, true)
	plots, _, err := f.plots()
	if err != nil {
		t.Fatal(err)
	}
	var labels []string
	for _, p := range plots {
		labels = append(labels, p.Y.Label.Text)
	}
	if want := []string{"V (mV)", "Na.m", "K.n", "neuron"}; !slices.Equal(labels, want) {
		t.Fatalf("the plots' labels %q, want %q", labels, want)
	}
	for k, p := range plots {
		if p.X.Min != 0 || p.X.Max != 100 {
			t.Errorf("plot %s: time axis %g … %g, want 0 … 100", labels[k], p.X.Min, p.X.Max)
		}
		if wantX := k == len(plots)-1; (p.X.Label.Text == "t (ms)") != wantX {
			t.Errorf("plot %s: time axis label %q", labels[k], p.X.Label.Text)
		}
		if k < len(f.Panels) {
			for _, tick := range p.X.Tick.Marker.Ticks(p.X.Min, p.X.Max) {
				if tick.Label != "" {
					t.Errorf("panel %s: time tick label %q; want only the raster's", labels[k], tick.Label)
				}
			}
			// The axis covers every value of every trace, with a margin.
			lo, hi := math.Inf(1), math.Inf(-1)
			for _, tr := range f.Traces {
				lo, hi = math.Min(lo, slices.Min(tr.Values[k])), math.Max(hi, slices.Max(tr.Values[k]))
			}
			if !(p.Y.Min < lo && p.Y.Max > hi && p.Y.Max-p.Y.Min < 1.2*(hi-lo)) {
				t.Errorf("panel %s: axis %g … %g for values %g … %g", labels[k], p.Y.Min, p.Y.Max, lo, hi)
			}
		}
	}
	if plots[0].Title.Text != "HH52" {
		t.Errorf("the title %q is not on the top panel", plots[0].Title.Text)
	}
	// A figure of spikes alone is the raster alone, with the title.
	plots, _, err = (&Figure{Title: "x", SpikeNeuron: []int{0}, SpikeTime: []float64{1}, Neurons: 1}).plots()
	if err != nil || len(plots) != 1 || plots[0].Title.Text != "x" || plots[0].Y.Label.Text != "neuron" {
		t.Errorf("a figure without panels: %d plots, %v", len(plots), err)
	}
}

// TestLabels checks the texts of a panel's axis and a trace's legend entry.
func TestLabels(t *testing.T) {
	for p, want := range map[Panel]string{{"V", "mV"}: "V (mV)", {"M.p", "1"}: "M.p", {"Ca_i", ""}: "Ca_i", {"Na.I", "uA/cm2"}: "Na.I (uA/cm2)"} {
		if got := p.Label(); got != want {
			t.Errorf("%+v.Label() = %q, want %q", p, got, want)
		}
	}
	if got := (Trace{Neuron: 3, Input: "I_ext 8.57 uA/cm2"}).Label(); got != "neuron 3: I_ext 8.57 uA/cm2" {
		t.Errorf("a trace's label %q", got)
	}
	if got := (Trace{Neuron: 12}).Label(); got != "neuron 12" {
		t.Errorf("a trace's label without input %q", got)
	}
}

// TestSize checks the default size: DefaultHeight for a panel, PanelHeight more per further
// panel, and the size asked for when there is one.
func TestSize(t *testing.T) {
	for _, tc := range []struct {
		f    Figure
		w, h int
	}{
		{Figure{}, DefaultWidth, DefaultHeight},
		{Figure{Panels: make([]Panel, 1)}, DefaultWidth, DefaultHeight},
		{Figure{Panels: make([]Panel, 3)}, DefaultWidth, DefaultHeight + 2*PanelHeight},
		{Figure{Panels: make([]Panel, 3), Width: 300, Height: 400}, 300, 400},
	} {
		if w, h := tc.f.Size(); w != tc.w || h != tc.h {
			t.Errorf("%d panels, asked %d×%d: size %d×%d, want %d×%d", len(tc.f.Panels), tc.f.Width, tc.f.Height, w, h, tc.w, tc.h)
		}
	}
}

// TestGatesPNG draws 8 neurons' V, Na.m and K.n: the PNG has the size of three panels, and each
// spiking neuron's colour is in each panel, left of the legend. (The neurons at rest may hide
// behind each other.)
func TestGatesPNG(t *testing.T) {
	f := hh52Figure(t, 8, 8, true)
	img, err := png.Decode(bytes.NewReader(render(t, f, "png", "gates")))
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	if b.Dx() != DefaultWidth || b.Dy() != DefaultHeight+2*PanelHeight {
		t.Fatalf("size %d×%d, want %d×%d", b.Dx(), b.Dy(), DefaultWidth, DefaultHeight+2*PanelHeight)
	}
	// Four equal rows of plots: the panels are the first three quarters.
	for p := range 3 {
		band := image.Rect(b.Min.X, b.Dy()*p/4, b.Dx()*3/4, b.Dy()*(p+1)/4)
		for k := range f.Traces {
			if countNeuron(f, f.Traces[k].Neuron) == 0 {
				continue
			}
			if n := countColour(img, band, palette[k]); n < 50 {
				t.Errorf("panel %s: %d pixels of neuron %d's colour; want ≥ 50", f.Panels[p].Name, n, f.Traces[k].Neuron)
			}
		}
	}
}
