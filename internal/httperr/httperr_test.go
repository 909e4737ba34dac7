package httperr

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/dateline/dateline/internal/index"
)

func TestWrite(t *testing.T) {
	tests := []struct {
		name       string
		err        error
		status     int
		body       string
		retryAfter string
	}{
		{"bad search parameter", fmt.Errorf("search: %w", &index.QueryError{Param: "from", Msg: `"someday" is not a date`}),
			400, `{"error":"from: \"someday\" is not a date","param":"from"}`, ""},
		{"error with a param", Errorf(404, "name", "no alert named %q", "x"),
			404, `{"error":"name: no alert named \"x\"","param":"name"}`, ""},
		{"message that names its param already", Errorf(400, "query", "query: too long"),
			400, `{"error":"query: too long","param":"query"}`, ""},
		{"no param: no param key", Errorf(401, "", "missing or wrong admin token"),
			401, `{"error":"missing or wrong admin token"}`, ""},
		{"body too large", fmt.Errorf("read: %w", &http.MaxBytesError{Limit: 10}),
			413, `{"error":"request body is over the limit of 10 bytes"}`, ""},
		{"out of time", fmt.Errorf("search: %w", context.DeadlineExceeded),
			503, `{"error":"the request took too long"}`, ""},
		{"refused under load", &Error{Status: 503, Msg: "busy", RetryAfter: 2},
			503, `{"error":"busy"}`, "2"},
		{"anything else hides its text", errors.New("disk on fire"),
			500, `{"error":"internal error"}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			he := Write(rec, tt.err)
			if rec.Code != tt.status || he.Status != tt.status {
				t.Errorf("status: got %d (returned %d), want %d", rec.Code, he.Status, tt.status)
			}
			var got, want any
			if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
				t.Fatalf("body %q: %v", rec.Body, err)
			}
			_ = json.Unmarshal([]byte(tt.body), &want)
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("body: got %s, want %s", rec.Body, tt.body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type: got %q", ct)
			}
			if ra := rec.Header().Get("Retry-After"); ra != tt.retryAfter {
				t.Errorf("Retry-After: got %q, want %q", ra, tt.retryAfter)
			}
		})
	}
}
