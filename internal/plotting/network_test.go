package plotting

import (
	"bytes"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/internal/spikestats"
	"github.com/neurogen/neurogen/runtime"
)

// netFigure is two groups over 200 ms: exc, 80 neurons firing at random at about 20 Hz, and inh,
// 20 neurons firing together every 25 ms (and one spike after End, which no panel counts).
func netFigure() *NetworkFigure {
	r := rand.New(rand.NewPCG(5, 6))
	var exc, inh runtime.Spikes
	for i := range 80 {
		for t := r.ExpFloat64() * 50; t < 200; t += r.ExpFloat64() * 50 {
			exc.Neuron, exc.Time = append(exc.Neuron, int32(i)), append(exc.Time, t)
		}
	}
	for k := range 8 {
		for i := range 20 {
			inh.Neuron, inh.Time = append(inh.Neuron, int32(i)), append(inh.Time, 25*float64(k)+3+0.01*float64(i))
		}
	}
	inh.Neuron, inh.Time = append(inh.Neuron, 4), append(inh.Time, 250)
	return &NetworkFigure{Title: "two groups", Start: 0, End: 200, Bin: 5, Groups: []spikestats.Group{
		{Name: "exc", Neurons: 80, Spikes: exc},
		{Name: "inh", Neurons: 20, Spikes: inh},
	}}
}

// The rates panel sums to the spikes: a group's rate in a bin times its neurons and the bin's
// width is the bin's spike count, and the counts add up to the spikes inside [Start, End).
func TestNetworkRates(t *testing.T) {
	f := netFigure()
	rates, bins, err := f.Rates()
	if err != nil {
		t.Fatal(err)
	}
	if bins.N != 40 || bins.Width != 5 || bins.Start != 0 {
		t.Fatalf("bins %+v, want 40 of 5 ms from 0", bins)
	}
	for k, g := range f.Groups {
		inside := 0
		for _, x := range g.Spikes.Time {
			if x >= f.Start && x < f.End {
				inside++
			}
		}
		sum := 0.0
		for _, r := range rates[k] {
			sum += r * float64(g.Neurons) * bins.Width * 1e-3
		}
		if math.Abs(sum-float64(inside)) > 1e-9 {
			t.Errorf("group %s: the rates sum to %g spikes, want %d", g.Name, sum, inside)
		}
	}
	// inh fires all 20 neurons in the first 5 ms of every 25: 20 spikes / (20 neurons · 5 ms) = 200 Hz.
	for b, r := range rates[1] {
		want := 0.0
		if b%5 == 0 {
			want = 200
		}
		if r != want {
			t.Errorf("inh, bin %d: %g Hz, want %g", b, r, want)
		}
	}
}

// The figure is a PNG of its size, each group's raster in its colour in its band, both colours
// in the rates panel at the bottom; the same figure gives the same bytes.
func TestNetworkPNG(t *testing.T) {
	f := netFigure()
	var b bytes.Buffer
	if err := f.Write(&b, "png"); err != nil {
		t.Fatal(err)
	}
	if *keep != "" {
		if err := os.WriteFile(*keep+"/network.png", b.Bytes(), 0o666); err != nil {
			t.Fatal(err)
		}
	}
	img, err := png.Decode(bytes.NewReader(b.Bytes()))
	if err != nil {
		t.Fatalf("the PNG does not decode: %v", err)
	}
	w, h := f.Size()
	if w != DefaultWidth || h != 2*RasterHeight+RatesHeight {
		t.Errorf("Size %d×%d, want %d×%d", w, h, DefaultWidth, 2*RasterHeight+RatesHeight)
	}
	bd := img.Bounds()
	if bd.Dx() != w || bd.Dy() != h {
		t.Fatalf("a PNG of %d×%d pixels, want %d×%d", bd.Dx(), bd.Dy(), w, h)
	}
	third := func(k int) image.Rectangle { return image.Rect(0, k*h/3, w, (k+1)*h/3) }
	for k := range f.Groups {
		for band := range 3 {
			n := countColour(img, third(band), groupColour(k))
			switch {
			case band == k && n < 200:
				t.Errorf("group %d: %d pixels of its colour in its raster's band; want ≥ 200", k, n)
			case band != k && band != 2 && n > 0:
				t.Errorf("group %d: %d pixels of its colour in group %d's band", k, n, band)
			case band == 2 && n < 50:
				t.Errorf("group %d: %d pixels of its colour in the rates panel; want ≥ 50", k, n)
			}
		}
	}
	var again bytes.Buffer
	if err := f.Write(&again, "png"); err != nil || !bytes.Equal(again.Bytes(), b.Bytes()) {
		t.Errorf("a second rendering differs (%v)", err)
	}
	f.Width, f.Height = 640, 480
	b.Reset()
	if err := f.Write(&b, "svg"); err != nil || !strings.Contains(b.String(), "<svg") {
		t.Errorf("SVG: %v", err)
	}
}

func TestNetworkErrors(t *testing.T) {
	for _, c := range []struct {
		name string
		edit func(*NetworkFigure)
		want string
	}{
		{"no group", func(f *NetworkFigure) { f.Groups = nil }, "no group"},
		{"empty range", func(f *NetworkFigure) { f.End = f.Start }, "time range"},
		{"bad bin", func(f *NetworkFigure) { f.Bin = -1 }, "bin width"},
		{"bad spike", func(f *NetworkFigure) { f.Groups[1].Spikes.Neuron[0] = 20 }, `group "inh": spike 0: neuron 20 is not in the group of 20`},
		{"too small", func(f *NetworkFigure) { f.Width = 100 }, "too small"},
	} {
		f := netFigure()
		c.edit(f)
		err := f.Write(&bytes.Buffer{}, "png")
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want an error with %q", c.name, err, c.want)
		}
	}
}
