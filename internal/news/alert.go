package news

import "errors"

// ErrAlertLimit means a chat already has as many keyword alerts as it may keep.
var ErrAlertLimit = errors.New("alert limit reached")

// AlertMatch is one alert that matched an article.
type AlertMatch struct {
	ChatID  int64
	AlertID string
	Query   string
}
