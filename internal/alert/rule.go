package alert

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"text/template"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/index"
	"github.com/dateline/dateline/internal/rules"
)

// Modes of a rule.
const (
	// Immediate sends one message per matching event as it arrives.
	Immediate = "immediate"
	// Digest sends one message per window listing the events matched in it.
	Digest = "digest"
	// Threshold sends one message when Threshold matching events arrive
	// within Window.
	Threshold = "threshold"
)

// Rule is an alert rule as the API reads and writes it. Its fields mean
// what the same keys of config.Alert mean.
type Rule struct {
	// Name identifies the rule; it is unique among config and API rules.
	Name string `json:"name"`
	// Query is a search query string (index.Query.Q syntax); empty matches
	// every event that passes the filters.
	Query string `json:"query,omitempty"`
	// Search names a saved search whose query and filters (all those of
	// GET /api/v1/events: feed, from, to and near too) the rule uses
	// instead of its own, which must then be empty; its min_sources
	// applies when larger than the rule's.
	Search string `json:"search,omitempty"`
	// Types, Actors, Places and Statuses are exact-value filters: any
	// value of one filter matches, every non-empty filter must match.
	Types    []string `json:"types,omitempty"`
	Actors   []string `json:"actors,omitempty"`
	Places   []string `json:"places,omitempty"`
	Statuses []string `json:"statuses,omitempty"`
	// MinSources is the least number of independent sources an event
	// needs: the distinct feeds of the articles reporting its merged
	// (timeline) event, as source_count counts them; 0 and 1 let every
	// event pass. Every rule alerts once per merged event; see the
	// package doc.
	MinSources int `json:"min_sources,omitempty"`
	// MinConfidence is the least Event.Confidence an event needs.
	MinConfidence float64 `json:"min_confidence,omitempty"`
	// Mode is Immediate (the default), Digest or Threshold.
	Mode string `json:"mode,omitempty"`
	// Window is a Go duration: the digest period when Schedule is empty,
	// or the span Threshold events must arrive within.
	Window string `json:"window,omitempty"`
	// Threshold is the number of events a Threshold rule waits for.
	Threshold int `json:"threshold,omitempty"`
	// Schedule is when a digest is sent: a cron expression ("0 8 * * *")
	// or "HH:MM" daily, in Timezone.
	Schedule string `json:"schedule,omitempty"`
	// Timezone is an IANA zone for Schedule (default UTC).
	Timezone string `json:"timezone,omitempty"`
	// FollowUps sends a message when an already alerted event comes back
	// changed (more sources, other places, a new status...).
	FollowUps bool `json:"follow_ups,omitempty"`
	// Template overrides the message text (Go text/template over Message).
	Template string `json:"template,omitempty"`
	// Destinations are where messages go.
	Destinations []Destination `json:"destinations"`
	// Source is "config" or "api"; set by the server, ignored on input.
	Source string `json:"source,omitempty"`
}

// FromConfig converts a config rule.
func FromConfig(a config.Alert) Rule {
	r := Rule{
		Name: a.Name, Query: a.Query, Search: a.Search, Types: a.Types, Actors: a.Actors, Places: a.Places,
		Statuses: a.Statuses, MinSources: a.MinSources, MinConfidence: a.MinConf, Mode: a.Mode,
		Threshold: a.Threshold, Schedule: a.Schedule, Timezone: a.Timezone, FollowUps: a.FollowUps,
		Template: a.Template, Source: "config",
	}
	if a.Window != 0 {
		r.Window = a.Window.D().String()
	}
	for _, d := range a.Destinations {
		r.Destinations = append(r.Destinations, Destination{Kind: d.Kind, URL: d.URL, Secret: d.Secret, Token: d.Token, ChatID: d.ChatID})
	}
	return r
}

// RuleError is one problem with a rule. Field is the JSON key at fault
// ("query", "destinations.1.secret").
type RuleError struct {
	Rule, Field, Msg string
}

// Error names the rule and the field.
func (e *RuleError) Error() string {
	return fmt.Sprintf("alert %q: %s: %s", e.Rule, e.Field, e.Msg)
}

// compiled is a validated rule, ready to match and render.
type compiled struct {
	Rule
	id     string         // key-safe id derived from Name
	sel    *index.Matcher // the query and filters, as a search reads them
	window time.Duration
	sched  cron.Schedule // digest schedule; nil means fixed windows
	loc    *time.Location
	tmpl   *template.Template // nil: the default rendering
	dests  []*dest
}

// Limits of a rule.
const (
	maxRuleName    = 100
	maxDests       = 10
	maxTemplateLen = 8 << 10
	minWindow      = time.Minute
)

// compile validates r and prepares it. The error joins every *RuleError.
func compile(r Rule, env func(string) (string, bool), known rules.Catalog) (*compiled, error) {
	var errs []error
	bad := func(field, format string, args ...any) {
		errs = append(errs, &RuleError{Rule: r.Name, Field: field, Msg: fmt.Sprintf(format, args...)})
	}
	c := &compiled{Rule: r, loc: time.UTC}
	if strings.TrimSpace(r.Name) == "" || len(r.Name) > maxRuleName {
		bad("name", "must be 1 to %d characters", maxRuleName)
	}
	c.id = ruleID(r.Name)
	_, err := parseQuery(r.Query)
	if err != nil {
		bad("query", "%v", err)
	}
	if r.Search != "" && (r.Query != "" || len(r.Types)+len(r.Actors)+len(r.Places)+len(r.Statuses) > 0) {
		bad("search", "a rule on a saved search takes its query and filters from it: leave query, types, actors, places and statuses empty")
	}
	for _, f := range []struct {
		name string
		vals []string
	}{{"types", r.Types}, {"actors", r.Actors}, {"places", r.Places}, {"statuses", r.Statuses}} {
		if len(f.vals) > 64 {
			bad(f.name, "more than 64 values")
		}
	}
	// The known types are those of the rules in use (Options.Types), the
	// built-in rules' when none are given.
	for i, t := range r.Types {
		var qe *index.QueryError
		if err := index.CheckTypes([]string{t}, known); errors.As(err, &qe) {
			bad(fmt.Sprintf("types.%d", i), "%s", qe.Msg)
		} else if err != nil {
			bad(fmt.Sprintf("types.%d", i), "%v", err)
		}
	}
	for i, s := range r.Statuses {
		if !slices.Contains([]string{"occurred", "planned", "denied"}, s) {
			bad(fmt.Sprintf("statuses.%d", i), "%q is not one of occurred, planned, denied", s)
		}
	}
	if r.MinSources < 0 {
		bad("min_sources", "must not be negative")
	}
	if r.MinConfidence < 0 || r.MinConfidence > 1 {
		bad("min_confidence", "%g is not between 0 and 1", r.MinConfidence)
	}
	if r.Timezone != "" {
		if c.loc, err = time.LoadLocation(r.Timezone); err != nil {
			bad("timezone", "%q is not a time zone", r.Timezone)
			c.loc = time.UTC
		}
	}
	if r.Window != "" {
		if c.window, err = time.ParseDuration(r.Window); err != nil || c.window < minWindow {
			bad("window", "%q is not a duration of at least %s", r.Window, minWindow)
		}
	}
	switch r.Mode {
	case "", Immediate:
		c.Mode = Immediate
	case Digest:
		if r.Schedule != "" {
			if c.sched, err = parseSchedule(r.Schedule); err != nil {
				bad("schedule", "%v", err)
			}
		} else if c.window == 0 {
			bad("window", "a digest needs a window (such as 1h) or a schedule")
		}
	case Threshold:
		if r.Threshold < 1 {
			bad("threshold", "a threshold rule needs a threshold of at least 1")
		}
		if c.window == 0 {
			bad("window", "a threshold rule needs a window (such as 1h)")
		}
	default:
		bad("mode", "%q is not one of immediate, digest, threshold", r.Mode)
	}
	if r.Template != "" {
		if c.tmpl, err = parseTemplate(r.Template); err != nil {
			bad("template", "%v", err)
		}
	}
	if len(r.Destinations) == 0 {
		bad("destinations", "at least one destination is needed")
	}
	if len(r.Destinations) > maxDests {
		bad("destinations", "more than %d destinations", maxDests)
	}
	for i, d := range r.Destinations {
		nd, derrs := newDest(d, env)
		for _, de := range derrs {
			bad(fmt.Sprintf("destinations.%d.%s", i, de.field), "%s", de.msg)
		}
		if nd != nil {
			c.dests = append(c.dests, nd)
		}
	}
	if len(errs) == 0 {
		var qe *index.QueryError
		if c.sel, err = selection(r); errors.As(err, &qe) {
			bad(cmp.Or(ruleFields[qe.Param], qe.Param), "%s", qe.Msg)
		} else if err != nil {
			bad("query", "%v", err)
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// ruleID is a short key-safe id for a rule name, used in KV keys.
func ruleID(name string) string {
	h := sha256.Sum256([]byte(name))
	return "r" + hex.EncodeToString(h[:6])
}

// parseSchedule reads a cron expression or "HH:MM" (daily).
func parseSchedule(s string) (cron.Schedule, error) {
	if t, err := time.Parse("15:04", s); err == nil {
		s = fmt.Sprintf("%d %d * * *", t.Minute(), t.Hour())
	}
	sched, err := cron.ParseStandard(s)
	if err != nil {
		return nil, fmt.Errorf("%q is neither HH:MM nor a cron expression: %w", s, err)
	}
	return sched, nil
}

// windowEnd is the end of the digest window holding t: the next scheduled
// time after t, or the end of the fixed window of c.window containing t.
func (c *compiled) windowEnd(t time.Time) time.Time {
	if c.sched != nil {
		return c.sched.Next(t.In(c.loc)).UTC()
	}
	return t.Truncate(c.window).Add(c.window).UTC()
}
