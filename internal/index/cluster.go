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
// article. Reports (events read from one article each) first fall into
// report groups by an exact key (see Clustering.key: type, status, dates
// and an anchor); report groups then join into clusters when they are
// compatible, not identical (see compat.go): the same type or types CAMEO
// treats as one happening, dates compatible at their precisions, status
// compatible, actors overlapping, places compatible. Which groups join is
// a pure function of the set of reports (see partition in regroup.go), so
// it does not depend on the order articles arrive in. A cluster is
// indexed as one merged Event (see merge) whose id is the id of its
// earliest published report's group (ClusterID); the ids of its other
// groups are its FormerIDs, and looking one of them up finds it.

// Clustering is how reports become one happening: for each event type,
// its anchor (rules.TypeFacts.Anchor) and the types it may merge with
// (its CAMEO code's family), from the rules in pipelines/, and what
// actors stand for (names.go), from the built-in gazetteer. It is a plain
// value, immutable and safe for concurrent use; the zero value anchors
// every type on its actors and merges each type only with itself.
type Clustering struct {
	// byPlace holds the types anchored on their place.
	byPlace map[string]bool
	// family maps a type to the type that stands for its CAMEO family
	// (see NewClustering); a type not in it is its own family.
	family map[string]string
	// names maps a lower-case actor to what it stands for, and people a
	// lower-case public figure to what they stand for (names.go).
	names  map[string]string
	people map[string]string
}

// NewClustering returns the clustering of the types' facts. A type not in
// types is anchored on its actors.
//
// Types of one CAMEO family merge: CAMEO gives each root a generic code
// ("040 Consult, not specified below") beside specific ones ("046 Engage
// in negotiation"), and a report coded with the generic may tell the same
// happening as one coded with a specific code of the same root. A type
// whose three-digit code shares its root with the generic code of another
// type with the same anchor joins that type's family; other types are
// their own.
func NewClustering(types rules.Catalog) Clustering {
	c := Clustering{byPlace: map[string]bool{}, family: map[string]string{}}
	// The names are embedded in the binary and read by the package
	// tests (TestActorNames): an error here cannot happen in a build
	// that passed them, and without names actors compare as written.
	names, _ := actorNames()
	c.names, c.people = names.standsFor, names.people
	generic := map[string]rules.TypeFacts{} // root+anchor -> the type with the generic code
	for _, t := range types {
		if t.Anchor == rules.AnchorPlace {
			c.byPlace[t.ID] = true
		}
		if len(t.CAMEO) == 3 && t.CAMEO[2] == '0' {
			generic[t.CAMEO[:2]+"\x00"+string(t.Anchor)] = t
		}
	}
	for _, t := range types {
		if len(t.CAMEO) != 3 {
			continue
		}
		if g, ok := generic[t.CAMEO[:2]+"\x00"+string(t.Anchor)]; ok && g.ID != t.ID {
			c.family[t.ID] = g.ID
		}
	}
	return c
}

// familyOf returns the type standing for typ's CAMEO family.
func (c Clustering) familyOf(typ string) string {
	if f, ok := c.family[typ]; ok {
		return f
	}
	return typ
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

// ID returns the id of e's report group under c: the id of the merged
// event while e's group is alone or the earliest published in its
// cluster, else one of its FormerIDs (see ClusterID).
func (c Clustering) ID(e event.Event) string { return clusterID(c.key(e)) }

// key returns the key of e's report group: type, status, date, end
// date and an anchor. Reports with one key always share a cluster. For a type anchored on its place, the anchor is the
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
//   - ID is id (the cluster's).
//   - Title and Sentence come from the representative: the member with
//     the highest confidence (ties: the earliest published, then the
//     smallest event id).
//   - Date, DateEnd, Precision and DateText come from the member with the
//     finest precision (ties: the representative order): "June 19" tells
//     more than "June".
//   - Status is occurred when any member says so (a planned happening
//     reported as done), else the representative's.
//   - Type and CAMEO are the representative's, unless its code is the
//     generic one of its CAMEO root ("040") and a member has a specific
//     code of that root ("046"): then the first such member's.
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
	e.Sources, e.SourceCount, e.FormerIDs = nil, 0, nil
	dated, typed := rep, rep
	for _, m := range ms {
		if precisionRank(m) > precisionRank(dated) || precisionRank(m) == precisionRank(dated) && representative(m, dated) {
			dated = m
		}
		if typed.Type == rep.Type && m.Type != rep.Type && genericOf(rep.CAMEO, m.CAMEO) {
			typed = m
		}
		if m.Status == event.Occurred {
			e.Status = event.Occurred
		}
	}
	e.Date, e.DateEnd, e.Precision, e.DateText = dated.Date, dated.DateEnd, dated.Precision, dated.DateText
	e.Type, e.CAMEO = typed.Type, typed.CAMEO

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

// genericOf reports whether CAMEO code g is the generic code of the root
// of the specific code c ("040" of "046").
func genericOf(g, c string) bool {
	return len(g) == 3 && len(c) == 3 && g[2] == '0' && c[2] != '0' && g[:2] == c[:2]
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
