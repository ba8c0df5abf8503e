// Package botapi holds the Bot API objects as they travel in JSON, with the
// names of the Bot API reference (https://core.telegram.org/bots/api#available-types):
// the client decodes updates and answers with them, and the fake server of
// telegramtest sends them. Only the fields MigraWatch reads or a test sends
// are here, including those newer than the library's Bot API 5.5 types
// (is_forum, message_thread_id, is_topic_message, forward_origin); unknown
// fields are ignored, so a field Telegram adds later never breaks decoding.
package botapi

import "github.com/migrawatch/migrawatch/internal/news"

// User is a Telegram user or bot.
type User struct {
	ID           int64  `json:"id"`
	IsBot        bool   `json:"is_bot"`
	FirstName    string `json:"first_name"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

// Chat is a chat as messages and getChat describe it.
type Chat struct {
	ID        int64  `json:"id"`
	Type      string `json:"type"`
	Title     string `json:"title,omitempty"`
	Username  string `json:"username,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	IsForum   bool   `json:"is_forum,omitempty"`
}

// MessageEntity marks a span of a message's text (offsets in UTF-16 code units).
type MessageEntity struct {
	Type   string `json:"type"`
	Offset int    `json:"offset"`
	Length int    `json:"length"`
	URL    string `json:"url,omitempty"`
}

// Document is a general file attached to a message.
type Document struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileName     string `json:"file_name,omitempty"`
	MimeType     string `json:"mime_type,omitempty"`
	FileSize     int64  `json:"file_size,omitempty"`
}

// MessageOrigin is where a forwarded message came from (Bot API 7.0).
type MessageOrigin struct {
	Type      string `json:"type"`
	Date      int64  `json:"date"`
	Chat      *Chat  `json:"chat,omitempty"`
	MessageID int    `json:"message_id,omitempty"`
}

// InlineKeyboardButton is one button of an inline keyboard.
type InlineKeyboardButton struct {
	Text         string  `json:"text"`
	URL          *string `json:"url,omitempty"`
	CallbackData *string `json:"callback_data,omitempty"`
}

// InlineKeyboardMarkup is an inline keyboard.
type InlineKeyboardMarkup struct {
	InlineKeyboard [][]InlineKeyboardButton `json:"inline_keyboard"`
}

// Message is a message, as updates carry it and send methods answer it.
type Message struct {
	MessageID         int                   `json:"message_id"`
	MessageThreadID   int                   `json:"message_thread_id,omitempty"`
	IsTopicMessage    bool                  `json:"is_topic_message,omitempty"`
	From              *User                 `json:"from,omitempty"`
	SenderChat        *Chat                 `json:"sender_chat,omitempty"`
	Date              int64                 `json:"date"`
	Chat              Chat                  `json:"chat"`
	ForwardOrigin     *MessageOrigin        `json:"forward_origin,omitempty"`
	ForwardFromChat   *Chat                 `json:"forward_from_chat,omitempty"`
	Text              string                `json:"text,omitempty"`
	Entities          []MessageEntity       `json:"entities,omitempty"`
	Document          *Document             `json:"document,omitempty"`
	Caption           string                `json:"caption,omitempty"`
	MigrateToChatID   int64                 `json:"migrate_to_chat_id,omitempty"`
	MigrateFromChatID int64                 `json:"migrate_from_chat_id,omitempty"`
	ReplyMarkup       *InlineKeyboardMarkup `json:"reply_markup,omitempty"`
}

// CallbackQuery is a press on an inline keyboard button.
type CallbackQuery struct {
	ID           string   `json:"id"`
	From         User     `json:"from"`
	Message      *Message `json:"message,omitempty"`
	ChatInstance string   `json:"chat_instance"`
	Data         string   `json:"data,omitempty"`
}

// ChatMember is a user's standing in a chat (the ChatMember union, flattened).
type ChatMember struct {
	Status          string `json:"status"`
	User            User   `json:"user"`
	CanPostMessages *bool  `json:"can_post_messages,omitempty"`
	CanSendMessages *bool  `json:"can_send_messages,omitempty"`
}

// ChatMemberUpdated reports a change of a member's status.
type ChatMemberUpdated struct {
	Chat          Chat       `json:"chat"`
	From          User       `json:"from"`
	Date          int64      `json:"date"`
	OldChatMember ChatMember `json:"old_chat_member"`
	NewChatMember ChatMember `json:"new_chat_member"`
}

// Update is one incoming update. UpdateID is assigned by SendUpdate.
type Update struct {
	UpdateID      int                `json:"update_id"`
	Message       *Message           `json:"message,omitempty"`
	EditedMessage *Message           `json:"edited_message,omitempty"`
	ChannelPost   *Message           `json:"channel_post,omitempty"`
	CallbackQuery *CallbackQuery     `json:"callback_query,omitempty"`
	MyChatMember  *ChatMemberUpdated `json:"my_chat_member,omitempty"`
}

// File is the answer of getFile.
type File struct {
	FileID       string `json:"file_id"`
	FileUniqueID string `json:"file_unique_id"`
	FileSize     int64  `json:"file_size,omitempty"`
	FilePath     string `json:"file_path,omitempty"`
}

// BotCommand is one entry of the command menu (setMyCommands).
type BotCommand struct {
	Command     string `json:"command"`
	Description string `json:"description"`
}

// Keyboard is the inline keyboard of rows of buttons: each opens its URL,
// or else sends its Data back as a callback query.
func Keyboard(rows [][]news.Button) InlineKeyboardMarkup {
	kb := InlineKeyboardMarkup{InlineKeyboard: make([][]InlineKeyboardButton, 0, len(rows))}
	for _, row := range rows {
		r := make([]InlineKeyboardButton, 0, len(row))
		for _, b := range row {
			btn := InlineKeyboardButton{Text: b.Text}
			if b.URL != "" {
				btn.URL = &b.URL
			} else {
				btn.CallbackData = &b.Data
			}
			r = append(r, btn)
		}
		kb.InlineKeyboard = append(kb.InlineKeyboard, r)
	}
	return kb
}
