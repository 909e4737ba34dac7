package alert

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/fetch"
)

// result says what to do after one attempt.
type result int

const (
	resultOK        result = iota
	resultRetry            // timeout, 5xx, 429: try again later
	resultFail             // any other failure: give up now
	resultGone             // 410: give up and disable the destination
	resultCancelled        // the caller's context ended
)

// outcome is the result of one attempt.
type outcome struct {
	result result
	// status is the HTTP status, 0 when no response came.
	status int
	// retryAfter is what the server asked to wait (Retry-After, or a
	// JSON retry_after), 0 when it did not say.
	retryAfter time.Duration
	// pause is how long the destination asks to be left alone after a
	// success (Discord's X-RateLimit-Remaining: 0).
	pause time.Duration
	// err describes a failure. It never holds the destination URL or token.
	err error
}

// sender posts rendered messages. It is safe for concurrent use.
type sender struct {
	client      *http.Client
	telegramAPI string
	userAgent   string
}

// maxResponse caps how much of a response is read.
const maxResponse = 64 << 10

// request builds the HTTP request of message m to d. id is the delivery
// id, stable across attempts; at is the attempt time.
func (s *sender) request(ctx context.Context, d *dest, m Message, id string, created, at time.Time) (*http.Request, error) {
	var body any
	target := d.URL
	switch d.Kind {
	case KindSlack:
		body = slackBody(m)
	case KindMattermost:
		body = mattermostBody(m)
	case KindDiscord:
		body = discordBody(m)
	case KindTeams:
		body = teamsBody(m)
	case KindTelegram:
		body = telegramBody(d.ChatID, m)
		target = telegramURL(s.telegramAPI, d.Token)
	case KindWebhook:
		body = webhookBody(m, created)
	default:
		return nil, fmt.Errorf("unknown destination kind %q", d.Kind)
	}
	raw, err := encode(body)
	if err != nil {
		return nil, fmt.Errorf("encode %s message: %w", d.Kind, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(raw))
	if err != nil {
		return nil, errors.New("build request: invalid destination URL")
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", s.userAgent)
	if d.Kind == KindWebhook {
		signWebhook(req.Header, d.key, webhookID(id), at, raw)
	}
	return req, nil
}

// encode writes JSON without HTML escaping, as the platforms read it.
func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimRight(buf.Bytes(), "\n"), nil
}

// webhookID turns a delivery id into a webhook-id header value.
func webhookID(deliveryID string) string {
	return "msg_" + strings.ReplaceAll(deliveryID, ".", "_")
}

// send makes one attempt.
func (s *sender) send(ctx context.Context, d *dest, m Message, id string, created, at time.Time) outcome {
	req, err := s.request(ctx, d, m, id, created, at)
	if err != nil {
		return outcome{result: resultFail, err: err}
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return transportOutcome(ctx, d, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	return responseOutcome(d, resp, body)
}

// transportOutcome classifies a failure without a response.
func transportOutcome(ctx context.Context, d *dest, err error) outcome {
	if ctx.Err() != nil {
		return outcome{result: resultCancelled, err: ctx.Err()}
	}
	if errors.Is(err, fetch.ErrForbiddenAddress) {
		return outcome{result: resultFail, err: scrub(d, err)}
	}
	return outcome{result: resultRetry, err: scrub(d, err)}
}

// responseOutcome classifies a response.
func responseOutcome(d *dest, resp *http.Response, body []byte) outcome {
	o := outcome{status: resp.StatusCode}
	code := resp.StatusCode
	if code >= 200 && code < 300 {
		if resp.Header.Get("X-RateLimit-Remaining") == "0" {
			o.pause = seconds(resp.Header.Get("X-RateLimit-Reset-After"))
		}
		return o
	}
	o.retryAfter = retryAfter(resp.Header, body)
	msg := "HTTP " + strconv.Itoa(code)
	if detail := strings.TrimSpace(string(body)); detail != "" {
		msg += ": " + cut(strings.Join(strings.Fields(detail), " "), 200)
	}
	o.err = scrub(d, errors.New(msg))
	switch {
	case code == http.StatusTooManyRequests || code == http.StatusRequestTimeout || code >= 500:
		o.result = resultRetry
	case code == http.StatusGone:
		o.result = resultGone
	default:
		o.result = resultFail
	}
	return o
}

// retryAfter reads the Retry-After header (seconds or an HTTP date), or
// the retry_after of a Discord or Telegram JSON body.
func retryAfter(h http.Header, body []byte) time.Duration {
	if v := h.Get("Retry-After"); v != "" {
		if d := seconds(v); d > 0 {
			return d
		}
		if t, err := http.ParseTime(v); err == nil {
			return max(time.Until(t), 0)
		}
	}
	var b struct {
		RetryAfter float64 `json:"retry_after"`
		Parameters struct {
			RetryAfter float64 `json:"retry_after"`
		} `json:"parameters"`
	}
	if json.Unmarshal(body, &b) == nil {
		return toDuration(max(b.RetryAfter, b.Parameters.RetryAfter))
	}
	return 0
}

func seconds(v string) time.Duration {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil {
		return 0
	}
	return toDuration(f)
}

func toDuration(sec float64) time.Duration {
	if sec <= 0 || math.IsNaN(sec) {
		return 0
	}
	return time.Duration(min(sec, 24*3600) * float64(time.Second))
}

// scrub removes the destination's secrets from an error: a *url.Error
// names the URL, which holds the webhook secret or the bot token. A refusal
// by the SSRF guard stays a *fetch.ForbiddenAddressError (naming the
// redacted URL), so callers can still tell it apart with errors.Is.
func scrub(d *dest, err error) error {
	var fe *fetch.ForbiddenAddressError
	if errors.As(err, &fe) {
		cp := *fe
		cp.URL = d.Redacted().URL
		return &cp
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = fmt.Errorf("%s: %w", ue.Op, ue.Err)
		if ue.Timeout() {
			err = fmt.Errorf("timeout: %w", ue.Err)
		}
	}
	msg := err.Error()
	for _, secret := range []string{d.URL, d.Token, d.Secret} {
		if secret != "" && strings.Contains(msg, secret) {
			msg = strings.ReplaceAll(msg, secret, redacted)
		}
	}
	if u, perr := url.Parse(d.URL); perr == nil && len(u.Path) > 8 && strings.Contains(msg, u.Path) {
		msg = strings.ReplaceAll(msg, u.Path, "/"+redacted)
	}
	if msg != err.Error() {
		return errors.New(msg)
	}
	return err
}
