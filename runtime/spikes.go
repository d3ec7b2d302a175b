package runtime

import (
	"bufio"
	"io"
	"strconv"
)

// Spikes is a record of spikes: spike k is neuron Neuron[k] at Time[k] (ms). Both slices always
// have the same length. The zero Spikes is an empty record ready to use.
type Spikes struct {
	Neuron []int32
	Time   []float64
}

// Collect appends the spikes of g's last step: (i, g.SpikeTimes()[i]) for every neuron i with
// g.Spiked()[i], in neuron order. It allocates only when the slices must grow.
func (s *Spikes) Collect(g Group) {
	times := g.SpikeTimes()
	for i, spiked := range g.Spiked() {
		if spiked {
			s.Neuron = append(s.Neuron, int32(i))
			s.Time = append(s.Time, times[i])
		}
	}
}

// Len returns the number of spikes recorded.
func (s *Spikes) Len() int { return len(s.Neuron) }

// Counts returns the number of spikes of each neuron 0 ≤ i < n; spikes of neurons outside that
// range are not counted.
func (s *Spikes) Counts(n int) []int {
	c := make([]int, n)
	for _, i := range s.Neuron {
		if i >= 0 && int(i) < n {
			c[i]++
		}
	}
	return c
}

// Reset empties the record, keeping its storage for reuse.
func (s *Spikes) Reset() {
	s.Neuron = s.Neuron[:0]
	s.Time = s.Time[:0]
}

// WriteCSV writes the record as CSV: a header line "neuron,time_ms", then one line per spike
// in record order, such as "3,12.345678901234567". Times are written in the shortest form that
// parses back to the same float64 (strconv.FormatFloat(t, 'g', -1, 64)).
func (s *Spikes) WriteCSV(w io.Writer) error {
	bw := bufio.NewWriter(w)
	bw.WriteString("neuron,time_ms\n")
	var line []byte
	for k, i := range s.Neuron {
		line = strconv.AppendInt(line[:0], int64(i), 10)
		line = append(line, ',')
		line = strconv.AppendFloat(line, s.Time[k], 'g', -1, 64)
		line = append(line, '\n')
		bw.Write(line) // bufio.Writer keeps the first error; Flush returns it.
	}
	return bw.Flush()
}
