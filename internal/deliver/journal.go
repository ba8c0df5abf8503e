package deliver

import (
	"context"
	"sync"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
)

// journal keeps what a sender knows but could not write to Redis: the sent
// marks of messages Telegram accepted and the acknowledgements of finished
// jobs. While Redis is away the sender answers "was it sent?" from here, and
// it writes them back as soon as Redis returns, before any other sender can
// take those jobs over (ClaimIdle later): an outage costs no duplicate.
type journal struct {
	mu    sync.Mutex
	marks map[sentKey]int
	acks  map[string]news.OutboxJob
}

type sentKey struct {
	chat  int64
	story string
}

func newJournal() *journal {
	return &journal{marks: map[sentKey]int{}, acks: map[string]news.OutboxJob{}}
}

func (j *journal) mark(chat int64, story string, msgID int) {
	j.mu.Lock()
	j.marks[sentKey{chat, story}] = msgID
	j.mu.Unlock()
}

func (j *journal) sent(chat int64, story string) bool {
	j.mu.Lock()
	defer j.mu.Unlock()
	_, ok := j.marks[sentKey{chat, story}]
	return ok
}

func (j *journal) ack(job news.OutboxJob) {
	j.mu.Lock()
	j.acks[job.ID] = job
	j.mu.Unlock()
}

// size is how many writes wait.
func (j *journal) size() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return len(j.marks) + len(j.acks)
}

// flush writes the marks, then the acknowledgements (an acknowledged job
// whose mark was lost could be sent again), keeping whatever fails.
func (j *journal) flush(ctx context.Context, out Outbox, ttl time.Duration) error {
	j.mu.Lock()
	marks := make(map[sentKey]int, len(j.marks))
	for k, v := range j.marks {
		marks[k] = v
	}
	j.mu.Unlock()
	for k, id := range marks {
		if err := out.MarkSent(ctx, k.chat, k.story, id, ttl); err != nil {
			return err
		}
		j.mu.Lock()
		delete(j.marks, k)
		j.mu.Unlock()
	}
	j.mu.Lock()
	acks := make([]news.OutboxJob, 0, len(j.acks))
	for _, a := range j.acks {
		acks = append(acks, a)
	}
	j.mu.Unlock()
	for _, a := range acks {
		if err := out.AckJob(ctx, a); err != nil {
			return err
		}
		j.mu.Lock()
		delete(j.acks, a.ID)
		j.mu.Unlock()
	}
	return nil
}
