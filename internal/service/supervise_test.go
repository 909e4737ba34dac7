package service_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/service"
	"github.com/dateline/dateline/internal/wait"
)

// natsOutside starts a real NATS server the service reaches over TCP, so
// that the test can reach into JetStream beside it (delete a consumer,
// publish a bad message), and returns a connection to it for the test.
func natsOutside(t *testing.T) (string, *bus.Bus) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ns, err := bus.RunEmbedded(ctx, bus.EmbeddedOptions{Dir: t.TempDir(), Listen: "127.0.0.1:-1"})
	if err != nil {
		t.Fatalf("start nats: %v", err)
	}
	b, err := bus.Connect(ctx, ns.ClientURL(), nil, t.Name())
	if err != nil {
		ns.Shutdown()
		t.Fatalf("connect: %v", err)
	}
	t.Cleanup(func() {
		b.Close()
		ns.Shutdown()
		ns.WaitForShutdown()
	})
	return ns.ClientURL(), b
}

// supervisedService runs every role, without feeds, on an outside NATS,
// logging into the returned buffer.
func supervisedService(t *testing.T) (*service.Service, *bus.Bus, *syncBuffer, string) {
	t.Helper()
	url, b := natsOutside(t)
	cfg := config.Default()
	cfg.DataDir = t.TempDir()
	cfg.Listen = "127.0.0.1:0"
	cfg.NATS.URL = url
	cfg.NATS.Node = "t"
	cfg.AdminToken = "tok"
	cfg.Feeds = nil
	cfg.Index.BatchWait = config.Duration(20 * time.Millisecond)
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	logs := &syncBuffer{}
	svc := startLogged(t, cfg, slog.New(slog.NewTextHandler(logs, nil)))
	t.Cleanup(func() { stop(t, svc) })
	base := "http://" + svc.Addr().String()
	wait.For(t, 30*time.Second, func() error { return wantStatus(t, base+"/readyz", 200, "") })
	return svc, b, logs, base
}

// wantStatus checks that GET url answers code with a body containing has.
func wantStatus(t *testing.T, url string, code int, has string) error {
	t.Helper()
	got, body := do(t, "GET", url, "tok", "")
	if got != code || !strings.Contains(body, has) {
		return fmt.Errorf("GET %s = %d %s, want %d with %q", url, got, body, code, has)
	}
	return nil
}

// publishRaw stores data under subject as it is, as a broken publisher would.
func publishRaw(t *testing.T, b *bus.Bus, subject string, data []byte) {
	t.Helper()
	msg := nats.NewMsg(subject)
	msg.Data = data
	if _, err := b.JS.PublishMsg(context.Background(), msg); err != nil {
		t.Fatalf("publish %s: %v", subject, err)
	}
}

func publishArticle(t *testing.T, b *bus.Bus, id string) {
	t.Helper()
	a := article.Article{ID: id, Feed: "https://example.org/feed", FeedName: "Example", Title: "Treaty signed",
		URL:       "https://example.org/" + id,
		Text:      "North Korea and Russia signed a treaty on the comprehensive strategic partnership on June 19, 2024.",
		Published: time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC)}
	data, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	publishRaw(t, b, bus.ArticleSubject(id), data)
}

func publishSet(t *testing.T, b *bus.Bus, id, title string) {
	t.Helper()
	set := event.Set{
		Article: event.ArticleRef{ID: id, URL: "https://example.org/" + id, Title: title, Feed: "Example", Published: time.Date(2024, 6, 20, 0, 0, 0, 0, time.UTC)},
		Hash:    "h-" + id,
		Events: []event.Event{{ID: event.ID(id, "statement", "2024-06-19", "", nil), Type: "statement", Date: "2024-06-19",
			Precision: event.Day, Title: title, Sentence: title, Status: "occurred"}},
	}
	data, err := json.Marshal(set)
	if err != nil {
		t.Fatal(err)
	}
	publishRaw(t, b, bus.EventSubject(id), data)
}

func hasMsg(b *bus.Bus, stream, subject string) error {
	ctx := context.Background()
	s, err := b.JS.Stream(ctx, stream)
	if err != nil {
		return err
	}
	if _, err := s.GetLastMsgForSubject(ctx, subject); err != nil {
		return fmt.Errorf("%s in %s: %w", subject, stream, err)
	}
	return nil
}

// TestRoleRestartsWhenItsConsumerIsDeleted deletes each stage's durable
// consumer under a running service: the stop is logged as an error with
// the role's name, counted in /metrics and shown in /readyz; the role is
// restarted, recreates its consumer and consumes what is published next.
func TestRoleRestartsWhenItsConsumerIsDeleted(t *testing.T) {
	t.Parallel()
	tests := []struct {
		role, stream, consumer string
		// next publishes a new message; processed says whether the
		// restarted role has handled it.
		next      func(t *testing.T, b *bus.Bus)
		processed func(t *testing.T, b *bus.Bus, base string) error
	}{
		{
			role: "extractor", stream: bus.ArticlesStream, consumer: "extractor",
			next: func(t *testing.T, b *bus.Bus) { publishArticle(t, b, "after-restart") },
			processed: func(t *testing.T, b *bus.Bus, _ string) error {
				return hasMsg(b, bus.EventsStream, bus.EventSubject("after-restart"))
			},
		},
		{
			role: "indexer", stream: bus.EventsStream, consumer: "indexer-t",
			next: func(t *testing.T, b *bus.Bus) { publishSet(t, b, "after-restart", "Zanzibar accord announced") },
			processed: func(t *testing.T, _ *bus.Bus, base string) error {
				return wantStatus(t, base+"/api/v1/events?q=zanzibar", 200, `"total":1`)
			},
		},
		{
			// The alerter has no rules: an undecodable set shows that it
			// reads EVENTS again (it dead-letters the set).
			role: "alerter", stream: bus.EventsStream, consumer: "alerter",
			next: func(t *testing.T, b *bus.Bus) { publishRaw(t, b, bus.EventSubject("after-restart"), []byte("{")) },
			processed: func(t *testing.T, b *bus.Bus, _ string) error {
				return hasMsg(b, bus.DeadStream, "dead.alerter.after-restart")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.role, func(t *testing.T) {
			_, b, logs, base := supervisedService(t)
			ctx := context.Background()
			// The role may create its consumer just after the service is
			// ready: delete it once it is there.
			wait.For(t, 30*time.Second, func() error {
				if err := b.JS.DeleteConsumer(ctx, tt.stream, tt.consumer); err != nil {
					return fmt.Errorf("delete consumer %s: %w", tt.consumer, err)
				}
				return nil
			})
			// The stop is seen when the role's next pull is refused or its
			// heartbeats stop (up to a pull's expiry); the restart makes
			// /readyz 503 for about a second, a window a slow machine's
			// polling can miss: the log and the counter stay.
			// TestSupervisorRestartsWhatStops checks that Ready names a
			// restarting role.
			wait.For(t, 60*time.Second, func() error {
				if l := logs.String(); !strings.Contains(l, `level=ERROR msg="role stopped; restarting" role=`+tt.role+" ") {
					return fmt.Errorf("no error logged for %s in:\n%s", tt.role, l)
				}
				return restarted(t, base, tt.role)
			})
			wait.For(t, 30*time.Second, func() error { return wantStatus(t, base+"/readyz", 200, "") })
			if _, err := b.JS.Consumer(ctx, tt.stream, tt.consumer); err != nil {
				t.Fatalf("consumer %s not recreated: %v", tt.consumer, err)
			}
			tt.next(t, b)
			wait.For(t, 30*time.Second, func() error { return tt.processed(t, b, base) })
			if err := wantStatus(t, base+"/metrics", 200, `dateline_role_up{role="`+tt.role+`"} 1`); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestExtractorRestartsWhenItsStreamIsDeleted deletes ARTICLES under a
// running service: the extractor stops, is restarted, the restart declares
// the stream again, and new articles are extracted.
func TestExtractorRestartsWhenItsStreamIsDeleted(t *testing.T) {
	t.Parallel()
	_, b, logs, base := supervisedService(t)
	if err := b.JS.DeleteStream(context.Background(), bus.ArticlesStream); err != nil {
		t.Fatalf("delete stream: %v", err)
	}
	wait.For(t, 60*time.Second, func() error {
		if !strings.Contains(logs.String(), `msg="role stopped; restarting" role=extractor `) {
			return errors.New("extractor's stop not logged")
		}
		return restarted(t, base, "extractor")
	})
	wait.For(t, 30*time.Second, func() error { return wantStatus(t, base+"/readyz", 200, "") })
	publishArticle(t, b, "after-stream-loss")
	wait.For(t, 30*time.Second, func() error {
		return hasMsg(b, bus.EventsStream, bus.EventSubject("after-stream-loss"))
	})
}

// restarted checks that /metrics counts at least one restart of role.
func restarted(t *testing.T, base, role string) error {
	t.Helper()
	code, body := do(t, "GET", base+"/metrics", "tok", "")
	want := `dateline_role_restarts_total{role="` + role + `"} `
	i := strings.Index(body, want)
	if code != 200 || i < 0 {
		return fmt.Errorf("GET /metrics = %d, no %s", code, want)
	}
	n, _, _ := strings.Cut(body[i+len(want):], "\n")
	if v, err := strconv.ParseFloat(strings.TrimSpace(n), 64); err != nil || v < 1 {
		return fmt.Errorf("%s%s, want at least 1", want, n)
	}
	return nil
}

type deadLetter struct {
	Seq       uint64 `json:"seq"`
	Stage     string `json:"stage"`
	Subject   string `json:"subject"`
	Stream    string `json:"stream"`
	StreamSeq uint64 `json:"stream_seq"`
	Delivered int    `json:"delivered"`
	Reason    string `json:"reason"`
}

func deadLetters(t *testing.T, base string) []deadLetter {
	t.Helper()
	code, body := do(t, "GET", base+"/api/v1/deadletters", "tok", "")
	if code != 200 {
		t.Fatalf("GET /api/v1/deadletters = %d %s", code, body)
	}
	var r struct {
		DeadLetters []deadLetter `json:"deadletters"`
	}
	if err := json.Unmarshal([]byte(body), &r); err != nil {
		t.Fatalf("decode %s: %v", body, err)
	}
	return r.DeadLetters
}

// findDead returns the dead letter of stage on subject, or an error.
func findDead(list []deadLetter, stage, subject string) (deadLetter, error) {
	for _, d := range list {
		if d.Stage == stage && d.Subject == subject {
			return d, nil
		}
	}
	return deadLetter{}, fmt.Errorf("no dead letter of %s for %s among %+v", stage, subject, list)
}

// TestEveryStageDeadLettersUndecodableMessages publishes a message no stage
// can decode to ARTICLES and to EVENTS: each stage that reads it (the
// extractor; the indexer and the alerter) gives it up to DEADLETTER with
// its stage, reason, stream and delivery count, listed by GET
// /api/v1/deadletters. Replaying one re-delivers it to its stage (given up
// again, as a new dead letter) without the other EVENTS stage adding one.
func TestEveryStageDeadLettersUndecodableMessages(t *testing.T) {
	t.Parallel()
	_, b, _, base := supervisedService(t)
	publishRaw(t, b, bus.ArticleSubject("bad-article"), []byte("not json"))
	publishRaw(t, b, bus.EventSubject("bad-set"), []byte(`{"events": 7}`))
	tests := []struct{ stage, subject, stream string }{
		{"extractor", bus.ArticleSubject("bad-article"), bus.ArticlesStream},
		{"indexer", bus.EventSubject("bad-set"), bus.EventsStream},
		{"alerter", bus.EventSubject("bad-set"), bus.EventsStream},
	}
	wait.For(t, 20*time.Second, func() error {
		if n := len(deadLetters(t, base)); n != len(tests) {
			return fmt.Errorf("%d dead letters, want %d", n, len(tests))
		}
		return nil
	})
	for _, tt := range tests {
		t.Run(tt.stage, func(t *testing.T) {
			d, err := findDead(deadLetters(t, base), tt.stage, tt.subject)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(d.Reason, "decode") || d.Stream != tt.stream || d.StreamSeq == 0 || d.Delivered != 1 {
				t.Errorf("dead letter = %+v, want a decoding reason, stream %s, its sequence, 1 delivery", d, tt.stream)
			}
			if code, body := do(t, "POST", fmt.Sprintf("%s/api/v1/deadletters/%d/replay", base, d.Seq), "tok", ""); code != 204 {
				t.Fatalf("replay %d = %d %s", d.Seq, code, body)
			}
			wait.For(t, 20*time.Second, func() error {
				list := deadLetters(t, base)
				again, err := findDead(list, tt.stage, tt.subject)
				if err != nil {
					return err
				}
				if again.Seq <= d.Seq {
					return fmt.Errorf("dead letter %d still listed, not re-delivered", d.Seq)
				}
				if len(list) != len(tests) {
					return fmt.Errorf("%d dead letters after the replay, want %d: %+v", len(list), len(tests), list)
				}
				return nil
			})
		})
	}
}

// TestReplayOfSupersededDeadLetterRefused: a dead letter whose subject
// has since stored a newer message is not replayed over it (409), and is
// kept.
func TestReplayOfSupersededDeadLetterRefused(t *testing.T) {
	t.Parallel()
	_, b, _, base := supervisedService(t)
	publishRaw(t, b, bus.ArticleSubject("fixed-later"), []byte("not json"))
	var d deadLetter
	wait.For(t, 20*time.Second, func() error {
		var err error
		d, err = findDead(deadLetters(t, base), "extractor", bus.ArticleSubject("fixed-later"))
		return err
	})
	publishArticle(t, b, "fixed-later")
	wait.For(t, 20*time.Second, func() error { return hasMsg(b, bus.EventsStream, bus.EventSubject("fixed-later")) })
	code, body := do(t, "POST", fmt.Sprintf("%s/api/v1/deadletters/%d/replay", base, d.Seq), "tok", "")
	if code != 409 || !strings.Contains(body, "superseded") {
		t.Errorf("replay = %d %s, want 409 saying superseded", code, body)
	}
	if _, err := findDead(deadLetters(t, base), "extractor", bus.ArticleSubject("fixed-later")); err != nil {
		t.Error(err)
	}
}
