package rules

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// SubEventRule picks ACLED's sub-event type for an event whose evidence
// sentence has one of Words: a protest met with tear gas is "Protest with
// intervention", not "Peaceful protest".
type SubEventRule struct {
	// SubEventType is the ACLED sub-event type the rule gives.
	SubEventType string `yaml:"sub_event_type" json:"sub_event_type"`
	// EventType, when set, replaces the type's ACLED event type too (a
	// protest that turns into a riot); empty keeps it.
	EventType string `yaml:"event_type" json:"event_type,omitempty"`
	// Words are phrases matched case-insensitively as whole words in the
	// evidence sentence ("tear gas" matches "Tear gas was fired", not
	// "tear gassed"); every form that counts is listed.
	Words []string `yaml:"words" json:"words"`
}

// SubEvents is an ordered list of SubEventRule kept as its canonical JSON,
// so that ACLED and TypeFacts stay comparable with ==; "" means none. Its
// JSON is the list itself. Read it with Rules.
type SubEvents string

// Rules returns the rules, in order; nil for none.
func (s SubEvents) Rules() []SubEventRule {
	if s == "" {
		return nil
	}
	var rs []SubEventRule
	if err := json.Unmarshal([]byte(s), &rs); err != nil {
		return nil // only decode and UnmarshalJSON make a SubEvents
	}
	return rs
}

// MarshalJSON writes the list of rules.
func (s SubEvents) MarshalJSON() ([]byte, error) {
	if s == "" {
		return []byte("[]"), nil
	}
	return []byte(s), nil
}

// UnmarshalJSON reads a list of rules.
func (s *SubEvents) UnmarshalJSON(b []byte) error {
	var rs []SubEventRule
	if err := json.Unmarshal(b, &rs); err != nil {
		return fmt.Errorf("sub_events: %w", err)
	}
	return s.set(rs)
}

// set stores rs in canonical form.
func (s *SubEvents) set(rs []SubEventRule) error {
	if len(rs) == 0 {
		*s = ""
		return nil
	}
	b, err := json.Marshal(rs)
	if err != nil {
		return fmt.Errorf("sub_events: %w", err)
	}
	*s = SubEvents(b)
	return nil
}

// decode reads the YAML list of rules strictly, reporting every problem
// with its line.
func (s *SubEvents) decode(node *yaml.Node) error {
	if node.Kind != yaml.SequenceNode {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: sub_events is a list of {sub_event_type: ..., words: [...]}", node.Line)}}
	}
	var rs []SubEventRule
	var problems []string
	for i, item := range node.Content {
		r, errs := decodeSubEventRule(item, i)
		rs = append(rs, r)
		problems = append(problems, errs...)
	}
	if len(problems) > 0 {
		return &yaml.TypeError{Errors: problems}
	}
	return s.set(rs)
}

// decodeSubEventRule reads the i-th item of sub_events and lists its
// problems as "line N: ..." messages.
func decodeSubEventRule(node *yaml.Node, i int) (SubEventRule, []string) {
	var r SubEventRule
	f := fmt.Sprintf("sub_events[%d]", i)
	if node.Kind != yaml.MappingNode {
		return r, []string{fmt.Sprintf("line %d: %s: want {sub_event_type: ..., words: [...]}", node.Line, f)}
	}
	var problems []string
	for j := 0; j+1 < len(node.Content); j += 2 {
		k, v := node.Content[j], node.Content[j+1]
		var err error
		switch k.Value {
		case "sub_event_type":
			err = v.Decode(&r.SubEventType)
		case "event_type":
			err = v.Decode(&r.EventType)
		case "words":
			err = v.Decode(&r.Words)
		default:
			err = fmt.Errorf("unknown field (want sub_event_type, event_type, words)")
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("line %d: %s.%s: %s", k.Line, f, k.Value, strings.TrimPrefix(err.Error(), "yaml: ")))
		}
	}
	if strings.TrimSpace(r.SubEventType) == "" {
		problems = append(problems, fmt.Sprintf("line %d: %s.sub_event_type: required", node.Line, f))
	}
	if len(r.Words) == 0 {
		problems = append(problems, fmt.Sprintf("line %d: %s.words: required: the words of the evidence sentence that give %q", node.Line, f, r.SubEventType))
	}
	for j, w := range r.Words {
		if len(fold(w)) == 0 {
			problems = append(problems, fmt.Sprintf("line %d: %s.words[%d]: %q has no letters or digits", node.Line, f, j, w))
		}
	}
	return r, problems
}

// Mapper returns the function giving the ACLED event type and sub-event
// type of an event whose evidence sentence is sentence: those of the
// first SubEvents rule with a word in the sentence, else EventType and
// SubEventType. The function is safe for concurrent use.
func (a ACLED) Mapper() func(sentence string) (eventType, subEventType string) {
	type rule struct {
		eventType, subEventType string
		phrases                 []string
	}
	var rules []rule
	for _, r := range a.SubEvents.Rules() {
		et := r.EventType
		if et == "" {
			et = a.EventType
		}
		cr := rule{eventType: et, subEventType: r.SubEventType}
		for _, w := range r.Words {
			if p := strings.Join(fold(w), " "); p != "" {
				cr.phrases = append(cr.phrases, " "+p+" ")
			}
		}
		rules = append(rules, cr)
	}
	return func(sentence string) (string, string) {
		if len(rules) == 0 {
			return a.EventType, a.SubEventType
		}
		words := " " + strings.Join(fold(sentence), " ") + " "
		for _, r := range rules {
			for _, p := range r.phrases {
				if strings.Contains(words, p) {
					return r.eventType, r.subEventType
				}
			}
		}
		return a.EventType, a.SubEventType
	}
}

// fold splits s into lower-case words of letters and digits.
func fold(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}
