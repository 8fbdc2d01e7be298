// Scale-out on Xapian's own machinery: the sample corpus split into shards answers exactly
// like the single index, whether the shards are opened locally (XAPIANDB stub) or
// through xapian-tcpsrv; a shard that is down is an error that names it, never a partial
// count.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>
#include <xapian.h>

#include <chrono>
#include <thread>

#include "e2e_fixture.h"
#include "process.h"
#include "rights/index_builder.h"
#include "rights/schema.h"
#include "rights/search.h"
#include "shard_fixture.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using rights::IndexLocation;
using rights::Searcher;
using rights::SearchRequest;
using rights::SortOrder;
using rights::e2e::check_same_answer;
using rights::e2e::corpus_authority;
using rights::e2e::corpus_indexes;
using rights::e2e::describe;
using rights::e2e::digest;
using rights::e2e::shard_request;
using rights::e2e::ShardServers;
using rights::testing::TempDir;

namespace {

SearchRequest sorted(SearchRequest base, SortOrder sort) {
  base.sort = sort;
  return base;
}

SearchRequest filtered(SearchRequest base, const std::string& facet, std::vector<std::string> values) {
  base.filters[facet] = std::move(values);
  return base;
}

SearchRequest dated(SearchRequest base, std::string from, std::string to) {
  base.from_date = std::move(from);
  base.to_date = std::move(to);
  return base;
}

// Words, a phrase, scripts without spaces, filters, facets, date ranges, both date
// orders, paging through every page, an empty query and a typo.
std::vector<SearchRequest> query_set() {
  std::vector<SearchRequest> requests{
      shard_request("human rights"),
      shard_request("land"),
      shard_request("everyone has the right to life"),
      shard_request("\"human rights\""),
      shard_request("rights -land"),
      shard_request("សិទ្ធិមនុស្ស"),
      shard_request("สิทธิมนุษยชน"),
      shard_request("人权"),
      shard_request("humn rihgts"),
      shard_request(""),
      shard_request("", 100),
      filtered(shard_request("rights"), "lang", {"fr", "en"}),
      filtered(shard_request(""), "type", {"statement"}),
      filtered(filtered(shard_request("rights", 100), "actor", {"sar-kheng"}), "type", {"article", "letter"}),
      filtered(shard_request(""), "year", {"1948"}),
      dated(shard_request("rights"), "2021", "2021-12"),
      dated(shard_request(""), "1948", ""),
      sorted(shard_request(""), SortOrder::DateAscending),
      sorted(shard_request("", 100), SortOrder::DateAscending),  // the undated ones last
      sorted(shard_request("", 100), SortOrder::DateDescending),
      sorted(shard_request("rights"), SortOrder::DateDescending),
      sorted(dated(shard_request("the"), "", "2021-05"), SortOrder::DateAscending),
  };
  for (int page = 1; page <= 4; ++page) {
    requests.push_back(shard_request("rights", 3, page));
    requests.push_back(shard_request("", 5, page));
    requests.push_back(sorted(shard_request("the", 4, page), SortOrder::DateDescending));
  }
  return requests;
}

void check_same_everywhere(Searcher& single, Searcher& other, const char* what) {
  for (const bool restricted : {false, true}) {
    for (SearchRequest search : query_set()) {
      search.include_restricted = restricted;
      INFO(what << ": " << describe(search));
      check_same_answer(digest(single.search(search)), digest(other.search(search)));
    }
  }
  INFO(what);
  const auto expected_document = single.document("udhr-eng", "rights", false);
  const auto document = other.document("udhr-eng", "rights", false);
  CHECK(document.record.id == expected_document.record.id);
  CHECK(document.highlighted_text == expected_document.highlighted_text);
  for (const char* prefix : {"hum", "sar", "ស", "land r"}) {
    const auto expected = single.suggest(prefix, 10, false);
    const auto actual = other.suggest(prefix, 10, false);
    REQUIRE(actual.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      CHECK(actual[i].text == expected[i].text);
      CHECK(actual[i].kind == expected[i].kind);
    }
  }
  for (const auto& [facet, contains] : std::vector<std::pair<std::string, std::string>>{
           {"actor", ""}, {"lang", "e"}, {"source", "united"}, {"year", ""}}) {
    const auto expected = single.facet_values(facet, contains, 100, false);
    const auto actual = other.facet_values(facet, contains, 100, false);
    REQUIRE(actual.size() == expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      CHECK(actual[i].value == expected[i].value);
      CHECK(actual[i].count == expected[i].count);
    }
  }
  const auto expected_stats = single.stats(false);
  const auto stats = other.stats(false);
  CHECK(stats.documents == expected_stats.documents);
  CHECK(stats.terms == expected_stats.terms);  // distinct words, counted over the shards
  for (const auto& [facet, counts] : expected_stats.facets) {
    REQUIRE(stats.facets.at(facet).size() == counts.size());
    for (std::size_t i = 0; i < counts.size(); ++i) CHECK(stats.facets.at(facet)[i].count == counts[i].count);
  }
}

// Runs `call` until it stops throwing ShardUnavailable (reopen attempts are throttled to
// one a second), for at most five seconds.
template <typename Call>
auto eventually(Call call) -> decltype(call()) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  for (;;) {
    try {
      return call();
    } catch (const rights::ShardUnavailable&) {
      if (std::chrono::steady_clock::now() > deadline) throw;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
}

}  // namespace

TEST_CASE("one index, its local shards and its remote shards answer identically", "[shards][e2e]") {
  const auto& indexes = corpus_indexes();
  TempDir logs("rights-e2e-shard-logs");
  ShardServers servers(indexes.sharded, logs.path());

  Searcher single(indexes.single.string(), corpus_authority());
  Searcher local_shards(indexes.sharded.string(), corpus_authority());
  Searcher remote_shards(servers.location(), corpus_authority());
  REQUIRE(local_shards.stats(true).documents == 16);

  check_same_everywhere(single, local_shards, "local shards (XAPIANDB stub)");
  check_same_everywhere(single, remote_shards, "remote shards (xapian-tcpsrv)");
}

TEST_CASE("the shards of an index are disjoint and each carries the metadata", "[shards][e2e]") {
  const auto& indexes = corpus_indexes();
  const fs::path generation = fs::canonical(indexes.sharded);
  REQUIRE(fs::exists(generation / "XAPIANDB"));
  Xapian::doccount documents = 0;
  for (unsigned shard = 0; shard < rights::e2e::kTestShards; ++shard) {
    Xapian::Database db((generation / ("shard-" + std::to_string(shard))).string());
    INFO("shard " << shard);
    CHECK(db.get_doccount() > 0);  // 16 documents over 3 shards: none empty
    documents += db.get_doccount();
    CHECK(db.get_metadata(rights::kShardKey) == std::to_string(shard) + "/3");
    CHECK(db.get_metadata(rights::kGenerationKey) == generation.filename().string());
    CHECK(db.get_metadata(rights::kSchemaVersionKey) == std::to_string(rights::kSchemaVersion));
    CHECK_FALSE(db.get_metadata(rights::kStemLanguagesKey).empty());
    for (auto term = db.allterms_begin("Q"); term != db.allterms_end("Q"); ++term) {
      CHECK(rights::shard_of((*term).substr(1), rights::e2e::kTestShards) == shard);
    }
  }
  CHECK(documents == 16);
}

TEST_CASE("searchd serves remote shards over HTTP, and says which shard is down", "[shards][e2e][http]") {
  const auto& indexes = corpus_indexes();
  TempDir logs("rights-e2e-shard-logs");
  ShardServers servers(indexes.sharded, logs.path());
  Searcher single(indexes.single.string(), corpus_authority());

  searchd::ServerConfig config;
  config.remote_shards = servers.location().remote_shards;
  config.authority = corpus_authority();
  config.threads = 2;
  rights::e2e::RunningServer server(std::move(config));
  httplib::Client client("127.0.0.1", server.port());

  for (const auto& [query, sort] : std::vector<std::pair<std::string, std::string>>{
           {"human rights", "relevance"}, {"", "-date"}, {"សិទ្ធិមនុស្ស", "relevance"}}) {
    const auto reply = rights::e2e::get_json(
        client, rights::e2e::with_query("/api/search", {{"q", query}, {"sort", sort}, {"per_page", "20"}}));
    REQUIRE(reply.status == 200);
    SearchRequest search = shard_request(query, 20);
    search.sort = sort == "-date" ? SortOrder::DateDescending : SortOrder::Relevance;
    const auto expected = digest(single.search(search));
    CHECK(rights::e2e::hit_ids(reply.body) == expected.ids);
    CHECK(reply.body["total"] == expected.total);
  }

  const int down_port = servers.server(1).port();
  servers.server(1).stop();
  const auto down = rights::e2e::get_json(client, "/api/search?q=rights");
  rights::e2e::check_error(down, 503, "shard_unavailable");
  CHECK_THAT(down.body["error"]["message"].get<std::string>(),
             Catch::Contains("127.0.0.1:" + std::to_string(down_port)));
  rights::e2e::check_error(rights::e2e::get_json(client, "/healthz"), 503, "shard_unavailable");
}

TEST_CASE("a shard that is down is an error naming it, never a partial count", "[shards][e2e]") {
  const auto& indexes = corpus_indexes();
  TempDir logs("rights-e2e-shard-logs");
  ShardServers servers(indexes.sharded, logs.path());
  const IndexLocation location = servers.location();
  Searcher remote(location, corpus_authority());
  const auto expected = remote.search(shard_request("rights")).total;
  REQUIRE(expected > 0);

  const std::string down = "127.0.0.1:" + std::to_string(servers.server(2).port());
  servers.server(2).stop();
  try {
    const auto partial = remote.search(shard_request("rights"));
    FAIL("answered " << partial.total << " matches with shard " << down << " down");
  } catch (const rights::ShardUnavailable& e) {
    CHECK_THAT(e.what(), Catch::Contains(down));
    CHECK(e.shards() == std::vector<std::string>{down});
  }
  // Every entry point, and a searcher opened now.
  CHECK_THROWS_AS(remote.search(shard_request("")), rights::ShardUnavailable);
  CHECK_THROWS_AS(remote.stats(false), rights::ShardUnavailable);
  CHECK_THROWS_AS(remote.suggest("hum", 5, false), rights::ShardUnavailable);
  CHECK_THROWS_AS(remote.document("udhr-eng", "", false), rights::ShardUnavailable);
  CHECK_THROWS_AS(Searcher(location, corpus_authority()), rights::ShardUnavailable);
  CHECK_FALSE(remote.refresh());

  // The shard comes back: the same searcher recovers without a restart.
  servers.restart(2);
  CHECK(eventually([&] { return remote.search(shard_request("rights")).total; }) == expected);
}

TEST_CASE("remote shards must all be listed, each once", "[shards][e2e]") {
  const auto& indexes = corpus_indexes();
  TempDir logs("rights-e2e-shard-logs");
  ShardServers servers(indexes.sharded, logs.path());
  const IndexLocation all = servers.location();

  IndexLocation missing_one = all;
  missing_one.remote_shards.pop_back();
  CHECK_THROWS_WITH(Searcher(missing_one, corpus_authority()), Catch::Contains("of 3") && Catch::Contains("every shard"));

  IndexLocation one_twice = all;
  one_twice.remote_shards.back() = one_twice.remote_shards.front();
  CHECK_THROWS_WITH(Searcher(one_twice, corpus_authority()), Catch::Contains("listed twice"));

  // Not a shard problem but a deployment one: 503 index_unavailable, not shard_unavailable.
  try {
    Searcher searcher(missing_one, corpus_authority());
  } catch (const rights::ShardUnavailable&) {
    FAIL("an incomplete shard list is not an unreachable shard");
  } catch (const rights::IndexUnavailable&) {
  }

  // One remote serving a whole, unsharded index is fine.
  auto whole = rights::e2e::start_tcpsrv(indexes.single.string(), (logs.path() / "whole.log").string());
  IndexLocation single_remote;
  single_remote.remote_shards.push_back({"127.0.0.1", static_cast<std::uint16_t>(whole->port())});
  Searcher remote(single_remote, corpus_authority());
  Searcher single(indexes.single.string(), corpus_authority());
  check_same_answer(digest(single.search(shard_request("human rights"))), digest(remote.search(shard_request("human rights"))));
}

TEST_CASE("searchd query reads remote shards", "[shards][e2e]") {
  const auto& indexes = corpus_indexes();
  TempDir logs("rights-e2e-shard-logs");
  ShardServers servers(indexes.sharded, logs.path());
  std::vector<std::string> argv{RIGHTS_SEARCHD_BIN, "query", "--authority",
                                (fs::path(RIGHTS_CORPUS_DIR) / "authority").string(), "--per-page", "20"};
  for (const auto& shard : servers.location().remote_shards) {
    argv.emplace_back("--remote");
    argv.push_back(shard.name());
  }
  argv.emplace_back("human rights");
  const auto result = rights::testing::run_command(argv);
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  Searcher single(indexes.single.string(), corpus_authority());
  CHECK(rights::e2e::hit_ids(nlohmann::json::parse(result.output)) ==
        digest(single.search(shard_request("human rights", 20))).ids);

  const auto usage = rights::testing::run_command(
      {RIGHTS_SEARCHD_BIN, "query", "--index", indexes.single.string(), "--remote", "127.0.0.1:1", "x"});
  CHECK(usage.exit_code == 2);
  CHECK(rights::testing::run_command({RIGHTS_SEARCHD_BIN, "query", "--remote", "nohostport", "x"}).exit_code == 2);
}
