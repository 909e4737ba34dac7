package alert

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"
	"text/template"
	"time"
	"unicode/utf8"

	"github.com/dateline/dateline/internal/event"
)

// Kinds of message.
const (
	kindEvent     = "event"
	kindUpdate    = "update"
	kindDigest    = "digest"
	kindThreshold = "threshold"
	kindTest      = "test"
	// kindCorrection: see corrected.go.
)

// Message is what one alert says, before a platform formats it. Rule
// templates execute over it.
type Message struct {
	// Rule is the rule's name.
	Rule string
	// Kind is event, update, digest, threshold or test.
	Kind string
	// Heading is the first line ("Dateline alert: treaties").
	Heading string
	// Events are the events, each ready to print.
	Events []Item
	// URL links to the rule's search in Dateline, when a public URL is set.
	URL string
	// Text is the plain-text body: the rule's template output, or the
	// default rendering.
	Text string
	// Custom is true when Text comes from the rule's template.
	Custom bool
}

// Item is one event as messages show it.
type Item struct {
	// ID is the event id; Type its type in words ("arms transfer"); Title,
	// Sentence (the evidence) and Status are the event's, cut to length.
	ID, Type, Title, Sentence, Status string
	// Date is the date at its precision ("19 June 2024", "June 2024").
	Date string
	// Places joins the place names.
	Places string
	// Sources is the number of reports of the event: its distinct sources
	// when it merges several articles, else its mentions.
	Sources int
	// SourceURLs links the articles known to report a merged event, in
	// publication order, without repeats, up to maxSourceLinks; empty
	// for a one-article event.
	SourceURLs []string
	// MoreSources counts the articles beyond SourceURLs.
	MoreSources int
	// ArticleURL and ArticleTitle link the source article.
	ArticleURL, ArticleTitle string
	// URL links the event in Dateline ("" without a public URL).
	URL string
	// Correction says what an analyst's correction changed ("type:
	// protest → statement by ana"); empty for an uncorrected event.
	Correction string
	// Event is the whole event.
	Event event.Event
}

// defaultText renders a message when the rule has no template.
var defaultText = template.Must(parseTemplate(`{{.Heading}}
{{range .Events}}
• {{.Date}} · {{.Type}} · {{.Title}}
{{- if .Places}}
  Places: {{.Places}}{{end}}
{{- if .Sentence}}
  “{{.Sentence}}”{{end}}
  Sources: {{.Sources}}{{if and .ArticleURL (not .ArticleListed)}} · {{.ArticleURL}}{{end}}
{{- range .SourceURLs}}
  – {{.}}{{end}}
{{- if .MoreSources}}
  – and {{.MoreSources}} more{{end}}
{{- if .Correction}}
  Corrected: {{.Correction}}{{end}}
{{- if .URL}}
  {{.URL}}{{end}}
{{end}}`))

func parseTemplate(s string) (*template.Template, error) {
	if len(s) > maxTemplateLen {
		return nil, fmt.Errorf("longer than %d bytes", maxTemplateLen)
	}
	t, err := template.New("alert").Option("missingkey=error").Parse(s)
	if err != nil {
		return nil, err
	}
	// Execute once over a sample so a misspelt field fails at load.
	var buf bytes.Buffer
	if err := t.Execute(&buf, sampleMessage(nil)); err != nil {
		return nil, err
	}
	return t, nil
}

// sampleMessage is the message `dateline alerts test` sends, also used
// to validate templates.
func sampleMessage(r *compiled) Message {
	e := event.Event{
		ID: "sample0000000000000000", Type: "treaty_signing", Title: "Sample: two states sign a treaty",
		Sentence: "This is a test message from Dateline; the rule's destinations are reachable.",
		Date:     "2024-06-19", Precision: event.Day, Status: event.Occurred,
		Actors: []string{"Example A", "Example B"}, Places: []event.Place{{Name: "Geneva", Country: "Switzerland"}},
		Article:    event.ArticleRef{ID: "sample", URL: "https://example.org/sample", Title: "Sample article"},
		Confidence: 0.9, Mentions: 2,
	}
	name := "sample"
	if r != nil {
		name = r.Name
	}
	return Message{Rule: name, Kind: kindTest, Heading: "Test message from Dateline: " + name, Events: []Item{item(e, "")}}
}

// newMessage builds the message of a delivery.
func newMessage(r *compiled, kind string, events []event.Event, publicURL string) (Message, error) {
	m := Message{Rule: r.Name, Kind: kind}
	switch kind {
	case kindEvent:
		m.Heading = "Dateline alert: " + r.Name
	case kindUpdate:
		m.Heading = "Dateline alert (updated): " + r.Name
	case kindCorrection:
		m.Heading = "Dateline alert (corrected by an analyst): " + r.Name
	case kindDigest:
		m.Heading = fmt.Sprintf("Dateline digest: %s — %d %s", r.Name, len(events), plural(len(events), "event"))
	case kindThreshold:
		m.Heading = fmt.Sprintf("Dateline alert: %s — %d %s within %s", r.Name, len(events), plural(len(events), "event"), r.window)
	default:
		m = sampleMessage(r)
	}
	if kind != kindTest {
		for _, e := range events {
			m.Events = append(m.Events, item(e, publicURL))
		}
	}
	if publicURL != "" {
		m.URL = strings.TrimRight(publicURL, "/") + "/?" + searchValues(r).Encode()
	}
	return m, m.render(r)
}

// searchValues is the rule's search as the web page's address takes it:
// the query, and each of type, actor and place when it has one value.
func searchValues(r *compiled) url.Values {
	v := url.Values{"q": {r.Query}}
	for _, f := range []struct {
		key  string
		vals []string
	}{{"type", r.Types}, {"actor", r.Actors}, {"place", r.Places}} {
		if len(f.vals) == 1 {
			v.Set(f.key, f.vals[0])
		}
	}
	return v
}

// render fills Text from the rule's template or the default.
func (m *Message) render(r *compiled) error {
	t := defaultText
	if r != nil && r.tmpl != nil {
		t, m.Custom = r.tmpl, true
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, m); err != nil {
		return fmt.Errorf("render message of rule %q: %w", m.Rule, err)
	}
	m.Text = strings.TrimSpace(buf.String())
	return nil
}

// maxSourceLinks bounds the source links of one event in a message; the
// event's link in Dateline lists them all.
const maxSourceLinks = 10

func item(e event.Event, publicURL string) Item {
	it := Item{
		ID: e.ID, Type: strings.ReplaceAll(e.Type, "_", " "), Title: cut(e.Title, 500), Sentence: cut(e.Sentence, 1000),
		Status: string(e.Status), Date: formatDate(e), Sources: max(e.Mentions, 1),
		ArticleURL: e.Article.URL, ArticleTitle: e.Article.Title, Event: e, Correction: changes(e),
	}
	if e.SourceCount > 0 {
		it.Sources = e.SourceCount
	}
	seen := make(map[string]bool, len(e.Sources))
	for _, s := range e.Sources {
		if k := sourceKey(s.URL); k != "" && !seen[k] {
			seen[k] = true
			it.SourceURLs = append(it.SourceURLs, s.URL)
		}
	}
	if n := len(it.SourceURLs); n > maxSourceLinks {
		it.SourceURLs, it.MoreSources = it.SourceURLs[:maxSourceLinks], n-maxSourceLinks
	}
	names := make([]string, 0, len(e.Places))
	for _, p := range e.Places {
		names = append(names, p.Name)
	}
	it.Places = strings.Join(names, ", ")
	if publicURL != "" {
		it.URL = strings.TrimRight(publicURL, "/") + "/api/v1/events/" + url.PathEscape(e.ID)
	}
	return it
}

// ArticleListed reports whether SourceURLs (or its MoreSources) already
// link the article, so a message lists it once.
func (it Item) ArticleListed() bool {
	k := sourceKey(it.ArticleURL)
	if k == "" {
		return false
	}
	for _, s := range it.Event.Sources {
		if sourceKey(s.URL) == k {
			return true
		}
	}
	return false
}

// sourceKey is what makes two source links one source: the URL without
// its fragment or a trailing slash, with the scheme and host in lower
// case; "" for no URL.
func sourceKey(u string) string {
	u = strings.TrimSpace(u)
	if i := strings.IndexByte(u, '#'); i >= 0 {
		u = u[:i]
	}
	if pu, err := url.Parse(u); err == nil && pu.Host != "" {
		pu.Scheme, pu.Host = strings.ToLower(pu.Scheme), strings.ToLower(pu.Host)
		u = pu.String()
	}
	return strings.TrimRight(u, "/")
}

// formatDate writes an event's date at its precision, with its end for a span.
func formatDate(e event.Event) string {
	s := formatOne(e.Date)
	if e.DateEnd != "" {
		s += " – " + formatOne(e.DateEnd)
	}
	if e.Status == event.Planned {
		s += " (planned)"
	}
	return s
}

func formatOne(d string) string {
	t, _, p, ok := event.ParseDate(d)
	if !ok {
		return d
	}
	switch p {
	case event.Day:
		return t.Format("2 January 2006")
	case event.Month:
		return t.Format("January 2006")
	}
	return t.Format("2006")
}

func plural(n int, s string) string {
	if n == 1 {
		return s
	}
	return s + "s"
}

// cut shortens s to at most n characters (runes), ending with "…".
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	if n < 1 {
		return ""
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

// cutBytes shortens s to at most n bytes, at a character boundary,
// ending with "…".
func cutBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const more = "…"
	end := max(n-len(more), 0)
	for end > 0 && !utf8.RuneStart(s[end]) {
		end--
	}
	return s[:end] + more
}

// sourceLinks writes sep and link(url, i) for each source URL of it, as
// many as fit within budget characters, then sep and "+N more" for the
// sources left out. It keeps room for that last part.
func sourceLinks(it Item, sep string, budget int, link func(url string, i int) string) string {
	reserve := utf8.RuneCountInString(sep + "+1000 more")
	var b strings.Builder
	shown := 0
	for i, u := range it.SourceURLs {
		l := sep + link(u, i)
		if utf8.RuneCountInString(b.String())+utf8.RuneCountInString(l)+reserve > budget {
			break
		}
		b.WriteString(l)
		shown++
	}
	if rest := len(it.SourceURLs) - shown + it.MoreSources; rest > 0 {
		fmt.Fprintf(&b, "%s+%d more", sep, rest)
	}
	return b.String()
}

// cutText is m.Text within n characters; a cut text ends with a link to
// the rest in Dateline when there is one.
func cutText(m Message, n int) string {
	if utf8.RuneCountInString(m.Text) <= n {
		return m.Text
	}
	more := "\n…"
	if m.URL != "" {
		more += " more in Dateline: " + m.URL
	}
	return cut(m.Text, n-utf8.RuneCountInString(more)) + more
}

// clock returns time.Now when now is nil.
func clock(now func() time.Time) func() time.Time {
	if now == nil {
		return time.Now
	}
	return now
}
