package poller

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	ext "github.com/mmcdole/gofeed/extensions"
	gofeedrss "github.com/mmcdole/gofeed/rss"
	"golang.org/x/net/html/charset"
)

// parseFeed decodes body to UTF-8 if the HTTP Content-Type declares another
// charset that the document itself does not, and parses it with gofeed (RSS
// 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed). Charsets declared in the XML
// prolog are handled by gofeed's own decoder. XML nested deeper than
// maxXMLDepth is refused before gofeed sees it.
func parseFeed(body []byte, contentType string) (*gofeed.Feed, error) {
	text, err := utf8Body(body, contentType)
	if err != nil {
		return nil, err
	}
	if err := checkXMLDepth(text, maxXMLDepth); err != nil {
		return nil, fmt.Errorf("parse feed: %w", err)
	}
	p := gofeed.NewParser()
	p.KeepOriginalFeed = true // for the RSS <ttl> hint
	// We do not use item images; scanning every item's HTML for one costs
	// about a fifth of the parse.
	p.RSSTranslator = &gofeed.DefaultRSSTranslator{DisableContentImageScan: true}
	f, err := p.Parse(bytes.NewReader(text))
	if err != nil {
		return nil, fmt.Errorf("parse feed: %w", err)
	}
	return f, nil
}

// utf8Body returns body converted to UTF-8 according to the Content-Type
// charset, unless the body declares its own encoding in an XML prolog (the
// parser honours that) or the charset is already UTF-8.
func utf8Body(body []byte, contentType string) ([]byte, error) {
	cs := mediaCharset(contentType)
	if cs == "" || cs == "utf-8" || cs == "utf8" || cs == "us-ascii" || xmlDeclaresEncoding(body) {
		return body, nil
	}
	enc, _ := charset.Lookup(cs)
	if enc == nil {
		return body, nil // unknown label: let the parser try
	}
	out, err := enc.NewDecoder().Bytes(body)
	if err != nil {
		return nil, fmt.Errorf("decode %s body: %w", cs, err)
	}
	return out, nil
}

// xmlDeclaresEncoding reports an XML prolog with an encoding attribute.
func xmlDeclaresEncoding(body []byte) bool {
	head := body[:min(len(body), 200)]
	head = bytes.TrimLeft(head, "\xef\xbb\xbf \t\r\n")
	if !bytes.HasPrefix(head, []byte("<?xml")) {
		return false
	}
	end := bytes.Index(head, []byte("?>"))
	if end < 0 {
		end = len(head)
	}
	return bytes.Contains(head[:end], []byte("encoding"))
}

// feedHint returns the polling interval a feed asks for in its body, and
// where it says so: RSS <ttl> (minutes) or sy:updatePeriod with
// sy:updateFrequency. Zero means no hint.
func feedHint(f *gofeed.Feed) (time.Duration, string) {
	if orig, ok := f.OriginalFeed().(*gofeedrss.Feed); ok && orig != nil {
		if m, err := strconv.Atoi(strings.TrimSpace(orig.TTL)); err == nil && m > 0 {
			return time.Duration(m) * time.Minute, "ttl hint"
		}
	}
	sy := f.Extensions["sy"]
	if sy == nil {
		return 0, ""
	}
	period := extValue(sy["updatePeriod"])
	var unit time.Duration
	switch strings.ToLower(period) {
	case "hourly":
		unit = time.Hour
	case "daily":
		unit = 24 * time.Hour
	case "weekly":
		unit = 7 * 24 * time.Hour
	case "monthly":
		unit = 30 * 24 * time.Hour
	case "yearly":
		unit = 365 * 24 * time.Hour
	default:
		return 0, ""
	}
	freq := 1
	if n, err := strconv.Atoi(extValue(sy["updateFrequency"])); err == nil && n > 0 {
		freq = n
	}
	return unit / time.Duration(freq), "sy:updatePeriod hint"
}

func extValue(xs []ext.Extension) string {
	if len(xs) == 0 {
		return ""
	}
	return strings.TrimSpace(xs[0].Value)
}

// feedRhythm is the adaptive polling hint from the feed's item dates.
func feedRhythm(f *gofeed.Feed) time.Duration {
	dates := make([]time.Time, 0, len(f.Items))
	for _, it := range f.Items {
		if it == nil {
			continue
		}
		if d := itemDate(it); !d.IsZero() {
			dates = append(dates, d)
		}
	}
	return rhythm(dates)
}
