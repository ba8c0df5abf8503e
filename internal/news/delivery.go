package news

import (
	"errors"
	"time"
)

// ErrStoryExpired means a story, or the article an outbox job refers to, is
// no longer stored: the job waited longer than stories live.
var ErrStoryExpired = errors.New("story expired")

// OutboxJob is one message to deliver: a story's article to a chat, or, with
// Digest set, a digest of several. The outbox stream, the delayed set and the
// dead stream carry it (in the store's own layout); the article itself stays
// stored once, in its story.
type OutboxJob struct {
	// ID is the stream entry id, set when the job is read from the outbox.
	ID      string
	ChatID  int64
	StoryID string
	Article string
	Alerts  []string
	// Digest lists "story/article" references for a digest job.
	Digest []string
	// Attempt counts failed deliveries so far.
	Attempt int
	// Enqueued is when the story was routed to the chat, in Unix milliseconds.
	Enqueued int64
}

// EnqueuedAt is when the job first entered the outbox.
func (j OutboxJob) EnqueuedAt() time.Time { return time.UnixMilli(j.Enqueued) }

// SendClaim is the answer to a sender asking to send a message of a job:
// one sender at a time sends it, and never again once it was sent.
type SendClaim int

// The answers.
const (
	SendClaimed SendClaim = iota // the caller may send it
	SendBusy                     // another sender is sending it now
	SendDone                     // it was sent already
)

// RouteKind says how a routed job reaches its chat.
type RouteKind int

// The ways a job is queued.
const (
	// RouteNow puts the job in the outbox stream.
	RouteNow RouteKind = iota
	// RouteLater holds the job in the delayed set until At (quiet hours).
	RouteLater
	// RouteDigest adds the story to the chat's digest queue, due at At.
	RouteDigest
)

// Route is one chat's share of a new article.
type Route struct {
	OutboxJob
	Kind RouteKind
	// At is when a RouteLater job becomes due, or a RouteDigest chat's next digest.
	At time.Time
}

// StoryRecord is a story as stored: its first article, the outlets that
// carried it (first first) and its similarity signature.
type StoryRecord struct {
	ID        string
	First     string
	Outlets   []string
	FirstSeen time.Time
	Sig       []byte
}

// Rate-limit scopes: the bot token, one chat, one group or channel.
const (
	ScopeGlobal = "global"
	ScopeChat   = "chat"
	ScopeGroup  = "group"
)

// RateLimit is one sending limit: a message every Interval, with Burst more
// allowed at once. ID names the chat; it is empty for the global scope.
type RateLimit struct {
	Scope    string
	ID       string
	Interval time.Duration
	Burst    int
	// Adaptive makes Interval the fastest pace (the configured ceiling): the
	// pace in force is learnt from Telegram's 429 answers and shared by
	// every sender of every replica.
	Adaptive bool
	// Lead, when positive, is how far ahead of now a reservation may book
	// this limit: news books only a short way ahead, so that a command
	// reply, which books without it, goes before the queued news.
	Lead time.Duration
}
