package bot

import (
	"context"
	"fmt"

	"github.com/migrawatch/migrawatch/internal/news"
)

// memberChanged follows the bot's own membership (my_chat_member): removed
// or blocked pauses the chat as gone and keeps its settings; added back
// makes it active again. A group that just added the bot gets a greeting.
func (b *Bot) memberChanged(ctx context.Context, u news.Update) error {
	if u.Chat.ID == 0 {
		return nil
	}
	c, ok, err := b.store.Chat(ctx, u.Chat.ID)
	if err != nil {
		return err
	}
	switch u.NewStatus {
	case news.MemberKicked, news.MemberLeft:
		if !ok || c.Status == news.StatusGone {
			return nil
		}
		b.log.Info("bot: removed from chat, pausing it", "chat_id", u.Chat.ID)
		return b.store.SetChatStatus(ctx, u.Chat.ID, news.StatusGone)
	case news.MemberMember, news.MemberAdministrator, news.MemberRestricted:
		if u.Chat.Kind == news.ChatChannel && u.NewStatus == news.MemberAdministrator &&
			u.OldStatus != news.MemberAdministrator && (!ok || c.Owner == 0) {
			return b.channelPromoted(ctx, u)
		}
		wasOut := u.OldStatus == news.MemberKicked || u.OldStatus == news.MemberLeft || u.OldStatus == ""
		if ok {
			if c.Status == news.StatusGone {
				b.log.Info("bot: back in chat, resuming it", "chat_id", u.Chat.ID)
				return b.store.SetChatStatus(ctx, u.Chat.ID, news.StatusActive)
			}
			return nil
		}
		if u.Chat.Kind == news.ChatChannel || !wasOut {
			return nil // a channel is linked from a private chat
		}
		c = news.Chat{ID: u.Chat.ID, Kind: u.Chat.Kind, Title: chatTitle(u.Chat), UILang: uiLanguage(u.From.LanguageCode), Status: news.StatusActive}
		if err := b.store.SaveChat(ctx, c); err != nil {
			return err
		}
		if u.Chat.Kind == news.ChatGroup || u.Chat.Kind == news.ChatSupergroup {
			_, err := b.tg.Send(ctx, news.Message{ChatID: c.ID, Text: tr(c.UILang, "welcome_group"), HTML: true})
			return err
		}
	}
	return nil
}

// migrate moves every key of a group upgraded to a supergroup. Telegram
// reports it twice (migrate_to_chat_id in the old group,
// migrate_from_chat_id in the new one); MigrateChat is idempotent.
func (b *Bot) migrate(ctx context.Context, from, to int64) error {
	if from == 0 || to == 0 || from == to {
		return nil
	}
	if err := b.store.MigrateChat(ctx, from, to); err != nil {
		return fmt.Errorf("migrate chat %d to %d: %w", from, to, err)
	}
	b.log.Info("bot: group upgraded to supergroup", "chat_id", to)
	return nil
}
