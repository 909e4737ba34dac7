package index

import (
	"slices"

	"github.com/dateline/dateline/internal/event"
)

// Merges and splits by analysts (corrections.Correction.MergeInto and
// Split) act on the clusters partition gives, in every Apply, so they
// hold whatever arrives later: correctParts first takes each report with
// a split correction out of its cluster (it stands alone under its own
// event id), then joins each cluster whose id, or one of whose former
// ids, has a merge correction with the cluster whose id (or former id)
// it names, under that cluster's id. A cluster that loses its leading
// report to a split keeps its old id among its former ids; a merged
// cluster's own id becomes one of the target's former ids, so both old
// ids still find the event.

// correctParts applies the merges and splits of st to parts (each sorted
// by sortMembers) and returns the parts, the id of each, and ids to add
// to a part's former ids, by part id.
func (ix *Index) correctParts(parts [][]event.Event, st *correctionState) ([][]event.Event, []string, map[string][]string) {
	ids := make([]string, len(parts))
	for i, ms := range parts {
		ids[i] = ix.clustering.ID(ms[0])
	}
	if st == nil || !st.regroups {
		return parts, ids, nil
	}
	extra := map[string][]string{}
	var out [][]event.Event
	var outIDs []string
	for i, ms := range parts {
		var kept []event.Event
		for _, m := range ms {
			if c, ok := st.byID[m.ID]; ok && c.Split {
				out, outIDs = append(out, []event.Event{m}), append(outIDs, m.ID)
				continue
			}
			kept = append(kept, m)
		}
		if len(kept) == 0 {
			continue
		}
		id := ix.clustering.ID(kept[0])
		if id != ids[i] && len(kept) < len(ms) {
			extra[id] = append(extra[id], ids[i])
		}
		out, outIDs = append(out, kept), append(outIDs, id)
	}

	// Merges: a union-find over the parts, the target the root.
	at := map[string]int{}
	for i := range out {
		at[outIDs[i]] = i
	}
	for i, ms := range out {
		for _, f := range ix.formerIDs(outIDs[i], ms, extra[outIDs[i]]) {
			if _, taken := at[f]; !taken {
				at[f] = i
			}
		}
	}
	parent := make([]int, len(out))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i, ms := range out {
		target := st.mergeTarget(outIDs[i], ix.formerIDs(outIDs[i], ms, extra[outIDs[i]]))
		j, ok := at[target]
		if target == "" || !ok {
			continue
		}
		if ri, rj := find(i), find(j); ri != rj {
			parent[ri] = rj
		}
	}
	byRoot := map[int][]event.Event{}
	var roots []int
	for i, ms := range out {
		r := find(i)
		if _, seen := byRoot[r]; !seen {
			roots = append(roots, r)
		}
		byRoot[r] = append(byRoot[r], ms...)
		if r != i {
			extra[outIDs[r]] = append(extra[outIDs[r]], outIDs[i])
			extra[outIDs[r]] = append(extra[outIDs[r]], extra[outIDs[i]]...)
		}
	}
	slices.Sort(roots)
	parts, ids = parts[:0:0], ids[:0:0]
	for _, r := range roots {
		parts = append(parts, sortMembers(byRoot[r]))
		ids = append(ids, outIDs[r])
	}
	return parts, ids, extra
}

// formerIDs returns the former ids of the cluster id with members ms:
// those of its report groups (Clustering.formerIDs) and extra, without
// id, sorted. A report split out alone (its id is its event id) has none.
func (ix *Index) formerIDs(id string, ms []event.Event, extra []string) []string {
	var out []string
	if !(len(ms) == 1 && ms[0].ID == id) {
		out = ix.clustering.formerIDs(id, ms)
	}
	for _, f := range extra {
		if f != id {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// mergeTarget returns the id the merge correction of the cluster id
// (with former ids former) names, "" when it has none.
func (st *correctionState) mergeTarget(id string, former []string) string {
	if c, ok := st.byID[id]; ok && c.MergeInto != "" {
		return c.MergeInto
	}
	for _, f := range former {
		if c, ok := st.byID[f]; ok && c.MergeInto != "" {
			return c.MergeInto
		}
	}
	return ""
}
