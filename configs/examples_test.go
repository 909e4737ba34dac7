package configs_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dateline/dateline/configs"
	"github.com/dateline/dateline/internal/alert"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/feedlist"
)

// exampleEnv holds the variables the example rules expect.
var exampleEnv = map[string]string{
	"SLACK_WEBHOOK_URL":     "https://hooks.slack.com/services/T000/B000/XXXX",
	"DIGEST_WEBHOOK_URL":    "https://hooks.example.org/dateline",
	"DIGEST_WEBHOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
	"TEAMS_WEBHOOK_URL":     "https://example.webhook.office.com/webhookb2/x",
}

func lookup(m map[string]string) config.Lookup {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

// TestExampleAlertRules: configs/alerts.example.yaml loads with the real
// config loader, passes Validate and the alerter's own checks (queries,
// schedules, time zones, webhook secrets), and says what it promises.
func TestExampleAlertRules(t *testing.T) {
	cfg, err := config.Load("alerts.example.yaml", lookup(exampleEnv))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if err := cfg.Validate(); err != nil {
		t.Fatalf("validate: %v", err)
	}
	if _, err := alert.New(nil, cfg.Alerts, alert.Options{Env: lookup(exampleEnv)}); err != nil {
		t.Fatalf("alert rules: %v", err)
	}
	rules := map[string]config.Alert{}
	for _, a := range cfg.Alerts {
		rules[a.Name] = a
	}
	arms := rules["arms-north-korea"]
	if arms.Mode != "immediate" || arms.MinSources != 2 || !equal(arms.Types, "arms_transfer") || !equal(arms.Actors, "North Korea") ||
		len(arms.Destinations) != 1 || arms.Destinations[0].Kind != "slack" || arms.Destinations[0].URL != exampleEnv["SLACK_WEBHOOK_URL"] {
		t.Errorf("arms-north-korea = %+v, want an immediate Slack rule on arms transfers by North Korea with min_sources 2", arms)
	}
	digest := rules["diplomacy-daily"]
	if digest.Mode != "digest" || digest.Schedule != "08:00" || digest.Timezone != "Europe/Paris" ||
		len(digest.Destinations) != 1 || digest.Destinations[0].Kind != "webhook" || digest.Destinations[0].Secret != exampleEnv["DIGEST_WEBHOOK_SECRET"] {
		t.Errorf("diplomacy-daily = %+v, want a signed webhook digest at 08:00 Europe/Paris", digest)
	}
	surge := rules["ukraine-strike-surge"]
	if surge.Mode != "threshold" || surge.Threshold < 2 || surge.Window.D() != 6*time.Hour {
		t.Errorf("ukraine-strike-surge = %+v, want a threshold rule over 6h", surge)
	}
	if len(rules) != 3 {
		t.Errorf("%d rules, want 3", len(rules))
	}
}

// TestExampleAlertRulesNeedTheirSecrets: without the environment, the
// rules are refused with the file, line and key at fault, not sent to an
// empty URL.
func TestExampleAlertRulesNeedTheirSecrets(t *testing.T) {
	cfg, err := config.Load("alerts.example.yaml", lookup(nil))
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	err = cfg.Validate()
	if err == nil {
		t.Fatal("validate accepted rules whose webhook URLs are unset")
	}
	for _, want := range []string{"alerts.example.yaml:", "alerts.0.destinations.0.url", "alerts.1.destinations.0.url", "alerts.2.destinations.0.url"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
}

// TestExampleFeedList: configs/feeds.opml parses as OPML and lists the
// same feeds, by URL and name, as the default config.
func TestExampleFeedList(t *testing.T) {
	f, err := os.Open("feeds.opml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	feeds, err := feedlist.ParseOPML(f)
	if err != nil {
		t.Fatalf("feeds.opml: %v", err)
	}
	cfg, err := config.Parse("dateline.yaml", configs.Default, lookup(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(feeds) != len(cfg.Feeds) {
		t.Fatalf("feeds.opml lists %d feeds, dateline.yaml %d", len(feeds), len(cfg.Feeds))
	}
	for i, want := range cfg.Feeds {
		if got := feeds[i]; got.URL != want.URL || got.Name != want.Name {
			t.Errorf("feed %d = %s %q, want %s %q as in dateline.yaml", i, got.URL, got.Name, want.URL, want.Name)
		}
	}
}

func equal(got []string, want ...string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != want[i] {
			return false
		}
	}
	return true
}
