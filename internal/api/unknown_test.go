package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/index"
	"github.com/dateline/dateline/internal/rules"
)

// TestUnknownTypeRefused: a type no rule in use defines answers 400
// naming the parameter and the known types, on every endpoint that reads
// a search (search, timeline, exports, Atom, the live stream, saving a
// search), instead of an empty result. The known types are those of
// Options.Types: a type of the rules in use is accepted even when the
// built-in rules lack it.
func TestUnknownTypeRefused(t *testing.T) {
	custom := rules.Catalog{{ID: "abduction", Label: "Kidnapping", CAMEO: "181"}}
	endpoints := []string{"/api/v1/events", "/api/v1/timeline", "/api/v1/events.csv", "/api/v1/events.geojson",
		"/api/v1/events.ics", "/api/v1/timelinejs", "/feed.atom", "/api/v1/stream"}
	tests := []struct {
		name  string
		types rules.Catalog
		query string
		want  string // in the error; empty: accepted
	}{
		{"built-in rules, plural", nil, "type=protests", "did you mean protest?"},
		{"built-in rules, among good ones", nil, "type=protest,riot", `"riot" is not a known event type`},
		{"built-in rules, a known type", nil, "type=protest", ""},
		{"rules in use, their type", custom, "type=abduction", ""},
		{"rules in use, a built-in type they lack", custom, "type=protest", "the types are abduction"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ix, err := index.Open(t.TempDir(), index.Options{Types: tc.types})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ix.Close() })
			srv := httptest.NewServer(api.New(api.Options{Searcher: ix, Stream: api.NewBroker(), Types: tc.types}))
			t.Cleanup(srv.Close)
			for _, ep := range endpoints {
				resp, err := http.Get(srv.URL + ep + "?" + tc.query)
				if err != nil {
					t.Fatal(err)
				}
				if tc.want == "" {
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						t.Errorf("GET %s?%s = %d, want 200", ep, tc.query, resp.StatusCode)
					}
					continue
				}
				var body struct{ Error, Param string }
				err = json.NewDecoder(resp.Body).Decode(&body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusBadRequest || err != nil || body.Param != "type" || !strings.Contains(body.Error, tc.want) {
					t.Errorf("GET %s?%s = %d %+v (%v), want 400 naming type and saying %q", ep, tc.query, resp.StatusCode, body, err, tc.want)
				}
			}
		})
	}
}
