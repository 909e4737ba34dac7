package extract

import (
	"fmt"
	"os"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/pipelines"
)

var benchPub = time.Date(2024, 4, 10, 9, 0, 0, 0, time.UTC)

func benchDoc(t testing.TB) Document {
	t.Helper()
	b, err := os.ReadFile("testdata/bench-article.txt")
	if err != nil {
		t.Fatal(err)
	}
	return Document{ArticleID: "bench", Text: string(b), Published: benchPub, URL: "https://example.org/a", Feed: "test",
		Title: "Armenia and Azerbaijan hold second day of peace talks in Geneva"}
}

func TestExtractFillsEvents(t *testing.T) {
	x := testExtractor(t)
	doc := benchDoc(t)
	evs := x.Extract(doc)
	if len(evs) == 0 {
		t.Fatal("no events from the benchmark article")
	}
	for _, ev := range evs {
		if ev.ID != event.ID(doc.ArticleID, ev.Type, ev.Date, ev.DateEnd, ev.Actors) {
			t.Errorf("%s: ID %q is not event.ID of its fields", ev.Title, ev.ID)
		}
		if _, _, p, ok := event.ParseDate(ev.Date); !ok || p != ev.Precision {
			t.Errorf("%s: date %q does not parse at precision %q", ev.Title, ev.Date, ev.Precision)
		}
		if ev.DateEnd != "" {
			if _, _, _, ok := event.ParseDate(ev.DateEnd); !ok || ev.DateEnd < ev.Date {
				t.Errorf("%s: date_end %q invalid or before date %q", ev.Title, ev.DateEnd, ev.Date)
			}
		}
		if ev.Confidence <= 0 || ev.Confidence > 1 {
			t.Errorf("%s: confidence %v outside (0,1]", ev.Title, ev.Confidence)
		}
		if ev.Type == "" || ev.CAMEO == "" || ev.Title == "" || ev.Sentence == "" || ev.DateText == "" || ev.Mentions < 1 {
			t.Errorf("event with an empty field: %+v", ev)
		}
		switch ev.Status {
		case event.Occurred, event.Planned, event.Denied:
		default:
			t.Errorf("%s: status %q", ev.Title, ev.Status)
		}
		if ev.Article.ID != doc.ArticleID || ev.Article.URL != doc.URL || !ev.Article.Published.Equal(doc.Published) {
			t.Errorf("%s: article ref %+v", ev.Title, ev.Article)
		}
		if ev.Actors == nil || ev.Places == nil {
			t.Errorf("%s: nil actors or places (JSON must carry [])", ev.Title)
		}
		for _, p := range ev.Places {
			if p.Lat == 0 && p.Lon == 0 && gazetteerPlace(x, p.Name) {
				t.Errorf("%s: gazetteer place %q at 0,0", ev.Title, p.Name)
			}
		}
		if strings.Contains(ev.Date, "2024-04-10") && ev.DateText == "April 10, 2024" {
			t.Errorf("%s: dated by a retrieval date", ev.Title)
		}
	}
}

func TestExtractDeterministicAndConcurrent(t *testing.T) {
	x := testExtractor(t)
	doc := benchDoc(t)
	want := x.Extract(doc)
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				if got := x.Extract(doc); !reflect.DeepEqual(got, want) {
					errs <- fmt.Sprintf("run %d differs: %d events, want %d", i, len(got), len(want))
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestExtractStatusAndDrops(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2024, 10, 29, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, text string
		typ        string
		status     event.Status
		date       string
		none       bool
	}{
		{name: "occurred", text: "Russia and North Korea signed a treaty on June 19, 2024.", typ: "treaty_signing", status: event.Occurred, date: "2024-06-19"},
		{name: "planned", text: "Russia and North Korea plan to sign a treaty on November 19, 2024.", typ: "treaty_signing", status: event.Planned, date: "2024-11-19"},
		{name: "denied", text: "Russia denied launching a missile strike on the hospital in Kharkiv on Monday.", typ: "military_strike", status: event.Denied, date: "2024-10-28"},
		{name: "did not", text: "North Korea did not sign the agreement on June 19, 2024.", typ: "treaty_signing", status: event.Denied, date: "2024-06-19"},
		{name: "hypothetical", text: "Iran could strike Israel in 2025.", none: true},
		{name: "no date", text: "Russia and North Korea signed a treaty.", none: true},
		{name: "statistic year", text: "North Korea's 2015 GDP was $40 billion, and it sold arms.", none: true},
		{name: "projection", text: "Russia plans to deploy troops to the border by 2030.", none: true},
		{name: "anniversary", text: "On Monday, officials marked the anniversary of the missile strike on Kharkiv.", none: true},
		{name: "hunger strike", text: "Prisoners began a hunger strike on Monday.", typ: "protest", status: event.Occurred, date: "2024-10-28"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			evs := x.Extract(Document{ArticleID: "t", Text: tc.text, Published: pub})
			if tc.none {
				if len(evs) != 0 {
					t.Fatalf("Extract(%q) = %d events (%s %s), want none", tc.text, len(evs), evs[0].Type, evs[0].Date)
				}
				return
			}
			for _, ev := range evs {
				if ev.Type == tc.typ {
					if ev.Status != tc.status || ev.Date != tc.date {
						t.Errorf("%s: status %q date %q, want %q %q", tc.typ, ev.Status, ev.Date, tc.status, tc.date)
					}
					return
				}
			}
			t.Errorf("Extract(%q): no %s event in %d events", tc.text, tc.typ, len(evs))
		})
	}
}

func TestExtractMergesMentions(t *testing.T) {
	x := testExtractor(t)
	text := "Russia and North Korea signed a treaty on June 19, 2024. Analysts said the treaty Russia and North Korea signed on June 19, 2024 changes the region."
	evs := x.Extract(Document{ArticleID: "m", Text: text, Published: time.Date(2024, 10, 29, 0, 0, 0, 0, time.UTC)})
	n := 0
	for _, ev := range evs {
		if ev.Type == "treaty_signing" {
			n++
			if ev.Mentions != 2 {
				t.Errorf("mentions = %d, want 2", ev.Mentions)
			}
		}
	}
	if n != 1 {
		t.Errorf("treaty events = %d, want 1", n)
	}
}

// pathologicalBudget bounds the time of one pathological input. Work is
// linear, so a megabyte takes tens of milliseconds; the bound leaves room
// for a loaded machine.
const pathologicalBudget = 2 * time.Second

// pathologicalFactor bounds a pathological input's time as a multiple of a
// plain text of the same size read just before it: quadratic work on a
// megabyte costs thousands of times more, a busy machine only slows both.
const pathologicalFactor = 25

// allocPerByte bounds the bytes one Extract call may allocate per byte of
// text it reads. Work is linear, about 100 bytes per byte of text on the
// shapes below; quadratic behaviour would cost thousands.
const allocPerByte = 256

// TestPathological runs inputs of pathological shape through Extract and
// requires each to finish well within a generous bound of time and of
// memory allocated.
func TestPathological(t *testing.T) {
	x := testExtractor(t)
	pub := time.Date(2024, 10, 29, 0, 0, 0, 0, time.UTC)
	line := strings.Repeat("Russia struck Kharkiv with missiles on June 19, 2024 and ", 1<<20/56)
	dates := strings.Repeat("June 19, 2024 ", 10000)
	junk := make([]byte, 1<<20)
	for i := range junk {
		junk[i] = byte(i*7919 + i>>3)
	}
	html := strings.Repeat("<div><span class=\"x\">", 20000) + "Russia struck Kyiv on Monday." + strings.Repeat("</span></div>", 20000)
	var names strings.Builder // thousands of people, each named again by surname
	for i := 0; names.Len() < 1<<20-200; i++ {
		a, b := pseudoName(i), pseudoName(i+7919)
		fmt.Fprintf(&names, "Foreign Minister %s %s met envoy Carl %s on Monday, and %s said the talks went well. ", a, b, pseudoName(i+104729), b)
	}
	tests := map[string]string{
		"1MB single line":   line,
		"10000 dates":       dates,
		"binary junk":       string(junk),
		"nested html":       html,
		"only punctuation":  strings.Repeat(".,;:()[]-–—", 100000),
		"long numbers":      strings.Repeat("1234567890", 100000),
		"over the size cap": strings.Repeat("Russia struck Kharkiv with missiles on Monday.\n", (MaxText+MaxText/2)/47),
		"many names":        names.String(),
	}
	plain := strings.Repeat("Russia struck Kharkiv with missiles on Monday, the governor said.\n", MaxText/66)
	x.Extract(Document{ArticleID: "warm", Text: line, Published: pub}) // fill the scratch pool
	for name, text := range tests {
		t.Run(name, func(t *testing.T) {
			// The budget scales with what a plain text of the cap's size
			// takes now, so a loaded machine slows both alike.
			ref := time.Now()
			x.Extract(Document{ArticleID: "ref", Text: plain, Published: pub})
			budget := max(pathologicalBudget*raceSlowdown, pathologicalFactor*time.Since(ref))
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			evs := x.Extract(Document{ArticleID: "p", Text: text, Published: pub})
			if d := time.Since(start); d > budget {
				t.Errorf("took %v for %d bytes, want under %v", d, len(text), budget)
			}
			runtime.ReadMemStats(&after)
			if got, budget := after.TotalAlloc-before.TotalAlloc, uint64(allocPerByte*min(len(text), MaxText)); got > budget {
				t.Errorf("allocated %d MB for %d bytes, want under %d MB", got>>20, len(text), budget>>20)
			}
			_ = evs
		})
	}
}

func FuzzExtract(f *testing.F) {
	x, err := Default()
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		"",
		"June 19, 2024",
		"On June 20, North Korean state media published the treaty's text.",
		"KYIV, March 5 (Wire) - Russia struck Kyiv on Tuesday, killing four.",
		"from September 2023 to September 2024 since September last year",
		"[1] Shin. (article, June 19, 2024) last accessed October 28, 2024",
		"19/06/2024 06/19/2024 2024-06-19 Q3 2024 mid-2024 the third quarter of",
		"a day after two days later the next day that evening hours later",
		strings.Repeat("June ", 100),
		"\xff\xfe\x00June 19\x00, 2024",
		"<div><p>Russia struck Kyiv on Monday</p></div>",
		"Jun. 19–20, 2024 — 14-15 November 2024 — 2014–18",
	} {
		f.Add(s)
	}
	pub := time.Date(2024, 10, 29, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text string) {
		for _, ev := range x.Extract(Document{ArticleID: "f", Text: text, Published: pub}) {
			if _, _, _, ok := event.ParseDate(ev.Date); !ok {
				t.Fatalf("invalid date %q from %q", ev.Date, text)
			}
			if ev.Confidence < 0 || ev.Confidence > 1 {
				t.Fatalf("confidence %v", ev.Confidence)
			}
		}
	})
}

// TestRuleExamples runs the examples of every event type in the built-in
// rules, as "dateline rules test" does.
func TestRuleExamples(t *testing.T) {
	rs, err := rules.Load(pipelines.FS)
	if err != nil {
		t.Fatal(err)
	}
	x := testExtractor(t)
	n := 0
	for _, r := range x.CheckExamples(rs) {
		n++
		for _, f := range r.Failures {
			t.Errorf("%s example %d (%s:%d) %q: %s", r.Type, r.Index+1, r.Source.File, r.Source.Line, r.Text, f)
		}
	}
	if n < 2*len(rs.Types) {
		t.Errorf("%d examples for %d types, want at least two a type", n, len(rs.Types))
	}
}

// pseudoName returns a capitalised made-up name of eight letters for i.
func pseudoName(i int) string {
	b := make([]byte, 8)
	for k := range b {
		i = i*1103515245 + 12345
		b[k] = 'a' + byte(uint(i>>16)%26)
	}
	b[0] -= 'a' - 'A'
	return string(b)
}
