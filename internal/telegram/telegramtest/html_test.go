package telegramtest

import (
	"errors"
	"strings"
	"testing"
)

func TestParseHTML_Valid(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"plain text", "plain text"},
		{"<b>bold</b> <strong>strong</strong> <i>i</i> <em>em</em>", "bold strong i em"},
		{"<u>u</u><ins>ins</ins><s>s</s><strike>strike</strike><del>del</del>", "uinssstrikedel"},
		{`<span class="tg-spoiler">secret</span> <tg-spoiler>hidden</tg-spoiler>`, "secret hidden"},
		{`<span class=tg-spoiler>unquoted</span>`, "unquoted"},
		{`<a href="https://example.org/?a=1&amp;b=2">link</a>`, "link"},
		{`<a href='https://example.org'>single quotes</a>`, "single quotes"},
		{`<code>x &lt; y</code> <pre><code class="language-go">go</code></pre>`, "x < y go"},
		{"<blockquote>quote</blockquote><blockquote expandable>long</blockquote>", "quotelong"},
		{`<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>`, "👍"},
		{"&lt;&gt;&amp;&quot; &#65;&#x42;&#x1F600;", `<>&" AB😀`},
		{"<B>upper</B>", "upper"},
		{"<b>nested <i>italic <u>under</u></i></b>", "nested italic under"},
		{"a > b", "a > b"},
		{"<b>نص عربي</b> — «quote»", "نص عربي — «quote»"},
		{"<b>closing shorthand</>", "closing shorthand"},
	}
	for _, tt := range tests {
		got, err := ParseHTML(tt.in)
		if err != nil {
			t.Errorf("ParseHTML(%q) error: %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("ParseHTML(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseHTML_InvalidWithTelegramErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{"Hello world <div>x</div>", `can't parse entities: Unsupported start tag "div" at byte offset 12`},
		{"<br/>", `can't parse entities: Unsupported start tag "br/" at byte offset 0`},
		{"<!-- comment -->", `can't parse entities: Unsupported start tag "!--" at byte offset 0`},
		{"a < b", `can't parse entities: Unsupported start tag "" at byte offset 2`},
		{"<b>bold", `can't parse entities: Can't find end tag corresponding to start tag "b"`},
		{"<b><i>x</b></i>", `can't parse entities: Unmatched end tag at byte offset 7, expected "</i>", found "</b>"`},
		{"x</b>", `can't parse entities: Unexpected end tag at byte offset 1`},
		{"<b>x</b", `can't parse entities: Unclosed end tag at byte offset 4`},
		{"<b", `can't parse entities: Unclosed start tag at byte offset 0`},
		{`<a href="x`, `can't parse entities: Unclosed start tag at byte offset 0`},
		{`<a href=`, `can't parse entities: Unclosed start tag "a" at byte offset 0`},
		{`<span>x</span>`, `can't parse entities: Tag "span" must have class "tg-spoiler" at byte offset 0`},
		{`<span class="bold">x</span>`, `can't parse entities: Tag "span" must have class "tg-spoiler" at byte offset 0`},
		{`<a href=ex/a>x</a>`, `can't parse entities: Unexpected end of name token at byte offset 8`},
		{`<b ="x">y</b>`, `can't parse entities: Empty attribute name in the tag "b" at byte offset 0`},
		{`<tg-emoji emoji-id="abc">x</tg-emoji>`, `can't parse entities: Invalid custom emoji identifier specified`},
		{"Tom & Jerry", `can't parse entities: Unsupported HTML entity at byte offset 4`},
		{"caf&eacute; &nbsp;", `can't parse entities: Unsupported HTML entity at byte offset 3`},
		{"&#xD800;", `can't parse entities: Unsupported HTML entity at byte offset 0`},
		{`<a href="https://e.org/?a=1&b=2">x</a>`, `can't parse entities: Unsupported HTML entity at byte offset 27`},
		{"مرحبا <p>", `can't parse entities: Unsupported start tag "p" at byte offset 11`},
	}
	for _, tt := range tests {
		_, err := ParseHTML(tt.in)
		if err == nil {
			t.Errorf("ParseHTML(%q) accepted", tt.in)
			continue
		}
		if err.Error() != tt.want {
			t.Errorf("ParseHTML(%q)\n got  %s\n want %s", tt.in, err, tt.want)
		}
	}
}

func FuzzParseHTML(f *testing.F) {
	for _, s := range []string{"<b>x</b>", "<a href=\"u\">l</a>", "&amp;&#65;", "<b><i>x</b>", "<span class=tg-spoiler>s</span>", "<"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		text, err := ParseHTML(s)
		if !strings.ContainsAny(s, "<&") {
			// Without markup characters the text passes through unchanged.
			if err != nil || text != s {
				t.Fatalf("ParseHTML(%q) = %q, %v", s, text, err)
			}
			return
		}
		if err != nil {
			var me *MarkupError
			if !errors.As(err, &me) {
				t.Fatalf("ParseHTML(%q) error %T", s, err)
			}
			return
		}
		// Tags and entities only ever shrink the text.
		if len(text) > len(s) {
			t.Fatalf("ParseHTML(%q) grew to %q", s, text)
		}
	})
}
