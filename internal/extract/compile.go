package extract

import (
	"fmt"
	"slices"
	"strings"

	"github.com/dateline/dateline/internal/rules"
)

// cue concepts, in the order of rules.CueConcepts.
const (
	cueCitation = iota
	cueReferenceLine
	cueDenied
	cuePlanned
	cueHypothetical
	cueFuture
	cueStatistic
	cueYearPrep
	cueDeterminer
	cueClauseBreak
	cueLocative
	cueAbbreviation
	cueSpeech
	cueCommemoration
	cuePassive
	cueReportedPlan
	cuePerfect
	cueRecall
	cueEnding
	cueReferenceHeading
	cueTitle
	cueNameParticle
	cueNameStop
	cueSpeaker
	cueEventOf
	cueDocument
	cueAuthored
	cueBiographyHeading
	numCues
)

// word concepts, in the order of rules.WordConcepts.
const (
	wYesterday = iota
	wToday
	wTonight
	wTomorrow
	wAgo
	wLast
	wNext
	wThis
	wEarlier
	wLater
	wDay
	wWeek
	wWeekend
	wMonth
	wYear
	wEarly
	wMid
	wLate
	wQuarter
	wSince
	wFrom
	wTo
	wBetween
	wAnd
	wOf
	wThe
	wIn
	wOn
	wAt
	wDuring
	wBy
	wBefore
	wAfter
	wUntil
	wSame
	wThat
	wDaypart
	wHour
	wSequence
	wOvernight
	wNight
	wHalf
	wJust
)

// wordInfo is what the date scanner knows about one lower-cased word.
type wordInfo struct {
	concepts uint64 // bit i set: the word expresses word concept i
	month    int8   // 1..12 for a month name
	weekday  int8   // 1..7 (Monday 1) for a weekday name
	number   int8   // value of a number word
	ordinal  int8   // value of an ordinal word
	season   int8   // 1 + index into Extractor.seasons
	ordSuf   bool   // an ordinal suffix ("th")
	abbrev   bool   // an abbreviation that does not end a sentence
	monthAbb bool   // an abbreviated month name
	past     bool   // an irregular past form of a verb ("met", "struck")
	group    bool   // a noun for fighters that makes a capitalised name before it a group's (groupNouns)
}

func (w wordInfo) is(c int) bool { return w.concepts&(1<<c) != 0 }

// entKind says what a gazetteer entity is.
type entKind uint8

const (
	entCountry entKind = iota
	entOrg
	entPlace
)

// entRole says how a name refers to its entity.
type entRole uint8

const (
	roleName entRole = iota
	roleDemonym
	roleMetonym
	rolePerson
)

// entity is one gazetteer entry as seen through one of its names.
type entity struct {
	name      string
	kind      entKind
	role      entRole
	country   string // canonical country: the name itself for countries
	national  bool   // an agency or party: its country is an actor too
	parent    string // the organisation it is part of, if any
	lat, lon  float64
	ambiguous bool
	orgKind   string // an organisation's kind ("armed_group"), else empty
	person    string // a public figure's full name, for rolePerson
	area      bool   // a place of kind area (a sea, a landmark), not a settlement
	region    bool   // a place of kind region: a province or a breakaway territory that can act
}

// etype is a compiled event type.
type etype struct {
	id, cameo, acled, title string
	negative                int32 // phrase set, -1 when none
	sentNegative            int32 // phrase set vetoing from anywhere in the sentence, -1 when none
	absorbedBy              []int // types that absorb this one
	absorbedInSentence      bool  // absorbed anywhere in the sentence, not only the clause
	noOpenSpans             bool
	readout                 bool   // reactions dated by the document are part of this event
	countryPlace            bool   // with no place, the country among the actors is the place
	placeActor              bool   // with no actor, the country of its place is the actor
	targetPlace             bool   // with no place, the country it is aimed at ("against Ukraine") is its place
	participants            string // the common noun for who takes part in every event, "" for none
	requiresActor           bool   // an event naming no actor is dropped
	topicWindow             int
	negWindow               int
	statuses                []string // admitted statuses; empty: all
	// negReasons maps each form of a negative phrase to its group's reason,
	// for explanations.
	negReasons map[string]string
}

// trig is a compiled trigger group.
type trig struct {
	id           string // the group's id in the rules, "" when it has none
	typ          int
	near, object int32 // phrase sets, -1 when none
	window       int
	dateWindow   int // 0: any distance
	anaphoric    bool
	dated        bool
	nearKinds    []string // organisation kinds that satisfy near
	stateSubject bool     // the subject must be a country or capital, a place must follow
	documentDate bool     // undated hits take the document's own date
	nearSentence bool     // near phrases count anywhere in the sentence
	namingDate   bool     // a dated noun may be dated by the date naming it
	calendar     bool     // counts only as a calendar's item ("Monaco, Parliament")
	named        bool     // counts only as the head of a name ("Operation Desert Storm")
	reaction     bool     // a reaction to its object event, which a trailing date dates
	actor        string   // an actor every event of the group has, "" when none
	weight       float64
}

// season is a named span of months.
type season struct{ first, last int }

// compiler builds an Extractor's tables from a rule set.
type compiler struct {
	x         *Extractor
	irregular map[string][]string
	nextSet   int32
}

func (c *compiler) compile(rs *rules.Set) error {
	x := c.x
	c.irregular = map[string][]string{}
	for _, l := range rs.Languages {
		for k, v := range l.Irregular {
			c.irregular[strings.ToLower(k)] = append(c.irregular[strings.ToLower(k)], v...)
		}
	}
	for _, forms := range c.irregular {
		for _, f := range forms {
			if f = strings.ToLower(f); !strings.HasSuffix(f, "ing") && !strings.Contains(f, " ") {
				wi := x.words[f]
				wi.past = true
				x.words[f] = wi
			}
		}
	}
	for _, l := range rs.Languages {
		if err := c.language(l); err != nil {
			return fmt.Errorf("%s:%d: language: %w", l.Source.File, l.Source.Line, err)
		}
	}
	if len(rs.Languages) == 0 {
		return fmt.Errorf("compile rules: no language file (language:) loaded")
	}
	for _, t := range rs.Types {
		ti := len(x.types)
		var negs, sentNegs []string
		reasons := map[string]string{}
		for _, n := range t.Negative {
			negs = append(negs, n.Phrases...)
			if n.Sentence {
				sentNegs = append(sentNegs, n.Phrases...)
			}
			for _, p := range n.Phrases {
				for _, form := range c.expand(p) {
					reasons[strings.Join(form, " ")] = n.Reason
				}
			}
		}
		et := etype{id: t.ID, cameo: t.CAMEO, acled: t.ACLED.EventType, title: t.Title, negative: c.phraseSet(negs), sentNegative: c.phraseSet(sentNegs),
			noOpenSpans: t.NoOpenSpans, topicWindow: t.TopicWindow, negWindow: t.NegativeWindow, readout: t.Readout, countryPlace: t.CountryPlace, placeActor: t.PlaceActor, targetPlace: t.TargetPlace, participants: t.Participants, requiresActor: t.RequiresActor, absorbedInSentence: t.AbsorbedInSentence,
			statuses: t.Statuses, negReasons: reasons}
		if et.title == "" {
			et.title = strings.ReplaceAll(t.ID, "_", " ") + "[: {actors}]"
		}
		x.types = append(x.types, et)
		for _, g := range t.Triggers {
			tg := trig{typ: ti, near: c.phraseSet(g.Near), object: c.phraseSet(g.Object), window: g.Window,
				dateWindow: g.DateWindow, anaphoric: g.Anaphoric, dated: g.Dated, nearKinds: g.NearKinds, weight: g.Weight,
				stateSubject: slices.Contains(g.SubjectKinds, "country"), documentDate: g.DocumentDate, id: g.ID, nearSentence: g.NearSentence, namingDate: g.NamingDate, calendar: g.Calendar, named: g.Named, reaction: g.Reaction,
				actor: g.Actor}
			if tg.window == 0 {
				tg.window = 8
			}
			if tg.weight == 0 {
				tg.weight = 0.9
			}
			id := int32(len(x.triggers))
			x.triggers = append(x.triggers, tg)
			for _, p := range g.Phrases {
				for _, form := range c.expand(p) {
					x.trie.add(form, payload{kind: payTrigger, id: id})
				}
			}
		}
	}
	for i, t := range rs.Types {
		for _, a := range t.AbsorbedBy {
			for j, u := range x.types {
				if u.id == a {
					x.types[i].absorbedBy = append(x.types[i].absorbedBy, j)
				}
			}
		}
	}
	c.gazetteer(rs)
	return nil
}

// phraseSet adds phrases to the trie as a new set and returns its id, or -1
// when there are none.
func (c *compiler) phraseSet(phrases []string) int32 {
	if len(phrases) == 0 {
		return -1
	}
	id := c.nextSet
	c.nextSet++
	c.x.phraseSets = int(c.nextSet)
	for _, p := range phrases {
		for _, form := range c.expand(p) {
			c.x.trie.add(form, payload{kind: payPhrase, id: id})
		}
	}
	return id
}

// expand tokenizes a rule phrase and expands every "word~" into its forms.
func (c *compiler) expand(phrase string) [][]string {
	out := [][]string{nil}
	for _, w := range strings.Fields(strings.ToLower(phrase)) {
		forms := []string{w}
		if strings.HasSuffix(w, "~") {
			forms = inflect(strings.TrimSuffix(w, "~"), c.irregular)
		}
		var next [][]string
		for _, prefix := range out {
			for _, f := range forms {
				seq := append(slices.Clone(prefix), tokenizeWords(f)...)
				next = append(next, seq)
			}
		}
		out = next
	}
	return out
}

// language adds one language's words and cues.
func (c *compiler) language(l rules.Language) error {
	x := c.x
	set := func(w string, f func(*wordInfo)) {
		w = strings.ToLower(w)
		wi := x.words[w]
		f(&wi)
		x.words[w] = wi
	}
	for i, names := range l.Months {
		for j, n := range names {
			set(n, func(w *wordInfo) { w.month = int8(i + 1); w.monthAbb = j > 0 })
		}
	}
	for i, names := range l.Weekdays {
		for _, n := range names {
			set(n, func(w *wordInfo) { w.weekday = int8(i + 1) })
		}
	}
	for n, v := range l.Numbers {
		if v < 0 || v > 100 {
			return fmt.Errorf("numbers.%s: %d out of range [0,100]", n, v)
		}
		set(n, func(w *wordInfo) { w.number = int8(v) })
	}
	for n, v := range l.Ordinals {
		if v < 1 || v > 31 {
			return fmt.Errorf("ordinals.%s: %d out of range [1,31]", n, v)
		}
		set(n, func(w *wordInfo) { w.ordinal = int8(v) })
	}
	x.participles = append(x.participles, l.ParticipleSuffixes...)
	for _, s := range l.OrdinalSuffixes {
		set(s, func(w *wordInfo) { w.ordSuf = true })
	}
	names := make([]string, 0, len(l.Seasons))
	for n := range l.Seasons {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		v := l.Seasons[n]
		x.seasons = append(x.seasons, season{v[0], v[1]})
		idx := int8(len(x.seasons))
		set(n, func(w *wordInfo) { w.season = idx })
	}
	for _, g := range groupNouns {
		set(g, func(w *wordInfo) { w.group = true })
	}
	for k, words := range l.Words {
		bit := slices.Index(rules.WordConcepts, k)
		for _, w := range words {
			set(w, func(wi *wordInfo) { wi.concepts |= 1 << bit })
		}
	}
	// In concept order, so that the trie is built the same way every time.
	for id, k := range rules.CueConcepts {
		for _, p := range l.Cues[k] {
			if id == cueAbbreviation {
				set(strings.TrimSuffix(p, "."), func(w *wordInfo) { w.abbrev = true })
				continue
			}
			for _, form := range c.expand(p) {
				x.trie.add(form, payload{kind: payCue, id: int32(id)})
			}

		}
	}
	return nil
}
