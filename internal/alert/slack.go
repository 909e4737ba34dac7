package alert

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Slack limits: https://api.slack.com/reference/block-kit/blocks
const (
	slackMaxBlocks  = 50
	slackMaxSection = 3000
	slackMaxHeader  = 150
	slackMaxText    = 3000 // the fallback text, kept short for notifications
)

type slackText struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type slackBlock struct {
	Type     string      `json:"type"`
	Text     *slackText  `json:"text,omitempty"`
	Elements []slackText `json:"elements,omitempty"`
}

type slackPayload struct {
	Text   string       `json:"text"`
	Blocks []slackBlock `json:"blocks"`
}

// slackEscape escapes the three characters mrkdwn reserves.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// slackLink writes <url|text>, or the text alone without a URL.
func slackLink(url, text string) string {
	if url == "" {
		return slackEscape(text)
	}
	return "<" + url + "|" + slackEscape(strings.ReplaceAll(text, "|", "/")) + ">"
}

// slackBody builds an incoming-webhook payload: a header, then a section
// and a context block per event, within 50 blocks and 3,000 characters a
// section; a rule template becomes plain sections instead.
func slackBody(m Message) slackPayload {
	p := slackPayload{Text: cutText(m, slackMaxText)}
	p.Blocks = append(p.Blocks, slackBlock{Type: "header", Text: &slackText{"plain_text", cut(m.Heading, slackMaxHeader)}})
	if m.Custom {
		for _, chunk := range chunks(slackEscape(m.Text), slackMaxSection) {
			if len(p.Blocks) == slackMaxBlocks {
				break
			}
			p.Blocks = append(p.Blocks, slackBlock{Type: "section", Text: &slackText{"mrkdwn", chunk}})
		}
		return p
	}
	for i, it := range m.Events {
		// Two blocks per event, and one kept for "more".
		if len(p.Blocks)+3 > slackMaxBlocks && i < len(m.Events) {
			more := fmt.Sprintf("…and %d more %s", len(m.Events)-i, plural(len(m.Events)-i, "event"))
			if m.URL != "" {
				more += " " + slackLink(m.URL, "in Dateline")
			}
			p.Blocks = append(p.Blocks, slackBlock{Type: "context", Elements: []slackText{{"mrkdwn", more}}})
			break
		}
		p.Blocks = append(p.Blocks,
			slackBlock{Type: "section", Text: &slackText{"mrkdwn", slackSection(it)}},
			slackBlock{Type: "context", Elements: []slackText{{"mrkdwn", slackContext(it)}}})
	}
	return p
}

func slackSection(it Item) string {
	var b strings.Builder
	b.WriteString("*" + slackLink(it.ArticleURL, cut(it.Title, 300)) + "*\n")
	b.WriteString(slackEscape(it.Date + " · " + it.Type))
	if it.Places != "" {
		b.WriteString(slackEscape(" · " + cut(it.Places, 300)))
	}
	if it.Sentence != "" {
		b.WriteString("\n>" + slackEscape(cut(it.Sentence, 2000)))
	}
	if it.Correction != "" {
		b.WriteString("\n_Corrected: " + slackEscape(cut(it.Correction, 500)) + "_")
	}
	return cut(b.String(), slackMaxSection)
}

// slackContext is the context line of an event: its source count, the
// source links that fit, and its links (the article's, Dateline's) kept
// whatever the number of sources, within a section's 3,000 characters.
func slackContext(it Item) string {
	head := fmt.Sprintf("%d %s", it.Sources, plural(it.Sources, "source"))
	tail := ""
	if it.ArticleURL != "" && len(it.SourceURLs) == 0 {
		tail += " · " + slackLink(it.ArticleURL, "article")
	}
	if it.URL != "" {
		tail += " · " + slackLink(it.URL, "open in Dateline")
	}
	links := sourceLinks(it, " · ", slackMaxSection-runeLen(head)-runeLen(tail), func(u string, i int) string {
		return slackLink(u, fmt.Sprintf("source %d", i+1))
	})
	return cut(head+links+tail, slackMaxSection)
}

func runeLen(s string) int { return utf8.RuneCountInString(s) }

// chunks splits s into pieces of at most n runes, at line ends when it can.
func chunks(s string, n int) []string {
	var out []string
	r := []rune(s)
	for len(r) > 0 {
		if len(r) <= n {
			out = append(out, string(r))
			break
		}
		end := n
		for i := n - 1; i > n/2; i-- {
			if r[i] == '\n' {
				end = i + 1
				break
			}
		}
		out = append(out, string(r[:end]))
		r = r[end:]
	}
	return out
}
