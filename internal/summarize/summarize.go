// Package summarize turns an article's text into MigraWatch's summary: a
// 1-3 sentence gist taken verbatim from the text and the direct quotes that
// matter, each with who said it and how sure the attribution is. It works on
// Arabic, French and English text and is pure: no I/O, no logging, safe for
// concurrent use.
//
// Quotes are found in three steps (quotes.go): the quoted spans of the text
// become quote units; a mention table lists the people, bodies, roles and
// places the article names, with every mention linked (mentions*.go); a
// small learned model (model.go, weights in model/speakers.json, trained by
// cmd/speakermodel from labelled articles) scores each candidate speaker of
// a unit, and a unit is shown only when its best speaker scores above the
// language's threshold.
package summarize

import (
	"strings"
	"unicode/utf8"

	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/textproc"
)

// Summarize gives the gist and the attributed direct quotes of an article.
// lang is "ar", "fr" or "en"; for anything else the language is detected
// from the text (English when it cannot tell).
func Summarize(title, text, lang string) news.Summary {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	switch lang {
	case news.Arabic, news.French, news.English:
	default:
		lang = textproc.DetectLanguage(title+"\n"+text, news.English)
	}
	d := newDoc(bounded(text), lang)
	qs, unconfirmed := quotes(d)
	return news.Summary{Gist: gist(title, d), Quotes: qs, UnconfirmedQuotes: unconfirmed}
}

// maxTextBytes bounds the work on one article: news articles are far
// shorter; a longer text (a whole page of listings, a book) is read up to
// a paragraph break before this size.
const maxTextBytes = 40000

func bounded(text string) string {
	if len(text) <= maxTextBytes {
		return text
	}
	cut := strings.LastIndexByte(text[:maxTextBytes], '\n')
	if cut < maxTextBytes/2 {
		cut = maxTextBytes
		for cut > 0 && !utf8.RuneStart(text[cut]) {
			cut--
		}
	}
	return text[:cut]
}
