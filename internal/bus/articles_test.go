package bus_test

import (
	"context"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/bus/bustest"
)

func TestArticlesPublishOnce(t *testing.T) {
	b := bustest.New(t, "")
	ctx := context.Background()
	pub, err := b.NewArticles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	a := article.Article{ID: article.ID("g1", "", "", time.Time{}), Feed: "https://a.example/rss", Title: "T", Text: "body"}
	other := a
	other.Feed = "https://b.example/rss"
	other.Text = "a summary of the same article"
	updated := a
	updated.Text = "body, corrected"

	steps := []struct {
		name string
		a    article.Article
		want bool
	}{
		{"first time", a, true},
		{"same again", a, false},
		{"same id from another feed", other, false},
		{"changed content from its own feed", updated, true},
		{"the update again", updated, false},
	}
	for _, s := range steps {
		got, err := pub.Publish(ctx, s.a)
		if err != nil {
			t.Fatalf("%s: Publish: %v", s.name, err)
		}
		if got != s.want {
			t.Errorf("%s: published = %v, want %v", s.name, got, s.want)
		}
	}
	// A fresh publisher (no cache, as after a restart) still sees it stored.
	pub2, err := b.NewArticles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := pub2.Publish(ctx, updated); err != nil || got {
		t.Errorf("after restart: published = %v, %v; want false, nil", got, err)
	}
	info, err := b.JS.Stream(ctx, bus.ArticlesStream)
	if err != nil {
		t.Fatal(err)
	}
	si, err := info.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if si.State.Msgs != 1 {
		t.Errorf("ARTICLES holds %d messages, want 1 (the update replaces the original)", si.State.Msgs)
	}
}

func TestReady(t *testing.T) {
	b := bustest.New(t, "")
	if err := b.Ready(context.Background()); err != nil {
		t.Fatalf("Ready: %v", err)
	}
}

// TestArticlesDedupOutlivesDuplicatesWindow: an article polled again after
// the stream's Nats-Msg-Id window has passed (2 minutes in production, an
// hour later in life) is still not stored a second time.
func TestArticlesDedupOutlivesDuplicatesWindow(t *testing.T) {
	b := bustest.New(t, "")
	ctx := context.Background()
	s, err := b.JS.Stream(ctx, bus.ArticlesStream)
	if err != nil {
		t.Fatal(err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const window = 100 * time.Millisecond
	info.Config.Duplicates = window
	if _, err := b.JS.UpdateStream(ctx, info.Config); err != nil {
		t.Fatal(err)
	}
	a := article.Article{ID: article.ID("g1", "", "", time.Time{}), Feed: "https://a.example/rss", Title: "T", Text: "body"}
	pub, err := b.NewArticles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := pub.Publish(ctx, a); err != nil || !ok {
		t.Fatalf("first publish = %v, %v; want true, nil", ok, err)
	}
	time.Sleep(3 * window) // the Nats-Msg-Id window has passed
	// A fresh publisher, as after a restart: no cache to lean on.
	pub, err = b.NewArticles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := pub.Publish(ctx, a); err != nil || ok {
		t.Errorf("publish after the window = %v, %v; want false, nil", ok, err)
	}
	if info, err = s.Info(ctx); err != nil {
		t.Fatal(err)
	}
	if info.State.LastSeq != 1 || info.State.Msgs != 1 {
		t.Errorf("ARTICLES last seq %d, %d messages; want the one first message", info.State.LastSeq, info.State.Msgs)
	}
}
