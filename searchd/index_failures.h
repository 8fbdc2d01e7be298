// Requests that found the index generation served unreadable: it opened, but a table
// read while searching is corrupt (rights::IndexUnavailable raised by a search, not by
// opening). Opening failures are said by searchd at start and by the warmer, once per
// streak; these are not seen by either (the warmer reads the facet columns only), so
// without this the 503 would point to a log line that never came, and /readyz would keep
// a load balancer sending searches to a replica where they fail.
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace searchd {

class IndexFailures {
 public:
  using Clock = std::chrono::steady_clock;

  /// `memory`: how long a reason stays said (the log repeats it at most once per
  /// `memory` while requests keep failing with it), and how long a failure keeps the
  /// generation unready when no request succeeds after it (a load balancer sends none).
  explicit IndexFailures(Clock::duration memory = std::chrono::minutes(1)) : memory_(memory) {}

  /// Records a request that failed reading `generation` (its name); true when `reason`
  /// deserves a log line: it was not logged within the last `memory`.
  bool record_failure(const std::string& generation, const std::string& reason, Clock::time_point now = Clock::now());
  /// Records a request that read the index without failing: the generation is readable.
  void record_success();
  /// The reason of the latest failure if it was on `generation`, no request has succeeded
  /// since, and it is at most `memory` old; else nothing.
  std::optional<std::string> failing(const std::string& generation, Clock::time_point now = Clock::now()) const;

 private:
  struct Failure {
    std::string generation;
    std::string reason;
    Clock::time_point when;
  };

  const Clock::duration memory_;
  std::atomic<bool> any_failure_{false};  // lets record_success() skip the lock, as it almost always may
  mutable std::mutex mutex_;              // guards the members below
  std::optional<Failure> latest_;         // cleared by a success
  std::map<std::string, Clock::time_point> logged_;  // reason -> when it was last logged
};

}  // namespace searchd
