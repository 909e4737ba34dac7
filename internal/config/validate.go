package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Roles lists the roles a process can run.
var Roles = []string{"poller", "extractor", "indexer", "api", "alerter"}

// DestinationKinds lists the alert destination kinds.
var DestinationKinds = []string{"slack", "discord", "teams", "mattermost", "webhook", "telegram"}

// Validate reports every problem in c at once, each naming the key and,
// when the config came from a file, the file and line.
func (c Config) Validate() error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s%s: %s", c.where(key), key, fmt.Sprintf(format, args...)))
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		bad("listen", "%q is not host:port", c.Listen)
	}
	if c.RateLimit < 0 {
		bad("rate_limit", "must not be negative (0 switches the limit off)")
	}
	if strings.TrimSpace(c.DataDir) == "" {
		bad("data_dir", "must not be empty")
	}
	if !slices.Contains([]string{"debug", "info", "warn", "error"}, c.LogLevel) {
		bad("log_level", "%q is not one of debug, info, warn, error", c.LogLevel)
	}
	for i, r := range c.Roles {
		if !slices.Contains(Roles, r) {
			bad(fmt.Sprintf("roles.%d", i), "unknown role %q (roles: %s)", r, strings.Join(Roles, ", "))
		}
	}
	if c.NATS.URL != "" {
		if u, err := url.Parse(c.NATS.URL); err != nil || u.Host == "" {
			bad("nats.url", "%q is not a URL such as nats://host:4222", c.NATS.URL)
		}
	}
	if s := c.NATS.SyncInterval; s != "" && s != "always" {
		if d, err := time.ParseDuration(s); err != nil || d <= 0 {
			bad("nats.sync_interval", "%q is neither \"always\" nor a positive duration", s)
		}
	}
	if c.NATS.Replicas < 1 || c.NATS.Replicas > 5 {
		bad("nats.replicas", "%d is not between 1 and 5", c.NATS.Replicas)
	}
	f := c.Fetch
	if f.PollInterval.D() < time.Second {
		bad("fetch.poll_interval", "%s is below the minimum of 1s", f.PollInterval.D())
	}
	if f.MaxBodyBytes < 1024 {
		bad("fetch.max_body_bytes", "%d is below the minimum of 1024", f.MaxBodyBytes)
	}
	if f.Timeout.D() <= 0 {
		bad("fetch.timeout", "must be positive")
	}
	if f.ConnectTimeout.D() <= 0 {
		bad("fetch.connect_timeout", "must be positive")
	}
	if f.MaxRedirects < 0 || f.MaxRedirects > 20 {
		bad("fetch.max_redirects", "%d is not between 0 and 20", f.MaxRedirects)
	}
	if f.PerHostSpacing < 0 {
		bad("fetch.per_host_spacing", "must not be negative (0 spaces requests not at all)")
	}
	if f.PerHostConcurrency < 1 {
		bad("fetch.per_host_concurrency", "must be at least 1")
	}
	if f.Workers < 1 {
		bad("fetch.workers", "must be at least 1")
	}
	if c.Index.BatchSize < 1 || c.Index.BatchSize > 10000 {
		bad("index.batch_size", "%d is not between 1 and 10000", c.Index.BatchSize)
	}
	seen := map[string]int{}
	for i, fd := range c.Feeds {
		key := fmt.Sprintf("feeds.%d", i)
		if err := checkHTTPURL(fd.URL); err != nil {
			bad(key+".url", "%v", err)
		} else if j, dup := seen[fd.URL]; dup {
			bad(key+".url", "%q is listed twice (also feeds.%d)", fd.URL, j)
		}
		seen[fd.URL] = i
		if fd.Interval != 0 && fd.Interval.D() < time.Second {
			bad(key+".interval", "%s is below the minimum of 1s", fd.Interval.D())
		}
		if err := CheckLocale(fd.Locale); err != nil {
			bad(key+".locale", "%v", err)
		}
	}
	errs = append(errs, c.validateAlerts()...)
	return errors.Join(errs...)
}

func (c Config) validateAlerts() []error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s%s: %s", c.where(key), key, fmt.Sprintf(format, args...)))
	}
	names := map[string]bool{}
	for i, a := range c.Alerts {
		key := fmt.Sprintf("alerts.%d", i)
		if strings.TrimSpace(a.Name) == "" {
			bad(key+".name", "must not be empty")
		} else if names[a.Name] {
			bad(key+".name", "%q is used by another alert", a.Name)
		}
		names[a.Name] = true
		if a.Mode != "" && !slices.Contains([]string{"immediate", "digest", "threshold"}, a.Mode) {
			bad(key+".mode", "%q is not one of immediate, digest, threshold", a.Mode)
		}
		if a.Timezone != "" {
			if _, err := time.LoadLocation(a.Timezone); err != nil {
				bad(key+".timezone", "%q is not a time zone", a.Timezone)
			}
		}
		if len(a.Destinations) == 0 {
			bad(key+".destinations", "at least one destination is needed")
		}
		for j, d := range a.Destinations {
			dk := fmt.Sprintf("%s.destinations.%d", key, j)
			if !slices.Contains(DestinationKinds, d.Kind) {
				bad(dk+".kind", "%q is not one of %s", d.Kind, strings.Join(DestinationKinds, ", "))
			}
			if d.Kind == "telegram" {
				if d.Token == "" || d.ChatID == "" {
					bad(dk, "telegram needs token and chat_id")
				}
				continue
			}
			if err := checkHTTPURL(d.URL); err != nil {
				// The URL is a secret: never echo it.
				bad(dk+".url", "not an http(s) URL")
			}
		}
	}
	return errs
}

// Where says where key (a dotted path such as "alerts.0.destinations.1.url")
// was set, for messages about its value: "--flag: " for a key a flag set,
// else "file:line: " (the line of the key or of its nearest parent), or
// "file: ", or "" for a config built in code.
func (c Config) Where(key string) string { return c.where(key) }

func (c Config) where(key string) string {
	for k := key; k != ""; {
		if f, ok := c.flags[k]; ok {
			return f + ": "
		}
		i := strings.LastIndexByte(k, '.')
		if i < 0 {
			break
		}
		k = k[:i]
	}
	if c.file == "" {
		return ""
	}
	for k := key; k != ""; {
		if l, ok := c.lines[k]; ok {
			return fmt.Sprintf("%s:%d: ", c.file, l)
		}
		i := strings.LastIndexByte(k, '.')
		if i < 0 {
			break
		}
		k = k[:i]
	}
	return c.file + ": "
}

func checkHTTPURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", raw)
	}
	return nil
}

// Locales returns the locales of feeds and articles Dateline knows: they
// set the order of numeric dates (en-US month first, en-GB and en day
// first).
func Locales() []string { return []string{"en-US", "en-GB", "en"} }

// CheckLocale returns an error naming the known locales when locale is
// neither empty (the default) nor one of Locales.
func CheckLocale(locale string) error {
	if locale == "" || slices.Contains(Locales(), locale) {
		return nil
	}
	return fmt.Errorf("%q is not one of %s", locale, strings.Join(Locales(), ", "))
}
