package bus

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// Limits are the retention limits of one stream: messages older than
// MaxAge, or past MaxBytes in all, are removed (0: no limit).
type Limits struct {
	MaxAge   time.Duration
	MaxBytes int64
}

// Settings are what a deployment chooses about its streams and buckets:
// how many replicas each has and how long the streams keep messages.
type Settings struct {
	// Replicas of every stream and bucket (1 on a single server).
	Replicas int
	// Articles, Events and Dead limit ARTICLES, EVENTS and DEADLETTER.
	Articles, Events, Dead Limits
}

// DefaultSettings are replicas and the default limits: ARTICLES and
// EVENTS keep everything (EVENTS is what every index is rebuilt from),
// DEADLETTER keeps 30 days.
func DefaultSettings(replicas int) Settings {
	return Settings{Replicas: replicas, Dead: Limits{MaxAge: 30 * 24 * time.Hour}}
}

// streamConfigs are the streams as s wants them.
func (s Settings) streamConfigs() []jetstream.StreamConfig {
	r := max(s.Replicas, 1)
	streams := []jetstream.StreamConfig{
		{
			Name: ArticlesStream, Subjects: []string{"articles.>"},
			Description:       "one message per article: a newer version of an article replaces the older",
			MaxMsgsPerSubject: 1, Duplicates: 2 * time.Minute, AllowDirect: true,
			MaxAge: s.Articles.MaxAge, MaxBytes: noLimit(s.Articles.MaxBytes),
		},
		{
			Name: EventsStream, Subjects: []string{"events.>"},
			Description:       "one event set per article: a newer set replaces the older",
			MaxMsgsPerSubject: 1, Duplicates: 2 * time.Minute, AllowDirect: true,
			MaxAge: s.Events.MaxAge, MaxBytes: noLimit(s.Events.MaxBytes),
		},
		{
			Name: DeadStream, Subjects: []string{"dead.>"},
			Description: "messages a stage gave up on, with the reason in the Dateline-Error header",
			AllowDirect: true, MaxAge: s.Dead.MaxAge, MaxBytes: noLimit(s.Dead.MaxBytes),
		},
	}
	for i := range streams {
		streams[i].Storage = jetstream.FileStorage
		streams[i].Replicas = r
		if streams[i].Duplicates > 0 && streams[i].MaxAge > 0 && streams[i].MaxAge < streams[i].Duplicates {
			streams[i].Duplicates = streams[i].MaxAge
		}
	}
	return streams
}

// bucketConfigs are the key-value buckets as s wants them.
func (s Settings) bucketConfigs() []jetstream.KeyValueConfig {
	buckets := []jetstream.KeyValueConfig{
		{Bucket: FeedStateBucket, Description: "per-feed poll state", History: 1},
		{Bucket: FeedLeaseBucket, Description: "which poller polls a feed now", History: 1, TTL: 10 * time.Minute},
		{Bucket: FeedsBucket, Description: "feeds added through the API", History: 1},
		{Bucket: SearchesBucket, Description: "saved searches", History: 1},
	}
	for i := range buckets {
		buckets[i].Storage = jetstream.FileStorage
		buckets[i].Replicas = max(s.Replicas, 1)
	}
	return buckets
}

func noLimit(n int64) int64 {
	if n <= 0 {
		return -1
	}
	return n
}

// Change is one setting of a stream or bucket that differs between the
// server and the configuration.
type Change struct {
	// What is "stream EVENTS" or "bucket feed_state".
	What string
	// Setting is the configuration key's name: replicas, max_age,
	// max_bytes, or the stream's own setting the pipeline relies on.
	Setting string
	// Have is the server's value, Want the configuration's.
	Have, Want string
}

func (c Change) String() string {
	return fmt.Sprintf("%s: %s is %s on the server, the configuration says %s", c.What, c.Setting, c.Have, c.Want)
}

// DriftError says which settings of existing streams or buckets differ
// from the configuration. Declare returns it; Migrate applies them.
type DriftError struct{ Changes []Change }

func (e *DriftError) Error() string {
	lines := make([]string, len(e.Changes))
	for i, c := range e.Changes {
		lines[i] = c.String()
	}
	return "streams differ from the configuration (run \"dateline streams migrate\" to apply it):\n  " + strings.Join(lines, "\n  ")
}

// Declare creates the streams and buckets s describes that do not exist
// yet. When existing ones differ from s it changes nothing and returns a
// *DriftError naming each setting: changing replicas or retention of a
// live deployment is done on purpose, by Migrate.
func (b *Bus) Declare(ctx context.Context, s Settings) error {
	changes, err := b.declare(ctx, s, false)
	if err != nil {
		return err
	}
	if len(changes) > 0 {
		return &DriftError{Changes: changes}
	}
	return nil
}

// Migrate creates what is missing and updates every existing stream and
// bucket to s, returning the settings it changed.
func (b *Bus) Migrate(ctx context.Context, s Settings) ([]Change, error) {
	return b.declare(ctx, s, true)
}

// Diff returns the settings Migrate would change, changing nothing.
func (b *Bus) Diff(ctx context.Context, s Settings) ([]Change, error) {
	var changes []Change
	for _, sc := range s.streamConfigs() {
		cs, _, err := b.streamDiff(ctx, "stream "+sc.Name, sc.Name, sc)
		if err != nil {
			return nil, err
		}
		changes = append(changes, cs...)
	}
	for _, kc := range s.bucketConfigs() {
		cs, _, err := b.bucketDiff(ctx, kc)
		if err != nil {
			return nil, err
		}
		changes = append(changes, cs...)
	}
	return changes, nil
}

func (b *Bus) declare(ctx context.Context, s Settings, update bool) ([]Change, error) {
	var changes []Change
	for _, sc := range s.streamConfigs() {
		cs, found, err := b.streamDiff(ctx, "stream "+sc.Name, sc.Name, sc)
		if err != nil {
			return nil, err
		}
		changes = append(changes, cs...)
		switch {
		case !found:
			if _, err := b.JS.CreateStream(ctx, sc); err != nil && !errors.Is(err, jetstream.ErrStreamNameAlreadyInUse) {
				return nil, fmt.Errorf("declare stream %s: %w", sc.Name, err)
			}
		case update && len(cs) > 0:
			if _, err := b.JS.UpdateStream(ctx, sc); err != nil {
				return nil, fmt.Errorf("migrate stream %s: %w", sc.Name, err)
			}
		}
	}
	for _, kc := range s.bucketConfigs() {
		cs, found, err := b.bucketDiff(ctx, kc)
		if err != nil {
			return nil, err
		}
		changes = append(changes, cs...)
		switch {
		case !found:
			if _, err := b.JS.CreateKeyValue(ctx, kc); err != nil && !errors.Is(err, jetstream.ErrBucketExists) {
				return nil, fmt.Errorf("declare bucket %s: %w", kc.Bucket, err)
			}
		case update && len(cs) > 0:
			if _, err := b.JS.UpdateKeyValue(ctx, kc); err != nil {
				return nil, fmt.Errorf("migrate bucket %s: %w", kc.Bucket, err)
			}
		}
	}
	return changes, nil
}

// streamDiff compares the stream named name on the server with want.
func (b *Bus) streamDiff(ctx context.Context, what, name string, want jetstream.StreamConfig) ([]Change, bool, error) {
	st, err := b.JS.Stream(ctx, name)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("look up %s: %w", what, err)
	}
	have := st.CachedInfo().Config
	var cs []Change
	add := func(setting string, h, w any) {
		if fmt.Sprint(h) != fmt.Sprint(w) {
			cs = append(cs, Change{What: what, Setting: setting, Have: fmt.Sprint(h), Want: fmt.Sprint(w)})
		}
	}
	add("replicas", have.Replicas, want.Replicas)
	add("max_age", limitAge(have.MaxAge), limitAge(want.MaxAge))
	add("max_bytes", limitBytes(have.MaxBytes), limitBytes(want.MaxBytes))
	if want.MaxMsgsPerSubject != 0 {
		add("max_msgs_per_subject", have.MaxMsgsPerSubject, want.MaxMsgsPerSubject)
	}
	if want.Duplicates != 0 {
		add("duplicate_window", have.Duplicates, want.Duplicates)
	}
	add("subjects", strings.Join(have.Subjects, " "), strings.Join(want.Subjects, " "))
	return cs, true, nil
}

// bucketDiff compares a bucket on the server with want: its replicas,
// history and TTL.
func (b *Bus) bucketDiff(ctx context.Context, want jetstream.KeyValueConfig) ([]Change, bool, error) {
	what := "bucket " + want.Bucket
	st, err := b.JS.Stream(ctx, "KV_"+want.Bucket)
	if errors.Is(err, jetstream.ErrStreamNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("look up %s: %w", what, err)
	}
	have := st.CachedInfo().Config
	var cs []Change
	add := func(setting string, h, w any) {
		if fmt.Sprint(h) != fmt.Sprint(w) {
			cs = append(cs, Change{What: what, Setting: setting, Have: fmt.Sprint(h), Want: fmt.Sprint(w)})
		}
	}
	add("replicas", have.Replicas, max(want.Replicas, 1))
	add("history", have.MaxMsgsPerSubject, max(int64(want.History), 1))
	add("ttl", limitAge(have.MaxAge), limitAge(want.TTL))
	return cs, true, nil
}

func limitAge(d time.Duration) string {
	if d <= 0 {
		return "none"
	}
	return d.String()
}

func limitBytes(n int64) string {
	if n <= 0 {
		return "none"
	}
	return fmt.Sprint(n)
}
