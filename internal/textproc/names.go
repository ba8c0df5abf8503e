package textproc

// nameLeaders are the words a speaker's name may open with that are not part
// of it: courtesy titles and articles, normalized as Words gives them ("Mme",
// "السيدة" -> "السيده", "the"). Only leading ones are dropped: "Le Pen" and
// "the Home Office" keep their inner words.
var nameLeaders = map[string]bool{
	// English
	"the": true, "a": true, "an": true, "mr": true, "mrs": true, "ms": true, "miss": true,
	"dr": true, "prof": true, "sir": true, "dame": true,
	// French ("M." is Words' "m"; l' is dropped by Words already)
	"m": true, "mme": true, "mlle": true, "mm": true, "mmes": true, "me": true, "pr": true,
	"le": true, "la": true, "les": true, "un": true, "une": true,
	// Arabic, after Normalize (ة -> ه, أ -> ا)
	"السيد": true, "السيده": true, "الدكتور": true, "الدكتوره": true,
	"الاستاذ": true, "الاستاذه": true, "د": true,
}

// NameWords returns the normalized words of a person's or body's name as a
// speaker is named: Words of name without the courtesy titles and articles
// it opens with ("Mme Laura Palatini" and "Laura Palatini" give the same
// words, "السيدة لورا بالاتيني" and "لورا بالاتيني" too). A name made only of
// such words keeps them.
func NameWords(name string) []string {
	ws := Words(name)
	i := 0
	for i < len(ws) && nameLeaders[ws[i]] {
		i++
	}
	if i == len(ws) {
		return ws
	}
	return ws[i:]
}

// IsArabicWord reports whether a normalized word is written in Arabic script.
func IsArabicWord(w string) bool { return startsArabic(w) }
