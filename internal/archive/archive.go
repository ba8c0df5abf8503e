// Package archive is MigraWatch's archive of who said what: every quote
// shown in a delivered story, kept for a while under a normalized identity
// of its speaker, found again by the speaker's name (whole words, a
// surname, the beginning of a name) or by the quote's words, and counted
// to tell the most quoted voices of the week.
//
// A speaker is identified by the words of their name as alerts normalize
// words, without courtesy titles: "Laura Palatini" and "Mme Laura
// Palatini" are one identity. A surname alone ("Palatini") is an identity
// of its own, joined to the full name when the archive holds one person
// with that surname; a name in another script joins it only when an article
// wrote both forms side by side. Quotes whose speaker the summarizer is not
// confident enough about are never kept.
package archive

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/render"
	"github.com/migrawatch/migrawatch/internal/textproc"
)

// Store keeps the archive (the Redis store).
type Store interface {
	SaveQuote(ctx context.Context, q news.ArchivedQuote, ix news.QuoteIndexing, lim news.ArchiveLimits, now time.Time) (string, bool, error)
	FindSpeakers(ctx context.Context, all [][]string, anyOf []string, since time.Time, limit int) ([]news.KnownSpeaker, error)
	Speakers(ctx context.Context, ids []string) ([]news.KnownSpeaker, error)
	SpeakerQuotes(ctx context.Context, ids []string, since time.Time, n int) ([][]news.ArchivedQuote, []int, error)
	QuotesByRef(ctx context.Context, refs []news.QuoteRef) ([]news.ArchivedQuote, error)
	QuotePostings(ctx context.Context, words []string, since time.Time, perWord int) ([]news.Postings, error)
	TopVoices(ctx context.Context, days []time.Time, langs, topics []string, n int) ([]news.Voice, error)
}

// Defaults of Options.
const (
	// DefaultRetention is how long a quote is kept after its article's date.
	DefaultRetention = 90 * 24 * time.Hour
	// DefaultPerSpeaker is the most quotes kept for one speaker.
	DefaultPerSpeaker = 100
	// DefaultPerWord is the most quotes one search word leads to; at 128
	// or fewer, Redis keeps each word's list in its compact encoding.
	DefaultPerWord = 128
	// DefaultTopic is the topic of the articles the relevance filter kept.
	DefaultTopic = "migration"
)

// Options configures an Archive. Store is required.
type Options struct {
	Store Store
	// MinConfidence is the least speaker confidence of a quote the archive
	// keeps (default news.MinSpeakerConfidence).
	MinConfidence float64
	Retention     time.Duration
	PerSpeaker    int
	PerWord       int
	// Topic is the topic relevant articles belong to.
	Topic string
	// Now is the clock (default time.Now).
	Now func() time.Time
}

// Archive records the quotes of delivered stories and answers searches.
// It is safe for concurrent use.
type Archive struct {
	store  Store
	opts   Options
	limits news.ArchiveLimits
	recent recentSet
}

// New returns an Archive with opts.
func New(opts Options) (*Archive, error) {
	if opts.Store == nil {
		return nil, errors.New("archive: Store is required")
	}
	if opts.MinConfidence <= 0 {
		opts.MinConfidence = news.MinSpeakerConfidence
	}
	if opts.Retention <= 0 {
		opts.Retention = DefaultRetention
	}
	if opts.PerSpeaker <= 0 {
		opts.PerSpeaker = DefaultPerSpeaker
	}
	if opts.PerWord <= 0 {
		opts.PerWord = DefaultPerWord
	}
	if opts.Topic == "" {
		opts.Topic = DefaultTopic
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return &Archive{
		store:  opts.Store,
		opts:   opts,
		limits: news.ArchiveLimits{Retention: opts.Retention, PerSpeaker: opts.PerSpeaker, PerWord: opts.PerWord},
		recent: recentSet{max: recentArticles},
	}, nil
}

// Entry is one quote of an article as the archive keeps it.
type Entry struct {
	Quote news.ArchivedQuote
	Index news.QuoteIndexing
}

// Entries returns the quotes of a that the archive keeps when a is
// delivered at now: the quotes its message shows whose speaker is named
// with enough confidence, when the article is no older than the retention.
// An article dated in the future is taken as published now.
func (x *Archive) Entries(a news.Article, now time.Time) []Entry {
	at := a.Published
	if at.IsZero() || at.After(now) {
		at = now
	}
	if !at.After(now.Add(-x.opts.Retention)) {
		return nil
	}
	lang := a.Lang
	if lang == "" {
		lang = a.Language
	}
	source := a.SourceName
	if source == "" {
		// As the message names it: by its site, not by a feed id.
		if u, err := url.Parse(a.Link); err == nil && u.Hostname() != "" {
			source = strings.TrimPrefix(u.Hostname(), "www.")
		} else {
			source = a.FeedID
		}
	}
	var topics []string
	if a.Relevance.Relevant {
		topics = []string{x.opts.Topic}
	}
	var out []Entry
	for _, q := range render.ShownQuotes(a) {
		if !q.Attributed(x.opts.MinConfidence) {
			continue
		}
		forms := speakerForms(q, a.Text)
		if len(forms) == 0 {
			continue
		}
		id := quoteID(a.Link, q.Text)
		if slices.ContainsFunc(out, func(e Entry) bool { return e.Quote.ID == id && e.Quote.SpeakerID == forms[0].ID }) {
			continue
		}
		out = append(out, Entry{
			Quote: news.ArchivedQuote{
				ID: id, SpeakerID: forms[0].ID, Speaker: q.Speaker, Role: q.Role, Text: q.Text,
				Link: a.Link, Source: source, Lang: lang, Topics: topics, At: at,
			},
			Index: news.QuoteIndexing{Names: forms, Words: indexKeys(q.Text+" "+q.Role+" "+q.Speaker, lang)},
		})
	}
	return out
}

// Record archives the quotes of article a, which was just delivered. An
// article recorded lately is skipped: a story delivered to many chats is
// archived once (saving it again would change nothing anyway).
func (x *Archive) Record(ctx context.Context, a news.Article) error {
	key := a.FeedID + "\x00" + a.Key + "\x00" + a.Link
	if x.recent.has(key) {
		return nil
	}
	now := x.opts.Now()
	var errs []error
	for _, e := range x.Entries(a, now) {
		if _, _, err := x.store.SaveQuote(ctx, e.Quote, e.Index, x.limits, now); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	x.recent.add(key)
	return nil
}

// Speaker is a speaker quoted in a message: the id its button names and the
// name to show on it.
type Speaker struct {
	ID   string
	Name string
}

// ShownSpeakers returns the distinct speakers of the quotes of a that the
// archive keeps, in the order the message shows them.
func (x *Archive) ShownSpeakers(a news.Article, now time.Time) []Speaker {
	var out []Speaker
	for _, e := range x.Entries(a, now) {
		if !slices.ContainsFunc(out, func(s Speaker) bool { return s.ID == e.Quote.SpeakerID }) {
			out = append(out, Speaker{ID: e.Quote.SpeakerID, Name: e.Quote.Speaker})
		}
	}
	return out
}

// minSearchWord is the shortest word a quote is found by ("UN", "EU",
// "ما" count; single letters do not).
const minSearchWord = 2

// maxSearchWords bounds the words of one text search.
const maxSearchWords = 8

// indexKeys are the words a text in language lang is found by: their stems
// as alerts compare words (textproc.Stem: plurals and feminine forms meet
// their singular, Arabic clitics go), each once.
func indexKeys(text, lang string) []string {
	var out []string
	seen := map[string]bool{}
	for _, w := range textproc.Words(text) {
		k := textproc.Stem(lang, w)
		if utf8.RuneCountInString(k) < minSearchWord || seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, k)
	}
	return out
}

// queryKeys are the keys a word of a search may have been indexed under:
// its stem in each language (a search does not say its language).
func queryKeys(w string) []string {
	var out []string
	for _, lang := range []string{news.English, news.French, ""} {
		if k := textproc.Stem(lang, w); utf8.RuneCountInString(k) >= minSearchWord && !slices.Contains(out, k) {
			out = append(out, k)
		}
	}
	return out
}

// recentArticles is how many recorded articles an Archive remembers.
const recentArticles = 4096

// recentSet remembers the last max keys added.
type recentSet struct {
	mu   sync.Mutex
	max  int
	keys map[string]struct{}
	ring []string
	next int
}

func (r *recentSet) has(k string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.keys[k]
	return ok
}

func (r *recentSet) add(k string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.keys == nil {
		r.keys = make(map[string]struct{}, r.max)
		r.ring = make([]string, r.max)
	}
	if _, ok := r.keys[k]; ok {
		return
	}
	if old := r.ring[r.next]; old != "" {
		delete(r.keys, old)
	}
	r.ring[r.next] = k
	r.keys[k] = struct{}{}
	r.next = (r.next + 1) % r.max
}
