package page

import (
	"testing"

	"github.com/migrawatch/migrawatch/internal/feed"
)

func TestCanonicalLink_ThePagesOwnAddressWhenItCanBeTheArticles(t *testing.T) {
	const page = "https://fr.example.ma/societe/article.php?id=77&utm_source=home"
	head := func(tags string) []byte {
		return []byte(`<html><head><title>t</title>` + tags + `</head><body><link rel="canonical" href="/body-link-not-read"></body></html>`)
	}
	cases := []struct {
		name, tags, want string
	}{
		{"rel canonical, tracking dropped", `<link rel="canonical" href="https://fr.example.ma/2024/02/16/convention-agadir?xtor=RSS-1#top">`,
			"https://fr.example.ma/2024/02/16/convention-agadir"},
		{"relative canonical", `<link href="/2024/02/16/convention-agadir" rel="alternate canonical">`,
			"https://fr.example.ma/2024/02/16/convention-agadir"},
		{"og:url when no canonical", `<meta property="og:url" content="https://www.example.ma/fr/convention-agadir-77">`,
			"https://www.example.ma/fr/convention-agadir-77"},
		{"canonical before og:url", `<meta property="og:url" content="https://fr.example.ma/og"><link rel="canonical" href="https://fr.example.ma/rel">`,
			"https://fr.example.ma/rel"},
		{"another site", `<link rel="canonical" href="https://syndication.example.com/convention-agadir">`, ""},
		{"the site's home", `<link rel="canonical" href="https://fr.example.ma/">`, ""},
		{"the section above the page", `<link rel="canonical" href="https://fr.example.ma/societe/">`, ""},
		{"none in the head", ``, ""},
		{"not http", `<link rel="canonical" href="javascript:void(0)">`, ""},
	}
	for _, c := range cases {
		if got := canonicalLink(head(c.tags), page, feed.CanonicalURL); got != c.want {
			t.Errorf("%s: got %q, want %q", c.name, got, c.want)
		}
	}
}
