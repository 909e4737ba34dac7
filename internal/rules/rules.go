// Package rules loads the declarative extraction rules of pipelines/: event
// types with their triggers, language files with date words and cues, and
// the gazetteers of countries, organisations and places.
//
// Rules are plain YAML, decoded strictly: an unknown key, a value of the
// wrong type or a missing required field is an error naming the file, the
// line and the field. A Set is immutable after Load returns and may be
// shared between goroutines.
package rules

import (
	"fmt"
	"slices"

	"go.yaml.in/yaml/v3"
)

// Source locates a rule in the files it was loaded from.
type Source struct {
	// File is the path of the YAML file inside the loaded file system.
	File string
	// Line is the 1-based line of the rule's first key.
	Line int
}

// Set is every rule loaded from a pipelines directory.
type Set struct {
	// Types are the event types, in file order.
	Types []EventType
	// Languages are the language files; the extractor merges their words.
	Languages []Language
	// Countries, Organizations and Places are the gazetteer entries.
	Countries     []Country
	Organizations []Organization
	Places        []Place
	// People are public figures who stand for their country or
	// organisation as actors ("Putin ordered" names Russia).
	People []Person
	// Affiliations make an organisation part of a larger one.
	Affiliations []Affiliation
}

// Affiliation says that Organization is part of PartOf ("UN Security
// Council" of "United Nations"): an event naming the part names the whole.
type Affiliation struct {
	// Organization is the part, PartOf the whole: canonical names.
	Organization string `yaml:"organization"`
	PartOf       string `yaml:"part_of"`
	// Source is where the entry was declared.
	Source Source `yaml:"-"`
}

// EventType declares one kind of event: its id, its facts (label, CAMEO
// and ACLED codes, merge anchor, colour; see Facts), the trigger phrases
// that announce it and the phrases that veto it.
type EventType struct {
	// ID is the event type id carried in Event.Type, such as "treaty_signing".
	ID string `yaml:"id"`
	// Label names the type for people ("Treaty signing"); empty means the
	// id in words.
	Label string `yaml:"label"`
	// CAMEO is the CAMEO event code, such as "057".
	CAMEO string `yaml:"cameo"`
	// ACLED is the ACLED event and sub-event type where one fits, else
	// empty.
	ACLED ACLED `yaml:"acled"`
	// Anchor says what identifies one happening of the type when the index
	// merges reports of it (AnchorActors or AnchorPlace); empty means
	// AnchorActors.
	Anchor Anchor `yaml:"anchor"`
	// Color is the type's colour on the page, #rrggbb; empty lets the page
	// pick one.
	Color string `yaml:"color"`
	// Title is the template of an event's title. {actors} and {places} are
	// replaced by the event's actors and places joined in plain English;
	// text inside [ ] is dropped when a placeholder in it is empty.
	Title string `yaml:"title"`
	// Description documents the type for people editing the rules.
	Description string `yaml:"description"`
	// Decisions record how CAMEO's codebook is applied to this type: what
	// counts as it and what goes to another type ("a phone call between
	// leaders is a consultation, 041: a meeting").
	Decisions []string `yaml:"decisions"`
	// Examples are texts with the events the rules must, and must not,
	// read from them; go test and "dateline rules test" run them.
	Examples []Example `yaml:"examples"`
	// Triggers are the groups of phrases that announce the type.
	Triggers []Trigger `yaml:"triggers"`
	// Negative lists groups of phrases that, in the same clause as a
	// trigger, mean the trigger does not announce this type ("hunger
	// strike"), each with the reason. A plain phrase is a group of one
	// with no reason (older rule files).
	Negative []Negative `yaml:"negative"`
	// AbsorbedBy lists types that absorb this one: a hit of this type that
	// follows a hit of one of them in the same clause, with no comma
	// between and the same date, is part of that event ("an airstrike
	// killed 12" is one strike, not a strike and casualties).
	AbsorbedBy []string `yaml:"absorbed_by"`
	// AbsorbedInSentence widens AbsorbedBy to the whole sentence: a toll
	// set off by dashes ("killed 241 ... — including 220 Marines — in a
	// truck bombing") is still the toll of the sentence's attack.
	AbsorbedInSentence bool `yaml:"absorbed_in_sentence"`
	// Statuses lists the statuses the type admits (occurred, planned,
	// denied); empty admits all. Casualties are never "planned".
	Statuses []string `yaml:"statuses"`
	// NegativeWindow bounds, in tokens, how far from a trigger a negative
	// phrase vetoes it; 0 means the trigger's own window.
	NegativeWindow int `yaml:"negative_window"`
	// TopicWindow, when set, makes a trigger of another type that starts
	// within this many tokens after a trigger of this type the topic of
	// this event, not an event of its own ("condemned the strike").
	TopicWindow int `yaml:"topic_window"`
	// NoOpenSpans keeps the type from binding to open spans: "killed since
	// October 2023" is a running toll, not an event.
	NoOpenSpans bool `yaml:"no_open_spans"`
	// Readout marks types whose documents report reactions that are part
	// of the event: in the readout of a call, "The Secretary commended the
	// Foreign Minister" dated only by the document is the call itself.
	Readout bool `yaml:"readout"`
	// RequiresActor drops an event of the type that names no actor at all:
	// a statement without its speaker is not yet a statement.
	RequiresActor bool `yaml:"requires_actor"`
	// CountryPlace makes the country among an event's actors its place when
	// the text names none: an election is held in a country.
	CountryPlace bool `yaml:"country_place"`
	// TargetPlace makes the country an event of the type is aimed at its
	// place when the text names none: "launched its assault against
	// Ukraine", "strikes on Syria" happen there.
	TargetPlace bool `yaml:"target_place"`
	// PlaceActor makes the country of an event's place its actor when the
	// text names no one: workers who walk out at the port of Antwerp are
	// Belgium's, not the actors of the sentence before.
	PlaceActor bool `yaml:"place_actor"`
	// Participants is the common noun for those who take part in every
	// event of the type ("protesters"), an actor as written beside the
	// names the text gives; empty for none.
	Participants string `yaml:"participants"`
	// Source is where the type was declared.
	Source Source `yaml:"-"`
}

// Example is a short text and what the rules must read from it.
type Example struct {
	// Text is the text to read.
	Text string `yaml:"text"`
	// Published is the publication date relative dates count from,
	// RFC 3339 or YYYY-MM-DD.
	Published string `yaml:"published"`
	// Want lists events that must be read, as "type date" ("meeting
	// 2024-06-04", "military_strike 2025-03"); Not lists events that must
	// not be, "type date" or a date alone (no event on that date).
	Want []string `yaml:"want"`
	Not  []string `yaml:"not"`
}

// Negative is a group of phrases that veto a type's triggers, with the
// reason they do.
type Negative struct {
	// Phrases are the vetoing phrases ("hunger strike", "strike~ a deal").
	Phrases []string `yaml:"phrases"`
	// Reason says in one line why they veto the type.
	Reason string `yaml:"reason"`
	// Sentence lets the phrases veto from anywhere in the trigger's
	// sentence, not only near it in its clause: the cause of deaths is often
	// told in a clause of its own ("Seven people are killed after a
	// minibus crashes on E70").
	Sentence bool `yaml:"sentence"`
}

// UnmarshalYAML reads a group, or a lone phrase as a group of one.
func (n *Negative) UnmarshalYAML(node *yaml.Node) error {
	if node.Kind == yaml.ScalarNode {
		n.Phrases = []string{node.Value}
		return nil
	}
	if node.Kind != yaml.MappingNode {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: a negative is a phrase or {phrases: [...], reason: ...}", node.Line)}}
	}
	for i := 0; i+1 < len(node.Content); i += 2 {
		switch k, v := node.Content[i], node.Content[i+1]; k.Value {
		case "phrases":
			if err := v.Decode(&n.Phrases); err != nil {
				return err
			}
		case "reason":
			if err := v.Decode(&n.Reason); err != nil {
				return err
			}
		case "sentence":
			if err := v.Decode(&n.Sentence); err != nil {
				return err
			}
		default:
			return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: field %s not found in type rules.Negative", k.Line, k.Value)}}
		}
	}
	return nil
}

// Trigger is a group of phrases announcing an event type, optionally
// conditioned on argument cues. In every phrase a word ending in "~" also
// matches its inflections (sign~ matches signs, signed, signing), using the
// language files' irregular forms where the regular rules do not apply.
type Trigger struct {
	// ID names the group in explanations and rule tests ("treaty.sign");
	// unique within its event type.
	ID string `yaml:"id"`
	// Phrases are the trigger words or phrases.
	Phrases []string `yaml:"phrases"`
	// Near, when set, requires one of these phrases in the trigger's clause.
	Near []string `yaml:"near"`
	// Object, when set, requires one of these phrases within Window tokens
	// after the trigger.
	Object []string `yaml:"object"`
	// Window bounds Object and Near in tokens, at most 150 (a long sentence
	// of a legal text); 0 means the default (8).
	Window int `yaml:"window"`
	// NearSentence lets a Near phrase stand anywhere in the trigger's
	// sentence within Window, not only in its clause ("the national
	// emergency declared in Executive Order 13660 ..., and expanded by
	// Executive Order 13661 ...").
	NearSentence bool `yaml:"near_sentence"`
	// Weight is the confidence that the trigger announces the type, in
	// (0,1]; 0 means the default (0.9).
	Weight float64 `yaml:"weight"`
	// Anaphoric triggers ("the strike") refer back: they count only after
	// a non-anaphoric trigger of the same type earlier in the text.
	Anaphoric bool `yaml:"anaphoric"`
	// Dated phrases are nouns that name an event only when a date modifies
	// them directly: a possessive day ("Friday's signing", "Tuesday's
	// strike") or a date before them ("the 2012 agreement"). Such a hit is
	// dated by that date alone.
	Dated bool `yaml:"dated"`
	// NearKinds, when set, lets an organisation of one of these kinds
	// ("armed_group") named in the trigger's clause within Window tokens
	// stand in for a Near phrase: "The RSF attacked the market". The kind
	// "person" stands for a public figure of people.yaml ("Putin met Kim").
	NearKinds []string `yaml:"near_kinds"`
	// SubjectKinds, when set, requires the trigger's grammatical subject
	// to be of one of these kinds and a place or country to follow it
	// within Window tokens in its clause. The only kind is "country": a
	// country or a capital named right before the verb, not after a
	// preposition ("Russia attacked Kyiv", "Israel struck Beirut", but
	// not "critics in Kyiv attacked the plan").
	SubjectKinds []string `yaml:"subject_kinds"`
	// DateWindow, when set, binds the trigger only to a date at most this
	// many tokens away ("said on Monday"), never to a farther one.
	DateWindow int `yaml:"date_window"`
	// NamingDate lets a dated noun be dated by the date that names it
	// ("Executive Order 13660 of March 6, 2014"): the order was signed
	// then. Other documents named by a date ("the Treaty of 1949") are not
	// events of that date.
	NamingDate bool `yaml:"naming_date"`
	// DocumentDate lets a hit whose sentence gives no date take the date
	// the document gives itself: its dateline, a date heading or a
	// signature line ("New York, 2 December 2016"). A statement or readout
	// that says "The Secretary-General condemns ..." speaks on that day.
	// Never the publication date alone.
	DocumentDate bool `yaml:"document_date"`
	// Calendar phrases count only as the item of a calendar: a list line
	// that names a country or place, a comma and then the phrase, and
	// little more ("7 March: Sierra Leone, President (1st round)"). The
	// line's opening date dates it, or, for a line of its own below a
	// date that opens a line and ends at its colon ("28 January:"), that
	// date.
	Calendar bool `yaml:"calendar"`
	// Named phrases count only as the capitalised head of a name followed
	// by its own capitalised words, and not inside a longer name: "Operation
	// Desert Storm began on 17 January 1991", "8–11 December – Operation
	// Krochol", but not "the operation" or "Task Force Operation Inherent
	// Resolve".
	Named bool `yaml:"named"`
	// Reaction marks a reaction to an event named as its object ("condemned
	// Putin's appalling attacks on civilian areas in Kyiv yesterday"): a
	// date that ends the object's phrase dates that event, the object of
	// a dated-noun group.
	Reaction bool `yaml:"reaction"`
	// Actor, when set, is an actor every event of the group has: the
	// issuer its instrument implies (an executive order under a national
	// emergency is the United States'). A country or organisation name of
	// the gazetteer.
	Actor string `yaml:"actor"`
}

// Language holds the words of one language the extractor needs: month and
// weekday names, the vocabulary of relative dates, and cue lists. Keys of
// Words and Cues are fixed concept names (see WordConcepts, CueConcepts).
type Language struct {
	// Code is the language code, such as "en".
	Code string `yaml:"code"`
	// Months lists twelve entries, January first; each lists the names and
	// abbreviations of that month.
	Months [][]string `yaml:"months"`
	// Weekdays lists seven entries, Monday first.
	Weekdays [][]string `yaml:"weekdays"`
	// Numbers maps number words ("two", "a") to their value.
	Numbers map[string]int `yaml:"numbers"`
	// Ordinals maps ordinal words ("third") to their value.
	Ordinals map[string]int `yaml:"ordinals"`
	// OrdinalSuffixes are the suffixes of numeric ordinals ("th", "st").
	OrdinalSuffixes []string `yaml:"ordinal_suffixes"`
	// ParticipleSuffixes are the endings of present participles ("ing"):
	// after a comma such a trigger opens a clause of its own (", killing
	// four"), a separate event from the one before.
	ParticipleSuffixes []string `yaml:"participle_suffixes"`
	// Seasons maps a season word to its first and last month.
	Seasons map[string][2]int `yaml:"seasons"`
	// Words maps a date-grammar concept to the words that express it.
	Words map[string][]string `yaml:"words"`
	// Cues maps a cue concept to phrases that signal it.
	Cues map[string][]string `yaml:"cues"`
	// Irregular maps a verb or noun lemma to its irregular forms, used when
	// a trigger phrase marks a word with "~".
	Irregular map[string][]string `yaml:"irregular"`
	// Source is where the language was declared.
	Source Source `yaml:"-"`
}

// WordConcepts are the keys Language.Words may use.
var WordConcepts = []string{
	"yesterday", "today", "tonight", "tomorrow", "ago", "last", "next", "this",
	"earlier", "later", "day", "week", "weekend", "month", "year", "early",
	"mid", "late", "quarter", "since", "from", "to", "between", "and", "of",
	"the", "in", "on", "at", "during", "by", "before", "after", "until",
	"same", "that", "daypart", "hour", "sequence", "overnight", "night",
	"half", "just",
}

// CueConcepts are the keys Language.Cues may use.
var CueConcepts = []string{
	// citation: words that mark a date as a citation or access date.
	"citation",
	// reference_line: words that, starting a line, mark it as a reference.
	"reference_line",
	// denied, planned, hypothetical: status cues before a trigger.
	"denied", "planned", "hypothetical",
	// future: cues that a sentence speaks of the future.
	"future",
	// statistic: nouns after a bare year that make it a statistic's year.
	"statistic",
	// year_prepositions: words before a bare year that make it a date.
	"year_prepositions",
	// determiners: words before a bare year that make it a modifier.
	"determiners",
	// clause_break: words that, after a comma, begin a new clause.
	"clause_break",
	// locative: prepositions that make a following name a place.
	"locative",
	// abbreviation: words followed by "." that do not end a sentence.
	"abbreviation",
	// speech: reporting verbs; a reported_plan cue after one is a plan.
	"speech",
	// commemoration: words before a trigger that make it the remembered
	// event of an anniversary, not an event on the day it is marked.
	"commemoration",
	// passive: auxiliaries of the passive voice ("was announced").
	"passive",
	// reported_plan: hypothetical-looking words that report a plan after a
	// speech verb ("said it would sign").
	"reported_plan",
	// perfect: auxiliaries of the present perfect; a trigger after one is
	// not dated by a past date of another clause.
	"perfect",
	// recall: prepositions that make the event after them a point of
	// reference ("a week after the invasion"), dated only by its own date.
	"recall",
	// ending: verbs that end an event lasting some days; its date is then
	// its last day ("the two-day summit ended on Monday").
	"ending",
	// reference_heading: a line holding only one of these ("Notes",
	// "Further reading") opens a reference section: every line after it
	// is a reference whose dates are not event dates.
	"reference_heading",
	// title: titles of office and address before a person's name
	// ("President", "Foreign Minister", "Secretary-General", "Mr.").
	"title",
	// name_particle: lower-case words inside a person's name ("al",
	// "bin", "van", "de").
	"name_particle",
	// name_stop: capitalised words that end a person's name after a title
	// because they make it a body's ("General Assembly", "Prime Minister's
	// Office").
	"name_stop",
	// speaker: nouns that name a speaker without naming who ("a foreign
	// ministry spokesman", "state media", "opposition parties"): a
	// statement needs a speaker, named or so described.
	"speaker",
	// event_of: nouns of an act that a possessive date dates, with the
	// event after "of": "today's announcement of an extension of the
	// truce" dates the truce's extension.
	"event_of",
	// document: nouns of documents named by their date ("the North
	// Atlantic Treaty of 1949", "Proclamation 8693 of July 24, 2011"):
	// such a date names the document, it dates no event of its clause.
	"document",
	// authored: nouns of a text with an author named after "from", "by"
	// or "of" in its title ("Statement from President Joe Biden", "Letter
	// dated 5 July 1996 from the Permanent Representative of Lebanon",
	// "Report of the Secretary-General"): that author is who "I" and "we"
	// are in the text.
	"authored",
	// biography_heading: a line of just one of these ("Births",
	// "Deaths") opens a section of people's lives, whose dates are
	// births and deaths, not events, up to the next heading.
	"biography_heading",
}

// Country is a gazetteer entry for a state.
type Country struct {
	// Name is the canonical common English short name, carried in
	// Event.Actors and Place.Country.
	Name string `yaml:"name"`
	// ISO2 and ISO3 are the ISO 3166-1 codes.
	ISO2 string `yaml:"iso2"`
	ISO3 string `yaml:"iso3"`
	// Aliases are other names of the country ("DPRK").
	Aliases []string `yaml:"aliases"`
	// Demonyms name its people or make adjectives ("North Korean").
	Demonyms []string `yaml:"demonyms"`
	// Metonyms are seats standing for its government ("Pyongyang").
	Metonyms []string `yaml:"metonyms"`
	// Ambiguous marks every name of the country as also a common word or
	// another place (Georgia, Jordan, Chad): such a name counts only when
	// the text names the country otherwise too.
	Ambiguous bool `yaml:"ambiguous"`
	// AmbiguousNames marks only these of Name and Aliases as ambiguous
	// ("Congo"), leaving the others clear ("Democratic Republic of the
	// Congo", "DRC"). Set it or Ambiguous, not both.
	AmbiguousNames []string `yaml:"ambiguous_names"`
	// Lat and Lon are the centroid.
	Lat float64 `yaml:"lat"`
	Lon float64 `yaml:"lon"`
	// Source is where the entry was declared.
	Source Source `yaml:"-"`
}

// Organization is a gazetteer entry for an organisation or armed group.
type Organization struct {
	// Name is the canonical name, carried in Event.Actors.
	Name string `yaml:"name"`
	// Aliases are other names and abbreviations ("UN", "U.N.").
	Aliases []string `yaml:"aliases"`
	// Kind is intergovernmental, armed_group, agency, ngo, company or party.
	Kind string `yaml:"kind"`
	// Country is the canonical country of a national body, else empty.
	Country string `yaml:"country"`
	// Source is where the entry was declared.
	Source Source `yaml:"-"`
}

// Person is a public figure: a name that stands for a country or an
// organisation when it acts ("Putin said" is Russia speaking).
type Person struct {
	// Name is the person's usual full name.
	Name string `yaml:"name"`
	// Aliases are other names, such as a surname used alone.
	Aliases []string `yaml:"aliases"`
	// Country is the canonical country the person acts for, if any.
	Country string `yaml:"country"`
	// Organization is the canonical organisation the person acts for, if
	// not a country.
	Organization string `yaml:"organization"`
	// Source is where the entry was declared.
	Source Source `yaml:"-"`
}

// Place is a gazetteer entry for a city, capital, region or area.
type Place struct {
	// Name is the canonical name, carried in Event.Places.
	Name string `yaml:"name"`
	// Country is the canonical name of the country it lies in.
	Country string `yaml:"country"`
	// Kind is city, capital, region or area.
	Kind string `yaml:"kind"`
	// Lat and Lon locate it; 0,0 is refused.
	Lat float64 `yaml:"lat"`
	Lon float64 `yaml:"lon"`
	// Aliases are other spellings ("Kharkov").
	Aliases []string `yaml:"aliases"`
	// Ambiguous marks every name of the place as shared with another place
	// or a common word; it counts only when the text names its country
	// otherwise too.
	Ambiguous bool `yaml:"ambiguous"`
	// AmbiguousNames marks only these of Name and Aliases as ambiguous
	// ("Washington", not "Washington, D.C."). Set it or Ambiguous, not both.
	AmbiguousNames []string `yaml:"ambiguous_names"`
	// Source is where the entry was declared.
	Source Source `yaml:"-"`
}

// NameAmbiguous reports whether name, one of the country's names, is
// ambiguous.
func (c Country) NameAmbiguous(name string) bool {
	return c.Ambiguous || slices.Contains(c.AmbiguousNames, name)
}

// NameAmbiguous reports whether name, one of the place's names, is
// ambiguous.
func (p Place) NameAmbiguous(name string) bool {
	return p.Ambiguous || slices.Contains(p.AmbiguousNames, name)
}
