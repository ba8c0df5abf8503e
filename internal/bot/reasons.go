package bot

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/page"
)

// A feed's last error reaches the bot as the text the poller stored, in
// English. /status and the operator view say in the chat's language what
// went wrong; the reasons are read from the messages of the errors the
// fetcher, the parser and the page reader return (a test feeds the real
// errors through, so a reworded error cannot go unnoticed), and a text
// none of them explains is shown as it is, marked as technical detail.

// textReasons maps the message of each sentinel error to its reason key,
// in the order they are tried (the most specific first).
var textReasons = []struct {
	err error
	key string
}{
	{feed.ErrPrivateAddress, "reason_private"},
	{feed.ErrBadURL, "reason_bad_url"},
	{feed.ErrTooManyRedirects, "reason_redirects"},
	{feed.ErrTooLarge, "reason_too_large"},
	{feed.ErrEncoding, "reason_encoding"},
	{feed.ErrMalformed, "reason_malformed"},
	{page.ErrDisallowed, "reason_robots"},
	{page.ErrNoArticles, "reason_no_articles"},
	{feed.ErrNotAFeed, "reason_not_feed"},
}

var (
	statusTextRE = regexp.MustCompile(`HTTP status (\d{3})`)
	// The messages of net/http, net and crypto/tls for a site that cannot
	// be reached, is too slow, or whose certificate is refused.
	timeoutMarks = []string{"deadline exceeded", "timeout", "Timeout"}
	tlsMarks     = []string{"x509:", "tls:", "certificate"}
	networkMarks = []string{"dial tcp", "no such host", "connection refused", "connection reset", "EOF", "network is unreachable", "server misbehaving"}
)

// errorReason says in lang why a feed failed, from its stored error text.
// ok is false when the text is none of the known errors.
func errorReason(lang, text string) (reason string, ok bool) {
	// A feed that is not a feed says so in its own words.
	if strings.Contains(text, "got an HTML page, not a feed") || strings.Contains(text, "is not an RSS, Atom or JSON feed") {
		return tr(lang, "reason_not_feed"), true
	}
	for _, r := range textReasons {
		if strings.Contains(text, r.err.Error()) {
			return tr(lang, r.key), true
		}
	}
	if strings.Contains(text, "refusing to connect to") {
		return tr(lang, "reason_private"), true
	}
	if m := statusTextRE.FindStringSubmatch(text); m != nil {
		code, _ := strconv.Atoi(m[1])
		return tr(lang, "reason_status", "code", code), true
	}
	for _, marks := range []struct {
		key   string
		marks []string
	}{{"reason_tls", tlsMarks}, {"reason_timeout", timeoutMarks}, {"reason_network", networkMarks}} {
		for _, m := range marks.marks {
			if strings.Contains(text, m) {
				return tr(lang, marks.key), true
			}
		}
	}
	return "", false
}

// errorHTML is a feed's stored error as shown in lang (Telegram HTML): the
// reason in words, or the text itself as technical detail.
func errorHTML(lang, text string, max int) rawHTML {
	if reason, ok := errorReason(lang, text); ok {
		return rawHTML(escapeHTML(reason))
	}
	return rawHTML("<code>" + escapeHTML(truncate(text, max)) + "</code>")
}

func init() {
	addTexts(map[string]map[string]string{
		"en": {
			"reason_redirects":   "too many redirects",
			"reason_too_large":   "the document is too large",
			"reason_encoding":    "its character encoding cannot be read",
			"reason_malformed":   "the feed is broken and cannot be read",
			"reason_robots":      "the site’s robots.txt forbids reading it",
			"reason_no_articles": "the page lists no articles any more",
			"reason_timeout":     "the site took too long to answer",
			"reason_tls":         "the site’s security certificate was refused",
			"reason_network":     "the site cannot be reached",
		},
		"fr": {
			"reason_redirects":   "trop de redirections",
			"reason_too_large":   "le document est trop volumineux",
			"reason_encoding":    "son encodage de caractères est illisible",
			"reason_malformed":   "le flux est défectueux et illisible",
			"reason_robots":      "le robots.txt du site en interdit la lecture",
			"reason_no_articles": "la page ne liste plus aucun article",
			"reason_timeout":     "le site a mis trop de temps à répondre",
			"reason_tls":         "le certificat de sécurité du site a été refusé",
			"reason_network":     "le site est injoignable",
		},
		"ar": {
			"reason_redirects":   "عمليات إعادة توجيه كثيرة جدًا",
			"reason_too_large":   "المستند كبير جدًا",
			"reason_encoding":    "ترميز الأحرف فيه غير مقروء",
			"reason_malformed":   "الموجز معطوب ولا يمكن قراءته",
			"reason_robots":      "ملف robots.txt الخاص بالموقع يمنع قراءته",
			"reason_no_articles": "لم تعد الصفحة تعرض أي مقال",
			"reason_timeout":     "تأخر الموقع كثيرًا في الرد",
			"reason_tls":         "رُفضت شهادة أمان الموقع",
			"reason_network":     "تعذر الوصول إلى الموقع",
		},
	})
}
