package bot

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/migrawatch/migrawatch/internal/alert"
	"github.com/migrawatch/migrawatch/internal/news"
)

// AlertStore is the part of the store the alert commands use (the Redis store).
type AlertStore interface {
	// AddAlert stores a (its ID set) unless the chat has max alerts
	// (then an error matching news.ErrAlertLimit); added is false when the
	// chat already had that id.
	AddAlert(ctx context.Context, a news.Alert, max int) (added bool, err error)
	RemoveAlert(ctx context.Context, chatID int64, alertID string) (removed bool, err error)
	ChatAlerts(ctx context.Context, chatID int64) ([]news.Alert, error)
	// Recent returns up to limit of the latest articles (0: all kept), newest first.
	Recent(ctx context.Context, now time.Time, limit int) ([]news.Article, error)
}

// cbAlertDel is the callback verb of a remove button of /alerts: "ar:<alert id>".
const cbAlertDel = "ar"

// testAlertShown is how many matching titles /testalert lists.
const testAlertShown = 5

// cmdAlert adds a keyword alert: the query is checked, and the answer shows
// it as the user typed it. The canonical form (alert.Query.String) only
// serves to recognize the same query written differently.
func (b *Bot) cmdAlert(ctx context.Context, r *request) error {
	query := strings.TrimSpace(r.args)
	if query == "" {
		return b.reply(ctx, r, tr(r.lang, "alert_usage"))
	}
	q, err := alert.Parse(query)
	if err != nil {
		return b.replyQueryError(ctx, r, query, err)
	}
	st := b.opts.Alerts
	existing, err := st.ChatAlerts(ctx, r.chat.ID)
	if err != nil {
		return err
	}
	canon := q.String()
	for _, a := range existing {
		if p, err := alert.Parse(a.Query); err == nil && p.String() == canon {
			return b.reply(ctx, r, tr(r.lang, "alert_exists", "query", truncate(a.Query, 300)))
		}
	}
	a := news.Alert{ID: alert.NewID(b.now()), ChatID: r.chat.ID, Query: query}
	added, err := st.AddAlert(ctx, a, alert.MaxAlertsPerChat)
	switch {
	case errors.Is(err, news.ErrAlertLimit):
		return b.reply(ctx, r, tr(r.lang, "alert_limit", "max", alert.MaxAlertsPerChat))
	case err != nil:
		return err
	case !added:
		// Two alerts in the same millisecond: the id is taken.
		return b.reply(ctx, r, tr(r.lang, "alert_retry"))
	}
	return b.reply(ctx, r, tr(r.lang, "alert_added", "query", truncate(query, 300)))
}

// replyQueryError explains a query the parser refused, in the chat's
// language, quoting the part of the query at fault.
func (b *Bot) replyQueryError(ctx context.Context, r *request, query string, err error) error {
	var pe *alert.ParseError
	if !errors.As(err, &pe) {
		return err
	}
	key := "alert_err_" + pe.Code
	if _, ok := catalog[news.English][key]; !ok {
		key = "alert_err_other"
	}
	var max int
	switch pe.Code {
	case alert.CodeTooLong:
		max = alert.MaxQueryLen
	case alert.CodeTooManyTerms:
		max = alert.MaxTerms
	case alert.CodeTooDeep:
		max = alert.MaxDepth
	case alert.CodeShortPrefix:
		max = alert.MinPrefixLen
	}
	problem := tr(r.lang, key, "near", pe.Near, "max", max, "pos", pe.Pos+1)
	return b.reply(ctx, r, tr(r.lang, "alert_bad", "problem", rawHTML(problem),
		"query", truncate(query, 300), "pos", pe.Pos+1))
}

// cmdAlerts lists the chat's alerts with a remove button for each.
func (b *Bot) cmdAlerts(ctx context.Context, r *request) error {
	return b.sendAlertList(ctx, r, "", false)
}

func (b *Bot) sendAlertList(ctx context.Context, r *request, head string, edit bool) error {
	st := b.opts.Alerts
	alerts, err := st.ChatAlerts(ctx, r.chat.ID)
	if err != nil {
		return err
	}
	var text strings.Builder
	if head != "" {
		text.WriteString(head + "\n\n")
	}
	var rows [][]news.Button
	if len(alerts) == 0 {
		text.WriteString(tr(r.lang, "alerts_none"))
	} else {
		text.WriteString(tr(r.lang, "alerts_head", "count", len(alerts), "max", alert.MaxAlertsPerChat))
		for i, a := range alerts {
			shown := a.Query // as typed: the normalized form reads as misspelled
			n := strconv.Itoa(i + 1)
			fmt.Fprintf(&text, "\n%s. <code>%s</code>", n, escapeHTML(truncate(shown, 200)))
			rows = append(rows, []news.Button{{Text: "✖️ " + n + ". " + truncate(shown, 40), Data: cbAlertDel + ":" + a.ID}})
		}
	}
	if edit {
		return b.edit(ctx, r, text.String(), rows...)
	}
	return b.reply(ctx, r, text.String(), rows...)
}

// cbAlertRemove removes the alert of a tapped button and shows the list again.
func (b *Bot) cbAlertRemove(ctx context.Context, r *request) error {
	if r.args == "" {
		return errBadCallback
	}
	st := b.opts.Alerts
	removed, err := st.RemoveAlert(ctx, r.chat.ID, r.args)
	if err != nil {
		return err
	}
	head := ""
	if removed {
		head = tr(r.lang, "alert_removed")
	}
	return b.sendAlertList(ctx, r, head, true)
}

// cmdTestAlert runs a query against the articles of the last days and says
// how many would have matched, listing the newest.
func (b *Bot) cmdTestAlert(ctx context.Context, r *request) error {
	query := strings.TrimSpace(r.args)
	if query == "" {
		return b.reply(ctx, r, tr(r.lang, "testalert_usage"))
	}
	q, err := alert.Parse(query)
	if err != nil {
		return b.replyQueryError(ctx, r, query, err)
	}
	st := b.opts.Alerts
	recent, err := st.Recent(ctx, b.now(), 0)
	if err != nil {
		return err
	}
	var (
		matched int
		lines   strings.Builder
	)
	for _, a := range recent {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if !q.Matches(alert.NewDocument(a)) {
			continue
		}
		matched++
		if matched <= testAlertShown {
			title := escapeHTML(truncate(a.Title, 120))
			if a.Link != "" {
				title = `<a href="` + escapeHTML(a.Link) + `">` + title + `</a>`
			}
			lines.WriteString("\n• " + title)
			if a.SourceName != "" {
				lines.WriteString(" — " + escapeHTML(a.SourceName))
			}
		}
	}
	text := tr(r.lang, "testalert_result", "query", truncate(query, 300), "count", matched, "total", len(recent))
	if matched > 0 {
		text += "\n" + lines.String()
	}
	return b.reply(ctx, r, text)
}

func init() {
	addTexts(map[string]map[string]string{
		news.English: {
			"cmd_alert":     "Alert me on keywords",
			"cmd_alerts":    "Your keyword alerts",
			"cmd_testalert": "Try a query on recent news",
			"alert_usage": "Send <code>/alert</code> with the words to watch for, for example:\n" +
				"<code>/alert Agadir (OIM OR IOM OR \"المنظمة الدولية للهجرة\") -football</code>\n\n" +
				"• a word matches its plural, feminine and dual forms (migrant: migrants; réfugié: réfugiées; مهاجر: المهاجرين), whatever the accents, case, Arabic spelling variants and prefixes (ال و ب ل ف ك)\n" +
				"• <code>\"word\"</code> in quotation marks: that exact form only; <code>\"exact phrase\"</code>: those words in that order\n" +
				"• <code>OR</code>, <code>-word</code> or <code>NOT word</code> to exclude, parentheses\n" +
				"• <code>migra*</code> for words that start with migra (migrant, migration, migratoire)\n" +
				"• <code>title:</code>word, <code>source:</code>hespress.com, <code>lang:</code>fr\n" +
				"• <code>speaker:Palatini</code> or <code>speaker:\"interior minister\"</code>: the articles where that person or title is quoted\n" +
				"Try a query first with /testalert; /alerts lists yours.",
			"alert_added":   "🔔 Alert saved: <code>{query}</code>\nEvery article I read that matches it will be sent here. /alerts lists your alerts.",
			"alert_exists":  "You already have this alert: <code>{query}</code>",
			"alert_limit":   "This chat already has {max|one:# alert|other:# alerts}, the most it can keep. Remove one with /alerts first.",
			"alert_retry":   "Please send the command again.",
			"alert_bad":     "❌ {problem}\n<code>{query}</code> (character {pos})",
			"alerts_none":   "You have no alerts. Add one with <code>/alert</code> and the words to watch for.",
			"alerts_head":   "🔔 <b>Your alerts</b> ({count}/{max}). Tap one to remove it.",
			"alert_removed": "Alert removed.",
			"testalert_usage": "Send <code>/testalert</code> with a query to see which news of the last three days it would have matched, " +
				"for example <code>/testalert migrants Agadir</code>.",
			"testalert_result":           "🔎 <code>{query}</code> would have matched <b>{count}</b> of {total|one:the one article|other:the # articles} of the last three days.",
			"alert_err_empty":            "The query has no word to look for.",
			"alert_err_too_long":         "The query is too long: at most {max|one:# character|other:# characters}.",
			"alert_err_too_many_terms":   "Too many words: at most {max} per alert, and «{near}» is one too many.",
			"alert_err_too_deep":         "Too many nested parentheses: at most {max|one:# level|other:# levels}.",
			"alert_err_unclosed_paren":   "A closing parenthesis is missing after «{near}».",
			"alert_err_unexpected_paren": "There is a closing parenthesis after «{near}» that closes nothing.",
			"alert_err_unclosed_quote":   "The quotation mark at character {pos} opens a phrase that is never closed: add the closing mark after the last word of the phrase.",
			"alert_err_empty_phrase":     "There is nothing between the quotation marks.",
			"alert_err_empty_group":      "There is nothing between the parentheses.",
			"alert_err_missing_operand":  "«{near}» must be followed by a word.",
			"alert_err_short_prefix":     "«{near}»: put at least {max|one:# letter|other:# letters} before the *.",
			"alert_err_bad_wildcard":     "«{near}»: the * can only end a word.",
			"alert_err_unknown_field":    "«{near}» is not something I can search: use title:, source:, lang: or speaker:.",
			"alert_err_bad_lang":         "«{near}» is not a language I read: use lang:ar, lang:fr or lang:en.",
			"alert_err_bad_source":       "«{near}» is not a source: give its id or its web address, like source:hespress.com.",
			"alert_err_negation_only":    "«{near}» only says what to leave out: add a word to look for.",
			"alert_err_other":            "I cannot read this query near «{near}».",
		},
		news.French: {
			"cmd_alert":     "Alerte sur des mots-clés",
			"cmd_alerts":    "Vos alertes",
			"cmd_testalert": "Essayer une requête sur l’actualité récente",
			"alert_usage": "Envoyez <code>/alert</code> suivi des mots à surveiller, par exemple :\n" +
				"<code>/alert Agadir (OIM OR IOM OR \"المنظمة الدولية للهجرة\") -football</code>\n\n" +
				"• un mot trouve aussi son pluriel, son féminin et son duel (réfugié : réfugiées ; migrant : migrants ; مهاجر : المهاجرين), quels que soient accents, majuscules, variantes d’écriture arabe et préfixes (ال و ب ل ف ك)\n" +
				"• <code>\"mot\"</code> entre guillemets : cette forme exacte seulement ; <code>\"expression exacte\"</code> : ces mots dans cet ordre\n" +
				"• <code>OR</code>, <code>-mot</code> ou <code>NOT mot</code> pour exclure, parenthèses\n" +
				"• <code>migra*</code> pour les mots qui commencent par migra (migrant, migration, migratoire)\n" +
				"• <code>title:</code>mot, <code>source:</code>hespress.com, <code>lang:</code>fr\n" +
				"• <code>speaker:Palatini</code> ou <code>speaker:\"ministre de l’Intérieur\"</code> : les articles où cette personne ou cette fonction est citée\n" +
				"Essayez d’abord une requête avec /testalert ; /alerts liste les vôtres.",
			"alert_added":   "🔔 Alerte enregistrée : <code>{query}</code>\nChaque article lu qui y correspond sera envoyé ici. /alerts liste vos alertes.",
			"alert_exists":  "Vous avez déjà cette alerte : <code>{query}</code>",
			"alert_limit":   "Cette discussion a déjà {max|one:# alerte|other:# alertes}, le maximum. Supprimez-en une avec /alerts.",
			"alert_retry":   "Merci de renvoyer la commande.",
			"alert_bad":     "❌ {problem}\n<code>{query}</code> (caractère {pos})",
			"alerts_none":   "Vous n’avez aucune alerte. Ajoutez-en une avec <code>/alert</code> et les mots à surveiller.",
			"alerts_head":   "🔔 <b>Vos alertes</b> ({count}/{max}). Touchez-en une pour la supprimer.",
			"alert_removed": "Alerte supprimée.",
			"testalert_usage": "Envoyez <code>/testalert</code> suivi d’une requête pour voir quels articles des trois derniers jours elle aurait trouvés, " +
				"par exemple <code>/testalert migrants Agadir</code>.",
			"testalert_result":           "🔎 <code>{query}</code> aurait trouvé {count|one:<b>#</b> article|other:<b>#</b> articles} sur {total|one:# paru|other:# parus} ces trois derniers jours.",
			"alert_err_empty":            "La requête ne contient aucun mot à chercher.",
			"alert_err_too_long":         "La requête est trop longue : {max|one:# caractère|other:# caractères} au plus.",
			"alert_err_too_many_terms":   "Trop de mots : {max} au plus par alerte, et «\u202f{near}\u202f» est de trop.",
			"alert_err_too_deep":         "Trop de parenthèses imbriquées : {max|one:# niveau|other:# niveaux} au plus.",
			"alert_err_unclosed_paren":   "Il manque une parenthèse fermante après «\u202f{near}\u202f».",
			"alert_err_unexpected_paren": "La parenthèse fermante après «\u202f{near}\u202f» ne ferme rien.",
			"alert_err_unclosed_quote":   "Le guillemet au caractère {pos} ouvre une expression qui n’est jamais fermée : ajoutez le guillemet fermant après son dernier mot.",
			"alert_err_empty_phrase":     "Il n’y a rien entre les guillemets.",
			"alert_err_empty_group":      "Il n’y a rien entre les parenthèses.",
			"alert_err_missing_operand":  "«\u202f{near}\u202f» doit être suivi d’un mot.",
			"alert_err_short_prefix":     "«\u202f{near}\u202f» : mettez au moins {max|one:# lettre|other:# lettres} avant le *.",
			"alert_err_bad_wildcard":     "«\u202f{near}\u202f» : le * ne peut que terminer un mot.",
			"alert_err_unknown_field":    "«\u202f{near}\u202f» n’est pas un critère connu : utilisez title:, source:, lang: ou speaker:.",
			"alert_err_bad_lang":         "«\u202f{near}\u202f» n’est pas une langue que je lis : lang:ar, lang:fr ou lang:en.",
			"alert_err_bad_source":       "«\u202f{near}\u202f» n’est pas une source : donnez son id ou son adresse, comme source:hespress.com.",
			"alert_err_negation_only":    "«\u202f{near}\u202f» dit seulement quoi exclure : ajoutez un mot à chercher.",
			"alert_err_other":            "Je ne comprends pas la requête vers «\u202f{near}\u202f».",
		},
		news.Arabic: {
			"cmd_alert":     "تنبيه بكلمات مفتاحية",
			"cmd_alerts":    "تنبيهاتك",
			"cmd_testalert": "جرّب بحثًا على آخر الأخبار",
			"alert_usage": "أرسل <code>/alert</code> متبوعًا بالكلمات التي تريد متابعتها، مثلًا:\n" +
				"<code>/alert أكادير (OIM OR IOM OR \"المنظمة الدولية للهجرة\") -football</code>\n\n" +
				"• تطابق الكلمة جمعها ومؤنثها ومثناها (مهاجر: المهاجرين والمهاجرات؛ قارب: القوارب؛ réfugié: réfugiées) مهما كان التشكيل وأشكال الهمزة والتاء المربوطة والسوابق (ال و ب ل ف ك)\n" +
				"• <code>\"كلمة\"</code> بين علامتي تنصيص: هذه الصيغة بعينها فقط؛ <code>\"عبارة بعينها\"</code>: هذه الكلمات بهذا الترتيب\n" +
				"• <code>OR</code> و<code>-كلمة</code> أو <code>NOT كلمة</code> للاستبعاد، والأقواس\n" +
				"• <code>مهاج*</code> للكلمات التي تبدأ بـ مهاج (مهاجر، المهاجرون، مهاجرة)\n" +
				"• <code>title:</code>كلمة و<code>source:</code>hespress.com و<code>lang:</code>ar\n" +
				"• <code>speaker:بالاتيني</code> أو <code>speaker:\"وزير الداخلية\"</code>: المقالات التي يُنقل فيها تصريح لهذا الشخص أو صاحب هذه الصفة\n" +
				"جرّب البحث أولًا بـ /testalert، و/alerts يعرض تنبيهاتك.",
			"alert_added":   "🔔 حُفظ التنبيه: <code>{query}</code>\nكل مقال أقرؤه ويطابقه سيُرسل إلى هنا. /alerts يعرض تنبيهاتك.",
			"alert_exists":  "لديك هذا التنبيه من قبل: <code>{query}</code>",
			"alert_limit":   "في هذه المحادثة {max|zero:# تنبيه|one:تنبيه واحد|two:تنبيهان|few:# تنبيهات|many:# تنبيهًا|other:# تنبيه}، وهو الحد الأقصى. احذف واحدًا عبر /alerts أولًا.",
			"alert_retry":   "من فضلك أعد إرسال الأمر.",
			"alert_bad":     "❌ {problem}\n<code>{query}</code> (الحرف {pos})",
			"alerts_none":   "ليس لديك أي تنبيه. أضف واحدًا بـ <code>/alert</code> والكلمات التي تريد متابعتها.",
			"alerts_head":   "🔔 <b>تنبيهاتك</b> ({count}/{max}). اضغط على تنبيه لحذفه.",
			"alert_removed": "حُذف التنبيه.",
			"testalert_usage": "أرسل <code>/testalert</code> متبوعًا بالبحث لترى أي أخبار الأيام الثلاثة الأخيرة كان سيطابقها، " +
				"مثلًا <code>/testalert المهاجرين أكادير</code>.",
			"testalert_result":           "🔎 <code>{query}</code> كان سيطابق <b>{count}</b> من أصل {total|zero:# مقال|one:مقال واحد|two:مقالين|few:# مقالات|many:# مقالًا|other:# مقال} في الأيام الثلاثة الأخيرة.",
			"alert_err_empty":            "لا يحتوي البحث على أي كلمة.",
			"alert_err_too_long":         "البحث طويل جدًا: {max|zero:# حرف|one:حرف واحد|two:حرفان|few:# أحرف|many:# حرفًا|other:# حرف} على الأكثر.",
			"alert_err_too_many_terms":   "كلمات كثيرة: {max} على الأكثر في التنبيه الواحد، و«{near}» زائدة.",
			"alert_err_too_deep":         "أقواس متداخلة أكثر من اللازم: {max|zero:# مستوى|one:مستوى واحد|two:مستويان|few:# مستويات|many:# مستوى|other:# مستوى} على الأكثر.",
			"alert_err_unclosed_paren":   "ينقص قوس إغلاق بعد «{near}».",
			"alert_err_unexpected_paren": "قوس الإغلاق بعد «{near}» لا يغلق شيئًا.",
			"alert_err_unclosed_quote":   "علامة التنصيص عند الحرف {pos} تفتح عبارة لم تُغلق: أضف علامة الإغلاق بعد آخر كلمة في العبارة.",
			"alert_err_empty_phrase":     "لا شيء بين علامتي التنصيص.",
			"alert_err_empty_group":      "لا شيء بين القوسين.",
			"alert_err_missing_operand":  "يجب أن تتبع «{near}» كلمة.",
			"alert_err_short_prefix":     "«{near}»: ضع {max|zero:# حرف|one:حرفًا واحدًا|two:حرفين|few:# أحرف|many:# حرفًا|other:# حرف} على الأقل قبل *.",
			"alert_err_bad_wildcard":     "«{near}»: لا تأتي * إلا في آخر الكلمة.",
			"alert_err_unknown_field":    "«{near}» ليس معيارًا معروفًا: استعمل title: أو source: أو lang: أو speaker:.",
			"alert_err_bad_lang":         "«{near}» ليست لغة أقرؤها: lang:ar أو lang:fr أو lang:en.",
			"alert_err_bad_source":       "«{near}» ليس مصدرًا: اكتب معرّفه أو عنوانه، مثل source:hespress.com.",
			"alert_err_negation_only":    "«{near}» يحدد فقط ما يُستبعد: أضف كلمة للبحث عنها.",
			"alert_err_other":            "لم أفهم البحث عند «{near}».",
		},
	})
}
