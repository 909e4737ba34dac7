package config

import (
	"strconv"
	"strings"
)

// envNATS maps each DATELINE_NATS_* environment variable to the key it
// sets. Connection settings and secrets come from the environment where a
// file would have to hold them (containers, Kubernetes secrets).
var envNATS = []struct {
	name, key string
	set       func(*NATS, string)
}{
	{"DATELINE_NATS_URL", "nats.url", func(n *NATS, v string) { n.URL = v }},
	{"DATELINE_NATS_NODE", "nats.node", func(n *NATS, v string) { n.Node = v }},
	{"DATELINE_NATS_USER", "nats.user", func(n *NATS, v string) { n.User = v }},
	{"DATELINE_NATS_PASSWORD", "nats.password", func(n *NATS, v string) { n.Password = v }},
	{"DATELINE_NATS_TOKEN", "nats.token", func(n *NATS, v string) { n.Token = v }},
	{"DATELINE_NATS_NKEY", "nats.nkey", func(n *NATS, v string) { n.NKey = v }},
	{"DATELINE_NATS_CREDS", "nats.creds", func(n *NATS, v string) { n.Creds = v }},
	{"DATELINE_NATS_TLS_CA", "nats.tls.ca", func(n *NATS, v string) { n.TLS.CA = v }},
	{"DATELINE_NATS_TLS_CERT", "nats.tls.cert", func(n *NATS, v string) { n.TLS.Cert = v }},
	{"DATELINE_NATS_TLS_KEY", "nats.tls.key", func(n *NATS, v string) { n.TLS.Key = v }},
	{"DATELINE_NATS_REPLICAS", "nats.replicas", func(n *NATS, v string) {
		r, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil {
			r = -1 // Validate names the variable
		}
		n.Replicas = r
	}},
}

// EnvNATS lists the environment variables ApplyEnv reads.
func EnvNATS() []string {
	names := make([]string, len(envNATS))
	for i, e := range envNATS {
		names[i] = e.name
	}
	return names
}

// ApplyEnv sets the NATS settings from the DATELINE_NATS_* variables that
// env has (set, even to the empty string), over the file's values; flags
// applied after it override both. Validate names the variable, not the
// file, for a bad value it set.
func (c *Config) ApplyEnv(env Lookup) {
	if env == nil {
		return
	}
	for _, e := range envNATS {
		if v, ok := env(e.name); ok {
			e.set(&c.NATS, v)
			c.FromFlag(e.key, "$"+e.name)
		}
	}
}
