package news

import "time"

// MinSpeakerConfidence is the confidence below which a quote's speaker is
// never credited beyond the message that shows the quote: the quote archive
// does not keep it under that speaker and speaker alerts do not match it.
const MinSpeakerConfidence = 0.5

// Attributed reports whether q may be credited to its speaker beyond the
// article message: it names a speaker and its confidence reaches min. A
// confidence of exactly 0 means the quote was not rated (summaries made
// before the summarizer rated its speakers); it was returned by the
// summarizer, which returns no quote below its own threshold, so it counts.
func (q Quote) Attributed(min float64) bool {
	return q.Speaker != "" && (q.Confidence == 0 || q.Confidence >= min)
}

// ArchivedQuote is one quote kept in the archive of who said what: a quote
// shown in a delivered story, with where and when it appeared.
type ArchivedQuote struct {
	// ID identifies the quote within its speaker's archive (a hash of the
	// article link and the quote text, so a story delivered to many chats
	// is kept once).
	ID string
	// SpeakerID is the speaker's identity (see SpeakerName).
	SpeakerID string
	// Speaker and Role are as the article gave them.
	Speaker string
	Role    string
	Text    string
	Link    string
	// Source is the outlet's name.
	Source string
	Lang   string
	// Topics are the topics the article belongs to (e.g. "migration").
	Topics []string
	// At is when the article was published (never later than when it was archived).
	At time.Time
}

// QuoteRef names an archived quote: its speaker's id and its own.
type QuoteRef struct {
	SpeakerID string
	ID        string
	At        time.Time
}

// SpeakerName is one written form of a speaker's name: its normalized
// words and the identity id derived from them.
type SpeakerName struct {
	ID    string
	Words []string
}

// QuoteIndexing is what the archive finds a quote by.
type QuoteIndexing struct {
	// Names are the speaker's name as quoted (Names[0], whose ID is the
	// quote's SpeakerID) and, when the article itself also wrote the name
	// in another script, that form: both then lead to the same speaker.
	Names []SpeakerName
	// Words are the search keys of the quote's text, role and speaker.
	Words []string
}

// ArchiveLimits bound the quote archive.
type ArchiveLimits struct {
	// Retention is how long a quote is kept after its article's date.
	Retention time.Duration
	// PerSpeaker is the most quotes kept for one speaker (the newest).
	PerSpeaker int
	// PerWord is the most quotes one search word leads to (the newest).
	PerWord int
}

// KnownSpeaker is a speaker of the archive: its identity, every written
// form of its name that leads to it, and its latest quote's date.
type KnownSpeaker struct {
	ID    string
	Forms [][]string
	Last  time.Time
	// Linked are the ids of name forms that lead to this speaker (the
	// same name written in another script); quotes filed under them before
	// the forms were linked stay there.
	Linked []string
}

// Postings are the quotes one search word leads to, newest first. Full is
// true when the list reached the archive's per-word limit, so older quotes
// with the word may exist that it no longer lists.
type Postings struct {
	Refs []QuoteRef
	Full bool
}

// Voice is a speaker and how many of their quotes were archived over a
// period.
type Voice struct {
	SpeakerID string
	Quotes    int
}
