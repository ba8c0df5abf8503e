package bot

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
)

// The weekly "voices of the week" post: the most quoted people of the last
// seven days in the chat's topics and languages, one quote each. A channel
// owner turns it on with /voices on while editing the channel; the post
// goes out on Mondays at 09:00 in the chat's time zone.
const (
	weeklyVoicesDay  = time.Monday
	weeklyVoicesHour = 9
	// weeklyLease is how long a claimed post waits before another replica
	// may take it (a poster that died while posting).
	weeklyLease = 10 * time.Minute
	// weeklyRetry is the wait after a failed post that Telegram gave no
	// time for.
	weeklyRetry = 5 * time.Minute
	// weeklyBatch is how many due posts one pass takes.
	weeklyBatch = 20
)

// nextWeeklyVoices is the first weekly post time after now in zone tz.
func nextWeeklyVoices(now time.Time, tz string) time.Time {
	loc, ok := loadZone(tz)
	if !ok {
		loc = time.UTC
	}
	t := now.In(loc)
	at := time.Date(t.Year(), t.Month(), t.Day(), weeklyVoicesHour, 0, 0, 0, loc)
	at = at.AddDate(0, 0, (int(weeklyVoicesDay)-int(at.Weekday())+7)%7)
	if !at.After(now) {
		at = at.AddDate(0, 0, 7)
	}
	return at
}

// cmdVoices turns the weekly post on or off, or says whether it is on.
func (b *Bot) cmdVoices(ctx context.Context, r *request) error {
	_, state, err := b.quotes()
	if err != nil {
		return err
	}
	switch strings.ToLower(strings.TrimSpace(r.args)) {
	case "on":
		next := nextWeeklyVoices(b.now(), r.chat.TZ)
		if err := state.SetWeeklyVoices(ctx, r.chat.ID, next); err != nil {
			return err
		}
		return b.reply(ctx, r, tr(r.lang, "voices_on", "when", formatWhen(next, r.chat.TZ)))
	case "off":
		if err := state.SetWeeklyVoices(ctx, r.chat.ID, time.Time{}); err != nil {
			return err
		}
		return b.reply(ctx, r, tr(r.lang, "voices_off"))
	case "":
		at, on, err := state.WeeklyVoices(ctx, r.chat.ID)
		if err != nil {
			return err
		}
		if on {
			return b.reply(ctx, r, tr(r.lang, "voices_status_on", "when", formatWhen(at, r.chat.TZ)))
		}
		return b.reply(ctx, r, tr(r.lang, "voices_status_off"))
	}
	return b.reply(ctx, r, tr(r.lang, "voices_usage"))
}

// RunWeeklyVoices posts the due "voices of the week" every interval until
// ctx ends. Any number of replicas may run it: each post is claimed by one.
func (b *Bot) RunWeeklyVoices(ctx context.Context, every time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := b.PostWeeklyVoices(ctx); err != nil && ctx.Err() == nil {
			b.log.Warn("bot: weekly voices", "err", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// PostWeeklyVoices posts the "voices of the week" that are due and returns
// how many it sent. A post Telegram refused for now (flood control, a
// transient failure) is tried again later, never dropped; a week without
// quotes posts nothing.
func (b *Bot) PostWeeklyVoices(ctx context.Context) (int, error) {
	finder, state, err := b.quotes()
	if err != nil {
		return 0, nil
	}
	now := b.now()
	ids, err := state.ClaimWeeklyVoices(ctx, now, weeklyLease, weeklyBatch)
	if err != nil {
		return 0, err
	}
	sent := 0
	var errs []error
	for _, id := range ids {
		c, ok, err := b.store.Chat(ctx, id)
		if err != nil {
			errs = append(errs, err) // claimed: due again after the lease
			continue
		}
		if !ok {
			errs = append(errs, state.SetWeeklyVoices(ctx, id, time.Time{}))
			continue
		}
		next := nextWeeklyVoices(now, c.TZ)
		if !c.Deliverable() {
			errs = append(errs, state.SetWeeklyVoices(ctx, id, next))
			continue
		}
		vs, err := finder.Voices(ctx, c.Langs, c.Topics, voicesShown)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if len(vs) == 0 {
			errs = append(errs, state.SetWeeklyVoices(ctx, id, next))
			continue
		}
		lang := c.UILang
		if lang == "" {
			lang = news.English
		}
		text, rows := b.voicesText(lang, c.TZ, vs, "voices_week_head", c.Kind)
		err = b.send(ctx, news.Message{ChatID: c.ID, ThreadID: c.ThreadID, Text: text, HTML: true, NoPreview: true, Buttons: rows})
		var flood *news.RetryAfterError
		switch {
		case err == nil:
			sent++
		case errors.As(err, &flood):
			next = now.Add(flood.After)
		case errors.Is(err, news.ErrChatGone):
			// Marked gone by send; the post resumes with the chat.
		default:
			b.log.Warn("bot: weekly voices not posted, will retry", "chat_id", c.ID, "err", err)
			next = now.Add(weeklyRetry)
		}
		errs = append(errs, state.SetWeeklyVoices(ctx, id, next))
	}
	return sent, errors.Join(errs...)
}
