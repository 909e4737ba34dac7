package index

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"
	bindex "github.com/blevesearch/bleve_index_api"

	"github.com/dateline/dateline/internal/event"
)

// mappingVersion names the layout of the fields below. Open refuses an
// index written with another version (ErrCorrupt), so changing the mapping
// means bumping this and rebuilding from the stream.
const mappingVersion = "dateline-index-4"

// The fields of an indexed event. Documents are built by hand (see
// newDocument) rather than by walking the Event with the mapping: only the
// fields below exist, each with exactly the options it needs.
const (
	// fText is the one full-text field: title, sentence, article title,
	// actor and place names, English analyzer, with positions for phrases.
	fText = "text"
	// Keyword fields (exact, case-sensitive terms).
	fType    = "type"
	fActor   = "actor"
	fPlace   = "place"
	fFeed    = "feed"
	fStatus  = "status"
	fArticle = "article"
	// fYears, fMonths and fDays hold the calendar elements the event's
	// span touches, for overlap filters (see dates.go).
	fYears  = "ty"
	fMonths = "tm"
	fDays   = "td"
	// fDay is the span's first day, "2024-06-19", for sorting by date: a
	// keyword sort is several times cheaper than a datetime sort.
	fDay = "day"
	// fTimeline is "<day>|<type>", faceted by Timeline.
	fTimeline = "tl"
	// fGeo is the first place with coordinates, for near.
	fGeo = "geo"
	// fEvent holds the whole event JSON, stored and not indexed.
	fEvent = "event"
)

// fieldAliases maps names a user may write in the query string
// ("title:treaty", "actors:Russia") to the indexed fields.
var fieldAliases = map[string]string{
	"":              fText,
	"title":         fText,
	"sentence":      fText,
	"article_title": fText,
	"article.title": fText,
	"actors":        fActor,
	"places":        fPlace,
	"places.name":   fPlace,
	"article.feed":  fFeed,
	"types":         fType,
}

const (
	kwOpts   = bindex.IndexField | bindex.SkipFreqNorm
	kwDVOpts = kwOpts | bindex.DocValues
)

// newMapping returns the index mapping. It must agree with newDocument: it
// is what queries use to pick analyzers and field types.
func newMapping() *mapping.IndexMappingImpl {
	im := bleve.NewIndexMapping()
	im.DefaultAnalyzer = keyword.Name
	im.DefaultField = fText
	im.IndexDynamic = false
	im.StoreDynamic = false
	im.DocValuesDynamic = false

	dm := bleve.NewDocumentStaticMapping()
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())

	text := bleve.NewTextFieldMapping()
	text.Analyzer = en.AnalyzerName
	text.Store = false
	text.IncludeInAll = false
	text.IncludeTermVectors = true
	text.DocValues = false
	dm.AddFieldMappingsAt(fText, text)

	for _, f := range []struct {
		name      string
		docValues bool
	}{
		{fType, true}, {fActor, true}, {fPlace, true}, {fFeed, true},
		{fStatus, false}, {fArticle, false}, {fDay, true}, {fTimeline, true},
		{fYears, false}, {fMonths, false}, {fDays, false},
	} {
		m := bleve.NewKeywordFieldMapping()
		m.Store = false
		m.IncludeInAll = false
		m.IncludeTermVectors = false
		m.DocValues = f.docValues
		m.SkipFreqNorm = true
		dm.AddFieldMappingsAt(f.name, m)
	}
	geo := bleve.NewGeoPointFieldMapping()
	geo.Store = false
	geo.IncludeInAll = false
	dm.AddFieldMappingsAt(fGeo, geo)

	stored := bleve.NewTextFieldMapping()
	stored.Index = false
	stored.Store = true
	stored.IncludeInAll = false
	stored.DocValues = false
	dm.AddFieldMappingsAt(fEvent, stored)

	im.DefaultMapping = dm
	return im
}

// analyzers are the analyzers newDocument and the highlighter use, looked
// up once from the mapping.
type analyzers struct {
	text    analysis.Analyzer
	keyword analysis.Analyzer
}

func newAnalyzers(im mapping.IndexMapping) (analyzers, error) {
	a := analyzers{text: im.AnalyzerNamed(en.AnalyzerName), keyword: im.AnalyzerNamed(keyword.Name)}
	if a.text == nil || a.keyword == nil {
		return a, fmt.Errorf("look up analyzers %q and %q: not registered", en.AnalyzerName, keyword.Name)
	}
	return a, nil
}

// undatedDay is the sort key of an event whose date does not parse: such
// events sort before every dated one and match no date range.
const undatedDay = "0000-00-00"

// newDocument builds the Bleve document of one event.
func newDocument(a analyzers, e event.Event) (*document.Document, error) {
	raw, err := json.Marshal(e)
	if err != nil {
		return nil, fmt.Errorf("encode event %s: %w", e.ID, err)
	}
	d := document.NewDocument(e.ID)
	kw := func(name, v string, opts bindex.FieldIndexingOptions) {
		if v != "" {
			d.AddField(document.NewTextFieldCustom(name, nil, []byte(v), opts, a.keyword))
		}
	}

	for _, actor := range e.Actors {
		kw(fActor, actor, kwDVOpts)
	}
	geoDone := false
	for _, p := range e.Places {
		kw(fPlace, p.Name, kwDVOpts)
		if !geoDone && (p.Lat != 0 || p.Lon != 0) && validLatLon(p.Lat, p.Lon) {
			d.AddField(document.NewGeoPointFieldWithIndexingOptions(fGeo, nil, p.Lon, p.Lat,
				bindex.IndexField|bindex.DocValues))
			geoDone = true
		}
	}
	d.AddField(document.NewTextFieldCustom(fText, nil, fullText(e),
		bindex.IndexField|bindex.IncludeTermVectors, a.text))

	kw(fType, e.Type, kwDVOpts)
	kw(fFeed, e.Article.Feed, kwDVOpts)
	kw(fStatus, string(e.Status), kwOpts)
	kw(fArticle, e.Article.ID, kwOpts)

	day := undatedDay
	if start, end, ok := e.Span(); ok {
		day = start.Format(time.DateOnly)
		years, months, days := touched(start, end)
		for _, f := range []struct {
			name  string
			terms []string
		}{{fYears, years}, {fMonths, months}, {fDays, days}} {
			for _, t := range f.terms {
				kw(f.name, t, kwOpts)
			}
		}
	}
	kw(fDay, day, kwDVOpts)
	kw(fTimeline, day+"|"+e.Type, kwDVOpts)

	d.AddField(document.NewTextFieldCustom(fEvent, nil, raw, bindex.StoreField, nil))
	return d, nil
}

// fullText is what the full-text field holds: title, sentence, article
// title, actors, and places with their countries, one per line.
func fullText(e event.Event) []byte {
	var b strings.Builder
	line := func(parts ...string) {
		for i, p := range parts {
			if p == "" {
				continue
			}
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(p)
		}
		b.WriteString("\n")
	}
	line(e.Title)
	line(e.Sentence)
	line(e.Article.Title)
	for _, a := range e.Actors {
		line(a)
	}
	for _, p := range e.Places {
		if p.Country == p.Name {
			line(p.Name)
		} else {
			line(p.Name, p.Country)
		}
	}
	return []byte(b.String())
}

func validLatLon(lat, lon float64) bool {
	return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
}
