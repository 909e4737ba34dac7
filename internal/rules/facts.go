package rules

import (
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ACLED is the ACLED event type and sub-event type an event type maps to
// in ACLED-like exports. An empty EventType means none fits: exports then
// write the Dateline type id in both columns.
type ACLED struct {
	// EventType is ACLED's event type ("Protests").
	EventType string `yaml:"event_type" json:"event_type"`
	// SubEventType is ACLED's sub-event type ("Peaceful protest"); it may
	// be empty when the event type is known but no sub-event type fits.
	SubEventType string `yaml:"sub_event_type" json:"sub_event_type"`
	// SubEvents refine the mapping by the words of an event's evidence
	// sentence, in order: the first rule with a word in the sentence gives
	// the sub-event type (and event type, when it names one). See Mapper.
	SubEvents SubEvents `yaml:"sub_events" json:"sub_events,omitempty"`
}

// UnmarshalYAML reads {event_type, sub_event_type}, or a lone event type
// (older rule files: "acled: Protests").
func (a *ACLED) UnmarshalYAML(node *yaml.Node) error {
	if node.Kind == yaml.ScalarNode {
		a.EventType = node.Value
		return nil
	}
	if node.Kind != yaml.MappingNode {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: acled is an event type or {event_type: ..., sub_event_type: ...}", node.Line)}}
	}
	for i := 0; i+1 < len(node.Content); i += 2 {
		switch k, v := node.Content[i], node.Content[i+1]; k.Value {
		case "event_type":
			if err := v.Decode(&a.EventType); err != nil {
				return err
			}
		case "sub_event_type":
			if err := v.Decode(&a.SubEventType); err != nil {
				return err
			}
		case "sub_events":
			if err := a.SubEvents.decode(v); err != nil {
				return err
			}
		default:
			return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: field %s not found in type rules.ACLED", k.Line, k.Value)}}
		}
	}
	return nil
}

// Anchor says what identifies one happening of an event type when reports
// from several articles are merged into one event.
type Anchor string

const (
	// AnchorActors identifies a happening by its set of actors (else its
	// first place): a treaty is who signed it.
	AnchorActors Anchor = "actors"
	// AnchorPlace identifies a happening by its first place (else its
	// actors): two strikes on one day in two cities are two events,
	// whoever is named.
	AnchorPlace Anchor = "place"
)

// Anchors are the values EventType.Anchor may take; empty means
// AnchorActors.
var Anchors = []Anchor{AnchorActors, AnchorPlace}

// TypeFacts are what the rest of Dateline knows about an event type: how
// to name it, its codes, how its reports merge and its colour. It is the
// JSON of GET /api/v1/types.
type TypeFacts struct {
	// ID is the type id carried in Event.Type.
	ID string `json:"id"`
	// Label names the type for people ("Treaty signing").
	Label string `json:"label"`
	// CAMEO is the CAMEO event code.
	CAMEO string `json:"cameo"`
	// ACLED is the ACLED mapping; its EventType is empty when none fits.
	ACLED ACLED `json:"acled"`
	// Anchor is AnchorActors or AnchorPlace, never empty.
	Anchor Anchor `json:"anchor"`
	// Color is the type's colour as #rrggbb (lower case), or empty when
	// the rules give none.
	Color string `json:"color"`
}

// Catalog is the facts of every event type, in rule order. It is a plain
// value: share it freely, never modify it.
type Catalog []TypeFacts

// Catalog returns the facts of the set's event types, in rule order, with
// the defaults filled in: a missing label is the id in words ("arms
// transfer" → "Arms transfer"), a missing anchor is AnchorActors.
func (s *Set) Catalog() Catalog {
	out := make(Catalog, len(s.Types))
	for i, t := range s.Types {
		out[i] = t.Facts()
	}
	return out
}

// Facts returns the type's facts with the defaults filled in (see
// Set.Catalog).
func (t EventType) Facts() TypeFacts {
	f := TypeFacts{ID: t.ID, Label: t.Label, CAMEO: t.CAMEO, ACLED: t.ACLED, Anchor: t.Anchor, Color: strings.ToLower(t.Color)}
	if f.Label == "" {
		f.Label = LabelOf(t.ID)
	}
	if f.Anchor == "" {
		f.Anchor = AnchorActors
	}
	return f
}

// Find returns the facts of type id.
func (c Catalog) Find(id string) (TypeFacts, bool) {
	for _, f := range c {
		if f.ID == id {
			return f, true
		}
	}
	return TypeFacts{}, false
}

// LabelOf writes a type id in words: "treaty_signing" → "Treaty signing".
func LabelOf(id string) string {
	s := strings.ReplaceAll(id, "_", " ")
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// validateFacts checks the facts of type t (field path f): the anchor is
// known, the colour is #rrggbb, the label is one line and an ACLED
// sub-event type comes with its event type.
func validateFacts(t EventType, f string) []error {
	var errs []error
	if t.Anchor != "" && !slices.Contains(Anchors, t.Anchor) {
		errs = append(errs, problem(t.Source, f+".anchor", "%q is not one of %s, %s", t.Anchor, AnchorActors, AnchorPlace))
	}
	if t.Color != "" && !isHexColor(t.Color) {
		errs = append(errs, problem(t.Source, f+".color", "%q is not a colour written #rrggbb", t.Color))
	}
	if strings.ContainsAny(t.Label, "\n\r") || t.Label != strings.TrimSpace(t.Label) {
		errs = append(errs, problem(t.Source, f+".label", "%q: one line, without leading or trailing spaces", t.Label))
	}
	if t.ACLED.EventType == "" && t.ACLED.SubEventType != "" {
		errs = append(errs, problem(t.Source, f+".acled.event_type", "required with sub_event_type %q", t.ACLED.SubEventType))
	}
	if t.ACLED.EventType == "" && t.ACLED.SubEvents != "" {
		errs = append(errs, problem(t.Source, f+".acled.sub_events", "need acled.event_type"))
	}
	return errs
}

// validateColors reports a colour given to two types: each type must be
// told apart on the page.
func validateColors(types []EventType) []error {
	var errs []error
	seen := map[string]string{}
	for i, t := range types {
		c := strings.ToLower(t.Color)
		if c == "" {
			continue
		}
		if other, ok := seen[c]; ok {
			errs = append(errs, problem(t.Source, fmt.Sprintf("event_types[%d].color", i), "%s is also the colour of %s", t.Color, other))
			continue
		}
		seen[c] = t.ID
	}
	return errs
}

func isHexColor(s string) bool {
	if len(s) != 7 || s[0] != '#' {
		return false
	}
	for _, r := range s[1:] {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f' || r >= 'A' && r <= 'F') {
			return false
		}
	}
	return true
}
