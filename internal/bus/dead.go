package bus

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// DeadLetter is a message a stage gave up on.
type DeadLetter struct {
	// Seq is its sequence in the DEADLETTER stream (its id).
	Seq uint64 `json:"seq"`
	// Stage is the stage that gave up ("extractor").
	Stage string `json:"stage"`
	// Subject is where the message came from ("articles.<id>").
	Subject string `json:"subject"`
	// Reason is the last error.
	Reason string `json:"reason"`
	// Time is when it was dead-lettered.
	Time time.Time `json:"time"`
	// Bytes is the size of the message.
	Bytes int `json:"bytes"`
}

// DeadLetters lists up to limit dead letters, newest first.
func (b *Bus) DeadLetters(ctx context.Context, limit int) ([]DeadLetter, error) {
	s, err := b.JS.Stream(ctx, DeadStream)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", DeadStream, err)
	}
	info, err := s.Info(ctx)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", DeadStream, err)
	}
	var out []DeadLetter
	for seq := info.State.LastSeq; seq >= info.State.FirstSeq && seq > 0 && len(out) < limit; seq-- {
		m, err := s.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read dead letter %d: %w", seq, err)
		}
		out = append(out, deadLetter(m))
	}
	return out, nil
}

func deadLetter(m *jetstream.RawStreamMsg) DeadLetter {
	stage := ""
	if len(m.Subject) > len("dead.") {
		rest := m.Subject[len("dead."):]
		for i := range len(rest) {
			if rest[i] == '.' {
				stage = rest[:i]
				break
			}
		}
	}
	return DeadLetter{
		Seq: m.Sequence, Stage: stage, Subject: m.Header.Get("Dateline-Subject"),
		Reason: m.Header.Get(ErrorHeader), Time: m.Time, Bytes: len(m.Data),
	}
}

// ErrNoDeadLetter is returned by Replay for an unknown sequence.
var ErrNoDeadLetter = errors.New("no such dead letter")

// Replay publishes dead letter seq back to the subject it came from (the
// stage then tries it again from scratch) and removes it from DEADLETTER.
func (b *Bus) Replay(ctx context.Context, seq uint64) error {
	s, err := b.JS.Stream(ctx, DeadStream)
	if err != nil {
		return fmt.Errorf("open %s: %w", DeadStream, err)
	}
	m, err := s.GetMsg(ctx, seq)
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return ErrNoDeadLetter
	}
	if err != nil {
		return fmt.Errorf("read dead letter %d: %w", seq, err)
	}
	subject := m.Header.Get("Dateline-Subject")
	if subject == "" {
		return fmt.Errorf("dead letter %d names no subject", seq)
	}
	out := nats.NewMsg(subject)
	out.Data = m.Data
	for _, h := range []string{HashHeader, FeedHeader} {
		if v := m.Header.Get(h); v != "" {
			out.Header.Set(h, v)
		}
	}
	// A fresh id: the original is still within the duplicate window.
	out.Header.Set(jetstream.MsgIDHeader, "replay."+strconv.FormatUint(seq, 10)+"."+strconv.FormatInt(time.Now().UnixNano(), 36))
	if _, err := b.JS.PublishMsg(ctx, out); err != nil {
		return fmt.Errorf("replay dead letter %d to %s: %w", seq, subject, err)
	}
	if err := s.DeleteMsg(ctx, seq); err != nil {
		return fmt.Errorf("remove replayed dead letter %d: %w", seq, err)
	}
	return nil
}
