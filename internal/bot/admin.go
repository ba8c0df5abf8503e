package bot

import (
	"cmp"
	"context"
	"errors"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/migrawatch/migrawatch/internal/chart"
	"github.com/migrawatch/migrawatch/internal/news"
)

// OpsStats is what the operator view of /status reads. The Redis store the
// bot is given as its Store provides it; without it the operator view says
// that the figures are unavailable.
type OpsStats interface {
	// Feeds returns every registered feed with its polling state.
	Feeds(ctx context.Context) ([]news.FeedState, error)
	// Queue returns the sizes of the delivery queues.
	Queue(ctx context.Context) (news.QueueStats, error)
	// Deliveries counts the messages delivered since a time.
	Deliveries(ctx context.Context, since time.Time) (int, error)
}

// StoryStats gives the daily story counts that /stats draws. The Redis
// store provides it.
type StoryStats interface {
	// StoryCounts returns days UTC days up to and including last, oldest first.
	StoryCounts(ctx context.Context, last time.Time, days int) ([]news.DayCounts, error)
}

// Bounds of the operator view and the chart.
const (
	// opsWorstFeeds is how many failing feeds the operator view lists.
	opsWorstFeeds = 10
	// statsDays is the span of the /stats chart.
	statsDays = 28
)

// errNoOpsStats means the bot's store keeps no operator figures.
var errNoOpsStats = errors.New("store keeps no operator statistics")

// isOperator reports whether the chat the update came from is one of the
// operators' chats (MIGRAWATCH_ADMIN_CHAT_IDS).
func (b *Bot) isOperator(r *request) bool {
	return slices.Contains(b.opts.AdminChats, r.u.Chat.ID)
}

// cmdStatusOps answers /status: the chat's own status, then, in an
// operators' chat, the operator view in a second message.
func (b *Bot) cmdStatusOps(ctx context.Context, r *request) error {
	if err := b.cmdStatus(ctx, r); err != nil {
		return err
	}
	if !b.isOperator(r) {
		return nil
	}
	text, err := b.opsView(ctx, r.lang)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		b.log.Warn("bot: operator view", "chat_id", r.u.Chat.ID, "err", err)
		text = tr(r.lang, "ops_unavailable")
	}
	return b.send(ctx, news.Message{ChatID: r.u.Chat.ID, ThreadID: r.u.ThreadID, Text: text, HTML: true, NoPreview: true})
}

// opsView renders the operator view: failing feeds (the worst first, and
// why), the delivery queues and the deliveries of the last hour.
func (b *Bot) opsView(ctx context.Context, lang string) (string, error) {
	st, ok := b.store.(OpsStats)
	if !ok {
		return "", errNoOpsStats
	}
	feeds, err := st.Feeds(ctx)
	if err != nil {
		return "", err
	}
	q, err := st.Queue(ctx)
	if err != nil {
		return "", err
	}
	now := b.now()
	sent, err := st.Deliveries(ctx, now.Add(-time.Hour))
	if err != nil {
		return "", err
	}
	var failing []news.FeedState
	for _, f := range feeds {
		if f.Failing() {
			failing = append(failing, f)
		}
	}
	// Worst first: the longest run of failures, then the longest without a good poll.
	slices.SortFunc(failing, func(a, c news.FeedState) int {
		if d := cmp.Compare(c.Errors, a.Errors); d != 0 {
			return d
		}
		if d := a.LastOK.Compare(c.LastOK); d != 0 {
			return d
		}
		return strings.Compare(a.Source.ID, c.Source.ID)
	})
	var s strings.Builder
	s.WriteString(tr(lang, "ops_head") + "\n")
	s.WriteString(tr(lang, "ops_feeds", "total", len(feeds), "failing", len(failing)))
	for _, f := range failing[:min(len(failing), opsWorstFeeds)] {
		name := truncate(b.withKind(lang, f.Source.ID, sourceName(f.Source), f.Source.Kind), 60)
		since := tr(lang, "ops_never_ok")
		if !f.LastOK.IsZero() {
			since = tr(lang, "ops_last_ok", "when", f.LastOK.UTC().Format("2006-01-02 15:04"))
		}
		s.WriteString("\n" + tr(lang, "ops_feed_fail", "name", name, "id", f.Source.ID,
			"errors", f.Errors, "error", errorHTML(lang, f.LastError, 120), "since", since))
	}
	if len(failing) > opsWorstFeeds {
		s.WriteString("\n" + tr(lang, "ops_more", "n", len(failing)-opsWorstFeeds))
	}
	s.WriteString("\n\n" + tr(lang, "ops_queue", "waiting", q.Outbox-q.Pending, "sending", q.Pending,
		"delayed", q.Delayed, "dead", q.Dead))
	s.WriteString("\n" + tr(lang, "ops_sent_hour", "n", sent))
	return s.String(), nil
}

// cmdStats sends the operators a chart of the stories of the last weeks,
// per day and language. Other chats are told it is not for them.
func (b *Bot) cmdStats(ctx context.Context, r *request) error {
	if !b.isOperator(r) {
		return b.reply(ctx, r, tr(r.lang, "stats_refused"))
	}
	st, ok := b.store.(StoryStats)
	if !ok {
		return b.reply(ctx, r, tr(r.lang, "ops_unavailable"))
	}
	counts, err := st.StoryCounts(ctx, b.now(), statsDays)
	if err != nil {
		return err
	}
	days := make([]chart.Day, len(counts))
	total := 0
	byLang := map[string]int{}
	for i, c := range counts {
		days[i] = chart.Day{Date: c.Day, Counts: c.Counts}
		for l, n := range c.Counts {
			total += n
			byLang[l] += n
		}
	}
	// The chart carries no words (its bitmap font has Latin letters only):
	// the caption, in the chat's language, is its title and its legend.
	png, err := chart.StoriesPerDay(days, tr(r.lang, "stats_date_layout"))
	if err != nil {
		return err
	}
	_, err = b.tg.SendDocument(ctx, news.Document{
		ChatID: r.u.Chat.ID, ThreadID: r.u.ThreadID, Name: "stats.png", Data: png,
		Caption: statsCaption(r.lang, total, byLang),
	})
	return err
}

// statsCaption is the chart's caption: its title, the total, and the
// legend, each language after the colour it has in the chart. Captions are
// sent without a parse mode, so its text has no markup and its values need
// no escaping.
func statsCaption(lang string, total int, byLang map[string]int) string {
	parts := make([]string, 0, len(byLang))
	for _, l := range slices.Sorted(maps.Keys(byLang)) {
		name := l
		if slices.Contains(news.Languages, l) {
			name = tr(lang, "lang_"+l)
		}
		parts = append(parts, chart.Key(l)+" "+name+" "+strconv.Itoa(byLang[l]))
	}
	c := tr(lang, "stats_caption", "days", statsDays) + " " + strconv.Itoa(total)
	if len(parts) > 0 {
		c += "\n" + strings.Join(parts, " · ")
	}
	return c
}

func init() {
	addTexts(map[string]map[string]string{
		news.English: {
			"ops_head":          "🛠 <b>Operator view</b>",
			"ops_unavailable":   "The operator figures are not available right now.",
			"ops_feeds":         "<b>Sources</b>: {total} registered, {failing} failing",
			"ops_feed_fail":     "⚠️ {name} (<code>{id}</code>): {errors|one:# failure|other:# failures in a row}, {since}: {error}",
			"ops_last_ok":       "last read {when} UTC",
			"ops_never_ok":      "never read",
			"ops_more":          "… and {n} more failing",
			"ops_queue":         "<b>Delivery queue</b>: {waiting} waiting, {sending} being sent, {delayed} delayed, {dead} undeliverable",
			"ops_sent_hour":     "<b>Delivered in the last hour</b>: {n}",
			"stats_refused":     "Sorry, /stats is only for the operators of this MigraWatch bot.",
			"stats_caption":     "📊 Stories per day (UTC) over the last {days|one:day|other:# days}. Total:",
			"stats_date_layout": "Jan 2",
		},
		news.French: {
			"ops_head":          "🛠 <b>Vue d’exploitation</b>",
			"ops_unavailable":   "Les chiffres d’exploitation ne sont pas disponibles pour le moment.",
			"ops_feeds":         "<b>Sources</b> : {total|one:# enregistrée|other:# enregistrées}, {failing} en échec",
			"ops_feed_fail":     "⚠️ {name} (<code>{id}</code>) : {errors|one:# échec|other:# échecs de suite}, {since} : {error}",
			"ops_last_ok":       "dernière lecture {when} UTC",
			"ops_never_ok":      "jamais lue",
			"ops_more":          "… et {n|one:# autre|other:# autres} en échec",
			"ops_queue":         "<b>File d’envoi</b> : {waiting} en attente, {sending} en cours d’envoi, {delayed|one:# différé|other:# différés}, {dead|one:# non distribuable|other:# non distribuables}",
			"ops_sent_hour":     "<b>Envoyés dans la dernière heure</b> : {n}",
			"stats_refused":     "Désolé, /stats est réservé aux exploitants de ce bot MigraWatch.",
			"stats_caption":     "📊 Articles par jour (UTC) sur {days|one:le dernier jour|other:les # derniers jours}. Total :",
			"stats_date_layout": "02/01",
		},
		news.Arabic: {
			"ops_head":          "🛠 <b>لوحة التشغيل</b>",
			"ops_unavailable":   "أرقام التشغيل غير متاحة حاليًا.",
			"ops_feeds":         "<b>المصادر</b>: {total} مسجلة، {failing} متعثرة",
			"ops_feed_fail":     "⚠️ {name} (<code>{id}</code>): {errors|zero:# محاولة فاشلة|one:محاولة فاشلة واحدة|two:محاولتان فاشلتان متتاليتان|few:# محاولات فاشلة متتالية|many:# محاولة فاشلة متتالية|other:# محاولة فاشلة متتالية}، {since}: {error}",
			"ops_last_ok":       "آخر قراءة {when} UTC",
			"ops_never_ok":      "لم يُقرأ قط",
			"ops_more":          "… {n|zero:و# مصدر آخر متعثر|one:ومصدر آخر متعثر|two:ومصدران آخران متعثران|few:و# مصادر أخرى متعثرة|many:و# مصدرًا آخر متعثرًا|other:و# مصدر آخر متعثر}",
			"ops_queue":         "<b>طابور الإرسال</b>: {waiting} في الانتظار، {sending} قيد الإرسال، {delayed} مؤجلة، {dead} تعذّر إيصالها",
			"ops_sent_hour":     "<b>أُرسل خلال الساعة الأخيرة</b>: {n}",
			"stats_refused":     "عذرًا، الأمر ‎/stats مخصص لمشغّلي بوت MigraWatch هذا.",
			"stats_date_layout": "02/01",
			"stats_caption":     "📊 عدد الأخبار يوميًا (بتوقيت UTC) خلال {days|zero:آخر # يوم|one:اليوم الأخير|two:اليومين الأخيرين|few:آخر # أيام|many:آخر # يومًا|other:آخر # يوم}. المجموع:",
		},
	})
}
