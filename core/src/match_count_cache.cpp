#include "rights/match_count_cache.h"

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

}  // namespace rights
