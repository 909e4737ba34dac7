package api_test

import (
	"net/url"
	"strings"
	"testing"
)

// TestQueryErrorSaysWhere: a query string the index refuses gets a 400
// naming q that says what is wrong and where, on the search, the
// exports and the stream alike; plain words are all required.
func TestQueryErrorSaysWhere(t *testing.T) {
	srv, _ := newServer(t)
	for _, path := range []string{"/api/v1/events", "/api/v1/events.csv", "/api/v1/timeline", "/api/v1/stream"} {
		for _, tt := range []struct{ q, want string }{
			{"date:>2026-12-01", `unknown field "date" at character 1`},
			{"treaty day:>2026-12-01", `"2026-12-01" at character 13 after day:> is not a number`},
			{"treaty OR", "OR at character 8 has no word after it"},
		} {
			code, body := get(t, srv.URL+path+"?q="+url.QueryEscape(tt.q))
			msg, _ := body["error"].(string)
			if code != 400 || body["param"] != "q" || !strings.Contains(msg, tt.want) {
				t.Errorf("%s?q=%s = %d %v, want 400 naming q and saying %q", path, tt.q, code, body, tt.want)
			}
		}
	}
	for _, tt := range []struct {
		q    string
		want float64
	}{{"korea missile", 0}, {"korea treaty", 1}, {"korea OR missile", 2}, {"missile -korea", 1}} {
		code, body := get(t, srv.URL+"/api/v1/events?q="+url.QueryEscape(tt.q))
		if code != 200 || body["total"] != tt.want {
			t.Errorf("q=%s = %d, total %v; want %v", tt.q, code, body["total"], tt.want)
		}
	}
}
