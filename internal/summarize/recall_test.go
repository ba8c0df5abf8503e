package summarize

import (
	"testing"

	"github.com/migrawatch/migrawatch/internal/news"
)

// TestQuotes_RecallRules pins the attribution rules that find quotes whose
// speaker is not next to them: pull quotes, impersonal "-on" with a place,
// colon after an apposition, pseudonyms in quotes, continuation verbs with
// a description, kunyas, the author named in the next sentence, a short
// opening phrase, long Arabic subjects, "the same source", and documents.
func TestQuotes_RecallRules(t *testing.T) {
	tests := []quoteCase{
		{
			name: "fr the lawyer is the one called Me",
			lang: news.French,
			text: "Me Antoine Lemaire défend l'un des quatre mis en examen.\n\nSon client était au travail ce soir-là. « Il a été interrogé plusieurs fois dans cette affaire, sans aucune suite », précise l'avocat.",
			want: []news.Quote{{Text: "Il a été interrogé plusieurs fois dans cette affaire, sans aucune suite", Speaker: "Antoine Lemaire"}},
		},
		{
			name: "fr the circumstance after a described speaker is not part of it",
			lang: news.French,
			text: "La réunion a duré trois heures à la préfecture.\n\n« Nous allons continuer nos actions jusqu'à la fin du mois », a déclaré un porte-parole du collectif avant de quitter les lieux.",
			want: []news.Quote{{Text: "Nous allons continuer nos actions jusqu'à la fin du mois", Speaker: "un porte-parole du collectif"}},
		},
		{
			name: "fr pull quote takes the speaker of the quote it repeats",
			lang: news.French,
			text: "« Nous ne lâcherons rien face à cette injustice »\n\nPaul Martin est infirmier à Lyon. « Nous ne lâcherons rien face à cette injustice. Nous serons encore là demain », affirme-t-il.",
			want: []news.Quote{
				{Text: "Nous ne lâcherons rien face à cette injustice", Speaker: "Paul Martin"},
				{Text: "Nous ne lâcherons rien face à cette injustice. Nous serons encore là demain", Speaker: "Paul Martin"},
			},
		},
		{
			name: "en pull quote takes the speaker of the quote it repeats",
			lang: news.English,
			text: "\"We will not give up on these families now\"\n\nShelter director Jane Porter opened the doors on Monday. \"We will not give up on these families now. They need us more than ever,\" Jane Porter said.",
			want: []news.Quote{
				{Text: "We will not give up on these families now", Speaker: "Jane Porter"},
				{Text: "We will not give up on these families now. They need us more than ever,", Speaker: "Jane Porter"},
			},
		},
		{
			name: "ar pull quote takes the speaker of the quote it repeats",
			lang: news.Arabic,
			text: "\"لن نتخلى عن هذه العائلات مهما كانت الظروف\"\n\nوقالت المديرة سعاد العلمي: \"لن نتخلى عن هذه العائلات مهما كانت الظروف. سنبقى هنا معهم\".",
			want: []news.Quote{
				{Text: "لن نتخلى عن هذه العائلات مهما كانت الظروف", Speaker: "سعاد العلمي"},
				{Text: "لن نتخلى عن هذه العائلات مهما كانت الظروف. سنبقى هنا معهم", Speaker: "سعاد العلمي"},
			},
		},
		{
			name: "fr unmatched pull quote stays without speaker",
			lang: news.French,
			text: "« Une école pour tous les enfants du camp »\n\nPaul Martin est infirmier. « Nous serons encore là demain avec les familles », affirme-t-il.",
			want: []news.Quote{{Text: "Nous serons encore là demain avec les familles", Speaker: "Paul Martin"}},
		},
		{
			name: "fr impersonal on with a place: the place speaks",
			lang: news.French,
			text: "« Nous étudierons chaque dossier avec la plus grande attention », indique-t-on au ministère de l'intérieur.",
			want: []news.Quote{{Text: "Nous étudierons chaque dossier avec la plus grande attention", Speaker: "le ministère de l'intérieur"}},
		},
		{
			name: "fr impersonal on chez a company",
			lang: news.French,
			text: "« Aucune usine ne fermera en France cette année », assure-t-on chez Renault.",
			want: []news.Quote{{Text: "Aucune usine ne fermera en France cette année", Speaker: "Renault"}},
		},
		{
			name: "fr impersonal on without a place is not shown",
			lang: news.French,
			text: "« Aucune usine ne fermera en France cette année », assure-t-on.",
			want: nil,
		},
		{
			name: "fr colon after a name and its appositions",
			lang: news.French,
			text: "Certains ont renoncé, comme Karim, un Tunisien de 25 ans, étudiant en chimie : « Je ne vois plus l'intérêt de venir étudier ici. »",
			want: []news.Quote{{Text: "Je ne vois plus l'intérêt de venir étudier ici.", Speaker: "Karim"}},
		},
		{
			name: "en colon after a name and its apposition",
			lang: news.English,
			text: `Others have given up, like Maria Santos, a nurse from Manila: "I no longer see the point of coming here to work."`,
			want: []news.Quote{{Text: "I no longer see the point of coming here to work.", Speaker: "Maria Santos"}},
		},
		{
			name: "fr colon after a place is not a speaker",
			lang: news.French,
			text: "Certains ont renoncé, comme à Lyon, une ville étudiante : « Je ne vois plus l'intérêt de venir étudier ici. »",
			want: nil,
		},
		{
			name: "fr pseudonym in quotes after the verb",
			lang: news.French,
			text: "« Fermez la frontière et laissez-les tous de l'autre côté », suggère « Citoyen42 » de Lille.",
			want: []news.Quote{{Text: "Fermez la frontière et laissez-les tous de l'autre côté", Speaker: "Citoyen42"}},
		},
		{
			name: "ar continuation verb with a description keeps the speaker",
			lang: news.Arabic,
			text: `وقال وزير الخارجية عبد القادر مساهل: "من المستبعد جدا أن تفتح الجزائر مراكز لإيواء المهاجرين". وتابع الدبلوماسي الجزائري: "أنا لا أهتم بما يقوم به الأوروبيون في هذا المجال".`,
			want: []news.Quote{
				{Text: "من المستبعد جدا أن تفتح الجزائر مراكز لإيواء المهاجرين", Speaker: "عبد القادر مساهل"},
				{Text: "أنا لا أهتم بما يقوم به الأوروبيون في هذا المجال", Speaker: "عبد القادر مساهل"},
			},
		},
		{
			name: "ar plain verb with an unknown description is not the previous speaker",
			lang: news.Arabic,
			text: `وقال وزير الخارجية عبد القادر مساهل: "من المستبعد جدا أن تفتح الجزائر مراكز لإيواء المهاجرين". وقال الدبلوماسي الفرنسي: "نحن نحترم قرار الجزائر ونعمل معها على حلول مشتركة".`,
			want: []news.Quote{{Text: "من المستبعد جدا أن تفتح الجزائر مراكز لإيواء المهاجرين", Speaker: "عبد القادر مساهل"}},
		},
		{
			name: "ar kunya named twice is the speaker of a subjectless verb",
			lang: news.Arabic,
			text: `كانت أم سليم تجلس أمام منزلها. بادرتني هي بالقول "كل يوم أنتظر عودته وأدعو له بالسلامة". وتحكي أم سليم قصة ابنها لكل زائر.`,
			want: []news.Quote{{Text: "كل يوم أنتظر عودته وأدعو له بالسلامة", Speaker: "أم سليم"}},
		},
		{
			name: "ar kunya named once is not trusted",
			lang: news.Arabic,
			text: `كانت أم سليم تجلس أمام منزلها. بادرتني هي بالقول "كل يوم أنتظر عودته وأدعو له بالسلامة".`,
			want: nil,
		},
		{
			name: "ar kunya of the other gender is not the speaker",
			lang: news.Arabic,
			text: `كان أبو سليم يجلس أمام منزله. بادرتني هي بالقول "كل يوم أنتظر عودته وأدعو له بالسلامة". ويحكي أبو سليم قصة ابنه لكل زائر.`,
			want: nil,
		},
		{
			name: "ar standalone quote after a sentence naming one known speaker",
			lang: news.Arabic,
			text: `وقالت سعاد العلمي: "نحن هنا لمساعدة كل العائلات دون أي تمييز". ويعمل المركز منذ سنوات طويلة. وتستقبل سعاد العلمي العائلات كل صباح في المركز. "لا أحد يجب أن ينام في الشارع في هذه المدينة".`,
			want: []news.Quote{
				{Text: "نحن هنا لمساعدة كل العائلات دون أي تمييز", Speaker: "سعاد العلمي"},
				{Text: "لا أحد يجب أن ينام في الشارع في هذه المدينة", Speaker: "سعاد العلمي"},
			},
		},
		{
			name: "ar standalone quote after a sentence naming two known speakers is not shown",
			lang: news.Arabic,
			text: `وقالت سعاد العلمي: "نحن هنا لمساعدة كل العائلات دون أي تمييز". وقال كريم بناني: "المركز يحتاج إلى دعم أكبر من البلدية هذا العام". ويعمل المركز منذ سنوات طويلة. وتستقبل سعاد العلمي وكريم بناني العائلات كل صباح. "لا أحد يجب أن ينام في الشارع في هذه المدينة".`,
			want: []news.Quote{
				{Text: "نحن هنا لمساعدة كل العائلات دون أي تمييز", Speaker: "سعاد العلمي"},
				{Text: "المركز يحتاج إلى دعم أكبر من البلدية هذا العام", Speaker: "كريم بناني"},
			},
		},
		{
			name: "fr role held by two given names of one family name",
			lang: news.French,
			text: "On y croise l'orthophoniste Véronique Durand. « Les enfants progressent très vite ici, même sans moyens », observe Virginie Durand, orthophoniste de métier. Une fonction d'écoute. « Il n'empêche : les progrès de ces enfants peuvent être fulgurants », observe l'orthophoniste de l'équipe.",
			want: []news.Quote{
				{Text: "Les enfants progressent très vite ici, même sans moyens", Speaker: "Virginie Durand"},
				{Text: "Il n'empêche : les progrès de ces enfants peuvent être fulgurants", Speaker: "Virginie Durand"},
			},
		},
		{
			name: "fr author named in the next sentence (c'est ... que X)",
			lang: news.French,
			text: "« Nous avons accueilli des milliers de réfugiés sans la moindre difficulté. » C'est par ces mots que la maire Anne Hidalgo a ouvert la séance.",
			want: []news.Quote{{Text: "Nous avons accueilli des milliers de réfugiés sans la moindre difficulté.", Speaker: "Anne Hidalgo"}},
		},
		{
			name: "fr author named in the next sentence (c'est ce qu'a déclaré X)",
			lang: news.French,
			text: "« Nous avons accueilli des milliers de réfugiés sans la moindre difficulté. » C'est ce qu'a déclaré Anne Hidalgo lundi.",
			want: []news.Quote{{Text: "Nous avons accueilli des milliers de réfugiés sans la moindre difficulté.", Speaker: "Anne Hidalgo"}},
		},
		{
			name: "fr next sentence naming no person gives no speaker",
			lang: news.French,
			text: "« Nous avons accueilli des milliers de réfugiés sans la moindre difficulté. » C'est avec cette phrase que le journal ouvre sa une.",
			want: nil,
		},
		{
			name: "fr short opening phrase before the quote keeps the speaker",
			lang: news.French,
			text: "« C'est un dossier vide et sans preuve », précise l'avocat Jean Dupont. Interpellé jeudi, « mon client a été traité comme un criminel dangereux ».",
			want: []news.Quote{
				{Text: "C'est un dossier vide et sans preuve", Speaker: "Jean Dupont"},
				{Text: "mon client a été traité comme un criminel dangereux", Speaker: "Jean Dupont"},
			},
		},
		{
			name: "fr opening phrase with a subject of its own is not skipped",
			lang: news.French,
			text: "« C'est un dossier vide et sans preuve », précise l'avocat Jean Dupont. Le juge Paul Martin, « mon client a été traité comme un criminel dangereux ».",
			want: []news.Quote{{Text: "C'est un dossier vide et sans preuve", Speaker: "Jean Dupont"}},
		},
		{
			name: "ar long subject: the body before its first preposition",
			lang: news.Arabic,
			text: `وذكرت المفوضية الأوروبية في صفتها راعية المعاهدات الأوروبية ومنها معاهدة الحقوق الأساسية وميثاق اللاجئين الدولي لعام ألف وتسعمائة وواحد وخمسين بوجوب احترام قانون البحار الذي يقتضي "نقل الذين تتم نجدتهم في البحر إلى أقرب ميناء آمن".`,
			want: []news.Quote{{Text: "نقل الذين تتم نجدتهم في البحر إلى أقرب ميناء آمن", Speaker: "المفوضية الأوروبية"}},
		},
		{
			name: "ar the same source is the last speaker, even a body",
			lang: news.Arabic,
			text: `وقال دبلوماسي رفيع المستوى إن الوضع "صعب ومعقد جدا بالنسبة لكل الدول الأعضاء". وقد انخفض عدد الوافدين. واستدرك المصدر نفسه "تفاعل الأزمة وارتفاع حساسيتها في صفوف الرأي العام".`,
			want: []news.Quote{
				{Text: "صعب ومعقد جدا بالنسبة لكل الدول الأعضاء", Speaker: "دبلوماسي رفيع المستوى"},
				{Text: "تفاعل الأزمة وارتفاع حساسيتها في صفوف الرأي العام", Speaker: "دبلوماسي رفيع المستوى"},
			},
		},
		{
			name: "en the statement of a speaker named in the statement",
			lang: news.English,
			text: `In the statement, Unicef said it was "developing a plan for every family staying at the stations". The statement continued: "We are working with urgency to house as many families as we can."`,
			want: []news.Quote{
				{Text: "developing a plan for every family staying at the stations", Speaker: "Unicef"},
				{Text: "We are working with urgency to house as many families as we can.", Speaker: "Unicef"},
			},
		},
		{
			name: "fr son communiqué ties the document to its author",
			lang: news.French,
			text: "Dans son communiqué, la Cimade affirme que « les familles sont laissées sans aucune solution ». Le texte ajoute : « Nous demandons un hébergement immédiat pour toutes les familles. »",
			want: []news.Quote{
				{Text: "les familles sont laissées sans aucune solution", Speaker: "la Cimade"},
				{Text: "Nous demandons un hébergement immédiat pour toutes les familles.", Speaker: "la Cimade"},
			},
		},
	}
	checkQuoteCases(t, tests)
}
