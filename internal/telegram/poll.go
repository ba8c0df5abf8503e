package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/migrawatch/migrawatch/internal/backoff"
	"github.com/migrawatch/migrawatch/internal/news"
)

// Poll runs the getUpdates loop until ctx is done and calls handle for each
// update, one at a time and in order. It confirms an update (by asking for the
// next offset) once handle returned, skips and logs an update it cannot
// decode, waits out a 429's retry_after, and backs off exponentially with
// jitter after other failures. It returns ctx's error when ctx is done, and
// gives up only on answers no retry can fix: 401 (bad token) and 404 (wrong
// endpoint). On the way out it confirms the updates already handled, so a
// restart does not see them again.
func (c *Client) Poll(ctx context.Context, handle func(context.Context, news.Update)) error {
	offset, confirmed := 0, 0
	defer func() {
		if offset > confirmed {
			c.confirm(context.WithoutCancel(ctx), offset)
		}
	}()
	retry := backoff.New(backoff.Policy{Min: c.opts.MinBackoff, Max: c.opts.MaxBackoff, Jitter: 0.25, JitterAbove: true}, nil)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		raws, err := c.getUpdates(ctx, offset, c.opts.PollTimeout)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			var api *APIError
			if errors.As(err, &api) && (api.Code == http.StatusUnauthorized || api.Code == http.StatusNotFound) {
				return err
			}
			wait := retry.Next()
			var ra *news.RetryAfterError
			if errors.As(err, &ra) {
				wait = ra.After
			}
			c.log.WarnContext(ctx, "telegram getUpdates failed", slog.Duration("retry_in", wait), slog.Any("err", err))
			if !sleep(ctx, wait) {
				return ctx.Err()
			}
			continue
		}
		retry.Reset()
		confirmed = offset
		for _, raw := range raws {
			if ctx.Err() != nil {
				// The rest stays unconfirmed: Telegram sends it again.
				return ctx.Err()
			}
			var head struct {
				UpdateID *int `json:"update_id"`
			}
			if err := json.Unmarshal(raw, &head); err != nil || head.UpdateID == nil {
				c.log.ErrorContext(ctx, "telegram update without update_id skipped", slog.Any("err", err))
				continue
			}
			offset = max(offset, *head.UpdateID+1)
			u, ok, err := decodeUpdate(raw)
			if err != nil {
				c.log.ErrorContext(ctx, "telegram update skipped", slog.Int("update_id", *head.UpdateID), slog.Any("err", err))
				continue
			}
			if ok {
				handle(ctx, u)
			}
		}
	}
}

// confirm tells Telegram that the updates below offset were handled: a
// getUpdates with that offset and no wait, bounded by a short deadline.
func (c *Client) confirm(ctx context.Context, offset int) {
	ctx, cancel := context.WithTimeout(ctx, min(5*time.Second, c.opts.RequestTimeout))
	defer cancel()
	if _, err := c.getUpdates(ctx, offset, 0); err != nil {
		c.log.WarnContext(ctx, "telegram getUpdates: confirming handled updates failed", slog.Any("err", err))
	}
}

// getUpdates long-polls for the updates from offset on, waiting up to wait.
func (c *Client) getUpdates(ctx context.Context, offset int, wait time.Duration) ([]json.RawMessage, error) {
	p := tgbotapi.Params{}
	p.AddNonZero("offset", offset)
	// The Bot API takes whole seconds; a wait under a second rounds up, since
	// 0 would turn long polling into a busy loop.
	secs := 0
	if wait > 0 {
		secs = max(1, int((wait+time.Second-1)/time.Second))
	}
	p["timeout"] = strconv.Itoa(secs)
	if secs == 0 {
		p["limit"] = "1"
	}
	if err := addJSON(p, "allowed_updates", c.opts.AllowedUpdates); err != nil {
		return nil, err
	}
	var raws []json.RawMessage
	err := c.callTimeout(ctx, "getUpdates", p, wait+c.opts.RequestTimeout, &raws)
	return raws, err
}

// sleep waits d; false when ctx ended first.
func sleep(ctx context.Context, d time.Duration) bool {
	return backoff.System{}.Sleep(ctx, d) == nil
}

// SecretHeader is the header Telegram sends the webhook's secret_token in.
const SecretHeader = "X-Telegram-Bot-Api-Secret-Token"

// WebhookHandler serves Telegram's webhook POSTs. A request whose
// X-Telegram-Bot-Api-Secret-Token differs from secret (compared in constant
// time) gets 401 and is never decoded; an empty secret refuses every request.
// The body is capped (413 beyond). An update that cannot be decoded is logged
// and acknowledged with 200, since Telegram would otherwise resend it forever.
// handle runs before the answer, so Telegram redelivers an update whose
// request failed.
func (c *Client) WebhookHandler(secret string, handle func(context.Context, news.Update)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		got := r.Header.Get(SecretHeader)
		if secret == "" || subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, c.opts.MaxWebhookBody))
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				http.Error(w, "request too large", http.StatusRequestEntityTooLarge)
				return
			}
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		u, ok, err := decodeUpdate(body)
		if err != nil {
			c.log.ErrorContext(r.Context(), "telegram webhook update skipped", slog.Any("err", err))
			w.WriteHeader(http.StatusOK)
			return
		}
		if ok {
			handle(r.Context(), u)
		}
		w.WriteHeader(http.StatusOK)
	})
}
