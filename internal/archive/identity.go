package archive

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/textproc"
)

// Identify returns the identity of a speaker's name: its words as names are
// compared (textproc.NameWords: normalized as alerts normalize words, without
// leading courtesy titles) and the id derived from them. "Mme Laura
// Palatini" and "Laura Palatini" are one identity; "Palatini" is another,
// which the archive joins to the first when it finds them (see Search). ok
// is false for a name without words.
func Identify(name string) (news.SpeakerName, bool) {
	ws := textproc.NameWords(name)
	if len(ws) == 0 {
		return news.SpeakerName{}, false
	}
	return news.SpeakerName{ID: speakerID(ws), Words: ws}, true
}

// IDLen is the length of a speaker id: 8 bytes of SHA-256 in unpadded
// base64url, small enough for callback data and deep links.
const IDLen = 11

func speakerID(words []string) string {
	sum := sha256.Sum256([]byte(strings.Join(words, " ")))
	return base64.RawURLEncoding.EncodeToString(sum[:8])
}

// ValidID reports whether s has the form of a speaker id.
func ValidID(s string) bool {
	if len(s) != IDLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}

// quoteID identifies a quote by its article and its words, so the same
// quote of the same article is archived once however often it is delivered.
func quoteID(link, text string) string {
	sum := sha256.Sum256([]byte(link + "\x00" + strings.Join(textproc.Words(text), " ")))
	return base64.RawURLEncoding.EncodeToString(sum[:6])
}

// speakerForms returns the forms of q's speaker name: the one quoted and,
// when the article itself writes the name in another script right beside
// it (textproc.NameInOtherScript) or the speaker field holds both, that
// one too. Names are never transliterated: without both forms in the
// article, an Arabic and a Latin spelling stay two speakers.
func speakerForms(q news.Quote, text string) []news.SpeakerName {
	name, other := textproc.SplitScripts(q.Speaker)
	first, ok := Identify(name)
	if !ok {
		return nil
	}
	if other == nil {
		other = textproc.NameInOtherScript(text, first.Words)
	}
	forms := []news.SpeakerName{first}
	if other != nil {
		forms = append(forms, news.SpeakerName{ID: speakerID(other), Words: other})
	}
	return forms
}

// sameWord compares two normalized words of names the way alerts read
// words: equal, or equal once Arabic clitics are told apart (الطبيب and
// طبيب: textproc.Reading).
func sameWord(a, b string) bool {
	return a == b || textproc.Reading(a) == textproc.Reading(b)
}

// startsWord reports whether word starts with prefix, compared like sameWord.
func startsWord(word, prefix string) bool {
	return strings.HasPrefix(word, prefix) ||
		strings.HasPrefix(textproc.Reading(word), textproc.Reading(prefix))
}
