package extract

import (
	"strconv"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/event"
)

// joinSpans merges "from X to Y", "between X and Y", "X–Y" and "X through Y"
// into one mention, and marks "since X" as an open span.
func (d *reader) joinSpans() {
	out := d.dates[:0]
	for k := 0; k < len(d.dates); k++ {
		a := d.dates[k]
		if k+1 < len(d.dates) && a.to.m == 0 && a.to.y == 0 {
			b := d.dates[k+1]
			gap := b.s - a.e
			between := d.word(a.s-1, wBetween) || d.nextMonth(a, b) // "in June and July 2024"
			conn := gap == 1 && (d.word(a.e, wTo) || d.dash(a.e) || between && d.word(a.e, wAnd))
			if conn && !b.citation && !a.citation && d.sentOf[a.s] == d.sentOf[b.s] {
				end := b.from
				if b.to.y != 0 || b.to.m != 0 {
					end = b.to
				}
				if a.from.y == 0 && end.y != 0 {
					a.from.y = end.y
					if a.from.m > end.m && end.m > 0 {
						a.from.y--
					}
				}
				a.to, a.e = end, b.e
				a.conf = min(a.conf, b.conf)
				a.future = a.future || b.future
				k++
			}
		}
		if k := d.sinceBefore(a.s); k >= 0 && a.to.y == 0 && a.to.m == 0 {
			a.open = true
			a.comparison = d.superlativeBefore(k)
		}
		if d.reportingPeriod(a) {
			continue
		}
		out = append(out, a)
	}
	d.dates = out
}

// superlativeBefore reports whether a superlative stands shortly before
// token i in its clause ("the fastest ... since 1981", "the first ...
// since", "the worst since"): the since-date is a record's baseline.
func (d *reader) superlativeBefore(i int) bool {
	for k := i - 1; k >= 0 && k >= i-10 && d.clause[k] == d.clause[i]; k-- {
		t := d.toks[k]
		if t.kind != tokWord || t.upper {
			continue
		}
		w := tokKey(t, d.low)
		switch w {
		case "first", "largest", "biggest", "worst", "best", "highest", "lowest", "deadliest", "longest", "most", "least":
			return true
		}
		if len(w) > 5 && strings.HasSuffix(w, "est") && !notSuperlative(w) {
			return true // "fastest", "heaviest", "strongest"
		}
	}
	return false
}

// estWords end in "est" without being superlatives; a word ending in one
// of them ("protest", "unrest", "request") is not one either.
var estWords = [...]string{"protest", "contest", "attest", "detest", "suggest", "digest", "ingest", "congest",
	"honest", "modest", "manifest", "earnest", "behest", "rest", "west", "vest", "quest", "pest", "nest",
	"chest", "guest", "crest", "priest", "zest", "jest", "lest", "infest",
	"latest"} // "the latest raids ... since Wednesday": the newest, not a record

// notSuperlative reports whether w, which ends in "est", is one of
// estWords or ends in one.
func notSuperlative(w string) bool {
	for _, e := range estWords {
		if strings.HasSuffix(w, e) {
			return true
		}
	}
	return false
}

// nextMonth reports whether b names the month after a, both whole months
// and a without a year of its own: "June and July 2024" is one span.
func (d *reader) nextMonth(a, b dateMention) bool {
	if a.from.y != 0 || a.from.m == 0 || a.from.d != 0 || b.from.m == 0 || b.from.d != 0 || a.to.m != 0 || b.to.m != 0 {
		return false
	}
	return b.from.m == a.from.m%12+1
}

// reportingPeriod reports whether date mention m names an accounting or
// statistical period rather than a time something happened: a quarter or
// month span followed by "quarter" ("the July-September quarter"), or a
// quarter used as a modifier ("third-quarter sales", "Q3 revenue").
func (d *reader) reportingPeriod(m dateMention) bool {
	if d.word(m.e, wQuarter) {
		return true
	}
	if !d.word(m.e-1, wQuarter) && !d.word(m.e-1, wHalf) && d.quarterToken(m.e-1) == 0 {
		return false
	}
	return d.hasCue(m.e, cueStatistic) || d.dash(m.s+1) && m.e == m.s+3 && m.e < len(d.toks) && d.toks[m.e].kind == tokWord && !d.word(m.e, wOf)
}

// contextReach bounds how many earlier date mentions are searched for
// context, keeping resolution linear on pathological input.
const contextReach = 200

// resolveDates gives a year to partial dates ("On June 20") from the nearest
// explicit date of the same month earlier in the text, else from the
// publication date: the latest such date not after publication, unless the
// sentence speaks of the future. Mentions that cannot be resolved are
// marked not ok.
func (d *reader) resolveDates() {
	for k := range d.dates {
		m := &d.dates[k]
		if m.anchored || m.barrier {
			continue
		}
		if m.from.y == 0 {
			y := d.yearFor(k)
			if y == 0 {
				m.ok = false
				continue
			}
			m.from.y, m.guessedYear = y, true
			m.conf *= 0.95
			d.agreeWeekday(m)
		}
		if m.to.m != 0 && m.to.y == 0 {
			m.to.y = m.from.y
			if m.to.m < m.from.m {
				m.to.y++
			}
		}
	}
	d.resolveAnchored()
	for k := range d.dates {
		m := &d.dates[k]
		if m.ok && m.from.m == 0 && m.to.y == 0 && d.statisticBefore(m.s) {
			m.ok = false // "the defence budget for this year"
		}
		if m.ok && (!valid(m.from) || (m.to.y != 0 && !valid(m.to))) {
			m.ok = false
		}
	}
}

// agreeWeekday moves partial date m, whose year was guessed, to the year
// before or after when only that year puts it on the weekday it names:
// "Wednesday, June 19" read in July 2025 is June 19, 2024.
func (d *reader) agreeWeekday(m *dateMention) {
	wd := int(d.wi[m.s].weekday)
	if wd == 0 || m.from.d == 0 || m.to.y != 0 || d.toks[m.s].kind != tokWord {
		return
	}
	on := func(y int) bool {
		if !valid(ymd{y, m.from.m, m.from.d}) {
			return false
		}
		return (int(first(ymd{y, m.from.m, m.from.d}).Weekday())+6)%7+1 == wd
	}
	if on(m.from.y) {
		return
	}
	for _, y := range []int{m.from.y - 1, m.from.y + 1} {
		if on(y) {
			m.from.y = y
			return
		}
	}
}

// yearFor returns the year of partial date mention k, or 0: the year of a
// full date of the same month in its sentence or the one before, unless
// that contradicts the tense; else the latest year that keeps the date on
// or before publication (after it, when the clause speaks of the future);
// else, without a publication date, the last year the text named.
func (d *reader) yearFor(k int) int {
	m := d.dates[k]
	// "The meeting, running from 26 to 28 October, is expected to ...":
	// a future cue anywhere in the clause.
	future := d.future(m.s) || d.futureCl[d.clause[m.s]] && !d.pastTense(m) && d.futureAhead(m)
	y := 0
	if k+1 < len(d.dates) {
		// "in June and August 2023", "on June 3 and July 5, 2023": the
		// year written after the coordinated date.
		if b := d.dates[k+1]; b.s == m.e+1 && d.word(m.e, wAnd) && b.from.y != 0 && !b.citation && b.from.m != 0 {
			y = b.from.y
			if b.from.m < m.from.m {
				y--
			}
			return y
		}
	}
	for j := k - 1; j >= 0 && j >= k-contextReach; j-- {
		c := d.dates[j]
		if d.sentOf[c.s] < d.sentOf[m.s]-1 {
			break
		}
		// "October 2023: Hamas ... in the October 7th massacre": a whole
		// month of its own sentence gives its year too.
		if !c.citation && c.ok && c.from.y != 0 && c.from.m == m.from.m && (c.from.d != 0 || d.sentOf[c.s] == d.sentOf[m.s]) && c.conf >= 0.85 {
			y = c.from.y
			break
		}
	}
	if y == 0 {
		for j := k - 1; j >= 0 && j >= k-contextReach; j-- {
			if c := d.dates[j]; c.yearHeading {
				return c.from.y // "2018" heading the chronology's "April 27: ..."
			}
		}
		if ly := d.listYear(); ly != 0 {
			return ly // "The following lists events in 2017 in Georgia."
		}
	}
	if d.pub.IsZero() {
		for j := k - 1; j >= 0 && j >= k-contextReach && y == 0; j-- {
			if c := d.dates[j]; !c.citation && c.ok && c.from.y != 0 {
				y = c.from.y
			}
		}
		return y
	}
	if v := (ymd{y, m.from.m, m.from.d}); y != 0 && (future && d.before(v) || !future && d.after(v)) {
		y = 0 // the context contradicts the tense: fall back to publication
	}
	if y != 0 {
		return y
	}
	y = d.pub.Year()
	v := ymd{y, m.from.m, m.from.d}
	if !future && d.after(v) && (d.daysFromPub(v) > nearDays || d.pastTense(m) || d.pastAfter(m) || d.narrativeBefore(k) || d.pastTriggerBefore(k)) {
		y--
	}
	if future && d.before(v) && -d.daysFromPub(v) > nearDays {
		y++
	}
	return y
}

// nearDays bounds, in days, how close to publication a partial date keeps
// the publication's year against the tense: "opens on November 11" in a
// paper of November 3 is next week, not last year, and "the October 27
// election" in a sentence about next week's vote is last week.
const nearDays = 31

// pastAfter reports whether a past-tense verb follows date mention m
// closely in its clause ("On December 3, troops crossed the border").
func (d *reader) pastAfter(m dateMention) bool {
	cl := d.clause[m.s]
	for k := m.e; k < len(d.toks) && k < m.e+5 && d.clause[k] == cl; k++ {
		if d.cueAt[k]&(1<<cueFuture|1<<cuePlanned|1<<cueHypothetical) != 0 || d.cueEnd[k]&(1<<cuePlanned) != 0 {
			return false // "On May 3, talks are scheduled", "was planned for"
		}
		if d.toks[k].kind != tokWord || d.toks[k].upper {
			continue
		}
		if w := d.low[d.toks[k].start:d.toks[k].end]; len(w) > 3 && string(w[len(w)-2:]) == "ed" {
			return true
		}
	}
	return false
}

// pastReach bounds, in tokens, how far before a partial date
// pastTriggerBefore looks for its verb.
const pastReach = 12

// pastTriggerBefore reports whether an event trigger in the past tense
// ("deployed", "signed", "met") precedes partial date mention k in its
// clause, with no future, plan or hypothetical cue and no other date
// between them: "Russia deployed troops to Belarus on October 30" in a
// paper of October 29 tells of last year's October 30. Reporting verbs
// ("announced talks on November 11") and dates after "to", "until", "by"
// or "for" ("postponed the vote to November 11") are left alone: they
// often name a day to come.
func (d *reader) pastTriggerBefore(k int) bool {
	m := d.dates[k]
	if d.word(m.s-1, wTo) || d.word(m.s-1, wBy) || d.word(m.s-1, wUntil) || d.lowIs(m.s-1, "for") {
		return false
	}
	lo := m.s - pastReach
	if k > 0 {
		lo = max(lo, d.dates[k-1].e)
	}
	cl := d.clause[m.s]
	for j := m.s - 1; j >= 0 && j >= lo && d.clause[j] == cl; j-- {
		if d.cueAt[j]&(1<<cueFuture|1<<cuePlanned|1<<cueHypothetical|1<<cueReportedPlan) != 0 {
			return false
		}
		if d.trigAt[j] && d.pastForm(j) && d.eventTrigger(j) {
			return true
		}
	}
	return false
}

// pastForm reports whether word token j is a verb in the past tense: a
// lower-case word ending in "ed" ("deployed", not "need" or "speed") or an
// irregular past form the language file lists ("met", "struck").
func (d *reader) pastForm(j int) bool {
	t := d.toks[j]
	if t.kind != tokWord || t.upper {
		return false
	}
	if d.wi[j].past {
		return true
	}
	w := d.low[t.start:t.end]
	return len(w) > 4 && string(w[len(w)-2:]) == "ed" && (w[len(w)-3] != 'e' || w[len(w)-4] == 'r')
}

// eventTrigger reports whether the triggers starting at token j whose
// argument cues hold belong to event types only, not to a type that takes
// other events as its topic: a statement's date is often its topic's
// ("announced talks on November 11").
func (d *reader) eventTrigger(j int) bool {
	event := false
	for _, f := range d.phrasesAt(j) {
		if f.p.kind != payTrigger {
			continue
		}
		tg := d.x.triggers[f.p.id]
		s, e := int(f.start), int(f.end)
		if tg.near >= 0 && !d.phraseNear(tg.near, s, e, tg.window, true, false) ||
			tg.object >= 0 && !d.phraseNear(tg.object, s, e, tg.window, false, false) {
			continue
		}
		if d.x.types[tg.typ].topicWindow > 0 {
			return false
		}
		event = true
	}
	return event
}

// lowIs reports whether token i is the lower-case word w.
func (d *reader) lowIs(i int, w string) bool {
	if i < 0 || i >= len(d.toks) || d.toks[i].kind != tokWord {
		return false
	}
	t := d.toks[i]
	return string(d.low[t.start:t.end]) == w
}

// narrativeReach bounds, in sentences, how far back narrativeBefore looks.
const narrativeReach = 3

// narrativeBefore reports whether the sentences just before date mention k
// tell of an earlier year ("The fighting erupted on April 15, 2023 ... A
// week later, on April 22"): a full date with a year before publication's.
func (d *reader) narrativeBefore(k int) bool {
	s := d.sentOf[d.dates[k].s]
	for j := k - 1; j >= 0 && j >= k-contextReach; j-- {
		c := d.dates[j]
		if d.sentOf[c.s] < s-narrativeReach {
			break
		}
		if c.citation || c.dateline || !c.ok || c.from.y == 0 || c.from.d == 0 {
			continue
		}
		return c.from.y < d.pub.Year()
	}
	return false
}

// daysFromPub returns the days from publication to the first day of v,
// negative for dates before it.
func (d *reader) daysFromPub(v ymd) int {
	return int(first(v).Sub(d.pub).Hours() / 24)
}

// valid reports whether a resolved date exists in the calendar.
func valid(v ymd) bool {
	if v.y < 1000 || v.y > 2199 || v.m < 0 || v.m > 12 || v.d < 0 {
		return false
	}
	return v.d == 0 || v.m > 0 && v.d <= daysIn(v.y, v.m)
}

// after reports whether the first day of v is after the publication day.
func (d *reader) after(v ymd) bool {
	return !d.pub.IsZero() && first(v).After(d.pub)
}

// before reports whether the last day of v is before the publication day.
func (d *reader) before(v ymd) bool {
	if d.pub.IsZero() {
		return false
	}
	return last(v).Before(d.pub)
}

func first(v ymd) time.Time {
	return time.Date(v.y, time.Month(max(v.m, 1)), max(v.d, 1), 0, 0, 0, 0, time.UTC)
}

func last(v ymd) time.Time {
	switch {
	case v.m == 0:
		return time.Date(v.y, 12, 31, 0, 0, 0, 0, time.UTC)
	case v.d == 0:
		return time.Date(v.y, time.Month(v.m)+1, 0, 0, 0, 0, 0, time.UTC)
	}
	return first(v)
}

// format returns v as YYYY, YYYY-MM or YYYY-MM-DD and its precision.
func format(v ymd) (string, event.Precision) {
	var b [10]byte
	b[0], b[1], b[2], b[3] = byte('0'+v.y/1000%10), byte('0'+v.y/100%10), byte('0'+v.y/10%10), byte('0'+v.y%10)
	if v.m == 0 {
		return string(b[:4]), event.Year
	}
	b[4], b[5], b[6] = '-', byte('0'+v.m/10), byte('0'+v.m%10)
	if v.d == 0 {
		return string(b[:7]), event.Month
	}
	b[7], b[8], b[9] = '-', byte('0'+v.d/10), byte('0'+v.d%10)
	return string(b[:]), event.Day
}

// dates returns a mention's date, end date and precision as event fields.
func (d *reader) dateFields(m *dateMention) (date, end string, p event.Precision) {
	date, p = format(m.from)
	if m.to.y != 0 {
		end, _ = format(m.to)
	}
	// "Since March 2011, government forces have besieged ...": an ongoing
	// campaign that starts then; its end is not known, so it has none.
	if end == date {
		end = ""
	}
	return date, end, p
}

// statisticBefore reports whether a statistic noun occurs in the 8 tokens
// before token i, in its clause.
func (d *reader) statisticBefore(i int) bool {
	for k := i - 1; k >= 0 && k >= i-8 && d.clause[k] == d.clause[i]; k-- {
		if d.hasCue(k, cueStatistic) || d.punct(k, '%') {
			return true
		}
	}
	return false
}

// pastTense reports whether a past-tense cue word sits right before date
// mention m ("held on 3 May"), which outweighs a future cue elsewhere in
// its clause.
func (d *reader) pastTense(m dateMention) bool {
	k := m.s - 1
	if d.word(k, wOn) || d.word(k, wIn) {
		k--
	}
	if k < 0 || d.toks[k].kind != tokWord {
		return false
	}
	w := d.low[d.toks[k].start:d.toks[k].end]
	return len(w) > 3 && string(w[len(w)-2:]) == "ed"
}

// futureAhead reports whether a future cue after date mention m speaks
// for it: none of its clause's commas lies between them, or m sits in a
// present-participle aside ("The meeting, running from 26 to 28 October,
// is expected to ..."), not a past one ("The shipment, flown in on 8
// October, will feed ...").
func (d *reader) futureAhead(m dateMention) bool {
	cl := d.clause[m.s]
	aside := -1
	for k := m.s - 1; k >= 0 && d.clause[k] == cl; k-- {
		if d.punct(k, ',') {
			aside = k
			break
		}
	}
	for k := m.e; k < len(d.toks) && k < m.e+futureReach && d.clause[k] == cl; k++ {
		if d.cueAt[k]&(1<<cueFuture) != 0 {
			return true
		}
		if d.punct(k, ',') && aside >= 0 && !(d.toks[aside+1].kind == tokWord && d.participle(aside+1)) {
			return false
		}
	}
	return aside < 0
}

// listLead bounds, in tokens, where the sentence that says which year a
// list of events covers may stand.
const listLead = 30

// listYear returns the year a list of events says it covers, in its title
// ("2017 in Georgia", "Timeline of the Gulf War, 1991") or its opening
// sentence ("The following lists events in 2017 in Georgia."), or 0.
func (d *reader) listYear() int {
	if d.listYr != 0 {
		return max(d.listYr, 0)
	}
	d.listYr = -1
	if t := d.doc.Title; len(t) > 8 && t[4] == ' ' && strings.HasPrefix(t[5:], "in ") {
		if y, err := strconv.Atoi(t[:4]); err == nil && y >= 1000 && y <= 2199 {
			d.listYr = y
			return y
		}
	}
	if len(d.sents) == 0 {
		return 0
	}
	s := d.sents[0]
	if s.end > listLead {
		return 0
	}
	listing := false
	for i := s.start; i < s.end; i++ {
		switch tokKey(d.toks[i], d.low) {
		case "events", "timeline", "chronology", "calendar":
			listing = true
		}
	}
	if !listing {
		return 0
	}
	for _, m := range d.dates {
		if m.s >= s.end {
			break
		}
		if m.ok && m.from.y != 0 && m.from.m == 0 && m.to.y == 0 && !m.guessedYear {
			d.listYr = m.from.y
			return m.from.y
		}
	}
	return 0
}

// sinceBefore returns the index of the "since" that opens a span at date
// token s: right before it, or before a hedge ("since at least March
// 2011", "since as early as 2014", "since about 2019"); -1 when none.
func (d *reader) sinceBefore(s int) int {
	switch {
	case d.word(s-1, wSince):
		return s - 1
	case d.word(s-3, wSince) && d.lowIs(s-2, "at") && d.lowIs(s-1, "least"):
		return s - 3
	case d.word(s-4, wSince) && d.lowIs(s-3, "as") && d.lowIs(s-2, "early") && d.lowIs(s-1, "as"):
		return s - 4
	case d.word(s-2, wSince) && (d.lowIs(s-1, "about") || d.lowIs(s-1, "around") || d.lowIs(s-1, "roughly")):
		return s - 2
	}
	return -1
}
