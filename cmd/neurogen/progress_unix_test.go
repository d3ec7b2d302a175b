//go:build unix

package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/creack/pty"

	"github.com/neurogen/neurogen/internal/gomodtest"
)

// A test that needs neurogen as a process of its own, on a terminal, runs this test binary
// with NEUROGEN_TEST_MAIN=1: it is then neurogen, with the bar's delay and the program's report
// interval from NEUROGEN_TEST_PROGRESS ("DELAY,INTERVAL", such as "0s,10ms").
func init() {
	if os.Getenv("NEUROGEN_TEST_MAIN") != "1" {
		return
	}
	if d, i, ok := strings.Cut(os.Getenv("NEUROGEN_TEST_PROGRESS"), ","); ok {
		delay, err1 := time.ParseDuration(d)
		interval, err2 := time.ParseDuration(i)
		if err1 != nil || err2 != nil {
			panic("bad NEUROGEN_TEST_PROGRESS")
		}
		progressDelay, progressInterval = delay, interval
	}
	os.Exit(Run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// terminalRun is neurogen running on a pseudo-terminal of 100 columns: its standard input and
// error are the terminal, its standard output a buffer.
type terminalRun struct {
	cmd    *exec.Cmd
	pty    *os.File // the terminal's other end: what neurogen draws, and what a user types
	stdout bytes.Buffer

	mu     sync.Mutex
	screen []byte        // everything written to the terminal so far
	done   chan struct{} // closed when the terminal has nothing more to say
}

const terminalWidth = 100

// startTerminal starts neurogen with args on a new pseudo-terminal; progress is
// NEUROGEN_TEST_PROGRESS.
func startTerminal(t *testing.T, progress string, args ...string) *terminalRun {
	t.Helper()
	r := &terminalRun{cmd: exec.Command(os.Args[0], args...), done: make(chan struct{})}
	r.cmd.Env = append(os.Environ(), "NEUROGEN_TEST_MAIN=1", "NEUROGEN_TEST_PROGRESS="+progress)
	r.cmd.Stdout = &r.stdout
	p, err := pty.StartWithSize(r.cmd, &pty.Winsize{Cols: terminalWidth, Rows: 24})
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	r.pty = p
	t.Cleanup(func() {
		r.cmd.Process.Kill()
		p.Close()
	})
	go func() {
		defer close(r.done)
		buf := make([]byte, 4096)
		for {
			n, err := p.Read(buf)
			r.mu.Lock()
			r.screen = append(r.screen, buf[:n]...)
			r.mu.Unlock()
			if err != nil { // EIO on Linux once neurogen has exited and closed the terminal
				return
			}
		}
	}()
	return r
}

// output returns what was written to the terminal so far.
func (r *terminalRun) output() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return string(r.screen)
}

// wait waits at most timeout for neurogen to exit and returns its exit status and everything
// it wrote to the terminal.
func (r *terminalRun) wait(t *testing.T, timeout time.Duration) (int, string) {
	t.Helper()
	exited := make(chan error, 1)
	go func() { exited <- r.cmd.Wait() }()
	var err error
	select {
	case err = <-exited:
	case <-time.After(timeout):
		r.cmd.Process.Kill()
		t.Fatalf("neurogen did not exit within %v; the terminal shows %q", timeout, r.output())
	}
	select {
	case <-r.done:
	case <-time.After(5 * time.Second):
		t.Fatal("the terminal did not close after neurogen exited")
	}
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return r.cmd.ProcessState.ExitCode(), r.output()
}

// barLine matches a drawn bar of a run of 300 ms in the terminal's output.
var barLine = regexp.MustCompile(`\r( {0,2}\d{1,3})% \[[=> ]+\] (\d+\.\d)/300\.0 ms  \S+ neuron-steps/s  [^\r]+ left *`)

// clearLine is what clears the bar: the terminal's line blanked.
var clearLine = "\r" + strings.Repeat(" ", terminalWidth-1) + "\r"

// TestRunProgressTerminal runs neurogen run on a pseudo-terminal and checks that it draws the
// bar there, with consistent numbers, clears it at the end, and still prints a summary that
// agrees with the spikes; with -progress=false, and with standard error a pipe, it draws none.
func TestRunProgressTerminal(t *testing.T) {
	gomodtest.NeedGo(t)
	t.Chdir(t.TempDir())
	copySpec(t, "hh52.yaml")
	// The program is built here, and the runs on the terminal find it in the cache: the bar
	// changes only the program's configuration, not its source.
	if code, _, stderr := neurogen(t, nil, "run", "hh52.yaml", "-n", "2", "-t", "1ms"); code != exitOK {
		t.Fatalf("neurogen run: exit %d, stderr:\n%s", code, stderr)
	}

	r := startTerminal(t, "0s,10ms", spikingRun("hh52.yaml", "spikes.csv")...)
	code, screen := r.wait(t, 2*time.Minute)
	if code != exitOK {
		t.Fatalf("neurogen run on a terminal: exit %d; the terminal shows %q", code, screen)
	}
	bars := barLine.FindAllStringSubmatchIndex(screen, -1)
	if len(bars) < 2 {
		t.Fatalf("the terminal shows %d progress bars, want 2 or more: %q", len(bars), screen)
	}
	last := -1.0
	for _, b := range bars {
		line := strings.TrimRight(screen[b[0]+1:b[1]], " ")
		pct, _ := strconv.Atoi(strings.TrimSpace(screen[b[2]:b[3]]))
		done, _ := strconv.ParseFloat(screen[b[4]:b[5]], 64)
		if len(line) > terminalWidth-1 {
			t.Errorf("bar %q is wider than the terminal's %d columns less one", line, terminalWidth)
		}
		if done < last || done <= 0 || done >= 300 {
			t.Errorf("bar %q after %g ms: want a time in (0, 300 ms), never going back", line, last)
		}
		// The percentage is floor(100·steps done/steps); the time is rounded to 0.1 ms.
		if p := 100 * done / 300; float64(pct) > p+0.02 || float64(pct)+1 < p-0.02 {
			t.Errorf("bar %q: %d%% of 300 ms is not %g ms", line, pct, done)
		}
		last = done
	}
	if rest := screen[bars[len(bars)-1][1]:]; rest != clearLine {
		t.Errorf("after the last bar the terminal shows %q, want the line cleared, %q", rest, clearLine)
	}
	if !strings.Contains(r.stdout.String(), "; build cached (") {
		t.Errorf("the run on a terminal built its program again:\n%s", r.stdout.String())
	}
	checkSummarySpikes(t, r.stdout.String(), "spikes.csv", 100, 300)

	// -progress=false: nothing on the terminal.
	r = startTerminal(t, "0s,10ms", append(spikingRun("hh52.yaml", "spikes.csv"), "-progress=false")...)
	if code, screen := r.wait(t, 2*time.Minute); code != exitOK || screen != "" {
		t.Errorf("neurogen run -progress=false on a terminal: exit %d, the terminal shows %q; want 0 and nothing", code, screen)
	}

	// Standard error a pipe: no bar.
	cmd := exec.Command(os.Args[0], spikingRun("hh52.yaml", "spikes.csv")...)
	cmd.Env = append(os.Environ(), "NEUROGEN_TEST_MAIN=1", "NEUROGEN_TEST_PROGRESS=0s,10ms")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = io.Discard, &stderr
	if err := cmd.Run(); err != nil || stderr.Len() != 0 {
		t.Errorf("neurogen run with standard error a pipe: %v, standard error %q; want nothing", err, stderr.String())
	}
}

// TestRunProgressInterrupt types Ctrl-C on the terminal of a long run once its bar shows, and
// checks that neurogen run clears the bar before it says that it was interrupted.
func TestRunProgressInterrupt(t *testing.T) {
	gomodtest.NeedGo(t)
	t.Chdir(t.TempDir())
	copySpec(t, "hh52.yaml")
	// 100 neurons for 100 s: minutes, unless the interrupt ends it.
	r := startTerminal(t, "0s,10ms", "run", "hh52.yaml", "-n", "100", "-t", "100s", "-spikes", "spikes.csv")
	deadline := time.Now().Add(2 * time.Minute) // the first run of the test binary builds the program
	for !strings.Contains(r.output(), "neuron-steps/s") {
		select {
		case <-r.done:
			t.Fatalf("neurogen exited before its bar showed; the terminal shows %q", r.output())
		case <-time.After(10 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("no progress bar after 2 minutes; the terminal shows %q", r.output())
		}
	}
	if _, err := r.pty.Write([]byte{3}); err != nil { // Ctrl-C: SIGINT to neurogen and its program
		t.Fatal(err)
	}
	code, screen := r.wait(t, time.Minute)
	const msg = "neurogen run: interrupted\r\n" // the terminal turns \n into \r\n
	if code != exitError || !strings.HasSuffix(screen, clearLine+msg) {
		t.Errorf("neurogen run interrupted: exit %d, the terminal ends with %q; want 1, the bar cleared and %q",
			code, screen[max(0, len(screen)-200):], msg)
	}
	if i := strings.LastIndex(screen, clearLine); strings.Contains(screen[i:], "neuron-steps/s") {
		t.Errorf("a bar was drawn after the bar was cleared: %q", screen[i:])
	}
	if _, err := os.Stat("spikes.csv"); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an interrupted run wrote its spikes file: %v", err)
	}
	if r.stdout.Len() != 0 {
		t.Errorf("an interrupted run printed a summary:\n%s", r.stdout.String())
	}
	if leftovers, _ := filepath.Glob(".spikes.csv.*"); len(leftovers) != 0 {
		t.Errorf("an interrupted run left %v", leftovers)
	}
}

// statusLine matches a drawn status line of a model program's build.
var statusLine = regexp.MustCompile(`\rbuilding the HH52 program: ([^\r]*?), (\d+\.\d) s *`)

// TestBuildStatusTerminal runs neurogen run on a pseudo-terminal with a model new to the
// program cache, so that it builds, and checks that it shows what the build compiles on one line that it
// redraws, that fits the terminal, and that it clears before the run; off a terminal, the
// build says nothing.
func TestBuildStatusTerminal(t *testing.T) {
	gomodtest.NeedGo(t)
	t.Chdir(t.TempDir())
	// A model that no program cache holds, and whose package the go build cache has never
	// compiled (go build -v names only what it compiles): HH52 with a doc of its own, which
	// the generated package carries. The runtime is the one that TestMain's cache has compiled
	// in earlier runs, so that the build compiles only the model's packages.
	doc := fmt.Sprintf("doc: |\n  HH52, built by TestBuildStatusTerminal at %s.\n", time.Now().Format(time.RFC3339Nano))
	src := regexp.MustCompile(`(?m)^doc: \|\n(  .*\n)+`).ReplaceAllLiteralString(string(mustRead(t, hh52(t))), doc)
	if !strings.Contains(src, doc) {
		t.Fatal("hh52.yaml has no doc to replace")
	}
	writeFile(t, "hh52.yaml", src)
	r := startTerminal(t, "1h,1h", "run", "hh52.yaml", "-t", "1ms", "-method", "rk2")
	code, screen := r.wait(t, 2*time.Minute)
	if code != exitOK {
		t.Fatalf("neurogen run on a terminal: exit %d; the terminal shows %q", code, screen)
	}
	lines := statusLine.FindAllStringSubmatchIndex(screen, -1)
	if len(lines) == 0 {
		t.Fatalf("the terminal shows no status line of the build: %q", screen)
	}
	compiled := false
	for _, l := range lines {
		text := strings.TrimRight(screen[l[0]+1:l[1]], " ")
		if len(text) > terminalWidth-1 {
			t.Errorf("status line %q is wider than the terminal's %d columns less one", text, terminalWidth)
		}
		// The program's own packages are compiled: this cache has never built it.
		compiled = compiled || strings.HasPrefix(screen[l[2]:l[3]], "compiling neurogenrun")
	}
	if !compiled {
		t.Errorf("no status line names a package of the program being compiled: %q", screen)
	}
	end := lines[len(lines)-1][1]
	if rest := screen[end:]; !strings.HasPrefix(rest, "\r") || strings.TrimSpace(rest) != "" {
		t.Errorf("after the last status line the terminal shows %q, want the line cleared", rest)
	}
	if !strings.Contains(r.stdout.String(), "HH52 (rk2): 1 neuron") {
		t.Errorf("the run printed no summary:\n%s", r.stdout.String())
	}
}

// TestBuildStatusLine: what the status line says of the packages the go command names.
func TestBuildStatusLine(t *testing.T) {
	s := &buildStatus{model: "HH52", start: time.Now(), w: io.Discard, width: func() int { return 200 }}
	if got := s.line(200); !strings.HasPrefix(got, "building the HH52 program: starting the go command, ") {
		t.Errorf("before any package: %q", got)
	}
	for _, p := range []string{"internal/goarch", "fmt", "encoding/json"} {
		s.Compiled(p)
	}
	if got := s.line(200); !strings.HasPrefix(got, "building the HH52 program: Go's standard library, compiled once per machine: 3 packages, ") {
		t.Errorf("after three packages of the standard library: %q", got)
	}
	s.Compiled("github.com/neurogen/neurogen/runtime")
	if got := s.line(200); !strings.HasPrefix(got, "building the HH52 program: compiling github.com/neurogen/neurogen/runtime, ") {
		t.Errorf("after the runtime: %q", got)
	}
	s.Compiled("neurogenrun/model")
	if got := s.line(40); utf8.RuneCountInString(got) >= 40 || !strings.HasSuffix(got, "…") {
		t.Errorf("in 40 columns: %q (%d columns), want it cut short with …, in 39", got, utf8.RuneCountInString(got))
	}
	s = &buildStatus{model: "HH52", simd: true, start: time.Now(), w: io.Discard, width: func() int { return 200 }}
	s.Compiled("math")
	if got := s.line(200); !strings.Contains(got, "Go's standard library with GOEXPERIMENT=simd, compiled once per machine: 1 packages") {
		t.Errorf("a -simd build: %q", got)
	}
}
