package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/term"
)

// The progress of a run travels from the model program to neurogen run as lines on the
// program's standard error,
//
//	neurogen-progress: STEPS NANOSECONDS
//
// the steps done and the wall time of the program's loop so far, which it writes after a chunk
// of steps (see modelrun.Program.Simulate) at most every config.progress_ms, and only when that is
// positive. neurogen run asks for them only when its own standard error is a terminal and
// -progress is on, and draws them there as one line that it redraws and, at the end, clears:
// the bar. Every other line of the program's standard error is kept for its error messages.
//
// The bar is drawn here rather than in the program because the program's module is built
// offline with nothing but the standard library and neurogen's runtime: a bar library there
// would have to travel inside neurogen too. Here it needs only to know the terminal
// (golang.org/x/term) and to format one line, from the program's own clock, in the units of
// a simulation (simulated ms, neuron-steps/s); a general bar library would time and count in
// its own units. The interval is a value of the run, in config.json, so the program and its
// cache key do not depend on whether a bar is drawn.

// progressPrefix begins a progress report of a model program.
const progressPrefix = "neurogen-progress: "

var (
	// progressDelay is how long a run goes on before the bar appears: shorter runs never show
	// one.
	progressDelay = time.Second
	// progressInterval is the interval of the program's reports, and so of the bar's redraws.
	progressInterval = 100 * time.Millisecond
)

// progressBar draws the progress of a run on a terminal. A nil *progressBar draws nothing.
type progressBar struct {
	w     io.Writer
	width func() int // the terminal's width in columns
	n     int        // neurons
	steps int        // the steps of the run
	dt    float64    // ms
	delay time.Duration
	drawn int // the length of the line on the terminal; 0: none
}

// newProgressBar returns the bar for a run of cfg on stderr, and asks the program for its
// reports in cfg, when on is set and stderr is a terminal; otherwise it returns nil.
func newProgressBar(stderr io.Writer, on bool, cfg *programConfig) *progressBar {
	f, ok := stderr.(*os.File)
	if !on || !ok || cfg.Steps == 0 || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	cfg.Progress = float64(progressInterval) / float64(time.Millisecond)
	width := func() int {
		w, _, err := term.GetSize(int(f.Fd()))
		if err != nil || w <= 0 {
			return 80
		}
		return w
	}
	return &progressBar{w: f, width: width, n: cfg.N, steps: cfg.Steps, dt: cfg.Dt, delay: progressDelay}
}

// update draws the bar for done steps of the run in elapsed wall time.
func (b *progressBar) update(done int, elapsed time.Duration) {
	if b == nil || elapsed < b.delay || done <= 0 || done >= b.steps || elapsed <= 0 {
		return
	}
	line := b.line(done, elapsed, b.width())
	pad := max(0, b.drawn-len(line))
	fmt.Fprintf(b.w, "\r%s%s", line, strings.Repeat(" ", pad))
	b.drawn = len(line) + pad
}

// clear removes the bar from the terminal, leaving the cursor at the start of an empty line.
// It blanks the whole line, not only the bar: the terminal may have echoed a ^C after it.
func (b *progressBar) clear() {
	if b == nil || b.drawn == 0 {
		return
	}
	fmt.Fprintf(b.w, "\r%s\r", strings.Repeat(" ", max(b.drawn, b.width()-1)))
	b.drawn = 0
}

// line returns the bar's text for done steps in elapsed time, at most width-1 columns (a full
// line would wrap on some terminals), in ASCII:
//
//	41% [=========>              ] 123.4/300.0 ms  1.23M neuron-steps/s  2.1 s left
func (b *progressBar) line(done int, elapsed time.Duration, width int) string {
	frac := float64(done) / float64(b.steps)
	speed := float64(b.n) * float64(done) / elapsed.Seconds()
	left := time.Duration(float64(elapsed) * float64(b.steps-done) / float64(done))
	pct := fmt.Sprintf("%3d%%", int(100*frac))
	stats := fmt.Sprintf("%s  %s neuron-steps/s  %s left", simTime(float64(done)*b.dt, float64(b.steps)*b.dt), siNumber(speed), duration(left))
	line := pct + "  " + stats
	if inner := width - 1 - len(pct) - len(stats) - 4; inner >= 10 {
		fill := int(frac * float64(inner))
		bar := strings.Repeat("=", fill)
		if fill < inner {
			bar += ">" + strings.Repeat(" ", inner-fill-1)
		}
		line = pct + " [" + bar + "] " + stats
	}
	if len(line) > width-1 {
		line = line[:max(0, width-1)]
	}
	return line
}

// simTime formats the simulated time done of total (ms): in ms with one decimal, or in s with
// two for runs of a second or more.
func simTime(done, total float64) string {
	if total >= 1000 {
		return fmt.Sprintf("%.2f/%.2f s", done/1000, total/1000)
	}
	return fmt.Sprintf("%.1f/%.1f ms", done, total)
}

// siNumber formats x with three significant digits and an SI prefix: 950, 1.23k, 45.6M.
func siNumber(x float64) string {
	prefixes := []string{"", "k", "M", "G", "T", "P"}
	p := 0
	for math.Abs(x) >= 999.5 && p < len(prefixes)-1 {
		x, p = x/1000, p+1
	}
	return strconv.FormatFloat(x, 'g', 3, 64) + prefixes[p]
}

// duration formats a time left: 4.2 s, 37 s, 3 min 05 s, 2 h 07 min.
func duration(d time.Duration) string {
	s := d.Seconds()
	switch {
	case s < 9.95:
		return fmt.Sprintf("%.1f s", s)
	case s < 59.5:
		return fmt.Sprintf("%.0f s", s)
	case s < 3600:
		r := int(math.Round(s))
		return fmt.Sprintf("%d min %02d s", r/60, r%60)
	}
	m := int(math.Round(s / 60))
	return fmt.Sprintf("%d h %02d min", m/60, m%60)
}

// programStderr is the standard error of a model program: it hands the progress reports to
// bar and keeps every other line in buf. The exec package calls Write from one goroutine.
type programStderr struct {
	buf  *bytes.Buffer
	bar  *progressBar
	line []byte // the start of a line whose end has not come yet
}

func (s *programStderr) Write(p []byte) (int, error) {
	n := len(p)
	for len(p) > 0 {
		i := bytes.IndexByte(p, '\n')
		if i < 0 {
			s.line = append(s.line, p...)
			break
		}
		s.line = append(s.line, p[:i+1]...)
		s.take(s.line)
		s.line = s.line[:0]
		p = p[i+1:]
	}
	return n, nil
}

// take takes a whole line.
func (s *programStderr) take(line []byte) {
	if rest, ok := bytes.CutPrefix(line, []byte(progressPrefix)); ok {
		f := strings.Fields(string(rest))
		if len(f) == 2 {
			done, err1 := strconv.Atoi(f[0])
			ns, err2 := strconv.ParseInt(f[1], 10, 64)
			if err1 == nil && err2 == nil {
				s.bar.update(done, time.Duration(ns))
				return
			}
		}
	}
	s.buf.Write(line)
}

// close ends the program's standard error once the program has exited: it keeps a last line
// without a newline, and clears the bar so that what follows starts on a clean line.
func (s *programStderr) close() {
	s.buf.Write(s.line)
	s.line = nil
	s.bar.clear()
}

// killedByInterrupt reports whether err is the exit of a program that an interrupt ended: a
// Ctrl-C on the terminal reaches the model program as well as neurogen run, and may end the
// program before neurogen run has seen it.
func killedByInterrupt(err error) bool {
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		return false
	}
	ws, ok := exit.Sys().(syscall.WaitStatus)
	return ok && ws.Signaled() && ws.Signal() == syscall.SIGINT
}
