package news

import "time"

// DayCounts is one UTC day's story counts by language, for the operators'
// stories-per-day chart.
type DayCounts struct {
	Day    time.Time
	Counts map[string]int
}

// QueueStats describes the delivery queues for the operators' view.
type QueueStats struct {
	// Outbox counts the jobs in the outbox stream; Pending those of them a
	// sender has read and not yet acknowledged.
	Outbox  int64
	Pending int64
	// Delayed jobs wait for quiet hours to end or for a retry; Dead ones
	// could not be delivered.
	Delayed int64
	Dead    int64
}
