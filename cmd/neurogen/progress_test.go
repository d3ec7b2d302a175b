package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/neurogen/neurogen/internal/gomodtest"
)

// testBar returns a bar of a run of n neurons, steps steps of dt ms, drawn into w on a terminal
// of width columns, with no delay.
func testBar(w *bytes.Buffer, n, steps int, dt float64, width int) *progressBar {
	return &progressBar{w: w, width: func() int { return width }, n: n, steps: steps, dt: dt}
}

func TestProgressLine(t *testing.T) {
	// 100 neurons, 4000 steps of 0.025 ms (100 ms); 1000 steps done in 2 s: a quarter, 25 ms
	// of 100, 100·1000/2 = 50000 neuron-steps/s, and 3000 steps more at that pace take 6 s.
	b := testBar(nil, 100, 4000, 0.025, 80)
	line := b.line(1000, 2*time.Second, 80)
	stats := " 25.0/100.0 ms  50k neuron-steps/s  6.0 s left"
	if !strings.HasPrefix(line, " 25% [") || !strings.HasSuffix(line, "]"+stats) || len(line) != 79 {
		t.Errorf("line = %q (%d columns); want \" 25%% [BAR]%s\" in 79 columns", line, len(line), stats)
	}
	bar := line[len(" 25% [") : len(line)-len("]"+stats)]
	if want := strings.Repeat("=", len(bar)/4) + ">"; !strings.HasPrefix(bar, want) || strings.TrimRight(bar, " ") != want {
		t.Errorf("bar %q: want a quarter filled, %q and spaces", bar, want)
	}
	// Too narrow for the bar: the numbers alone, cut to the width.
	if got, want := b.line(1000, 2*time.Second, 40), " 25%  25.0/100.0 ms  50k neuron-steps/s"; got != want {
		t.Errorf("line in 40 columns = %q, want %q", got, want)
	}
	// A run of a second or more is shown in s.
	b = testBar(nil, 1, 40000, 0.025, 120)
	if got := b.line(20000, time.Minute, 120); !strings.Contains(got, " 50% [") ||
		!strings.HasSuffix(got, "] 0.50/1.00 s  333 neuron-steps/s  1 min 00 s left") {
		t.Errorf("line = %q", got)
	}
}

func TestProgressFormats(t *testing.T) {
	for _, tc := range []struct {
		x    float64
		want string
	}{{0, "0"}, {950, "950"}, {999.4, "999"}, {999.6, "1k"}, {1234, "1.23k"}, {45.6e6, "45.6M"}, {2.5e9, "2.5G"}} {
		if got := siNumber(tc.x); got != tc.want {
			t.Errorf("siNumber(%g) = %q, want %q", tc.x, got, tc.want)
		}
	}
	for _, tc := range []struct {
		d    time.Duration
		want string
	}{
		{4200 * time.Millisecond, "4.2 s"}, {37 * time.Second, "37 s"}, {185 * time.Second, "3 min 05 s"},
		{2*time.Hour + 7*time.Minute + 10*time.Second, "2 h 07 min"},
	} {
		if got := duration(tc.d); got != tc.want {
			t.Errorf("duration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

// TestProgramStderr checks that the program's progress reports reach the bar, whatever the
// chunks its standard error arrives in, and that every other line is kept for its messages.
func TestProgramStderr(t *testing.T) {
	const text = "neurogen-progress: 1000 2000000000\nan error\nneurogen-progress: 1 x\n" +
		"neurogen-progress: 3000 2500000000\nlast words"
	for _, size := range []int{1, 7, len(text)} {
		var term, msgs bytes.Buffer
		bar := testBar(&term, 100, 4000, 0.025, 80)
		bar.delay = 2 * time.Second // the first report is at the delay, so it draws
		s := &programStderr{buf: &msgs, bar: bar}
		for p := text; p != ""; {
			n := min(size, len(p))
			s.Write([]byte(p[:n]))
			p = p[n:]
		}
		s.close()
		if want := "an error\nneurogen-progress: 1 x\nlast words"; msgs.String() != want {
			t.Errorf("chunks of %d: messages %q, want %q", size, msgs.String(), want)
		}
		first, second := bar.line(1000, 2*time.Second, 80), bar.line(3000, 2500*time.Millisecond, 80)
		want := "\r" + first + "\r" + second + "\r" + strings.Repeat(" ", 79) + "\r"
		if term.String() != want {
			t.Errorf("chunks of %d: the terminal got %q, want %q", size, term.String(), want)
		}
	}

	// Before the delay nothing is drawn, so nothing is cleared.
	var term bytes.Buffer
	bar := testBar(&term, 1, 100, 0.025, 80)
	bar.delay = time.Second
	s := &programStderr{buf: new(bytes.Buffer), bar: bar}
	s.Write([]byte("neurogen-progress: 50 900000000\n"))
	s.close()
	if term.Len() != 0 {
		t.Errorf("a run shorter than the delay drew %q", term.String())
	}
	// Without a bar (not a terminal, or -progress=false) reports are dropped all the same.
	var msgs bytes.Buffer
	s = &programStderr{buf: &msgs}
	s.Write([]byte("neurogen-progress: 50 900000000\nboom\n"))
	s.close()
	if msgs.String() != "boom\n" {
		t.Errorf("messages %q, want \"boom\\n\"", msgs.String())
	}
}

// withProgress sets the bar's delay and the program's report interval for a test.
func withProgress(t *testing.T, delay, interval time.Duration) {
	d, i := progressDelay, progressInterval
	progressDelay, progressInterval = delay, interval
	t.Cleanup(func() { progressDelay, progressInterval = d, i })
}

// TestRunProgressFile checks that a run whose standard error is a file draws no bar, even when
// it would draw one at once on a terminal, and that its summary agrees with its spikes.
func TestRunProgressFile(t *testing.T) {
	gomodtest.NeedGo(t)
	withProgress(t, 0, 10*time.Millisecond)
	dir := t.TempDir()
	f, err := os.Create(filepath.Join(dir, "stderr"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	spikes := filepath.Join(dir, "spikes.csv")
	args := spikingRun(hh52(t), spikes)
	var stdout bytes.Buffer
	code := Run(args, strings.NewReader(""), &stdout, f)
	errText, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	if code != exitOK || len(errText) != 0 {
		t.Fatalf("neurogen %s: exit %d, standard error %q; want 0 and nothing", strings.Join(args, " "), code, errText)
	}
	checkSummarySpikes(t, stdout.String(), spikes, 100, 300)
}
