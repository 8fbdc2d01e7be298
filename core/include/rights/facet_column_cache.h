// Facet columns shared by the searchers of one process. Counting facets with Xapian's
// ValueCountMatchSpy costs a string-map update per matching document and facet, which
// dominated query time on large match sets; in-memory columns (facet value ordinals per
// document id) make the same exact count an array increment. They are built once per
// index generation and shared by every worker thread, not once per thread.
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace Xapian {
class Database;
}

namespace rights {

namespace detail {
class FacetColumns;
}

/// Thread-safe holder of the facet columns of the newest local generations. A Searcher
/// given no cache makes its own.
class FacetColumnCache {
 public:
  /// The columns of `db` (one local database, not shards), identified by `key`
  /// (generation and revision). Loads them on first use. Returns null while another
  /// thread is loading: the caller then counts with Xapian's spies rather than wait.
  std::shared_ptr<const detail::FacetColumns> get(const std::string& key, const Xapian::Database& db);
  /// The columns stored under `key`, or null; never loads.
  std::shared_ptr<const detail::FacetColumns> find(const std::string& key);
  /// Keys of the columns held, oldest first.
  std::vector<std::string> keys();

 private:
  std::shared_ptr<const detail::FacetColumns> find_locked(const std::string& key) const;  // mutex_ held

  // Two entries: while searchd switches generations, threads on the old one and threads
  // on the new one each find theirs instead of evicting each other.
  static constexpr std::size_t kEntries = 2;
  std::mutex mutex_;
  std::vector<std::pair<std::string, std::shared_ptr<const detail::FacetColumns>>> entries_;  // newest last
  bool loading_ = false;
};

}  // namespace rights
