package corrections_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/corrections"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/gold"
	"github.com/dateline/dateline/internal/index"
)

// embedded starts a real embedded NATS server on dir and connects; stop
// shuts both down (a restart is stop, then embedded on the same dir).
func embedded(t *testing.T, dir string) (b *bus.Bus, stop func()) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ns, err := bus.RunEmbedded(ctx, bus.EmbeddedOptions{Dir: dir})
	if err != nil {
		t.Fatalf("start embedded nats: %v", err)
	}
	b, err = bus.Connect(ctx, "", ns, t.Name())
	if err != nil {
		ns.Shutdown()
		t.Fatalf("connect: %v", err)
	}
	stopped := false
	stop = func() {
		if !stopped {
			stopped = true
			b.Close()
			ns.Shutdown()
			ns.WaitForShutdown()
		}
	}
	t.Cleanup(stop)
	return b, stop
}

func TestCheck(t *testing.T) {
	types := []string{"military_strike", "sanction"}
	for _, tt := range []struct {
		name string
		c    corrections.Correction
		want string // part of the error, "" for none
	}{
		{"hidden", corrections.Correction{EventID: "e1", Hidden: true}, ""},
		{"type", corrections.Correction{EventID: "e1", Type: "sanction"}, ""},
		{"date", corrections.Correction{EventID: "e1", Date: "2024-06"}, ""},
		{"actors", corrections.Correction{EventID: "e1", Actors: []string{"France"}}, ""},
		{"no id", corrections.Correction{Hidden: true}, "event_id"},
		{"id with a dot", corrections.Correction{EventID: "a.b", Hidden: true}, "event_id"},
		{"nothing", corrections.Correction{EventID: "e1", Note: "hm"}, "nothing to correct"},
		{"unknown type", corrections.Correction{EventID: "e1", Type: "protests"}, `type: "protests" is not one of military_strike, sanction`},
		{"bad date", corrections.Correction{EventID: "e1", Date: "June"}, "date:"},
		{"bad end", corrections.Correction{EventID: "e1", Date: "2024", DateEnd: "2024-13"}, "date_end:"},
		{"empty actor", corrections.Correction{EventID: "e1", Actors: []string{"France", " "}}, "actors[1]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.c.Check(types)
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Check = %v, want %q", err, tt.want)
			}
		})
	}
}

// TestCorrectionsSurviveRestart: corrections stored in the bucket of a
// real embedded JetStream server are there after the server restarts on
// the same store, with their history (the audit trail); a withdrawn one
// is gone from List but kept in History.
func TestCorrectionsSurviveRestart(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	b, stop := embedded(t, dir)
	s, err := corrections.Open(ctx, b.JS, 1)
	if err != nil {
		t.Fatal(err)
	}
	if cs, err := s.List(ctx); err != nil || len(cs) != 0 {
		t.Fatalf("List of a new bucket = %v, %v", cs, err)
	}
	if _, err := s.Get(ctx, "e1"); !errors.Is(err, corrections.ErrNotFound) {
		t.Fatalf("Get of nothing = %v, want ErrNotFound", err)
	}
	if _, err := s.Put(ctx, corrections.Correction{EventID: "e1", Type: "sanction", By: "ana"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, corrections.Correction{EventID: "e1", Hidden: true, Note: "not an event", By: "ana"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, corrections.Correction{EventID: "e2", Actors: []string{"France"}}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, corrections.Correction{EventID: "e3", Date: "2024-01-02"}, nil); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "e3"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Put(ctx, corrections.Correction{EventID: "e4"}, nil); err == nil {
		t.Error("a correction that corrects nothing was stored")
	}
	stop()

	b, _ = embedded(t, dir)
	s, err = corrections.Open(ctx, b.JS, 1)
	if err != nil {
		t.Fatal(err)
	}
	cs, err := s.List(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range cs {
		ids = append(ids, c.EventID)
	}
	if !slices.Equal(ids, []string{"e1", "e2"}) {
		t.Fatalf("after a restart: corrections of %v, want [e1 e2]", ids)
	}
	if c := cs[0]; !c.Hidden || c.Note != "not an event" || c.At.IsZero() {
		t.Errorf("e1 after a restart = %+v, want hidden with its note and time", c)
	}
	h, err := s.History(ctx, "e1")
	if err != nil || len(h) != 2 || h[0].Type != "sanction" || !h[1].Hidden {
		t.Errorf("history of e1 = %+v, %v; want the type change, then hidden", h, err)
	}
	if h, err := s.History(ctx, "e3"); err != nil || len(h) != 1 || h[0].Date != "2024-01-02" {
		t.Errorf("history of the withdrawn e3 = %+v, %v; want its one correction", h, err)
	}
}

// TestExportGold: corrections made labelled articles (Labels), written
// (Write) and read back
// with the gold package, and the corrected event graded against them: a
// type change makes the original event miss and the corrected one count;
// an event marked wrong makes its date forbidden. The events come from a
// real index on disk.
func TestExportGold(t *testing.T) {
	ctx := context.Background()
	ix, err := index.Open(t.TempDir(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	ref := func(id string) event.ArticleRef {
		return event.ArticleRef{ID: id, URL: "https://news.example/" + id, Title: "Report " + id, Feed: "Test",
			Published: time.Date(2024, 6, 20, 8, 0, 0, 0, time.UTC)}
	}
	strike := func(art string) event.Event {
		return event.Event{ID: "strike-" + art, Type: "military_strike", Title: "Strike", Sentence: "Missiles hit Kharkiv on June 19.",
			Date: "2024-06-19", Precision: event.Day, Status: event.Occurred, Actors: []string{"Russia"},
			Places: []event.Place{{Name: "Kharkiv", Country: "Ukraine", Lat: 49.99, Lon: 36.23}}, Article: ref(art), Confidence: 0.8, Mentions: 1}
	}
	talk := event.Event{ID: "talk-c", Type: "statement", Title: "Talk", Sentence: "He spoke of 2023.",
		Date: "2023", Precision: event.Year, Status: event.Occurred, Actors: []string{"France"}, Article: ref("c"), Confidence: 0.5, Mentions: 1}
	sets := []event.Set{
		{Article: ref("a"), Events: []event.Event{strike("a")}},
		{Article: ref("b"), Events: []event.Event{strike("b")}},
		{Article: ref("c"), Events: []event.Event{talk}},
	}
	if err := ix.Apply(ctx, sets, 1); err != nil {
		t.Fatal(err)
	}
	merged, found, err := ix.Get(ctx, "strike-a")
	if err != nil || !found || len(merged.Sources) != 2 {
		t.Fatalf("the two strike reports: %+v %v %v, want one event with two sources", merged, found, err)
	}
	talkEvent, _, err := ix.Get(ctx, "talk-c")
	if err != nil {
		t.Fatal(err)
	}
	cs := []corrections.Correction{
		{EventID: merged.ID, Type: "weapons_test", Note: "a test firing", By: "ana", At: time.Now()},
		{EventID: talkEvent.ID, Hidden: true, Note: "a year in a quote", By: "ana", At: time.Now()},
		{EventID: "gone", Hidden: true},
	}
	dir := filepath.Join(t.TempDir(), "gold")
	files, skipped, err := corrections.Labels(ctx, cs, ix)
	if err != nil {
		t.Fatal(err)
	}
	written, err := corrections.Write(dir, files)
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != 3 || !slices.Equal(skipped, []string{"gone"}) {
		t.Fatalf("written %v, skipped %v; want 3 files (two reports, one hidden) and gone skipped", written, skipped)
	}
	for _, path := range written {
		a, err := gold.Read(path)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(dir, a.Article)); err != nil {
			t.Errorf("%s: its article: %v", path, err)
		}
		switch {
		case strings.Contains(path, merged.ID):
			orig := strike("a")
			if g := gold.Score(a, []event.Event{orig}); len(g.Credited) != 0 {
				t.Errorf("%s: the uncorrected strike is credited: %+v", path, g)
			}
			fixed := cs[0].Apply(orig)
			if g := gold.Score(a, []event.Event{fixed}); len(g.Credited) != 1 {
				t.Errorf("%s: the corrected event is not credited: %+v (gold %+v)", path, g, a)
			}
		case strings.Contains(path, talkEvent.ID):
			if g := gold.Score(a, []event.Event{talk}); g.Forbidden() != 1 || len(a.Required) != 0 {
				t.Errorf("%s: the event marked wrong is not forbidden: %+v (gold %+v)", path, g, a)
			}
		default:
			t.Errorf("unexpected file %s", path)
		}
	}
}
