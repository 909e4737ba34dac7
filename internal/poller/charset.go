package poller

import (
	"bytes"
	"mime"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
)

// Many servers send pages without a charset in Content-Type, and many
// pages declare theirs in a <meta> past the first 1,024 bytes the HTML
// standard's prescan reads (after long scripts and styles). The standard's
// last resort, Windows-1252, then turns UTF-8 into mojibake ("Bin Ladenâ€™s",
// "LONDON â€” After"). pageEncoding trusts, in order: a byte-order mark or
// the Content-Type charset; then a body that is valid UTF-8 (text in a
// legacy 8-bit charset almost never is, once it has a byte above 0x7F);
// then a <meta> declaration anywhere in the head; then Windows-1252.

// maxMetaScan bounds how far into a page a <meta> charset is looked for.
const maxMetaScan = 64 << 10

// pageEncoding returns the encoding of an HTML page and its name.
func pageEncoding(body []byte, contentType string) (encoding.Encoding, string) {
	if e, name, certain := charset.DetermineEncoding(body, contentType); certain {
		return e, name
	}
	if utf8.Valid(body) {
		return encoding.Nop, "utf-8"
	}
	if e, name := metaCharset(body[:min(len(body), maxMetaScan)]); e != nil {
		return e, name
	}
	e, name, _ := charset.DetermineEncoding(body, contentType)
	return e, name
}

// metaCharset returns the encoding a <meta charset> or <meta
// http-equiv="Content-Type" content="…; charset=…"> of head declares.
func metaCharset(head []byte) (encoding.Encoding, string) {
	low := bytes.ToLower(head)
	for pos := 0; ; {
		i := bytes.Index(low[pos:], []byte("<meta"))
		if i < 0 {
			return nil, ""
		}
		start := pos + i
		end := bytes.IndexByte(low[start:], '>')
		if end < 0 {
			return nil, ""
		}
		tag := string(low[start : start+end])
		pos = start + end
		k := strings.Index(tag, "charset=")
		if k < 0 {
			continue
		}
		label := strings.TrimLeft(tag[k+len("charset="):], `"' `)
		if j := strings.IndexAny(label, `"'; /`); j >= 0 {
			label = label[:j]
		}
		if e, name := charset.Lookup(label); e != nil {
			return e, name
		}
	}
}

// decodePage returns an HTML page converted to UTF-8.
func decodePage(body []byte, contentType string) ([]byte, error) {
	e, _ := pageEncoding(body, contentType)
	if e == encoding.Nop {
		return body, nil
	}
	return e.NewDecoder().Bytes(body)
}

// mediaCharset returns the charset parameter of a Content-Type, lower case.
func mediaCharset(contentType string) string {
	_, params, _ := mime.ParseMediaType(contentType)
	return strings.ToLower(strings.TrimSpace(params["charset"]))
}
