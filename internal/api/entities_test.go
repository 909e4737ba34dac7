package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/rules"
)

// TestEntitySuggestions checks GET /api/v1/entities: canonical actor and
// place names one of whose spellings starts with q, case-insensitively,
// names matched by their own spelling before those matched by an alias
// (q=kiev suggests Kyiv), capped by limit, from the built-in gazetteer
// or from Options.Gazetteer.
func TestEntitySuggestions(t *testing.T) {
	builtin := httptest.NewServer(api.New(api.Options{}))
	t.Cleanup(builtin.Close)
	custom := httptest.NewServer(api.New(api.Options{Gazetteer: &rules.Set{
		Countries:     []rules.Country{{Name: "Kyrgyzstan", Aliases: []string{"Kirghizia"}}},
		Organizations: []rules.Organization{{Name: "Kyiv City Council"}},
		Places:        []rules.Place{{Name: "Kyiv", Country: "Ukraine", Aliases: []string{"Kiev"}}},
	}}))
	t.Cleanup(custom.Close)
	tests := []struct {
		name, server, query string
		actors, places      []string // each must be suggested
		notActors           []string // and these must not be
		maxEach             int
	}{
		{"prefix, any case", builtin.URL, "q=KY", []string{"Kyrgyzstan"}, []string{"Kyiv", "Kyrgyzstan"}, []string{"Kyiv"}, 10},
		{"an alias gives the canonical name", builtin.URL, "q=kiev", nil, []string{"Kyiv"}, nil, 10},
		{"organisations are actors", builtin.URL, "q=united+nations", []string{"United Nations"}, nil, nil, 10},
		{"capped", builtin.URL, "q=s&limit=3", nil, nil, nil, 3},
		{"the rules in use", custom.URL, "q=ky", []string{"Kyiv City Council", "Kyrgyzstan"}, []string{"Kyiv", "Kyrgyzstan"}, nil, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.Get(tc.server + "/api/v1/entities?" + tc.query)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var got struct{ Actors, Places []string }
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != 200 {
				t.Fatalf("status %d, %v", resp.StatusCode, err)
			}
			if len(got.Actors) > tc.maxEach || len(got.Places) > tc.maxEach || got.Actors == nil || got.Places == nil {
				t.Errorf("got %d actors %v and %d places %v, want lists of at most %d", len(got.Actors), got.Actors, len(got.Places), got.Places, tc.maxEach)
			}
			for _, w := range tc.actors {
				if !slices.Contains(got.Actors, w) {
					t.Errorf("actors %v lack %q", got.Actors, w)
				}
			}
			for _, w := range tc.places {
				if !slices.Contains(got.Places, w) {
					t.Errorf("places %v lack %q", got.Places, w)
				}
			}
			for _, w := range tc.notActors {
				if slices.Contains(got.Actors, w) {
					t.Errorf("actors %v suggest %q", got.Actors, w)
				}
			}
		})
	}
	if resp, err := http.Get(custom.URL + "/api/v1/entities?q=ky"); err == nil {
		var got struct{ Places []string }
		_ = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		if want := []string{"Kyiv", "Kyrgyzstan"}; !slices.Equal(got.Places, want) {
			t.Errorf("places = %v, want %v (own names first, alphabetical)", got.Places, want)
		}
	}
	for _, q := range []string{"", "q=", "q=ky&limit=0", "q=ky&limit=lots"} {
		if code, body := get(t, builtin.URL+"/api/v1/entities?"+q); code != http.StatusBadRequest || body["param"] == nil {
			t.Errorf("GET ?%s = %d %v, want 400 naming the parameter", q, code, body)
		}
	}
}
