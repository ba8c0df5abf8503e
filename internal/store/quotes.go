package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/redis/go-redis/v9"
)

// The quote archive (who said what). Keys, each with the hash tag that keeps
// the keys used together in one Redis Cluster slot:
//
//	quote:{sid}                 hash   "q:<quote id>" -> the quote (JSON), for speaker sid
//	quote:{sid}:t               zset   quote id -> article date (ms): the speaker's timeline
//	quote:{names}               zset   "<name word>\x00<sid>", all scores 0: the name index, read by lexical range
//	quote:{names}:last          zset   sid -> date of the speaker's latest quote (ms)
//	quote:{names}:forms         hash   sid -> the name forms leading to it, one per line, words separated by spaces
//	quote:{names}:toks          hash   sid -> the words it is indexed under, separated by spaces
//	quote:{names}:alias         hash   sid of a name form -> sid of the speaker it leads to (same name in another script)
//	quote:{names}:aliasat       zset   aliased sid -> when the alias was last seen (ms)
//	quote:w:{word}              zset   "<sid>.<quote id>" -> date (ms): the newest quotes with a search word
//	quote:{voices}:<day>:<lang>[:<topic>]  zset  sid -> quotes archived that day (UTC) in that language (and topic)
//	quote:{weekly}              zset   chat id -> when its next "voices of the week" post is due (ms)
//	chat:{id}:qtap:<msg>:<sid>  string the chat was answered once for that speaker's button under that message
//
// A speaker's two keys change together in one script. The name index keys
// change together in another; word postings and daily counts are single-key
// commands. Saving a quote runs these steps in order, each safe to repeat,
// and counts a quote only when the speaker's step added it, so a crash costs
// at most a missing count or posting, never a double count.

func (s *Store) quoteKey(sid string) string     { return s.key("quote", tag(sid)) }
func (s *Store) quoteTimeKey(sid string) string { return s.key("quote", tag(sid), "t") }
func (s *Store) quoteNamesKey() string          { return s.key("quote", tag("names")) }
func (s *Store) quoteNamesPart(p string) string { return s.key("quote", tag("names"), p) }
func (s *Store) quoteWordKey(w string) string   { return s.key("quote", "w", tag(w)) }
func (s *Store) voicesKey(day time.Time, lang, topic string) string {
	d := day.UTC().Format("20060102")
	if topic == "" {
		return s.key("quote", tag("voices"), d, lang)
	}
	return s.key("quote", tag("voices"), d, lang, topic)
}
func (s *Store) voicesTempKey() string {
	return s.key("quote", tag("voices"), "tmp", strconv.FormatUint(rand.Uint64(), 36))
}
func (s *Store) weeklyKey() string { return s.key("quote", tag("weekly")) }
func (s *Store) quoteTapKey(chat int64, msg int, sid string) string {
	return s.key("chat", tag(strconv.FormatInt(chat, 10)), "qtap", strconv.Itoa(msg), sid)
}

// voicesKeep is how long a day's counts are kept after the day ends: the
// most-quoted voices look back a week.
const voicesKeep = 8 * 24 * time.Hour

// archivedQuote is a quote as stored in its speaker's hash.
type archivedQuote struct {
	Speaker string   `json:"s"`
	Role    string   `json:"r,omitempty"`
	Text    string   `json:"t"`
	Link    string   `json:"u,omitempty"`
	Source  string   `json:"o,omitempty"`
	Lang    string   `json:"l,omitempty"`
	Topics  []string `json:"tp,omitempty"`
	At      int64    `json:"a"`
}

const quoteFieldPrefix = "q:"

// nameSep separates a name word from the speaker id in the name index; no
// word holds it.
const nameSep = "\x00"

// saveNamesScript records a speaker's names and links the forms of one
// name. KEYS: names, last, forms, toks, alias, aliasat, linked.
// ARGV: sid, at, cutoff, nalias, alias sids..., nforms, forms..., ntoks, toks...
// It returns the speaker id the quote belongs to: sid, or the speaker sid
// is linked to because an article gave both forms of the name.
//
// Links keep one invariant: an alias always names a speaker that is not an
// alias itself, and linked lists, for that speaker, every id leading to it.
var saveNamesScript = redis.NewScript(`
local at = tonumber(ARGV[2])
local cutoff = tonumber(ARGV[3])
local i = 4
local aliases = {}
for k = 1, tonumber(ARGV[i]) do aliases[k] = ARGV[i + k] end
i = i + #aliases + 1
local forms = {}
for k = 1, tonumber(ARGV[i]) do forms[k] = ARGV[i + k] end
i = i + #forms + 1
local toks = {}
for k = 1, tonumber(ARGV[i]) do toks[k] = ARGV[i + k] end

local function resolve(id)
  local c = redis.call('HGET', KEYS[5], id)
  if c then
    redis.call('ZADD', KEYS[6], at, id)
    return c
  end
  return id
end
local function words(s)
  local out = {}
  for w in string.gmatch(s or '', '[^ ]+') do out[#out + 1] = w end
  return out
end
-- link makes from (a speaker, not an alias) lead to to.
local function link(from, to)
  local moved = words(redis.call('HGET', KEYS[7], from))
  moved[#moved + 1] = from
  local cur = redis.call('HGET', KEYS[7], to) or ''
  for _, x in ipairs(moved) do
    redis.call('HSET', KEYS[5], x, to)
    redis.call('ZADD', KEYS[6], at, x)
    if cur == '' then cur = x else cur = cur .. ' ' .. x end
  end
  redis.call('HSET', KEYS[7], to, cur)
  redis.call('HDEL', KEYS[7], from)
end

local sid = resolve(ARGV[1])
for _, a in ipairs(aliases) do
  local ca = resolve(a)
  if ca ~= sid then
    if redis.call('ZSCORE', KEYS[2], ca) and not redis.call('ZSCORE', KEYS[2], sid) then
      link(sid, ca)
      sid = ca
    else
      link(ca, sid)
    end
  end
end

local cur = redis.call('HGET', KEYS[3], sid) or ''
local have = {}
for line in string.gmatch(cur, '[^\n]+') do have[line] = true end
for _, f in ipairs(forms) do
  if not have[f] then
    if cur == '' then cur = f else cur = cur .. '\n' .. f end
    have[f] = true
  end
end
redis.call('HSET', KEYS[3], sid, cur)

local tcur = redis.call('HGET', KEYS[4], sid) or ''
local thave = {}
for _, w in ipairs(words(tcur)) do thave[w] = true end
for _, w in ipairs(toks) do
  if not thave[w] then
    redis.call('ZADD', KEYS[1], 0, w .. '\0' .. sid)
    if tcur == '' then tcur = w else tcur = tcur .. ' ' .. w end
    thave[w] = true
  end
end
redis.call('HSET', KEYS[4], sid, tcur)

local last = tonumber(redis.call('ZSCORE', KEYS[2], sid))
if not last or at > last then redis.call('ZADD', KEYS[2], at, sid) end

-- Speakers whose latest quote is older than the retention leave the index,
-- and so do links not used for as long.
local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. cutoff, 'LIMIT', 0, 20)
for _, o in ipairs(old) do
  for _, w in ipairs(words(redis.call('HGET', KEYS[4], o))) do redis.call('ZREM', KEYS[1], w .. '\0' .. o) end
  redis.call('HDEL', KEYS[3], o)
  redis.call('HDEL', KEYS[4], o)
  redis.call('HDEL', KEYS[7], o)
  redis.call('ZREM', KEYS[2], o)
end
local olda = redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', '(' .. cutoff, 'LIMIT', 0, 20)
for _, o in ipairs(olda) do
  redis.call('HDEL', KEYS[5], o)
  redis.call('ZREM', KEYS[6], o)
end
return sid
`)

// saveSpeakerQuoteScript adds a quote to its speaker's archive and trims it
// by age and count. KEYS: quote:{sid}, quote:{sid}:t. ARGV: quote id, date,
// record, cutoff, cap, retention (ms), now. It returns 1 when the quote was
// added and kept, 0 when it was there already or falls outside the bounds.
var saveSpeakerQuoteScript = redis.NewScript(`
local field = 'q:' .. ARGV[1]
if redis.call('HSETNX', KEYS[1], field, ARGV[3]) == 0 then return 0 end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[1])
local old = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', '(' .. ARGV[4])
for _, id in ipairs(old) do
  redis.call('HDEL', KEYS[1], 'q:' .. id)
  redis.call('ZREM', KEYS[2], id)
end
local cap = tonumber(ARGV[5])
local n = redis.call('ZCARD', KEYS[2])
if n > cap then
  local extra = redis.call('ZRANGE', KEYS[2], 0, n - cap - 1)
  for _, id in ipairs(extra) do redis.call('HDEL', KEYS[1], 'q:' .. id) end
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, n - cap - 1)
end
local newest = redis.call('ZREVRANGE', KEYS[2], 0, 0, 'WITHSCORES')
if #newest == 0 then
  redis.call('DEL', KEYS[1], KEYS[2])
  return 0
end
local ttl = tonumber(newest[2]) + tonumber(ARGV[6]) - tonumber(ARGV[7])
if ttl <= 0 then
  redis.call('DEL', KEYS[1], KEYS[2])
  return 0
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
if redis.call('ZSCORE', KEYS[2], ARGV[1]) then return 1 end
return 0
`)

// SaveQuote archives quote q (q.ID and q.SpeakerID set, q.SpeakerID being
// ix.Names[0].ID) under the names and words of ix, within lim, and returns
// the speaker it was filed under (another one when an earlier article
// linked this name to a speaker written in another script) and whether it
// was new. Saving a quote again changes nothing.
func (s *Store) SaveQuote(ctx context.Context, q news.ArchivedQuote, ix news.QuoteIndexing, lim news.ArchiveLimits, now time.Time) (string, bool, error) {
	if q.ID == "" || q.SpeakerID == "" || len(ix.Names) == 0 || ix.Names[0].ID != q.SpeakerID {
		return "", false, fmt.Errorf("save quote: incomplete quote %q of speaker %q", q.ID, q.SpeakerID)
	}
	if lim.Retention <= 0 || lim.PerSpeaker <= 0 || lim.PerWord <= 0 {
		return "", false, fmt.Errorf("save quote %s: limits %+v", q.ID, lim)
	}
	at := q.At.UnixMilli()
	cutoff := now.Add(-lim.Retention).UnixMilli()

	// Step 1: the name index (one slot).
	args := []any{q.SpeakerID, at, cutoff, len(ix.Names) - 1}
	for _, n := range ix.Names[1:] {
		args = append(args, n.ID)
	}
	args = append(args, len(ix.Names))
	for _, n := range ix.Names {
		args = append(args, strings.Join(n.Words, " "))
	}
	toks := nameTokens(ix.Names)
	args = append(args, len(toks))
	for _, t := range toks {
		args = append(args, t)
	}
	sid, err := saveNamesScript.Run(ctx, s.rdb, s.quoteNameKeys(), args...).Text()
	if err != nil {
		return "", false, fmt.Errorf("save quote %s: names: %w", q.ID, err)
	}

	// Step 2: the speaker's archive (one slot).
	rec, err := json.Marshal(archivedQuote{
		Speaker: q.Speaker, Role: q.Role, Text: q.Text, Link: q.Link, Source: q.Source,
		Lang: q.Lang, Topics: q.Topics, At: at,
	})
	if err != nil {
		return "", false, fmt.Errorf("save quote %s: %w", q.ID, err)
	}
	added, err := saveSpeakerQuoteScript.Run(ctx, s.rdb, []string{s.quoteKey(sid), s.quoteTimeKey(sid)},
		q.ID, at, rec, cutoff, lim.PerSpeaker, lim.Retention.Milliseconds(), now.UnixMilli()).Int()
	if err != nil {
		return "", false, fmt.Errorf("save quote %s: %w", q.ID, err)
	}
	if added == 0 {
		return sid, false, nil
	}

	// Step 3: word postings and the day's counts, one key per command.
	member := sid + "." + q.ID
	ttl := q.At.Add(lim.Retention).Sub(now)
	day := time.UnixMilli(at).UTC().Truncate(24 * time.Hour)
	dayTTL := day.Add(24*time.Hour + voicesKeep).Sub(now)
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, w := range ix.Words {
			if ttl <= 0 {
				break
			}
			k := s.quoteWordKey(w)
			p.ZAdd(ctx, k, redis.Z{Score: float64(at), Member: member})
			p.ZRemRangeByRank(ctx, k, 0, int64(-lim.PerWord-1))
			p.ExpireNX(ctx, k, ttl)
			p.ExpireGT(ctx, k, ttl)
		}
		if dayTTL > 0 && q.Lang != "" {
			keys := []string{s.voicesKey(day, q.Lang, "")}
			for _, t := range q.Topics {
				keys = append(keys, s.voicesKey(day, q.Lang, t))
			}
			for _, k := range keys {
				p.ZIncrBy(ctx, k, 1, sid)
				p.ExpireNX(ctx, k, dayTTL)
			}
		}
		return nil
	})
	if err != nil {
		return sid, true, fmt.Errorf("save quote %s: index: %w", q.ID, err)
	}
	return sid, true, nil
}

func (s *Store) quoteNameKeys() []string {
	return []string{
		s.quoteNamesKey(), s.quoteNamesPart("last"), s.quoteNamesPart("forms"),
		s.quoteNamesPart("toks"), s.quoteNamesPart("alias"), s.quoteNamesPart("aliasat"),
		s.quoteNamesPart("linked"),
	}
}

// nameTokens are the words a speaker is found by: every word of every form.
func nameTokens(names []news.SpeakerName) []string {
	var out []string
	for _, n := range names {
		for _, w := range n.Words {
			if w != "" && !strings.ContainsAny(w, " \n"+nameSep) && !slices.Contains(out, w) {
				out = append(out, w)
			}
		}
	}
	return out
}

// findSpeakersScript looks speakers up in the name index. KEYS: names,
// last, forms, linked. ARGV: since, limit, max hits per range, the number
// of groups, each group as its number of ranges and the ranges' lexical
// bounds, then the ranges of any. The speakers are those with a word in
// every group, and those with a word in any; the script returns sid, latest
// date, forms, linked ids of those quoted since since, latest first, at
// most limit.
var findSpeakersScript = redis.NewScript(`
local since = tonumber(ARGV[1])
local limit = tonumber(ARGV[2])
local hits = tonumber(ARGV[3])
local i = 4
local function sids(n)
  local set = {}
  for _ = 1, n do
    local ms = redis.call('ZRANGEBYLEX', KEYS[1], ARGV[i], ARGV[i + 1], 'LIMIT', 0, hits)
    i = i + 2
    for _, m in ipairs(ms) do
      local p = string.find(m, '\0', 1, true)
      if p then set[string.sub(m, p + 1)] = true end
    end
  end
  return set
end
local groups = {}
local ng = tonumber(ARGV[i])
i = i + 1
for g = 1, ng do
  local n = tonumber(ARGV[i])
  i = i + 1
  groups[g] = sids(n)
end
local n = tonumber(ARGV[i])
i = i + 1
local cand = sids(n)
if ng > 0 then
  for sid in pairs(groups[1]) do
    local all = true
    for g = 2, ng do
      if not groups[g][sid] then all = false break end
    end
    if all then cand[sid] = true end
  end
end
local found = {}
for sid in pairs(cand) do
  local last = tonumber(redis.call('ZSCORE', KEYS[2], sid))
  if last and last >= since then found[#found + 1] = {sid, last} end
end
table.sort(found, function(a, b) if a[2] ~= b[2] then return a[2] > b[2] end return a[1] < b[1] end)
local out = {}
for k = 1, math.min(limit, #found) do
  out[#out + 1] = found[k][1]
  out[#out + 1] = tostring(found[k][2])
  out[#out + 1] = redis.call('HGET', KEYS[3], found[k][1]) or ''
  out[#out + 1] = redis.call('HGET', KEYS[4], found[k][1]) or ''
end
return out
`)

// speakerLookupHits bounds the name index entries read per word looked up.
const speakerLookupHits = 1000

// FindSpeakers returns the speakers quoted since since that have, for every
// group of all, a name word one of the group's lookups finds, and those
// with a word one of anyOf finds; latest quoted first, at most limit. A
// lookup is a word, or a beginning of words written with a final '*'.
func (s *Store) FindSpeakers(ctx context.Context, all [][]string, anyOf []string, since time.Time, limit int) ([]news.KnownSpeaker, error) {
	args := []any{since.UnixMilli(), limit, speakerLookupHits, len(all)}
	ranges := func(lookups []string) {
		args = append(args, len(lookups))
		for _, l := range lookups {
			if p, ok := strings.CutSuffix(l, "*"); ok {
				args = append(args, "["+p, "["+p+"\xff")
			} else {
				args = append(args, "["+l+nameSep, "["+l+nameSep+"\xff")
			}
		}
	}
	for _, g := range all {
		ranges(g)
	}
	ranges(anyOf)
	if len(all) == 0 && len(anyOf) == 0 {
		return nil, nil
	}
	k := s.quoteNameKeys()
	v, err := findSpeakersScript.Run(ctx, s.rdb, []string{k[0], k[1], k[2], k[6]}, args...).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("find speakers: %w", err)
	}
	return knownSpeakers(v), nil
}

func knownSpeakers(v []string) []news.KnownSpeaker {
	out := make([]news.KnownSpeaker, 0, len(v)/4)
	for i := 0; i+3 < len(v); i += 4 {
		ms, _ := strconv.ParseFloat(v[i+1], 64)
		k := news.KnownSpeaker{ID: v[i], Last: time.UnixMilli(int64(ms)), Linked: strings.Fields(v[i+3])}
		for _, line := range strings.Split(v[i+2], "\n") {
			if line != "" {
				k.Forms = append(k.Forms, strings.Fields(line))
			}
		}
		out = append(out, k)
	}
	return out
}

// speakersScript reads speakers by id, following aliases. KEYS: last,
// forms, alias, linked. ARGV: ids. It returns sid, latest date, forms,
// linked ids per speaker.
var speakersScript = redis.NewScript(`
local out = {}
for _, id in ipairs(ARGV) do
  local sid = redis.call('HGET', KEYS[3], id) or id
  local f = redis.call('HGET', KEYS[2], sid)
  local l = redis.call('ZSCORE', KEYS[1], sid)
  if f and l then
    out[#out + 1] = sid
    out[#out + 1] = l
    out[#out + 1] = f
    out[#out + 1] = redis.call('HGET', KEYS[4], sid) or ''
  end
end
return out
`)

// Speakers returns the speakers of the archive with the given ids, an id
// linked to another speaker (the same name in another script) giving that
// speaker; ids no longer archived are left out.
func (s *Store) Speakers(ctx context.Context, ids []string) ([]news.KnownSpeaker, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	keys := s.quoteNameKeys()
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	v, err := speakersScript.Run(ctx, s.rdb, []string{keys[1], keys[2], keys[4], keys[6]}, args...).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("speakers: %w", err)
	}
	return knownSpeakers(v), nil
}

// SpeakerQuotes returns, for each speaker id, its newest n quotes dated
// since since (newest first) and how many it has since then.
func (s *Store) SpeakerQuotes(ctx context.Context, ids []string, since time.Time, n int) ([][]news.ArchivedQuote, []int, error) {
	ranges := make([]*redis.ZSliceCmd, len(ids))
	counts := make([]*redis.IntCmd, len(ids))
	min := strconv.FormatInt(since.UnixMilli(), 10)
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			k := s.quoteTimeKey(id)
			ranges[i] = p.ZRevRangeByScoreWithScores(ctx, k, &redis.ZRangeBy{Min: min, Max: "+inf", Count: int64(n)})
			counts[i] = p.ZCount(ctx, k, min, "+inf")
		}
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("speaker quotes: %w", err)
	}
	var refs []news.QuoteRef
	total := make([]int, len(ids))
	for i, id := range ids {
		total[i] = int(counts[i].Val())
		for _, z := range ranges[i].Val() {
			qid, _ := z.Member.(string)
			refs = append(refs, news.QuoteRef{SpeakerID: id, ID: qid, At: time.UnixMilli(int64(z.Score))})
		}
	}
	qs, err := s.QuotesByRef(ctx, refs)
	if err != nil {
		return nil, nil, err
	}
	out := make([][]news.ArchivedQuote, len(ids))
	for _, q := range qs {
		i := slices.Index(ids, q.SpeakerID)
		out[i] = append(out[i], q)
	}
	return out, total, nil
}

// QuotesByRef returns the archived quotes refs name, in the order given;
// quotes no longer archived are left out.
func (s *Store) QuotesByRef(ctx context.Context, refs []news.QuoteRef) ([]news.ArchivedQuote, error) {
	if len(refs) == 0 {
		return nil, nil
	}
	// One HMGET per speaker (one slot each).
	bySpeaker := map[string][]string{}
	var order []string
	for _, r := range refs {
		if _, ok := bySpeaker[r.SpeakerID]; !ok {
			order = append(order, r.SpeakerID)
		}
		bySpeaker[r.SpeakerID] = append(bySpeaker[r.SpeakerID], quoteFieldPrefix+r.ID)
	}
	cmds := make(map[string]*redis.SliceCmd, len(order))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, sid := range order {
			cmds[sid] = p.HMGet(ctx, s.quoteKey(sid), bySpeaker[sid]...)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("quotes: %w", err)
	}
	records := map[news.QuoteRef]string{}
	for _, sid := range order {
		for i, v := range cmds[sid].Val() {
			if str, ok := v.(string); ok {
				records[news.QuoteRef{SpeakerID: sid, ID: strings.TrimPrefix(bySpeaker[sid][i], quoteFieldPrefix)}] = str
			}
		}
	}
	out := make([]news.ArchivedQuote, 0, len(refs))
	for _, r := range refs {
		raw, ok := records[news.QuoteRef{SpeakerID: r.SpeakerID, ID: r.ID}]
		if !ok {
			continue
		}
		var a archivedQuote
		if err := json.Unmarshal([]byte(raw), &a); err != nil {
			continue
		}
		out = append(out, news.ArchivedQuote{
			ID: r.ID, SpeakerID: r.SpeakerID, Speaker: a.Speaker, Role: a.Role, Text: a.Text,
			Link: a.Link, Source: a.Source, Lang: a.Lang, Topics: a.Topics, At: time.UnixMilli(a.At),
		})
	}
	return out, nil
}

// QuotePostings returns, for each search word, the quotes dated since since
// that it leads to, newest first.
func (s *Store) QuotePostings(ctx context.Context, words []string, since time.Time, perWord int) ([]news.Postings, error) {
	ranges := make([]*redis.ZSliceCmd, len(words))
	cards := make([]*redis.IntCmd, len(words))
	min := strconv.FormatInt(since.UnixMilli(), 10)
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, w := range words {
			k := s.quoteWordKey(w)
			ranges[i] = p.ZRevRangeByScoreWithScores(ctx, k, &redis.ZRangeBy{Min: min, Max: "+inf"})
			cards[i] = p.ZCard(ctx, k)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("quote postings: %w", err)
	}
	out := make([]news.Postings, len(words))
	for i := range words {
		zs := ranges[i].Val()
		p := news.Postings{Full: cards[i].Val() >= int64(perWord), Refs: make([]news.QuoteRef, 0, len(zs))}
		for _, z := range zs {
			m, _ := z.Member.(string)
			sid, qid, ok := strings.Cut(m, ".")
			if !ok {
				continue
			}
			p.Refs = append(p.Refs, news.QuoteRef{SpeakerID: sid, ID: qid, At: time.UnixMilli(int64(z.Score))})
		}
		out[i] = p
	}
	return out, nil
}

// topVoicesScript sums daily counts into a temporary key of the same slot
// and returns the top entries. KEYS: temporary key, day keys. ARGV: n.
var topVoicesScript = redis.NewScript(`
local src = {}
for i = 2, #KEYS do src[#src + 1] = KEYS[i] end
redis.call('ZUNIONSTORE', KEYS[1], #src, unpack(src))
local top = redis.call('ZREVRANGE', KEYS[1], 0, tonumber(ARGV[1]) - 1, 'WITHSCORES')
redis.call('DEL', KEYS[1])
return top
`)

// TopVoices returns the n speakers with the most quotes archived on the
// given days in languages langs, counting only the quotes of topics when
// topics is not empty; most quoted first.
func (s *Store) TopVoices(ctx context.Context, days []time.Time, langs, topics []string, n int) ([]news.Voice, error) {
	keys := []string{s.voicesTempKey()}
	for _, d := range days {
		for _, l := range langs {
			if len(topics) == 0 {
				keys = append(keys, s.voicesKey(d, l, ""))
			}
			for _, t := range topics {
				keys = append(keys, s.voicesKey(d, l, t))
			}
		}
	}
	if len(keys) == 1 || n <= 0 {
		return nil, nil
	}
	v, err := topVoicesScript.Run(ctx, s.rdb, keys, n).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("top voices: %w", err)
	}
	out := make([]news.Voice, 0, len(v)/2)
	for i := 0; i+1 < len(v); i += 2 {
		c, _ := strconv.ParseFloat(v[i+1], 64)
		out = append(out, news.Voice{SpeakerID: v[i], Quotes: int(c)})
	}
	return out, nil
}

// SetWeeklyVoices schedules chat's next "voices of the week" post at at;
// the zero time turns the post off.
func (s *Store) SetWeeklyVoices(ctx context.Context, chat int64, at time.Time) error {
	id := strconv.FormatInt(chat, 10)
	var err error
	if at.IsZero() {
		err = s.rdb.ZRem(ctx, s.weeklyKey(), id).Err()
	} else {
		err = s.rdb.ZAdd(ctx, s.weeklyKey(), redis.Z{Score: float64(at.UnixMilli()), Member: id}).Err()
	}
	if err != nil {
		return fmt.Errorf("weekly voices of chat %d: %w", chat, err)
	}
	return nil
}

// WeeklyVoices says when chat's next "voices of the week" post is due; ok
// is false when the chat has not turned it on.
func (s *Store) WeeklyVoices(ctx context.Context, chat int64) (time.Time, bool, error) {
	ms, err := s.rdb.ZScore(ctx, s.weeklyKey(), strconv.FormatInt(chat, 10)).Result()
	if errors.Is(err, redis.Nil) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, fmt.Errorf("weekly voices of chat %d: %w", chat, err)
	}
	return time.UnixMilli(int64(ms)), true, nil
}

// claimWeeklyScript hands out due posts, moving each one lease into the
// future so that one replica takes it and a crash only delays it.
var claimWeeklyScript = redis.NewScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
for _, m in ipairs(due) do redis.call('ZADD', KEYS[1], ARGV[2], m) end
return due
`)

// ClaimWeeklyVoices returns up to n chats whose weekly post is due at now
// and postpones each by lease: the caller posts, then sets the next date
// with SetWeeklyVoices; if it dies first, the post is due again after lease.
func (s *Store) ClaimWeeklyVoices(ctx context.Context, now time.Time, lease time.Duration, n int) ([]int64, error) {
	v, err := claimWeeklyScript.Run(ctx, s.rdb, []string{s.weeklyKey()},
		now.UnixMilli(), now.Add(lease).UnixMilli(), n).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("claim weekly voices: %w", err)
	}
	out := make([]int64, 0, len(v))
	for _, m := range v {
		if id, err := strconv.ParseInt(m, 10, 64); err == nil {
			out = append(out, id)
		}
	}
	return out, nil
}

// FirstQuoteTap reports whether this is the first tap, within ttl, on the
// button of speaker sid under message msg of chat: the chat gets one answer
// per button, however many members tap it.
func (s *Store) FirstQuoteTap(ctx context.Context, chat int64, msg int, sid string, ttl time.Duration) (bool, error) {
	ok, err := s.rdb.SetNX(ctx, s.quoteTapKey(chat, msg, sid), 1, ttl).Result()
	if err != nil {
		return false, fmt.Errorf("quote button of chat %d: %w", chat, err)
	}
	return ok, nil
}

// ClearQuoteTap forgets the first tap on a button whose answer could not be
// sent, so that the next tap answers.
func (s *Store) ClearQuoteTap(ctx context.Context, chat int64, msg int, sid string) error {
	if err := s.rdb.Del(ctx, s.quoteTapKey(chat, msg, sid)).Err(); err != nil {
		return fmt.Errorf("quote button of chat %d: %w", chat, err)
	}
	return nil
}
