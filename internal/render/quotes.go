package render

import (
	"strings"

	"github.com/migrawatch/migrawatch/internal/news"
)

// ShownQuotes returns the quotes of a that its message shows, in order: the
// first maxQuotes that have text. The quote archive keeps these and the
// "more from this speaker" buttons name their speakers.
func ShownQuotes(a news.Article) []news.Quote {
	var out []news.Quote
	for _, q := range a.Summary.Quotes {
		if len(out) == maxQuotes {
			break
		}
		if strings.TrimRight(clean(q.Text), ",;:، ") == "" {
			continue
		}
		out = append(out, q)
	}
	return out
}
