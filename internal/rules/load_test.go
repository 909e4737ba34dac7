package rules

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

const goodTypes = `event_types:
  - id: treaty_signing
    cameo: "057"
    title: "Agreement signed[ by {actors}]"
    triggers:
      - phrases: [sign~]
        near: [treaty]
`

const goodLang = `language:
  code: en
  months: [[january], [february], [march], [april], [may], [june], [july], [august], [september], [october], [november], [december]]
  weekdays: [[monday], [tuesday], [wednesday], [thursday], [friday], [saturday], [sunday]]
  words:
    yesterday: [yesterday]
  cues:
    denied: ["did not"]
`

const goodGazetteer = `countries:
  - name: North Korea
    aliases: ["DPRK"]
    lat: 40.3
    lon: 127.5
places:
  - name: Pyongyang
    country: North Korea
    kind: capital
    lat: 39.0
    lon: 125.7
`

func TestLoad(t *testing.T) {
	fsys := fstest.MapFS{
		"events.yaml":              {Data: []byte(goodTypes)},
		"lang/en.yaml":             {Data: []byte(goodLang)},
		"gazetteer/countries.yaml": {Data: []byte(goodGazetteer)},
		"README.md":                {Data: []byte("not yaml")},
	}
	set, err := Load(fsys)
	if err != nil {
		t.Fatalf("Load() error: %v", err)
	}
	if len(set.Types) != 1 || set.Types[0].ID != "treaty_signing" {
		t.Errorf("types = %+v, want one treaty_signing", set.Types)
	}
	if got := set.Types[0].Source; got.File != "events.yaml" || got.Line != 2 {
		t.Errorf("source = %+v, want events.yaml:2", got)
	}
	if len(set.Languages) != 1 || len(set.Countries) != 1 || len(set.Places) != 1 {
		t.Errorf("languages %d, countries %d, places %d; want 1 each", len(set.Languages), len(set.Countries), len(set.Places))
	}
	if got := set.Places[0].Source; got.File != "gazetteer/countries.yaml" || got.Line != 7 {
		t.Errorf("place source = %+v, want gazetteer/countries.yaml:7", got)
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		name, file, data string
		want             []string // substrings of the error
	}{
		{"unknown field", "events.yaml", "event_types:\n  - id: x\n    cameo: \"1\"\n    trigers: []\n",
			[]string{"events.yaml:4", "event_types[0].trigers"}},
		{"unknown top-level key", "x.yaml", "evnt_types: []\n", []string{"x.yaml:1", "evnt_types"}},
		{"wrong type", "events.yaml", "event_types:\n  - id: x\n    cameo: \"1\"\n    triggers: yes\n",
			[]string{"events.yaml:4", "event_types[0].triggers"}},
		{"wrong value type names its field", "events.yaml", "event_types:\n  - id: x\n    cameo: \"1\"\n    triggers:\n      - phrases: [a]\n        weight: high\n",
			[]string{"events.yaml:6", "event_types[0].triggers[0].weight", "high"}},
		{"wrong value type in a flow mapping", "events.yaml", "event_types:\n  - id: x\n    cameo: \"1\"\n    triggers: [{phrases: [a], window: wide}]\n",
			[]string{"events.yaml:4", "event_types[0].triggers[0].window", "wide"}},
		{"unknown field names its path", "p.yaml", "places:\n  - name: Kyiv\n    lat: 50.4\n    lon: 30.5\n    coutnry: Ukraine\n",
			[]string{"p.yaml:5", "places[0].coutnry"}},
		{"bad coordinate type", "p.yaml", "places:\n  - name: Kyiv\n    lat: north\n    lon: 30.5\n",
			[]string{"p.yaml:3", "places[0].lat"}},
		{"missing trigger", "events.yaml", "event_types:\n  - id: x\n    cameo: \"010\"\n",
			[]string{"events.yaml:2", "event_types[0].triggers"}},
		{"bad cameo", "events.yaml", "event_types:\n  - id: x\n    cameo: abc\n    triggers: [{phrases: [a]}]\n",
			[]string{"events.yaml:2", "event_types[0].cameo"}},
		{"duplicate id", "events.yaml", "event_types:\n  - id: x\n    cameo: \"1\"\n    triggers: [{phrases: [a]}]\n  - id: x\n    cameo: \"1\"\n    triggers: [{phrases: [b]}]\n",
			[]string{"events.yaml:5", "event_types[1].id", "duplicate"}},
		{"unknown absorber", "events.yaml", "event_types:\n  - id: x\n    cameo: \"1\"\n    absorbed_by: [nope]\n    triggers: [{phrases: [a]}]\n",
			[]string{"events.yaml:2", "absorbed_by[0]", "nope"}},
		{"weight range", "events.yaml", "event_types:\n  - id: x\n    cameo: \"1\"\n    triggers: [{phrases: [a], weight: 2}]\n",
			[]string{"event_types[0].triggers[0].weight"}},
		{"place at 0,0", "p.yaml", "places:\n  - name: Nowhere\n    kind: city\n",
			[]string{"p.yaml:2", "places[0].lat", "0,0"}},
		{"unknown concept", "l.yaml", "language:\n  code: en\n  months: [[a],[b],[c],[d],[e],[f],[g],[h],[i],[j],[k],[l]]\n  weekdays: [[a],[b],[c],[d],[e],[f],[g]]\n  cues:\n    maybe: [x]\n",
			[]string{"l.yaml:2", "language.cues.maybe"}},
		{"ambiguous name not among the names", "c.yaml", "countries:\n  - name: Georgia\n    ambiguous_names: [Gorgia]\n    lat: 42\n    lon: 43\n",
			[]string{"c.yaml:2", "countries[0].ambiguous_names[0]", "Gorgia"}},
		{"ambiguous both ways", "p.yaml", "places:\n  - name: Washington\n    ambiguous: true\n    ambiguous_names: [Washington]\n    lat: 38.9\n    lon: -77\n",
			[]string{"p.yaml:2", "places[0].ambiguous_names", "not both"}},
		{"country at 0,0", "c.yaml", "countries:\n  - name: Nowhere\n",
			[]string{"c.yaml:2", "countries[0].lat", "0,0"}},
		{"unknown near kind", "events.yaml", "event_types:\n  - id: x\n    cameo: \"1\"\n    triggers: [{phrases: [a], near_kinds: [army]}]\n",
			[]string{"events.yaml:2", "event_types[0].triggers[0].near_kinds[0]", "army"}},
		{"unknown trigger actor", "events.yaml", "countries:\n  - name: Chad\n    lat: 15\n    lon: 19\nevent_types:\n  - id: x\n    cameo: \"1\"\n    triggers: [{phrases: [a], actor: Atlantis}]\n",
			[]string{"events.yaml:6", "event_types[0].triggers[0].actor", "Atlantis"}},
		{"unknown anchor", "events.yaml", "event_types:\n  - id: x\n    cameo: \"1\"\n    anchor: city\n    triggers: [{phrases: [a]}]\n",
			[]string{"events.yaml:2", "event_types[0].anchor", "city"}},
		{"colour not #rrggbb", "events.yaml", "event_types:\n  - id: x\n    cameo: \"1\"\n    color: red\n    triggers: [{phrases: [a]}]\n",
			[]string{"events.yaml:2", "event_types[0].color", "red"}},
		{"short colour", "events.yaml", "event_types:\n  - id: x\n    cameo: \"1\"\n    color: \"#abc\"\n    triggers: [{phrases: [a]}]\n",
			[]string{"events.yaml:2", "event_types[0].color", "#abc"}},
		{"colour not hex", "events.yaml", "event_types:\n  - id: x\n    cameo: \"1\"\n    color: \"#12345g\"\n    triggers: [{phrases: [a]}]\n",
			[]string{"events.yaml:2", "event_types[0].color", "#12345g"}},
		{"colour of two types", "events.yaml", "event_types:\n  - id: x\n    cameo: \"1\"\n    color: \"#0072B2\"\n    triggers: [{phrases: [a]}]\n  - id: y\n    cameo: \"1\"\n    color: \"#0072b2\"\n    triggers: [{phrases: [b]}]\n",
			[]string{"events.yaml:6", "event_types[1].color", "also the colour of x"}},
		{"label on two lines", "events.yaml", "event_types:\n  - id: x\n    cameo: \"1\"\n    label: \"Arms\\ntransfer\"\n    triggers: [{phrases: [a]}]\n",
			[]string{"events.yaml:2", "event_types[0].label"}},
		{"acled sub-event type without event type", "events.yaml", "event_types:\n  - id: x\n    cameo: \"1\"\n    acled: {sub_event_type: Agreement}\n    triggers: [{phrases: [a]}]\n",
			[]string{"events.yaml:2", "event_types[0].acled.event_type", "Agreement"}},
		{"acled unknown key", "events.yaml", "event_types:\n  - id: x\n    cameo: \"1\"\n    acled: {event_type: Protests, subtype: Peaceful}\n    triggers: [{phrases: [a]}]\n",
			[]string{"events.yaml:4", "event_types[0].acled.subtype"}},
		{"acled a list", "events.yaml", "event_types:\n  - id: x\n    cameo: \"1\"\n    acled: [Protests]\n    triggers: [{phrases: [a]}]\n",
			[]string{"events.yaml:4", "event_types[0].acled"}},
		{"syntax", "bad.yaml", "event_types: [\n", []string{"bad.yaml"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(fstest.MapFS{tc.file: {Data: []byte(tc.data)}})
			if err == nil {
				t.Fatalf("Load() = nil error, want one mentioning %q", tc.want)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestLoadDirMissing(t *testing.T) {
	if _, err := LoadDir(t.TempDir() + "/nope"); err == nil {
		t.Error("LoadDir(missing) = nil error")
	}
}

func TestLoadPipelines(t *testing.T) {
	set, err := LoadDir("../../pipelines")
	if err != nil {
		t.Fatalf("LoadDir(pipelines) error: %v", err)
	}
	ids := map[string]bool{}
	for _, ty := range set.Types {
		ids[ty.ID] = true
	}
	for _, want := range []string{"treaty_signing", "negotiation", "meeting", "statement", "military_strike",
		"arms_transfer", "sanction", "troop_deployment", "weapons_test", "casualties", "ceasefire", "aid",
		"protest", "election"} {
		if !ids[want] {
			t.Errorf("pipelines lack event type %q", want)
		}
	}
}

// unMembers are the ISO 3166-1 alpha-3 codes of the 193 UN member states;
// unObservers those of the two observer states.
var (
	unMembers = strings.Fields(`AFG ALB DZA AND AGO ATG ARG ARM AUS AUT AZE BHS BHR BGD BRB BLR BEL BLZ BEN BTN
		BOL BIH BWA BRA BRN BGR BFA BDI CPV KHM CMR CAN CAF TCD CHL CHN COL COM COG COD CRI CIV HRV CUB CYP CZE
		PRK DNK DJI DMA DOM ECU EGY SLV GNQ ERI EST SWZ ETH FJI FIN FRA GAB GMB GEO DEU GHA GRC GRD GTM GIN GNB
		GUY HTI HND HUN ISL IND IDN IRN IRQ IRL ISR ITA JAM JPN JOR KAZ KEN KIR KWT KGZ LAO LVA LBN LSO LBR LBY
		LIE LTU LUX MDG MWI MYS MDV MLI MLT MHL MRT MUS MEX FSM MDA MCO MNG MNE MAR MOZ MMR NAM NRU NPL NLD NZL
		NIC NER NGA MKD NOR OMN PAK PLW PAN PNG PRY PER PHL POL PRT QAT KOR ROU RUS RWA KNA LCA VCT WSM SMR STP
		SAU SEN SRB SYC SLE SGP SVK SVN SLB SOM ZAF SSD ESP LKA SDN SUR SWE CHE SYR TJK THA TLS TGO TON TTO TUN
		TUR TKM TUV UGA UKR ARE GBR TZA USA URY UZB VUT VEN VNM YEM ZMB ZWE`)
	unObservers = []string{"PSE", "VAT"}
)

// TestPipelinesGazetteerCoverage guards what the gazetteers promise: every
// UN member and observer state with its names, the major international
// organisations, and at least 1,000 cities and regions placed in a known
// country away from 0,0.
func TestPipelinesGazetteerCoverage(t *testing.T) {
	set, err := LoadDir("../../pipelines")
	if err != nil {
		t.Fatalf("LoadDir(pipelines) error: %v", err)
	}
	if len(unMembers) != 193 {
		t.Fatalf("test list has %d UN members, want 193", len(unMembers))
	}
	byISO := map[string]Country{}
	names := map[string]string{} // every country name, alias, demonym and metonym -> country
	for _, c := range set.Countries {
		byISO[c.ISO3] = c
		for _, n := range slices.Concat([]string{c.Name}, c.Aliases, c.Demonyms, c.Metonyms) {
			names[n] = c.Name
		}
	}
	for _, code := range append(slices.Clone(unMembers), unObservers...) {
		c, ok := byISO[code]
		if !ok {
			t.Errorf("no country with iso3 %s", code)
			continue
		}
		if len(c.Aliases)+len(c.Demonyms) == 0 {
			t.Errorf("%s (%s) has no aliases or demonyms", c.Name, code)
		}
	}
	for name, want := range map[string]string{"DPRK": "North Korea", "North Korean": "North Korea", "Pyongyang": "North Korea",
		"the Kremlin": "Russia", "Holy See": "Vatican City", "State of Palestine": "Palestine"} {
		if got := names[name]; got != want {
			t.Errorf("name %q is country %q, want %q", name, got, want)
		}
	}
	orgs := map[string]bool{}
	for _, o := range set.Organizations {
		for _, n := range append([]string{o.Name}, o.Aliases...) {
			orgs[n] = true
		}
	}
	for _, o := range []string{"UN", "NATO", "EU", "IAEA", "African Union", "ASEAN", "OPEC", "WHO", "ICC", "OSCE"} {
		if !orgs[o] {
			t.Errorf("no organisation named %q", o)
		}
	}
	countries := map[string]bool{}
	for _, c := range set.Countries {
		countries[c.Name] = true
	}
	placed := 0
	for _, p := range set.Places {
		if countries[p.Country] && !(p.Lat == 0 && p.Lon == 0) && (p.Kind == "city" || p.Kind == "capital" || p.Kind == "region") {
			placed++
		}
	}
	if placed < 1000 {
		t.Errorf("%d cities and regions with a country and coordinates, want at least 1,000", placed)
	}
}
