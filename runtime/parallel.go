package runtime

import (
	"fmt"
	goruntime "runtime"
	"sync"
	"sync/atomic"
)

// ChunkSize is the number of neurons in a chunk, the unit of work a Pool hands to its workers:
// chunk k of a group of n neurons is neurons k·ChunkSize ≤ i < min((k+1)·ChunkSize, n). The
// boundaries depend on n alone, never on the number of workers, and a chunk of a generated
// group's float64 slices is 8 KiB, so chunks share no cache line but at their ends.
const ChunkSize = 1024

// Pool steps groups with a fixed set of worker goroutines: Step splits a group's neurons into
// chunks of ChunkSize and has the workers and the calling goroutine advance them with
// Group.StepRange, each chunk by one of them. Neurons are independent within a step, so the
// result is bit for bit that of Group.Step whatever the number of workers.
//
// The goroutines are started by NewPool and run until Close; Step starts none and allocates
// nothing. Workers beyond GOMAXPROCS (usually the number of CPU cores) gain nothing. A Pool steps one group at a time: Step is not safe for concurrent use (calls that
// overlap panic), and Close must not overlap a Step. Close a Pool that is no longer needed; one
// that becomes unreachable unclosed has its goroutines stopped by the garbage collector, later.
//
// A StepRange that panics in a worker goroutine ends the program, as any unrecovered panic in
// a goroutine does; generated groups panic only when their slices have been replaced by ones
// of the wrong length.
type Pool struct {
	s *pool // shared with the workers, which never refer to the Pool, so that it can be collected
}

// pool is the state a Pool shares with its worker goroutines.
type pool struct {
	workers int
	start   []chan struct{} // one per helper goroutine, buffered: a token starts a step's work
	done    chan struct{}   // a helper sends a token when it has no chunk left to take
	exited  sync.WaitGroup  // the helper goroutines still running
	once    sync.Once
	closed  atomic.Bool
	busy    atomic.Bool // a Step is running

	// The step being made. The caller writes these before it sends the start tokens and reads
	// nothing the helpers write until it has received their done tokens.
	g      ranger
	t, dt  float64
	n      int // neurons
	chunk  int // neurons per chunk
	chunks int

	_    [64]byte     // keep next on a cache line of its own
	next atomic.Int64 // the next chunk to take
	_    [56]byte
}

// ranger is what a Pool splits: a group, or the propagation into one target (see network.go).
type ranger interface {
	StepRange(lo, hi int, t, dt float64)
}

// NewPool returns a pool of workers workers (at least 1): the calling goroutine of Step and
// workers−1 goroutines, started now. A pool of one worker starts no goroutine; its Step is
// Group.Step.
func NewPool(workers int) (*Pool, error) {
	if workers < 1 {
		return nil, fmt.Errorf("%d workers: a pool needs at least one", workers)
	}
	s := &pool{workers: workers}
	if workers > 1 {
		s.start = make([]chan struct{}, workers-1)
		s.done = make(chan struct{}, workers-1)
		s.exited.Add(workers - 1)
		for i := range s.start {
			s.start[i] = make(chan struct{}, 1)
			go s.help(s.start[i])
		}
	}
	p := &Pool{s}
	goruntime.AddCleanup(p, func(s *pool) { s.stop() }, s)
	return p, nil
}

// Workers returns the number of workers, the calling goroutine of Step included.
func (p *Pool) Workers() int { return p.s.workers }

// Close stops the pool's goroutines and waits for them to end. Closing a closed pool does
// nothing; Step on a closed pool panics.
func (p *Pool) Close() { p.s.stop() }

// stop ends the helper goroutines, once.
func (s *pool) stop() {
	s.once.Do(func() {
		s.closed.Store(true)
		for _, c := range s.start {
			close(c)
		}
		s.exited.Wait()
	})
}

// Step advances every neuron of g from time t to t+dt (ms), then sets g's time to t+dt: what
// g.Step(t, dt) does, with the chunks of g's neurons spread over the workers. It returns when
// every chunk is done. A group of at most one chunk, or a pool of one worker, steps with
// g.Step(t, dt) in the calling goroutine. Step allocates nothing. It panics if the pool is
// closed or another Step of the pool is running.
//
// Step relies on g.Step(t, dt) being g.StepRange(0, g.Len(), t, dt) followed by
// g.SetNow(t+dt), as it is for every generated group.
func (p *Pool) Step(g Group, t, dt float64) {
	s := p.s
	if s.closed.Load() {
		panic("runtime: Pool.Step after Close")
	}
	if !s.busy.CompareAndSwap(false, true) {
		panic("runtime: overlapping calls of Pool.Step")
	}
	defer s.busy.Store(false)
	n := g.Len()
	if s.workers == 1 || n <= ChunkSize {
		g.Step(t, dt)
		return
	}
	s.stepChunks(g, t, dt, n, ChunkSize)
	g.SetNow(t + dt)
	goruntime.KeepAlive(p) // no cleanup closes the channels while the step uses them
}

// run calls r.StepRange over [0, n) in chunks of chunk neurons spread over the workers (in the
// calling goroutine alone when one chunk covers n), and returns when every chunk is done. It
// panics as Step does.
func (p *Pool) run(r ranger, n, chunk int) {
	s := p.s
	if s.closed.Load() {
		panic("runtime: Pool used after Close")
	}
	if !s.busy.CompareAndSwap(false, true) {
		panic("runtime: overlapping calls of Pool.Step")
	}
	defer s.busy.Store(false)
	if s.workers == 1 || n <= chunk {
		r.StepRange(0, n, 0, 0)
		return
	}
	s.stepChunks(r, 0, 0, n, chunk)
	goruntime.KeepAlive(p)
}

// stepChunks advances the n neurons of g from t to t+dt, chunk by chunk, with as many helpers
// as there are chunks beyond the first.
func (s *pool) stepChunks(g ranger, t, dt float64, n, chunk int) {
	s.g, s.t, s.dt, s.n, s.chunk = g, t, dt, n, chunk
	s.chunks = (n + chunk - 1) / chunk
	s.next.Store(0)
	helpers := min(len(s.start), s.chunks-1)
	for _, c := range s.start[:helpers] {
		c <- struct{}{}
	}
	defer s.wait(helpers) // even if a StepRange panics, so that no helper outlives the step
	s.work()
}

// wait waits for helpers helpers to finish their work.
func (s *pool) wait(helpers int) {
	for range helpers {
		<-s.done
	}
	s.g = nil // hold no reference to the group between steps
}

// work steps chunks until none is left.
func (s *pool) work() {
	for {
		k := int(s.next.Add(1) - 1)
		if k >= s.chunks {
			return
		}
		lo := k * s.chunk
		s.g.StepRange(lo, min(lo+s.chunk, s.n), s.t, s.dt)
	}
}

// help is a helper goroutine: for every token on start it works until no chunk is left, then
// reports on done. It returns when start is closed.
func (s *pool) help(start <-chan struct{}) {
	defer s.exited.Done()
	for range start {
		s.work()
		s.done <- struct{}{}
	}
}
