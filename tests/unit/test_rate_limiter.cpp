// The per-client token bucket, on an injected clock: no test sleeps.
#include <catch2/catch.hpp>

#include <chrono>
#include <string>

#include "rate_limiter.h"

using searchd::RateLimiter;
using namespace std::chrono_literals;

namespace {

// A clock the test moves by hand.
struct ManualClock {
  RateLimiter::Clock::time_point now = RateLimiter::Clock::time_point{} + 1h;
  RateLimiter::Now function() {
    return [this] { return now; };
  }
};

int admitted(RateLimiter& limiter, const std::string& client, int requests) {
  int allowed = 0;
  for (int i = 0; i < requests; ++i) allowed += limiter.admit(client).allowed ? 1 : 0;
  return allowed;
}

}  // namespace

TEST_CASE("rate limiter: a burst is allowed, then the rate", "[http][rate]") {
  ManualClock clock;
  RateLimiter limiter(5, 10, clock.function());
  CHECK(admitted(limiter, "192.0.2.1", 30) == 10);

  const auto refused = limiter.admit("192.0.2.1");
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after == 1s);  // one token takes 0.2 s; rounded up to whole seconds

  clock.now += 1s;  // refills 5
  CHECK(admitted(limiter, "192.0.2.1", 30) == 5);
  clock.now += 200ms;
  CHECK(admitted(limiter, "192.0.2.1", 3) == 1);
  clock.now += 1h;  // never more than the burst
  CHECK(admitted(limiter, "192.0.2.1", 30) == 10);
}

TEST_CASE("rate limiter: clients have separate budgets", "[http][rate]") {
  ManualClock clock;
  RateLimiter limiter(1, 2, clock.function());
  CHECK(admitted(limiter, "192.0.2.1", 5) == 2);
  CHECK(admitted(limiter, "192.0.2.2", 5) == 2);
  CHECK(limiter.tracked_clients() == 2);
}

TEST_CASE("rate limiter: Retry-After covers the wait for one request at slow rates", "[http][rate]") {
  ManualClock clock;
  RateLimiter limiter(0.1, 1, clock.function());  // one request per 10 s
  CHECK(limiter.admit("a").allowed);
  const auto refused = limiter.admit("a");
  CHECK_FALSE(refused.allowed);
  CHECK(refused.retry_after == 10s);
  clock.now += 4s;
  CHECK(limiter.admit("a").retry_after == 6s);
  clock.now += 6s;
  CHECK(limiter.admit("a").allowed);
}

TEST_CASE("rate limiter: idle clients are forgotten, memory stays bounded", "[http][rate]") {
  ManualClock clock;
  RateLimiter limiter(10, 20, clock.function(), /*max_clients=*/3);
  for (const char* client : {"a", "b", "c"}) limiter.admit(client);
  CHECK(limiter.tracked_clients() == 3);
  // Over the cap, newcomers share one bucket: limited together, not let through.
  CHECK(admitted(limiter, "d", 15) + admitted(limiter, "e", 15) == 20);
  CHECK(limiter.tracked_clients() == 4);

  clock.now += 1min;  // every bucket has long refilled: nothing worth keeping
  limiter.admit("f");
  CHECK(limiter.tracked_clients() == 1);
}

TEST_CASE("rate limiter: IPv6 clients are keyed by their /64", "[http][rate]") {
  CHECK(RateLimiter::client_key("192.0.2.7") == "192.0.2.7");
  CHECK(RateLimiter::client_key("2001:db8:1:2:aaaa::1") == "2001:0db8:0001:0002::/64");
  CHECK(RateLimiter::client_key("2001:db8:1:2::ffff") == RateLimiter::client_key("2001:db8:1:2:1:2:3:4"));
  CHECK(RateLimiter::client_key("2001:db8:1:3::1") != RateLimiter::client_key("2001:db8:1:2::1"));
  CHECK(RateLimiter::client_key("::ffff:192.0.2.7") == "192.0.2.7");
  CHECK(RateLimiter::client_key("::1") == "0000:0000:0000:0000::/64");
  CHECK_THROWS_AS(RateLimiter(0, 1), std::invalid_argument);
}
