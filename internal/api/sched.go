package api

import (
	"container/heap"
	"context"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/dateline/dateline/internal/httperr"
	"github.com/dateline/dateline/internal/index"
)

// scheduler admits searches into a fixed number of slots (one per core),
// so that however many requests arrive, at most that many searches run at
// once and the rest wait without using the CPU. Heavy searches may take
// all slots but one, so there is always a core for light ones: a search
// is heavy when its query is (wildcards, fuzziness, a page of more than
// lightLimit events) or when its client's searches have lately taken
// heavyAvg seconds on average. A free slot goes to the waiting request
// whose client's searches are the quickest on average. Heavy queries that
// find no slot in time give up with 503, whoever sends them and from
// however many addresses.
type scheduler struct {
	slots    int
	heavyMax int
	now      func() time.Time

	mu      sync.Mutex // guards everything below
	running int
	heavy   int
	queue   waitQueue
	seq     uint64
	clients map[string]*usage
	swept   time.Time
}

// usage is a client's moving average of seconds per search.
type usage struct {
	avg  float64
	seen time.Time
}

// avgWeight is the weight of the newest search in a moving average.
const avgWeight = 0.2

// waiter is one request waiting for a slot.
type waiter struct {
	client string
	heavy  bool
	prio   float64 // the client's average when it queued; lower goes first
	seq    uint64  // arrival order among equals
	ready  chan struct{}
	index  int // in the heap; -1 once granted or withdrawn
}

// Scheduler tuning: how long searches wait for a slot before 503.
const (
	searchWait = time.Second
	costlyWait = 250 * time.Millisecond
)

// lightLimit is the largest page a light search asks for; a client whose
// searches take heavyAvg seconds on average is heavy whatever the rest do.
const (
	lightLimit = 50
	heavyAvg   = 0.25
)

func newScheduler(slots int) *scheduler {
	slots = max(1, slots)
	return &scheduler{slots: slots, heavyMax: max(1, slots-1), now: time.Now, clients: map[string]*usage{}}
}

// acquire waits for a slot for a search of client; costly marks a query
// with wildcards or fuzziness, heavy any other costly query. The caller
// must call release when the search is over. wide reports a light search,
// which may read several indexes at once; a heavy one must stay on one
// core.
func (s *scheduler) acquire(ctx context.Context, client string, costly, heavy bool) (release func(), wide bool, err error) {
	s.mu.Lock()
	now := s.now()
	u := s.account(client, now)
	heavy = heavy || costly || u.avg > heavyAvg
	// Waiters exist only while none of them fits (done hands out every
	// slot it can), so a request that fits now overtakes nobody.
	if s.fits(heavy) {
		s.take(heavy)
		s.mu.Unlock()
		return s.releaser(client, heavy, now), !heavy, nil
	}
	s.seq++
	w := &waiter{client: client, heavy: heavy, prio: u.avg, seq: s.seq, ready: make(chan struct{})}
	heap.Push(&s.queue, w)
	s.mu.Unlock()

	wait := searchWait
	if costly {
		wait = costlyWait
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-w.ready:
		return s.releaser(client, heavy, s.now()), !heavy, nil
	case <-t.C:
		err = &httperr.Error{Status: http.StatusServiceUnavailable, Msg: "the server is busy with searches; retry shortly", RetryAfter: 1}
		if costly {
			err = &httperr.Error{Status: http.StatusServiceUnavailable, Param: "q", Msg: "too many wildcard or fuzzy searches at once; retry shortly or use whole words", RetryAfter: 1}
		}
	case <-ctx.Done():
		err = ctx.Err()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if w.index < 0 { // granted while giving up: pass the slot on
		s.done(heavy)
		return nil, false, err
	}
	heap.Remove(&s.queue, w.index)
	return nil, false, err
}

// fits reports whether a search may start now; s.mu is held.
func (s *scheduler) fits(heavy bool) bool {
	return s.running < s.slots && (!heavy || s.heavy < s.heavyMax)
}

// take marks a slot used; s.mu is held.
func (s *scheduler) take(heavy bool) {
	s.running++
	if heavy {
		s.heavy++
	}
}

// releaser returns the release func of a search started at start.
func (s *scheduler) releaser(client string, heavy bool, start time.Time) func() {
	var once sync.Once
	return func() {
		once.Do(func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			now := s.now()
			took := now.Sub(start).Seconds()
			u := s.account(client, now)
			u.avg += avgWeight * (took - u.avg)
			s.done(heavy)
		})
	}
}

// done frees a slot and hands free slots to the best waiters that fit;
// s.mu is held.
func (s *scheduler) done(heavy bool) {
	s.running--
	if heavy {
		s.heavy--
	}
	// The best waiter first; a heavy one that cannot start yet lets a
	// light one behind it pass.
	var skipped []*waiter
	for s.queue.Len() > 0 && s.running < s.slots {
		w := heap.Pop(&s.queue).(*waiter)
		if !s.fits(w.heavy) {
			skipped = append(skipped, w)
			continue
		}
		s.take(w.heavy)
		w.index = -1
		close(w.ready)
	}
	for _, w := range skipped {
		heap.Push(&s.queue, w)
	}
}

// account returns the client's record, forgetting clients idle for a
// minute; s.mu is held.
func (s *scheduler) account(client string, now time.Time) *usage {
	if now.Sub(s.swept) > time.Minute {
		for k, u := range s.clients {
			if now.Sub(u.seen) > time.Minute {
				delete(s.clients, k)
			}
		}
		s.swept = now
	}
	u := s.clients[client]
	if u == nil {
		u = &usage{}
		s.clients[client] = u
	}
	u.seen = now
	return u
}

// waitQueue is a min-heap of waiters by (prio, seq).
type waitQueue []*waiter

func (q waitQueue) Len() int { return len(q) }
func (q waitQueue) Less(i, j int) bool {
	if q[i].prio != q[j].prio {
		return q[i].prio < q[j].prio
	}
	return q[i].seq < q[j].seq
}
func (q waitQueue) Swap(i, j int) {
	q[i], q[j] = q[j], q[i]
	q[i].index, q[j].index = i, j
}
func (q *waitQueue) Push(x any) {
	w := x.(*waiter)
	w.index = len(*q)
	*q = append(*q, w)
}
func (q *waitQueue) Pop() any {
	old := *q
	w := old[len(old)-1]
	old[len(old)-1] = nil
	*q = old[:len(old)-1]
	w.index = -1
	return w
}

// scheduled runs every search and timeline of a Searcher through the
// scheduler, as the client named in the context.
type scheduled struct {
	Searcher
	s *scheduler
}

// clientCtxKey keys the client address in a request's context.
type clientCtxKey struct{}

func clientOf(ctx context.Context) string {
	c, _ := ctx.Value(clientCtxKey{}).(string)
	return c
}

// Search implements Searcher.
func (x scheduled) Search(ctx context.Context, q index.Query) (index.Result, error) {
	release, wide, err := x.s.acquire(ctx, clientOf(ctx), costly(q.Q), q.Limit > lightLimit)
	if err != nil {
		return index.Result{}, err
	}
	defer release()
	if !wide {
		q.Parallel = 1
	}
	return x.Searcher.Search(ctx, q)
}

// Timeline implements Searcher.
func (x scheduled) Timeline(ctx context.Context, q index.Query, interval string) ([]index.Bucket, error) {
	release, wide, err := x.s.acquire(ctx, clientOf(ctx), costly(q.Q), false)
	if err != nil {
		return nil, err
	}
	defer release()
	if !wide {
		q.Parallel = 1
	}
	return x.Searcher.Timeline(ctx, q, interval)
}

// costly reports whether a query string uses prefix or wildcard terms or
// fuzziness, the clauses whose cost grows with the vocabulary.
func costly(q string) bool { return strings.ContainsAny(q, "*?~") }

// clientKey is the client address of r, without its port.
func clientKey(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
