package archive

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/textproc"
)

// Page is one page of the quotes found for a search, newest first.
type Page struct {
	// BySpeaker is true when the search named speakers, false when it
	// matched the words of quotes.
	BySpeaker bool
	// Speakers are the speakers found (BySpeaker), latest quoted first.
	Speakers []news.KnownSpeaker
	Quotes   []news.ArchivedQuote
	// Offset is the position of the page's first quote among all found.
	Offset int
	// Total is how many quotes were found; when the words of saturated
	// search lists had to be checked one by one, it counts those checked.
	Total int
	// More is true when quotes follow this page.
	More bool
}

// maxSpeakers bounds the speakers whose quotes one search merges.
const maxSpeakers = 10

// speakerCandidates bounds the speakers read from the name index per search.
const speakerCandidates = 100

// minPrefix is the fewest letters of a name's beginning that match it.
const minPrefix = 3

// Search finds the quotes of query: the speakers it names (all its words
// match words of their name, the last one possibly a beginning of at least
// three letters; a surname alone finds every speaker with that surname;
// "Laura Palatini" also finds the quotes filed under "Palatini" alone when
// she is the archive's only Palatini), and when it names none, the quotes
// whose text, speaker or role hold all its words. It returns quotes
// [offset, offset+n) of what it found, newest first.
func (x *Archive) Search(ctx context.Context, query string, offset, n int) (Page, error) {
	now := x.opts.Now()
	since := now.Add(-x.opts.Retention)
	if words := textproc.NameWords(query); len(words) > 0 {
		speakers, err := x.matchSpeakers(ctx, words, since)
		if err != nil {
			return Page{}, err
		}
		if len(speakers) > 0 {
			return x.speakerPage(ctx, speakers, since, offset, n)
		}
	}
	return x.wordPage(ctx, query, since, offset, n)
}

// SpeakerQuotes returns quotes [offset, offset+n) of speaker id, newest
// first, with those of the same person filed under another form of the
// name: the surname alone when the speaker is the archive's only person with
// that surname (or, for a surname alone, the one full name it belongs to).
func (x *Archive) SpeakerQuotes(ctx context.Context, id string, offset, n int) (Page, error) {
	now := x.opts.Now()
	since := now.Add(-x.opts.Retention)
	ks, err := x.store.Speakers(ctx, []string{id})
	if err != nil {
		return Page{}, err
	}
	if len(ks) == 0 {
		// Not in the name index (any more): its own timeline, if any.
		return x.speakerPage(ctx, []news.KnownSpeaker{{ID: id}}, since, offset, n)
	}
	k := ks[0]
	var surnames []string
	for _, f := range k.Forms {
		surnames = append(surnames, f[len(f)-1])
	}
	cands, err := x.store.FindSpeakers(ctx, nil, lookupWords(surnames), since, speakerCandidates)
	if err != nil {
		return Page{}, err
	}
	chosen := []news.KnownSpeaker{k}
	var fulls []news.KnownSpeaker // k is a surname alone: the full names it may belong to
	for _, c := range cands {
		if c.ID == k.ID {
			continue
		}
		switch {
		case isBareOf(c, k):
			if !ambiguousSurname(c, chosen, cands) {
				chosen = append(chosen, c)
			}
		case isBareOf(k, c):
			fulls = append(fulls, c)
		}
	}
	if len(fulls) == 1 {
		chosen = append(chosen, fulls[0])
	}
	return x.speakerPage(ctx, chosen, since, offset, n)
}

// isBareOf reports whether bare has a one-word form that is the surname of
// a longer form of full.
func isBareOf(bare, full news.KnownSpeaker) bool {
	for _, b := range bare.Forms {
		if len(b) != 1 {
			continue
		}
		for _, f := range full.Forms {
			if len(f) > 1 && sameWord(b[0], f[len(f)-1]) {
				return true
			}
		}
	}
	return false
}

// ambiguousSurname reports whether the surname alone of bare could be
// another person's than the chosen speakers': a candidate not chosen has a
// full name with that surname.
func ambiguousSurname(bare news.KnownSpeaker, chosen, cands []news.KnownSpeaker) bool {
	for _, c := range cands {
		if c.ID == bare.ID || slices.ContainsFunc(chosen, func(k news.KnownSpeaker) bool { return k.ID == c.ID }) {
			continue
		}
		if isBareOf(bare, c) {
			return true
		}
	}
	return false
}

// lookupWords are the name index entries to look words up under: each word
// and, when it differs, its reading without Arabic clitics.
func lookupWords(words []string) []string {
	var out []string
	for _, w := range words {
		for _, v := range []string{w, textproc.Reading(w)} {
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out
}

// Match ranks: how a speaker's name answers the words of a search.
const (
	noMatch     = iota
	surnameOnly // a shorter form of the name, ending with the search's last word
	byPrefix    // every word matches, the last one as a beginning
	exact       // every word matches a word of the name
)

// matchSpeakers returns the speakers words name, latest quoted first. The
// name index is asked first for the speakers with every word (or, for a
// surname alone, with the last word); only when none matches every word
// exactly is it asked again with the last word as a beginning.
func (x *Archive) matchSpeakers(ctx context.Context, words []string, since time.Time) ([]news.KnownSpeaker, error) {
	all := make([][]string, len(words))
	for i, w := range words {
		all[i] = lookupWords([]string{w})
	}
	last := all[len(all)-1]
	cands, err := x.store.FindSpeakers(ctx, all, last, since, speakerCandidates)
	if err != nil {
		return nil, err
	}
	chosen, best := chooseSpeakers(words, cands)
	if best == exact || utf8.RuneCountInString(words[len(words)-1]) < minPrefix {
		return chosen, nil
	}
	prefixes := make([]string, len(last))
	for i, l := range last {
		prefixes[i] = l + "*"
	}
	all[len(all)-1] = prefixes
	more, err := x.store.FindSpeakers(ctx, all, last, since, speakerCandidates)
	if err != nil {
		return nil, err
	}
	chosen, _ = chooseSpeakers(words, more)
	return chosen, nil
}

// chooseSpeakers keeps the candidates whose names answer words best.
func chooseSpeakers(words []string, cands []news.KnownSpeaker) ([]news.KnownSpeaker, int) {
	rank := make(map[string]int, len(cands))
	best := noMatch
	for _, c := range cands {
		r := noMatch
		for _, f := range c.Forms {
			r = max(r, matchForm(words, f))
		}
		rank[c.ID] = r
		best = max(best, r)
	}
	if best == noMatch {
		return nil, best
	}
	var chosen []news.KnownSpeaker
	for _, c := range cands {
		// Names that match every word exactly make beginnings irrelevant.
		if r := rank[c.ID]; r == exact || r == byPrefix && best == byPrefix {
			chosen = append(chosen, c)
		}
	}
	for _, c := range cands {
		if rank[c.ID] == surnameOnly && len(chosen) > 0 && !ambiguousSurname(c, chosen, cands) {
			chosen = append(chosen, c)
		}
	}
	slices.SortStableFunc(chosen, func(a, b news.KnownSpeaker) int { return b.Last.Compare(a.Last) })
	if len(chosen) > maxSpeakers {
		chosen = chosen[:maxSpeakers]
	}
	return chosen, best
}

// matchForm ranks how the words of a search match one form of a name.
func matchForm(words, form []string) int {
	all, allExact := true, true
	for i, w := range words {
		last := i == len(words)-1
		found, foundExact := false, false
		for _, f := range form {
			switch {
			case sameWord(w, f):
				found, foundExact = true, true
			case last && utf8.RuneCountInString(w) >= minPrefix && startsWord(f, w):
				found = true
			}
		}
		all = all && found
		allExact = allExact && foundExact
	}
	switch {
	case allExact:
		return exact
	case all:
		return byPrefix
	}
	// "Laura Palatini" searched, "Palatini" archived: every word of the
	// form is a search word and the surnames agree.
	if len(form) < len(words) && sameWord(form[len(form)-1], words[len(words)-1]) {
		for _, f := range form {
			if !slices.ContainsFunc(words, func(w string) bool { return sameWord(w, f) }) {
				return noMatch
			}
		}
		return surnameOnly
	}
	return noMatch
}

// speakerPage merges the quotes of speakers, newest first.
func (x *Archive) speakerPage(ctx context.Context, speakers []news.KnownSpeaker, since time.Time, offset, n int) (Page, error) {
	var ids []string
	for _, k := range speakers {
		for _, id := range append([]string{k.ID}, k.Linked...) {
			if !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
	}
	lists, counts, err := x.store.SpeakerQuotes(ctx, ids, since, offset+n)
	if err != nil {
		return Page{}, err
	}
	var all []news.ArchivedQuote
	total := 0
	for i := range lists {
		all = append(all, lists[i]...)
		total += counts[i]
	}
	sortNewestFirst(all)
	p := Page{BySpeaker: true, Speakers: speakers, Offset: offset, Total: total}
	if offset < len(all) {
		p.Quotes = all[offset:min(len(all), offset+n)]
	}
	p.More = offset+n < total
	return p, nil
}

func sortNewestFirst(qs []news.ArchivedQuote) {
	slices.SortStableFunc(qs, func(a, b news.ArchivedQuote) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return cmp.Or(strings.Compare(a.SpeakerID, b.SpeakerID), strings.Compare(a.ID, b.ID))
	})
}

// wordPage finds the quotes whose words hold every word of query. A word is
// looked up under its stem in each language (queryKeys). Each key's list
// holds its newest quotes (at most PerWord): the words whose lists are not
// full are intersected; the words of full lists, which may have lost older
// quotes, are checked in the quotes found.
func (x *Archive) wordPage(ctx context.Context, query string, since time.Time, offset, n int) (Page, error) {
	var words []string
	for _, w := range textproc.Words(query) {
		if utf8.RuneCountInString(w) >= minSearchWord && !slices.Contains(words, w) && len(words) < maxSearchWords {
			words = append(words, w)
		}
	}
	p := Page{Offset: offset}
	if len(words) == 0 {
		return p, nil
	}
	var keys []string
	var owner []int // the word of each key
	for i, w := range words {
		for _, k := range queryKeys(w) {
			keys, owner = append(keys, k), append(owner, i)
		}
	}
	posts, err := x.store.QuotePostings(ctx, keys, since, x.opts.PerWord)
	if err != nil {
		return Page{}, err
	}
	byWord := make([]news.Postings, len(words))
	for i, ps := range posts {
		w := &byWord[owner[i]]
		w.Refs = append(w.Refs, ps.Refs...)
		w.Full = w.Full || ps.Full
	}
	var base []int
	var check []string
	for i, ps := range byWord {
		if !ps.Full {
			base = append(base, i)
		}
	}
	if len(base) == 0 {
		// Every word is common: the newest quotes holding them all.
		for i := range byWord {
			base = append(base, i)
		}
	} else {
		for i, ps := range byWord {
			if ps.Full {
				check = append(check, words[i])
			}
		}
	}
	cands := intersect(byWord, base)
	if len(check) == 0 {
		p.Total = len(cands)
		end := min(len(cands), offset+n)
		if offset < end {
			qs, err := x.store.QuotesByRef(ctx, cands[offset:end])
			if err != nil {
				return Page{}, err
			}
			p.Quotes = qs
		}
		p.More = offset+n < len(cands)
		return p, nil
	}
	// Check the common words in each candidate, a batch at a time, until
	// the page and one more quote are found.
	const batch = 32
	matched := 0
	for i := 0; i < len(cands) && matched <= offset+n; i += batch {
		qs, err := x.store.QuotesByRef(ctx, cands[i:min(len(cands), i+batch)])
		if err != nil {
			return Page{}, err
		}
		for _, q := range qs {
			if !hasWords(q, check) {
				continue
			}
			if matched >= offset && matched < offset+n {
				p.Quotes = append(p.Quotes, q)
			}
			matched++
		}
	}
	p.Total = matched
	p.More = matched > offset+n
	return p, nil
}

// hasWords reports whether q's text, role or speaker holds every word, as
// the quote was indexed.
func hasWords(q news.ArchivedQuote, words []string) bool {
	have := indexKeys(q.Text+" "+q.Role+" "+q.Speaker, q.Lang)
	for _, w := range words {
		if !slices.ContainsFunc(queryKeys(w), func(k string) bool { return slices.Contains(have, k) }) {
			return false
		}
	}
	return true
}

// intersect returns the quotes in every list of posts named by which,
// newest first.
func intersect(posts []news.Postings, which []int) []news.QuoteRef {
	slices.SortFunc(which, func(a, b int) int { return len(posts[a].Refs) - len(posts[b].Refs) })
	type key struct{ sid, id string }
	count := map[key]int{}
	for _, i := range which {
		seen := map[key]bool{}
		for _, r := range posts[i].Refs {
			k := key{r.SpeakerID, r.ID}
			if seen[k] {
				continue
			}
			seen[k] = true
			count[k]++
		}
	}
	var out []news.QuoteRef
	for _, r := range posts[which[0]].Refs {
		if count[key{r.SpeakerID, r.ID}] == len(which) {
			out = append(out, r)
			count[key{r.SpeakerID, r.ID}] = 0
		}
	}
	slices.SortStableFunc(out, func(a, b news.QuoteRef) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return cmp.Or(strings.Compare(a.SpeakerID, b.SpeakerID), strings.Compare(a.ID, b.ID))
	})
	return out
}
