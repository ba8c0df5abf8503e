package summarize

import (
	"embed"
	"fmt"
	"sort"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/migrawatch/migrawatch/internal/news"
)

// lexiconFiles holds the attribution lexicons (one per language), the
// places that never speak and the given names.
//
//go:embed lexicon/*.yaml
var lexiconFiles embed.FS

// Grammatical gender and number as the text marks them.
const (
	genderUnknown = 0
	genderMale    = 1
	genderFemale  = 2
	genderPlural  = 3
)

// Cue tiers: how surely a verb introduces someone's words.
const (
	tierNone = iota
	tierSay
	tierSpeech
	tierOpinion
)

// Verb form kinds.
const (
	formFinite = iota + 1
	formGerund
	formInfinitive
)

// verbForm is what the lexicon knows about one folded verb form.
type verbForm struct {
	tier         int
	kind         int
	gender       int
	continuation bool
}

// lexicon is one language's attribution lexicon, every word folded.
type lexicon struct {
	verbs         map[string]verbForm
	preps         map[string]bool // one-word attributions (selon, حسب)
	prepPhrases   [][]string      // several-word attributions (according to)
	honorifics    map[string]int  // word -> gender
	pronouns      map[string]int
	subjPronouns  map[string]bool
	placeHeads    map[string]bool
	firstPerson   map[string]bool
	determiners   map[string]bool
	roles         map[string]int // role noun -> gender
	orgHeads      map[string]bool
	documents     map[string]bool
	titleWords    map[string]bool
	notNames      map[string]bool
	particles     map[string]bool
	quantifiers   map[string]bool
	attributionNs map[string]bool
	indefinites   map[string]bool
	phraseStops   map[string]bool
	nounMarkers   map[string]bool
	objMarkers    map[string]bool
	rawObjMarkers map[string]bool // lower-cased, accents kept (à is not a)
	speechNouns   map[string]bool
	mediaNouns    map[string]bool
	commonWords   map[string]bool            // Arabic nouns, adjectives and verbs that are not names
	roleKinds     map[string]map[string]bool // description noun -> the role nouns it covers
	honorRoles    map[string]string          // honorific -> the role it gives (me -> avocat)
}

// shared holds what all languages use: places and given names.
type shared struct {
	places     map[string]bool // folded, single words and phrases
	givenNames map[string]int  // folded -> gender
}

type lexiconFile struct {
	Language    string `yaml:"language"`
	SpeechVerbs []struct {
		Lemma           string   `yaml:"lemma"`
		Tier            string   `yaml:"tier"`
		Continuation    bool     `yaml:"continuation"`
		Forms           []string `yaml:"forms"`
		Masculine       []string `yaml:"masculine"`
		Feminine        []string `yaml:"feminine"`
		Plural          []string `yaml:"plural"`
		Gerunds         []string `yaml:"gerunds"`
		FeminineGerunds []string `yaml:"feminine_gerunds"`
		Infinitives     []string `yaml:"infinitives"`
	} `yaml:"speech_verbs"`
	Prepositions      []string            `yaml:"prepositions"`
	Honorifics        map[string][]string `yaml:"honorifics"`
	Pronouns          map[string][]string `yaml:"pronouns"`
	SubjectPronouns   []string            `yaml:"subject_pronouns"`
	PlaceHeads        []string            `yaml:"place_heads"`
	FirstPerson       []string            `yaml:"first_person"`
	Determiners       []string            `yaml:"determiners"`
	Roles             map[string][]string `yaml:"roles"`
	OrganisationHeads []string            `yaml:"organisation_heads"`
	DocumentWords     []string            `yaml:"document_words"`
	TitleWords        []string            `yaml:"title_words"`
	NotNames          []string            `yaml:"not_names"`
	NameParticles     []string            `yaml:"name_particles"`
	Quantifiers       []string            `yaml:"quantifiers"`
	Indefinites       []string            `yaml:"indefinites"`
	AttributionNouns  []string            `yaml:"attribution_nouns"`
	PhraseStops       []string            `yaml:"phrase_stops"`
	NounMarkers       []string            `yaml:"noun_markers"`
	ObjectMarkers     []string            `yaml:"object_markers"`
	SpeechNouns       []string            `yaml:"speech_nouns"`
	MediaNouns        []string            `yaml:"media_nouns"`
	RoleKinds         []struct {
		Kinds []string `yaml:"kinds"`
		Cover []string `yaml:"cover"`
	} `yaml:"role_kinds"`
	HonorificRoles map[string]string `yaml:"honorific_roles"`
}

var (
	lexOnce sync.Once
	lexMap  map[string]*lexicon
	lexAll  *shared
	lexErr  error
)

// lexicons returns the parsed lexicons (parsed once).
func lexicons() (map[string]*lexicon, *shared, error) {
	lexOnce.Do(func() {
		lexMap = map[string]*lexicon{}
		for _, lang := range []string{news.Arabic, news.French, news.English} {
			l, err := loadLexicon(lang)
			if err != nil {
				lexErr = err
				return
			}
			lexMap[lang] = l
		}
		lexAll, lexErr = loadShared()
	})
	return lexMap, lexAll, lexErr
}

var genderNames = map[string]int{"male": genderMale, "female": genderFemale, "plural": genderPlural, "any": genderUnknown}

var tierNames = map[string]int{"say": tierSay, "speech": tierSpeech, "opinion": tierOpinion}

func loadLexicon(lang string) (*lexicon, error) {
	raw, err := lexiconFiles.ReadFile("lexicon/" + lang + ".yaml")
	if err != nil {
		return nil, err
	}
	var f lexiconFile
	if err := yaml.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("lexicon/%s.yaml: %w", lang, err)
	}
	if f.Language != lang {
		return nil, fmt.Errorf("lexicon/%s.yaml: language %q", lang, f.Language)
	}
	l := &lexicon{
		verbs:       map[string]verbForm{},
		preps:       map[string]bool{},
		firstPerson: set(f.FirstPerson), determiners: set(f.Determiners),
		orgHeads: set(f.OrganisationHeads), documents: set(f.DocumentWords), titleWords: set(f.TitleWords),
		notNames: set(f.NotNames), particles: set(f.NameParticles), quantifiers: set(f.Quantifiers),
		attributionNs: set(f.AttributionNouns), phraseStops: set(f.PhraseStops), indefinites: set(f.Indefinites), nounMarkers: set(f.NounMarkers), objMarkers: set(f.ObjectMarkers), rawObjMarkers: lowerSet(f.ObjectMarkers), speechNouns: set(f.SpeechNouns), mediaNouns: set(f.MediaNouns), subjPronouns: set(f.SubjectPronouns), placeHeads: set(f.PlaceHeads),
		honorifics: gendered(f.Honorifics), pronouns: gendered(f.Pronouns), roles: gendered(f.Roles),
	}
	for _, v := range f.SpeechVerbs {
		tier, ok := tierNames[v.Tier]
		if !ok {
			return nil, fmt.Errorf("lexicon/%s.yaml: verb %s: unknown tier %q", lang, v.Lemma, v.Tier)
		}
		add := func(forms []string, kind, gender int) {
			for _, w := range forms {
				l.addVerb(fold(w), verbForm{tier: tier, kind: kind, gender: gender, continuation: v.Continuation})
			}
		}
		add(v.Forms, formFinite, genderUnknown)
		add(v.Masculine, formFinite, genderMale)
		add(v.Feminine, formFinite, genderFemale)
		add(v.Plural, formFinite, genderPlural)
		if len(v.FeminineGerunds) > 0 {
			add(v.Gerunds, formGerund, genderMale)
			add(v.FeminineGerunds, formGerund, genderFemale)
		} else {
			add(v.Gerunds, formGerund, genderUnknown)
		}
		add(v.Infinitives, formInfinitive, genderUnknown)
	}
	for _, p := range f.Prepositions {
		ws := strings.Fields(fold(p))
		if len(ws) == 1 {
			l.preps[ws[0]] = true
		} else {
			l.prepPhrases = append(l.prepPhrases, ws)
		}
	}
	if err := l.addRoleKinds(f); err != nil {
		return nil, fmt.Errorf("lexicon/%s.yaml: %w", lang, err)
	}
	if lang == news.Arabic {
		if err := l.addCommonWords(); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// addRoleKinds records which role nouns each kind of description covers
// and the roles honorifics give.
func (l *lexicon) addRoleKinds(f lexiconFile) error {
	l.roleKinds, l.honorRoles = map[string]map[string]bool{}, map[string]string{}
	for _, k := range f.RoleKinds {
		cover := map[string]bool{}
		for _, w := range k.Cover {
			cover[roleNoun(w)] = true
		}
		for _, w := range k.Kinds {
			if l.roleKinds[roleNoun(w)] != nil {
				return fmt.Errorf("role kind %s listed twice", w)
			}
			l.roleKinds[roleNoun(w)] = cover
		}
	}
	for h, r := range f.HonorificRoles {
		l.honorRoles[fold(h)] = r
	}
	return nil
}

// addCommonWords reads the Arabic words that are not names.
func (l *lexicon) addCommonWords() error {
	var common struct {
		Nouns     []string `yaml:"nouns"`
		Verbs     []string `yaml:"verbs"`
		Functions []string `yaml:"function_words"`
	}
	raw, err := lexiconFiles.ReadFile("lexicon/ar-common.yaml")
	if err != nil {
		return err
	}
	if err := yaml.Unmarshal(raw, &common); err != nil {
		return fmt.Errorf("lexicon/ar-common.yaml: %w", err)
	}
	l.commonWords = set(append(common.Nouns, common.Verbs...))
	for w := range set(common.Functions) {
		l.notNames[w] = true
	}
	return nil
}

// addVerb records a form; a form listed twice with different genders (a
// present feminine that is also a past masculine) keeps no gender, and the
// surer tier wins.
func (l *lexicon) addVerb(w string, f verbForm) {
	old, ok := l.verbs[w]
	if !ok {
		l.verbs[w] = f
		return
	}
	if old.gender != f.gender {
		old.gender = genderUnknown
	}
	if f.tier < old.tier {
		old.tier = f.tier
	}
	old.continuation = old.continuation || f.continuation
	l.verbs[w] = old
}

func set(ws []string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[fold(w)] = true
	}
	return m
}

// gendered maps each word of the groups to its gender; a word listed under
// two genders (ministre, porte-parole) keeps none.
func gendered(groups map[string][]string) map[string]int {
	m := map[string]int{}
	names := make([]string, 0, len(groups))
	for g := range groups {
		names = append(names, g)
	}
	sort.Strings(names)
	for _, g := range names {
		for _, w := range groups[g] {
			f := fold(w)
			if old, ok := m[f]; ok && old != genderNames[g] {
				m[f] = genderUnknown
				continue
			}
			m[f] = genderNames[g]
		}
	}
	return m
}

func loadShared() (*shared, error) {
	var places struct {
		Arabic []string `yaml:"arabic"`
		Latin  []string `yaml:"latin"`
	}
	var names struct {
		Arabic map[string][]string `yaml:"arabic"`
		Latin  map[string][]string `yaml:"latin"`
	}
	for file, into := range map[string]any{"lexicon/places.yaml": &places, "lexicon/names.yaml": &names} {
		raw, err := lexiconFiles.ReadFile(file)
		if err != nil {
			return nil, err
		}
		if err := yaml.Unmarshal(raw, into); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
	}
	s := &shared{places: set(append(places.Arabic, places.Latin...)), givenNames: gendered(names.Arabic)}
	for w, g := range gendered(names.Latin) {
		s.givenNames[w] = g
	}
	return s, nil
}

// roleNoun folds a role noun as role heads are kept: without an Arabic
// article.
func roleNoun(w string) string {
	f := fold(w)
	if t, ok := strings.CutPrefix(f, "ال"); ok && len(t) > 2 {
		return t
	}
	return f
}

// covers reports whether a description headed by desc (le policier, the
// official) may stand for someone given the role noun held (commissaire,
// minister).
func (l *lexicon) covers(desc, held string) bool {
	return desc != "" && (desc == held || l.roleKinds[desc][held])
}

func (l *lexicon) isRole(w string) bool {
	_, ok := l.roles[w]
	return ok
}

func (l *lexicon) isHonorific(w string) bool {
	_, ok := l.honorifics[w]
	return ok
}

func lowerSet(ws []string) map[string]bool {
	m := make(map[string]bool, len(ws))
	for _, w := range ws {
		m[strings.ToLower(w)] = true
	}
	return m
}
