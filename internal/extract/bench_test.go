package extract

import (
	"os"
	"regexp"
	"testing"
	"time"
)

// The extraction benchmarks read two real shapes of text: a typical 4.8 KB
// wire story (testdata/bench-article.txt) and a 14 KB hard-wrapped
// government letter from the real-text corpus, which also exercises the
// line joiner. Beside each, the same run measures a Go regexp that only
// finds dates in the same text: the ceiling of the usual way of doing a
// part of what the extractor does. Run on one core:
//
//	go test ./internal/extract -run '^$' -bench 'Extract|RegexpDates' -benchtime 2000x -cpu 1 -count 3

// wrappedBench is a real hard-wrapped article of the corpus.
const wrappedBench = "testdata/real/wrapped-us/020-war-powers-report-june-2024.txt"

// dateRegexp finds the date forms the extractor reads: month-day-year,
// day-month-year, months with years, numeric and ISO dates, weekdays,
// relative days and bare years.
var dateRegexp = regexp.MustCompile(`(?i)\b(?:` +
	`(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{1,2}(?:st|nd|rd|th)?(?:,?\s+\d{4})?` +
	`|\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?(?:\s+\d{4})?` +
	`|(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{4}` +
	`|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{2,4}` +
	`|(?:mon|tues|wednes|thurs|fri|satur|sun)day|yesterday|today|tomorrow|(?:last|next|this)\s+(?:week|month|year)` +
	`|(?:19|20)\d{2})\b`)

func wrappedDoc(tb testing.TB) Document {
	tb.Helper()
	b, err := os.ReadFile(wrappedBench)
	if err != nil {
		tb.Fatal(err)
	}
	return Document{ArticleID: "bench", Text: string(b), Published: time.Date(2024, 6, 7, 0, 0, 0, 0, time.UTC),
		Title: "Letter to the Speaker of the House of Representatives and President pro tempore of the Senate — War Powers Report"}
}

func benchExtract(b *testing.B, doc Document) {
	x := testExtractor(b)
	b.SetBytes(int64(len(doc.Text)))
	b.ReportAllocs()
	for b.Loop() {
		x.Extract(doc)
	}
}

// BenchmarkExtract extracts the events of the typical wire story.
func BenchmarkExtract(b *testing.B) { benchExtract(b, benchDoc(b)) }

// BenchmarkExtractWrapped extracts the events of the hard-wrapped letter.
func BenchmarkExtractWrapped(b *testing.B) { benchExtract(b, wrappedDoc(b)) }

func benchRegexp(b *testing.B, text string) {
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if len(dateRegexp.FindAllStringIndex(text, -1)) == 0 {
			b.Fatal("no dates found")
		}
	}
}

// BenchmarkRegexpDates only finds dates, with a Go regexp, in the same two
// texts: the ceiling the extractor is compared with.
func BenchmarkRegexpDates(b *testing.B) {
	b.Run("story", func(b *testing.B) { benchRegexp(b, benchDoc(b).Text) })
	b.Run("wrapped", func(b *testing.B) { benchRegexp(b, wrappedDoc(b).Text) })
}

// TestWrappedBenchArticleGivesEvents keeps the wrapped benchmark honest:
// its text is read as paragraphs and gives events.
func TestWrappedBenchArticleGivesEvents(t *testing.T) {
	evs := testExtractor(t).Extract(wrappedDoc(t))
	if len(evs) < 5 {
		t.Errorf("%d events from %s, want at least 5", len(evs), wrappedBench)
	}
}
