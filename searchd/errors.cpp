#include "errors.h"

#include <xapian.h>

#include "rights/search.h"

namespace searchd {

namespace {

// An index that appears, or a shard that restarts, is served within a refresh interval
// (1 s by default) without a restart of searchd: worth retrying soon, not in a busy loop.
constexpr const char* kUnavailableRetrySeconds = "5";

}  // namespace

ErrorReply describe_exception(const std::exception_ptr& error) {
  try {
    std::rethrow_exception(error);
  } catch (const rights::TooLarge& e) {  // before UserError: TooLarge and NotFound derive from it
    return {413, e.code(), e.what(), "", {}};
  } catch (const rights::NotFound& e) {
    return {404, e.code(), e.what(), "", {}};
  } catch (const rights::UserError& e) {
    return {400, e.code(), e.what(), "", {}};
  } catch (const BadToken& e) {
    return {401, "bad_token", e.what(), "", {{"WWW-Authenticate", "Bearer error=\"invalid_token\""}}};
  } catch (const MethodNotAllowed& e) {
    return {405, "method_not_allowed", e.what(), "", {{"Allow", e.allowed()}}};
  } catch (const RateLimited& e) {
    return {429, "rate_limited", e.what(), "", {{"Retry-After", std::to_string(e.retry_after().count())}}};
  } catch (const Warming& e) {
    return {503, "warming", e.what(), "", {{"Retry-After", "1"}}};
  } catch (const rights::ShardUnavailable& e) {  // before IndexUnavailable, its base
    // Names the shard(s): an operator has one xapian-tcpsrv to restart.
    return {503, "shard_unavailable", e.what(), "", {{"Retry-After", kUnavailableRetrySeconds}}};
  } catch (const rights::IndexUnavailable& e) {
    // The reason (missing, corrupt, wrong schema) names the index's path, which is the
    // deployment's business, not that of whoever can reach the unauthenticated endpoints:
    // the operator finds it in the server log: said at start and by the warmer when the
    // index will not open, and by the search that found it unreadable (IndexFailures).
    return {503, "index_unavailable",
            "no usable index is being served; the server log says why",
            std::string("index unavailable: ") + e.what(),
            {{"Retry-After", kUnavailableRetrySeconds}},
            /*log_per_request=*/false};
  } catch (const Xapian::Error& e) {  // not a std::exception
    return {500, "internal", "internal error", "Xapian: " + e.get_description(), {}};
  } catch (const std::exception& e) {
    return {500, "internal", "internal error", e.what(), {}};
  } catch (...) {
    return {500, "internal", "internal error", "unknown exception", {}};
  }
}

}  // namespace searchd
