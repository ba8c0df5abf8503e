package news

import "errors"

// ErrAlertLimit means a chat already has as many keyword alerts as it may keep.
var ErrAlertLimit = errors.New("alert limit reached")
