package export

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/biter777/countries"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/rules"
)

// CSVColumns is the header row of CSV, in order. The names follow ACLED's
// export where a column means the same thing; dateline_type, event_id,
// status, date_end, cameo, source_url, source_count and confidence are
// Dateline's own.
var CSVColumns = []string{
	"event_id_cnty", "event_date", "year", "time_precision", "event_type",
	"sub_event_type", "dateline_type", "cameo", "status", "actor1",
	"assoc_actor_1", "actor2", "iso", "country", "location", "latitude",
	"longitude", "source", "source_url", "source_count", "notes",
	"date_end", "confidence", "timestamp", "event_id",
}

// TimePrecision is ACLED's time_precision code for a precision: 1 for a
// day, 2 for a week or month, 3 for a year or unknown.
func TimePrecision(p event.Precision) int {
	switch p {
	case event.Day:
		return 1
	case event.Month:
		return 2
	}
	return 3
}

// CSV writes events as CSV (RFC 4180) with the header CSVColumns and one
// row per event. event_date is the first day the event's date covers
// (YYYY-MM-DD) and time_precision says how much of it is known; actor1 and
// actor2 are the first two actors and assoc_actor_1 the rest ("; "
// separated); location and coordinates are the first place's; notes is the
// evidence sentence. iso is the first place's country as ACLED writes it,
// the ISO 3166-1 numeric code (Ukraine 804, Afghanistan 4), and
// event_id_cnty prefixes the event id with the alpha-3 code. event_type and
// sub_event_type are the ACLED mapping of the event's type in types (its
// acled facts in pipelines/), refined by the words of the evidence sentence
// (acled.sub_events: a protest met with tear gas is "Protest with
// intervention"); a type without one, or not in types, has its own id in
// both. Text cells that a
// spreadsheet would read as a formula (starting with =, +, -, @) are
// prefixed with a single quote.
func CSV(w io.Writer, types rules.Catalog, events []event.Event) error {
	acled := make(map[string]acledMapper, len(types))
	for _, t := range types {
		if t.ACLED.EventType != "" {
			acled[t.ID] = t.ACLED.Mapper()
		}
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(CSVColumns); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	for _, e := range events {
		if err := cw.Write(csvRow(e, acled)); err != nil {
			return fmt.Errorf("csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("csv: %w", err)
	}
	return nil
}

// acledMapper gives the ACLED event and sub-event type of an evidence
// sentence (rules.ACLED.Mapper).
type acledMapper = func(sentence string) (eventType, subEventType string)

// csvRow is the row of e; acled maps type ids to their ACLED types.
func csvRow(e event.Event, acled map[string]acledMapper) []string {
	start, _, p, ok := event.ParseDate(e.Date)
	date, year := "", ""
	if ok {
		date, year = start.Format("2006-01-02"), strconv.Itoa(start.Year())
	} else {
		p = e.Precision
	}
	typ, sub := e.Type, e.Type
	if m, ok := acled[e.Type]; ok {
		typ, sub = m(e.Sentence)
	}
	var actor1, actor2, assoc string
	if len(e.Actors) > 0 {
		actor1 = e.Actors[0]
	}
	if len(e.Actors) > 1 {
		actor2 = e.Actors[1]
		assoc = strings.Join(e.Actors[2:], "; ")
	}
	var place event.Place
	if len(e.Places) > 0 {
		place = e.Places[0]
	}
	lat, lon := "", ""
	if place.Lat != 0 || place.Lon != 0 {
		lat, lon = coord(place.Lat), coord(place.Lon)
	}
	srcs := Sources(e)
	var feeds, links []string
	for _, s := range srcs {
		if s.Feed != "" {
			feeds = append(feeds, s.Feed)
		}
		if u := SafeURL(s.URL); u != "" {
			links = append(links, u)
		}
	}
	timestamp := ""
	if t := lastPublished(srcs); !t.IsZero() {
		timestamp = strconv.FormatInt(t.Unix(), 10)
	}
	return []string{
		cell(iso3(place.Country) + e.ID), date, year, strconv.Itoa(TimePrecision(p)), cell(typ),
		cell(sub), cell(e.Type), cell(e.CAMEO), cell(string(e.Status)), cell(actor1),
		cell(assoc), cell(actor2), isoNumeric(place.Country), cell(place.Country), cell(place.Name), lat,
		lon, cell(strings.Join(feeds, "; ")), cell(strings.Join(links, " ")), strconv.Itoa(len(srcs)), cell(e.Sentence),
		cell(e.DateEnd), strconv.FormatFloat(e.Confidence, 'f', -1, 64), timestamp, cell(e.ID),
	}
}

// cell cleans feed-derived text for a CSV cell and defuses spreadsheet
// formulas (OWASP "CSV injection").
func cell(s string) string {
	s = cleanText(s)
	if s != "" && strings.ContainsRune("=+-@\t", rune(s[0])) {
		return "'" + s
	}
	return s
}

func coord(f float64) string { return strconv.FormatFloat(f, 'f', 5, 64) }

// countryNames are the gazetteer's country names that
// github.com/biter777/countries does not know by name.
var countryNames = map[string]countries.CountryCode{
	"republic of the congo": countries.COG,
}

// country is the country of a gazetteer country name (or an ISO code),
// countries.Unknown when unknown.
func country(name string) countries.CountryCode {
	if name == "" {
		return countries.Unknown
	}
	c := countries.ByName(name)
	if c == countries.Unknown {
		c = countryNames[strings.ToLower(strings.TrimSpace(name))]
	}
	return c
}

// iso3 is the ISO 3166-1 alpha-3 code of a country name, "" when unknown;
// it prefixes event_id_cnty as ACLED's three-letter prefixes do.
func iso3(name string) string {
	if c := country(name); c != countries.Unknown {
		return c.Alpha3()
	}
	return ""
}

// isoNumeric is ACLED's iso column for a country name: the ISO 3166-1
// numeric code without leading zeros (Afghanistan 4, Ukraine 804); 0 for
// Kosovo, which has no ISO code (ACLED writes 0 for it); "" when unknown.
func isoNumeric(name string) string {
	c := country(name)
	switch {
	case c == countries.Unknown:
		return ""
	case c == countries.XK:
		return "0"
	}
	return strconv.Itoa(int(c))
}
