#include <catch2/catch.hpp>

#include "rights/authority.h"

namespace {

std::shared_ptr<const rights::Authority> sample_authority() {
  rights::AuthorityEntry koeut{"koeut-rith", "Koeut Rith", rights::EntityKind::Actor, "person",
                               "Minister of Justice", "justice", {"Keut Rith", "កើត រិទ្ធ"}};
  rights::AuthorityEntry sar{"sar-kheng", "Sar Kheng", rights::EntityKind::Actor, "person",
                             "", "interior", {"Samdech Krala Hom Sar Kheng", "ស ខេង"}};
  rights::AuthorityEntry interior{"interior", "Ministry of Interior", rights::EntityKind::Ministry,
                                  "", "", "", {"interior ministry", "Minister of Interior"}};
  return rights::Authority::from_entries({koeut, sar, interior});
}

std::vector<std::string> mentioned_ids(const std::string& text) {
  rights::TextAnalyzer analyzer;
  const auto authority = sample_authority();  // mentions point into it: keep it alive
  std::vector<std::string> ids;
  for (const auto& mention : authority->find_mentions(analyzer.tokenize(text))) {
    ids.push_back(mention.entry->id);
  }
  return ids;
}

}  // namespace

TEST_CASE("spelling variants and scripts resolve to one canonical actor", "[authority]") {
  rights::TextAnalyzer analyzer;
  const auto authority = sample_authority();
  const auto typed = GENERATE(as<std::string>{}, "Keut Rith", "Koeut Rith", "KOEUT  RITH",
                              "koeut-rith", "កើត រិទ្ធ");
  INFO(typed);
  const auto* entry = authority->resolve(rights::EntityKind::Actor, typed, analyzer);
  REQUIRE(entry != nullptr);
  CHECK(entry->id == "koeut-rith");
}

TEST_CASE("resolution is scoped by kind and unknown names give nothing", "[authority]") {
  rights::TextAnalyzer analyzer;
  const auto authority = sample_authority();
  CHECK(authority->resolve(rights::EntityKind::Ministry, "Keut Rith", analyzer) == nullptr);
  CHECK(authority->resolve(rights::EntityKind::Actor, "Hun Sen", analyzer) == nullptr);
  CHECK(authority->resolve(rights::EntityKind::Ministry, "Interior Ministry", analyzer)->id == "interior");
}

TEST_CASE("mentions in text use the longest alias and never bare ids", "[authority]") {
  CHECK(mentioned_ids("A letter to Samdech Krala Hom Sar Kheng and His Excellency Keut Rith.") ==
        std::vector<std::string>{"sar-kheng", "koeut-rith"});
  CHECK(mentioned_ids("said interior ministry spokesman") == std::vector<std::string>{"interior"});
  // "interior" alone is an id, not an alias: ordinary words must not become mentions.
  CHECK(mentioned_ids("the interior of the building").empty());
  CHECK(mentioned_ids("ស ខេង បាននិយាយ") == std::vector<std::string>{"sar-kheng"});
}

TEST_CASE("the corpus authority files load and link actors to ministries", "[authority]") {
  const auto authority = rights::Authority::load(std::string(RIGHTS_CORPUS_DIR) + "/authority");
  rights::TextAnalyzer analyzer;
  const auto* keut = authority->resolve(rights::EntityKind::Actor, "Keut Rith", analyzer);
  const auto* koeut = authority->resolve(rights::EntityKind::Actor, "Koeut Rith", analyzer);
  REQUIRE(keut != nullptr);
  CHECK(keut == koeut);
  CHECK(authority->find_by_id(rights::EntityKind::Ministry, keut->ministry) != nullptr);
}

TEST_CASE("an authority reads back from the JSON an index stores", "[authority]") {
  const auto authority = rights::Authority::load(std::string(RIGHTS_CORPUS_DIR) + "/authority");
  REQUIRE_FALSE(authority->entries().empty());
  const auto again = rights::Authority::from_json(authority->to_json());
  REQUIRE(again->entries().size() == authority->entries().size());
  for (std::size_t i = 0; i < authority->entries().size(); ++i) {
    const auto& a = authority->entries()[i];
    const auto& b = again->entries()[i];
    CAPTURE(a.id);
    CHECK((a.id == b.id && a.name == b.name && a.kind == b.kind && a.actor_kind == b.actor_kind &&
           a.role == b.role && a.ministry == b.ministry && a.aliases == b.aliases));
  }
  rights::TextAnalyzer analyzer;
  CHECK(again->resolve(rights::EntityKind::Actor, "Keut Rith", analyzer)->id == "koeut-rith");
  CHECK_THROWS_WITH(rights::Authority::from_json("{\"actors\": ["), Catch::Contains("malformed authority stored in the index"));
  CHECK_THROWS_WITH(rights::Authority::from_json(R"({"actors": [{"id": "x"}], "ministries": []})"),
                    Catch::Contains("lacks id or name"));
}
