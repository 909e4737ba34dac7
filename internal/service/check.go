package service

import (
	"errors"
	"fmt"
	"strings"

	"github.com/dateline/dateline/internal/alert"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/index"
)

// check validates what config.Validate cannot see on its own (the alert
// rules' queries, templates, schedules and secrets), before anything is
// opened, and names each problem's file, line and key.
func check(cfg config.Config) error {
	types, err := LoadTypes(cfg.Pipelines)
	if err != nil {
		return err
	}
	if _, err := alert.New(nil, cfg.Alerts, alert.Options{Types: types}); err != nil {
		return locateRuleErrors(cfg, err)
	}
	return nil
}

// locateRuleErrors prefixes every *alert.RuleError in err with where its
// rule's key is in the config ("dateline.yaml:31: alerts.0.query: …").
func locateRuleErrors(cfg config.Config, err error) error {
	var out []error
	var walk func(error)
	walk = func(err error) {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			for _, e := range j.Unwrap() {
				walk(e)
			}
			return
		}
		var re *alert.RuleError
		if !errors.As(err, &re) {
			out = append(out, err)
			return
		}
		key := "alerts"
		for i, a := range cfg.Alerts {
			if a.Name == re.Rule {
				key = fmt.Sprintf("alerts.%d.%s", i, re.Field)
				break
			}
		}
		out = append(out, fmt.Errorf("%s%s: %s", cfg.Where(key), key, re.Msg))
	}
	walk(err)
	return fmt.Errorf("invalid alert rules:\n%w", errors.Join(out...))
}

// nameWarnings lists the actors and places of the configured alert rules
// that no gazetteer spelling stands for, each with where it is set and the
// nearest known names: such a rule is kept (a name as a report writes it
// still matches exactly), but a typo would otherwise alert on nothing,
// silently.
func nameWarnings(cfg config.Config) []string {
	var out []string
	for i, a := range cfg.Alerts {
		for _, f := range []struct {
			key     string
			vals    []string
			unknown func(string) ([]string, bool)
			what    string
		}{{"actors", a.Actors, index.UnknownActor, "an actor"}, {"places", a.Places, index.UnknownPlace, "a place"}} {
			for j, v := range f.vals {
				nearest, ok := f.unknown(v)
				if ok {
					continue
				}
				key := fmt.Sprintf("alerts.%d.%s.%d", i, f.key, j)
				msg := fmt.Sprintf("%s%s: %q is %s no gazetteer knows", cfg.Where(key), key, v, f.what)
				if len(nearest) > 0 {
					msg += " (nearest: " + strings.Join(nearest, ", ") + ")"
				}
				out = append(out, msg)
			}
		}
	}
	return out
}
