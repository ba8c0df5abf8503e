package news

import (
	"errors"
	"fmt"
	"time"
)

// Errors a message sender reports, so that delivery and the bot can branch on
// them without importing the Telegram client.
var (
	// ErrChatGone means the chat can no longer receive messages: the bot was
	// blocked, kicked, or the chat was deleted or deactivated (HTTP 403, or 400
	// "chat not found").
	ErrChatGone = errors.New("chat is gone")
	// ErrBadMarkup means Telegram could not parse the message's entities.
	ErrBadMarkup = errors.New("message markup rejected")
	// ErrTooLong means the message exceeds Telegram's length limits.
	ErrTooLong = errors.New("message too long")
	// ErrTransient means a failure worth retrying later (5xx, network, timeout).
	ErrTransient = errors.New("transient failure")
)

// RetryAfterError is Telegram's flood control answer (HTTP 429): wait After
// before sending again. Global is true when the limit applies to the whole token.
type RetryAfterError struct {
	After  time.Duration
	Global bool
}

func (e *RetryAfterError) Error() string {
	return fmt.Sprintf("flood control: retry after %s", e.After)
}

// ChatMigratedError says a group was upgraded to a supergroup with a new id.
type ChatMigratedError struct {
	To int64
}

func (e *ChatMigratedError) Error() string {
	return fmt.Sprintf("group chat was upgraded to a supergroup chat %d", e.To)
}
