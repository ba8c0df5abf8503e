package feed

import (
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/news"
)

// The Cercle Psy feed of the corpus has an <item> with an empty title, an
// empty link and an empty description: nothing to keep, so it is left out,
// and the parse says so for check-feed and preview.
func TestParse_SaysWhyAnEmptyItemIsLeftOut(t *testing.T) {
	b, err := os.ReadFile("testdata/cerclepsy-latin1-nodecl-fr.xml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(b, "text/xml; charset=ISO-8859-1", news.Source{ID: "c"})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(p.Skipped, "item 4 has no title, link or text") {
		t.Errorf("skipped = %q", p.Skipped)
	}
	if len(p.Items)+len(p.Skipped) != 10 {
		t.Errorf("%d items kept and %d left out of 10", len(p.Items), len(p.Skipped))
	}
	var r CheckResult
	if err := r.Describe(p, nil, 5); err != nil || !slices.Equal(r.Skipped, p.Skipped) {
		t.Errorf("check result skipped = %q, %v", r.Skipped, err)
	}
}

// An item without a title but with text is kept, titled by its first words,
// whether the text is in the summary or only in the content, and its title
// is marked as guessed.
func TestParse_UntitledItemIsKeptWithATitleFromItsText(t *testing.T) {
	feed := `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>t</title><link>https://example.org/</link>
<item><title></title><link>https://example.org/a</link><description>Des migrants secourus au large de Tarfaya par la Marine royale, selon un communiqué</description></item>
<item><title></title><link>https://example.org/b</link><content:encoded><![CDATA[<p>Les autorités ont annoncé un nouveau plan pour les mineurs non accompagnés.</p>]]></content:encoded></item>
<item><title>Un vrai titre</title><link>https://example.org/c</link><description>Le texte de l'article.</description></item>
</channel></rss>`
	p, err := ParseAt([]byte(feed), "application/rss+xml", news.Source{ID: "x"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Items) != 3 || len(p.Skipped) != 0 {
		t.Fatalf("items %d, skipped %q", len(p.Items), p.Skipped)
	}
	for i, want := range []string{"Des migrants secourus au large de Tarfaya", "Les autorités ont annoncé un nouveau plan", "Un vrai titre"} {
		if !strings.HasPrefix(p.Items[i].Title, want) {
			t.Errorf("item %d title %q, want it to start with %q", i, p.Items[i].Title, want)
		}
		// A made-up title is marked, so that title: alerts do not search it.
		if guessed := i < 2; p.Items[i].TitleGuessed != guessed {
			t.Errorf("item %d TitleGuessed = %v, want %v", i, p.Items[i].TitleGuessed, guessed)
		}
	}
}
