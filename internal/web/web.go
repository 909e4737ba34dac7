// Package web serves Dateline's web timeline: one HTML page, its script
// and its style sheet, embedded in the binary so that nothing needs
// building or installing to run it. The page talks to the JSON API
// (/api/v1/events, /api/v1/timeline, /api/v1/stream) of the same origin.
//
// Every response carries a strict Content-Security-Policy (scripts and
// styles from this origin only, no inline script, Trusted Types enforced so
// that no HTML string can reach the DOM), and the script inserts all
// feed-derived text with textContent, never as markup.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

//go:embed static
var assets embed.FS

// ContentSecurityPolicy is the policy sent with every response of Handler.
const ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; " +
	"form-action 'self'; require-trusted-types-for 'script'; trusted-types 'none'"

// asset is one embedded file, ready to serve.
type asset struct {
	body  []byte
	ctype string
	etag  string
}

// site is the handler built by Handler; it holds no mutable state.
type site struct {
	page    asset
	static  map[string]asset // by name under /static/
	version string           // digest of every asset, the ?v= of their URLs
}

// Handler returns the web timeline: GET / serves the page and
// GET /static/{name} its assets. Asset URLs in the page carry a version
// (?v=digest), so the browser may cache them for a year; the page itself is
// revalidated on every load (ETag). Anything else is 404, and methods other
// than GET and HEAD are 405. The handler is safe for concurrent use.
func Handler() http.Handler {
	s, err := newSite(assets)
	if err != nil {
		// The assets are embedded at build time: failing here is a bug
		// caught by the package tests.
		panic(fmt.Sprintf("web: %v", err))
	}
	return s
}

func newSite(fsys fs.FS) (*site, error) {
	s := &site{static: map[string]asset{}}
	h := sha256.New()
	var page []byte
	err := fs.WalkDir(fsys, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		h.Write([]byte(p))
		h.Write(body)
		name := strings.TrimPrefix(p, "static/")
		if name == "index.html" {
			page = body
			return nil
		}
		s.static[name] = newAsset(body, contentType(name))
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read assets: %w", err)
	}
	if page == nil {
		return nil, fmt.Errorf("read assets: static/index.html is missing")
	}
	s.version = hex.EncodeToString(h.Sum(nil))[:16]
	tmpl, err := template.New("index.html").Parse(string(page))
	if err != nil {
		return nil, fmt.Errorf("parse index.html: %w", err)
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, map[string]string{"V": s.version}); err != nil {
		return nil, fmt.Errorf("render index.html: %w", err)
	}
	s.page = newAsset(buf.Bytes(), "text/html; charset=utf-8")
	return s, nil
}

func newAsset(body []byte, ctype string) asset {
	sum := sha256.Sum256(body)
	return asset{body: body, ctype: ctype, etag: `"` + hex.EncodeToString(sum[:])[:20] + `"`}
}

// contentType maps the extensions the page uses to their types, so that
// the answer does not depend on the host's MIME database.
func contentType(name string) string {
	switch path.Ext(name) {
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".json":
		return "application/json"
	case ".webmanifest":
		return "application/manifest+json"
	case ".html":
		return "text/html; charset=utf-8"
	}
	return "application/octet-stream"
}

// ServeHTTP serves the page and the assets with the security headers.
func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", ContentSecurityPolicy)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	switch {
	case r.URL.Path == "/":
		h.Set("Cache-Control", "no-cache")
		s.write(w, r, s.page)
	case strings.HasPrefix(r.URL.Path, "/static/"):
		a, ok := s.static[strings.TrimPrefix(r.URL.Path, "/static/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if r.URL.Query().Get("v") == s.version {
			h.Set("Cache-Control", "public, max-age=31536000, immutable")
		} else {
			h.Set("Cache-Control", "no-cache")
		}
		s.write(w, r, a)
	default:
		http.NotFound(w, r)
	}
}

// write sends a, or 304 when the client holds the same version.
func (s *site) write(w http.ResponseWriter, r *http.Request, a asset) {
	h := w.Header()
	h.Set("ETag", a.etag)
	h.Set("Vary", "Accept-Encoding")
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatch(match, a.etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Type", a.ctype)
	h.Set("Content-Length", fmt.Sprint(len(a.body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(a.body)
	}
}

// etagMatch reports whether an If-None-Match list names etag (weak
// comparison, RFC 9110 section 13.1.2).
func etagMatch(header, etag string) bool {
	for part := range strings.SplitSeq(header, ",") {
		part = strings.TrimPrefix(strings.TrimSpace(part), "W/")
		if part == etag || part == "*" {
			return true
		}
	}
	return false
}
