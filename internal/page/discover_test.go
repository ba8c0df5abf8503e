package page

import (
	"errors"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
)

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func urls(links []Link) []string {
	var out []string
	for _, l := range links {
		out = append(out, l.URL)
	}
	return out
}

func TestDiscover_FindsExactlyTheArticlesOfAnArabicListing(t *testing.T) {
	links, err := Discover(readFile(t, "2m-ar-listing.html"), "https://2m.ma/ar/news/national", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"https://2m.ma/ar/news/national/%D8%B1%D8%A6%D9%8A%D8%B3%D8%A9-%D8%A8%D8%B9%D8%AB%D8%A9-%D8%A7%D9%84%D9%85%D9%86%D8%B8%D9%85%D8%A9-%D8%A7%D9%84%D8%AF%D9%88%D9%84%D9%8A%D8%A9-%D9%84%D9%84%D9%87%D8%AC%D8%B1%D8%A9-%D8%A8%D8%A7%D9%84%D9%85%D8%BA%D8%B1%D8%A8-%D9%84%D9%80-2m-ma-%D8%A5%D8%AF%D9%85%D8%A7%D8%AC-%D8%A7%D9%84%D9%85%D9%87%D8%A7%D8%AC%D8%B1%D9%8A%D9%86-%D8%A3%D9%85%D8%B1-%D9%85%D8%B9%D9%82%D8%AF-20240216",
		"https://2m.ma/ar/news/national/%D8%A7%D9%86%D8%B7%D9%84%D8%A7%D9%82-%D8%B9%D9%85%D9%84%D9%8A%D8%A9-%D9%85%D8%B1%D8%AD%D8%A8%D8%A7-2024-%D8%A8%D9%85%D9%8A%D9%86%D8%A7%D8%A1-%D8%B7%D9%86%D8%AC%D8%A9-%D8%A7%D9%84%D9%85%D8%AA%D9%88%D8%B3%D8%B7-20240215",
		"https://2m.ma/ar/news/national/%D8%A7%D9%84%D8%AD%D9%83%D9%88%D9%85%D8%A9-%D8%AA%D8%B5%D8%A7%D8%AF%D9%82-%D8%B9%D9%84%D9%89-%D9%85%D8%B4%D8%B1%D9%88%D8%B9-%D9%82%D8%A7%D9%86%D9%88%D9%86-%D9%8A%D8%AA%D8%B9%D9%84%D9%82-%D8%A8%D8%A7%D9%84%D9%88%D9%82%D8%A7%D9%8A%D8%A9-%D8%A7%D9%84%D9%85%D8%AF%D9%86%D9%8A%D8%A9-20240215",
		"https://2m.ma/ar/news/national/%D8%AA%D8%B3%D8%A7%D9%82%D8%B7%D8%A7%D8%AA-%D8%AB%D9%84%D8%AC%D9%8A%D8%A9-%D9%85%D8%B1%D8%AA%D9%82%D8%A8%D8%A9-%D8%A8%D8%B9%D8%AF%D8%AF-%D9%85%D9%86-%D8%A3%D9%82%D8%A7%D9%84%D9%8A%D9%85-%D8%A7%D9%84%D9%85%D9%85%D9%84%D9%83%D8%A9-20240214",
		// The most-read box sits in an <aside>, but it holds articles of the
		// site's shape; the dated link in the <footer> is page chrome.
		"https://2m.ma/ar/news/sport/%D8%A7%D9%84%D9%85%D9%86%D8%AA%D8%AE%D8%A8-%D8%A7%D9%84%D9%85%D8%BA%D8%B1%D8%A8%D9%8A-%D9%8A%D8%AA%D8%A3%D9%87%D9%84-%D8%A5%D9%84%D9%89-%D9%86%D8%B5%D9%81-%D8%A7%D9%84%D9%86%D9%87%D8%A7%D8%A6%D9%8A-20240210",
		"https://2m.ma/ar/news/economie/%D8%A7%D8%B1%D8%AA%D9%81%D8%A7%D8%B9-%D8%A3%D8%B3%D8%B9%D8%A7%D8%B1-%D8%A7%D9%84%D9%85%D8%AD%D8%B1%D9%88%D9%82%D8%A7%D8%AA-%D9%81%D9%8A-%D8%A7%D9%84%D9%85%D8%BA%D8%B1%D8%A8-20240209",
	}
	if got := urls(links); !reflect.DeepEqual(got, want) {
		t.Fatalf("discovered %d links:\n%s\nwant %d:\n%s", len(got), strings.Join(got, "\n"), len(want), strings.Join(want, "\n"))
	}
	if !strings.HasPrefix(links[0].Text, "رئيسة بعثة المنظمة الدولية للهجرة بالمغرب") {
		t.Errorf("headline text = %q", links[0].Text)
	}
	if links[2].Text != "الحكومة تصادق على مشروع قانون يتعلق بالوقاية المدنية" {
		t.Errorf("the duplicate 'read more' link replaced the headline: %q", links[2].Text)
	}
}

func TestDiscover_FrenchListingWithBaseHrefAndTracking(t *testing.T) {
	links, err := Discover(readFile(t, "map-fr-listing.html"), "https://www.mapexpress.ma/fr/actualite/societe/", Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"https://www.mapexpress.ma/fr/actualite/societe/migration-loim-et-la-commune-dagadir-signent-une-convention-pour-linclusion-des-migrants/",
		"https://www.mapexpress.ma/fr/actualite/societe/operation-marhaba-2024-plus-de-3-millions-de-mre-attendus/",
		"https://www.mapexpress.ma/fr/actualite/societe/enseignement-lancement-du-programme-decole-de-la-deuxieme-chance-a-beni-mellal/",
		// The "popular" box is judged by its links, not by its class.
		"https://www.mapexpress.ma/fr/actualite/sport/can-2025-le-maroc-devoile-les-stades-retenus/",
		"https://www.mapexpress.ma/fr/actualite/economie-et-finance/le-dirham-se-deprecie-face-a-leuro/",
	}
	if got := urls(links); !reflect.DeepEqual(got, want) {
		t.Fatalf("discovered:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if links[0].Text != "Migration : l'OIM et la commune d'Agadir signent une convention pour l'inclusion des migrants" {
		t.Errorf("took the image alt instead of the longer headline: %q", links[0].Text)
	}
}

func TestDiscover_SelectorOverridesHeuristics(t *testing.T) {
	links, err := Discover(readFile(t, "map-fr-listing.html"), "https://www.mapexpress.ma/fr/actualite/societe/", Options{Selector: ".popular a"})
	if err != nil {
		t.Fatal(err)
	}
	if len(links) != 2 || !strings.Contains(links[0].URL, "can-2025") {
		t.Fatalf("selector gave %v", urls(links))
	}
	if _, err := Discover(readFile(t, "map-fr-listing.html"), "https://www.mapexpress.ma/", Options{Selector: "a[[["}); err == nil {
		t.Fatal("a broken selector must be an error, not a panic or an empty list")
	}
}

func TestDiscover_PageWithoutArticlesFails(t *testing.T) {
	body := []byte(`<html><body><nav><a href="/fr/actualite/societe/un-article-dans-le-menu-principal/">Un article dans le menu principal du site</a></nav><p>Maintenance</p></body></html>`)
	_, err := Discover(body, "https://www.mapexpress.ma/", Options{})
	if !errors.Is(err, ErrNoArticles) {
		t.Fatalf("err = %v, want ErrNoArticles", err)
	}
	if _, err := Discover(body, "/relative", Options{}); err == nil {
		t.Fatal("a relative page URL must be refused")
	}
}

func TestSameSite(t *testing.T) {
	cases := []struct {
		host, base string
		want       bool
	}{
		{"2m.ma", "www.2m.ma", true},
		{"ar.le360.ma", "fr.le360.ma", true},
		{"www.facebook.com", "2m.ma", false},
		{"news.bbc.co.uk", "www.bbc.co.uk", true},
		{"evil.co.uk", "www.bbc.co.uk", false},
	}
	for _, c := range cases {
		if got := sameSite(c.host, c.base); got != c.want {
			t.Errorf("sameSite(%q, %q) = %v, want %v", c.host, c.base, got, c.want)
		}
	}
}

func FuzzDiscover(f *testing.F) {
	f.Add([]byte(`<a href="/2024/01/02/a-b-c">Un titre assez long pour passer</a>`), "https://example.ma/")
	f.Add([]byte(`<a href="javascript:alert(1)">x</a><a href="%zz">`), "https://example.ma/x")
	f.Fuzz(func(t *testing.T, body []byte, pageURL string) {
		links, err := Discover(body, pageURL, Options{})
		if err == nil && len(links) == 0 {
			t.Fatal("no error but no links")
		}
	})
}

func TestDiscover_TrackingVariantsOfOneArticleAreOneItem(t *testing.T) {
	body := []byte(`<html><body><main>
<article><a href="https://www.example.ma:443/fr/societe/2024/02/16/les-migrants-dagadir-signent-une-convention?utm_source=home&amp;utm_medium=une#comments"><h2>Les migrants d'Agadir et la commune signent une convention</h2></a></article>
<article><a href="/fr/societe/2024/02/16/les-migrants-dagadir-signent-une-convention?xtor=AL-32280329&amp;at_medium=newsletter">Lire la suite</a></article>
<article><a href="/fr/societe/2024/02/16/les-migrants-dagadir-signent-une-convention?hpt=hp_t2">Les migrants d'Agadir</a></article>
<article><a href="/fr/societe/2024/02/15/operation-marhaba-plus-de-trois-millions-attendus"><h2>Opération Marhaba : plus de trois millions de MRE attendus</h2></a></article>
</main></body></html>`)
	items, err := Items(news.Source{ID: "ex", Kind: news.KindPage}, body, "https://www.example.ma/fr/societe/", nil, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"https://www.example.ma/fr/societe/2024/02/16/les-migrants-dagadir-signent-une-convention",
		"https://www.example.ma/fr/societe/2024/02/15/operation-marhaba-plus-de-trois-millions-attendus",
	}
	var keys []string
	for _, it := range items {
		keys = append(keys, it.Key)
		if it.Link != it.Key {
			t.Errorf("link %q is not its key %q", it.Link, it.Key)
		}
	}
	if !reflect.DeepEqual(keys, want) {
		t.Fatalf("items %q, want %q", keys, want)
	}
	if items[0].Title != "Les migrants d'Agadir et la commune signent une convention" {
		t.Errorf("title %q: the headline must win over 'Lire la suite' and the short variant", items[0].Title)
	}
}
