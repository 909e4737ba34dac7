package rules

import (
	"fmt"
	"strings"
	"time"
)

// ParsePublished parses an example's publication date: RFC 3339 or
// YYYY-MM-DD (midnight UTC).
func ParsePublished(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q: want RFC 3339 or YYYY-MM-DD", s)
	}
	return t, nil
}

// ParseEventSpec splits an example's "type date" ("meeting 2024-06-04")
// into its type and date; a date alone has an empty type. The date must
// be YYYY, YYYY-MM or YYYY-MM-DD.
func ParseEventSpec(s string) (typ, date string, err error) {
	f := strings.Fields(s)
	switch len(f) {
	case 1:
		date = f[0]
	case 2:
		typ, date = f[0], f[1]
	default:
		return "", "", fmt.Errorf("%q: want \"type date\" or a date", s)
	}
	for _, layout := range []string{"2006", "2006-01", time.DateOnly} {
		if len(date) == len(layout) {
			if _, err := time.Parse(layout, date); err == nil {
				return typ, date, nil
			}
		}
	}
	return "", "", fmt.Errorf("%q: the date must be YYYY, YYYY-MM or YYYY-MM-DD", s)
}
