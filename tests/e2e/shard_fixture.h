// Shared pieces of the shard and replica tests: indexes built by the real indexer binary,
// one xapian-tcpsrv per shard, and a comparable digest of a search answer.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "rights/search.h"
#include "xapian_servers.h"

namespace rights::e2e {

inline constexpr unsigned kTestShards = 3;

/// `indexer build CORPUS --index INDEX [--shards N]` through the binary; fails the test
/// unless it exits 0.
void indexer_build(const std::filesystem::path& corpus, const std::filesystem::path& index, unsigned shards);

/// The sample corpus as one database and as kTestShards shards, built once per binary.
struct CorpusIndexes {
  std::filesystem::path single, sharded;
};
const CorpusIndexes& corpus_indexes();

/// One xapian-tcpsrv per shard of `index` (serving INDEX/shard-N), logs under `log_dir`.
class ShardServers {
 public:
  ShardServers(const std::filesystem::path& index, const std::filesystem::path& log_dir);

  /// The shards as remote shards, in order, checked for a new generation on every refresh.
  IndexLocation location() const;
  LoopbackServer& server(std::size_t shard) { return *servers_.at(shard); }
  /// Starts shard `shard` again on the port it had (after server(shard).stop()).
  void restart(std::size_t shard);

 private:
  std::filesystem::path index_, log_dir_;
  std::vector<std::unique_ptr<LoopbackServer>> servers_;
  std::vector<int> ports_;
};

/// What must be identical between one index and its shards: the exact total, the ranked
/// ids, every facet count and the did-you-mean; scores only up to rounding.
struct AnswerDigest {
  std::uint64_t total = 0;
  std::vector<std::string> ids;
  std::vector<double> scores;
  std::map<std::string, std::vector<std::pair<std::string, std::uint64_t>>> facets;
  std::string suggestion;
};
AnswerDigest digest(const SearchResponse& response);

/// Checks `actual` against `expected` field by field (Catch CHECKs).
void check_same_answer(const AnswerDigest& expected, const AnswerDigest& actual);

/// A request for `query` with the paging given; restricted documents count too, so the
/// shard comparisons cover every document.
SearchRequest shard_request(std::string query, int per_page = 10, int page = 1);

/// "q=... filters=... sort=... page=..." for INFO messages.
std::string describe(const SearchRequest& request);

}  // namespace rights::e2e
