package telegramtest

import (
	"bytes"
	"context"
	"net/http"
	"time"
)

// WebhookDelivery is one POST of an update to the registered webhook.
type WebhookDelivery struct {
	UpdateID int
	// Status is the webhook's HTTP status, 0 when the request failed.
	Status int
}

// WebhookDeliveries lists the webhook POSTs made so far, in order.
func (s *Server) WebhookDeliveries() []WebhookDelivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]WebhookDelivery(nil), s.deliveries...)
}

// startWebhookLocked starts the goroutine that pushes updates to the
// webhook, as Telegram does once setWebhook succeeded: one update at a time,
// in order, with the secret in X-Telegram-Bot-Api-Secret-Token; an update
// stays queued and is retried until the webhook answers 2xx.
func (s *Server) startWebhookLocked() {
	if s.pushing {
		return
	}
	s.pushing = true
	s.pushers.Add(1)
	go func() {
		defer s.pushers.Done()
		s.pushWebhook()
	}()
}

func (s *Server) pushWebhook() {
	client := &http.Client{Timeout: 5 * time.Second}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-s.done:
			cancel()
		case <-ctx.Done():
		}
	}()
	for {
		s.mu.Lock()
		hook := s.webhook
		if hook.URL == "" {
			s.pushing = false
			s.mu.Unlock()
			return
		}
		var raw []byte
		id := 0
		if len(s.updates) > 0 {
			raw, id = s.updates[0], s.updateIDs[0]
		}
		ch := s.changed
		s.mu.Unlock()
		if raw == nil {
			select {
			case <-ch:
				continue
			case <-s.done:
				return
			}
		}
		status := 0
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.URL, bytes.NewReader(raw))
		if err == nil {
			req.Header.Set("Content-Type", "application/json")
			if hook.Secret != "" {
				req.Header.Set("X-Telegram-Bot-Api-Secret-Token", hook.Secret)
			}
			if resp, err := client.Do(req); err == nil {
				status = resp.StatusCode
				resp.Body.Close()
			}
		}
		s.mu.Lock()
		s.deliveries = append(s.deliveries, WebhookDelivery{UpdateID: id, Status: status})
		if status >= 200 && status < 300 && len(s.updateIDs) > 0 && s.updateIDs[0] == id {
			s.updates, s.updateIDs = s.updates[1:], s.updateIDs[1:]
		}
		s.notifyLocked()
		s.mu.Unlock()
		if status < 200 || status >= 300 {
			select {
			case <-time.After(50 * time.Millisecond):
			case <-s.done:
				return
			}
		}
	}
}
