package summarize

import (
	"testing"

	"github.com/migrawatch/migrawatch/internal/news"
)

// quoteCase is a hand-written passage and the quotes it holds.
type quoteCase struct {
	name, lang, text string
	want             []news.Quote // text and speaker; role checked when set
}

// checkQuoteCases checks each passage two ways: every wanted quote is the
// one the model ranks first for its span, with its speaker, at any
// confidence (a passage out of its article gives the model less to be sure
// with); and every quote Summarize shows is a wanted one with its speaker.
func checkQuoteCases(t *testing.T, cases []quoteCase) {
	m, err := DefaultModel()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ranked := m.attribute(newDoc(tc.text, tc.lang), 0)
			for _, w := range tc.want {
				if !holds(ranked, w) {
					t.Errorf("want %q by %q (role %q); ranked first: %+v", w.Text, w.Speaker, w.Role, ranked)
				}
			}
			for _, q := range Summarize("", tc.text, tc.lang).Quotes {
				if !holds(tc.want, news.Quote{Text: q.Text, Speaker: q.Speaker}) {
					t.Errorf("shows %q by %q, which is not a wanted quote and speaker", q.Text, q.Speaker)
				}
			}
		})
	}
}

// holds reports whether qs has quote w: the same text, a speaker that
// matches by the scoring rules, and w's role when w sets one.
func holds(qs []news.Quote, w news.Quote) bool {
	for _, q := range qs {
		if q.Text == w.Text && SpeakerMatches(q.Speaker, w.Speaker, "") && (w.Role == "" || q.Role == w.Role) {
			return true
		}
	}
	return false
}
