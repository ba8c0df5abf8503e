package telegramtest

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/migrawatch/migrawatch/internal/news"
)

// chatState is what the server knows of one chat.
type chatState struct {
	ref        news.ChatRef
	members    map[int64]news.ChatMember
	gone       *apiError // blocked, kicked, deactivated, deleted
	migratedTo int64
	failNext   []int
	hang       bool
	nextMsg    int
}

// kindOf guesses a chat's type from its id as Telegram assigns them:
// users are positive, basic groups negative, supergroups and channels
// below -10^12 ("-100..." ids).
func kindOf(id int64) news.ChatKind {
	switch {
	case id > 0:
		return news.ChatPrivate
	case id <= -1_000_000_000_000:
		return news.ChatSupergroup
	default:
		return news.ChatGroup
	}
}

// chatLocked returns the state of chat id, creating it on first use: the
// fake knows every chat the bot is told about, as the bot would have seen it
// in an update first.
func (s *Server) chatLocked(id int64) *chatState {
	c := s.chats[id]
	if c == nil {
		c = &chatState{ref: news.ChatRef{ID: id, Kind: kindOf(id)}, members: map[int64]news.ChatMember{}}
		s.chats[id] = c
	}
	return c
}

// SetChat registers a chat (its kind, title, @username, forum flag) for
// getChat and for the updates injected into it.
func (s *Server) SetChat(ref news.ChatRef) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(ref.ID)
	if ref.Kind == "" {
		ref.Kind = kindOf(ref.ID)
	}
	if old := c.ref.Username; old != "" {
		delete(s.usernames, strings.ToLower(old))
	}
	c.ref = ref
	if ref.Username != "" {
		s.usernames[strings.ToLower(ref.Username)] = ref.ID
	}
}

// SetMember sets user's status in chat ("creator", "administrator",
// "member", "restricted", "left", "kicked") for getChatMember and
// getChatAdministrators. canPost is can_post_messages for a channel
// administrator and can_send_messages for a restricted member.
func (s *Server) SetMember(chat, user int64, status string, canPost bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatLocked(chat).members[user] = news.ChatMember{UserID: user, Status: status, CanPostMsgs: canPost}
}

// Block makes chat answer 403 "Forbidden: bot was blocked by the user".
func (s *Server) Block(chat int64) {
	s.setGone(chat, forbidden("bot was blocked by the user"))
}

// Kick makes chat answer 403 as Telegram does after the bot was removed:
// "bot was kicked from the group chat" (or supergroup, or channel chat).
func (s *Server) Kick(chat int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chat)
	c.gone = forbidden("bot was kicked from the " + string(c.ref.Kind) + " chat")
	if c.ref.Kind == news.ChatPrivate {
		c.gone = forbidden("bot was blocked by the user")
	}
}

// RemoveBot makes chat answer 403 "Forbidden: bot is not a member of the ... chat".
func (s *Server) RemoveBot(chat int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chat)
	c.gone = forbidden("bot is not a member of the " + string(c.ref.Kind) + " chat")
}

// Deactivate makes a private chat answer 403 "Forbidden: user is deactivated".
func (s *Server) Deactivate(chat int64) {
	s.setGone(chat, forbidden("user is deactivated"))
}

// DeleteChat makes chat answer 400 "Bad Request: chat not found".
func (s *Server) DeleteChat(chat int64) {
	s.setGone(chat, badRequest("chat not found"))
}

// Restore undoes Block, Kick, RemoveBot, Deactivate, DeleteChat and Migrate.
func (s *Server) Restore(chat int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chat)
	c.gone, c.migratedTo = nil, 0
}

func (s *Server) setGone(chat int64, e *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatLocked(chat).gone = e
}

// Migrate upgrades group chat to the supergroup to: sending to chat answers
// 400 "Bad Request: group chat was upgraded to a supergroup chat" with
// parameters.migrate_to_chat_id, and to becomes a known supergroup.
func (s *Server) Migrate(chat, to int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chat)
	c.migratedTo = to
	n := s.chatLocked(to)
	n.ref.Kind = news.ChatSupergroup
	if n.ref.Title == "" {
		n.ref.Title = c.ref.Title
	}
	for id, m := range c.members {
		if _, ok := n.members[id]; !ok {
			n.members[id] = m
		}
	}
}

// FailNext makes the next n calls aimed at chat fail with status (a 5xx
// burst; 429 answers with retry_after 1).
func (s *Server) FailNext(chat int64, n, status int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.chatLocked(chat)
	for range n {
		c.failNext = append(c.failNext, status)
	}
}

// Timeout makes every call aimed at chat hang until the client gives up;
// Restore does not undo it, Respond does.
func (s *Server) Timeout(chat int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatLocked(chat).hang = true
}

// Respond undoes Timeout.
func (s *Server) Respond(chat int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.chatLocked(chat).hang = false
}

// resolveChat turns a chat_id parameter (an integer or "@username") into a
// chat id, answering "chat not found" for an unknown username.
func (s *Server) resolveChatLocked(param string) (int64, *apiError) {
	if param == "" {
		return 0, badRequest("chat_id is empty")
	}
	if name, ok := strings.CutPrefix(param, "@"); ok {
		id, found := s.usernames[strings.ToLower(name)]
		if !found {
			return 0, badRequest("chat not found")
		}
		return id, nil
	}
	id, err := strconv.ParseInt(param, 10, 64)
	if err != nil || id == 0 {
		return 0, badRequest("chat not found")
	}
	return id, nil
}

// checkChatLocked applies the chat's script to a call aimed at it: hang,
// scripted failures, then gone and migrated states.
func (s *Server) checkChatLocked(c *chatState) *apiError {
	if c.hang {
		return errHang
	}
	if len(c.failNext) > 0 {
		status := c.failNext[0]
		c.failNext = c.failNext[1:]
		if status == http.StatusTooManyRequests {
			s.tooMany++
		}
		return statusError(status)
	}
	if c.gone != nil {
		return c.gone
	}
	if c.migratedTo != 0 {
		e := badRequest("group chat was upgraded to a supergroup chat")
		e.migrateTo = c.migratedTo
		return e
	}
	return nil
}
