package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/redis/go-redis/v9"
)

// OutboxGroup is the consumer group of the outbox stream: every sender of
// every replica reads through it, so each job goes to one sender at a time.
const OutboxGroup = "senders"

// deadMaxLen bounds the dead stream (approximately, as XADD MAXLEN ~ does).
const deadMaxLen = 10000

// jobRecord is how a job is written in the outbox stream, the delayed set
// and the dead stream. The Lua scripts below read it too: the names are the
// storage format, kept short and never renamed.
type jobRecord struct {
	ChatID   int64    `json:"chat"`
	StoryID  string   `json:"story"`
	Article  string   `json:"art,omitempty"`
	Alerts   []string `json:"alerts,omitempty"`
	Digest   []string `json:"digest,omitempty"`
	Attempt  int      `json:"attempt,omitempty"`
	Enqueued int64    `json:"enq"`
}

// encodeJob writes j in its stored form (the stream id is not part of it).
func encodeJob(j news.OutboxJob) ([]byte, error) {
	return json.Marshal(jobRecord{ChatID: j.ChatID, StoryID: j.StoryID, Article: j.Article, Alerts: j.Alerts,
		Digest: j.Digest, Attempt: j.Attempt, Enqueued: j.Enqueued})
}

// decodeJob reads a job in its stored form.
func decodeJob(raw []byte) (news.OutboxJob, error) {
	var r jobRecord
	if err := json.Unmarshal(raw, &r); err != nil {
		return news.OutboxJob{}, err
	}
	return news.OutboxJob{ChatID: r.ChatID, StoryID: r.StoryID, Article: r.Article, Alerts: r.Alerts,
		Digest: r.Digest, Attempt: r.Attempt, Enqueued: r.Enqueued}, nil
}

func jobValues(j news.OutboxJob) map[string]any {
	b, _ := encodeJob(j)
	return map[string]any{"job": string(b), "chat": j.ChatID, "story": j.StoryID}
}

func jobFromMessage(m redis.XMessage) (news.OutboxJob, error) {
	raw, _ := m.Values["job"].(string)
	j, err := decodeJob([]byte(raw))
	if err != nil {
		return news.OutboxJob{ID: m.ID}, fmt.Errorf("outbox entry %s: %w", m.ID, err)
	}
	j.ID = m.ID
	return j, nil
}

// The queue's keys share the hash tag {outbox}: on Redis Cluster they live
// in one slot, so moving a job between them (route, retry, promote, dead)
// stays one atomic script or transaction. The set of chats a story was
// routed to is among them for the same reason: routing checks it and queues
// the job in one step, so a chat gets one job per story.
func (s *Store) outboxKey() string              { return s.key(tag("outbox")) }
func (s *Store) delayedKey() string             { return s.key(tag("outbox"), "delayed") }
func (s *Store) deadKey() string                { return s.key(tag("outbox"), "dead") }
func (s *Store) digestsDueKey() string          { return s.key(tag("outbox"), "digests", "due") }
func (s *Store) storyChatsKey(id string) string { return s.key(tag("outbox"), "routed", id) }
func (s *Store) sentKey(chat int64, story string) string {
	return s.key("sent", tag(strconv.FormatInt(chat, 10)), story)
}
func (s *Store) digestKey(chat int64) string {
	return s.key("digest", tag(strconv.FormatInt(chat, 10)))
}

// routeScript queues each route unless its chat already has the story
// ({outbox}:routed:<story>), so a chat gets one job per story however many
// outlets and alerts lead to it. Every key is in the {outbox} slot. KEYS:
// routed set, outbox, delayed, digests due. ARGV: ttl ms, then per route:
// kind, chat, payload (the job; unused for a digest), score, digest due.
var routeScript = redis.NewScript(`
local ttl = tonumber(ARGV[1])
local n = 0
for i = 2, #ARGV, 5 do
  local kind, chat, payload, score = ARGV[i], ARGV[i+1], ARGV[i+2], ARGV[i+3]
  if redis.call('SADD', KEYS[1], chat) == 1 then
    n = n + 1
    if kind == '0' then
      redis.call('XADD', KEYS[2], '*', 'job', payload, 'chat', chat)
    elseif kind == '1' then
      redis.call('ZADD', KEYS[3], score, payload)
    else
      redis.call('ZADD', KEYS[4], 'LT', ARGV[i+4], chat)
    end
  end
end
redis.call('PEXPIRE', KEYS[1], ttl)
return n
`)

// digestAddScript adds "story/article" (ARGV[2]) to a chat's digest queue
// (KEYS[1]) at score ARGV[3], unless the queue holds the story already
// under any article (ARGV[1] is "story/").
var digestAddScript = redis.NewScript(`
for _, m in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  if string.sub(m, 1, #ARGV[1]) == ARGV[1] then return 0 end
end
return redis.call('ZADD', KEYS[1], ARGV[3], ARGV[2])
`)

// RouteStory queues a story for chats, at most once per chat and story for
// ttl: instant jobs go to the outbox, quiet-hour jobs to the delayed set,
// digest chats to their digest queue (and the digest schedule). It returns
// how many routes were new.
func (s *Store) RouteStory(ctx context.Context, storyID string, routes []news.Route, ttl time.Duration) (int, error) {
	if len(routes) == 0 {
		return 0, nil
	}
	keys := []string{s.storyChatsKey(storyID), s.outboxKey(), s.delayedKey(), s.digestsDueKey()}
	if err := s.queueDigestEntries(ctx, storyID, routes); err != nil {
		return 0, fmt.Errorf("route story %s: %w", storyID, err)
	}
	args := []any{ttl.Milliseconds()}
	for _, r := range routes {
		var payload string
		var score, due int64
		switch r.Kind {
		case news.RouteDigest:
			payload, score, due = r.StoryID+"/"+r.Article, r.Enqueued, r.At.UnixMilli()
		default:
			b, err := encodeJob(r.OutboxJob)
			if err != nil {
				return 0, fmt.Errorf("route story %s: %w", storyID, err)
			}
			payload = string(b)
			if r.Kind == news.RouteLater {
				score = r.At.UnixMilli()
			}
		}
		args = append(args, int(r.Kind), r.ChatID, payload, score, due)
	}
	n, err := routeScript.Run(ctx, s.rdb, keys, args...).Int()
	if err != nil {
		return 0, fmt.Errorf("route story %s: %w", storyID, err)
	}
	return n, nil
}

// queueDigestEntries adds the story to the digest queue (a key of the chat's
// own slot) of each digest route whose chat has not had it yet. It runs
// before the routing script marks the chats: a failure in between leaves an
// entry that routing again finds in place, never a chat marked but missing
// the story.
func (s *Store) queueDigestEntries(ctx context.Context, storyID string, routes []news.Route) error {
	var digests []news.Route
	for _, r := range routes {
		if r.Kind == news.RouteDigest {
			digests = append(digests, r)
		}
	}
	if len(digests) == 0 {
		return nil
	}
	members := make([]any, len(digests))
	for i, r := range digests {
		members[i] = strconv.FormatInt(r.ChatID, 10)
	}
	had, err := s.rdb.SMIsMember(ctx, s.storyChatsKey(storyID), members...).Result()
	if err != nil {
		return err
	}
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, r := range digests {
			if !had[i] {
				digestAddScript.Eval(ctx, p, []string{s.digestKey(r.ChatID)}, r.StoryID+"/", r.StoryID+"/"+r.Article, r.Enqueued)
			}
		}
		return nil
	})
	return err
}

// EnsureOutbox creates the outbox stream and its consumer group if needed.
// Queues kept under the names of earlier versions (before the {outbox} hash
// tag) are renamed first, with their consumer group and pending jobs.
func (s *Store) EnsureOutbox(ctx context.Context) error {
	if !s.cluster() {
		for old, cur := range map[string]string{
			s.key("outbox"): s.outboxKey(), s.key("outbox", "delayed"): s.delayedKey(),
			s.key("dead"): s.deadKey(), s.key("digests", "due"): s.digestsDueKey(),
		} {
			err := s.rdb.RenameNX(ctx, old, cur).Err()
			if err != nil && !strings.Contains(err.Error(), "no such key") {
				return fmt.Errorf("outbox: rename %s: %w", old, err)
			}
		}
	}
	err := s.rdb.XGroupCreateMkStream(ctx, s.outboxKey(), OutboxGroup, "0").Err()
	if err != nil && !strings.Contains(err.Error(), "BUSYGROUP") {
		return fmt.Errorf("outbox group: %w", err)
	}
	return nil
}

// Enqueue adds jobs to the outbox as they are (retries and digests).
func (s *Store) Enqueue(ctx context.Context, jobs ...news.OutboxJob) error {
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, j := range jobs {
			p.XAdd(ctx, &redis.XAddArgs{Stream: s.outboxKey(), Values: jobValues(j)})
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("enqueue: %w", err)
	}
	return nil
}

// ReadJobs gives consumer up to n new jobs, waiting up to block for one.
// It asks without blocking first: a blocked read on a connection the server
// dropped without closing it (seen with an embedded server restarted) would
// otherwise hang until the client's read timeout, and with the client's
// ContextTimeoutEnabled the blocking read ends at block plus two seconds.
func (s *Store) ReadJobs(ctx context.Context, consumer string, n int, block time.Duration) ([]news.OutboxJob, error) {
	jobs, err := s.readJobs(ctx, consumer, n, -1)
	if err != nil || len(jobs) > 0 || block <= 0 {
		return jobs, err
	}
	ctx, cancel := context.WithTimeout(ctx, block+2*time.Second)
	defer cancel()
	return s.readJobs(ctx, consumer, n, block)
}

func (s *Store) readJobs(ctx context.Context, consumer string, n int, block time.Duration) ([]news.OutboxJob, error) {
	res, err := s.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{
		Group: OutboxGroup, Consumer: consumer, Streams: []string{s.outboxKey(), ">"}, Count: int64(n), Block: block,
	}).Result()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		if strings.Contains(err.Error(), "NOGROUP") {
			if err := s.EnsureOutbox(ctx); err != nil {
				return nil, err
			}
			return nil, nil
		}
		return nil, fmt.Errorf("read outbox: %w", err)
	}
	return s.decodeJobs(ctx, res[0].Messages)
}

// ClaimJobs takes over up to n jobs that other consumers read but did not
// acknowledge for minIdle: their sender died or hangs.
func (s *Store) ClaimJobs(ctx context.Context, consumer string, minIdle time.Duration, n int) ([]news.OutboxJob, error) {
	msgs, _, err := s.rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{
		Stream: s.outboxKey(), Group: OutboxGroup, Consumer: consumer, MinIdle: minIdle, Start: "0-0", Count: int64(n),
	}).Result()
	if err != nil {
		if strings.Contains(err.Error(), "NOGROUP") {
			return nil, s.EnsureOutbox(ctx)
		}
		return nil, fmt.Errorf("claim outbox: %w", err)
	}
	return s.decodeJobs(ctx, msgs)
}

// decodeJobs turns stream entries into jobs; an entry that cannot be
// decoded is moved to the dead stream rather than retried forever.
func (s *Store) decodeJobs(ctx context.Context, msgs []redis.XMessage) ([]news.OutboxJob, error) {
	jobs := make([]news.OutboxJob, 0, len(msgs))
	for _, m := range msgs {
		if m.Values == nil {
			_ = s.AckJob(ctx, news.OutboxJob{ID: m.ID}) // deleted while pending
			continue
		}
		j, err := jobFromMessage(m)
		if err != nil {
			if err := s.DeadJob(ctx, j, err.Error()); err != nil {
				return jobs, err
			}
			continue
		}
		jobs = append(jobs, j)
	}
	return jobs, nil
}

// AckJob removes a delivered (or permanently undeliverable) job.
func (s *Store) AckJob(ctx context.Context, j news.OutboxJob) error {
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.XAck(ctx, s.outboxKey(), OutboxGroup, j.ID)
		p.XDel(ctx, s.outboxKey(), j.ID)
		return nil
	})
	if err != nil {
		return fmt.Errorf("ack job %s: %w", j.ID, err)
	}
	return nil
}

// RetryJob moves a job to the delayed set, due at, and acknowledges it.
func (s *Store) RetryJob(ctx context.Context, j news.OutboxJob, at time.Time) error {
	b, err := encodeJob(j)
	if err != nil {
		return fmt.Errorf("retry job %s: %w", j.ID, err)
	}
	_, err = s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.ZAdd(ctx, s.delayedKey(), redis.Z{Score: float64(at.UnixMilli()), Member: string(b)})
		if j.ID != "" {
			p.XAck(ctx, s.outboxKey(), OutboxGroup, j.ID)
			p.XDel(ctx, s.outboxKey(), j.ID)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("retry job %s: %w", j.ID, err)
	}
	return nil
}

// DeadJob moves a job to the dead stream with the reason, and acknowledges it.
func (s *Store) DeadJob(ctx context.Context, j news.OutboxJob, reason string) error {
	b, _ := encodeJob(j)
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.XAdd(ctx, &redis.XAddArgs{
			Stream: s.deadKey(), MaxLen: deadMaxLen, Approx: true,
			Values: map[string]any{"job": string(b), "reason": reason, "chat": j.ChatID, "story": j.StoryID},
		})
		if j.ID != "" {
			p.XAck(ctx, s.outboxKey(), OutboxGroup, j.ID)
			p.XDel(ctx, s.outboxKey(), j.ID)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("dead job %s: %w", j.ID, err)
	}
	return nil
}

// DeadJobs lists the dead stream, oldest first, with each job's reason.
func (s *Store) DeadJobs(ctx context.Context, n int) ([]news.OutboxJob, []string, error) {
	msgs, err := s.rdb.XRangeN(ctx, s.deadKey(), "-", "+", int64(n)).Result()
	if err != nil {
		return nil, nil, fmt.Errorf("dead jobs: %w", err)
	}
	var jobs []news.OutboxJob
	var reasons []string
	for _, m := range msgs {
		j, err := jobFromMessage(m)
		if err != nil {
			continue
		}
		jobs = append(jobs, j)
		r, _ := m.Values["reason"].(string)
		reasons = append(reasons, r)
	}
	return jobs, reasons, nil
}

// promoteScript moves due jobs from the delayed set to the outbox.
var promoteScript = redis.NewScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, job in ipairs(due) do
  local j = cjson.decode(job)
  redis.call('XADD', KEYS[2], '*', 'job', job, 'chat', tostring(j['chat']))
  redis.call('ZREM', KEYS[1], job)
end
return #due
`)

// PromoteDue moves up to n jobs due by now from the delayed set (quiet
// hours, retries) into the outbox, atomically.
func (s *Store) PromoteDue(ctx context.Context, now time.Time, n int) (int, error) {
	c, err := promoteScript.Run(ctx, s.rdb, []string{s.delayedKey(), s.outboxKey()}, now.UnixMilli(), n).Int()
	if err != nil {
		return 0, fmt.Errorf("promote delayed jobs: %w", err)
	}
	return c, nil
}

// WasSent returns the Telegram message id recorded for chat and story, and
// whether there is one (a send in progress is not one).
func (s *Store) WasSent(ctx context.Context, chat int64, story string) (int, bool, error) {
	v, err := s.rdb.Get(ctx, s.sentKey(chat, story)).Result()
	if errors.Is(err, redis.Nil) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("sent %d %s: %w", chat, story, err)
	}
	id, err := strconv.Atoi(v)
	if err != nil {
		return 0, false, nil // "~owner": being sent
	}
	return id, true, nil
}

// claimSendScript takes the sent key of a message for a sender
// ("~owner@until", until in ms) unless the message was sent (the key holds
// its id) or another sender holds an unexpired claim. The expiry is in the
// value, against the caller's clock, as well as the key's TTL. KEYS[1] sent
// key; ARGV owner, now ms, ttl ms. Returns {outcome, message id}.
var claimSendScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
local now, ttl = tonumber(ARGV[2]), tonumber(ARGV[3])
if v and string.sub(v, 1, 1) ~= '~' then return {2, tonumber(v)} end
if v then
  local owner, untl = string.match(v, '^~(.*)@(%d+)$')
  if owner ~= ARGV[1] and untl and tonumber(untl) > now then return {1, 0} end
end
redis.call('SET', KEYS[1], '~' .. ARGV[1] .. '@' .. string.format('%d', now + ttl), 'PX', ttl)
return {0, 0}
`)

// ClaimSend lets one sender at a time send story to chat: when a job was
// taken over from a sender that was only slow, not dead, the two do not
// both send it. The claim lasts ttl from now (a sender that dies holding it
// blocks the message that long) and becomes the sent mark with MarkSent. It
// returns news.SendClaimed, news.SendBusy, or news.SendDone with the
// message id.
func (s *Store) ClaimSend(ctx context.Context, chat int64, story, owner string, now time.Time, ttl time.Duration) (news.SendClaim, int, error) {
	v, err := claimSendScript.Run(ctx, s.rdb, []string{s.sentKey(chat, story)}, owner, now.UnixMilli(), max(ttl.Milliseconds(), 1)).Int64Slice()
	if err != nil {
		return 0, 0, fmt.Errorf("claim send %d %s: %w", chat, story, err)
	}
	return news.SendClaim(v[0]), int(v[1]), nil
}

// releaseSendScript deletes the sent key only when it is owner's claim.
var releaseSendScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v and string.match(v, '^~(.*)@%d+$') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`)

// ReleaseSend gives up owner's claim on a message it did not send (it will
// be retried, perhaps by another sender).
func (s *Store) ReleaseSend(ctx context.Context, chat int64, story, owner string) error {
	if err := releaseSendScript.Run(ctx, s.rdb, []string{s.sentKey(chat, story)}, owner).Err(); err != nil {
		return fmt.Errorf("release send %d %s: %w", chat, story, err)
	}
	return nil
}

// MarkSent records that story went to chat as message msgID, for ttl.
func (s *Store) MarkSent(ctx context.Context, chat int64, story string, msgID int, ttl time.Duration) error {
	if err := s.rdb.Set(ctx, s.sentKey(chat, story), msgID, ttl).Err(); err != nil {
		return fmt.Errorf("mark sent %d %s: %w", chat, story, err)
	}
	return nil
}

// OutboxStats describes the delivery queues.
type OutboxStats struct {
	Length  int64 // entries in the outbox stream
	Pending int64 // read but not acknowledged
	Delayed int64 // waiting for quiet hours or a retry
	Dead    int64
}

// Outbox returns the queues' sizes.
func (s *Store) Outbox(ctx context.Context) (OutboxStats, error) {
	var st OutboxStats
	var xl, zl, dl *redis.IntCmd
	var pend *redis.XPendingCmd
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		xl = p.XLen(ctx, s.outboxKey())
		pend = p.XPending(ctx, s.outboxKey(), OutboxGroup)
		zl = p.ZCard(ctx, s.delayedKey())
		dl = p.XLen(ctx, s.deadKey())
		return nil
	})
	if err != nil && !errors.Is(err, redis.Nil) && !strings.Contains(err.Error(), "NOGROUP") {
		return st, fmt.Errorf("outbox stats: %w", err)
	}
	st.Length, st.Delayed, st.Dead = xl.Val(), zl.Val(), dl.Val()
	if p := pend.Val(); p != nil {
		st.Pending = p.Count
	}
	return st, nil
}

// DueDigests claims up to n chats whose digest time has come: each chat is
// removed from the schedule by exactly one caller, which must then send it.
func (s *Store) DueDigests(ctx context.Context, now time.Time, n int) ([]int64, error) {
	ids, err := s.rdb.ZRangeByScore(ctx, s.digestsDueKey(), &redis.ZRangeBy{
		Min: "-inf", Max: strconv.FormatInt(now.UnixMilli(), 10), Count: int64(n),
	}).Result()
	if err != nil {
		return nil, fmt.Errorf("due digests: %w", err)
	}
	var out []int64
	for _, id := range ids {
		removed, err := s.rdb.ZRem(ctx, s.digestsDueKey(), id).Result()
		if err != nil {
			return out, fmt.Errorf("due digests: %w", err)
		}
		if removed == 1 {
			c, _ := strconv.ParseInt(id, 10, 64)
			out = append(out, c)
		}
	}
	return out, nil
}

// ScheduleDigest sets chat's next digest time unless an earlier one is set.
func (s *Store) ScheduleDigest(ctx context.Context, chat int64, at time.Time) error {
	err := s.rdb.ZAddArgs(ctx, s.digestsDueKey(), redis.ZAddArgs{LT: true, Members: []redis.Z{{Score: float64(at.UnixMilli()), Member: chat}}}).Err()
	if err != nil {
		return fmt.Errorf("schedule digest %d: %w", chat, err)
	}
	return nil
}

// TakeDigest turns the stories collected for chat up to now into one digest
// job in the outbox and empties the queue of them, atomically. It returns
// false (and queues nothing) when there was nothing to send.
func (s *Store) TakeDigest(ctx context.Context, chat int64, now time.Time) (bool, error) {
	key := s.digestKey(chat)
	entries, err := s.rdb.ZRangeByScore(ctx, key, &redis.ZRangeBy{Min: "-inf", Max: strconv.FormatInt(now.UnixMilli(), 10)}).Result()
	if err != nil {
		return false, fmt.Errorf("digest %d: %w", chat, err)
	}
	if len(entries) == 0 {
		return false, nil
	}
	j := news.OutboxJob{ChatID: chat, StoryID: "digest-" + strconv.FormatInt(now.UnixMilli(), 10), Digest: entries, Enqueued: now.UnixMilli()}
	// The job first, then the entries go: a failure in between sends them
	// again in the next digest rather than never.
	err = s.write(ctx, inSlot(func(p redis.Pipeliner) {
		p.XAdd(ctx, &redis.XAddArgs{Stream: s.outboxKey(), Values: jobValues(j)})
	}), inSlot(func(p redis.Pipeliner) {
		p.ZRem(ctx, key, toAny(entries)...)
	}))
	if err != nil {
		return false, fmt.Errorf("digest %d: %w", chat, err)
	}
	return true, nil
}

// ReleaseHeld makes every job of chat in the delayed set (held for quiet
// hours, or waiting for a retry) due at now, as when the chat ends or
// changes its quiet hours.
func (s *Store) ReleaseHeld(ctx context.Context, chat int64, now time.Time) error {
	// Jobs are JSON objects whose first field is the chat ("chat":<id>).
	match := `{"chat":` + strconv.FormatInt(chat, 10) + `,*`
	var due []redis.Z
	it := s.rdb.ZScan(ctx, s.delayedKey(), 0, match, 500).Iterator()
	for it.Next(ctx) {
		member := it.Val()
		if !it.Next(ctx) {
			break
		}
		score, _ := strconv.ParseFloat(it.Val(), 64)
		if score > float64(now.UnixMilli()) {
			due = append(due, redis.Z{Score: float64(now.UnixMilli()), Member: member})
		}
	}
	if err := it.Err(); err != nil {
		return fmt.Errorf("release held jobs of chat %d: %w", chat, err)
	}
	if len(due) == 0 {
		return nil
	}
	// XX: a job promoted meanwhile is not brought back.
	if err := s.rdb.ZAddXX(ctx, s.delayedKey(), due...).Err(); err != nil {
		return fmt.Errorf("release held jobs of chat %d: %w", chat, err)
	}
	return nil
}

// PendingJobs returns up to n jobs consumer read and has not acknowledged:
// a sender that restarts under the same name resumes them at once instead of
// waiting for another sender to take them over.
func (s *Store) PendingJobs(ctx context.Context, consumer string, n int) ([]news.OutboxJob, error) {
	res, err := s.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{
		Group: OutboxGroup, Consumer: consumer, Streams: []string{s.outboxKey(), "0"}, Count: int64(n), Block: -1,
	}).Result()
	if errors.Is(err, redis.Nil) || (err != nil && strings.Contains(err.Error(), "NOGROUP")) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("pending jobs of %s: %w", consumer, err)
	}
	return s.decodeJobs(ctx, res[0].Messages)
}

// handBackScript puts the jobs consumer has pending back into the outbox as
// new entries (acknowledging and deleting the old ones), so that any sender
// reads them at once. KEYS[1] outbox; ARGV group, then the entry ids.
var handBackScript = redis.NewScript(`
local n = 0
for i = 2, #ARGV do
  local e = redis.call('XRANGE', KEYS[1], ARGV[i], ARGV[i])
  if e[1] then
    redis.call('XADD', KEYS[1], '*', unpack(e[1][2]))
    n = n + 1
  end
  redis.call('XACK', KEYS[1], ARGV[1], ARGV[i])
  redis.call('XDEL', KEYS[1], ARGV[i])
end
return n
`)

// HandBack returns the jobs consumer still has pending to the outbox for
// every sender, as a sender does when it stops: the next one (this process
// restarted, or another replica) sends them at once, not after ClaimIdle.
func (s *Store) HandBack(ctx context.Context, consumer string) (int, error) {
	total := 0
	for {
		pend, err := s.rdb.XPendingExt(ctx, &redis.XPendingExtArgs{
			Stream: s.outboxKey(), Group: OutboxGroup, Consumer: consumer, Start: "-", End: "+", Count: 100,
		}).Result()
		if err != nil {
			if strings.Contains(err.Error(), "NOGROUP") {
				return total, nil
			}
			return total, fmt.Errorf("hand back jobs of %s: %w", consumer, err)
		}
		if len(pend) == 0 {
			return total, nil
		}
		args := []any{OutboxGroup}
		for _, p := range pend {
			args = append(args, p.ID)
		}
		n, err := handBackScript.Run(ctx, s.rdb, []string{s.outboxKey()}, args...).Int()
		if err != nil {
			return total, fmt.Errorf("hand back jobs of %s: %w", consumer, err)
		}
		total += n
	}
}
