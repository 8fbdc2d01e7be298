// The HTTP API over the real corpus: ranking, facets, filters, scripts, dates, documents,
// lookups and the operational endpoints.
#include <catch2/catch.hpp>

#include <atomic>
#include <set>
#include <thread>

#include "e2e_fixture.h"

using rights::e2e::get_json;
using rights::e2e::hit_ids;
using rights::e2e::ranks_within;
using rights::e2e::RunningServer;
using rights::e2e::with_query;

namespace {

const std::string kUsReport = "2021-us-state-department-2020-human-rights-report-cambodia";
const std::string kInteriorArticle = "interior-ministry-responds-to-cso-gbv-letter";
const std::string kSarKhengArticle = "sar-kheng-meets-un-rapporteur-vitit-muntarbhorn";
const std::string kOpenLetter = "2021-05-open-letter-cso-gbv-cases";

struct CorpusApi {
  RunningServer server{rights::e2e::corpus_server_config()};
  httplib::Client client{"127.0.0.1", server.port()};

  nlohmann::json search(const rights::e2e::QueryList& params) {
    const auto reply = get_json(client, with_query("/api/search", params));
    INFO("body: " << reply.body.dump().substr(0, 800));
    REQUIRE(reply.status == 200);
    CHECK(reply.content_type == "application/json");
    return reply.body;
  }
};

}  // namespace

TEST_CASE("search answers the documented JSON shape", "[http][e2e]") {
  CorpusApi api;
  const auto body = api.search({{"q", "impunity"}});
  for (const char* key : {"total", "hits", "facets", "suggestion", "took_ms", "page", "per_page"}) {
    CHECK(body.contains(key));
  }
  CHECK(body["page"] == 1);
  CHECK(body["per_page"] == 10);
  REQUIRE_FALSE(body["hits"].empty());
  const auto& hit = body["hits"][0];
  for (const char* key : {"id", "path", "title", "type", "date", "lang", "source", "score", "snippet",
                          "actors", "ministries"}) {
    CHECK(hit.contains(key));
  }
  CHECK(hit["lang"].is_array());
  CHECK(hit["actors"].is_array());
  CHECK_FALSE(hit.contains("page"));  // text documents are not paged
  for (const char* facet : {"actor", "ministry", "type", "lang", "source", "year"}) {
    INFO(facet);
    REQUIRE(body["facets"].contains(facet));
    for (const auto& value : body["facets"][facet]) {
      CHECK(value.contains("value"));
      CHECK(value.contains("label"));
      CHECK(value.contains("count"));
    }
  }
}

TEST_CASE("golden queries rank the expected documents near the top", "[http][e2e]") {
  CorpusApi api;
  const auto impunity = hit_ids(api.search({{"q", "impunity"}}));
  CHECK(ranks_within(impunity, kUsReport, 5));
  CHECK(ranks_within(impunity, kInteriorArticle, 5));

  const auto sar_kheng = hit_ids(api.search({{"q", "Sar Kheng"}}));
  CHECK(ranks_within(sar_kheng, kSarKhengArticle, 3));
}

TEST_CASE("facet counts are consistent with totals and with filtering", "[http][e2e]") {
  CorpusApi api;
  const auto all = api.search({});
  const auto total = all["total"].get<std::uint64_t>();
  CHECK(total == 16);  // 5 seed texts + 11 UDHR translations

  // Every document has exactly one type and one year (or "undated"): counts sum to the total.
  for (const char* facet : {"type", "year"}) {
    std::uint64_t sum = 0;
    for (const auto& value : all["facets"][facet]) sum += value["count"].get<std::uint64_t>();
    INFO(facet);
    CHECK(sum == total);
  }
  // Filtering on a value yields exactly the count the facet announced.
  for (const auto& value : all["facets"]["type"]) {
    const auto filtered = api.search({{"type", value["value"].get<std::string>()}});
    CHECK(filtered["total"] == value["count"]);
  }
  // Labels of actors are display names from the authority.
  std::string sar_kheng_label;
  for (const auto& value : all["facets"]["actor"]) {
    if (value["value"] == "sar-kheng") sar_kheng_label = value["label"].get<std::string>();
  }
  CHECK(sar_kheng_label == "Sar Kheng");
}

TEST_CASE("actor filters accept ids and any alias, in any script", "[http][e2e]") {
  CorpusApi api;
  const auto by_id = api.search({{"actor", "koeut-rith"}, {"per_page", "100"}});
  const auto by_alias = api.search({{"actor", "keut rith"}, {"per_page", "100"}});
  CHECK(by_id["total"].get<int>() > 0);
  CHECK(hit_ids(by_alias) == hit_ids(by_id));

  const auto sar_kheng = api.search({{"actor", "sar-kheng"}, {"per_page", "100"}});
  const auto sar_kheng_khmer = api.search({{"actor", "ស ខេង"}, {"per_page", "100"}});
  CHECK(sar_kheng["total"].get<int>() > 0);
  CHECK(hit_ids(sar_kheng_khmer) == hit_ids(sar_kheng));
  CHECK(ranks_within(hit_ids(sar_kheng), kSarKhengArticle, 100));

  // OR within a facet, AND across facets.
  const auto either = api.search({{"actor", "sar-kheng"}, {"actor", "koeut-rith"}, {"per_page", "100"}});
  CHECK(either["total"].get<int>() >= std::max(by_id["total"].get<int>(), sar_kheng["total"].get<int>()));
  const auto both = api.search({{"actor", "sar-kheng"}, {"type", "letter"}, {"per_page", "100"}});
  for (const auto& hit : both["hits"]) CHECK(hit["type"] == "letter");
}

TEST_CASE("queries in Khmer, Thai and Chinese find their UDHR translation", "[http][e2e]") {
  CorpusApi api;
  const auto [query, expected] = GENERATE(table<std::string, std::string>({
      {"សិទ្ធិមនុស្ស", "udhr-khm"},
      {"สิทธิมนุษยชน", "udhr-tha"},
      {"人权", "udhr-cmn_hans"},
  }));
  INFO(query);
  CHECK(ranks_within(hit_ids(api.search({{"q", query}, {"per_page", "100"}})), expected, 100));
}

TEST_CASE("a phrase query matches the exact phrase", "[http][e2e]") {
  CorpusApi api;
  const auto phrase = api.search({{"q", "\"culture of impunity\""}, {"per_page", "100"}});
  const auto ids = hit_ids(phrase);
  CHECK_FALSE(ids.empty());
  CHECK(ranks_within(ids, kUsReport, 100));
  const auto words = api.search({{"q", "culture impunity"}, {"per_page", "100"}});
  CHECK(phrase["total"].get<int>() <= words["total"].get<int>());
}

TEST_CASE("from/to restrict by date and sort=-date orders newest first", "[http][e2e]") {
  CorpusApi api;
  const auto in_2021 = api.search({{"from", "2021"}, {"to", "2021"}, {"per_page", "100"}});
  CHECK(ranks_within(hit_ids(in_2021), kOpenLetter, 100));
  CHECK(ranks_within(hit_ids(in_2021), kUsReport, 100));
  for (const auto& hit : in_2021["hits"]) {
    REQUIRE(hit["date"].is_string());
    CHECK(hit["date"].get<std::string>().rfind("2021", 0) == 0);
  }
  const auto before_1950 = api.search({{"to", "1950"}, {"per_page", "100"}});
  CHECK(before_1950["total"] == 11);  // the UDHR translations, 10 December 1948

  const auto newest_first = api.search({{"sort", "-date"}, {"per_page", "100"}});
  std::vector<std::string> dates;
  for (const auto& hit : newest_first["hits"]) {
    if (hit["date"].is_string()) dates.push_back(hit["date"].get<std::string>());
  }
  REQUIRE(dates.size() >= 2);
  CHECK(std::is_sorted(dates.rbegin(), dates.rend()));
  CHECK(dates.front().rfind("2021", 0) == 0);
}

TEST_CASE("paging returns disjoint pages of the same ranking", "[http][e2e]") {
  CorpusApi api;
  const auto first = api.search({{"per_page", "5"}, {"page", "1"}});
  const auto second = api.search({{"per_page", "5"}, {"page", "2"}});
  CHECK(first["per_page"] == 5);
  CHECK(second["page"] == 2);
  const auto a = hit_ids(first), b = hit_ids(second);
  CHECK(a.size() == 5);
  CHECK(b.size() == 5);
  for (const auto& id : b) CHECK_FALSE(ranks_within(a, id, a.size()));
}

TEST_CASE("documents are served by id, highlighted when a query is given", "[http][e2e]") {
  CorpusApi api;
  const auto plain = get_json(api.client, "/api/doc/" + kUsReport);
  REQUIRE(plain.status == 200);
  CHECK(plain.content_type == "application/json");
  for (const char* key : {"id", "path", "title", "type", "date", "lang", "source", "access", "actors",
                          "ministries", "authors", "signatories", "addressees", "text", "highlighted_text",
                          "page_starts"}) {
    CHECK(plain.body.contains(key));
  }
  CHECK(plain.body["id"] == kUsReport);
  CHECK(plain.body["highlighted_text"].is_null());
  CHECK(plain.body["text"].get<std::string>().find("impunity") != std::string::npos);

  const auto highlighted = get_json(api.client, with_query("/api/doc/" + kUsReport, {{"q", "impunity"}}));
  REQUIRE(highlighted.status == 200);
  CHECK(highlighted.body["highlighted_text"].get<std::string>().find("<mark>") != std::string::npos);

  // Actor references carry display names from the authority.
  const auto letter = get_json(api.client, "/api/doc/" + kOpenLetter);
  REQUIRE(letter.status == 200);
  bool found_sar_kheng = false;
  for (const auto& addressee : letter.body["addressees"]) {
    if (addressee["id"] == "sar-kheng") found_sar_kheng = addressee["name"] == "Sar Kheng";
  }
  CHECK(found_sar_kheng);
}

TEST_CASE("suggest, facet values and stats answer JSON", "[http][e2e]") {
  CorpusApi api;
  const auto suggest = get_json(api.client, with_query("/api/suggest", {{"q", "Sar"}, {"limit", "5"}}));
  REQUIRE(suggest.status == 200);
  REQUIRE(suggest.body["suggestions"].is_array());
  CHECK(suggest.body["suggestions"].size() <= 5);
  for (const auto& suggestion : suggest.body["suggestions"]) {
    CHECK(suggestion.contains("text"));
    CHECK(suggestion.contains("kind"));
    CHECK(suggestion.contains("value"));
  }

  const auto types = get_json(api.client, "/api/facets/type");
  REQUIRE(types.status == 200);
  CHECK(types.body["facet"] == "type");
  std::set<std::string> values;
  for (const auto& value : types.body["values"]) values.insert(value["value"].get<std::string>());
  CHECK(values.count("statement") == 1);
  CHECK(values.count("article") == 1);

  const auto stats = get_json(api.client, "/api/stats");
  REQUIRE(stats.status == 200);
  CHECK(stats.body["documents"] == 16);
  CHECK(stats.body["terms"].get<std::uint64_t>() > 0);
  CHECK_FALSE(stats.body["generation"].get<std::string>().empty());
  CHECK(stats.body["facets"].contains("actor"));
}

TEST_CASE("healthz reports the generation and metrics count requests", "[http][e2e]") {
  CorpusApi api;
  const auto health = get_json(api.client, "/healthz");
  CHECK(health.status == 200);
  CHECK(health.body["status"] == "ok");
  // The generation's name, as /api/stats reports it: an unauthenticated endpoint must not
  // reveal where the index lives on disk.
  const auto generation = health.body["generation"].get<std::string>();
  CHECK(generation.rfind("gen-", 0) == 0);
  CHECK(generation.find('/') == std::string::npos);

  const auto first = api.search({{"q", "impunity"}});
  get_json(api.client, with_query("/api/search", {{"per_page", "1000"}}));
  // Counted once: the same query again, and its second page, find the counts cached.
  const auto again = api.search({{"q", "impunity"}});
  CHECK(again["total"] == first["total"]);
  CHECK(again["facets"] == first["facets"]);
  api.search({{"q", "impunity"}, {"page", "2"}, {"per_page", "1"}});
  const auto metrics = api.client.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  CHECK(metrics->get_header_value("Content-Type").rfind("text/plain", 0) == 0);
  const std::string& text = metrics->body;
  CHECK(text.find("searchd_requests_total{route=\"/api/search\",status=\"200\"} 3\n") != std::string::npos);
  CHECK(text.find("searchd_requests_total{route=\"/api/search\",status=\"400\"} 1\n") != std::string::npos);
  CHECK(text.find("searchd_request_duration_seconds_bucket{route=\"/api/search\",le=\"+Inf\"} 4\n") !=
        std::string::npos);
  CHECK(text.find("searchd_request_duration_seconds_count{route=\"/api/search\"} 4\n") != std::string::npos);
  // Misses: the first search, and the facet counts of /api/stats that /metrics reads.
  CHECK(text.find("searchd_count_cache_hits_total 2\n") != std::string::npos);
  CHECK(text.find("searchd_count_cache_misses_total 2\n") != std::string::npos);
  // The first search ranked the first 50; the other two read their pages from those ranks.
  CHECK(text.find("searchd_ranking_cache_hits_total 2\n") != std::string::npos);
  CHECK(text.find("searchd_ranking_cache_misses_total 0\n") != std::string::npos);
  CHECK(text.find("searchd_errors_total{code=\"bad_per_page\"} 1\n") != std::string::npos);
  CHECK(text.find("searchd_index_documents 16\n") != std::string::npos);
  CHECK(get_json(api.client, "/api/stats").body["generation"] == generation);
}

TEST_CASE("concurrent clients all get the same answers", "[http][e2e]") {
  auto config = rights::e2e::corpus_server_config();
  config.threads = 4;
  RunningServer server(std::move(config));
  const std::string target = with_query("/api/search", {{"q", "impunity"}});
  httplib::Client reference_client("127.0.0.1", server.port());
  const auto expected = hit_ids(get_json(reference_client, target).body);

  constexpr int kClients = 8, kRequestsEach = 15;
  std::atomic<int> matching{0};
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&] {
      httplib::Client client("127.0.0.1", server.port());
      for (int r = 0; r < kRequestsEach; ++r) {
        const auto reply = client.Get(target.c_str());
        // Catch assertions are not thread-safe: count here, check on the main thread.
        if (reply && reply->status == 200 && hit_ids(nlohmann::json::parse(reply->body)) == expected) {
          ++matching;
        }
      }
    });
  }
  for (auto& client : clients) client.join();
  CHECK(matching == kClients * kRequestsEach);
}
