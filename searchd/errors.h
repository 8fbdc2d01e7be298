// The one mapping from exceptions to HTTP statuses and JSON error codes, shared by the
// HTTP server (exception handler and route wrapper) and the one-shot `searchd query`.
#pragma once

#include <exception>
#include <string>

namespace searchd {

struct ErrorReply {
  int status = 500;
  std::string code;        ///< stable machine-readable token, e.g. "bad_per_page"
  std::string message;     ///< safe to show the client
  std::string log_detail;  ///< server-side failures only: what to log (never sent); else ""
};

/// rights::TooLarge -> 413, rights::NotFound -> 404, rights::UserError -> 400 (with the
/// error's own code), rights::IndexUnavailable -> 503 "index_unavailable", anything else
/// -> 500 "internal" with a generic message and the detail in log_detail.
ErrorReply describe_exception(const std::exception_ptr& error);

}  // namespace searchd
