package alert

import (
	"context"
	"errors"
	"net"
	"net/url"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/config"
	"github.com/dateline/dateline/internal/fetch"
	"github.com/dateline/dateline/internal/fetch/fetchtest"
)

// TestSendRefusesLoopback checks every destination kind goes through the
// fetch SSRF guard: with AllowPrivateNetworks false a loopback destination
// is refused with the typed error, which names no secret, and no
// connection reaches the loopback listener.
func TestSendRefusesLoopback(t *testing.T) {
	t.Parallel()
	trap, err := fetchtest.NewTrap(t, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + trap.Addr()
	whsec := "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
	opts := testOptions(&syncBuffer{})
	opts.AllowPrivateNetworks = false
	opts.TelegramAPI = base
	tests := []struct {
		name    string
		dest    config.Destination
		secrets []string
	}{
		{"slack", config.Destination{Kind: KindSlack, URL: base + "/services/T0/B0/slacksecret"}, []string{"slacksecret"}},
		{"discord", config.Destination{Kind: KindDiscord, URL: base + "/api/webhooks/1/discordsecret"}, []string{"discordsecret"}},
		{"teams", config.Destination{Kind: KindTeams, URL: base + "/webhookb2/teamssecret"}, []string{"teamssecret"}},
		{"mattermost", config.Destination{Kind: KindMattermost, URL: base + "/hooks/mmsecret"}, []string{"mmsecret"}},
		{"webhook", config.Destination{Kind: KindWebhook, URL: base + "/hooks/whsecretpath", Secret: whsec}, []string{"whsecretpath", whsec}},
		{"telegram", config.Destination{Kind: KindTelegram, Token: "123:tgsecret", ChatID: "-100"}, []string{"tgsecret"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := SendTest(context.Background(), config.Alert{Name: "r", Destinations: []config.Destination{tt.dest}}, opts)
			if err != nil {
				t.Fatal(err)
			}
			got := res[0].Err
			var fe *fetch.ForbiddenAddressError
			if !errors.Is(got, fetch.ErrForbiddenAddress) || !errors.As(got, &fe) {
				t.Fatalf("result %+v, want a *fetch.ForbiddenAddressError", res[0])
			}
			if fe.Addr != trap.Addr() {
				t.Errorf("refused %s, want %s", fe.Addr, trap.Addr())
			}
			assertNoSecrets(t, got.Error(), tt.secrets...)
		})
	}
	if n := trap.Intruders(t); n != 0 {
		t.Errorf("%d connections reached the loopback listener", n)
	}
}

// TestScrubKeepsForbiddenType checks a guard refusal that names the
// destination URL loses the secret but keeps its type and is not retried.
func TestScrubKeepsForbiddenType(t *testing.T) {
	t.Parallel()
	d := &dest{Destination: Destination{Kind: KindSlack, URL: "https://hooks.example/services/T0/B0/slacksecret"}}
	refusal := &url.Error{Op: "Post", URL: d.URL, Err: &net.OpError{Op: "dial", Net: "tcp", Err: &fetch.ForbiddenAddressError{
		URL: d.URL, Addr: "127.0.0.1:443", Reason: errors.New("prohibited IPv4 address"),
	}}}
	o := transportOutcome(context.Background(), d, refusal)
	var fe *fetch.ForbiddenAddressError
	if o.result != resultFail || !errors.As(o.err, &fe) || fe.Addr != "127.0.0.1:443" {
		t.Fatalf("outcome %+v, want a final failure holding the *fetch.ForbiddenAddressError", o)
	}
	if !strings.Contains(o.err.Error(), "https://hooks.example/"+redacted) {
		t.Errorf("error %q does not name the redacted URL", o.err)
	}
	assertNoSecrets(t, o.err.Error(), "slacksecret", "/services/T0")
}
