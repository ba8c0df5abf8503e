package pipeline

import (
	"context"
	"math"
	"sync"

	"github.com/migrawatch/migrawatch/internal/news"
)

// What the binary does not need but the scheduler's tests and benchmarks
// do: a pass over the due feeds that returns when it is done, a poll of one
// feed on demand, and a function as a Handler.

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, src news.Source, items []news.Item) error

// HandleItems calls f.
func (f HandlerFunc) HandleItems(ctx context.Context, src news.Source, items []news.Item) error {
	return f(ctx, src, items)
}

// Stats sums the results of a pass over due feeds.
type Stats struct {
	Polled, OK, NotModified, Failed, Skipped, NewItems int
	BytesRead                                          int64
}

func (st *Stats) add(r Result) {
	switch r.Outcome {
	case OutcomeSkipped:
		st.Skipped++
		return
	case OutcomeOK:
		st.OK++
	case OutcomeNotModified:
		st.NotModified++
	case OutcomeError:
		st.Failed++
	}
	st.Polled++
	st.NewItems += r.New
	st.BytesRead += r.BytesRead
}

// PollDue polls every feed due now, at most Concurrency at a time and
// PerHost per host (waiting for a busy host rather than skipping it), and
// returns when they are all done. Tests and benchmarks use it.
func (s *Scheduler) PollDue(ctx context.Context) (Stats, error) {
	var stats Stats
	ids, err := s.store.DueFeeds(ctx, s.opts.Now(), math.MaxInt32)
	if err != nil {
		return stats, err
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, id := range ids {
		select {
		case s.slots <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return stats, ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-s.slots }()
			r := Result{FeedID: id, Outcome: OutcomeSkipped}
			if st, release, ok := s.claim(ctx, id, true, false); ok {
				r = s.poll(ctx, st)
				release()
			}
			mu.Lock()
			stats.add(r)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return stats, ctx.Err()
}

// PollFeed polls one feed now, due or not, under its lease.
func (s *Scheduler) PollFeed(ctx context.Context, id string) (Result, error) {
	st, release, ok := s.claim(ctx, id, true, true)
	if !ok {
		return Result{FeedID: id, Outcome: OutcomeSkipped}, nil
	}
	defer release()
	r := s.poll(ctx, st)
	return r, r.Err
}
