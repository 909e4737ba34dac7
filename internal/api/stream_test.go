package api_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
)

// streamCase is a search, in the query string of GET /api/v1/events.
type streamCase struct {
	name, query string
	// all marks a search that finds every live event; the others must
	// find some of them and not all, so that each one tells events apart.
	all bool
}

// streamCases are the searches TestStreamFollowsSearch runs: words,
// phrases, negation, field queries, stems, every filter, date spans.
var streamCases = []streamCase{
	{"either of two words", "q=" + url.QueryEscape("kyiv OR odesa"), false},
	{"both words required", "q=kyiv+odesa", false},
	{"both words required with +", "q=" + url.QueryEscape("+kyiv +odesa"), false},
	{"OR beside a required word", "q=" + url.QueryEscape("odesa OR kharkiv strike"), false},
	{"AND", "q=" + url.QueryEscape("missile AND korea"), false},
	{"a word without another", "q=" + url.QueryEscape("missile -drill"), false},
	{"NOT a word", "q=" + url.QueryEscape("missile NOT drill"), false},
	{"a stop word requires nothing", "q=" + url.QueryEscape("the hospital"), false},
	{"only the excluded word", "q=drill", false},
	{"type field in the query", "q=type:protest", false},
	{"phrase", "q=" + url.QueryEscape(`"children's hospital"`), false},
	{"stem of protest", "q=protests", false},
	{"stem of strike", "q=striking", false},
	{"word of a second source's own title", "q=pact", false},
	{"word of a second source's sentence", "q=kumsusan", false},
	{"actor field", "q=actor:Taiwan", false},
	{"actor phrase", "q=" + url.QueryEscape(`actor:"North Korea"`), false},
	{"feed field of any source", "q=feed:AP", false},
	{"source_count field", "q=" + url.QueryEscape("source_count:>=2"), false},
	{"fuzzy", "q=" + url.QueryEscape("kharkov~1"), false},
	{"wildcard", "q=" + url.QueryEscape("gener*"), false},
	{"title alias", "q=title:kyiv", false},
	{"types", "type=protest,aid", false},
	{"actor", "actor=Russia", false},
	{"actors, any of them", "actor=Israel&actor=Taiwan", false},
	{"place", "place=Odesa", false},
	{"feed of any source", "feed=" + url.QueryEscape("Kyiv Post"), false},
	{"status planned", "status=planned", false},
	{"status denied", "status=denied", false},
	{"min_sources", "min_sources=2", false},
	{"near Kyiv", "near=50.45,30.52,10", false},
	{"near Odesa", "near=46.48,30.72,300", false},
	{"from a month", "from=2024-06", false},
	{"to a month, a span reaching back", "to=2023-12", false},
	{"one day", "from=2024-07-08&to=2024-07-08", false},
	{"a year", "from=2024&to=2024", false},
	{"a fortnight inside a month and a span", "from=2024-09-15&to=2024-10-01", false},
	{"words, dates and type", "q=missile&from=2024-05&to=2024-07&type=military_strike", false},
	{"words and feed", "q=korea&feed=AP", false},
	{"type without a word: no live event", "type=weapons_test&q=-drill", false},
	{"words and status", "q=hospital&status=denied", false},
	{"everything", "", true},
}

// streamIndex returns an on-disk index holding the base corpus, and the
// live article sets: some new happenings, some new sources of base ones.
func streamIndex(t *testing.T) (*index.Index, []event.Set) {
	t.Helper()
	ix, err := index.Open(t.TempDir(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	type place = event.Place
	var (
		pyongyang = place{Name: "Pyongyang", Country: "North Korea", Lat: 39.03, Lon: 125.75}
		kharkiv   = place{Name: "Kharkiv", Country: "Ukraine", Lat: 49.99, Lon: 36.23}
		kyiv      = place{Name: "Kyiv", Country: "Ukraine", Lat: 50.45, Lon: 30.52}
		odesa     = place{Name: "Odesa", Country: "Ukraine", Lat: 46.48, Lon: 30.72}
	)
	mk := func(article, feed, typ, date, dateEnd, title, sentence string, st event.Status, actors []string, places ...place) event.Set {
		ref := event.ArticleRef{ID: article, URL: "https://news.example/" + article, Title: "Wire " + article, Feed: feed,
			Published: time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC)}
		_, _, p, _ := event.ParseDate(date)
		e := event.Event{
			ID: "ev-" + article, Type: typ, Title: title, Sentence: sentence, Date: date, DateEnd: dateEnd,
			Precision: p, DateText: date, Status: st, Actors: actors, Places: places, Article: ref,
			Confidence: 0.8, Mentions: 1,
		}
		return event.Set{Article: ref, Events: []event.Event{e}}
	}
	occ, planned, denied := event.Occurred, event.Planned, event.Denied
	base := []event.Set{
		mk("base-a", "World", "treaty_signing", "2024-06-19", "", "North Korea and Russia sign a strategic partnership treaty",
			"The two countries signed a comprehensive strategic partnership treaty.", occ, []string{"North Korea", "Russia"}, pyongyang),
		mk("base-b", "Kyiv Post", "military_strike", "2024-05-25", "", "Russian missile strike hits Kharkiv hypermarket",
			"A Russian missile hit a hypermarket.", occ, []string{"Russia"}, kharkiv),
		mk("base-c", "Reuters", "protest", "2024-03-31", "", "Protesters march in Tbilisi",
			"Thousands marched against the law.", occ, []string{"Georgia"}, place{Name: "Tbilisi", Lat: 41.72, Lon: 44.79}),
		mk("base-d", "Kyiv Post", "weapons_test", "2023", "", "North Korea tests a ballistic missile",
			"North Korea tested a ballistic missile.", occ, []string{"North Korea"}),
	}
	if err := ix.Apply(context.Background(), base, 1); err != nil {
		t.Fatal(err)
	}
	live := []event.Set{
		// A second source on the Kharkiv strike and on the treaty: the
		// live event is the merged one, with two sources.
		mk("live-a", "Reuters", "military_strike", "2024-05-25", "", "Missile strike on Kharkiv shopping centre",
			"A guided bomb struck a hypermarket in Kharkiv.", occ, []string{"Russia"}, kharkiv),
		mk("live-h", "AP", "treaty_signing", "2024-06-19", "", "Moscow and Pyongyang seal pact",
			"The leaders signed the accord in the Kumsusan palace.", occ, []string{"Russia", "North Korea"}),
		mk("live-b", "AP", "protest", "2024-06-02", "", "Residents protest in Odesa over power cuts",
			"Hundreds protested in Odesa on Sunday.", occ, []string{"Ukraine"}, odesa),
		mk("live-c", "Kyiv Post", "military_strike", "2024-07-08", "", "Missile strike on Kyiv children's hospital",
			"Russian missiles struck Kyiv, hitting the Okhmatdyt children's hospital.", occ, []string{"Russia"}, kyiv),
		mk("live-d", "Reuters", "troop_deployment", "2024-09", "", "Planned: NATO deploys troops to Lithuania",
			"NATO will hold a drill and deploy a brigade to Lithuania.", planned, []string{"NATO"},
			place{Name: "Vilnius", Country: "Lithuania", Lat: 54.69, Lon: 25.28}),
		mk("live-e", "AP", "negotiation", "2024-08-15", "", "Ceasefire talks in Doha",
			"Negotiators met in Doha for ceasefire talks.", occ, []string{"Israel", "Hamas"},
			place{Name: "Doha", Country: "Qatar", Lat: 25.29, Lon: 51.53}),
		mk("live-f", "TASS", "statement", "2024-07-09", "", "Denied: Russia denies strike on Kyiv hospital",
			"Moscow denied striking the hospital.", denied, []string{"Russia"}, kyiv),
		mk("live-g", "World", "arms_transfer", "2023-09", "2024-09", "North Korea ships artillery shells to Russia",
			"Since September 2023 North Korea has shipped millions of artillery shells.", occ, []string{"North Korea", "Russia"}),
		mk("live-i", "Yonhap", "weapons_test", "2024-11-02", "", "North Korea fires missiles in a drill",
			"The drill involved several short-range missiles.", occ, []string{"North Korea"}),
		mk("live-j", "Reuters", "election", "2024-01-13", "", "Taiwan elects a new president",
			"Voters in Taiwan elected a new president.", occ, []string{"Taiwan"},
			place{Name: "Taipei", Country: "Taiwan", Lat: 25.03, Lon: 121.56}),
		mk("live-k", "World", "aid", "2024-06-20", "", "EU sends generators to Odesa",
			"The European Union delivered generators to Odesa and Kyiv.", occ, []string{"European Union"}, odesa),
		mk("live-l", "AP", "casualties", "", "", "Casualties reported after shelling",
			"Several people were wounded in shelling.", occ, nil),
	}
	return ix, live
}

// streamReader reads one search's stream: the ids of the events with a
// message id up to last, until the message whose id is marker.
func streamReader(ctx context.Context, t *testing.T, base, query string) (connected <-chan struct{}, result func(last, marker uint64) ([]string, error)) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, "GET", base+"/api/v1/stream?"+query, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /api/v1/stream?%s = %d", query, resp.StatusCode)
	}
	ready := make(chan struct{})
	type msg struct {
		seq uint64
		id  string
	}
	msgs := make(chan msg, 512)
	errc := make(chan error, 1)
	go func() {
		defer close(msgs)
		r := bufio.NewReader(resp.Body)
		var seq uint64
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				errc <- err
				return
			}
			switch {
			case strings.HasPrefix(line, ": connected"):
				close(ready)
			case strings.HasPrefix(line, "id: "):
				_, n, _ := strings.Cut(strings.TrimSpace(line[4:]), "-")
				seq, _ = strconv.ParseUint(n, 10, 64)
			case strings.HasPrefix(line, "data: "):
				var ev event.Event
				if err := json.Unmarshal([]byte(line[6:]), &ev); err != nil {
					errc <- err
					return
				}
				msgs <- msg{seq, ev.ID}
			}
		}
	}()
	return ready, func(last, marker uint64) ([]string, error) {
		var got []string
		for m := range msgs {
			switch {
			case m.seq == marker:
				return got, nil
			case m.seq <= last:
				got = append(got, m.id)
			}
		}
		select {
		case err := <-errc:
			return got, fmt.Errorf("stream ended before the marker: %w", err)
		default:
			return got, fmt.Errorf("stream ended before the marker")
		}
	}
}

// TestStreamFollowsSearch: an event arriving live is delivered by GET
// /api/v1/stream exactly when the same search then finds it, for every
// kind of search. The live events are applied to a real on-disk index
// and published as the service does (the merged events the batch wrote);
// each search's stream is read over HTTP until a marker: an event the
// search finds, published again after the live ones.
func TestStreamFollowsSearch(t *testing.T) {
	ix, live := streamIndex(t)
	broker := api.NewBroker()
	srv := httptest.NewServer(api.New(api.Options{Searcher: ix, Stream: broker}))
	t.Cleanup(srv.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()

	results := make([]func(last, marker uint64) ([]string, error), len(streamCases))
	for i, c := range streamCases {
		ready, result := streamReader(ctx, t, srv.URL, c.query)
		select {
		case <-ready:
		case <-ctx.Done():
			t.Fatalf("stream of %q never connected", c.query)
		}
		results[i] = result
	}

	// The live batch, as the indexer applies it and the service publishes it.
	if err := ix.Apply(ctx, live, 2); err != nil {
		t.Fatal(err)
	}
	merged, err := ix.Merged(ctx, live)
	if err != nil {
		t.Fatal(err)
	}
	broker.Publish([]event.Set{{Events: merged}})
	last := uint64(len(merged))
	liveIDs := map[string]bool{}
	for _, e := range merged {
		liveIDs[e.ID] = true
	}
	if len(merged) != len(live) {
		t.Fatalf("%d merged events from %d live sets", len(merged), len(live))
	}

	// What each search then finds, and a marker for each: one of the
	// events it finds, published again after the live ones.
	found := make([][]string, len(streamCases))
	for i, c := range streamCases {
		var body struct{ Events []event.Event }
		resp, err := http.Get(srv.URL + "/api/v1/events?limit=200&" + c.query)
		if err != nil {
			t.Fatal(err)
		}
		err = json.NewDecoder(resp.Body).Decode(&body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("search %q = %d, %v", c.query, resp.StatusCode, err)
		}
		if len(body.Events) == 0 {
			t.Fatalf("search %q finds nothing at all: the case cannot be told from a silent stream", c.query)
		}
		for _, e := range body.Events {
			if liveIDs[e.ID] {
				found[i] = append(found[i], e.ID)
			}
		}
		broker.Publish([]event.Set{{Events: body.Events[:1]}})
	}

	for i, c := range streamCases {
		t.Run(c.name, func(t *testing.T) {
			got, err := results[i](last, last+1+uint64(i))
			if err != nil {
				t.Fatalf("stream of %q: %v (received %v)", c.query, err, got)
			}
			want := found[i]
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("?%s: the stream delivered %v, the search finds %v", c.query, got, want)
			}
			if all := len(want) == len(liveIDs); all != c.all && len(want) > 0 {
				t.Errorf("?%s finds %d of the %d live events: the case does not tell them apart", c.query, len(want), len(liveIDs))
			}
		})
	}
}
