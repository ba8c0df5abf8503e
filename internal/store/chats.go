package store

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/redis/go-redis/v9"
)

// Chat defaults. A chat hash stores only the fields that differ from these,
// which keeps a chat with default settings to a few dozen bytes of Redis.
const (
	DefaultUILang = news.English
	DefaultMode   = news.ModeInstant
	DefaultTZ     = "Africa/Casablanca"
	DefaultStatus = news.StatusActive
)

// ErrNoChat is returned by operations that need an existing chat.
var ErrNoChat = errors.New("no such chat")

// Fields of the chat:{id} hash (DESIGN section 3).
const (
	chatFieldKind     = "kind"
	chatFieldTitle    = "title"
	chatFieldUILang   = "ui_lang"
	chatFieldLangs    = "langs"
	chatFieldTopics   = "topics"
	chatFieldMode     = "mode"
	chatFieldDigestAt = "digest_at"
	chatFieldTZ       = "tz"
	chatFieldQuiet    = "quiet"
	chatFieldPaused   = "paused"
	chatFieldThreadID = "thread_id"
	chatFieldStatus   = "status"
	chatFieldOwner    = "owner"
	// chatFieldEdit, in a private chat's hash, is the linked channel whose
	// settings that chat's commands currently change. It is not part of
	// news.Chat, so SaveChat leaves it alone.
	chatFieldEdit = "edit"
)

var chatFields = []string{
	chatFieldKind, chatFieldTitle, chatFieldUILang, chatFieldLangs, chatFieldTopics,
	chatFieldMode, chatFieldDigestAt, chatFieldTZ, chatFieldQuiet, chatFieldPaused,
	chatFieldThreadID, chatFieldStatus, chatFieldOwner,
}

// chatKeySet names every key that belongs to one chat. They all carry the
// chat id as hash tag, so on Redis Cluster they live in one slot.
type chatKeySet struct {
	hash     string // chat:{id}
	feeds    string // chat:{id}:feeds
	alerts   string // chat:{id}:alerts
	channels string // chat:{id}:channels (channels this private chat linked)
	digest   string // digest:{id}
	moved    string // chat:{id}:moved (the new id of a migrated group)
}

func (s *Store) chatKeySet(id int64) chatKeySet {
	t := tag(strconv.FormatInt(id, 10))
	return chatKeySet{
		hash:     s.key("chat", t),
		feeds:    s.key("chat", t, "feeds"),
		alerts:   s.key("chat", t, "alerts"),
		channels: s.key("chat", t, "channels"),
		digest:   s.key("digest", t),
		moved:    s.key("chat", t, "moved"),
	}
}

// subsOfFeedKey is feed:{id}:subs, the chats subscribed to a feed.
func (s *Store) subsOfFeedKey(feedID string) string {
	return s.key("feed", tag(feedID), "subs")
}

// subsOfTopicKey is topic:{name}:subs, the chats subscribed to a topic.
func (s *Store) subsOfTopicKey(topic string) string {
	return s.key("topic", tag(topic), "subs")
}

// chatFieldsOf encodes c as hash fields, leaving out every default value.
// The second result lists the fields to delete because they are default now.
func chatFieldsOf(c news.Chat) (set map[string]any, del []string) {
	set = map[string]any{chatFieldKind: string(c.Kind)}
	put := func(field, value, def string) {
		if value == "" || value == def {
			del = append(del, field)
			return
		}
		set[field] = value
	}
	put(chatFieldTitle, c.Title, "")
	put(chatFieldUILang, c.UILang, DefaultUILang)
	put(chatFieldLangs, strings.Join(c.Langs, ","), "")
	put(chatFieldTopics, strings.Join(c.Topics, ","), "")
	put(chatFieldMode, c.Mode, DefaultMode)
	put(chatFieldDigestAt, c.DigestAt, "")
	put(chatFieldTZ, c.TZ, DefaultTZ)
	put(chatFieldQuiet, c.Quiet, "")
	paused := ""
	if c.Paused {
		paused = "1"
	}
	put(chatFieldPaused, paused, "")
	thread := ""
	if c.ThreadID != 0 {
		thread = strconv.Itoa(c.ThreadID)
	}
	put(chatFieldThreadID, thread, "")
	put(chatFieldStatus, c.Status, DefaultStatus)
	owner := ""
	if c.Owner != 0 {
		owner = strconv.FormatInt(c.Owner, 10)
	}
	put(chatFieldOwner, owner, "")
	return set, del
}

// chatFromFields decodes a chat hash, filling in the defaults.
func chatFromFields(id int64, h map[string]string) news.Chat {
	c := news.Chat{
		ID:       id,
		Kind:     news.ChatKind(h[chatFieldKind]),
		Title:    h[chatFieldTitle],
		UILang:   orDefault(h[chatFieldUILang], DefaultUILang),
		Langs:    splitList(h[chatFieldLangs]),
		Topics:   splitList(h[chatFieldTopics]),
		Mode:     orDefault(h[chatFieldMode], DefaultMode),
		DigestAt: h[chatFieldDigestAt],
		TZ:       orDefault(h[chatFieldTZ], DefaultTZ),
		Quiet:    h[chatFieldQuiet],
		Paused:   h[chatFieldPaused] == "1",
		Status:   orDefault(h[chatFieldStatus], DefaultStatus),
	}
	c.ThreadID, _ = strconv.Atoi(h[chatFieldThreadID])
	c.Owner, _ = strconv.ParseInt(h[chatFieldOwner], 10, 64)
	return c
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

func splitList(v string) []string {
	if v == "" {
		return nil
	}
	return strings.Split(v, ",")
}

// SaveChat creates or replaces chat c's settings. Its topics are kept in step
// with the topic:{name}:subs sets and a linked channel is listed under its
// owner, in one transaction.
func (s *Store) SaveChat(ctx context.Context, c news.Chat) error {
	if c.ID == 0 {
		return fmt.Errorf("save chat: zero id")
	}
	for _, t := range c.Topics {
		if t == "" || strings.Contains(t, ",") {
			return fmt.Errorf("save chat %d: bad topic %q", c.ID, t)
		}
	}
	k := s.chatKeySet(c.ID)
	set, del := chatFieldsOf(c)
	id := strconv.FormatInt(c.ID, 10)
	var quietChanged bool
	err := s.chatTx(ctx, func(rd redis.Cmdable, exec func(...step) error) error {
		old, err := rd.HMGet(ctx, k.hash, chatFieldTopics, chatFieldOwner, chatFieldQuiet, chatFieldKind).Result()
		if err != nil {
			return err
		}
		oldTopics := splitList(asString(old[0]))
		oldOwner, _ := strconv.ParseInt(asString(old[1]), 10, 64)
		quietChanged = asString(old[3]) != "" && asString(old[2]) != c.Quiet
		// The chat's own hash first, then the reverse indexes (other slots
		// on Cluster): a failure in between is repaired by saving again.
		return exec(inSlot(func(p redis.Pipeliner) {
			p.HSet(ctx, k.hash, set)
			if len(del) > 0 {
				p.HDel(ctx, k.hash, del...)
			}
		}), spread(func(p redis.Pipeliner) {
			for _, t := range oldTopics {
				if !slices.Contains(c.Topics, t) {
					p.SRem(ctx, s.subsOfTopicKey(t), id)
				}
			}
			for _, t := range c.Topics {
				p.SAdd(ctx, s.subsOfTopicKey(t), id)
			}
			if oldOwner != 0 && oldOwner != c.Owner {
				p.SRem(ctx, s.chatKeySet(oldOwner).channels, id)
			}
			if c.Owner != 0 {
				p.SAdd(ctx, s.chatKeySet(c.Owner).channels, id)
			}
		}))
	}, k.hash)
	if err != nil {
		return fmt.Errorf("save chat %d: %w", c.ID, err)
	}
	if quietChanged {
		// Messages held for the old quiet hours go now; the sender holds
		// them again if the new quiet hours cover the moment they come up.
		if err := s.ReleaseHeld(ctx, c.ID, time.Now()); err != nil {
			return fmt.Errorf("save chat %d: %w", c.ID, err)
		}
	}
	return nil
}

// chatTx runs a read-then-write of one chat's keys. On a single Redis (or
// Sentinel) it is optimistic locking: WATCH the chat's keys, read, then one
// MULTI/EXEC of every step, retried when another client changed them in
// between, so two admins editing one chat never leave the reverse indexes
// out of step. On Redis Cluster the steps reach other slots (feed and topic
// sets), which a WATCHed transaction cannot, so they run one after the
// other (see write); readers of the reverse indexes check the chat itself.
func (s *Store) chatTx(ctx context.Context, fn func(rd redis.Cmdable, exec func(...step) error) error, keys ...string) error {
	if s.cluster() {
		return fn(s.rdb, func(steps ...step) error { return runSteps(ctx, s.rdb, steps) })
	}
	// Writers of one chat are few (its admins, the sender, the bot), but a
	// burst of them on a busy server can lose the race many times in a row.
	const attempts = 64
	var err error
	for i := range attempts {
		err = s.rdb.Watch(ctx, func(tx *redis.Tx) error {
			return fn(tx, func(steps ...step) error { return runTx(ctx, tx, steps) })
		}, keys...)
		if !errors.Is(err, redis.TxFailedErr) {
			return err
		}
		// Another writer won: back off a little, with jitter, and read again.
		select {
		case <-time.After(time.Duration(1+rand.IntN(1<<min(i, 6))) * time.Millisecond):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return err
}

func asString(v any) string {
	s, _ := v.(string)
	return s
}

// Chat returns chat id's settings; ok is false when the chat is unknown.
func (s *Store) Chat(ctx context.Context, id int64) (c news.Chat, ok bool, err error) {
	h, err := s.rdb.HGetAll(ctx, s.chatKeySet(id).hash).Result()
	if err != nil {
		return news.Chat{}, false, fmt.Errorf("chat %d: %w", id, err)
	}
	if len(h) == 0 {
		return news.Chat{}, false, nil
	}
	return chatFromFields(id, h), true, nil
}

// DeleteChat removes every key of chat id (settings, feeds, alerts, digest
// queue, linked-channel list) and every reverse index entry pointing at it.
func (s *Store) DeleteChat(ctx context.Context, id int64) error {
	k := s.chatKeySet(id)
	sid := strconv.FormatInt(id, 10)
	err := s.chatTx(ctx, func(rd redis.Cmdable, exec func(...step) error) error {
		h, err := rd.HMGet(ctx, k.hash, chatFieldTopics, chatFieldOwner).Result()
		if err != nil {
			return err
		}
		feeds, err := rd.SMembers(ctx, k.feeds).Result()
		if err != nil {
			return err
		}
		topics := splitList(asString(h[0]))
		owner, _ := strconv.ParseInt(asString(h[1]), 10, 64)
		// Reverse indexes first: a failure before the chat's own keys go
		// leaves a chat that deleting again removes.
		return exec(spread(func(p redis.Pipeliner) {
			for _, f := range feeds {
				p.SRem(ctx, s.subsOfFeedKey(f), sid)
			}
			for _, t := range topics {
				p.SRem(ctx, s.subsOfTopicKey(t), sid)
			}
			if owner != 0 {
				p.SRem(ctx, s.chatKeySet(owner).channels, sid)
			}
		}), inSlot(func(p redis.Pipeliner) {
			p.Del(ctx, k.hash, k.feeds, k.alerts, k.channels, k.digest)
		}))
	}, k.hash, k.feeds)
	if err != nil {
		return fmt.Errorf("delete chat %d: %w", id, err)
	}
	// The chat's alerts went with it: tell every replica's alert index.
	return s.NotifyAlertsChanged(ctx, id)
}

// Subscribe adds feedID to chat chatID's feeds and the chat to the feed's
// subscribers, atomically. added is false when it was already subscribed.
func (s *Store) Subscribe(ctx context.Context, chatID int64, feedID string) (added bool, err error) {
	var n *redis.IntCmd
	// The feed's subscribers first (what delivery reads), then the chat's
	// list (what added reports), so that subscribing again after a failure
	// in between completes the pair and says so.
	err = s.write(ctx, inSlot(func(p redis.Pipeliner) {
		p.SAdd(ctx, s.subsOfFeedKey(feedID), strconv.FormatInt(chatID, 10))
	}), inSlot(func(p redis.Pipeliner) {
		n = p.SAdd(ctx, s.chatKeySet(chatID).feeds, feedID)
	}))
	if err != nil {
		return false, fmt.Errorf("subscribe chat %d to %s: %w", chatID, feedID, err)
	}
	return n.Val() == 1, nil
}

// Unsubscribe removes feedID from the chat's feeds and the chat from the
// feed's subscribers. removed is false when it was not subscribed.
func (s *Store) Unsubscribe(ctx context.Context, chatID int64, feedID string) (removed bool, err error) {
	var n *redis.IntCmd
	err = s.write(ctx, inSlot(func(p redis.Pipeliner) {
		p.SRem(ctx, s.subsOfFeedKey(feedID), strconv.FormatInt(chatID, 10))
	}), inSlot(func(p redis.Pipeliner) {
		n = p.SRem(ctx, s.chatKeySet(chatID).feeds, feedID)
	}))
	if err != nil {
		return false, fmt.Errorf("unsubscribe chat %d from %s: %w", chatID, feedID, err)
	}
	return n.Val() == 1, nil
}

// ChatFeeds returns the ids of the feeds chat chatID is subscribed to, sorted.
func (s *Store) ChatFeeds(ctx context.Context, chatID int64) ([]string, error) {
	feeds, err := s.rdb.SMembers(ctx, s.chatKeySet(chatID).feeds).Result()
	if err != nil {
		return nil, fmt.Errorf("feeds of chat %d: %w", chatID, err)
	}
	slices.Sort(feeds)
	return feeds, nil
}

// FeedSubscribers returns the chats subscribed to feedID.
func (s *Store) FeedSubscribers(ctx context.Context, feedID string) ([]int64, error) {
	ids, err := s.int64Members(ctx, s.subsOfFeedKey(feedID))
	if err != nil {
		return nil, fmt.Errorf("subscribers of feed %s: %w", feedID, err)
	}
	return ids, nil
}

// TopicSubscribers returns the chats subscribed to topic.
func (s *Store) TopicSubscribers(ctx context.Context, topic string) ([]int64, error) {
	ids, err := s.int64Members(ctx, s.subsOfTopicKey(topic))
	if err != nil {
		return nil, fmt.Errorf("subscribers of topic %s: %w", topic, err)
	}
	return ids, nil
}

// LinkedChannels returns the channels private chat owner has linked.
func (s *Store) LinkedChannels(ctx context.Context, owner int64) ([]int64, error) {
	ids, err := s.int64Members(ctx, s.chatKeySet(owner).channels)
	if err != nil {
		return nil, fmt.Errorf("channels of chat %d: %w", owner, err)
	}
	return ids, nil
}

func (s *Store) int64Members(ctx context.Context, key string) ([]int64, error) {
	members, err := s.rdb.SMembers(ctx, key).Result()
	if err != nil {
		return nil, err
	}
	ids := make([]int64, 0, len(members))
	for _, m := range members {
		if id, err := strconv.ParseInt(m, 10, 64); err == nil {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// SetTopics replaces the topics of an existing chat, keeping the
// topic:{name}:subs sets in step.
func (s *Store) SetTopics(ctx context.Context, chatID int64, topics []string) error {
	c, ok, err := s.Chat(ctx, chatID)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("set topics of chat %d: %w", chatID, ErrNoChat)
	}
	c.Topics = slices.Clone(topics)
	return s.SaveChat(ctx, c)
}

// SetChatStatus sets the status (news.StatusActive or news.StatusGone) of an
// existing chat without touching its other settings.
func (s *Store) SetChatStatus(ctx context.Context, id int64, status string) error {
	k := s.chatKeySet(id).hash
	n, err := s.rdb.Exists(ctx, k).Result()
	if err != nil {
		return fmt.Errorf("set status of chat %d: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("set status of chat %d: %w", id, ErrNoChat)
	}
	if status == "" || status == DefaultStatus {
		err = s.rdb.HDel(ctx, k, chatFieldStatus).Err()
	} else {
		err = s.rdb.HSet(ctx, k, chatFieldStatus, status).Err()
	}
	if err != nil {
		return fmt.Errorf("set status of chat %d: %w", id, err)
	}
	return nil
}

// SetChatPaused pauses or resumes an existing chat.
func (s *Store) SetChatPaused(ctx context.Context, id int64, paused bool) error {
	c, ok, err := s.Chat(ctx, id)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("pause chat %d: %w", id, ErrNoChat)
	}
	c.Paused = paused
	return s.SaveChat(ctx, c)
}

// EditTarget returns the linked channel whose settings private chat chatID
// is editing, or 0 when it edits its own.
func (s *Store) EditTarget(ctx context.Context, chatID int64) (int64, error) {
	v, err := s.rdb.HGet(ctx, s.chatKeySet(chatID).hash, chatFieldEdit).Result()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("edit target of chat %d: %w", chatID, err)
	}
	id, _ := strconv.ParseInt(v, 10, 64)
	return id, nil
}

// SetEditTarget makes private chat chatID edit the settings of channel
// target; 0 goes back to its own. The chat must exist.
func (s *Store) SetEditTarget(ctx context.Context, chatID, target int64) error {
	k := s.chatKeySet(chatID).hash
	var err error
	if target == 0 {
		err = s.rdb.HDel(ctx, k, chatFieldEdit).Err()
	} else {
		var n int64
		n, err = s.rdb.Exists(ctx, k).Result()
		if err == nil && n == 0 {
			return fmt.Errorf("edit target of chat %d: %w", chatID, ErrNoChat)
		}
		if err == nil {
			err = s.rdb.HSet(ctx, k, chatFieldEdit, strconv.FormatInt(target, 10)).Err()
		}
	}
	if err != nil {
		return fmt.Errorf("edit target of chat %d: %w", chatID, err)
	}
	return nil
}

// MigrateChat moves every key of chat from (settings, feeds and their reverse
// index, topics, alerts, digest queue, linked channels) to chat to, as when
// Telegram upgrades a group to a supergroup. Settings of from win over those
// already stored for to; feeds, alerts and digest entries are merged.
// Migrating a chat that no longer exists is a no-op, so a retry after a
// partial failure is safe.
//
// On a single Redis the move is one MULTI transaction. On Redis Cluster the
// keys of the two chats and the reverse indexes live in different slots, so
// each slot's part is its own transaction, in an order where a crash in
// between leaves a state that a second MigrateChat completes. The old id
// keeps a pointer to the new one (MigratedTo) for the jobs still queued.
func (s *Store) MigrateChat(ctx context.Context, from, to int64) error {
	if from == to {
		return nil
	}
	src, dst := s.chatKeySet(from), s.chatKeySet(to)
	fromID, toID := strconv.FormatInt(from, 10), strconv.FormatInt(to, 10)
	err := s.chatTx(ctx, func(rd redis.Cmdable, exec func(...step) error) error {
		h, err := rd.HGetAll(ctx, src.hash).Result()
		if err != nil {
			return err
		}
		feeds, err := rd.SMembers(ctx, src.feeds).Result()
		if err != nil {
			return err
		}
		alerts, err := rd.HGetAll(ctx, src.alerts).Result()
		if err != nil {
			return err
		}
		digest, err := rd.ZRangeWithScores(ctx, src.digest, 0, -1).Result()
		if err != nil {
			return err
		}
		channels, err := rd.SMembers(ctx, src.channels).Result()
		if err != nil {
			return err
		}
		if len(h) == 0 && len(feeds) == 0 && len(alerts) == 0 && len(digest) == 0 && len(channels) == 0 {
			return nil // moved already
		}
		oldTopics := splitList(h[chatFieldTopics])
		oldOwner, _ := strconv.ParseInt(h[chatFieldOwner], 10, 64)
		if h[chatFieldKind] == string(news.ChatGroup) {
			h[chatFieldKind] = string(news.ChatSupergroup)
		}
		// The new chat's keys, then the reverse indexes, then the old chat's
		// keys go and a pointer to the new id stays: each step in its own
		// slot on Cluster, and repeating the move after a failure completes it.
		return exec(inSlot(func(p redis.Pipeliner) {
			if len(h) > 0 {
				// The target may have settings of its own (an update from the
				// supergroup arrived first): drop them, then copy from's.
				p.Del(ctx, dst.hash)
				p.HSet(ctx, dst.hash, h)
			}
			for _, f := range feeds {
				p.SAdd(ctx, dst.feeds, f)
			}
			if len(alerts) > 0 {
				p.HSet(ctx, dst.alerts, alerts)
			}
			if len(digest) > 0 {
				p.ZAdd(ctx, dst.digest, digest...)
			}
			if len(channels) > 0 {
				p.SAdd(ctx, dst.channels, toAny(channels)...)
			}
		}), spread(func(p redis.Pipeliner) {
			for _, t := range oldTopics {
				p.SRem(ctx, s.subsOfTopicKey(t), fromID)
				p.SAdd(ctx, s.subsOfTopicKey(t), toID)
			}
			if oldOwner != 0 {
				p.SRem(ctx, s.chatKeySet(oldOwner).channels, fromID)
				p.SAdd(ctx, s.chatKeySet(oldOwner).channels, toID)
			}
			for _, f := range feeds {
				p.SRem(ctx, s.subsOfFeedKey(f), fromID)
				p.SAdd(ctx, s.subsOfFeedKey(f), toID)
			}
		}), inSlot(func(p redis.Pipeliner) {
			p.Del(ctx, src.hash, src.feeds, src.alerts, src.digest, src.channels)
			p.Set(ctx, src.moved, toID, movedTTL)
		}))
	}, src.hash, src.feeds, src.alerts, src.digest, src.channels)
	if err != nil {
		return fmt.Errorf("migrate chat %d to %d: %w", from, to, err)
	}
	// The alerts moved to the new id: every replica's index must follow.
	return s.NotifyAlertsChanged(ctx, from, to)
}

// movedTTL is how long a migrated group's old id points to its new one: as
// long as a job queued for the old id can wait (stories live 72 hours).
const movedTTL = 7 * 24 * time.Hour

// MigratedTo returns the id chat id was migrated to, if it was (within the
// last week): jobs queued for the old id follow the chat there.
func (s *Store) MigratedTo(ctx context.Context, id int64) (int64, bool, error) {
	v, err := s.rdb.Get(ctx, s.chatKeySet(id).moved).Result()
	if errors.Is(err, redis.Nil) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("migration of chat %d: %w", id, err)
	}
	to, err := strconv.ParseInt(v, 10, 64)
	if err != nil || to == 0 {
		return 0, false, nil
	}
	return to, true, nil
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// ChatIDs lists the ids of every stored chat, sorted. It scans the key space
// (every master on Redis Cluster), so it is meant for start-up and
// maintenance, not for each message.
func (s *Store) ChatIDs(ctx context.Context) ([]int64, error) {
	pattern := s.key("chat", "{*}")
	head := s.key("chat", "{")
	var (
		mu  sync.Mutex
		ids []int64
	)
	scan := func(ctx context.Context, c redis.Cmdable) error {
		it := c.Scan(ctx, 0, pattern, 1000).Iterator()
		for it.Next(ctx) {
			k := it.Val()
			if !strings.HasPrefix(k, head) || !strings.HasSuffix(k, "}") {
				continue
			}
			id, err := strconv.ParseInt(k[len(head):len(k)-1], 10, 64)
			if err != nil {
				continue
			}
			mu.Lock()
			ids = append(ids, id)
			mu.Unlock()
		}
		return it.Err()
	}
	if err := s.onEveryMaster(ctx, scan); err != nil {
		return nil, fmt.Errorf("list chats: %w", err)
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// Chats yields every stored chat with its settings, loading them in batches.
// Iteration stops at the first error, which is yielded.
func (s *Store) Chats(ctx context.Context) iter.Seq2[news.Chat, error] {
	return func(yield func(news.Chat, error) bool) {
		ids, err := s.ChatIDs(ctx)
		if err != nil {
			yield(news.Chat{}, err)
			return
		}
		const batch = 500
		for start := 0; start < len(ids); start += batch {
			part := ids[start:min(start+batch, len(ids))]
			cmds := make([]*redis.MapStringStringCmd, len(part))
			_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
				for i, id := range part {
					cmds[i] = p.HGetAll(ctx, s.chatKeySet(id).hash)
				}
				return nil
			})
			if err != nil {
				yield(news.Chat{}, fmt.Errorf("list chats: %w", err))
				return
			}
			for i, id := range part {
				h := cmds[i].Val()
				if len(h) == 0 {
					continue // deleted since the scan
				}
				if !yield(chatFromFields(id, h), nil) {
					return
				}
			}
		}
	}
}
