package bot

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/page"
)

// PageFetcher fetches an HTML page behind the same SSRF guard, limits and
// charset handling as feeds (*feed.Fetcher). Errors match the same sentinels
// as FeedChecker's.
type PageFetcher interface {
	FetchPage(ctx context.Context, url string) (*feed.Response, error)
}

// PageOffers keeps the page addresses a chat was offered to watch until the
// user taps the button, which carries only the source id (callback data is
// at most 64 bytes). The Redis store provides it; without it pages are not
// offered.
type PageOffers interface {
	SavePageOffer(ctx context.Context, chatID int64, id, url string, ttl time.Duration) error
	PageOffer(ctx context.Context, chatID int64, id string) (url string, ok bool, err error)
}

// lastDeliveries is the store's record of each chat's last delivery.
type lastDeliveries interface {
	LastDelivery(ctx context.Context, chatID int64) (time.Time, bool, error)
}

// cbWatch is the callback verb of the "watch this page" button: "wp:<source id>".
const cbWatch = "wp"

// Bounds of page subscriptions.
const (
	// pageOfferTTL is how long a "watch this page" button stays valid.
	pageOfferTTL = 24 * time.Hour
	// pageNewestShown is how many article titles the confirmation lists.
	pageNewestShown = 3
)

// listing is what a news listing page yields.
type listing struct {
	URL      string // final URL after redirects
	Name     string
	Language string
	Articles []page.Link
}

// readListing fetches the page at u and finds its article links. It fails
// with page.ErrNoArticles when the page lists none.
func (b *Bot) readListing(ctx context.Context, u string) (listing, error) {
	ctx, cancel := context.WithTimeout(ctx, b.opts.CheckTimeout)
	defer cancel()
	resp, err := b.opts.Pages.FetchPage(ctx, u)
	if err != nil {
		return listing{}, err
	}
	l := listing{URL: resp.URL}
	if l.URL == "" {
		l.URL = u
	}
	l.Articles, err = page.Discover(resp.Body, l.URL, page.Options{Canonical: feed.CanonicalURL})
	if err == nil && len(l.Articles) == 0 {
		err = page.ErrNoArticles
	}
	if err != nil {
		return listing{}, err
	}
	l.Name, l.Language = pageIdentity(resp.Body)
	if l.Name == "" {
		l.Name = hostOf(l.URL)
	}
	l.Name = truncate(l.Name, 120)
	return l, nil
}

// pageIdentity reads a page's site name (og:site_name, else <title>) and
// its language when it is one of MigraWatch's.
func pageIdentity(body []byte) (name, lang string) {
	doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
	if err != nil {
		return "", ""
	}
	name, _ = doc.Find(`meta[property="og:site_name"]`).First().Attr("content")
	if name = strings.Join(strings.Fields(name), " "); name == "" {
		name = strings.Join(strings.Fields(doc.Find("title").First().Text()), " ")
	}
	if code, ok := doc.Find("html").First().Attr("lang"); ok {
		if l := uiLanguage(code); strings.HasPrefix(strings.ToLower(code), l) {
			lang = l
		}
	}
	return name, lang
}

// offerPage answers /subscribe of a page that is not a feed (notFeed). A
// page advertising no feed but listing articles gets a button to watch it
// as a page; anything else gets the "not a feed" answer.
func (b *Bot) offerPage(ctx context.Context, r *request, u string, notFeed error) error {
	var naf *feed.NotAFeedError
	offers, canOffer := b.store.(PageOffers)
	if !canOffer || b.opts.Pages == nil || !errors.As(notFeed, &naf) || !naf.HTML || len(naf.Links) > 0 {
		return b.reply(ctx, r, tr(r.lang, "sub_not_feed", "url", u))
	}
	l, err := b.readListing(ctx, u)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		b.log.Info("bot: page check failed", "chat_id", r.chat.ID, "feed_url", u, "err", err)
		return b.reply(ctx, r, tr(r.lang, "sub_not_feed", "url", u))
	}
	id := feed.SourceID(u)
	if err := offers.SavePageOffer(ctx, r.chat.ID, id, u, pageOfferTTL); err != nil {
		return err
	}
	return b.reply(ctx, r,
		tr(r.lang, "page_offer", "url", u, "n", len(l.Articles), "title", truncate(l.Articles[0].Text, 120)),
		[]news.Button{{Text: tr(r.lang, "btn_watch_page"), Data: cbWatch + ":" + id}})
}

// cbWatchPage follows the page offered under the tapped button: it reads
// the page again, registers it as a page source and subscribes the chat.
func (b *Bot) cbWatchPage(ctx context.Context, r *request) error {
	offers, ok := b.store.(PageOffers)
	if !ok || b.opts.Pages == nil || r.args == "" {
		return errBadCallback
	}
	u, ok, err := offers.PageOffer(ctx, r.chat.ID, r.args)
	if err != nil {
		return err
	}
	if !ok {
		return errBadCallback
	}
	l, err := b.readListing(ctx, u)
	switch {
	case err == nil:
	case ctx.Err() != nil:
		return err
	case errors.Is(err, page.ErrNoArticles):
		return b.edit(ctx, r, tr(r.lang, "page_no_articles", "url", u))
	case errors.Is(err, feed.ErrPrivateAddress):
		return b.edit(ctx, r, tr(r.lang, "sub_private", "url", u))
	default:
		b.log.Info("bot: page check failed", "chat_id", r.chat.ID, "feed_url", u, "err", err)
		return b.edit(ctx, r, tr(r.lang, "page_failed", "url", u, "reason", reasonText(r.lang, err)))
	}
	src, isCatalog := b.byURL[canonicalURL(l.URL)]
	if !isCatalog {
		src = news.Source{ID: feed.SourceID(l.URL), Name: l.Name, URL: l.URL, Language: l.Language, Kind: news.KindPage}
		if err := b.feeds.RegisterFeed(ctx, src); err != nil {
			return err
		}
	}
	feeds, err := b.store.ChatFeeds(ctx, r.chat.ID)
	if err != nil {
		return err
	}
	if slices.Contains(feeds, src.ID) {
		return b.edit(ctx, r, tr(r.lang, "sub_already", "name", src.Name))
	}
	if len(feeds) >= b.opts.MaxFeeds {
		return b.edit(ctx, r, tr(r.lang, "sub_too_many", "max", b.opts.MaxFeeds))
	}
	if _, err := b.store.Subscribe(ctx, r.chat.ID, src.ID); err != nil {
		return err
	}
	var newest strings.Builder
	for _, a := range l.Articles[:min(len(l.Articles), pageNewestShown)] {
		newest.WriteString("\n• " + escapeHTML(truncate(a.Text, 120)))
	}
	return b.edit(ctx, r, tr(r.lang, "page_done", "name", src.Name, "n", len(l.Articles), "newest", rawHTML(newest.String())))
}

// withKind notes after name that source id is a watched web page rather
// than a feed (kind as registered, else as in the catalog).
func (b *Bot) withKind(lang, id, name string, kind news.SourceKind) string {
	if kind == "" {
		if s, ok := b.byID[strings.ToLower(id)]; ok {
			kind = s.Kind
		}
	}
	if kind != news.KindPage {
		return name
	}
	return name + " (" + tr(lang, "kind_page") + ")"
}

func hostOf(u string) string {
	_, rest, _ := strings.Cut(u, "://")
	host, _, _ := strings.Cut(rest, "/")
	return host
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
