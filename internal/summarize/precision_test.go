package summarize

import (
	"testing"

	"github.com/migrawatch/migrawatch/internal/news"
)

// TestQuotes_SpeakerSpanGuards pins the rules that keep words which cannot
// belong to a name or a title out of a speaker: the verb's object or
// complement (بوجوب، الوضع، من تفاقم), a clause opened by قد, a glued
// preposition, figures and texts after "selon"/"according to"/بحسب, and a
// speech verb in a headline-cased run. A wrong speaker is worse than none,
// so several cases want no quote at all; the others pin real names and
// bodies the guards must keep.
func TestQuotes_SpeakerSpanGuards(t *testing.T) {
	tests := []quoteCase{
		// A name taken from the end of a long subject.
		{
			name: "ar masdar with ب ends the subject (بضرورة), the object noun is cut",
			lang: news.Arabic,
			text: `وذكّرت المنظمة الدولية للهجرة الدول الأعضاء في الاتحاد الأوروبي بضرورة احترام قانون البحار "نقل الذين تتم نجدتهم إلى أقرب ميناء آمن دائما".`,
			want: []news.Quote{{Text: "نقل الذين تتم نجدتهم إلى أقرب ميناء آمن دائما", Speaker: "المنظمة الدولية للهجرة"}},
		},
		{
			name: "ar masdar with ب (بوجوب) after a 12-word subject is no name",
			lang: news.Arabic,
			text: `وذكرت المفوضية الأوروبية الحكومات المعنية في اجتماع طويل عقد في بروكسل بوجوب احترام قانون البحار "نقل الذين تتم نجدتهم في البحر إلى أقرب ميناء آمن".`,
			want: []news.Quote{{Text: "نقل الذين تتم نجدتهم في البحر إلى أقرب ميناء آمن", Speaker: "المفوضية الأوروبية"}},
		},
		{
			name: "ar masdar بانتهاك and a definite object after a body",
			lang: news.Arabic,
			text: `واتهمت المنظمة الحكومة الإيطالية بانتهاك القانون الدولي "هذا انتهاك صارخ لحقوق الإنسان والقانون الدولي".`,
			want: []news.Quote{{Text: "هذا انتهاك صارخ لحقوق الإنسان والقانون الدولي", Speaker: "المنظمة"}},
		},
		{
			name: "ar complement من ends the subject before the name's end",
			lang: news.Arabic,
			text: `وحذر خبير الهجرة محمد الخشاني من تفاقم الأزمة "الوضع يزداد سوءا يوما بعد يوم في الحدود".`,
			want: []news.Quote{{Text: "الوضع يزداد سوءا يوما بعد يوم في الحدود", Speaker: "محمد الخشاني"}},
		},
		{
			name: "ar a ل-genitive with the article is not a name",
			lang: news.Arabic,
			text: `ودعا المجلس الأوروبي للاجئين والمنفيين إلى احترام حقوق طالبي اللجوء "لا يمكن إعادة الناس إلى بلد غير آمن".`,
			want: []news.Quote{{Text: "لا يمكن إعادة الناس إلى بلد غير آمن", Speaker: "المجلس الأوروبي للاجئين والمنفيين"}},
		},
		// The object of the verb glued to an unnamed source.
		{
			name: "ar object after an unnamed source with رفيع المستوى",
			lang: news.Arabic,
			text: `ووصف دبلوماسي رفيع المستوى الوضع بأنه "صعب ومعقد جدا بالنسبة لكل الدول الأعضاء".`,
			want: []news.Quote{{Text: "صعب ومعقد جدا بالنسبة لكل الدول الأعضاء", Speaker: "دبلوماسي رفيع المستوى"}},
		},
		{
			name: "ar object after an unnamed source with an adjective",
			lang: news.Arabic,
			text: `واعتبر مسؤول أوروبي الوضع "صعبا ومعقدا جدا بالنسبة لكل الدول الأعضاء في الاتحاد".`,
			want: []news.Quote{{Text: "صعبا ومعقدا جدا بالنسبة لكل الدول الأعضاء في الاتحاد", Speaker: "مسؤول أوروبي"}},
		},
		{
			name: "ar object after an unnamed source with two adjectives",
			lang: news.Arabic,
			text: `ووصف مصدر أمني جزائري الأزمة بأنها "أخطر أزمة هجرة تعرفها المنطقة منذ سنوات".`,
			want: []news.Quote{{Text: "أخطر أزمة هجرة تعرفها المنطقة منذ سنوات", Speaker: "مصدر أمني جزائري"}},
		},
		{
			name: "ar object after an unnamed source in construct",
			lang: news.Arabic,
			text: `وأكد شاهد عيان الخبر "رأيت القارب يغرق أمام عيني ولم يستطع أحد فعل شيء".`,
			want: []news.Quote{{Text: "رأيت القارب يغرق أمام عيني ولم يستطع أحد فعل شيء", Speaker: "شاهد عيان"}},
		},
		{
			name: "ar object after a definite body",
			lang: news.Arabic,
			text: `ووصفت المفوضية الوضع بأنه "صعب ومعقد جدا بالنسبة لكل الدول الأعضاء".`,
			want: []news.Quote{{Text: "صعب ومعقد جدا بالنسبة لكل الدول الأعضاء", Speaker: "المفوضية"}},
		},
		// A clause opened by قد read as a name.
		{
			name: "ar sentence opened by وقد names no one for the next verb",
			lang: news.Arabic,
			text: `وقد انخفض عدد الوافدين، وقال "إن الأرقام تتحسن كل شهر بشكل واضح جدا".`,
			want: nil,
		},
		{
			name: "ar لقد after the verb opens a clause, not a subject",
			lang: news.Arabic,
			text: `وقال لقد تراجع عدد المهاجرين "إن الأرقام تتحسن كل شهر بشكل واضح جدا".`,
			want: nil,
		},
		{
			name: "ar a وقد sentence between the quotes does not take over the speaker",
			lang: news.Arabic,
			text: `وأكدت سعاد العلمي "نحن هنا لمساعدة كل العائلات دون أي تمييز". وقد انخفض عدد الوافدين، وتابعت "إن الأرقام تتحسن كل شهر بشكل واضح جدا".`,
			want: []news.Quote{
				{Text: "نحن هنا لمساعدة كل العائلات دون أي تمييز", Speaker: "سعاد العلمي"},
				{Text: "إن الأرقام تتحسن كل شهر بشكل واضح جدا", Speaker: "سعاد العلمي"},
			},
		},
		{
			name: "ar figures after بحسب do not speak",
			lang: news.Arabic,
			text: `وبحسب الأرقام الرسمية "تراجع عدد الوافدين بنسبة ثمانين في المئة هذا العام".`,
			want: nil,
		},
		// Names and bodies the guards keep.
		{
			name: "ar علي after بن is a name, not the preposition",
			lang: news.Arabic,
			text: `وقالت ليلى بن علي للصحفيين "كل اللاجئين يستحقون حياة كريمة في هذا البلد".`,
			want: []news.Quote{{Text: "كل اللاجئين يستحقون حياة كريمة في هذا البلد", Speaker: "ليلى بن علي"}},
		},
		{
			name: "ar a name starting with ب stays whole",
			lang: news.Arabic,
			text: `وقال الرئيس عبد العزيز بوتفليقة "الجزائر لن تكون أبدا مركزا لإيواء المهاجرين".`,
			want: []news.Quote{{Text: "الجزائر لن تكون أبدا مركزا لإيواء المهاجرين", Speaker: "عبد العزيز بوتفليقة"}},
		},
		{
			name: "ar agreeing adjectives stay with a definite body",
			lang: news.Arabic,
			text: `وقال الهلال الأحمر الليبي "انتشلنا عشرات الجثث من البحر خلال الأسبوع الماضي".`,
			want: []news.Quote{{Text: "انتشلنا عشرات الجثث من البحر خلال الأسبوع الماضي", Speaker: "الهلال الأحمر الليبي"}},
		},
		{
			name: "ar من after قريب belongs to the source",
			lang: news.Arabic,
			text: `وقال مصدر قريب من الحكومة "الخطة الجديدة ستعرض على البرلمان قبل نهاية الشهر".`,
			want: []news.Quote{{Text: "الخطة الجديدة ستعرض على البرلمان قبل نهاية الشهر", Speaker: "مصدر قريب من الحكومة"}},
		},
		// French and English.
		{
			name: "fr selon figures of a body names no speaker",
			lang: news.French,
			text: "Selon les chiffres du ministère, « le nombre de demandes a doublé en un an seulement ».",
			want: nil,
		},
		{
			name: "fr d'après estimations names no speaker",
			lang: news.French,
			text: "D'après les estimations de Frontex, « les arrivées ont baissé de moitié depuis janvier ».",
			want: nil,
		},
		{
			name: "fr selon a body still names it",
			lang: news.French,
			text: "Selon la préfecture du Nord, « le campement sera évacué dans les prochains jours ».",
			want: []news.Quote{{Text: "le campement sera évacué dans les prochains jours", Speaker: "la préfecture du Nord"}},
		},
		{
			name: "en according to a compound ending in data names no speaker",
			lang: news.English,
			text: `According to Home Office data, "the number of small boat arrivals fell by a third this year".`,
			want: nil,
		},
		{
			name: "en a headline-cased speech verb is not part of the name",
			lang: news.English,
			text: `"We will process every claim within six months from now," Smith Warned Parliament.`,
			want: []news.Quote{{Text: "We will process every claim within six months from now,", Speaker: "Smith"}},
		},
	}
	checkQuoteCases(t, tests)
}
