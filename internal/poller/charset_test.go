package poller

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// TestPageCharset serves one story in several ways servers and pages
// declare (or fail to declare) their encoding, and checks the full text
// never turns into mojibake.
func TestPageCharset(t *testing.T) {
	t.Parallel()
	story := "LONDON — After the talks, the minister’s office said the envoy had “left Geneva” on Tuesday. Zürich and São Paulo followed."
	longHead := "<script>" + strings.Repeat("var x = 1; // padding the head past the prescan window\n", 40) + "</script>"
	page := func(meta string) string {
		return "<!DOCTYPE html><html><head><title>Story</title>" + longHead + meta + "</head><body><article><h1>Story</h1>" +
			strings.Repeat("<p>"+story+"</p>", 5) + "</article></body></html>"
	}
	latin1 := func(s string) string {
		out, err := charmap.Windows1252.NewEncoder().String(s)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	cases := []struct {
		name, contentType, body string
	}{
		{"utf-8 declared in the header", "text/html; charset=utf-8", page("")},
		{"utf-8 undeclared", "text/html", page("")},
		{"utf-8 declared after the first 1024 bytes", "text/html", page(`<meta charset="utf-8">`)},
		{"no content type at all", "", page("")},
		{"windows-1252 declared after 1024 bytes", "text/html", latin1(page(`<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">`))},
		{"windows-1252 in the header", "text/html; charset=windows-1252", latin1(page(""))},
		{"windows-1252 undeclared", "text/html", latin1(page(""))},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header()["Content-Type"] = nil
				if tc.contentType != "" {
					w.Header().Set("Content-Type", tc.contentType)
				}
				fmt.Fprint(w, tc.body)
			}))
			defer srv.Close()
			p := New(testOptions(), newPub(t), nil)
			text, err := p.fullText(context.Background(), srv.URL+"/story")
			if err != nil {
				t.Fatalf("fullText: %v", err)
			}
			if !strings.Contains(text, story) {
				t.Errorf("full text = %q, want it to hold %q", text[:min(len(text), 300)], story)
			}
			if strings.Contains(text, "â€") || strings.Contains(text, "Ã") {
				t.Errorf("mojibake in %q", text[:min(len(text), 300)])
			}
		})
	}
}
