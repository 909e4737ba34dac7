package rules

import (
	"testing"
	"testing/fstest"
)

func TestCatalog(t *testing.T) {
	const types = `event_types:
  - id: abduction
    label: Kidnapping
    cameo: "181"
    acled: {event_type: Violence against civilians, sub_event_type: Abduction/forced disappearance}
    anchor: place
    color: "#AA3377"
    triggers: [{phrases: [kidnap~]}]
  - id: arms_transfer
    cameo: "072"
    acled: Strategic developments
    triggers: [{phrases: [deliver~]}]
`
	set, err := Load(fstest.MapFS{"events.yaml": {Data: []byte(types)}})
	if err != nil {
		t.Fatal(err)
	}
	want := Catalog{
		{ID: "abduction", Label: "Kidnapping", CAMEO: "181",
			ACLED:  ACLED{EventType: "Violence against civilians", SubEventType: "Abduction/forced disappearance"},
			Anchor: AnchorPlace, Color: "#aa3377"},
		{ID: "arms_transfer", Label: "Arms transfer", CAMEO: "072",
			ACLED: ACLED{EventType: "Strategic developments"}, Anchor: AnchorActors},
	}
	got := set.Catalog()
	if len(got) != len(want) {
		t.Fatalf("Catalog() = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("Catalog()[%d] = %+v, want %+v", i, got[i], want[i])
		}
	}
	if f, ok := got.Find("arms_transfer"); !ok || f.Label != "Arms transfer" {
		t.Errorf("Find(arms_transfer) = %+v, %v", f, ok)
	}
	if _, ok := got.Find("protest"); ok {
		t.Error("Find(protest) found a type the rules do not have")
	}
}

func TestLabelOf(t *testing.T) {
	tests := []struct{ id, want string }{
		{"treaty_signing", "Treaty signing"},
		{"aid", "Aid"},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.id, func(t *testing.T) {
			if got := LabelOf(tc.id); got != tc.want {
				t.Errorf("LabelOf(%q) = %q, want %q", tc.id, got, tc.want)
			}
		})
	}
}
