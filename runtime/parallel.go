package runtime

import (
	"fmt"
	goruntime "runtime"
	"sync"
	"sync/atomic"
	"time"
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
// nothing. A helper that has finished its part of a step spins for 50 µs before it blocks, so
// that a Step soon after reaches it at once; an idle pool's helpers block, and with GOMAXPROCS
// 1 they never spin. Workers beyond GOMAXPROCS (usually the number of CPU cores) gain
// nothing. A Pool steps one group at a time: Step is not safe for concurrent use (calls that
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
//
// A hand-over (start: for stepChunks, chunks taken in turn; for runOwned, each worker's own
// list of items first) wakes the helpers it needs and waits for them with a spin, then a
// park: a helper that has finished its work watches its epoch for spinFor, so that the next
// hand-over of a Sim's step (the synapse phase, the next step) reaches it in nanoseconds, and
// only then blocks on its start channel, whose wake-up costs the thread a futex wake
// (microseconds, tens of them on a virtual machine). The caller waits for the
// helpers' done count the same way. Neither spins when GOMAXPROCS is 1, where a spinning
// goroutine would hold the only thread, and a pool left idle parks its helpers after spinFor:
// it burns no core.
type pool struct {
	workers int
	helpers []*helper
	done    chan struct{}  // buffered: the last helper to finish wakes a parked caller
	exited  sync.WaitGroup // the helper goroutines still running
	once    sync.Once
	closed  atomic.Bool
	busy    atomic.Bool // a Step is running
	spin    atomic.Bool // GOMAXPROCS > 1 at the last hand-over: wait by spinning first
	epoch   uint64      // the number of hand-overs made; the caller's alone

	// The step being made. The caller writes these before it starts the helpers and reads
	// nothing the helpers write until they have counted themselves out of pending.
	g      ranger
	t, dt  float64
	n      int // neurons
	chunk  int // neurons per chunk
	chunks int
	owned  bool   // the hand-over is runOwned's: the workers take their lists' items
	lists  []list // runOwned's lists, one per worker

	_       [64]byte     // keep next on a cache line of its own
	next    atomic.Int64 // the next chunk to take
	_       [56]byte
	pending atomic.Int32 // the helpers still working on the present hand-over
	waiting atomic.Bool  // the caller is parked on done, or about to
	_       [56]byte
}

// helper is a helper goroutine's part of a pool, on cache lines of its own.
type helper struct {
	_      [64]byte
	epoch  atomic.Uint64 // the hand-over to work on: the helper works each time it changes
	parked atomic.Bool   // the helper is blocked on start, or about to
	start  chan struct{} // buffered: a token wakes a parked helper
	worker int           // the helper's index among the workers, the caller being 0
	_      [40]byte
}

// list is a worker's items in a hand-over of runOwned: items first ≤ q < last packed in one word
// (first<<32 | last), which the owner takes from the front and the other workers from the back.
type list struct {
	_ [64]byte
	w atomic.Uint64
	_ [56]byte
}

// front takes the list's first item; it reports false when the list is empty.
func (l *list) front() (int, bool) {
	for {
		x := l.w.Load()
		first, last := x>>32, x&(1<<32-1)
		if first >= last {
			return 0, false
		}
		if l.w.CompareAndSwap(x, (first+1)<<32|last) {
			return int(first), true
		}
	}
}

// back takes the list's last item; it reports false when the list is empty.
func (l *list) back() (int, bool) {
	for {
		x := l.w.Load()
		first, last := x>>32, x&(1<<32-1)
		if first >= last {
			return 0, false
		}
		if l.w.CompareAndSwap(x, first<<32|(last-1)) {
			return int(last - 1), true
		}
	}
}

// spinFor is how long a helper that has finished its work, or a caller waiting for the helpers,
// spins before it parks: longer than the serial work between two hand-overs of a Sim's step
// (spike history, delay lines, recorders), short enough that an idle pool costs nothing.
const spinFor = 50 * time.Microsecond

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
		s.done = make(chan struct{}, 1)
		s.exited.Add(workers - 1)
		s.lists = make([]list, workers)
		for i := range workers - 1 {
			h := &helper{start: make(chan struct{}, 1), worker: i + 1}
			s.helpers = append(s.helpers, h)
			go s.help(h)
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
		for _, h := range s.helpers {
			close(h.start)
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
	s.enter("runtime: Pool.Step after Close")
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

// enter starts a use of the pool, which the caller ends with s.busy.Store(false): it panics
// with closed if the pool is closed, and if another use is running.
func (s *pool) enter(closed string) {
	if s.closed.Load() {
		panic(closed)
	}
	if !s.busy.CompareAndSwap(false, true) {
		panic("runtime: overlapping calls of Pool.Step")
	}
}

// run calls r.StepRange over [0, n) in chunks of chunk neurons spread over the workers (in the
// calling goroutine alone when one chunk covers n), and returns when every chunk is done. It
// panics as Step does.
func (p *Pool) run(r ranger, n, chunk int) {
	s := p.s
	s.enter("runtime: Pool used after Close")
	defer s.busy.Store(false)
	if s.workers == 1 || n <= chunk {
		r.StepRange(0, n, 0, 0)
		return
	}
	s.stepChunks(r, 0, 0, n, chunk)
	goruntime.KeepAlive(p)
}

// runOwned calls r.StepRange(q, q+1, 0, 0) for every item 0 ≤ q < own[W] (W the number of
// workers), with the workers: worker w (the calling goroutine is worker 0, helper i worker
// i+1) owns items own[w] ≤ q < own[w+1] and takes them first to last, then takes the items left
// in the other workers' lists, last first. A worker that steps the same items at every step
// keeps their data in its core's cache; one that is late has its last items taken. It returns
// when every item is done, and panics as Step does.
func (p *Pool) runOwned(r ranger, own []int) {
	s := p.s
	s.enter("runtime: Pool used after Close")
	defer s.busy.Store(false)
	n := own[len(own)-1]
	if s.workers == 1 || n <= 1 {
		r.StepRange(0, n, 0, 0)
		return
	}
	for w := range s.lists {
		s.lists[w].w.Store(uint64(own[w])<<32 | uint64(own[w+1]))
	}
	s.owned = true
	s.start(r, 0, 0, len(s.helpers))
	goruntime.KeepAlive(p)
}

// stepChunks advances the n neurons of g from t to t+dt, chunk by chunk, with as many helpers
// as there are chunks beyond the first.
func (s *pool) stepChunks(g ranger, t, dt float64, n, chunk int) {
	s.n, s.chunk = n, chunk
	s.chunks = (n + chunk - 1) / chunk
	s.next.Store(0)
	s.owned = false
	s.start(g, t, dt, min(len(s.helpers), s.chunks-1))
}

// start has the caller and helpers helpers work on g from t to t+dt (as stepChunks or
// runOwned set the work out), and returns when they are done.
func (s *pool) start(g ranger, t, dt float64, helpers int) {
	s.g, s.t, s.dt = g, t, dt
	s.spin.Store(goruntime.GOMAXPROCS(0) > 1)
	s.pending.Store(int32(helpers))
	s.epoch++
	for _, h := range s.helpers[:helpers] {
		h.epoch.Store(s.epoch)
		if h.parked.CompareAndSwap(true, false) {
			h.start <- struct{}{} // it parked before it saw the epoch: wake it
		}
	}
	defer s.wait() // even if a StepRange panics, so that no helper outlives the step
	s.work(0)
}

// wait waits for the helpers of the present hand-over to finish their work: it spins for
// spinFor, then parks on done until the last of them sends a token.
func (s *pool) wait() {
	if s.pending.Load() != 0 && s.spin.Load() {
		spinUntil(func() bool { return s.pending.Load() == 0 })
	}
	if s.pending.Load() != 0 {
		s.waiting.Store(true)
		// A helper that counts itself out after this Store sees waiting and sends a token;
		// one that did before, this Load sees.
		if s.pending.Load() != 0 || !s.waiting.CompareAndSwap(true, false) {
			<-s.done
		}
	}
	s.g = nil // hold no reference to the group between steps
}

// spinUntil calls cond until it reports true or spinFor has passed, and reports whether it did.
// After its first thousand calls it yields the CPU every 64, so that where the machine has
// more ready threads than CPUs, the thread it waits for gets the CPU it spins on.
func spinUntil(cond func() bool) bool {
	var t0 time.Time
	for i := 0; ; i++ {
		if cond() {
			return true
		}
		if i&63 == 63 { // the clock and a yield cost more than a load: every 64 tries
			if i > 1024 { // a wait of a microsecond or two needs no yield
				osYield()
			}
			if t0.IsZero() {
				t0 = time.Now()
			} else if time.Since(t0) > spinFor {
				return false
			}
		}
	}
}

// work is worker w's part of a hand-over: it steps chunks until none is left, or else
// (runOwned) the items of its list, then those left in the others'.
func (s *pool) work(w int) {
	if s.owned {
		for q, ok := s.lists[w].front(); ok; q, ok = s.lists[w].front() {
			s.g.StepRange(q, q+1, 0, 0)
		}
		for v := 1; v < len(s.lists); v++ {
			l := &s.lists[(w+v)%len(s.lists)]
			for q, ok := l.back(); ok; q, ok = l.back() {
				s.g.StepRange(q, q+1, 0, 0)
			}
		}
		return
	}
	for {
		k := int(s.next.Add(1) - 1)
		if k >= s.chunks {
			return
		}
		lo := k * s.chunk
		s.g.StepRange(lo, min(lo+s.chunk, s.n), s.t, s.dt)
	}
}

// help is a helper goroutine: each time its epoch changes it works until no chunk is left,
// then counts itself out of pending, waking the caller if it is the last and the caller has
// parked. It returns when the pool is closed.
func (s *pool) help(h *helper) {
	defer s.exited.Done()
	var seen uint64
	for s.await(h, seen) {
		seen = h.epoch.Load()
		s.work(h.worker)
		if s.pending.Add(-1) == 0 && s.waiting.CompareAndSwap(true, false) {
			s.done <- struct{}{}
		}
	}
}

// await waits for h's epoch to move past seen, spinning for spinFor (when GOMAXPROCS > 1),
// then parked on h.start; it reports false when the pool is closed.
func (s *pool) await(h *helper, seen uint64) bool {
	news := func() bool { return h.epoch.Load() != seen || s.closed.Load() }
	if s.spin.Load() && spinUntil(news) {
		return !s.closed.Load()
	}
	h.parked.Store(true)
	// A hand-over that stores the epoch after this Store sees parked and sends a token; one
	// that stored it before, this Load sees.
	if news() && h.parked.CompareAndSwap(true, false) {
		return !s.closed.Load()
	}
	_, ok := <-h.start // a token, or the channel closed by stop
	return ok
}
