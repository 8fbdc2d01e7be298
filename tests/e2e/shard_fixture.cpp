#include "shard_fixture.h"

#include <catch2/catch.hpp>

#include "process.h"
#include "temp_dir.h"

namespace rights::e2e {

namespace fs = std::filesystem;

void indexer_build(const fs::path& corpus, const fs::path& index, unsigned shards) {
  std::vector<std::string> argv{RIGHTS_INDEXER_BIN, "build", corpus.string(), "--index", index.string()};
  if (shards > 1) {
    argv.emplace_back("--shards");
    argv.push_back(std::to_string(shards));
  }
  const auto result = testing::run_command(argv);
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
}

const CorpusIndexes& corpus_indexes() {
  // Function-local statics: built on first use, removed (TempDir) when the binary exits.
  static const testing::TempDir directory("rights-e2e-shards");
  static const CorpusIndexes indexes = [] {
    CorpusIndexes built{directory.path() / "single", directory.path() / "sharded"};
    indexer_build(RIGHTS_CORPUS_DIR, built.single, 1);
    indexer_build(RIGHTS_CORPUS_DIR, built.sharded, kTestShards);
    return built;
  }();
  return indexes;
}

ShardServers::ShardServers(const fs::path& index, const fs::path& log_dir) : index_(index), log_dir_(log_dir) {
  for (std::size_t shard = 0; shard < kTestShards; ++shard) {
    servers_.push_back(start_tcpsrv((index_ / ("shard-" + std::to_string(shard))).string(),
                                    (log_dir_ / ("tcpsrv-" + std::to_string(shard) + ".log")).string()));
    ports_.push_back(servers_.back()->port());
  }
}

IndexLocation ShardServers::location() const {
  IndexLocation location;
  for (const int port : ports_) location.remote_shards.push_back({"127.0.0.1", static_cast<std::uint16_t>(port)});
  location.remote_recheck_interval = std::chrono::milliseconds(0);
  return location;
}

void ShardServers::restart(std::size_t shard) {
  servers_.at(shard) = start_tcpsrv((index_ / ("shard-" + std::to_string(shard))).string(),
                                    (log_dir_ / ("tcpsrv-" + std::to_string(shard) + "-again.log")).string(),
                                    ports_.at(shard));
}

AnswerDigest digest(const SearchResponse& response) {
  AnswerDigest out;
  out.total = response.total;
  for (const auto& hit : response.hits) {
    out.ids.push_back(hit.id);
    out.scores.push_back(hit.score);
  }
  for (const auto& [facet, counts] : response.facets) {
    auto& values = out.facets[facet];
    for (const auto& count : counts) values.emplace_back(count.value, count.count);
  }
  out.suggestion = response.suggestion;
  return out;
}

void check_same_answer(const AnswerDigest& expected, const AnswerDigest& actual) {
  CHECK(actual.total == expected.total);
  CHECK(actual.ids == expected.ids);
  CHECK(actual.facets == expected.facets);
  CHECK(actual.suggestion == expected.suggestion);
  REQUIRE(actual.scores.size() == expected.scores.size());
  for (std::size_t i = 0; i < expected.scores.size(); ++i) {
    // Shards add the same term weights in another order: equal up to the last bits.
    CHECK(actual.scores[i] == Approx(expected.scores[i]).epsilon(1e-9));
  }
}

std::string describe(const SearchRequest& request) {
  std::string text = "q=\"" + request.query + "\"";
  for (const auto& [facet, values] : request.filters) {
    for (const auto& value : values) text += " " + facet + "=" + value;
  }
  if (!request.from_date.empty()) text += " from=" + request.from_date;
  if (!request.to_date.empty()) text += " to=" + request.to_date;
  text += request.sort == SortOrder::Relevance ? " sort=relevance"
          : request.sort == SortOrder::DateAscending ? " sort=date" : " sort=-date";
  text += " page=" + std::to_string(request.page) + " per_page=" + std::to_string(request.per_page);
  text += request.include_restricted ? " (with restricted)" : "";
  return text;
}

SearchRequest shard_request(std::string query, int per_page, int page) {
  SearchRequest out;
  out.query = std::move(query);
  out.per_page = per_page;
  out.page = page;
  out.include_restricted = true;
  return out;
}

}  // namespace rights::e2e
