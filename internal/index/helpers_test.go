package index

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/event"
)

// openTest opens a fresh index in a temporary directory, closed at the end
// of the test.
func openTest(t testing.TB) (*Index, string) {
	t.Helper()
	dir := t.TempDir() + "/index"
	ix, err := Open(dir, Options{})
	if err != nil {
		t.Fatalf("Open(%s): %v", dir, err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	return ix, dir
}

type evOpt func(*event.Event)

func span(end string) evOpt       { return func(e *event.Event) { e.DateEnd = end } }
func actors(a ...string) evOpt    { return func(e *event.Event) { e.Actors = a } }
func feed(f string) evOpt         { return func(e *event.Event) { e.Article.Feed = f } }
func status(s event.Status) evOpt { return func(e *event.Event) { e.Status = s } }
func sentence(s string) evOpt     { return func(e *event.Event) { e.Sentence = s } }
func article(id string) evOpt     { return func(e *event.Event) { e.Article.ID = id } }
func place(name string, lat, lon float64) evOpt {
	return func(e *event.Event) {
		e.Places = append(e.Places, event.Place{Name: name, Lat: lat, Lon: lon})
	}
}

// ev builds an event; its article defaults to "a-"+id. It records the
// event's id under the id of its cluster, so that ids can name a
// single-source result by the event it came from.
func ev(id, typ, date, title string, opts ...evOpt) event.Event {
	_, _, p, _ := event.ParseDate(date)
	e := event.Event{
		ID: id, Type: typ, Title: title, Date: date, Precision: p, DateText: date,
		Status: event.Occurred, Confidence: 0.9, Mentions: 1,
		Article: event.ArticleRef{ID: "a-" + id, Title: "Article about " + title, Feed: "World",
			Published: time.Date(2024, 10, 29, 0, 0, 0, 0, time.UTC)},
	}
	for _, o := range opts {
		o(&e)
	}
	remember(e)
	return e
}

// names maps a cluster id and a title to the ids of the test events built
// with ev that fall in that cluster with that title.
var names = struct {
	sync.Mutex // guards m
	m          map[string]map[string]bool
}{m: map[string]map[string]bool{}}

// remember records e under its cluster id.
func remember(e event.Event) {
	names.Lock()
	defer names.Unlock()
	cid := ClusterID(e) + "\x00" + e.Title
	if names.m[cid] == nil {
		names.m[cid] = map[string]bool{}
	}
	names.m[cid][e.ID] = true
}

// name is how tests refer to a result: the member event ids of a merged
// event joined with "+", the id of the one test event in a single-source
// cluster with its title, else the event's own id.
func name(e event.Event) string {
	if len(e.Sources) > 0 {
		members := make([]string, len(e.Sources))
		for i, s := range e.Sources {
			members[i] = s.EventID
		}
		slices.Sort(members)
		return strings.Join(members, "+")
	}
	names.Lock()
	defer names.Unlock()
	if m := names.m[e.ID+"\x00"+e.Title]; len(m) == 1 {
		for id := range m {
			return id
		}
	}
	return e.ID
}

// fixture is a small corpus with known dates, actors, places and feeds.
func fixture() []event.Event {
	return []event.Event{
		ev("e01", "treaty_signing", "2024-06-19", "North Korea and Russia sign a strategic partnership treaty",
			actors("North Korea", "Russia"), place("Pyongyang", 39.03, 125.75), article("a1"),
			sentence("The two countries signed a comprehensive strategic partnership treaty on June 19, 2024.")),
		ev("e02", "arms_transfer", "2023-09", "North Korea ships artillery shells to Russia",
			span("2024-09"), actors("North Korea", "Russia"), article("a1"),
			sentence("Since September 2023 North Korea has shipped millions of artillery shells.")),
		ev("e03", "military_strike", "2024-05-25", "Russian missile strike hits Kharkiv hypermarket",
			actors("Russia"), place("Kharkiv", 49.99, 36.23), feed("Kyiv Post"), article("a2")),
		ev("e04", "sanction", "2024-03-02", "EU imposes sanctions on Russian banks",
			actors("European Union", "Russia"), place("Brussels", 50.85, 4.35), feed("Reuters"), article("a3")),
		ev("e05", "negotiation", "2024-03", "Ceasefire talks resume in Doha",
			actors("Israel", "Hamas"), place("Doha", 25.29, 51.53), feed("Reuters"), status(event.Planned), article("a3")),
		ev("e06", "election", "2024-01-13", "Taiwan elects a new president",
			actors("Taiwan"), place("Taipei", 25.03, 121.56), article("a4")),
		ev("e07", "meeting", "2024-06-19", "Putin meets Kim in Pyongyang",
			actors("Russia", "North Korea"), place("Pyongyang", 39.03, 125.75), article("a1")),
		ev("e08", "protest", "2024-03-31", "Protesters march in Tbilisi against the foreign agents law",
			actors("Georgia"), place("Tbilisi", 41.72, 44.79), feed("Reuters"), article("a5")),
		ev("e09", "weapons_test", "2023", "North Korea tests a ballistic missile",
			actors("North Korea"), feed("Kyiv Post"), article("a5")),
		ev("e10", "statement", "2024-07-08", "Russia denies strike on Kyiv children's hospital",
			actors("Russia"), place("Kyiv", 50.45, 30.52), status(event.Denied), article("a2")),
	}
}

// setsOf groups events into one Set per article, in first-seen order.
func setsOf(events []event.Event) []event.Set {
	var sets []event.Set
	at := map[string]int{}
	for _, e := range events {
		i, ok := at[e.Article.ID]
		if !ok {
			i = len(sets)
			at[e.Article.ID] = i
			sets = append(sets, event.Set{Article: e.Article})
		}
		sets[i].Events = append(sets[i].Events, e)
	}
	return sets
}

// loaded returns an index holding the fixture.
func loaded(t testing.TB) *Index {
	t.Helper()
	ix, _ := openTest(t)
	apply(t, ix, setsOf(fixture()), 10)
	return ix
}

func apply(t testing.TB, ix *Index, sets []event.Set, cp uint64) {
	t.Helper()
	if err := ix.Apply(context.Background(), sets, cp); err != nil {
		t.Fatalf("Apply(checkpoint %d): %v", cp, err)
	}
}

func find(t testing.TB, ix *Index, q Query) Result {
	t.Helper()
	res, err := ix.Search(context.Background(), q)
	if err != nil {
		t.Fatalf("Search(%+v): %v", q, err)
	}
	return res
}

// ids names the events (see name), in order.
func ids(events []event.Event) []string {
	out := make([]string, len(events))
	for i, e := range events {
		out[i] = name(e)
	}
	return out
}

func sortedIDs(events []event.Event) []string {
	out := ids(events)
	slices.Sort(out)
	return out
}
