#include "rights/match_count_cache.h"

#include <utility>

#include "facet_counts.h"

namespace rights {

namespace detail {

std::size_t MatchCounts::memory_bytes() const {
  // A std::map node holds the pair plus three pointers and a colour; values longer than
  // the small-string buffer add their own block.
  constexpr std::size_t kNodeOverhead = 4 * sizeof(void*);
  std::size_t bytes = sizeof(MatchCounts) + facets.capacity() * sizeof(ValueCounts);
  for (const auto& counts : facets) {
    for (const auto& [value, count] : counts) {
      bytes += kNodeOverhead + sizeof(std::pair<const std::string, std::uint64_t>);
      if (value.capacity() > 15) bytes += value.capacity() + 1;
    }
  }
  return bytes;
}

}  // namespace detail

std::shared_ptr<const detail::MatchCounts> MatchCountCache::find(const std::string& key) {
  if (!enabled()) return nullptr;
  std::lock_guard<std::mutex> lock(mutex_);
  const auto found = by_key_.find(key);
  if (found == by_key_.end()) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  recent_.splice(recent_.begin(), recent_, found->second);
  return found->second->counts;
}

void MatchCountCache::insert(const std::string& key, std::shared_ptr<const detail::MatchCounts> counts) {
  if (!enabled() || !counts) return;
  // The key is stored twice (list and index).
  const std::size_t bytes = counts->memory_bytes() + 2 * (key.capacity() + sizeof(Entry));
  if (bytes > capacity_bytes_) return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (const auto found = by_key_.find(key); found != by_key_.end()) {
    // Another thread counted the same query meanwhile; the counts are the same.
    recent_.splice(recent_.begin(), recent_, found->second);
    return;
  }
  recent_.push_front({key, std::move(counts), bytes});
  by_key_.emplace(key, recent_.begin());
  bytes_ += bytes;
  while (bytes_ > capacity_bytes_ && !recent_.empty()) {
    bytes_ -= recent_.back().bytes;
    by_key_.erase(recent_.back().key);
    recent_.pop_back();
  }
}

MatchCountCache::Stats MatchCountCache::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return {hits_, misses_, static_cast<std::uint64_t>(recent_.size()), static_cast<std::uint64_t>(bytes_)};
}

}  // namespace rights
