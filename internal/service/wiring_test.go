package service

import (
	"testing"
	"time"

	"github.com/dateline/dateline/internal/config"
)

// TestPollerOptionsFromConfig: the config's values reach the poller, and a
// 0 in the config means none rather than the poller's own default.
func TestPollerOptionsFromConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		edit         func(*config.Fetch)
		wantRedirect int           // the poller's MaxRedirects
		wantSpacing  time.Duration // the poller's PerHostSpacing
	}{
		{"defaults", func(*config.Fetch) {}, 5, time.Second},
		{"no redirect", func(f *config.Fetch) { f.MaxRedirects = 0 }, -1, time.Second},
		{"three redirects", func(f *config.Fetch) { f.MaxRedirects = 3 }, 3, time.Second},
		{"no spacing", func(f *config.Fetch) { f.PerHostSpacing = 0 }, 5, -1},
		{"spacing 2s", func(f *config.Fetch) { f.PerHostSpacing = config.Duration(2 * time.Second) }, 5, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := config.Default().Fetch
			tt.edit(&f)
			o := pollerOptions(f)
			if o.MaxRedirects != tt.wantRedirect {
				t.Errorf("MaxRedirects = %d, want %d", o.MaxRedirects, tt.wantRedirect)
			}
			if o.PerHostSpacing != tt.wantSpacing {
				t.Errorf("PerHostSpacing = %v, want %v", o.PerHostSpacing, tt.wantSpacing)
			}
			if o.PerHostConcurrency != f.PerHostConcurrency || o.Workers != f.Workers || o.Interval != f.PollInterval.D() {
				t.Errorf("options %+v do not carry the config %+v", o, f)
			}
		})
	}
}
