package alert

import "strings"

// telegramMaxText is the longest text sendMessage accepts.
const telegramMaxText = 4096

// DefaultTelegramAPI is the Telegram Bot API base URL.
const DefaultTelegramAPI = "https://api.telegram.org"

type telegramPayload struct {
	ChatID             string `json:"chat_id"`
	Text               string `json:"text"`
	LinkPreviewOptions struct {
		IsDisabled bool `json:"is_disabled"`
	} `json:"link_preview_options"`
}

// telegramBody is a plain-text sendMessage call (no parse mode, so
// nothing in an article can break the formatting).
func telegramBody(chatID string, m Message) telegramPayload {
	p := telegramPayload{ChatID: chatID, Text: cutText(m, telegramMaxText)}
	p.LinkPreviewOptions.IsDisabled = true
	return p
}

// telegramURL is the sendMessage endpoint of a bot. It holds the token:
// it is a secret.
func telegramURL(base, token string) string {
	if base == "" {
		base = DefaultTelegramAPI
	}
	return strings.TrimRight(base, "/") + "/bot" + token + "/sendMessage"
}
