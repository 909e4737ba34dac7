package service

import (
	"reflect"
	"testing"

	"github.com/dateline/dateline/internal/alert"
)

// TestAlertOfInvertsFromConfig: an API rule converted for SendTest and
// back is the same rule, every field kept.
func TestAlertOfInvertsFromConfig(t *testing.T) {
	t.Parallel()
	r := alert.Rule{
		Name: "r", Query: "treaty", Search: "saved", Types: []string{"treaty_signing"}, Actors: []string{"Russia"},
		Places: []string{"Kyiv"}, Statuses: []string{"occurred"}, MinSources: 2, MinConfidence: 0.5,
		Mode: alert.Threshold, Window: "6h0m0s", Threshold: 3, Schedule: "08:00", Timezone: "Europe/Paris",
		FollowUps: true, Template: "{{.Title}}", Source: "config",
		Destinations: []alert.Destination{
			{Kind: "webhook", URL: "https://x.example/h", Secret: "whsec_x"},
			{Kind: "telegram", Token: "tok", ChatID: "42"},
		},
	}
	// Every field is set, so a field added to alert.Rule fails here until
	// alertOf carries it.
	v := reflect.ValueOf(r)
	for i := range v.NumField() {
		if v.Field(i).IsZero() {
			t.Fatalf("the test rule leaves %s unset", v.Type().Field(i).Name)
		}
	}
	a, err := alertOf(r)
	if err != nil {
		t.Fatal(err)
	}
	if back := alert.FromConfig(a); !reflect.DeepEqual(back, r) {
		t.Errorf("round trip\n got %+v\nwant %+v", back, r)
	}
	if _, err := alertOf(alert.Rule{Name: "w", Window: "soon"}); err == nil {
		t.Error("a bad window converted without error")
	}
}
