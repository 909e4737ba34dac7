package web

import (
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

func serve(t *testing.T, h http.Handler, method, target string, header http.Header) *http.Response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		req.Header[k] = v
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Result()
}

func TestHandler(t *testing.T) {
	h := Handler()
	v := h.(*site).version
	tests := []struct {
		name, method, target string
		status               int
		ctype, cache         string
		bodyHas              string
	}{
		{"page", "GET", "/", 200, "text/html; charset=utf-8", "no-cache", `<script src="/static/app.js?v=` + v + `" defer>`},
		{"page HEAD", "HEAD", "/", 200, "text/html; charset=utf-8", "no-cache", ""},
		{"versioned script", "GET", "/static/app.js?v=" + v, 200, "text/javascript; charset=utf-8", "public, max-age=31536000, immutable", "EventSource"},
		{"unversioned script", "GET", "/static/app.js", 200, "text/javascript; charset=utf-8", "no-cache", "use strict"},
		{"stale version", "GET", "/static/style.css?v=old", 200, "text/css; charset=utf-8", "no-cache", ":root"},
		{"icon", "GET", "/static/icon.svg?v=" + v, 200, "image/svg+xml", "public, max-age=31536000, immutable", "<svg"},
		{"missing asset", "GET", "/static/nope.js", 404, "", "", ""},
		{"template not served raw", "GET", "/static/index.html", 404, "", "", ""},
		{"traversal", "GET", "/static/../web.go", 404, "", "", ""},
		{"other path", "GET", "/admin", 404, "", "", ""},
		{"POST refused", "POST", "/", 405, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := serve(t, h, tt.method, tt.target, nil)
			body, _ := io.ReadAll(resp.Body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status: got %d, want %d", resp.StatusCode, tt.status)
			}
			hdr := resp.Header
			for k, want := range map[string]string{
				"Content-Security-Policy": ContentSecurityPolicy,
				"X-Content-Type-Options":  "nosniff",
				"Referrer-Policy":         "no-referrer",
				"X-Frame-Options":         "DENY",
			} {
				if got := hdr.Get(k); got != want {
					t.Errorf("%s: got %q, want %q", k, got, want)
				}
			}
			if tt.ctype != "" && hdr.Get("Content-Type") != tt.ctype {
				t.Errorf("Content-Type: got %q, want %q", hdr.Get("Content-Type"), tt.ctype)
			}
			if tt.cache != "" && hdr.Get("Cache-Control") != tt.cache {
				t.Errorf("Cache-Control: got %q, want %q", hdr.Get("Cache-Control"), tt.cache)
			}
			if !strings.Contains(string(body), tt.bodyHas) {
				t.Errorf("body lacks %q", tt.bodyHas)
			}
			if tt.method == "HEAD" && len(body) != 0 {
				t.Errorf("HEAD sent a body of %d bytes", len(body))
			}
		})
	}
}

func TestHandlerETag(t *testing.T) {
	h := Handler()
	for _, target := range []string{"/", "/static/app.js"} {
		t.Run(target, func(t *testing.T) {
			first := serve(t, h, "GET", target, nil)
			etag := first.Header.Get("ETag")
			if etag == "" {
				t.Fatalf("no ETag")
			}
			tests := []struct {
				match  string
				status int
			}{{etag, 304}, {"W/" + etag, 304}, {`"other", ` + etag, 304}, {`"other"`, 200}}
			for _, tt := range tests {
				resp := serve(t, h, "GET", target, http.Header{"If-None-Match": {tt.match}})
				if resp.StatusCode != tt.status {
					t.Errorf("If-None-Match %s: got %d, want %d", tt.match, resp.StatusCode, tt.status)
				}
			}
		})
	}
}

func TestCSPDirectives(t *testing.T) {
	for _, d := range []string{"default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'",
		"require-trusted-types-for 'script'"} {
		if !strings.Contains(ContentSecurityPolicy, d) {
			t.Errorf("policy lacks %q", d)
		}
	}
	for _, bad := range []string{"unsafe-inline", "unsafe-eval", "*", "data:"} {
		if strings.Contains(ContentSecurityPolicy, bad) {
			t.Errorf("policy allows %q", bad)
		}
	}
}

// TestAssetsAvoidHTMLSinks keeps the script honest: feed text must reach
// the DOM as text, so no API that parses a string as markup or code may
// appear, and the page may hold no inline script, style or handler.
func TestAssetsAvoidHTMLSinks(t *testing.T) {
	sinks := regexp.MustCompile(`innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|setTimeout\(['"]|DOMParser|createContextualFragment|srcdoc`)
	err := fs.WalkDir(assets, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(assets, p)
		if err != nil {
			return err
		}
		switch {
		case strings.HasSuffix(p, ".js"):
			if m := sinks.FindString(string(body)); m != "" {
				t.Errorf("%s uses %s", p, m)
			}
		case strings.HasSuffix(p, ".html"):
			for _, tag := range regexp.MustCompile(`<script[^>]*>[^<]*</script>`).FindAllString(string(body), -1) {
				if !strings.Contains(tag, " src=") || !strings.HasSuffix(tag, "></script>") {
					t.Errorf("%s has an inline script: %s", p, tag)
				}
			}
			if m := regexp.MustCompile(`\son[a-z]+\s*=|\sstyle\s*=|<style`).FindString(string(body)); m != "" {
				t.Errorf("%s has inline style or handler: %q", p, m)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
