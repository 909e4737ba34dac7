package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
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
	errs = append(errs, c.validateNATS()...)
	if s := c.NATS.SyncInterval; s != "" && s != "always" {
		if d, err := time.ParseDuration(s); err != nil || d <= 0 {
			bad("nats.sync_interval", "%q is neither \"always\" nor a positive duration", s)
		}
	}
	if err := CheckNode(c.NATS.Node); c.NATS.Node != "" && err != nil {
		bad("nats.node", "%v", err)
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

// natsSchemes are the URL schemes a NATS client dials.
var natsSchemes = []string{"nats", "tls", "ws", "wss"}

// validateNATS checks the connection settings and stream limits. A URL or
// secret is never echoed: it may hold a password.
func (c Config) validateNATS() []error {
	var errs []error
	bad := func(key, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s%s: %s", c.where(key), key, fmt.Sprintf(format, args...)))
	}
	n := c.NATS
	if n.URL != "" {
		for i, raw := range strings.Split(n.URL, ",") {
			raw = strings.TrimSpace(raw)
			u, err := url.Parse(raw)
			if err != nil || u.Host == "" || !slices.Contains(natsSchemes, u.Scheme) {
				bad("nats.url", "seed %d (%s) is not a URL such as nats://host:4222 (schemes: %s)",
					i+1, RedactURL(raw), strings.Join(natsSchemes, ", "))
			}
		}
	}
	auth := []string{}
	if n.User != "" || n.Password != "" {
		auth = append(auth, "nats.user")
		if n.User == "" {
			bad("nats.password", "needs nats.user")
		}
	}
	if n.Token != "" {
		auth = append(auth, "nats.token")
	}
	if n.NKey != "" {
		auth = append(auth, "nats.nkey")
	}
	if n.Creds != "" {
		auth = append(auth, "nats.creds")
	}
	if len(auth) > 1 {
		bad(auth[1], "set only one way to authenticate, not %s", strings.Join(auth, " and "))
	}
	if n.URL == "" && (len(auth) > 0 || n.TLS.Enabled()) {
		bad("nats.url", "must be set for credentials or TLS (the embedded server needs neither)")
	}
	for key, file := range map[string]string{"nats.nkey": n.NKey, "nats.creds": n.Creds,
		"nats.tls.ca": n.TLS.CA, "nats.tls.cert": n.TLS.Cert, "nats.tls.key": n.TLS.Key} {
		if file == "" {
			continue
		}
		if _, err := os.Stat(file); err != nil {
			bad(key, "cannot read the file: %v", errors.Unwrap(err))
		}
	}
	if (n.TLS.Cert == "") != (n.TLS.Key == "") {
		bad("nats.tls", "cert and key go together")
	}
	for name, l := range map[string]Limits{"articles": n.Streams.Articles, "events": n.Streams.Events, "deadletter": n.Streams.Dead} {
		key := "nats.streams." + name
		if l.MaxAge < 0 {
			bad(key+".max_age", "must not be negative (0: no limit)")
		} else if l.MaxAge != 0 && l.MaxAge.D() < time.Minute {
			bad(key+".max_age", "%s is below the minimum of 1m (0: no limit)", l.MaxAge.D())
		}
		if l.MaxBytes < 0 {
			bad(key+".max_bytes", "must not be negative (0: no limit)")
		} else if l.MaxBytes != 0 && l.MaxBytes < 1<<20 {
			bad(key+".max_bytes", "%d is below the minimum of 1048576 (0: no limit)", l.MaxBytes)
		}
	}
	slices.SortFunc(errs, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
	return errs
}

// RedactURL returns raw with any password or user in it replaced by
// "redacted", for logs and messages: NATS URLs may carry credentials.
func RedactURL(raw string) string {
	var out []string
	for _, one := range strings.Split(raw, ",") {
		one = strings.TrimSpace(one)
		u, err := url.Parse(one)
		switch {
		case err != nil:
			if i := strings.LastIndexByte(one, '@'); i >= 0 {
				one = "redacted@" + one[i+1:]
			}
		case u.User != nil:
			u.User = url.User("redacted")
			one = u.String()
		}
		out = append(out, one)
	}
	return strings.Join(out, ",")
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

// CheckNode returns an error when node cannot name a durable consumer:
// it must be 1 to 64 letters, digits, '-' or '_'.
func CheckNode(node string) error {
	if node == "" || len(node) > 64 {
		return fmt.Errorf("%q must be 1 to 64 characters long", node)
	}
	for _, c := range node {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return fmt.Errorf("%q may hold only letters, digits, '-' and '_'", node)
		}
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
