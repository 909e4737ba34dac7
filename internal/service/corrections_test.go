package service_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/corrections"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
	"github.com/dateline/dateline/internal/service"
	"github.com/dateline/dateline/internal/wait"
)

// sseMsg is one message of a live stream.
type sseMsg struct{ kind, data string }

// follow reads the live stream at u into the returned channel until the
// test ends.
func follow(t *testing.T, u string) <-chan sseMsg {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, "GET", u, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", u, err)
	}
	out := make(chan sseMsg, 64)
	go func() {
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		var m sseMsg
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "event: "):
				m.kind = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				m.data = strings.TrimPrefix(line, "data: ")
			case line == "" && m.kind != "":
				select {
				case out <- m:
				case <-ctx.Done():
					return
				}
				m = sseMsg{}
			}
		}
	}()
	return out
}

// expect waits for a message of kind whose data holds has, failing on
// an "event" message about the event never (a hidden one) sent once it
// was hidden: one carrying its correction, or any after the stream said
// it was removed. The event's own first report may still arrive late,
// from before the correction (the stream was opened while the indexer's
// last notifications were on their way).
func expect(t *testing.T, ch <-chan sseMsg, kind, has, never string) {
	t.Helper()
	deadline := time.After(20 * time.Second)
	removed := false
	for {
		select {
		case m := <-ch:
			about := strings.Contains(m.data, `"id":"`+never+`"`)
			if m.kind == "removed" && about {
				removed = true
			}
			if m.kind == "event" && about && (removed || strings.Contains(m.data, `"corrected"`) || strings.Contains(m.data, `"hidden":true`)) {
				t.Errorf("the stream sent the hidden event %s: %.300s", never, m.data)
			}
			if m.kind == kind && strings.Contains(m.data, has) {
				return
			}
		case <-deadline:
			t.Fatalf("no %q message with %s on the stream", kind, has)
		}
	}
}

// fetchJSON GETs u and decodes the answer into v; it returns the status.
func fetchJSON(u string, v any) (int, error) {
	resp, err := http.Get(u)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	if v == nil {
		_, err = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode, err
	}
	return resp.StatusCode, json.NewDecoder(resp.Body).Decode(v)
}

// listed returns the ids the search query finds at base.
func listed(base, query string) (map[string]bool, error) {
	var r struct {
		Events []event.Event `json:"events"`
	}
	code, err := fetchJSON(base+"/api/v1/events?limit=200&"+query, &r)
	if err != nil || code != http.StatusOK {
		return nil, fmt.Errorf("search %s: %d %v", query, code, err)
	}
	ids := map[string]bool{}
	for _, e := range r.Events {
		ids[e.ID] = true
	}
	return ids, nil
}

// correctionsCase is what TestCorrectionsEndToEnd corrects and expects.
type correctionsCase struct {
	hidden, retyped, redated string // merged event ids
}

// check returns why the api at base does not show c's corrections yet.
func (c correctionsCase) check(base string) error {
	for _, q := range []struct {
		query    string
		has, not []string
	}{
		{"", []string{c.retyped, c.redated}, []string{c.hidden}},
		{"type=protest", []string{c.retyped}, []string{c.hidden, c.redated}},
		{"type=statement", []string{c.redated}, []string{c.retyped, c.hidden}},
		{"from=2011-02-03&to=2011-02-03", []string{c.redated}, nil},
		{"q=" + url.QueryEscape(`"Minister 3 speaks"`), nil, []string{c.hidden}},
	} {
		ids, err := listed(base, q.query)
		if err != nil {
			return err
		}
		for _, id := range q.has {
			if !ids[id] {
				return fmt.Errorf("search %q does not find %s", q.query, id)
			}
		}
		for _, id := range q.not {
			if ids[id] {
				return fmt.Errorf("search %q finds %s", q.query, id)
			}
		}
	}
	var facets struct {
		Facets map[string]map[string]int `json:"facets"`
	}
	if _, err := fetchJSON(base+"/api/v1/events?limit=1", &facets); err != nil {
		return err
	}
	if n := facets.Facets["type"]["protest"]; n != 1 {
		return fmt.Errorf("type facet counts %d protests, want the 1 corrected", n)
	}
	var e event.Event
	if code, err := fetchJSON(base+"/api/v1/events/"+c.hidden, &e); err != nil || code != http.StatusOK || !e.Hidden {
		return fmt.Errorf("GET the hidden event: %d, hidden %v, %v; want it answered, marked hidden", code, e.Hidden, err)
	}
	resp, err := http.Get(base + "/api/v1/events.csv")
	if err != nil {
		return err
	}
	csv, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || strings.Contains(string(csv), c.hidden) || !strings.Contains(string(csv), c.retyped) {
		return fmt.Errorf("the CSV export lists the hidden event or not the others (%v)", err)
	}
	return nil
}

// TestCorrectionsEndToEnd: corrections made through the API apply to
// search, filters, facets, GET by id, the CSV export and the live stream
// (a hidden event removed, a retyped one updated); they survive a
// restart and a reindex; and corrections made or withdrawn while the
// replica is down are applied when it starts.
func TestCorrectionsEndToEnd(t *testing.T) {
	t.Parallel()
	cfg, b := reindexService(t)
	svc := start(t, cfg)
	base := "http://" + svc.Addr().String()
	const n = 12
	publishSets(t, b, 0, n)
	waitTotal(t, base, n)
	idOf := func(i int) string {
		t.Helper()
		var r struct {
			Events []event.Event `json:"events"`
		}
		if _, err := fetchJSON(base+"/api/v1/events?actor="+url.QueryEscape(fmt.Sprintf("Actor %d", i)), &r); err != nil || len(r.Events) != 1 {
			t.Fatalf("event of actor %d: %v, %v", i, r.Events, err)
		}
		return r.Events[0].ID
	}
	c := correctionsCase{hidden: idOf(3), retyped: idOf(4), redated: idOf(5)}
	all := follow(t, base+"/api/v1/stream")
	statements := follow(t, base+"/api/v1/stream?type=statement")

	for _, p := range []struct{ id, body string }{
		{c.hidden, `{"hidden":true,"note":"not a statement","by":"ana"}`},
		{c.retyped, `{"type":"protest","by":"ana"}`},
		{c.redated, `{"date":"2011-02-03","by":"ana"}`},
	} {
		if code, body := do(t, "PUT", base+"/api/v1/events/"+p.id+"/correction", "tok", p.body); code != http.StatusOK {
			t.Fatalf("PUT correction %s: %d %s", p.body, code, body)
		}
	}
	wait.For(t, 20*time.Second, func() error { return c.check(base) })
	expect(t, all, "removed", c.hidden, c.hidden)
	expect(t, all, "event", `"type":"protest"`, c.hidden)
	expect(t, statements, "removed", c.retyped, c.hidden)

	stop(t, svc)
	svc = start(t, cfg)
	base = "http://" + svc.Addr().String()
	waitTotal(t, base, n-1)
	if err := c.check(base); err != nil {
		t.Errorf("after a restart: %v", err)
	}

	if st, code := adminReindex(t, http.MethodPost, base); code != http.StatusAccepted {
		t.Fatalf("POST reindex: %d %+v", code, st)
	}
	wait.For(t, time.Minute, func() error {
		if st, _ := adminReindex(t, http.MethodGet, base); st.State != api.ReindexDone {
			return fmt.Errorf("reindex %s", st.State)
		}
		return nil
	})
	if err := c.check(base); err != nil {
		t.Errorf("after a reindex: %v", err)
	}

	// While the replica is down: the hidden event is shown again, and
	// another is hidden.
	stop(t, svc)
	store, err := corrections.Open(context.Background(), b.JS, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Delete(context.Background(), c.hidden); err != nil {
		t.Fatal(err)
	}
	other := mergedIDOf(t, 6)
	if _, err := store.Put(context.Background(), corrections.Correction{EventID: other, Hidden: true}, nil); err != nil {
		t.Fatal(err)
	}
	svc = start(t, cfg)
	base = "http://" + svc.Addr().String()
	whileDown := func() error {
		ids, err := listed(base, "")
		switch {
		case err != nil:
			return err
		case !ids[c.hidden]:
			return errors.New("the event whose correction was withdrawn while down is still hidden")
		case ids[other]:
			return errors.New("the event hidden while down is listed")
		}
		protests, err := listed(base, "type=protest")
		if err != nil || len(protests) != 1 || !protests[c.retyped] {
			return fmt.Errorf("type=protest finds %v (%v), want the retyped event alone", protests, err)
		}
		return nil
	}
	wait.For(t, 20*time.Second, whileDown)

	// Rebuilt offline (dateline reindex --offline), then served again.
	stop(t, svc)
	if _, err := service.Reindex(context.Background(), cfg, quietLog(), nil); err != nil {
		t.Fatalf("Reindex offline: %v", err)
	}
	svc = start(t, cfg)
	defer stop(t, svc)
	base = "http://" + svc.Addr().String()
	wait.For(t, 20*time.Second, whileDown)
}

// mergedIDOf returns the id the event of article i is indexed under.
func mergedIDOf(t *testing.T, i int) string {
	t.Helper()
	types, err := service.LoadTypes("")
	if err != nil {
		t.Fatal(err)
	}
	return index.NewClustering(types).ID(reindexSet(i).Events[0])
}

// TestMergeAndSplitThroughAPI: an analyst merges one event into another
// through the API (the merged event's id then redirects to the target,
// which lists both sources), then splits that report out again (it
// stands alone under its own event id); a merge into an unknown event
// and a split of an id that is no source of a merged event are refused.
func TestMergeAndSplitThroughAPI(t *testing.T) {
	t.Parallel()
	cfg, b := reindexService(t)
	svc := start(t, cfg)
	defer stop(t, svc)
	base := "http://" + svc.Addr().String()
	publishSets(t, b, 0, 4)
	waitTotal(t, base, 4)
	a, m := mergedIDOf(t, 1), mergedIDOf(t, 2)
	report := reindexSet(2).Events[0].ID

	for _, tt := range []struct {
		name, id, body string
		want           int
	}{
		{"merge into an unknown event", m, `{"merge_into":"no-such-event"}`, http.StatusBadRequest},
		{"merge into itself", m, `{"merge_into":"` + m + `"}`, http.StatusBadRequest},
		{"split of a one-report event", report, `{"split":true}`, http.StatusBadRequest},
		{"merge with a type", m, `{"merge_into":"` + a + `","type":"protest"}`, http.StatusBadRequest},
		{"merge", m, `{"merge_into":"` + a + `","by":"ana"}`, http.StatusOK},
	} {
		if code, body := do(t, "PUT", base+"/api/v1/events/"+tt.id+"/correction", "tok", tt.body); code != tt.want {
			t.Errorf("%s: PUT %s = %d %s, want %d", tt.name, tt.body, code, body, tt.want)
		}
	}
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	wait.For(t, 20*time.Second, func() error {
		resp, err := noRedirect.Get(base + "/api/v1/events/" + m)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusPermanentRedirect || !strings.HasSuffix(resp.Header.Get("Location"), a) {
			return fmt.Errorf("GET the merged event: %d to %q, want 308 to %s", resp.StatusCode, resp.Header.Get("Location"), a)
		}
		var e event.Event
		if _, err := fetchJSON(base+"/api/v1/events/"+a, &e); err != nil || len(e.Sources) != 2 {
			return fmt.Errorf("the target has %d sources (%v), want 2", len(e.Sources), err)
		}
		return nil
	})
	waitTotal(t, base, 3)

	if code, body := do(t, "PUT", base+"/api/v1/events/"+report+"/correction", "tok", `{"split":true,"by":"ana"}`); code != http.StatusOK {
		t.Fatalf("PUT split: %d %s", code, body)
	}
	wait.For(t, 20*time.Second, func() error {
		var e event.Event
		if code, err := fetchJSON(base+"/api/v1/events/"+report, &e); err != nil || code != http.StatusOK || e.ID != report || len(e.Sources) != 0 {
			return fmt.Errorf("GET the split report: %d %s with %d sources (%v), want it alone", code, e.ID, len(e.Sources), err)
		}
		return nil
	})
	waitTotal(t, base, 4)

	// Corrected once split out, the report stays split.
	if code, body := do(t, "PUT", base+"/api/v1/events/"+report+"/correction", "tok", `{"type":"protest"}`); code != http.StatusOK {
		t.Fatalf("PUT a correction of the split report: %d %s", code, body)
	}
	wait.For(t, 20*time.Second, func() error {
		var e event.Event
		if _, err := fetchJSON(base+"/api/v1/events/"+report, &e); err != nil || e.ID != report || e.Type != "protest" {
			return fmt.Errorf("GET the split report: %s, type %s (%v); want it alone as a protest", e.ID, e.Type, err)
		}
		return nil
	})
	waitTotal(t, base, 4)
}
