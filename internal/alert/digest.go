package alert

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/dateline/dateline/internal/event"
)

// digestGrace is how long after its end a digest window is sent. A claim
// puts an event into a window only before the window ends (see emit), so
// the grace covers the time its write takes and the clocks of other
// alerters being a little apart.
const digestGrace = 5 * time.Second

// flushDigests sends every digest window that ended digestGrace ago: one
// delivery per destination listing the window's events, then the entries
// are dropped. Entries of a rule that no longer exists are dropped too.
// The delivery id names the window, so a flush repeated after a crash
// sends nothing new.
func (a *Alerter) flushDigests(ctx context.Context) error {
	ks, err := keys(ctx, a.st.windows, "digest.>")
	if err != nil {
		return err
	}
	type window struct {
		rule string
		end  int64
	}
	groups := map[window][]string{}
	now := a.now().Add(-digestGrace)
	for _, k := range ks {
		parts := strings.SplitN(k, ".", 4) // digest.<rule>.<end>.<subject>
		if len(parts) != 4 {
			continue
		}
		end, err := strconv.ParseInt(parts[2], 10, 64)
		if err != nil || time.Unix(end, 0).After(now) {
			continue
		}
		w := window{parts[1], end}
		groups[w] = append(groups[w], k)
	}
	for w, ks := range groups {
		r := a.reg.byID(w.rule)
		entries, err := a.loadWindow(ctx, ks)
		if err != nil {
			return err
		}
		if r != nil && len(entries) > 0 {
			events := make([]event.Event, 0, len(entries))
			for _, e := range entries {
				events = append(events, e.Event)
			}
			if err := a.deliver(ctx, r, kindDigest, "d"+strconv.FormatInt(w.end, 10), events); err != nil {
				return fmt.Errorf("digest of rule %q: %w", r.Name, err)
			}
		}
		for _, e := range entries {
			if err := deleteKey(ctx, a.st.windows, e.key); err != nil {
				return err
			}
		}
	}
	return nil
}
