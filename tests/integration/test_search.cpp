// rights::Searcher against real indexes: the sample corpus (built once per run with
// rights::build_index) and small temporary corpora for access control and refresh.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <xapian.h>

#include <algorithm>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "corpus_search.h"
#include "rights/index_builder.h"
#include "rights/schema.h"
#include "rights/search.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using rights::SearchRequest;
using rights::Searcher;

using namespace rights::testing;

TEST_CASE("search: words find the documents that discuss them", "[integration][search]") {
  auto searcher = corpus_searcher();
  const auto state_department = corpus().id_for("us-state-department");
  const auto interior_article = corpus().id_for("interior-ministry-responds");

  const auto impunity = searcher.search(request("impunity"));
  const auto top5 = hit_ids(impunity, 5);
  CHECK(contains(top5, state_department));
  CHECK(contains(top5, interior_article));
  REQUIRE_FALSE(impunity.hits.empty());
  CHECK(impunity.hits.front().snippet.find("<mark>impunity</mark>") != std::string::npos);
  CHECK(impunity.hits.front().score > 0);
  CHECK(impunity.total == impunity.hits.size());

  // Stemming: an inflected form finds the same documents.
  CHECK(contains(hit_ids(searcher.search(request("ministries"))), interior_article));
  // Wildcards.
  CHECK(contains(hit_ids(searcher.search(request("impun*"))), state_department));
}

TEST_CASE("search: \"words\"~N finds them near each other, in any order", "[integration][search]") {
  auto searcher = corpus_searcher();
  const auto state_department = corpus().id_for("us-state-department");
  const auto english_udhr = corpus().id_for("udhr-eng");
  using Ids = std::vector<std::string>;
  // "torture and cruel, inhuman or degrading" (4 words between) in the State Department
  // report; "torture or to cruel, inhuman or degrading" (5) in the English UDHR.
  CHECK(searcher.search(request("\"torture degrading\"")).total == 0);
  CHECK(searcher.search(request("\"torture degrading\"~3")).total == 0);
  CHECK(hit_ids(searcher.search(request("\"torture degrading\"~4"))) == Ids{state_department});
  CHECK(hit_ids(searcher.search(request("\"degrading torture\"~4"))) == Ids{state_department});
  CHECK(sorted(hit_ids(searcher.search(request("\"torture degrading\"~5")))) ==
        sorted({state_department, english_udhr}));
}

TEST_CASE("search: actor filters resolve every alias", "[integration][search]") {
  auto searcher = corpus_searcher();
  auto by_alias = [&searcher](const std::string& alias) {
    auto req = request("");
    req.filters["actor"] = {alias};
    return hit_ids(searcher.search(req));
  };
  const auto keut = by_alias("Keut Rith");
  CHECK_FALSE(keut.empty());
  CHECK(keut == by_alias("Koeut Rith"));
  CHECK(keut == by_alias("koeut-rith"));
  CHECK(keut == by_alias("កើត រិទ្ធ"));
  CHECK(keut == hit_ids(searcher.search(request("actor:\"Keut Rith\""))));
  REQUIRE(keut.size() == 2);  // the letter writes "Keut Rith", the article "Koeut Rith"
  // Free text naming an alias finds the canonical actor too, in either spelling.
  CHECK(sorted(hit_ids(searcher.search(request("Keut Rith")))) == sorted(keut));
  CHECK(sorted(hit_ids(searcher.search(request("Koeut Rith")))) == sorted(keut));
  // And its negation is the complement: neither spelling comes back.
  for (const std::string negated : {"NOT \"Koeut Rith\"", "-\"Keut Rith\"", "NOT (Koeut Rith)"}) {
    CAPTURE(negated);
    const auto rest = hit_ids(searcher.search(request(negated)));
    CHECK(rest.size() + keut.size() == corpus().document_count());
    for (const auto& id : keut) CHECK(std::find(rest.begin(), rest.end(), id) == rest.end());
  }

  auto unknown = request("");
  unknown.filters["actor"] = {"Nobody Atall"};
  CHECK(error_code_of([&] { searcher.search(unknown); }) == "unknown_actor");
  auto unknown_ministry = request("");
  unknown_ministry.filters["ministry"] = {"Ministry of Magic"};
  CHECK(error_code_of([&] { searcher.search(unknown_ministry); }) == "unknown_ministry");
  // The type filter knows its values, as type: in a query does; case does not matter.
  auto typo = request("");
  typo.filters["type"] = {"reports"};
  CHECK(error_code_of([&] { searcher.search(typo); }) == "unknown_type");
  auto capitalised = request("");
  capitalised.filters["type"] = {"Statement"};
  CHECK(searcher.search(capitalised).total == hit_ids(searcher.search(request("type:statement"))).size());
  auto unknown_facet = request("");
  unknown_facet.filters["colour"] = {"red"};
  CHECK(error_code_of([&] { searcher.search(unknown_facet); }) == "unknown_facet");
}

TEST_CASE("search: facet counts are exact", "[integration][search]") {
  auto searcher = corpus_searcher();
  const auto response = searcher.search(request("ministry"));
  REQUIRE(response.total > 0);
  REQUIRE(response.hits.size() == response.total);

  // Single-valued facets partition the hits.
  for (const std::string facet : {"type", "year", "source"}) {
    std::uint64_t sum = 0;
    for (const auto& count : response.facets.at(facet)) sum += count.count;
    CAPTURE(facet);
    CHECK(sum == response.total);
  }
  // Multi-valued facets: each value's count is the number of hits holding it, and the
  // same as a search filtered by it.
  for (const std::string facet : {"actor", "ministry", "lang"}) {
    for (const auto& count : response.facets.at(facet)) {
      CAPTURE(facet, count.value);
      const auto holding = std::count_if(response.hits.begin(), response.hits.end(), [&](const rights::Hit& hit) {
        const auto& values = facet == "actor" ? hit.actors : facet == "ministry" ? hit.ministries : hit.languages;
        return contains(values, count.value);
      });
      CHECK(count.count == static_cast<std::uint64_t>(holding));
    }
  }
  // Every value of every facet: filtering by it gives exactly its count.
  for (const auto& [facet, counts] : response.facets) {
    for (const auto& count : counts) {
      CAPTURE(facet, count.value);
      auto filtered = request("ministry");
      filtered.filters[facet] = {count.value};
      CHECK(searcher.search(filtered).total == count.count);
    }
  }
  // Labels: names for actors and ministries.
  for (const auto& count : response.facets.at("ministry")) {
    if (count.value == "interior") CHECK(count.label == "Ministry of Interior");
  }
  // Sorted by count, then value.
  for (const auto& [facet, counts] : response.facets) {
    for (std::size_t i = 1; i < counts.size(); ++i) {
      CAPTURE(facet, i);
      CHECK((counts[i - 1].count > counts[i].count ||
             (counts[i - 1].count == counts[i].count && counts[i - 1].value < counts[i].value)));
    }
  }
  CHECK(response.facets.size() == rights::kFacets.size());
}

TEST_CASE("search: a filtered facet still shows its other values", "[integration][search]") {
  auto searcher = corpus_searcher();
  const auto all = searcher.search(request(""));
  CHECK(all.total == corpus().document_count());
  const auto articles = facet_count(all, "type", "article");
  const auto letters = facet_count(all, "type", "letter");
  REQUIRE(articles > 0);
  REQUIRE(letters > 0);

  auto letters_only = request("");
  letters_only.filters["type"] = {"letter"};
  const auto response = searcher.search(letters_only);
  CHECK(response.total == letters);
  CHECK(facet_count(response, "type", "article") == articles);
  CHECK(facet_count(response, "type", "letter") == letters);
  // Other facets count the filtered hits only.
  std::uint64_t years = 0;
  for (const auto& count : response.facets.at("year")) years += count.count;
  CHECK(years == letters);

  // Values within a facet are OR'ed.
  letters_only.filters["type"] = {"letter", "article"};
  CHECK(searcher.search(letters_only).total == letters + articles);
}

TEST_CASE("search: date ranges and date order", "[integration][search]") {
  auto searcher = corpus_searcher();
  auto in_2021 = request("");
  in_2021.from_date = "2021";
  in_2021.to_date = "2021";
  const auto response = searcher.search(in_2021);
  CHECK(response.total > 0);
  for (const auto& hit : response.hits) {
    CAPTURE(hit.id);
    CHECK(hit.date.rfind("2021", 0) == 0);  // neither undated nor 1948
  }
  CHECK(response.total == facet_count(searcher.search(request("")), "year", "2021"));
  // The query language says the same.
  CHECK(hit_ids(searcher.search(request("date:2021"))) == hit_ids(response));
  // So does the year written out by day or month: a document dated only "2021" counts
  // from its first day (one in corpus/ is: the State Department's report).
  REQUIRE(std::any_of(response.hits.begin(), response.hits.end(),
                      [](const rights::Hit& hit) { return hit.date == "2021"; }));
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"2021-01-01", "2021-12-31"}, {"2021-01", "2021-12"}, {"2021-01-01", "2021"}}) {
    auto written_out = request("");
    written_out.from_date = from;
    written_out.to_date = to;
    CAPTURE(from, to);
    CHECK(hit_ids(searcher.search(written_out)) == hit_ids(response));
  }
  // The date range is the year facet's own filter: its counts ignore it, so the other
  // years (and undated documents) stay visible for widening the range.
  const auto all_years = searcher.search(request("")).facets.at("year");
  CHECK(response.facets.at("year").size() == all_years.size());
  CHECK(facet_count(response, "year", "1948") == facet_count(searcher.search(request("")), "year", "1948"));
  CHECK(facet_count(response, "year", "undated") > 0);

  auto before = request("");
  before.to_date = "1950";
  for (const auto& hit : searcher.search(before).hits) CHECK(hit.date.rfind("1948", 0) == 0);

  auto bad = request("");
  bad.from_date = "21/05/2021";
  CHECK(error_code_of([&] { searcher.search(bad); }) == "bad_date");

  auto newest_first = request("");
  newest_first.sort = rights::SortOrder::DateDescending;
  const auto descending = searcher.search(newest_first);
  REQUIRE(descending.hits.size() == corpus().document_count());
  for (std::size_t i = 1; i < descending.hits.size(); ++i) {
    const auto& earlier = descending.hits[i - 1].date;
    const auto& later = descending.hits[i].date;
    CAPTURE(earlier, later);
    // Undated documents come last.
    CHECK((later.empty() || (!earlier.empty() && earlier >= later)));
  }
  auto oldest_first = newest_first;
  oldest_first.sort = rights::SortOrder::DateAscending;
  const auto ascending = searcher.search(oldest_first);
  std::vector<std::string> dated;
  for (const auto& hit : ascending.hits) {
    if (!hit.date.empty()) dated.push_back(hit.date);
  }
  CHECK(std::is_sorted(dated.begin(), dated.end()));
  // Undated documents come last oldest first too, not first.
  REQUIRE(dated.size() < ascending.hits.size());
  for (std::size_t i = 0; i < ascending.hits.size(); ++i) {
    CAPTURE(i, ascending.hits[i].id);
    CHECK(ascending.hits[i].date.empty() == (i >= dated.size()));
  }
}

TEST_CASE("search: paging and parameter checks", "[integration][search]") {
  auto searcher = corpus_searcher();
  auto first_page = request("", 5);
  const auto page1 = searcher.search(first_page);
  auto second_page = first_page;
  second_page.page = 2;
  const auto page2 = searcher.search(second_page);
  CHECK(page1.hits.size() == 5);
  CHECK(page2.hits.size() == 5);
  CHECK(page1.total == page2.total);
  for (const auto& id : hit_ids(page2)) CHECK_FALSE(contains(hit_ids(page1), id));

  auto far_away = first_page;
  far_away.page = 2000000000;
  const auto empty_page = searcher.search(far_away);
  CHECK(empty_page.hits.empty());
  CHECK(empty_page.total == page1.total);
  CHECK(facet_count(empty_page, "type", "letter") == facet_count(page1, "type", "letter"));

  auto bad = first_page;
  bad.per_page = 0;
  CHECK(error_code_of([&] { searcher.search(bad); }) == "bad_per_page");
  bad.per_page = rights::kMaxPerPage + 1;
  CHECK(error_code_of([&] { searcher.search(bad); }) == "bad_per_page");
  bad = first_page;
  bad.page = 0;
  CHECK(error_code_of([&] { searcher.search(bad); }) == "bad_page");
  CHECK(error_code_of([&] { searcher.search(request("(impunity")); }) == "bad_query");
  CHECK_THROWS_AS(searcher.search(request(std::string(rights::kMaxQueryBytes + 1, 'x'))), rights::TooLarge);
  CHECK(searcher.search(request("impunity")).took_ms >= 0);
}

TEST_CASE("search: did-you-mean", "[integration][search]") {
  auto searcher = corpus_searcher();
  const auto typo = searcher.search(request("impunty"));
  CHECK(typo.total == 0);
  CHECK(typo.suggestion == "impunity");
  CHECK(searcher.search(request("\"human rights\" rigths")).suggestion == "\"human rights\" rights");
  // Known words (in any inflection) are left alone; many hits: no suggestion.
  CHECK(searcher.search(request("impunity")).suggestion.empty());
  CHECK(searcher.search(request("zzqxv")).suggestion.empty());
  // The rewrite keeps how the word was typed: capitalised, or in capitals.
  CHECK(searcher.search(request("Sar Keng")).suggestion == "Sar Kheng");
  CHECK(searcher.search(request("IMPUNTY")).suggestion == "IMPUNITY");
  // Traditional 人權 is not in the corpus (simplified 人权 is); dropping a character is
  // not a spelling correction.
  CHECK(searcher.search(request("人權")).suggestion.empty());
  // Never an unaccented copy, which no document writes: "nguoix" is not "nguoi" (người).
  CHECK(searcher.search(request("nguoix")).suggestion != "nguoi");
  // A rewrite is offered only if it finds more, under the same filters: "sen" alone would
  // become "se" (a French word), but no document has both "hun" and "se".
  CHECK(searcher.search(request("hun")).total > 0);
  CHECK(searcher.search(request("sen")).suggestion == "se");
  CHECK(searcher.search(request("Hun Sen")).suggestion.empty());
  auto filtered_out = request("impunty");
  filtered_out.filters["lang"] = {"fr"};  // no French document has "impunity"
  CHECK(searcher.search(filtered_out).suggestion.empty());
  auto filtered_in = request("impunty");
  filtered_in.filters["lang"] = {"en"};
  CHECK(searcher.search(filtered_in).suggestion == "impunity");
}

TEST_CASE("document: lookup, highlighting and not-found", "[integration][search]") {
  auto searcher = corpus_searcher();
  const auto id = corpus().id_for("us-state-department");
  const auto plain = searcher.document(id, "", false);
  CHECK(plain.record.id == id);
  CHECK(plain.highlighted_text.find("<mark>") == std::string::npos);
  const auto marked = searcher.document(id, "impunity", false);
  CHECK(marked.highlighted_text.find("<mark>impunity</mark>") != std::string::npos);
  CHECK(marked.highlighted_text.find("\n") != std::string::npos);  // layout kept
  CHECK_THROWS_AS(searcher.document("no-such-document", "", false), rights::NotFound);
  CHECK_THROWS_AS(searcher.document("", "", false), rights::NotFound);
}

TEST_CASE("search: a chosen facet value is listed even when it is not among the most frequent",
          "[integration][search]") {
  auto searcher = corpus_searcher();
  const auto shown = searcher.search(request("")).facets.at("actor");
  const auto every = searcher.facet_values("actor", "", 1000, false);
  REQUIRE(every.size() > shown.size());  // corpus/ names more actors than one response lists
  const auto left_out = std::find_if(every.begin(), every.end(), [&](const rights::FacetCount& value) {
    return std::none_of(shown.begin(), shown.end(), [&](const rights::FacetCount& s) { return s.value == value.value; });
  });
  REQUIRE(left_out != every.end());
  auto chosen = request("");
  chosen.filters["actor"] = {left_out->label};  // chosen by name, listed by id
  const auto response = searcher.search(chosen);
  CHECK(response.total == left_out->count);
  const auto& actors = response.facets.at("actor");
  const auto listed = std::find_if(actors.begin(), actors.end(),
                                   [&](const rights::FacetCount& c) { return c.value == left_out->value; });
  REQUIRE(listed != actors.end());
  CHECK(listed->label == left_out->label);
  CHECK(listed->count == left_out->count);
}

TEST_CASE("search: a name found through an alias or actor: is marked in the spelling the text uses",
          "[integration][search]") {
  auto searcher = corpus_searcher();
  const auto sar_kheng_article = corpus().id_for("sar-kheng-meets");
  for (const char* query : {"ស ខេង", "actor:\"Sar Kheng\""}) {
    CAPTURE(query);
    const auto found = searcher.search(request(query));
    REQUIRE(found.total > 0);
    for (const auto& hit : found.hits) {
      CAPTURE(hit.id, hit.snippet);
      CHECK_THAT(hit.snippet, Catch::Contains("Sar Kheng</mark>"));
    }
    // The document view marks each mention once: as often as the text names him.
    const auto document = searcher.document(sar_kheng_article, query, false);
    std::size_t mentions = 0, marks = 0;
    for (auto at = document.record.text.find("Sar Kheng"); at != std::string::npos;
         at = document.record.text.find("Sar Kheng", at + 1)) {
      ++mentions;
    }
    for (auto at = document.highlighted_text.find("<mark>"); at != std::string::npos;
         at = document.highlighted_text.find("<mark>", at + 1)) {
      ++marks;
    }
    CHECK(mentions > 1);
    CHECK(marks == mentions);
  }
}

TEST_CASE("suggest and facet_values", "[integration][search]") {
  auto searcher = corpus_searcher();
  const auto has = [](const std::vector<rights::Suggestion>& list, const std::string& kind,
                      const std::string& value) {
    return std::any_of(list.begin(), list.end(), [&](const rights::Suggestion& s) {
      return s.kind == kind && s.value == value;
    });
  };
  CHECK(has(searcher.suggest("keu", 10, false), "actor", "koeut-rith"));
  CHECK(has(searcher.suggest("កើត", 10, false), "actor", "koeut-rith"));
  CHECK(has(searcher.suggest("interior", 10, false), "ministry", "interior"));
  CHECK(has(searcher.suggest("universal decl", 10, false), "title", corpus().id_for("udhr-eng")));
  CHECK(has(searcher.suggest("impun", 10, false), "term", "impunity"));
  CHECK(searcher.suggest("", 10, false).empty());
  CHECK(searcher.suggest("   ", 10, false).empty());
  CHECK(searcher.suggest("a", 3, false).size() <= 3);
  CHECK(error_code_of([&] { searcher.suggest("a", 0, false); }) == "bad_limit");
  CHECK(error_code_of([&] { searcher.suggest("a", 21, false); }) == "bad_limit");

  // After a field name: what that field takes, never "actor:said" (a 400 once searched).
  const auto actors = searcher.suggest("actor:sa", 10, false);
  CHECK(has(actors, "actor", "sar-kheng"));
  CHECK(std::all_of(actors.begin(), actors.end(), [](const rights::Suggestion& s) { return s.kind == "actor"; }));
  const auto ministries = searcher.suggest("impunity ministry:inte", 10, false);
  CHECK(has(ministries, "ministry", "interior"));
  CHECK(std::all_of(ministries.begin(), ministries.end(), [](const rights::Suggestion& s) { return s.kind == "ministry"; }));
  // title: completes words of titles, each of which finds a document.
  const auto titles = searcher.suggest("title:decl", 10, false);
  CHECK(has(titles, "term", "title:declaration"));
  for (const auto& suggestion : titles) {
    CAPTURE(suggestion.value);
    CHECK(searcher.search(request(suggestion.value)).total > 0);
  }
  CHECK(searcher.suggest("actor:", 10, false).empty());
  // type:, lang:, source: complete with their facet's values, each of which a search
  // takes and finds; date: takes dates, so nothing (index words were offered: "type:legal").
  CHECK(has(searcher.suggest("type:le", 10, false), "term", "type:letter"));
  CHECK(searcher.suggest("police type:le", 10, false).front().value == "police type:letter");
  CHECK(has(searcher.suggest("lang:k", 10, false), "term", "lang:km"));
  CHECK(has(searcher.suggest("source:\"the ph", 10, false), "term", "source:\"The Phnom Penh Post\""));
  CHECK(has(searcher.suggest("police actor:\"sar k", 10, false), "actor", "sar-kheng"));
  // Without quotes, a name runs on past its space while the part before names nobody:
  // "actor:sar k" is the actor being typed (it offered "actor:sar kheng", refused as a
  // search), and an excluded one gets the quoted query text.
  for (const char* typed : {"actor:sar k", "police actor:sar k", "(actor:sar kh"}) {
    CAPTURE(typed);
    const auto offered = searcher.suggest(typed, 10, false);
    CHECK(has(offered, "actor", "sar-kheng"));
    CHECK(std::none_of(offered.begin(), offered.end(), [](const auto& s) { return s.kind == "term"; }));
  }
  CHECK(has(searcher.suggest("police -actor:sar k", 10, false), "term", "police -actor:\"Sar Kheng\""));
  // Inside an open quote a completion ends a phrase that stands in a document, and closes
  // the quote ("right to li offered "right to libre, found nowhere and refused unclosed).
  for (const char* typed : {"\"human rig", "police \"human rig", "\"freedom of exp"}) {
    CAPTURE(typed);
    const auto offered = searcher.suggest(typed, 10, false);
    CHECK_FALSE(offered.empty());
    for (const auto& suggestion : offered) {
      if (suggestion.kind != "term") continue;
      CAPTURE(suggestion.value);
      CHECK(suggestion.value.back() == '"');
      CHECK(searcher.search(request(suggestion.value)).total > 0);
    }
  }
  CHECK(has(searcher.suggest("\"human rig", 10, false), "term", "\"human rights\""));
  // A complete id or name before the space is the filter; the next word is a word.
  CHECK_FALSE(has(searcher.suggest("actor:sar-kheng l", 10, false), "actor", "sar-kheng"));
  for (const char* typed : {"type:le", "type:\"st", "-type:a", "lang:e", "source:th", "source:cam"}) {
    CAPTURE(typed);
    const auto offered = searcher.suggest(typed, 10, false);
    CHECK_FALSE(offered.empty());
    for (const auto& suggestion : offered) {
      CAPTURE(suggestion.value);
      CHECK(searcher.search(request(suggestion.value)).total > 0);
    }
  }
  CHECK(searcher.suggest("date:19", 10, false).empty());
  // Operators glued to the field name keep it a field: "(type:le" is not "(type:legal".
  CHECK(has(searcher.suggest("(type:le", 10, false), "term", "(type:letter"));
  CHECK(has(searcher.suggest("human -(type:le", 10, false), "term", "human -(type:letter"));
  CHECK(has(searcher.suggest("human NOT(lang:k", 10, false), "term", "human NOT(lang:km"));
  CHECK(has(searcher.suggest("(actor:sa", 10, false), "actor", "sar-kheng"));
  CHECK(has(searcher.suggest("police AND(type:le", 10, false), "term", "police AND(type:letter"));
  CHECK(has(searcher.suggest("police OR(actor:sa", 10, false), "actor", "sar-kheng"));
  CHECK(has(searcher.suggest("(NOT(actor:sa", 10, false), "term", "(NOT(actor:\"Sar Kheng\""));
  // A quote or group just closed leaves nothing to complete: a completion would reopen it.
  for (const char* closed : {"source:\"The Phnom Penh Post\"", "source:\"The Phnom Penh Post\" ", "\"human rights\"",
                             "(source:\"The Phnom Penh Post\")", "x -(\"impunity\")", "(police)"}) {
    CAPTURE(closed);
    CHECK(searcher.suggest(closed, 10, false).empty());
  }
  // "-actor:sa" leaves an actor out: a suggestion picked as a filter would keep only them,
  // so the offer is the query text, which searched leaves out every spelling of the actor.
  for (const char* typed : {"police NOT actor:sa", "NOT actor:sa"}) {
    CAPTURE(typed);
    const auto after_not = searcher.suggest(typed, 10, false);
    CHECK(has(after_not, "term", std::string(typed).substr(0, std::string(typed).size() - 2) + "\"Sar Kheng\""));
    CHECK(std::none_of(after_not.begin(), after_not.end(), [](const rights::Suggestion& s) { return s.kind == "actor"; }));
  }
  const auto excluded = searcher.suggest("police -actor:sa", 10, false);
  CHECK(has(excluded, "term", "police -actor:\"Sar Kheng\""));
  CHECK(std::none_of(excluded.begin(), excluded.end(), [](const rights::Suggestion& s) { return s.kind == "actor"; }));
  const auto police = searcher.search(request("police")).total;
  const auto with_actor = searcher.search(request("police actor:sar-kheng")).total;
  CHECK(with_actor > 0);
  CHECK(searcher.search(request("police -actor:\"Sar Kheng\"")).total + with_actor == police);
  // An unaccented copy is not offered next to its accented word.
  const auto vietnamese = searcher.suggest("ngh", 20, false);
  CHECK(has(vietnamese, "term", "nghĩa"));
  CHECK_FALSE(has(vietnamese, "term", "nghia"));
  // Nor one whose accented word falls outside the list ("ngu" → "nguoi" for "người").
  for (const auto& suggestion : searcher.suggest("ngu", 20, false)) {
    CAPTURE(suggestion.value);
    CHECK(suggestion.value != "nguoi");
  }

  const auto rith = searcher.facet_values("actor", "RITH", 10, false);
  REQUIRE(rith.size() == 1);
  CHECK(rith.front().value == "koeut-rith");
  CHECK(rith.front().label == "Koeut Rith");
  // Any of an actor's names finds it: the open letter's "Keut Rith", the Khmer "ស ខេង".
  const auto keut = searcher.facet_values("actor", "Keut", 10, false);
  REQUIRE(keut.size() == 1);
  CHECK(keut.front().value == "koeut-rith");
  const auto khmer = searcher.facet_values("actor", "ស ខេង", 10, false);
  REQUIRE(khmer.size() == 1);
  CHECK(khmer.front().value == "sar-kheng");
  // Languages are labelled with their names, for scripts reading the facets.
  const auto languages = searcher.search(request("")).facets.at("lang");
  const auto label_of = [&](const std::string& code) {
    const auto found = std::find_if(languages.begin(), languages.end(),
                                    [&](const rights::FacetCount& c) { return c.value == code; });
    return found == languages.end() ? std::string("(absent)") : found->label;
  };
  CHECK(label_of("km") == "Khmer");
  CHECK(label_of("en") == "English");
  CHECK(label_of("zh") == "Chinese");
  CHECK(searcher.facet_values("lang", "khm", 10, false).front().value == "km");
  const auto types = searcher.facet_values("type", "", 10, false);
  std::uint64_t sum = 0;
  for (const auto& count : types) sum += count.count;
  CHECK(sum == corpus().document_count());
  CHECK(error_code_of([&] { searcher.facet_values("colour", "", 10, false); }) == "unknown_facet");
}

TEST_CASE("stats", "[integration][search]") {
  auto searcher = corpus_searcher();
  const auto stats = searcher.stats(false);
  CHECK(stats.documents == corpus().document_count());
  CHECK(stats.terms > 1000);
  CHECK_FALSE(stats.build_time.empty());
  CHECK_FALSE(stats.generation.empty());
  CHECK(searcher.generation().find(stats.generation) != std::string::npos);
  std::uint64_t types = 0;
  for (const auto& count : stats.facets.at("type")) types += count.count;
  CHECK(types == stats.documents);
}

namespace {

// A two-document corpus: one public, one restricted with a word and an actor of its own.
void write_access_corpus(const rights::testing::TempDir& dir, const std::string& public_extra = "") {
  dir.write("corpus/documents/public.txt",
            "The ministry published a report on land rights in Phnom Penh. " + public_extra);
  dir.write("corpus/documents/secret.txt",
            "Confidential: Zorro Secretman described the quixotrophy affair to the ministry.");
  dir.write("corpus/authority/actors.json", R"({"actors": [
      {"id": "zorro-secretman", "name": "Zorro Secretman", "kind": "person", "aliases": ["Zorro Secretman"]}]})");
  dir.write("corpus/manifest.json", R"({"manifest_version": 1, "documents": [
      {"id": "public-report", "path": "documents/public.txt", "title": "Land rights report",
       "type": "report", "date": "2022-03-01", "source": "Open Source", "languages": ["en"],
       "access": "public"},
      {"id": "secret-memo", "path": "documents/secret.txt", "title": "Quixotrophy memo",
       "type": "letter", "date": "2023", "source": "Hidden Source", "languages": ["en"],
       "access": "restricted"}]})");
}

}  // namespace

TEST_CASE("restricted documents are invisible without permission", "[integration][search]") {
  rights::testing::TempDir dir("rights-search-access");
  write_access_corpus(dir);
  const auto index = dir.path() / "index";
  rights::build_index(dir.path() / "corpus", index, {});
  const auto authority = rights::Authority::load(dir.path() / "corpus" / "authority");
  Searcher searcher(index.string(), authority);

  for (const bool allowed : {false, true}) {
    CAPTURE(allowed);
    auto everything = request("");
    everything.include_restricted = allowed;
    const auto all = searcher.search(everything);
    CHECK(all.total == (allowed ? 2U : 1U));
    CHECK(contains(hit_ids(all), "secret-memo") == allowed);
    CHECK((facet_count(all, "type", "letter") == 1) == allowed);
    CHECK((facet_count(all, "actor", "zorro-secretman") == 1) == allowed);
    CHECK((facet_count(all, "source", "Hidden Source") == 1) == allowed);

    auto secret_word = request("quixotrophy");
    secret_word.include_restricted = allowed;
    CHECK(searcher.search(secret_word).total == (allowed ? 1U : 0U));
    auto by_actor = request("");
    by_actor.filters["actor"] = {"Zorro Secretman"};
    by_actor.include_restricted = allowed;
    CHECK(searcher.search(by_actor).total == (allowed ? 1U : 0U));

    // No did-you-mean towards a word only restricted documents contain.
    auto typo = request("quixotrophx");
    typo.include_restricted = allowed;
    CHECK(searcher.search(typo).suggestion == (allowed ? "quixotrophy" : ""));

    const auto suggestions = searcher.suggest("quixo", 10, allowed);
    CHECK(suggestions.empty() == !allowed);
    const auto actor_suggestions = searcher.suggest("zorro", 10, allowed);
    CHECK(actor_suggestions.empty() == !allowed);
    CHECK(searcher.facet_values("actor", "", 10, allowed).empty() == !allowed);

    if (allowed) {
      CHECK(searcher.document("secret-memo", "quixotrophy", true).highlighted_text.find(
                "<mark>quixotrophy</mark>") != std::string::npos);
    } else {
      try {
        searcher.document("secret-memo", "", false);
        FAIL("restricted document returned");
      } catch (const rights::NotFound& e) {
        // Same answer as for an id that does not exist.
        std::string missing_message;
        try {
          searcher.document("secret-memx", "", false);
        } catch (const rights::NotFound& missing) {
          missing_message = missing.what();
        }
        CHECK(std::string(e.what()).find("secret-memo") != std::string::npos);
        CHECK(missing_message.find("secret-memx") != std::string::npos);
        CHECK(std::string(e.what()).substr(0, 10) == missing_message.substr(0, 10));
      }
    }
    const auto stats = searcher.stats(allowed);
    CHECK(stats.documents == (allowed ? 2U : 1U));
    CHECK((facet_count(stats.facets, "type", "letter") == 1) == allowed);
  }
  CHECK(searcher.stats(false).terms < searcher.stats(true).terms);
}

TEST_CASE("refresh follows the index symlink to a new generation", "[integration][search]") {
  rights::testing::TempDir dir("rights-search-refresh");
  write_access_corpus(dir);
  const auto index = dir.path() / "index";
  rights::build_index(dir.path() / "corpus", index, {});
  Searcher searcher(index.string(), nullptr);
  const std::string before = searcher.generation();
  CHECK_FALSE(searcher.refresh());
  CHECK(searcher.search(request("flamingoes")).total == 0);

  write_access_corpus(dir, "Flamingoes were seen.");
  rights::build_index(dir.path() / "corpus", index, {});
  CHECK(searcher.refresh());
  CHECK(searcher.generation() != before);
  CHECK(searcher.search(request("flamingoes")).total == 1);
  CHECK_FALSE(searcher.refresh());
}

TEST_CASE("unusable indexes are reported as unavailable", "[integration][search]") {
  rights::testing::TempDir dir("rights-search-unavailable");
  CHECK_THROWS_AS(Searcher((dir.path() / "missing").string(), nullptr), rights::IndexUnavailable);
  {
    // A Xapian database that is not ours: no schema version.
    Xapian::WritableDatabase foreign((dir.path() / "foreign").string(), Xapian::DB_CREATE_OR_OPEN);
    foreign.add_document(Xapian::Document());
    foreign.commit();
  }
  try {
    Searcher searcher((dir.path() / "foreign").string(), nullptr);
    FAIL("opened a foreign database");
  } catch (const rights::IndexUnavailable& e) {
    CHECK(std::string(e.what()).find("schema") != std::string::npos);
  }
  dir.write("garbage/iamglass", "not a database");
  CHECK_THROWS_AS(Searcher((dir.path() / "garbage").string(), nullptr), rights::IndexUnavailable);
}
