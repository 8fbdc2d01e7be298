// The count cache must never change an answer: a search answered from cached counts
// (Xapian then only ranks the page) equals the same search counted afresh, for every
// query form, filter, order and page, for public and restricted callers alike, and a new
// index generation is never answered with the old one's counts.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <iterator>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "rights/index_builder.h"
#include "rights/search.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using rights::SearchRequest;
using rights::SearchResponse;
using rights::Searcher;

namespace {

const std::vector<std::string> kWords = {"land",   "rights", "court",   "police", "freedom", "violence",
                                         "union",  "prison", "housing", "women",  "justice", "torture",
                                         "report", "monks",  "forest",  "river",  "press",   "election"};
const std::vector<std::string> kActors = {"Sar Kheng", "Kem Sokha", "Chak Sopheap", "Hun Many"};
const std::vector<std::string> kTypes = {"report", "letter", "article", "statement"};

// `documents` generated documents with Zipf-like word frequencies, some identical ones
// (equal BM25 weights, so ties cross page edges), actors named in the text, dates over 24 years (some
// undated) and every sixth document restricted.
void write_generated_corpus(const rights::testing::TempDir& dir, int documents, unsigned seed) {
  std::mt19937 random(seed);
  std::string manifest = R"({"manifest_version": 1, "documents": [)";
  for (int n = 0; n < documents; ++n) {
    std::string text;
    const int length = 8 + static_cast<int>(random() % 40);
    for (int w = 0; w < length; ++w) {
      const auto rank = std::min<std::size_t>(random() % kWords.size(), random() % kWords.size());
      text += kWords[rank] + (w % 9 == 8 ? ". " : " ");
    }
    // Every ninth document is the same text: equal weights, a tie group over several pages.
    if (n % 9 == 4) text = "Monks walked along the forest river. ";
    if (random() % 3 == 0) text += "Said " + kActors[random() % kActors.size()] + ". ";
    if (random() % 4 == 0) text += "Also " + kActors[random() % kActors.size()] + ".";
    const std::string id = "doc-" + std::to_string(n);
    dir.write("corpus/documents/" + id + ".txt", text);
    const auto year = 2000 + random() % 24;
    const std::string date = random() % 10 == 0 ? "null" : "\"" + std::to_string(year) + "-0" + std::to_string(1 + random() % 9) + "-1" + std::to_string(random() % 10) + "\"";
    manifest += std::string(n ? "," : "") + R"({"id": ")" + id + R"(", "path": "documents/)" + id +
                R"(.txt", "title": "Document )" + std::to_string(n) + " on " + kWords[random() % kWords.size()] +
                R"(", "type": ")" + kTypes[random() % kTypes.size()] + R"(", "date": )" + date +
                R"(, "source": "Source )" + std::to_string(random() % 3) + R"(", "languages": ["en"], "access": ")" +
                (n % 6 == 5 ? "restricted" : "public") + "\"}";
  }
  dir.write("corpus/manifest.json", manifest + "]}");
  std::string actors = R"({"actors": [)";
  for (std::size_t a = 0; a < kActors.size(); ++a) {
    std::string id = kActors[a];
    for (auto& c : id) c = c == ' ' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    actors += std::string(a ? "," : "") + R"({"id": ")" + id + R"(", "name": ")" + kActors[a] +
              R"(", "kind": "person", "aliases": [")" + kActors[a] + "\"]}";
  }
  dir.write("corpus/authority/actors.json", actors + "]}");
}

std::vector<SearchRequest> request_battery() {
  std::vector<SearchRequest> requests;
  const auto add = [&](const std::string& query, std::map<std::string, std::vector<std::string>> filters = {},
                       const std::string& from = "", const std::string& to = "",
                       rights::SortOrder sort = rights::SortOrder::Relevance) {
    for (const int page : {1, 2, 4}) {
      SearchRequest request;
      request.query = query;
      request.filters = filters;
      request.from_date = from;
      request.to_date = to;
      request.sort = sort;
      request.page = page;
      request.per_page = 7;
      requests.push_back(request);
    }
  };
  add("rights");
  add("forest river");
  add("land");
  add("election");
  add("women violence");
  add("\"land rights\"");
  add("court OR prison");
  add("freedom -police");
  add("rights", {{"type", {"report"}}});
  add("rights", {{"type", {"report", "letter"}}, {"actor", {"sar-kheng"}}});
  add("land", {}, "2005", "2015");
  add("land", {{"actor", {"kem-sokha"}}}, "2010");
  add("", {{"type", {"statement"}}});
  add("");
  add("", {}, "", "", rights::SortOrder::DateDescending);
  add("justice", {}, "", "", rights::SortOrder::DateAscending);
  add("torture", {{"source", {"Source 1"}}}, "", "", rights::SortOrder::DateDescending);
  add("nosuchwordanywhere");
  // The same queries in other orders: their counts are shared, their ranks are not.
  add("rights", {}, "", "", rights::SortOrder::DateDescending);
  add("land", {}, "2005", "2015", rights::SortOrder::DateAscending);
  add("", {}, "", "", rights::SortOrder::DateAscending);
  // Pages of other sizes: inside one window of cached ranks, across a window's edge, and
  // several windows long.
  for (const auto& [query, sort] : {std::pair{"rights", rights::SortOrder::Relevance},
                                    std::pair{"forest river", rights::SortOrder::Relevance},
                                    std::pair{"", rights::SortOrder::DateDescending}}) {
    for (const auto& [page, per_page] : {std::pair{5, 10}, std::pair{2, 25}, std::pair{2, 30}, std::pair{3, 100}}) {
      SearchRequest request;
      request.query = query;
      request.sort = sort;
      request.page = page;
      request.per_page = per_page;
      requests.push_back(request);
    }
  }
  return requests;
}

std::string describe(const SearchRequest& request) {
  std::string text = "q=" + request.query + " page=" + std::to_string(request.page) + " per_page=" + std::to_string(request.per_page) +
                     " sort=" + std::to_string(static_cast<int>(request.sort)) + " from=" + request.from_date +
                     " to=" + request.to_date + " restricted=" + (request.include_restricted ? "yes" : "no");
  for (const auto& [name, values] : request.filters) {
    for (const auto& value : values) text += " " + name + "=" + value;
  }
  return text;
}

void check_same_answer(const SearchResponse& got, const SearchResponse& expected) {
  CHECK(got.total == expected.total);
  REQUIRE(got.hits.size() == expected.hits.size());
  for (std::size_t i = 0; i < got.hits.size(); ++i) {
    CAPTURE(i);
    CHECK(got.hits[i].id == expected.hits[i].id);
    CHECK(got.hits[i].score == Approx(expected.hits[i].score));
    CHECK(got.hits[i].snippet == expected.hits[i].snippet);
  }
  REQUIRE(got.facets.size() == expected.facets.size());
  for (const auto& [name, counts] : expected.facets) {
    CAPTURE(name);
    const auto& other = got.facets.at(name);
    REQUIRE(other.size() == counts.size());
    for (std::size_t i = 0; i < counts.size(); ++i) {
      CHECK(other[i].value == counts[i].value);
      CHECK(other[i].count == counts[i].count);
    }
  }
  CHECK(got.suggestion == expected.suggestion);
}

}  // namespace

TEST_CASE("count cache: cached counts give the same answers as counting afresh",
          "[integration][count_cache]") {
  rights::testing::TempDir dir("rights-count-cache");
  write_generated_corpus(dir, 260, 7);
  const auto index = dir.path() / "index";
  const auto report = rights::build_index(dir.path() / "corpus", index, {});
  REQUIRE(report.failures.empty());
  REQUIRE(report.documents_indexed == 260);
  const auto authority = rights::Authority::load(dir.path() / "corpus" / "authority");
  const rights::IndexLocation location{index.string(), {}};
  const auto caches = std::make_shared<rights::SearchCaches>();
  Searcher cached(location, authority, caches);
  Searcher uncounted(location, authority, std::make_shared<rights::SearchCaches>(0));

  std::size_t requests_run = 0;
  // Restricted callers first: a public search after them must not get their counts.
  for (const bool restricted : {true, false}) {
    for (auto request : request_battery()) {
      request.include_restricted = restricted;
      INFO(describe(request));
      const SearchResponse expected = uncounted.search(request);
      // A page is its slice of the ranking seen whole (ties settled in one window).
      SearchRequest whole = request;
      whole.page = 1;
      whole.per_page = rights::kMaxPerPage;
      const SearchResponse ranking = uncounted.search(whole);
      const auto first = static_cast<std::size_t>((request.page - 1) * request.per_page);
      const auto per_page = static_cast<std::size_t>(request.per_page);
      REQUIRE(ranking.hits.size() == std::min<std::uint64_t>(ranking.total, rights::kMaxPerPage));
      if (first + per_page <= ranking.hits.size() || ranking.total <= rights::kMaxPerPage) {
        REQUIRE(expected.hits.size() ==
                (first >= ranking.hits.size() ? 0 : std::min<std::size_t>(per_page, ranking.hits.size() - first)));
        for (std::size_t i = 0; i < expected.hits.size(); ++i) {
          CHECK(expected.hits[i].id == ranking.hits[first + i].id);
        }
      }
      // Counted, or cached by an earlier page; then counts and ranks cached.
      check_same_answer(cached.search(request), expected);
      check_same_answer(cached.search(request), expected);
      ++requests_run;
    }
  }
  const auto stats = caches->match_counts.stats();
  // Every second search of a request is a hit, and so are later pages of a query.
  CHECK(stats.hits >= requests_run);
  CHECK(stats.misses > 0);
  CHECK(stats.misses < requests_run);
  // The second search of each request reads its page from the ranks the first one kept.
  CHECK(caches->rankings.stats().hits >= requests_run);

  SECTION("a new generation is never answered with the old counts") {
    dir.write("corpus/documents/doc-extra.txt", "election election election, said Sar Kheng.");
    std::string manifest;
    {
      std::ifstream in(dir.path() / "corpus" / "manifest.json");
      manifest.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    }
    manifest.replace(manifest.rfind("]}"), 2, R"(, {"id": "doc-extra", "path": "documents/doc-extra.txt",
        "title": "Extra", "type": "letter", "date": "2030-01-01", "source": "Source 9",
        "languages": ["en"], "access": "public"}]})");
    dir.write("corpus/manifest.json", manifest);
    REQUIRE(rights::update_index(dir.path() / "corpus", index, {}).documents_indexed == 1);
    REQUIRE(cached.refresh());
    Searcher fresh(location, authority, std::make_shared<rights::SearchCaches>(0));
    for (auto request : request_battery()) {
      INFO(describe(request));
      const SearchResponse expected = fresh.search(request);
      check_same_answer(cached.search(request), expected);
    }
    SearchRequest election;
    election.query = "election";
    CHECK(cached.search(election).total == uncounted.search(election).total + 1);
  }
}
