package archive

import (
	"context"
	"slices"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
)

// VoicesWindow is how far back the most-quoted voices look: the last seven
// days, today included (UTC days).
const VoicesWindow = 7

// Voice is one of the most quoted speakers of a period: how many of their
// quotes were archived, and their latest quote of the period.
type Voice struct {
	news.Voice
	Quote news.ArchivedQuote
}

// voiceLatest is how many of a voice's latest quotes are read to find one in
// the chat's languages and topics.
const voiceLatest = 10

// Voices returns the n speakers most quoted over the last VoicesWindow days
// in articles of languages langs (all when empty) and, when topics is not
// empty, of those topics; most quoted first, each with their latest quote
// of the period in those languages.
func (x *Archive) Voices(ctx context.Context, langs, topics []string, n int) ([]Voice, error) {
	now := x.opts.Now()
	if len(langs) == 0 {
		langs = news.Languages
	}
	today := now.UTC().Truncate(24 * time.Hour)
	days := make([]time.Time, VoicesWindow)
	for i := range days {
		days[i] = today.AddDate(0, 0, -i)
	}
	vs, err := x.store.TopVoices(ctx, days, langs, topics, n)
	if err != nil || len(vs) == 0 {
		return nil, err
	}
	ids := make([]string, len(vs))
	for i, v := range vs {
		ids[i] = v.SpeakerID
	}
	lists, _, err := x.store.SpeakerQuotes(ctx, ids, days[len(days)-1], voiceLatest)
	if err != nil {
		return nil, err
	}
	out := make([]Voice, 0, len(vs))
	for i, v := range vs {
		for _, q := range lists[i] {
			if slices.Contains(langs, q.Lang) && (len(topics) == 0 || slices.ContainsFunc(q.Topics, func(t string) bool { return slices.Contains(topics, t) })) {
				out = append(out, Voice{Voice: v, Quote: q})
				break
			}
		}
	}
	return out, nil
}
