package export

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/rules"
	"github.com/dateline/dateline/pipelines"
)

// builtinTypes returns the facts of the built-in event types.
func builtinTypes(t testing.TB) rules.Catalog {
	t.Helper()
	types, err := pipelines.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	return types
}

func readCSV(t *testing.T, events []event.Event) []map[string]string {
	t.Helper()
	var buf bytes.Buffer
	if err := CSV(&buf, builtinTypes(t), events); err != nil {
		t.Fatalf("CSV: %v", err)
	}
	records, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatalf("CSV output does not parse: %v", err)
	}
	if len(records) == 0 || !slices.Equal(records[0], CSVColumns) {
		t.Fatalf("header: got %v, want %v", records[0], CSVColumns)
	}
	var rows []map[string]string
	for _, rec := range records[1:] {
		row := map[string]string{}
		for i, col := range CSVColumns {
			row[col] = rec[i]
		}
		rows = append(rows, row)
	}
	return rows
}

func TestCSV(t *testing.T) {
	rows := readCSV(t, fixture())
	if len(rows) != 4 {
		t.Fatalf("rows: got %d, want 4", len(rows))
	}
	tests := []struct {
		name string
		row  int
		want map[string]string
	}{
		{"day event", 0, map[string]string{
			"event_id_cnty": "PRKe01", "event_date": "2024-06-19", "year": "2024", "time_precision": "1",
			"event_type": "Strategic developments", "sub_event_type": "Agreement", "dateline_type": "treaty_signing",
			"cameo": "057", "actor1": "North Korea", "actor2": "Russia", "assoc_actor_1": "", "iso": "408",
			"country": "North Korea", "location": "Pyongyang", "latitude": "39.03920", "longitude": "125.76250",
			"source": "Example World", "source_url": "https://example.org/news/nk-russia?x=1&y=2", "source_count": "1",
			"notes": fixture()[0].Sentence, "timestamp": "1730190600", "event_id": "e01", "status": "occurred",
		}},
		{"month span, three actors, no place", 1, map[string]string{
			"event_id_cnty": "e02", "event_date": "2023-09-01", "year": "2023", "time_precision": "2",
			"event_type": "Strategic developments", "sub_event_type": "Other", "actor1": "North Korea", "actor2": "Russia",
			"assoc_actor_1": "Wagner Group", "date_end": "2024-09", "location": "", "latitude": "", "longitude": "",
			"notes": fixture()[1].Sentence,
		}},
		{"year, hostile text, formulas defused, bad link dropped", 2, map[string]string{
			"event_date": "2023-01-01", "time_precision": "3", "event_type": "Protests", "sub_event_type": "Peaceful protest",
			"actor1": "'=cmd|' /C calc'!A0", "actor2": "'@SUM(1+1)", "iso": "268", "location": "Tbilisi",
			"source": "<b>Feed</b>", "source_url": "", "notes": "He said \"<script>alert('x')</script>\" & left; a, b \\ c\nnext line",
		}},
		{"strike: sub-event type from its sentence", 3, map[string]string{
			"event_id_cnty": "UKRe04", "event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack",
			"dateline_type": "military_strike", "iso": "804", "timestamp": "", "source_url": "", "status": "denied",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for col, want := range tt.want {
				if got := rows[tt.row][col]; got != want {
					t.Errorf("%s: got %q, want %q", col, got, want)
				}
			}
		})
	}
}

func TestTimePrecision(t *testing.T) {
	tests := []struct {
		p    event.Precision
		want int
	}{{event.Day, 1}, {event.Month, 2}, {event.Year, 3}, {"", 3}}
	for _, tt := range tests {
		if got := TimePrecision(tt.p); got != tt.want {
			t.Errorf("TimePrecision(%q): got %d, want %d", tt.p, got, tt.want)
		}
	}
}

// TestCSVACLEDFromTypes checks that event_type and sub_event_type come
// from the types' facts: the built-in types map as the export always
// mapped them, a type of other rules maps as its facts say, and a type
// without a mapping, or unknown, keeps its own id.
func TestCSVACLEDFromTypes(t *testing.T) {
	custom := append(slices.Clone(builtinTypes(t)), rules.TypeFacts{ID: "abduction", Label: "Abduction", CAMEO: "181",
		ACLED: rules.ACLED{EventType: "Violence against civilians", SubEventType: "Abduction/forced disappearance"}})
	tests := []struct {
		typ     string
		types   rules.Catalog
		typeCol string
		subCol  string
		note    string
	}{
		{"protest", builtinTypes(t), "Protests", "Peaceful protest", ""},
		{"military_strike", builtinTypes(t), "Explosions/Remote violence", "", ""},
		{"treaty_signing", builtinTypes(t), "Strategic developments", "Agreement", ""},
		{"ceasefire", builtinTypes(t), "Strategic developments", "Agreement", ""},
		{"troop_deployment", builtinTypes(t), "Strategic developments", "Other", ""},
		{"arms_transfer", builtinTypes(t), "Strategic developments", "Other", ""},
		{"weapons_test", builtinTypes(t), "Strategic developments", "Other", ""},
		{"statement", builtinTypes(t), "statement", "statement", ""},
		{"election", builtinTypes(t), "election", "election", ""},
		{"abduction", custom, "Violence against civilians", "Abduction/forced disappearance", ""},
		{"abduction", builtinTypes(t), "abduction", "abduction", "unknown type"},
		{"protest", nil, "protest", "protest", "no types"},
	}
	for _, tc := range tests {
		t.Run(strings.TrimSpace(tc.typ+" "+tc.note), func(t *testing.T) {
			var buf bytes.Buffer
			e := fixture()[0]
			e.Type = tc.typ
			if err := CSV(&buf, tc.types, []event.Event{e}); err != nil {
				t.Fatal(err)
			}
			recs, err := csv.NewReader(&buf).ReadAll()
			if err != nil || len(recs) != 2 {
				t.Fatalf("records %v, err %v", recs, err)
			}
			row := map[string]string{}
			for i, col := range CSVColumns {
				row[col] = recs[1][i]
			}
			if row["event_type"] != tc.typeCol || row["sub_event_type"] != tc.subCol || row["dateline_type"] != tc.typ {
				t.Errorf("event_type %q, sub_event_type %q, dateline_type %q; want %q, %q, %q",
					row["event_type"], row["sub_event_type"], row["dateline_type"], tc.typeCol, tc.subCol, tc.typ)
			}
		})
	}
}

// TestCSVISONumeric checks the iso column: ACLED's numeric ISO 3166-1
// code, without leading zeros, for every country of the gazetteer.
func TestCSVISONumeric(t *testing.T) {
	tests := []struct{ country, iso, cnty string }{
		{"Afghanistan", "4", "AFG"},
		{"Ukraine", "804", "UKR"},
		{"North Korea", "408", "PRK"},
		{"United States", "840", "USA"},
		{"Republic of the Congo", "178", "COG"},
		{"Democratic Republic of the Congo", "180", "COD"},
		{"Palestine", "275", "PSE"},
		{"Kosovo", "0", "XKX"},
		{"Atlantis", "", ""},
		{"", "", ""},
	}
	for _, tc := range tests {
		t.Run(tc.country, func(t *testing.T) {
			if got := isoNumeric(tc.country); got != tc.iso {
				t.Errorf("isoNumeric(%q) = %q, want %q", tc.country, got, tc.iso)
			}
			if got := iso3(tc.country); got != tc.cnty {
				t.Errorf("iso3(%q) = %q, want %q", tc.country, got, tc.cnty)
			}
		})
	}
	set, err := rules.Load(pipelines.FS)
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Countries) < 190 {
		t.Fatalf("the gazetteer has %d countries, want them all", len(set.Countries))
	}
	for _, c := range set.Countries {
		if got := iso3(c.Name); got != c.ISO3 {
			t.Errorf("gazetteer country %q: iso3 %q, want the gazetteer's %q", c.Name, got, c.ISO3)
		}
		if isoNumeric(c.Name) == "" {
			t.Errorf("gazetteer country %q has no numeric ISO code", c.Name)
		}
	}
}

// TestCSVSubEventTypes checks that the evidence sentence picks ACLED's
// sub-event type as pipelines/events.yaml says.
func TestCSVSubEventTypes(t *testing.T) {
	tests := []struct {
		typ, sentence, eventType, subEventType string
	}{
		{"protest", "Thousands marched peacefully through Tbilisi on Sunday.", "Protests", "Peaceful protest"},
		{"protest", "Police used water cannon and tear gas against protesters in Tbilisi on Sunday.", "Protests", "Protest with intervention"},
		{"protest", "More than 300 protesters were arrested in Tbilisi on Sunday.", "Protests", "Protest with intervention"},
		{"protest", "Security forces opened fire on protesters in Khartoum, and at least 12 were killed.", "Protests", "Excessive force against protesters"},
		{"protest", "Protesters threw stones at police and torched cars in Paris on Saturday.", "Riots", "Violent demonstration"},
		{"military_strike", "A drone struck an oil depot in Sevastopol on Monday.", "Explosions/Remote violence", "Air/drone strike"},
		{"military_strike", "A January 2, 2024, missile strike hit Kharkiv.", "Explosions/Remote violence", "Shelling/artillery/missile attack"},
		{"military_strike", "A suicide bomber killed 12 in Kabul on Friday.", "Explosions/Remote violence", "Suicide bomb"},
		{"military_strike", "A roadside bomb hit a convoy near Kandahar on Friday.", "Explosions/Remote violence", "Remote explosive/landmine/IED"},
		{"military_strike", "Gunmen kidnapped 30 pupils in Kaduna on Thursday.", "Violence against civilians", "Abduction/forced disappearance"},
		{"military_strike", "Forces attacked the town on Thursday.", "Explosions/Remote violence", ""},
	}
	for _, tc := range tests {
		t.Run(tc.sentence, func(t *testing.T) {
			e := fixture()[0]
			e.Type, e.Sentence = tc.typ, tc.sentence
			rows := readCSV(t, []event.Event{e})
			if got := rows[0]; got["event_type"] != tc.eventType || got["sub_event_type"] != tc.subEventType {
				t.Errorf("event_type %q, sub_event_type %q; want %q, %q", got["event_type"], got["sub_event_type"], tc.eventType, tc.subEventType)
			}
		})
	}
}
