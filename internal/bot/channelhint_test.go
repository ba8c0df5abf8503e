package bot

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/migrawatch/migrawatch/internal/news"
)

func TestChannel_PromoterIsToldHowToLinkItInThreeLanguages(t *testing.T) {
	for _, tt := range []struct {
		user       news.User
		hint, link string
	}{
		{alice, "Vous m’avez nommé administrateur de Migrations <Maroc>", "/channel @mw_chan"},
		{bob, "You made me an administrator of Migrations <Maroc>", "/channel @mw_chan"},
		{amina, "جعلتني مشرفًا على Migrations <Maroc>", "/channel @mw_chan"},
	} {
		t.Run(tt.user.LanguageCode, func(t *testing.T) {
			h := newHarness(t)
			h.reply(tt.user.ID, tt.user, "/help") // the promoter has a private chat with the bot
			h.tg.SetChat(news.ChatRef{ID: channelID, Kind: news.ChatChannel, Title: "Migrations <Maroc>", Username: "mw_chan"})
			h.tg.SetMember(channelID, tt.user.ID, news.MemberCreator, true)
			before := len(h.tg.Sent(tt.user.ID))
			h.tg.MyChatMember(channelID, tt.user, news.MemberLeft, news.MemberAdministrator)
			h.settle()
			got := h.tg.Sent(tt.user.ID)[before:]
			if len(got) != 1 {
				t.Fatalf("the promoter got %d messages, want the hint", len(got))
			}
			wantText(t, got[0], tt.hint, tt.link)
			data := cbChannels + ":l:" + strconv.FormatInt(channelID, 10)
			if !slices.Contains(buttonData(got[0]), data) {
				t.Fatalf("no link button: %v", buttonData(got[0]))
			}
			if len(h.tg.Sent(channelID)) != 0 {
				t.Error("the bot wrote into the channel before it was linked")
			}

			_, fresh := h.tap(tt.user.ID, tt.user, got[0].ID, data)
			if len(fresh) != 1 || !strings.Contains(fresh[0].Text, "Migrations <Maroc>") {
				t.Fatalf("after the tap: %+v", fresh)
			}
			if c := h.chat(channelID); c.Owner != tt.user.ID || c.Kind != news.ChatChannel || len(c.Topics) == 0 {
				t.Errorf("channel after the tap = %+v", c)
			}
		})
	}
}

func TestChannel_PromoterWithoutPrivateChatIsNotWritten(t *testing.T) {
	h := newHarness(t)
	stranger := news.User{ID: 4242, FirstName: "Sam", LanguageCode: "en"}
	h.tg.SetChat(news.ChatRef{ID: channelID, Kind: news.ChatChannel, Title: "Chan"})
	h.tg.MyChatMember(channelID, stranger, news.MemberLeft, news.MemberAdministrator)
	h.settle()
	if n := len(h.tg.Sent(stranger.ID)); n != 0 {
		t.Errorf("the bot wrote first to someone who never started it (%d messages)", n)
	}
}

func TestChannel_CommandInAChannelGetsTheHintOnce(t *testing.T) {
	h := newHarness(t)
	h.tg.SetChat(news.ChatRef{ID: channelID, Kind: news.ChatChannel, Title: "Chan", Username: "mw_chan"})
	h.tg.SetMember(channelID, 1, news.MemberAdministrator, true)
	h.tg.MyChatMember(channelID, news.User{}, news.MemberLeft, news.MemberAdministrator)
	h.settle()

	h.tg.ChannelPost(channelID, "Migration news today")
	h.settle()
	if n := len(h.tg.Sent(channelID)); n != 0 {
		t.Fatalf("a plain post was answered (%d messages)", n)
	}
	post := h.tg.ChannelPost(channelID, "/start")
	h.settle()
	sent := h.tg.Sent(channelID)
	if len(sent) != 1 {
		t.Fatalf("the command got %d answers, want the hint", len(sent))
	}
	me := "@" + h.tg.Me().Username
	wantText(t, sent[0], "/channel @mw_chan", me,
		"افتح محادثة خاصة", "ouvrez une discussion privée", "open a private chat")
	if sent[0].ReplyTo != post {
		t.Errorf("the hint answers message %d, want the command %d", sent[0].ReplyTo, post)
	}
	h.tg.ChannelPost(channelID, "/sources")
	h.settle()
	if n := len(h.tg.Sent(channelID)); n != 1 {
		t.Errorf("a second command got the hint again (%d messages)", n)
	}
}
