package service_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/extract"
	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/internal/service"
	"github.com/dateline/dateline/internal/wait"
	"github.com/dateline/dateline/pipelines"
)

// abductionType is an event type the built-in rules do not have, with
// every fact a type can give.
const abductionType = `event_types:
  - id: abduction
    label: Kidnapping
    cameo: "181"
    acled: {event_type: Violence against civilians, sub_event_type: Abduction/forced disappearance}
    anchor: place
    color: "#44aa99"
    title: "Abduction[ in {places}]"
    triggers:
      - phrases: [kidnap~, abduct~]
`

const abductionFeed = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Kaduna News</title><link>https://news.example/kaduna</link>
<description>test</description>
<item><title>Students kidnapped in Kaduna</title><link>https://news.example/kaduna/1</link>
<pubDate>Fri, 08 Mar 2024 08:00:00 GMT</pubDate>
<description>Gunmen kidnapped 20 students in Kaduna on March 7, 2024.</description></item>
</channel></rss>`

// TestServiceServesTypesOfItsPipelines points a service at a copy of the
// built-in rules with one type added, as an analyst would, and checks
// that the type and its facts reach GET /api/v1/types and that an event
// of it read from a feed exports its ACLED columns in the CSV.
func TestServiceServesTypesOfItsPipelines(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := os.CopyFS(dir, pipelines.FS); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "local.yaml"), []byte(abductionType), 0o644); err != nil {
		t.Fatal(err)
	}
	feeds := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, abductionFeed)
	}))
	t.Cleanup(feeds.Close)
	cfg := testConfig(t, t.TempDir(), feeds)
	cfg.Feeds = []config.Feed{{URL: feeds.URL + "/kaduna.rss", Name: "Kaduna News"}}
	cfg.Pipelines = dir
	rs, err := rules.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	ex, err := extract.New(rs)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := service.Start(context.Background(), cfg, ex, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatalf("start: %v", err)
	}
	t.Cleanup(func() { stop(t, svc) })
	base := "http://" + svc.Addr().String()

	var got struct{ Types rules.Catalog }
	getJSON(t, base+"/api/v1/types", &got)
	want := rules.TypeFacts{ID: "abduction", Label: "Kidnapping", CAMEO: "181",
		ACLED:  rules.ACLED{EventType: "Violence against civilians", SubEventType: "Abduction/forced disappearance"},
		Anchor: rules.AnchorPlace, Color: "#44aa99"}
	if n := len(got.Types); n != len(rs.Types) || got.Types[n-1] != want || got.Types[0].ID != "treaty_signing" {
		t.Fatalf("GET /api/v1/types = %+v, want the %d types of the rules in order, the last %+v", got.Types, len(rs.Types), want)
	}

	wait.For(t, 30*time.Second, func() error {
		if r := search(t, svc, "type=abduction"); r.Total != 1 {
			return fmt.Errorf("%d abduction events indexed, want 1", r.Total)
		}
		return nil
	})
	resp, err := http.Get(base + "/api/v1/events.csv?type=abduction")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	recs, err := csv.NewReader(resp.Body).ReadAll()
	if err != nil || len(recs) != 2 {
		t.Fatalf("CSV: %d records, err %v", len(recs), err)
	}
	row := map[string]string{}
	for i, col := range recs[0] {
		row[col] = recs[1][i]
	}
	for col, want := range map[string]string{"event_type": "Violence against civilians",
		"sub_event_type": "Abduction/forced disappearance", "dateline_type": "abduction", "cameo": "181",
		"event_date": "2024-03-07", "location": "Kaduna"} {
		if row[col] != want {
			t.Errorf("CSV %s = %q, want %q", col, row[col], want)
		}
	}
}

func getJSON(t *testing.T, url string, v any) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", url, resp.StatusCode)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
}
