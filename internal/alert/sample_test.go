package alert

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/dateline/dateline/internal/config"
)

func TestSendTest(t *testing.T) {
	t.Parallel()
	tg := newReceiver(t, func(_ int, w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/bot123:tgsecret/sendMessage" {
			w.WriteHeader(404)
			return
		}
		w.Write([]byte(`{"ok":true,"result":{}}`))
	})
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close() // connection refused
	r := config.Alert{Name: "r", Destinations: []config.Destination{
		{Kind: KindTelegram, Token: "123:tgsecret", ChatID: "-100"},
		{Kind: KindSlack, URL: gone.URL + "/services/T/B/slacksecret"},
		{Kind: KindDiscord, URL: tg.URL + "/api/webhooks/1/discordsecret"}, // 404
	}}
	opts := testOptions(&syncBuffer{})
	opts.TelegramAPI = tg.URL
	res, err := SendTest(context.Background(), r, opts)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 || res[0].Err != nil || res[0].Status != 200 || res[1].Err == nil || res[2].Status != 404 {
		t.Fatalf("results = %+v; want telegram ok, slack unreachable, discord 404", res)
	}
	var all strings.Builder
	for _, x := range res {
		all.WriteString(x.Destination + " ")
		if x.Err != nil {
			all.WriteString(x.Err.Error() + " ")
		}
	}
	assertNoSecrets(t, all.String(), "tgsecret", "slacksecret", "discordsecret")
	var p telegramPayload
	mustJSON(t, tg.requests()[0].Body, &p)
	if p.ChatID != "-100" || !strings.Contains(p.Text, "Test message from Dateline") {
		t.Errorf("telegram payload = %+v", p)
	}
}

func TestSSRFGuardRefusesPrivateDestinations(t *testing.T) {
	t.Parallel()
	rc := newReceiver(t, nil)
	opts := testOptions(&syncBuffer{})
	opts.AllowPrivateNetworks = false
	res, err := SendTest(context.Background(), config.Alert{Name: "r", Destinations: []config.Destination{{Kind: KindSlack, URL: rc.URL + "/x"}}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Err == nil || !strings.Contains(res[0].Err.Error(), "refusing to connect") || rc.count() != 0 {
		t.Errorf("a loopback destination was not refused: %+v", res[0])
	}
}
