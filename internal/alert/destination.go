package alert

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/url"
	"strings"
)

// Destination kinds.
const (
	KindSlack      = "slack"
	KindDiscord    = "discord"
	KindTeams      = "teams"
	KindMattermost = "mattermost"
	KindWebhook    = "webhook"
	KindTelegram   = "telegram"
)

// Destination is where a rule's messages go. URL, Secret and Token are
// secrets: they are never logged, and the API returns them redacted.
type Destination struct {
	// Kind is slack, discord, teams, mattermost, webhook or telegram.
	Kind string `json:"kind"`
	// URL is the webhook URL (all kinds but telegram).
	URL string `json:"url,omitempty"`
	// Secret signs generic webhooks: "whsec_" and a base64 key.
	Secret string `json:"secret,omitempty"`
	// Token is the Telegram bot token; empty reads TELEGRAM_BOT_TOKEN
	// from the environment.
	Token string `json:"token,omitempty"`
	// ChatID is the Telegram chat to post to.
	ChatID string `json:"chat_id,omitempty"`
}

// redacted marks a secret the API hid.
const redacted = "***"

// Redacted returns d with its secrets hidden: the URL keeps only its
// scheme and host, the secret and token are replaced.
func (d Destination) Redacted() Destination {
	if d.URL != "" {
		if u, err := url.Parse(d.URL); err == nil && u.Host != "" {
			d.URL = u.Scheme + "://" + u.Host + "/" + redacted
		} else {
			d.URL = redacted
		}
	}
	if d.Secret != "" {
		d.Secret = redacted
	}
	if d.Token != "" {
		d.Token = redacted
	}
	return d
}

// dest is a validated destination with its stable id.
type dest struct {
	Destination
	id  string // stable, key-safe, not reversible to the secrets
	key []byte // decoded webhook signing key
}

// label names d in logs and results without its secrets.
func (d *dest) label() string { return d.Kind + ":" + d.id }

type fieldErr struct{ field, msg string }

// newDest validates d. env supplies TELEGRAM_BOT_TOKEN when Token is empty.
func newDest(d Destination, env func(string) (string, bool)) (*dest, []fieldErr) {
	var errs []fieldErr
	out := &dest{Destination: d}
	switch d.Kind {
	case KindSlack, KindDiscord, KindTeams, KindMattermost, KindWebhook:
		u, err := url.Parse(d.URL)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			// The URL is a secret: never echo it.
			errs = append(errs, fieldErr{"url", "not an http(s) URL"})
		}
		if d.Kind == KindWebhook {
			key, ok := decodeSecret(d.Secret)
			if !ok {
				errs = append(errs, fieldErr{"secret", `must be "whsec_" followed by a base64 key of 24 to 64 bytes`})
			}
			out.key = key
		}
	case KindTelegram:
		if out.Token == "" && env != nil {
			out.Token, _ = env("TELEGRAM_BOT_TOKEN")
		}
		if out.Token == "" || strings.ContainsAny(out.Token, "/?#") {
			errs = append(errs, fieldErr{"token", "a bot token is needed (or TELEGRAM_BOT_TOKEN in the environment)"})
		}
		if d.ChatID == "" {
			errs = append(errs, fieldErr{"chat_id", "must not be empty"})
		}
	default:
		errs = append(errs, fieldErr{"kind", "must be one of slack, discord, teams, mattermost, webhook, telegram"})
	}
	h := sha256.New()
	for _, s := range []string{out.Kind, out.URL, out.Secret, out.Token, out.ChatID} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	out.id = hex.EncodeToString(h.Sum(nil)[:6])
	return out, errs
}

// decodeSecret reads a Standard Webhooks secret.
func decodeSecret(s string) ([]byte, bool) {
	raw, ok := strings.CutPrefix(s, "whsec_")
	if !ok {
		return nil, false
	}
	key, err := base64.StdEncoding.DecodeString(raw)
	if err != nil || len(key) < 24 || len(key) > 64 {
		return nil, false
	}
	return key, true
}

// resendsInterrupted reports whether a delivery to a destination of kind
// is sent again when the alerter that had its request in flight died
// (killed, crashed, or its lease lapsed). Nobody knows whether that
// request arrived, so a resend may be a second copy: it is made only
// where the receiver can recognise the copy. This is the one place that
// choice is made.
//
// The generic webhook resends: its webhook-id is the delivery's id, the
// same on every attempt, and the Standard Webhooks spec tells receivers
// to deduplicate on it. The resend carries the same webhook-id and body
// with a fresh webhook-timestamp and signature (so a receiver's timestamp
// tolerance does not reject it): nothing is lost, and a receiver that
// follows the spec processes it once.
//
// The chat platforms offer no idempotency key where we post, and a double
// post in a channel is worse than a visible failure, so their interrupted
// deliveries are failed as "interrupted", listed and replayable:
//   - Slack and Mattermost incoming webhooks take no message id from the
//     caller;
//   - Discord's Execute Webhook takes no nonce (the bot API's Create
//     Message has nonce with enforce_nonce, which only dedups over a few
//     minutes and is not what a webhook URL reaches);
//   - Teams Workflows webhooks take no id;
//   - Telegram's sendMessage has no idempotency parameter (the random_id
//     of Telegram's client API is not offered to bots).
func resendsInterrupted(kind string) bool {
	switch kind {
	case KindWebhook:
		return true
	case KindSlack, KindDiscord, KindTeams, KindMattermost, KindTelegram:
		return false
	}
	return false
}
