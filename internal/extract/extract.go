// Package extract reads dated events out of news text. It is pure: text in,
// events out, no I/O. An Extractor is built once from a rules.Set (the
// compiled trigger phrases, gazetteers and language words) and is then safe
// for concurrent use; Extract is deterministic.
//
// The work on one document is a handful of linear passes: a tokenizer, one
// token-trie pass that finds every gazetteer name, trigger phrase and cue, a
// hand-written date scanner (no regular expressions), sentence and clause
// segmentation, and the binding of each trigger to the dates, actors and
// places of its clause. Input is bounded (MaxText), run-on sentences are cut
// (maxSentenceTokens) and every look-around is bounded, so time and memory
// stay linear on pathological text.
//
// Beyond plain "X did Y on DATE" sentences the reader knows the shapes news
// takes:
//   - wire datelines ("KYIV, March 4 (Agency) -", "WASHINGTON (AP) —",
//     "Wednesday, December 4, 2024 —") are metadata: a sentence of their own
//     whose date is the filing date, never an event's, and whose city is
//     lent to the lead's events that name no finer place (dateline.go);
//     live-blog day headings anchor the relative dates below them, and a
//     timeline line's leading date or a time-stamped live-blog entry's day
//     dates the entry's sentences that name none (entry.go);
//   - relative and partial dates: "overnight", "this morning", "last
//     night", "on the 14th", "earlier this week" (up to publication), "the
//     two-day summit ended on Monday" (a span), numeric dates ordered as the
//     document orders its unambiguous ones (dateorder.go, duration.go);
//   - what a date does not date: the day an anniversary is marked, a
//     deadline ("by", "no later than"), a bound ("until"), a possessive date
//     of another noun ("last month's earthquake"), the date of another verb
//     ("switched in 2019 and signed in 2022"), dates beyond "came two days
//     after" or "followed", past dates of other clauses for the present
//     perfect, financial years;
//   - nouns as events: a noun modified by a date ("Friday's signing", "the
//     2012 agreement"), anaphora that continue a story ("the trucks", "the
//     measures"), reference points that are not events of their clause ("a
//     week after the invasion"), reports of an event ("said on Saturday it
//     had shot down ...") that are that event.
//
// Speed (BenchmarkExtract on testdata/bench-article.txt and
// BenchmarkExtractWrapped on a hard-wrapped letter, beside a regexp date
// finder in the same run) is in BENCHMARKS.md, the one place its figures
// are kept.
//
// Quality is measured by TestDevSet on testdata/devset and the seed fixture;
// set DEVSET_VERBOSE=1 to list every miss and extra, and EXTRACT_DEBUG=FILE
// (with EXTRACT_PUB=RFC3339) to dump what the reader sees in one article.
// The mechanisms have table tests of their own in mechanisms_test.go.
package extract

import (
	"fmt"
	"sync"
	"time"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/pipelines"
)

// Document is one article to read.
type Document struct {
	// ArticleID is the stable article id; it seeds every Event.ID.
	ArticleID string
	// Title, URL and Feed are copied into Event.Article.
	Title, URL, Feed string
	// Text is the article body as plain text.
	Text string
	// Published anchors relative and partial dates. When zero, relative
	// dates ("yesterday") are not resolved and partial ones ("June 20")
	// take their year only from the text.
	Published time.Time
	// Locale orders ambiguous numeric dates: "en-US" is month first,
	// "en-GB" (and other non-US English locales) day first. Empty means
	// unknown: month first, with lower confidence.
	Locale string
}

// Extractor finds dated events in documents. It is immutable after New and
// safe for concurrent use.
type Extractor struct {
	trie  *trie
	words map[string]wordInfo
	// vocab maps every word the rules know to an id; info[id] is what
	// the date scanner knows about it.
	vocab    map[string]int32
	info     []wordInfo
	punctIDs [128]int32 // vocabulary ids of ASCII punctuation
	short    shortWords // vocabulary ids of words of up to three bytes
	table    vocabTable // vocabulary ids of longer words
	seasons  []season
	// participles are the suffixes of present participles ("ing").
	participles []string
	// countries holds the canonical country names; countryPlaces their
	// centroids as places.
	countries     map[string]bool
	countryPlaces map[string]event.Place
	entities      []entity
	types         []etype
	triggers      []trig
	// phraseSets is the number of phrase sets (near, object, negative).
	phraseSets int

	// scratch pools per-document buffers between calls.
	scratch sync.Pool
}

// New compiles a rule set into an Extractor. The rule set must hold at least
// one language file; it is not retained.
func New(rs *rules.Set) (*Extractor, error) {
	if rs == nil {
		return nil, fmt.Errorf("new extractor: nil rule set")
	}
	x := &Extractor{trie: newTrie(), words: map[string]wordInfo{}}
	c := &compiler{x: x}
	if err := c.compile(rs); err != nil {
		return nil, fmt.Errorf("new extractor: %w", err)
	}
	x.vocab = make(map[string]int32, len(x.words))
	for w := range x.words {
		x.vocab[w] = int32(len(x.vocab) + 1)
	}
	x.trie.freeze(x.vocab)
	x.short.build(x.vocab)
	x.table.build(x.vocab)
	for c := range x.punctIDs {
		x.punctIDs[c] = x.vocab[string(rune(c))]
	}
	x.info = make([]wordInfo, len(x.vocab)+1)
	for w, id := range x.vocab {
		x.info[id] = x.words[w]
	}
	x.scratch.New = func() any { return new(reader) }
	return x, nil
}

// Default returns an Extractor built from the rules embedded in the binary
// (pipelines.FS).
func Default() (*Extractor, error) {
	rs, err := rules.Load(pipelines.FS)
	if err != nil {
		return nil, fmt.Errorf("load embedded pipelines: %w", err)
	}
	return New(rs)
}

// Types returns the ids of the event types the Extractor knows, in rule
// order.
func (x *Extractor) Types() []string {
	out := make([]string, len(x.types))
	for i, t := range x.types {
		out[i] = t.id
	}
	return out
}

// Extract returns the dated events of doc, in order of first mention. An
// event whose date cannot be found in its sentence is dropped, never given
// the publication date. The result is never nil.
func (x *Extractor) Extract(doc Document) []event.Event {
	d := x.scratch.Get().(*reader)
	defer func() {
		d.reset()
		x.scratch.Put(d)
	}()
	d.init(x, doc)
	d.analyse()
	return d.events()
}
