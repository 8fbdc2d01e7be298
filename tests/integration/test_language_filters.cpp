// The lang filter (the parameter and lang: in a query) reads a language tag as the indexer
// reads an HTML lang attribute: primary subtag, lower case, CLDR's code.
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

TEST_CASE("search: lang filters are canonicalised as the indexer canonicalises HTML lang",
          "[integration][search][lang]") {
  TempDir dir("rights-search-lang-filters");
  const std::string body =
      "<p>All human beings are born free and equal in dignity and rights. They are endowed with "
      "reason and conscience and should act towards one another in a spirit of brotherhood.</p>";
  // Declared languages as pages write them; the index keeps fil, he, pt, sr, sq, ca.
  const std::vector<std::pair<std::string, std::string>> pages{
      {"tagalog", "tl"}, {"hebrew", "iw"}, {"brazil", "pt-BR"}, {"serbian", "sr-Latn"},
      {"albanian", "als"}, {"catalan", "cat"}};
  for (const auto& [name, lang] : pages) {
    dir.write("corpus/" + name + ".html",
              "<html lang=\"" + lang + "\"><head><title>" + name + "</title></head><body>" + body + "</body></html>");
  }
  const auto index = dir.path() / "index";
  rights::build_index(dir.path() / "corpus", index, {});
  Searcher searcher(index.string(), std::make_shared<rights::Authority>());

  const auto filtered = [&](const std::string& lang) {
    auto req = request("");
    req.filters["lang"] = {lang};
    return searcher.search(req);
  };
  const auto titles = [](const rights::SearchResponse& response) {
    std::vector<std::string> found;
    for (const auto& hit : response.hits) found.push_back(hit.title);
    return sorted(found);
  };
  using Titles = std::vector<std::string>;
  for (const auto& [typed, title] : std::vector<std::pair<std::string, std::string>>{
           {"tl", "tagalog"}, {"fil", "tagalog"}, {"TL", "tagalog"}, {"iw", "hebrew"}, {"he", "hebrew"},
           {"pt-BR", "brazil"}, {"pt", "brazil"}, {"pt_PT", "brazil"}, {"sr-Latn", "serbian"},
           {"cnr", "serbian"}, {"als", "albanian"}, {"sq", "albanian"}, {"cat", "catalan"}, {"ca-ES", "catalan"}}) {
    CAPTURE(typed);
    const auto response = filtered(typed);
    CHECK(titles(response) == Titles{title});
    CHECK(titles(searcher.search(request("lang:" + typed))) == Titles{title});
    CHECK(titles(searcher.search(request("lang:\"" + typed + "\" brotherhood"))) == Titles{title});
    // The facet echoes the code the index holds, with its count, and not the typed one.
    const auto& lang_facet = response.facets.at("lang");
    const bool typed_listed = std::any_of(lang_facet.begin(), lang_facet.end(), [&](const auto& value) {
      return value.value == typed && value.count == 0;
    });
    CHECK_FALSE(typed_listed);
  }
  // NOT lang: excludes the same documents.
  CHECK(searcher.search(request("brotherhood -lang:iw")).total == pages.size() - 1);
  // A tag that names no language finds nothing (and says so with 0), as before.
  CHECK(filtered("x-klingon").total == 0);
  CHECK(filtered("12").total == 0);
}

TEST_CASE("search: manifest languages are read as HTML lang is, and a non-code fails its file",
          "[integration][search][lang]") {
  TempDir dir("rights-search-manifest-lang");
  dir.write("corpus/brazil.txt", "Todos os seres humanos nascem livres e iguais em dignidade e em direitos.");
  dir.write("corpus/hebrew.txt", "כל בני אדם נולדו בני חורין ושווים בערכם ובזכויותיהם.");
  dir.write("corpus/odd.txt", "A note.");
  dir.write("corpus/manifest.json", R"({"documents": [
      {"path": "brazil.txt", "languages": ["pt-BR", "PT"]},
      {"path": "hebrew.txt", "languages": ["iw"]},
      {"path": "odd.txt", "languages": ["english"]}]})");
  const auto index = dir.path() / "index";
  const auto report = rights::build_index(dir.path() / "corpus", index, {});
  REQUIRE(report.failures.size() == 1);
  CHECK(report.failures.front().path == "odd.txt");
  CHECK_THAT(report.failures.front().reason, Catch::Contains("\"english\" is not a language code"));
  Searcher searcher(index.string(), std::make_shared<rights::Authority>());
  for (const auto& [typed, total] : std::vector<std::pair<std::string, std::uint64_t>>{
           {"pt-BR", 1}, {"pt", 1}, {"iw", 1}, {"he", 1}}) {
    CAPTURE(typed);
    auto req = request("");
    req.filters["lang"] = {typed};
    CHECK(searcher.search(req).total == total);
  }
  std::vector<std::string> langs;
  const auto all = searcher.search(request(""));
  for (const auto& value : all.facets.at("lang")) {
    langs.push_back(value.value + "=" + std::to_string(value.count));
  }
  CHECK(sorted(langs) == sorted({"he=1", "pt=1"}));
}

TEST_CASE("facet values: the value typed whole comes before values that only contain it",
          "[integration][search][lang]") {
  TempDir dir("rights-facet-values-order");
  std::string manifest = R"({"documents": [)";
  for (int i = 0; i < 4; ++i) {
    const std::string name = "kimbundu" + std::to_string(i) + ".txt";
    dir.write("corpus/" + name, "Text " + std::to_string(i));
    manifest += R"({"path": ")" + name + R"(", "languages": ["kmb"]},)";
  }
  dir.write("corpus/khmer.txt", "Text");
  manifest += R"({"path": "khmer.txt", "languages": ["km"]}]})";
  dir.write("corpus/manifest.json", manifest);
  const auto index = dir.path() / "index";
  rights::build_index(dir.path() / "corpus", index, {});
  Searcher searcher(index.string(), std::make_shared<rights::Authority>());
  const auto values = searcher.facet_values("lang", "km", 10, false);
  REQUIRE(values.size() == 2);
  CHECK(values[0].value == "km");
  CHECK(values[1].value == "kmb");
  // Nothing typed: by count.
  CHECK(searcher.facet_values("lang", "", 10, false).front().value == "kmb");
}
