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

// hh52Figure simulates n HH52 neurons driven by 0 … 20 uA/cm2 for 100 ms, records V at every
// step and every spike, and returns the figure of the first traces of them.
func hh52Figure(t *testing.T, n, traces int) *Figure {
	t.Helper()
	const dt, steps = 0.025, 4000
	g := hh52.New(n)
	for i := range g.Input() {
		g.Input()[i] = 20 * float64(i) / float64(n-1)
	}
	g.Reset()
	f := &Figure{Title: "HH52", Neurons: n, Start: 0, End: steps * dt, Traces: make([]Trace, traces)}
	for k := range f.Traces {
		f.Traces[k].Neuron = n - traces + k
	}
	clock := runtime.Clock{Dt: dt}
	for range steps {
		g.Step(clock.T(), dt)
		clock.Advance()
		f.T = append(f.T, clock.T())
		for k := range f.Traces {
			f.Traces[k].V = append(f.Traces[k].V, g.V[f.Traces[k].Neuron])
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
	f := hh52Figure(t, 8, 4)
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
	f := hh52Figure(t, 3, 1)
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
// per trace and one per spike, and the legend's text.
func TestSVG(t *testing.T) {
	f := hh52Figure(t, 8, 3)
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
	if want := len(f.Traces) + len(f.SpikeTime); paths < want {
		t.Errorf("%d path elements; want at least %d (traces and spikes)", paths, want)
	}
	// The title, the axes' labels and the legend's names are text.
	for _, want := range []string{"HH52", "t (ms)", "V (mV)", "neuron 5", "neuron 6", "neuron 7"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("the SVG's text does not have %q: %q", want, text.String())
		}
	}
}

// TestEdgeCases draws figures with no traces, no spikes, gaps, a single point and one neuron,
// none of which may fail.
func TestEdgeCases(t *testing.T) {
	nan := math.NaN()
	for name, f := range map[string]*Figure{
		"empty":       {Title: "empty"},
		"no spikes":   {T: []float64{1, 2, 3}, Traces: []Trace{{0, []float64{-65, -64, -63}}}, Neurons: 1},
		"gaps":        {T: []float64{1, 2, 3, 4, 5}, Traces: []Trace{{2, []float64{nan, -65, math.Inf(1), -60, -55}}}, Neurons: 3},
		"all NaN":     {T: []float64{1, 2}, Traces: []Trace{{0, []float64{nan, nan}}}, Neurons: 1},
		"one point":   {T: []float64{1}, Traces: []Trace{{0, []float64{-65}}}, SpikeNeuron: []int{0}, SpikeTime: []float64{1}, Neurons: 1},
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
	for _, tc := range []struct {
		f      Figure
		format string
		msg    string
	}{
		{Figure{Traces: nine}, "png", "9 traces: a figure draws at most 8"},
		{Figure{T: []float64{1, 2}, Traces: []Trace{{3, []float64{1}}}, Neurons: 4}, "png", "neuron 3: 1 values for 2 times"},
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
