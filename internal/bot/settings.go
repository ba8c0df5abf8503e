package bot

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
)

// langsText lists a chat's article languages in lang.
func langsText(lang string, c news.Chat) string {
	if len(c.Langs) == 0 {
		return tr(lang, "langs_all")
	}
	names := make([]string, 0, len(c.Langs))
	for _, l := range c.Langs {
		names = append(names, tr(lang, "lang_"+l))
	}
	return strings.Join(names, ", ")
}

// cmdLangs sets the article languages: "/langs ar fr", "/langs all".
func (b *Bot) cmdLangs(ctx context.Context, r *request) error {
	fields := strings.FieldsFunc(strings.ToLower(r.args), func(c rune) bool { return c == ' ' || c == ',' })
	if len(fields) == 0 {
		return b.reply(ctx, r, tr(r.lang, "langs_show", "langs", langsText(r.lang, r.chat)))
	}
	var langs []string
	if !(len(fields) == 1 && fields[0] == "all") {
		for _, f := range fields {
			if !slices.Contains(news.Languages, f) {
				return b.reply(ctx, r, tr(r.lang, "langs_bad", "arg", truncate(f, 40)))
			}
			if !slices.Contains(langs, f) {
				langs = append(langs, f)
			}
		}
		if len(langs) == len(news.Languages) {
			langs = nil // all of them: the default, stored as nothing
		}
	}
	r.chat.Langs = langs
	if err := b.saveChat(ctx, r); err != nil {
		return err
	}
	return b.reply(ctx, r, tr(r.lang, "langs_done", "langs", langsText(r.lang, r.chat)))
}

// parseClock reads "HH:MM" (also "H:MM" and "HHhMM") and returns it as "HH:MM".
func parseClock(s string) (string, bool) {
	s = strings.Replace(strings.ToLower(strings.TrimSpace(s)), "h", ":", 1)
	if strings.HasSuffix(s, ":") {
		s += "00"
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		return "", false
	}
	return t.Format("15:04"), true
}

// cmdMode sets "instant" or "digest HH:MM".
func (b *Bot) cmdMode(ctx context.Context, r *request) error {
	fields := strings.Fields(strings.ToLower(r.args))
	switch {
	case len(fields) == 0:
		return b.reply(ctx, r, tr(r.lang, "mode_show", "mode", rawHTML(b.modeText(r.lang, r.chat))))
	case len(fields) == 1 && fields[0] == news.ModeInstant:
		r.chat.Mode, r.chat.DigestAt = news.ModeInstant, ""
	case fields[0] == news.ModeDigest && len(fields) <= 2:
		at := defaultDigestAt
		if len(fields) == 2 {
			var ok bool
			if at, ok = parseClock(fields[1]); !ok {
				return b.reply(ctx, r, tr(r.lang, "mode_bad", "arg", truncate(r.args, 60)))
			}
		}
		r.chat.Mode, r.chat.DigestAt = news.ModeDigest, at
	default:
		return b.reply(ctx, r, tr(r.lang, "mode_bad", "arg", truncate(r.args, 60)))
	}
	if err := b.saveChat(ctx, r); err != nil {
		return err
	}
	return b.reply(ctx, r, tr(r.lang, "mode_done", "mode", rawHTML(b.modeText(r.lang, r.chat))))
}

// parseQuiet reads "22:00-07:00" (spaces allowed around the dash).
func parseQuiet(s string) (string, bool) {
	from, to, ok := strings.Cut(strings.ReplaceAll(s, " ", ""), "-")
	if !ok {
		return "", false
	}
	f, ok1 := parseClock(from)
	t, ok2 := parseClock(to)
	if !ok1 || !ok2 || f == t {
		return "", false
	}
	return f + "-" + t, true
}

// cmdQuiet sets quiet hours: "/quiet 22:00-07:00" or "/quiet off".
func (b *Bot) cmdQuiet(ctx context.Context, r *request) error {
	arg := strings.ToLower(strings.TrimSpace(r.args))
	switch arg {
	case "":
		q := r.chat.Quiet
		if q == "" {
			q = tr(r.lang, "quiet_none")
		}
		return b.reply(ctx, r, tr(r.lang, "quiet_show", "quiet", q))
	case "off", "none", "0":
		r.chat.Quiet = ""
		if err := b.saveChat(ctx, r); err != nil {
			return err
		}
		return b.reply(ctx, r, tr(r.lang, "quiet_off"))
	}
	q, ok := parseQuiet(arg)
	if !ok {
		return b.reply(ctx, r, tr(r.lang, "quiet_bad", "arg", truncate(r.args, 60)))
	}
	r.chat.Quiet = q
	if err := b.saveChat(ctx, r); err != nil {
		return err
	}
	return b.reply(ctx, r, tr(r.lang, "quiet_done", "quiet", q))
}

// loadZone accepts IANA names only ("Local" and "" mean the server's zone,
// which is not the user's).
func loadZone(name string) (*time.Location, bool) {
	if name == "" || strings.EqualFold(name, "local") || len(name) > 64 {
		return nil, false
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, false
	}
	return loc, true
}

// cmdTZ sets the chat's time zone.
func (b *Bot) cmdTZ(ctx context.Context, r *request) error {
	arg := strings.TrimSpace(r.args)
	if arg == "" {
		return b.reply(ctx, r, tr(r.lang, "tz_show", "tz", r.chat.TZ))
	}
	loc, ok := loadZone(arg)
	if !ok {
		return b.reply(ctx, r, tr(r.lang, "tz_bad", "arg", truncate(arg, 64)))
	}
	r.chat.TZ = loc.String()
	if err := b.saveChat(ctx, r); err != nil {
		return err
	}
	return b.reply(ctx, r, tr(r.lang, "tz_done", "tz", r.chat.TZ, "now", b.now().In(loc).Format("15:04")))
}

func (b *Bot) cmdPause(ctx context.Context, r *request) error {
	if r.chat.Paused {
		return b.reply(ctx, r, tr(r.lang, "pause_already"))
	}
	r.chat.Paused = true
	if err := b.saveChat(ctx, r); err != nil {
		return err
	}
	return b.reply(ctx, r, tr(r.lang, "pause_done"))
}

func (b *Bot) cmdResume(ctx context.Context, r *request) error {
	if !r.chat.Paused {
		return b.reply(ctx, r, tr(r.lang, "resume_already"))
	}
	r.chat.Paused = false
	if err := b.saveChat(ctx, r); err != nil {
		return err
	}
	return b.reply(ctx, r, tr(r.lang, "resume_done"))
}

// formatWhen shows t in the chat's time zone.
func formatWhen(t time.Time, tz string) string {
	if loc, ok := loadZone(tz); ok {
		t = t.In(loc)
	}
	return t.Format("2006-01-02 15:04")
}

// cmdStatus shows the chat's settings, each feed's health and the last delivery.
func (b *Bot) cmdStatus(ctx context.Context, r *request) error {
	c := r.chat
	var s strings.Builder
	title := c.Title
	if title == "" {
		title = chatTitle(r.u.Chat)
	}
	if title == "" {
		title = "MigraWatch"
	}
	s.WriteString(tr(r.lang, "status_head", "chat", title) + "\n")
	// The id is what MIGRAWATCH_ADMIN_CHAT_IDS takes; /status is where an
	// operator finds it.
	s.WriteString(tr(r.lang, "status_chat_id", "id", strconv.FormatInt(c.ID, 10)) + "\n")
	switch {
	case c.Status == news.StatusGone:
		s.WriteString(tr(r.lang, "status_gone"))
	case c.Paused:
		s.WriteString(tr(r.lang, "status_paused"))
	default:
		s.WriteString(tr(r.lang, "status_active"))
	}
	topics := tr(r.lang, "none")
	if len(c.Topics) > 0 {
		names := make([]string, 0, len(c.Topics))
		for _, t := range c.Topics {
			if _, ok := catalog[r.lang]["topic_"+t]; ok {
				t = tr(r.lang, "topic_"+t)
			}
			names = append(names, t)
		}
		topics = strings.Join(names, ", ")
	}
	quiet := c.Quiet
	if quiet == "" {
		quiet = tr(r.lang, "quiet_none")
	}
	s.WriteString("\n\n" + tr(r.lang, "status_settings",
		"mode", rawHTML(b.modeText(r.lang, c)), "langs", langsText(r.lang, c),
		"topics", topics, "tz", c.TZ, "quiet", quiet))
	if b.opts.LastDelivery != nil {
		when, ok, err := b.opts.LastDelivery(ctx, c.ID)
		switch {
		case err != nil:
			b.log.Warn("bot: last delivery", "chat_id", c.ID, "err", err)
		case ok:
			s.WriteString("\n" + tr(r.lang, "status_last_sent", "when", formatWhen(when, c.TZ)))
		default:
			s.WriteString("\n" + tr(r.lang, "status_never_sent"))
		}
	}
	feeds, err := b.store.ChatFeeds(ctx, c.ID)
	if err != nil {
		return err
	}
	s.WriteString("\n\n")
	if len(feeds) == 0 {
		if len(c.Topics) > 0 {
			s.WriteString(tr(r.lang, "status_by_topic", "topics", topics))
		} else {
			s.WriteString(tr(r.lang, "status_no_feeds"))
		}
		return b.reply(ctx, r, s.String())
	}
	s.WriteString(tr(r.lang, "status_feeds", "n", len(feeds)))
	const maxLines = 40 // keeps the message far below Telegram's 4096 characters
	for i, id := range feeds {
		if i == maxLines {
			s.WriteString("\n…")
			break
		}
		s.WriteString("\n" + b.feedStatusLine(ctx, r.lang, c.TZ, id))
	}
	return b.reply(ctx, r, s.String())
}

func (b *Bot) feedStatusLine(ctx context.Context, lang, tz, id string) string {
	name := truncate(b.feedName(ctx, id), 60)
	info, ok, err := b.feeds.Feed(ctx, id)
	name = b.withKind(lang, id, name, info.Source.Kind)
	switch {
	case err != nil || !ok:
		return tr(lang, "status_feed_never", "name", name)
	case info.Errors > 0:
		return tr(lang, "status_feed_fail", "name", name, "errors", info.Errors, "error", errorHTML(lang, info.LastError, 100))
	case !info.LastOK.IsZero():
		return tr(lang, "status_feed_ok", "name", name, "when", formatWhen(info.LastOK, tz))
	}
	return tr(lang, "status_feed_never", "name", name)
}
