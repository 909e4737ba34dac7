package alert

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"strconv"
	"time"

	"github.com/dateline/dateline/internal/event"
)

// webhookMaxEvents bounds the events in one generic webhook body.
const webhookMaxEvents = 100

// webhookPayload follows the Standard Webhooks payload shape: type,
// timestamp, data.
type webhookPayload struct {
	Type      string      `json:"type"`
	Timestamp time.Time   `json:"timestamp"`
	Data      webhookData `json:"data"`
}

type webhookData struct {
	Rule    string        `json:"rule"`
	Kind    string        `json:"kind"`
	Heading string        `json:"heading"`
	Text    string        `json:"text"`
	URL     string        `json:"url,omitempty"`
	Events  []webhookItem `json:"events"`
	More    int           `json:"more,omitempty"`
}

type webhookItem struct {
	event.Event
	DatelineURL string `json:"dateline_url,omitempty"`
}

func webhookBody(m Message, created time.Time) webhookPayload {
	p := webhookPayload{Type: "dateline.alert." + m.Kind, Timestamp: created.UTC(), Data: webhookData{
		Rule: m.Rule, Kind: m.Kind, Heading: m.Heading, Text: m.Text, URL: m.URL, Events: []webhookItem{},
	}}
	for i, it := range m.Events {
		if i == webhookMaxEvents {
			p.Data.More = len(m.Events) - i
			break
		}
		p.Data.Events = append(p.Data.Events, webhookItem{Event: it.Event, DatelineURL: it.URL})
	}
	return p
}

// signWebhook sets the Standard Webhooks headers: webhook-id (the same on
// every attempt of a delivery, so receivers can drop duplicates),
// webhook-timestamp and webhook-signature, "v1," and the base64
// HMAC-SHA256 of "id.timestamp.body".
func signWebhook(h http.Header, key []byte, id string, at time.Time, body []byte) {
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(id + "." + ts + "."))
	mac.Write(body)
	h.Set("webhook-id", id)
	h.Set("webhook-timestamp", ts)
	h.Set("webhook-signature", "v1,"+base64.StdEncoding.EncodeToString(mac.Sum(nil)))
}
