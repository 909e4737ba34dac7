package alert

import (
	"context"
	"time"

	"github.com/dateline/dateline/internal/config"
)

// TestResult is the outcome of a test message to one destination.
type TestResult struct {
	// Destination names it without secrets ("slack https://hooks.slack.com/***").
	Destination string
	// Status is the HTTP status, 0 when no response came.
	Status int
	// Err is why it failed, nil when it was delivered. It holds no secrets.
	Err error
}

// SendTest validates rule and sends the sample message once to each of
// its destinations: no retries, no delivery records. It returns one
// result per destination, in order; the error is a validation error.
func SendTest(ctx context.Context, rule config.Alert, opts Options) ([]TestResult, error) {
	return sendTest(ctx, FromConfig(rule), opts)
}

// sendTest is SendTest for a rule in its stored form.
func sendTest(ctx context.Context, rule Rule, opts Options) ([]TestResult, error) {
	opts = opts.withDefaults()
	c, err := compile(rule, opts.Env, opts.Types)
	if err != nil {
		return nil, err
	}
	s := &sender{client: opts.Client, telegramAPI: opts.TelegramAPI, userAgent: opts.UserAgent}
	msg := sampleMessage(c)
	if err := msg.render(c); err != nil {
		return nil, err
	}
	now := clock(opts.Now)().UTC()
	out := make([]TestResult, 0, len(c.dests))
	for _, d := range c.dests {
		name := d.Kind + " " + d.Redacted().URL
		if d.Kind == KindTelegram {
			name = d.Kind + " chat " + d.ChatID
		}
		rctx, cancel := context.WithTimeout(ctx, opts.Timeout+time.Second)
		o := s.send(rctx, d, msg, "test."+c.id+"."+d.id+"."+now.Format("20060102T150405"), now, now)
		cancel()
		res := TestResult{Destination: name, Status: o.status}
		if o.result != resultOK {
			res.Err = o.err
		}
		out = append(out, res)
	}
	return out, nil
}
