package index

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/dateline/dateline/internal/event"
)

// probeAll puts every event of ix in a Probe, under its id, with the
// members the index holds.
func probeAll(t testing.TB, ix *Index) (*Probe, []string) {
	t.Helper()
	ctx := context.Background()
	all := find(t, ix, Query{Limit: MaxLimit})
	p, err := NewProbe()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close() })
	var keys []string
	for _, e := range all.Events {
		members, ok, err := ix.Members(ctx, e)
		if err != nil || !ok {
			t.Fatalf("Members(%s) = %v, %v", e.ID, ok, err)
		}
		if err := p.Add(ProbeDoc{Key: e.ID, Event: e, Members: members}); err != nil {
			t.Fatal(err)
		}
		keys = append(keys, e.ID)
	}
	return p, keys
}

// TestMatcherAgreesWithSearch: for each query, the events a Matcher
// selects in a Probe holding every indexed event are exactly those
// Search finds.
func TestMatcherAgreesWithSearch(t *testing.T) {
	ix := loaded(t)
	// Two more articles on the treaty: a merged event with three sources,
	// whose second source's own title says "pact" and whose article
	// carries a second sentence of its own.
	a := ev("m1", "treaty_signing", "2024-06-19", "Moscow and Pyongyang seal pact",
		actors("North Korea", "Russia"), article("b1"), feed("Reuters"),
		sentence("Moscow and Pyongyang sealed a mutual defence agreement."),
		func(e *event.Event) { e.Article.Title = "Asia wire" })
	b := ev("m2", "treaty_signing", "2024-06-19", "Russia and North Korea sign treaty",
		actors("Russia", "North Korea"), article("b2"), feed("AP"),
		sentence("The leaders signed the accord in the Kumsusan palace."))
	apply(t, ix, setsOf([]event.Event{a, b}), 11)
	p, keys := probeAll(t, ix)
	tests := []struct {
		name string
		q    Query
		none bool // the search finds nothing
	}{
		{"word", Query{Q: "treaty"}, false},
		{"word of a second source's own title", Query{Q: "pact"}, false},
		{"word of a second source's sentence", Query{Q: "kumsusan"}, false},
		{"phrase", Query{Q: `"mutual defence"`}, false},
		{"stem", Query{Q: "treaties"}, false},
		{"both words required", Query{Q: "missile korea"}, false},
		{"both words, none has both", Query{Q: "missile sanctions"}, true},
		{"either of two words", Query{Q: "missile OR sanctions"}, false},
		{"OR beside a required word", Query{Q: "missile OR sanctions russia"}, false},
		{"AND", Query{Q: "treaty AND russia"}, false},
		{"required words", Query{Q: "+missile +korea"}, false},
		{"negation", Query{Q: "missile -russian"}, false},
		{"NOT", Query{Q: "missile NOT russian"}, false},
		{"only a negation", Query{Q: "-russia"}, false},
		{"a stop word requires nothing", Query{Q: "the treaty"}, false},
		{"actor field", Query{Q: "actor:Taiwan"}, false},
		{"actor phrase", Query{Q: `actor:"North Korea"`}, false},
		{"actor field in lower case", Query{Q: "actors:taiwan"}, false},
		{"place field through its country", Query{Q: `place:"north korea"`}, false},
		{"type field", Query{Q: "type:protest"}, false},
		{"wildcard", Query{Q: "tbil*"}, false},
		{"fuzzy", Query{Q: "kharkov~1"}, false},
		{"feed field of a second source", Query{Q: "feed:AP"}, false},
		{"source_count field", Query{Q: "source_count:>=2"}, false},
		{"article field of a second source", Query{Q: "article:b2"}, false},
		{"types", Query{Types: []string{"sanction", "protest"}}, false},
		{"actor is case-insensitive", Query{Actors: []string{"russia"}}, false},
		{"place through its country", Query{Places: []string{"north korea"}}, false},
		{"places", Query{Places: []string{"Pyongyang"}}, false},
		{"feeds", Query{Feeds: []string{"Kyiv Post"}}, false},
		{"status", Query{Statuses: []string{"denied"}}, false},
		{"min_sources 2", Query{MinSources: 2}, false},
		{"min_sources 4", Query{MinSources: 4}, true},
		{"near", Query{Near: &Near{Lat: 50.45, Lon: 30.52, Km: 500}}, false},
		{"near nothing", Query{Near: &Near{Lat: -33.9, Lon: 18.4, Km: 100}}, true},
		{"from", Query{From: "2024-06"}, false},
		{"to", Query{To: "2023-12"}, false},
		{"days", Query{From: "2024-03-02", To: "2024-03-31"}, false},
		{"a year", Query{From: "2024", To: "2024"}, false},
		{"words, day and feed", Query{Q: "korea", From: "2024-06-19", To: "2024-06-19", Feeds: []string{"AP"}}, false},
		{"everything", Query{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.q
			q.Limit = MaxLimit
			var want []string
			for _, e := range find(t, ix, q).Events {
				want = append(want, e.ID)
			}
			if (len(want) == 0) != tt.none {
				t.Fatalf("search finds %d events; the case wants none: %v", len(want), tt.none)
			}
			m, err := NewMatcher(q)
			if err != nil {
				t.Fatal(err)
			}
			sel, err := p.Select(context.Background(), m, keys)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for i, ok := range sel {
				if ok {
					got = append(got, keys[i])
				}
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("matcher selects %v, search finds %v", got, want)
			}
		})
	}
}

// TestMembersOfMissesOwnTitles: without the index's members, a merged
// event's Probe document lacks what only a member's own title says,
// which is why the live stream asks the index (Index.Members).
func TestMembersOfMissesOwnTitles(t *testing.T) {
	ix := loaded(t)
	a := ev("m1", "treaty_signing", "2024-06-19", "Moscow and Pyongyang seal pact",
		actors("North Korea", "Russia"), article("b1"), feed("Reuters"),
		func(e *event.Event) { e.Article.Title = "Asia wire" })
	apply(t, ix, setsOf([]event.Event{a}), 11)
	res := find(t, ix, Query{Q: "pact"})
	if len(res.Events) != 1 {
		t.Fatalf("search for pact finds %d events, want the merged treaty", len(res.Events))
	}
	m, err := NewMatcher(Query{Q: "pact"})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := m.Match(context.Background(), res.Events[0]); err != nil || ok {
		t.Errorf("Match without members = %v, %v; want false (the word is in a member's title only)", ok, err)
	}
	members, found, err := ix.Members(context.Background(), res.Events[0])
	if err != nil || !found || len(members) != 2 {
		t.Fatalf("Members = %d, %v, %v; want the 2 members", len(members), found, err)
	}
}

// BenchmarkProbe: the cost of telling which subscribers want a newly
// indexed event, as the live stream does for each batch: the event added
// to a Probe once, then one Select per subscriber's Matcher.
func BenchmarkProbe(b *testing.B) {
	e := fixture()[0]
	ms := []*Matcher{}
	for _, q := range []Query{
		{Q: "treaty"}, {Q: `"strategic partnership" -drill`}, {Types: []string{"treaty_signing", "meeting"}},
		{Q: "korea", From: "2024-06", To: "2024-12"}, {Near: &Near{Lat: 39, Lon: 125, Km: 100}},
	} {
		m, err := NewMatcher(q)
		if err != nil {
			b.Fatal(err)
		}
		ms = append(ms, m)
	}
	p, err := NewProbe()
	if err != nil {
		b.Fatal(err)
	}
	defer p.Close()
	ctx := context.Background()
	b.Run("add", func(b *testing.B) {
		i := 0
		for b.Loop() {
			k := fmt.Sprint(i)
			i++
			if err := p.Add(ProbeDoc{Key: k, Event: e}); err != nil {
				b.Fatal(err)
			}
			if err := p.Remove(k); err != nil {
				b.Fatal(err)
			}
		}
	})
	if err := p.Add(ProbeDoc{Key: "k", Event: e}); err != nil {
		b.Fatal(err)
	}
	for i, m := range ms {
		b.Run(fmt.Sprint("select", i), func(b *testing.B) {
			for b.Loop() {
				if _, err := p.Select(ctx, m, []string{"k"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
