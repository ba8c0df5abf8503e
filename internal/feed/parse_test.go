package feed

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
)

// corpusCase says what each real feed in testdata must give when served
// over HTTP with the given Content-Type.
type corpusCase struct {
	file        string
	contentType string
	items       int
	// words must appear (correctly encoded) in some item title or text.
	words []string
	// encoding is a prefix of Parsed.Encoding.
	encoding string
	// repaired says a lenient repair must have been needed.
	repaired bool
	ttl      time.Duration
}

var corpus = []corpusCase{
	{file: "aljazeera-net-ar-rescraped.xml", contentType: "application/rss+xml", items: 10, words: []string{"دليلك لفك شفرات"}, encoding: "utf-8"},
	{file: "hespress-ar-rescraped.xml", contentType: "application/rss+xml; charset=utf-8", items: 10, words: []string{"بيت مال القدس", "تطلق حملة رمضان"}, encoding: "utf-8"},
	// Declares utf-16, holds UTF-8 (no BOM, no NUL): the bytes win.
	{file: "hespress-ar-utf16-declared-utf8-derived.xml", contentType: "application/rss+xml", items: 10, words: []string{"بيت مال القدس"}, encoding: "utf-8, declared utf-16 without a NUL"},
	{file: "hespress-ar-windows1256-derived.xml", contentType: "text/xml", items: 10, words: []string{"بيت مال القدس", "تطلق حملة رمضان", "المؤرخ عمراني"}, encoding: "windows-1256"},
	{file: "asharq-alawsat-ar-rescraped.xml", contentType: "application/xml", items: 15, words: []string{"«قمرة السينمائي»"}, encoding: "utf-8"},
	{file: "lemonde-migrants-nodecl-fr.xml", contentType: "application/rss+xml", items: 21, words: []string{"Migrants : le navire « Lifeline »", "Brésiliens"}, encoding: "utf-8"},
	{file: "francetvinfo-titres-fr.xml", contentType: "application/rss+xml; charset=UTF-8", items: 25, words: []string{"Rwanda", "décrètent"}, encoding: "utf-8"},
	{file: "universfreebox-iso8859-1-fr.xml", contentType: "text/xml", items: 30, words: []string{"« sans initiative privée", "découvert"}, encoding: "windows-1252"},
	// No declaration, Latin-1 bytes: the HTTP charset decides.
	{file: "cerclepsy-latin1-nodecl-fr.xml", contentType: "text/xml; charset=ISO-8859-1", items: 9, // one <item> is empty
		words: []string{"Migrants : l'urgence thérapeutique", "études"}, encoding: "windows-1252"},
	{file: "lemonde-mojibake-fr.xml", contentType: "application/rss+xml", items: 18, words: []string{"ayant aidé des migrants", "l’ancien ministre"}, encoding: "utf-8", repaired: true},
	{file: "guardian-world-2022-en.xml", contentType: "application/rss+xml", items: 54, words: []string{"Scores dead in worst sinking of migrant boat from Lebanon"}, encoding: "utf-8"},
	{file: "elpais-english-media-content.xml", contentType: "application/rss+xml", items: 56, words: []string{"Trapped in Europe’s largest migrant settlement"}, encoding: "utf-8"},
	{file: "dw-rss10-rdf-en.xml", contentType: "application/rdf+xml", items: 141, words: []string{"France arrests nine"}, encoding: "utf-8", ttl: 15 * time.Minute},
	{file: "feedburner-atom-xhtml-en.xml", contentType: "application/atom+xml", items: 10, words: []string{"Stock Watch: April's Finest"}, encoding: "utf-8"},
	{file: "mirror-bom-nodecl-media-en.xml", contentType: "application/rss+xml", items: 25, words: []string{"We have a special sex life’: Quadriplegic"}, encoding: "utf-8 (BOM)", repaired: true},
	{file: "bbc-urdu-rss-for-node-ur.xml", contentType: "application/rss+xml", items: 26, words: []string{"امریکی عسکری امداد"}, encoding: "utf-8", ttl: 15 * time.Minute},
	{file: "ibash-windows1251-ru.xml", contentType: "text/xml", items: 50, words: []string{"Цитата #17703", "программер"}, encoding: "windows-1251"},
	{file: "justarrived-malformed-link-sv.xml", contentType: "application/rss+xml", items: 10, words: []string{"Var inte så rädda för att anställa högutbildade"}, encoding: "utf-8", repaired: true},
}

func serveTestdata(t testing.TB, types map[string]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := filepath.Base(r.URL.Path)
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		if ct, ok := types[name]; ok {
			w.Header().Set("Content-Type", ct)
		}
		_, _ = w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func testFetcher(opts Options) *Fetcher {
	opts.AllowPrivateAddresses = true
	return NewFetcher(opts)
}

func itemText(items []news.Item) string {
	var b strings.Builder
	for _, it := range items {
		b.WriteString(it.Title + "\n" + it.Description + "\n" + it.Content + "\n")
	}
	return b.String()
}

func TestCorpus_EveryFeedParsesIntoCorrectUTF8(t *testing.T) {
	types := map[string]string{}
	for _, c := range corpus {
		types[c.file] = c.contentType
	}
	srv := serveTestdata(t, types)
	f := testFetcher(Options{})
	files, _ := filepath.Glob("testdata/*.xml")
	if len(files) != len(corpus) {
		t.Fatalf("testdata has %d feeds, the table covers %d", len(files), len(corpus))
	}
	for _, c := range corpus {
		t.Run(c.file, func(t *testing.T) {
			resp, err := f.Fetch(context.Background(), Request{URL: srv.URL + "/" + c.file})
			if err != nil {
				t.Fatal(err)
			}
			src := news.Source{ID: "t", URL: resp.URL, Language: "xx"}
			p, err := ParseAt(resp.Body, resp.ContentType, src, time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatalf("parse: %v", err)
			}
			if len(p.Items) != c.items {
				t.Errorf("items = %d, want %d", len(p.Items), c.items)
			}
			if !strings.HasPrefix(p.Encoding, c.encoding) {
				t.Errorf("encoding = %q, want prefix %q", p.Encoding, c.encoding)
			}
			if got := len(p.Repairs) > 0; got != c.repaired {
				t.Errorf("repairs = %v, want repaired=%v", p.Repairs, c.repaired)
			}
			if p.TTL != c.ttl {
				t.Errorf("TTL = %s, want %s", p.TTL, c.ttl)
			}
			text := itemText(p.Items)
			for _, w := range c.words {
				if !strings.Contains(text, w) {
					t.Errorf("no item contains %q", w)
				}
			}
			for _, bad := range []string{"\uFFFD", "Ã©", "â€™", "appeared first on", "<p>", "&amp;", "&quot;"} {
				if strings.Contains(text, bad) {
					i := strings.Index(text, bad)
					t.Errorf("item text contains %q near %q", bad, text[max(0, i-40):min(len(text), i+40)])
				}
			}
			keys := map[string]bool{}
			for _, it := range p.Items {
				if it.Key == "" || keys[it.Key] {
					t.Errorf("empty or duplicate key %q", it.Key)
				}
				keys[it.Key] = true
				if it.FeedID != "t" || it.Title == "" || it.Published.IsZero() {
					t.Errorf("incomplete item %+v", it)
				}
				if strings.Contains(it.Key, "utm_") || strings.Contains(it.Key, "traffic_source") || strings.Contains(it.Key, "#") {
					t.Errorf("key keeps tracking parts: %s", it.Key)
				}
			}
		})
	}
}

func TestParse_LatinOneWithoutAnyCharsetFallsBackToWindows1252(t *testing.T) {
	b, err := os.ReadFile("testdata/cerclepsy-latin1-nodecl-fr.xml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, ct, override string }{
		{"no charset anywhere", "text/xml", ""},
		{"source override", "text/xml", "iso-8859-1"},
		{"override beats a wrong HTTP charset", "text/xml; charset=utf-8", "latin1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse(b, tc.ct, news.Source{ID: "c", Charset: tc.override})
			if err != nil {
				t.Fatal(err)
			}
			if text := itemText(p.Items); !strings.Contains(text, "thérapeutique") || strings.Contains(text, "\uFFFD") {
				t.Errorf("text not decoded right (encoding %s)", p.Encoding)
			}
		})
	}
}

func TestParse_DeclarationWinsOverHTTPCharsetAndDecodesOnce(t *testing.T) {
	b, err := os.ReadFile("testdata/hespress-ar-windows1256-derived.xml")
	if err != nil {
		t.Fatal(err)
	}
	// The server claims UTF-8; the declaration says windows-1256.
	p, err := Parse(b, "text/xml; charset=utf-8", news.Source{ID: "h"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.Encoding, "windows-1256 (declared)") {
		t.Errorf("encoding %q", p.Encoding)
	}
	utf, _ := os.ReadFile("testdata/hespress-ar-rescraped.xml")
	q, err := Parse(utf, "", news.Source{ID: "h"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Items {
		if p.Items[i].Title != q.Items[i].Title {
			t.Errorf("item %d: %q, UTF-8 original has %q", i, p.Items[i].Title, q.Items[i].Title)
		}
	}
}

func TestParse_ValidUTF8KeptDespiteLatinHTTPCharset(t *testing.T) {
	b, _ := os.ReadFile("testdata/lemonde-migrants-nodecl-fr.xml")
	p, err := Parse(b, "text/xml; charset=ISO-8859-1", news.Source{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(itemText(p.Items), "Brésiliens") {
		t.Errorf("valid UTF-8 decoded twice (encoding %s)", p.Encoding)
	}
}

func TestParse_HTMLPageIsNotAFeedAndListsAdvertisedFeeds(t *testing.T) {
	page := []byte(`<!DOCTYPE html><html><head><title>Site</title>
<base href="https://news.example.org/fr/">
<link rel="alternate" type="application/rss+xml" title="RSS" href="rss.xml">
<link rel="alternate" type="application/atom+xml" href="/atom?x=1">
<link rel="alternate" hreflang="ar" href="/ar/">
<link rel="stylesheet" href="s.css">
<link rel="alternate" type="application/rss+xml" href="javascript:alert(1)">
</head><body><a href="/feed">feed</a></body></html>`)
	_, err := Parse(page, "text/html; charset=utf-8", news.Source{URL: "https://news.example.org/fr/index.html"})
	if !errors.Is(err, ErrNotAFeed) {
		t.Fatalf("err = %v, want ErrNotAFeed", err)
	}
	var nf *NotAFeedError
	if !errors.As(err, &nf) || !nf.HTML {
		t.Fatalf("err %T %v", err, err)
	}
	want := []string{"https://news.example.org/fr/rss.xml", "https://news.example.org/atom?x=1"}
	if strings.Join(nf.Links, " ") != strings.Join(want, " ") {
		t.Errorf("links = %v, want %v", nf.Links, want)
	}
	if !strings.Contains(err.Error(), "got an HTML page, not a feed") {
		t.Errorf("message %q", err)
	}
}

func TestParse_ClearErrorsForBrokenDocuments(t *testing.T) {
	for _, tc := range []struct {
		name string
		body string
		want error
	}{
		{"empty", "   ", ErrNotAFeed},
		{"plain text", "hello world", ErrNotAFeed},
		{"json that is not a feed", `{"a":1}`, ErrNotAFeed},
		{"unknown declared encoding", `<?xml version="1.0" encoding="x-klingon"?><rss><channel></channel></rss>`, ErrEncoding},
		{"truncated rss", `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>a`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(tc.body), "", news.Source{})
			if tc.want == nil {
				return // must simply not panic
			}
			if !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

func TestParse_ItemKeysAndDates(t *testing.T) {
	now := time.Date(2026, 2, 20, 12, 0, 0, 0, time.UTC)
	doc := `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>T</title><link>https://Example.ORG/</link>
<item><title>guid</title><guid isPermaLink="false">abc-1</guid><link>https://example.org/a</link><pubDate>Mon, 16 Feb 2026 10:00:00 GMT</pubDate></item>
<item><title>link only</title><link>https://EXAMPLE.org/b?utm_source=rss&amp;id=7&amp;fbclid=x#top</link><pubDate>16 février 2026 14h30</pubDate></item>
<item><title>relative</title><link>/c</link><pubDate>الجمعة 16 فبراير 2024 - 10:45</pubDate></item>
<item><title>nothing</title><description>&lt;p&gt;Hello &amp;amp;amp; &lt;b&gt;world&lt;/b&gt;&lt;/p&gt;&lt;script&gt;x()&lt;/script&gt;</description><pubDate>sometime</pubDate></item>
<item><title>levant</title><link>https://example.org/d</link><pubDate>١٦ تشرين الثاني ٢٠٢٥</pubDate></item>
</channel></rss>`
	p, err := ParseAt([]byte(doc), "", news.Source{ID: "k", URL: "https://example.org/feed"}, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 5 {
		t.Fatalf("%d items", len(p.Items))
	}
	want := []struct {
		key     string
		pub     time.Time
		guessed bool
	}{
		{"abc-1", time.Date(2026, 2, 16, 10, 0, 0, 0, time.UTC), false},
		{"https://example.org/b?id=7", time.Date(2026, 2, 16, 14, 30, 0, 0, time.UTC), false},
		{"https://example.org/c", time.Date(2024, 2, 16, 10, 45, 0, 0, time.UTC), false},
		{"", now, true},
		{"https://example.org/d", time.Date(2025, 11, 16, 0, 0, 0, 0, time.UTC), false},
	}
	for i, w := range want {
		it := p.Items[i]
		if w.key != "" && it.Key != w.key {
			t.Errorf("item %d key = %q, want %q", i, it.Key, w.key)
		}
		if !it.Published.Equal(w.pub) || it.PublishedGuessed != w.guessed {
			t.Errorf("item %d published = %s guessed=%v, want %s %v", i, it.Published, it.PublishedGuessed, w.pub, w.guessed)
		}
	}
	if k := p.Items[3].Key; !strings.HasPrefix(k, "h:") {
		t.Errorf("hash key %q", k)
	}
	// The hash key must not depend on the guessed (first-seen) time.
	again, _ := ParseAt([]byte(doc), "", news.Source{ID: "k"}, now.Add(time.Hour))
	if again.Items[3].Key != p.Items[3].Key {
		t.Errorf("hash key changed between polls")
	}
	if d := p.Items[3].Description; d != "Hello &amp; world" {
		t.Errorf("description = %q, want entities decoded once and tags stripped", d)
	}
}

func TestPlainText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"  a\t b \n\n\n\n c ", "a b\n\nc"},
		{"<p>One</p><p>Two&nbsp;three</p>", "One\n\nTwo three"},
		{"AT&T &amp; co", "AT&T & co"},
		{"<style>p{}</style>x<br/>y", "x\ny"},
		{"&#1605;&#1585;&#1581;&#1576;&#1575;", "مرحبا"},
	} {
		if got := plainText(tc.in); got != tc.want {
			t.Errorf("plainText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	in := "أطلقت وكالة بيت مال القدس حملة في […] The post \"بيت مال القدس\" تطلق حملة رمضان appeared first on Hespress - هسبريس."
	if got := cleanText(in); got != "أطلقت وكالة بيت مال القدس حملة في …" {
		t.Errorf("cleanText = %q", got)
	}
	if got := cleanText("Texte. L’article Titre est apparu en premier sur Site."); got != "Texte." {
		t.Errorf("cleanText fr = %q", got)
	}
}

func TestRepairMojibake(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"ActualitÃ©s : lâ€™ancien", "Actualités : l’ancien", true},
		{"Ã‰lysÃ©e Â« oui Â»", "Élysée « oui »", true},
		// Correct text is never touched, even with a real "Ã" in it.
		{"São Paulo, Ãgua, déjà", "São Paulo, Ãgua, déjà", false},
		{"mixed: é and Ã©", "mixed: é and Ã©", false},
		{"plain ascii", "plain ascii", false},
	} {
		got, ok := repairMojibake(tc.in)
		if got != tc.want || ok != tc.ok {
			t.Errorf("repairMojibake(%q) = %q, %v; want %q, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func TestCanonicalURLAndSourceID(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"HTTPS://WWW.Example.COM:443/a?utm_source=x&b=2&a=1&gclid=z#frag", "https://www.example.com/a?a=1&b=2"},
		{"http://example.com", "http://example.com/"},
		{"https://www.aljazeera.net/x?traffic_source=rss", "https://www.aljazeera.net/x"},
		{"https://ex.org/p?xtor=RSS-3&UTM_Medium=m", "https://ex.org/p"},
		{"https://ex.org/p?id=7&hpt=hp_t2&at_medium=custom&at_creation=x&xtref=y", "https://ex.org/p?id=7"},
		{"not a url", "not a url"},
	} {
		if got := CanonicalURL(tc.in); got != tc.want {
			t.Errorf("CanonicalURL(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	a := SourceID("https://Example.com/feed?utm_source=tg#x")
	if a != SourceID("https://example.com/feed") || len(a) != 13 || a[0] != 'u' {
		t.Errorf("SourceID not canonical: %q vs %q", a, SourceID("https://example.com/feed"))
	}
	if a == SourceID("https://example.com/feed2") {
		t.Error("different feeds share an id")
	}
}

func TestParseLocalizedDate(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"lundi 16 février 2024 à 14:30", time.Date(2024, 2, 16, 14, 30, 0, 0, time.UTC), true},
		{"1er août 2023", time.Date(2023, 8, 1, 0, 0, 0, 0, time.UTC), true},
		{"16 فبراير 2024", time.Date(2024, 2, 16, 0, 0, 0, 0, time.UTC), true},
		{"٣ شتنبر ٢٠٢٤ 09:05", time.Date(2024, 9, 3, 9, 5, 0, 0, time.UTC), true},
		{"12 كانون الأول 2023", time.Date(2023, 12, 12, 0, 0, 0, 0, time.UTC), true},
		{"31 février 2024", time.Time{}, false},
		{"février 2024", time.Time{}, false},
		{"", time.Time{}, false},
	} {
		got, ok := parseLocalizedDate(tc.in)
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("parseLocalizedDate(%q) = %s, %v; want %s, %v", tc.in, got, ok, tc.want, tc.ok)
		}
	}
}

func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.xml")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		// Whole files are seeds for plain go test; the fuzzing engine
		// mutates and minimizes much faster on a short prefix of each.
		f.Add(b, "text/xml")
		f.Add(b[:min(len(b), 3000)], "")
	}
	f.Add([]byte(`<html><head><link rel="alternate" type="application/rss+xml" href="//x/y"></head></html>`), "text/html")
	f.Add([]byte(`{"version":"https://jsonfeed.org/version/1.1","items":[{"id":"1","title":"x"}]}`), "application/feed+json")
	f.Fuzz(func(t *testing.T, body []byte, ct string) {
		p, err := ParseAt(body, ct, news.Source{ID: "f", URL: "https://example.org/"}, time.Unix(1700000000, 0))
		if err != nil {
			if p != nil {
				t.Fatal("result with error")
			}
			return
		}
		for _, it := range p.Items {
			if it.Key == "" {
				t.Fatal("item without key")
			}
		}
	})
}

func TestParse_UTF16WithBOM(t *testing.T) {
	doc := `<?xml version="1.0" encoding="UTF-16"?><rss version="2.0"><channel><title>ت</title><item><title>المهاجرين في أكادير</title><link>https://e.org/1</link></item></channel></rss>`
	u := []uint16{0xFEFF}
	for _, r := range doc {
		u = append(u, uint16(r)) // every rune here is in the BMP
	}
	le := make([]byte, 0, 2*len(u))
	for _, c := range u {
		le = append(le, byte(c), byte(c>>8))
	}
	p, err := Parse(le, "application/xml", news.Source{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 1 || p.Items[0].Title != "المهاجرين في أكادير" {
		t.Errorf("items %+v (encoding %s)", p.Items, p.Encoding)
	}
}

func TestRepairXML_EscapesBareAmpersandsAndRestoresLostLessThan(t *testing.T) {
	in := `<rss><channel><item><title>A & B &amp; C &#38; &eacute;</title><link>https://x.org/a?b=1&c=2//link>` +
		`<description><![CDATA[keep & this]]></description></item></channel></rss>`
	out, what := repairXML([]byte(in))
	want := `<rss><channel><item><title>A &amp; B &amp; C &#38; &eacute;</title><link>https://x.org/a?b=1&amp;c=2/</link>` +
		`<description><![CDATA[keep & this]]></description></item></channel></rss>`
	if string(out) != want {
		t.Errorf("repairXML:\n got %s\nwant %s", out, want)
	}
	if len(what) != 2 {
		t.Errorf("repairs reported: %v", what)
	}
	if _, what := repairXML([]byte(`<rss><title>fine &amp; dandy</title></rss>`)); what != nil {
		t.Errorf("clean document reported repairs %v", what)
	}
}

func TestParse_Windows1256WithoutDeclarationFromHTTPOrOverride(t *testing.T) {
	b, err := os.ReadFile("testdata/hespress-ar-windows1256-derived.xml")
	if err != nil {
		t.Fatal(err)
	}
	b = b[bytes.Index(b, []byte("?>"))+2:] // drop the declaration
	for _, tc := range []struct{ name, ct, override string }{
		{"HTTP charset", "text/xml; charset=windows-1256", ""},
		{"source override", "text/xml", "windows-1256"},
		{"override beats HTTP", "text/xml; charset=iso-8859-1", "cp1256"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Parse(b, tc.ct, news.Source{Charset: tc.override})
			if err != nil {
				t.Fatal(err)
			}
			if text := itemText(p.Items); !strings.Contains(text, "بيت مال القدس") || !strings.Contains(text, "المؤرخ عمراني") {
				t.Errorf("Arabic not decoded (encoding %s)", p.Encoding)
			}
		})
	}
}

func TestParse_UTF8BytesDeclaredLatin1AreRepaired(t *testing.T) {
	b, err := os.ReadFile("testdata/lemonde-migrants-nodecl-fr.xml")
	if err != nil {
		t.Fatal(err)
	}
	b = append([]byte(`<?xml version="1.0" encoding="ISO-8859-1"?>`+"\n"), b...)
	p, err := Parse(b, "", news.Source{})
	if err != nil {
		t.Fatal(err)
	}
	if text := itemText(p.Items); !strings.Contains(text, "Brésiliens") || strings.Contains(text, "Ã©") {
		t.Errorf("not repaired (encoding %s, repairs %v)", p.Encoding, p.Repairs)
	}
}

// A real feed in the wild declares encoding="utf-16" while its bytes are
// UTF-8 (no BOM, no NUL): the bytes are trusted, not the declaration.
func TestParse_DeclaredUTF16WithUTF8BytesTrustsTheBytes(t *testing.T) {
	b, err := os.ReadFile("testdata/hespress-ar-utf16-declared-utf8-derived.xml")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b[:80], []byte(`encoding="utf-16"`)) || bytes.IndexByte(b, 0) >= 0 {
		t.Fatal("fixture must declare utf-16 and hold no NUL byte")
	}
	for _, ct := range []string{"application/rss+xml", "text/xml; charset=utf-16"} {
		p, err := Parse(b, ct, news.Source{ID: "h"})
		if err != nil {
			t.Fatalf("%s: %v", ct, err)
		}
		if !strings.HasPrefix(p.Encoding, "utf-8") {
			t.Errorf("%s: encoding %q, want utf-8", ct, p.Encoding)
		}
		utf, _ := os.ReadFile("testdata/hespress-ar-rescraped.xml")
		q, err := Parse(utf, "", news.Source{ID: "h"})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Items) != len(q.Items) || len(p.Items) != 10 {
			t.Fatalf("%s: %d items, the UTF-8 original has %d", ct, len(p.Items), len(q.Items))
		}
		for i := range p.Items {
			if p.Items[i].Title != q.Items[i].Title {
				t.Errorf("%s: item %d: %q, want %q", ct, i, p.Items[i].Title, q.Items[i].Title)
			}
		}
	}
	// A real UTF-16 document (NULs beside its ASCII) still decodes as declared.
	doc := `<?xml version="1.0" encoding="UTF-16LE"?><rss version="2.0"><channel><title>t</title><item><title>المهاجرين</title><link>https://e.org/1</link></item></channel></rss>`
	var le []byte
	for _, r := range doc {
		le = append(le, byte(r), byte(r>>8))
	}
	p, err := Parse(le, "application/xml", news.Source{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 1 || p.Items[0].Title != "المهاجرين" {
		t.Errorf("true UTF-16LE: items %+v (encoding %s)", p.Items, p.Encoding)
	}
}
