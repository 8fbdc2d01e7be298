#include <catch2/catch.hpp>

#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "rights/snippets.h"
#include "rights/spelling.h"

using rights::HighlightTerms;
using rights::make_snippet;

namespace {

HighlightTerms words(std::vector<std::string> list, std::vector<std::string> stem_languages = {}) {
  HighlightTerms terms;
  terms.words = std::move(list);
  terms.stem_languages = std::move(stem_languages);
  return terms;
}

// The snippet without markup and ellipses, HTML entities left as they are.
std::string strip_markup(std::string snippet) {
  for (const std::string tag : {"<mark>", "</mark>", "\u2026"}) {
    for (auto at = snippet.find(tag); at != std::string::npos; at = snippet.find(tag)) {
      snippet.erase(at, tag.size());
    }
  }
  return snippet;
}

std::string numbered_words(int from, int to) {
  std::string text;
  for (int i = from; i < to; ++i) text += "word" + std::to_string(i) + " ";
  return text;
}

}  // namespace

TEST_CASE("snippets: everything is HTML-escaped", "[snippets]") {
  rights::TextAnalyzer analyzer;
  const std::string text = "<script>alert('x')</script> & \"rights\" matter";
  const auto snippet = make_snippet(text, words({"rights"}), analyzer);
  CHECK(snippet ==
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;<mark>rights</mark>&quot; matter");
  CHECK(rights::html_escape("a<b>&'\"") == "a&lt;b&gt;&amp;&#39;&quot;");
  CHECK(rights::highlight_all("<b>rights</b>", words({"rights"}), analyzer) ==
        "&lt;b&gt;<mark>rights</mark>&lt;/b&gt;");
}

TEST_CASE("snippets: marks wrap whole words in scripts without spaces", "[snippets]") {
  rights::TextAnalyzer analyzer;
  SECTION("Khmer") {
    CHECK(make_snippet("ការគោរពសិទ្ធិមនុស្សគឺសំខាន់", words({"សិទ្ធិមនុស្ស"}), analyzer) ==
          "ការគោរព<mark>សិទ្ធិមនុស្ស</mark>គឺសំខាន់");
  }
  SECTION("Thai") {
    CHECK(make_snippet("ปฏิญญาสากลว่าด้วยสิทธิมนุษยชน", words({"สิทธิ", "มนุษย", "ชน"}), analyzer) ==
          "ปฏิญญาสากลว่าด้วย<mark>สิทธิมนุษยชน</mark>");  // touching words share a mark
  }
  SECTION("Chinese") {
    CHECK(make_snippet("世界人权宣言", words({"人权"}), analyzer) == "世界<mark>人权</mark>宣言");
  }
  SECTION("Korean: syllable pairs, marked as one span") {
    CHECK(make_snippet("경찰이 인권운동가를 체포했다", words({"인권"}), analyzer) == "경찰이 <mark>인권</mark>운동가를 체포했다");
    CHECK(make_snippet("경찰이 인권운동가를 체포했다", words({"인권", "권운", "운동", "동가"}), analyzer) ==
          "경찰이 <mark>인권운동가</mark>를 체포했다");
  }
  SECTION("Latin: no match inside a longer word") {
    CHECK(make_snippet("copyright and rights, right?", words({"right"}), analyzer) ==
          "copyright and rights, <mark>right</mark>?");
  }
}

TEST_CASE("snippets: stems and wildcard prefixes match", "[snippets]") {
  rights::TextAnalyzer analyzer;
  CHECK(make_snippet("He was Tortured.", words({"torture"}, {"en"}), analyzer) ==
        "He was <mark>Tortured</mark>.");
  CHECK(make_snippet("He was tortured.", words({"torture"}), analyzer) == "He was tortured.");
  HighlightTerms prefix;
  prefix.prefixes = {"impun"};
  CHECK(make_snippet("Impunity, not punishment.", prefix, analyzer) ==
        "<mark>Impunity</mark>, not punishment.");
  CHECK(make_snippet("Impunity, not punishment.", std::vector<std::string>{"impun*", "not"}, analyzer) ==
        "<mark>Impunity</mark>, <mark>not</mark> punishment.");
}

TEST_CASE("snippets: a text word that is the stem of a query word is marked, as it was found",
          "[snippets]") {
  rights::TextAnalyzer analyzer;
  // The search looks for the stem as a word too (word_query); stemming it again gives
  // another stem (universal -> univers, sağlama -> sağla, llibertats -> llibert).
  CHECK(rights::highlight_all("The Universal Declaration; the universe.", words({"universales"}, {"en"}), analyzer) ==
        "The <mark>Universal</mark> Declaration; the universe.");
  CHECK(rights::highlight_all("Bunu sağlama görevi.", words({"sağlamaya"}, {"tr"}), analyzer) ==
        "Bunu <mark>sağlama</mark> görevi.");
  CHECK(rights::highlight_all("Les llibertats fonamentals.", words({"llibertatss"}, {"ca"}), analyzer) ==
        "Les <mark>llibertats</mark> fonamentals.");
  // Stems stay in their language: in a text of another language the stem is no match.
  CHECK(rights::highlight_all("Bunu sağlama görevi.", words({"sağlamaya"}, {"en"}), analyzer) ==
        "Bunu sağlama görevi.");
  CHECK(rights::highlight_all("The Universal Declaration.", words({"universales"}), analyzer) ==
        "The Universal Declaration.");
}

TEST_CASE("snippets: windows are cut at word boundaries with ellipses", "[snippets]") {
  rights::TextAnalyzer analyzer;
  const std::string text = numbered_words(0, 100) + "target " + numbered_words(100, 200);
  std::size_t offset = 0;
  const auto snippet = make_snippet(text, words({"target"}), analyzer, 300, &offset);
  CHECK(offset == text.find("target"));
  CHECK(snippet.find("<mark>target</mark>") != std::string::npos);
  CHECK(snippet.rfind("\u2026", 0) == 0);
  CHECK(snippet.size() > 3);
  CHECK(snippet.compare(snippet.size() - 3, 3, "\u2026") == 0);
  const std::string shown = strip_markup(snippet);
  CHECK(shown.size() <= 300);
  CHECK(shown.size() > 250);
  // Starts and ends with whole words of the text.
  CHECK(shown.rfind("word", 0) == 0);
  CHECK(text.find(" " + shown + " ") != std::string::npos);
}

TEST_CASE("snippets: the window with the most matches wins", "[snippets]") {
  rights::TextAnalyzer analyzer;
  const std::string text = "alpha " + numbered_words(0, 150) + "alpha beta alpha " + numbered_words(150, 300);
  std::size_t offset = 0;
  const auto snippet = make_snippet(text, words({"alpha", "beta"}), analyzer, 300, &offset);
  CHECK(offset == text.find("alpha beta alpha"));
  CHECK(snippet.find("<mark>alpha beta alpha</mark>") != std::string::npos);
}

TEST_CASE("snippets: without a match, the start of the text", "[snippets]") {
  rights::TextAnalyzer analyzer;
  const std::string text = numbered_words(0, 200);
  std::size_t offset = 99;
  const auto snippet = make_snippet(text, words({"absent"}), analyzer, 300, &offset);
  CHECK(offset == 0);
  CHECK(snippet.rfind("word0 word1 ", 0) == 0);
  CHECK(snippet.compare(snippet.size() - 3, 3, "\u2026") == 0);
  CHECK(snippet.find("<mark>") == std::string::npos);
  CHECK(make_snippet("", words({"x"}), analyzer).empty());
  CHECK(make_snippet("Short text.", HighlightTerms{}, analyzer) == "Short text.");
}

TEST_CASE("snippets: whitespace is collapsed in snippets, kept in full text", "[snippets]") {
  rights::TextAnalyzer analyzer;
  CHECK(make_snippet("line one\n\n  line two", words({"two"}), analyzer) ==
        "line one line <mark>two</mark>");
  CHECK(rights::highlight_all("line one\n\n  line two", words({"two"}), analyzer) ==
        "line one\n\n  line <mark>two</mark>");
}

TEST_CASE("spelling: edit distance counts code points and transpositions", "[snippets][spelling]") {
  CHECK(rights::edit_distance("rights", "rights", 2) == 0);
  CHECK(rights::edit_distance("rigths", "rights", 2) == 1);
  CHECK(rights::edit_distance("impunty", "impunity", 2) == 1);
  CHECK(rights::edit_distance("abc", "xyz", 2) == 3);
  CHECK(rights::edit_distance("a", "abcdef", 2) == 3);
  CHECK(rights::edit_distance("សិទ្ធិ", "សិទ្ធ", 2) == 1);
  CHECK(rights::max_correction_distance("law") == 1);
  CHECK(rights::max_correction_distance("torture") == 2);
  // Not corrected: one edit to a two-letter word is another word; Chinese and Japanese
  // words are not misspelt by a character more or less (人權 is not a typo for 人).
  CHECK(rights::max_correction_distance("un") == 0);
  CHECK(rights::max_correction_distance("人權") == 0);
  CHECK(rights::max_correction_distance("人権宣言") == 0);
  CHECK(rights::max_correction_distance("すべての") == 0);
  CHECK(rights::max_correction_distance("សិទ្ធិមនុស្ស") == 2);
}

TEST_CASE("spelling: corrections come from the vocabulary and respect visibility",
          "[snippets][spelling]") {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  const auto add = [&db](std::vector<std::string> terms) {
    Xapian::Document doc;
    Xapian::termpos position = 0;
    for (const auto& term : terms) doc.add_posting(term, ++position);  // words as written have positions
    db.add_document(doc);
  };
  add({"impunity", "torture"});
  add({"impunity", "immunity"});
  add({"impunity"});
  add({"immunity"});
  add({"secretword"});
  {
    // An unaccented copy ("người" written, "nguoi" indexed too) has no positions.
    Xapian::Document doc;
    doc.add_posting("người", 1);
    doc.add_term("nguoi");
    db.add_document(doc);
  }
  const rights::TermVisibility everything = [](const std::string&) { return true; };
  CHECK(rights::spelling_correction(db, "nguoix", everything).empty());
  CHECK(rights::complete_term(db, "ng", 5, everything) == std::vector<std::string>{"người"});
  // No spelling table in this backend: the term-list scan answers.
  CHECK(rights::spelling_correction(db, "impunty", everything) == "impunity");
  CHECK(rights::spelling_correction(db, "tortura", everything) == "torture");
  CHECK(rights::spelling_correction(db, "zzzzzz", everything).empty());
  // "secretword" only in a document the caller may not see: never suggested.
  const rights::TermVisibility hide_secret = [](const std::string& term) { return term != "secretword"; };
  CHECK(rights::spelling_correction(db, "secretwerd", everything) == "secretword");
  CHECK(rights::spelling_correction(db, "secretwerd", hide_secret).empty());

  CHECK(rights::complete_term(db, "im", 5, everything) ==
        std::vector<std::string>{"impunity", "immunity"});
  CHECK(rights::complete_term(db, "im", 1, everything) == std::vector<std::string>{"impunity"});
  CHECK(rights::complete_term(db, "sec", 5, hide_secret).empty());
}

TEST_CASE("spelling: Xapian's spelling data is used when the index has it", "[snippets][spelling]") {
  // In-memory databases have no spelling table: use a throw-away on-disk one.
  const auto path = std::filesystem::temp_directory_path() /
                    ("rights-spelling-" + std::to_string(std::random_device{}()));
  struct Cleanup {
    std::filesystem::path path;
    ~Cleanup() { std::filesystem::remove_all(path); }
  } cleanup{path};
  Xapian::WritableDatabase db(path.string(), Xapian::DB_CREATE);
  Xapian::Document visible_doc;
  visible_doc.add_posting("impunity", 1);
  db.add_document(visible_doc);
  db.add_spelling("impunity");
  db.add_spelling("clandestine", 50);  // in the spelling table only: e.g. a restricted document
  const rights::TermVisibility indexed = [&db](const std::string& term) { return db.term_exists(term); };
  CHECK(rights::spelling_correction(db, "impunty", indexed) == "impunity");
  CHECK(rights::spelling_correction(db, "clandestne", indexed).empty());
}

TEST_CASE("long texts: the snippet window is found without segmenting the whole text",
          "[snippets]") {
  rights::TextAnalyzer analyzer;
  // "copyright" contains the needle "right" but is no match; the real one comes later.
  const std::string text = numbered_words(0, 300) + "copyright notice " + numbered_words(300, 600) +
                           "Human Rights matter. " + numbered_words(600, 1200);
  REQUIRE(text.size() > 8000);
  std::size_t offset = 0;
  const auto snippet = make_snippet(text, words({"rights"}, {"en"}), analyzer, 300, &offset);
  CHECK_THAT(snippet, Catch::Contains("<mark>Rights</mark>"));
  CHECK_THAT(snippet, !Catch::Contains("copyright"));
  CHECK(snippet.rfind("\u2026", 0) == 0);  // cut before
  CHECK(snippet.size() < 400);
  CHECK(text.compare(offset, 6, "Rights") == 0);
  // Same answer as analysing everything: the window holds the only match.
  CHECK(strip_markup(snippet).find("Human Rights matter.") != std::string::npos);
}

TEST_CASE("long texts: Khmer matches are found in windows too", "[snippets]") {
  rights::TextAnalyzer analyzer;
  std::string text;
  for (int i = 0; i < 400; ++i) text += "និង ";
  text += "សិទ្ធិមនុស្ស ";
  for (int i = 0; i < 400; ++i) text += "និង ";
  const auto snippet = make_snippet(text, words({"សិទ្ធិមនុស្ស"}), analyzer);
  CHECK_THAT(snippet, Catch::Contains("<mark>សិទ្ធិមនុស្ស</mark>"));
}

TEST_CASE("long texts: words typed without accents or capitals are found in windows too",
          "[snippets]") {
  rights::TextAnalyzer analyzer;
  // One match early, three together later. The windows are tried in text order, so the
  // early one is the snippet; analysing the whole text (what happens when no needle is
  // found) would pick the denser cluster instead.
  const auto check = [&](const std::string& early, const std::string& later, const std::string& query) {
    const std::string text = numbered_words(0, 300) + early + " " + numbered_words(300, 600) + later +
                             " " + later + " " + later + " " + numbered_words(600, 1200);
    REQUIRE(text.size() > 8000);
    std::size_t offset = 0;
    const auto snippet = make_snippet(text, words({query}), analyzer, 300, &offset);
    CHECK_THAT(snippet, Catch::Contains("<mark>" + early + "</mark>"));
    CHECK(text.compare(offset, early.size(), early) == 0);
  };
  SECTION("Latin accents") { check("Déclaration", "DÉCLARATION", "declaration"); }
  SECTION("Vietnamese tones") { check("Người", "NGƯỜI", "nguoi"); }
  SECTION("decomposed accents") { check("De\u0301claration", "DE\u0301CLARATION", "declaration"); }
  SECTION("capitals outside ASCII") { check("Право", "ПРАВО", "право"); }
  SECTION("accented capitals, query with its accent") { check("État", "ÉTAT", "état"); }
  SECTION("as typed, the cheap search finds it") { check("état", "ÉTAT", "état"); }
}

namespace {

HighlightTerms highlight_of(const std::string& query, rights::TextAnalyzer& analyzer) {
  const rights::QueryContext context{analyzer, nullptr, {"en", "fr"}, {}};
  return rights::analyse_query(query, context).highlight;
}

}  // namespace

TEST_CASE("Khmer, Thai and Burmese typed another way that looks the same are found and marked whole", "[snippets]") {
  rights::TextAnalyzer analyzer;
  // Hun Sen with the register shifter typed after the vowel, Thai ที่ with the tone mark
  // before the vowel, Burmese ကို with u before i: the index and the query hold them in
  // Unicode's order, the text is marked as typed.
  const std::string hun = "ហ\u17BB\u17CAន";
  const std::string thi = "ท\u0E48\u0E35ดิน";
  const std::string ko = "ရှေ့နေက\u102F\u102D";
  const std::string text = "សម្តេច" + hun + "សែន បានថ្លែងថា។ ยึด" + thi + "ของชาวบ้าน " + ko + " တွေ့ခဲ့သည်။";
  // And Thai แถลง ("announce") with sara ae typed as two sara e.
  const std::string thalaeng = "\u0E40\u0E40ถลง";
  // And Khmer កាត់ទោស ("sentence") with ោ typed as េ + ា.
  const std::string katte_tos = "កាត់ទ\u17C1\u17B6ស";
  const std::string text_ae = text + " กระทรวง" + thalaeng + "ว่า តុលាការ" + katte_tos + "គាត់។";
  for (const auto& [query, marked] : {std::pair<std::string, std::string>{"ហ៊ុនសែន", hun + "សែន"},
                                      {"ที่ดิน", thi}, {"ရှေ့နေကို", ko}, {"แถลง", thalaeng},
                                      {"កាត់ទោស", katte_tos}}) {
    CAPTURE(query);
    CHECK_THAT(make_snippet(text_ae, highlight_of(query, analyzer), analyzer),
               Catch::Contains("<mark>" + marked + "</mark>"));
  }
}

TEST_CASE("long texts: Khmer typed out of Unicode's order is found and marked whole", "[snippets]") {
  rights::TextAnalyzer analyzer;
  // ស្រ្តី ("woman") and វិទ្យាសាស្រ្ត ("science") with the coeng ro typed first, as much
  // Khmer text has them; the index and the query hold them in Unicode's order.
  std::string text;
  for (int i = 0; i < 400; ++i) text += "និង ";
  text += "សិទ្ធិ ស្រ្តី និង វិទ្យាសាស្រ្ត ";
  for (int i = 0; i < 400; ++i) text += "និង ";
  for (const char* query : {"ស្ត្រី", "ស្រ្តី"}) {
    CAPTURE(query);
    CHECK_THAT(make_snippet(text, highlight_of(query, analyzer), analyzer), Catch::Contains("<mark>ស្រ្តី</mark>"));
  }
  CHECK_THAT(make_snippet(text, highlight_of("វិទ្យាសាស្ត្រ", analyzer), analyzer),
             Catch::Contains("<mark>វិទ្យាសាស្រ្ត</mark>"));
  CHECK(rights::written_word(text, rights::normalize("វិទ្យាសាស្ត្រ"), analyzer) == "វិទ្យាសាស្រ្ត");
}

TEST_CASE("snippets show where a phrase stands, not one of its words", "[snippets]") {
  rights::TextAnalyzer analyzer;
  const std::string early = "social progress and better standards. ";
  const std::string later = "the right to social security and to work. ";
  SECTION("a long text, quoted words") {
    const std::string text = early + numbered_words(0, 600) + later + numbered_words(600, 900);
    REQUIRE(text.size() > 4096);
    const auto snippet = make_snippet(text, highlight_of("\"social security\"", analyzer), analyzer, 300);
    CHECK_THAT(snippet, Catch::Contains("<mark>social security</mark>"));
  }
  SECTION("a short text, quoted words") {
    // The most matches are early (three times "social"), the phrase is later.
    const std::string text = "social, social and social progress. " + numbered_words(0, 60) + later +
                             numbered_words(60, 80);
    REQUIRE(text.size() < 4096);
    const auto snippet = make_snippet(text, highlight_of("\"social security\"", analyzer), analyzer, 200);
    CHECK_THAT(snippet, Catch::Contains("<mark>social security</mark>"));
  }
  SECTION("Khmer written without spaces: a name among names sharing its words") {
    std::string text;
    for (int i = 0; i < 60; ++i) text += std::to_string(i) + ". អ្នកស្រី ស្រីភ្នំ ស្រីប៉ុច ";
    text += "40. អ្នកស្រី ពៅស្រីអូន ";
    for (int i = 0; i < 20; ++i) text += "អ្នកស្រី ស្រីភ្នំ ";
    REQUIRE(text.size() > 4096);
    const auto snippet = make_snippet(text, highlight_of("ពៅស្រីអូន", analyzer), analyzer, 300);
    CHECK_THAT(snippet, Catch::Contains("<mark>ពៅស្រីអូន</mark>"));
  }
}

TEST_CASE("long texts: the window showing more of the query's words wins", "[snippets]") {
  rights::TextAnalyzer analyzer;
  // "droit" a hundred times before "l'éducation": the rarer word's windows come first,
  // and a window holding both words beats one holding "droits" twice.
  std::string text;
  for (int i = 0; i < 100; ++i) text += "le droit " + numbered_words(i * 5, i * 5 + 5);
  text += "Toute personne a droit à l’éducation. " + numbered_words(600, 700);
  REQUIRE(text.size() > 4096);
  const auto snippet = make_snippet(text, highlight_of("education droit", analyzer), analyzer, 300);
  CHECK_THAT(snippet, Catch::Contains("<mark>droit</mark> à l’<mark>éducation</mark>"));
  // Unquoted words too: both, where they are together.
  const std::string social = "social progress. " + numbered_words(0, 600) + "social security. " +
                             numbered_words(600, 900);
  CHECK_THAT(make_snippet(social, highlight_of("social security", analyzer), analyzer, 300),
             Catch::Contains("<mark>social security</mark>"));
}

TEST_CASE("long texts: the last word of the text can be the match shown", "[snippets]") {
  rights::TextAnalyzer analyzer;
  // The window reaching the end of the text is not cut there: its last word is whole.
  std::string text;
  for (int i = 0; i < 40; ++i) text += "The committee met. " + numbered_words(i * 5, i * 5 + 5);
  text += numbered_words(300, 700) + "The report names the torturer zebrafinch.";
  REQUIRE(text.size() > 4096);
  CHECK_THAT(make_snippet(text, highlight_of("zebrafinch committee", analyzer), analyzer, 300),
             Catch::Contains("<mark>zebrafinch</mark>."));
  CHECK_THAT(make_snippet(text + "\n", highlight_of("zebrafinch committee", analyzer), analyzer, 300),
             Catch::Contains("<mark>zebrafinch</mark>."));
}

TEST_CASE("long texts: a rare Thai word is shown beside a frequent one, sara am and all", "[snippets]") {
  rights::TextAnalyzer analyzer;
  // "ดำเนินกิจกรรม" holds sara am (ำ), which the index has as ํ + า; and five of the
  // frequent "สิทธิ" fit in a snippet where one stands beside the rare word.
  std::string text;
  for (int i = 0; i < 150; ++i) text += "ประชาชนทุกคนมีสิทธิ ";
  text += "ไม่มีบทใดที่จะตีความว่าให้สิทธิแก่รัฐใด ในอันที่จะดำเนินกิจกรรม หรือ ";
  for (int i = 0; i < 150; ++i) text += "ประชาชนทุกคนมีสิทธิ ";
  REQUIRE(text.size() > 4096);
  for (const char* query : {"ดำเนินกิจกรรม สิทธิ", "\"ดำเนินกิจกรรม\" สิทธิ", "กิจกรรม สิทธิ"}) {
    CAPTURE(query);
    CHECK_THAT(make_snippet(text, highlight_of(query, analyzer), analyzer, 300),
               Catch::Contains("กิจกรรม</mark>"));
  }
}

TEST_CASE("snippets: the stretch showing more different query words beats more of one word", "[snippets]") {
  rights::TextAnalyzer analyzer;
  const std::string text = "Rights, rights and rights; rights of rights, rights for rights. " + numbered_words(0, 60) +
                           "The rights of torture victims. " + numbered_words(60, 120);
  REQUIRE(text.size() < 4096);  // the whole text is analysed
  CHECK_THAT(make_snippet(text, highlight_of("torture rights", analyzer), analyzer, 200),
             Catch::Contains("<mark>rights</mark> of <mark>torture</mark>"));
}

TEST_CASE("snippets: entity names are marked where they stand whole, as one mark", "[snippets]") {
  rights::TextAnalyzer analyzer;
  HighlightTerms terms;
  terms.names = {{"ministry", "of", "interior"}, {"sar", "kheng"}};
  const std::string text = "The Ministry of Interior met the head of the police. Sar Kheng spoke; Sar alone did not.";
  const auto marked = rights::highlight_all(text, terms, analyzer);
  CHECK(marked ==
        "The <mark>Ministry of Interior</mark> met the head of the police. <mark>Sar Kheng</mark> spoke; Sar alone did not.");
}

TEST_CASE("snippets: words marked side by side share a mark only across spaces", "[snippets]") {
  rights::TextAnalyzer analyzer;
  CHECK(rights::highlight_all("alpha beta, alpha. beta", words({"alpha", "beta"}), analyzer) ==
        "<mark>alpha beta</mark>, <mark>alpha</mark>. <mark>beta</mark>");
  CHECK(rights::highlight_all("alpha\nbeta", words({"alpha", "beta"}), analyzer) ==
        "<mark>alpha</mark>\n<mark>beta</mark>");
}

TEST_CASE("snippets: phrase words are marked only where the phrase stands", "[snippets]") {
  rights::TextAnalyzer analyzer;
  SECTION("quoted English words") {
    const std::string text = "Everyone has the right to life. He went to court to claim the right to work.";
    CHECK(rights::highlight_all(text, highlight_of("\"right to life\"", analyzer), analyzer) ==
          "Everyone has the <mark>right to life</mark>. He went to court to claim the right to work.");
    // A word outside the phrase is still marked wherever it stands.
    CHECK(rights::highlight_all(text, highlight_of("\"right to life\" court", analyzer), analyzer) ==
          "Everyone has the <mark>right to life</mark>. He went to <mark>court</mark> to claim the right to work.");
  }
  SECTION("Japanese written without spaces: the particle を is no match on its own") {
    const std::string text = "国は人権を保護する。何人も、ほしいままに財産を奪われることはない。";
    CHECK(rights::highlight_all(text, highlight_of("人権を保護する", analyzer), analyzer) ==
          "国は<mark>人権を保護する</mark>。何人も、ほしいままに財産を奪われることはない。");
    CHECK(make_snippet(text, highlight_of("\"人権を保護する\"", analyzer), analyzer) ==
          "国は<mark>人権を保護する</mark>。何人も、ほしいままに財産を奪われることはない。");
  }
  SECTION("Thai written without spaces") {
    const std::string text = "ทุกคนมีสิทธิในการศึกษา การประชุมในวันนี้";
    CHECK(rights::highlight_all(text, highlight_of("\"สิทธิในการ\"", analyzer), analyzer) ==
          "ทุกคนมี<mark>สิทธิในการ</mark>ศึกษา การประชุมในวันนี้");
  }
  SECTION("a long text: the snippet shows the phrase, and marks nothing else") {
    const std::string text = numbered_words(0, 600) + "He went to court to claim the right to life, to be free. " +
                             numbered_words(600, 900);
    REQUIRE(text.size() > 4096);
    std::size_t offset = 0;
    const auto snippet = make_snippet(text, highlight_of("\"right to life\"", analyzer), analyzer, 300, &offset);
    CHECK_THAT(snippet, Catch::Contains("went to court to claim the <mark>right to life</mark>, to be free."));
    CHECK(snippet.find("<mark>") == snippet.rfind("<mark>"));  // the one phrase, no lone "to"
    CHECK(text.compare(offset, 5, "right") == 0);
  }
}

TEST_CASE("written_word: an index word as the text writes it, whole", "[snippets]") {
  rights::TextAnalyzer analyzer;
  // Capitalised at a sentence's start, written lower case; accents kept.
  CHECK(rights::written_word("Η Αξιοπρέπεια του ανθρώπου.", rights::normalize("αξιοπρέπεια"), analyzer) ==
        "αξιοπρέπεια");
  // The first whole word: not the start of الإنسانية; vowel marks left out.
  CHECK(rights::written_word("الإنسانية و الإِنْسَانُ", rights::normalize("الإنسان"), analyzer) == "الإنسان");
  // Persian letters as written, though the index holds the Arabic ones.
  CHECK(rights::written_word("هر کشور باید", rights::normalize("كشور"), analyzer) == "کشور");
  // Only inside a longer word (as every Chinese word is): its characters as written.
  CHECK(rights::written_word("الإنسانية", rights::normalize("الإنسان"), analyzer) == "الإنسان");
  CHECK(rights::written_word("世界人權宣言", rights::normalize("人权"), analyzer) == "人權");
  // A spelling in capitals only when there is no other: Greek capitals drop the accents.
  CHECK(rights::written_word("ΑΡΘΡΟ 1. Άρθρο", rights::normalize("άρθρο"), analyzer) == "άρθρο");
  CHECK(rights::written_word("ΑΡΘΡΟ 1.", rights::normalize("άρθρο"), analyzer) == "αρθρο");
  // Composed, though the text is decomposed.
  CHECK(rights::written_word("Nghi\u0303a", rights::normalize("nghĩa"), analyzer) == "nghĩa");
  // Persian words keep the ZWNJ the index leaves out.
  CHECK(rights::written_word("روابط بین\u200Cالمللی", rights::normalize("بین\u200Cالمللی"), analyzer) ==
        "بین\u200Cالمللی");
  // Not there: nothing.
  CHECK(rights::written_word("nothing here", rights::normalize("αξιοπρέπεια"), analyzer).empty());
  CHECK(rights::written_word("", rights::normalize("αξιοπρέπεια"), analyzer).empty());
}
