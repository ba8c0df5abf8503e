package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/redis/go-redis/v9"
)

// ErrNoStory is returned when a story or one of its articles has expired or
// never existed.
var ErrNoStory = news.ErrStoryExpired

// Fields of the story:{id} hash (DESIGN section 3). Articles delivered under
// the story are kept in the same hash, one field per article, so the outbox
// carries references and an article is stored once for all chats.
const (
	storyFieldFirst     = "first"
	storyFieldOutlets   = "outlets"
	storyFieldFirstSeen = "first_seen"
	storyFieldSig       = "sig"
	storyArticlePrefix  = "a:"
)

// outletSep separates outlet names in the outlets field; names never hold it.
const outletSep = "\x1f"

func (s *Store) storyKey(id string) string { return s.key("story", tag(id)) }

// storyBandKey is story:band:{band}: the recent stories whose signature has
// this band value, scored by first-seen time.
func (s *Store) storyBandKey(band string) string { return s.key("story", "band", band) }

// CreateStory records a new story and indexes it under its signature's
// bands. Stories and band entries live for ttl; band sets are trimmed of
// entries older than ttl on every write, which bounds them.
func (s *Store) CreateStory(ctx context.Context, st news.StoryRecord, bands []string, ttl time.Duration) error {
	key := s.storyKey(st.ID)
	now := st.FirstSeen.UnixMilli()
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSetNX(ctx, key, storyFieldFirst, st.First)
		p.HSetNX(ctx, key, storyFieldOutlets, strings.Join(st.Outlets, outletSep))
		p.HSetNX(ctx, key, storyFieldFirstSeen, strconv.FormatInt(now, 10))
		p.HSetNX(ctx, key, storyFieldSig, string(st.Sig))
		p.Expire(ctx, key, ttl)
		return nil
	})
	if err != nil {
		return fmt.Errorf("create story %s: %w", st.ID, err)
	}
	// Band sets hold many stories (other slots on Cluster): one pipeline, each
	// command complete on its own.
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for _, b := range bands {
			bk := s.storyBandKey(b)
			p.ZAdd(ctx, bk, redis.Z{Score: float64(now), Member: st.ID})
			p.ZRemRangeByScore(ctx, bk, "-inf", strconv.FormatInt(now-ttl.Milliseconds(), 10))
			p.Expire(ctx, bk, ttl)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("index story %s: %w", st.ID, err)
	}
	return nil
}

// StoryCandidates returns the stories first seen since since that share at
// least one band with bands, at most limit per band, newest first.
func (s *Store) StoryCandidates(ctx context.Context, bands []string, since time.Time, limit int) ([]news.StoryRecord, error) {
	cmds := make([]*redis.StringSliceCmd, len(bands))
	_, err := s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, b := range bands {
			cmds[i] = p.ZRevRangeByScore(ctx, s.storyBandKey(b), &redis.ZRangeBy{
				Min: strconv.FormatInt(since.UnixMilli(), 10), Max: "+inf", Count: int64(limit),
			})
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("story candidates: %w", err)
	}
	var ids []string
	seen := make(map[string]bool)
	for _, c := range cmds {
		for _, id := range c.Val() {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	hs := make([]*redis.SliceCmd, len(ids))
	_, err = s.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, id := range ids {
			hs[i] = p.HMGet(ctx, s.storyKey(id), storyFieldFirst, storyFieldOutlets, storyFieldFirstSeen, storyFieldSig)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("story candidates: %w", err)
	}
	out := make([]news.StoryRecord, 0, len(ids))
	for i, h := range hs {
		v := h.Val()
		if len(v) != 4 || v[3] == nil {
			continue // expired since the band was read
		}
		out = append(out, storyFromFields(ids[i], v))
	}
	return out, nil
}

func storyFromFields(id string, v []any) news.StoryRecord {
	str := func(x any) string { s, _ := x.(string); return s }
	ms, _ := strconv.ParseInt(str(v[2]), 10, 64)
	st := news.StoryRecord{ID: id, First: str(v[0]), FirstSeen: time.UnixMilli(ms), Sig: []byte(str(v[3]))}
	if o := str(v[1]); o != "" {
		st.Outlets = strings.Split(o, outletSep)
	}
	return st
}

// addOutletScript appends an outlet to a story's list unless it is there,
// and returns the list.
var addOutletScript = redis.NewScript(`
if redis.call('EXISTS', KEYS[1]) == 0 then return false end
local cur = redis.call('HGET', KEYS[1], 'outlets') or ''
local sep = ARGV[2]
if cur == '' then
  cur = ARGV[1]
elseif string.find(sep .. cur .. sep, sep .. ARGV[1] .. sep, 1, true) == nil then
  cur = cur .. sep .. ARGV[1]
end
redis.call('HSET', KEYS[1], 'outlets', cur)
return cur
`)

// AddStoryOutlet records that outlet carried story id and returns every
// outlet that did, first first. ErrNoStory when the story expired.
func (s *Store) AddStoryOutlet(ctx context.Context, id, outlet string) ([]string, error) {
	outlet = strings.ReplaceAll(outlet, outletSep, " ")
	v, err := addOutletScript.Run(ctx, s.rdb, []string{s.storyKey(id)}, outlet, outletSep).Text()
	if errors.Is(err, redis.Nil) {
		return nil, ErrNoStory
	}
	if err != nil {
		return nil, fmt.Errorf("add outlet to story %s: %w", id, err)
	}
	return strings.Split(v, outletSep), nil
}

// Story returns a stored story.
func (s *Store) Story(ctx context.Context, id string) (news.StoryRecord, error) {
	v, err := s.rdb.HMGet(ctx, s.storyKey(id), storyFieldFirst, storyFieldOutlets, storyFieldFirstSeen, storyFieldSig).Result()
	if err != nil {
		return news.StoryRecord{}, fmt.Errorf("story %s: %w", id, err)
	}
	if v[0] == nil {
		return news.StoryRecord{}, ErrNoStory
	}
	return storyFromFields(id, v), nil
}

// SaveStoryArticle stores one article's payload under its story, for every
// outbox job and digest entry that refers to it. The story's time to live is
// extended to at least ttl from now.
func (s *Store) SaveStoryArticle(ctx context.Context, id, ref string, payload []byte, ttl time.Duration) error {
	key := s.storyKey(id)
	_, err := s.rdb.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.HSet(ctx, key, storyArticlePrefix+ref, payload)
		p.ExpireGT(ctx, key, ttl)
		p.ExpireNX(ctx, key, ttl)
		return nil
	})
	if err != nil {
		return fmt.Errorf("save article %s of story %s: %w", ref, id, err)
	}
	return nil
}

// StoryArticle returns an article payload saved with SaveStoryArticle, or
// ErrNoStory once it has expired.
func (s *Store) StoryArticle(ctx context.Context, id, ref string) ([]byte, error) {
	b, err := s.rdb.HGet(ctx, s.storyKey(id), storyArticlePrefix+ref).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, ErrNoStory
	}
	if err != nil {
		return nil, fmt.Errorf("article %s of story %s: %w", ref, id, err)
	}
	return b, nil
}
