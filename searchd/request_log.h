// searchd's log: one access line per request and the details of internal errors, written
// to an injectable stream. What people search for is sensitive (a name, a case), so query
// strings are left out unless the operator asks for them (--log-queries), also from error
// details, which may quote a query word. Client addresses are never logged.
#pragma once

#include <httplib.h>

#include <mutex>
#include <ostream>
#include <string>

#include "http_params.h"

namespace searchd {

class RequestLog {
 public:
  /// `sink` may be null (log nothing); it must outlive the log. Lines are written whole,
  /// under a lock, so concurrent requests never interleave within a line.
  RequestLog(std::ostream* sink, bool log_queries) : sink_(sink), log_queries_(log_queries) {}

  /// "searchd: GET /api/search 200 1234 bytes" (the target with its query string when
  /// log_queries is on). Control bytes in what the client sent are written as \xNN, so a
  /// request cannot forge log lines.
  void access(const httplib::Request& request, const httplib::Response& response);
  /// "searchd: internal error on GET /api/search: DETAIL", DETAIL without query text.
  void internal_error(const httplib::Request& request, const std::string& detail);
  /// "searchd: WHAT on GET /api/search: DETAIL", DETAIL without query text.
  void request_failed(const httplib::Request& request, const std::string& what, const std::string& detail);
  /// A line of its own (startup, shutdown).
  void note(const std::string& line);

 private:
  std::string what_was_asked(const httplib::Request& request) const;
  void write(const std::string& line);

  std::ostream* const sink_;
  const bool log_queries_;
  std::mutex mutex_;  // one line at a time
};

/// `text` with every parameter value, each of its words and each word's normalised
/// (case-folded) form replaced by "<redacted>". Words under 3 bytes are kept: they reveal
/// little, and blanking every "a" or "of" would make the message unreadable.
std::string without_query_text(std::string text, const QueryParams& params);

}  // namespace searchd
