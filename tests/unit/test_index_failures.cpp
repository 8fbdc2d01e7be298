// IndexFailures: when a search that found the index unreadable is logged, and how long it
// keeps /readyz at 503. Time is passed in, so no test sleeps.
#include <catch2/catch.hpp>

#include <chrono>

#include "index_failures.h"

using searchd::IndexFailures;
using std::chrono::seconds;

TEST_CASE("index failures: each reason is logged once a minute at most", "[http]") {
  IndexFailures failures(seconds(60));
  const auto start = IndexFailures::Clock::now();
  CHECK(failures.record_failure("gen-a", "block 5 is corrupt", start));
  CHECK_FALSE(failures.record_failure("gen-a", "block 5 is corrupt", start + seconds(1)));
  CHECK(failures.record_failure("gen-a", "block 6 is corrupt", start + seconds(2)));
  CHECK_FALSE(failures.record_failure("gen-a", "block 5 is corrupt", start + seconds(59)));
  // Successes in between do not make it a new line: a half-corrupt index must not log
  // every other request.
  failures.record_success();
  CHECK_FALSE(failures.record_failure("gen-a", "block 6 is corrupt", start + seconds(30)));
  CHECK(failures.record_failure("gen-a", "block 5 is corrupt", start + seconds(61)));
}

TEST_CASE("index failures: the generation is failing until a request reads it, for a minute at most", "[http]") {
  IndexFailures failures(seconds(60));
  const auto start = IndexFailures::Clock::now();
  CHECK_FALSE(failures.failing("gen-a", start));
  failures.record_failure("gen-a", "block 5 is corrupt", start);
  CHECK(failures.failing("gen-a", start + seconds(1)) == "block 5 is corrupt");
  CHECK_FALSE(failures.failing("gen-b", start + seconds(1)));  // a new generation is another index
  CHECK_FALSE(failures.failing("gen-a", start + seconds(61)));  // no traffic: try it again
  failures.record_success();
  CHECK_FALSE(failures.failing("gen-a", start + seconds(2)));
  failures.record_failure("gen-a", "block 5 is corrupt", start + seconds(3));
  CHECK(failures.failing("gen-a", start + seconds(4)));
}
