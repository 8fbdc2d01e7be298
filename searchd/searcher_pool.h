// Searchers for concurrent requests. A rights::Searcher holds Xapian handles, which are not
// thread-safe, so each request leases one for its duration; the pool grows lazily to the
// number of requests in flight at once (at most the server's worker threads).
//
// Reloading: the indexer switches the INDEX_PATH symlink to a new generation and keeps the
// previous one on disk. Before a searcher is leased, at most once per refresh interval,
// it is refreshed; a request already holding a searcher finishes on the generation it
// started with.
//
// Warming: a thread of the pool's own keeps one more searcher, refreshed on the same
// interval, and loads the facet columns of each generation it finds (rights::Searcher::
// warm()). Requests never load them, and take up a new generation only once the warmer
// has (Searcher::NewGeneration::when_warm), so a new generation is served within a
// second or two. Until the first generation's columns are there after a start, requests
// count with Xapian's spies (the same counts, slower), instead of one request waiting
// ~1.4 s at 1M documents.
#pragma once

#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "rights/search.h"

namespace searchd {

class SearcherPool {
  using Clock = std::chrono::steady_clock;

  struct Entry {
    rights::Searcher searcher;
    Clock::time_point last_refresh;
  };

 public:
  /// `authority` is shared with every searcher (it is immutable); must not be null.
  SearcherPool(std::string index_path, std::shared_ptr<const rights::Authority> authority,
               Clock::duration refresh_interval = std::chrono::seconds(1));
  /// Searchers of a local index or of remote shards (see rights::IndexLocation), sharing
  /// a count cache of `count_cache_bytes` (0: none).
  SearcherPool(rights::IndexLocation location, std::shared_ptr<const rights::Authority> authority,
               Clock::duration refresh_interval = std::chrono::seconds(1),
               std::size_t count_cache_bytes = rights::MatchCountCache::kDefaultBytes);
  SearcherPool(const SearcherPool&) = delete;
  SearcherPool& operator=(const SearcherPool&) = delete;
  /// Stops the warming thread (waiting for a load in progress to end).
  ~SearcherPool();

  /// A searcher on loan to one thread; returned to the pool when the lease is destroyed.
  class Lease {
   public:
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    rights::Searcher& operator*() const { return entry_->searcher; }
    rights::Searcher* operator->() const { return &entry_->searcher; }

   private:
    friend class SearcherPool;
    Lease(SearcherPool& pool, std::unique_ptr<Entry> entry) : pool_(&pool), entry_(std::move(entry)) {}
    SearcherPool* pool_;
    std::unique_ptr<Entry> entry_;  // null once moved from
  };

  /// An idle searcher (refreshed first if due) or a newly opened one. Throws
  /// rights::IndexUnavailable (rights::ShardUnavailable for remote shards) while the index
  /// cannot be opened; after a failed open the same error is rethrown without touching
  /// the disk or the network until the refresh interval has
  /// passed, so a broken deployment under load is not hammered with open attempts, yet an
  /// index that appears later is picked up without a restart.
  Lease lease();

  /// Why a new searcher cannot open the index (a generation of another schema, a corrupt
  /// or vanished one behind INDEX_PATH), while the searchers already open, on `serving`
  /// (Searcher::generation()), may still serve it; nullopt if it opens. Tries an open, at
  /// most once per refresh interval, after a failure or when INDEX_PATH has moved on from
  /// `serving`, so it clears once the index opens.
  std::optional<std::string> open_failure(const std::string& serving);

  const std::string& index_path() const { return location_.index_path; }
  const rights::IndexLocation& location() const { return location_; }
  rights::CacheStats count_cache_stats() const { return caches_->match_counts.stats(); }
  rights::CacheStats ranking_cache_stats() const { return caches_->rankings.stats(); }
  /// Keys ("generation@revision") of the facet columns loaded so far, oldest first.
  std::vector<std::string> warm_facet_columns() const { return caches_->facet_columns.keys(); }

 private:
  std::unique_ptr<Entry> take_idle();
  std::unique_ptr<Entry> open_entry();
  void refresh_if_due(Entry& entry);
  void give_back(std::unique_ptr<Entry> entry);
  void warm_until_stopped();

  const rights::IndexLocation location_;
  const std::shared_ptr<const rights::Authority> authority_;
  const Clock::duration refresh_interval_;
  // Facet columns (loaded once per generation) and counts of recent queries, for all
  // searchers, not once per thread.
  const std::shared_ptr<rights::SearchCaches> caches_;

  std::mutex mutex_;  // guards the members below
  std::vector<std::unique_ptr<Entry>> idle_;
  std::optional<Clock::time_point> last_open_failure_;
  std::exception_ptr last_open_failure_error_;  ///< an IndexUnavailable, kept with its type
  std::string last_open_failure_said_;           ///< logged once per streak, as the warmer does
  std::optional<Clock::time_point> last_open_probe_;  ///< open_failure's own tries

  std::mutex warmer_mutex_;  // guards stopping_
  std::condition_variable warmer_wakeup_;
  bool stopping_ = false;
  std::thread warmer_;  // last: starts once every member above is ready
};

}  // namespace searchd
