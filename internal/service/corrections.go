package service

import (
	"context"
	"fmt"

	"github.com/dateline/dateline/internal/api"
	"github.com/dateline/dateline/internal/corrections"
	"github.com/dateline/dateline/internal/event"
)

// correctionsRole names the role that applies analysts' corrections to
// this replica's index.
const correctionsRole = "corrections"

// resolve is the alerter's Options.Resolve: the index's current id of an
// event id and the ids it absorbed, where this process runs the indexer.
func (s *Service) resolve() func(context.Context, string) (string, []string, bool, error) {
	if s.ix == nil || !s.roles["indexer"] {
		return nil
	}
	ix := s.ix
	return func(ctx context.Context, id string) (string, []string, bool, error) {
		e, found, err := ix.Get(ctx, id)
		if err != nil || !found {
			return "", nil, false, err
		}
		return e.ID, e.FormerIDs, true, nil
	}
}

// followCorrections returns the corrections role: it watches the
// corrections bucket, gives the index every correction at start
// (SetCorrections rewrites what changed while this replica was away, or
// what a rebuild did not have) and each change after, and sends the live
// stream the events rewritten, as updates. Each replica runs its own, so
// every index converges on the bucket.
func (s *Service) followCorrections(broker *api.Broker) func(context.Context) error {
	return func(ctx context.Context) error {
		store, err := corrections.Open(ctx, s.bus.JS, s.cfg.NATS.Replicas)
		if err != nil {
			return fmt.Errorf("corrections: %w", err)
		}
		publish := func(evs []event.Event) {
			if len(evs) > 0 && broker != nil {
				broker.PublishCorrected(evs)
			}
		}
		return store.Watch(ctx,
			func(ctx context.Context, cs []corrections.Correction) error {
				evs, err := s.ix.SetCorrections(ctx, cs)
				if err != nil {
					return fmt.Errorf("apply %d corrections: %w", len(cs), err)
				}
				s.log.Info("corrections applied", "corrections", len(cs), "events_rewritten", len(evs))
				publish(evs)
				return nil
			},
			func(ctx context.Context, ch corrections.Change) error {
				evs, err := s.ix.Correct(ctx, ch.EventID, ch.Correction)
				if err != nil {
					return fmt.Errorf("apply the correction of event %s: %w", ch.EventID, err)
				}
				publish(evs)
				return nil
			})
	}
}
