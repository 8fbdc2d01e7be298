#include <catch2/catch.hpp>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <string>
#include <vector>

#include "rights/text_analysis.h"

namespace {

std::vector<std::string> terms_of(const std::string& text) {
  rights::TextAnalyzer analyzer;
  std::vector<std::string> terms;
  for (const auto& token : analyzer.tokenize(text)) terms.push_back(token.term);
  return terms;
}

}  // namespace

TEST_CASE("each script is segmented into words", "[segment]") {
  struct Case {
    const char* script;
    std::string text;
    std::vector<std::string> words;
  };
  const auto sample = GENERATE(values<Case>({
      {"Latin", "Women’s Affairs, U.S. Embassy", {"women's", "affairs", "u.s", "embassy"}},
      {"Khmer", "អ្នកស្រី សុភា ម៉ូនីតា", {"អ្នកស្រី", "សុភា", "ម៉ូ", "នី", "តា"}},
      {"Khmer (no spaces)", "សិទ្ធិមនុស្សនិងសេរីភាព", {"សិទ្ធិមនុស្ស", "និង", "សេរីភាព"}},
      {"Thai", "สิทธิมนุษยชนทุกคน", {"สิทธิ", "มนุษย", "ชน", "ทุก", "คน"}},
      {"Lao", "ສິດທິມະນຸດ", {"ສິດທິ", "ມະນຸດ"}},
      {"Burmese", "လူ့အခွင့်အရေး", {"လူ့", "အခွင့်အရေး"}},
      {"Chinese", "人人生而自由，在尊严和权利上一律平等",
       {"人", "人生", "而", "自由", "在", "尊严", "和", "权利", "上", "一律", "平等"}},
      // Han characters are indexed in their Simplified form (間 → 间), in Japanese too.
      {"Japanese", "すべての人間は自由", {"すべて", "の", "人间", "は", "自由"}},
      {"Chinese (Traditional)", "人人生而自由，在尊嚴和權利上一律平等",
       {"人", "人生", "而", "自由", "在", "尊严", "和", "权利", "上", "一律", "平等"}},
      {"Vietnamese", "Tất cả mọi người", {"tất", "cả", "mọi", "người"}},
      {"Arabic", "يولد جميع الناس أحرارًا", {"يولد", "جميع", "الناس", "احرارا"}},
      {"Cyrillic", "Все люди рождаются СВОБОДНЫМИ", {"все", "люди", "рождаются", "свободными"}},
      // Korean words carry their particles: syllable pairs, so nouns are found alone.
      {"Korean", "인권운동가를 체포했다 법", {"인권", "권운", "운동", "동가", "가를", "체포", "포했", "했다", "법"}},
      {"Korean and Latin", "UN인권이사회 2021년", {"un", "인권", "권이", "이사", "사회", "2021", "년"}},
  }));
  INFO(sample.script);
  CHECK(terms_of(sample.text) == sample.words);
}

TEST_CASE("a narrow no-break space separates words, as a query reads it", "[segment]") {
  // French typography puts U+202F inside « » and before : ; ! ?; Mongolian before a
  // suffix. ICU's word rules join across it, and normalisation would make it a space
  // inside the term, which no query can contain.
  CHECK(terms_of("article premier\u202F: «\u202Fliberté\u202F»") ==
        std::vector<std::string>{"article", "premier", "liberté"});
  CHECK(terms_of("\u1833\u1821\u182D\u1826\u1826\u202F\u1822\u1828") ==
        std::vector<std::string>{"\u1833\u1821\u182D\u1826\u1826", "\u1822\u1828"});
  rights::TextAnalyzer analyzer;
  const std::string text = "«\u202Fliberté\u202F»";
  const auto tokens = analyzer.tokenize(text);
  REQUIRE(tokens.size() == 1);
  CHECK(text.substr(tokens[0].begin, tokens[0].end - tokens[0].begin) == "liberté");
}

TEST_CASE("words spelt two standard ways are segmented alike", "[segment]") {
  // ICU's dictionaries hold Thai and Lao sara am and Lao ໝ composed and cut the
  // decomposed spellings (text copied from PDFs) into other pieces; Khmer subscript da and
  // ta, ឱ and ឲ, also segment apart. Each pair must give the same terms.
  const std::pair<std::string, std::string> spellings[] = {
      {"การกระท\u0E33", "การกระท\u0E4D\u0E32"},
      {"\u0E88\u0EB3\u0EC0\u0E9B\u0EB1\u0E99", "\u0E88\u0ECD\u0EB2\u0EC0\u0E9B\u0EB1\u0E99"},
      {"ສະເ\u0EDDີພາບ", "ສະເ\u0EAB\u0EA1ີພາບ"},
      {"ໜ້າທີ່", "\u0EAB\u0E99້າທີ່"},
      {"សេចក្ដីថ្លៃថ្នូរ", "សេចក្តីថ្លៃថ្នូរ"},
      {"ដើម្បីឱ្យមាន", "ដើម្បីឲ្យមាន"},
      {"联合国大会", "聯合國大會"},  // ICU cut the Traditional spelling as one word
      {"សិទ្ធិស្ត្រីនិងកុមារ", "សិទ្ធិស្រ្តីនិងកុមារ"},  // coeng ro typed before coeng ta
      {"ការជុំគ្នា", "ការជំុគ្នា"},  // nikahit typed before the vowel u
      // Marks typed in another order that looks the same, which normalisation keeps (their
      // combining class is 0). Khmer register shifter after the vowel: ហ៊ុន (Hun),
      // ស៊ើបអង្កេត ("investigate").
      {"សម្តេចហ៊ុនសែន", "សម្តេចហ\u17BB\u17CAនសែន"},
      {"ស៊ើបអង្កេត", "ស\u17BE\u17CAបអង្កេត"},
      // Thai tone mark before the vowel above; nikhahit of a decomposed ำ before the tone.
      {"ที่ดินของรัฐ", "ท\u0E48\u0E35ดินของรัฐ"},
      {"น้ำท่วม", "น\u0E4D\u0E49\u0E32ท่วม"},
      {"ສິດທິມະນຸດ ທີ່ດິນ", "ສິດທິມະນຸດ ທ\u0EC8\u0EB5ດິນ"},  // Lao tone before the vowel
      // Burmese: u before i (ကို), u before the ha medial (လှုပ်ရှား), wa before ra
      // (တက်ကြွ), anusvara before u (ချုံ).
      {"ရှေ့နေကို", "ရှေ့နေက\u102F\u102D"},
      {"လှုပ်ရှားသူ", "လ\u102F\u103Eပ်ရှားသူ"},
      {"တက်ကြွ", "တက်က\u103D\u103C"},
      {"အဖွဲ့ချုံ", "အဖွဲ့ချ\u1036\u102F"},
      // Invisible joiners that fonts and keyboards leave inside words: ICU's segmenter
      // stopped at them and the words around came out one term.
      {"សកម្មជនសិទ្ធិមនុស្ស", "សកម្មជន\u200Cសិទ្ធិមនុស្ស"},
      {"กระทรวงยุติธรรม", "กระทรวง\u200Dยุติธรรม"},
      {"ပြည်ထဲရေးဝန်ကြီးဌာန", "ပြည်ထဲရေး\u2060ဝန်ကြီးဌာန"},
      // Burmese digit zero typed for the letter wa: ဝန်ကြီးဌာန ("ministry").
      {"ပြည်ထဲရေးဝန်ကြီးဌာန", "ပြည်ထဲရေး\u1040န်ကြီးဌာန"},
      {"ဝန်ကြီး", "\u1040န်ကြီး"},
      // Thai and Lao sara ae typed as two sara e: แถลงข่าว ("press statement"), ແຂວງ ("province").
      {"กระทรวงแถลงข่าว", "กระทรวง\u0E40\u0E40ถลงข่าว"},
      {"ແຂວງຫຼວງພະບາງ", "\u0EC0\u0EC0ຂວງຫຼວງພະບາງ"},
      // Khmer two-part vowels typed as their parts: កាត់ទោស ("sentence"), ឆ្លើយតប ("reply").
      {"តុលាការកាត់ទោស", "តុលាការកាត់ទ\u17C1\u17B6ស"},
      {"មិនបានឆ្លើយតបទេ", "មិនបានឆ្ល\u17C1\u17B8យតបទេ"},
  };
  for (const auto& [composed, decomposed] : spellings) {
    CAPTURE(composed, decomposed);
    CHECK(terms_of(decomposed) == terms_of(composed));
  }
  // Offsets are the original text's, after a spelling the segmenter reads shorter or
  // with its marks put in order.
  rights::TextAnalyzer analyzer;
  const std::string text =
      "\u0E40\u0E40ถลงข่าว សកម្មជន\u200Cសិទ្ធិមនុស្ស សម្តេចហ\u17BB\u17CAនសែន ท\u0E48\u0E35ดิน လ\u102F\u103Eပ်ရှား การกระท\u0E4D\u0E32 น\u0E4D\u0E32 ສະເ\u0EAB\u0EA1ີພາບ";
  const auto tokens = analyzer.tokenize(text);
  REQUIRE(tokens.size() >= 3);
  CHECK(tokens.back().end == text.size());
  CHECK(text.substr(tokens.back().begin) == "ສະເ\u0EAB\u0EA1ີພາບ");
  for (const auto& token : tokens) {
    CAPTURE(token.term);
    CHECK(rights::normalize(text.substr(token.begin, token.end - token.begin)) == token.term);
  }
}

TEST_CASE("a number written against a word of a spaceless script is a word of its own", "[segment]") {
  // ICU's dictionary segmenters let digits join the Khmer, Thai, Lao or Burmese word
  // beside them: "ឆ្នាំ២០២១" ("year 2021") was one term, found by neither half.
  CHECK(terms_of("ថ្ងៃទី១៥ ខែមករា ឆ្នាំ២០២១") ==
        std::vector<std::string>{"ថ្ងៃទី", "15", "ខែមករា", "ឆ្នាំ", "2021"});
  CHECK(terms_of("ឆ្នាំ2021") == std::vector<std::string>{"ឆ្នាំ", "2021"});
  CHECK(terms_of("เมื่อปี๒๕๖๔") == std::vector<std::string>{"เมื่อ", "ปี", "2564"});
  CHECK(terms_of("၁၉၄၈ခုနှစ်") == std::vector<std::string>{"1948", "ခု", "နှစ်"});
  // Other scripts keep a word with digits whole, as ICU has it.
  CHECK(terms_of("covid19 г2021") == std::vector<std::string>{"covid19", "г2021"});
  rights::TextAnalyzer analyzer;
  const std::string text = "ឆ្នាំ២០២១";
  const auto tokens = analyzer.tokenize(text);
  REQUIRE(tokens.size() == 2);
  CHECK(text.substr(tokens[1].begin, tokens[1].end - tokens[1].begin) == "២០២១");
  // A Burmese zero between digits, or beside no letter, stays a number (၁၀ is 10).
  const auto burmese = terms_of("၂၀၂၁ ခုနှစ် ဇန်နဝါရီလ ၁၀ ရက်နေ့ ၀");
  CHECK(std::count(burmese.begin(), burmese.end(), "2021") == 1);
  CHECK(std::count(burmese.begin(), burmese.end(), "10") == 1);
  CHECK(burmese.back() == "0");
}

TEST_CASE("apostrophes at a word's edge are not part of the word", "[segment]") {
  // Hawaiian ʻokina is a letter to ICU, ‘ and ' are not: all three read "āina" alike.
  CHECK(terms_of("ʻāina ‘āina 'āina") == std::vector<std::string>{"āina", "āina", "āina"});
  CHECK(terms_of("boʻlgan bo‘lgan bo'lgan") == std::vector<std::string>{"bo'lgan", "bo'lgan", "bo'lgan"});
  CHECK(terms_of("ʻ x").size() == 1);
}

TEST_CASE("Malayalam words with old and new chillus are one term", "[segment]") {
  const auto old_spelling = terms_of("ലോകത്തില്‍ സര്‍വ്വതോ");
  const auto new_spelling = terms_of("ലോകത്തിൽ സർവ്വതോ");
  REQUIRE(new_spelling.size() == 2);
  CHECK(old_spelling == new_spelling);
}

TEST_CASE("tokens carry byte offsets into the original text", "[segment]") {
  rights::TextAnalyzer analyzer;
  const std::string text = "Ｆｕｌｌ width, សិទ្ធិ!";
  const auto tokens = analyzer.tokenize(text);
  REQUIRE(tokens.size() == 3);
  CHECK(tokens[0].term == "full");  // NFKC folds full-width letters
  CHECK(text.substr(tokens[0].begin, tokens[0].end - tokens[0].begin) == "Ｆｕｌｌ");
  CHECK(text.substr(tokens[2].begin, tokens[2].end - tokens[2].begin) == "សិទ្ធិ");
}

TEST_CASE("elided articles are not part of the word", "[segment]") {
  // French, Italian and Catalan write "the education" as "l’éducation": the word searched
  // for is "éducation", with or without the article.
  CHECK(terms_of("droit à l’éducation") == std::vector<std::string>{"droit", "à", "éducation"});
  CHECK(terms_of("liberté d'expression, qu'il, jusqu’à, L'HOMME") ==
        std::vector<std::string>{"liberté", "expression", "il", "à", "homme"});
  CHECK(terms_of("dell'uomo, all'istruzione") == std::vector<std::string>{"uomo", "istruzione"});
  // Not an article: English possessives and contractions, names, "aujourd'hui".
  CHECK(terms_of("women's o'clock O'Brien aujourd'hui don't rock'n'roll") ==
        std::vector<std::string>{"women's", "o'clock", "o'brien", "aujourd'hui", "don't", "rock'n'roll"});
  // Highlighting marks the word itself: the offsets start after the apostrophe.
  rights::TextAnalyzer analyzer;
  const std::string text = "à l’éducation";
  const auto tokens = analyzer.tokenize(text);
  REQUIRE(tokens.size() == 2);
  CHECK(text.substr(tokens[1].begin, tokens[1].end - tokens[1].begin) == "éducation");
}

TEST_CASE("one character folds as normalize() folds it in a word", "[segment]") {
  // Snippets search raw text character by character for normalised words.
  for (const std::string word : {"φυλακές", "ΐ", "إعلان", "آمنة", "الْحَقُّ", "حـقـوق", "בְּנֵי", "ёлка", "Ёж",
                                 "Națiunilor", "आज़ादी", "សេចក្ដី", "ឲ្យ", "ដើម", "២០២១", "١٢", "১২"}) {
    CAPTURE(word);
    icu::UnicodeString folded;
    const icu::UnicodeString text = icu::UnicodeString::fromUTF8(word);
    UChar32 previous = 0;
    for (int32_t i = 0; i < text.length(); i += U16_LENGTH(text.char32At(i))) {
      const UChar32 character = text.char32At(i);
      const int32_t c = rights::fold_script_character_after(previous, u_foldCase(character, U_FOLD_CASE_DEFAULT));
      previous = character;
      if (c >= 0) folded.append(static_cast<UChar32>(c));
    }
    std::string out;
    folded.toUTF8String(out);
    CHECK(out == rights::normalize(word));
  }
}

TEST_CASE("Korean syllable pairs carry the offsets of their syllables", "[segment]") {
  rights::TextAnalyzer analyzer;
  const std::string text = "존엄과 권리에";
  const auto tokens = analyzer.tokenize(text);
  REQUIRE(tokens.size() == 4);
  const auto source = [&](const rights::Token& token) { return text.substr(token.begin, token.end - token.begin); };
  CHECK(source(tokens[0]) == "존엄");
  CHECK(source(tokens[1]) == "엄과");
  CHECK(source(tokens[2]) == "권리");
  CHECK(source(tokens[3]) == "리에");
  // A word whose other characters change length under NFKC ("ŉ" grows, "ﬁ" shrinks):
  // every pair spans whole characters of the source.
  const std::string mixed = "\u0149\uC778\uAD8C\uFB01";  // ŉ인권ﬁ
  for (const auto& token : analyzer.tokenize(mixed)) {
    CAPTURE(token.term);
    CHECK(rights::is_valid_utf8(mixed.substr(token.begin, token.end - token.begin)));
  }
  // Decomposed jamo (NFD) compose to the same pairs; each spans the whole source word.
  const std::string decomposed = "\u1100\u116F\u11AB\u1105\u1175";  // 권리 as jamo
  const auto composed = analyzer.tokenize(decomposed);
  REQUIRE(composed.size() == 1);
  CHECK(composed[0].term == "권리");
  CHECK(composed[0].begin == 0);
  CHECK(composed[0].end == decomposed.size());
}

TEST_CASE("normalisation folds case, compatibility forms and apostrophes", "[segment]") {
  CHECK(rights::normalize("ÉCOLE") == "école");
  CHECK(rights::normalize("Straße") == "strasse");
  CHECK(rights::normalize("ﬁnance") == "finance");
  CHECK(rights::normalize("Women’s") == "women's");
}

TEST_CASE("normalisation folds what each script's readers type either way", "[segment]") {
  const auto [typed, expected] = GENERATE(table<std::string, std::string>({
      // Turkish İ folds to plain i, never i + a combining dot; ı stays a letter of its own.
      {"DİYARBAKIR", "diyarbakir"},
      {"İstanbul", "istanbul"},
      {"ırkçılık", "ırkçılık"},
      // Greek: capitals are written without accents, and final sigma is sigma.
      {"ΦΥΛΑΚΕΣ", "φυλακεσ"},
      {"φυλακές", "φυλακεσ"},
      {"δικαιώματα", "δικαιωματα"},
      {"ΐ", "ι"},
      {"ψυχῇ", "ψυχη"},  // polytonic: the iota subscript is silent, not an ι
      {"ἐλευθερίᾳ", "ελευθερια"},
      {"ᾼ", "α"},
      // Hebrew points and Arabic harakat and tatweel are not typed in queries.
      {"עִנּוּי", "ענוי"},
      {"בְּנֵי", "בני"},
      {"الْحَقُّ", "الحق"},
      {"حـقـوق", "حقوق"},
      // Arabic alef variants.
      {"إعلان", "اعلان"},
      {"أحمد", "احمد"},
      // Persian and Urdu yeh and kaf are the Arabic letters on an Arabic keyboard (and
      // in much Persian text): one letter each.
      {"کشور", "كشور"},
      {"آزادی", "ازادي"},
      {"ہر", "هر"},                          // Urdu heh goal
      // Urdu yeh barree is a letter of its own: کے ("of", masculine) is not کی (feminine).
      {"کے", "كے"},
      {"کی", "كي"},
      // Teh marbuta and alef maksura stay: the Arabic stemmer reads them.
      {"الكرامة", "الكرامة"},
      {"على", "على"},
      // Malayalam chillus, atomic (Unicode 5.1) or consonant + virama + ZWJ (before): one
      // letter; a virama without ZWJ stays a virama.
      {"ലോകത്തില്‍", "ലോകത്തിൽ"},
      {"സര്‍വ്വ", "സർവ്വ"},
      {"അവന്", "അവന്"},
      // Russian ё is mostly written е.
      {"Ёшкар-Оле", "ешкар-оле"},
      {"своём", "своем"},
      // Vietnamese tone of a final oa/oe/uy, written on either vowel: one spelling.
      {"hóa", "hoá"},
      {"HÒA", "hoà"},
      {"khỏe", "khoẻ"},
      {"thủy", "thuỷ"},
      {"hoá", "hoá"},
      {"của", "của"},
      {"hoàng", "hoàng"},
      {"impõe", "impõe"},  // Portuguese õe: the tilde is not moved
      // Romanian comma-below and cedilla letters are one letter each (Turkish ş kept).
      {"națiunilor", "naţiunilor"},
      {"ŞI", "şi"},
      {"ţară", "ţară"},
      {"başkan", "başkan"},
      // The Hindi and Punjabi nukta is mostly left out.
      {"आज़ादी", "आजादी"},
      {"ਆਜ਼ਾਦੀ", "ਆਜਾਦੀ"},
      {"\u0958", "क"},  // precomposed qa
      // Khmer subscript da and ta look alike, ឲ is ឱ; a full ដ stays.
      {"សេចក្ដី", "សេចក្តី"},
      {"ឲ្យ", "ឱ្យ"},
      {"ដើម", "ដើម"},
      // Khmer clusters typed in another order than Unicode's, which look the same: coeng ro
      // after the other subscript, nikahit after the vowel u.
      {"ស្រ្តី", "ស្ត្រី"},
      {"ស្រ្ដី", "ស្ត្រី"},
      {"វិទ្យាសាស្រ្ត", "វិទ្យាសាស្ត្រ"},
      {"ជំុ", "ជុំ"},
      {"ស្ត្រី", "ស្ត្រី"},
      {"ក្រ្រ", "ក្រ្រ"},  // two coeng ro: nothing to move
      // Syriac vowel and rukkakha points are mostly not written, nor typed.
      {"ܥܒ݂ܕܘܬܐ", "ܥܒܕܘܬܐ"},
      {"ܐܢܵܫܵܐ", "ܐܢܫܐ"},
      // Traditional Chinese characters are their Simplified forms.
      {"人權", "人权"},
      {"聯合國", "联合国"},
      {"人权", "人权"},
      // Digits of every script are ASCII digits (years, article and law numbers).
      {"២០២១", "2021"},
      {"๒๕๖๔", "2564"},
      {"໑໒", "12"},
      {"၁၉၄၈", "1948"},
      {"١٢", "12"},
      {"۱۳۲۷", "1327"},
      {"१९४८", "1948"},
      {"১২", "12"},
      {"１２", "12"},  // full-width (NFKC)
      // ʻ and ‘ are apostrophes (Uzbek, Hawaiian).
      {"boʻlgan", "bo'lgan"},
      {"bo‘lgan", "bo'lgan"},
      // Other scripts' marks are letters: untouched.
      {"សិទ្ធិ", "សិទ្ធិ"},
      {"अधिकार", "अधिकार"},
      {"người", "người"},
      {"й", "й"},
  }));
  CAPTURE(typed);
  CHECK(rights::normalize(typed) == expected);
}

TEST_CASE("Latin letters lose their diacritics: other scripts keep their marks", "[segment]") {
  const auto [word, expected] = GENERATE(table<std::string, std::string>({
      {"déclaration", "declaration"},
      {"être", "etre"},
      {"garçon", "garcon"},
      {"niño", "nino"},
      {"über", "uber"},
      {"người", "nguoi"},  // ư = u + horn, ờ = o + horn + grave
      {"quyền", "quyen"},
      {"đồng", "dong"},    // đ is a letter of its own, not d + a mark
      {"łódź", "lodz"},
      {"søren", "soren"},
      {"œuvre", "oeuvre"},
      {"ılısu", "ilisu"},  // Turkish dotless ı, typed as i on other keyboards
      {"ƙasashen", "kasashen"},  // Hausa hooked letters, typed plain
      {"ɓangare", "bangare"},
      {"ɗan", "dan"},
      {"nyɔ\u0301nsɔ", "nyɔnsɔ"},  // tones on ɛ and ɔ go, the letters stay (Akan)
      {"wo\u0300lɔ\u0303", "wolɔ"},     // Ewe
      {"ko\u0331nigti", "konigti"},   // a mark on a plain letter (Otomí)
      {"ǣ\u17D2", "ae\u17D2"},  // NFD puts the coeng before the macron: the macron still goes
      {"rights", "rights"},
      {"2021", "2021"},
      {"សិទ្ធិ", "សិទ្ធិ"},      // Khmer vowel signs and coeng are letters
      {"สิทธิ", "สิทธิ"},        // Thai vowel signs
      {"حُقُوق", "حُقُوق"},      // Arabic harakat
      {"й", "й"},              // Cyrillic short i is a letter, not и + breve
      {"ελευθερία", "ελευθερία"},  // Greek: left alone
      {"人权", "人权"},
  }));
  CAPTURE(word);
  CHECK(rights::without_latin_diacritics(word) == expected);
  CHECK(rights::may_have_latin_diacritics(word) == (word != expected));
  rights::TextAnalyzer analyzer;
  CHECK(analyzer.unaccented(word) == expected);
}

TEST_CASE("over-long runs are split, not dropped (Xapian's 245-byte term limit)", "[segment]") {
  // 120 Khmer letters without a break: far over Xapian TermGenerator's 64-byte cut-off.
  std::string run;
  for (int i = 0; i < 120; ++i) run += "ក";
  rights::TextAnalyzer analyzer;
  const auto tokens = analyzer.tokenize(run);
  REQUIRE_FALSE(tokens.empty());
  std::string joined;
  for (const auto& token : tokens) {
    CHECK(token.term.size() <= rights::kMaxTermBytes);
    joined += token.term;
  }
  CHECK(joined == run);
}

TEST_CASE("UTF-8 validation finds the first bad byte", "[segment]") {
  CHECK(rights::is_valid_utf8("plain ascii"));
  CHECK(rights::is_valid_utf8("សិទ្ធិ"));
  CHECK(rights::first_invalid_utf8(std::string("ok\xff", 3)) == 2);
  CHECK(rights::first_invalid_utf8(std::string("\xc0\xaf", 2)) == 0);   // overlong '/'
  CHECK(rights::first_invalid_utf8(std::string("ab\xe1\x9e", 4)) == 2); // truncated
  CHECK(rights::first_invalid_utf8(std::string("\xed\xa0\x80", 3)) == 0);  // surrogate
}

TEST_CASE("stemming follows the document language where Xapian has a stemmer", "[segment]") {
  rights::TextAnalyzer analyzer;
  CHECK(analyzer.stem("rights", "en") == "right");
  CHECK(analyzer.stem("droits", "fr") == "droit");
  CHECK(analyzer.stem("សិទ្ធិ", "km").empty());
  // Turkish suffixes after an apostrophe belong to the name before it.
  CHECK(analyzer.stem("ankara'da", "tr") == analyzer.stem("ankara", "tr"));
  // Turkish stems fold ı to i: capitals (DİYARBAKIR) fold to i.
  CHECK(analyzer.stem("diyarbakır", "tr") == analyzer.stem("diyarbakir", "tr"));
  CHECK(analyzer.stem("türkiye'nin", "tr") == analyzer.stem("türkiye", "tr"));
  CHECK(analyzer.stem("women's", "en") == "women");
  CHECK(rights::TextAnalyzer::has_stemmer("ru"));
  CHECK_FALSE(rights::TextAnalyzer::has_stemmer("km"));
  CHECK_FALSE(rights::TextAnalyzer::has_stemmer(""));
}

TEST_CASE("remembered stems and normalisations stay right past the memo's size", "[segment]") {
  // More distinct words than either memo holds (16,384), twice over, so each is cleared
  // and refilled; every answer must equal a fresh computation.
  rights::TextAnalyzer analyzer;
  const Xapian::Stem english("en");
  const std::vector<std::string> endings = {"ing", "ed", "s", "ation", "ies"};
  for (int round = 0; round < 2; ++round) {
    for (int n = 0; n < 20000; ++n) {
      const std::string word = "w" + std::to_string(n) + endings[static_cast<std::size_t>(n) % endings.size()];
      // Non-ASCII, mixed case: the ICU path (NFKC + case folding), not the ASCII one.
      const std::string mixed = "Ä" + std::to_string(n) + "Ω";
      for (int again = 0; again < 2; ++again) {  // computed, then remembered
        REQUIRE(analyzer.stem(word, "en") == english(word));
        const auto tokens = analyzer.tokenize(mixed);
        REQUIRE(tokens.size() == 1);
        REQUIRE(tokens[0].term == rights::normalize(mixed));
        REQUIRE(tokens[0].term == "ä" + std::to_string(n) + "ω");
      }
    }
  }
  CHECK(analyzer.stem("rights", "en") == "right");
  CHECK(analyzer.stem("droits", "fr") == "droit");
}
