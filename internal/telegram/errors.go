package telegram

import (
	"fmt"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/migrawatch/migrawatch/internal/news"
)

// APIError is an answer of the Bot API with ok=false. It unwraps to the class
// callers branch on (news.ErrChatGone, news.ErrBadMarkup, news.ErrTooLong,
// news.ErrTransient, *news.RetryAfterError, *news.ChatMigratedError) when the
// error belongs to one; otherwise it only carries Telegram's description.
type APIError struct {
	Method      string
	Code        int
	Description string
	class       error
}

func (e *APIError) Error() string {
	return fmt.Sprintf("telegram %s: %d %s", e.Method, e.Code, e.Description)
}

// Unwrap returns the error class, or nil for an unclassified answer.
func (e *APIError) Unwrap() error { return e.class }

// classify maps an error answer to its class. The descriptions are those the
// Bot API documents and sends ("Forbidden: bot was blocked by the user",
// "Bad Request: chat not found", ...); parameters carry retry_after and
// migrate_to_chat_id (Bot API, ResponseParameters).
func classify(method string, code int, desc string, p *tgbotapi.ResponseParameters) *APIError {
	e := &APIError{Method: method, Code: code, Description: desc}
	low := strings.ToLower(desc)
	switch {
	case p != nil && p.MigrateToChatID != 0:
		e.class = &news.ChatMigratedError{To: p.MigrateToChatID}
	case code == 429:
		after := time.Second
		if p != nil && p.RetryAfter > 0 {
			after = time.Duration(p.RetryAfter) * time.Second
		}
		e.class = &news.RetryAfterError{After: after}
	case code == 403:
		// Blocked, kicked, user deactivated, not a member, chat deleted: the
		// chat cannot receive messages until it takes the bot back.
		e.class = news.ErrChatGone
	case code == 400 && (strings.Contains(low, "chat not found") ||
		strings.Contains(low, "group chat was deactivated") ||
		strings.Contains(low, "user is deactivated")):
		e.class = news.ErrChatGone
	case code == 400 && strings.Contains(low, "can't parse entities"):
		e.class = news.ErrBadMarkup
	case code == 400 && (strings.Contains(low, "message is too long") ||
		strings.Contains(low, "text is too long") ||
		strings.Contains(low, "caption is too long")):
		e.class = news.ErrTooLong
	case code >= 500:
		e.class = news.ErrTransient
	}
	return e
}
