package summarize

import "strings"

// Gender of a speaker as the grammar shows it.
const (
	genderUnknown = 0
	genderMale    = 1
	genderFemale  = 2
	genderPlural  = 3
)

// cueKind says how a speech cue relates to its subject.
const (
	cueVerb       = iota + 1 // a speech verb: the subject is next to it
	cueParticiple            // Arabic circumstantial participle (قائلا، مضيفا): the sentence's subject
	cuePrep                  // "according to X", "selon X", "حسب X": X follows
)

type cue struct {
	kind   int
	gender int
}

// English speech verbs (folded).
var enVerbs = words("said says say added adds told tells explained explains insisted insists argued argues " +
	"stated states noted notes warned warns continued continues asked asks replied replies wrote writes " +
	"commented comments admitted admits claimed claims declared declares announced announces recalled recalls " +
	"concluded concludes confirmed confirms acknowledged acknowledges stressed stresses emphasised emphasized " +
	"observed observes suggested suggests urged urges conceded concedes called describes described " +
	"remarked remarks responded responds disputed disputes contended contends maintained maintains " +
	"explaining saying adding arguing warning insisting noting stressing asking telling")

// English cues that start a prepositional attribution ("according to X").
var enPreps = map[string]bool{"according": true}

// French speech verbs, finite or participle, folded; "a"/"avait"/"ont" auxiliaries are skipped.
var frVerbs = words("declare declarent declarait ajoute ajoutent ajoutait indique indiquent indiquait " +
	"souligne soulignent soulignait precise precisent precisait explique expliquent expliquait " +
	"affirme affirment affirmait assure assurent assurait estime estiment estimait retorque lache " +
	"reconnait reconnu annonce annoncent annoncait poursuit poursuivent poursuivait dit disent disait " +
	"raconte racontent confie confient observe observent releve relevent tranche deplore deplorent " +
	"regrette regrettent exclame indigne insurge rencherit insiste considere considerent confirme " +
	"confirment detaille commente enumere avance lance interroge conclut repete repetent resume note " +
	"martele glisse souvient temoigne previent soutient juge denonce denoncent rappelle rappellent " +
	"explique-t-il explique-t-elle " +
	"declare ajoute indique souligne precise explique affirme assure estime retorque lache annonce " +
	"avoue confie raconte observe temoigne insiste rappele rappelle interroge commente martele " +
	"ecrit ecrivent repond repondent reagi reagit admet admis prevenu souligne constate constatent " +
	"insistait soulignait prevenait s'exclame s'indigne s'insurge suggere commence deduit temperait " +
	"s'inquiete inquiete explique concede")

// French cues that start a prepositional attribution.
var frPreps = map[string]bool{"selon": true, "d'apres": true}

// Arabic speech verbs and participles (folded, without a leading و or ف).
var arCues = map[string]cue{}

func init() {
	masc := "قال يقول اضاف يضيف اكد يؤكد اوضح يوضح صرح يصرح اشار يشير اعتبر يعتبر تابع يتابع ذكر يذكر " +
		"اعلن يعلن شدد يشدد اخبر يخبر اجاب يجيب راي يري استنتج لاحظ يلاحظ استدرك افاد يفيد اعترف يعترف " +
		"روي يروي تحدث يتحدث شرح يشرح وصف يصف حذر يحذر طالب يطالب دعا يدعو كشف يكشف ختم يختم " +
		"اتهم يتهم انتقد ينتقد بادر رد يرد علق يعلق"
	fem := "قالت تقول اضافت تضيف اكدت تؤكد اوضحت توضح صرحت تصرح اشارت تشير اعتبرت تعتبر تابعت تتابع " +
		"ذكرت تذكر اعلنت تعلن شددت تشدد اخبرت تخبر اجابت تجيب رات تري استنتجت لاحظت تلاحظ افادت تفيد " +
		"اعترفت تعترف روت تروي تحدثت تتحدث شرحت تشرح وصفت تصف حذرت تحذر طالبت تطالب دعت تدعو كشفت تكشف " +
		"اتهمت تتهم انتقدت تنتقد بادرت ردت علقت تعلق"
	plural := "قالوا يقولون اضافوا اكدوا اوضحوا اعتبروا ذكروا اعلنوا"
	for _, w := range strings.Fields(masc) {
		arCues[fold(w)] = cue{cueVerb, genderMale}
	}
	for _, w := range strings.Fields(fem) {
		// Present-tense feminine forms start with ت, which also starts some
		// masculine past forms (تابع، تحدث): keep the masculine reading.
		if _, ok := arCues[fold(w)]; !ok {
			arCues[fold(w)] = cue{cueVerb, genderFemale}
		}
	}
	for _, w := range strings.Fields(plural) {
		arCues[fold(w)] = cue{cueVerb, genderPlural}
	}
	for _, w := range strings.Fields("قائلا مضيفا مشيرا مؤكدا موضحا معتبرا متابعا") {
		arCues[fold(w)] = cue{cueParticiple, genderMale}
	}
	for _, w := range strings.Fields("قائله مضيفه مشيره مؤكده موضحه معتبره متابعه") {
		arCues[fold(w)] = cue{cueParticiple, genderFemale}
	}
	for _, w := range strings.Fields("حسب بحسب وفق وفقا نقلا") {
		arCues[fold(w)] = cue{cuePrep, genderUnknown}
	}
}

// words builds a lexicon from a space-separated list, folded like the text.
func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[fold(w)] = true
	}
	return m
}

// arCue looks up an Arabic word (folded) as a speech cue, allowing a leading
// conjunction و or ف and an object pronoun (أخبرني، بادرتني).
func arCue(w string) (cue, bool) {
	for _, cand := range arVariants(w) {
		if c, ok := arCues[cand]; ok {
			return c, true
		}
	}
	return cue{}, false
}

func arVariants(w string) []string {
	out := []string{w}
	for _, p := range []string{"و", "ف"} {
		if strings.HasPrefix(w, p) && len(w) > len(p)+4 {
			out = append(out, strings.TrimPrefix(w, p))
		}
	}
	n := len(out)
	for _, v := range out[:n] {
		for _, s := range []string{"ني", "نا", "ه"} {
			if strings.HasSuffix(v, s) && len(v) > len(s)+4 {
				out = append(out, strings.TrimSuffix(v, s))
			}
		}
	}
	return out
}

// Speaker words that are documents, not people: a quote attributed to them
// is not shown, since the article rarely says whose document it is.
var documentWords = words("statement letter report release communique communiqué document article study " +
	"slogan slogans affiche affiches banderole banderoles pancarte pancartes sign signs banner banners " +
	"rapport lettre courrier texte etude البيان بيان التقرير تقرير الرساله رساله")

// isDocument reports whether a folded word names a document (بيانها too).
func isDocument(f string) bool {
	if documentWords[f] {
		return true
	}
	for _, w := range []string{"بيان", "البيان", "وبيان"} {
		if strings.HasPrefix(f, w) && len(f) <= len(w)+4 {
			return true
		}
	}
	return false
}

// Honorifics dropped from speaker names (folded).
var honorifics = words("mr mr. mrs mrs. ms ms. miss dr dr. sir lady lord me me. m. mme mme. mlle prof prof. " +
	"السيد السيده الدكتور الدكتوره الاستاذ الاستاذه الشيخ العميد اللواء العقيد الفريق المستشار")

// Pronouns by language (folded) and the gender they carry.
var pronouns = map[string]int{
	"he": genderMale, "she": genderFemale, "they": genderPlural,
	"il": genderMale, "elle": genderFemale, "ils": genderPlural, "elles": genderPlural,
	"هو": genderMale, "هي": genderFemale,
}

// Role words: a definite subject made of these names a person the article
// introduced earlier ("the home secretary", "l'avocat", "المتحدث").
var roleWords = words("secretary minister president director chairman chairwoman chair chief executive officer " +
	"spokesman spokeswoman spokesperson coach manager captain striker keeper defender professor judge mayor " +
	"governor senator ambassador commissioner chancellor leader head official lawyer attorney prosecutor " +
	"volunteer mother father teacher student founder ceo boss historian researcher " +
	"ministre president presidente directeur directrice porte-parole avocat avocate juge maire prefet prefete " +
	"commissaire policier enqueteur universitaire orthophoniste enseignante enseignant chercheur chercheuse " +
	"historien militant militante depute deputee coordinatrice coordinateur representant representante " +
	"responsable secretaire fondateur fondatrice patron patronne etudiant etudiante " +
	"المتحدث المتحدثه الرئيس الرئيسه رئيس رئيسه الوزير الوزيره وزير وزيره المدير المديره مدير مديره الدبلوماسي " +
	"المسؤول المسؤوله السفير النائب النائبه القاضي المحامي المحاميه الناطق الحقوقي الحقوقيه الخبير المستشار")

// Words that, just before a quoted span, make it a title or a name rather
// than someone's words ("a study entitled", "un film intitulé", "بعنوان").
var titleWordsBefore = words("intitule intitulee intitules intitulees titre titree baptise baptisee nomme nommee " +
	"appele appelee surnom surnomme entitled titled called named dubbed headlined " +
	"بعنوان عنوانه اسم باسم فيلم مسلسل كتاب روايه برنامج مشروع مسابقه حمله هاشتاغ شعار مبادره")
