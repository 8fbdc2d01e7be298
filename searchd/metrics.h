// Request counters and latency histograms for GET /metrics (Prometheus text format 0.0.4).
// One instance per server, shared by its worker threads: every member is thread-safe.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include "rights/match_count_cache.h"

namespace searchd {

class Metrics {
 public:
  /// Upper bounds (seconds) of the latency histogram buckets; +Inf is implicit.
  static constexpr std::array<double, 12> kDurationBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                           0.1,   0.25,   0.5,   1.0,  2.5,   5.0};

  /// Counts one answered request of `route` (a route pattern such as "/api/doc/{id}", or
  /// "static" / "unmatched") and, when measured, its handling time.
  void record_request(const std::string& route, int status, std::optional<double> seconds);
  /// Counts one JSON error body sent, by its code ("bad_per_page", "internal"...).
  void record_error(const std::string& code);
  /// The public (unrestricted) document count of the generation being served.
  void set_index_documents(const std::string& generation, std::uint64_t documents);
  /// The generation set_index_documents() last saw ("" before the first call).
  std::string index_generation() const;

  /// searchd_requests_total, searchd_request_duration_seconds, searchd_errors_total,
  /// searchd_index_documents and the count and ranking caches' figures, in the Prometheus
  /// text exposition format.
  std::string render(const rights::CacheStats& count_cache, const rights::CacheStats& ranking_cache) const;

 private:
  struct Histogram {
    std::array<std::uint64_t, kDurationBuckets.size()> bucket_counts{};  // not cumulative
    std::uint64_t count = 0;
    double sum = 0;
  };

  mutable std::mutex mutex_;  // guards everything below
  std::map<std::pair<std::string, int>, std::uint64_t> requests_;  // (route, status) -> count
  std::map<std::string, Histogram> durations_;                     // route -> histogram
  std::map<std::string, std::uint64_t> errors_;                    // code -> count
  std::string index_generation_;
  std::optional<std::uint64_t> index_documents_;
};

}  // namespace searchd
