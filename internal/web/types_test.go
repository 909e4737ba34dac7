package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/extract"
	"github.com/dateline/dateline/internal/index"
	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/internal/web"
	"github.com/dateline/dateline/pipelines"
)

// arrests is a type the built-in rules lack, as an analyst adds it.
const arrests = `event_types:
  - id: arrest
    label: Arrest
    cameo: "173"
    acled: {event_type: Strategic developments, sub_event_type: Arrests}
    anchor: place
    color: "#44aa99"
    title: "Arrest[ in {places}]"
    triggers:
      - phrases: [arrest~, detain~]
`

// TestAddedTypeEverywhere copies the built-in rules to a directory, adds
// a type with its facts there, reads an article with an extractor of
// those rules into an index and an API given their types, and checks
// that the type is listed by GET /api/v1/types, that its event exports
// its ACLED columns in the CSV, and that the page shows it with its label
// and colour, in the list, the facets and the timeline, as it shows a
// built-in type with the colour of the built-in rules.
func TestAddedTypeEverywhere(t *testing.T) {
	b := newBrowser(t, 1280, 900)
	dir := t.TempDir()
	if err := os.CopyFS(dir, pipelines.FS); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "local.yaml"), []byte(arrests), 0o644); err != nil {
		t.Fatal(err)
	}
	rs, err := rules.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	types := rs.Catalog()
	ex, err := extract.New(rs)
	if err != nil {
		t.Fatal(err)
	}
	ix, err := index.Open(filepath.Join(t.TempDir(), "index"), index.Options{Types: types})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	art := event.ArticleRef{ID: "k1", Title: "Kaduna", Feed: "Kaduna News", URL: "https://news.example/kaduna/1",
		Published: time.Date(2024, 3, 8, 8, 0, 0, 0, time.UTC)}
	evs := ex.Extract(extract.Document{ArticleID: art.ID, Title: art.Title, URL: art.URL, Feed: art.Feed, Published: art.Published,
		Text: "Police arrested 20 students in Kaduna on March 7, 2024.\n\nA Russian missile strike hit Kharkiv on January 2, 2024."})
	var kinds []string
	for _, e := range evs {
		kinds = append(kinds, e.Type)
	}
	if len(evs) != 2 || evs[0].Type != "arrest" || evs[1].Type != "military_strike" {
		t.Fatalf("extracted %v, want arrest and military_strike", kinds)
	}
	if err := ix.Apply(context.Background(), []event.Set{{Article: art, Events: evs}}, 1); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	page := web.Handler()
	mux.Handle("GET /{$}", page)
	mux.Handle("GET /static/", page)
	mux.Handle("/", api.New(api.Options{Searcher: ix, Extractor: ex, Stream: api.NewBroker(), Types: types}))
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		srv.CloseClientConnections()
		srv.Close()
	})

	t.Run("GET /api/v1/types lists it last, with its facts", func(t *testing.T) {
		var got struct{ Types rules.Catalog }
		resp, err := http.Get(srv.URL + "/api/v1/types")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
			t.Fatal(err)
		}
		n := len(got.Types)
		if n != len(rs.Types) || got.Types[n-1] != (rules.TypeFacts{ID: "arrest", Label: "Arrest", CAMEO: "173",
			ACLED:  rules.ACLED{EventType: "Strategic developments", SubEventType: "Arrests"},
			Anchor: rules.AnchorPlace, Color: "#44aa99"}) {
			t.Errorf("types: %+v", got.Types)
		}
	})

	t.Run("the CSV gives its ACLED types", func(t *testing.T) {
		resp, err := http.Get(srv.URL + "/api/v1/events.csv?type=arrest")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		recs, err := csv.NewReader(resp.Body).ReadAll()
		if err != nil || len(recs) != 2 {
			t.Fatalf("%d records, err %v", len(recs), err)
		}
		row := map[string]string{}
		for i, col := range recs[0] {
			row[col] = recs[1][i]
		}
		if row["event_type"] != "Strategic developments" || row["sub_event_type"] != "Arrests" ||
			row["dateline_type"] != "arrest" || row["cameo"] != "173" {
			t.Errorf("row %v", row)
		}
	})

	b.do(chromedp.Navigate(srv.URL + "/"))
	b.waitFor("both events listed", listed+` === 2`)
	// colorOf is the colour an element of the page is drawn in, as
	// "rgb(r, g, b)".
	colorOf := func(sel, prop string) string {
		return eval[string](b, fmt.Sprintf(`getComputedStyle(document.querySelector(%s)).%s`, jsString(sel), prop))
	}
	tests := []struct {
		name, sel, prop, want string
	}{
		{"list label", "li.event .type.ty-arrest", "textContent", "Arrest"},
		{"list colour", "li.event .type.ty-arrest", "color", "rgb(68, 170, 153)"},
		{"facet swatch", ".facet.ty-arrest .swatch .mark", "fill", "rgb(68, 170, 153)"},
		{"timeline mark", ".tl-event.ty-arrest .mark", "fill", "rgb(68, 170, 153)"},
		{"legend", ".legend-item.ty-arrest .mark", "fill", "rgb(68, 170, 153)"},
		{"built-in type keeps the rules' colour", "li.event .type.ty-military_strike", "color", "rgb(204, 51, 17)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if count(b, tc.sel) == 0 {
				t.Fatalf("no %s in the page", tc.sel)
			}
			if tc.prop == "textContent" {
				if got := eval[string](b, fmt.Sprintf(`document.querySelector(%s).textContent`, jsString(tc.sel))); got != tc.want {
					t.Errorf("label %q, want %q", got, tc.want)
				}
				return
			}
			if got := colorOf(tc.sel, tc.prop); got != tc.want {
				t.Errorf("%s of %s = %q, want %q", tc.prop, tc.sel, got, tc.want)
			}
		})
	}
	if got := eval[string](b, `document.querySelector('.facet.ty-arrest').textContent`); got != "Arrest1" {
		t.Errorf("facet text %q, want the label and the count", got)
	}
	b.checkClean()
}
