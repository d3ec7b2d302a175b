package spikestats

import (
	"bytes"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/neurogen/neurogen/runtime"
)

// handGroup is three neurons over 100 ms, worked out by hand in TestSummarizeByHand:
// neuron 0 at 5, 15, 25, 35 ms (intervals 10, 10, 10: CV 0); neuron 1 at 30, 5, 10 ms
// (out of order; intervals 5, 20: mean 12.5, sd 7.5, CV 0.6); neuron 2 at 50 ms alone.
func handGroup() Group {
	return Group{Name: "exc", Neurons: 3, Spikes: runtime.Spikes{
		Neuron: []int32{0, 1, 0, 1, 0, 1, 0, 2},
		Time:   []float64{5, 30, 15, 5, 25, 10, 35, 50},
	}}
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-12*math.Max(1, math.Abs(b)) }

func TestSummarizeByHand(t *testing.T) {
	s, err := Summarize(handGroup(), Options{Start: 0, End: 100, Bin: 10})
	if err != nil {
		t.Fatal(err)
	}
	// 8 spikes of 3 neurons over 0.1 s.
	if s.Name != "exc" || s.Neurons != 3 || s.Spikes != 8 || s.Active != 3 || !near(s.Rate, 8/0.3) {
		t.Errorf("got %+v, want exc, 3 neurons, 8 spikes, 3 active, %g Hz", s, 8/0.3)
	}
	// Neurons 0 and 1 have 2 intervals or more: (0 + 0.6)/2.
	if s.NCV != 2 || !near(s.CV, 0.3) {
		t.Errorf("CV %g over %d neurons, want 0.3 over 2", s.CV, s.NCV)
	}
	// Counts per 10 ms bin: neuron 0 [1 1 1 1 0 …] (mean 0.4, variance 0.4 − 0.16 = 0.24),
	// neuron 1 [1 1 0 1 0 …] (0.3, 0.21), neuron 2 [0 0 0 0 0 1 0 …] (0.1, 0.09): their mean
	// variance 0.18. Population mean [2 2 1 2 0 1 0 0 0 0]/3: mean 8/30, mean square 14/90,
	// variance 14/90 − 64/900 = 76/900. χ² = (76/900)/0.18 = 76/162.
	if want := math.Sqrt(76.0 / 162); !near(s.Chi, want) {
		t.Errorf("χ = %.15g, want %.15g", s.Chi, want)
	}
	// MinISIs 3: only neuron 0.
	if s, _ := Summarize(handGroup(), Options{Start: 0, End: 100, MinISIs: 3}); s.NCV != 1 || s.CV != 0 {
		t.Errorf("MinISIs 3: CV %g over %d neurons, want 0 over 1", s.CV, s.NCV)
	}
}

func TestCV(t *testing.T) {
	for _, c := range []struct {
		t    []float64
		want float64
	}{
		{[]float64{0, 5, 25}, 0.6},
		{[]float64{1, 2, 3, 4}, 0},
		// intervals 1, 2, 3, 6: mean 3, variance (4+1+0+9)/4 = 3.5.
		{[]float64{0, 1, 3, 6, 12}, math.Sqrt(3.5) / 3},
	} {
		if got := CV(c.t); !near(got, c.want) {
			t.Errorf("CV(%v) = %g, want %g", c.t, got, c.want)
		}
	}
	for _, tt := range [][]float64{nil, {3}, {2, 2}} {
		if got := CV(tt); !math.IsNaN(got) {
			t.Errorf("CV(%v) = %g, want NaN", tt, got)
		}
	}
	if m, n := MeanCV([][]float64{{1}, nil}, 2); n != 0 || !math.IsNaN(m) {
		t.Errorf("MeanCV without enough intervals: %g over %d, want NaN over 0", m, n)
	}
}

// A Poisson train has a CV of 1; regular trains at different rates a mean CV of 0.
func TestCVPoissonAndRegular(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var tr []float64
	x := 0.0
	for range 100000 {
		x += r.ExpFloat64()
		tr = append(tr, x)
	}
	if c := CV(tr); math.Abs(c-1) > 0.02 {
		t.Errorf("CV of a Poisson train: %g, want 1 ± 0.02", c)
	}
	m, n := MeanCV([][]float64{{0, 1, 2, 3}, {0, 7, 14, 21, 28}}, 2)
	if m != 0 || n != 2 {
		t.Errorf("regular trains: mean CV %g over %d, want 0 over 2", m, n)
	}
}

// χ is 1 for neurons that fire in the same bins, and about 1/√N for independent ones.
func TestChiSynchronousAndIndependent(t *testing.T) {
	const n = 400
	bins, err := BinsOver(0, 1000, 1)
	if err != nil {
		t.Fatal(err)
	}
	sync := make([][]float64, n)
	for i := range sync {
		for k := range 40 {
			sync[i] = append(sync[i], float64(25*k)+0.5+0.4*float64(i)/n) // all in bin 25k
		}
	}
	if c := bins.Chi(sync); !near(c, 1) {
		t.Errorf("χ of synchronous neurons: %g, want 1", c)
	}
	r := rand.New(rand.NewPCG(3, 4))
	indep := make([][]float64, n)
	for i := range indep {
		for x := r.ExpFloat64() * 25; x < 1000; x += r.ExpFloat64() * 25 {
			indep[i] = append(indep[i], x)
		}
	}
	if c := bins.Chi(indep); c < 0.5/math.Sqrt(n) || c > 2/math.Sqrt(n) {
		t.Errorf("χ of independent Poisson neurons: %g, want about 1/√%d = %g", c, n, 1/math.Sqrt(n))
	}
	if c := bins.Chi(make([][]float64, 3)); !math.IsNaN(c) {
		t.Errorf("χ without spikes: %g, want NaN", c)
	}
}

func TestBins(t *testing.T) {
	b, err := BinsOver(0, 1000, 0.1)
	if err != nil || b.N != 10000 {
		t.Errorf("BinsOver(0, 1000, 0.1): %+v, %v; want 10000 bins", b, err)
	}
	b, _ = BinsOver(10, 35, 10) // [10,20) [20,30) [30,40)
	if b.N != 3 {
		t.Fatalf("BinsOver(10, 35, 10): %d bins, want 3", b.N)
	}
	for _, c := range []struct {
		t    float64
		want int
	}{{9.99, -1}, {10, 0}, {19.99, 0}, {20, 1}, {39.9, 2}, {40, -1}, {math.NaN(), -1}} {
		if got := b.Index(c.t); got != c.want {
			t.Errorf("Index(%g) = %d, want %d", c.t, got, c.want)
		}
	}
	sp := runtime.Spikes{Neuron: []int32{0, 1, 0, 1, 1}, Time: []float64{5, 10, 12, 25, 33}}
	if got := b.Counts(sp); !slices.Equal(got, []int{2, 1, 1}) {
		t.Errorf("Counts: %v, want [2 1 1]", got)
	}
	// 2 spikes of 2 neurons in 10 ms: 100 Hz.
	if got := b.Rate(sp, 2); !slices.Equal(got, []float64{100, 50, 50}) {
		t.Errorf("Rate: %v, want [100 50 50]", got)
	}
	for _, w := range []float64{0, -1, math.Inf(1), math.NaN()} {
		if _, err := BinsOver(0, 10, w); err == nil {
			t.Errorf("BinsOver with width %g: no error", w)
		}
	}
}

func TestSummarizeErrors(t *testing.T) {
	g := handGroup()
	g.Spikes.Neuron[3] = 3
	if _, err := Summarize(g, Options{End: 100}); err == nil || !strings.Contains(err.Error(), "neuron 3 is not in the group of 3") {
		t.Errorf("a spike of neuron 3 of 3: %v", err)
	}
	g = handGroup()
	g.Spikes.Time[0] = math.NaN()
	if _, err := Summarize(g, Options{End: 100}); err == nil {
		t.Error("a spike at NaN: no error")
	}
	if _, err := Summarize(handGroup(), Options{Start: 5, End: 5}); err == nil {
		t.Error("an empty run: no error")
	}
	if _, err := Summarize(Group{Name: "x"}, Options{End: 1}); err == nil {
		t.Error("a group of 0 neurons: no error")
	}
}

func TestWriteCSV(t *testing.T) {
	var b bytes.Buffer
	groups := []Group{
		{Name: "exc", Neurons: 4, Spikes: runtime.Spikes{Neuron: []int32{3, 0}, Time: []float64{0.1, 12.345678901234567}}},
		{Name: "inh", Neurons: 1},
		{Name: "in2", Neurons: 2, Spikes: runtime.Spikes{Neuron: []int32{1}, Time: []float64{1e-3}}},
	}
	if err := WriteCSV(&b, groups); err != nil {
		t.Fatal(err)
	}
	want := "group,neuron,time_ms\nexc,3,0.1\nexc,0,12.345678901234567\nin2,1,0.001\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
	if err := WriteCSV(&b, []Group{{Name: "a,b"}}); err == nil {
		t.Error("a group named a,b: no error")
	}
}

func TestWriteTable(t *testing.T) {
	s, err := Summarize(handGroup(), Options{Start: 0, End: 100, Bin: 10})
	if err != nil {
		t.Fatal(err)
	}
	empty := Summary{Name: "inh", Neurons: 2, CV: math.NaN(), Chi: math.NaN()}
	var b bytes.Buffer
	if err := WriteTable(&b, []Summary{s, empty}); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimRight(b.String(), "\n"), "\n")
	if len(lines) != 3 {
		t.Fatalf("%d lines, want 3:\n%s", len(lines), b.String())
	}
	for k, want := range [][]string{
		{"group", "neurons", "spikes", "active", "rate", "(Hz)", "CV", "of", "ISIs", "χ"},
		{"exc", "3", "8", "3", "26.667", "0.300", "(2)", "0.685"},
		{"inh", "2", "0", "0", "0.000", "–", "–"},
	} {
		if got := strings.Fields(lines[k]); !slices.Equal(got, want) {
			t.Errorf("line %d: %q, want the fields %q", k, lines[k], want)
		}
	}
}
