package summarize

import "strings"

// Guards that keep words which cannot belong to a name or a title out of a
// speaker span. A wrong speaker is worse than a missing one, so each guard
// cuts a span short (or drops it) rather than risk a guess.

// Arabic particles that open a verbal clause ("وقد انخفض عدد الوافدين"):
// the words after them are a predicate, never a name.
var arClauseParticles = words("قد لقد وقد فقد ولقد وكان وكانت")

// arParticleStart reports whether an Arabic word is a clause particle, with
// or without a leading و or ف.
func arParticleStart(f string) bool {
	if arClauseParticles[f] || arFunction[f] {
		return true
	}
	for _, p := range []string{"و", "ف"} {
		if r, ok := strings.CutPrefix(f, p); ok && (arClauseParticles[r] || arFunction[r]) {
			return true
		}
	}
	return false
}

// Verbal nouns that follow ب or ل as the object of a speech verb ("طالب
// بعدم", "ذكّر بوجوب").
var arMasdarWords = words("عدم وجوب ضروره شان خصوص اهميه")

// arPrepMasdar reports whether a folded Arabic word is ب or ل glued to a
// verbal noun ("بوجوب", "باحترام", "بإغلاق", "بتقديم", "لاستخدام"): the
// complement of the verb, where a subject ends. Names that start with ب or
// ل (بشار، ليلى، بوتفليقة) do not fit these patterns.
func arPrepMasdar(f string) bool {
	var rest string
	switch {
	case strings.HasPrefix(f, "بال"), strings.HasPrefix(f, "لل"):
		return false
	case strings.HasPrefix(f, "ب"):
		rest = f[len("ب"):]
	case strings.HasPrefix(f, "ل"):
		rest = f[len("ل"):]
	default:
		return false
	}
	if arMasdarWords[rest] {
		return true
	}
	r := []rune(rest)
	switch len(r) {
	case 5:
		// إفعال (إغلاق) and تفعيل (تقديم).
		return (r[0] == 'ا' && r[3] == 'ا') || (r[0] == 'ت' && r[3] == 'ي')
	case 6:
		// افتعال (احترام، انتهاك).
		return r[0] == 'ا' && r[2] == 'ت' && r[4] == 'ا'
	case 7:
		// استفعال (استخدام).
		return strings.HasPrefix(rest, "است") && r[5] == 'ا'
	}
	return false
}

// Adjectives with the article that may follow a definite head noun
// ("الأمين العام") without a nisba or participle form.
var arDefAdjectives = words("العام العامه الاول الاولي الجديد الجديده الخاص الخاصه العليا الكبري السامي الاعلي")

// arDefAdjective reports whether a definite Arabic word reads as an
// adjective agreeing with the noun before it: a nisba (الأوروبية), a
// participle (المتحدة), أفعل (الأحمر), فاعل (السابق) or a listed one.
func arDefAdjective(f string) bool {
	if arDefAdjectives[f] {
		return true
	}
	w, ok := strings.CutPrefix(f, "ال")
	if !ok {
		return false
	}
	for _, s := range []string{"يه", "يون", "يين", "يات", "ي"} {
		if strings.HasSuffix(w, s) && len([]rune(w)) > len([]rune(s))+1 {
			return true
		}
	}
	r := []rune(w)
	switch {
	case r[0] == 'م' && len(r) >= 4:
		return true
	case len(r) == 4 && r[0] == 'ا' && r[3] != 'ه':
		return true
	case len(r) == 4 && r[1] == 'ا':
		return true
	}
	return false
}

// Words that close a compound noun ("شاهد عيان").
var arCompoundEnds = words("عيان")

// arIndefAdjective reports whether an indefinite Arabic word reads as a
// nisba adjective (أمني، أوروبية، سوريون).
func arIndefAdjective(f string) bool {
	if strings.HasPrefix(f, "ال") || len([]rune(f)) < 4 {
		return false
	}
	for _, s := range []string{"يه", "يون", "يين", "ي"} {
		if strings.HasSuffix(f, s) {
			return true
		}
	}
	return false
}

func arDefinite(f string) bool {
	return strings.HasPrefix(f, "ال") || strings.HasPrefix(f, "وال")
}

// arPrepWord reports whether a word opens a prepositional phrase, inside
// which a genitive chain of definite nouns is part of the description.
func arPrepWord(f string) bool {
	return arPrepositions[f] || f == "باسم" || strings.HasPrefix(f, "بال")
}

// arTrimObject cuts the object of the speech verb off an unnamed speaker
// ("دبلوماسي رفيع المستوى الوضع", "المفوضية الوضع"): outside a prepositional
// phrase, a definite noun may follow an indefinite noun only as its
// genitive (not an indefinite nisba adjective: "مسؤول أوروبي الوضع"), and a
// definite word only as an agreeing adjective.
func arTrimObject(sg []tok) []tok {
	for x := 1; x < len(sg); x++ {
		f, prev := sg[x].f, sg[x-1].f
		if sg[x].kind != tkWord || sg[x-1].kind != tkWord {
			continue
		}
		if arPrepWord(f) {
			return sg
		}
		if !arDefinite(f) {
			continue
		}
		switch {
		case arDefinite(prev) || strings.HasPrefix(prev, "لل"):
			if !arDefAdjective(strings.TrimPrefix(f, "و")) {
				return sg[:x]
			}
		case arIndefAdjective(prev) || arCompoundEnds[prev]:
			// "مصدر أمني جزائري الأزمة", "شاهد عيان الخبر": nothing after an
			// indefinite adjective or a closed compound takes a genitive.
			return sg[:x]
		}
	}
	return sg
}

// arNotInName reports whether an Arabic word carries a clitic that no name
// carries: ل glued to the article (للاجئين، للهجرة). بال and وال are not
// used here: foreign names start with them too (بالاتيني، والتر).
func arNotInName(f string) bool {
	return strings.HasPrefix(f, "لل")
}

// Nouns for figures, texts and studies: "selon les chiffres du ministère"
// attributes a quote to no one who speaks.
var nonSpeakerHeads = words("chiffres donnees statistiques etude etudes sondage sondages enquete estimations bilan " +
	"article loi texte convention decret circulaire reglement traite figures data statistics study studies survey " +
	"poll polls estimates article law convention treaty regulation decree")

// nonSpeakerNP reports whether an English or French noun phrase is headed
// (after its determiner, or last in an English compound: "Home Office
// data") by a figure or a text rather than a speaker.
func nonSpeakerNP(np []tok) bool {
	if len(np) > 1 && np[len(np)-1].kind == tkWord && nonSpeakerHeads[np[len(np)-1].f] && !isCapitalized(np[len(np)-1].text) {
		return true
	}
	for x, t := range np {
		if x > 1 {
			return false
		}
		if determiners[t.f] && x == 0 {
			continue
		}
		f := t.f
		if i := strings.LastIndex(f, "'"); i >= 0 {
			f = f[i+1:]
		}
		return nonSpeakerHeads[f]
	}
	return false
}

// latinVerbIn reports whether a run of capitalized words holds a speech
// verb ("Smith Warned Parliament"): a headline-cased clause, not a name.
func latinVerbIn(run []tok) bool {
	for _, t := range run {
		if enVerbs[t.f] {
			return true
		}
		if _, ok := frCue(t.f); ok {
			return true
		}
	}
	return false
}

// Arabic nouns for figures and texts ("بحسب الأرقام الرسمية"), without the article.
var arNonSpeakerHeads = words("ارقام احصاءات احصائيات معطيات تقديرات دراسه استطلاع قانون ماده اتفاقيه نص مرسوم")

// arNonSpeaker reports whether an Arabic phrase after حسب/وفق is headed by
// a figure or a text, which attributes a quote to no one who speaks.
func arNonSpeaker(ts []tok) bool {
	if len(ts) == 0 || ts[0].kind != tkWord {
		return false
	}
	return arNonSpeakerHeads[strings.TrimPrefix(strings.TrimPrefix(ts[0].f, "و"), "ال")]
}

// Words of lineage after which علي is the given name Ali, not the
// preposition على (both fold to the same letters).
var arNasab = words("بن ابن بنت ابو ام")

// arAliAt reports whether ts[x] is the name علي after بن/ابن/أبو.
func arAliAt(ts []tok, x int) bool {
	return x > 0 && ts[x].f == "علي" && arNasab[ts[x-1].f]
}
