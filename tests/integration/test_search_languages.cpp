// Search in many languages: accents, elision, tones, Arabic, stems per language, Korean,
// scripts without spaces. The sample corpus (corpus_search.h) and small corpora of their own.
#include <catch2/catch.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "corpus_search.h"
#include "rights/index_builder.h"
#include "rights/search.h"
#include "temp_dir.h"

using namespace rights::testing;

TEST_CASE("search: words typed without their accents find the accented ones", "[integration][search]") {
  auto searcher = corpus_searcher();
  const auto french = corpus().id_for("udhr-fra");
  const auto vietnamese = corpus().id_for("udhr-vie");
  const auto english = corpus().id_for("udhr-eng");
  using Ids = std::vector<std::string>;
  CHECK(hit_ids(searcher.search(request("declaration universelle"))) == Ids{french});
  CHECK(hit_ids(searcher.search(request("quyen con nguoi"))) == Ids{vietnamese});
  CHECK(hit_ids(searcher.search(request("quyền con người"))) == Ids{vietnamese});
  // Unaccented, it also finds the English "Declaration"; accented, only itself.
  CHECK(sorted(hit_ids(searcher.search(request("declaration")))) == sorted({english, french}));
  CHECK(hit_ids(searcher.search(request("déclaration"))) == Ids{french});
  CHECK(hit_ids(searcher.search(request("title:declaration universelle"))) == Ids{french});
  CHECK(hit_ids(searcher.search(request("title:universel*"))) == Ids{french});
  // Quoted words are exact.
  CHECK(searcher.search(request("\"declaration universelle\"")).total == 0);
  CHECK(searcher.search(request("\"déclaration universelle\"")).total == 1);
  // Snippets mark the accented word.
  const auto unaccented = searcher.search(request("declaration universelle"));
  REQUIRE(unaccented.hits.size() == 1);
  CHECK(unaccented.hits.front().snippet.find("<mark>Déclaration universelle</mark>") != std::string::npos);
}

TEST_CASE("search: French words written after an elided article are found alone", "[integration][search]") {
  auto searcher = corpus_searcher();
  const auto french = corpus().id_for("udhr-fra");
  using Ids = std::vector<std::string>;
  // Article 26: "Toute personne a droit à l’éducation"; article 19: "d’expression".
  CHECK(hit_ids(searcher.search(request("éducation"))) == Ids{french});
  CHECK(hit_ids(searcher.search(request("education droit"))) == Ids{french});
  CHECK(hit_ids(searcher.search(request("\"droit à l'éducation\""))) == Ids{french});
  const auto expression = hit_ids(searcher.search(request("expression")));
  CHECK(std::find(expression.begin(), expression.end(), french) != expression.end());
  // The snippet marks the word, not the article.
  const auto marked = searcher.search(request("éducation"));
  REQUIRE(marked.hits.size() == 1);
  CHECK(marked.hits.front().snippet.find("l’<mark>éducation</mark>") != std::string::npos);
}

TEST_CASE("search: Vietnamese tones on oa, oe and uy are found in either place", "[integration][search]") {
  auto searcher = corpus_searcher();
  using Ids = std::vector<std::string>;
  // The Vietnamese UDHR writes the new style "hoá", "toà"; many write "hóa", "tòa".
  const Ids vietnamese{corpus().id_for("udhr-vie")};
  for (const char* typed : {"hoá", "hóa", "toà", "tòa", "TÒA"}) {
    CAPTURE(typed);
    CHECK(hit_ids(searcher.search(request(typed))) == vietnamese);
  }
  const auto marked = searcher.search(request("tòa"));
  REQUIRE(marked.hits.size() == 1);
  CHECK_THAT(marked.hits.front().snippet, Catch::Contains("<mark>"));
}

TEST_CASE("search: Arabic is found without harakat, hamza or tatweel as typed", "[integration][search]") {
  auto searcher = corpus_searcher();
  using Ids = std::vector<std::string>;
  const Ids arabic{corpus().id_for("udhr-arb")};
  // The Arabic UDHR writes "الإعلان" (the Declaration); readers type it with or without
  // the hamza, fully vowelled when copied from a vowelled source, or stretched.
  for (const char* typed : {"الإعلان", "الاعلان", "الْإِعْلَانُ", "الإعـــلان", "\"الإعلان العالمي\"",
                            "\"الْإِعْلَانُ الْعَالَمِيُّ\""}) {
    CAPTURE(typed);
    CHECK(hit_ids(searcher.search(request(typed))) == arabic);
  }
  // The stemmer joins a word with and without its article: "كرامة" (dignity) finds
  // "الكرامة" and "بالكرامة", and marks them.
  const auto dignity = searcher.search(request("كرامة"));
  CHECK(hit_ids(dignity) == arabic);
  REQUIRE_FALSE(dignity.hits.empty());
  CHECK_THAT(dignity.hits.front().snippet, Catch::Contains("<mark>بالكرامة</mark>"));  // "with dignity"
  // The snippet marks the word as the text writes it.
  const auto marked = searcher.search(request("الاعلان"));
  REQUIRE(marked.hits.size() == 1);
  CHECK(marked.hits.front().snippet.find("<mark>الإعلان</mark>") != std::string::npos);
}

TEST_CASE("search: a stem of one language does not find another language's word", "[integration][search]") {
  rights::testing::TempDir dir("rights-search-stems");
  dir.write("corpus/tr.txt", "Tüm insanlar özgür doğar. İnsan hakları herkes içindir. Ankara'da gazeteciler "
                             "tutuklandı; Türkiye'nin sicili. DİYARBAKIR BAROSU");
  dir.write("corpus/en.txt", "Police arrested him in the capital on the right to protest, with all of them. "
                             "He knows the ins and outs.");  // English "ins" stems to "in" as well
  dir.write("corpus/de.txt", "Alle Menschen sind frei und gleich an Würde und Rechten geboren.");
  dir.write("corpus/manifest.json", R"({"documents": [
      {"id": "tr", "path": "tr.txt", "languages": ["tr"]},
      {"id": "en", "path": "en.txt", "languages": ["en"]},
      {"id": "de", "path": "de.txt", "languages": ["de"]}]})");
  const auto index = dir.path() / "index";
  rights::build_index(dir.path() / "corpus", index, {});
  Searcher searcher(index.string(), std::make_shared<rights::Authority>());
  using Ids = std::vector<std::string>;
  // Turkish "insan" stems to "in", an English word. ("alle" still finds English "all":
  // the English stemmer itself reads "alle" as a form of "all".)
  CHECK(hit_ids(searcher.search(request("insan"))) == Ids{"tr"});
  CHECK(hit_ids(searcher.search(request("menschen"))) == Ids{"de"});
  // Stems still join a language's own forms: "insanlar" and "İnsan" are one word.
  CHECK(hit_ids(searcher.search(request("insanlar"))) == Ids{"tr"});
  CHECK(hit_ids(searcher.search(request("rights"))) == Ids{"en"});  // finds "right"
  CHECK(hit_ids(searcher.search(request("protests"))) == Ids{"en"});
  // Turkish names carry suffixes after an apostrophe; capitals fold to their own letters.
  for (const char* typed : {"Ankara", "Türkiye", "Türkiye'de", "diyarbakır", "Diyarbakır'da"}) {
    CAPTURE(typed);
    CHECK(hit_ids(searcher.search(request(typed))) == Ids{"tr"});
  }
  // A document found for another word does not mark the other language's look-alike.
  const auto both = searcher.search(request("insan OR police"));
  for (const auto& hit : both.hits) {
    CAPTURE(hit.id, hit.snippet);
    if (hit.id == "en") CHECK(hit.snippet.find("<mark>in</mark>") == std::string::npos);
  }
}

TEST_CASE("search: Persian is found with the yeh and kaf of an Arabic keyboard: French with narrow spaces",
          "[integration][search]") {
  rights::testing::TempDir dir("rights-search-persian");
  // Persian writes ی and ک (Farsi yeh, keheh); an Arabic keyboard types ي and ك. French
  // typesetting puts a narrow no-break space (U+202F) inside « » and before : ; ! ?
  dir.write("corpus/fa.txt", "همه افراد بشر آزاد به دنیا می‌آیند. هر کشور باید حقوق بشر را محترم بشمارد.");
  dir.write("corpus/fr.txt", "Article premier\u202F: «\u202Fla liberté\u202F» est un droit\u202F!");
  dir.write("corpus/manifest.json", R"({"documents": [
      {"id": "fa", "path": "fa.txt", "languages": ["fa"]},
      {"id": "fr", "path": "fr.txt", "languages": ["fr"]}]})");
  const auto index = dir.path() / "index";
  rights::build_index(dir.path() / "corpus", index, {});
  Searcher searcher(index.string(), std::make_shared<rights::Authority>());
  using Ids = std::vector<std::string>;
  for (const char* typed : {"کشور", "كشور", "آزاد", "\"هر كشور\""}) {
    CAPTURE(typed);
    CHECK(hit_ids(searcher.search(request(typed))) == Ids{"fa"});
  }
  // The snippet marks the word as the text writes it.
  const auto country = searcher.search(request("كشور"));
  REQUIRE(country.hits.size() == 1);
  CHECK_THAT(country.hits.front().snippet, Catch::Contains("<mark>کشور</mark>"));
  for (const char* typed : {"premier", "liberté", "droit", "\"la liberté\""}) {
    CAPTURE(typed);
    CHECK(hit_ids(searcher.search(request(typed))) == Ids{"fr"});
  }
}

TEST_CASE("search: Korean nouns are found inside words carrying particles", "[integration][search]") {
  rights::testing::TempDir dir("rights-search-korean");
  // UDHR article 1 in Korean, and a news sentence: every noun has a particle or ending.
  dir.write("corpus/ko.txt",
            "모든 인간은 태어날 때부터 자유로우며 그 존엄과 권리에 있어 동등하다. "
            "경찰이 인권운동가를 체포했다.");
  dir.write("corpus/en.txt", "Police arrested a human rights defender.");
  dir.write("corpus/el.txt", "Ο ακτιβιστής συνελήφθη από την αστυνομία.");
  const auto index = dir.path() / "index";
  rights::build_index(dir.path() / "corpus", index, {});
  Searcher searcher(index.string(), std::make_shared<rights::Authority>());
  using Ids = std::vector<std::string>;
  for (const char* typed : {"인권", "권리", "자유", "체포", "인권운동가", "\"존엄과 권리\"", "존엄과 권리에"}) {
    CAPTURE(typed);
    CHECK(hit_ids(searcher.search(request(typed))) == Ids{"ko"});
  }
  CHECK(searcher.search(request("\"권리 존엄과\"")).total == 0);  // a phrase keeps its order
  const auto marked = searcher.search(request("인권운동가"));
  REQUIRE(marked.hits.size() == 1);
  CHECK_THAT(marked.hits.front().snippet, Catch::Contains("<mark>인권운동가</mark>를"));
  // Suggestions: no syllable pair, which may be a fragment across two words ("권운" of
  // 인권운동); Greek words as written, with ς and their accents, though the index folds
  // them to σ and no accent.
  for (const auto& suggestion : searcher.suggest("권", 10, false)) {
    CAPTURE(suggestion.value);
    CHECK(suggestion.kind != "term");
  }
  const auto greek = searcher.suggest("ακτι", 10, false);
  CHECK(std::any_of(greek.begin(), greek.end(), [](const rights::Suggestion& s) {
    return s.kind == "term" && s.value == "ακτιβιστής";
  }));
}

TEST_CASE("search: scripts without spaces", "[integration][search]") {
  auto searcher = corpus_searcher();
  const auto khmer_udhr = corpus().id_for("udhr-khm");
  const auto human_rights_km = searcher.search(request("សិទ្ធិមនុស្ស"));
  CHECK(contains(hit_ids(human_rights_km, 3), khmer_udhr));
  REQUIRE_FALSE(human_rights_km.hits.empty());
  CHECK(human_rights_km.hits.front().snippet.find("<mark>សិទ្ធិមនុស្ស</mark>") != std::string::npos);

  // A signatory of the open letter named only in Khmer script.
  const auto open_letter = corpus().id_for("open-letter");
  const auto signatory = searcher.search(request("ខៀវ លក្សី"));
  CHECK(hit_ids(signatory, 1) == std::vector<std::string>{open_letter});

  CHECK(contains(hit_ids(searcher.search(request("สิทธิมนุษยชน")), 3), corpus().id_for("udhr-tha")));
  CHECK(contains(hit_ids(searcher.search(request("人权")), 3), corpus().id_for("udhr-cmn_hans")));
}

TEST_CASE("search: Korean completions are words, not syllable pairs crowding them out", "[integration][search]") {
  rights::testing::TempDir dir("rights-search-korean-suggest");
  // 권리, 권력, 권한, 권고 make pairs starting with 권 in two documents each; 권 (a volume:
  // "one book") is a word of its own, in one. Titles (first lines) start otherwise.
  dir.write("corpus/a.txt", "보고서\n권리와 권력과 권한과 권고");
  dir.write("corpus/b.txt", "보고서\n권리를 권력을 권한을 권고를");
  dir.write("corpus/c.txt", "보고서\n책 한 권");
  const auto index = dir.path() / "index";
  rights::build_index(dir.path() / "corpus", index, {});
  rights::Searcher searcher(index.string(), std::make_shared<rights::Authority>());
  const auto offered = searcher.suggest("권", 3, false);
  REQUIRE(offered.size() == 1);
  CHECK(offered.front().value == "권");
}

namespace {

// The texts wrapped in <mark>, in order.
std::vector<std::string> marked_texts(const std::string& html) {
  std::vector<std::string> marked;
  for (auto open = html.find("<mark>"); open != std::string::npos; open = html.find("<mark>", open + 1)) {
    const auto begin = open + std::string("<mark>").size();
    marked.push_back(html.substr(begin, html.find("</mark>", begin) - begin));
  }
  return marked;
}

}  // namespace

TEST_CASE("search: words of a phrase are marked only where the phrase stands", "[integration][search]") {
  auto searcher = corpus_searcher();
  struct Case {
    const char* document;
    const char* query;
    const char* phrase;  ///< as the text writes it
  };
  // Unspaced chunks are phrases too: を, ใน and การ alone are everywhere in these texts.
  for (const Case& c : {Case{"udhr-jpn", "人権を保護する", "人権を保護する"},
                        Case{"udhr-jpn", "\"人権を保護する\"", "人権を保護する"},
                        Case{"udhr-tha", "\"สิทธิในการ\"", "สิทธิในการ"},
                        Case{"udhr-eng", "\"right to life\"", "right to life"}}) {
    CAPTURE(c.document, c.query);
    const auto id = corpus().id_for(c.document);
    const auto document = searcher.document(id, c.query, false);
    const auto marks = marked_texts(document.highlighted_text);
    CHECK_FALSE(marks.empty());
    for (const auto& mark : marks) CHECK(mark == c.phrase);
    const auto found = searcher.search(request(c.query));
    const auto hit = std::find_if(found.hits.begin(), found.hits.end(), [&](const auto& h) { return h.id == id; });
    REQUIRE(hit != found.hits.end());
    CAPTURE(hit->snippet);
    const auto snippet_marks = marked_texts(hit->snippet);
    CHECK_FALSE(snippet_marks.empty());
    for (const auto& mark : snippet_marks) CHECK(mark == c.phrase);
  }
}

TEST_CASE("search: a document found through the stem of the query word marks it", "[integration][search]") {
  auto searcher = corpus_searcher();
  // Spanish "universales" stems to "universal", which the search also looks for as a
  // word: the English UDHR is found through "Universal" (whose own stem is "univers").
  const auto english = corpus().id_for("udhr-eng");
  const auto found = searcher.search(request("universales"));
  const auto hit = std::find_if(found.hits.begin(), found.hits.end(), [&](const auto& h) { return h.id == english; });
  REQUIRE(hit != found.hits.end());
  CHECK_THAT(hit->snippet, Catch::Contains("<mark>Universal</mark>"));
  const auto document = searcher.document(english, "universales", false);
  CHECK_THAT(document.highlighted_text, Catch::Contains("<mark>Universal</mark> Declaration"));
}

TEST_CASE("search: a page's declared language is its language facet, not CLD2's neighbour of it",
          "[integration][search]") {
  rights::testing::TempDir dir("rights-search-declared-language");
  // CLD2 has no Asturian and reads it as Spanish; the English page of a Khmer site is
  // English all the same.
  dir.write("corpus/ast.html",
            "<html lang=\"ast\"><body><p>Visto que la llibertá, la xusticia y la paz en mundu sofítense na "
            "reconocencia de la dignidá intrínseca y de los drechos iguales y inayenables de tolos "
            "miembros que formen la familia humana;</p></body></html>");
  dir.write("corpus/km.html",
            "<html lang=\"km\"><body><p>All human beings are born free and equal in dignity and rights. "
            "They are endowed with reason and conscience and should act towards one another in a spirit "
            "of brotherhood.</p></body></html>");
  const auto index = dir.path() / "index";
  rights::build_index(dir.path() / "corpus", index, {});
  Searcher searcher(index.string(), std::make_shared<rights::Authority>());
  auto browse = request("");
  const auto response = searcher.search(browse);
  std::vector<std::string> languages;
  for (const auto& facet : response.facets.at("lang")) {
    languages.push_back(facet.value + "=" + std::to_string(facet.count));
  }
  CHECK(sorted(languages) == sorted({"ast=1", "en=1", "km=1"}));
  auto spanish = request("");
  spanish.filters["lang"] = {"es"};
  CHECK(searcher.search(spanish).total == 0);
}

TEST_CASE("search: Thai, Lao and Khmer words are found however their look-alike letters are typed",
          "[integration][search]") {
  auto searcher = corpus_searcher();
  const auto thai = corpus().id_for("udhr-tha");
  const auto lao = corpus().id_for("udhr-lao");
  const auto khmer = corpus().id_for("udhr-khm");
  const std::pair<const char*, std::string> queries[] = {
      {"การกระท\u0E33", thai},  {"การกระท\u0E4D\u0E32", thai},  // sara am, or nikhahit + sara aa (PDF text)
      {"ສະເ\u0EDDີພາບ", lao},   {"ສະເ\u0EAB\u0EA1ີພາບ", lao},    // ໝ or ຫ + ມ
      {"សេចក្ដីថ្លៃថ្នូរ", khmer}, {"សេចក្តីថ្លៃថ្នូរ", khmer},        // subscript da or ta
      {"ក្ដី", khmer},           {"ក្តី", khmer},
      {"ឱ្យ", khmer},            {"ឲ្យ", khmer},
  };
  for (const auto& [typed, expected] : queries) {
    CAPTURE(typed);
    const auto ids = hit_ids(searcher.search(request(typed)));
    CHECK(std::find(ids.begin(), ids.end(), expected) != ids.end());
  }
  // The snippet marks the word as the page writes it.
  const auto typed_with_ta = searcher.search(request("សេចក្តីថ្លៃថ្នូរ"));
  REQUIRE_FALSE(typed_with_ta.hits.empty());
  CHECK_THAT(typed_with_ta.hits.front().snippet, Catch::Contains("<mark>សេចក្ដីថ្លៃថ្នូរ"));
}

TEST_CASE("search: Traditional and Simplified Chinese find each other", "[integration][search]") {
  TempDir dir("rights-search-chinese-scripts");
  dir.write("corpus/hant.txt", "世界人權宣言 人人生而自由，在尊嚴和權利上一律平等。聯合國大會通過。");
  dir.write("corpus/hans.txt", "世界人权宣言 人人生而自由，在尊严和权利上一律平等。联合国大会通过。");
  dir.write("corpus/manifest.json", R"({"documents": [
      {"id": "hant", "path": "hant.txt", "languages": ["zh"]},
      {"id": "hans", "path": "hans.txt", "languages": ["zh"]}]})");
  const auto index = dir.path() / "index";
  rights::build_index(dir.path() / "corpus", index, {});
  Searcher searcher(index.string(), std::make_shared<rights::Authority>());
  for (const char* typed : {"人權", "人权", "尊嚴", "尊严", "\"世界人權宣言\"", "聯合國", "联合国", "联合国大会"}) {
    CAPTURE(typed);
    CHECK(sorted(hit_ids(searcher.search(request(typed)))) == sorted({"hans", "hant"}));
  }
  // Each text is marked as it is written.
  auto traditional = request("人权");
  traditional.filters["lang"] = {"zh"};
  for (const auto& hit : searcher.search(traditional).hits) {
    CAPTURE(hit.id);
    CHECK_THAT(hit.snippet, Catch::Contains(hit.id == "hant" ? "<mark>人權</mark>" : "<mark>人权</mark>"));
  }
  // A completion keeps the characters typed.
  const auto offered = searcher.suggest("世界人權宣", 10, false);
  CHECK(std::any_of(offered.begin(), offered.end(), [](const rights::Suggestion& s) {
    return s.kind == "term" && s.value.rfind("世界人權宣言", 0) == 0;
  }));
}

TEST_CASE("search: numbers are found in any script's digits, also written against a word",
          "[integration][search]") {
  TempDir dir("rights-search-digits");
  // Khmer, Thai and Burmese write dates and article numbers in their own digits, often
  // against the word before ("ឆ្នាំ២០២១", "year 2021"); readers type them in either.
  dir.write("corpus/km.txt", "ថ្ងៃទី១៥ ខែមករា ឆ្នាំ២០២១ មាត្រា ១២");
  dir.write("corpus/th.txt", "ประกาศเมื่อปี๒๕๖๔ มาตรา ๑๒");
  dir.write("corpus/ar.txt", "في عام ١٩٤٨ صدر الإعلان");
  dir.write("corpus/en.txt", "Adopted in 1948; article 12 in 2021.");
  dir.write("corpus/manifest.json", R"({"documents": [
      {"id": "km", "path": "km.txt", "languages": ["km"]},
      {"id": "th", "path": "th.txt", "languages": ["th"]},
      {"id": "ar", "path": "ar.txt", "languages": ["ar"]},
      {"id": "en", "path": "en.txt", "languages": ["en"]}]})");
  const auto index = dir.path() / "index";
  rights::build_index(dir.path() / "corpus", index, {});
  Searcher searcher(index.string(), std::make_shared<rights::Authority>());
  using Ids = std::vector<std::string>;
  CHECK(sorted(hit_ids(searcher.search(request("2021")))) == sorted({"en", "km"}));
  CHECK(sorted(hit_ids(searcher.search(request("២០២១")))) == sorted({"en", "km"}));
  CHECK(sorted(hit_ids(searcher.search(request("1948")))) == sorted({"ar", "en"}));
  CHECK(sorted(hit_ids(searcher.search(request("12")))) == sorted({"en", "km", "th"}));
  CHECK(hit_ids(searcher.search(request("2564"))) == Ids{"th"});
  CHECK(hit_ids(searcher.search(request("ឆ្នាំ"))) == Ids{"km"});      // "year", written against 2021
  CHECK(hit_ids(searcher.search(request("ឆ្នាំ២០២១"))) == Ids{"km"});
  CHECK(hit_ids(searcher.search(request("\"មាត្រា 12\""))) == Ids{"km"});
  CHECK(hit_ids(searcher.search(request("ปี"))) == Ids{"th"});
  // The snippet marks the number as written.
  const auto found = searcher.search(request("2021 lang:km"));
  REQUIRE(found.hits.size() == 1);
  CHECK_THAT(found.hits.front().snippet, Catch::Contains("ឆ្នាំ<mark>២០២១</mark>"));
}

TEST_CASE("search: Khmer typed out of Unicode's order finds the words and is found by them",
          "[integration][search]") {
  auto searcher = corpus_searcher();
  const auto khmer = corpus().id_for("udhr-khm");
  // The UDHR writes ស្ដ្រី ("woman") and វិទ្យាសាស្ត្រ ("science") in Unicode's order; much
  // Khmer text, and many a keyboard, types the coeng ro first: ស្រ្តី, វិទ្យាសាស្រ្ត.
  for (const char* typed : {"ស្ត្រី", "ស្រ្តី", "ស្រ្ដី", "វិទ្យាសាស្រ្ត"}) {
    CAPTURE(typed);
    const auto ids = hit_ids(searcher.search(request(typed)));
    CHECK(std::find(ids.begin(), ids.end(), khmer) != ids.end());
  }
  TempDir dir("rights-search-khmer-order");
  dir.write("corpus/typed.txt", "សិទ្ធិរបស់ស្រ្តី និងកុមារ ក្នុងវិទ្យាសាស្រ្ត ការជំុគ្នា");
  const auto index = dir.path() / "index";
  rights::build_index(dir.path() / "corpus", index, {});
  Searcher typed_out_of_order(index.string(), std::make_shared<rights::Authority>());
  for (const char* query : {"ស្ត្រី", "វិទ្យាសាស្ត្រ", "ការជុំគ្នា"}) {
    CAPTURE(query);
    const auto found = typed_out_of_order.search(request(query));
    REQUIRE(found.hits.size() == 1);
    CHECK_THAT(found.hits.front().snippet, Catch::Contains("<mark>"));
  }
  CHECK_THAT(typed_out_of_order.search(request("ស្ត្រី")).hits.front().snippet, Catch::Contains("<mark>ស្រ្តី</mark>"));
}

TEST_CASE("search: Korean words are completed as the documents write them", "[integration][search]") {
  rights::testing::TempDir dir("rights-search-korean-words");
  dir.write("corpus/a.txt", "보고서\n국가인권위원회는 인권침해를 조사한다. 인권과 자유.");
  dir.write("corpus/b.txt", "결정\n국가인권위원회의 권고를 받아들였다. 인권에 관한 것.");
  dir.write("corpus/c.txt", "비공개\n국가정보원은 인권위원회를 감시했다.");
  dir.write("corpus/manifest.json", R"({"documents": [
      {"id": "a", "path": "a.txt"}, {"id": "b", "path": "b.txt"},
      {"id": "c", "path": "c.txt", "access": "restricted"}]})");
  const auto index = dir.path() / "index";
  rights::build_index(dir.path() / "corpus", index, {});
  rights::Searcher searcher(index.string(), std::make_shared<rights::Authority>());
  const auto values = [](const std::vector<rights::Suggestion>& offered) {
    std::vector<std::string> texts;
    for (const auto& suggestion : offered) texts.push_back(suggestion.value);
    return texts;
  };
  // The committee written with two particles is offered once, without them; "국가인" is
  // only ever followed by 권위원회 here. Pairs (국가, 가인...) are never offered.
  CHECK(values(searcher.suggest("국가인", 5, false)) == std::vector<std::string>{"국가인권위원회"});
  // What was typed plus a particle (인권과, 인권에) is no completion.
  CHECK(values(searcher.suggest("인권", 5, false)) == std::vector<std::string>{"인권침해를"});
  // Words before it stay; a restricted document's words only for token holders.
  CHECK(values(searcher.suggest("조사 국가", 5, false)) == std::vector<std::string>{"조사 국가인권위원회"});
  CHECK(values(searcher.suggest("인권위", 5, false)).empty());
  CHECK(values(searcher.suggest("인권위", 5, true)) == std::vector<std::string>{"인권위원회를"});
}
