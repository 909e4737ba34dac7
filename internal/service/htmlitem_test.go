package service_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/extract"
	"github.com/dateline/dateline/internal/wait"
)

// stateItems are published State Department feed items of the extractor's
// real-text corpus, kept as the feed's <content:encoded> HTML.
var stateItems = []string{
	"004-state-quad-tabletop-exercise-tokyo",
	"015-state-joint-statement-us-greece-strategic-dialogue",
	"026-state-msmt-joint-statement-dprk-overseas-labour",
	"006-state-visa-restrictions-prince-group-scams",
}

// renderText is a reader's view of an HTML fragment, written without the
// poller's code: the text of each block element as a paragraph.
func renderText(t *testing.T, fragment string) string {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(fragment), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		t.Fatal(err)
	}
	var paras []string
	var cur strings.Builder
	flush := func() {
		if p := strings.Join(strings.Fields(cur.String()), " "); p != "" {
			paras = append(paras, p)
		}
		cur.Reset()
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			cur.WriteString(n.Data)
		case n.Type == html.ElementNode && (n.Data == "script" || n.Data == "style"):
			return
		case n.Type == html.ElementNode && n.Data == "br":
			flush()
		}
		block := n.Type == html.ElementNode && slices.Contains([]string{"p", "div", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr", "table", "section"}, n.Data)
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			flush()
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	flush()
	return strings.Join(paras, "\n\n")
}

// eventKey is what must agree between the two readings of one article.
func eventKey(ev event.Event) string {
	var places []string
	for _, p := range ev.Places {
		places = append(places, p.Name)
	}
	return fmt.Sprintf("%s %s..%s %s actors=%v places=%v", ev.Type, ev.Date, ev.DateEnd, ev.Status, ev.Actors, places)
}

func keys(evs []event.Event) []string {
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = eventKey(ev)
	}
	slices.Sort(out)
	return out
}

// TestHTMLItemReadsAsItsText serves published State Department items as
// an RSS feed whose items carry their HTML, runs them through the whole
// service (poller, ARTICLES, extractor, EVENTS, index), and checks that
// each article gives, in search, the same events as "dateline extract"
// reads from the article's text.
func TestHTMLItemReadsAsItsText(t *testing.T) {
	t.Parallel()
	ex, err := extract.Default()
	if err != nil {
		t.Fatal(err)
	}
	var items strings.Builder
	want := map[string][]string{}
	for i, name := range stateItems {
		base := filepath.Join("..", "extract", "testdata", "real", "state-html", name)
		body, err := os.ReadFile(base + ".html")
		if err != nil {
			t.Fatal(err)
		}
		gold, err := os.ReadFile(base + ".json")
		if err != nil {
			t.Fatal(err)
		}
		var g struct{ Published string }
		if err := json.Unmarshal(gold, &g); err != nil {
			t.Fatal(err)
		}
		pub, err := time.Parse(time.RFC3339, g.Published)
		if err != nil {
			t.Fatal(err)
		}
		link := fmt.Sprintf("https://www.state.gov/releases/%d", i)
		evs := ex.Extract(extract.Document{ArticleID: name, Text: renderText(t, string(body)), Published: pub, URL: link})
		if len(evs) == 0 {
			t.Fatalf("%s: no events in its text", name)
		}
		want[link] = keys(evs)
		fmt.Fprintf(&items, "<item><title>%s</title><link>%s</link><guid>%s</guid><pubDate>%s</pubDate><description><![CDATA[%s]]></description></item>\n",
			name, link, link, pub.Format(time.RFC1123Z), body)
	}
	feed := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>State</title><link>https://www.state.gov/</link><description>releases</description>\n" +
		items.String() + "</channel></rss>"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, feed)
	}))
	defer srv.Close()
	cfg := testConfig(t, t.TempDir(), srv)
	cfg.Feeds = []config.Feed{{URL: srv.URL + "/rss", Name: "State"}}
	svc := start(t, cfg)
	defer stop(t, svc)
	wait.For(t, 60*time.Second, func() error {
		got := map[string][]event.Event{}
		for _, ev := range search(t, svc, "").Events {
			got[ev.Article.URL] = append(got[ev.Article.URL], ev)
		}
		for link, w := range want {
			if g := keys(got[link]); !slices.Equal(g, w) {
				return fmt.Errorf("%s through the poller:\n  %s\nits text through the extractor:\n  %s", link, strings.Join(g, "\n  "), strings.Join(w, "\n  "))
			}
		}
		return nil
	})
}
