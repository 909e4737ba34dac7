package alert

import (
	"fmt"
	"strings"
)

// mattermostMaxText is the longest post Mattermost accepts (runes).
const mattermostMaxText = 16383

// mattermostPayload is the Slack-compatible incoming-webhook payload.
type mattermostPayload struct {
	Text     string `json:"text"`
	Username string `json:"username,omitempty"`
}

// mattermostBody renders the message as Markdown in one post.
func mattermostBody(m Message) mattermostPayload {
	if m.Custom {
		return mattermostPayload{Text: cutText(m, mattermostMaxText), Username: "Dateline"}
	}
	var b strings.Builder
	b.WriteString("#### " + mdEscape(m.Heading) + "\n")
	for i, it := range m.Events {
		var e strings.Builder
		e.WriteString("\n**" + mdLink(it.ArticleURL, cut(it.Title, 300)) + "**  \n")
		e.WriteString(mdEscape(it.Date + " · " + it.Type))
		if it.Places != "" {
			e.WriteString(mdEscape(" · " + cut(it.Places, 300)))
		}
		if it.Sentence != "" {
			e.WriteString("\n> " + mdEscape(cut(it.Sentence, 2000)))
		}
		if it.Correction != "" {
			e.WriteString("\n*Corrected: " + mdEscape(cut(it.Correction, 500)) + "*")
		}
		e.WriteString(fmt.Sprintf("\n\n%d %s", it.Sources, plural(it.Sources, "source")))
		for i, u := range it.SourceURLs {
			e.WriteString(" · " + mdLink(u, fmt.Sprintf("source %d", i+1)))
		}
		if it.MoreSources > 0 {
			fmt.Fprintf(&e, " · +%d more", it.MoreSources)
		}
		if it.URL != "" {
			e.WriteString(" · " + mdLink(it.URL, "open in Dateline"))
		}
		e.WriteString("\n")
		if b.Len()+e.Len() > mattermostMaxText-200 {
			fmt.Fprintf(&b, "\n…and %d more %s %s", len(m.Events)-i, plural(len(m.Events)-i, "event"), mdLink(m.URL, "in Dateline"))
			break
		}
		b.WriteString(e.String())
	}
	return mattermostPayload{Text: b.String(), Username: "Dateline"}
}

// mdEscape escapes the Markdown characters that would change text.
func mdEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "_", `\_`, "`", "\\`", "[", `\[`, "]", `\]`, "<", `\<`, ">", `\>`, "#", `\#`).Replace(s)
}

// mdLink writes [text](url), or the escaped text alone without a URL.
func mdLink(url, text string) string {
	if url == "" {
		return mdEscape(text)
	}
	return "[" + mdEscape(text) + "](" + strings.NewReplacer("(", "%28", ")", "%29", " ", "%20").Replace(url) + ")"
}
