package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/dateline/dateline/internal/event"
)

// An event's title is, where its evidence allows, a headline read from the
// clause of its trigger: the subject as written ("Rail unions", "The EU"),
// the verb and what follows up to the end of the clause, without the date,
// asides, quotes and trailing clauses ("Russia struck Kharkiv with
// missiles"). A reader scanning a timeline learns who did what where from
// it, where the type's template only says "Military strike on Kharkiv".
// When the clause gives no such headline (no subject before the trigger, a
// pronoun for one, a heading, too few words) headlineTitle returns "" and
// the template title stands.

// maxHeadline bounds a headline, in bytes; it is cut before a word.
const maxHeadline = 90

// minHeadlineWords is the fewest words a headline may have: "Russia
// struck" says less than the template.
const minHeadlineWords = 3

// maxSubjectTokens bounds the tokens from a headline's subject to its
// trigger: further back, the subject found is seldom the trigger's.
const maxSubjectTokens = 14

// maxAsideTokens bounds a comma-enclosed aside skipped between the subject
// and the verb ("Klobuchar, along with Senator Ron Wyden of Oregon,
// introduced").
const maxAsideTokens = 16

// maxHeadlineTokens bounds the tokens a headline is written from; a
// headline of maxHeadline bytes has fewer.
const maxHeadlineTokens = 64

// maxStopWord is the length of the longest word subjectStop, midStop and
// trailWord know ("according"): a longer word is none of them.
const maxStopWord = 9

// tokRange is a run of tokens [s,e) left out of a headline.
type tokRange struct{ s, e int }

// maxSkips bounds the runs left out between a headline's subject and its
// trigger (asides, parentheticals, dates).
const maxSkips = 4

// headlineTitle returns the headline of the event that hit h reports, read
// from its sentence, or "" when the sentence gives none (see above). A
// planned or denied event says so first, as its template title does: the
// clause may not ("denied reports that Russia struck Kharkiv").
func (d *reader) headlineTitle(h hit, status event.Status) string {
	if h.sent < 0 || int(h.sent) >= len(d.sents) {
		return ""
	}
	s := d.sents[h.sent]
	if s.headline || s.dateline || s.excluded || h.start <= s.start || h.end > s.end {
		return "" // a heading in title case, or nothing before the trigger
	}
	var skips [maxSkips]tokRange
	a, nskip, ok := d.headlineSubject(h, s, &skips)
	if !ok {
		return ""
	}
	var toks [maxHeadlineTokens]int32
	n := d.headlineTokens(h, s, a, skips[:nskip], &toks)
	if n == 0 {
		return ""
	}
	var prefix string
	switch status {
	case event.Planned:
		prefix = "Planned: "
	case event.Denied:
		prefix = "Denied: "
	}
	return d.writeHeadline(prefix, toks[:n])
}

// headlineSubject finds where the subject of hit h's clause starts,
// walking back from the trigger over the subject and any auxiliaries,
// adverbs, asides and dates between it and the verb. It returns the
// subject's first token, the runs to leave out, and false when the clause
// has no subject fit for a headline.
func (d *reader) headlineSubject(h hit, s sentence, skips *[maxSkips]tokRange) (int, int, bool) {
	ts := h.start
	cl := d.clause[ts]
	lo := ts
	for lo > s.start && d.clause[lo-1] == cl {
		lo--
	}
	nskip := 0
	k := ts - 1
walk:
	for k >= lo {
		t := d.toks[k]
		if d.inDate[k] != 0 {
			// A date between subject and verb ("The EU on Monday imposed")
			// is left out; one leading the clause ("On Monday Russia
			// struck") ends the walk.
			j := k
			for j > lo && d.inDate[j-1] == d.inDate[k] {
				j--
			}
			if d.dateModifies(j, s) > j {
				k = j - 1 // "today's attack", "the 2022 invasion": kept
				continue
			}
			if j > lo && d.datePrep(j-1) {
				j--
			}
			if j <= lo || d.punct(j-1, ',') || nskip == maxSkips {
				break
			}
			skips[nskip] = tokRange{j, k + 1}
			nskip++
			k = j - 1
			continue
		}
		if t.kind == tokPunct {
			switch t.r {
			case '\'', '’', '-', '&', '/':
				if !t.space && k+1 < len(d.toks) && !d.toks[k+1].space {
					k-- // "Russia's", "Iran-backed"
					continue
				}
				break walk
			case '.':
				if !t.space && k > lo && d.toks[k-1].kind == tokWord && (d.wi[k-1].abbrev || d.toks[k-1].end-d.toks[k-1].start == 1) {
					k-- // "U.S. forces", "Mr. Smith"
					continue
				}
				break walk
			case ')':
				j := k - 1
				for j > lo && !d.punct(j, '(') && k-j < maxAsideTokens {
					j--
				}
				if !d.punct(j, '(') || j <= lo || nskip == maxSkips {
					break walk
				}
				skips[nskip] = tokRange{j, k + 1}
				nskip++
				k = j - 1
				continue
			case ',':
				if d.digitComma(k) {
					k-- // "1,000 protesters"
					continue
				}
				j := d.asideStart(k, lo)
				if j < 0 || nskip == maxSkips {
					if !d.leadingPhrase(lo, k) {
						return 0, 0, false // "officers of a long-delayed, U.N.-backed mission arrived"; "Ireland, Norway and Spain recognised"
					}
					break walk
				}
				skips[nskip] = tokRange{j, k + 1}
				nskip++
				k = j - 1
				continue
			}
			break
		}
		if t.kind == tokWord && !t.upper && t.end-t.start <= maxStopWord { // the words below are lower case mid-sentence
			w := tokKey(t, d.low)
			if w == "than" && k > lo && comparative(tokKey(d.toks[k-1], d.low)) {
				k -= 2 // "More than 1,000 protesters"
				continue
			}
			if subjectStop(w) || midStop(w) {
				break // "reports that Russia struck"
			}
		}
		if d.hasCue(k, cueSpeech) {
			break // "officials said Russia struck"
		}
		if ts-k > maxSubjectTokens+1 {
			return 0, 0, false // too far back for the trigger's subject
		}
		k--
	}
	a := k + 1
	// A conjunction opening the clause is no part of its subject ("and
	// Russia struck", "when police arrested").
	for a < ts && d.toks[a].kind == tokWord && leadWord(tokKey(d.toks[a], d.low)) {
		if w := tokKey(d.toks[a], d.low); (w == "and" || w == "or") && d.punct(a-1, ',') {
			return 0, 0, false // the last of a list of subjects ("Andrew Yang, ..., and Michael Bennet")
		}
		a++
	}
	for nskip > 0 && skips[nskip-1].s < a {
		nskip-- // a date or aside the subject does not reach
	}
	if a >= ts || d.toks[a].kind != tokWord || ts-a > maxSubjectTokens {
		return 0, 0, false
	}
	if w := tokKey(d.toks[a], d.low); noSubject(w) || headPrep(w) || d.preposition(a) || d.hasCue(a, cueSpeech) || a > lo && midStop(tokKey(d.toks[a-1], d.low)) {
		return 0, 0, false // "He said", "In Kyiv police ...", "said on Monday"
	}
	if !d.toks[a].upper && !d.hasCue(a, cueSpeaker) && d.wi[a].number == 0 && !lowerSubject(tokKey(d.toks[a], d.low)) {
		return 0, 0, false // "relied upon for", "likewise dropping out", "unicameral National Assembly"
	}
	if a > lo && d.punct(a-1, ',') && a > 1 && d.toks[a-2].upper && d.inDate[a-2] == 0 && d.conjunctionIn(a, ts) {
		return 0, 0, false // the rest of a list of names ("the Agreement on Peace, Friendship and Comprehensive Cooperation signed")
	}
	named := false // a word of the subject besides articles ("An attack" is only the trigger)
	for k := a; k < ts && !named; k++ {
		named = d.toks[k].kind != tokPunct && !d.hasCue(k, cueDeterminer) && d.inDate[k] == 0
	}
	if !named || tokKey(d.toks[a], d.low) == "the" && a+1 < ts && tokKey(d.toks[a+1], d.low) == "following" {
		return 0, 0, false // "An attack", "a July 25 meeting"; "The following statement was issued"
	}
	return a, nskip, true
}

// lowerSubject reports whether a lower-case word w may open a headline's
// subject: an article or a common noun for people acting ("police",
// "protesters"), beside the speaker words of the pipelines.
func lowerSubject(w string) bool {
	switch w {
	case "the", "a", "an", "troops", "forces", "soldiers", "militants", "fighters", "gunmen", "demonstrators",
		"workers", "residents", "voters", "students", "several", "many", "thousands", "hundreds", "dozens",
		"tens", "nurses", "doctors", "farmers", "drivers", "pilots", "activists", "insurgents", "attackers",
		"assailants", "jets", "warplanes", "drones", "missiles", "rockets", "state", "israeli", "russian":
		return true
	}
	return false
}

// leadingPhrase reports whether tokens [lo,c), before the comma at c,
// are a phrase leading the clause ("On Monday,", "According to state
// media,", "Speaking to reporters,", "Two days later,"), after which its
// subject starts; else the comma is inside the subject (a list of names
// or adjectives) and the headline would start mid-phrase.
func (d *reader) leadingPhrase(lo, c int) bool {
	if lo >= c {
		return false
	}
	t := d.toks[lo]
	if d.inDate[lo] != 0 || d.inDate[c-1] != 0 || t.kind != tokWord {
		return d.inDate[lo] != 0 || d.inDate[c-1] != 0
	}
	w := tokKey(t, d.low)
	if headPrep(w) || d.preposition(lo) || leadWord(w) || w == "according" || w == "late" || w == "early" ||
		(strings.HasSuffix(w, "ing") || strings.HasSuffix(w, "ly")) && !d.inEntity(lo, lo+1) {
		return true
	}
	switch tokKey(d.toks[c-1], d.low) {
	case "later", "ago", "earlier", "before", "after":
		return true
	}
	return false
}

// conjunctionIn reports whether tokens [s,e) have "and" or "or".
func (d *reader) conjunctionIn(s, e int) bool {
	for k := s; k < e; k++ {
		if w := tokKey(d.toks[k], d.low); w == "and" || w == "or" {
			return true
		}
	}
	return false
}

// asideStart returns the opening comma of an aside that the comma at k
// closes ("Klobuchar, along with Senator Ron Wyden of Oregon, introduced";
// "Russia, however, struck"), or -1 when the comma ends a leading phrase
// instead ("On Monday, Russia struck").
func (d *reader) asideStart(k, lo int) int {
	for j := k - 1; j > lo && k-j <= maxAsideTokens; j-- {
		if d.toks[j].kind != tokPunct {
			continue
		}
		if !d.punct(j, ',') {
			return -1
		}
		if j+1 >= k || d.toks[j-1].kind != tokWord && !d.punct(j-1, ')') {
			return -1
		}
		if n := d.toks[j+1]; n.kind == tokWord && !n.upper && asideWord(tokKey(n, d.low)) || d.inDate[j+1] != 0 || d.datePrep(j+1) && d.inDate[j+2] != 0 {
			return j
		}
		return -1
	}
	return -1
}

// headlineTokens lists the tokens of the headline whose subject starts at
// a: up to the trigger without the skipped runs, then on to the end of the
// clause, without dates, quotes and parentheticals, stopping at a comma,
// a trailing clause or attribution, and within maxHeadline bytes. It
// returns how many it wrote to out, 0 when the headline would not hold
// the whole trigger or has too few words.
func (d *reader) headlineTokens(h hit, s sentence, a int, skips []tokRange, out *[maxHeadlineTokens]int32) int {
	cl := d.clause[h.start]
	n, size, cut := 0, 0, 0 // cut: the tokens before the last word boundary
	si, keep := 0, 0        // keep: the end of a date kept as a modifier
	next := -1              // the first token left out by the length bound
	dropped := false        // the token before was a date left out
scan:
	for k := a; k < s.end; k++ {
		if si < len(skips) && k == skips[si].s {
			k = skips[si].e - 1
			si++
			continue
		}
		t := d.toks[k]
		if d.clause[k] != cl {
			break
		}
		if k >= keep && (d.inDate[k] != 0 || k >= h.end && k+1 < s.end && d.inDate[k+1] != 0 && d.datePrep(k)) {
			if e := d.dateModifies(k, s); e > k {
				keep = e // "in 2020 United States presidential election", "the 2022 invasion"
			} else {
				for n > 0 && int(out[n-1]) >= h.end && d.toks[out[n-1]].kind == tokWord &&
					(danglingWord(tokKey(d.toks[out[n-1]], d.low)) || tokKey(d.toks[out[n-1]], d.low) == "few") {
					n-- // "set for" of "set for December 24", "a few" of "a few days earlier"
				}
				cut = min(cut, n)
				dropped = true
				continue // "on Monday": the date is the event's, not its title's
			}
		}
		if dropped && t.kind == tokWord && partOfDay(tokKey(t, d.low)) {
			continue // the "evening" of "yesterday evening"
		}
		dropped = false
		if k >= h.end {
			if t.kind == tokWord && !t.upper && (d.hasCue(k, cueSpeech) && !d.hasCue(h.start, cueSpeech) || t.end-t.start <= maxStopWord && trailWord(tokKey(t, d.low))) {
				break // "..., officials said", "which killed", "according to"
			}
		}
		if t.kind == tokPunct {
			switch t.r {
			case '"', '“', '”':
				continue
			case '(', '[':
				j := k + 1
				for j < s.end && !d.punct(j, ')') && !d.punct(j, ']') {
					j++
				}
				if j == s.end {
					break scan
				}
				k = j
				continue
			case '\'', '’':
				if t.space || k+1 >= s.end || d.toks[k+1].space && !d.pluralBefore(k) {
					continue // a quote mark, not "Russia's" or "protesters'"
				}
			case '-', '/':
				if t.space && (k+1 >= s.end || d.toks[k+1].space) {
					break scan // a spaced dash
				}
			case ',':
				if !d.digitComma(k) {
					break scan
				}
			case '.':
				if k == s.end-1 {
					break scan // the full stop; "U.S." and "Mr." stay
				}
			case '&', '%', '$', '€', '£', '+':
			default:
				break scan
			}
		}
		if n == maxHeadlineTokens {
			break
		}
		gap := 0
		if n > 0 && (t.space || d.gapHasSpace(int(d.toks[out[n-1]].end), int(t.start))) {
			gap = 1
			cut = n
		}
		size += gap + int(t.end-t.start)
		if size > maxHeadline {
			next = k
			if cut < n {
				next = int(out[cut])
			}
			n = cut
			break
		}
		out[n] = int32(k)
		n++
	}
	// A cut inside a name drops the name's words before it ("against
	// United" of "against United States forces").
	if next >= 0 && d.toks[next].kind == tokWord && d.toks[next].upper {
		for n > 0 && int(out[n-1]) >= h.end && (d.toks[out[n-1]].upper || d.toks[out[n-1]].kind == tokPunct) {
			n--
		}
	}
	// Drop what a cut or a stop left dangling: "over the", "and".
	for n > 0 && int(out[n-1]) >= h.end {
		t := d.toks[out[n-1]]
		if n > 1 && t.kind == tokWord && !t.space && tokKey(t, d.low) == "s" && int(out[n-2]) >= h.end && (d.punct(int(out[n-2]), '\'') || d.punct(int(out[n-2]), '’')) {
			n -= 2 // a possessive whose noun was cut off ("for the Democratic Party's")
			continue
		}
		if !(t.kind == tokPunct && t.r != ')' && t.r != '%' && t.r != '\'' && t.r != '’' || t.kind == tokWord && danglingWord(tokKey(t, d.low))) {
			break
		}
		n--
	}
	if n == 0 || int(out[n-1]) < h.end-1 {
		return 0 // the trigger would be cut off
	}
	if d.hasCue(int(out[n-1]), cueSpeech) {
		return 0 // "President Hassan Rouhani of Iran said": not what
	}
	words := 0
	for i := 0; i < n; i++ {
		t := d.toks[out[i]]
		if t.kind != tokPunct && (i == 0 || t.space || d.gapHasSpace(int(d.toks[out[i-1]].end), int(t.start))) {
			words++
		}
	}
	if words < minHeadlineWords {
		return 0
	}
	return n
}

// dateModifies returns the end of the date at token k (or after its
// preposition at k) when the date modifies a name or noun after it ("in
// 2020 United States presidential election", "the 2022 invasion",
// "today's attack"), so
// that leaving it out would garble the headline; else -1.
func (d *reader) dateModifies(k int, s sentence) int {
	j := k
	if d.inDate[j] == 0 {
		j++ // the preposition before the date
	}
	id := d.inDate[j]
	e := j
	for e < s.end && d.inDate[e] == id {
		e++
	}
	if d.dates[id-1].modifier || e < s.end && d.toks[e].kind == tokWord && (d.toks[e].upper || d.article(j-1)) && d.toks[e].space {
		return e // "in 2020 United States ...", "the 3 December joint statement"
	}
	if e+1 < s.end && (d.punct(e, '\'') || d.punct(e, '’')) && !d.toks[e].space && tokKey(d.toks[e+1], d.low) == "s" ||
		e-2 > j && (d.punct(e-2, '\'') || d.punct(e-2, '’')) && tokKey(d.toks[e-1], d.low) == "s" {
		return e // "today's terrorist attack"
	}
	return -1
}

// digitComma reports whether the comma at k groups digits ("1,000").
func (d *reader) digitComma(k int) bool {
	return k > 0 && k+1 < len(d.toks) && !d.toks[k].space && !d.toks[k+1].space &&
		d.toks[k-1].kind == tokNum && d.toks[k+1].kind == tokNum
}

// partOfDay reports whether w names a part of a day that a date before it
// may leave behind ("yesterday evening", "this morning").
func partOfDay(w string) bool {
	switch w {
	case "morning", "afternoon", "evening", "night", "overnight":
		return true
	}
	return false
}

// article reports whether token k is "the", "a" or "an".
func (d *reader) article(k int) bool {
	if k < 0 || d.toks[k].kind != tokWord {
		return false
	}
	w := tokKey(d.toks[k], d.low)
	return w == "the" || w == "a" || w == "an"
}

// pluralBefore reports whether the apostrophe at k closes a plural
// possessive ("protesters' demands"), not a quotation.
func (d *reader) pluralBefore(k int) bool {
	if k == 0 || d.toks[k].space || d.toks[k-1].kind != tokWord {
		return false
	}
	p := d.toks[k-1]
	return d.low[p.end-1] == 's'
}

// gapHasSpace reports whether the text between byte offsets i and j has
// whitespace: the words on either side are written apart.
func (d *reader) gapHasSpace(i, j int) bool {
	for ; i < j; i++ {
		switch d.text[i] {
		case ' ', '\n', '\t', '\r':
			return true
		}
	}
	return false
}

// writeHeadline writes the tokens toks after prefix, one space where the
// text has whitespace or left something out between them, with the first
// letter capitalised.
func (d *reader) writeHeadline(prefix string, toks []int32) string {
	if prefix == "" && d.toks[toks[0]].upper && d.plainRun(toks) {
		// The headline is a stretch of the text as written: share it, as
		// the evidence sentence does, rather than copy it.
		return d.text[d.toks[toks[0]].start:d.toks[toks[len(toks)-1]].end]
	}
	size := len(prefix)
	for i, k := range toks {
		t := d.toks[k]
		if i > 0 {
			size++
		}
		size += int(t.end - t.start)
	}
	var b strings.Builder
	b.Grow(size)
	b.WriteString(prefix)
	for i, k := range toks {
		t := d.toks[k]
		w := d.text[t.start:t.end]
		if i > 0 && (t.space || d.gapHasSpace(int(d.toks[toks[i-1]].end), int(t.start))) {
			b.WriteByte(' ')
		}
		if i == 0 {
			r, n := utf8.DecodeRuneInString(w)
			if u := unicode.ToUpper(r); u != r {
				b.WriteRune(u)
				w = w[n:]
			}
		}
		b.WriteString(w)
	}
	return b.String()
}

// plainRun reports whether toks are consecutive tokens with at most one
// plain space between each two: written out, they are the text itself.
func (d *reader) plainRun(toks []int32) bool {
	for i := 1; i < len(toks); i++ {
		if toks[i] != toks[i-1]+1 {
			return false
		}
		if gap := d.text[d.toks[toks[i-1]].end:d.toks[toks[i]].start]; gap != "" && gap != " " {
			return false
		}
	}
	return true
}

// datePrep reports whether token k is a preposition that goes with a date
// after it ("on Monday", "since 2014"), left out with the date.
func (d *reader) datePrep(k int) bool {
	if k < 0 || k >= len(d.toks) || d.toks[k].kind != tokWord {
		return false
	}
	switch tokKey(d.toks[k], d.low) {
	case "on", "in", "at", "since", "by", "from", "until", "till", "during", "between", "as", "of", "early", "late", "earlier", "later":
		return true
	}
	return false
}

// subjectStop reports whether word w, met walking back from a trigger,
// ends its subject: what comes before is another clause ("reports that
// Russia struck", "after police arrived, protesters marched").
func subjectStop(w string) bool {
	switch w {
	case "that", "which", "who", "whom", "whose", "where", "when", "while", "whereas", "because",
		"although", "though", "if", "unless", "but", "yet",
		"according", "whether", "so":
		return true
	}
	return false
}

// midStop reports whether word w, met walking back from a trigger, says
// the words after it are no subject but the rest of a phrase ("labeled
// Soleimani as a terrorist and levied sanctions", "after the next
// parliamentary election"): no headline then.
func midStop(w string) bool {
	switch w {
	case "as", "than", "like", "unlike", "after", "before", "since", "until", "following", "during", "amid":
		return true
	}
	return false
}

// comparative reports whether w goes with "than" in a number of people
// ("more than 1,000 protesters").
func comparative(w string) bool {
	return w == "more" || w == "less" || w == "fewer" || w == "over"
}

// headPrep reports whether word w is a preposition that opens an
// adverbial, not a subject ("During the trilateral meeting of Cyprus").
func headPrep(w string) bool {
	switch w {
	case "during", "after", "before", "amid", "following", "despite", "under", "over", "since", "until",
		"through", "throughout", "within", "without", "into", "across", "among", "between", "beyond",
		"upon", "toward", "towards", "via", "per", "around", "about", "like", "unlike", "as", "while",
		"when", "once", "if", "because", "although", "though", "whereas", "where", "besides", "beside":
		return true
	}
	return false
}

// leadWord reports whether word w opening a clause is a conjunction left
// out of its headline ("and Russia struck").
func leadWord(w string) bool {
	switch w {
	case "and", "but", "or", "yet", "so", "then", "also", "meanwhile", "separately", "later", "earlier",
		"likewise", "however", "subsequently", "finally", "additionally", "instead", "still", "just", "now",
		"thereafter", "afterwards", "elsewhere", "overnight", "today", "yesterday", "tonight":
		return true
	}
	return false
}

// noSubject reports whether word w cannot open a headline's subject: a
// pronoun ("He said") or a word that opens no noun phrase.
func noSubject(w string) bool {
	switch w {
	case "he", "she", "it", "they", "we", "i", "you", "this", "these", "those", "its", "his", "her",
		"their", "our", "my", "your", "there", "here", "which", "who", "what", "that", "one", "him",
		"them", "us", "me", "himself", "herself", "itself", "themselves", "having", "being", "was",
		"were", "is", "are", "has", "have", "had", "will", "would", "can", "could", "may", "might",
		"not", "no", "to", "also", "both", "such", "other", "others", "another", "said", "says",
		"according", "that's", "whether", "so":
		return true
	}
	return false
}

// asideWord reports whether word w opens a comma-enclosed aside between a
// subject and its verb ("Klobuchar, along with ..., introduced").
func asideWord(w string) bool {
	switch w {
	case "along", "including", "together", "alongside", "accompanied", "backed", "supported", "led",
		"however", "meanwhile", "too", "also", "reportedly", "in", "at", "for", "with", "who", "which",
		"a", "an", "the", "once", "now", "formerly", "then", "as":
		return true
	}
	return false
}

// trailWord reports whether word w after the trigger opens a trailing
// clause or attribution that a headline leaves out ("..., which", "after
// talks", "according to").
func trailWord(w string) bool {
	switch w {
	case "which", "who", "whom", "whose", "where", "while", "whereas", "because", "although", "though",
		"according", "when", "after", "before", "since", "until", "despite", "unless", "if", "but",
		"saying", "adding", "citing":
		return true
	}
	return false
}

// danglingWord reports whether word w cannot end a headline: a
// preposition, article, conjunction or auxiliary left by a cut.
func danglingWord(w string) bool {
	switch w {
	case "and", "or", "but", "of", "the", "a", "an", "to", "in", "on", "at", "by", "for", "with",
		"from", "as", "into", "onto", "over", "under", "its", "their", "his", "her", "our", "that",
		"was", "were", "is", "are", "has", "have", "had", "will", "would", "be", "been", "than",
		"about", "against", "between", "among", "amid", "across", "near", "per", "via", "this",
		"these", "those", "some", "all", "any", "two", "three", "including", "not", "nearly",
		"more", "most", "towards", "toward", "through", "after", "before", "within",
		"during", "following", "former", "like", "since", "until", "without", "upon", "de", "al",
		"said", "says", "such", "both", "each", "every", "further", "new", "other", "which", "who":
		return true
	}
	return false
}
