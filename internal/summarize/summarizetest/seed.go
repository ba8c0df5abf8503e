// Package summarizetest holds what tests across packages check about the
// summary of the seed article (shared/corpus/seed: a 2M.ma piece with two
// quoted officials).
package summarizetest

import (
	"strings"
	"testing"

	"github.com/migrawatch/migrawatch/internal/news"
)

// seedQuotes are the seed article's quotes, in order: speaker and opening
// words.
var seedQuotes = []struct{ speaker, starts string }{
	{"لورا بالاتيني", "من خلال اعتماد نهج يستند إلى الحقائق الواقعية"},
	{"فاطمة أمزيل", "انخراطنا في هذا المشروع يترجم الإرادة الحقيقية"},
}

// CheckSeedQuotes fails t unless qs are the seed article's quotes as a
// message shows them: the first, by its speaker, and the second only with
// its own speaker (a quote whose speaker the model is not sure enough of is
// left out, never shown under another name); nothing else.
func CheckSeedQuotes(t testing.TB, qs []news.Quote) {
	t.Helper()
	if len(qs) == 0 || len(qs) > len(seedQuotes) {
		t.Errorf("%d seed quotes shown, want 1 or 2: %+v", len(qs), qs)
		return
	}
	for i, q := range qs {
		w := seedQuotes[i]
		if q.Speaker != w.speaker || !strings.HasPrefix(strings.TrimSpace(q.Text), w.starts) {
			t.Errorf("seed quote %d: %q by %q, want %q... by %q", i, q.Text, q.Speaker, w.starts, w.speaker)
		}
	}
}
