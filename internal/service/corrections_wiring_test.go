package service_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestServeWiresCorrections: a served Dateline stores corrections (the
// API answers 503 when none is wired): with the admin token an event's
// correction is refused for the unknown event, not for want of a store,
// and the list answers.
func TestServeWiresCorrections(t *testing.T) {
	t.Parallel()
	_, _, _, base := supervisedService(t)
	if err := wantStatus(t, base+"/api/v1/corrections", http.StatusOK, `"corrections"`); err != nil {
		t.Fatal(err)
	}
	code, body := do(t, "PUT", base+"/api/v1/events/no-such-event/correction", "tok", `{"hidden":true}`)
	if code != http.StatusNotFound || strings.Contains(body, "not configured") {
		t.Errorf("PUT correction of an unknown event = %d %s, want 404", code, body)
	}
}
