package api_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/pipelines"
)

// TestTypes checks GET /api/v1/types: the types' facts in the rules'
// order, the built-in rules' without Options.Types, and exactly the
// given ones with it.
func TestTypes(t *testing.T) {
	builtin, err := pipelines.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	custom := rules.Catalog{{ID: "abduction", Label: "Kidnapping", CAMEO: "181", Anchor: rules.AnchorPlace, Color: "#44aa99",
		ACLED: rules.ACLED{EventType: "Violence against civilians", SubEventType: "Abduction/forced disappearance"}}}
	tests := []struct {
		name  string
		types rules.Catalog
		want  rules.Catalog
	}{
		{"built-in", nil, builtin},
		{"given", custom, custom},
		{"none", rules.Catalog{}, rules.Catalog{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(api.New(api.Options{Types: tc.types}))
			t.Cleanup(srv.Close)
			resp, err := http.Get(srv.URL + "/api/v1/types")
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json; charset=utf-8" {
				t.Fatalf("status %d, Content-Type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
			}
			var got struct {
				Types *rules.Catalog `json:"types"`
			}
			if err := json.NewDecoder(resp.Body).Decode(&got); err != nil {
				t.Fatal(err)
			}
			if got.Types == nil {
				t.Fatal(`no "types" list`)
			}
			if len(*got.Types) != len(tc.want) {
				t.Fatalf("got %d types, want %d", len(*got.Types), len(tc.want))
			}
			for i, w := range tc.want {
				if (*got.Types)[i] != w {
					t.Errorf("types[%d] = %+v, want %+v", i, (*got.Types)[i], w)
				}
			}
		})
	}
}
