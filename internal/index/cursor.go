package index

import (
	"encoding/base64"
	"encoding/json"
	"strconv"

	"github.com/blevesearch/bleve/v2/search"
)

// maxCursorBytes bounds an encoded cursor.
const maxCursorBytes = 512

// cursor is the decoded form of Result.Next: the sort it belongs to and
// the sort values of the last hit returned (Bleve search_after).
type cursor struct {
	Sort  string   `json:"s"`
	After []string `json:"a"`
}

// sortOrder returns the Bleve sort of an effective sort: the key, then
// the document id as a tie-breaker so that the order is total and paging
// with search_after neither skips nor repeats.
func sortOrder(sort string) []string {
	switch sort {
	case SortDate:
		return []string{fDay, "_id"}
	case SortRelevance:
		return []string{"-_score", "_id"}
	default:
		return []string{"-" + fDay, "-_id"}
	}
}

// encodeCursor returns the cursor that continues after hit.
func encodeCursor(sort string, hit *search.DocumentMatch) string {
	var after []string
	switch sort {
	case SortRelevance:
		after = []string{strconv.FormatFloat(hit.Score, 'g', -1, 64), hit.ID}
	default:
		day := undatedDay
		if len(hit.Sort) > 0 {
			day = hit.Sort[0]
		}
		after = []string{day, hit.ID}
	}
	raw, _ := json.Marshal(cursor{Sort: sort, After: after})
	return base64.RawURLEncoding.EncodeToString(raw)
}

// decodeCursor checks that s is a cursor for sort and returns its
// search_after values.
func decodeCursor(s, sort string) ([]string, error) {
	if len(s) > maxCursorBytes {
		return nil, qerr("cursor", "longer than %d bytes", maxCursorBytes)
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, qerr("cursor", "not a cursor from this API")
	}
	var c cursor
	if err := json.Unmarshal(raw, &c); err != nil || len(c.After) != 2 {
		return nil, qerr("cursor", "not a cursor from this API")
	}
	if c.Sort != sort {
		return nil, qerr("cursor", "cursor is for sort %q, not %q", clip(c.Sort), sort)
	}
	if sort == SortRelevance {
		if _, err := strconv.ParseFloat(c.After[0], 64); err != nil {
			return nil, qerr("cursor", "bad score")
		}
	} else if len(c.After[0]) != len(undatedDay) {
		return nil, qerr("cursor", "bad date")
	}
	return c.After, nil
}
