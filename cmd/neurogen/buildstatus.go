package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/term"

	"github.com/neurogen/neurogen/internal/progbuild"
)

// A model program's first build on a machine compiles the part of Go's standard library that
// it needs (tens of seconds on a small machine); later builds take that, and the runtime, from
// the go command's build cache and only compile the model's package and link. So that nobody
// waits in silence, neurogen run and neurogen build run `go build -v`, which names each package
// as it compiles it, and on a terminal redraw one status line from those names:
//
//	building the HH52 program: Go's standard library, compiled once per machine: 41 packages, 6.2 s
//
// and clear it when the build ends. Off a terminal they print nothing of it, so that logs and
// pipes see only the run's own output.

// buildStatusTick is how often the status line's clock is redrawn while no package is named.
var buildStatusTick = 250 * time.Millisecond

// buildStatus draws the status line of a build. A nil *buildStatus draws nothing.
type buildStatus struct {
	w      io.Writer
	width  func() int
	model  string
	simd   bool
	start  time.Time
	mu     sync.Mutex
	std    int    // packages of the standard library compiled
	other  int    // other packages compiled
	last   string // the package compiled last
	drawn  int    // the length of the line on the terminal; 0: none
	stop   chan struct{}
	ticker sync.WaitGroup
}

// newBuildStatus returns the status line of the build of model's program on stderr, or nil
// when stderr is not a terminal.
func newBuildStatus(stderr io.Writer, model string, simd bool) *buildStatus {
	f, ok := stderr.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	s := &buildStatus{w: stderr, model: model, simd: simd, start: time.Now(), stop: make(chan struct{})}
	s.width = func() int {
		if w, _, err := term.GetSize(int(f.Fd())); err == nil {
			return w
		}
		return 80
	}
	s.begin()
	return s
}

// begin draws the first line and starts the clock.
func (s *buildStatus) begin() {
	s.mu.Lock()
	s.draw()
	s.mu.Unlock()
	s.ticker.Add(1)
	go func() {
		defer s.ticker.Done()
		t := time.NewTicker(buildStatusTick)
		defer t.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-t.C:
				s.mu.Lock()
				s.draw()
				s.mu.Unlock()
			}
		}
	}()
}

// Compiled records a package that the go command names.
func (s *buildStatus) Compiled(pkg string) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if progbuild.IsStdPackage(pkg) {
		s.std++
	} else {
		s.other++
	}
	s.last = pkg
	s.draw()
}

// line returns the status line, at most width columns.
func (s *buildStatus) line(width int) string {
	what := "starting the go command"
	switch {
	case s.std > 0 && s.last != "" && progbuild.IsStdPackage(s.last):
		lib := "Go's standard library"
		if s.simd {
			lib += " with GOEXPERIMENT=simd"
		}
		what = fmt.Sprintf("%s, compiled once per machine: %d packages", lib, s.std)
	case s.last != "":
		what = "compiling " + s.last
	}
	text := fmt.Sprintf("building the %s program: %s, %.1f s", s.model, what, time.Since(s.start).Seconds())
	if width > 1 && len(text) >= width {
		text = text[:width-2] + "…" // ASCII before the cut: import paths and model names
	}
	return text
}

// draw redraws the line; s.mu is held.
func (s *buildStatus) draw() {
	text := s.line(s.width())
	pad := ""
	n := utf8.RuneCountInString(text)
	if s.drawn > n {
		pad = strings.Repeat(" ", s.drawn-n)
	}
	fmt.Fprintf(s.w, "\r%s%s", text, pad)
	s.drawn = n
}

// Done stops the clock and clears the line.
func (s *buildStatus) Done() {
	if s == nil {
		return
	}
	close(s.stop)
	s.ticker.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.drawn > 0 {
		fmt.Fprintf(s.w, "\r%s\r", strings.Repeat(" ", s.drawn))
		s.drawn = 0
	}
}
