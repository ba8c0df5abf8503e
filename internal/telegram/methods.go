package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/telegram/botapi"
)

// GetMe returns the bot's own user; it is the cheapest check of the token.
func (c *Client) GetMe(ctx context.Context) (news.User, error) {
	var u botapi.User
	if err := c.call(ctx, "getMe", nil, &u); err != nil {
		return news.User{}, err
	}
	return toUser(u), nil
}

// linkPreview is LinkPreviewOptions (Bot API 7.0), which replaced
// disable_web_page_preview.
type linkPreview struct {
	IsDisabled       bool   `json:"is_disabled,omitempty"`
	URL              string `json:"url,omitempty"`
	PreferLargeMedia bool   `json:"prefer_large_media,omitempty"`
}

// replyParameters is ReplyParameters (Bot API 7.0), which replaced reply_to_message_id.
type replyParameters struct {
	MessageID                int  `json:"message_id"`
	AllowSendingWithoutReply bool `json:"allow_sending_without_reply"`
}

// Send sends m, or edits message m.EditID with m's text and buttons, and
// returns the message id. An edit that changes nothing ("message is not
// modified") succeeds.
func (c *Client) Send(ctx context.Context, m news.Message) (int, error) {
	p := tgbotapi.Params{}
	p.AddNonZero64("chat_id", m.ChatID)
	p["text"] = m.Text
	if m.HTML {
		p["parse_mode"] = tgbotapi.ModeHTML
	}
	switch {
	case m.NoPreview:
		if err := addJSON(p, "link_preview_options", linkPreview{IsDisabled: true}); err != nil {
			return 0, err
		}
	case m.PreviewURL != "":
		if err := addJSON(p, "link_preview_options", linkPreview{URL: m.PreviewURL}); err != nil {
			return 0, err
		}
	}
	if len(m.Buttons) > 0 {
		if err := addJSON(p, "reply_markup", botapi.Keyboard(m.Buttons)); err != nil {
			return 0, err
		}
	}
	var out struct {
		MessageID int `json:"message_id"`
	}
	if m.EditID != 0 {
		p.AddNonZero("message_id", m.EditID)
		// editMessageText answers the edited Message (true for inline messages).
		var raw json.RawMessage
		err := c.call(ctx, "editMessageText", p, &raw)
		var api *APIError
		if errors.As(err, &api) && strings.Contains(api.Description, "message is not modified") {
			// The message already shows this text and keyboard (a button
			// tapped twice): the edit's goal is met.
			err = nil
		}
		if err != nil {
			return 0, err
		}
		return m.EditID, nil
	}
	p.AddNonZero("message_thread_id", m.ThreadID)
	if m.ReplyTo != 0 {
		if err := addJSON(p, "reply_parameters", replyParameters{MessageID: m.ReplyTo, AllowSendingWithoutReply: true}); err != nil {
			return 0, err
		}
	}
	if err := c.call(ctx, "sendMessage", p, &out); err != nil {
		return 0, err
	}
	return out.MessageID, nil
}

func addJSON(p tgbotapi.Params, key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("telegram: encode %s: %w", key, err)
	}
	p[key] = string(b)
	return nil
}

// SendDocument uploads d as a file (multipart/form-data) and returns the message id.
func (c *Client) SendDocument(ctx context.Context, d news.Document) (int, error) {
	p := tgbotapi.Params{}
	p.AddNonZero64("chat_id", d.ChatID)
	p.AddNonZero("message_thread_id", d.ThreadID)
	p.AddNonEmpty("caption", d.Caption)
	name := d.Name
	if name == "" {
		name = "file"
	}
	var out struct {
		MessageID int `json:"message_id"`
	}
	if err := c.upload(ctx, "sendDocument", p, "document", name, d.Data, &out); err != nil {
		return 0, err
	}
	return out.MessageID, nil
}

// AnswerCallback answers a callback query, showing text as a toast when it is not empty.
func (c *Client) AnswerCallback(ctx context.Context, id, text string) error {
	p := tgbotapi.Params{"callback_query_id": id}
	p.AddNonEmpty("text", text)
	return c.call(ctx, "answerCallbackQuery", p, nil)
}

// GetChat describes a chat named by its id in decimal ("-1001234") or by its
// public username ("@name"), as the Bot API's chat_id accepts both.
func (c *Client) GetChat(ctx context.Context, chat string) (news.ChatRef, error) {
	if chat == "" {
		return news.ChatRef{}, fmt.Errorf("telegram getChat: empty chat")
	}
	if _, err := strconv.ParseInt(chat, 10, 64); err != nil && !strings.HasPrefix(chat, "@") {
		chat = "@" + chat
	}
	var w botapi.Chat
	if err := c.call(ctx, "getChat", tgbotapi.Params{"chat_id": chat}, &w); err != nil {
		return news.ChatRef{}, err
	}
	return toChat(w), nil
}

// GetChatMember returns the standing of user in chat.
func (c *Client) GetChatMember(ctx context.Context, chatID, userID int64) (news.ChatMember, error) {
	p := tgbotapi.Params{}
	p.AddNonZero64("chat_id", chatID)
	p.AddNonZero64("user_id", userID)
	var w botapi.ChatMember
	if err := c.call(ctx, "getChatMember", p, &w); err != nil {
		return news.ChatMember{}, err
	}
	return toMember(w), nil
}

// GetChatAdministrators lists the administrators (and the creator) of a group or channel.
func (c *Client) GetChatAdministrators(ctx context.Context, chatID int64) ([]news.ChatMember, error) {
	p := tgbotapi.Params{}
	p.AddNonZero64("chat_id", chatID)
	var ws []botapi.ChatMember
	if err := c.call(ctx, "getChatAdministrators", p, &ws); err != nil {
		return nil, err
	}
	out := make([]news.ChatMember, 0, len(ws))
	for _, w := range ws {
		out = append(out, toMember(w))
	}
	return out, nil
}

// File is the answer of getFile: where a file can be downloaded from.
type File struct {
	ID   string
	Size int64
	Path string
}

// GetFile asks Telegram where the file with this id can be downloaded.
func (c *Client) GetFile(ctx context.Context, fileID string) (File, error) {
	var f tgbotapi.File
	if err := c.call(ctx, "getFile", tgbotapi.Params{"file_id": fileID}, &f); err != nil {
		return File{}, err
	}
	return File{ID: f.FileID, Size: int64(f.FileSize), Path: f.FilePath}, nil
}

// DownloadFile fetches a file a user sent, refusing (news.ErrFileTooLarge) one
// bigger than limit bytes before or while reading it.
func (c *Client) DownloadFile(ctx context.Context, fileID string, limit int64) ([]byte, error) {
	f, err := c.GetFile(ctx, fileID)
	if err != nil {
		return nil, err
	}
	if f.Size > limit {
		return nil, fmt.Errorf("telegram download %s: %d bytes: %w", fileID, f.Size, news.ErrFileTooLarge)
	}
	if f.Path == "" {
		return nil, &APIError{Method: "getFile", Code: http.StatusOK, Description: "no file_path in the answer"}
	}
	ctx, cancel := context.WithTimeout(ctx, c.opts.RequestTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, fmt.Sprintf(c.fileURL, c.token, f.Path), nil)
	if err != nil {
		return nil, c.transportError("download", err)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, c.transportError("download", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		e := &APIError{Method: "download", Code: resp.StatusCode, Description: http.StatusText(resp.StatusCode)}
		if resp.StatusCode >= 500 {
			e.class = news.ErrTransient
		}
		return nil, e
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, c.transportError("download", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("telegram download %s: over %d bytes: %w", fileID, limit, news.ErrFileTooLarge)
	}
	return data, nil
}

// SetMyCommands sets the command menu shown to users whose interface
// language is lang ("" for everybody else). A failure is worth a log line,
// never a reason to stop: the commands work without the menu.
func (c *Client) SetMyCommands(ctx context.Context, lang string, cmds []news.BotCommand) error {
	list := make([]tgbotapi.BotCommand, 0, len(cmds))
	for _, cmd := range cmds {
		list = append(list, tgbotapi.BotCommand{Command: cmd.Command, Description: cmd.Description})
	}
	p := tgbotapi.Params{}
	if err := addJSON(p, "commands", list); err != nil {
		return err
	}
	p.AddNonEmpty("language_code", lang)
	return c.call(ctx, "setMyCommands", p, nil)
}

// SetWebhook asks Telegram to POST updates to url, with secret in the
// X-Telegram-Bot-Api-Secret-Token header of every request (Bot API 6.0).
func (c *Client) SetWebhook(ctx context.Context, url, secret string) error {
	p := tgbotapi.Params{"url": url}
	p.AddNonEmpty("secret_token", secret)
	if err := addJSON(p, "allowed_updates", c.opts.AllowedUpdates); err != nil {
		return err
	}
	return c.call(ctx, "setWebhook", p, nil)
}

// DeleteWebhook switches the bot back to getUpdates; dropPending discards the
// updates waiting on Telegram's side.
func (c *Client) DeleteWebhook(ctx context.Context, dropPending bool) error {
	p := tgbotapi.Params{}
	p.AddBool("drop_pending_updates", dropPending)
	return c.call(ctx, "deleteWebhook", p, nil)
}
