package index

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/event"
)

func TestSearchWords(t *testing.T) {
	ix := loaded(t)
	tests := []struct {
		name string
		q    string
		want []string
	}{
		{"one word", "treaty", []string{"e01"}},
		{"stemmed plural", "treaties", []string{"e01"}},
		{"two words: both required", "missile sanctions", []string{}},
		{"either of two words", "missile OR sanctions", []string{"e03", "e04", "e09"}},
		{"two words both events have", "missile korea", []string{"e09"}},
		{"required words", "+missile +korea", []string{"e09"}},
		{"excluded word", "missile -russian", []string{"e09"}},
		{"phrase", `"strategic partnership"`, []string{"e01"}},
		{"place name in text", "pyongyang", []string{"e01", "e07"}},
		{"title alias", "title:kharkiv", []string{"e03"}},
		{"actor field", "actor:Taiwan", []string{"e06"}},
		{"actor phrase", `actor:"North Korea"`, []string{"e01", "e02", "e07", "e09"}},
		{"actor field in lower case", "actors:taiwan", []string{"e06"}},
		{"actor field through the gazetteer", `actor:"DPRK"`, []string{"e01", "e02", "e07", "e09"}},
		{"actor prefix in lower case", "actor:tai*", []string{"e06"}},
		{"place field through its country", `place:"north korea"`, []string{"e01", "e07"}},
		{"type field", "type:protest", []string{"e08"}},
		{"trailing wildcard", "tbil*", []string{"e08"}},
		{"upper-case wildcard", "Tbil*", []string{"e08"}},
		{"fuzziness one", "kharkov~1", []string{"e03"}},
		{"no match", "volcano", []string{}},
		{"empty is all", "", []string{"e01", "e02", "e03", "e04", "e05", "e06", "e07", "e08", "e09", "e10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := find(t, ix, Query{Q: tt.q, Limit: 50})
			if got := sortedIDs(res.Events); !slices.Equal(got, tt.want) {
				t.Errorf("Q=%q: got %v, want %v", tt.q, got, tt.want)
			}
			if res.Total != uint64(len(tt.want)) {
				t.Errorf("Q=%q: Total %d, want %d", tt.q, res.Total, len(tt.want))
			}
		})
	}
}

func TestSearchFilters(t *testing.T) {
	ix := loaded(t)
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"types OR", Query{Types: []string{"sanction", "protest"}}, []string{"e04", "e08"}},
		{"actors OR", Query{Actors: []string{"Taiwan", "Georgia"}}, []string{"e06", "e08"}},
		{"actor AND types", Query{Actors: []string{"Russia"}, Types: []string{"meeting", "treaty_signing"}}, []string{"e01", "e07"}},
		{"actor is case-insensitive", Query{Actors: []string{"russia"}}, []string{"e01", "e02", "e03", "e04", "e07", "e10"}},
		{"actor by an alias", Query{Actors: []string{"DPRK"}}, []string{"e01", "e02", "e07", "e09"}},
		{"place is case-insensitive", Query{Places: []string{"PYONGYANG"}}, []string{"e01", "e07"}},
		{"place through its country", Query{Places: []string{"north korea"}}, []string{"e01", "e07"}},
		{"an unknown actor finds nothing", Query{Actors: []string{"Narnia"}}, []string{}},
		{"places", Query{Places: []string{"Pyongyang"}}, []string{"e01", "e07"}},
		{"feeds", Query{Feeds: []string{"Reuters"}}, []string{"e04", "e05", "e08"}},
		{"feed with space", Query{Feeds: []string{"Kyiv Post"}}, []string{"e03", "e09"}},
		{"status planned", Query{Statuses: []string{"planned"}}, []string{"e05"}},
		{"status denied", Query{Statuses: []string{"denied"}}, []string{"e10"}},
		{"near Kharkiv 50 km", Query{Near: &Near{Lat: 49.99, Lon: 36.23, Km: 50}}, []string{"e03"}},
		{"near Kyiv 500 km", Query{Near: &Near{Lat: 50.45, Lon: 30.52, Km: 500}}, []string{"e03", "e10"}},
		{"words and feed", Query{Q: "treaty", Feeds: []string{"World"}}, []string{"e01"}},
		{"words and feed excluded", Query{Q: "treaty", Feeds: []string{"Reuters"}}, []string{}},
		{"words and filter by relevance", Query{Q: "russia", Types: []string{"sanction"}, Sort: SortRelevance}, []string{"e04"}},
		{"empty values ignored", Query{Types: []string{""}}, []string{"e01", "e02", "e03", "e04", "e05", "e06", "e07", "e08", "e09", "e10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.Limit = 50
			res := find(t, ix, tt.q)
			if got := sortedIDs(res.Events); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSearchSpanOverlap(t *testing.T) {
	ix := loaded(t)
	tests := []struct {
		name     string
		from, to string
		want     []string
	}{
		// e02 is an arms transfer from 2023-09 to 2024-09.
		{"month inside a span", "2024-03", "2024-03", []string{"e02", "e04", "e05", "e08"}},
		{"only the span covers April", "2024-04-01", "2024-04-30", []string{"e02"}},
		{"day events outside range excluded", "2024-05-26", "2024-06-18", []string{"e02"}},
		{"year-precision event", "2023-12-31", "2023-12-31", []string{"e02", "e09"}},
		{"open end", "2024-06-19", "", []string{"e01", "e02", "e07", "e10"}},
		{"open start", "", "2023-08", []string{"e09"}},
		{"after the span ends", "2024-10", "2024-12", []string{}},
		{"year range", "2024", "2024", []string{"e01", "e02", "e03", "e04", "e05", "e06", "e07", "e08", "e10"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := find(t, ix, Query{From: tt.from, To: tt.to, Limit: 50})
			if got := sortedIDs(res.Events); !slices.Equal(got, tt.want) {
				t.Errorf("from=%s to=%s: got %v, want %v", tt.from, tt.to, got, tt.want)
			}
		})
	}
}

func TestSearchSort(t *testing.T) {
	ix := loaded(t)
	types := []string{"meeting", "treaty_signing", "election"}
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"date ascending, id breaks ties", Query{Types: types, Sort: SortDate}, []string{"e06", "e01", "e07"}},
		{"date descending", Query{Types: types, Sort: SortDateDesc}, []string{"e07", "e01", "e06"}},
		{"default without q is newest first", Query{},
			[]string{"e10", "e07", "e01", "e03", "e08", "e04", "e05", "e06", "e02", "e09"}},
		{"date sort with words", Query{Q: "korea", Sort: SortDate}, []string{"e09", "e02", "e01", "e07"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.q.Limit = 50
			if got := ids(find(t, ix, tt.q).Events); !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSearchRelevance(t *testing.T) {
	ix := loaded(t)
	for _, sort := range []string{"", SortRelevance} {
		t.Run("sort="+sort, func(t *testing.T) {
			res := find(t, ix, Query{Q: "north OR korea OR russia OR treaty", Sort: sort})
			if len(res.Events) == 0 || name(res.Events[0]) != "e01" {
				t.Fatalf("first hit: got %v, want e01 first", ids(res.Events))
			}
		})
	}
}

func TestSearchFiltersDoNotScore(t *testing.T) {
	ix := loaded(t)
	scores := func(q Query) []string {
		res := find(t, ix, q)
		return ids(res.Events)
	}
	want := scores(Query{Q: "russia OR korea OR treaty OR strike", Sort: SortRelevance})
	for _, q := range []Query{
		{From: "2000", To: "2030"},
		{Feeds: []string{"World", "Reuters", "Kyiv Post"}},
		{Actors: []string{"Russia", "North Korea", "Israel", "Taiwan", "Georgia", "European Union"}},
	} {
		q.Q, q.Sort = "russia OR korea OR treaty OR strike", SortRelevance
		if got := scores(q); !slices.Equal(got, want) {
			t.Errorf("%+v: order %v, want the unfiltered %v", q, got, want)
		}
	}
}

// page walks every page of q and returns the ids in order.
func page(t *testing.T, ix *Index, q Query, between func(pageNo int)) []string {
	t.Helper()
	var got []string
	for n := 0; n < 100; n++ {
		res := find(t, ix, q)
		got = append(got, ids(res.Events)...)
		if res.Next == "" {
			return got
		}
		if between != nil {
			between(n)
		}
		q.Cursor = res.Next
	}
	t.Fatalf("paging did not end after 100 pages")
	return nil
}

func TestSearchCursorPaging(t *testing.T) {
	ix := loaded(t)
	for _, q := range []Query{
		{Sort: SortDateDesc},
		{Sort: SortDate},
		{Q: "russia OR korea", Sort: SortRelevance},
		{Q: "russia", Sort: SortDate, From: "2024"},
	} {
		t.Run(q.Q+"/"+q.Sort, func(t *testing.T) {
			all := q
			all.Limit = 50
			want := ids(find(t, ix, all).Events)
			q.Limit = 3
			if got := page(t, ix, q, nil); !slices.Equal(got, want) {
				t.Errorf("pages of 3: got %v, want %v", got, want)
			}
		})
	}
}

func TestSearchLastPage(t *testing.T) {
	ix := loaded(t)
	for _, tt := range []struct {
		limit    int
		wantNext bool
	}{{9, true}, {10, false}, {11, false}} {
		t.Run(fmt.Sprintf("limit %d of 10", tt.limit), func(t *testing.T) {
			res := find(t, ix, Query{Limit: tt.limit})
			if got := res.Next != ""; got != tt.wantNext {
				t.Errorf("Next %q: got more=%v, want %v", res.Next, got, tt.wantNext)
			}
			if want := min(tt.limit, 10); len(res.Events) != want {
				t.Errorf("got %d events, want %d", len(res.Events), want)
			}
		})
	}
}

func TestSearchCursorStableUnderInserts(t *testing.T) {
	ix := loaded(t)
	inserted := false
	got := page(t, ix, Query{Limit: 3}, func(n int) {
		if n != 0 {
			return
		}
		// One event newer than the first page (already passed) and one
		// in the middle of the pages still to come.
		apply(t, ix, setsOf(fixtureNew()), 11)
		inserted = true
	})
	if !inserted {
		t.Fatal("never inserted")
	}
	seen := map[string]int{}
	for _, id := range got {
		seen[id]++
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("event %s returned %d times, want once", id, n)
		}
	}
	for _, e := range fixture() {
		if seen[e.ID] != 1 {
			t.Errorf("event %s missing from pages %v", e.ID, got)
		}
	}
	if seen["n2"] != 1 {
		t.Errorf("event n2 inserted ahead of the cursor missing from pages %v", got)
	}
	if seen["n1"] != 0 {
		t.Errorf("event n1 inserted behind the cursor showed up in pages %v", got)
	}
}

func fixtureNew() []event.Event {
	return []event.Event{
		ev("n1", "ceasefire", "2025-01-15", "Ceasefire agreed in Gaza", article("b1")),
		ev("n2", "aid", "2024-05-01", "Aid convoy reaches Rafah", article("b2")),
	}
}

func TestSearchFacets(t *testing.T) {
	ix := loaded(t)
	res := find(t, ix, Query{Facets: true})
	tests := []struct {
		facet, term string
		want        int
	}{
		{"actor", "Russia", 6},
		{"actor", "North Korea", 4},
		{"type", "sanction", 1},
		{"place", "Pyongyang", 2},
		{"feed", "World", 5},
		{"feed", "Reuters", 3},
		{"feed", "Kyiv Post", 2},
	}
	for _, tt := range tests {
		t.Run(tt.facet+"/"+tt.term, func(t *testing.T) {
			if got := res.Facets[tt.facet][tt.term]; got != tt.want {
				t.Errorf("facet %s[%s]: got %d, want %d (facet: %v)", tt.facet, tt.term, got, tt.want, res.Facets[tt.facet])
			}
		})
	}
	t.Run("types top 10 of 10", func(t *testing.T) {
		if got := len(res.Facets["type"]); got != 10 {
			t.Errorf("type facet has %d terms, want 10: %v", got, slices.Sorted(maps.Keys(res.Facets["type"])))
		}
	})
	t.Run("facets follow filters", func(t *testing.T) {
		res := find(t, ix, Query{Facets: true, Feeds: []string{"Reuters"}})
		if got := res.Facets["actor"]["Russia"]; got != 1 {
			t.Errorf("Russia within Reuters: got %d, want 1", got)
		}
	})
	t.Run("cached facets are copies and follow Apply", func(t *testing.T) {
		ix := loaded(t)
		first := find(t, ix, Query{Facets: true, Limit: 1})
		first.Facets["feed"]["World"] = -1
		second := find(t, ix, Query{Facets: true, Limit: 2, Sort: SortDate})
		if got := second.Facets["feed"]["World"]; got != 5 {
			t.Errorf("second page: World %d, want 5", got)
		}
		apply(t, ix, setsOf(fixtureNew()), 11)
		third := find(t, ix, Query{Facets: true})
		if got := third.Facets["feed"]["World"]; got != 7 {
			t.Errorf("after Apply: World %d, want 7", got)
		}
	})
	t.Run("no facets unless asked", func(t *testing.T) {
		if res := find(t, ix, Query{}); res.Facets != nil {
			t.Errorf("got facets %v, want nil", res.Facets)
		}
	})
}

func TestSearchHighlight(t *testing.T) {
	ix := loaded(t)
	apply(t, ix, setsOf([]event.Event{ev("x1", "protest", "2024-02-02", `<img src=x onerror=alert(1)> protest`, article("x"))}), 11)
	tests := []struct {
		name, q, id string
		want        string
	}{
		{"word in title", "treaty", "e01", "partnership <mark>treaty</mark>"},
		{"stem", "sanction", "e04", "imposes <mark>sanctions</mark>"},
		{"wildcard", "tbil*", "e08", "in <mark>Tbilisi</mark>"},
		{"escaped", "protest", "x1", "&lt;img src=x onerror=alert(1)&gt; <mark>protest</mark>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := find(t, ix, Query{Q: tt.q, Highlight: true})
			var frags []string
			for _, e := range res.Events {
				if name(e) == tt.id {
					frags = res.Highlights[e.ID]
				}
			}
			if !slices.ContainsFunc(frags, func(f string) bool { return strings.Contains(f, tt.want) }) {
				t.Errorf("Q=%q: fragments of %s %q, want one containing %q", tt.q, tt.id, frags, tt.want)
			}
		})
	}
}

func TestGet(t *testing.T) {
	ix := loaded(t)
	want := fixture()[0]
	want.ID = ClusterID(want) // a single-source event reads as extracted, under its cluster's id
	for _, id := range []string{want.ID, "e01"} {
		t.Run("found by "+id, func(t *testing.T) {
			got, ok, err := ix.Get(context.Background(), id)
			if err != nil || !ok {
				t.Fatalf("Get(%s): ok=%v err=%v, want found", id, ok, err)
			}
			gj, _ := json.Marshal(got)
			wj, _ := json.Marshal(want)
			if string(gj) != string(wj) {
				t.Errorf("Get(%s):\n got %s\nwant %s", id, gj, wj)
			}
		})
	}
	t.Run("not found", func(t *testing.T) {
		_, ok, err := ix.Get(context.Background(), "nope")
		if err != nil || ok {
			t.Errorf("Get(nope): ok=%v err=%v, want not found", ok, err)
		}
	})
	t.Run("search returns full events", func(t *testing.T) {
		res := find(t, ix, Query{Q: "treaty"})
		gj, _ := json.Marshal(res.Events[0])
		wj, _ := json.Marshal(want)
		if string(gj) != string(wj) {
			t.Errorf("Search hit:\n got %s\nwant %s", gj, wj)
		}
	})
}
