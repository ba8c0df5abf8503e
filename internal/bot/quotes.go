package bot

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/migrawatch/migrawatch/internal/archive"
	"github.com/migrawatch/migrawatch/internal/news"
)

// QuoteFinder is the quote archive /quotes and the "more from this speaker"
// buttons read (*archive.Archive).
type QuoteFinder interface {
	Search(ctx context.Context, query string, offset, n int) (archive.Page, error)
	SpeakerQuotes(ctx context.Context, id string, offset, n int) (archive.Page, error)
	Voices(ctx context.Context, langs, topics []string, n int) ([]archive.Voice, error)
}

// QuoteState is what the quote commands keep in the store: the weekly
// "voices of the week" schedule and the answered speaker buttons.
type QuoteState interface {
	SetWeeklyVoices(ctx context.Context, chat int64, at time.Time) error
	WeeklyVoices(ctx context.Context, chat int64) (time.Time, bool, error)
	ClaimWeeklyVoices(ctx context.Context, now time.Time, lease time.Duration, n int) ([]int64, error)
	FirstQuoteTap(ctx context.Context, chat int64, msg int, sid string, ttl time.Duration) (bool, error)
	ClearQuoteTap(ctx context.Context, chat int64, msg int, sid string) error
}

// Callback verbs and the deep link of the quote archive.
const (
	// cbSpeaker: "qs:<speaker id>" under a delivered message answers once
	// with the speaker's quotes; "qs:<speaker id>:<page>" turns a page.
	cbSpeaker = "qs"
	// cbQuotes: "qq:<page>:<search>" turns a page of /quotes results.
	cbQuotes = "qq"
	// startSpeaker opens a speaker's quotes from a channel post's button:
	// t.me/<bot>?start=qs-<speaker id>.
	startSpeaker = "qs-"
)

// Bounds of the quote answers.
const (
	quotesPerPage = 5
	// maxQuotePages bounds paging (the archive keeps 100 quotes per speaker).
	maxQuotePages = 20
	// quoteShown is the most characters of a quote a list shows.
	quoteShown = 280
	// voicesShown is how many voices /quotes alone and the weekly post list.
	voicesShown = 5
	// speakerTapTTL is how long a "more from" button is answered only once.
	speakerTapTTL = 48 * time.Hour
)

// errNoQuotes means the bot was built without the quote archive.
var errNoQuotes = errors.New("no quote archive")

func (b *Bot) quotes() (QuoteFinder, QuoteState, error) {
	if b.opts.Quotes == nil || b.opts.QuoteState == nil {
		return nil, nil, errNoQuotes
	}
	return b.opts.Quotes, b.opts.QuoteState, nil
}

// SpeakerButtons is the keyboard under an article message delivered to chat
// c: a "more from" button for each speaker of the quotes the archive keeps.
// A tap answers in the chat; in a channel, where an answer would post to
// every subscriber, the button opens the bot's private chat instead, and
// there is none while the bot's username is unknown.
func SpeakerButtons(c news.Chat, speakers []archive.Speaker, botUsername string) [][]news.Button {
	lang := c.UILang
	if lang == "" {
		lang = news.English
	}
	botUsername = strings.TrimPrefix(botUsername, "@")
	var rows [][]news.Button
	for _, s := range speakers {
		if !archive.ValidID(s.ID) {
			continue
		}
		btn := news.Button{Text: tr(lang, "btn_more_from", "name", rawHTML(truncate(s.Name, 40)))}
		if c.Kind == news.ChatChannel {
			if botUsername == "" {
				continue
			}
			btn.URL = "https://t.me/" + botUsername + "?start=" + startSpeaker + s.ID
		} else {
			btn.Data = cbSpeaker + ":" + s.ID
		}
		rows = append(rows, []news.Button{btn})
	}
	return rows
}

// cmdQuotes searches the archive, or with no words lists the week's most
// quoted voices in the chat's topics and languages.
func (b *Bot) cmdQuotes(ctx context.Context, r *request) error {
	finder, _, err := b.quotes()
	if err != nil {
		return err
	}
	query := strings.TrimSpace(r.args)
	if query == "" {
		vs, err := finder.Voices(ctx, r.chat.Langs, r.chat.Topics, voicesShown)
		if err != nil {
			return err
		}
		if len(vs) == 0 {
			return b.reply(ctx, r, tr(r.lang, "voices_none"))
		}
		text, rows := b.voicesText(r.lang, r.chat.TZ, vs, "voices_head", r.here.Kind)
		return b.reply(ctx, r, text, rows...)
	}
	query = truncate(query, 120)
	p, err := finder.Search(ctx, query, 0, quotesPerPage)
	if err != nil {
		return err
	}
	text, rows := b.quotePage(r, p, searchTitle(r.lang, p, query), func(page int) string { return quotesData(page, query) })
	return b.reply(ctx, r, text, rows...)
}

// searchTitle names a search in its answer: the speaker, when it found one
// person, else the search as typed.
func searchTitle(lang string, p archive.Page, query string) string {
	if p.BySpeaker && len(p.Speakers) == 1 && len(p.Quotes) > 0 {
		return p.Quotes[0].Speaker
	}
	return quoted(lang, query)
}

// quoted puts s between the quotation marks of lang, as the news messages
// do: “…” in English, « … » in French, «…» in Arabic.
func quoted(lang, s string) string {
	switch lang {
	case news.English:
		return "“" + s + "”"
	case news.French:
		return "«\u202f" + s + "\u202f»"
	}
	return "«" + s + "»"
}

// quotesData is the callback data of page page of a search: the search is
// cut (at a word) to fit the 64 bytes of callback data.
func quotesData(page int, query string) string {
	head := cbQuotes + ":" + strconv.Itoa(page) + ":"
	q := strings.Join(strings.Fields(query), " ")
	for len(head)+len(q) > 64 {
		i := strings.LastIndexByte(q, ' ')
		if i < 0 {
			// One long word: cut at a character boundary.
			rs := []rune(q)
			for len(head)+len(q) > 64 && len(rs) > 0 {
				rs = rs[:len(rs)-1]
				q = string(rs)
			}
			break
		}
		q = q[:i]
	}
	return head + q
}

// cbQuotesPage shows another page of a search in the message itself.
func (b *Bot) cbQuotesPage(ctx context.Context, r *request) error {
	finder, _, err := b.quotes()
	if err != nil {
		return err
	}
	ps, query, ok := strings.Cut(r.args, ":")
	page, perr := strconv.Atoi(ps)
	if !ok || perr != nil || page < 0 || page >= maxQuotePages || strings.TrimSpace(query) == "" {
		return errBadCallback
	}
	p, err := finder.Search(ctx, query, page*quotesPerPage, quotesPerPage)
	if err != nil {
		return err
	}
	text, rows := b.quotePage(r, p, searchTitle(r.lang, p, query), func(page int) string { return quotesData(page, query) })
	return b.edit(ctx, r, text, rows...)
}

// cbSpeakerQuotes answers a "more from" button: under a delivered message
// ("qs:<id>"), once per message and speaker, with a reply listing the
// speaker's quotes (later taps are told it is above); under a list
// ("qs:<id>:<page>"), by showing that page in the list itself.
func (b *Bot) cbSpeakerQuotes(ctx context.Context, r *request) error {
	_, state, err := b.quotes()
	if err != nil {
		return err
	}
	id, ps, paging := strings.Cut(r.args, ":")
	if !archive.ValidID(id) {
		return errBadCallback
	}
	if paging {
		page, err := strconv.Atoi(ps)
		if err != nil || page < 0 || page >= maxQuotePages {
			return errBadCallback
		}
		text, rows, err := b.speakerPage(ctx, r, id, page)
		if err != nil {
			return err
		}
		return b.edit(ctx, r, text, rows...)
	}
	first, err := state.FirstQuoteTap(ctx, r.here.ID, r.u.MessageID, id, speakerTapTTL)
	if err != nil {
		return err
	}
	if !first {
		r.toast = tr(r.lang, "quotes_above")
		return nil
	}
	text, rows, err := b.speakerPage(ctx, r, id, 0)
	if err == nil {
		m := b.compose(r, text, rows)
		m.ReplyTo = r.u.MessageID
		err = b.send(ctx, m)
	}
	if err != nil {
		// Nothing was answered: the next tap tries again.
		return errors.Join(err, state.ClearQuoteTap(context.WithoutCancel(ctx), r.here.ID, r.u.MessageID, id))
	}
	return nil
}

// startSpeakerQuotes answers /start qs-<id>, the deep link of a channel
// post's "more from" button.
func (b *Bot) startSpeakerQuotes(ctx context.Context, r *request, id string) error {
	if _, _, err := b.quotes(); err != nil {
		return err
	}
	if !archive.ValidID(id) {
		return b.reply(ctx, r, tr(r.lang, "btn_expired"))
	}
	text, rows, err := b.speakerPage(ctx, r, id, 0)
	if err != nil {
		return err
	}
	return b.reply(ctx, r, text, rows...)
}

// speakerPage renders page page of speaker id's quotes.
func (b *Bot) speakerPage(ctx context.Context, r *request, id string, page int) (string, [][]news.Button, error) {
	p, err := b.opts.Quotes.SpeakerQuotes(ctx, id, page*quotesPerPage, quotesPerPage)
	if err != nil {
		return "", nil, err
	}
	title := ""
	for _, q := range p.Quotes {
		if title == "" || q.SpeakerID == id {
			title = q.Speaker
		}
		if q.SpeakerID == id {
			break
		}
	}
	text, rows := b.quotePage(r, p, title, func(page int) string { return cbSpeaker + ":" + id + ":" + strconv.Itoa(page) })
	return text, rows, nil
}

// quotePage renders a page of quotes with its paging buttons.
func (b *Bot) quotePage(r *request, p archive.Page, title string, data func(page int) string) (string, [][]news.Button) {
	lang, tz := r.lang, r.chat.TZ
	if len(p.Quotes) == 0 {
		if p.Offset > 0 {
			return tr(lang, "quotes_no_more"), nil
		}
		return tr(lang, "quotes_none", "query", title), nil
	}
	page := p.Offset / quotesPerPage
	var s strings.Builder
	head := "quotes_head_words"
	if p.BySpeaker {
		head = "quotes_head_speaker"
	}
	s.WriteString(tr(lang, head, "name", title, "count", p.Total))
	for i, q := range p.Quotes {
		s.WriteString("\n\n")
		s.WriteString(quoteLines(lang, tz, p.Offset+i+1, q))
	}
	var row []news.Button
	if page > 0 {
		row = append(row, news.Button{Text: "◀️", Data: data(page - 1)})
	}
	if p.More && page+1 < maxQuotePages {
		row = append(row, news.Button{Text: "▶️", Data: data(page + 1)})
	}
	if len(row) > 0 {
		s.WriteString("\n\n" + tr(lang, "quotes_page", "page", page+1))
		return s.String(), [][]news.Button{row}
	}
	return s.String(), nil
}

// quoteLines renders one archived quote: the quote, who said it (and their
// role), the date, the outlet linked to the article.
func quoteLines(lang, tz string, n int, q news.ArchivedQuote) string {
	var s strings.Builder
	fmt.Fprintf(&s, "%d. %s\n— <b>%s</b>", n, escapeHTML(quoted(lang, truncate(q.Text, quoteShown))), escapeHTML(truncate(q.Speaker, 80)))
	if q.Role != "" {
		s.WriteString(tr(lang, "quote_role_sep") + escapeHTML(truncate(q.Role, 100)))
	}
	s.WriteString("\n" + escapeHTML(quoteDate(lang, tz, q.At)) + " · ")
	outlet := escapeHTML(truncate(q.Source, 60))
	if outlet == "" {
		outlet = tr(lang, "quote_article")
	}
	if link, ok := linkable(q.Link); ok {
		s.WriteString(`<a href="` + escapeHTML(link) + `">` + outlet + "</a>")
	} else {
		s.WriteString(outlet)
	}
	return s.String()
}

// quoteDate shows the date of a quote in the chat's time zone.
func quoteDate(lang, tz string, t time.Time) string {
	if loc, ok := loadZone(tz); ok {
		t = t.In(loc)
	}
	if lang == news.English {
		return t.Format("2 Jan 2006")
	}
	return t.Format("02/01/2006")
}

// linkable returns u when it is an absolute http(s) URL fit for a link.
func linkable(u string) (string, bool) {
	p, err := url.Parse(u)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || len(u) > 2048 {
		return "", false
	}
	return u, true
}

// voicesText renders the most quoted voices, each with one quote, and a
// button per voice: in a chat, it shows that speaker's quotes in the
// message; in a channel, it opens the bot's private chat on them.
func (b *Bot) voicesText(lang, tz string, vs []archive.Voice, head string, kind news.ChatKind) (string, [][]news.Button) {
	var s strings.Builder
	s.WriteString(tr(lang, head))
	var rows [][]news.Button
	for i, v := range vs {
		q := v.Quote
		fmt.Fprintf(&s, "\n\n%d. <b>%s</b>", i+1, escapeHTML(truncate(q.Speaker, 80)))
		if q.Role != "" {
			s.WriteString(tr(lang, "quote_role_sep") + escapeHTML(truncate(q.Role, 100)))
		}
		s.WriteString(" · " + tr(lang, "voices_count", "count", v.Quotes))
		fmt.Fprintf(&s, "\n%s\n%s · ", escapeHTML(quoted(lang, truncate(q.Text, 200))), escapeHTML(quoteDate(lang, tz, q.At)))
		outlet := escapeHTML(truncate(q.Source, 60))
		if link, ok := linkable(q.Link); ok {
			s.WriteString(`<a href="` + escapeHTML(link) + `">` + outlet + "</a>")
		} else {
			s.WriteString(outlet)
		}
		label := strconv.Itoa(i+1) + ". " + truncate(q.Speaker, 40)
		switch {
		case kind != news.ChatChannel:
			rows = append(rows, []news.Button{{Text: label, Data: cbSpeaker + ":" + v.SpeakerID + ":0"}})
		case b.opts.BotUsername != "":
			rows = append(rows, []news.Button{{Text: label, URL: "https://t.me/" + b.opts.BotUsername + "?start=" + startSpeaker + v.SpeakerID}})
		}
	}
	return s.String(), rows
}

func init() {
	addTexts(map[string]map[string]string{
		news.English: {
			"cmd_quotes":            "Who said what: search the quotes",
			"cmd_voices":            "Weekly post of the most quoted voices",
			"btn_more_from":         "💬 More from {name}",
			"quotes_above":          "The quotes are in the reply above.",
			"quotes_none":           "I have no quote for {query} from the last 90 days. Try a surname, the beginning of a name, or words of the quote.",
			"quotes_no_more":        "No more quotes.",
			"quotes_head_speaker":   "💬 <b>{name}</b> · quotes: {count}",
			"quotes_head_words":     "🔎 Quotes with {name} · {count}",
			"quotes_page":           "Page {page}",
			"quote_role_sep":        ", ",
			"quote_article":         "the article",
			"voices_head":           "🎙 <b>Most quoted this week</b> in your topics and languages. /quotes followed by a name or words searches every quote of the last 90 days.",
			"voices_week_head":      "🎙 <b>Voices of the week</b>: the most quoted people of the last seven days, one quote each.",
			"voices_count":          "quotes: {count}",
			"voices_none":           "No quote was kept in the last seven days in your topics and languages. /quotes followed by a name or words searches every quote of the last 90 days.",
			"voices_on":             "🎙 Every Monday at 09:00 I will post the voices of the week here: the most quoted people of the last seven days, one quote each. Next: {when}. <code>/voices off</code> stops it.",
			"voices_off":            "The weekly voices post is off.",
			"voices_status_on":      "🎙 The voices of the week are posted here every Monday at 09:00; next: {when}. <code>/voices off</code> stops it.",
			"voices_status_off":     "The weekly voices post is off. <code>/voices on</code> posts the most quoted people of the week here every Monday at 09:00.",
			"voices_usage":          "Use <code>/voices on</code> or <code>/voices off</code>.",
			"alert_err_bad_speaker": "«{near}» is longer than a name or a title: speaker: takes at most 8 words.",
			"help_quotes":           "<b>Who said what</b>\n/quotes &lt;name or words&gt;: the latest quotes of a person (a surname or the beginning of a name is enough), or the quotes with those words, from the last 90 days\n/quotes: the most quoted voices of the week\n💬 under a message: more from that speaker\n<code>/alert speaker:Palatini</code> or <code>/alert speaker:\"interior minister\"</code>: be told when that person or office is quoted\n/voices on: post the voices of the week every Monday (in a channel: while editing it)",
		},
		news.French: {
			"cmd_quotes":            "Qui a dit quoi : chercher les citations",
			"cmd_voices":            "Publication hebdomadaire des voix les plus citées",
			"btn_more_from":         "💬 Plus de {name}",
			"quotes_above":          "Les citations sont dans la réponse ci-dessus.",
			"quotes_none":           "Je n’ai aucune citation pour {query} sur les 90 derniers jours. Essayez un nom de famille, le début d’un nom ou des mots de la citation.",
			"quotes_no_more":        "Plus de citations.",
			"quotes_head_speaker":   "💬 <b>{name}</b> · citations : {count}",
			"quotes_head_words":     "🔎 Citations avec {name} · {count}",
			"quotes_page":           "Page {page}",
			"quote_role_sep":        ", ",
			"quote_article":         "l’article",
			"voices_head":           "🎙 <b>Les plus cités cette semaine</b> dans vos thèmes et langues. /quotes suivi d’un nom ou de mots cherche toutes les citations des 90 derniers jours.",
			"voices_week_head":      "🎙 <b>Les voix de la semaine</b> : les personnes les plus citées des sept derniers jours, une citation chacune.",
			"voices_count":          "citations : {count}",
			"voices_none":           "Aucune citation gardée ces sept derniers jours dans vos thèmes et langues. /quotes suivi d’un nom ou de mots cherche toutes les citations des 90 derniers jours.",
			"voices_on":             "🎙 Chaque lundi à 09:00, je publierai ici les voix de la semaine : les personnes les plus citées des sept derniers jours, une citation chacune. Prochaine : {when}. <code>/voices off</code> pour arrêter.",
			"voices_off":            "La publication hebdomadaire des voix est arrêtée.",
			"voices_status_on":      "🎙 Les voix de la semaine sont publiées ici chaque lundi à 09:00 ; prochaine : {when}. <code>/voices off</code> pour arrêter.",
			"voices_status_off":     "La publication hebdomadaire des voix est arrêtée. <code>/voices on</code> publie ici chaque lundi à 09:00 les personnes les plus citées de la semaine.",
			"voices_usage":          "Utilisez <code>/voices on</code> ou <code>/voices off</code>.",
			"alert_err_bad_speaker": "«\u202f{near}\u202f» est plus long qu’un nom ou une fonction : speaker: prend 8 mots au plus.",
			"help_quotes":           "<b>Qui a dit quoi</b>\n/quotes &lt;nom ou mots&gt; : les dernières citations d’une personne (un nom de famille ou le début d’un nom suffit), ou les citations qui contiennent ces mots, sur 90 jours\n/quotes : les voix les plus citées de la semaine\n💬 sous un message : plus de citations de cette personne\n<code>/alert speaker:Palatini</code> ou <code>/alert speaker:\"ministre de l’Intérieur\"</code> : être prévenu quand cette personne ou cette fonction est citée\n/voices on : publier les voix de la semaine chaque lundi (pour un canal : en modifiant ses réglages)",
		},
		news.Arabic: {
			"cmd_quotes":            "من قال ماذا: البحث في التصريحات",
			"cmd_voices":            "نشر أسبوعي لأكثر الأصوات اقتباسًا",
			"btn_more_from":         "💬 المزيد من {name}",
			"quotes_above":          "التصريحات في الرد أعلاه.",
			"quotes_none":           "لا أملك أي تصريح لـ {query} خلال الأيام التسعين الأخيرة. جرّب اسم العائلة أو بداية الاسم أو كلمات من التصريح.",
			"quotes_no_more":        "لا مزيد من التصريحات.",
			"quotes_head_speaker":   "💬 <b>{name}</b> · التصريحات: {count}",
			"quotes_head_words":     "🔎 تصريحات فيها {name} · {count}",
			"quotes_page":           "الصفحة {page}",
			"quote_role_sep":        "، ",
			"quote_article":         "المقال",
			"voices_head":           "🎙 <b>الأكثر اقتباسًا هذا الأسبوع</b> في مواضيعك ولغاتك. ‎/quotes متبوعًا باسم أو بكلمات يبحث في كل تصريحات الأيام التسعين الأخيرة.",
			"voices_week_head":      "🎙 <b>أصوات الأسبوع</b>: الأشخاص الأكثر اقتباسًا في الأيام السبعة الأخيرة، مع تصريح لكل منهم.",
			"voices_count":          "التصريحات: {count}",
			"voices_none":           "لم يُحفظ أي تصريح في الأيام السبعة الأخيرة في مواضيعك ولغاتك. ‎/quotes متبوعًا باسم أو بكلمات يبحث في كل تصريحات الأيام التسعين الأخيرة.",
			"voices_on":             "🎙 كل يوم اثنين على الساعة 09:00 سأنشر هنا أصوات الأسبوع: الأشخاص الأكثر اقتباسًا في الأيام السبعة الأخيرة، مع تصريح لكل منهم. المرة القادمة: {when}. <code>/voices off</code> للإيقاف.",
			"voices_off":            "تم إيقاف النشر الأسبوعي للأصوات.",
			"voices_status_on":      "🎙 تُنشر أصوات الأسبوع هنا كل يوم اثنين على الساعة 09:00؛ المرة القادمة: {when}. <code>/voices off</code> للإيقاف.",
			"voices_status_off":     "النشر الأسبوعي للأصوات متوقف. <code>/voices on</code> ينشر هنا كل يوم اثنين على الساعة 09:00 الأشخاص الأكثر اقتباسًا خلال الأسبوع.",
			"voices_usage":          "استعمل <code>/voices on</code> أو <code>/voices off</code>.",
			"alert_err_bad_speaker": "«{near}» أطول من اسم أو صفة: يقبل speaker: ثماني كلمات على الأكثر.",
			"help_quotes":           "<b>من قال ماذا</b>\n‎/quotes &lt;اسم أو كلمات&gt;: آخر تصريحات شخص (يكفي اسم العائلة أو بداية الاسم)، أو التصريحات التي تحتوي هذه الكلمات، خلال 90 يومًا\n‎/quotes: أكثر الأصوات اقتباسًا هذا الأسبوع\n💬 تحت الرسالة: المزيد من تصريحات صاحبها\n<code>/alert speaker:بالاتيني</code> أو <code>/alert speaker:\"وزير الداخلية\"</code>: تنبيه كلما نُقل تصريح لهذا الشخص أو صاحب هذه الصفة\n‎/voices on: نشر أصوات الأسبوع كل يوم اثنين (في قناة: أثناء تعديل إعداداتها)",
		},
	})
}
