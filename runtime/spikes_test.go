package runtime_test

import (
	"bytes"
	"encoding/csv"
	"errors"
	"math"
	"slices"
	"strconv"
	"testing"

	"github.com/neurogen/neurogen/runtime"
)

// TestCollect sets Spiked and SpikeTimes by hand and checks what Collect records.
func TestCollect(t *testing.T) {
	g := newPassive(4)
	var sp runtime.Spikes
	sp.Collect(g) // after Reset: nothing
	if sp.Len() != 0 {
		t.Fatalf("collected %d spikes from a reset group", sp.Len())
	}
	copy(g.spiked, []bool{false, true, false, true})
	copy(g.spikeTimes, []float64{math.Inf(-1), 1.25, 7, 1.5})
	sp.Collect(g)
	copy(g.spiked, []bool{true, false, false, true})
	copy(g.spikeTimes, []float64{2.75, 1.25, 7, 2.5})
	sp.Collect(g)
	if want := []int32{1, 3, 0, 3}; !slices.Equal(sp.Neuron, want) {
		t.Errorf("neurons %v, want %v", sp.Neuron, want)
	}
	if want := []float64{1.25, 1.5, 2.75, 2.5}; !slices.Equal(sp.Time, want) {
		t.Errorf("times %v, want %v", sp.Time, want)
	}
	if sp.Len() != 4 {
		t.Errorf("Len %d, want 4", sp.Len())
	}
	if allocs := testing.AllocsPerRun(100, func() { sp.Reset(); sp.Collect(g) }); allocs != 0 {
		t.Errorf("Collect into a reset record allocates %g times", allocs)
	}
}

// TestCountsReset checks Counts and Reset.
func TestCountsReset(t *testing.T) {
	sp := runtime.Spikes{Neuron: []int32{2, 0, 2, 5, 2}, Time: []float64{1, 2, 3, 4, 5}}
	if got, want := sp.Counts(3), []int{1, 0, 3}; !slices.Equal(got, want) {
		t.Errorf("Counts(3) = %v, want %v (neuron 5 not counted)", got, want)
	}
	if got, want := sp.Counts(7), []int{1, 0, 3, 0, 0, 1, 0}; !slices.Equal(got, want) {
		t.Errorf("Counts(7) = %v, want %v", got, want)
	}
	if got := sp.Counts(0); len(got) != 0 {
		t.Errorf("Counts(0) = %v", got)
	}
	c := cap(sp.Time)
	sp.Reset()
	if sp.Len() != 0 || len(sp.Time) != 0 || cap(sp.Time) != c {
		t.Errorf("after Reset: Len %d, len(Time) %d, cap(Time) %d (was %d)", sp.Len(), len(sp.Time), cap(sp.Time), c)
	}
	if got := sp.Counts(2); !slices.Equal(got, []int{0, 0}) {
		t.Errorf("Counts after Reset = %v", got)
	}
}

// TestWriteCSV checks the exact text and that every time reads back to the same float64.
func TestWriteCSV(t *testing.T) {
	var buf bytes.Buffer
	var sp runtime.Spikes
	if err := sp.WriteCSV(&buf); err != nil || buf.String() != "neuron,time_ms\n" {
		t.Fatalf("empty record: %q, %v", buf.String(), err)
	}
	tenth := 0.1 // a variable, so that 0.1 + 0.2 is rounded at run time, not folded to 0.3
	times := []float64{tenth + 0.2, 12.5, 1.0 / 3, 1e-300, 5e-324, 123456.789, 1e21, 0}
	for k, tm := range times {
		sp.Neuron = append(sp.Neuron, int32(k*1000))
		sp.Time = append(sp.Time, tm)
	}
	buf.Reset()
	if err := sp.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	want := "neuron,time_ms\n0,0.30000000000000004\n1000,12.5\n2000,0.3333333333333333\n3000,1e-300\n" +
		"4000,5e-324\n5000,123456.789\n6000,1e+21\n7000,0\n"
	if buf.String() != want {
		t.Errorf("CSV:\n%s\nwant:\n%s", buf.String(), want)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for k, row := range rows[1:] {
		i, err1 := strconv.Atoi(row[0])
		tm, err2 := strconv.ParseFloat(row[1], 64)
		if err1 != nil || err2 != nil || int32(i) != sp.Neuron[k] || math.Float64bits(tm) != math.Float64bits(sp.Time[k]) {
			t.Errorf("row %d %v reads back as %d, %v (%v, %v)", k, row, i, tm, err1, err2)
		}
	}
}

type failWriter struct{ err error }

func (w failWriter) Write(p []byte) (int, error) { return 0, w.err }

// TestWriteCSVError checks that a write error is returned.
func TestWriteCSVError(t *testing.T) {
	boom := errors.New("disk full")
	sp := runtime.Spikes{Neuron: []int32{1}, Time: []float64{2}}
	if err := sp.WriteCSV(failWriter{boom}); !errors.Is(err, boom) {
		t.Errorf("WriteCSV to a failing writer: %v, want %v", err, boom)
	}
}
