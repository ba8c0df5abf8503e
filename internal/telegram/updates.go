package telegram

import (
	"encoding/json"
	"fmt"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/telegram/botapi"
)

// decodeUpdate decodes one update. ok is false for a kind MigraWatch does not
// act on (edited messages, inline queries ...), which is not an error.
func decodeUpdate(raw []byte) (u news.Update, ok bool, err error) {
	var w botapi.Update
	if err := json.Unmarshal(raw, &w); err != nil {
		return news.Update{}, false, fmt.Errorf("decode update: %w", err)
	}
	u.ID = w.UpdateID
	switch {
	case w.Message != nil:
		u.Kind = news.UpdateMessage
		fillMessage(&u, w.Message)
	case w.ChannelPost != nil:
		u.Kind = news.UpdateChannelPost
		fillMessage(&u, w.ChannelPost)
	case w.CallbackQuery != nil:
		q := w.CallbackQuery
		u.Kind = news.UpdateCallback
		u.From = toUser(q.From)
		u.CallbackID = q.ID
		u.CallbackData = q.Data
		if q.Message != nil {
			u.Chat = toChat(q.Message.Chat)
			u.MessageID = q.Message.MessageID
			u.ThreadID = threadOf(q.Message)
		}
	case w.MyChatMember != nil:
		m := w.MyChatMember
		u.Kind = news.UpdateMyMember
		u.Chat = toChat(m.Chat)
		u.From = toUser(m.From)
		u.OldStatus = m.OldChatMember.Status
		u.NewStatus = m.NewChatMember.Status
	default:
		return u, false, nil
	}
	return u, true, nil
}

func fillMessage(u *news.Update, m *botapi.Message) {
	u.Chat = toChat(m.Chat)
	if m.From != nil {
		u.From = toUser(*m.From)
	}
	if m.SenderChat != nil {
		c := toChat(*m.SenderChat)
		u.SenderChat = &c
	}
	u.MessageID = m.MessageID
	u.ThreadID = threadOf(m)
	u.Text = m.Text
	if u.Text == "" {
		u.Text = m.Caption
	}
	if d := m.Document; d != nil {
		u.Document = &news.FileRef{FileID: d.FileID, Name: d.FileName, MimeType: d.MimeType, Size: d.FileSize}
	}
	// Bot API 7.0 replaced forward_from_chat with forward_origin; servers
	// older than that only send the former.
	switch {
	case m.ForwardOrigin != nil && m.ForwardOrigin.Type == "channel" && m.ForwardOrigin.Chat != nil:
		c := toChat(*m.ForwardOrigin.Chat)
		u.ForwardFromChat = &c
	case m.ForwardFromChat != nil:
		c := toChat(*m.ForwardFromChat)
		u.ForwardFromChat = &c
	}
	u.MigrateToChatID = m.MigrateToChatID
	u.MigrateFromChatID = m.MigrateFromChatID
}

// threadOf is the forum topic of a message. Outside forums message_thread_id
// names a reply thread, which is not a place to post to.
func threadOf(m *botapi.Message) int {
	if m.IsTopicMessage || m.Chat.IsForum {
		return m.MessageThreadID
	}
	return 0
}

func toChat(c botapi.Chat) news.ChatRef {
	title := c.Title
	if title == "" {
		title = c.FirstName
	}
	return news.ChatRef{ID: c.ID, Kind: news.ChatKind(c.Type), Title: title, Username: c.Username, IsForum: c.IsForum}
}

func toUser(u botapi.User) news.User {
	return news.User{ID: u.ID, IsBot: u.IsBot, Username: u.Username, FirstName: u.FirstName, LanguageCode: u.LanguageCode}
}

func toMember(m botapi.ChatMember) news.ChatMember {
	cm := news.ChatMember{UserID: m.User.ID, Status: m.Status}
	switch m.Status {
	case news.MemberCreator, news.MemberMember:
		cm.CanPostMsgs = true
	case news.MemberAdministrator:
		// can_post_messages exists for channel administrators only; in
		// groups every administrator may post.
		cm.CanPostMsgs = m.CanPostMessages == nil || *m.CanPostMessages
	case news.MemberRestricted:
		cm.CanPostMsgs = m.CanSendMessages != nil && *m.CanSendMessages
	}
	return cm
}
