package bus

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// The dead-letter policy, one for every stage: a message a stage cannot
// decode goes to DEADLETTER at once; a message whose processing failed is
// retried, spaced by RetryDelay, and goes to DEADLETTER when it failed on
// its MaxDeliver-th delivery. GiveUp moves it there with its stage and
// reason; Replay sends it back.
const (
	// MaxDeliver is the delivery on whose failure a stage gives a message up.
	MaxDeliver = 5

	// StageHeader names the stage that gave a dead letter up.
	StageHeader = "Dateline-Stage"
	// SubjectHeader is the subject a dead letter was read from.
	SubjectHeader = "Dateline-Subject"
	// StreamHeader is the stream a dead letter was read from.
	StreamHeader = "Dateline-Stream"
	// StreamSeqHeader is its sequence in that stream.
	StreamSeqHeader = "Dateline-Stream-Seq"
	// DeliveredHeader is how many times it had been delivered to the stage.
	DeliveredHeader = "Dateline-Delivered"
	// ReplayHeader, on a replayed message, names the stage it was replayed
	// for (see ReplayedFor).
	ReplayHeader = "Dateline-Replay"
)

// RetryBackoff returns the default spacing of the retries of a failing
// message (delivery 1, 2, 3, 4 and later): 1 s, 5 s, 30 s, 2 min.
func RetryBackoff() []time.Duration {
	return []time.Duration{time.Second, 5 * time.Second, 30 * time.Second, 2 * time.Minute}
}

// RetryDelay is how long to wait before redelivering msg after it failed,
// by its delivery count: backoff[n-1] for delivery n, the last entry from
// then on. An empty backoff means RetryBackoff().
func RetryDelay(msg jetstream.Msg, backoff []time.Duration) time.Duration {
	if len(backoff) == 0 {
		backoff = RetryBackoff()
	}
	n := 1
	if md, err := msg.Metadata(); err == nil {
		n = int(md.NumDelivered)
	}
	return backoff[min(max(n, 1), len(backoff))-1]
}

// Exhausted reports whether msg is on its MaxDeliver-th delivery or later:
// if processing it fails now, the stage gives it up.
func Exhausted(msg jetstream.Msg) bool {
	md, err := msg.Metadata()
	return err == nil && md.NumDelivered >= MaxDeliver
}

// ReplayedFor names the stage msg was replayed for, or "" when msg is no
// replay. Every consumer of the subject receives a replay; a stage that
// cannot decode a replay meant for another stage acknowledges it instead
// of giving it up again, since the same bytes are already dead-lettered
// for it (a message nobody can decode would otherwise gain a dead letter
// per stage at every replay).
func ReplayedFor(msg jetstream.Msg) string {
	if h := msg.Headers(); h != nil {
		return h.Get(ReplayHeader)
	}
	return ""
}

// GiveUp copies msg, its headers and reason to the DEADLETTER stream under
// dead.<stage>.<last token of its subject>, then terminates it so that the
// consumer moves on. When the copy cannot be stored msg is left as it is
// (unacknowledged: it is redelivered) and the error says so. Giving up the
// same delivery twice stores one dead letter.
func GiveUp(ctx context.Context, js jetstream.JetStream, stage string, msg jetstream.Msg, reason error) error {
	dl := nats.NewMsg("dead." + stage + "." + lastToken(msg.Subject()))
	dl.Data = msg.Data()
	for k, v := range msg.Headers() {
		if !strings.HasPrefix(k, "Nats-") && k != ReplayHeader {
			dl.Header[k] = v
		}
	}
	dl.Header.Set(ErrorHeader, reason.Error())
	dl.Header.Set(StageHeader, stage)
	dl.Header.Set(SubjectHeader, msg.Subject())
	if md, err := msg.Metadata(); err == nil {
		dl.Header.Set(StreamHeader, md.Stream)
		dl.Header.Set(StreamSeqHeader, strconv.FormatUint(md.Sequence.Stream, 10))
		dl.Header.Set(DeliveredHeader, strconv.FormatUint(md.NumDelivered, 10))
		dl.Header.Set(jetstream.MsgIDHeader, fmt.Sprintf("%s.%s.%d", stage, md.Stream, md.Sequence.Stream))
	}
	if _, err := js.PublishMsg(ctx, dl); err != nil {
		return fmt.Errorf("dead-letter %s for %s: %w", msg.Subject(), stage, err)
	}
	if err := msg.TermWithReason(reason.Error()); err != nil {
		return fmt.Errorf("terminate dead-lettered %s: %w", msg.Subject(), err)
	}
	return nil
}

func lastToken(subject string) string {
	if i := strings.LastIndexByte(subject, '.'); i >= 0 {
		return subject[i+1:]
	}
	return subject
}

// DeadLetter is a message a stage gave up on.
type DeadLetter struct {
	// Seq is its sequence in the DEADLETTER stream (its id).
	Seq uint64 `json:"seq"`
	// Stage is the stage that gave up ("extractor", "indexer", "alerter").
	Stage string `json:"stage"`
	// Subject is where the message came from ("articles.<id>").
	Subject string `json:"subject"`
	// Stream and StreamSeq are the stream it was read from and its
	// sequence there (empty and 0 in dead letters older than these fields).
	Stream    string `json:"stream,omitempty"`
	StreamSeq uint64 `json:"stream_seq,omitempty"`
	// Delivered is how many times it was delivered to the stage (0 when
	// not recorded).
	Delivered int `json:"delivered,omitempty"`
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
	stage := m.Header.Get(StageHeader)
	if stage == "" { // written before the header was: dead.<stage>.<id>
		stage, _, _ = strings.Cut(strings.TrimPrefix(m.Subject, "dead."), ".")
	}
	streamSeq, _ := strconv.ParseUint(m.Header.Get(StreamSeqHeader), 10, 64)
	delivered, _ := strconv.Atoi(m.Header.Get(DeliveredHeader))
	return DeadLetter{
		Seq: m.Sequence, Stage: stage, Subject: m.Header.Get(SubjectHeader),
		Stream: m.Header.Get(StreamHeader), StreamSeq: streamSeq, Delivered: delivered,
		Reason: m.Header.Get(ErrorHeader), Time: m.Time, Bytes: len(m.Data),
	}
}

var (
	// ErrNoDeadLetter is returned by Replay for an unknown sequence.
	ErrNoDeadLetter = errors.New("no such dead letter")
	// ErrSuperseded is returned by Replay when the stream the dead letter
	// came from has since stored a different message on its subject (a
	// newer version of the article or event set): replaying the old one
	// would replace it. The dead letter is kept.
	ErrSuperseded = errors.New("superseded by a newer message on its subject")
)

// deadHeaders are the headers GiveUp adds; Replay leaves them out.
var deadHeaders = []string{ErrorHeader, StageHeader, SubjectHeader, StreamHeader, StreamSeqHeader, DeliveredHeader}

// Replay publishes dead letter seq back to the subject it came from, with
// its original headers and a ReplayHeader naming its stage (the stage then
// tries it again from scratch), and removes it from DEADLETTER.
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
	d := deadLetter(m)
	if d.Subject == "" {
		return fmt.Errorf("dead letter %d names no subject", seq)
	}
	if err := b.checkCurrent(ctx, d, m.Data); err != nil {
		return fmt.Errorf("replay dead letter %d: %w", seq, err)
	}
	out := nats.NewMsg(d.Subject)
	out.Data = m.Data
	for k, v := range m.Header {
		if !strings.HasPrefix(k, "Nats-") {
			out.Header[k] = v
		}
	}
	for _, h := range deadHeaders {
		out.Header.Del(h)
	}
	out.Header.Set(ReplayHeader, d.Stage)
	// A fresh id: the original is still within the duplicate window.
	out.Header.Set(jetstream.MsgIDHeader, "replay."+strconv.FormatUint(seq, 10)+"."+strconv.FormatInt(time.Now().UnixNano(), 36))
	if _, err := b.JS.PublishMsg(ctx, out); err != nil {
		return fmt.Errorf("replay dead letter %d to %s: %w", seq, d.Subject, err)
	}
	if err := s.DeleteMsg(ctx, seq); err != nil {
		return fmt.Errorf("remove replayed dead letter %d: %w", seq, err)
	}
	return nil
}

// checkCurrent returns ErrSuperseded when d's stream holds a message on
// d's subject newer than d with other data than d's (a replay of the same
// bytes for another stage supersedes nothing). Dead letters that do not
// record where they came from are not checked.
func (b *Bus) checkCurrent(ctx context.Context, d DeadLetter, data []byte) error {
	if d.Stream == "" || d.StreamSeq == 0 {
		return nil
	}
	st, err := b.JS.Stream(ctx, d.Stream)
	if err != nil {
		return fmt.Errorf("open %s: %w", d.Stream, err)
	}
	last, err := st.GetLastMsgForSubject(ctx, d.Subject)
	switch {
	case errors.Is(err, jetstream.ErrMsgNotFound):
		return nil
	case err != nil:
		return fmt.Errorf("look up %s in %s: %w", d.Subject, d.Stream, err)
	case last.Sequence > d.StreamSeq && !bytes.Equal(last.Data, data):
		return fmt.Errorf("%s holds %s at %d, after %d: %w", d.Stream, d.Subject, last.Sequence, d.StreamSeq, ErrSuperseded)
	}
	return nil
}
