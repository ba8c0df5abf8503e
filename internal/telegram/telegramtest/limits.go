package telegramtest

import (
	"math"
	"strconv"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
)

// Limits are the flood limits the server enforces on sendMessage,
// sendDocument and editMessageText, counted over sliding windows. Zero turns
// a limit off; the zero Limits (the default) enforces none.
type Limits struct {
	// PerChat is the number of messages per second to one chat (Telegram: about 1).
	PerChat int
	// PerGroup is the number of messages per minute to one group, supergroup
	// or channel (Telegram: 20).
	PerGroup int
	// Global is the number of messages per second over all chats (Telegram: about 30).
	Global int
	// Observe counts violations without refusing them, so a test can assert
	// that a sender stays within the limits by itself.
	Observe bool
}

// TelegramLimits are the limits the Bot API FAQ documents.
var TelegramLimits = Limits{PerChat: 1, PerGroup: 20, Global: 30}

// SetLimits replaces the flood limits and forgets the past windows.
func (s *Server) SetLimits(l Limits) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limits = l
	s.windows = map[string][]time.Time{}
}

// TooManyRequests counts the 429 answers the server gave (limits and scripts).
func (s *Server) TooManyRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tooMany
}

// Violations counts the sends that exceeded a limit, refused or (with
// Observe) let through.
func (s *Server) Violations() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.violations
}

// floodLocked checks a send to chat against the limits. It returns a 429 to
// answer (nil when the send may go), and records the send when it goes.
func (s *Server) floodLocked(c *chatState) *apiError {
	l := s.limits
	now := s.now()
	type window struct {
		key   string
		limit int
		span  time.Duration
	}
	var ws []window
	if l.PerChat > 0 {
		ws = append(ws, window{"chat:" + strconv.FormatInt(c.ref.ID, 10), l.PerChat, time.Second})
	}
	if l.PerGroup > 0 && c.ref.Kind != news.ChatPrivate {
		ws = append(ws, window{"group:" + strconv.FormatInt(c.ref.ID, 10), l.PerGroup, time.Minute})
	}
	if l.Global > 0 {
		ws = append(ws, window{"global", l.Global, time.Second})
	}
	var wait time.Duration
	for _, w := range ws {
		times := s.windows[w.key]
		kept := times[:0]
		for _, t := range times {
			if now.Sub(t) < w.span {
				kept = append(kept, t)
			}
		}
		s.windows[w.key] = kept
		if len(kept) >= w.limit {
			wait = max(wait, kept[len(kept)-w.limit].Add(w.span).Sub(now))
		}
	}
	if wait > 0 {
		s.violations++
		if !l.Observe {
			s.tooMany++
			return tooMany(max(1, int(math.Ceil(wait.Seconds()))))
		}
	}
	for _, w := range ws {
		s.windows[w.key] = append(s.windows[w.key], now)
	}
	return nil
}
