package render_test

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/render"
	"github.com/migrawatch/migrawatch/internal/summarize/summarizetest"
)

const seedLink = "https://www.2m.ma/ar/news/رئيسة-بعثة-المنظمة-الدولية-للهجرة-20240216"

// seedArticle builds the seed article (2M.ma, 16/02/2024) as the pipeline
// understands it: headline, lead sentence, its two quotes with speakers.
func seedArticle(t testing.TB) news.Article {
	t.Helper()
	a := summarizetest.SeedArticle(t, news.Item{
		FeedID: "2m-ar", Key: "seed", Link: seedLink,
		Published: time.Date(2024, 2, 16, 9, 30, 0, 0, time.UTC),
	})
	return a
}

type goldArticle struct {
	ID        string `json:"id"`
	Language  string `json:"language"`
	Title     string `json:"title"`
	Text      string `json:"text"`
	Outlet    string `json:"outlet"`
	Published string `json:"published"`
	URL       string `json:"original_url"`
	Labels    struct {
		Quotes []news.Quote `json:"quotes"`
		Lead   []string     `json:"lead_sentences"`
	} `json:"labels"`
}

// goldArticles loads the labelled articles as the pipeline would understand
// them, with their labelled gist and quotes.
func goldArticles(t testing.TB) []news.Article {
	t.Helper()
	files, err := filepath.Glob("testdata/[aefr][nr]-*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no gold articles: %v", err)
	}
	var out []news.Article
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var g goldArticle
		if err := json.Unmarshal(raw, &g); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		pub, _ := time.Parse("2006-01-02", g.Published)
		out = append(out, news.Article{
			Item:       news.Item{FeedID: g.ID, Key: g.ID, Link: g.URL, Title: g.Title, Published: pub},
			SourceName: g.Outlet,
			Lang:       g.Language,
			Text:       g.Text,
			Summary:    news.Summary{Gist: g.Labels.Lead, Quotes: g.Labels.Quotes},
			Relevance:  news.Relevance{Matched: []string{"migration", "réfugiés", "مهاجرين"}},
		})
	}
	return out
}

func mustValid(t testing.TB, m news.Message) string {
	t.Helper()
	if !m.HTML {
		t.Fatalf("message not marked HTML")
	}
	parsed, err := validateTelegramHTML(m.Text)
	if err != nil {
		t.Fatalf("invalid Telegram HTML: %v\n%s", err, m.Text)
	}
	if got, want := render.HTMLLength(m.Text), render.Length(parsed); got != want {
		t.Fatalf("HTMLLength = %d, validator's parsed length = %d", got, want)
	}
	return parsed
}

func TestArticle_SeedMessageLaidOutRightToLeft(t *testing.T) {
	a := seedArticle(t)
	casablanca, err := time.LoadLocation("Africa/Casablanca")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	m := render.Article(a, render.Options{Location: casablanca})
	parsed := mustValid(t, m)

	lines := strings.Split(m.Text, "\n")
	if want := "\u200f<b>" + a.Title + "</b>"; lines[0] != want {
		t.Errorf("first line = %q, want the bold headline %q", lines[0], want)
	}
	for _, want := range []string{
		"<blockquote>\u200f«من خلال اعتماد نهج يستند إلى الحقائق الواقعية",
		"» — لورا بالاتيني، رئيسة بعثة المنظمة الدولية للهجرة في المغرب</blockquote>",
		"» — فاطمة أمزيل، نائبة رئيس المجلس البلدي لمدينة أكادير</blockquote>",
		"\u200f\u200e2M.ma\u200f · 16/02/2024 · <a href=\"" + seedLink + "\">اقرأ المقال</a>",
		"\u200f#هجرة #المهاجرين #أكادير",
	} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("message lacks %q:\n%s", want, m.Text)
		}
	}
	if !strings.Contains(parsed, "قالت رئيسة بعثة المنظمة الدولية للهجرة في المغرب") {
		t.Errorf("gist missing:\n%s", parsed)
	}
	if strings.Contains(m.Text, "<u>") {
		t.Error("right-to-left message uses underline")
	}
	for i, l := range lines {
		if l != "" && !strings.HasPrefix(l, "\u200f") && !strings.HasPrefix(l, "<blockquote>\u200f") {
			t.Errorf("line %d does not open with RLM: %q", i, l)
		}
	}
	if m.PreviewURL != seedLink || m.NoPreview {
		t.Errorf("preview = %q (off %v), want the article's own page", m.PreviewURL, m.NoPreview)
	}
}

func TestArticle_LabelsInArticleLanguage(t *testing.T) {
	base := news.Article{Item: news.Item{Title: "T", Link: "https://example.org/a"}, SourceName: "Le Monde"}
	for lang, want := range map[string]string{
		"fr": ">Lire l’article</a>",
		"en": ">Read the article</a>",
		"ar": ">اقرأ المقال</a>",
		"":   ">Read the article</a>",
	} {
		a := base
		a.Lang = lang
		m := render.Article(a, render.Options{})
		mustValid(t, m)
		if !strings.Contains(m.Text, want) {
			t.Errorf("lang %q: lacks %q:\n%s", lang, want, m.Text)
		}
		if lang != "ar" && strings.Contains(m.Text, "\u200f") {
			t.Errorf("lang %q: left-to-right message carries RLM", lang)
		}
	}
}

// TestArticle_SaysWhenQuotesWereLeftOut checks that a message whose article
// has quotes without a sure speaker says so in the article's language, after
// the quotes shown, and that this note is the first thing a long message
// loses.
func TestArticle_SaysWhenQuotesWereLeftOut(t *testing.T) {
	notes := map[string]string{
		"ar": "في المقال اقتباسات أخرى لم نتأكد من قائليها",
		"fr": "D’autres citations dans l’article, sans auteur confirmé",
		"en": "More quotes in the article, speaker not confirmed",
	}
	for lang, note := range notes {
		a := seedArticle(t)
		a.Lang = lang
		a.Summary.Quotes = a.Summary.Quotes[:1]
		m := render.Article(a, render.Options{})
		mustValid(t, m)
		if strings.Contains(m.Text, note) {
			t.Errorf("%s: note without quotes left out:\n%s", lang, m.Text)
		}
		a.Summary.UnconfirmedQuotes = 1
		m = render.Article(a, render.Options{})
		mustValid(t, m)
		i, j := strings.Index(m.Text, "</blockquote>"), strings.Index(m.Text, note)
		if j < 0 || j < i {
			t.Errorf("%s: want %q after the quote shown:\n%s", lang, note, m.Text)
		}
	}
	a := seedArticle(t)
	a.Summary.UnconfirmedQuotes = 3
	a.Summary.Gist = []string{strings.Repeat("المهاجرين في المغرب ", 800)}
	m := render.Article(a, render.Options{})
	mustValid(t, m)
	if strings.Contains(m.Text, notes["ar"]) || strings.Count(m.Text, "<blockquote>") != 2 {
		t.Errorf("an overlong message keeps the note or loses a quote before it:\n%.300s", m.Text)
	}
}

func TestArticle_EscapesEveryPieceOfFeedText(t *testing.T) {
	a := news.Article{
		Item: news.Item{
			Title: `<script>alert("x")</script> & <b>bold</b>`,
			Link:  `https://example.org/a?x=1&y="2"`,
		},
		SourceName:     `A&B <News>`,
		Lang:           "en",
		Summary:        news.Summary{Gist: []string{`1 < 2 && 3 > 2 &amp; "quoted"`}, Quotes: []news.Quote{{Text: `<i>not italic</i>`, Speaker: `Dr. "X" <y>`}}},
		AlsoReportedBy: []string{"<Le360>"},
	}
	m := render.Article(a, render.Options{Alerts: []string{`"asile" -<foot>`}})
	parsed := mustValid(t, m)
	for _, want := range []string{
		`<script>alert("x")</script> & <b>bold</b>`,
		`1 < 2 && 3 > 2 &amp; "quoted"`,
		`“<i>not italic</i>” — Dr. "X" <y>`,
		`A&B <News>`,
		`Also reported by: <Le360>`,
		`alert: "asile" -<foot>`,
	} {
		if !strings.Contains(parsed, want) {
			t.Errorf("parsed text lacks %q:\n%s", want, parsed)
		}
	}
	if !strings.Contains(m.Text, `href="https://example.org/a?x=1&amp;y=&quot;2&quot;"`) {
		t.Errorf("href not escaped:\n%s", m.Text)
	}
	if strings.Contains(m.Text, "&#39;") || strings.Contains(m.Text, "&apos;") {
		t.Errorf("entity Telegram does not name:\n%s", m.Text)
	}
}

func TestArticle_RejectsUnsafeLinks(t *testing.T) {
	for _, link := range []string{"javascript:alert(1)", "ftp://x/y", "/relative", "https://exa mple.org", "https://" + strings.Repeat("a", 3000) + ".org"} {
		m := render.Article(news.Article{Item: news.Item{Title: "T", Link: link}, Lang: "en"}, render.Options{})
		mustValid(t, m)
		if strings.Contains(m.Text, "<a ") || m.PreviewURL != "" || !m.NoPreview {
			t.Errorf("link %.40q linked or previewed:\n%s", link, m.Text)
		}
	}
}

func TestArticle_DateInChatTimeZone(t *testing.T) {
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Skip("no tz database:", err)
	}
	a := news.Article{Item: news.Item{Title: "T", Published: time.Date(2024, 2, 15, 20, 0, 0, 0, time.UTC)}, Lang: "fr"}
	if m := render.Article(a, render.Options{}); !strings.Contains(m.Text, "15/02/2024") {
		t.Errorf("UTC date missing:\n%s", m.Text)
	}
	if m := render.Article(a, render.Options{Location: tokyo}); !strings.Contains(m.Text, "16/02/2024") {
		t.Errorf("Tokyo date missing:\n%s", m.Text)
	}
	a.Lang = "en"
	if m := render.Article(a, render.Options{}); !strings.Contains(m.Text, "15 Feb 2024") {
		t.Errorf("English date missing:\n%s", m.Text)
	}
}

func TestArticle_ShortensGistThenQuotesNeverHeadlineOrLink(t *testing.T) {
	words := strings.Repeat("المهاجرين في المغرب 🇲🇦 ", 800)
	a := seedArticle(t)
	a.Summary.Gist = []string{words}
	m := render.Article(a, render.Options{})
	parsed := mustValid(t, m)
	if !strings.Contains(m.Text, "<b>"+a.Title+"</b>") || !strings.Contains(m.Text, `href="`+seedLink+`"`) {
		t.Fatalf("headline or link lost:\n%s", m.Text)
	}
	if !strings.Contains(parsed, "…") {
		t.Errorf("shortened gist has no ellipsis")
	}
	if strings.Count(m.Text, "<blockquote>") != 2 {
		t.Errorf("quotes dropped while the gist could still shrink")
	}
	if n := render.HTMLLength(m.Text); n > render.MaxLength || n < render.MaxLength-200 {
		t.Errorf("length %d: want just under %d", n, render.MaxLength)
	}
	// The cut falls between words: the text before the ellipsis ends a word.
	gist := strings.Split(parsed, "\n")[1]
	before := strings.TrimSuffix(strings.TrimPrefix(gist, "\u200f"), "…")
	if !strings.HasSuffix(words[:len(before)], before[len(before)-8:]) || !strings.HasPrefix(words[len(before):], " ") {
		t.Errorf("gist not cut on a word boundary: ...%q", before[len(before)-30:])
	}

	// With the gist gone the quotes shrink next.
	a.Summary.Gist = nil
	a.Summary.Quotes[0].Text = strings.Repeat("citation très longue ", 600)
	m = render.Article(a, render.Options{})
	mustValid(t, m)
	if !strings.Contains(m.Text, "<b>"+a.Title+"</b>") || !strings.Contains(m.Text, `href="`+seedLink+`"`) {
		t.Fatalf("headline or link lost:\n%s", m.Text)
	}
	if !strings.Contains(m.Text, "…") {
		t.Errorf("quote not shortened")
	}
}

func TestArticle_AlsoReportedByAndAlertTag(t *testing.T) {
	a := seedArticle(t)
	a.AlsoReportedBy = []string{"Hespress", "Le360"}
	m := render.Article(a, render.Options{Alerts: []string{"أكادير OIM"}, Tags: []string{"OIM"}})
	mustValid(t, m)
	for _, want := range []string{
		"أوردته أيضا: \u200eHespress\u200f، \u200eLe360\u200f</i>",
		"🔔 <i>تنبيه: \u200eأكادير OIM\u200f</i>",
		"\u200f#oim",
	} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("lacks %q:\n%s", want, m.Text)
		}
	}
	if strings.Contains(m.Text, "#هجرة") {
		t.Errorf("Tags did not replace the matched terms")
	}
}

func TestHashtags(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{[]string{"migration"}, "#migration"},
		{[]string{"المنظمة الدولية للهجرة"}, "#المنظمة_الدولية_للهجرة"},
		{[]string{"demandeurs d'asile"}, "#demandeurs_d_asile"},
		{[]string{"المُهاجِرين"}, "#المهاجرين"},
		{[]string{"2024"}, ""},
		{[]string{"#--!"}, ""},
		{[]string{"Asile", "asile"}, "#asile"},
		{[]string{"Covid-19 ✈️"}, "#covid_19"},
		{[]string{strings.Repeat("x", 70)}, ""},
	} {
		if got := strings.Join(render.Hashtags(tc.in, 8), " "); got != tc.want {
			t.Errorf("Hashtags(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := render.Hashtags([]string{"a", "b", "c"}, 2); len(got) != 2 {
		t.Errorf("limit not applied: %v", got)
	}
}

func TestLength_CountsLikeTelegram(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"abc", 3}, {"هجرة", 4}, {"é", 1}, {"😀", 2}, {"🇲🇦", 4}, {"&amp;", 5},
	} {
		if got := render.Length(tc.in); got != tc.want {
			t.Errorf("Length(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
	if got := render.HTMLLength(`<b>a &amp; b</b> &lt;&#233;&gt;`); got != 9 {
		t.Errorf("HTMLLength = %d, want 9", got)
	}
	if got := render.PlainText(`<a href="x&amp;y">a &quot;b&quot;</a>`); got != `a "b"` {
		t.Errorf("PlainText = %q", got)
	}
}

func TestArticle_GoldArticlesValid(t *testing.T) {
	for _, a := range goldArticles(t) {
		m := render.Article(a, render.Options{Alerts: []string{"asile OR OIM"}})
		parsed := mustValid(t, m)
		if !strings.Contains(parsed, strings.Join(strings.Fields(a.Title), " ")) {
			t.Errorf("%s: headline missing", a.Key)
		}
		if len(a.Summary.Quotes) > 0 && !strings.Contains(m.Text, "<blockquote>") {
			t.Errorf("%s: quotes missing", a.Key)
		}
		if got := strings.Count(m.Text, "<blockquote>"); got > 2 {
			t.Errorf("%s: %d quotes, want at most 2", a.Key, got)
		}
	}
}

func TestDigest_SplitsAtStoryBoundaries(t *testing.T) {
	gold := goldArticles(t)
	var arts []news.Article
	for i := range 5 {
		for _, a := range gold {
			a.Title = a.Title + " #" + string(rune('A'+i))
			arts = append(arts, a)
		}
	}
	msgs := render.Digest(arts, render.DigestOptions{Lang: "fr", Date: time.Date(2024, 2, 16, 0, 0, 0, 0, time.UTC)})
	if len(msgs) < 2 {
		t.Fatalf("%d stories in %d message(s)", len(arts), len(msgs))
	}
	all := ""
	for i, m := range msgs {
		parsed := mustValid(t, m)
		if !strings.HasPrefix(parsed, "📰 Revue de presse migrations · 16/02/2024 (") {
			t.Errorf("message %d header: %q", i, parsed[:60])
		}
		if !m.NoPreview {
			t.Errorf("digest message %d shows a preview", i)
		}
		all += parsed + "\n"
	}
	for _, a := range arts {
		title := strings.Join(strings.Fields(a.Title), " ")
		if n := strings.Count(all, title); n != 1 {
			t.Errorf("story %q appears %d times", title, n)
		}
	}
}

func TestDigest_EmptySendsNothing(t *testing.T) {
	if msgs := render.Digest(nil, render.DigestOptions{Lang: "ar"}); len(msgs) != 0 {
		t.Errorf("empty digest gave %d messages", len(msgs))
	}
}

// junk is text of the kinds feeds deliver: three scripts, emoji, markup
// fragments, entities, control and direction characters, invalid UTF-8.
var junk = []string{
	"المهاجرين", "Migrants", "réfugiés", "l'OIM", "😀", "🇲🇦", "👨‍👩‍👧", "<b>", "</i>", "<a href=\"x\">", "&amp;",
	"&", "&lt", "<", ">", "\"", "'", "\u202e", "\u2066", "\x00", "\xff\xfe", "\n\n", "\t", "   ", "ـــ", "َ",
	"&#128512;", "<blockquote>", "»", "«", "—", "…", "https://example.org/?a=1&b=2", "\u200d", "\ufeff", "\U0010FFFF",
}

func randomText(r *rand.Rand, words int) string {
	var b strings.Builder
	for range words {
		b.WriteString(junk[r.IntN(len(junk))])
		if r.IntN(3) > 0 {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func TestArticle_RandomTextAlwaysValid(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 60 {
		size := []int{0, 1, 10, 100, 1000, 8000}[i%6]
		a := news.Article{
			Item: news.Item{
				Title:     randomText(r, 1+size/20),
				Link:      []string{"https://example.org/x", randomText(r, 3), ""}[i%3],
				Published: time.Unix(r.Int64N(2e9), 0),
			},
			SourceName: randomText(r, 3),
			Lang:       []string{"ar", "fr", "en", ""}[i%4],
			Summary: news.Summary{
				Gist:   []string{randomText(r, size), randomText(r, size/2)},
				Quotes: []news.Quote{{Text: randomText(r, size), Speaker: randomText(r, 4), Role: randomText(r, 5)}, {Text: randomText(r, size)}, {Text: "x"}},
			},
			Relevance:      news.Relevance{Matched: strings.Fields(randomText(r, 12))},
			AlsoReportedBy: strings.Fields(randomText(r, 10)),
		}
		m := render.Article(a, render.Options{Alerts: []string{randomText(r, 5)}})
		if strings.TrimSpace(render.PlainText(m.Text)) == "" {
			continue // nothing printable at all: the validator's empty-text rule does not apply to junk-only input
		}
		mustValid(t, m)
	}
}

func FuzzArticle(f *testing.F) {
	a := seedArticle(f)
	f.Add(a.Title, a.Summary.Gist[0], a.Summary.Quotes[0].Text, a.Summary.Quotes[0].Speaker, a.Link, "ar")
	for _, g := range goldArticles(f)[:6] {
		q := news.Quote{}
		if len(g.Summary.Quotes) > 0 {
			q = g.Summary.Quotes[0]
		}
		f.Add(g.Title, g.Text[:min(len(g.Text), 600)], q.Text, q.Speaker, g.Link, g.Lang)
	}
	f.Add("<b>x</b>&amp;", strings.Repeat("&<>\"", 300), strings.Repeat("😀", 300), "\u202e", "javascript:x", "fr")
	f.Fuzz(func(t *testing.T, title, gist, quote, speaker, link, lang string) {
		a := news.Article{
			Item:       news.Item{Title: title + " x", Link: link},
			SourceName: speaker,
			Lang:       lang,
			Summary:    news.Summary{Gist: []string{gist}, Quotes: []news.Quote{{Text: quote, Speaker: speaker}, {Text: gist, Speaker: title}}},
			Relevance:  news.Relevance{Matched: strings.Fields(quote)},
		}
		m := render.Article(a, render.Options{Alerts: []string{speaker}})
		mustValid(t, m)
		for _, d := range render.Digest([]news.Article{a, a}, render.DigestOptions{Lang: lang}) {
			mustValid(t, d)
		}
	})
}
