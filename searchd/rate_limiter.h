// Per-client request budget: a token bucket per client address. Each client may send
// `rate` requests per second on average and bursts of up to `burst`; beyond that it is
// told how long to wait. Thread-safe; the clock is injected so tests need not sleep.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>

namespace searchd {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  using Now = std::function<Clock::time_point()>;

  struct Decision {
    bool allowed = true;
    std::chrono::seconds retry_after{0};  ///< when refused: whole seconds until one request is allowed (>= 1)
  };

  /// `rate` > 0 requests per second, `burst` >= 1 requests. `max_clients` bounds memory:
  /// when that many clients are tracked and none is idle enough to forget, further new
  /// clients share one bucket (so a flood of addresses is still limited, collectively).
  RateLimiter(double rate, double burst, Now now = Clock::now, std::size_t max_clients = 100000);

  /// Takes one request from `client`'s budget (or refuses it).
  Decision admit(const std::string& client);

  /// Clients currently tracked (for tests and metrics).
  std::size_t tracked_clients() const;

  /// The key a client is limited by: an IPv4 address as it is, an IPv6 address by its
  /// /64 network (one host usually holds a whole /64, so per-address buckets would let
  /// it multiply its budget at will).
  static std::string client_key(const std::string& remote_address);

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };

  void forget_idle_clients(Clock::time_point now);

  const double rate_;
  const double burst_;
  const Now now_;
  const std::size_t max_clients_;
  // A bucket idle this long has refilled completely and carries no information.
  const Clock::duration idle_after_;

  mutable std::mutex mutex_;  // guards the members below
  std::unordered_map<std::string, Bucket> buckets_;
  Clock::time_point last_cleanup_;
};

}  // namespace searchd
