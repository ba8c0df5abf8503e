// Package bot answers MigraWatch's Telegram updates: the commands of every
// chat (private, group, supergroup and the channels linked from a private
// chat), their inline keyboards, the administrator checks, OPML import and
// export, and the bot's membership changes. It speaks Arabic, French and
// English, and it reaches Telegram, Redis and the feed checker only through
// the small interfaces declared here.
package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync/atomic"
	"time"
	_ "time/tzdata" // /tz must know every IANA zone even on a minimal image

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/subscribe"
)

// Telegram is the part of the Bot API the bot calls.
type Telegram interface {
	Send(ctx context.Context, m news.Message) (int, error)
	SendDocument(ctx context.Context, d news.Document) (int, error)
	AnswerCallback(ctx context.Context, id, text string) error
	// GetChat describes a chat named by decimal id or "@username".
	GetChat(ctx context.Context, chat string) (news.ChatRef, error)
	GetChatMember(ctx context.Context, chatID, userID int64) (news.ChatMember, error)
	// DownloadFile returns a file a user sent, failing with
	// news.ErrFileTooLarge beyond limit bytes.
	DownloadFile(ctx context.Context, fileID string, limit int64) ([]byte, error)
}

// Store is the chat and subscription state the bot reads and writes.
type Store interface {
	Chat(ctx context.Context, id int64) (news.Chat, bool, error)
	SaveChat(ctx context.Context, c news.Chat) error
	DeleteChat(ctx context.Context, id int64) error
	SetChatStatus(ctx context.Context, id int64, status string) error
	MigrateChat(ctx context.Context, from, to int64) error
	Subscribe(ctx context.Context, chatID int64, feedID string) (bool, error)
	Unsubscribe(ctx context.Context, chatID int64, feedID string) (bool, error)
	ChatFeeds(ctx context.Context, chatID int64) ([]string, error)
	LinkedChannels(ctx context.Context, owner int64) ([]int64, error)
	EditTarget(ctx context.Context, chatID int64) (int64, error)
	SetEditTarget(ctx context.Context, chatID, target int64) error
	// FirstNotice reports whether the chat has not had the named hint in
	// the last ttl, and records that it has now.
	FirstNotice(ctx context.Context, chatID int64, notice string, ttl time.Duration) (bool, error)
}

// FeedChecker fetches and parses a URL a user gave, behind the SSRF guard
// (*feed.Fetcher). Errors match feed.ErrPrivateAddress, feed.ErrBadURL,
// feed.ErrNotAFeed (a *feed.NotAFeedError lists the feeds an HTML page
// advertises), feed.ErrMalformed or *feed.StatusError.
type FeedChecker = subscribe.Checker

// Feeds registers user-added feeds with the poller and reads a feed's
// source and health.
type Feeds = subscribe.Feeds

// Options configures a Bot. Every dependency is a field, and all of them
// (Telegram through Deliveries) are required, so that a store or a fake
// missing a method is a compile error rather than a command that quietly
// stops working.
type Options struct {
	Telegram Telegram
	Store    Store
	Feeds    Feeds
	Checker  FeedChecker
	// Pages reads HTML pages for page subscriptions; Offers keeps the
	// pages offered to a chat until the user taps "watch".
	Pages  PageFetcher
	Offers PageOffers
	// Alerts keeps the keyword alerts and the recent articles /testalert reads.
	Alerts AlertStore
	// Ops gives the operator view of /status, Stories the /stats chart.
	Ops     OpsStats
	Stories StoryStats
	// Deliveries tells /status when the chat last received a message.
	Deliveries LastDeliveries
	// Catalog is the curated source catalog offered by /sources.
	Catalog []news.Source
	// Topics a chat may follow; default ["migration"]. The first is the one
	// /start offers.
	Topics []string
	// BotID and BotUsername are the bot's own (getMe): the id to check its
	// rights in a channel, the name to tell /cmd@us from /cmd@otherbot.
	BotID       int64
	BotUsername string
	// AdminChats are the operators' chats (MIGRAWATCH_ADMIN_CHAT_IDS): there
	// /status adds the operator view and /stats draws the stories per day.
	AdminChats []int64
	// Now is the clock (default time.Now).
	Now func() time.Time
	// Logger receives one line per failed update (default slog.Default()).
	Logger *slog.Logger
	// CommandsPerMinute is each user's command budget (default 20); the
	// first command over it gets a warning, then the user is ignored for
	// Mute (default one minute).
	CommandsPerMinute int
	Mute              time.Duration
	// MaxFeeds bounds the feeds of one chat (default 200); MaxImportBytes
	// and MaxImportFeeds bound an OPML import (default 1 MiB and 100).
	MaxFeeds       int
	MaxImportBytes int64
	MaxImportFeeds int
	// CheckTimeout bounds the check of one feed (default 30s), ImportTimeout
	// the checks of a whole OPML import (default 2 minutes).
	CheckTimeout  time.Duration
	ImportTimeout time.Duration
	// Quotes is the quote archive /quotes and the "more from this speaker"
	// buttons read, QuoteState the store of the weekly voices schedule and
	// the answered buttons; without both, those commands are unavailable.
	Quotes     QuoteFinder
	QuoteState QuoteState
}

// Bot handles Telegram updates. It is safe for concurrent use.
type Bot struct {
	tg    Telegram
	store Store
	feeds Feeds
	subs  *subscribe.Subscriptions
	opts  Options
	log   *slog.Logger
	now   func() time.Time

	catalog   []news.Source
	cmds      map[string]command
	callbacks map[string]callback
	cmdLimit  *limiter
	tapLimit  *limiter
	panics    atomic.Int64
}

// New returns a Bot with opts.
func New(opts Options) (*Bot, error) {
	if opts.Telegram == nil || opts.Store == nil || opts.Feeds == nil || opts.Checker == nil || opts.Pages == nil ||
		opts.Offers == nil || opts.Alerts == nil || opts.Ops == nil || opts.Stories == nil || opts.Deliveries == nil {
		return nil, errors.New("bot: Telegram, Store, Feeds, Checker, Pages, Offers, Alerts, Ops, Stories and Deliveries are required")
	}
	if len(opts.Topics) == 0 {
		opts.Topics = []string{"migration"}
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.CommandsPerMinute <= 0 {
		opts.CommandsPerMinute = 20
	}
	if opts.Mute <= 0 {
		opts.Mute = time.Minute
	}
	if opts.MaxImportBytes <= 0 {
		opts.MaxImportBytes = 1 << 20
	}
	if opts.MaxImportFeeds <= 0 {
		opts.MaxImportFeeds = 100
	}
	opts.BotUsername = strings.TrimPrefix(opts.BotUsername, "@")
	b := &Bot{
		tg: opts.Telegram, store: opts.Store, feeds: opts.Feeds,
		opts: opts, log: opts.Logger, now: opts.Now,
	}
	for _, s := range opts.Catalog {
		if s.ID == "" || len(s.ID) > maxSourceIDLen {
			return nil, fmt.Errorf("bot: catalog source id %q is empty or longer than %d bytes", s.ID, maxSourceIDLen)
		}
		b.catalog = append(b.catalog, s)
	}
	subs, err := subscribe.New(subscribe.Options{
		Store: opts.Store, Feeds: opts.Feeds, Checker: opts.Checker, Pages: opts.Pages, Offers: opts.Offers,
		Catalog: opts.Catalog, MaxFeeds: opts.MaxFeeds, CheckTimeout: opts.CheckTimeout, ImportTimeout: opts.ImportTimeout,
	})
	if err != nil {
		return nil, fmt.Errorf("bot: %w", err)
	}
	b.subs = subs
	b.cmds = b.commands()
	b.callbacks = b.callbackHandlers()
	b.cmdLimit = newLimiter(opts.CommandsPerMinute, time.Minute, opts.Mute, opts.Now)
	b.tapLimit = newLimiter(3*opts.CommandsPerMinute, time.Minute, opts.Mute, opts.Now)
	return b, nil
}

// maxSourceIDLen keeps a source id small enough for callback data (64 bytes).
const maxSourceIDLen = 40

// command is one slash command.
type command struct {
	run func(ctx context.Context, r *request) error
	// admin: in groups only administrators may run it (it changes settings).
	admin bool
	// target: in a private chat editing a linked channel, it applies to the channel.
	target bool
	// menu is the catalog key of its setMyCommands description ("" = not in the menu).
	menu string
}

// commands is the command table: adding a command is one entry here.
func (b *Bot) commands() map[string]command {
	return map[string]command{
		"start":       {run: b.cmdStart, admin: true, menu: "cmd_start"},
		"help":        {run: b.cmdHelp, menu: "cmd_help"},
		"sources":     {run: b.cmdSources, admin: true, target: true, menu: "cmd_sources"},
		"subscribe":   {run: b.cmdSubscribe, admin: true, target: true, menu: "cmd_subscribe"},
		"unsubscribe": {run: b.cmdUnsubscribe, admin: true, target: true, menu: "cmd_unsubscribe"},
		"topics":      {run: b.cmdTopics, admin: true, target: true, menu: "cmd_topics"},
		"alert":       {run: b.cmdAlert, admin: true, target: true, menu: "cmd_alert"},
		"alerts":      {run: b.cmdAlerts, target: true, menu: "cmd_alerts"},
		"testalert":   {run: b.cmdTestAlert, target: true, menu: "cmd_testalert"},
		"langs":       {run: b.cmdLangs, admin: true, target: true, menu: "cmd_langs"},
		"mode":        {run: b.cmdMode, admin: true, target: true, menu: "cmd_mode"},
		"quiet":       {run: b.cmdQuiet, admin: true, target: true, menu: "cmd_quiet"},
		"tz":          {run: b.cmdTZ, admin: true, target: true, menu: "cmd_tz"},
		"pause":       {run: b.cmdPause, admin: true, target: true, menu: "cmd_pause"},
		"resume":      {run: b.cmdResume, admin: true, target: true, menu: "cmd_resume"},
		"status":      {run: b.cmdStatusOps, target: true, menu: "cmd_status"},
		"stats":       {run: b.cmdStats}, // operators only, so not in everybody's menu
		"export":      {run: b.cmdExport, admin: true, target: true, menu: "cmd_export"},
		"channel":     {run: b.cmdChannel, admin: true, menu: "cmd_channel"},
		"channels":    {run: b.cmdChannels, admin: true, menu: "cmd_channels"},
		"quotes":      {run: b.cmdQuotes, menu: "cmd_quotes"},
		"voices":      {run: b.cmdVoices, admin: true, target: true, menu: "cmd_voices"},
	}
}

// callback is the handler of one callback-data verb (the text before the
// first ':'); it has the same flags as a command.
type callback struct {
	run    func(ctx context.Context, r *request) error
	admin  bool
	target bool
}

func (b *Bot) callbackHandlers() map[string]callback {
	return map[string]callback{
		cbLang:     {run: b.cbLang, admin: true},
		cbStart:    {run: b.cbStart, admin: true},
		cbPage:     {run: b.cbSourcesPage, admin: true, target: true},
		cbToggle:   {run: b.cbToggleSource, admin: true, target: true},
		cbUnsub:    {run: b.cbUnsubscribe, admin: true, target: true},
		cbTopic:    {run: b.cbToggleTopic, admin: true, target: true},
		cbChannels: {run: b.cbChannels, admin: true},
		cbAlertDel: {run: b.cbAlertRemove, admin: true, target: true},
		cbWatch:    {run: b.cbWatchPage, admin: true, target: true},
		cbSpeaker:  {run: b.cbSpeakerQuotes},
		cbQuotes:   {run: b.cbQuotesPage},
	}
}

// MenuCommands returns the command menu in lang for setMyCommands.
func (b *Bot) MenuCommands(lang string) []news.BotCommand {
	var out []news.BotCommand
	for name, c := range b.cmds {
		if c.menu != "" {
			out = append(out, news.BotCommand{Command: name, Description: tr(lang, c.menu)})
		}
	}
	order := []string{"start", "sources", "subscribe", "unsubscribe", "topics", "alert", "alerts", "testalert",
		"langs", "mode", "quiet", "tz", "pause", "resume", "status", "export", "channel", "channels", "quotes", "voices", "help"}
	rank := func(n string) int {
		if i := slices.Index(order, n); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortFunc(out, func(a, b news.BotCommand) int {
		if d := rank(a.Command) - rank(b.Command); d != 0 {
			return d
		}
		return strings.Compare(a.Command, b.Command)
	})
	return out
}

// request is one command, callback or document being handled.
type request struct {
	u news.Update
	// here is the chat the update came from; replies go there, in its language.
	here news.Chat
	// chat is the chat whose settings change: here, or the linked channel
	// that a private chat is editing.
	chat news.Chat
	lang string
	// name is the command (without slash) or the callback verb; args the rest.
	name string
	args string
	// user identifies the sender for rate limiting and admin checks.
	user int64
	// toast, for a callback, is the short notice its answer shows.
	toast string
}

// editing reports whether the request applies to a linked channel.
func (r *request) editing() bool { return r.chat.ID != r.here.ID }

// Limits on what the bot reads from a message.
const (
	maxArgs    = 2048
	maxCmdName = 32
)

// HandleUpdate acts on one update. It never panics and never returns an
// error: failures are logged and, where the user waits for an answer,
// reported in the chat.
func (b *Bot) HandleUpdate(ctx context.Context, u news.Update) {
	defer func() {
		if p := recover(); p != nil {
			b.panics.Add(1)
			b.log.Error("bot: update handler panicked", "chat_id", u.Chat.ID, "err", fmt.Sprint(p))
		}
	}()
	var err error
	switch u.Kind {
	case news.UpdateMyMember:
		err = b.memberChanged(ctx, u)
	case news.UpdateMessage:
		err = b.message(ctx, u)
	case news.UpdateCallback:
		err = b.callbackQuery(ctx, u)
	case news.UpdateChannelPost:
		err = b.channelPost(ctx, u)
	}
	if err != nil && ctx.Err() == nil {
		b.log.Error("bot: update failed", "chat_id", u.Chat.ID, "err", err)
	}
}

func (b *Bot) message(ctx context.Context, u news.Update) error {
	switch {
	case u.MigrateToChatID != 0:
		return b.migrate(ctx, u.Chat.ID, u.MigrateToChatID)
	case u.MigrateFromChatID != 0:
		return b.migrate(ctx, u.MigrateFromChatID, u.Chat.ID)
	}
	if u.Chat.ID == 0 || u.Chat.Kind == news.ChatChannel {
		return nil
	}
	private := u.Chat.Kind == news.ChatPrivate
	var (
		cmd  command
		name string
		args string
	)
	switch {
	case u.Document != nil:
		if !private && !hasOPMLName(u.Document) {
			return nil // files shared in a group are not for us, except OPML files
		}
		name, cmd = "import", command{run: b.importOPML, admin: true, target: true}
	case private && u.ForwardFromChat != nil && u.ForwardFromChat.Kind == news.ChatChannel:
		name, cmd = "channel", command{run: b.linkForwarded, admin: true}
	default:
		var ok bool
		name, args, ok = b.parseCommand(u.Text)
		if !ok {
			return nil
		}
		cmd, ok = b.cmds[name]
		if !ok {
			if !private {
				return nil // probably another bot's command
			}
			cmd = command{run: b.cmdUnknown}
		}
	}
	r := &request{u: u, name: name, args: args, user: senderID(u)}
	if allowed, warn := b.cmdLimit.allow(r.user); !allowed {
		if !warn {
			return nil
		}
		if err := b.loadHere(ctx, r); err != nil {
			return err
		}
		return b.reply(ctx, r, tr(r.lang, "rate_limited"))
	}
	if err := b.loadHere(ctx, r); err != nil {
		return b.fail(ctx, r, err)
	}
	if len(args) > maxArgs {
		return b.reply(ctx, r, tr(r.lang, "too_long", "max", maxArgs))
	}
	if cmd.admin {
		ok, err := b.isAdmin(ctx, r)
		if err != nil {
			b.log.Warn("bot: admin check failed", "chat_id", u.Chat.ID, "err", err)
			return b.reply(ctx, r, tr(r.lang, "admin_unknown"))
		}
		if !ok {
			return b.reply(ctx, r, tr(r.lang, "not_admin"))
		}
	}
	if cmd.target {
		if err := b.loadTarget(ctx, r); err != nil {
			return b.fail(ctx, r, err)
		}
	}
	if err := cmd.run(ctx, r); err != nil {
		return b.fail(ctx, r, err)
	}
	return nil
}

// parseCommand splits "/name@bot args". ok is false for text that is not a
// command or a command addressed to another bot.
func (b *Bot) parseCommand(text string) (name, args string, ok bool) {
	text = strings.TrimSpace(text)
	if !strings.HasPrefix(text, "/") {
		return "", "", false
	}
	head, rest, _ := strings.Cut(text, " ")
	if i := strings.IndexAny(head, "\n\t"); i >= 0 {
		rest = head[i+1:] + " " + rest
		head = head[:i]
	}
	head = head[1:]
	if at := strings.IndexByte(head, '@'); at >= 0 {
		if !strings.EqualFold(head[at+1:], b.opts.BotUsername) || b.opts.BotUsername == "" {
			return "", "", false
		}
		head = head[:at]
	}
	if head == "" || len(head) > maxCmdName {
		return "", "", false
	}
	return strings.ToLower(head), strings.TrimSpace(rest), true
}

// senderID is who sent the update: the user, or the chat an anonymous
// administrator or a channel writes as.
func senderID(u news.Update) int64 {
	if u.SenderChat != nil {
		return u.SenderChat.ID
	}
	if u.From.ID != 0 {
		return u.From.ID
	}
	return u.Chat.ID
}

// loadHere loads (or creates) the chat the update came from.
func (b *Bot) loadHere(ctx context.Context, r *request) error {
	c, ok, err := b.store.Chat(ctx, r.u.Chat.ID)
	if err != nil {
		r.lang = uiLanguage(r.u.From.LanguageCode)
		return err
	}
	if !ok {
		c = news.Chat{
			ID: r.u.Chat.ID, Kind: r.u.Chat.Kind, Title: chatTitle(r.u.Chat),
			UILang: uiLanguage(r.u.From.LanguageCode), Status: news.StatusActive,
		}
		if err := b.store.SaveChat(ctx, c); err != nil {
			r.lang = c.UILang
			return err
		}
	}
	if c.Status == news.StatusGone {
		// A message from the chat proves the bot is back in it.
		if err := b.store.SetChatStatus(ctx, c.ID, news.StatusActive); err != nil {
			return err
		}
		c.Status = news.StatusActive
	}
	r.here, r.chat, r.lang = c, c, c.UILang
	return nil
}

func chatTitle(c news.ChatRef) string {
	if c.Title != "" {
		return c.Title
	}
	if c.Username != "" {
		return "@" + c.Username
	}
	return ""
}

// loadTarget switches r.chat to the linked channel a private chat edits.
func (b *Bot) loadTarget(ctx context.Context, r *request) error {
	if r.here.Kind != news.ChatPrivate {
		return nil
	}
	id, err := b.store.EditTarget(ctx, r.here.ID)
	if err != nil || id == 0 {
		return err
	}
	c, ok, err := b.store.Chat(ctx, id)
	if err != nil {
		return err
	}
	if !ok || c.Owner != r.here.ID {
		// Unlinked, or linked again by someone else: edit this chat again.
		return b.store.SetEditTarget(ctx, r.here.ID, 0)
	}
	r.chat = c
	return nil
}

// isAdmin reports whether the sender may change the settings of the chat
// the update came from. In private chats everybody may.
func (b *Bot) isAdmin(ctx context.Context, r *request) (bool, error) {
	switch r.u.Chat.Kind {
	case news.ChatGroup, news.ChatSupergroup:
	default:
		return true, nil
	}
	if r.u.SenderChat != nil {
		// An anonymous administrator writes as the group itself; a linked
		// channel's automatic forward writes as the channel and is not an admin.
		return r.u.SenderChat.ID == r.u.Chat.ID, nil
	}
	if r.u.From.ID == 0 {
		return false, nil
	}
	m, err := b.tg.GetChatMember(ctx, r.u.Chat.ID, r.u.From.ID)
	if err != nil {
		return false, err
	}
	return m.IsAdmin(), nil
}

// reply sends text (Telegram HTML) to the chat the update came from, with a
// header naming the linked channel when the request edits one.
func (b *Bot) reply(ctx context.Context, r *request, text string, buttons ...[]news.Button) error {
	return b.send(ctx, b.compose(r, text, buttons))
}

// errNotSent marks a reply that could not be sent. Telegram (through the
// rate-limited reply lane) retries until the chat is gone or the bot stops,
// so no notice follows it: the notice could not be sent either, and the
// command itself may well have succeeded.
var errNotSent = errors.New("reply not sent")

// send sends m and follows what Telegram says about the chat: a group
// upgraded to a supergroup has its keys moved and gets m there; a chat that
// blocked or removed the bot is marked gone.
func (b *Bot) send(ctx context.Context, m news.Message) error {
	if err := b.sendOnce(ctx, m); err != nil {
		return fmt.Errorf("%w: %w", errNotSent, err)
	}
	return nil
}

func (b *Bot) sendOnce(ctx context.Context, m news.Message) error {
	_, err := b.tg.Send(ctx, m)
	var moved *news.ChatMigratedError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &moved) && m.EditID == 0:
		if merr := b.migrate(ctx, m.ChatID, moved.To); merr != nil {
			return merr
		}
		m.ChatID, m.ReplyTo = moved.To, 0
		_, err = b.tg.Send(ctx, m)
		return err
	case errors.Is(err, news.ErrChatGone):
		if serr := b.store.SetChatStatus(ctx, m.ChatID, news.StatusGone); serr != nil {
			b.log.Warn("bot: cannot mark chat gone", "chat_id", m.ChatID, "err", serr)
		}
	}
	return err
}

func (b *Bot) compose(r *request, text string, buttons [][]news.Button) news.Message {
	if r.editing() {
		text = tr(r.lang, "target_head", "title", r.chat.Title) + "\n" + text
	}
	m := news.Message{ChatID: r.u.Chat.ID, ThreadID: r.u.ThreadID, Text: text, HTML: true, NoPreview: true, Buttons: buttons}
	if r.u.Kind == news.UpdateMessage && r.u.Chat.Kind != news.ChatPrivate {
		// In a busy group, answer the command itself so the reply keeps its context.
		m.ReplyTo = r.u.MessageID
	}
	return m
}

// edit replaces the message that carried the tapped button.
func (b *Bot) edit(ctx context.Context, r *request, text string, buttons ...[]news.Button) error {
	m := b.compose(r, text, buttons)
	m.EditID = r.u.MessageID
	return b.send(ctx, m)
}

// fail logs err and tells the user something went wrong.
func (b *Bot) fail(ctx context.Context, r *request, err error) error {
	if ctx.Err() != nil || errors.Is(err, errNotSent) {
		return err
	}
	if r.lang == "" {
		r.lang = uiLanguage(r.u.From.LanguageCode)
	}
	if _, serr := b.tg.Send(ctx, news.Message{ChatID: r.u.Chat.ID, ThreadID: r.u.ThreadID, Text: tr(r.lang, "err_internal"), HTML: true}); serr != nil {
		b.log.Warn("bot: cannot report a failure", "chat_id", r.u.Chat.ID, "err", serr)
	}
	return fmt.Errorf("%s: %w", r.name, err)
}

// saveChat stores r.chat and mirrors it into r.here when they are the same.
func (b *Bot) saveChat(ctx context.Context, r *request) error {
	if err := b.store.SaveChat(ctx, r.chat); err != nil {
		return err
	}
	if !r.editing() {
		r.here = r.chat
		r.lang = r.chat.UILang
	}
	return nil
}

func (b *Bot) cmdUnknown(ctx context.Context, r *request) error {
	return b.reply(ctx, r, tr(r.lang, "unknown_cmd"))
}

func (b *Bot) cmdHelp(ctx context.Context, r *request) error {
	return b.reply(ctx, r, tr(r.lang, "help")+"\n\n"+tr(r.lang, "help_quotes"))
}

// callbackQuery handles a tap on an inline button. Data is "verb:args".
func (b *Bot) callbackQuery(ctx context.Context, u news.Update) error {
	verb, args, _ := strings.Cut(u.CallbackData, ":")
	cb, known := b.callbacks[verb]
	answered := false
	answer := func(text string) {
		if answered || u.CallbackID == "" {
			return
		}
		answered = true
		if err := b.tg.AnswerCallback(ctx, u.CallbackID, text); err != nil {
			b.log.Warn("bot: answer callback", "chat_id", u.Chat.ID, "err", err)
		}
	}
	r := &request{u: u, name: verb, args: args, user: senderID(u)}
	defer func() { answer(r.toast) }()
	if allowed, _ := b.tapLimit.allow(r.user); !allowed {
		return nil
	}
	if u.Chat.ID == 0 || u.Chat.Kind == news.ChatChannel {
		return nil
	}
	if err := b.loadHere(ctx, r); err != nil {
		answer(tr(r.lang, "err_internal"))
		return err
	}
	if !known || len(u.CallbackData) > 64 {
		answer(tr(r.lang, "btn_expired"))
		return nil
	}
	if cb.admin {
		ok, err := b.isAdmin(ctx, r)
		if err != nil {
			answer(tr(r.lang, "admin_unknown"))
			return err
		}
		if !ok {
			answer(tr(r.lang, "not_admin"))
			return nil
		}
	}
	if cb.target {
		if err := b.loadTarget(ctx, r); err != nil {
			answer(tr(r.lang, "err_internal"))
			return err
		}
	}
	if err := cb.run(ctx, r); err != nil {
		if errors.Is(err, errBadCallback) {
			answer(tr(r.lang, "btn_expired"))
			return nil
		}
		answer(tr(r.lang, "err_internal"))
		return fmt.Errorf("callback %s: %w", verb, err)
	}
	return nil
}

// errBadCallback marks callback data the bot did not produce (or no longer understands).
var errBadCallback = errors.New("bad callback data")
