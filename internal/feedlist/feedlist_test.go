package feedlist_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/bus/bustest"
	"github.com/dateline/dateline/internal/feedlist"
)

func TestParseOPML(t *testing.T) {
	f, err := os.Open("testdata/subscriptions.opml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	feeds, err := feedlist.ParseOPML(f)
	if err != nil {
		t.Fatalf("ParseOPML: %v", err)
	}
	want := []feedlist.Feed{
		{URL: "https://feeds.bbci.co.uk/news/world/rss.xml", Name: "BBC World"},
		{URL: "https://www.aljazeera.com/xml/rss/all.xml", Name: "Al Jazeera English"},
		{URL: "https://news.un.org/feed/subscribe/en/news/all/rss.xml", Name: "UN News"},
	}
	if len(feeds) != len(want) {
		t.Fatalf("got %d feeds %+v, want %d", len(feeds), feeds, len(want))
	}
	for i := range want {
		if feeds[i] != want[i] {
			t.Errorf("feed %d = %+v, want %+v", i, feeds[i], want[i])
		}
	}
}

func TestParseOPMLErrors(t *testing.T) {
	tests := []struct{ name, doc, want string }{
		{"not xml", "<opml><body><outline", "opml line 1"},
		{"bad feed url", `<opml version="2.0"><body><outline text="x" xmlUrl="ftp://x/y"/></body></opml>`, `outline[0] "x": url`},
		{"nested bad url", "<opml version=\"2.0\"><body><outline text=\"f\">\n<outline text=\"y\" xmlUrl=\"javascript:alert(1)\"/></outline></body></opml>", "outline[0]/outline[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := feedlist.ParseOPML(strings.NewReader(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestOPMLRoundTrip(t *testing.T) {
	feeds := []feedlist.Feed{{URL: "https://a.example/rss?x=1&y=2", Name: `Quotes "&" <angles>`}, {URL: "https://b.example/atom"}}
	var buf bytes.Buffer
	if err := feedlist.WriteOPML(&buf, "Dateline feeds", feeds, time.Now()); err != nil {
		t.Fatal(err)
	}
	back, err := feedlist.ParseOPML(&buf)
	if err != nil {
		t.Fatalf("parse back: %v\n%s", err, buf.String())
	}
	if len(back) != 2 || back[0] != feeds[0] || back[1].URL != feeds[1].URL || back[1].Name != feeds[1].URL {
		t.Errorf("round trip = %+v, want %+v", back, feeds)
	}
}

func TestStore(t *testing.T) {
	b := bustest.New(t, "")
	ctx := context.Background()
	kv, err := b.KV(ctx, bus.FeedsBucket)
	if err != nil {
		t.Fatal(err)
	}
	s := feedlist.NewStore(kv)
	changes := make(chan []feedlist.Feed, 10)
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() { _ = s.Watch(wctx, func(f []feedlist.Feed) { changes <- f }) }()

	a := feedlist.Feed{URL: "https://a.example/rss", Name: "A"}
	if err := s.Put(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := s.Put(ctx, feedlist.Feed{URL: "gopher://x"}); err == nil {
		t.Error("Put accepted a gopher URL")
	}
	// The first call is the list as it was; a later one carries the put.
	deadline := time.After(10 * time.Second)
	for seen := false; !seen; {
		select {
		case got := <-changes:
			seen = len(got) == 1 && got[0] == a
		case <-deadline:
			t.Fatal("watch never saw the new feed")
		}
	}
	list, err := s.List(ctx)
	if err != nil || len(list) != 1 {
		t.Fatalf("List = %+v, %v", list, err)
	}
	ok, err := s.Delete(ctx, feedlist.ID(a.URL))
	if err != nil || !ok {
		t.Fatalf("Delete = %v, %v", ok, err)
	}
	if ok, err := s.Delete(ctx, feedlist.ID(a.URL)); err != nil || ok {
		t.Errorf("second Delete = %v, %v; want false, nil", ok, err)
	}
	if list, _ := s.List(ctx); len(list) != 0 {
		t.Errorf("after delete List = %+v", list)
	}
}

func TestMerge(t *testing.T) {
	cfg := []feedlist.Feed{{URL: "https://a/x", Name: "from config"}}
	stored := []feedlist.Feed{{URL: "https://a/x", Name: "from api"}, {URL: "https://b/y"}}
	got := feedlist.Merge(cfg, stored)
	if len(got) != 2 || got[0].Name != "from config" || got[1].URL != "https://b/y" {
		t.Errorf("Merge = %+v", got)
	}
}
