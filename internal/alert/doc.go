// Package alert posts events that match alert rules to chat platforms and
// signed webhooks: Slack, Discord, Microsoft Teams (Workflows), Mattermost,
// Telegram and Standard Webhooks receivers.
//
// # Rules
//
// A rule (config file alerts:, or the API) has the filters of a search
// (query string, types, actors, places, statuses, min_sources,
// min_confidence) or names a saved search whose filters it takes, a mode
// and destinations. Rules are validated when
// loaded: the query is parsed with the search syntax, templates are
// compiled and executed over a sample, destinations are checked; every
// problem is a *RuleError naming the rule and the field. Modes:
//
//   - immediate: one message per matching event;
//   - digest: one message per window listing its events, sent a few
//     seconds after the window ends; the window is fixed (window: 1h) or
//     ends at each time of a schedule (schedule: "08:00" or a cron
//     expression) in a time zone. Each event is listed in one digest: a
//     redelivery after the window ended leaves it in the window (or the
//     digest) it is already in, and an entry written after its window
//     was sent goes out in a further part of that window's digest;
//   - threshold: one message when threshold events arrive within window.
//
// An alert is about the timeline's event (the merged event, below), once
// per rule and destination. follow_ups sends another message when an
// event already alerted is updated: a new source reports it, or its
// article corrects its date or status; without follow_ups updates send
// nothing.
//
// # Sources across articles
//
// Each EVENTS message carries one article's events, while the index
// merges the reports of one happening from several articles into one
// event. Which merged event an event belongs to is the index's answer
// (Options.Identity: the id the timeline, the live stream and the API
// show, and the ids that event absorbed) where the alerter's process runs
// the indexer; elsewhere it is the exact key of the report's group
// (Options.ClusterID, index.ClusterID by default), which does not join
// compatible reports with different keys. When some rule matches one of a
// set's events (min_sources aside), the alerter, before claiming, records
// in SourcesBucket, with compare-and-set, each of the set's events as a
// member of its merged event, and removes the article's
// members from merged events its earlier set contributed to and this one
// no longer does (an article record keeps those ids; a set older in the
// stream than the last one tracked for its article changes nothing). So
// the bucket knows, per merged event, the articles and feeds reporting it
// so far. Its records expire, like seen marks, 30 days after their last
// change. A set that moves an article's event to another merged event of
// the same type, actors and first place (a corrected date or status) is
// recorded as a correction of the merged event it left.
//
// A set that no rule matches is not recorded (with no rules at all, the
// alerter does no KV work for it), unless its article was recorded
// before: then it is, so the merged events its events leave stop counting
// it. So a rule counts the sources that arrived while some rule matched
// their report; sources reported before such a rule existed (or that no
// rule matched) are not counted, and a rule added later may need more
// reports than the timeline's source_count suggests.
//
// Every rule claims per (rule, merged id, destination): its alert is
// about the merged event (its id, the source count, links to its
// sources, up to ten in a chat message). It is sent when the first matching report arrives, or,
// with min_sources N above 1, when the N-th distinct source does (feeds,
// an article without a feed counting as its own, as the index's
// source_count); a later source, a redelivery or a restart sends nothing
// more. With follow_ups, a change in the set of sources sends one update,
// and the merged event a correction moves to is sent as an update of an
// alerted one. A set superseded by a later set of its article claims
// nothing.
//
// # Analysts' corrections
//
// With Options.Corrections (the corrections bucket), a worker gives each
// event of a delivery its current correction just before sending: a
// delivery whose events were all marked wrong (hidden) is cancelled
// (StatusCancelled), not sent; a corrected event is told with the
// analyst's type, dates and actors and what changed. An event an
// immediate rule alerted that is corrected afterwards gets one follow-up
// of kind "correction" per version of the correction, to each
// destination the alert was sent to (see corrected.go).
//
// # Delivery, exactly once
//
// The Alerter is a durable JetStream consumer ("alerter") of EVENTS. For
// each match it writes, in JetStream KV, a pending marker and then a
// Delivery record per destination whose creation is the claim; it acks
// the event set only after that. A redelivery, a restart or a second
// alerter finds the record and does not claim again. Workers, one per
// destination with its own rate limit, take a delivery by moving its
// record to "sending" with a compare-and-set (so two alerters never both
// send it), post it, and record "sent". Timeouts, 5xx and 429 are
// retried with exponential backoff and jitter, honouring Retry-After and
// retry_after; other 4xx fail at once; 410 also disables the destination.
// A failed delivery is a dead letter, listed by the API and replayable.
// If an alerter dies while a request is in flight, nobody can know
// whether it arrived. A generic webhook is then sent again by the next
// alerter to take the delivery, with the same webhook-id (and a fresh
// timestamp and signature), which Standard Webhooks receivers deduplicate
// on. A chat message has no such id: it is failed as "interrupted" rather
// than posted twice, and an operator may replay it. A clean stop lets
// requests in flight finish.
//
// Webhook URLs, tokens and secrets are never logged; errors are scrubbed
// of them and the API returns them redacted.
//
// # Wiring
//
// In the service, for the alerter role:
//
//	a, err := alert.New(b.JS, cfg.Alerts, alert.Options{
//		PublicURL:            cfg.PublicURL,
//		AllowPrivateNetworks: cfg.Fetch.AllowPrivateNetworks,
//		Node:                 cfg.NATS.Node,
//		Replicas:             cfg.NATS.Replicas,
//		Logger:               log.With("role", "alerter"),
//	})
//	if err != nil { return err } // names each bad rule and field
//	go func() { errc <- a.Run(ctx) }() // returns when ctx is done, goroutines stopped
//
// In the API (behind the admin token check):
//
//	h, err := alert.NewHandler(ctx, b.JS, cfg.Alerts, alert.HandlerOptions{Logger: log})
//	mux.Handle("/api/v1/alerts", adminOnly(h))
//	mux.Handle("/api/v1/alerts/", adminOnly(h))
//
// The command line's "dateline alerts test NAME" calls SendTest.
package alert
