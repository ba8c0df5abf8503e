// Package telegram is MigraWatch's Bot API client. It speaks the wire format of
// github.com/go-telegram-bot-api/telegram-bot-api/v5 (its Params, APIResponse,
// ResponseParameters, keyboard, file and command types, and its endpoint format
// with two %s for the token and the method) but performs every HTTP request
// itself. The library's BotAPI.MakeRequest takes no context, calls getMe from
// its constructor, puts the token into *url.Error strings and knows Bot API 5.5
// only; wrapping it would leave a request running after its caller gave up.
// Doing the request here gives every call a context, a deadline, a capped
// response body, token redaction at the one place errors leave the client, and
// the newer parameters (message_thread_id, link_preview_options,
// reply_parameters) and update fields (forward_origin, is_forum) the library
// does not model.
//
// Every failure is classified into the errors of package news (ErrChatGone,
// ErrBadMarkup, ErrTooLong, ErrTransient, *news.RetryAfterError,
// *news.ChatMigratedError) so callers branch with errors.Is and errors.As
// without importing this package.
package telegram

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/migrawatch/migrawatch/internal/news"
)

// DefaultEndpoint is the public Bot API in the library's format: token, method.
const DefaultEndpoint = tgbotapi.APIEndpoint

// Options configures a Client. The zero value talks to api.telegram.org.
type Options struct {
	// Endpoint is the Bot API URL with two %s, for the token and the method
	// (default "https://api.telegram.org/bot%s/%s").
	Endpoint string
	// FileEndpoint is the file download URL with two %s, for the token and the
	// file path. Default: Endpoint with "/bot%s/%s" replaced by "/file/bot%s/%s".
	FileEndpoint string
	// HTTPClient performs the requests; its Timeout must be zero or longer than
	// PollTimeout + RequestTimeout. Default: a client with dial, TLS and idle
	// timeouts whose per-call deadline comes from RequestTimeout.
	HTTPClient *http.Client
	// RequestTimeout bounds each call (default 30s); getUpdates gets
	// PollTimeout on top of it.
	RequestTimeout time.Duration
	// PollTimeout is the long-poll timeout of getUpdates (default 50s).
	PollTimeout time.Duration
	// MinBackoff and MaxBackoff bound the wait of the update loop after a
	// failed getUpdates (defaults 1s and 60s).
	MinBackoff, MaxBackoff time.Duration
	// AllowedUpdates are the update kinds asked for in getUpdates and
	// setWebhook (default message, channel_post, callback_query, my_chat_member).
	AllowedUpdates []string
	// MaxWebhookBody caps the body of a webhook request (default 1 MiB).
	MaxWebhookBody int64
	// Logger receives the few lines the update loop writes (default slog.Default()).
	Logger *slog.Logger
}

// Client calls the Telegram Bot API. It is safe for concurrent use.
type Client struct {
	token    string
	endpoint string
	fileURL  string
	http     *http.Client
	opts     Options
	log      *slog.Logger
}

// maxResponse caps a Bot API answer; 100 updates of getUpdates fit easily.
const maxResponse = 16 << 20

// New returns a client for the bot with this token. It does not contact
// Telegram: call GetMe to check the token.
func New(token string, opts Options) (*Client, error) {
	if token == "" {
		return nil, errors.New("telegram: empty bot token")
	}
	if opts.Endpoint == "" {
		opts.Endpoint = DefaultEndpoint
	}
	if strings.Count(opts.Endpoint, "%s") != 2 {
		return nil, fmt.Errorf("telegram: endpoint %q needs two %%s (token, method)", opts.Endpoint)
	}
	if opts.FileEndpoint == "" {
		if !strings.Contains(opts.Endpoint, "/bot%s/%s") {
			return nil, fmt.Errorf("telegram: cannot derive the file endpoint from %q; set FileEndpoint", opts.Endpoint)
		}
		opts.FileEndpoint = strings.Replace(opts.Endpoint, "/bot%s/%s", "/file/bot%s/%s", 1)
	}
	if strings.Count(opts.FileEndpoint, "%s") != 2 {
		return nil, fmt.Errorf("telegram: file endpoint %q needs two %%s (token, path)", opts.FileEndpoint)
	}
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = 30 * time.Second
	}
	if opts.PollTimeout <= 0 {
		opts.PollTimeout = 50 * time.Second
	}
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = time.Second
	}
	if opts.MaxBackoff < opts.MinBackoff {
		opts.MaxBackoff = max(60*time.Second, opts.MinBackoff)
	}
	if opts.AllowedUpdates == nil {
		opts.AllowedUpdates = []string{"message", "channel_post", "callback_query", "my_chat_member"}
	}
	if opts.MaxWebhookBody <= 0 {
		opts.MaxWebhookBody = 1 << 20
	}
	c := &Client{token: token, endpoint: opts.Endpoint, fileURL: opts.FileEndpoint, http: opts.HTTPClient, opts: opts, log: opts.Logger}
	if c.http == nil {
		c.http = &http.Client{Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout:   10 * time.Second,
			IdleConnTimeout:       90 * time.Second,
			ExpectContinueTimeout: time.Second,
			MaxIdleConnsPerHost:   16,
		}}
	}
	if c.log == nil {
		c.log = slog.Default()
	}
	return c, nil
}

// call performs one Bot API method with form parameters and decodes the
// result into out (when out is not nil).
func (c *Client) call(ctx context.Context, method string, params tgbotapi.Params, out any) error {
	return c.callTimeout(ctx, method, params, c.opts.RequestTimeout, out)
}

func (c *Client) callTimeout(ctx context.Context, method string, params tgbotapi.Params, timeout time.Duration, out any) error {
	body := url.Values{}
	for k, v := range params {
		body.Set(k, v)
	}
	return c.do(ctx, method, timeout, "application/x-www-form-urlencoded", strings.NewReader(body.Encode()), out)
}

// upload performs a multipart call with one file, as sendDocument needs.
func (c *Client) upload(ctx context.Context, method string, params tgbotapi.Params, field, name string, data []byte, out any) error {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	for k, v := range params {
		if err := w.WriteField(k, v); err != nil {
			return fmt.Errorf("telegram %s: %w", method, err)
		}
	}
	part, err := w.CreateFormFile(field, name)
	if err != nil {
		return fmt.Errorf("telegram %s: %w", method, err)
	}
	if _, err := part.Write(data); err != nil {
		return fmt.Errorf("telegram %s: %w", method, err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("telegram %s: %w", method, err)
	}
	return c.do(ctx, method, c.opts.RequestTimeout, w.FormDataContentType(), &buf, out)
}

func (c *Client) do(ctx context.Context, method string, timeout time.Duration, contentType string, body io.Reader, out any) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, fmt.Sprintf(c.endpoint, c.token, method), body)
	if err != nil {
		return c.transportError(method, err)
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := c.http.Do(req)
	if err != nil {
		return c.transportError(method, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse+1))
	if err != nil {
		return c.transportError(method, err)
	}
	if len(raw) > maxResponse {
		return &APIError{Method: method, Code: resp.StatusCode, Description: "response too large", class: news.ErrTransient}
	}
	var api tgbotapi.APIResponse
	if err := json.Unmarshal(raw, &api); err != nil {
		// Not a Bot API answer: a proxy's error page, a truncated body.
		e := &APIError{Method: method, Code: resp.StatusCode, Description: "undecodable response: " + http.StatusText(resp.StatusCode)}
		if resp.StatusCode >= 500 || resp.StatusCode == http.StatusOK {
			e.class = news.ErrTransient
		}
		return e
	}
	if !api.Ok {
		code := api.ErrorCode
		if code == 0 {
			code = resp.StatusCode
		}
		return classify(method, code, c.redact(api.Description), api.Parameters)
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(api.Result, out); err != nil {
		return &APIError{Method: method, Code: resp.StatusCode, Description: "undecodable result: " + c.redact(err.Error())}
	}
	return nil
}

// transportError turns a failed round trip into a transient error whose
// message names the method and never the token: *url.Error carries the full
// request URL, so it is rebuilt with the token replaced.
func (c *Client) transportError(method string, err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = &url.Error{Op: ue.Op, URL: c.redact(ue.URL), Err: ue.Err}
	}
	return &transportError{method: method, msg: c.redact(err.Error()), err: err}
}

// redact replaces the token (and its URL-escaped form) in s.
func (c *Client) redact(s string) string {
	s = strings.ReplaceAll(s, c.token, "<token>")
	if esc := url.PathEscape(c.token); esc != c.token {
		s = strings.ReplaceAll(s, esc, "<token>")
	}
	return s
}

// transportError is a network failure or timeout: always news.ErrTransient.
type transportError struct {
	method string
	msg    string
	err    error
}

func (e *transportError) Error() string {
	return fmt.Sprintf("telegram %s: %s", e.method, e.msg)
}

// Is makes every transport failure match news.ErrTransient.
func (e *transportError) Is(target error) bool { return target == news.ErrTransient }

// Unwrap exposes the cause (context.DeadlineExceeded, *net.OpError ...); a
// *url.Error inside has its URL redacted already.
func (e *transportError) Unwrap() error { return e.err }
