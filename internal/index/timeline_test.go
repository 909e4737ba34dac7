package index

import (
	"context"
	"errors"
	"maps"
	"testing"
)

func TestTimeline(t *testing.T) {
	ix := loaded(t)
	tests := []struct {
		name     string
		q        Query
		interval string
		key      string
		want     Bucket
		buckets  int
	}{
		{"year", Query{}, "year", "2024",
			Bucket{Key: "2024", Count: 8, ByType: map[string]int{"treaty_signing": 1, "military_strike": 1, "sanction": 1,
				"negotiation": 1, "election": 1, "meeting": 1, "protest": 1, "statement": 1}}, 2},
		{"year of spans and years", Query{}, "year", "2023",
			Bucket{Key: "2023", Count: 2, ByType: map[string]int{"arms_transfer": 1, "weapons_test": 1}}, 2},
		{"month", Query{}, "month", "2024-03",
			Bucket{Key: "2024-03", Count: 3, ByType: map[string]int{"sanction": 1, "negotiation": 1, "protest": 1}}, 7},
		{"day", Query{}, "day", "2024-06-19",
			Bucket{Key: "2024-06-19", Count: 2, ByType: map[string]int{"treaty_signing": 1, "meeting": 1}}, 9},
		{"ISO week", Query{}, "week", "2024-W09",
			Bucket{Key: "2024-W09", Count: 2, ByType: map[string]int{"sanction": 1, "negotiation": 1}}, 8},
		{"week of 2023-01-01 is 2022-W52", Query{}, "week", "2022-W52",
			Bucket{Key: "2022-W52", Count: 1, ByType: map[string]int{"weapons_test": 1}}, 8},
		{"filtered", Query{Q: "russia", Types: []string{"sanction", "meeting"}}, "year", "2024",
			Bucket{Key: "2024", Count: 2, ByType: map[string]int{"sanction": 1, "meeting": 1}}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ix.Timeline(context.Background(), tt.q, tt.interval)
			if err != nil {
				t.Fatalf("Timeline: %v", err)
			}
			if len(got) != tt.buckets {
				t.Errorf("got %d buckets, want %d: %v", len(got), tt.buckets, got)
			}
			for i := 1; i < len(got); i++ {
				if got[i-1].Key >= got[i].Key {
					t.Errorf("buckets out of order: %s before %s", got[i-1].Key, got[i].Key)
				}
			}
			for _, b := range got {
				if b.Key == tt.key {
					if b.Count != tt.want.Count || !maps.Equal(b.ByType, tt.want.ByType) {
						t.Errorf("bucket %s: got %+v, want %+v", tt.key, b, tt.want)
					}
					return
				}
			}
			t.Errorf("no bucket %s in %v", tt.key, got)
		})
	}
	t.Run("bad interval", func(t *testing.T) {
		_, err := ix.Timeline(context.Background(), Query{}, "hour")
		var qe *QueryError
		if !errors.As(err, &qe) || qe.Param != "interval" {
			t.Errorf("got %v, want QueryError on interval", err)
		}
	})
	t.Run("bad query", func(t *testing.T) {
		_, err := ix.Timeline(context.Background(), Query{Q: "/x/"}, "day")
		var qe *QueryError
		if !errors.As(err, &qe) || qe.Param != "q" {
			t.Errorf("got %v, want QueryError on q", err)
		}
	})
}

func TestTimelineCache(t *testing.T) {
	ix := loaded(t)
	total := func() int {
		t.Helper()
		b, err := ix.Timeline(context.Background(), Query{}, "year")
		if err != nil {
			t.Fatalf("Timeline: %v", err)
		}
		n := 0
		for i := range b {
			n += b[i].Count
			b[i].Count = -1000 // the caller's copy: must not reach the cache
			b[i].ByType["x"] = 1
		}
		return n
	}
	if got := total(); got != 10 {
		t.Fatalf("first: got %d events, want 10", got)
	}
	if got := total(); got != 10 {
		t.Errorf("cached: got %d events, want 10", got)
	}
	apply(t, ix, setsOf(fixtureNew()), 11)
	if got := total(); got != 12 {
		t.Errorf("after Apply: got %d events, want 12", got)
	}
}
