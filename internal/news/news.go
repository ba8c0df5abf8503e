// Package news holds MigraWatch's domain types: sources, feed items, understood
// articles, chats and alerts. It imports nothing but the standard library, so
// every other package can share these types without depending on each other.
package news

import "time"

// Languages MigraWatch understands and speaks.
const (
	Arabic  = "ar"
	French  = "fr"
	English = "en"
)

// Languages lists the supported article and interface languages in display order.
var Languages = []string{Arabic, French, English}

// SourceKind says how a source is read: a syndication feed or an HTML listing page.
type SourceKind string

// The kinds of source.
const (
	KindFeed SourceKind = "feed"
	KindPage SourceKind = "page"
)

// Source is a news source from the catalog or one a user added.
type Source struct {
	ID       string     `yaml:"id" json:"id"`
	Name     string     `yaml:"name" json:"name"`
	URL      string     `yaml:"url" json:"url"`
	Language string     `yaml:"language" json:"language"`
	Country  string     `yaml:"country" json:"country"`
	Kind     SourceKind `yaml:"kind,omitempty" json:"kind,omitempty"`
	// MigrationSpecific is true for outlets that only publish about migration;
	// general news must pass the relevance filter.
	MigrationSpecific bool `yaml:"migration_specific" json:"migration_specific"`
	// Charset overrides the body's encoding when the server and the document are silent.
	Charset string `yaml:"charset,omitempty" json:"charset,omitempty"`
	// Selector is an optional CSS selector for article links on a listing page.
	Selector string `yaml:"selector,omitempty" json:"selector,omitempty"`
	// Verified is false for URLs nobody has seen answer; failures are reported plainly.
	Verified bool `yaml:"verified" json:"verified"`
}

// Item is one entry of a feed (or one article found on a listing page), as parsed.
type Item struct {
	// FeedID is the id of the source the item came from.
	FeedID string `json:"feed_id"`
	// Key is stable across polls: GUID, else canonical link, else a hash of title and date.
	Key   string `json:"key"`
	GUID  string `json:"guid,omitempty"`
	Link  string `json:"link"`
	Title string `json:"title"`
	// TitleGuessed is true when the feed gave no title and Title is the
	// first words of the description: shown as a title, but not one.
	TitleGuessed bool `json:"title_guessed,omitempty"`
	// Description is the plain text of the feed's summary or description.
	Description string `json:"description,omitempty"`
	// Content is the plain text of the full content (content:encoded, Atom content), if any.
	Content string `json:"content,omitempty"`
	// Published is when the item was published; when the feed's date cannot be
	// parsed it is the first-seen time and PublishedGuessed is true.
	Published        time.Time `json:"published"`
	PublishedGuessed bool      `json:"published_guessed,omitempty"`
	// Language is the language the feed declares (a hint only: some feeds lie).
	Language string `json:"declared_language,omitempty"`
	Author   string `json:"author,omitempty"`
	ImageURL string `json:"image_url,omitempty"`
}

// TextSource says where an article's main text came from.
type TextSource string

// The places article text is taken from, best first.
const (
	TextFromPage   TextSource = "page"
	TextFromJSONLD TextSource = "json-ld"
	TextFromOG     TextSource = "og"
	TextFromFeed   TextSource = "feed"
)

// Quote is a direct quote with the person (or body) who said it.
type Quote struct {
	Text    string `json:"text"`
	Speaker string `json:"speaker"`
	Role    string `json:"role"`
	// Confidence is how sure the summarizer is that Speaker said Text, in
	// [0, 1]; quotes below its per-language threshold are never returned.
	Confidence float64 `json:"confidence"`
}

// Summary is the extractive summary of an article.
type Summary struct {
	// Gist is 1-3 sentences of the article, in article order.
	Gist   []string `json:"gist"`
	Quotes []Quote  `json:"quotes"`
	// UnconfirmedQuotes counts the article's other direct quotes: their
	// speaker was not sure enough to show them under a name.
	UnconfirmedQuotes int `json:"unconfirmed_quotes,omitempty"`
}

// Relevance is the topic filter's verdict on an article.
type Relevance struct {
	Score    float64  `json:"score"`
	Relevant bool     `json:"relevant"`
	Matched  []string `json:"matched_terms"`
}

// Article is an item after it has been understood: its text, language,
// relevance, summary and the story it belongs to.
type Article struct {
	Item
	SourceName string     `json:"source"`
	Lang       string     `json:"language"`
	Text       string     `json:"-"`
	TextSource TextSource `json:"text_source"`
	Relevance  Relevance  `json:"relevance"`
	Summary    Summary    `json:"summary"`
	// StoryID groups near-identical articles from several outlets.
	StoryID string `json:"story_id,omitempty"`
	// AlsoReportedBy names the other outlets that carried the same story.
	AlsoReportedBy []string `json:"also_reported_by,omitempty"`
}

// ChatKind is Telegram's chat type.
type ChatKind string

// Telegram chat types.
const (
	ChatPrivate    ChatKind = "private"
	ChatGroup      ChatKind = "group"
	ChatSupergroup ChatKind = "supergroup"
	ChatChannel    ChatKind = "channel"
)

// Delivery modes.
const (
	ModeInstant = "instant"
	ModeDigest  = "digest"
)

// Chat statuses.
const (
	StatusActive = "active"
	// StatusGone marks a chat that blocked or removed the bot; settings are kept.
	StatusGone = "gone"
)

// Chat is a Telegram chat (private, group, supergroup or channel) and its settings.
type Chat struct {
	ID    int64    `json:"id"`
	Kind  ChatKind `json:"kind"`
	Title string   `json:"title,omitempty"`
	// UILang is the interface language (ar, fr, en).
	UILang string `json:"ui_lang"`
	// Langs are the article languages the chat wants; empty means all.
	Langs  []string `json:"langs,omitempty"`
	Topics []string `json:"topics,omitempty"`
	Mode   string   `json:"mode"`
	// DigestAt is the local time of the daily digest, "HH:MM".
	DigestAt string `json:"digest_at,omitempty"`
	// TZ is an IANA time zone name.
	TZ string `json:"tz"`
	// Quiet is a local time range "HH:MM-HH:MM" during which instant messages wait.
	Quiet    string `json:"quiet,omitempty"`
	Paused   bool   `json:"paused,omitempty"`
	ThreadID int    `json:"thread_id,omitempty"`
	Status   string `json:"status"`
	// Owner is the private chat that linked a channel (0 for other chats).
	Owner int64 `json:"owner,omitempty"`
}

// WantsLanguage reports whether the chat accepts articles in lang.
func (c Chat) WantsLanguage(lang string) bool {
	if len(c.Langs) == 0 {
		return true
	}
	for _, l := range c.Langs {
		if l == lang {
			return true
		}
	}
	return false
}

// Deliverable reports whether messages may be sent to the chat now.
func (c Chat) Deliverable() bool {
	return !c.Paused && c.Status != StatusGone
}

// Alert is a chat's keyword alert, kept as the query text the user wrote.
type Alert struct {
	ID     string `json:"id"`
	ChatID int64  `json:"chat_id"`
	Query  string `json:"query"`
}
