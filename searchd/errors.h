// The one mapping from exceptions to HTTP statuses and JSON error codes, shared by the
// HTTP server (exception handler and route wrapper) and the one-shot `searchd query`.
#pragma once

#include <chrono>
#include <exception>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace searchd {

/// The request carried an Authorization header that is not `Bearer <the configured
/// token>` (or no token is configured). Never downgraded to a public answer: a researcher
/// must learn that their token is wrong rather than silently see fewer documents.
class BadToken : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The client has used up its request budget (rate_limiter.h).
class RateLimited : public std::runtime_error {
 public:
  RateLimited(const std::string& message, std::chrono::seconds retry_after)
      : std::runtime_error(message), retry_after_(retry_after) {}
  std::chrono::seconds retry_after() const { return retry_after_; }

 private:
  std::chrono::seconds retry_after_;
};

/// The index can be served, but not yet at full speed (/readyz): a load balancer should
/// send requests to another replica meanwhile.
class Warming : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The path exists but does not answer the request's method (the API is read-only).
class MethodNotAllowed : public std::runtime_error {
 public:
  MethodNotAllowed(const std::string& message, std::string allowed)
      : std::runtime_error(message), allowed_(std::move(allowed)) {}
  /// The methods the path does answer, as the Allow header lists them ("GET, HEAD").
  const std::string& allowed() const { return allowed_; }

 private:
  std::string allowed_;
};

struct ErrorReply {
  int status = 500;
  std::string code;        ///< stable machine-readable token, e.g. "bad_per_page"
  std::string message;     ///< safe to show the client
  std::string log_detail;  ///< server-side failures only: what to log (never sent); else ""
  /// Response headers the status calls for (WWW-Authenticate with 401, Allow with 405,
  /// Retry-After with 429 and 503).
  std::vector<std::pair<std::string, std::string>> headers;
  /// False when the detail is a state of the server that is logged where it is found, once
  /// per streak (no usable index: at start and by the warmer thread when it will not open,
  /// by SearchServer::read_index when a search finds it unreadable): a log line per health
  /// probe would bury the rest.
  bool log_per_request = true;
};

/// rights::TooLarge -> 413, rights::NotFound -> 404, rights::UserError -> 400 (with the
/// error's own code), BadToken -> 401 "bad_token", MethodNotAllowed -> 405
/// "method_not_allowed" (with Allow), RateLimited -> 429 "rate_limited",
/// rights::ShardUnavailable -> 503 "shard_unavailable" (naming the shard),
/// rights::IndexUnavailable -> 503 "index_unavailable" (its reason, which names the
/// index's path, in log_detail only), Warming -> 503 "warming"; 503s with Retry-After;
/// anything else -> 500 "internal" with a generic message and the detail in log_detail.
ErrorReply describe_exception(const std::exception_ptr& error);

}  // namespace searchd
