package main

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/migrawatch/migrawatch/internal/archive"
	"github.com/migrawatch/migrawatch/internal/news"
	"github.com/migrawatch/migrawatch/internal/telegram/telegramtest"
)

// outletFeed is an outlet's RSS feed whose items the test adds while the
// bot runs.
type outletFeed struct {
	*httptest.Server
	name, host string
	mu         sync.Mutex
	items      []string
}

func newOutletFeed(t *testing.T, name, host string) *outletFeed {
	t.Helper()
	f := &outletFeed{name: name, host: host}
	f.add("old", "Weather: a sunny weekend ahead in Rabat", "Temperatures will reach 24 degrees on Saturday.", time.Now().Add(-48*time.Hour))
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>%s</title><link>https://%s/</link>%s</channel></rss>`,
			html.EscapeString(f.name), f.host, strings.Join(f.items, ""))
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *outletFeed) link(slug string) string { return "https://" + f.host + "/news/" + slug }

func (f *outletFeed) add(slug, title, body string, published time.Time) {
	item := fmt.Sprintf(`<item><guid isPermaLink="false">%s</guid><title>%s</title><link>%s</link><pubDate>%s</pubDate><content:encoded>%s</content:encoded></item>`,
		slug, html.EscapeString(title), f.link(slug), published.UTC().Format(time.RFC1123Z), html.EscapeString(body))
	f.mu.Lock()
	f.items = append([]string{item}, f.items...)
	f.mu.Unlock()
}

func quotesConfig(t *testing.T, feeds ...*outletFeed) string {
	t.Helper()
	var srcs strings.Builder
	for i, f := range feeds {
		fmt.Fprintf(&srcs, "    - id: outlet%d-en\n      name: %s\n      url: %s\n      language: en\n      country: MA\n", i+1, f.name, f.URL)
	}
	cfg := fmt.Sprintf(`poll:
  default_interval: 1s
  min_interval: 1s
  max_interval: 2s
  backoff_cap: 2s
  jitter: 0
fetch:
  allow_private_addresses: true
telegram:
  long_poll_timeout: 1s
sources:
  replace: true
  add:
%s`, srcs.String())
	path := filepath.Join(t.TempDir(), "quotes.yaml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// messageWith returns the message of chat whose text holds s.
func messageWith(t *testing.T, tg *telegramtest.Server, chat int64, s string) telegramtest.SentMessage {
	t.Helper()
	for _, m := range tg.Sent(chat) {
		if strings.Contains(m.Text, s) {
			return m
		}
	}
	t.Fatalf("chat %d has no message with %q", chat, s)
	return telegramtest.SentMessage{}
}

// hrefs lists the links of a message in order.
func hrefs(m telegramtest.SentMessage) []string {
	var out []string
	for rest := m.Raw; ; {
		i := strings.Index(rest, `<a href="`)
		if i < 0 {
			return out
		}
		rest = rest[i+len(`<a href="`):]
		out = append(out, html.UnescapeString(rest[:strings.IndexByte(rest, '"')]))
	}
}

// waitMessages waits until chat has n messages and returns them.
func waitMessages(t *testing.T, tg *telegramtest.Server, chat int64, n int, logs *syncBuffer) []telegramtest.SentMessage {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	msgs, err := tg.WaitSent(ctx, chat, n)
	if err != nil {
		t.Fatalf("chat %d: %d of %d messages: %v\nlogs:\n%s", chat, len(tg.Sent(chat)), n, err, logs)
	}
	return msgs
}

// TestRun_WhoSaidWhat: three articles quoting Laura Palatini in two outlets
// and one quoting another Laura, through polling, the pipeline, delivery and
// the fake Bot API. A reader's /quotes Palatini lists the three, newest
// first, with links; the "more from" button under a delivered message
// answers with the same list; an alert on speaker:Palatini delivers the
// three and not the article that only names her.
func TestRun_WhoSaidWhat(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("end to end")
	}
	tg := telegramtest.New(t)
	mwn := newOutletFeed(t, "Morocco World News", "mwn.example")
	hes := newOutletFeed(t, "Hespress English", "hespress.example")
	st, redisURL, prefix := redisFor(t)
	ctx := context.Background()
	const (
		reader  int64 = 2001 // follows migration news
		watcher int64 = 2002 // follows nothing, has a speaker alert
	)
	for _, c := range []news.Chat{
		{ID: reader, Kind: news.ChatPrivate, UILang: "en", Topics: []string{"migration"}},
		{ID: watcher, Kind: news.ChatPrivate, UILang: "en"},
	} {
		if err := st.SaveChat(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	if err := st.SetTopics(ctx, reader, []string{"migration"}); err != nil {
		t.Fatal(err)
	}
	_, logs, stop := startBot(t, map[string]string{
		"TELEGRAM_BOT_TOKEN":      tg.Token,
		"TELEGRAM_API_ENDPOINT":   tg.Endpoint(),
		"REDIS_URL":               redisURL,
		"MIGRAWATCH_REDIS_PREFIX": prefix,
		"MIGRAWATCH_HTTP_ADDR":    "127.0.0.1:0",
		"MIGRAWATCH_CONFIG":       quotesConfig(t, mwn, hes),
	})
	defer stop()

	waitFor(t, 20*time.Second, "the first polls", func() bool {
		for _, id := range []string{"outlet1-en", "outlet2-en"} {
			state, ok, err := st.Feed(ctx, id)
			if err != nil || !ok || state.LastOK.IsZero() {
				return false
			}
		}
		return true
	}, logs)
	tg.Command(watcher, telegramtest.Bob, "/alert speaker:Palatini")
	alertSaved := waitMessages(t, tg, watcher, 1, logs)[0]
	if !strings.Contains(alertSaved.Text, "Alert saved") {
		t.Fatalf("the speaker alert was refused: %q", alertSaved.Text)
	}
	time.Sleep(500 * time.Millisecond) // the alert index follows the change

	now := time.Now()
	mwn.add("iom-agadir-plan", "IOM and Agadir sign a plan to integrate migrants",
		"The International Organization for Migration and the city of Agadir signed an agreement on Thursday to support the integration of migrants in the region.\n\n"+
			"\"Integration of migrants is a long road, and every city that welcomes them needs a plan built with local associations,\" said Laura Palatini, the IOM chief of mission in Morocco.\n\n"+
			"The project will run for three years and will fund language classes, health care and job training for migrants and refugees.",
		now.Add(-3*time.Hour))
	hes.add("souss-clinics", "Migrant workers in Souss farms get new health services",
		"Hundreds of migrant workers employed on farms in the Souss region will be able to visit mobile clinics from next month, under a programme backed by the International Organization for Migration.\n\n"+
			"\"No migrant should have to choose between a day of work and a visit to the doctor,\" Laura Palatini, IOM chief of mission, told reporters in Inezgane.\n\n"+
			"The clinics will also offer vaccinations to the families of seasonal workers.",
		now.Add(-2*time.Hour))
	hes.add("voluntary-returns", "Voluntary returns: IOM regional director visits Rabat",
		"Laura Lungarotti, the IOM regional director who worked alongside Laura Palatini for several years, met officials in Rabat on Tuesday to discuss assisted voluntary returns of migrants.\n\n"+
			"\"Voluntary returns must stay voluntary and must respect the dignity of every person who chooses to go home,\" said Laura Lungarotti.\n\n"+
			"More than 2,000 migrants returned to their countries of origin from Morocco last year with IOM support.",
		now.Add(-90*time.Minute))
	mwn.add("ceuta-crossings", "Ceuta crossings: IOM calls for a humane approach at the border",
		"After a week of attempts to swim to Ceuta, the International Organization for Migration called on all sides to protect the lives of migrants at sea and at the border fence.\n\n"+
			"\"Every crossing attempt is a human story, and the response at the border must protect lives first,\" said Laura Palatini, who heads the IOM mission in Morocco.\n\n"+
			"Moroccan authorities said they had stopped more than 300 attempts since Monday.",
		now.Add(-time.Hour))
	want := []string{mwn.link("ceuta-crossings"), hes.link("souss-clinics"), mwn.link("iom-agadir-plan")}

	news4 := waitMessages(t, tg, reader, 4, logs)
	alerted := waitMessages(t, tg, watcher, 1+3, logs)[1:]
	time.Sleep(1500 * time.Millisecond) // room for a wrongly routed fifth message
	if n := len(tg.Sent(watcher)); n != 4 {
		t.Errorf("the speaker alert delivered %d articles, want the 3 quoting Palatini", n-1)
	}
	for _, m := range alerted {
		if strings.Contains(m.Text, "Lungarotti") {
			t.Errorf("speaker:Palatini delivered the article that only names her:\n%s", m.Text)
		}
		if !strings.Contains(m.Text, "alert: speaker:Palatini") {
			t.Errorf("an alerted message does not say which alert: %q", m.Text)
		}
	}
	if len(news4) != 4 {
		t.Fatalf("the reader got %d messages, want 4", len(news4))
	}

	// /quotes Palatini: the three quotes, newest first, with their links.
	before := len(tg.Sent(reader))
	tg.Command(reader, telegramtest.Bob, "/quotes Palatini")
	list := waitMessages(t, tg, reader, before+1, logs)[before]
	if got := hrefs(list); !slices.Equal(got, want) {
		t.Fatalf("/quotes Palatini links %v, want %v\n%s", got, want, list.Text)
	}
	for _, s := range []string{"Laura Palatini · quotes: 3", "Morocco World News", "Hespress English", "IOM chief of mission in Morocco"} {
		if !strings.Contains(list.Text, s) {
			t.Errorf("the list lacks %q:\n%s", s, list.Text)
		}
	}
	if strings.Contains(list.Text, "Lungarotti") {
		t.Errorf("another Laura is mixed in:\n%s", list.Text)
	}

	// The button under a delivered message answers with the same list.
	ceuta := messageWith(t, tg, reader, "Ceuta crossings")
	id, _ := archive.Identify("Laura Palatini")
	if len(ceuta.Buttons) != 1 || ceuta.Buttons[0][0].Data != "qs:"+id.ID {
		t.Fatalf("buttons under the delivered message: %+v", ceuta.Buttons)
	}
	lungarotti := messageWith(t, tg, reader, "Voluntary returns")
	if len(lungarotti.Buttons) != 1 || !strings.Contains(lungarotti.Buttons[0][0].Text, "Lungarotti") {
		t.Errorf("buttons under the other Laura's message: %+v", lungarotti.Buttons)
	}
	before = len(tg.Sent(reader))
	tg.Callback(reader, telegramtest.Bob, ceuta.ID, "qs:"+id.ID)
	answer := waitMessages(t, tg, reader, before+1, logs)[before]
	if got := hrefs(answer); !slices.Equal(got, want) {
		t.Errorf("the button lists %v, want %v", got, want)
	}
	if answer.ReplyTo != ceuta.ID {
		t.Errorf("the answer replies to message %d, want the news message %d", answer.ReplyTo, ceuta.ID)
	}
	// Tapped again: no second message.
	tg.Callback(reader, telegramtest.Bob, ceuta.ID, "qs:"+id.ID)
	time.Sleep(time.Second)
	if n := len(tg.Sent(reader)); n != before+1 {
		t.Errorf("a second tap sent %d more messages", n-before-1)
	}
	if err := stop(); err != nil {
		t.Fatalf("run: %v", err)
	}
}
