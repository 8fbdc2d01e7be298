// Query strings and filter values as the API reads them: pairs split at their first '=',
// lang filters read as the indexer reads HTML lang, filter values echoed in the facets as
// stored, and the documented page limit.
#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <regex>
#include <string>

#include "e2e_fixture.h"

using rights::e2e::get_json;
using rights::e2e::hit_ids;
using rights::e2e::RunningServer;
using rights::e2e::with_query;

namespace {

struct Api {
  RunningServer server{rights::e2e::corpus_server_config()};
  httplib::Client client{"127.0.0.1", server.port()};

  // Targets are sent as written: httplib's client would otherwise encode '+' as %2B.
  Api() { client.set_url_encode(false); }

  // `target` is sent as written (path and raw query string).
  nlohmann::json search(const std::string& target) {
    const auto reply = get_json(client, target);
    INFO(target << " -> " << reply.body.dump().substr(0, 800));
    REQUIRE(reply.status == 200);
    return reply.body;
  }
};

// The entries of `facet` in a search body whose value is `value`.
std::vector<nlohmann::json> facet_entries(const nlohmann::json& body, const std::string& facet,
                                          const std::string& value) {
  std::vector<nlohmann::json> entries;
  for (const auto& entry : body["facets"][facet]) {
    if (entry["value"] == value) entries.push_back(entry);
  }
  return entries;
}

}  // namespace

TEST_CASE("a raw '=' in a query-string value belongs to the value", "[http][e2e][params]") {
  Api api;
  // As an HTML form would send it (%3D) and as a script writes it: the same search.
  const auto encoded = api.search("/api/search?q=impunity%3Ddeclaration&per_page=100");
  const auto raw = api.search("/api/search?q=impunity=declaration&per_page=100");
  const auto declaration = api.search("/api/search?q=declaration&per_page=100");
  CHECK(raw["total"] == encoded["total"]);
  CHECK(hit_ids(raw) == hit_ids(encoded));
  // httplib kept the text after the last '=': "declaration" alone finds the UDHR pages.
  CHECK(hit_ids(raw) != hit_ids(declaration));
  // The facet filters and /api/doc read their values the same way.
  const auto filtered = get_json(api.client, "/api/search?source=a=b");
  REQUIRE(filtered.status == 200);
  CHECK(facet_entries(filtered.body, "source", "a=b").size() == 1);
  // "page=5=1" is not page 1.
  rights::e2e::check_error(get_json(api.client, "/api/search?q=impunity&page=5=1"), 400, "bad_page");
  rights::e2e::check_error(get_json(api.client, "/api/suggest?q=sar&limit=5=1"), 400, "bad_limit");
}

TEST_CASE("lang filters are read as the indexer reads HTML lang", "[http][e2e][params]") {
  Api api;
  const auto english = api.search("/api/search?lang=en&per_page=100");
  REQUIRE(english["total"].get<int>() > 0);
  for (const std::string typed : {"EN", "en-US", "en_GB", "EN-us", "eng", " en "}) {
    INFO("lang=" << typed);
    const auto body = api.search(with_query("/api/search", {{"lang", typed}, {"per_page", "100"}}));
    CHECK(body["total"] == english["total"]);
    CHECK(hit_ids(body) == hit_ids(english));
    const auto query = api.search(with_query("/api/search", {{"q", "lang:\"" + typed + "\""}, {"per_page", "100"}}));
    CHECK(query["total"] == english["total"]);
  }
  // Echoed as stored, once: the same language twice, or in two spellings: one entry.
  const auto twice = api.search("/api/search?lang=en-US&lang=EN&lang=en");
  CHECK(facet_entries(twice, "lang", "en").size() == 1);
  CHECK(facet_entries(twice, "lang", "en-US").empty());
  const auto chinese = api.search("/api/search?lang=zh");
  REQUIRE(chinese["total"].get<int>() > 0);
  CHECK(api.search("/api/search?lang=zh-Hans")["total"] == chinese["total"]);
  CHECK(api.search("/api/search?q=lang:zh-Hant")["total"] == chinese["total"]);
}

TEST_CASE("a filter value in another case is echoed in its facet as stored, once", "[http][e2e][params]") {
  Api api;
  const auto exact = api.search(with_query("/api/search", {{"lang", "en"}, {"source", "The Phnom Penh Post"}}));
  const auto typed = api.search("/api/search?lang=EN&source=the+phnom+penh+post&per_page=1");
  REQUIRE(exact["total"].get<int>() > 0);
  CHECK(typed["total"] == exact["total"]);
  CHECK(typed["facets"] == exact["facets"]);
  CHECK(facet_entries(typed, "lang", "EN").empty());
  CHECK(facet_entries(typed, "source", "the phnom penh post").empty());
  const auto en = facet_entries(typed, "lang", "en");
  REQUIRE(en.size() == 1);
  CHECK(en.front()["count"].get<int>() > 0);
  const auto post = facet_entries(typed, "source", "The Phnom Penh Post");
  REQUIRE(post.size() == 1);
  CHECK(post.front()["count"].get<int>() > 0);
  // A value nothing carries is still echoed, with 0.
  const auto none = api.search("/api/search?lang=x-klingon");
  CHECK(none["total"] == 0);
  REQUIRE(facet_entries(none, "lang", "x-klingon").size() == 1);
  CHECK(facet_entries(none, "lang", "x-klingon").front()["count"] == 0);
}

TEST_CASE("the README documents the page limit the server enforces", "[http][e2e][params]") {
  std::ifstream in(std::string(RIGHTS_SOURCE_DIR) + "/README.md");
  const std::string readme((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::smatch match;
  // The /api/search row: "`page` (≤ N", beside per_page (≤ 100).
  REQUIRE(std::regex_search(readme, match, std::regex("`page` \\(≤ ([0-9]+)")));
  const std::string limit = match[1];
  CHECK(readme.find("`page` ≤ " + limit) != std::string::npos);  // the Limits paragraph
  Api api;
  CHECK(get_json(api.client, "/api/search?q=impunity&page=" + limit).status == 200);
  rights::e2e::check_error(get_json(api.client, "/api/search?q=impunity&page=" + std::to_string(std::stoi(limit) + 1)),
                           400, "bad_page");
}
