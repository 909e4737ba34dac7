package alert

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/dateline/dateline/internal/rules"
	"log/slog"
	"math"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/time/rate"

	"github.com/dateline/dateline/internal/bus"
	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/event"
	"github.com/dateline/dateline/internal/fetch"
	"github.com/dateline/dateline/internal/index"
)

// Stage names the alerter in dead letters and in the service's supervision.
const Stage = "alerter"

// ConsumerName is the durable name of the alerter's EVENTS consumer. All
// alerter processes share it, so each event set goes to one of them.
const ConsumerName = "alerter"

// Limit is a destination's rate limit: Rate messages a second, in bursts
// of up to Burst.
type Limit struct {
	Rate  rate.Limit
	Burst int
}

// defaultLimit follows each platform's documented or observed limits.
func defaultLimit(kind string) Limit {
	switch kind {
	case KindSlack:
		return Limit{1, 1} // about one message a second per webhook
	case KindDiscord:
		return Limit{2.5, 5} // 5 per 2 s per webhook; bucket headers refine it
	case KindTeams:
		return Limit{4, 4}
	case KindMattermost:
		return Limit{10, 10}
	case KindTelegram:
		return Limit{1, 3} // about one a second per chat
	}
	return Limit{200, 100} // our own receivers: generous, still bounded
}

// Options configures an Alerter. Zero fields take the defaults noted.
type Options struct {
	// PublicURL is where users reach Dateline; messages link events there.
	PublicURL string
	// AllowPrivateNetworks lets destinations resolve to private addresses
	// (intranets, tests); otherwise the fetch SSRF guard refuses them.
	AllowPrivateNetworks bool
	// Node names this process in delivery leases (default: host name). A
	// restarted process with the same Node knows its earlier requests died.
	Node string
	// Logger receives deliveries and failures; nil discards. Secrets are
	// never logged.
	Logger *slog.Logger
	// Now is the clock (default time.Now). Windows and leases use it.
	Now func() time.Time
	// Env looks up TELEGRAM_BOT_TOKEN (default os.LookupEnv).
	Env func(string) (string, bool)
	// Types are the event types a rule may name: those of the rules in use
	// (nil: the built-in rules').
	Types rules.Catalog
	// Replicas is the replica count of the buckets (default 1).
	Replicas int
	// Timeout bounds one request (default 10s).
	Timeout time.Duration
	// MaxAttempts is the most requests per delivery (default 6).
	MaxAttempts int
	// RetryBase and RetryMax bound the exponential backoff between
	// attempts (defaults 1s and 5m); a longer Retry-After wins, up to 1h.
	RetryBase, RetryMax time.Duration
	// Limits overrides the rate limit of a destination kind.
	Limits map[string]Limit
	// TelegramAPI is the Bot API base URL (default DefaultTelegramAPI).
	TelegramAPI string
	// UserAgent is sent with every request.
	UserAgent string
	// ClusterID gives the merged event an event belongs to, as the index
	// merges them (index.Clustering.ID of the rules' types), to count
	// min_sources and follow-ups per merged event; nil means
	// index.ClusterID, the built-in rules' anchors.
	ClusterID func(event.Event) string
	// Identity, when set, is the index's answer to which merged event
	// holds e: its id (the timeline's, the live stream's and the API's)
	// and the ids it absorbed (its FormerIDs); found is false while the
	// index does not hold e. The service sets it where the process runs
	// the indexer. With it, min_sources, follow-ups and the alert's link
	// follow the index's compatible merging; without it (no index in the
	// process) the alerter groups reports by ClusterID, an exact key.
	// See identify for when the index has not applied e yet.
	Identity func(ctx context.Context, e event.Event) (id string, former []string, found bool, err error)
	// IdentityWait is how long an event set waits, at most, for the index
	// to hold its events before the alerter falls back to ClusterID for
	// those it does not (default 5s).
	IdentityWait time.Duration
	// FromStart makes a newly created consumer read EVENTS from the
	// beginning; by default it starts with new event sets, so a first
	// start does not alert on the whole history.
	FromStart bool
	// Backoff spaces the retries of an event set that could not be
	// processed (default bus.RetryBackoff()); when it fails on its
	// bus.MaxDeliver-th delivery it goes to DEADLETTER.
	Backoff []time.Duration
	// AckWait is how long an event set taken by an alerter that died
	// waits before it is redelivered (default 1m).
	AckWait time.Duration
	// Tick is how often digest windows are checked (default 1s).
	Tick time.Duration
	// SweepEvery is how often unfinished deliveries are looked for, to
	// take over those of a dead alerter (default 30s).
	SweepEvery time.Duration
	// SavedSearch looks up the saved searches rules may name; nil: rules
	// naming one match nothing.
	SavedSearch SavedSearchFunc
	// Client, if set, replaces the SSRF-guarded client (tests).
	Client *http.Client
	// Corrections, when set, are the analysts' corrections: a hidden
	// event is not sent, a corrected one is told as corrected, and an
	// alerted event that is corrected gets a follow-up (see corrected.go).
	Corrections Corrections
	// Resolve, when set, is the index's answer to which event id names
	// now and the ids that event absorbed (its FormerIDs); found is false
	// when the index has no such event. With it a correction made under
	// the event's current id reaches an alert sent under an id it had
	// before (and the other way round). The service sets it where the
	// process runs the indexer.
	Resolve func(ctx context.Context, id string) (current string, former []string, found bool, err error)
}

func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Env == nil {
		o.Env = os.LookupEnv
	}
	if o.ClusterID == nil {
		o.ClusterID = index.ClusterID
	}
	if o.IdentityWait <= 0 {
		o.IdentityWait = 5 * time.Second
	}
	if o.Node == "" {
		o.Node, _ = os.Hostname()
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Second
	}
	if o.MaxAttempts <= 0 {
		o.MaxAttempts = 6
	}
	if o.RetryBase <= 0 {
		o.RetryBase = time.Second
	}
	if o.RetryMax <= 0 {
		o.RetryMax = 5 * time.Minute
	}
	if o.AckWait <= 0 {
		o.AckWait = time.Minute
	}
	if o.Tick <= 0 {
		o.Tick = time.Second
	}
	if o.SweepEvery <= 0 {
		o.SweepEvery = 30 * time.Second
	}
	if o.UserAgent == "" {
		o.UserAgent = fetch.DefaultUserAgent
	}
	if o.Client == nil {
		o.Client = fetch.NewClient(fetch.Options{AllowPrivateNetworks: o.AllowPrivateNetworks, Timeout: o.Timeout, MaxRedirects: -1})
	}
	return o
}

// Alerter consumes EVENTS and delivers alerts. Create it with New, then
// call Run, never twice at once; after Run returned an error it may be
// called again (the service's supervisor does).
type Alerter struct {
	js     jetstream.JetStream
	opts   Options
	log    *slog.Logger
	now    func() time.Time
	owner  string // Node + "/" + a random run id
	reg    *registry
	send   *sender
	st     *stores
	queues *queues
	cons   jetstream.Consumer // set by Prepare
	saved  *savedRules
}

// New validates the config rules and returns an Alerter. The error joins
// a *RuleError for every problem, each naming the rule and field.
func New(js jetstream.JetStream, rules []config.Alert, opts Options) (*Alerter, error) {
	opts = opts.withDefaults()
	rs := make([]Rule, 0, len(rules))
	for _, r := range rules {
		rs = append(rs, FromConfig(r))
	}
	reg, err := newRegistry(rs, opts.Env, opts.Types)
	if err != nil {
		return nil, err
	}
	run := make([]byte, 4)
	_, _ = rand.Read(run)
	a := &Alerter{
		js: js, opts: opts, log: opts.Logger, now: clock(opts.Now), reg: reg,
		owner: opts.Node + "/" + hex.EncodeToString(run),
		send:  &sender{client: opts.Client, telegramAPI: opts.TelegramAPI, userAgent: opts.UserAgent},
	}
	a.queues = newQueues(a)
	a.saved = &savedRules{lookup: opts.SavedSearch, log: opts.Logger}
	return a, nil
}

// Run declares the buckets and the consumer, then consumes and delivers
// until ctx is done. It returns once every goroutine it started has
// stopped; a request in flight is allowed to finish (up to Timeout) so
// that a clean stop never leaves a delivery in doubt. It returns an error
// when it cannot start, and when consuming EVENTS stops on its own (the
// consumer or the stream was deleted): then everything it started is
// stopped first, and calling Run again prepares the consumer anew.
func (a *Alerter) Run(ctx context.Context) error {
	if a.cons == nil {
		if err := a.Prepare(ctx); err != nil {
			return err
		}
	}
	st, cons := a.st, a.cons
	// A later Run prepares again: the consumer may be what failed.
	a.cons = nil
	// Destination queues belong to this run: their workers stop with it.
	a.queues = newQueues(a)
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		wg      sync.WaitGroup
		consErr error
	)
	ready := make(chan struct{})
	wg.Go(func() {
		if err := a.reg.watch(ctx, st.rules, a.log, ready); err != nil {
			a.log.Error("alerter: rules watch stopped", "err", err)
		}
	})
	select { // API rules must be known before events are matched
	case <-ready:
	case <-ctx.Done():
	}
	wg.Go(func() { a.dispatchLoop(ctx, &wg) })
	wg.Go(func() { a.tickLoop(ctx) })
	wg.Go(func() { a.followCorrections(ctx) })
	wg.Go(func() {
		if consErr = a.consume(ctx, cons); consErr != nil {
			cancel()
		}
	})
	a.log.Info("alerter started", "rules", len(a.reg.all()), "owner", a.owner)
	wg.Wait()
	a.opts.Client.CloseIdleConnections()
	a.log.Info("alerter stopped", "owner", a.owner)
	return consErr
}

// Prepare declares the buckets and the durable consumer. Call it before
// anything publishes events the alerter must see: a consumer created for
// the first time starts with the events published after it (unless
// FromStart). Run calls it when it was not called.
func (a *Alerter) Prepare(ctx context.Context) error {
	st, err := openStores(ctx, a.js, a.opts.Replicas)
	if err != nil {
		return err
	}
	cons, err := a.consumer(ctx)
	if err != nil {
		return err
	}
	a.st, a.cons = st, cons
	return nil
}

func (a *Alerter) consumer(ctx context.Context) (jetstream.Consumer, error) {
	cfg := jetstream.ConsumerConfig{
		Durable: ConsumerName, AckPolicy: jetstream.AckExplicitPolicy, AckWait: a.opts.AckWait,
		MaxAckPending: 1000, FilterSubject: "events.>", DeliverPolicy: jetstream.DeliverNewPolicy,
	}
	if a.opts.FromStart {
		cfg.DeliverPolicy = jetstream.DeliverAllPolicy
	}
	if c, err := a.js.Consumer(ctx, bus.EventsStream, ConsumerName); err == nil {
		return c, nil
	}
	c, err := a.js.CreateOrUpdateConsumer(ctx, bus.EventsStream, cfg)
	if err != nil {
		return nil, fmt.Errorf("alerter: create consumer %s: %w", ConsumerName, err)
	}
	return c, nil
}

// consume reads event sets one by one until ctx is done (then it returns
// nil) or the consumer stops on its own (then it returns why). A message
// is acknowledged only after the deliveries and window entries of its
// matches are durable.
func (a *Alerter) consume(ctx context.Context, cons jetstream.Consumer) error {
	it, err := cons.Messages(jetstream.PullMaxMessages(200))
	if err != nil {
		return fmt.Errorf("alerter: consume %s: %w", bus.EventsStream, err)
	}
	stop := context.AfterFunc(ctx, it.Stop)
	defer stop()
	for {
		msg, err := it.Next()
		if ctx.Err() != nil {
			if msg != nil {
				_ = msg.Nak()
			}
			return nil
		}
		if err != nil {
			// Next returns only terminal errors (the consumer deleted, a
			// bad request), after which the iterator is closed.
			return fmt.Errorf("alerter: consume %s: %w", bus.EventsStream, err)
		}
		a.handle(ctx, msg)
	}
}

// handle matches one event set and records what each match owes. An
// undecodable set, or one whose processing failed on its bus.MaxDeliver-th
// delivery, goes to DEADLETTER (bus.GiveUp); other failures are retried,
// spaced by bus.RetryDelay.
func (a *Alerter) handle(ctx context.Context, msg jetstream.Msg) {
	var set event.Set
	if err := json.Unmarshal(msg.Data(), &set); err != nil {
		err = fmt.Errorf("decode event set on %s: %w", msg.Subject(), err)
		if r := bus.ReplayedFor(msg); r != "" && r != Stage {
			a.log.Warn("alerter: undecodable replay for another stage, acknowledged", "subject", msg.Subject(), "for", r, "err", err)
			_ = msg.Ack()
			return
		}
		a.giveUp(ctx, msg, err)
		return
	}
	var seq uint64
	if md, err := msg.Metadata(); err == nil {
		seq = md.Sequence.Stream
	}
	if err := a.process(ctx, set, seq); err != nil {
		if ctx.Err() != nil {
			return // redelivered to the next alerter after AckWait
		}
		if errors.Is(err, errConflict) {
			_ = msg.NakWithDelay(100 * time.Millisecond)
			return
		}
		if bus.Exhausted(msg) {
			a.giveUp(ctx, msg, err)
			return
		}
		a.log.Warn("alerter: event set not processed; will retry", "subject", msg.Subject(), "err", err)
		_ = msg.NakWithDelay(bus.RetryDelay(msg, a.opts.Backoff))
		return
	}
	if err := msg.Ack(); err != nil {
		a.log.Warn("alerter: ack", "subject", msg.Subject(), "err", err)
	}
}

// giveUp moves msg to DEADLETTER with reason; if that fails, msg is left
// unacknowledged and comes back after AckWait.
func (a *Alerter) giveUp(ctx context.Context, msg jetstream.Msg, reason error) {
	a.log.Error("alerter: giving up on event set", "subject", msg.Subject(), "err", reason)
	if err := bus.GiveUp(context.WithoutCancel(ctx), a.js, Stage, msg, reason); err != nil {
		a.log.Error("alerter: dead-letter", "err", err)
	}
}

// process claims what each rule matched in the set, once per rule and
// merged event: the timeline's event, which later sources and corrections
// update. seq is the set's stream sequence.
//
// The sources of the set's events are recorded (track) only when some
// current rule matches one of them with min_sources ignored: only then
// can a count, a follow-up, a correction or an alert's source links come
// of them. With no rules, or none matching, a set costs one KV read and no
// write, except that an article tracked before has every later set
// tracked, so that the merged events its events leave stop counting it. A rule therefore counts
// the sources that arrived while some rule matched their report; reports
// from before (no rule, or none matching them) are not counted. Rules come
// and go at runtime, so this is decided per set from the current rules.
//
// A set superseded by a later version of its article (a late redelivery)
// claims nothing: the index no longer shows it.
func (a *Alerter) process(ctx context.Context, set event.Set, seq uint64) error {
	rules := a.saved.effective(a.reg.all())
	if len(rules) == 0 {
		return a.untrack(ctx, set, seq)
	}
	// The search does not depend on the count (the Probe indexes the
	// event's own source_count), so matching with min_sources ignored and
	// applying it once the count is known is matching with the count.
	matches, err := matchSources(ctx, rules, set.Events, ignoreMinSources)
	if err != nil {
		return err
	}
	if len(matches) == 0 {
		return a.untrack(ctx, set, seq)
	}
	t, err := a.track(ctx, set, seq)
	if err != nil || t.stale {
		return err
	}
	for r, events := range matches {
		done := map[string]bool{}
		for _, e := range events {
			id := t.cluster[e.ID]
			if done[id] || !r.enoughSources(e, t.count(e.ID)) {
				continue
			}
			done[id] = true
			if err := a.claimMerged(ctx, r, e, id, t.sources[id], t.moved[id], t.former[id]); err != nil {
				return err
			}
		}
	}
	return nil
}

// ignoreMinSources is a sources func for matchSources under which every
// event has enough sources for any rule.
func ignoreMinSources(string) int { return math.MaxInt }

// tickLoop flushes ended digest windows.
func (a *Alerter) tickLoop(ctx context.Context) {
	t := time.NewTicker(a.opts.Tick)
	defer t.Stop()
	for {
		if err := a.flushDigests(ctx); err != nil && ctx.Err() == nil {
			a.log.Warn("alerter: flush digests", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
