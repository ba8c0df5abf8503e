package telegramtest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/telegram/botapi"
)

func (s *Server) getMe(*request) (any, *apiError) {
	return s.me, nil
}

// getUpdates confirms every update below offset, then answers the pending
// ones from offset on, waiting up to timeout seconds for one to arrive.
func (s *Server) getUpdates(q *request) (any, *apiError) {
	offset := q.int("offset")
	limit := q.int("limit")
	if limit <= 0 || limit > 100 {
		limit = 100
	}
	timeout := time.Duration(q.int("timeout")) * time.Second
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		s.mu.Lock()
		if s.webhook.URL != "" {
			s.mu.Unlock()
			return nil, &apiError{code: http.StatusConflict, desc: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
		}
		if offset > 0 {
			keep := 0
			for i, id := range s.updateIDs {
				if id >= offset {
					s.updateIDs[keep], s.updates[keep] = id, s.updates[i]
					keep++
				}
			}
			s.updateIDs, s.updates = s.updateIDs[:keep], s.updates[:keep]
		}
		out := []json.RawMessage{}
		for i := 0; i < len(s.updates) && len(out) < limit; i++ {
			out = append(out, s.updates[i])
		}
		ch := s.changed
		s.mu.Unlock()
		if len(out) > 0 || timeout <= 0 {
			return out, nil
		}
		select {
		case <-ch:
		case <-deadline.C:
			return []json.RawMessage{}, nil
		case <-q.r.Context().Done():
			return []json.RawMessage{}, nil
		case <-s.done:
			return []json.RawMessage{}, nil
		}
	}
}

// target resolves chat_id and applies the chat's script.
func (s *Server) targetLocked(q *request) (*chatState, *apiError) {
	id, e := s.resolveChatLocked(q.get("chat_id"))
	if e != nil {
		return nil, e
	}
	c := s.chatLocked(id)
	if e := s.checkChatLocked(c); e != nil {
		return nil, e
	}
	return c, nil
}

// mayPostLocked refuses a post in a channel where the bot is known not to be
// an administrator allowed to post.
func mayPostLocked(c *chatState) *apiError {
	if c.ref.Kind != news.ChatChannel {
		return nil
	}
	m, ok := c.members[BotID]
	if !ok || m.Status == news.MemberCreator || (m.Status == news.MemberAdministrator && m.CanPostMsgs) {
		return nil
	}
	return badRequest("need administrator rights in the channel chat")
}

// parseText applies parse_mode and the length limits to a text or caption.
func parseText(raw, mode string, limit int, tooLong, empty string) (string, *apiError) {
	if len(raw) > MaxRawText {
		return "", badRequest(tooLong)
	}
	text := raw
	switch strings.ToLower(mode) {
	case "html":
		t, err := ParseHTML(raw)
		if err != nil {
			return "", badRequest(err.Error())
		}
		text = t
	case "", "markdown", "markdownv2":
	default:
		return "", badRequest("unsupported parse_mode")
	}
	// Telegram trims the parsed text before counting it.
	text = strings.TrimSpace(text)
	if text == "" && empty != "" {
		return "", badRequest(empty)
	}
	if utf8.RuneCountInString(text) > limit {
		return "", badRequest(tooLong)
	}
	return text, nil
}

type linkPreviewOptions struct {
	IsDisabled bool   `json:"is_disabled"`
	URL        string `json:"url"`
}

// messageOptions reads what sendMessage and editMessageText share: the
// keyboard and the link preview options.
func messageOptions(q *request, m *SentMessage) *apiError {
	if v := q.get("link_preview_options"); v != "" {
		var lp linkPreviewOptions
		if err := json.Unmarshal([]byte(v), &lp); err != nil {
			return badRequest("can't parse link preview options JSON object")
		}
		m.NoPreview, m.PreviewURL = lp.IsDisabled, lp.URL
	} else if q.get("disable_web_page_preview") == "true" {
		m.NoPreview = true
	}
	if v := q.get("reply_markup"); v != "" {
		var kb InlineKeyboardMarkup
		if err := json.Unmarshal([]byte(v), &kb); err != nil {
			return badRequest("can't parse reply keyboard markup JSON object")
		}
		for _, row := range kb.InlineKeyboard {
			var r []news.Button
			for _, b := range row {
				if b.Text == "" {
					return badRequest("text buttons are unallowed in the inline keyboard")
				}
				btn := news.Button{Text: b.Text}
				switch {
				case b.URL != nil:
					btn.URL = *b.URL
				case b.CallbackData != nil:
					// callback_data is 1-64 bytes (Bot API, InlineKeyboardButton).
					if len(*b.CallbackData) == 0 || len(*b.CallbackData) > 64 {
						return badRequest("BUTTON_DATA_INVALID")
					}
					btn.Data = *b.CallbackData
				default:
					return badRequest("text buttons are unallowed in the inline keyboard")
				}
				r = append(r, btn)
			}
			m.Buttons = append(m.Buttons, r)
		}
	}
	return nil
}

func (s *Server) botMessage(c *chatState, m *SentMessage) Message {
	msg := Message{
		MessageID:       m.ID,
		MessageThreadID: m.ThreadID,
		IsTopicMessage:  m.ThreadID != 0 && c.ref.IsForum,
		From:            &s.me,
		Date:            m.Time.Unix(),
		Chat:            wireChat(c.ref),
	}
	if m.Document != nil {
		msg.Caption = m.Document.Caption
		msg.Document = &Document{FileID: m.Document.FileID, FileUniqueID: "u" + m.Document.FileID,
			FileName: m.Document.Name, FileSize: int64(len(m.Document.Data))}
	} else {
		msg.Text = m.Text
	}
	if len(m.Buttons) > 0 {
		kb := botapi.Keyboard(m.Buttons)
		msg.ReplyMarkup = &kb
	}
	return msg
}

func wireChat(ref news.ChatRef) Chat {
	c := Chat{ID: ref.ID, Type: string(ref.Kind), Username: ref.Username, IsForum: ref.IsForum}
	if ref.Kind == news.ChatPrivate {
		c.FirstName = ref.Title
	} else {
		c.Title = ref.Title
	}
	return c
}

func (s *Server) sendMessage(q *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.targetLocked(q)
	if e != nil {
		return nil, e
	}
	if e := mayPostLocked(c); e != nil {
		return nil, e
	}
	m := &SentMessage{ChatID: c.ref.ID, ThreadID: q.int("message_thread_id"), Raw: q.get("text"), ParseMode: q.get("parse_mode")}
	text, e := parseText(m.Raw, m.ParseMode, MaxTextLength, "message is too long", "message text is empty")
	if e != nil {
		return nil, e
	}
	m.Text = text
	if e := messageOptions(q, m); e != nil {
		return nil, e
	}
	if v := q.get("reply_parameters"); v != "" {
		var rp struct {
			MessageID int `json:"message_id"`
		}
		if err := json.Unmarshal([]byte(v), &rp); err != nil {
			return nil, badRequest("can't parse reply parameters JSON object")
		}
		m.ReplyTo = rp.MessageID
	} else {
		m.ReplyTo = q.int("reply_to_message_id")
	}
	if e := s.floodLocked(c); e != nil {
		return nil, e
	}
	return s.storeLocked(c, m), nil
}

func (s *Server) storeLocked(c *chatState, m *SentMessage) Message {
	c.nextMsg++
	m.ID = c.nextMsg
	m.Time = s.now()
	s.sent = append(s.sent, m)
	s.notifyLocked()
	return s.botMessage(c, m)
}

func (s *Server) editMessageText(q *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.targetLocked(q)
	if e != nil {
		return nil, e
	}
	id := q.int("message_id")
	var m *SentMessage
	for _, old := range s.sent {
		if old.ChatID == c.ref.ID && old.ID == id && old.Document == nil {
			m = old
		}
	}
	if m == nil {
		return nil, badRequest("message to edit not found")
	}
	next := &SentMessage{ChatID: m.ChatID, Raw: q.get("text"), ParseMode: q.get("parse_mode")}
	text, e := parseText(next.Raw, next.ParseMode, MaxTextLength, "message is too long", "message text is empty")
	if e != nil {
		return nil, e
	}
	next.Text = text
	if e := messageOptions(q, next); e != nil {
		return nil, e
	}
	if next.Text == m.Text && fmt.Sprint(next.Buttons) == fmt.Sprint(m.Buttons) {
		return nil, badRequest("message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message")
	}
	if e := s.floodLocked(c); e != nil {
		return nil, e
	}
	m.Text, m.Raw, m.ParseMode, m.Buttons = next.Text, next.Raw, next.ParseMode, next.Buttons
	m.PreviewURL, m.NoPreview = next.PreviewURL, next.NoPreview
	m.Edits++
	s.notifyLocked()
	return s.botMessage(c, m), nil
}

func (s *Server) sendDocument(q *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.targetLocked(q)
	if e != nil {
		return nil, e
	}
	if e := mayPostLocked(c); e != nil {
		return nil, e
	}
	m := &SentMessage{ChatID: c.ref.ID, ThreadID: q.int("message_thread_id"), ParseMode: q.get("parse_mode")}
	caption, e := parseText(q.get("caption"), m.ParseMode, MaxCaptionLength, "message caption is too long", "")
	if e != nil {
		return nil, e
	}
	doc := &SentDocument{Caption: caption}
	if f, ok := q.files["document"]; ok {
		doc.Name, doc.Data = f.name, f.data
		doc.FileID = s.addFileLocked(f.name, f.data)
	} else if id := q.get("document"); id != "" {
		f, ok := s.files[id]
		if !ok {
			return nil, badRequest("wrong file identifier/HTTP URL specified")
		}
		doc.FileID, doc.Name, doc.Data = id, path.Base(f.path), f.data
	} else {
		return nil, badRequest("there is no document in the request")
	}
	if len(doc.Data) == 0 {
		return nil, badRequest("file must be non-empty")
	}
	m.Document = doc
	m.Raw = q.get("caption")
	m.Text = caption
	if e := s.floodLocked(c); e != nil {
		return nil, e
	}
	return s.storeLocked(c, m), nil
}

func (s *Server) addFileLocked(name string, data []byte) string {
	s.nextFile++
	id := fmt.Sprintf("BQACAgQAAxkBAAI%06d", s.nextFile)
	s.files[id] = storedFile{path: fmt.Sprintf("documents/file_%d%s", s.nextFile, path.Ext(name)), data: append([]byte(nil), data...)}
	return id
}

func (s *Server) answerCallbackQuery(q *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := q.get("callback_query_id")
	answered, issued := s.callbacks[id]
	if !issued || answered {
		return nil, badRequest("query is too old and response timeout expired or query ID is invalid")
	}
	if len(q.get("text")) > 200 {
		return nil, badRequest("MESSAGE_TOO_LONG")
	}
	s.callbacks[id] = true
	s.answers = append(s.answers, CallbackAnswer{ID: id, Text: q.get("text"), ShowAlert: q.get("show_alert") == "true"})
	s.notifyLocked()
	return true, nil
}

func (s *Server) getChat(q *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.targetLocked(q)
	if e != nil {
		return nil, e
	}
	return wireChat(c.ref), nil
}

func (s *Server) member(c *chatState, user int64) ChatMember {
	m, ok := c.members[user]
	if !ok {
		m = news.ChatMember{UserID: user, Status: news.MemberLeft}
		if user == BotID || (c.ref.Kind == news.ChatPrivate && user == c.ref.ID) {
			m.Status = news.MemberMember
		}
	}
	out := ChatMember{Status: m.Status, User: User{ID: user, FirstName: "user" + strconv.FormatInt(user, 10)}}
	if user == BotID {
		out.User = s.me
	}
	canPost := m.CanPostMsgs
	switch {
	case m.Status == news.MemberAdministrator && c.ref.Kind == news.ChatChannel:
		out.CanPostMessages = &canPost
	case m.Status == news.MemberRestricted:
		out.CanSendMessages = &canPost
	}
	return out
}

func (s *Server) getChatMember(q *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.targetLocked(q)
	if e != nil {
		return nil, e
	}
	user := q.int64("user_id")
	if user == 0 {
		return nil, badRequest("invalid user_id specified")
	}
	return s.member(c, user), nil
}

func (s *Server) getChatAdministrators(q *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, e := s.targetLocked(q)
	if e != nil {
		return nil, e
	}
	if c.ref.Kind == news.ChatPrivate {
		return nil, badRequest("there are no administrators in the private chat")
	}
	out := []ChatMember{}
	for id, m := range c.members {
		if m.IsAdmin() {
			out = append(out, s.member(c, id))
		}
	}
	return out, nil
}

func (s *Server) getFile(q *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := q.get("file_id")
	f, ok := s.files[id]
	if !ok {
		return nil, badRequest("invalid file_id")
	}
	return File{FileID: id, FileUniqueID: "u" + id, FileSize: int64(len(f.data)), FilePath: f.path}, nil
}

var commandName = regexp.MustCompile(`^[a-z0-9_]{1,32}$`)

func (s *Server) setMyCommands(q *request) (any, *apiError) {
	var wire []botapi.BotCommand
	if err := json.Unmarshal([]byte(q.get("commands")), &wire); err != nil {
		return nil, badRequest("can't parse commands JSON object")
	}
	if len(wire) > 100 {
		return nil, badRequest("too many commands specified")
	}
	cmds := make([]news.BotCommand, len(wire))
	for i, c := range wire {
		cmds[i] = news.BotCommand{Command: c.Command, Description: c.Description}
	}
	for _, c := range cmds {
		if !commandName.MatchString(c.Command) {
			return nil, badRequest("BOT_COMMAND_INVALID")
		}
		if n := utf8.RuneCountInString(c.Description); n == 0 || n > 256 {
			return nil, badRequest("BOT_COMMAND_DESCRIPTION_INVALID")
		}
	}
	lang := q.get("language_code")
	if lang != "" && !regexp.MustCompile(`^[a-z]{2}$`).MatchString(lang) {
		return nil, badRequest("invalid language code specified")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.commands[lang] = cmds
	s.notifyLocked()
	return true, nil
}

func (s *Server) setWebhook(q *request) (any, *apiError) {
	u := q.get("url")
	secret := q.get("secret_token")
	if u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return nil, badRequest("bad webhook: An HTTPS URL must be provided for webhook")
	}
	if len(secret) > 256 || !regexp.MustCompile(`^[A-Za-z0-9_-]*$`).MatchString(secret) {
		return nil, badRequest("secret token contains unallowed characters")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhook = Webhook{URL: u, Secret: secret}
	if u != "" {
		s.startWebhookLocked()
	}
	s.notifyLocked()
	return true, nil
}

func (s *Server) deleteWebhook(q *request) (any, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.webhook = Webhook{}
	if q.get("drop_pending_updates") == "true" {
		s.updates, s.updateIDs = nil, nil
	}
	s.notifyLocked()
	return true, nil
}
