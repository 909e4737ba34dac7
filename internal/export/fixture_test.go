package export

import (
	"time"

	"github.com/dateline/dateline/internal/event"
)

// xssTitle is the stored-XSS probe every format must carry as text.
const xssTitle = `<img src=x onerror=alert(1)>`

var published = time.Date(2024, 10, 29, 8, 30, 0, 0, time.UTC)

// fixture returns events covering every precision, a span, several and no
// places, and hostile text and links.
func fixture() []event.Event {
	return []event.Event{
		{
			ID: "e01", Type: "treaty_signing", CAMEO: "057",
			Title:    "North Korea and Russia sign a strategic partnership treaty",
			Sentence: "The two countries signed a comprehensive strategic partnership treaty on June 19, 2024.",
			Date:     "2024-06-19", Precision: event.Day, DateText: "June 19, 2024", Status: event.Occurred,
			Actors: []string{"North Korea", "Russia"},
			Places: []event.Place{{Name: "Pyongyang", Country: "North Korea", Lat: 39.0392, Lon: 125.7625}},
			Article: event.ArticleRef{ID: "a1", URL: "https://example.org/news/nk-russia?x=1&y=2", Title: "Putin visits Pyongyang",
				Feed: "Example World", Published: published},
			Confidence: 0.9, Mentions: 2,
		},
		{
			ID: "e02", Type: "arms_transfer", Title: "North Korea ships artillery shells to Russia",
			Sentence: "Since September 2023, North Korea has shipped millions of shells; officials said so.",
			Date:     "2023-09", DateEnd: "2024-09", Precision: event.Month, DateText: "since September 2023", Status: event.Occurred,
			Actors:  []string{"North Korea", "Russia", "Wagner Group"},
			Article: event.ArticleRef{ID: "a1", URL: "https://example.org/news/nk-russia?x=1&y=2", Title: "Putin visits Pyongyang", Feed: "Example World", Published: published},
		},
		{
			ID: "e03", Type: "protest", Title: xssTitle,
			Sentence: `He said "<script>alert('x')</script>" & left; a, b \ c` + "\nnext line",
			Date:     "2023", Precision: event.Year, DateText: "in 2023", Status: event.Planned,
			Actors: []string{"=cmd|' /C calc'!A0", "@SUM(1+1)"},
			Places: []event.Place{{Name: "Tbilisi", Country: "Georgia", Lat: 41.7151, Lon: 44.8271}, {Name: "Batumi", Country: "Georgia", Lat: 41.64, Lon: 41.63}},
			Article: event.ArticleRef{ID: "a2", URL: "javascript:alert(1)", Title: `"><svg/onload=alert(1)>`,
				Feed: "<b>Feed</b>", Published: published.Add(time.Hour)},
		},
		{
			ID: "e04", Type: "military_strike", Title: "Strike on Kharkiv — Übersicht über die Lage in der ostukrainischen Stadt, sehr lang",
			Sentence: "A missile struck a hypermarket in Kharkiv on 25 May 2024, killing at least 19 people, officials said.",
			Date:     "2024-05-25", Precision: event.Day, DateText: "25 May 2024", Status: event.Denied,
			Actors: []string{"Russia"}, Places: []event.Place{{Name: "Kharkiv", Country: "Ukraine", Lat: 49.99, Lon: 36.23}},
			Article: event.ArticleRef{ID: "a3", URL: "data:text/html,<script>alert(1)</script>", Title: "Kharkiv", Feed: "Kyiv Post"},
		},
	}
}
