package api

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/event"
)

// Broker fans newly indexed events out to live subscribers. Publish never
// blocks: a subscriber that falls behind loses events and is told so.
type Broker struct {
	mu   sync.Mutex // guards subs and seq
	subs map[*subscriber]struct{}
	seq  uint64
}

type subscriber struct {
	filter filter
	ch     chan streamed
}

type streamed struct {
	id uint64
	ev event.Event
}

// NewBroker returns an empty Broker.
func NewBroker() *Broker { return &Broker{subs: map[*subscriber]struct{}{}} }

// Publish sends the events of sets to every subscriber whose filter they
// match. It is the indexer's OnApplied hook.
func (b *Broker) Publish(sets []event.Set) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, s := range sets {
		for _, ev := range s.Events {
			b.seq++
			for sub := range b.subs {
				if !sub.filter.match(ev) {
					continue
				}
				select {
				case sub.ch <- streamed{b.seq, ev}:
				default: // slow subscriber: drop rather than stall the indexer
				}
			}
		}
	}
}

func (b *Broker) subscribe(f filter) *subscriber {
	s := &subscriber{filter: f, ch: make(chan streamed, 256)}
	b.mu.Lock()
	b.subs[s] = struct{}{}
	b.mu.Unlock()
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
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's write timeout
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": connected\n\n")
	_ = rc.Flush()
	sub := s.opts.Stream.subscribe(f)
	defer s.opts.Stream.unsubscribe(sub)
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
			fmt.Fprintf(w, "id: %d\nevent: event\ndata: %s\n\n", m.id, data)
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

func articleID(link, title string, published time.Time) string {
	return article.ID("", link, title, published)
}
