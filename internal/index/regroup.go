package index

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/blevesearch/bleve/v2/document"

	"github.com/dateline/dateline/internal/event"
)

// Regrouping: how Apply finds the clusters new reports may join and
// recomputes them.
//
// partition is the rule: a pure function from a set of reports to its
// clusters. Report groups (Clustering.key) are taken most specific first
// (finest date precision, then most actors and places, then the earliest
// published); each joins the first cluster, in the order clusters were
// started, whose leader (its first group) it is compatible with and whose
// every member it is consistent with (compat.go); else it leads a new
// cluster. Taking the most specific report first lets a report naming
// {EU, Iran, Russia} gather the one naming {EU, Iran} and the one naming
// {EU, Russia}, which on their own stay apart; testing every member keeps
// a report from bridging two happenings that contradict each other.
//
// Apply cannot partition the whole index for each batch, so it
// partitions a neighbourhood: the clusters holding the batch's articles,
// the clusters that may hold a report compatible with a new one (found
// through blocking terms, below), and, when a cluster loses or gives up a
// member, the candidates of its remaining members, up to maxRounds times.
// The neighbourhood holds every report compatible with a new one, so
// when reports arrive in publication order the result is the partition of
// the whole index; a report published before others it joins may, in
// rare chains longer than maxRounds, leave a cluster as a different
// arrival order would not have (TestMergeAnyOrder measures this on the
// test set: none).
//
// Blocking terms: every cluster document indexes, in fBlock, terms made
// of a member's type family, a date cell and an anchor token; a new
// report looks up the terms any compatible report would index. Cells: a
// day report indexes its day and "in:" its month, and looks up its day
// and its month; a month report indexes its month and looks up its month
// and "in:" it; a year report its year; a span "s:" each month it touches
// (up to maxSpanCells). Tokens: "a:" each actor; for place types also "p:"
// each place name and "c:" each place's country, and a report looks up
// "p:" its places and their countries and "c:" its places (the cities
// inside a country it names).

// Fields of the regrouping, beside those of mapping.go.
const (
	// fBlock holds the blocking terms of every member (keyword, not
	// stored).
	fBlock = "block"
	// fFormer holds the merged event's FormerIDs (keyword, not stored),
	// so Get finds the event by an id it had.
	fFormer = "former"
)

// maxRounds bounds how many times Apply widens a neighbourhood after a
// cluster lost or gave up members.
const maxRounds = 3

// maxSpanCells bounds the months a span indexes for blocking.
const maxSpanCells = 36

// group is a report group while partition works on it.
type group struct {
	members []event.Event // sorted
	prof    profile
	anchors int
}

// orderedGroups returns the exact-key groups of ms, each sorted by
// sortMembers, in the order partition lets them form clusters: finer
// dates first, then more actors and places, then member order.
func (c Clustering) orderedGroups(ms []event.Event) []group {
	byKey := map[string][]event.Event{}
	for _, m := range ms {
		k := c.key(m)
		byKey[k] = append(byKey[k], m)
	}
	groups := make([]group, 0, len(byKey))
	for _, g := range byKey {
		g = sortMembers(g)
		p := c.profileOf(g)
		places := map[string]bool{}
		for _, pl := range p.places {
			places[strings.ToLower(pl.Name)] = true
		}
		groups = append(groups, group{members: g, prof: p, anchors: len(p.actors) + len(places)})
	}
	slices.SortFunc(groups, func(a, b group) int {
		if r := cmp.Compare(precisionRank(b.members[0]), precisionRank(a.members[0])); r != 0 {
			return r
		}
		if r := cmp.Compare(b.anchors, a.anchors); r != 0 {
			return r
		}
		return memberOrder(a.members[0], b.members[0])
	})
	return groups
}

// partition returns the clusters of ms (see Regrouping), each sorted by
// sortMembers, in the order of their first members. It depends only on the
// set of ms.
func (c Clustering) partition(ms []event.Event) [][]event.Event {
	groups := c.orderedGroups(ms)
	type forming struct {
		profs   []profile
		members []event.Event
	}
	// A group can only join a cluster whose leader is in its bucket
	// (compatBucket); looking only there finds the same first cluster as
	// walking them all, without comparing every pair of a large batch.
	var clusters []*forming
	byBucket := map[string][]*forming{}
next:
	for _, g := range groups {
		bucket, dated := compatBucket(g.prof)
		if !dated {
			clusters = append(clusters, &forming{profs: []profile{g.prof}, members: slices.Clone(g.members)})
			continue // compatible with nothing
		}
		for _, cl := range byBucket[bucket] {
			if !compatible(cl.profs[0], g.prof) {
				continue
			}
			ok := true
			for _, p := range cl.profs[1:] {
				if !consistent(p, g.prof) {
					ok = false
					break
				}
			}
			if ok {
				cl.profs = append(cl.profs, g.prof)
				cl.members = append(cl.members, g.members...)
				continue next
			}
		}
		cl := &forming{profs: []profile{g.prof}, members: slices.Clone(g.members)}
		clusters = append(clusters, cl)
		byBucket[bucket] = append(byBucket[bucket], cl)
	}
	out := make([][]event.Event, len(clusters))
	for i, cl := range clusters {
		out[i] = sortMembers(cl.members)
	}
	slices.SortFunc(out, func(a, b []event.Event) int { return memberOrder(a[0], b[0]) })
	return out
}

// compatBucket returns the bucket of a profile: two profiles in different
// buckets are never consistent, so never compatible (compat.go). It holds
// what consistent requires equal: the family, whether denied, whether a
// span, and for a single date the year it starts in (a day or month
// inside another date, or the same year, starts in the same year; spans
// overlap across years, so they share one bucket per family). dated is
// false for a report whose date does not parse: it is compatible with
// nothing.
func compatBucket(p profile) (bucket string, dated bool) {
	if !p.dated {
		return "", false
	}
	denied := "0"
	if p.status == event.Denied {
		denied = "1"
	}
	if p.span {
		return p.family + "\x00" + denied + "\x00span", true
	}
	return p.family + "\x00" + denied + "\x00" + strconv.Itoa(p.start.Year()), true
}

// formerIDs returns the ids of the report groups of members (sorted)
// other than id, sorted.
func (c Clustering) formerIDs(id string, members []event.Event) []string {
	var out []string
	for _, m := range members {
		if g := c.ID(m); g != id {
			out = append(out, g)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// cells returns the date cells e indexes and those it looks up.
func cells(e event.Event) (own, lookup []string) {
	start, _, prec, ok := event.ParseDate(e.Date)
	if !ok {
		return nil, nil
	}
	if e.DateEnd != "" {
		start, end, _ := e.Span()
		for m := monthStart(start); m.Before(end) && len(own) < maxSpanCells; m = m.AddDate(0, 1, 0) {
			own = append(own, "s:"+m.Format(monthLayout))
		}
		return own, own
	}
	switch prec {
	case event.Day:
		month := start.Format(monthLayout)
		return []string{e.Date, "in:" + month}, []string{e.Date, month}
	case event.Month:
		return []string{e.Date}, []string{e.Date, "in:" + e.Date}
	default:
		return []string{e.Date}, []string{e.Date}
	}
}

// tokens returns the anchor tokens e indexes and those it looks up.
func (c Clustering) tokens(e event.Event) (own, lookup []string) {
	for _, a := range e.Actors {
		if a = standFor(c.names, strings.ToLower(strings.TrimSpace(a))); a != "" {
			own = append(own, "a:"+a)
		}
	}
	lookup = slices.Clone(own)
	if !c.byPlace[e.Type] {
		return own, lookup
	}
	for _, p := range e.Places {
		name := strings.ToLower(strings.TrimSpace(p.Name))
		if name == "" {
			continue
		}
		own = append(own, "p:"+name)
		lookup = append(lookup, "p:"+name, "c:"+name)
		if country := strings.ToLower(strings.TrimSpace(p.Country)); country != "" && country != name {
			own = append(own, "c:"+country)
			lookup = append(lookup, "p:"+country)
		}
	}
	return own, lookup
}

// blockTerms returns the blocking terms e indexes (own) and looks up.
func (c Clustering) blockTerms(e event.Event) (own, lookup []string) {
	ownCells, lookCells := cells(e)
	ownTokens, lookTokens := c.tokens(e)
	family := c.familyOf(e.Type)
	join := func(cs, ts []string) []string {
		out := make([]string, 0, len(cs)*len(ts))
		for _, cell := range cs {
			for _, t := range ts {
				out = append(out, family+"\x1f"+cell+"\x1f"+t)
			}
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	return join(ownCells, ownTokens), join(lookCells, lookTokens)
}

// lookupShards returns the indexes a cluster compatible with e may live
// in: e's own for a single date; main and the periods it touches for a
// span.
func lookupShards(e event.Event) []string {
	if e.DateEnd == "" {
		return []string{eventShard(e)}
	}
	start, end, ok := e.Span()
	if !ok {
		return []string{mainShard}
	}
	out := []string{mainShard}
	for y := yearStart(start); y.Before(end) && len(out) < maxSpanCells; y = y.AddDate(1, 0, 0) {
		if p := periodAt(y); !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// blocker memoises the blocking terms of the reports one Apply reads:
// each is asked for up to four times (finding candidates, regrouping,
// widening, writing). Within an Apply an id names one report (partition
// keys reports by id too).
type blocker struct {
	c    Clustering
	memo map[string]blockTermsOf
}

// blockTermsOf are the blocking terms of one report.
type blockTermsOf struct{ own, lookup []string }

// newBlocker returns an empty memo of c's blocking terms.
func newBlocker(c Clustering) *blocker {
	return &blocker{c: c, memo: map[string]blockTermsOf{}}
}

// terms returns c.blockTerms(e), computed once per id.
func (bl *blocker) terms(e event.Event) (own, lookup []string) {
	if t, ok := bl.memo[e.ID]; ok {
		return t.own, t.lookup
	}
	own, lookup = bl.c.blockTerms(e)
	bl.memo[e.ID] = blockTermsOf{own: own, lookup: lookup}
	return own, lookup
}

// addBlocking adds to d the blocking terms of members and the former ids.
func addBlocking(d *document.Document, an analyzers, bl *blocker, e event.Event, members []event.Event) {
	kw := func(name, v string) {
		d.AddField(document.NewTextFieldCustom(name, nil, []byte(v), kwOpts, an.keyword))
	}
	seen := map[string]bool{}
	for _, m := range members {
		own, _ := bl.terms(m)
		for _, t := range own {
			if !seen[t] {
				seen[t] = true
				kw(fBlock, t)
			}
		}
	}
	for _, id := range e.FormerIDs {
		kw(fFormer, id)
	}
}

// loadCandidates loads into cs every cluster holding a report that may be
// compatible with one of reports, looking up only terms not in queried
// (which it extends). It returns how many clusters it added.
func (ix *Index) loadCandidates(ctx context.Context, set *shardSet, bl *blocker, cs clusters, reports []event.Event, queried map[string]bool) (int, error) {
	byShard := map[string][]string{}
	for _, e := range reports {
		_, lookup := bl.terms(e)
		if len(lookup) == 0 {
			continue
		}
		for _, shard := range lookupShards(e) {
			for _, t := range lookup {
				if k := shard + "\x00" + t; !queried[k] {
					queried[k] = true
					byShard[shard] = append(byShard[shard], t)
				}
			}
		}
	}
	added := 0
	for _, shard := range slices.Sorted(maps.Keys(byShard)) {
		b := set.get(shard)
		if b == nil {
			continue
		}
		ids, err := ix.termDocIDs(ctx, b, fBlock, byShard[shard])
		if err != nil {
			return added, fmt.Errorf("look up candidate events: %w", err)
		}
		for _, id := range ids {
			if _, done := cs[id]; done {
				continue
			}
			if err := cs.load(set, id, shard); err != nil {
				return added, err
			}
			added++
		}
	}
	return added, nil
}
