package export

import (
	"bytes"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/dateline/dateline/internal/event"
)

// icsProp is one parsed content line.
type icsProp struct {
	name, params, value string
}

// parseICS checks the physical form of an iCalendar stream (CRLF, lines of
// at most 75 octets, folds not splitting UTF-8) and returns its VEVENTs as
// property lists, unfolded.
func parseICS(t testing.TB, raw string) [][]icsProp {
	t.Helper()
	if !strings.HasSuffix(raw, "\r\n") {
		t.Fatalf("stream does not end with CRLF")
	}
	physical := strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n")
	var logical []string
	for i, l := range physical {
		if strings.ContainsAny(l, "\r\n") {
			t.Fatalf("line %d holds a bare CR or LF: %q", i+1, l)
		}
		if len(l) > icsLineOctets {
			t.Errorf("line %d is %d octets, over %d: %q", i+1, len(l), icsLineOctets, l)
		}
		if !utf8.ValidString(l) {
			t.Errorf("line %d splits a UTF-8 sequence: %q", i+1, l)
		}
		if strings.HasPrefix(l, " ") && len(logical) > 0 {
			logical[len(logical)-1] += l[1:]
			continue
		}
		logical = append(logical, l)
	}
	if logical[0] != "BEGIN:VCALENDAR" || logical[len(logical)-1] != "END:VCALENDAR" {
		t.Fatalf("not wrapped in VCALENDAR: %q … %q", logical[0], logical[len(logical)-1])
	}
	var events [][]icsProp
	var cur []icsProp
	for _, l := range logical {
		nameParams, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("content line without a colon: %q", l)
		}
		name, params, _ := strings.Cut(nameParams, ";")
		switch {
		case l == "BEGIN:VEVENT":
			cur = []icsProp{}
		case l == "END:VEVENT":
			events = append(events, cur)
			cur = nil
		case cur != nil:
			cur = append(cur, icsProp{name, params, value})
		}
	}
	return events
}

// icsUnescape reverses TEXT escaping.
func icsUnescape(s string) string {
	return strings.NewReplacer(`\\`, `\`, `\;`, ";", `\,`, ",", `\n`, "\n", `\N`, "\n").Replace(s)
}

func icsGet(props []icsProp, name string) (icsProp, int) {
	var found icsProp
	n := 0
	for _, p := range props {
		if p.name == name {
			found = p
			n++
		}
	}
	return found, n
}

func TestICS(t *testing.T) {
	var buf bytes.Buffer
	meta := FeedMeta{Title: "Dateline: korea, russia", Updated: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)}
	if err := ICS(&buf, meta, fixture()); err != nil {
		t.Fatalf("ICS: %v", err)
	}
	raw := buf.String()
	if !strings.Contains(raw, "X-WR-CALNAME:Dateline: korea\\, russia\r\n") {
		t.Errorf("calendar name not escaped:\n%s", raw)
	}
	events := parseICS(t, raw)
	tests := []struct {
		name               string
		uid, start, end    string
		summary, url, stat string
		descHas            string
	}{
		{"day", "e01@dateline", "20240619", "20240620", "treaty signing: " + fixture()[0].Title,
			"https://example.org/news/nk-russia?x=1&y=2", "CONFIRMED", "June 19, 2024"},
		{"month span", "e02@dateline", "20230901", "20241001", "arms transfer: " + fixture()[1].Title,
			"https://example.org/news/nk-russia?x=1&y=2", "CONFIRMED", "shells; officials said so."},
		{"year, hostile", "e03@dateline", "20230101", "20240101", "protest: " + xssTitle, "", "TENTATIVE",
			"a, b \\ c\nnext line"},
		{"data: URL dropped", "e04@dateline", "20240525", "20240526", "military strike: " + fixture()[3].Title, "", "CANCELLED",
			"Source:\n- Kharkiv (Kyiv Post)"},
	}
	if len(events) != len(tests) {
		t.Fatalf("VEVENTs: got %d, want %d", len(events), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev := events[i]
			for _, req := range []string{"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "DESCRIPTION"} {
				if _, n := icsGet(ev, req); n != 1 {
					t.Errorf("%s: %d properties, want 1", req, n)
				}
			}
			check := func(name, got, want string) {
				t.Helper()
				if got != want {
					t.Errorf("%s: got %q, want %q", name, got, want)
				}
			}
			uid, _ := icsGet(ev, "UID")
			check("UID", icsUnescape(uid.value), tt.uid)
			stamp, _ := icsGet(ev, "DTSTAMP")
			check("DTSTAMP", stamp.value, "20250102T030405Z")
			start, _ := icsGet(ev, "DTSTART")
			check("DTSTART", start.params+":"+start.value, "VALUE=DATE:"+tt.start)
			end, _ := icsGet(ev, "DTEND")
			check("DTEND", end.params+":"+end.value, "VALUE=DATE:"+tt.end)
			sum, _ := icsGet(ev, "SUMMARY")
			check("SUMMARY", icsUnescape(sum.value), tt.summary)
			u, _ := icsGet(ev, "URL")
			check("URL", u.value, tt.url)
			st, _ := icsGet(ev, "STATUS")
			check("STATUS", st.value, tt.stat)
			desc, _ := icsGet(ev, "DESCRIPTION")
			if d := icsUnescape(desc.value); !strings.Contains(d, tt.descHas) {
				t.Errorf("DESCRIPTION %q lacks %q", d, tt.descHas)
			}
		})
	}
}

func TestICSFolding(t *testing.T) {
	tests := []struct {
		name, title string
	}{
		{"ascii", strings.Repeat("abcdefghij", 30)},
		{"two-byte runes", strings.Repeat("Übersicht ", 30)},
		{"four-byte runes", strings.Repeat("🛰️", 40)},
		{"escapes at the fold", strings.Repeat(`,;\`, 60)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := fixture()[0]
			e.Title = tt.title
			var buf bytes.Buffer
			if err := ICS(&buf, FeedMeta{}, []event.Event{e}); err != nil {
				t.Fatalf("ICS: %v", err)
			}
			events := parseICS(t, buf.String())
			sum, _ := icsGet(events[0], "SUMMARY")
			if got, want := icsUnescape(sum.value), "treaty signing: "+tt.title; got != want {
				t.Errorf("SUMMARY round trip: got %q, want %q", got, want)
			}
		})
	}
}

func FuzzICS(f *testing.F) {
	f.Add(xssTitle, "a,b;c\\d\ne")
	f.Add(strings.Repeat("é", 100), "\r\n\x00")
	f.Fuzz(func(t *testing.T, title, sentence string) {
		e := fixture()[0]
		e.Title, e.Sentence = title, sentence
		var buf bytes.Buffer
		if err := ICS(&buf, FeedMeta{}, []event.Event{e}); err != nil {
			t.Fatalf("ICS: %v", err)
		}
		events := parseICS(t, buf.String())
		if len(events) != 1 {
			t.Fatalf("VEVENTs: got %d, want 1", len(events))
		}
		sum, _ := icsGet(events[0], "SUMMARY")
		if got, want := icsUnescape(sum.value), "treaty signing: "+cleanText(title); got != want {
			t.Errorf("SUMMARY round trip: got %q, want %q", got, want)
		}
	})
}
