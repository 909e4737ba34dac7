package api

import (
	"net/url"
	"testing"

	"github.com/dateline/dateline/internal/index"
)

// FuzzParseQuery feeds arbitrary query strings to the search parameter
// parser: it must never panic, and what it accepts must respect the caps.
func FuzzParseQuery(f *testing.F) {
	f.Add("q=treaty&from=2024&to=2024-06-19&type=sanction,aid&limit=20")
	f.Add("near=49.9,36.2,50&sort=-date&cursor=abc")
	f.Add("limit=100000&status=planned&actor=%00")
	f.Add("from=2024-13-45&near=,,&limit=-5")
	s := New(Options{})
	f.Fuzz(func(t *testing.T, raw string) {
		v, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		q, err := s.parseQuery(v)
		if err != nil {
			return
		}
		if q.Limit > index.MaxLimit || q.Limit < 0 {
			t.Fatalf("limit %d accepted", q.Limit)
		}
		if len(q.Q) > index.MaxParamBytes {
			t.Fatalf("q of %d bytes accepted", len(q.Q))
		}
		if q.Near != nil && (q.Near.Lat < -90 || q.Near.Lat > 90 || q.Near.Km <= 0) {
			t.Fatalf("near %+v accepted", q.Near)
		}
	})
}
