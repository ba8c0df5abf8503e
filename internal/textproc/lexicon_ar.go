package textproc

import "strings"

// The Arabic lexicon of the light stemmer. Entries are written as in print
// and normalized when the package loads, so they follow Normalize.

// arabicWholeWords are words and names whose first letter is و ف ب ك or ل
// of the word itself, not a clitic: a bare و ف ب ك ل is never stripped from
// them (nor from their plural and feminine forms, which share their stem).
// They are the common ones of news text where stripping the letter would
// leave another word of three letters or more (وفيات is not
// و + فيات, Fiat; فعالية is not ف + عالية; لبنان is not ل + بنان), and the
// migration vocabulary and place names the stemmer must keep whole.
var arabicWholeWords = normalizedSet(`
وفاة وفيات وزير وزراء وزارة وطن وطني وطنية وضع وضعية وقت وجود وجوه ولاية
ولايات وكالة وكالات وصول وثيقة وثائق وسائل واقع واقعية وسط وفد وفود والد
والدة وظيفة وظائف وعود وجهة وجهات ورقة أوراق وباء واشنطن وهران وجدة وجه وراء
وفد وعي ولادة وحدة وليد وكيل وطنيين
فرنسا فرنسي فرنسية فيلم فيات فريق فرصة فرص فعالية فعاليات فلسطين فلسطيني
فنان فنانين فكرة فيزا فيينا فالنسيا فنزويلا فيتنام فيسبوك فندق فنادق فقر فقير
فئة فئات فضاء فصل فصول فوز فيضان فيضانات فتحت فساد فاطمة فوضى فرد فراغ
بحر بحار بحري بحرية بلد بلدان بلاد بلدية بيان بيانات بطاقة بطاقات برنامج
برامج برلمان بريطانيا بريطاني بلجيكا برلين بروكسل باريس بنغلاديش بوركينا
بولندا بلغاريا بيروت بنغازي برشلونة باكستان بنك بنوك بيت بيوت بعثة بحث
بحوث بداية بطالة بلقان برازيل برازيلي بكين بيع برد بشر بشرية بنت بنات
كاليه كندا كوريا كولومبيا كينيا كرواتيا كوبا كاتالونيا كبير كبيرة كثير كلمة
كتاب كتب كرامة كارثة كوارث كنيسة كورونا كان كانت كانا كانوا كمال كامل كاملة كبار
كريم كلام كأس
لبنان لبناني ليبيا ليبي لندن لامبيدوزا لاجئ لجوء لجنة لجان لاعب لقاء لحظة
لغة لغات ليتوانيا لاتفيا لوكسمبورغ لشبونة ليون لاغوس ليل لائحة لوائح لحم لحوم
لون لقب لعب لاعبين ليلة ليال لمس
بعدما بعدها بعده بعدهم بعدهما لدينا لديه لديها لديهم لدي لدى كلما كلنا كلها كلهم
كله كلاهما لرؤية لنفسي لنفسه لنفسها لنفسهم
`)

// arabicKeepTaMarbuta are words whose ta marbuta (ه once normalized) is not
// a feminine ending to remove: without it they are another word (شرطة,
// police, is not شرط, condition; جامعة, university, is not جامع, mosque).
var arabicKeepTaMarbuta = normalizedSet(`
شرطة حكمة جامعة حملة مكتبة قاعدة رحلة جمعة
`)

// arabicPlurals maps broken plurals of the news and migration vocabulary to
// their singular. حدود is not mapped to حد: حد is also "limit" (الحد من
// الهجرة, limiting migration), so borders would match every limit.
var arabicPlurals = normalizedMap(`
قوارب:قارب مراكب:مركب زوارق:زورق سفن:سفينة جثث:جثة أطفال:طفل نساء:امرأة
أشخاص:شخص عمال:عامل طلاب:طالب بلدان:بلد أجانب:أجنبي غرقى:غريق قتلى:قتيل
جرحى:جريح ضحايا:ضحية سجناء:سجين مراكز:مركز منافذ:منفذ معابر:معبر موانئ:ميناء
جزر:جزيرة شواطئ:شاطئ وثائق:وثيقة أسر:أسرة شباب:شاب أوطان:وطن أراض:أرض
أراضي:أرض مناطق:منطقة مدن:مدينة قرى:قرية قوانين:قانون سواحل:ساحل بحار:بحر
ملاجئ:ملجأ حقوق:حق أبناء:ابن رجال:رجل جنود:جندي ضباط:ضابط مهربون:مهرب
`)

func normalizedSet(words string) map[string]bool {
	m := make(map[string]bool)
	for _, w := range strings.Fields(words) {
		m[Normalize(w)] = true
	}
	return m
}

func normalizedMap(pairs string) map[string]string {
	m := make(map[string]string)
	for _, p := range strings.Fields(pairs) {
		plural, singular, _ := strings.Cut(p, ":")
		m[Normalize(plural)] = Normalize(singular)
	}
	return m
}
