package poller

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	readability "codeberg.org/readeck/go-readability/v2"

	"github.com/dateline/dateline/internal/article"
	"github.com/dateline/dateline/internal/fetch"
)

// addFullText replaces a's text with the main text of its page when that is
// longer than what the feed carried. The fetch has the same limits and SSRF
// guard as feeds and waits PerHostSpacing first, as the page is usually on
// the feed's host. Failures keep the feed's text and are logged at debug.
func (p *Poller) addFullText(ctx context.Context, a *article.Article) {
	if p.opts.PerHostSpacing > 0 {
		t := time.NewTimer(p.opts.PerHostSpacing)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return
		}
	}
	text, err := p.fullText(ctx, a.URL)
	if err != nil {
		p.opts.Logger.Debug("full text", "feed", a.Feed, "url", a.URL, "err", err)
		return
	}
	if len(text) > len(a.Text) {
		a.Text = text
	}
}

// fullText fetches pageURL and extracts its main text with readability.
func (p *Poller) fullText(ctx context.Context, pageURL string) (string, error) {
	resp, err := p.fetcher.Get(ctx, fetch.Request{URL: pageURL, Accept: "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"})
	if err != nil {
		return "", fmt.Errorf("fetch page %s: %w", pageURL, err)
	}
	return PageText(resp.Body, resp.Header.Get("Content-Type"), resp.URL)
}

// PageText returns the main text of an HTML page as the poller's full-text
// path stores it: decoded to UTF-8 (pageEncoding), its article found by
// readability and turned into paragraphs (ItemText). pageURL resolves the
// page's relative links.
func PageText(page []byte, contentType, pageURL string) (string, error) {
	page, err := decodePage(page, contentType)
	if err != nil {
		return "", fmt.Errorf("decode page %s: %w", pageURL, err)
	}
	base, err := url.Parse(pageURL)
	if err != nil {
		return "", fmt.Errorf("page url %s: %w", pageURL, err)
	}
	art, err := readability.FromReader(bytes.NewReader(page), base)
	if err != nil {
		return "", fmt.Errorf("extract %s: %w", pageURL, err)
	}
	var b strings.Builder
	if err := art.RenderHTML(&b); err != nil {
		return "", fmt.Errorf("render %s: %w", pageURL, err)
	}
	return ItemText(b.String()), nil
}
