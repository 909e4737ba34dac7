// Package config loads, expands and validates the Dateline configuration.
//
// The lifecycle is: Default, then Load (which reads YAML strictly and
// expands ${VAR}), then flag overrides applied by the caller, then Validate,
// which reports every problem at once with its file and line. A Config is a
// plain value: nothing here is global.
package config

import (
	"fmt"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"
)

// Config is the whole configuration of a Dateline process.
type Config struct {
	// Listen is the HTTP listen address.
	Listen string `yaml:"listen"`
	// DataDir holds the embedded NATS store and the Bleve index.
	DataDir string `yaml:"data_dir"`
	// AdminToken guards admin endpoints; when empty they refuse all requests.
	AdminToken string `yaml:"admin_token"`
	// Pipelines is a directory of extraction rules; empty uses the rules
	// built into the binary.
	Pipelines string `yaml:"pipelines"`
	// LogLevel is debug, info, warn or error.
	LogLevel string `yaml:"log_level"`
	// Roles lists the roles this process runs; empty means all.
	Roles []string `yaml:"roles"`
	// RateLimit is the most API requests a second one client address may
	// make (bursts of twice that); 0 switches the limit off.
	RateLimit float64 `yaml:"rate_limit"`
	// PublicURL is where users reach this Dateline, for links in alerts and feeds.
	PublicURL string `yaml:"public_url"`
	NATS      NATS   `yaml:"nats"`
	Fetch     Fetch  `yaml:"fetch"`
	Index     Index  `yaml:"index"`
	// Feeds are the feeds polled from the start.
	Feeds []Feed `yaml:"feeds"`
	// Alerts are the alert rules.
	Alerts []Alert `yaml:"alerts"`

	// file is where the config was read from, for error messages.
	file string
	// lines maps a dotted key path ("fetch.poll_interval", "feeds.0.url")
	// to its line in file.
	lines map[string]int
	// flags maps a key path set by a command-line flag to that flag.
	flags map[string]string
}

// FromFlag records that the command-line flag (such as "--listen") set
// key, so that Validate blames the flag, not the file, for a bad value.
// Call it after setting the field.
func (c *Config) FromFlag(key, flag string) {
	if c.flags == nil {
		c.flags = map[string]string{}
	}
	c.flags[key] = flag
}

// NATS configures the connection to NATS JetStream.
type NATS struct {
	// URL of an external NATS server, or a comma-separated list of seed
	// URLs of a cluster; empty runs an embedded server under DataDir.
	URL string `yaml:"url"`
	// SyncInterval is how often the embedded server fsyncs its store:
	// "always" (the default: see README, Reliability) or a Go duration.
	// Empty keeps the NATS server's own default (2m).
	SyncInterval string `yaml:"sync_interval"`
	// Replicas is the replica count of the streams and buckets on a
	// cluster (1 to 5).
	Replicas int `yaml:"replicas"`
	// Node names this process's own durable consumers and leases (the
	// indexer keeps one per replica). Empty: an id generated once and kept
	// in <data_dir>/node-id (see service.NodeID).
	Node string `yaml:"node"`
	// User and Password authenticate with a user name and password.
	User     string `yaml:"user"`
	Password string `yaml:"password"`
	// Token authenticates with a token.
	Token string `yaml:"token"`
	// NKey is a file holding an NKey seed (SU...) to authenticate with.
	NKey string `yaml:"nkey"`
	// Creds is a NATS credentials file (JWT and NKey seed).
	Creds string `yaml:"creds"`
	// TLS configures TLS to the servers.
	TLS TLS `yaml:"tls"`
	// Streams holds the retention limits of each stream.
	Streams Streams `yaml:"streams"`
}

// TLS names the files of a TLS connection to NATS. Setting any of them
// turns TLS on.
type TLS struct {
	// CA is a PEM file of the certificate authorities to trust.
	CA string `yaml:"ca"`
	// Cert and Key are a PEM client certificate and its key.
	Cert string `yaml:"cert"`
	Key  string `yaml:"key"`
}

// Enabled reports whether any TLS file is set.
func (t TLS) Enabled() bool { return t.CA != "" || t.Cert != "" || t.Key != "" }

// Streams holds the retention limits of Dateline's streams.
type Streams struct {
	Articles Limits `yaml:"articles"`
	Events   Limits `yaml:"events"`
	Dead     Limits `yaml:"deadletter"`
}

// Limits are the retention limits of one stream: messages older than
// MaxAge, or past MaxBytes in all, are removed (0: no limit).
type Limits struct {
	MaxAge   Duration `yaml:"max_age"`
	MaxBytes int64    `yaml:"max_bytes"`
}

// Fetch configures how feeds are fetched.
type Fetch struct {
	PollInterval         Duration `yaml:"poll_interval"`
	AllowPrivateNetworks bool     `yaml:"allow_private_networks"`
	MaxBodyBytes         int64    `yaml:"max_body_bytes"`
	Timeout              Duration `yaml:"timeout"`
	ConnectTimeout       Duration `yaml:"connect_timeout"`
	// MaxRedirects is the most redirects followed per request (5); 0
	// follows none.
	MaxRedirects int    `yaml:"max_redirects"`
	UserAgent    string `yaml:"user_agent"`
	Contact      string `yaml:"contact"`
	// PerHostConcurrency is the most requests in flight per host (2).
	PerHostConcurrency int `yaml:"per_host_concurrency"`
	// PerHostSpacing is the least time between two request starts on one
	// host (1s); 0 spaces them not at all. This default, not the
	// poller's own, is the one in force.
	PerHostSpacing Duration `yaml:"per_host_spacing"`
	Workers        int      `yaml:"workers"`
}

// Index configures the Bleve index.
type Index struct {
	// BatchSize is the most events committed in one batch.
	BatchSize int `yaml:"batch_size"`
	// BatchWait is how long the indexer waits to fill a batch.
	BatchWait Duration `yaml:"batch_wait"`
}

// Feed is one configured feed.
type Feed struct {
	URL  string `yaml:"url"`
	Name string `yaml:"name"`
	// Locale orders ambiguous numeric dates: en-US (month first) or en-GB.
	Locale string `yaml:"locale"`
	// FullText fetches each article page for its main text.
	FullText bool `yaml:"full_text"`
	// Interval overrides fetch.poll_interval for this feed.
	Interval Duration `yaml:"interval"`
}

// Alert is one alert rule.
type Alert struct {
	Name         string        `yaml:"name"`
	Query        string        `yaml:"query"`
	Search       string        `yaml:"search"`
	Types        []string      `yaml:"types"`
	Actors       []string      `yaml:"actors"`
	Places       []string      `yaml:"places"`
	Statuses     []string      `yaml:"statuses"`
	MinSources   int           `yaml:"min_sources"`
	MinConf      float64       `yaml:"min_confidence"`
	Mode         string        `yaml:"mode"`
	Window       Duration      `yaml:"window"`
	Threshold    int           `yaml:"threshold"`
	Schedule     string        `yaml:"schedule"`
	Timezone     string        `yaml:"timezone"`
	FollowUps    bool          `yaml:"follow_ups"`
	Template     string        `yaml:"template"`
	Destinations []Destination `yaml:"destinations"`
}

// Destination is where an alert is delivered.
type Destination struct {
	// Kind is slack, discord, teams, mattermost, webhook or telegram.
	Kind   string `yaml:"kind"`
	URL    string `yaml:"url"`
	Secret string `yaml:"secret"`
	Token  string `yaml:"token"`
	ChatID string `yaml:"chat_id"`
}

// Default returns the configuration used when no file is given.
func Default() Config {
	return Config{
		Listen:    "127.0.0.1:8080",
		RateLimit: 100,
		DataDir:   "./data",
		Fetch: Fetch{
			PollInterval:       Duration(10 * time.Minute),
			MaxBodyBytes:       10 << 20,
			Timeout:            Duration(30 * time.Second),
			ConnectTimeout:     Duration(10 * time.Second),
			MaxRedirects:       5,
			Contact:            "https://github.com/dateline/dateline",
			PerHostConcurrency: 2,
			PerHostSpacing:     Duration(time.Second),
			Workers:            16,
		},
		Index:    Index{BatchSize: 1000, BatchWait: Duration(200 * time.Millisecond)},
		LogLevel: "info",
		NATS: NATS{Replicas: 1, SyncInterval: "always", Streams: Streams{
			Dead: Limits{MaxAge: Duration(30 * 24 * time.Hour)},
		}},
	}
}

// Duration is a time.Duration written as a Go duration string ("10m").
type Duration time.Duration

// UnmarshalYAML parses a Go duration and names the line when it cannot.
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	got := strconv.Quote(n.Value)
	if n.Kind != yaml.ScalarNode {
		got = "a list or mapping"
	}
	v, err := time.ParseDuration(n.Value)
	if err != nil || n.Kind != yaml.ScalarNode {
		// A TypeError lets the decoder go on and report every problem.
		return &yaml.TypeError{Errors: []string{fmt.Sprintf(
			"line %d: %s is not a duration (use Go syntax such as 90s, 10m, 1h)", n.Line, got)}}
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML writes the duration as a Go duration string.
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }

// D returns the value as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }
