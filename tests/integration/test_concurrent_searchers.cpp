// Searchers used from many threads at once, one Searcher per thread as searchd does. Each
// Searcher owns its Xapian handles, but anything shared behind their backs (a static
// Xapian::Query such as Query::MatchAll, whose reference count is not atomic) makes
// concurrent requests corrupt each other; searchd crashed that way under wrk with
// filter-only searches.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "rights/index_builder.h"
#include "rights/search.h"
#include "temp_dir.h"

TEST_CASE("searchers on parallel threads answer filter-only searches consistently",
          "[integration][search][concurrency][slow]") {
  const rights::testing::TempDir dir("rights-concurrent-searchers");
  const auto index = dir.path() / "index";
  REQUIRE(rights::build_index(RIGHTS_CORPUS_DIR, index, {}).failures.empty());
  const auto authority = rights::Authority::load(std::filesystem::path(RIGHTS_CORPUS_DIR) / "authority");

  // One hit per page: snippets of long documents would dominate the time and leave the
  // threads few chances to collide on what they share.
  rights::SearchRequest everything;  // empty query: every document
  everything.per_page = 1;
  rights::SearchRequest by_type = everything;
  by_type.filters["type"] = {"letter"};
  rights::SearchRequest negated = everything;
  negated.query = "-impunity";  // only a negation: everything except it
  const std::vector<rights::SearchRequest> requests{everything, by_type, negated};

  std::vector<std::uint64_t> expected;
  {
    rights::Searcher reference(index.string(), authority);
    for (const auto& request : requests) expected.push_back(reference.search(request).total);
  }
  REQUIRE(expected[0] > expected[1]);

  // With the static MatchAll, 400 rounds crashed about two runs in five; 1500 nearly all.
  constexpr int kThreads = 8, kRounds = 1500;
  std::atomic<int> wrong{0}, failed{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      try {
        rights::Searcher searcher(index.string(), authority);
        for (int round = 0; round < kRounds; ++round) {
          const std::size_t which = static_cast<std::size_t>(round) % requests.size();
          if (searcher.search(requests[which]).total != expected[which]) ++wrong;
          if (searcher.facet_values("type", "", 10, false).empty()) ++wrong;
          if (searcher.stats(false).documents != expected[0]) ++wrong;
        }
      } catch (...) {
        ++failed;  // Catch assertions are not thread-safe: count here, check below
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(wrong == 0);
  CHECK(failed == 0);
}
