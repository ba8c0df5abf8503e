package news

import "time"

// FeedState is a feed's source with its polling state, as the scheduler
// keeps it.
type FeedState struct {
	Source Source
	// ETag and LastModified are the HTTP validators of the last good parse.
	ETag         string
	LastModified string
	// BodyHash identifies the last body parsed, so an unchanged body from a
	// server without validators is not parsed again.
	BodyHash string
	// NextPoll is when the feed is due; Interval the current polling interval.
	NextPoll time.Time
	Interval time.Duration
	// Errors counts consecutive failed polls (0 when healthy).
	Errors int
	// LastOK is the time of the last successful poll (zero: never polled
	// successfully, so the next good poll is its first).
	LastOK      time.Time
	LastError   string
	LastErrorAt time.Time
}

// Failing reports whether the feed's last poll failed.
func (f FeedState) Failing() bool { return f.Errors > 0 }

// PollRecord is the outcome of one poll, as the scheduler saves it.
type PollRecord struct {
	At       time.Time
	NextPoll time.Time
	Interval time.Duration
	// OK is true for a poll that fetched (or got 304) and parsed.
	OK bool
	// SetValidators asks to store ETag and LastModified (after a good parse only).
	SetValidators bool
	ETag          string
	LastModified  string
	BodyHash      string
	// Errors is the new consecutive error count; Err the error text when !OK.
	Errors int
	Err    string
	// Title is the feed's own title, saved when the source has no name.
	Title string
}
