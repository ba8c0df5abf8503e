package bot

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/page"
	"github.com/migrawatch/migrawatch/internal/subscribe"
)

// PageFetcher fetches an HTML page behind the same SSRF guard, limits and
// charset handling as feeds (*feed.Fetcher). Errors match the same sentinels
// as FeedChecker's.
type PageFetcher = subscribe.Pages

// PageOffers keeps the page addresses a chat was offered to watch until the
// user taps the button, which carries only the source id (callback data is
// at most 64 bytes).
type PageOffers = subscribe.Offers

// LastDeliveries is the store's record of each chat's last delivery, for /status.
type LastDeliveries interface {
	LastDelivery(ctx context.Context, chatID int64) (time.Time, bool, error)
}

// cbWatch is the callback verb of the "watch this page" button: "wp:<source id>".
const cbWatch = "wp"

// pageNewestShown is how many article titles the confirmation of a watched
// page lists.
const pageNewestShown = 3

// cbWatchPage follows the page offered under the tapped button: it reads
// the page again, registers it as a page source and subscribes the chat.
func (b *Bot) cbWatchPage(ctx context.Context, r *request) error {
	if r.args == "" {
		return errBadCallback
	}
	res, err := b.subs.Watch(ctx, r.chat.ID, r.args)
	var se *subscribe.SourceError
	switch {
	case err == nil:
	case errors.Is(err, subscribe.ErrOfferExpired):
		return errBadCallback
	case ctx.Err() != nil || !errors.As(err, &se):
		return err
	case errors.Is(err, page.ErrNoArticles):
		return b.edit(ctx, r, tr(r.lang, "page_no_articles", "url", se.URL))
	case errors.Is(err, feed.ErrPrivateAddress):
		return b.edit(ctx, r, tr(r.lang, "sub_private", "url", se.URL))
	default:
		b.log.Info("bot: page check failed", "chat_id", r.chat.ID, "feed_url", se.URL, "err", err)
		return b.edit(ctx, r, tr(r.lang, "page_failed", "url", se.URL, "reason", reasonText(r.lang, err)))
	}
	switch res.Outcome {
	case subscribe.Already:
		return b.edit(ctx, r, tr(r.lang, "sub_already", "name", res.Source.Name))
	case subscribe.TooMany:
		return b.edit(ctx, r, tr(r.lang, "sub_too_many", "max", b.subs.MaxFeeds()))
	}
	var newest strings.Builder
	for _, a := range res.Articles[:min(len(res.Articles), pageNewestShown)] {
		newest.WriteString("\n• " + escapeHTML(truncate(a.Text, 120)))
	}
	return b.edit(ctx, r, tr(r.lang, "page_done", "name", res.Source.Name, "n", len(res.Articles), "newest", rawHTML(newest.String())))
}

// withKind notes after name that source id is a watched web page rather
// than a feed (kind as registered, else as in the catalog).
func (b *Bot) withKind(lang, id, name string, kind news.SourceKind) string {
	if kind == "" {
		if s, ok := b.subs.Catalog(id); ok {
			kind = s.Kind
		}
	}
	if kind != news.KindPage {
		return name
	}
	return name + " (" + tr(lang, "kind_page") + ")"
}

func init() {
	addTexts(map[string]map[string]string{
		news.English: {
			"kind_page":        "🌐 web page",
			"page_offer":       "«{url}» has no news feed, but it lists {n|one:# article|other:# articles}, the first being «{title}».\nI can watch this page and send you each new article that appears on it.",
			"btn_watch_page":   "👀 Watch this page",
			"page_done":        "✅ You now follow <b>{name}</b> as a web page. I found {n|one:# article|other:# articles} there; {n|one:it is|other:the newest}:{newest}\nNew articles will reach you as they appear.",
			"page_no_articles": "I no longer find any articles on «{url}», so I cannot watch it.",
			"page_failed":      "I could not read «{url}»: {reason}.",
		},
		news.French: {
			"kind_page":        "🌐 page web",
			"page_offer":       "«\u202f{url}\u202f» n’a pas de flux d’actualités, mais elle liste {n|one:# article|other:# articles}, dont le premier est «\u202f{title}\u202f».\nJe peux surveiller cette page et vous envoyer chaque nouvel article qui y apparaît.",
			"btn_watch_page":   "👀 Surveiller cette page",
			"page_done":        "✅ Vous suivez maintenant <b>{name}</b> comme page web. J’y ai trouvé {n|one:# article|other:# articles} ; {n|one:le voici|other:les plus récents} :{newest}\nLes nouveaux articles vous parviendront dès leur parution.",
			"page_no_articles": "Je ne trouve plus aucun article sur «\u202f{url}\u202f», je ne peux donc pas la surveiller.",
			"page_failed":      "Je n’ai pas pu lire «\u202f{url}\u202f» : {reason}.",
		},
		news.Arabic: {
			"kind_page":        "🌐 صفحة ويب",
			"page_offer":       "لا يوفّر «{url}» موجز أخبار، لكنه يعرض {n|zero:# مقال|one:مقالًا واحدًا هو|two:مقالين أولهما|few:# مقالات أولها|many:# مقالًا أولها|other:# مقال أولها} «{title}».\nيمكنني مراقبة هذه الصفحة وإرسال كل مقال جديد يظهر فيها.",
			"btn_watch_page":   "👀 راقب هذه الصفحة",
			"page_done":        "✅ أنت تتابع الآن <b>{name}</b> كصفحة ويب. وجدت فيها {n|zero:# مقال|one:مقالًا واحدًا، هو|two:مقالين، هما|few:# مقالات، أحدثها|many:# مقالًا، أحدثها|other:# مقال، أحدثها}:{newest}\nستصلك المقالات الجديدة فور نشرها.",
			"page_no_articles": "لم أعد أجد أي مقال في «{url}»، لذا لا يمكنني مراقبتها.",
			"page_failed":      "تعذّرت قراءة «{url}»: {reason}.",
		},
	})
}
