// What searches of one process remember between requests: the exact counts (total and
// every facet) of recent queries, and the first ranks of their result lists.
//
// Counting visits every matching document — the cost that grows with the collection (about
// 0.3 µs per match: 300 ms for a word found in a million documents). Ranking one page does
// not need that: once the counts are known, Xapian ranks the page with its top-k pruning.
// Queries repeat in practice: a facet click counts that facet over the previous query
// (disjunctive faceting), paging and re-sorting keep the query, and the landing page and
// embedded search boxes send the same few queries. Ranking still reads every match of a
// frequent word (Xapian 1.4 has no block-max skipping), so the first ranks of a ranked list
// are kept too, as Solr's queryResultCache keeps them: paging and repeating a query then
// read only the documents of the page. Entries are keyed by index generation and revision,
// so a new index never reads old counts or ranks.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "rights/facet_column_cache.h"

namespace rights {

namespace detail {
struct MatchCounts;
struct RankedIds;
}  // namespace detail

struct CacheStats {
  std::uint64_t hits = 0, misses = 0, entries = 0, bytes = 0;
};

/// Immutable values by string key, least recently used evicted beyond a byte budget;
/// `Value::memory_bytes()` estimates a value's heap. A budget of 0 disables the cache.
/// Thread-safe.
template <typename Value>
class ByteBudgetCache {
 public:
  explicit ByteBudgetCache(std::size_t capacity_bytes) : capacity_bytes_(capacity_bytes) {}

  /// The value stored under `key`, or null (counted as a miss).
  std::shared_ptr<const Value> find(const std::string& key) {
    if (!enabled()) return nullptr;
    std::lock_guard<std::mutex> lock(mutex_);
    const auto found = by_key_.find(key);
    if (found == by_key_.end()) {
      ++misses_;
      return nullptr;
    }
    ++hits_;
    recent_.splice(recent_.begin(), recent_, found->second);
    return found->second->value;
  }

  /// Stores `value` under `key`, evicting the least recently used entries beyond the
  /// capacity. An entry larger than the whole capacity is not kept; a key already there
  /// keeps its value (another thread computed the same one meanwhile).
  void insert(const std::string& key, std::shared_ptr<const Value> value) {
    if (!enabled() || !value) return;
    // The key is stored twice (list and index).
    const std::size_t bytes = value->memory_bytes() + 2 * (key.capacity() + sizeof(Entry));
    if (bytes > capacity_bytes_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (const auto found = by_key_.find(key); found != by_key_.end()) {
      recent_.splice(recent_.begin(), recent_, found->second);
      return;
    }
    recent_.push_front({key, std::move(value), bytes});
    by_key_.emplace(key, recent_.begin());
    bytes_ += bytes;
    while (bytes_ > capacity_bytes_ && !recent_.empty()) {
      bytes_ -= recent_.back().bytes;
      by_key_.erase(recent_.back().key);
      recent_.pop_back();
    }
  }

  bool enabled() const { return capacity_bytes_ > 0; }

  using Stats = CacheStats;
  Stats stats() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return {hits_, misses_, static_cast<std::uint64_t>(recent_.size()), static_cast<std::uint64_t>(bytes_)};
  }

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const Value> value;
    std::size_t bytes;
  };
  const std::size_t capacity_bytes_;
  mutable std::mutex mutex_;  // guards the members below
  std::list<Entry> recent_;   // most recently used first
  std::unordered_map<std::string, typename std::list<Entry>::iterator> by_key_;
  std::size_t bytes_ = 0;
  std::uint64_t hits_ = 0, misses_ = 0;
};

/// Exact counts of recently matched queries.
class MatchCountCache : public ByteBudgetCache<detail::MatchCounts> {
 public:
  /// About 2,500 entries of the benchmark corpora (~13 kB each: every facet value
  /// with its count); 0 disables the cache.
  static constexpr std::size_t kDefaultBytes = std::size_t{32} << 20;
  explicit MatchCountCache(std::size_t capacity_bytes = kDefaultBytes) : ByteBudgetCache(capacity_bytes) {}
};

/// The first ranks (document ids and weights) of recently ranked queries, per order.
class RankingCache : public ByteBudgetCache<detail::RankedIds> {
 public:
  /// The share of the count cache's budget that rankings get: an entry is ~1 kB (50
  /// ranks and the key), a tenth of a count entry.
  static constexpr std::size_t kShareOfCountBudget = 8;
  using ByteBudgetCache::ByteBudgetCache;
};

/// What the searchers of one process share: per-generation facet columns, and the counts
/// and first ranks of recent queries. Thread-safe.
struct SearchCaches {
  /// `count_cache_bytes` for counts, an eighth of it more for rankings; 0 turns both off.
  explicit SearchCaches(std::size_t count_cache_bytes = MatchCountCache::kDefaultBytes,
                        bool columns_warmed_elsewhere = false)
      : match_counts(count_cache_bytes),
        rankings(count_cache_bytes / RankingCache::kShareOfCountBudget),
        facet_columns_warmed_elsewhere(columns_warmed_elsewhere) {}
  FacetColumnCache facet_columns;
  MatchCountCache match_counts;
  RankingCache rankings;
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
