package bus_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
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

// TestArticlesConcurrentVersions publishes versions of one article from
// many goroutines at once, through one publisher (as the poller's workers
// do) and through one publisher each (as separate processes would). The
// stream decides: of copies from different feeds exactly one is stored and
// reported as published, and it is the one the stream holds; copies of the
// same content are stored once; changed copies from one feed are each
// stored once, one after the other, none lost to the race.
func TestArticlesConcurrentVersions(t *testing.T) {
	const n, rounds = 8, 10
	cases := []struct {
		name string
		// version returns goroutine i's copy of the article with id.
		version func(id string, i int) article.Article
		// wantTrue is how many of the n calls must report true, and
		// wantStored how many messages each round must have stored.
		wantTrue, wantStored int
	}{
		{
			name: "one copy per feed",
			version: func(id string, i int) article.Article {
				return article.Article{ID: id, Feed: fmt.Sprintf("https://%d.example/rss", i), Title: "T", Text: fmt.Sprintf("as feed %d tells it", i)}
			},
			wantTrue: 1, wantStored: 1,
		},
		{
			name: "the same copy from one feed",
			version: func(id string, i int) article.Article {
				return article.Article{ID: id, Feed: "https://a.example/rss", Title: "T", Text: "body"}
			},
			wantTrue: 1, wantStored: 1,
		},
		{
			name: "changed copies from one feed",
			version: func(id string, i int) article.Article {
				return article.Article{ID: id, Feed: "https://a.example/rss", Title: "T", Text: fmt.Sprintf("body, correction %d", i)}
			},
			wantTrue: n, wantStored: n,
		},
	}
	for _, tc := range cases {
		for _, shared := range []bool{true, false} {
			name := tc.name + "/a publisher each"
			if shared {
				name = tc.name + "/one publisher"
			}
			t.Run(name, func(t *testing.T) {
				b := bustest.New(t, "")
				ctx := context.Background()
				s, err := b.JS.Stream(ctx, bus.ArticlesStream)
				if err != nil {
					t.Fatal(err)
				}
				pubs := make([]*bus.Articles, n)
				for i := range pubs {
					if i == 0 || !shared {
						if pubs[i], err = b.NewArticles(ctx); err != nil {
							t.Fatal(err)
						}
					} else {
						pubs[i] = pubs[0]
					}
				}
				for r := range rounds {
					id := article.ID(fmt.Sprint("story", r), "", "", time.Time{})
					published := make([]bool, n)
					start := make(chan struct{})
					var wg sync.WaitGroup
					for i := range n {
						wg.Go(func() {
							<-start
							ok, err := pubs[i].Publish(ctx, tc.version(id, i))
							if err != nil {
								t.Errorf("round %d, goroutine %d: Publish: %v", r, i, err)
							}
							published[i] = ok
						})
					}
					close(start)
					wg.Wait()
					var winners []int
					for i, ok := range published {
						if ok {
							winners = append(winners, i)
						}
					}
					if len(winners) != tc.wantTrue {
						t.Fatalf("round %d: %d calls reported published (%v), want %d", r, len(winners), winners, tc.wantTrue)
					}
					info, err := s.Info(ctx)
					if err != nil {
						t.Fatal(err)
					}
					if got, want := info.State.LastSeq, uint64((r+1)*tc.wantStored); got != want {
						t.Fatalf("round %d: ARTICLES last seq %d, want %d (%d stored per round)", r, got, want, tc.wantStored)
					}
					if got, want := info.State.Msgs, uint64(r+1); got != want {
						t.Fatalf("round %d: ARTICLES holds %d messages, want %d (one per article)", r, got, want)
					}
					m, err := s.GetLastMsgForSubject(ctx, bus.ArticleSubject(id))
					if err != nil {
						t.Fatal(err)
					}
					var got article.Article
					if err := json.Unmarshal(m.Data, &got); err != nil {
						t.Fatal(err)
					}
					if tc.wantTrue == 1 {
						if want := tc.version(id, winners[0]); got.Feed != want.Feed || got.Text != want.Text {
							t.Errorf("round %d: stored %q from %s, want the reported copy %q from %s", r, got.Text, got.Feed, want.Text, want.Feed)
						}
					}
					if m.Header.Get(bus.HashHeader) != got.Hash() {
						t.Errorf("round %d: stored hash header %s, want the stored article's %s", r, m.Header.Get(bus.HashHeader), got.Hash())
					}
				}
			})
		}
	}
}

// TestArticlesRequests counts the requests Publish sends: a new article is
// one conditional publish; an article already stored is that publish,
// refused, and a look-up; an update is one more conditional publish.
func TestArticlesRequests(t *testing.T) {
	b := bustest.New(t, "")
	ctx := context.Background()
	a := article.Article{ID: article.ID("g1", "", "", time.Time{}), Feed: "https://a.example/rss", Title: "T", Text: "body"}
	updated := a
	updated.Text = "body, corrected"
	steps := []struct {
		name string
		a    article.Article
		want bool
		reqs uint64
	}{
		{"new", a, true, 1},
		{"stored already", a, false, 2},
		{"update", updated, true, 3},
	}
	for _, s := range steps {
		pub, err := b.NewArticles(ctx) // no cache: every step asks the server
		if err != nil {
			t.Fatal(err)
		}
		before := b.NC.Stats().OutMsgs
		got, err := pub.Publish(ctx, s.a)
		if err != nil {
			t.Fatalf("%s: Publish: %v", s.name, err)
		}
		if got != s.want {
			t.Errorf("%s: published = %v, want %v", s.name, got, s.want)
		}
		if reqs := b.NC.Stats().OutMsgs - before; reqs != s.reqs {
			t.Errorf("%s: %d requests, want %d", s.name, reqs, s.reqs)
		}
	}
}
