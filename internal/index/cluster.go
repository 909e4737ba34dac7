package index

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"math"
	"slices"
	"strings"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/pipelines"
)

// Clustering: the index holds one document per happening, not per
// article. Every event read from an article (a member) gets a cluster key
// from what identifies the happening (see Clustering.key); members with the
// same key form one cluster, indexed as one merged Event (see merge) whose
// id is a digest of the key. The merged event is a pure function of the
// set of members, so it does not depend on the order articles arrive in,
// and its id never changes as sources come and go.
//
// Keys are exact: the same type, status, date and end date strings (so a
// report dated "June 2024" and one dated "June 19, 2024" stay apart) and
// the same anchor. Fuzzy matching (compatible precisions, overlapping
// actor sets) would need clusters that join and split, and ids that could
// not stay stable.

// Clustering is how reports become one happening: for each event type,
// its anchor (rules.TypeFacts.Anchor) from the rules in pipelines/. It is
// a plain value, immutable and safe for concurrent use; the zero value
// anchors every type on its actors.
type Clustering struct {
	// byPlace holds the types anchored on their place.
	byPlace map[string]bool
}

// NewClustering returns the clustering of the types' facts. A type not in
// types is anchored on its actors.
func NewClustering(types rules.Catalog) Clustering {
	c := Clustering{byPlace: map[string]bool{}}
	for _, t := range types {
		if t.Anchor == rules.AnchorPlace {
			c.byPlace[t.ID] = true
		}
	}
	return c
}

// builtinClustering is the clustering of the rules built into the binary
// (pipelines/events.yaml).
func builtinClustering() (Clustering, error) {
	types, err := pipelines.Catalog()
	if err != nil {
		return Clustering{}, err
	}
	return NewClustering(types), nil
}

// ID returns the id of the merged event the index gives e under c (see
// ClusterID).
func (c Clustering) ID(e event.Event) string { return clusterID(c.key(e)) }

// key returns the key of the happening e reports: type, status, date, end
// date and an anchor. For a type anchored on its place, the anchor is the
// first place's name when it has one; otherwise the sorted set of actors
// (case-insensitive); otherwise the first place. An event with neither
// actors nor places is anchored on its own id and merges with nothing.
func (c Clustering) key(e event.Event) string {
	anchor := ""
	firstPlace := ""
	if len(e.Places) > 0 {
		firstPlace = strings.ToLower(strings.TrimSpace(e.Places[0].Name))
	}
	actors := make([]string, 0, len(e.Actors))
	for _, a := range e.Actors {
		if a = strings.ToLower(strings.TrimSpace(a)); a != "" {
			actors = append(actors, a)
		}
	}
	slices.Sort(actors)
	actors = slices.Compact(actors)
	switch {
	case c.byPlace[e.Type] && firstPlace != "":
		anchor = "place\x1f" + firstPlace
	case len(actors) > 0:
		anchor = "actors\x1f" + strings.Join(actors, "\x1f")
	case firstPlace != "":
		anchor = "place\x1f" + firstPlace
	default:
		anchor = "event\x1f" + e.ID
	}
	return strings.Join([]string{e.Type, string(e.Status), e.Date, e.DateEnd, anchor}, "\x00")
}

// clusterID returns the id of the merged event of a cluster key: 24 hex
// digits, like event.ID, and never equal to a member id in practice.
func clusterID(key string) string {
	h := sha256.Sum256([]byte("dateline.cluster\x00" + key))
	return hex.EncodeToString(h[:])[:24]
}

// memberOrder orders members by publication, then article id, then event
// id: the order of Sources and the order merge reads members in.
func memberOrder(a, b event.Event) int {
	if c := a.Article.Published.Compare(b.Article.Published); c != 0 {
		return c
	}
	return cmp.Or(strings.Compare(a.Article.ID, b.Article.ID), strings.Compare(a.ID, b.ID))
}

// sortMembers sorts members into memberOrder and drops repeated event
// ids (keeping the last given), so the result depends only on the set.
func sortMembers(ms []event.Event) []event.Event {
	seen := make(map[string]int, len(ms))
	out := ms[:0:0]
	for _, m := range ms {
		if i, ok := seen[m.ID]; ok {
			out[i] = m
			continue
		}
		seen[m.ID] = len(out)
		out = append(out, m)
	}
	slices.SortFunc(out, memberOrder)
	return out
}

// representative reports whether a should speak for a cluster rather than
// b: higher confidence, then earlier publication, then smaller event id.
func representative(a, b event.Event) bool {
	if a.Confidence != b.Confidence {
		return a.Confidence > b.Confidence
	}
	if c := a.Article.Published.Compare(b.Article.Published); c != 0 {
		return c < 0
	}
	return a.ID < b.ID
}

// sourceBoost is the share of the remaining doubt (1 - confidence) that
// each independent source beyond the first removes.
const sourceBoost = 0.1

// merge returns the event of a cluster from its members, sorted by
// sortMembers (at least one). The rules:
//
//   - ID is id (the cluster's); type, status and dates are the key's.
//   - Title, Sentence, DateText, Precision and CAMEO come from the
//     representative: the member with the highest confidence (ties: the
//     earliest published, then the smallest event id).
//   - Article is the earliest published member's (ties: article id).
//   - Actors and Places are the union: the representative's in its order,
//     then the others' in member order, without repeats (case-insensitive;
//     places by name).
//   - Mentions is the sum over members.
//   - With members from two or more articles, Sources lists every member
//     (in member order) and SourceCount counts distinct feeds (an article
//     without a feed counts as its own source); Confidence is the highest
//     member confidence c raised by independent sources:
//     1 - (1-c)·0.9^(feeds-1), rounded to 3 decimals, never below c.
//     From one article only, Sources is empty, SourceCount 0 and
//     Confidence the highest, so such an event reads as it was extracted.
func merge(id string, ms []event.Event) event.Event {
	rep := ms[0]
	for _, m := range ms[1:] {
		if representative(m, rep) {
			rep = m
		}
	}
	e := rep
	e.ID = id
	e.Article = ms[0].Article
	e.Sources, e.SourceCount = nil, 0

	e.Actors = unionActors(rep, ms)
	e.Places = unionPlaces(rep, ms)

	e.Mentions, e.Confidence = 0, 0
	articles := map[string]bool{}
	feeds := map[string]bool{}
	for _, m := range ms {
		e.Mentions += m.Mentions
		e.Confidence = max(e.Confidence, m.Confidence)
		articles[m.Article.ID] = true
		if m.Article.Feed != "" {
			feeds["feed\x00"+m.Article.Feed] = true
		} else {
			feeds["article\x00"+m.Article.ID] = true
		}
	}
	if len(articles) < 2 {
		return e
	}
	e.Sources = make([]event.Source, len(ms))
	for i, m := range ms {
		e.Sources[i] = event.Source{ArticleRef: m.Article, EventID: m.ID, Sentence: m.Sentence}
	}
	e.SourceCount = len(feeds)
	if n := len(feeds); n > 1 {
		c := 1 - (1-e.Confidence)*math.Pow(1-sourceBoost, float64(n-1))
		e.Confidence = max(e.Confidence, math.Round(c*1000)/1000)
	}
	return e
}

func unionActors(rep event.Event, ms []event.Event) []string {
	out := []string{}
	seen := map[string]bool{}
	add := func(actors []string) {
		for _, a := range actors {
			if k := strings.ToLower(a); !seen[k] {
				seen[k] = true
				out = append(out, a)
			}
		}
	}
	add(rep.Actors)
	for _, m := range ms {
		add(m.Actors)
	}
	return out
}

func unionPlaces(rep event.Event, ms []event.Event) []event.Place {
	out := []event.Place{}
	seen := map[string]bool{}
	add := func(places []event.Place) {
		for _, p := range places {
			if k := strings.ToLower(p.Name); !seen[k] {
				seen[k] = true
				out = append(out, p)
			}
		}
	}
	add(rep.Places)
	for _, m := range ms {
		add(m.Places)
	}
	return out
}
