package bot

import (
	"context"
	"strconv"
	"strings"

	"github.com/migrawatch/migrawatch/internal/news"
)

// A channel is linked from a private chat: the caller must administer the
// channel and the bot must be an administrator allowed to post there (Bot
// API getChatMember). The private chat then edits the channel's settings:
// every command marked target in the command table applies to the channel
// until "/channels done" (the edit target is kept in Redis, so any replica
// answers the next command the same way).

// cmdChannel links "@name", "t.me/name" or a numeric id.
func (b *Bot) cmdChannel(ctx context.Context, r *request) error {
	if r.here.Kind != news.ChatPrivate {
		return b.reply(ctx, r, tr(r.lang, "channel_private"))
	}
	arg := strings.TrimSpace(r.args)
	for _, p := range []string{"https://t.me/", "http://t.me/", "t.me/"} {
		arg = strings.TrimPrefix(arg, p)
	}
	if arg == "" || strings.ContainsAny(arg, " \n/?") || len(arg) > 64 {
		return b.reply(ctx, r, tr(r.lang, "channel_usage"))
	}
	if _, err := strconv.ParseInt(arg, 10, 64); err != nil && !strings.HasPrefix(arg, "@") {
		arg = "@" + arg
	}
	return b.linkNamed(ctx, r, arg, func() error {
		return b.reply(ctx, r, tr(r.lang, "channel_not_chan", "arg", arg))
	})
}

// linkNamed looks up the chat arg names and links it when it is a channel;
// notChannel answers when it is some other chat. A chat Telegram does not
// know is answered with channel_not_found.
func (b *Bot) linkNamed(ctx context.Context, r *request, arg string, notChannel func() error) error {
	ref, err := b.tg.GetChat(ctx, arg)
	if err != nil {
		if ctx.Err() != nil {
			return err
		}
		b.log.Info("bot: channel lookup failed", "chat_id", r.here.ID, "err", err)
		return b.reply(ctx, r, tr(r.lang, "channel_not_found", "arg", arg))
	}
	if ref.Kind != news.ChatChannel {
		return notChannel()
	}
	return b.linkChannel(ctx, r, ref)
}

// linkForwarded links the channel a forwarded post came from (the way to
// name a private channel, which has no @username).
func (b *Bot) linkForwarded(ctx context.Context, r *request) error {
	return b.linkChannel(ctx, r, *r.u.ForwardFromChat)
}

func (b *Bot) linkChannel(ctx context.Context, r *request, ref news.ChatRef) error {
	title := chatTitle(ref)
	if title == "" {
		title = strconv.FormatInt(ref.ID, 10)
	}
	caller, err := b.tg.GetChatMember(ctx, ref.ID, r.u.From.ID)
	if err != nil && ctx.Err() != nil {
		return err
	}
	if err != nil || !caller.IsAdmin() {
		return b.reply(ctx, r, tr(r.lang, "channel_not_admin", "title", title))
	}
	me, err := b.tg.GetChatMember(ctx, ref.ID, b.opts.BotID)
	if err != nil && ctx.Err() != nil {
		return err
	}
	if err != nil || !me.IsAdmin() || !me.CanPostMsgs {
		return b.reply(ctx, r, tr(r.lang, "channel_cannot_post", "title", title))
	}
	c, ok, err := b.store.Chat(ctx, ref.ID)
	if err != nil {
		return err
	}
	if !ok {
		c = news.Chat{ID: ref.ID, Kind: news.ChatChannel, UILang: r.here.UILang, Topics: []string{b.opts.Topics[0]}}
	}
	c.Kind, c.Title, c.Owner, c.Status = news.ChatChannel, title, r.here.ID, news.StatusActive
	if err := b.store.SaveChat(ctx, c); err != nil {
		return err
	}
	if err := b.store.SetEditTarget(ctx, r.here.ID, c.ID); err != nil {
		return err
	}
	return b.reply(ctx, r, tr(r.lang, "channel_linked", "title", title))
}

// cmdChannels lists the linked channels; "/channels done" stops editing one.
func (b *Bot) cmdChannels(ctx context.Context, r *request) error {
	if r.here.Kind != news.ChatPrivate {
		return b.reply(ctx, r, tr(r.lang, "channel_private"))
	}
	if strings.EqualFold(strings.TrimSpace(r.args), "done") {
		if err := b.store.SetEditTarget(ctx, r.here.ID, 0); err != nil {
			return err
		}
		return b.reply(ctx, r, tr(r.lang, "channels_done"))
	}
	text, rows, err := b.channelList(ctx, r, "")
	if err != nil {
		return err
	}
	return b.reply(ctx, r, text, rows...)
}

// channelList renders the linked channels with edit and unlink buttons.
func (b *Bot) channelList(ctx context.Context, r *request, head string) (string, [][]news.Button, error) {
	ids, err := b.store.LinkedChannels(ctx, r.here.ID)
	if err != nil {
		return "", nil, err
	}
	target, err := b.store.EditTarget(ctx, r.here.ID)
	if err != nil {
		return "", nil, err
	}
	var (
		rows    [][]news.Button
		editing string
	)
	for _, id := range ids {
		c, ok, err := b.store.Chat(ctx, id)
		if err != nil {
			return "", nil, err
		}
		if !ok || c.Owner != r.here.ID {
			continue
		}
		title := c.Title
		if title == "" {
			title = strconv.FormatInt(id, 10)
		}
		mark := "⚙️ "
		if id == target {
			mark, editing = "✏️ ", title
		}
		sid := strconv.FormatInt(id, 10)
		rows = append(rows, []news.Button{
			{Text: mark + truncate(title, 40), Data: cbChannels + ":e:" + sid},
			{Text: tr(r.lang, "btn_unlink"), Data: cbChannels + ":u:" + sid},
		})
	}
	text := head
	if text != "" {
		text += "\n\n"
	}
	if len(rows) == 0 {
		return text + tr(r.lang, "channels_none"), nil, nil
	}
	text += tr(r.lang, "channels_head")
	if editing != "" {
		text += "\n" + tr(r.lang, "channels_editing", "title", editing)
		rows = append(rows, []news.Button{{Text: tr(r.lang, "btn_done"), Data: cbChannels + ":d"}})
	}
	return text, rows, nil
}

func (b *Bot) cbChannels(ctx context.Context, r *request) error {
	if r.here.Kind != news.ChatPrivate {
		return errBadCallback
	}
	verb, arg, _ := strings.Cut(r.args, ":")
	head := ""
	switch verb {
	case "l":
		return b.linkFromButton(ctx, r, arg)
	case "d":
		if err := b.store.SetEditTarget(ctx, r.here.ID, 0); err != nil {
			return err
		}
		head = tr(r.lang, "channels_done")
	case "e", "u":
		id, err := strconv.ParseInt(arg, 10, 64)
		if err != nil {
			return errBadCallback
		}
		c, ok, err := b.store.Chat(ctx, id)
		if err != nil {
			return err
		}
		if !ok || c.Owner != r.here.ID {
			return errBadCallback
		}
		if verb == "e" {
			if err := b.store.SetEditTarget(ctx, r.here.ID, id); err != nil {
				return err
			}
			break
		}
		if err := b.store.DeleteChat(ctx, id); err != nil {
			return err
		}
		if t, err := b.store.EditTarget(ctx, r.here.ID); err == nil && t == id {
			if err := b.store.SetEditTarget(ctx, r.here.ID, 0); err != nil {
				return err
			}
		}
		head = tr(r.lang, "channel_unlinked", "title", c.Title)
	default:
		return errBadCallback
	}
	text, rows, err := b.channelList(ctx, r, head)
	if err != nil {
		return err
	}
	return b.edit(ctx, r, text, rows...)
}
