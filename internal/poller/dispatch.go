package poller

import (
	"container/heap"
	"context"
	"time"

	"github.com/dateline/dateline/internal/feedlist"
)

// entry is one feed's place in the poller. All fields are guarded by
// Poller.mu.
type entry struct {
	feed    feedlist.Feed
	st      State
	t       timed // the feed's slot in the timer heap
	loaded  bool  // st came from the StateStore (or it had none)
	running bool  // a worker has it
	waiting bool  // queued on its host's budget
	removed bool  // dropped by SetFeeds
	enable  bool  // Enable asked to clear Disabled and the backoff
}

// hostSlot is the per-host budget: requests in flight and the earliest start
// of the next one. Feeds that are due while the host is busy wait in FIFO
// order; a release or the end of the spacing wakes the next.
type hostSlot struct {
	name      string
	inflight  int
	nextStart time.Time
	waiting   []*entry
	wake      timed
}

// timed is an element of the timer heap: a feed that is due, or a host
// whose budget frees up.
type timed struct {
	due  time.Time
	idx  int // index in the heap; -1 when not in it
	feed *entry
	host *hostSlot
}

// timerHeap orders timed elements by due time.
type timerHeap []*timed

func (h timerHeap) Len() int           { return len(h) }
func (h timerHeap) Less(i, j int) bool { return h[i].due.Before(h[j].due) }
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].idx, h[j].idx = i, j
}
func (h *timerHeap) Push(x any) {
	t := x.(*timed)
	t.idx = len(*h)
	*h = append(*h, t)
}
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	t.idx = -1
	return t
}

// schedule puts t in the heap at due, or moves it there.
func (h *timerHeap) schedule(t *timed, due time.Time) {
	t.due = due
	if t.idx >= 0 {
		heap.Fix(h, t.idx)
		return
	}
	heap.Push(h, t)
}

// cancel takes t out of the heap if it is in it.
func (h *timerHeap) cancel(t *timed) {
	if t.idx >= 0 {
		heap.Remove(h, t.idx)
	}
}

// job is one unit of work for a worker: load a feed's stored state, or poll
// it holding a slot of its host's budget.
type job struct {
	e      *entry
	enable bool      // a load that clears Disabled and the backoff (Enable)
	host   *hostSlot // nil for a load
	feed   feedlist.Feed
	st     State
}

// dispatch hands due feeds to workers until ctx is done. It sleeps on one
// timer until the earliest due time or a nudge.
func (p *Poller) dispatch(ctx context.Context) {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		p.mu.Lock()
		j, wait := p.next(p.opts.Now())
		p.mu.Unlock()
		if j != nil {
			select {
			case p.jobs <- *j:
				continue
			case <-ctx.Done():
				p.abandon(*j)
				return
			}
		}
		if wait < 0 {
			wait = time.Hour
		}
		timer.Reset(wait)
		select {
		case <-timer.C:
		case <-p.wake:
		case <-ctx.Done():
			return
		}
	}
}

// next pops due work: a job to run, or how long until something is due
// (negative: nothing scheduled). Callers hold p.mu.
func (p *Poller) next(now time.Time) (*job, time.Duration) {
	for p.queue.Len() > 0 {
		t := p.queue[0]
		if t.due.After(now) {
			return nil, t.due.Sub(now)
		}
		heap.Pop(&p.queue)
		if t.host != nil {
			if j := p.startWaiting(t.host, now); j != nil {
				return j, 0
			}
			continue
		}
		e := t.feed
		if e.removed {
			continue
		}
		if !e.loaded {
			e.running = true
			j := &job{e: e, feed: e.feed, st: e.st.clone(), enable: e.enable}
			e.enable = false
			return j, 0
		}
		hs := p.hosts[hostOf(e.st)]
		if hs == nil {
			hs = &hostSlot{name: hostOf(e.st), wake: timed{idx: -1}}
			hs.wake.host = hs
			p.hosts[hs.name] = hs
		}
		e.waiting = true
		hs.waiting = append(hs.waiting, e)
		if j := p.startWaiting(hs, now); j != nil {
			return j, 0
		}
	}
	return nil, -1
}

// startWaiting starts the first feed waiting on hs if its budget allows,
// and otherwise arranges to be woken when it might. Callers hold p.mu.
func (p *Poller) startWaiting(hs *hostSlot, now time.Time) *job {
	for len(hs.waiting) > 0 && hs.waiting[0].removed {
		hs.waiting[0].waiting = false
		hs.waiting = hs.waiting[1:]
	}
	if len(hs.waiting) == 0 || hs.inflight >= p.opts.PerHostConcurrency {
		return nil // a release will wake us
	}
	if now.Before(hs.nextStart) {
		if hs.wake.idx < 0 {
			p.queue.schedule(&hs.wake, hs.nextStart)
		}
		return nil
	}
	e := hs.waiting[0]
	hs.waiting = hs.waiting[1:]
	e.waiting, e.running = false, true
	hs.inflight++
	hs.nextStart = now.Add(p.opts.PerHostSpacing)
	if len(hs.waiting) > 0 && hs.inflight < p.opts.PerHostConcurrency && hs.wake.idx < 0 {
		p.queue.schedule(&hs.wake, hs.nextStart)
	}
	return &job{e: e, host: hs, feed: e.feed, st: e.st.clone()}
}

// finish records a job's outcome and frees its host slot. A nil st means
// the job was abandoned or failed to load: the feed keeps its previous state
// and is due again at retry (now if zero).
func (p *Poller) finish(j job, st *State, retry time.Time) {
	p.mu.Lock()
	defer p.mu.Unlock()
	e := j.e
	e.running = false
	if j.host == nil {
		e.loaded = st != nil
	}
	if st != nil {
		e.st = *st
	}
	if hs := j.host; hs != nil {
		hs.inflight--
		if len(hs.waiting) > 0 && hs.wake.idx < 0 {
			p.queue.schedule(&hs.wake, later(p.opts.Now(), hs.nextStart))
		}
	}
	if e.enable && e.loaded {
		e.loaded = false // Enable arrived while running: reload and clear
		e.st.Disabled, e.st.NextPoll = false, p.opts.Now()
	}
	if !e.removed && !e.st.Disabled {
		due := e.st.NextPoll
		if st == nil {
			due = retry
		}
		if due.IsZero() {
			due = p.opts.Now()
		}
		p.queue.schedule(&e.t, due)
	}
	p.nudge()
}

// abandon returns a job that was never handed to a worker.
func (p *Poller) abandon(j job) { p.finish(j, nil, time.Time{}) }

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
