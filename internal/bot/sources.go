package bot

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/migrawatch/migrawatch/internal/feed"
	"github.com/migrawatch/migrawatch/internal/news"
)

// unverifiedMark follows the name of a catalog source whose address nobody
// has seen answer yet; /sources explains it.
const unverifiedMark = "❔"

// sourcesPerPage keeps a /sources keyboard short enough to read on a phone.
const sourcesPerPage = 8

// cmdSources shows the catalog in the chat's first article language (or its
// interface language), one page at a time, with toggle buttons.
func (b *Bot) cmdSources(ctx context.Context, r *request) error {
	lang := r.lang
	if len(r.chat.Langs) > 0 {
		lang = r.chat.Langs[0]
	}
	if a := strings.ToLower(r.args); slices.Contains(news.Languages, a) {
		lang = a
	}
	return b.sendSourcesPage(ctx, r, lang, 0, false)
}

func (b *Bot) sourcesIn(lang string) []news.Source {
	var out []news.Source
	for _, s := range b.catalog {
		if s.Language == lang {
			out = append(out, s)
		}
	}
	return out
}

// sendSourcesPage sends (or, with edit, redraws) page of the catalog in lang.
func (b *Bot) sendSourcesPage(ctx context.Context, r *request, lang string, page int, edit bool) error {
	list := b.sourcesIn(lang)
	pages := max(1, (len(list)+sourcesPerPage-1)/sourcesPerPage)
	page = min(max(page, 0), pages-1)
	followed, err := b.store.ChatFeeds(ctx, r.chat.ID)
	if err != nil {
		return err
	}
	var rows [][]news.Button
	tabs := make([]news.Button, 0, len(news.Languages))
	for _, l := range news.Languages {
		text := tr(l, "lang_name")
		if l == lang {
			text = "• " + text + " •"
		}
		tabs = append(tabs, news.Button{Text: text, Data: cbPage + ":" + l + ":0"})
	}
	rows = append(rows, tabs)
	var text strings.Builder
	text.WriteString(tr(r.lang, "src_head", "lang", tr(r.lang, "lang_"+lang), "page", page+1, "pages", pages))
	if len(list) == 0 {
		text.WriteString("\n\n" + tr(r.lang, "src_none"))
	}
	start := page * sourcesPerPage
	shown := list[start:min(start+sourcesPerPage, len(list))]
	if slices.ContainsFunc(shown, func(s news.Source) bool { return !s.Verified }) {
		text.WriteString("\n" + tr(r.lang, "src_unverified"))
	}
	for _, s := range shown {
		mark := "▫️ "
		if slices.Contains(followed, s.ID) {
			mark = "✅ "
		}
		label := s.Name
		if s.Country != "" {
			label += " (" + s.Country + ")"
		}
		label = b.withKind(r.lang, s.ID, label, s.Kind)
		if !s.Verified {
			label += " " + unverifiedMark
		}
		rows = append(rows, []news.Button{{
			Text: mark + label,
			Data: cbToggle + ":" + lang + ":" + strconv.Itoa(page) + ":" + s.ID,
		}})
	}
	if pages > 1 {
		var nav []news.Button
		if page > 0 {
			nav = append(nav, news.Button{Text: "◀️", Data: cbPage + ":" + lang + ":" + strconv.Itoa(page-1)})
		}
		if page < pages-1 {
			nav = append(nav, news.Button{Text: "▶️", Data: cbPage + ":" + lang + ":" + strconv.Itoa(page+1)})
		}
		rows = append(rows, nav)
	}
	if edit {
		return b.edit(ctx, r, text.String(), rows...)
	}
	return b.reply(ctx, r, text.String(), rows...)
}

// parsePage reads "<lang>:<page>" from callback data.
func parsePage(s string) (lang string, page int, rest string, err error) {
	parts := strings.SplitN(s, ":", 3)
	if len(parts) < 2 || !slices.Contains(news.Languages, parts[0]) {
		return "", 0, "", errBadCallback
	}
	page, perr := strconv.Atoi(parts[1])
	if perr != nil || page < 0 || page > 1000 {
		return "", 0, "", errBadCallback
	}
	if len(parts) == 3 {
		rest = parts[2]
	}
	return parts[0], page, rest, nil
}

func (b *Bot) cbSourcesPage(ctx context.Context, r *request) error {
	lang, page, _, err := parsePage(r.args)
	if err != nil {
		return err
	}
	return b.sendSourcesPage(ctx, r, lang, page, true)
}

func (b *Bot) cbToggleSource(ctx context.Context, r *request) error {
	lang, page, id, err := parsePage(r.args)
	if err != nil {
		return err
	}
	src, ok := b.byID[strings.ToLower(id)]
	if !ok {
		return errBadCallback
	}
	removed, err := b.store.Unsubscribe(ctx, r.chat.ID, src.ID)
	if err != nil {
		return err
	}
	if !removed {
		n, err := b.store.ChatFeeds(ctx, r.chat.ID)
		if err != nil {
			return err
		}
		if len(n) >= b.opts.MaxFeeds {
			return b.reply(ctx, r, tr(r.lang, "sub_too_many", "max", b.opts.MaxFeeds))
		}
		if _, err := b.store.Subscribe(ctx, r.chat.ID, src.ID); err != nil {
			return err
		}
	}
	return b.sendSourcesPage(ctx, r, lang, page, true)
}

// cmdSubscribe follows a catalog source by id, or any feed by URL after
// checking it; a web page that advertises a feed gets that feed.
func (b *Bot) cmdSubscribe(ctx context.Context, r *request) error {
	arg := r.args
	if arg == "" {
		example := "iom"
		if len(b.catalog) > 0 {
			example = b.catalog[0].ID
		}
		return b.reply(ctx, r, tr(r.lang, "sub_usage", "example", example))
	}
	if src, ok := b.byID[strings.ToLower(arg)]; ok {
		return b.subscribeReply(ctx, r, src, false)
	}
	u, ok := webURL(arg)
	if !ok {
		return b.reply(ctx, r, tr(r.lang, "sub_bad_url", "url", arg))
	}
	if src, ok := b.byURL[canonicalURL(u)]; ok {
		return b.subscribeReply(ctx, r, src, false)
	}
	if full, err := b.full(ctx, r); err != nil || full {
		return err
	}
	src, viaPage, err := b.resolveFeed(ctx, u)
	switch {
	case err == nil:
	case errors.Is(err, feed.ErrPrivateAddress):
		return b.reply(ctx, r, tr(r.lang, "sub_private", "url", u))
	case errors.Is(err, feed.ErrBadURL):
		return b.reply(ctx, r, tr(r.lang, "sub_bad_url", "url", u))
	case errors.Is(err, feed.ErrNotAFeed):
		return b.offerPage(ctx, r, u, err)
	case ctx.Err() != nil:
		return err
	default:
		b.log.Info("bot: feed check failed", "chat_id", r.chat.ID, "feed_url", u, "err", err)
		return b.reply(ctx, r, tr(r.lang, "sub_failed", "url", u, "reason", reasonText(r.lang, err)))
	}
	if _, isCatalog := b.byID[strings.ToLower(src.ID)]; !isCatalog {
		if err := b.feeds.RegisterFeed(ctx, src); err != nil {
			return err
		}
	}
	return b.subscribeReply(ctx, r, src, viaPage)
}

// full reports (and tells the user) that the chat follows MaxFeeds feeds.
func (b *Bot) full(ctx context.Context, r *request) (bool, error) {
	feeds, err := b.store.ChatFeeds(ctx, r.chat.ID)
	if err != nil {
		return true, err
	}
	if len(feeds) < b.opts.MaxFeeds {
		return false, nil
	}
	return true, b.reply(ctx, r, tr(r.lang, "sub_too_many", "max", b.opts.MaxFeeds))
}

func (b *Bot) subscribeReply(ctx context.Context, r *request, src news.Source, viaPage bool) error {
	feeds, err := b.store.ChatFeeds(ctx, r.chat.ID)
	if err != nil {
		return err
	}
	if slices.Contains(feeds, src.ID) {
		return b.reply(ctx, r, tr(r.lang, "sub_already", "name", src.Name))
	}
	if len(feeds) >= b.opts.MaxFeeds {
		return b.reply(ctx, r, tr(r.lang, "sub_too_many", "max", b.opts.MaxFeeds))
	}
	if _, err := b.store.Subscribe(ctx, r.chat.ID, src.ID); err != nil {
		return err
	}
	if viaPage {
		return b.reply(ctx, r, tr(r.lang, "sub_via_page", "name", src.Name, "url", src.URL))
	}
	return b.reply(ctx, r, tr(r.lang, "sub_done", "name", src.Name))
}

// resolveFeed checks u; when u is an HTML page advertising feeds, the first
// advertised feed that checks out is taken and viaPage is true. The source
// comes back with its id (a catalog id when the feed is in the catalog).
func (b *Bot) resolveFeed(ctx context.Context, u string) (src news.Source, viaPage bool, err error) {
	src, err = b.check(ctx, u)
	var naf *feed.NotAFeedError
	if err != nil && errors.As(err, &naf) && len(naf.Links) > 0 {
		for _, link := range naf.Links[:min(3, len(naf.Links))] {
			if s, lerr := b.check(ctx, link); lerr == nil {
				src, err, viaPage = s, nil, true
				break
			}
		}
	}
	if err != nil {
		return news.Source{}, false, err
	}
	if s, ok := b.byURL[canonicalURL(src.URL)]; ok {
		return s, viaPage, nil
	}
	return src, viaPage, nil
}

func (b *Bot) check(ctx context.Context, u string) (news.Source, error) {
	ctx, cancel := context.WithTimeout(ctx, b.opts.CheckTimeout)
	defer cancel()
	res, err := b.checker.Check(ctx, u)
	if err != nil {
		return news.Source{}, err
	}
	src := news.Source{URL: u, Kind: news.KindFeed}
	if res != nil {
		src.Name = res.Title
		if res.FinalURL != "" {
			src.URL = res.FinalURL
		}
		if l := uiLanguage(res.Language); l == strings.ToLower(res.Language) || strings.HasPrefix(strings.ToLower(res.Language), l) {
			src.Language = l
		}
	}
	src.ID = feed.SourceID(src.URL)
	if strings.TrimSpace(src.Name) == "" {
		if pu, err := url.Parse(src.URL); err == nil {
			src.Name = pu.Host
		}
	}
	src.Name = truncate(strings.TrimSpace(src.Name), 120)
	return src, nil
}

// reasonText says in lang why a feed could not be followed.
func reasonText(lang string, err error) string {
	var se *feed.StatusError
	switch {
	case errors.Is(err, feed.ErrPrivateAddress):
		return tr(lang, "reason_private")
	case errors.Is(err, feed.ErrBadURL):
		return tr(lang, "reason_bad_url")
	case errors.Is(err, feed.ErrNotAFeed), errors.Is(err, feed.ErrMalformed):
		return tr(lang, "reason_not_feed")
	case errors.As(err, &se):
		return tr(lang, "reason_status", "code", se.Code)
	}
	return tr(lang, "reason_unread")
}

// webURL turns what a user typed into an absolute http(s) URL: a bare
// "example.org/feed" gets https://. ok is false for anything else.
func webURL(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if strings.ContainsAny(s, " \t\n<>\"") {
		return "", false
	}
	if !strings.Contains(s, "://") && strings.Contains(s, ".") && !strings.HasPrefix(s, "/") {
		s = "https://" + s
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || u.User != nil {
		return "", false
	}
	return u.String(), true
}

func canonicalURL(u string) string { return feed.CanonicalURL(u) }

// truncate shortens s to at most n runes.
func truncate(s string, n int) string {
	rs := []rune(s)
	if len(rs) <= n {
		return s
	}
	return string(rs[:n-1]) + "…"
}

// feedName names feed id for the user: the catalog name, the registered
// feed's title, or its host. The id itself (u0897ee5c1224 for a feed added
// by URL) is shown only when the feed cannot be read at all.
func (b *Bot) feedName(ctx context.Context, id string) string {
	if s, ok := b.byID[strings.ToLower(id)]; ok {
		return s.Name
	}
	info, ok, err := b.feeds.Feed(ctx, id)
	if err != nil || !ok {
		return id
	}
	return sourceName(info.Source)
}

// sourceName is what a source is called in lists: its name, else the host
// of its address (without "www."), else its id.
func sourceName(src news.Source) string {
	if name := strings.TrimSpace(src.Name); name != "" {
		return name
	}
	if u, err := url.Parse(src.URL); err == nil && u.Hostname() != "" {
		return strings.TrimPrefix(u.Hostname(), "www.")
	}
	return src.ID
}

// cmdUnsubscribe stops a feed named by catalog id, feed id or URL; without
// an argument it shows the chat's feeds as buttons.
func (b *Bot) cmdUnsubscribe(ctx context.Context, r *request) error {
	if r.args == "" {
		return b.sendUnsubscribeList(ctx, r, "", false)
	}
	id := r.args
	if s, ok := b.byID[strings.ToLower(id)]; ok {
		id = s.ID
	} else if u, ok := webURL(id); ok && strings.Contains(r.args, ".") {
		if s, ok := b.byURL[canonicalURL(u)]; ok {
			id = s.ID
		} else {
			id = feed.SourceID(u)
		}
	}
	name := b.feedName(ctx, id)
	removed, err := b.store.Unsubscribe(ctx, r.chat.ID, id)
	if err != nil {
		return err
	}
	if !removed {
		return b.reply(ctx, r, tr(r.lang, "unsub_not", "arg", r.args))
	}
	return b.reply(ctx, r, tr(r.lang, "unsub_done", "name", name))
}

// maxUnsubscribeButtons bounds the keyboard; more feeds are removed by name.
const maxUnsubscribeButtons = 50

func (b *Bot) sendUnsubscribeList(ctx context.Context, r *request, head string, edit bool) error {
	feeds, err := b.store.ChatFeeds(ctx, r.chat.ID)
	if err != nil {
		return err
	}
	text := head
	if head != "" {
		text += "\n\n"
	}
	if len(feeds) == 0 {
		text += tr(r.lang, "unsub_none")
		if edit {
			return b.edit(ctx, r, text)
		}
		return b.reply(ctx, r, text)
	}
	text += tr(r.lang, "unsub_choose")
	var rows [][]news.Button
	for _, id := range feeds[:min(len(feeds), maxUnsubscribeButtons)] {
		rows = append(rows, []news.Button{{Text: "✖️ " + truncate(b.feedName(ctx, id), 60), Data: cbUnsub + ":" + id}})
	}
	if edit {
		return b.edit(ctx, r, text, rows...)
	}
	return b.reply(ctx, r, text, rows...)
}

func (b *Bot) cbUnsubscribe(ctx context.Context, r *request) error {
	id := r.args
	if id == "" {
		return errBadCallback
	}
	name := b.feedName(ctx, id)
	removed, err := b.store.Unsubscribe(ctx, r.chat.ID, id)
	if err != nil {
		return err
	}
	head := ""
	if removed {
		head = tr(r.lang, "unsub_done", "name", name)
	}
	return b.sendUnsubscribeList(ctx, r, head, true)
}

// cmdTopics shows the topics with toggle buttons.
func (b *Bot) cmdTopics(ctx context.Context, r *request) error {
	return b.reply(ctx, r, tr(r.lang, "topics_head"), b.topicButtons(r)...)
}

func (b *Bot) topicButtons(r *request) [][]news.Button {
	var rows [][]news.Button
	for _, t := range b.opts.Topics {
		mark := "▫️ "
		if slices.Contains(r.chat.Topics, t) {
			mark = "✅ "
		}
		name := t
		if _, ok := catalog[r.lang]["topic_"+t]; ok {
			name = tr(r.lang, "topic_"+t)
		}
		rows = append(rows, []news.Button{{Text: mark + name, Data: cbTopic + ":" + t}})
	}
	return rows
}

func (b *Bot) cbToggleTopic(ctx context.Context, r *request) error {
	t := r.args
	if !slices.Contains(b.opts.Topics, t) {
		return errBadCallback
	}
	if i := slices.Index(r.chat.Topics, t); i >= 0 {
		r.chat.Topics = slices.Delete(slices.Clone(r.chat.Topics), i, i+1)
	} else {
		r.chat.Topics = append(slices.Clone(r.chat.Topics), t)
	}
	if err := b.saveChat(ctx, r); err != nil {
		return err
	}
	return b.edit(ctx, r, tr(r.lang, "topics_head"), b.topicButtons(r)...)
}

func init() {
	addTexts(map[string]map[string]string{
		news.English: {"src_unverified": "❔ = address not confirmed yet: it may fail, and /status will say so."},
		news.French:  {"src_unverified": "❔ = adresse pas encore confirmée : elle peut échouer, et /status le dira."},
		news.Arabic:  {"src_unverified": "❔ = عنوان لم يُتأكد منه بعد: قد يتعذر، وسيخبرك ‎/status بذلك."},
	})
}
