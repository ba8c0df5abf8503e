package telegramtest

import "github.com/migrawatch/migrawatch/internal/telegram/botapi"

// The Bot API objects the fake server sends are the client's own
// (package botapi); their names here let a test build an unusual update for
// SendUpdate.
type (
	User                 = botapi.User
	Chat                 = botapi.Chat
	MessageEntity        = botapi.MessageEntity
	Document             = botapi.Document
	MessageOrigin        = botapi.MessageOrigin
	InlineKeyboardButton = botapi.InlineKeyboardButton
	InlineKeyboardMarkup = botapi.InlineKeyboardMarkup
	Message              = botapi.Message
	CallbackQuery        = botapi.CallbackQuery
	ChatMember           = botapi.ChatMember
	ChatMemberUpdated    = botapi.ChatMemberUpdated
	Update               = botapi.Update
	File                 = botapi.File
)
