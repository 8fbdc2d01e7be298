// Exact counts (total and every facet) of recently matched queries, shared by the searchers
// of one process.
//
// Counting visits every matching document — the cost that grows with the collection (about
// 0.3 µs per match: 300 ms for a word found in a million documents). Ranking one page does
// not need that: once the counts are known, Xapian ranks the page with its top-k pruning.
// Queries repeat in practice: a facet click counts that facet over the previous query
// (disjunctive faceting), paging and re-sorting keep the query, and the landing page and
// embedded search boxes send the same few queries. Entries are keyed by index generation
// and revision, so a new index never reads old counts.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "rights/facet_column_cache.h"

namespace rights {

namespace detail {
struct MatchCounts;
}

class MatchCountCache {
 public:
  /// About 2,500 entries of the benchmark corpora (~13 kB each: every facet value
  /// with its count); 0 disables the cache.
  static constexpr std::size_t kDefaultBytes = std::size_t{32} << 20;

  explicit MatchCountCache(std::size_t capacity_bytes = kDefaultBytes) : capacity_bytes_(capacity_bytes) {}

  /// The counts stored under `key`, or null (counted as a miss).
  std::shared_ptr<const detail::MatchCounts> find(const std::string& key);
  /// Stores `counts` under `key`, evicting the least recently used entries beyond the
  /// capacity. An entry larger than the whole capacity is not kept.
  void insert(const std::string& key, std::shared_ptr<const detail::MatchCounts> counts);

  bool enabled() const { return capacity_bytes_ > 0; }

  struct Stats {
    std::uint64_t hits = 0, misses = 0, entries = 0, bytes = 0;
  };
  Stats stats() const;

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const detail::MatchCounts> counts;
    std::size_t bytes;
  };
  const std::size_t capacity_bytes_;
  mutable std::mutex mutex_;  // guards the members below
  std::list<Entry> recent_;   // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> by_key_;
  std::size_t bytes_ = 0;
  std::uint64_t hits_ = 0, misses_ = 0;
};

/// What the searchers of one process share: per-generation facet columns and the counts
/// of recent queries. Thread-safe.
struct SearchCaches {
  explicit SearchCaches(std::size_t count_cache_bytes = MatchCountCache::kDefaultBytes,
                        bool columns_warmed_elsewhere = false)
      : match_counts(count_cache_bytes), facet_columns_warmed_elsewhere(columns_warmed_elsewhere) {}
  FacetColumnCache facet_columns;
  MatchCountCache match_counts;
  /// True when a warmer (Searcher::warm() on a thread of its own) loads the facet columns
  /// of each new generation: searches then never load them themselves — at a million
  /// documents that takes ~1.4 s, which the first request after a start or a reload would
  /// wait — and count with Xapian's spies until the columns are there.
  const bool facet_columns_warmed_elsewhere;
  /// With a warmer, searchers keep the generation they have until the warmer has loaded
  /// a new one's columns (Searcher::refresh()), but not longer than this: a warmer that
  /// keeps failing must not hold requests on an old index.
  std::chrono::steady_clock::duration longest_wait_for_warm_columns = std::chrono::seconds(30);
};

}  // namespace rights
