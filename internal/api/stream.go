package api

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
)

// Broker fans newly indexed events out to live subscribers. Publish never
// blocks on a subscriber: one that falls behind loses events rather than
// stall the indexer. The most recent events are kept so that a client
// that reconnects with Last-Event-ID gets what it missed.
//
// A subscriber receives exactly the events its search finds: each event
// is tested with the search's index.Matcher in an index.Probe, where it
// is indexed as the search index indexes it (with the members the index
// merged into it, when the Server's Searcher can tell them).
type Broker struct {
	mu     sync.Mutex // guards subs, seq, recent, members and log
	subs   map[*subscriber]struct{}
	seq    uint64
	epoch  string     // tells this process's ids from an earlier one's
	recent []streamed // ring of the last recentSize events, oldest first
	// members gives the members the index merged into an event; nil
	// leaves them to the event (index.MembersOf). Set by New.
	members memberSource
	log     *slog.Logger
}

// memberSource gives the events the index merged into e; *index.Index
// is one.
type memberSource interface {
	Members(ctx context.Context, e event.Event) ([]event.Event, bool, error)
}

// recentSize is how many events a reconnecting client can catch up on.
const recentSize = 4096

type subscriber struct {
	match *index.Matcher
	ch    chan streamed
}

type streamed struct {
	id      uint64
	ev      event.Event
	members []event.Event // nil: the event's own (index.MembersOf)
	// corrected marks an event an analyst's correction rewrote: a
	// subscriber whose search no longer finds it (hidden, or another
	// type, date or actors) is told it is removed.
	corrected bool
	// removed is set on the copy sent to such a subscriber.
	removed bool
}

// NewBroker returns an empty Broker.
func NewBroker() *Broker {
	return &Broker{subs: map[*subscriber]struct{}{}, epoch: strconv.FormatInt(time.Now().UnixNano(), 36),
		log: slog.New(slog.DiscardHandler)}
}

// attach makes b read events' members from ms and log to log.
func (b *Broker) attach(ms memberSource, log *slog.Logger) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.members, b.log = ms, log
}

// Publish sends the events of sets to every subscriber whose search
// finds them. It is the indexer's OnApplied hook, called with the merged
// events an Apply wrote.
func (b *Broker) Publish(sets []event.Set) {
	var evs []event.Event
	for _, s := range sets {
		evs = append(evs, s.Events...)
	}
	b.publish(evs, false)
}

// PublishCorrected sends events an analyst's correction rewrote: as an
// update to every subscriber whose search finds them, and as removed
// (SSE "removed", {"id"}) to every other, so a page listing one drops it.
func (b *Broker) PublishCorrected(evs []event.Event) {
	b.publish(evs, true)
}

// publish sends evs, marked corrected or not.
func (b *Broker) publish(evs []event.Event, corrected bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	var batch []streamed
	for _, ev := range evs {
		b.seq++
		m := streamed{id: b.seq, ev: ev, members: b.membersOf(ev), corrected: corrected}
		if len(b.recent) == recentSize {
			b.recent = b.recent[1:]
		}
		b.recent = append(b.recent, m)
		batch = append(batch, m)
	}
	if len(b.subs) == 0 || len(batch) == 0 {
		return
	}
	subs := make([]*subscriber, 0, len(b.subs))
	matchers := make([]*index.Matcher, 0, len(b.subs))
	for sub := range b.subs {
		subs = append(subs, sub)
		matchers = append(matchers, sub.match)
	}
	sel, err := selectEvents(context.Background(), batch, matchers)
	if err != nil {
		b.log.Error("live stream: match events", "events", len(batch), "err", err)
		return
	}
	for i, m := range batch {
		for j, sub := range subs {
			out := m
			if !sel[j][i] {
				if !m.corrected {
					continue
				}
				out.removed = true
			}
			select {
			case sub.ch <- out:
			default: // slow subscriber: drop rather than stall the indexer
			}
		}
	}
}

// membersOf returns the members the index holds for ev; nil when there
// is no index or it does not hold ev.
func (b *Broker) membersOf(ev event.Event) []event.Event {
	if b.members == nil {
		return nil
	}
	ms, ok, err := b.members.Members(context.Background(), ev)
	if err != nil {
		b.log.Warn("live stream: read members of event", "event", ev.ID, "err", err)
	}
	if !ok || err != nil {
		return nil
	}
	return ms
}

// selectEvents reports, per matcher, which of msgs it selects: sel[j][i]
// for matchers[j] and msgs[i]. The events go into a Probe only when some
// matcher needs one.
func selectEvents(ctx context.Context, msgs []streamed, matchers []*index.Matcher) ([][]bool, error) {
	sel := make([][]bool, len(matchers))
	needProbe := false
	for j, m := range matchers {
		if m.All() {
			sel[j] = make([]bool, len(msgs))
			for i := range sel[j] {
				sel[j][i] = !msgs[i].ev.Hidden // a search never finds a hidden event
			}
			continue
		}
		needProbe = true
	}
	if !needProbe {
		return sel, nil
	}
	p, err := index.NewProbe()
	if err != nil {
		return nil, err
	}
	defer func() { _ = p.Close() }()
	docs := make([]index.ProbeDoc, len(msgs))
	keys := make([]string, len(msgs))
	for i, m := range msgs {
		keys[i] = strconv.FormatUint(m.id, 10)
		docs[i] = index.ProbeDoc{Key: keys[i], Event: m.ev, Members: m.members}
	}
	if err := p.Add(docs...); err != nil {
		return nil, err
	}
	for j, m := range matchers {
		if sel[j] != nil {
			continue
		}
		if sel[j], err = p.Select(ctx, m, keys); err != nil {
			return nil, err
		}
	}
	return sel, nil
}

// subscribe registers a subscriber for the events its search finds. With
// a Last-Event-ID from this process it also returns the events published
// since, still to be matched (see catchUp): they come before anything the
// subscriber receives on its channel.
func (b *Broker) subscribe(m *index.Matcher, lastID string) (*subscriber, []streamed) {
	s := &subscriber{match: m, ch: make(chan streamed, 256+recentSize)}
	b.mu.Lock()
	defer b.mu.Unlock()
	var missed []streamed
	if epoch, n, ok := strings.Cut(lastID, "-"); ok && epoch == b.epoch {
		if after, err := strconv.ParseUint(n, 10, 64); err == nil {
			i, _ := slices.BinarySearchFunc(b.recent, after+1, func(m streamed, id uint64) int { return cmp.Compare(m.id, id) })
			missed = slices.Clone(b.recent[i:])
		}
	}
	b.subs[s] = struct{}{}
	return s, missed
}

// catchUp returns the events of missed that s's search finds. It runs
// outside the broker's lock: a client back from a long absence costs its
// own request, not the indexer.
func (b *Broker) catchUp(ctx context.Context, s *subscriber, missed []streamed) ([]streamed, error) {
	if len(missed) == 0 {
		return nil, nil
	}
	sel, err := selectEvents(ctx, missed, []*index.Matcher{s.match})
	if err != nil {
		return nil, err
	}
	var out []streamed
	for i, ok := range sel[0] {
		m := missed[i]
		if !ok && m.corrected {
			m.removed, ok = true, true
		}
		if ok {
			out = append(out, m)
		}
	}
	return out, nil
}

func (b *Broker) unsubscribe(s *subscriber) {
	b.mu.Lock()
	delete(b.subs, s)
	b.mu.Unlock()
}

// stream serves GET /api/v1/stream as Server-Sent Events: one "event"
// message per new Event that the same search (the parameters of GET
// /api/v1/events) finds, and a comment every 15 s as heartbeat. A client
// reconnecting with Last-Event-ID first gets the events it missed that
// its search finds, as far back as the broker remembers.
func (s *Server) stream(w http.ResponseWriter, r *http.Request) {
	if s.opts.Stream == nil {
		s.fail(w, r, unavailable("the live stream"))
		return
	}
	q, err := s.parseQuery(r.URL.Query())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	m, err := index.NewMatcher(q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// Subscribe before answering, so nothing published after the client
	// sees ": connected" is missed.
	sub, missed := s.opts.Stream.subscribe(m, r.Header.Get("Last-Event-ID"))
	defer s.opts.Stream.unsubscribe(sub)
	missed, err = s.opts.Stream.catchUp(r.Context(), sub, missed)
	if err != nil {
		s.fail(w, r, fmt.Errorf("live stream: match missed events: %w", err))
		return
	}
	rc := http.NewResponseController(w)
	_ = rc.SetWriteDeadline(time.Time{}) // a stream outlives the server's write timeout
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	fmt.Fprint(w, ": connected\n\n")
	for _, m := range missed {
		s.writeStreamed(w, m)
	}
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
			s.writeStreamed(w, m)
		}
		if err := rc.Flush(); err != nil {
			return
		}
	}
}

// writeStreamed writes one event message: the event, or for one the
// subscriber's search no longer finds after a correction, "removed" with
// its id.
func (s *Server) writeStreamed(w io.Writer, m streamed) {
	if m.removed {
		data, _ := json.Marshal(map[string]string{"id": m.ev.ID})
		fmt.Fprintf(w, "id: %s-%d\nevent: removed\ndata: %s\n\n", s.opts.Stream.epoch, m.id, data)
		return
	}
	data, _ := json.Marshal(m.ev)
	fmt.Fprintf(w, "id: %s-%d\nevent: event\ndata: %s\n\n", s.opts.Stream.epoch, m.id, data)
}
