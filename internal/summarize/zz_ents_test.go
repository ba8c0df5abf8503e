package summarize

import (
	"fmt"
	"os"
	"testing"
)

func TestZZEnts(t *testing.T) {
	sp, _ := ReadSplits("testdata")
	lang := os.Getenv("L")
	n := 0
	for _, a := range sp.Dev {
		if a.Language != lang {
			continue
		}
		art := newArticle(newDoc(a.Text, a.Language))
		for _, e := range art.mt.ents {
			if e.kind == entPerson || e.kind == entRole {
				fmt.Printf("%s %d %q role=%q speaks=%d\n", a.ID, e.kind, e.name, e.role, art.speaks[e])
				n++
			}
		}
		if n > 150 {
			break
		}
	}
}
