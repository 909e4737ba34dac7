package index

import (
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
const mappingVersion = "dateline-index-9"

// The fields of an indexed event: one document per cluster (see
// cluster.go), holding the merged event. Documents are built by hand (see
// newDocument) rather than by walking the Event with the mapping: only the
// fields below exist, each with exactly the options it needs.
const (
	// fText is the one full-text field: title, every member's sentence
	// and article title, actor and place names, English analyzer, with
	// positions for phrases.
	fText = "text"
	// Keyword fields (exact, case-sensitive terms). fFeed and fArticle
	// hold every member's feed and article id; fMember every member's
	// event id (for Get by member id).
	fType    = "type"
	fActor   = "actor"
	fPlace   = "place"
	fFeed    = "feed"
	fStatus  = "status"
	fArticle = "article"
	fMember  = "member"
	// fSources is the number of independent sources (SourceCount, at
	// least 1), numeric, for min_sources.
	fSources = "source_count"
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
	// fEvent holds the whole merged event JSON, stored and not indexed.
	fEvent = "event"
	// fMembers holds the JSON array of the member events, sorted (see
	// sortMembers), stored and not indexed: Apply recomputes the merged
	// event from it when a member comes or goes.
	fMembers = "members"
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
		{fStatus, false}, {fArticle, false}, {fMember, false}, {fDay, true}, {fTimeline, true},
		{fYears, false}, {fMonths, false}, {fDays, false}, {fActorKey, false}, {fPlaceKey, false}, {fHidden, false},
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

	num := bleve.NewNumericFieldMapping()
	num.Store = false
	num.IncludeInAll = false
	num.DocValues = false
	dm.AddFieldMappingsAt(fSources, num)

	for _, f := range []string{fEvent, fMembers} {
		stored := bleve.NewTextFieldMapping()
		stored.Index = false
		stored.Store = true
		stored.IncludeInAll = false
		stored.DocValues = false
		dm.AddFieldMappingsAt(f, stored)
	}

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

// newDocument builds the Bleve document of a cluster: e is its merged
// event and rawEvent its JSON, members its sorted members and rawMembers
// their JSON.
func newDocument(a analyzers, e event.Event, rawEvent []byte, members []event.Event, rawMembers []byte) *document.Document {
	d := searchDocument(a, e.ID, e, members)
	d.AddField(document.NewTextFieldCustom(fEvent, nil, rawEvent, bindex.StoreField, nil))
	d.AddField(document.NewTextFieldCustom(fMembers, nil, rawMembers, bindex.StoreField, nil))
	return d
}

// searchDocument builds the indexed fields of the document of merged
// event e with its sorted members, under id: everything a query reads,
// nothing stored. The index (newDocument) and Probe both build documents
// here, so a Probe answers a query as the index does.
func searchDocument(a analyzers, id string, e event.Event, members []event.Event) *document.Document {
	d := document.NewDocument(id)
	kw := func(name, v string, opts bindex.FieldIndexingOptions) {
		if v != "" {
			d.AddField(document.NewTextFieldCustom(name, nil, []byte(v), opts, a.keyword))
		}
	}

	// Canonical names for facets, lower-case keys for filters (entities.go).
	names := builtinEntities()
	for _, actor := range e.Actors {
		kw(fActor, names.actor(actor), kwDVOpts)
		for _, k := range names.actorKeys(actor) {
			kw(fActorKey, k, kwOpts)
		}
	}
	for _, p := range e.Places {
		kw(fPlace, names.place(p.Name), kwDVOpts)
		for _, k := range names.placeKeys(p.Name, p.Country) {
			kw(fPlaceKey, k, kwOpts)
		}
	}
	if p, ok := located(e); ok {
		d.AddField(document.NewGeoPointFieldWithIndexingOptions(fGeo, nil, p.Lon, p.Lat,
			bindex.IndexField|bindex.DocValues))
	}
	d.AddField(document.NewTextFieldCustom(fText, nil, fullText(e, members),
		bindex.IndexField|bindex.IncludeTermVectors, a.text))

	kw(fType, e.Type, kwDVOpts)
	kw(fStatus, string(e.Status), kwOpts)
	if e.Hidden {
		kw(fHidden, "1", kwOpts)
	}
	feeds, articles := map[string]bool{}, map[string]bool{}
	for _, m := range members {
		if !feeds[m.Article.Feed] {
			feeds[m.Article.Feed] = true
			kw(fFeed, m.Article.Feed, kwDVOpts)
		}
		if !articles[m.Article.ID] {
			articles[m.Article.ID] = true
			kw(fArticle, m.Article.ID, kwOpts)
		}
		kw(fMember, m.ID, kwOpts)
	}
	d.AddField(document.NewNumericFieldWithIndexingOptions(fSources, nil,
		float64(max(e.SourceCount, 1)), bindex.IndexField))

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
	return d
}

// fullText is what the full-text field holds, one item per line: the
// title, every distinct member title, sentence and article title, the
// actors, and the places with their countries.
func fullText(e event.Event, members []event.Event) []byte {
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
	seen := map[string]bool{}
	once := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			line(s)
		}
	}
	once(e.Title)
	once(e.Sentence)
	once(e.Article.Title)
	for _, m := range members {
		once(m.Title)
		once(m.Sentence)
		once(m.Article.Title)
	}
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

// located returns the place that locates e for near: the first with
// coordinates (0,0 counts as none).
func located(e event.Event) (event.Place, bool) {
	for _, p := range e.Places {
		if (p.Lat != 0 || p.Lon != 0) && validLatLon(p.Lat, p.Lon) {
			return p, true
		}
	}
	return event.Place{}, false
}

func validLatLon(lat, lon float64) bool {
	return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
}
