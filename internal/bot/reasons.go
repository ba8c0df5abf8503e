package bot

import (
	"errors"

	"github.com/migrawatch/migrawatch/internal/feed"
)

// A feed's last error reaches the bot as the text the poller stored, in
// English; a failed /subscribe, import or page check as the error itself.
// Both are read through feed's one classifier (feed.Classify and
// feed.ClassifyText) and said in the chat's language; a stored text the
// classifier does not know is shown as it is, marked as technical detail.

// reasonKeys is the catalog key that says each class of failure.
var reasonKeys = map[feed.Class]string{
	feed.ClassPrivate:           "reason_private",
	feed.ClassBadURL:            "reason_bad_url",
	feed.ClassRobots:            "reason_robots",
	feed.ClassRobotsUnreachable: "reason_robots_unreachable",
	feed.ClassStatus:            "reason_status",
	feed.ClassRedirects:         "reason_redirects",
	feed.ClassTooLarge:          "reason_too_large",
	feed.ClassEncoding:          "reason_encoding",
	feed.ClassMalformed:         "reason_malformed",
	feed.ClassNotAFeed:          "reason_not_feed",
	feed.ClassNoArticles:        "reason_no_articles",
	feed.ClassTimeout:           "reason_timeout",
	feed.ClassTLS:               "reason_tls",
	feed.ClassNetwork:           "reason_network",
	feed.ClassOther:             "reason_unread",
}

// classReason says class in lang; code is the HTTP status of ClassStatus.
func classReason(lang string, class feed.Class, code int) string {
	key, ok := reasonKeys[class]
	if !ok {
		key = "reason_unread"
	}
	return tr(lang, key, "code", code)
}

// reasonText says in lang why a feed or page could not be followed.
func reasonText(lang string, err error) string {
	code := 0
	var se *feed.StatusError
	if errors.As(err, &se) {
		code = se.Code
	}
	return classReason(lang, feed.Classify(err), code)
}

// errorReason says in lang why a feed failed, from its stored error text.
// ok is false when the text is none of the known errors.
func errorReason(lang, text string) (reason string, ok bool) {
	class, code, ok := feed.ClassifyText(text)
	if !ok {
		return "", false
	}
	return classReason(lang, class, code), true
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
			"reason_redirects":          "too many redirects",
			"reason_too_large":          "the document is too large",
			"reason_encoding":           "its character encoding cannot be read",
			"reason_malformed":          "the feed is broken and cannot be read",
			"reason_robots":             "the site’s robots.txt forbids reading it",
			"reason_robots_unreachable": "the site’s robots.txt cannot be read, so the site is left alone for now",
			"reason_no_articles":        "the page lists no articles any more",
			"reason_timeout":            "the site took too long to answer",
			"reason_tls":                "the site’s security certificate was refused",
			"reason_network":            "the site cannot be reached",
		},
		"fr": {
			"reason_redirects":          "trop de redirections",
			"reason_too_large":          "le document est trop volumineux",
			"reason_encoding":           "son encodage de caractères est illisible",
			"reason_malformed":          "le flux est défectueux et illisible",
			"reason_robots":             "le robots.txt du site en interdit la lecture",
			"reason_robots_unreachable": "le robots.txt du site est illisible, le site est donc laissé de côté pour l’instant",
			"reason_no_articles":        "la page ne liste plus aucun article",
			"reason_timeout":            "le site a mis trop de temps à répondre",
			"reason_tls":                "le certificat de sécurité du site a été refusé",
			"reason_network":            "le site est injoignable",
		},
		"ar": {
			"reason_redirects":          "عمليات إعادة توجيه كثيرة جدًا",
			"reason_too_large":          "المستند كبير جدًا",
			"reason_encoding":           "ترميز الأحرف فيه غير مقروء",
			"reason_malformed":          "الموجز معطوب ولا يمكن قراءته",
			"reason_robots":             "ملف robots.txt الخاص بالموقع يمنع قراءته",
			"reason_robots_unreachable": "تعذرت قراءة ملف robots.txt الخاص بالموقع، لذا يُترك الموقع مؤقتًا",
			"reason_no_articles":        "لم تعد الصفحة تعرض أي مقال",
			"reason_timeout":            "تأخر الموقع كثيرًا في الرد",
			"reason_tls":                "رُفضت شهادة أمان الموقع",
			"reason_network":            "تعذر الوصول إلى الموقع",
		},
	})
}
