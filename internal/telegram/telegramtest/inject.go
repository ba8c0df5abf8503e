package telegramtest

import (
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf16"

	"github.com/migrawatch/migrawatch/internal/news"
)

// SendUpdate queues u for getUpdates with the next update_id, which it returns.
func (s *Server) SendUpdate(u Update) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextUpd++
	u.UpdateID = s.nextUpd
	raw, err := json.Marshal(u)
	if err != nil {
		panic(fmt.Sprintf("telegramtest: encode update: %v", err))
	}
	s.queueLocked(u.UpdateID, raw)
	return u.UpdateID
}

// SendRawUpdate queues raw JSON as an update, with "update_id" set to the
// next id (returned). It is how a test feeds the bot an update it cannot
// decode, such as {"message":{"chat":"not an object"}}. raw must be a JSON object.
func (s *Server) SendRawUpdate(raw string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.nextUpd++
	id := s.nextUpd
	body := strings.TrimSpace(raw)
	body = strings.TrimPrefix(body, "{")
	sep := ","
	if strings.TrimSpace(body) == "}" {
		sep = ""
	}
	s.queueLocked(id, json.RawMessage(fmt.Sprintf(`{"update_id":%d%s%s`, id, sep, body)))
	return id
}

func (s *Server) queueLocked(id int, raw json.RawMessage) {
	s.updates = append(s.updates, raw)
	s.updateIDs = append(s.updateIDs, id)
	s.notifyLocked()
}

// Pending counts the updates not yet confirmed by a getUpdates offset.
func (s *Server) Pending() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

func wireUser(u news.User) User {
	return User{ID: u.ID, IsBot: u.IsBot, FirstName: u.FirstName, Username: u.Username, LanguageCode: u.LanguageCode}
}

// userMessageLocked builds a message from a user in chat; in a private chat
// the chat is the user.
func (s *Server) userMessageLocked(chat int64, from news.User) *Message {
	c := s.chatLocked(chat)
	if c.ref.Kind == news.ChatPrivate && c.ref.Title == "" {
		c.ref.Title = from.FirstName
		if c.ref.Username == "" && from.Username != "" {
			c.ref.Username = from.Username
		}
	}
	c.nextMsg++
	fu := wireUser(from)
	return &Message{MessageID: c.nextMsg, From: &fu, Date: s.now().Unix(), Chat: wireChat(c.ref)}
}

// commandEntities marks the leading /command as Telegram does.
func commandEntities(text string) []MessageEntity {
	if !strings.HasPrefix(text, "/") {
		return nil
	}
	end := strings.IndexAny(text, " \n\t")
	if end < 0 {
		end = len(text)
	}
	return []MessageEntity{{Type: "bot_command", Offset: 0, Length: len(utf16.Encode([]rune(text[:end])))}}
}

func (s *Server) sendMessageUpdate(m *Message) int {
	return s.SendUpdate(Update{Message: m})
}

// UserMessage injects a text message from a user in chat (a /command at its
// start gets its bot_command entity) and returns the message id.
func (s *Server) UserMessage(chat int64, from news.User, text string) int {
	s.mu.Lock()
	m := s.userMessageLocked(chat, from)
	s.mu.Unlock()
	m.Text, m.Entities = text, commandEntities(text)
	s.sendMessageUpdate(m)
	return m.MessageID
}

// Command injects a command such as "/subscribe https://example.org/feed"
// (or "/start@migrawatch_test_bot" in a group) and returns the message id.
func (s *Server) Command(chat int64, from news.User, text string) int {
	if !strings.HasPrefix(text, "/") {
		text = "/" + text
	}
	return s.UserMessage(chat, from, text)
}

// TopicMessage injects a message posted in forum topic thread of chat, which
// becomes a forum supergroup.
func (s *Server) TopicMessage(chat int64, thread int, from news.User, text string) int {
	s.mu.Lock()
	c := s.chatLocked(chat)
	c.ref.Kind, c.ref.IsForum = news.ChatSupergroup, true
	m := s.userMessageLocked(chat, from)
	s.mu.Unlock()
	m.MessageThreadID, m.IsTopicMessage = thread, true
	m.Text, m.Entities = text, commandEntities(text)
	s.sendMessageUpdate(m)
	return m.MessageID
}

// AnonymousAdminMessage injects a message an anonymous administrator sent in
// a group: from is GroupAnonymousBot and sender_chat is the group.
func (s *Server) AnonymousAdminMessage(chat int64, text string) int {
	s.mu.Lock()
	m := s.userMessageLocked(chat, GroupAnonymousBot)
	s.mu.Unlock()
	sc := m.Chat
	m.SenderChat = &sc
	m.Text, m.Entities = text, commandEntities(text)
	s.sendMessageUpdate(m)
	return m.MessageID
}

// Document injects a document a user sent, with a file the bot can fetch
// through getFile and the download endpoint. It returns the file id.
func (s *Server) Document(chat int64, from news.User, name, mimeType string, data []byte, caption string) string {
	s.mu.Lock()
	m := s.userMessageLocked(chat, from)
	id := s.addFileLocked(name, data)
	s.mu.Unlock()
	m.Document = &Document{FileID: id, FileUniqueID: "u" + id, FileName: name, MimeType: mimeType, FileSize: int64(len(data))}
	m.Caption = caption
	s.sendMessageUpdate(m)
	return id
}

// Callback injects a press on a button with data under the bot's message
// messageID in chat, and returns the callback query id to expect in Answers.
func (s *Server) Callback(chat int64, from news.User, messageID int, data string) string {
	s.mu.Lock()
	c := s.chatLocked(chat)
	s.nextCB++
	id := fmt.Sprintf("%d%07d", BotID, s.nextCB)
	s.callbacks[id] = false
	msg := &Message{MessageID: messageID, From: &s.me, Date: s.now().Unix(), Chat: wireChat(c.ref)}
	for _, m := range s.sent {
		if m.ChatID == chat && m.ID == messageID {
			*msg = s.botMessage(c, m)
		}
	}
	s.mu.Unlock()
	s.SendUpdate(Update{CallbackQuery: &CallbackQuery{ID: id, From: wireUser(from), Message: msg,
		ChatInstance: fmt.Sprintf("ci%d", chat), Data: data}})
	return id
}

// MyChatMember injects the change of the bot's own status in chat made by
// from (e.g. "member" -> "kicked" when a user blocks the bot, "left" ->
// "administrator" when the bot is added to a channel). The new status holds
// for getChatMember and for sending: after "kicked" or "left" the chat
// answers 403, after "member" or "administrator" it accepts messages again.
func (s *Server) MyChatMember(chat int64, from news.User, oldStatus, newStatus string) int {
	s.mu.Lock()
	c := s.chatLocked(chat)
	canPost := newStatus != news.MemberLeft && newStatus != news.MemberKicked
	c.members[BotID] = news.ChatMember{UserID: BotID, Status: newStatus, CanPostMsgs: canPost}
	// What the bot may do next follows its new status, as on Telegram.
	switch {
	case newStatus == news.MemberKicked && c.ref.Kind == news.ChatPrivate:
		c.gone = forbidden("bot was blocked by the user")
	case newStatus == news.MemberKicked:
		c.gone = forbidden("bot was kicked from the " + string(c.ref.Kind) + " chat")
	case newStatus == news.MemberLeft:
		c.gone = forbidden("bot is not a member of the " + string(c.ref.Kind) + " chat")
	default:
		c.gone = nil
	}
	old := s.member(c, BotID)
	old.Status = oldStatus
	neu := s.member(c, BotID)
	upd := &ChatMemberUpdated{Chat: wireChat(c.ref), From: wireUser(from), Date: s.now().Unix(), OldChatMember: old, NewChatMember: neu}
	s.mu.Unlock()
	return s.SendUpdate(Update{MyChatMember: upd})
}

// ChannelPost injects a post in channel chat (registered with SetChat) and
// returns its message id.
func (s *Server) ChannelPost(chat int64, text string) int {
	s.mu.Lock()
	c := s.chatLocked(chat)
	c.ref.Kind = news.ChatChannel
	c.nextMsg++
	sc := wireChat(c.ref)
	m := &Message{MessageID: c.nextMsg, SenderChat: &sc, Date: s.now().Unix(), Chat: wireChat(c.ref), Text: text}
	s.mu.Unlock()
	s.SendUpdate(Update{ChannelPost: m})
	return m.MessageID
}

// ForwardedPost injects, in the private chat of from, a post forwarded from
// channel, carrying both forward_origin (Bot API 7.0) and the older
// forward_from_chat. It returns the message id.
func (s *Server) ForwardedPost(from news.User, channel news.ChatRef, text string) int {
	s.mu.Lock()
	if channel.Kind == "" {
		channel.Kind = news.ChatChannel
	}
	ch := wireChat(channel)
	m := s.userMessageLocked(from.ID, from)
	s.mu.Unlock()
	m.ForwardOrigin = &MessageOrigin{Type: "channel", Date: m.Date, Chat: &ch, MessageID: 1}
	m.ForwardFromChat = &ch
	m.Text = text
	s.sendMessageUpdate(m)
	return m.MessageID
}

// MigrateGroup upgrades group chat to supergroup to as Telegram does: it
// scripts Migrate(chat, to) and injects the service messages with
// migrate_to_chat_id (in the old group) and migrate_from_chat_id (in the new one).
func (s *Server) MigrateGroup(chat, to int64, by news.User) {
	s.Migrate(chat, to)
	s.mu.Lock()
	old := s.userMessageLocked(chat, by)
	old.MigrateToChatID = to
	neu := s.userMessageLocked(to, by)
	neu.MigrateFromChatID = chat
	s.mu.Unlock()
	s.sendMessageUpdate(old)
	s.sendMessageUpdate(neu)
}
