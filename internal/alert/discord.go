package alert

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Discord limits: https://discord.com/developers/docs/resources/message#embed-object-embed-limits
const (
	discordMaxContent     = 2000
	discordMaxEmbeds      = 10
	discordMaxTitle       = 256
	discordMaxDescription = 4096
	discordMaxTotal       = 6000
)

type discordEmbed struct {
	Title       string `json:"title,omitempty"`
	URL         string `json:"url,omitempty"`
	Description string `json:"description,omitempty"`
}

type discordPayload struct {
	Content  string         `json:"content"`
	Username string         `json:"username,omitempty"`
	Embeds   []discordEmbed `json:"embeds,omitempty"`
	// AllowedMentions is empty so text from articles never pings anyone.
	AllowedMentions struct {
		Parse []string `json:"parse"`
	} `json:"allowed_mentions"`
}

// discordBody renders a heading as content and one embed per event, within
// 10 embeds and 6,000 characters of embed text in all.
func discordBody(m Message) discordPayload {
	p := discordPayload{Username: "Dateline"}
	p.AllowedMentions.Parse = []string{}
	if m.Custom {
		p.Content = cutText(m, discordMaxContent)
		return p
	}
	total := 0
	shown := 0
	for _, it := range m.Events {
		if len(p.Embeds) == discordMaxEmbeds {
			break
		}
		e := discordEmbed{Title: cut(it.Title, discordMaxTitle), URL: it.ArticleURL, Description: discordDescription(it)}
		n := utf8.RuneCountInString(e.Title) + utf8.RuneCountInString(e.Description)
		if total+n > discordMaxTotal {
			break // counted in "…and N more", linked to Dateline
		}
		total += n
		p.Embeds = append(p.Embeds, e)
		shown++
	}
	content := m.Heading
	if rest := len(m.Events) - shown; rest > 0 {
		content += fmt.Sprintf("\n…and %d more %s", rest, plural(rest, "event"))
		if m.URL != "" {
			content += " in Dateline: <" + m.URL + ">"
		}
	}
	p.Content = cut(content, discordMaxContent)
	return p
}

// discordDescription is an embed's text: date, type, places, evidence,
// source count, the source links that fit and the event's link in
// Dateline, kept within 4,096 characters.
func discordDescription(it Item) string {
	tail := ""
	if it.URL != "" {
		tail = " · " + mdLink(it.URL, "open in Dateline")
	}
	var b strings.Builder
	b.WriteString(mdEscape(it.Date + " · " + it.Type))
	if it.Places != "" {
		b.WriteString(mdEscape(" · " + cut(it.Places, 300)))
	}
	if it.Sentence != "" {
		b.WriteString("\n> " + mdEscape(cut(it.Sentence, 2000)))
	}
	if it.Correction != "" {
		b.WriteString("\n*Corrected: " + mdEscape(cut(it.Correction, 500)) + "*")
	}
	head := cut(b.String(), discordMaxDescription/2) + fmt.Sprintf("\n%d %s", it.Sources, plural(it.Sources, "source"))
	links := sourceLinks(it, " · ", discordMaxDescription-utf8.RuneCountInString(head+tail), func(u string, i int) string {
		return mdLink(u, fmt.Sprintf("source %d", i+1))
	})
	return cut(head+links+tail, discordMaxDescription)
}
