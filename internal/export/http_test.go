package export

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
)

// newServer serves Endpoints over a real index in a temporary directory
// holding the fixture and n generated events.
func newServer(t *testing.T, n int) *httptest.Server {
	t.Helper()
	ix, err := index.Open(t.TempDir()+"/index", index.Options{})
	if err != nil {
		t.Fatalf("index.Open: %v", err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	var sets []event.Set
	for _, e := range fixture() {
		e.Article.ID = "art-" + e.ID
		sets = append(sets, event.Set{Article: e.Article, Events: []event.Event{e}})
	}
	for i := range n {
		day := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i)
		e := event.Event{
			ID: fmt.Sprintf("g%04d", i), Type: "meeting", Title: fmt.Sprintf("Generated meeting %d", i),
			Sentence: "Officials met.", Date: day.Format(time.DateOnly), Precision: event.Day, Status: event.Occurred,
			Actors: []string{"Generated"}, Article: event.ArticleRef{ID: fmt.Sprintf("gen-%d", i), Feed: "Gen", Published: day},
		}
		sets = append(sets, event.Set{Article: e.Article, Events: []event.Event{e}})
	}
	if err := ix.Apply(context.Background(), sets, 1); err != nil {
		t.Fatalf("Apply: %v", err)
	}
	x := New(ix, Options{Now: func() time.Time { return time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) }})
	srv := httptest.NewServer(x.Handler())
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read %s: %v", url, err)
	}
	return resp, string(body)
}

func TestEndpoints(t *testing.T) {
	srv := newServer(t, 450)
	tests := []struct {
		name, path, ctype string
		count             func(t *testing.T, body string) int
		want              int
	}{
		{"atom defaults to 50 entries", "/feed.atom", "application/atom+xml", atomEntries, DefaultAtomEvents},
		{"atom of a search", "/feed.atom?q=treaty", "application/atom+xml", atomEntries, 1},
		{"csv pages past 200", "/api/v1/events.csv?limit=430", "text/csv", csvRows, 430},
		{"csv of everything", "/api/v1/events.csv", "text/csv", csvRows, 454},
		{"csv filtered", "/api/v1/events.csv?type=protest,military_strike", "text/csv", csvRows, 2},
		{"geojson keeps located events", "/api/v1/events.geojson?actor=Russia", "application/geo+json", geoFeatures, 2},
		{"ics", "/api/v1/events.ics?from=2023&to=2024", "text/calendar", icsEvents, 4},
		{"timelinejs", "/api/v1/timelinejs?q=korea", "application/json", tjsSlides, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, srv.URL+tt.path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, tt.ctype) {
				t.Errorf("Content-Type: got %q, want %s", ct, tt.ctype)
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") {
				t.Errorf("Content-Security-Policy: got %q", csp)
			}
			if got := tt.count(t, body); got != tt.want {
				t.Errorf("items: got %d, want %d", got, tt.want)
			}
		})
	}
}

func TestEndpointsAtomLinks(t *testing.T) {
	srv := newServer(t, 0)
	_, body := get(t, srv.URL+"/feed.atom?type=treaty_signing&q=treaty&cursor=x&limit=5")
	var f parsedFeed
	if err := xml.Unmarshal([]byte(body), &f); err != nil {
		t.Fatalf("parse: %v", err)
	}
	want := map[string]string{
		"self":      srv.URL + "/feed.atom?q=treaty&type=treaty_signing",
		"alternate": srv.URL + "/?q=treaty&type=treaty_signing",
	}
	for _, l := range f.Links {
		if want[l.Rel] != l.Href {
			t.Errorf("link rel=%s: got %q, want %q", l.Rel, l.Href, want[l.Rel])
		}
	}
	if got := f.IDs[0]; got != "tag:dateline,2024:search?q=treaty&type=treaty_signing" {
		t.Errorf("feed id: got %q", got)
	}
	if got := f.Titles[0].Body; got != `Dateline: "treaty" · type treaty_signing` {
		t.Errorf("feed title: got %q", got)
	}
}

func TestEndpointsBadParameters(t *testing.T) {
	srv := newServer(t, 0)
	tests := []struct {
		name, path, param string
	}{
		{"limit not a number", "/api/v1/events.csv?limit=lots", "limit"},
		{"limit zero", "/feed.atom?limit=0", "limit"},
		{"bad from", "/api/v1/events.ics?from=yesterday", "from"},
		{"bad sort", "/api/v1/timelinejs?sort=random", "sort"},
		{"regexp refused by the index", "/api/v1/events.geojson?q=/.*/", "q"},
		{"leading wildcard", "/feed.atom?q=*a*", "q"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, srv.URL+tt.path)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status: got %d, want 400 (%s)", resp.StatusCode, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type: got %q, want the API's application/json; charset=utf-8", ct)
			}
			var e struct{ Error, Param string }
			if err := json.Unmarshal([]byte(body), &e); err != nil || e.Param != tt.param || !strings.HasPrefix(e.Error, tt.param+": ") {
				t.Errorf("body %s: want param %q, named at the start of the error as the API does", body, tt.param)
			}
		})
	}
}

func atomEntries(t *testing.T, body string) int {
	var f parsedFeed
	if err := xml.Unmarshal([]byte(body), &f); err != nil {
		t.Fatalf("atom: %v", err)
	}
	checkAtomRules(t, f)
	return len(f.Entries)
}

func csvRows(t *testing.T, body string) int {
	recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatalf("csv: %v", err)
	}
	return len(recs) - 1
}

func geoFeatures(t *testing.T, body string) int {
	var fc FeatureCollection
	if err := json.Unmarshal([]byte(body), &fc); err != nil {
		t.Fatalf("geojson: %v", err)
	}
	return len(fc.Features)
}

func icsEvents(t *testing.T, body string) int { return len(parseICS(t, body)) }

func tjsSlides(t *testing.T, body string) int {
	var tl Timeline
	if err := json.Unmarshal([]byte(body), &tl); err != nil {
		t.Fatalf("timelinejs: %v", err)
	}
	return len(tl.Events)
}
