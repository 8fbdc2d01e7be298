#include <catch2/catch.hpp>

#include <algorithm>

#include <string>
#include <utility>

#include "rights/query_parser.h"
#include "rights/search.h"

using rights::analyse_query;
using rights::parse_query;
using rights::QueryContext;

namespace {

std::shared_ptr<const rights::Authority> test_authority() {
  rights::AuthorityEntry koeut_rith;
  koeut_rith.id = "koeut-rith";
  koeut_rith.name = "Koeut Rith";
  koeut_rith.aliases = {"Koeut Rith", "Keut Rith", "កើត រិទ្ធ"};
  rights::AuthorityEntry interior;
  interior.id = "interior";
  interior.name = "Ministry of Interior";
  interior.kind = rights::EntityKind::Ministry;
  interior.aliases = {"Ministry of Interior", "interior ministry", "ក្រសួងមហាផ្ទៃ"};
  return rights::Authority::from_entries({koeut_rith, interior});
}

struct Fixture {
  rights::TextAnalyzer analyzer;
  std::shared_ptr<const rights::Authority> authority = test_authority();
  QueryContext english{analyzer, authority.get(), {"en"}, {}};

  std::string describe(const std::string& text) { return parse_query(text, english).get_description(); }
  std::string error_code(const std::string& text) {
    try {
      parse_query(text, english);
    } catch (const rights::UserError& e) {
      return e.code();
    }
    return "no error";
  }
};

}  // namespace

TEST_CASE("query parser: descriptions of valid queries", "[query_parser]") {
  Fixture fixture;
  const auto [input, expected] = GENERATE(table<std::string, std::string>({
      {"", "Query(<alldocuments>)"},
      {"   ", "Query(<alldocuments>)"},
      // A word and its stems; a word that is its own stem still needs Z+stem for "rights".
      {"impunity", "Query((impunity SYNONYM ((impun OR Zimpun) FILTER Len)))"},
      {"rights", "Query((rights SYNONYM ((right OR Zright) FILTER Len)))"},
      {"Right", "Query((right SYNONYM (Zright FILTER Len)))"},
      // Quoted text is exact: no stems.
      {"\"human rights\"", "Query((human PHRASE 2 rights))"},
      {"\"Rights\"", "Query(rights)"},
      // One chunk, several words: a phrase of the analyzer's words.
      {"women's-rights", "Query((women's PHRASE 2 rights))"},
      {"U.S.", "Query((u.s SYNONYM ((u. OR Zu.) FILTER Len)))"},
      // Scripts without spaces are segmented exactly as at indexing time.
      {"สิทธิมนุษยชน", "Query((สิทธิ PHRASE 3 มนุษย PHRASE 3 ชน))"},
      {"人权宣言", "Query((人权 PHRASE 2 宣言))"},
      {"\"ខៀវ លក្សី\"", "Query((ខៀវ PHRASE 2 លក្សី))"},
      // Operators, signs, nesting.
      {"torture AND impunity",
       "Query(((torture SYNONYM ((tortur OR Ztortur) FILTER Len)) AND (impunity SYNONYM ((impun OR Zimpun) FILTER Len))))"},
      {"torture impunity",
       "Query(((torture SYNONYM ((tortur OR Ztortur) FILTER Len)) AND (impunity SYNONYM ((impun OR Zimpun) FILTER Len))))"},
      {"+torture impunity",
       "Query(((torture SYNONYM ((tortur OR Ztortur) FILTER Len)) AND (impunity SYNONYM ((impun OR Zimpun) FILTER Len))))"},
      {"torture OR \"legal action\"",
       "Query(((torture SYNONYM ((tortur OR Ztortur) FILTER Len)) OR (legal PHRASE 2 action)))"},
      {"torture NOT impunity",
       "Query(((torture SYNONYM ((tortur OR Ztortur) FILTER Len)) AND_NOT (impunity SYNONYM ((impun OR Zimpun) FILTER Len))))"},
      {"torture -impunity",
       "Query(((torture SYNONYM ((tortur OR Ztortur) FILTER Len)) AND_NOT (impunity SYNONYM ((impun OR Zimpun) FILTER Len))))"},
      {"torture -\"legal action\" -type:letter",
       "Query(((torture SYNONYM ((tortur OR Ztortur) FILTER Len)) AND_NOT ((legal PHRASE 2 action) OR XTletter)))"},
      {"-torture", "Query(0 * (<alldocuments> AND_NOT (torture SYNONYM ((tortur OR Ztortur) FILTER Len))))"},
      {"NOT torture", "Query(0 * (<alldocuments> AND_NOT (torture SYNONYM ((tortur OR Ztortur) FILTER Len))))"},
      {"women (torture OR \"legal action\")",
       "Query(((women SYNONYM (Zwomen FILTER Len)) AND ((torture SYNONYM ((tortur OR Ztortur) FILTER Len)) OR "
       "(legal PHRASE 2 action))))"},
      {"(torture OR abuse) AND NOT (impunity)",
       "Query((((torture SYNONYM ((tortur OR Ztortur) FILTER Len)) OR (abuse SYNONYM ((abus OR Zabus) FILTER Len))) AND_NOT "
       "(impunity SYNONYM ((impun OR Zimpun) FILTER Len))))"},
      // Lower-case operators are words.
      {"law and order",
       "Query(((law SYNONYM (Zlaw FILTER Len)) AND (and SYNONYM (Zand FILTER Len)) AND (order SYNONYM (Zorder FILTER Len))))"},
      // Fields.
      {"title:rights", "Query(Srights)"},
      // Title words can be completed too; quoted, the * is not a wildcard.
      {"title:impun*", "Query(WILDCARD SYNONYM Simpun)"},
      {"title:\"impun*\"", "Query(Simpun)"},
      {"title:\"Human Rights\"", "Query((Shuman PHRASE 2 Srights))"},
      // Proximity: the words in any order, at most N others among them (window = words + N).
      {"\"torture police\"~5", "Query((torture NEAR 7 police))"},
      {"\"torture police\"~0", "Query((torture NEAR 2 police))"},
      {"(\"rule law\"~1 OR impunity)", "Query(((rule NEAR 3 law) OR (impunity SYNONYM ((impun OR Zimpun) FILTER Len))))"},
      {"\"Rights\"~3", "Query(rights)"},
      {"title:\"land rights\"~2", "Query((Sland NEAR 4 Srights))"},
      {"actor:\"Keut Rith\"", "Query(0 * XAkoeut-rith)"},
      {"actor:\"កើត រិទ្ធ\"", "Query(0 * XAkoeut-rith)"},
      {"actor:koeut-rith", "Query(0 * XAkoeut-rith)"},
      {"ministry:ក្រសួងមហាផ្ទៃ", "Query(0 * XMinterior)"},
      // Free words naming an entity also match its canonical term, whatever alias a
      // document uses; the term adds no weight.
      {"Keut Rith", "Query((((keut SYNONYM (Zkeut FILTER Len)) AND (rith SYNONYM (Zrith FILTER Len))) OR 0 * XAkoeut-rith))"},
      {"\"Keut Rith\" impunity",
       "Query((((keut PHRASE 2 rith) OR 0 * XAkoeut-rith) AND (impunity SYNONYM ((impun OR Zimpun) FILTER Len))))"},
      {"កើត រិទ្ធ", "Query((((កើត SYNONYM (Zកើត FILTER Len)) AND (រិទ្ធ SYNONYM (Zរិទ្ធ FILTER Len))) OR 0 * XAkoeut-rith))"},
      {"the interior ministry", "Query(((the SYNONYM (Zthe FILTER Len)) AND (((interior SYNONYM (Zinterior FILTER Len)) AND (ministry SYNONYM ((ministri OR Zministri) FILTER Len))) OR 0 * XMinterior)))"},
      {"Keut -Rith", "Query(((keut SYNONYM (Zkeut FILTER Len)) AND_NOT (rith SYNONYM (Zrith FILTER Len))))"},
      {"torture actor:\"Keut Rith\"",
       "Query(((torture SYNONYM ((tortur OR Ztortur) FILTER Len)) FILTER XAkoeut-rith))"},
      {"torture OR ministry:interior",
       "Query(((torture SYNONYM ((tortur OR Ztortur) FILTER Len)) OR 0 * XMinterior))"},
      {"type:Letter lang:km", "Query(0 * (XTletter AND Lkm))"},
      {"source:\"The Phnom Penh Post\"", "Query(0 * XSthe phnom penh post)"},
      {"Title:rights", "Query(Srights)"},
      // Dates.
      // A value range has no weight to scale, so Xapian drops the "0 *".
      {"date:2021..2022", "Query(VALUE_RANGE 0 20210000 20229999)"},
      {"date:2021-05..2021-06-30", "Query(VALUE_RANGE 0 20210500 20210630)"},
      {"date:2021..", "Query(VALUE_GE 0 20210000)"},
      {"date:..2020", "Query(VALUE_LE 0 20209999)"},
      {"date:2021-05", "Query(VALUE_RANGE 0 20210500 20210599)"},
      {"torture date:2021..",
       "Query(((torture SYNONYM ((tortur OR Ztortur) FILTER Len)) FILTER VALUE_GE 0 20210000))"},
      // Wildcards.
      {"impun*", "Query(WILDCARD SYNONYM impun)"},
      {"Impun*", "Query(WILDCARD SYNONYM impun)"},
      // Unknown prefixes are words, so URLs and times do not break a query.
      {"http://example.org", "Query((http PHRASE 2 example.org))"},
      {"10:30", "Query((10 PHRASE 2 30))"},
      // Punctuation-only chunks vanish.
      {"torture - ...", "Query((torture SYNONYM ((tortur OR Ztortur) FILTER Len)))"},
  }));
  CAPTURE(input);
  CHECK(fixture.describe(input) == expected);
}

TEST_CASE("query parser: Khmer words are segmented like the index", "[query_parser]") {
  Fixture fixture;
  // ICU's dictionary holds "human rights" as one Khmer word; with no stem language
  // involved it is a plain term.
  QueryContext unstemmed{fixture.analyzer, fixture.authority.get(), {}, {}};
  CHECK(parse_query("សិទ្ធិមនុស្ស", unstemmed).get_description() == "Query(សិទ្ធិមនុស្ស)");
  // Two Khmer words written without a space ("declaration of human rights") form a phrase.
  CHECK(parse_query("ប្រកាសសិទ្ធិមនុស្ស", unstemmed).get_description() ==
        "Query((ប្រកាស PHRASE 2 សិទ្ធិមនុស្ស))");
}

TEST_CASE("query parser: stems of several languages are de-duplicated", "[query_parser]") {
  Fixture fixture;
  QueryContext none{fixture.analyzer, fixture.authority.get(), {}, {}};
  CHECK(parse_query("rights", none).get_description() == "Query(rights)");
  QueryContext english_twice{fixture.analyzer, fixture.authority.get(), {"en", "en"}, {}};
  CHECK(parse_query("rights", english_twice).get_description() ==
        "Query((rights SYNONYM ((right OR Zright) FILTER Len)))");
  QueryContext english_french{fixture.analyzer, fixture.authority.get(), {"en", "fr"}, {}};
  CHECK(parse_query("droits", english_french).get_description() ==
        "Query((droits SYNONYM ((droit OR Zdroit) FILTER (Len OR Lfr))))");
  // A stem is a word of its own in other languages: Turkish "insan" (human) stems to "in",
  // which must not find every English text.
  QueryContext english_turkish{fixture.analyzer, fixture.authority.get(), {"en", "tr"}, {}};
  CHECK(parse_query("insan", english_turkish).get_description() ==
        "Query((insan SYNONYM (Zinsan FILTER Len) SYNONYM ((in OR Zin) FILTER Ltr)))");
}

TEST_CASE("query parser: malformed queries name the problem", "[query_parser]") {
  Fixture fixture;
  const auto [input, code] = GENERATE(table<std::string, std::string>({
      {"\"unclosed phrase", "bad_query"},
      {"torture \"unclosed", "bad_query"},
      {"(torture", "bad_query"},
      {"torture)", "bad_query"},
      {"((torture)", "bad_query"},
      {"()", "bad_query"},
      {"AND torture", "bad_query"},
      {"OR torture", "bad_query"},
      {"torture OR", "bad_query"},
      {"torture AND", "bad_query"},
      {"torture NOT", "bad_query"},
      {"NOT", "bad_query"},
      {"torture OR OR abuse", "bad_query"},
      {"torture AND OR abuse", "bad_query"},
      {"(OR torture)", "bad_query"},
      {"title:", "bad_query"},
      {"\"torture police\"~", "bad_query"},
      {"\"torture police\"~x", "bad_query"},
      {"\"torture police\"~5x", "bad_query"},
      {"\"torture police\"~51", "bad_query"},
      {"\"torture police\"~999999999999999999999", "bad_query"},
      {"actor:\"Keut Rith\"~2", "bad_query"},
      {"title:\"\"", "bad_query"},
      {"actor: torture", "bad_query"},
      {"i*", "bad_query"},
      {"*", "bad_query"},
      // Nothing to search for: not "every document", which an empty query means.
      {"!!!", "bad_query"},
      {"-", "bad_query"},
      {"\"\"", "bad_query"},
      {"—", "bad_query"},
      {"។", "bad_query"},
      {"✊🏽", "bad_query"},
      {"( ! )", "bad_query"},
      {"actor:nobody", "unknown_actor"},
      {"actor:\"Keut\"", "unknown_actor"},
      {"ministry:defence", "unknown_ministry"},
      {"type:memo", "unknown_type"},
      {"date:2021-13", "bad_date"},
      {"date:yesterday", "bad_date"},
      {"date:2022..2021", "bad_date"},
      {"date:..", "bad_date"},
      {"torture \xff", "bad_encoding"},
      {std::string(rights::kMaxQueryBytes + 1, 'a'), "query_too_long"},
  }));
  CAPTURE(input);
  CHECK(fixture.error_code(input) == code);
}

TEST_CASE("query parser: messages give the position", "[query_parser]") {
  Fixture fixture;
  try {
    parse_query("torture (impunity", fixture.english);
    FAIL("no exception");
  } catch (const rights::UserError& e) {
    CHECK(std::string(e.what()) == "unbalanced parenthesis: this '(' is never closed (at character 9)");
  }
  try {
    parse_query("ស ខេង OR", fixture.english);
    FAIL("no exception");
  } catch (const rights::UserError& e) {
    CHECK(std::string(e.what()) == "OR has nothing after it (at character 7)");
  }
  CHECK_THROWS_AS(parse_query(std::string(rights::kMaxQueryBytes + 1, 'a'), fixture.english),
                  rights::TooLarge);
}

TEST_CASE("query parser: at most 10 wildcards in a query (each expands to up to 200 words)", "[query_parser]") {
  Fixture fixture;
  std::string ten = "to*";
  for (int i = 1; i < 10; ++i) ten += " OR t" + std::string(1, static_cast<char>('a' + i)) + "*";
  CHECK_NOTHROW(parse_query(ten, fixture.english));
  CHECK_NOTHROW(parse_query(ten + " title:decl", fixture.english));
  for (const std::string eleventh : {" OR po*", " title:de*"}) {
    CAPTURE(eleventh);
    try {
      parse_query(ten + eleventh, fixture.english);
      FAIL("no exception");
    } catch (const rights::UserError& e) {
      CHECK(e.code() == "bad_query");
      CHECK_THAT(e.what(), Catch::StartsWith("a query takes at most 10 wildcards"));
    }
  }
}

TEST_CASE("query parser: plain words and highlight terms", "[query_parser]") {
  Fixture fixture;
  const auto parsed = analyse_query(
      "+impunty \"legal action\" -torture title:report abus* actor:koeut-rith", fixture.english);
  REQUIRE(parsed.plain_words.size() == 1);
  CHECK(parsed.plain_words[0].term == "impunty");
  CHECK(parsed.plain_words[0].begin == 1);
  CHECK(parsed.plain_words[0].end == 8);
  CHECK(parsed.highlight.words == std::vector<std::string>{"impunty", "report"});
  // Phrase words are marked where the phrase stands, not each on its own.
  CHECK(parsed.highlight.phrases == std::vector<std::vector<std::string>>{{"legal", "action"}});
  CHECK(parsed.highlight.prefixes == std::vector<std::string>{"abus"});
  CHECK(parsed.highlight.stem_languages == std::vector<std::string>{"en"});
  CHECK(parsed.has_scoring_terms);

  // Double negation is positive again.
  const auto twice = analyse_query("-(torture -abuse)", fixture.english);
  CHECK(twice.highlight.words == std::vector<std::string>{"abuse"});
  CHECK_FALSE(twice.has_scoring_terms);

  const auto filters_only = analyse_query("actor:koeut-rith type:letter", fixture.english);
  CHECK_FALSE(filters_only.has_scoring_terms);
  // No word to mark, but the actor's names (every spelling) are, where they stand whole.
  CHECK(filters_only.highlight.words.empty());
  CHECK(filters_only.highlight.prefixes.empty());
  CHECK(std::find(filters_only.highlight.names.begin(), filters_only.highlight.names.end(),
                  std::vector<std::string>{"keut", "rith"}) != filters_only.highlight.names.end());
  CHECK(filters_only.plain_words.empty());
  CHECK(analyse_query("type:letter -actor:koeut-rith", fixture.english).highlight.empty());
}

TEST_CASE("query parser: words searched as a phrase are highlighted as a phrase", "[query_parser]") {
  Fixture fixture;
  using Phrases = std::vector<std::vector<std::string>>;
  using Words = std::vector<std::string>;
  const auto title = analyse_query("title:\"annual report\" torture", fixture.english).highlight;
  CHECK(title.phrases == Phrases{{"annual", "report"}});
  CHECK(title.words == Words{"torture"});
  // A chunk written without spaces is searched as a phrase of its pieces.
  const auto japanese = analyse_query("人権を保護する", fixture.english).highlight;
  CHECK(japanese.words.empty());
  REQUIRE(japanese.phrases.size() == 1);
  CHECK(japanese.phrases.front().size() > 1);
  // "..."~N finds the words in any order: each is marked where it stands.
  const auto near = analyse_query("\"legal action\"~3", fixture.english).highlight;
  CHECK(near.words == Words{"legal", "action"});
  CHECK(near.phrases.empty());
  // An entity's names are names, not phrases: a name's last word may carry a possessive.
  const auto actor = analyse_query("actor:koeut-rith", fixture.english).highlight;
  CHECK(actor.phrases.empty());
  CHECK_FALSE(actor.names.empty());
}

TEST_CASE("query parser: date ranges", "[query_parser]") {
  CHECK(rights::date_range_query("2021", "2021").get_description() ==
        "Query(VALUE_RANGE 0 20210000 20219999)");
  CHECK(rights::date_range_query("2021-05-12", "").get_description() == "Query(VALUE_GE 0 20210512)");
  CHECK(rights::date_range_query("2021-01-01", "2021-12-31").get_description() ==
        "Query(VALUE_RANGE 0 20210000 20211231)");
  CHECK(rights::date_range_query("", "2020-02").get_description() == "Query(VALUE_LE 0 20200299)");
  CHECK_THROWS_AS(rights::date_range_query("2021-02-30", ""), rights::UserError);
}

TEST_CASE("query parser: a negated name excludes every alias of it", "[query_parser]") {
  Fixture fixture;
  // NOT X is the complement of X: "Koeut Rith" also finds documents tagged with the actor
  // under another spelling, so its negation excludes them too.
  CHECK(fixture.describe("NOT \"Koeut Rith\"") ==
        "Query(0 * (<alldocuments> AND_NOT ((koeut PHRASE 2 rith) OR 0 * XAkoeut-rith)))");
  CHECK(fixture.describe("impunity -\"Keut Rith\"") ==
        "Query(((impunity SYNONYM ((impun OR Zimpun) FILTER Len)) AND_NOT ((keut PHRASE 2 rith) OR 0 * XAkoeut-rith)))");
  CHECK(fixture.describe("impunity NOT (Keut Rith)") ==
        "Query(((impunity SYNONYM ((impun OR Zimpun) FILTER Len)) AND_NOT (((keut SYNONYM (Zkeut FILTER Len)) AND (rith SYNONYM (Zrith FILTER Len))) OR "
        "0 * XAkoeut-rith)))");
  CHECK(fixture.describe("impunity -\"ក្រសួងមហាផ្ទៃ\"") ==
        "Query(((impunity SYNONYM ((impun OR Zimpun) FILTER Len)) AND_NOT (ក្រសួងមហាផ្ទៃ OR 0 * XMinterior)))");
  // Separate exclusions of single words are not a name.
  CHECK(fixture.describe("impunity -Keut -Rith") ==
        "Query(((impunity SYNONYM ((impun OR Zimpun) FILTER Len)) AND_NOT ((keut SYNONYM (Zkeut FILTER Len)) OR (rith SYNONYM (Zrith FILTER Len)))))");
}

TEST_CASE("query parser: no-break and ideographic spaces separate words", "[query_parser]") {
  Fixture fixture;
  // Pasted text and CJK keyboards: the same query as with ASCII spaces, not a phrase.
  CHECK(fixture.describe("police\u00A0impunity") == fixture.describe("police impunity"));
  CHECK(fixture.describe("police\u3000\u2009impunity") == fixture.describe("police impunity"));
  CHECK(fixture.describe("\u81ea\u7531\u3000\u5e73\u7b49") == fixture.describe("\u81ea\u7531 \u5e73\u7b49"));
  // Replaced byte for byte: messages still point at the right place.
  CHECK_THROWS_WITH(parse_query("police\u00A0(impunity", fixture.english), Catch::Contains("character 8"));
}
