package bot

import (
	"context"
	"slices"
	"strings"

	"github.com/migrawatch/migrawatch/internal/news"
)

// Callback verbs. Callback data is "verb:args", at most 64 bytes (Bot API,
// InlineKeyboardButton.callback_data).
const (
	cbLang     = "l" // l:<lang>: interface language (onboarding step 1)
	cbStart    = "o" // o:t, o:s: topic or chosen sources (step 2); o:i:<t|s>, o:d:<t|s>: instant or digest (step 3)
	cbPage     = "s" // s:<lang>:<page>: a page of /sources
	cbToggle   = "t" // t:<lang>:<page>:<id>: follow or stop a catalog source
	cbUnsub    = "u" // u:<feed id>: unsubscribe
	cbTopic    = "p" // p:<topic>: follow or stop a topic
	cbChannels = "c" // c:e:<id>, c:u:<id>, c:d, c:l:<id>: edit, unlink, done, link
)

// defaultDigestAt is the digest time /start and /mode digest offer.
const defaultDigestAt = "08:00"

// cmdStart begins the three-tap onboarding: language, what to follow, how.
// In a forum, the topic /start is sent in becomes where news is posted.
func (b *Bot) cmdStart(ctx context.Context, r *request) error {
	if id, ok := strings.CutPrefix(r.args, startSpeaker); ok && r.here.Kind == news.ChatPrivate {
		return b.startSpeakerQuotes(ctx, r, id)
	}
	if r.here.Kind == news.ChatSupergroup && r.u.ThreadID != r.here.ThreadID {
		r.chat.ThreadID = r.u.ThreadID
		if err := b.saveChat(ctx, r); err != nil {
			return err
		}
	}
	return b.reply(ctx, r, tr(r.lang, "start_lang"), languageButtons())
}

func languageButtons() []news.Button {
	row := make([]news.Button, 0, len(news.Languages))
	for _, l := range news.Languages {
		row = append(row, news.Button{Text: tr(l, "lang_name"), Data: cbLang + ":" + l})
	}
	return row
}

// cbLang sets the interface language and asks what to follow.
func (b *Bot) cbLang(ctx context.Context, r *request) error {
	if !slices.Contains(news.Languages, r.args) {
		return errBadCallback
	}
	r.chat.UILang = r.args
	if err := b.saveChat(ctx, r); err != nil {
		return err
	}
	return b.edit(ctx, r, tr(r.lang, "start_what"), []news.Button{
		{Text: tr(r.lang, "btn_topic"), Data: cbStart + ":t"},
		{Text: tr(r.lang, "btn_sources"), Data: cbStart + ":s"},
	})
}

// cbStart handles onboarding steps 2 and 3.
func (b *Bot) cbStart(ctx context.Context, r *request) error {
	parts := strings.Split(r.args, ":")
	switch {
	case len(parts) == 1 && (parts[0] == "t" || parts[0] == "s"):
		if parts[0] == "t" {
			r.chat.Topics = []string{b.opts.Topics[0]}
		} else {
			r.chat.Topics = nil
		}
		if err := b.saveChat(ctx, r); err != nil {
			return err
		}
		return b.edit(ctx, r, tr(r.lang, "start_mode"), []news.Button{
			{Text: tr(r.lang, "btn_instant"), Data: cbStart + ":i:" + parts[0]},
			{Text: tr(r.lang, "btn_digest", "time", defaultDigestAt), Data: cbStart + ":d:" + parts[0]},
		})
	case len(parts) == 2 && (parts[0] == "i" || parts[0] == "d") && (parts[1] == "t" || parts[1] == "s"):
		if parts[0] == "i" {
			r.chat.Mode, r.chat.DigestAt = news.ModeInstant, ""
		} else {
			r.chat.Mode, r.chat.DigestAt = news.ModeDigest, defaultDigestAt
		}
		if err := b.saveChat(ctx, r); err != nil {
			return err
		}
		what := tr(r.lang, "start_done_topic")
		if parts[1] == "s" {
			what = tr(r.lang, "start_done_source")
		}
		if err := b.edit(ctx, r, tr(r.lang, "start_done", "what", what, "mode", rawHTML(b.modeText(r.lang, r.chat)))); err != nil {
			return err
		}
		if parts[1] == "s" {
			return b.sendSourcesPage(ctx, r, r.lang, 0, false)
		}
		return nil
	}
	return errBadCallback
}

// modeText describes a chat's delivery mode (HTML).
func (b *Bot) modeText(lang string, c news.Chat) string {
	if c.Mode == news.ModeDigest {
		at := c.DigestAt
		if at == "" {
			at = defaultDigestAt
		}
		return tr(lang, "mode_digest", "time", at)
	}
	return tr(lang, "mode_instant")
}
