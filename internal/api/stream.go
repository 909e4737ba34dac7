package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/event"
)

// Broker fans newly indexed events out to live subscribers. Publish never
// blocks: a subscriber that falls behind loses events rather than stall
// the indexer. The most recent events are kept so that a client that
// reconnects with Last-Event-ID gets what it missed.
type Broker struct {
	mu     sync.Mutex // guards subs, seq and recent
	subs   map[*subscriber]struct{}
	seq    uint64
	epoch  string     // tells this process's ids from an earlier one's
	recent []streamed // ring of the last recentSize events, oldest first
}

// recentSize is how many events a reconnecting client can catch up on.
const recentSize = 4096

type subscriber struct {
	filter filter
	ch     chan streamed
}

type streamed struct {
	id uint64
	ev event.Event
}

// NewBroker returns an empty Broker.
func NewBroker() *Broker {
	return &Broker{subs: map[*subscriber]struct{}{}, epoch: strconv.FormatInt(time.Now().UnixNano(), 36)}
}

// Publish sends the events of sets to every subscriber whose filter they
// match. It is the indexer's OnApplied hook.
func (b *Broker) Publish(sets []event.Set) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range sets {
		for _, ev := range s.Events {
			b.seq++
			m := streamed{b.seq, ev}
			if len(b.recent) == recentSize {
				b.recent = b.recent[1:]
			}
			b.recent = append(b.recent, m)
			for sub := range b.subs {
				if !sub.filter.match(ev) {
					continue
				}
				select {
				case sub.ch <- m:
				default: // slow subscriber: drop rather than stall the indexer
				}
			}
		}
	}
}

// subscribe registers a subscriber; with a Last-Event-ID from this
// process it first queues the matching events published since.
func (b *Broker) subscribe(f filter, lastID string) *subscriber {
	s := &subscriber{filter: f, ch: make(chan streamed, 256+recentSize)}
	b.mu.Lock()
	defer b.mu.Unlock()
	if epoch, n, ok := strings.Cut(lastID, "-"); ok && epoch == b.epoch {
		if after, err := strconv.ParseUint(n, 10, 64); err == nil {
			for _, m := range b.recent {
				if m.id > after && f.match(m.ev) {
					s.ch <- m
				}
			}
		}
	}
	b.subs[s] = struct{}{}
	return s
}

func (b *Broker) unsubscribe(s *subscriber) {
	b.mu.Lock()
	delete(b.subs, s)
	b.mu.Unlock()
}

// filter is the in-memory form of the search filters for live events.
type filter struct {
	terms                         []string
	types, actors, places, status []string
}

func (f filter) match(ev event.Event) bool {
	if len(f.types) > 0 && !slices.Contains(f.types, ev.Type) {
		return false
	}
	if len(f.status) > 0 && !slices.Contains(f.status, string(ev.Status)) {
		return false
	}
	if len(f.actors) > 0 && !anyFold(f.actors, ev.Actors) {
		return false
	}
	if len(f.places) > 0 {
		names := make([]string, len(ev.Places))
		for i, p := range ev.Places {
			names[i] = p.Name
		}
		if !anyFold(f.places, names) {
			return false
		}
	}
	if len(f.terms) > 0 {
		text := strings.ToLower(ev.Title + " " + ev.Sentence + " " + ev.Article.Title + " " + strings.Join(ev.Actors, " "))
		for _, t := range f.terms {
			if !strings.Contains(text, t) {
				return false
			}
		}
	}
	return true
}

func anyFold(want, have []string) bool {
	for _, w := range want {
		for _, h := range have {
			if strings.EqualFold(w, h) {
				return true
			}
		}
	}
	return false
}

// stream serves GET /api/v1/stream as Server-Sent Events: one "event"
// message per new matching Event, and a comment every 15 s as heartbeat.
// A client reconnecting with Last-Event-ID first gets the matching events
// it missed, as far back as the broker remembers.
func (s *Server) stream(w http.ResponseWriter, r *http.Request) {
	if s.opts.Stream == nil {
		s.fail(w, r, unavailable("the live stream"))
		return
	}
	q, err := parseQuery(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := filter{types: q.Types, actors: q.Actors, places: q.Places, status: q.Statuses}
	for t := range strings.FieldsSeq(strings.ToLower(q.Q)) {
		if t = strings.Trim(t, `"+()`); t != "" && t != "and" && t != "or" {
			f.terms = append(f.terms, t)
		}
	}
	// Subscribe before answering, so nothing published after the client
	// sees ": connected" is missed.
	sub := s.opts.Stream.subscribe(f, r.Header.Get("Last-Event-ID"))
	defer s.opts.Stream.unsubscribe(sub)
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's write timeout
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": connected\n\n")
	_ = rc.Flush()
	heartbeat := time.NewTicker(15 * time.Second)
	defer heartbeat.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-heartbeat.C:
			fmt.Fprint(w, ": heartbeat\n\n")
		case m := <-sub.ch:
			data, _ := json.Marshal(m.ev)
			fmt.Fprintf(w, "id: %s-%d\nevent: event\ndata: %s\n\n", s.opts.Stream.epoch, m.id, data)
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

func articleID(link, title string, published time.Time) string {
	return article.ID("", link, title, published)
}
