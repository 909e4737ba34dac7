package main

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthCommand(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/readyz" {
			http.Error(w, "index: not open", http.StatusServiceUnavailable)
		}
	}))
	defer srv.Close()
	for _, tc := range []struct {
		url       string
		code      int
		out, errs string
	}{
		{srv.URL + "/readyz", 0, "ok " + srv.URL + "/readyz", ""},
		{srv.URL + "/other", 1, "", "503 Service Unavailable index: not open"},
		{"http://127.0.0.1:1/readyz", 1, "", "connection refused"},
	} {
		code, out, errs := runCLI(t, "", "health", tc.url)
		if code != tc.code || !strings.Contains(out, tc.out) || !strings.Contains(errs, tc.errs) {
			t.Errorf("health %s: exit %d, stdout %q, stderr %q; want %d, %q, %q", tc.url, code, out, errs, tc.code, tc.out, tc.errs)
		}
	}
}
