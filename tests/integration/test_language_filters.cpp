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
