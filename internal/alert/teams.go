package alert

import (
	"encoding/json"
	"fmt"
	"strings"
)

// teamsMaxEvents and teamsMaxBytes bound one card, inside the 28 KB a
// Teams message may take.
const (
	teamsMaxEvents = 20
	teamsMaxBytes  = 24 << 10
)

type teamsElement struct {
	Type     string         `json:"type"`
	Text     string         `json:"text,omitempty"`
	Weight   string         `json:"weight,omitempty"`
	Size     string         `json:"size,omitempty"`
	Wrap     bool           `json:"wrap,omitempty"`
	IsSubtle bool           `json:"isSubtle,omitempty"`
	Spacing  string         `json:"spacing,omitempty"`
	Items    []teamsElement `json:"items,omitempty"`
}

type teamsAction struct {
	Type  string `json:"type"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

type teamsCard struct {
	Schema  string         `json:"$schema"`
	Type    string         `json:"type"`
	Version string         `json:"version"`
	Body    []teamsElement `json:"body"`
	Actions []teamsAction  `json:"actions,omitempty"`
}

type teamsAttachment struct {
	ContentType string    `json:"contentType"`
	ContentURL  *string   `json:"contentUrl"`
	Content     teamsCard `json:"content"`
}

type teamsPayload struct {
	Type        string            `json:"type"`
	Attachments []teamsAttachment `json:"attachments"`
}

// teamsBody renders an Adaptive Card in the message envelope a Teams
// Workflows ("Post to a channel when a webhook request is received")
// webhook expects.
func teamsBody(m Message) teamsPayload {
	card := teamsCard{
		Schema: "http://adaptivecards.io/schemas/adaptive-card.json", Type: "AdaptiveCard", Version: "1.4",
		Body: []teamsElement{{Type: "TextBlock", Text: cut(m.Heading, 300), Weight: "Bolder", Size: "Medium", Wrap: true}},
	}
	if m.Custom {
		card.Body = append(card.Body, teamsElement{Type: "TextBlock", Text: cutBytes(m.Text, teamsMaxBytes-2<<10), Wrap: true})
	} else {
		size := 0
		for i, it := range m.Events {
			el := teamsItem(it)
			raw, _ := json.Marshal(el)
			size += len(raw)
			if i == teamsMaxEvents || size > teamsMaxBytes {
				rest := len(m.Events) - i
				card.Body = append(card.Body, teamsElement{Type: "TextBlock", Text: fmt.Sprintf("…and %d more %s", rest, plural(rest, "event")), IsSubtle: true, Wrap: true})
				break
			}
			card.Body = append(card.Body, el)
		}
	}
	if m.URL != "" {
		card.Actions = []teamsAction{{Type: "Action.OpenUrl", Title: "Open in Dateline", URL: m.URL}}
	}
	return teamsPayload{Type: "message", Attachments: []teamsAttachment{{ContentType: "application/vnd.microsoft.card.adaptive", Content: card}}}
}

func teamsItem(it Item) teamsElement {
	meta := it.Date + " · " + it.Type
	if it.Places != "" {
		meta += " · " + cut(it.Places, 300)
	}
	links := []string{fmt.Sprintf("%d %s", it.Sources, plural(it.Sources, "source"))}
	for i, u := range it.SourceURLs {
		links = append(links, mdLink(u, fmt.Sprintf("source %d", i+1)))
	}
	if it.MoreSources > 0 {
		links = append(links, fmt.Sprintf("+%d more", it.MoreSources))
	}
	if it.ArticleURL != "" && len(it.SourceURLs) == 0 {
		links = append(links, mdLink(it.ArticleURL, "article"))
	}
	if it.URL != "" {
		links = append(links, mdLink(it.URL, "open in Dateline"))
	}
	items := []teamsElement{
		{Type: "TextBlock", Text: cut(it.Title, 300), Weight: "Bolder", Wrap: true},
		{Type: "TextBlock", Text: meta, IsSubtle: true, Spacing: "None", Wrap: true},
	}
	if it.Sentence != "" {
		items = append(items, teamsElement{Type: "TextBlock", Text: cut(it.Sentence, 1000), Wrap: true})
	}
	if it.Correction != "" {
		items = append(items, teamsElement{Type: "TextBlock", Text: "Corrected: " + cut(it.Correction, 500), Wrap: true})
	}
	items = append(items, teamsElement{Type: "TextBlock", Text: strings.Join(links, " · "), IsSubtle: true, Wrap: true})
	return teamsElement{Type: "Container", Spacing: "Medium", Items: items}
}
