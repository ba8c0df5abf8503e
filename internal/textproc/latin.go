package textproc

import "strings"

// French and English light stemming: inflections only.
//
// A news reader who follows "migrant" expects "migrants"; one who follows
// "réfugié" expects réfugiée, réfugiés and réfugiées. A derivational stemmer
// (Snowball) also makes police meet policy, organ meet organization and
// refuge meet refugee, which an alert must not. So the stemmer removes
// plural and feminine endings and nothing else, on accent-folded,
// lower-cased words (Normalize), and leaves alone the words where the ending
// belongs to the word (news, mois, Paris) or where removing it would make
// another word (armée is not arme, mère is not mer).

// frenchInvariable are French words ending in s or x whose s or x is not a
// plural, where removing it would make another word or a false stem.
var frenchInvariable = normalizedSet(`
mois fois cours pays temps corps fils mais apres pres tres vers dans sans sous
plus tous depuis alors jamais parfois toujours ailleurs hors chez paris calais
tunis avis refus recours discours parcours secours concours processus virus
bus campus consensus autobus ours os bras gros repas succes acces proces
progres exces deces dos pis puis quelques
`)

// frenchNoFeminine are French feminine-looking words that are another word
// without their ending.
var frenchNoFeminine = normalizedSet(`
armée entrée musée durée idée année mère vente pente tente rente sente fente
lycée portée marée fusée poupée chaussée machine marine médecine héroïne
`)

// englishInvariable are English words ending in s that are not plurals (or
// whose singular is another word).
var englishInvariable = normalizedSet(`
news series species means politics economics physics mathematics ethics arms
goods customs remains savings earnings always perhaps whereas overseas
lens gas was has does his this its yes thus us plus bus bias chaos
`)

// englishIrregular maps irregular English plurals to their singular.
var englishIrregular = map[string]string{
	"children": "child", "women": "woman", "men": "man", "people": "person",
	"crises": "crisis", "lives": "life", "wives": "wife", "feet": "foot",
	"teeth": "tooth", "mice": "mouse", "analyses": "analysis", "thieves": "thief",
}

// stemFrench removes French plural and feminine endings.
func stemFrench(w string) string {
	n := len(w)
	if n <= 3 {
		return w
	}
	if frenchInvariable[w] {
		return w
	}
	switch {
	case strings.HasSuffix(w, "eaux"):
		w = w[:n-1] // bateaux -> bateau
	case strings.HasSuffix(w, "aux") && n >= 6:
		w = w[:n-3] + "al" // nationaux -> national
	case strings.HasSuffix(w, "oux") && n >= 5:
		w = w[:n-1]
	case strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss"):
		w = w[:n-1]
	}
	if frenchNoFeminine[w] {
		return w
	}
	n = len(w)
	switch {
	case strings.HasSuffix(w, "ee") && n >= 4:
		return w[:n-1] // refugiee -> refugie
	case strings.HasSuffix(w, "ienne") || strings.HasSuffix(w, "enne") && n >= 6:
		return w[:n-2] // europeenne -> europeen
	case strings.HasSuffix(w, "trice") && n >= 7:
		return w[:n-4] + "teur"
	case strings.HasSuffix(w, "euse") && n >= 6:
		return w[:n-2] + "r" // demandeuse -> demandeur
	case strings.HasSuffix(w, "ere") && n >= 6:
		return w[:n-1] // etrangere -> etranger
	case strings.HasSuffix(w, "elle") && n >= 6, strings.HasSuffix(w, "ette") && n >= 6:
		return w[:n-2] // officielle -> officiel
	case strings.HasSuffix(w, "ante") && n >= 6, strings.HasSuffix(w, "ente") && n >= 6,
		strings.HasSuffix(w, "aine") && n >= 6, strings.HasSuffix(w, "aise") && n >= 7,
		strings.HasSuffix(w, "ale") && n >= 5, strings.HasSuffix(w, "ue") && n >= 5,
		strings.HasSuffix(w, "eure") && n >= 6:
		return w[:n-1] // migrante -> migrant, francaise -> francais
	case strings.HasSuffix(w, "ine") && n >= 7 && !frenchNoFeminine[w]:
		return w[:n-1] // clandestine -> clandestin, voisine -> voisin
	case strings.HasSuffix(w, "ive") && n >= 5:
		return w[:n-2] + "f" // definitive -> definitif
	}
	return w
}

// stemEnglish removes English plural endings.
func stemEnglish(w string) string {
	n := len(w)
	if n <= 3 || englishInvariable[w] {
		return w
	}
	if s, ok := englishIrregular[w]; ok {
		return s
	}
	switch {
	case strings.HasSuffix(w, "ies") && n >= 5:
		return w[:n-3] + "y" // countries -> country
	case strings.HasSuffix(w, "sses"), strings.HasSuffix(w, "xes"), strings.HasSuffix(w, "ches"),
		strings.HasSuffix(w, "shes"), strings.HasSuffix(w, "zzes"):
		return w[:n-2] // taxes -> tax
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
		return w
	case strings.HasSuffix(w, "s"):
		return w[:n-1]
	}
	return w
}
