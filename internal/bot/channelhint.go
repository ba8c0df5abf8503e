package bot

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
)

// A channel is set up from a private chat (channels.go), which nobody can
// guess: so when someone makes the bot an administrator of a channel, the
// bot tells them how to link it, with a button that does it; and a command
// posted in a channel, where the bot takes none, is answered once with the
// same hint.

// channelHintTTL is how long a channel that was given the hint is not given
// it again.
const channelHintTTL = 30 * 24 * time.Hour

// noticeChannelHint names the channel hint in Store.FirstNotice.
const noticeChannelHint = "channel_hint"

// channelHandle is how /channel names ref: its @username, else its id.
func channelHandle(ref news.ChatRef) string {
	if ref.Username != "" {
		return "@" + ref.Username
	}
	return strconv.FormatInt(ref.ID, 10)
}

// channelPromoted tells the person who made the bot an administrator of an
// unlinked channel how to link it, in their private chat with the bot. A
// person who never started the bot gets nothing: the Bot API lets no bot
// write first.
func (b *Bot) channelPromoted(ctx context.Context, u news.Update) error {
	if u.From.ID == 0 || u.From.IsBot {
		return nil
	}
	pc, ok, err := b.store.Chat(ctx, u.From.ID)
	if err != nil {
		return err
	}
	if !ok || pc.Kind != news.ChatPrivate || pc.Status == news.StatusGone {
		return nil
	}
	title := chatTitle(u.Chat)
	if title == "" {
		title = channelHandle(u.Chat)
	}
	text := tr(pc.UILang, "channel_promoted", "title", title, "handle", channelHandle(u.Chat))
	link := news.Button{Text: tr(pc.UILang, "btn_link_channel"), Data: cbChannels + ":l:" + strconv.FormatInt(u.Chat.ID, 10)}
	return b.send(ctx, news.Message{ChatID: pc.ID, Text: text, HTML: true, NoPreview: true, Buttons: [][]news.Button{{link}}})
}

// channelPost answers the first command of ours posted in a channel with
// where the bot is set up; other posts, and later commands, get nothing.
func (b *Bot) channelPost(ctx context.Context, u news.Update) error {
	if u.Chat.ID == 0 {
		return nil
	}
	name, _, ok := b.parseCommand(u.Text)
	if !ok {
		return nil
	}
	if _, ours := b.cmds[name]; !ours {
		return nil
	}
	first, err := b.store.FirstNotice(ctx, u.Chat.ID, noticeChannelHint, channelHintTTL)
	if err != nil || !first {
		return err
	}
	c, known, err := b.store.Chat(ctx, u.Chat.ID)
	if err != nil {
		return err
	}
	bot := "@" + b.opts.BotUsername
	var text string
	if known && c.Owner != 0 {
		text = tr(c.UILang, "channel_cmd_linked", "bot", bot)
	} else {
		// Nobody chose a language for this channel yet: say it in all three.
		parts := make([]string, 0, len(news.Languages))
		for _, l := range news.Languages {
			parts = append(parts, tr(l, "channel_cmd_hint", "bot", bot, "handle", channelHandle(u.Chat)))
		}
		text = strings.Join(parts, "\n\n")
	}
	return b.send(ctx, news.Message{ChatID: u.Chat.ID, Text: text, HTML: true, NoPreview: true, ReplyTo: u.MessageID})
}

// linkFromButton links the channel named by the button of the hint
// (c:l:<id>), with the same checks as /channel.
func (b *Bot) linkFromButton(ctx context.Context, r *request, arg string) error {
	if _, err := strconv.ParseInt(arg, 10, 64); err != nil {
		return errBadCallback
	}
	return b.linkNamed(ctx, r, arg, func() error { return errBadCallback })
}

func init() {
	addTexts(map[string]map[string]string{
		news.English: {
			"channel_promoted":   "📣 You made me an administrator of <b>{title}</b>. To have me post migration news there, tap the button below, or send <code>/channel {handle}</code> here.",
			"btn_link_channel":   "📣 Link this channel",
			"channel_cmd_hint":   "I am set up from a private chat, not in the channel. To link this channel, open a private chat with {bot} and send <code>/channel {handle}</code> there (or forward me a post from here).",
			"channel_cmd_linked": "This channel is linked: its settings are changed in a private chat with {bot}, by the person who linked it (/channels there).",
		},
		news.French: {
			"channel_promoted":   "📣 Vous m’avez nommé administrateur de <b>{title}</b>. Pour que j’y publie l’actualité des migrations, touchez le bouton ci-dessous, ou envoyez ici <code>/channel {handle}</code>.",
			"btn_link_channel":   "📣 Lier ce canal",
			"channel_cmd_hint":   "Je me règle depuis une discussion privée, pas dans le canal. Pour lier ce canal, ouvrez une discussion privée avec {bot} et envoyez-y <code>/channel {handle}</code> (ou transférez-moi un message d’ici).",
			"channel_cmd_linked": "Ce canal est lié : ses réglages se modifient dans une discussion privée avec {bot}, par la personne qui l’a lié (/channels là-bas).",
		},
		news.Arabic: {
			"channel_promoted":   "📣 جعلتني مشرفًا على <b>{title}</b>. لأنشر فيها أخبار الهجرة، اضغط على الزر أدناه، أو أرسل هنا <code>/channel {handle}</code>.",
			"btn_link_channel":   "📣 ربط هذه القناة",
			"channel_cmd_hint":   "تُضبط إعداداتي من محادثة خاصة، لا من القناة. لربط هذه القناة، افتح محادثة خاصة مع ‎{bot} وأرسل فيها <code>/channel {handle}</code> (أو أعد توجيه منشور من هنا إليّ).",
			"channel_cmd_linked": "هذه القناة مربوطة: تُعدَّل إعداداتها في محادثة خاصة مع ‎{bot} من طرف من ربطها (‎/channels هناك).",
		},
	})
}
