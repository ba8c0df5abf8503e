package bot

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
)

// IntakeOptions tunes an Intake. Zero fields take the defaults.
type IntakeOptions struct {
	// Workers is how many updates are handled at once, each of a different
	// chat (default 64).
	Workers int
	// PerChat bounds the updates waiting for one chat (default 20). A chat
	// that sends more while its earlier ones wait loses the excess commands
	// and button taps (counted, logged); membership changes and group
	// migrations are always kept.
	PerChat int
	// Drain is how long, once the context ends, queued updates are still
	// handled and running handlers may finish; then their context ends too
	// (default 5s), well within the process's shutdown grace.
	Drain time.Duration
	// Logger receives a line when a chat's excess is dropped.
	Logger *slog.Logger
}

// Intake queues updates per chat and hands them to the bot fairly: each
// chat's updates in order, one at a time, and the chats that have updates
// waiting take turns (one update each) for the workers. One chat's backlog
// therefore never delays another chat by more than one update's handling,
// and it is bounded: a flooding chat's excess is dropped, not queued without
// end. Handle never blocks, so the update loop (long polling or webhook)
// keeps reading.
type Intake struct {
	handle func(context.Context, news.Update)
	opts   IntakeOptions

	mu       sync.Mutex
	cond     *sync.Cond
	chats    map[int64]*chatQueue
	ready    []int64 // chats with updates waiting and none being handled, in turn order
	stopping bool

	dropped, handled atomic.Int64
}

type chatQueue struct {
	updates []news.Update
	busy    bool // an update of this chat is being handled
	queued  bool // the chat is in ready
	dropped int
}

// NewIntake returns an Intake that calls handle (the bot's HandleUpdate).
func NewIntake(handle func(context.Context, news.Update), opts IntakeOptions) *Intake {
	if opts.Workers <= 0 {
		opts.Workers = 64
	}
	if opts.PerChat <= 0 {
		opts.PerChat = 20
	}
	if opts.Drain <= 0 {
		opts.Drain = 5 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	in := &Intake{handle: handle, opts: opts, chats: map[int64]*chatQueue{}}
	in.cond = sync.NewCond(&in.mu)
	return in
}

// kept reports whether an update must never be dropped: it changes the
// chat's state (the bot's membership, a group's new id).
func kept(u news.Update) bool {
	return u.Kind == news.UpdateMyMember || u.MigrateToChatID != 0 || u.MigrateFromChatID != 0
}

// Handle queues u behind its chat's earlier updates. It never blocks.
func (in *Intake) Handle(_ context.Context, u news.Update) {
	in.mu.Lock()
	defer in.mu.Unlock()
	id := u.Chat.ID
	q := in.chats[id]
	if q == nil {
		q = &chatQueue{}
		in.chats[id] = q
	}
	if len(q.updates) >= in.opts.PerChat && !kept(u) {
		q.dropped++
		in.dropped.Add(1)
		if q.dropped == 1 || q.dropped%100 == 0 {
			in.opts.Logger.Warn("bot: a chat sends faster than it is answered; its excess updates are dropped",
				"chat_id", id, "waiting", len(q.updates), "dropped", q.dropped)
		}
		return
	}
	q.updates = append(q.updates, u)
	if !q.busy && !q.queued {
		q.queued = true
		in.ready = append(in.ready, id)
		in.cond.Signal()
	}
}

// Run handles the queued updates until ctx ends, then for at most Drain
// more: the updates already queued are still answered, and the handlers'
// context (the one they get) ends when the drain does.
func (in *Intake) Run(ctx context.Context) error {
	hctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		select {
		case <-ctx.Done():
		case <-hctx.Done():
			return
		}
		in.mu.Lock()
		in.stopping = true
		in.cond.Broadcast()
		in.mu.Unlock()
		t := time.NewTimer(in.opts.Drain)
		defer t.Stop()
		select {
		case <-t.C:
			cancel()
			in.mu.Lock()
			in.cond.Broadcast()
			in.mu.Unlock()
		case <-hctx.Done():
		}
	}()
	var wg sync.WaitGroup
	for range in.opts.Workers {
		wg.Go(func() { in.work(hctx) })
	}
	wg.Wait()
	cancel()
	<-stopped
	in.mu.Lock()
	left := 0
	for _, q := range in.chats {
		left += len(q.updates)
	}
	in.mu.Unlock()
	if left > 0 {
		in.opts.Logger.Warn("bot: updates left unhandled at shutdown", "count", left)
	}
	return nil
}

// work handles one update at a time from the chat whose turn it is.
func (in *Intake) work(ctx context.Context) {
	for {
		in.mu.Lock()
		for len(in.ready) == 0 && !in.stopping && ctx.Err() == nil {
			in.cond.Wait()
		}
		if ctx.Err() != nil || len(in.ready) == 0 {
			in.mu.Unlock()
			return
		}
		id := in.ready[0]
		in.ready = in.ready[1:]
		q := in.chats[id]
		q.queued, q.busy = false, true
		u := q.updates[0]
		q.updates = q.updates[1:]
		in.mu.Unlock()

		in.handle(ctx, u)
		in.handled.Add(1)

		in.mu.Lock()
		q.busy = false
		if len(q.updates) > 0 {
			// Back of the line: every other waiting chat goes first.
			q.queued = true
			in.ready = append(in.ready, id)
			in.cond.Signal()
		} else {
			delete(in.chats, id)
		}
		in.mu.Unlock()
	}
}
