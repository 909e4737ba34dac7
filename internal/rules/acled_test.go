package rules

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"
)

const subEventTypes = `event_types:
  - id: protest
    cameo: "141"
    acled:
      event_type: Protests
      sub_event_type: Peaceful protest
      sub_events:
        - sub_event_type: Excessive force against protesters
          words: [killed, "shot dead"]
        - event_type: Riots
          sub_event_type: Violent demonstration
          words: ["threw stones"]
        - sub_event_type: Protest with intervention
          words: ["tear gas", "water cannon", arrested]
    triggers: [{phrases: [protest~]}]
`

// TestACLEDSubEvents checks that the words of the evidence sentence pick
// the sub-event type, first rule first, and the default holds otherwise.
func TestACLEDSubEvents(t *testing.T) {
	set, err := Load(fstest.MapFS{"events.yaml": {Data: []byte(subEventTypes)}})
	if err != nil {
		t.Fatal(err)
	}
	acled := set.Catalog()[0].ACLED
	tests := []struct {
		sentence, eventType, subEventType string
	}{
		{"Thousands protested peacefully in Tbilisi.", "Protests", "Peaceful protest"},
		{"Police fired Tear Gas and a water cannon at protesters.", "Protests", "Protest with intervention"},
		{"Dozens were arrested at the protest.", "Protests", "Protest with intervention"},
		{"Security forces shot dead three protesters and arrested dozens.", "Protests", "Excessive force against protesters"},
		{"Protesters threw stones at the police.", "Riots", "Violent demonstration"},
		{"The tear gassed crowd went home.", "Protests", "Peaceful protest"},
		{"The crowd was unarrested.", "Protests", "Peaceful protest"},
	}
	m := acled.Mapper()
	for _, tc := range tests {
		t.Run(tc.sentence, func(t *testing.T) {
			et, st := m(tc.sentence)
			if et != tc.eventType || st != tc.subEventType {
				t.Errorf("Mapper()(%q) = %q, %q; want %q, %q", tc.sentence, et, st, tc.eventType, tc.subEventType)
			}
		})
	}
}

// TestSubEventsJSON checks that type facts with sub-event rules survive a
// JSON round trip equal (GET /api/v1/types is compared with ==).
func TestSubEventsJSON(t *testing.T) {
	set, err := Load(fstest.MapFS{"events.yaml": {Data: []byte(subEventTypes)}})
	if err != nil {
		t.Fatal(err)
	}
	want := set.Catalog()
	b, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"sub_events":[{"sub_event_type":"Excessive force against protesters","words":["killed","shot dead"]}`) {
		t.Errorf("JSON = %s, want the sub_events list", b)
	}
	var got Catalog
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != want[0] {
		t.Errorf("round trip = %+v, want %+v", got, want)
	}
	if n := len(got[0].ACLED.SubEvents.Rules()); n != 3 {
		t.Errorf("Rules() has %d rules, want 3", n)
	}
}

// TestSubEventsErrors checks that every bad sub-event rule is reported at
// once, each with its file, line and field.
func TestSubEventsErrors(t *testing.T) {
	const bad = `event_types:
  - id: protest
    cameo: "141"
    acled:
      event_type: Protests
      sub_events:
        - words: [killed]
        - sub_event_type: Protest with intervention
          wrods: [arrested]
    triggers: [{phrases: [protest~]}]
`
	_, err := Load(fstest.MapFS{"events.yaml": {Data: []byte(bad)}})
	if err == nil {
		t.Fatal("Load() = nil error, want the bad sub_events")
	}
	for _, want := range []string{
		"events.yaml:7", "sub_events[0].sub_event_type: required",
		"events.yaml:9", "sub_events[1].wrods: unknown field",
		"sub_events[1].words: required",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %q", err, want)
		}
	}
}
