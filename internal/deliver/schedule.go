package deliver

import (
	"fmt"
	"strings"
	"time"
)

// clockTime parses "HH:MM" into minutes after midnight.
func clockTime(s string) (int, error) {
	var h, m int
	if _, err := fmt.Sscanf(strings.TrimSpace(s), "%d:%d", &h, &m); err != nil || h < 0 || h > 23 || m < 0 || m > 59 {
		return 0, fmt.Errorf("bad time of day %q", s)
	}
	return h*60 + m, nil
}

// at returns the wall-clock time minute (minutes after midnight) on the day
// of t, in t's location.
func at(t time.Time, minute int) time.Time {
	y, mo, d := t.Date()
	return time.Date(y, mo, d, minute/60, minute%60, 0, 0, t.Location())
}

// QuietUntil returns the end of the chat's quiet period ("22:00-07:00", local
// time in loc) when now falls inside it, and false otherwise or when the
// range is empty or malformed.
func QuietUntil(quiet string, loc *time.Location, now time.Time) (time.Time, bool) {
	from, to, ok := strings.Cut(quiet, "-")
	if !ok {
		return time.Time{}, false
	}
	start, err1 := clockTime(from)
	end, err2 := clockTime(to)
	if err1 != nil || err2 != nil || start == end {
		return time.Time{}, false
	}
	local := now.In(loc)
	minute := local.Hour()*60 + local.Minute()
	switch {
	case start < end && minute >= start && minute < end: // 13:00-15:00
		return at(local, end), true
	case start > end && minute >= start: // 22:00-07:00, before midnight
		return at(local.AddDate(0, 0, 1), end), true
	case start > end && minute < end: // after midnight
		return at(local, end), true
	}
	return time.Time{}, false
}

// NextDigest returns the first time strictly after now when the clock in loc
// shows digestAt ("HH:MM"); a malformed digestAt means 08:00.
func NextDigest(digestAt string, loc *time.Location, now time.Time) time.Time {
	minute, err := clockTime(digestAt)
	if err != nil {
		minute = 8 * 60
	}
	local := now.In(loc)
	next := at(local, minute)
	if !next.After(local) {
		next = at(local.AddDate(0, 0, 1), minute)
	}
	return next
}
