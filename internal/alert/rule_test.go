package alert

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/index"
	"github.com/dateline/dateline/internal/rules"
)

func TestCompileErrorsNameRuleAndField(t *testing.T) {
	t.Parallel()
	slack := []Destination{{Kind: KindSlack, URL: "https://hooks.example/T/B/secretpath"}}
	cases := []struct {
		name  string
		rule  Rule
		field string
	}{
		{"query syntax", Rule{Name: "r", Query: `"unterminated`, Destinations: slack}, "query"},
		{"regexp query", Rule{Name: "r", Query: "/tre.*/", Destinations: slack}, "query"},
		{"unknown field", Rule{Name: "r", Query: "colour:red", Destinations: slack}, "query"},
		{"template syntax", Rule{Name: "r", Template: "{{.Heading", Destinations: slack}, "template"},
		{"template field", Rule{Name: "r", Template: "{{.Nope}}", Destinations: slack}, "template"},
		{"mode", Rule{Name: "r", Mode: "sometimes", Destinations: slack}, "mode"},
		{"digest without window", Rule{Name: "r", Mode: Digest, Destinations: slack}, "window"},
		{"schedule", Rule{Name: "r", Mode: Digest, Schedule: "25:99", Destinations: slack}, "schedule"},
		{"threshold", Rule{Name: "r", Mode: Threshold, Window: "1h", Destinations: slack}, "threshold"},
		{"timezone", Rule{Name: "r", Timezone: "Mars/Olympus", Destinations: slack}, "timezone"},
		{"status", Rule{Name: "r", Statuses: []string{"maybe"}, Destinations: slack}, "statuses.0"},
		{"unknown type", Rule{Name: "r", Types: []string{"protest", "protests"}, Destinations: slack}, "types.1"},
		{"no destination", Rule{Name: "r"}, "destinations"},
		{"kind", Rule{Name: "r", Destinations: []Destination{{Kind: "fax", URL: "https://x.example"}}}, "destinations.0.kind"},
		{"url", Rule{Name: "r", Destinations: []Destination{{Kind: KindDiscord, URL: "ftp://secret@x"}}}, "destinations.0.url"},
		{"secret", Rule{Name: "r", Destinations: []Destination{{Kind: KindWebhook, URL: "https://x.example", Secret: "hunter2"}}}, "destinations.0.secret"},
		{"telegram", Rule{Name: "r", Destinations: []Destination{{Kind: KindTelegram}}}, "destinations.0.token"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := compile(c.rule, nil, nil)
			var re *RuleError
			if !errors.As(err, &re) {
				t.Fatalf("compile: got %v, want a *RuleError", err)
			}
			if re.Rule != "r" || re.Field != c.field {
				t.Errorf("error names rule %q field %q, want r and %q (%v)", re.Rule, re.Field, c.field, err)
			}
			for _, secret := range []string{"secretpath", "hunter2", "secret@x"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error %q shows a secret", err)
				}
			}
		})
	}
}

func TestTelegramTokenFromEnv(t *testing.T) {
	t.Parallel()
	env := func(k string) (string, bool) { return "42:tok", k == "TELEGRAM_BOT_TOKEN" }
	c, err := compile(Rule{Name: "r", Destinations: []Destination{{Kind: KindTelegram, ChatID: "1"}}}, env, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.dests[0].Token != "42:tok" {
		t.Errorf("token = %q, want the environment's", c.dests[0].Token)
	}
}

func TestWindowEnd(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 10, 29, 10, 10, 0, 0, time.UTC)
	for _, c := range []struct {
		name string
		rule Rule
		want time.Time
	}{
		{"hourly", Rule{Window: "1h"}, time.Date(2024, 10, 29, 11, 0, 0, 0, time.UTC)},
		{"daily at 08:00 Paris", Rule{Schedule: "08:00", Timezone: "Europe/Paris"}, time.Date(2024, 10, 30, 7, 0, 0, 0, time.UTC)},
		{"cron 30 min", Rule{Schedule: "*/30 * * * *"}, time.Date(2024, 10, 29, 10, 30, 0, 0, time.UTC)},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := c.rule
			r.Name, r.Mode = "r", Digest
			r.Destinations = []Destination{{Kind: KindSlack, URL: "https://x.example/h"}}
			cr, err := compile(r, nil, nil)
			if err != nil {
				t.Fatal(err)
			}
			if got := cr.windowEnd(at); !got.Equal(c.want) {
				t.Errorf("windowEnd = %s, want %s", got, c.want)
			}
		})
	}
}

func TestMatch(t *testing.T) {
	t.Parallel()
	events := []event.Event{
		sampleEvent("a1", "arms"),
		sampleEvent("a2", "treaty", func(e *event.Event) {
			e.Type, e.Title, e.Sentence = "treaty_signing", "Russia and North Korea sign a partnership treaty", "The two leaders signed a treaty."
			e.Places, e.Mentions, e.Status = []event.Place{{Name: "Pyongyang"}}, 1, event.Planned
		}),
		sampleEvent("a3", "strike", func(e *event.Event) {
			e.Type, e.Title, e.Sentence, e.Actors = "military_strike", "Drones strike Kharkiv", "Drones hit Kharkiv overnight.", []string{"Russia"}
			e.Confidence, e.Article.Title = 0.4, "Night attack"
			e.SourceCount = 3
		}),
	}
	cases := []struct {
		name string
		rule Rule
		want []string
	}{
		{"word, stemmed", Rule{Query: "signed"}, []string{"treaty"}},
		{"or", Rule{Query: "treaty OR shells"}, []string{"arms", "treaty"}},
		{"every word required", Rule{Query: "korea artillery"}, []string{"arms"}},
		{"no event has both words", Rule{Query: "drones treaty"}, nil},
		{"required and excluded", Rule{Query: "+russia -drones"}, []string{"arms", "treaty"}},
		{"phrase", Rule{Query: `"artillery shells"`}, []string{"arms"}},
		{"keyword field alias", Rule{Query: "types:military_strike"}, []string{"strike"}},
		{"actor filter", Rule{Actors: []string{"North Korea"}}, []string{"arms", "treaty"}},
		{"type and place filters", Rule{Types: []string{"arms_transfer", "treaty_signing"}, Places: []string{"Pyongyang"}}, []string{"treaty"}},
		{"status filter", Rule{Statuses: []string{"planned"}}, []string{"treaty"}},
		{"min sources", Rule{MinSources: 2}, []string{"arms", "strike"}},
		{"min confidence and query", Rule{Query: "russia", MinConfidence: 0.5}, []string{"arms", "treaty"}},
		{"nothing", Rule{Query: "ceasefire"}, nil},
		// The search index's fields, as a search would read them.
		{"sources field", Rule{Query: "source_count:>=2"}, []string{"strike"}},
		{"day field", Rule{Query: "+day:2024-10-29 +treaty"}, []string{"treaty"}},
	}
	var rules []*compiled
	for _, c := range cases {
		r := c.rule
		r.Name = c.name
		r.Destinations = []Destination{{Kind: KindSlack, URL: "https://x.example/h"}}
		cr, err := compile(r, nil, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		rules = append(rules, cr)
	}
	got, err := match(context.Background(), rules, events)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var ids []string
			for _, e := range got[rules[i]] {
				ids = append(ids, e.ID)
			}
			if !slices.Equal(ids, c.want) {
				t.Errorf("matched %v, want %v", ids, c.want)
			}
		})
	}
}

// TestRuleQueryGuard: a rule's query is refused for what a search would
// be refused for, with the same reason.
func TestRuleQueryGuard(t *testing.T) {
	t.Parallel()
	for _, q := range []string{"/.*/", "*a*", "a*", "foo~2", "start:2024", strings.Repeat("treaty ", 40)} {
		_, rerr := compile(Rule{Name: "r", Query: q, Destinations: []Destination{{Kind: KindSlack, URL: "https://x.example/h"}}}, nil, nil)
		_, serr := index.ParseQuery(q)
		var qe *index.QueryError
		if rerr == nil || !errors.As(serr, &qe) || !strings.Contains(rerr.Error(), qe.Msg) {
			t.Errorf("query %.20q: rule error %v, search error %v; want the same refusal", q, rerr, serr)
		}
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"treaty", `"artillery shells" +russia -drones`, "types:arms_transfer", "tre*", "/x/", "a:b:c", "title:", "(((", "x~3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		_, _ = parseQuery(s) // must not panic
		_, _ = parseSchedule(s)
	})
}

// TestUnknownTypeRefusedAtLoad: a config rule naming a type no rule
// defines is refused when the rules load, with the key at fault
// (alerts.0.types.1) whose place in the file the service reports, and the
// known types, rather than a rule that never fires.
func TestUnknownTypeRefusedAtLoad(t *testing.T) {
	t.Parallel()
	cfg, err := config.Parse("c.yaml", []byte(`alerts:
  - name: unrest
    types:
      - protest
      - protests
    destinations:
      - kind: slack
        url: https://hooks.example/T/B/x
`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	_, err = New(nil, cfg.Alerts, Options{})
	var re *RuleError
	if !errors.As(err, &re) {
		t.Fatalf("New = %v, want a *RuleError", err)
	}
	if re.Rule != "unrest" || re.Field != "types.1" {
		t.Errorf("error names rule %q field %q, want unrest and types.1 (%v)", re.Rule, re.Field, err)
	}
	for _, want := range []string{`"protests" is not a known event type`, "did you mean protest?", "treaty_signing"} {
		if !strings.Contains(re.Msg, want) {
			t.Errorf("error %q does not say %q", re.Msg, want)
		}
	}
	if where := cfg.Where("alerts.0." + re.Field); where != "c.yaml:5: " {
		t.Errorf("the key is at %q, want c.yaml:5", where)
	}
}

// TestTypesOfTheRulesInUse: a rule may name a type that only the rules in
// use define (an analyst's pipelines directory adds "arrest"); without
// those rules the same type is refused as unknown.
func TestTypesOfTheRulesInUse(t *testing.T) {
	t.Parallel()
	r := Rule{Name: "r", Types: []string{"arrest"}, Destinations: []Destination{{Kind: KindSlack, URL: "https://x.example/h"}}}
	if _, err := compile(r, nil, nil); err == nil || !strings.Contains(err.Error(), "types.0") {
		t.Errorf("compile with the built-in types = %v, want an error naming types.0", err)
	}
	custom := rules.Catalog{{ID: "protest"}, {ID: "arrest"}}
	if _, err := compile(r, nil, custom); err != nil {
		t.Errorf("compile with a catalog that has arrest = %v, want nil", err)
	}
}
