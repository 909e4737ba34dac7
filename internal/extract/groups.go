package extract

import "slices"

// Armed groups come and go faster than any gazetteer: "Iran-backed Popular
// Resistance Committees terrorists killed three U.S. diplomatic
// personnel", "an al-Aqsa Martyrs' Brigade terrorist". readGroups takes a
// capitalised name of two words or more right before a noun for fighters
// ("terrorists", "militants", "rebels") as the name of a group, an actor
// of its sentence's events.

// groupNouns are the nouns for fighters that make the capitalised name
// before them a group's.
var groupNouns = []string{"terrorist", "terrorists", "militant", "militants", "militia", "militias", "rebels",
	"insurgents", "guerrillas", "gunmen", "fighters", "jihadists"}

// maxGroupWords bounds a group's name.
const maxGroupWords = 6

// readGroups adds the groups named before a fighters' noun to d.orgs.
func (d *reader) readGroups() {
	added := false
	for i, t := range d.toks {
		if t.kind != tokWord || t.upper || !d.wi[i].group {
			continue
		}
		s, words := d.groupNameStart(i)
		if words < 2 || d.sents[d.sentOf[s]].excluded {
			continue
		}
		d.orgs = append(d.orgs, orgMention{start: s, end: i, name: oneSpaced(d.str(s, i))})
		added = true
	}
	if added {
		slices.SortFunc(d.orgs, func(a, b orgMention) int { return a.start - b.start })
	}
}

// groupNameStart returns where the capitalised name ending right before
// token e starts and how many capitalised words it has: words, "al-"
// particles and a possessive apostrophe ("al-Aqsa Martyrs' Brigade"); 0
// words when a word of it is a name the gazetteer knows, a date or a
// sentence's opening article.
func (d *reader) groupNameStart(e int) (int, int) {
	s, words := e, 0
	for k := e - 1; k >= 0 && e-k <= 2*maxGroupWords && !d.toks[k+1].newline; k-- {
		t := d.toks[k]
		switch {
		case t.kind == tokWord && t.upper && !t.allUpper:
			if d.entityCovering(k) >= 0 || d.inDate[k] != 0 || d.wi[k].concepts != 0 || d.hasCue(k, cueTitle) {
				return e, 0
			}
			words++
		case (d.punct(k, '\'') || d.punct(k, '’')) && !t.space && k > 0 && d.toks[k-1].kind == tokWord:
		case d.punct(k, '-') && !t.space && k > 0 && d.toks[k-1].kind == tokWord && !d.toks[k-1].upper && !d.toks[k+1].space:
			k-- // "al-Aqsa": the particle stays
		default:
			return s, words
		}
		s = k
	}
	return s, words
}
