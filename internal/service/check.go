package service

import (
	"errors"
	"fmt"

	"github.com/dateline/dateline/internal/alert"
	"github.com/dateline/dateline/internal/config"
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
