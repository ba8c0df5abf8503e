package bot

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/migrawatch/migrawatch/internal/news"
)

// Every text the bot sends lives in these catalogs, one per interface
// language, as Telegram HTML. Placeholders are {name}; their values are
// HTML-escaped when they are filled in unless they are rawHTML, which only
// the bot's own markup is. A test checks that every key exists in all three
// catalogs with the same placeholders.
//
// Other files of the package add their texts with addTexts from an init
// function, so a new command brings its texts along with its handler.
var catalog = map[string]map[string]string{
	news.English: {},
	news.French:  {},
	news.Arabic:  {},
}

// addTexts merges texts (language -> key -> text) into the catalogs.
func addTexts(texts map[string]map[string]string) {
	for lang, m := range texts {
		c, ok := catalog[lang]
		if !ok {
			c = map[string]string{}
			catalog[lang] = c
		}
		for k, v := range m {
			c[k] = v
		}
	}
}

// rawHTML is a placeholder value that is already Telegram HTML.
type rawHTML string

var placeholderRE = regexp.MustCompile(`\{[a-z_]+\}`)

// escapeHTML escapes text for Telegram HTML, which knows only the named
// entities &lt; &gt; &amp; and &quot; (Bot API, "HTML style").
var escapeHTML = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace

// tr returns the text for key in lang (English when lang is unknown) with its
// placeholders filled from args, given as name, value pairs.
func tr(lang, key string, args ...any) string {
	c, ok := catalog[lang]
	if !ok {
		c = catalog[news.English]
	}
	s, ok := c[key]
	if !ok {
		s, ok = catalog[news.English][key]
		if !ok {
			return key
		}
	}
	s = expandPlurals(lang, s, args)
	if len(args) == 0 {
		return s
	}
	pairs := make([]string, 0, len(args))
	for i := 0; i+1 < len(args); i += 2 {
		name, _ := args[i].(string)
		var v string
		switch x := args[i+1].(type) {
		case rawHTML:
			v = string(x)
		case string:
			v = escapeHTML(x)
		default:
			v = escapeHTML(fmt.Sprint(x))
		}
		pairs = append(pairs, "{"+name+"}", v)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

// uiLanguage picks the interface language from a Telegram language_code
// ("fr", "ar-MA", "en-US"); anything else gets English.
func uiLanguage(code string) string {
	code = strings.ToLower(code)
	for _, l := range news.Languages {
		if code == l || strings.HasPrefix(code, l+"-") || strings.HasPrefix(code, l+"_") {
			return l
		}
	}
	return news.English
}

func init() {
	addTexts(map[string]map[string]string{
		news.English: textsEN,
		news.French:  textsFR,
		news.Arabic:  textsAR,
	})
}

var textsEN = map[string]string{
	"lang_name":     "English",
	"lang_ar":       "Arabic",
	"lang_fr":       "French",
	"lang_en":       "English",
	"none":          "none",
	"quiet_none":    "none",
	"err_internal":  "Something went wrong on my side. Please try again in a moment.",
	"rate_limited":  "You are sending commands too fast. I will not answer for a minute.",
	"unknown_cmd":   "I do not know this command. /help lists what I can do.",
	"not_admin":     "Sorry, only the administrators of this group can change my settings.",
	"admin_unknown": "I could not check whether you are an administrator here. Please try again later.",
	"too_long":      "That is too long for me (at most {max|one:# character|other:# characters}).",
	"btn_expired":   "This button is no longer valid.",
	"welcome_group": "Hello! I am MigraWatch: migration news in Arabic, French and English. An administrator can send /start to choose what I post here.",

	"start_lang":        "👋 Welcome to <b>MigraWatch</b>: news about migration from Morocco and around the Mediterranean, in Arabic, French and English.\n\n<b>1/3</b> Which language should I speak?",
	"start_what":        "<b>2/3</b> What do you want to follow?\n• <b>Migration news</b>: every article about migration from all our sources.\n• <b>Chosen sources</b>: everything from the outlets you pick.",
	"btn_topic":         "🌍 Migration news",
	"btn_sources":       "📰 Chosen sources",
	"start_mode":        "<b>3/3</b> How should the news arrive?",
	"btn_instant":       "⚡ As it happens",
	"btn_digest":        "🗞 Daily digest at {time}",
	"start_done":        "✅ All set: {what}, {mode}.\nChange anything at any time; /help lists every command.",
	"start_done_topic":  "migration news",
	"start_done_source": "the sources you pick with /sources",

	"help": "<b>MigraWatch</b> sends migration news from Arabic, French and English sources: a headline, the gist and the key quotes with who said them.\n\n" +
		"<b>What to follow</b>\n/sources: our sources, tap to follow\n/subscribe &lt;address or id&gt;: follow any news feed, or a news page that has none\n/unsubscribe: stop following a feed\n/topics: follow a topic across all sources\n/export: your feeds as an OPML file; send me an OPML file to import one\n\n" +
		"<b>Keyword alerts</b>\n/alert &lt;query&gt;: be told of every article that matches, for example <code>Agadir (OIM OR IOM) -football</code>. A word also finds its plural, feminine and dual (migrant: migrants; مهاجر: المهاجرين); <code>\"word\"</code> in quotation marks finds that exact form only; <code>migra*</code> finds the words that start with migra\n/alerts: your alerts, tap to remove\n/testalert &lt;query&gt;: what a query would have matched in the last days\n\n" +
		"<b>How it arrives</b>\n/langs ar fr en: article languages\n/mode instant, or /mode digest 08:00\n/quiet 22:00-07:00, or /quiet off\n/tz Africa/Casablanca: your time zone\n/pause and /resume\n/status: settings and the health of each feed\n\n" +
		"<b>Groups and channels</b>\nIn a group, only administrators change settings.\nTo post in a channel, make me its administrator with the right to post, then send /channel @name here (or forward me a post of a private channel). /channels lists your channels: choose one and every settings command you send here applies to it, until <code>/channels done</code>.",

	"src_head":     "📰 <b>Sources in {lang}</b>, page {page}/{pages}\nTap a source to follow it or stop. ✅ = followed.",
	"src_none":     "No sources in this language yet.",
	"sub_usage":    "Send <code>/subscribe</code> with a feed address or a source id, for example <code>/subscribe https://example.org/feed</code> or <code>/subscribe {example}</code>. /sources lists our sources.",
	"sub_bad_url":  "«{url}» is not a web address I can follow. Send an address that starts with https:// or http://.",
	"sub_private":  "I will not read «{url}»: it points to a private or local network address.",
	"sub_not_feed": "«{url}» is a web page, not a news feed, and it does not point to one.",
	"sub_failed":   "I could not read a news feed at «{url}»: {reason}.",
	"sub_done":     "✅ You now follow <b>{name}</b>.",
	"sub_via_page": "✅ That page points to its news feed, and you now follow it: <b>{name}</b> ({url}).",
	"sub_already":  "You already follow <b>{name}</b>.",
	"sub_too_many": "This chat already follows {max|one:# feed|other:# feeds}, the most it can. Unsubscribe from one first.",
	"unsub_choose": "Tap a feed to stop following it:",
	"unsub_none":   "You do not follow any feed. /sources lists them.",
	"unsub_done":   "You no longer follow <b>{name}</b>.",
	"unsub_not":    "You do not follow «{arg}».",

	"reason_private":  "private or local address",
	"reason_not_feed": "not a news feed",
	"reason_bad_url":  "not a web address",
	"reason_status":   "the site answered with error {code}",
	"reason_unread":   "the site could not be read",
	"reason_too_many": "feed limit reached",

	"topics_head":     "🏷 <b>Topics</b>: the articles of every source that are about a topic. Tap to follow or stop.",
	"topic_migration": "Migration",

	"langs_show": "Article languages: {langs}.\nChange with <code>/langs ar fr en</code> (any of them) or <code>/langs all</code>.",
	"langs_bad":  "«{arg}» is not a language I know. Use ar, fr or en.",
	"langs_done": "✅ Article languages: {langs}.",
	"langs_all":  "all",

	"mode_instant": "as it happens",
	"mode_digest":  "a daily digest at {time}",
	"mode_show":    "Delivery: {mode}.\nChange with <code>/mode instant</code> or <code>/mode digest 08:00</code>.",
	"mode_bad":     "I did not understand «{arg}». Use <code>/mode instant</code> or <code>/mode digest HH:MM</code>, for example <code>/mode digest 08:00</code>.",
	"mode_done":    "✅ Delivery: {mode}.",

	"quiet_show": "Quiet hours: {quiet}.\nDuring quiet hours news waits until they end. Set with <code>/quiet 22:00-07:00</code>, remove with <code>/quiet off</code>.",
	"quiet_bad":  "I did not understand «{arg}». Use <code>/quiet 22:00-07:00</code> or <code>/quiet off</code>.",
	"quiet_done": "✅ Quiet hours: {quiet}.",
	"quiet_off":  "✅ No quiet hours any more.",

	"tz_show": "Time zone: {tz}.\nChange with an IANA name, for example <code>/tz Africa/Casablanca</code> or <code>/tz Europe/Paris</code>.",
	"tz_bad":  "«{arg}» is not a time zone I know. Use an IANA name such as <code>Africa/Casablanca</code>, <code>Europe/Madrid</code> or <code>UTC</code>.",
	"tz_done": "✅ Time zone: {tz} (it is {now} there now).",

	"pause_done":     "⏸ Paused. Nothing will be sent until /resume, and the news published in the meantime will be skipped, not sent later.",
	"pause_already":  "Already paused. /resume starts again.",
	"resume_done":    "▶️ Resumed. The news published during the pause was skipped; new articles will reach you as they appear.",
	"resume_already": "Not paused: news is on its way.",

	"status_head":       "📊 <b>{chat}</b>",
	"status_settings":   "Delivery: {mode}\nArticle languages: {langs}\nTopics: {topics}\nTime zone: {tz}\nQuiet hours: {quiet}",
	"status_active":     "▶️ Active",
	"status_paused":     "⏸ Paused (/resume)",
	"status_gone":       "⚠️ I cannot post in this chat any more",
	"status_feeds":      "<b>Feeds</b> ({n})",
	"status_no_feeds":   "No feeds. /sources to add some.",
	"status_by_topic":   "No feed of its own: this chat follows {topics} across all our sources. /sources adds feeds.",
	"status_chat_id":    "Chat id: <code>{id}</code>",
	"status_feed_ok":    "✅ {name}: read {when}",
	"status_feed_never": "⏳ {name}: not read yet",
	"status_feed_fail":  "⚠️ {name}: {errors|one:# failure|other:# failures in a row} ({error})",
	"status_last_sent":  "Last message sent: {when}",
	"status_never_sent": "Nothing sent yet.",

	"export_none":     "There are no feeds to export yet.",
	"export_caption":  "{n|one:# feed|other:# feeds} as OPML. Send this file to MigraWatch (or another reader) to import {n|one:it|other:them}.",
	"import_too_big":  "That file is too big: at most {max} KB.",
	"import_bad":      "I could not read that file as OPML: {reason}.",
	"import_empty":    "That OPML file lists no feeds.",
	"import_checking": "Checking {n|one:# feed|other:# feeds}…",
	"import_summary":  "📥 Import done: {added} added, {already} already followed, {failed} failed.",
	"import_skipped":  "Only the first {max|one:feed was|other:# feeds were} read.",
	"import_not_opml": "To import feeds, send an OPML file (.opml or .xml).",

	"channel_usage":       "To post in a channel: add me to it as an administrator allowed to post messages, then send <code>/channel @channelname</code> here. For a private channel, forward me one of its posts.",
	"channel_private":     "Channels are linked from a private chat with me.",
	"channel_not_found":   "I cannot find the channel «{arg}». Check the name, and that I am a member of it.",
	"channel_not_chan":    "«{arg}» is not a channel.",
	"channel_not_admin":   "You are not an administrator of <b>{title}</b>, so you cannot link it.",
	"channel_cannot_post": "I cannot post in <b>{title}</b>. Make me an administrator with the right to post messages, then try again.",
	"channel_linked":      "✅ <b>{title}</b> is linked and will receive migration news.\nYou are now editing its settings: /sources, /subscribe, /topics, /langs, /mode and the rest apply to it until <code>/channels done</code>.",
	"channels_none":       "You have not linked any channel. /channel explains how.",
	"channels_head":       "📣 <b>Your channels</b>\nChoose one to edit its settings here, or unlink it.",
	"channels_editing":    "Now editing: <b>{title}</b>",
	"channels_done":       "Back to the settings of this chat.",
	"channel_unlinked":    "<b>{title}</b> is unlinked: I will not post there any more.",
	"target_head":         "📣 Settings of <b>{title}</b>",
	"btn_unlink":          "✖️ Unlink",
	"btn_done":            "✔️ Done",

	"cmd_start":       "Start and choose what to follow",
	"cmd_help":        "All commands",
	"cmd_sources":     "Our sources, tap to follow",
	"cmd_subscribe":   "Follow a news feed by address",
	"cmd_unsubscribe": "Stop following a feed",
	"cmd_topics":      "Follow a topic across sources",
	"cmd_langs":       "Article languages",
	"cmd_mode":        "Instant or daily digest",
	"cmd_quiet":       "Quiet hours",
	"cmd_tz":          "Time zone",
	"cmd_pause":       "Pause delivery",
	"cmd_resume":      "Resume delivery",
	"cmd_status":      "Settings and feed health",
	"cmd_export":      "Export feeds as OPML",
	"cmd_channel":     "Link a channel",
	"cmd_channels":    "Your channels",
}

var textsFR = map[string]string{
	"lang_name":     "français",
	"lang_ar":       "arabe",
	"lang_fr":       "français",
	"lang_en":       "anglais",
	"none":          "aucun",
	"quiet_none":    "aucune",
	"err_internal":  "Un problème est survenu de mon côté. Réessayez dans un instant.",
	"rate_limited":  "Vous envoyez des commandes trop vite. Je ne répondrai plus pendant une minute.",
	"unknown_cmd":   "Je ne connais pas cette commande. /help liste ce que je sais faire.",
	"not_admin":     "Désolé, seuls les administrateurs de ce groupe peuvent modifier mes réglages.",
	"admin_unknown": "Je n’ai pas pu vérifier si vous êtes administrateur ici. Réessayez plus tard.",
	"too_long":      "C’est trop long pour moi ({max|one:# caractère|other:# caractères} au plus).",
	"btn_expired":   "Ce bouton n’est plus valable.",
	"welcome_group": "Bonjour ! Je suis MigraWatch : l’actualité des migrations en arabe, en français et en anglais. Un administrateur peut envoyer /start pour choisir ce que je publie ici.",

	"start_lang":        "👋 Bienvenue sur <b>MigraWatch</b> : l’actualité des migrations au Maroc et autour de la Méditerranée, en arabe, en français et en anglais.\n\n<b>1/3</b> Dans quelle langue dois-je vous parler ?",
	"start_what":        "<b>2/3</b> Que voulez-vous suivre ?\n• <b>L’actualité des migrations</b> : tous les articles sur les migrations, de toutes nos sources.\n• <b>Des sources choisies</b> : tout ce que publient les médias que vous choisissez.",
	"btn_topic":         "🌍 Actualité des migrations",
	"btn_sources":       "📰 Sources choisies",
	"start_mode":        "<b>3/3</b> Comment recevoir l’actualité ?",
	"btn_instant":       "⚡ Au fil de l’eau",
	"btn_digest":        "🗞 Résumé quotidien à {time}",
	"start_done":        "✅ C’est prêt : {what}, {mode}.\nTout se modifie à tout moment ; /help liste les commandes.",
	"start_done_topic":  "l’actualité des migrations",
	"start_done_source": "les sources choisies avec /sources",

	"help": "<b>MigraWatch</b> envoie l’actualité des migrations de sources arabes, françaises et anglaises : le titre, l’essentiel et les citations clés avec leurs auteurs.\n\n" +
		"<b>Que suivre</b>\n/sources : nos sources, touchez pour suivre\n/subscribe &lt;adresse ou id&gt; : suivre n’importe quel flux, ou une page d’actualités qui n’en a pas\n/unsubscribe : ne plus suivre un flux\n/topics : suivre un thème dans toutes les sources\n/export : vos flux en fichier OPML ; envoyez-moi un fichier OPML pour l’importer\n\n" +
		"<b>Alertes par mots-clés</b>\n/alert &lt;requête&gt; : être prévenu de chaque article qui y répond, par exemple <code>Agadir (OIM OR IOM) -football</code>. Un mot trouve aussi son pluriel, son féminin et son duel (réfugié : réfugiées ; مهاجر : المهاجرين) ; <code>\"mot\"</code> entre guillemets ne trouve que cette forme exacte ; <code>migra*</code> trouve les mots qui commencent par migra\n/alerts : vos alertes, touchez pour en retirer\n/testalert &lt;requête&gt; : ce qu’une requête aurait trouvé ces derniers jours\n\n" +
		"<b>Comment le recevoir</b>\n/langs ar fr en : langues des articles\n/mode instant, ou /mode digest 08:00\n/quiet 22:00-07:00, ou /quiet off\n/tz Africa/Casablanca : votre fuseau horaire\n/pause et /resume\n/status : réglages et état de chaque flux\n\n" +
		"<b>Groupes et canaux</b>\nDans un groupe, seuls les administrateurs modifient les réglages.\nPour publier dans un canal, nommez-moi administrateur avec le droit de publier, puis envoyez ici /channel @nom (ou transférez-moi un message d’un canal privé). /channels liste vos canaux : choisissez-en un et chaque commande de réglage envoyée ici s’y applique, jusqu’à <code>/channels done</code>.",

	"src_head":     "📰 <b>Sources en {lang}</b>, page {page}/{pages}\nTouchez une source pour la suivre ou non. ✅ = suivie.",
	"src_none":     "Pas encore de source dans cette langue.",
	"sub_usage":    "Envoyez <code>/subscribe</code> suivi de l’adresse d’un flux ou de l’id d’une source, par exemple <code>/subscribe https://example.org/feed</code> ou <code>/subscribe {example}</code>. /sources liste nos sources.",
	"sub_bad_url":  "«\u202f{url}\u202f» n’est pas une adresse web que je peux suivre. Envoyez une adresse commençant par https:// ou http://.",
	"sub_private":  "Je ne lirai pas «\u202f{url}\u202f» : elle pointe vers une adresse de réseau privé ou local.",
	"sub_not_feed": "«\u202f{url}\u202f» est une page web, pas un flux d’actualité, et elle n’en indique aucun.",
	"sub_failed":   "Je n’ai pas pu lire de flux à «\u202f{url}\u202f» : {reason}.",
	"sub_done":     "✅ Vous suivez désormais <b>{name}</b>.",
	"sub_via_page": "✅ Cette page indique son flux, que vous suivez désormais : <b>{name}</b> ({url}).",
	"sub_already":  "Vous suivez déjà <b>{name}</b>.",
	"sub_too_many": "Cette discussion suit déjà {max} flux, le maximum. Désabonnez-vous d’abord d’un flux.",
	"unsub_choose": "Touchez un flux pour ne plus le suivre :",
	"unsub_none":   "Vous ne suivez aucun flux. /sources les liste.",
	"unsub_done":   "Vous ne suivez plus <b>{name}</b>.",
	"unsub_not":    "Vous ne suivez pas «\u202f{arg}\u202f».",

	"reason_private":  "adresse privée ou locale",
	"reason_not_feed": "ce n’est pas un flux d’actualité",
	"reason_bad_url":  "ce n’est pas une adresse web",
	"reason_status":   "le site a répondu par l’erreur {code}",
	"reason_unread":   "le site n’a pas pu être lu",
	"reason_too_many": "nombre maximal de flux atteint",

	"topics_head":     "🏷 <b>Thèmes</b> : les articles de toutes les sources qui traitent d’un thème. Touchez pour suivre ou non.",
	"topic_migration": "Migrations",

	"langs_show": "Langues des articles : {langs}.\nModifiez avec <code>/langs ar fr en</code> (au choix) ou <code>/langs all</code>.",
	"langs_bad":  "«\u202f{arg}\u202f» n’est pas une langue que je connais. Utilisez ar, fr ou en.",
	"langs_done": "✅ Langues des articles : {langs}.",
	"langs_all":  "toutes",

	"mode_instant": "au fil de l’eau",
	"mode_digest":  "un résumé quotidien à {time}",
	"mode_show":    "Envoi : {mode}.\nModifiez avec <code>/mode instant</code> ou <code>/mode digest 08:00</code>.",
	"mode_bad":     "Je n’ai pas compris «\u202f{arg}\u202f». Utilisez <code>/mode instant</code> ou <code>/mode digest HH:MM</code>, par exemple <code>/mode digest 08:00</code>.",
	"mode_done":    "✅ Envoi : {mode}.",

	"quiet_show": "Heures calmes : {quiet}.\nPendant les heures calmes, l’actualité attend leur fin. Réglez avec <code>/quiet 22:00-07:00</code>, supprimez avec <code>/quiet off</code>.",
	"quiet_bad":  "Je n’ai pas compris «\u202f{arg}\u202f». Utilisez <code>/quiet 22:00-07:00</code> ou <code>/quiet off</code>.",
	"quiet_done": "✅ Heures calmes : {quiet}.",
	"quiet_off":  "✅ Plus d’heures calmes.",

	"tz_show": "Fuseau horaire : {tz}.\nModifiez avec un nom IANA, par exemple <code>/tz Africa/Casablanca</code> ou <code>/tz Europe/Paris</code>.",
	"tz_bad":  "«\u202f{arg}\u202f» n’est pas un fuseau horaire que je connais. Utilisez un nom IANA comme <code>Africa/Casablanca</code>, <code>Europe/Madrid</code> ou <code>UTC</code>.",
	"tz_done": "✅ Fuseau horaire : {tz} (il y est {now}).",

	"pause_done":     "⏸ En pause. Rien ne sera envoyé avant /resume, et l’actualité publiée entre-temps sera sautée, pas envoyée plus tard.",
	"pause_already":  "Déjà en pause. /resume pour reprendre.",
	"resume_done":    "▶️ C’est reparti. L’actualité publiée pendant la pause a été sautée ; les nouveaux articles vous parviendront dès leur parution.",
	"resume_already": "Pas en pause : l’actualité arrive.",

	"status_head":       "📊 <b>{chat}</b>",
	"status_settings":   "Envoi : {mode}\nLangues des articles : {langs}\nThèmes : {topics}\nFuseau horaire : {tz}\nHeures calmes : {quiet}",
	"status_active":     "▶️ Actif",
	"status_paused":     "⏸ En pause (/resume)",
	"status_gone":       "⚠️ Je ne peux plus publier dans cette discussion",
	"status_feeds":      "<b>Flux</b> ({n})",
	"status_no_feeds":   "Aucun flux. /sources pour en ajouter.",
	"status_by_topic":   "Aucun flux en propre : cette discussion suit {topics} dans toutes nos sources. /sources pour ajouter des flux.",
	"status_chat_id":    "Identifiant de la discussion : <code>{id}</code>",
	"status_feed_ok":    "✅ {name} : lu {when}",
	"status_feed_never": "⏳ {name} : pas encore lu",
	"status_feed_fail":  "⚠️ {name} : {errors|one:# échec|other:# échecs de suite} ({error})",
	"status_last_sent":  "Dernier message envoyé : {when}",
	"status_never_sent": "Rien d’envoyé pour l’instant.",

	"export_none":     "Aucun flux à exporter pour l’instant.",
	"export_caption":  "{n} flux au format OPML. Envoyez ce fichier à MigraWatch (ou à un autre lecteur) pour {n|one:l’importer|other:les importer}.",
	"import_too_big":  "Ce fichier est trop gros : {max} Ko au plus.",
	"import_bad":      "Je n’ai pas pu lire ce fichier comme de l’OPML : {reason}.",
	"import_empty":    "Ce fichier OPML ne contient aucun flux.",
	"import_checking": "Vérification de {n} flux…",
	"import_summary":  "📥 Import terminé : {added|one:# ajouté|other:# ajoutés}, {already|one:# déjà suivi|other:# déjà suivis}, {failed} en échec.",
	"import_skipped":  "{max|one:Seul le premier flux a été lu|other:Seuls les # premiers flux ont été lus}.",
	"import_not_opml": "Pour importer des flux, envoyez un fichier OPML (.opml ou .xml).",

	"channel_usage":       "Pour publier dans un canal : ajoutez-moi comme administrateur avec le droit de publier, puis envoyez ici <code>/channel @nomducanal</code>. Pour un canal privé, transférez-moi un de ses messages.",
	"channel_private":     "Les canaux se lient depuis une discussion privée avec moi.",
	"channel_not_found":   "Je ne trouve pas le canal «\u202f{arg}\u202f». Vérifiez le nom, et que j’en suis membre.",
	"channel_not_chan":    "«\u202f{arg}\u202f» n’est pas un canal.",
	"channel_not_admin":   "Vous n’êtes pas administrateur de <b>{title}</b> : vous ne pouvez pas le lier.",
	"channel_cannot_post": "Je ne peux pas publier dans <b>{title}</b>. Nommez-moi administrateur avec le droit de publier, puis réessayez.",
	"channel_linked":      "✅ <b>{title}</b> est lié et recevra l’actualité des migrations.\nVous modifiez maintenant ses réglages : /sources, /subscribe, /topics, /langs, /mode et les autres s’y appliquent jusqu’à <code>/channels done</code>.",
	"channels_none":       "Vous n’avez lié aucun canal. /channel explique comment faire.",
	"channels_head":       "📣 <b>Vos canaux</b>\nChoisissez-en un pour modifier ses réglages ici, ou déliez-le.",
	"channels_editing":    "Réglages en cours : <b>{title}</b>",
	"channels_done":       "Retour aux réglages de cette discussion.",
	"channel_unlinked":    "<b>{title}</b> est délié : je n’y publierai plus.",
	"target_head":         "📣 Réglages de <b>{title}</b>",
	"btn_unlink":          "✖️ Délier",
	"btn_done":            "✔️ Terminé",

	"cmd_start":       "Démarrer et choisir quoi suivre",
	"cmd_help":        "Toutes les commandes",
	"cmd_sources":     "Nos sources, touchez pour suivre",
	"cmd_subscribe":   "Suivre un flux par son adresse",
	"cmd_unsubscribe": "Ne plus suivre un flux",
	"cmd_topics":      "Suivre un thème dans les sources",
	"cmd_langs":       "Langues des articles",
	"cmd_mode":        "Au fil de l’eau ou résumé quotidien",
	"cmd_quiet":       "Heures calmes",
	"cmd_tz":          "Fuseau horaire",
	"cmd_pause":       "Mettre en pause",
	"cmd_resume":      "Reprendre",
	"cmd_status":      "Réglages et état des flux",
	"cmd_export":      "Exporter les flux en OPML",
	"cmd_channel":     "Lier un canal",
	"cmd_channels":    "Vos canaux",
}

var textsAR = map[string]string{
	"lang_name":     "العربية",
	"lang_ar":       "العربية",
	"lang_fr":       "الفرنسية",
	"lang_en":       "الإنجليزية",
	"none":          "لا شيء",
	"quiet_none":    "لا توجد",
	"err_internal":  "حدث خطأ من جهتي. يرجى المحاولة بعد قليل.",
	"rate_limited":  "أنت ترسل الأوامر بسرعة كبيرة. لن أجيب لمدة دقيقة.",
	"unknown_cmd":   "لا أعرف هذا الأمر. ‏/help يعرض ما أستطيع فعله.",
	"not_admin":     "عذرًا، وحدهم مشرفو هذه المجموعة يمكنهم تغيير إعداداتي.",
	"admin_unknown": "لم أتمكن من التحقق مما إذا كنت مشرفًا هنا. يرجى المحاولة لاحقًا.",
	"too_long":      "هذا طويل جدًا (الحد الأقصى {max|zero:# حرف|one:حرف واحد|two:حرفان|few:# أحرف|many:# حرفًا|other:# حرف}).",
	"btn_expired":   "هذا الزر لم يعد صالحًا.",
	"welcome_group": "مرحبًا! أنا MigraWatch: أخبار الهجرة بالعربية والفرنسية والإنجليزية. يمكن لأحد المشرفين إرسال ‎/start لاختيار ما أنشره هنا.",

	"start_lang":        "👋 مرحبًا بك في <b>MigraWatch</b>: أخبار الهجرة من المغرب ومنطقة البحر الأبيض المتوسط، بالعربية والفرنسية والإنجليزية.\n\n<b>1/3</b> بأي لغة أخاطبك؟",
	"start_what":        "<b>2/3</b> ماذا تريد أن تتابع؟\n• <b>أخبار الهجرة</b>: كل مقال عن الهجرة من جميع مصادرنا.\n• <b>مصادر مختارة</b>: كل ما تنشره المنابر التي تختارها.",
	"btn_topic":         "🌍 أخبار الهجرة",
	"btn_sources":       "📰 مصادر مختارة",
	"start_mode":        "<b>3/3</b> كيف تصلك الأخبار؟",
	"btn_instant":       "⚡ فور نشرها",
	"btn_digest":        "🗞 ملخص يومي على الساعة {time}",
	"start_done":        "✅ كل شيء جاهز: {what}، {mode}.\nيمكنك تغيير أي شيء في أي وقت؛ ‎/help يعرض كل الأوامر.",
	"start_done_topic":  "أخبار الهجرة",
	"start_done_source": "المصادر التي تختارها عبر ‎/sources",

	"help": "يرسل <b>MigraWatch</b> أخبار الهجرة من مصادر عربية وفرنسية وإنجليزية: العنوان والخلاصة وأهم التصريحات مع أصحابها.\n\n" +
		"<b>ماذا تتابع</b>\n‎/sources: مصادرنا، اضغط للمتابعة\n‎/subscribe &lt;رابط أو معرّف&gt;: متابعة أي موجز أخبار، أو صفحة أخبار بلا موجز\n‎/unsubscribe: إيقاف متابعة موجز\n‎/topics: متابعة موضوع في كل المصادر\n‎/export: موجزاتك في ملف OPML؛ أرسل لي ملف OPML لاستيراده\n\n" +
		"<b>التنبيهات بالكلمات المفتاحية</b>\n‎/alert &lt;استعلام&gt;: تنبيه بكل مقال يطابقه، مثلًا <code>أكادير (OIM OR IOM) -football</code>. تطابق الكلمة أيضًا جمعها ومؤنثها ومثناها (مهاجر: المهاجرين؛ قارب: القوارب)؛ و<code>\"كلمة\"</code> بين علامتي تنصيص تطابق هذه الصيغة بعينها فقط؛ و<code>مهاج*</code> تطابق الكلمات التي تبدأ بـ مهاج\n‎/alerts: تنبيهاتك، اضغط للحذف\n‎/testalert &lt;استعلام&gt;: ما كان الاستعلام سيطابقه في الأيام الأخيرة\n\n" +
		"<b>كيف تصلك</b>\n‎/langs ar fr en: لغات المقالات\n‎/mode instant أو ‎/mode digest 08:00\n‎/quiet 22:00-07:00 أو ‎/quiet off\n‎/tz Africa/Casablanca: منطقتك الزمنية\n‎/pause و‎/resume\n‎/status: الإعدادات وحالة كل موجز\n\n" +
		"<b>المجموعات والقنوات</b>\nفي المجموعة، وحدهم المشرفون يغيّرون الإعدادات.\nللنشر في قناة، اجعلني مشرفًا فيها مع صلاحية النشر، ثم أرسل هنا ‎/channel @name (أو أعد توجيه منشور من قناة خاصة). ‎/channels يعرض قنواتك: اختر واحدة وسيطبَّق عليها كل أمر إعدادات ترسله هنا، إلى أن ترسل <code>/channels done</code>.",

	"src_head":     "📰 <b>المصادر باللغة {lang}</b>، الصفحة {page}/{pages}\nاضغط على مصدر لمتابعته أو إيقافه. ✅ = متابَع.",
	"src_none":     "لا توجد مصادر بهذه اللغة بعد.",
	"sub_usage":    "أرسل <code>/subscribe</code> متبوعًا برابط موجز أو معرّف مصدر، مثلًا <code>/subscribe https://example.org/feed</code> أو <code>/subscribe {example}</code>. ‎/sources يعرض مصادرنا.",
	"sub_bad_url":  "«{url}» ليس رابطًا أستطيع متابعته. أرسل رابطًا يبدأ بـ https://‎ أو http://‎.",
	"sub_private":  "لن أقرأ «{url}»: إنه يشير إلى عنوان شبكة خاصة أو محلية.",
	"sub_not_feed": "«{url}» صفحة ويب وليس موجز أخبار، ولا تشير إلى أي موجز.",
	"sub_failed":   "لم أتمكن من قراءة موجز أخبار على «{url}»: {reason}.",
	"sub_done":     "✅ أصبحت تتابع <b>{name}</b>.",
	"sub_via_page": "✅ هذه الصفحة تشير إلى موجز أخبارها، وأصبحت تتابعه: <b>{name}</b> ({url}).",
	"sub_already":  "أنت تتابع <b>{name}</b> مسبقًا.",
	"sub_too_many": "هذه المحادثة تتابع {max|zero:# موجز|one:موجزًا واحدًا|two:موجزين|few:# موجزات|many:# موجزًا|other:# موجز}، وهو الحد الأقصى. ألغِ متابعة أحدها أولًا.",
	"unsub_choose": "اضغط على موجز لإيقاف متابعته:",
	"unsub_none":   "أنت لا تتابع أي موجز. ‏/sources يعرضها.",
	"unsub_done":   "لم تعد تتابع <b>{name}</b>.",
	"unsub_not":    "أنت لا تتابع «{arg}».",

	"reason_private":  "عنوان خاص أو محلي",
	"reason_not_feed": "ليس موجز أخبار",
	"reason_bad_url":  "ليس رابط ويب",
	"reason_status":   "أجاب الموقع بالخطأ {code}",
	"reason_unread":   "تعذرت قراءة الموقع",
	"reason_too_many": "تم بلوغ الحد الأقصى للموجزات",

	"topics_head":     "🏷 <b>المواضيع</b>: مقالات كل المصادر التي تتناول موضوعًا ما. اضغط للمتابعة أو الإيقاف.",
	"topic_migration": "الهجرة",

	"langs_show": "لغات المقالات: {langs}.\nللتغيير: <code>/langs ar fr en</code> (أيها شئت) أو <code>/langs all</code>.",
	"langs_bad":  "«{arg}» ليست لغة أعرفها. استعمل ar أو fr أو en.",
	"langs_done": "✅ لغات المقالات: {langs}.",
	"langs_all":  "كل اللغات",

	"mode_instant": "فور نشرها",
	"mode_digest":  "ملخص يومي على الساعة {time}",
	"mode_show":    "طريقة الإرسال: {mode}.\nللتغيير: <code>/mode instant</code> أو <code>/mode digest 08:00</code>.",
	"mode_bad":     "لم أفهم «{arg}». استعمل <code>/mode instant</code> أو <code>/mode digest HH:MM</code>، مثلًا <code>/mode digest 08:00</code>.",
	"mode_done":    "✅ طريقة الإرسال: {mode}.",

	"quiet_show": "ساعات الهدوء: {quiet}.\nخلال ساعات الهدوء تنتظر الأخبار حتى نهايتها. للضبط: <code>/quiet 22:00-07:00</code>، وللإلغاء: <code>/quiet off</code>.",
	"quiet_bad":  "لم أفهم «{arg}». استعمل <code>/quiet 22:00-07:00</code> أو <code>/quiet off</code>.",
	"quiet_done": "✅ ساعات الهدوء: {quiet}.",
	"quiet_off":  "✅ لم تعد هناك ساعات هدوء.",

	"tz_show": "المنطقة الزمنية: {tz}.\nللتغيير استعمل اسمًا من قاعدة IANA، مثلًا <code>/tz Africa/Casablanca</code> أو <code>/tz Europe/Paris</code>.",
	"tz_bad":  "«{arg}» ليست منطقة زمنية أعرفها. استعمل اسمًا من قاعدة IANA مثل <code>Africa/Casablanca</code> أو <code>Europe/Madrid</code> أو <code>UTC</code>.",
	"tz_done": "✅ المنطقة الزمنية: {tz} (الساعة هناك الآن {now}).",

	"pause_done":     "⏸ تم الإيقاف المؤقت. لن يُرسل شيء حتى ‎/resume، وستُتجاوز الأخبار المنشورة في الأثناء ولن تُرسل لاحقًا.",
	"pause_already":  "الإرسال موقوف مسبقًا. ‏/resume للاستئناف.",
	"resume_done":    "▶️ تم الاستئناف. تُجووزت الأخبار المنشورة أثناء التوقف، وستصلك المقالات الجديدة فور نشرها.",
	"resume_already": "الإرسال غير موقوف: الأخبار في الطريق.",

	"status_head":       "📊 <b>{chat}</b>",
	"status_settings":   "طريقة الإرسال: {mode}\nلغات المقالات: {langs}\nالمواضيع: {topics}\nالمنطقة الزمنية: {tz}\nساعات الهدوء: {quiet}",
	"status_active":     "▶️ نشط",
	"status_paused":     "⏸ موقوف مؤقتًا (‎/resume)",
	"status_gone":       "⚠️ لم أعد أستطيع النشر في هذه المحادثة",
	"status_feeds":      "<b>الموجزات</b> ({n})",
	"status_no_feeds":   "لا توجد موجزات. ‏/sources لإضافتها.",
	"status_by_topic":   "لا موجزات خاصة بهذه المحادثة: إنها تتابع {topics} في كل مصادرنا. ‏/sources لإضافة موجزات.",
	"status_chat_id":    "معرّف المحادثة: <code>{id}</code>",
	"status_feed_ok":    "✅ {name}: قُرئ {when}",
	"status_feed_never": "⏳ {name}: لم يُقرأ بعد",
	"status_feed_fail":  "⚠️ {name}: {errors|zero:# محاولة فاشلة|one:محاولة فاشلة واحدة|two:محاولتان فاشلتان متتاليتان|few:# محاولات فاشلة متتالية|many:# محاولة فاشلة متتالية|other:# محاولة فاشلة متتالية} ({error})",
	"status_last_sent":  "آخر رسالة أُرسلت: {when}",
	"status_never_sent": "لم يُرسل شيء بعد.",

	"export_none":     "لا توجد موجزات للتصدير بعد.",
	"export_caption":  "{n|zero:# موجز|one:موجز واحد|two:موجزان|few:# موجزات|many:# موجزًا|other:# موجز} بصيغة OPML. أرسل هذا الملف إلى MigraWatch (أو إلى قارئ آخر) {n|zero:لاستيرادها|one:لاستيراده|two:لاستيرادهما|few:لاستيرادها|many:لاستيرادها|other:لاستيرادها}.",
	"import_too_big":  "هذا الملف كبير جدًا: الحد الأقصى {max} كيلوبايت.",
	"import_bad":      "لم أتمكن من قراءة هذا الملف بصيغة OPML: {reason}.",
	"import_empty":    "ملف OPML هذا لا يحتوي على أي موجز.",
	"import_checking": "جارٍ التحقق من {n|zero:# موجز|one:موجز واحد|two:موجزين|few:# موجزات|many:# موجزًا|other:# موجز}…",
	"import_summary":  "📥 انتهى الاستيراد: أُضيف {added}، ومتابَع مسبقًا {already}، وفشل {failed}.",
	"import_skipped":  "{max|zero:لم يُقرأ أي موجز|one:قُرئ أول موجز فقط|two:قُرئ أول موجزين فقط|few:قُرئت أول # موجزات فقط|many:قُرئ أول # موجزًا فقط|other:قُرئ أول # موجز فقط}.",
	"import_not_opml": "لاستيراد الموجزات، أرسل ملف OPML (‎.opml أو ‎.xml).",

	"channel_usage":       "للنشر في قناة: أضفني إليها مشرفًا مع صلاحية نشر الرسائل، ثم أرسل هنا <code>/channel @channelname</code>. في حالة قناة خاصة، أعد توجيه أحد منشوراتها إليّ.",
	"channel_private":     "تُربط القنوات من محادثة خاصة معي.",
	"channel_not_found":   "لم أجد القناة «{arg}». تحقق من الاسم، ومن أنني عضو فيها.",
	"channel_not_chan":    "«{arg}» ليست قناة.",
	"channel_not_admin":   "لست مشرفًا على <b>{title}</b>، لذا لا يمكنك ربطها.",
	"channel_cannot_post": "لا أستطيع النشر في <b>{title}</b>. اجعلني مشرفًا مع صلاحية نشر الرسائل، ثم أعد المحاولة.",
	"channel_linked":      "✅ تم ربط <b>{title}</b> وستصلها أخبار الهجرة.\nأنت الآن تعدّل إعداداتها: ‎/sources و‎/subscribe و‎/topics و‎/langs و‎/mode وغيرها تنطبق عليها إلى أن ترسل <code>/channels done</code>.",
	"channels_none":       "لم تربط أي قناة. ‏/channel يشرح الطريقة.",
	"channels_head":       "📣 <b>قنواتك</b>\nاختر قناة لتعديل إعداداتها من هنا، أو ألغِ ربطها.",
	"channels_editing":    "تعدّل الآن: <b>{title}</b>",
	"channels_done":       "عدت إلى إعدادات هذه المحادثة.",
	"channel_unlinked":    "أُلغي ربط <b>{title}</b>: لن أنشر فيها بعد الآن.",
	"target_head":         "📣 إعدادات <b>{title}</b>",
	"btn_unlink":          "✖️ إلغاء الربط",
	"btn_done":            "✔️ تم",

	"cmd_start":       "البدء واختيار ما تتابعه",
	"cmd_help":        "كل الأوامر",
	"cmd_sources":     "مصادرنا، اضغط للمتابعة",
	"cmd_subscribe":   "متابعة موجز برابطه",
	"cmd_unsubscribe": "إيقاف متابعة موجز",
	"cmd_topics":      "متابعة موضوع في كل المصادر",
	"cmd_langs":       "لغات المقالات",
	"cmd_mode":        "فوري أو ملخص يومي",
	"cmd_quiet":       "ساعات الهدوء",
	"cmd_tz":          "المنطقة الزمنية",
	"cmd_pause":       "إيقاف الإرسال مؤقتًا",
	"cmd_resume":      "استئناف الإرسال",
	"cmd_status":      "الإعدادات وحالة الموجزات",
	"cmd_export":      "تصدير الموجزات بصيغة OPML",
	"cmd_channel":     "ربط قناة",
	"cmd_channels":    "قنواتك",
}
