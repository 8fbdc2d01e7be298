#include "metrics.h"

#include <sstream>

namespace searchd {

namespace {

// Label values are our own route names and error codes, but escaping keeps the output
// parseable whatever a future code contains.
std::string escape_label(const std::string& value) {
  std::string out;
  for (const char c : value) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

void Metrics::record_request(const std::string& route, int status, std::optional<double> seconds) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++requests_[{route, status}];
  if (!seconds) return;
  Histogram& histogram = durations_[route];
  for (std::size_t i = 0; i < kDurationBuckets.size(); ++i) {
    if (*seconds <= kDurationBuckets[i]) {
      ++histogram.bucket_counts[i];
      break;
    }
  }
  ++histogram.count;
  histogram.sum += *seconds;
}

void Metrics::record_error(const std::string& code) {
  std::lock_guard<std::mutex> lock(mutex_);
  ++errors_[code];
}

void Metrics::set_index_documents(const std::string& generation, std::uint64_t documents) {
  std::lock_guard<std::mutex> lock(mutex_);
  index_generation_ = generation;
  index_documents_ = documents;
}

std::string Metrics::index_generation() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return index_generation_;
}

std::string Metrics::render(const rights::CacheStats& count_cache, const rights::CacheStats& ranking_cache) const {
  std::lock_guard<std::mutex> lock(mutex_);
  std::ostringstream out;
  out << "# HELP searchd_requests_total HTTP requests answered, by route and status.\n"
         "# TYPE searchd_requests_total counter\n";
  for (const auto& [route_status, count] : requests_) {
    out << "searchd_requests_total{route=\"" << escape_label(route_status.first) << "\",status=\""
        << route_status.second << "\"} " << count << '\n';
  }

  out << "# HELP searchd_request_duration_seconds Time spent handling API requests, by route.\n"
         "# TYPE searchd_request_duration_seconds histogram\n";
  for (const auto& [route, histogram] : durations_) {
    const std::string label = "route=\"" + escape_label(route) + "\"";
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < kDurationBuckets.size(); ++i) {
      cumulative += histogram.bucket_counts[i];
      out << "searchd_request_duration_seconds_bucket{" << label << ",le=\"" << kDurationBuckets[i]
          << "\"} " << cumulative << '\n';
    }
    out << "searchd_request_duration_seconds_bucket{" << label << ",le=\"+Inf\"} " << histogram.count
        << '\n';
    out << "searchd_request_duration_seconds_sum{" << label << "} " << histogram.sum << '\n';
    out << "searchd_request_duration_seconds_count{" << label << "} " << histogram.count << '\n';
  }

  out << "# HELP searchd_errors_total JSON error responses sent, by error code.\n"
         "# TYPE searchd_errors_total counter\n";
  for (const auto& [code, count] : errors_) {
    out << "searchd_errors_total{code=\"" << escape_label(code) << "\"} " << count << '\n';
  }

  out << "# HELP searchd_count_cache_hits_total Count lookups answered from the cache (a search looks up its query, and its query without each facet it filters on).\n"
         "# TYPE searchd_count_cache_hits_total counter\n"
         "searchd_count_cache_hits_total "
      << count_cache.hits << "\n"
         "# HELP searchd_count_cache_misses_total Count lookups that counted the matches.\n"
         "# TYPE searchd_count_cache_misses_total counter\n"
         "searchd_count_cache_misses_total "
      << count_cache.misses << "\n"
         "# HELP searchd_count_cache_bytes Memory held by the count cache (estimate).\n"
         "# TYPE searchd_count_cache_bytes gauge\n"
         "searchd_count_cache_bytes "
      << count_cache.bytes << "\n"
         "# HELP searchd_ranking_cache_hits_total Searches whose page was read from cached ranks.\n"
         "# TYPE searchd_ranking_cache_hits_total counter\n"
         "searchd_ranking_cache_hits_total "
      << ranking_cache.hits << "\n"
         "# HELP searchd_ranking_cache_misses_total Searches with cached counts that ranked a page within the first 500 ranks.\n"
         "# TYPE searchd_ranking_cache_misses_total counter\n"
         "searchd_ranking_cache_misses_total "
      << ranking_cache.misses << "\n"
         "# HELP searchd_ranking_cache_bytes Memory held by the ranking cache (estimate).\n"
         "# TYPE searchd_ranking_cache_bytes gauge\n"
         "searchd_ranking_cache_bytes "
      << ranking_cache.bytes << '\n';

  if (index_documents_) {
    out << "# HELP searchd_index_documents Public documents in the index generation being served.\n"
           "# TYPE searchd_index_documents gauge\n"
           "searchd_index_documents "
        << *index_documents_ << '\n';
  }
  return out.str();
}

}  // namespace searchd
