package api

import (
	"fmt"
	"net/url"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
)

// BenchmarkPublish is the live stream's cost per published event: each
// batch of merged events goes into a Probe once and every subscriber's
// search is asked which of them it finds. subs subscribers hold a mix of
// searches (words, a phrase with negation, type, dates, near; one in ten
// with no search at all, which needs no Probe).
func BenchmarkPublish(b *testing.B) {
	searches := []string{
		"q=kyiv+odesa", "q=" + url.QueryEscape(`"missile strike" -drill`), "type=military_strike,protest",
		"q=korea&from=2024-06&to=2024-12", "near=50.45,30.52,100", "q=type:protest", "actor=Russia&status=occurred",
		"q=strikes&feed=Reuters", "min_sources=2", "",
	}
	for _, subs := range []int{1, 10, 100} {
		for _, batch := range []int{1, 100} {
			b.Run(fmt.Sprintf("subs=%d/batch=%d", subs, batch), func(b *testing.B) {
				br := NewBroker()
				for i := range subs {
					v, _ := url.ParseQuery(searches[i%len(searches)])
					q, err := index.ParseParams(v)
					if err != nil {
						b.Fatal(err)
					}
					m, err := index.NewMatcher(q)
					if err != nil {
						b.Fatal(err)
					}
					s, _ := br.subscribe(m, "")
					s.ch = make(chan streamed) // unbuffered, never read: every send is dropped
				}
				events := make([]event.Event, batch)
				for i := range events {
					events[i] = benchEvent(i)
				}
				sets := []event.Set{{Events: events}}
				for b.Loop() {
					br.Publish(sets)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*batch), "ns/event")
			})
		}
	}
}

func benchEvent(i int) event.Event {
	places := []event.Place{{Name: "Kyiv", Country: "Ukraine", Lat: 50.45, Lon: 30.52}, {Name: "Odesa", Country: "Ukraine", Lat: 46.48, Lon: 30.72}}
	ref := event.ArticleRef{ID: fmt.Sprint("a", i), Title: "Overnight attacks across Ukraine", Feed: "Reuters",
		Published: time.Date(2024, 7, 9, 0, 0, 0, 0, time.UTC)}
	return event.Event{
		ID: fmt.Sprint("e", i), Type: "military_strike", Title: "Russian missile strike on " + places[i%2].Name,
		Sentence: "Russian missiles and drones struck the city overnight, damaging a hospital and killing at least " +
			fmt.Sprint(i%20+2) + " people, the regional governor said on Telegram.",
		Date: "2024-07-08", Precision: event.Day, DateText: "July 8", Status: event.Occurred,
		Actors: []string{"Russia", "Ukraine"}, Places: places[i%2 : i%2+1], Article: ref, Confidence: 0.85, Mentions: 1,
	}
}
