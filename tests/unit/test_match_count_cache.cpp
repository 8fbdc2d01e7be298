// MatchCountCache: least recently used entries go first, the byte budget holds, a budget
// of 0 turns it off, and hits and misses are counted.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "facet_counts.h"
#include "rights/match_count_cache.h"
#include "rights/schema.h"

using rights::MatchCountCache;
using rights::detail::MatchCounts;

namespace {

std::shared_ptr<const MatchCounts> counts_with(std::uint64_t total, int values) {
  auto counts = std::make_shared<MatchCounts>();
  counts->total = total;
  counts->facets.resize(rights::kFacets.size());
  for (int v = 0; v < values; ++v) counts->facets[0]["value-" + std::to_string(v)] = total;
  return counts;
}

}  // namespace

TEST_CASE("count cache: finds what was stored, evicts the least recently used", "[unit][count_cache]") {
  const std::size_t entry_bytes = counts_with(1, 10)->memory_bytes();
  // Room for three entries of this size (keys and bookkeeping included), not four.
  MatchCountCache cache(3 * (entry_bytes + 400) + 100);
  REQUIRE(cache.enabled());
  CHECK(cache.find("a") == nullptr);
  cache.insert("a", counts_with(1, 10));
  cache.insert("b", counts_with(2, 10));
  cache.insert("c", counts_with(3, 10));
  REQUIRE(cache.find("a") != nullptr);  // "a" is now the most recently used
  CHECK(cache.find("a")->total == 1);
  cache.insert("d", counts_with(4, 10));  // evicts "b", the least recently used
  CHECK(cache.find("b") == nullptr);
  CHECK(cache.find("a") != nullptr);
  CHECK(cache.find("c") != nullptr);
  REQUIRE(cache.find("d") != nullptr);
  CHECK(cache.find("d")->total == 4);

  const auto stats = cache.stats();
  CHECK(stats.entries == 3);
  CHECK(stats.hits == 6);
  CHECK(stats.misses == 2);
  CHECK(stats.bytes > 3 * entry_bytes);
  CHECK(stats.bytes <= 3 * (entry_bytes + 400) + 100);
}

TEST_CASE("count cache: a second insert of a key keeps the first: oversize entries are not kept",
          "[unit][count_cache]") {
  MatchCountCache cache(64 * 1024);
  cache.insert("q", counts_with(7, 3));
  cache.insert("q", counts_with(8, 3));
  REQUIRE(cache.find("q") != nullptr);
  CHECK(cache.find("q")->total == 7);
  CHECK(cache.stats().entries == 1);

  cache.insert("huge", counts_with(9, 5000));  // far more than 64 kB
  CHECK(cache.find("huge") == nullptr);
  CHECK(cache.find("q") != nullptr);  // and nothing was evicted for it
}

TEST_CASE("count cache: a budget of 0 turns it off", "[unit][count_cache]") {
  MatchCountCache cache(0);
  CHECK_FALSE(cache.enabled());
  cache.insert("q", counts_with(1, 1));
  CHECK(cache.find("q") == nullptr);
  CHECK(cache.stats().entries == 0);
  CHECK(cache.stats().misses == 0);  // not even looked up
}
