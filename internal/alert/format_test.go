package alert

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dateline/dateline/internal/event"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

func goldenRule(t *testing.T, tmpl string) *compiled {
	t.Helper()
	c, err := compile(Rule{Name: "arms", Query: "shells", Window: "1h", Mode: Digest, Template: tmpl,
		Destinations: []Destination{{Kind: KindSlack, URL: "https://hooks.example/x"}}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// manyEvents returns n events with long sentences, to push every limit.
func manyEvents(n int) []event.Event {
	var out []event.Event
	for i := range n {
		out = append(out, sampleEvent(fmt.Sprintf("a%02d", i), fmt.Sprintf("ev%02d", i), func(e *event.Event) {
			e.Sentence = strings.Repeat("Officials said the shipment <crossed> the border & more. ", 80)
			e.Title = fmt.Sprintf("Shipment %d *crosses* the border", i)
		}))
	}
	return out
}

// manySources returns a merged event reported by n articles with long
// URLs, to push the limits on links.
func manySources(n int) event.Event {
	return sampleEvent("a1", "m1", func(e *event.Event) {
		e.SourceCount = n
		for i := range n {
			e.Sources = append(e.Sources, event.Source{ArticleRef: event.ArticleRef{
				ID: fmt.Sprintf("s%02d", i), URL: fmt.Sprintf("https://news%02d.example/%s", i, strings.Repeat("world/asia/", 20)),
			}})
		}
	})
}

func TestPayloadGolden(t *testing.T) {
	t.Parallel()
	one := []event.Event{sampleEvent("a1", "ev1", func(e *event.Event) { e.DateEnd = "2024-11"; e.Mentions = 3 })}
	cases := []struct {
		name, kind, tmpl string
		events           []event.Event
	}{
		{"event", kindEvent, "", one},
		{"digest", kindDigest, "", manyEvents(30)},
		{"sources", kindEvent, "", []event.Event{manySources(60)}},
		{"template", kindEvent, "{{.Heading}}{{range .Events}}\n- {{.Title}} ({{.Date}}){{end}}", one},
	}
	created := time.Date(2024, 10, 30, 8, 0, 0, 0, time.UTC)
	for _, c := range cases {
		m, err := newMessage(goldenRule(t, c.tmpl), c.kind, c.events, "https://dateline.example")
		if err != nil {
			t.Fatal(err)
		}
		for _, kind := range []string{KindSlack, KindDiscord, KindTeams, KindMattermost, KindTelegram, KindWebhook} {
			t.Run(kind+"-"+c.name, func(t *testing.T) {
				d := &dest{Destination: Destination{Kind: kind, URL: "https://hooks.example/secret", ChatID: "-100123", Token: "123:abc"}, id: "d1", key: []byte("0123456789abcdef01234567")}
				s := &sender{userAgent: "test"}
				req, err := s.request(context.Background(), d, m, "d1.r1.eev1", created, created)
				if err != nil {
					t.Fatal(err)
				}
				var body bytes.Buffer
				if _, err := body.ReadFrom(req.Body); err != nil {
					t.Fatal(err)
				}
				checkLimits(t, kind, body.Bytes())
				// Without a template, the first event links to Dateline
				// whatever was cut.
				if link := "https://dateline.example/api/v1/events/" + c.events[0].ID; c.tmpl == "" && !bytes.Contains(body.Bytes(), []byte(link)) {
					t.Errorf("no link to the event in Dateline (%s)", link)
				}
				var pretty bytes.Buffer
				if err := json.Indent(&pretty, body.Bytes(), "", "  "); err != nil {
					t.Fatalf("body is not JSON: %v", err)
				}
				golden(t, filepath.Join("testdata", kind+"-"+c.name+".golden.json"), pretty.Bytes())
			})
		}
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update if the change is intended):\n%s", path, got)
	}
}

func runes(s string) int { return utf8.RuneCountInString(s) }

// checkLimits asserts each platform's documented limits.
func checkLimits(t *testing.T, kind string, body []byte) {
	t.Helper()
	switch kind {
	case KindSlack:
		var p slackPayload
		mustJSON(t, body, &p)
		if len(p.Blocks) > slackMaxBlocks {
			t.Errorf("slack: %d blocks, limit %d", len(p.Blocks), slackMaxBlocks)
		}
		for i, b := range p.Blocks {
			if b.Text != nil && runes(b.Text.Text) > slackMaxSection {
				t.Errorf("slack: block %d has %d characters, limit %d", i, runes(b.Text.Text), slackMaxSection)
			}
			for j, el := range b.Elements {
				if runes(el.Text) > slackMaxSection {
					t.Errorf("slack: block %d element %d has %d characters, limit %d", i, j, runes(el.Text), slackMaxSection)
				}
			}
		}
		if p.Text == "" {
			t.Error("slack: no fallback text")
		}
	case KindDiscord:
		var p discordPayload
		mustJSON(t, body, &p)
		total := 0
		for _, e := range p.Embeds {
			if runes(e.Description) > discordMaxDescription || runes(e.Title) > discordMaxTitle {
				t.Errorf("discord: embed over its limits")
			}
			total += runes(e.Title) + runes(e.Description)
		}
		if runes(p.Content) > discordMaxContent || len(p.Embeds) > discordMaxEmbeds || total > discordMaxTotal {
			t.Errorf("discord: content %d, embeds %d, total %d over the limits", runes(p.Content), len(p.Embeds), total)
		}
	case KindTelegram:
		var p telegramPayload
		mustJSON(t, body, &p)
		if runes(p.Text) > telegramMaxText {
			t.Errorf("telegram: %d characters, limit %d", runes(p.Text), telegramMaxText)
		}
	case KindMattermost:
		var p mattermostPayload
		mustJSON(t, body, &p)
		if runes(p.Text) > mattermostMaxText {
			t.Errorf("mattermost: %d characters, limit %d", runes(p.Text), mattermostMaxText)
		}
	case KindTeams:
		if len(body) > 28<<10 {
			t.Errorf("teams: %d bytes, limit 28 KiB", len(body))
		}
	}
}

func mustJSON(t *testing.T, body []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(body, v); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
}

func TestFormatDate(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		date, end, want string
		status          event.Status
	}{
		{"2024-06-19", "", "19 June 2024", event.Occurred},
		{"2024-06", "", "June 2024", event.Occurred},
		{"2024", "", "2024", event.Occurred},
		{"2024-06-19", "2024-09", "19 June 2024 – September 2024", event.Occurred},
		{"2025-01", "", "January 2025 (planned)", event.Planned},
	} {
		t.Run(c.want, func(t *testing.T) {
			if got := formatDate(event.Event{Date: c.date, DateEnd: c.end, Status: c.status}); got != c.want {
				t.Errorf("formatDate(%s, %s) = %q, want %q", c.date, c.end, got, c.want)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name   string
		header string
		body   string
		want   time.Duration
	}{
		{"seconds header", "3", "", 3 * time.Second},
		{"discord body", "", `{"message":"You are being rate limited.","retry_after":0.5,"global":false}`, 500 * time.Millisecond},
		{"telegram body", "", `{"ok":false,"error_code":429,"parameters":{"retry_after":7}}`, 7 * time.Second},
		{"nothing", "", "oops", 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			h := http.Header{}
			if c.header != "" {
				h.Set("Retry-After", c.header)
			}
			if got := retryAfter(h, []byte(c.body)); got != c.want {
				t.Errorf("retryAfter = %s, want %s", got, c.want)
			}
		})
	}
}

func TestResponseOutcome(t *testing.T) {
	t.Parallel()
	d := &dest{Destination: Destination{Kind: KindDiscord, URL: "https://discord.example/api/webhooks/1/tok"}}
	for _, c := range []struct {
		name      string
		status    int
		header    map[string]string
		body      string
		want      result
		wantPause time.Duration
		wantAfter time.Duration
	}{
		{"ok", 200, nil, "", resultOK, 0, 0},
		{"no content", 204, nil, "", resultOK, 0, 0},
		{"discord bucket empty", 204, map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset-After": "1.5"}, "", resultOK, 1500 * time.Millisecond, 0},
		{"rate limited", 429, map[string]string{"Retry-After": "2"}, "", resultRetry, 0, 2 * time.Second},
		{"server error", 503, nil, "busy", resultRetry, 0, 0},
		{"request timeout", 408, nil, "", resultRetry, 0, 0},
		{"gone", 410, nil, "", resultGone, 0, 0},
		{"not found", 404, nil, `{"message":"Unknown Webhook"}`, resultFail, 0, 0},
		{"bad request", 400, nil, "invalid_payload", resultFail, 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp := &http.Response{StatusCode: c.status, Header: http.Header{}}
			for k, v := range c.header {
				resp.Header.Set(k, v)
			}
			o := responseOutcome(d, resp, []byte(c.body))
			if o.result != c.want || o.pause != c.wantPause || o.retryAfter != c.wantAfter {
				t.Errorf("outcome = %+v, want result %d pause %s retry after %s", o, c.want, c.wantPause, c.wantAfter)
			}
		})
	}
}
