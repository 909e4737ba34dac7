package bus

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/nats-io/nats.go"
)

// Options says how to reach an external NATS server or cluster: its seed
// URLs, how to authenticate and TLS. Secrets in it are never logged.
type Options struct {
	// URLs is one URL or a comma-separated list of seed URLs; the client
	// learns the rest of the cluster from the one it reaches.
	URLs string
	// Name is the connection's name, shown by the server.
	Name string
	// User and Password authenticate with a user name and password.
	User, Password string
	// Token authenticates with a token.
	Token string
	// NKeyFile is a file holding an NKey user seed.
	NKeyFile string
	// CredsFile is a NATS credentials file (JWT and seed).
	CredsFile string
	// TLSCA is a PEM file of the authorities to trust; TLSCert and TLSKey
	// a client certificate and its key. Any of them turns TLS on.
	TLSCA, TLSCert, TLSKey string
	// Logger receives disconnections and reconnections (with redacted
	// URLs) and the connection's asynchronous errors; nil: slog.Default.
	Logger *slog.Logger
}

// Dial connects to the NATS servers o names, with its credentials and
// TLS, reconnecting for ever once connected. An error names the servers
// with any credentials in their URLs redacted.
func Dial(ctx context.Context, o Options) (*Bus, error) {
	seeds := splitSeeds(o.URLs)
	if len(seeds) == 0 {
		return nil, fmt.Errorf("connect to nats: no server URL")
	}
	log := o.Logger
	if log == nil {
		log = slog.Default()
	}
	var extra []nats.Option
	switch {
	case o.User != "":
		extra = append(extra, nats.UserInfo(o.User, o.Password))
	case o.Token != "":
		extra = append(extra, nats.Token(o.Token))
	case o.NKeyFile != "":
		opt, err := nats.NkeyOptionFromSeed(o.NKeyFile)
		if err != nil {
			return nil, fmt.Errorf("nats nkey seed %s: %w", o.NKeyFile, err)
		}
		extra = append(extra, opt)
	case o.CredsFile != "":
		extra = append(extra, nats.UserCredentials(o.CredsFile))
	}
	if o.TLSCA != "" {
		extra = append(extra, nats.RootCAs(o.TLSCA))
	}
	if o.TLSCert != "" {
		extra = append(extra, nats.ClientCert(o.TLSCert, o.TLSKey))
	}
	if o.TLSCA != "" || o.TLSCert != "" {
		extra = append(extra, nats.Secure())
	}
	extra = append(extra,
		nats.DisconnectErrHandler(func(nc *nats.Conn, err error) {
			if err != nil {
				log.Warn("nats: disconnected", "server", redact(nc.ConnectedUrlRedacted()), "err", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) {
			log.Info("nats: reconnected", "server", nc.ConnectedUrlRedacted())
		}),
	)
	b, err := connect(ctx, strings.Join(seeds, ","), nil, o.Name, log, extra)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// splitSeeds splits a comma-separated URL list, dropping blanks.
func splitSeeds(urls string) []string {
	var out []string
	for u := range strings.SplitSeq(urls, ",") {
		if u = strings.TrimSpace(u); u != "" {
			out = append(out, u)
		}
	}
	return out
}

// redact replaces the user information of each URL in a comma-separated
// list by "redacted": NATS URLs may carry a user and password or a token.
func redact(urls string) string {
	seeds := splitSeeds(urls)
	for i, s := range seeds {
		u, err := url.Parse(s)
		switch {
		case err != nil:
			if j := strings.LastIndexByte(s, '@'); j >= 0 {
				seeds[i] = "redacted@" + s[j+1:]
			}
		case u.User != nil:
			u.User = url.User("redacted")
			seeds[i] = u.String()
		}
	}
	return strings.Join(seeds, ",")
}
