// The HTTP server of searchd: routes, CORS, limits, static files and error mapping around
// the core search API. Handlers only parse parameters, call rights::Searcher and serialise.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "access_token.h"
#include "index_failures.h"
#include "metrics.h"
#include "rate_limiter.h"
#include "request_log.h"
#include "rights/authority.h"
#include "searcher_pool.h"

namespace searchd {

struct ServerLimits {
  std::chrono::seconds read_timeout{5};
  std::chrono::seconds write_timeout{5};
  /// Short, because every open keep-alive connection holds a worker thread while it idles.
  std::chrono::seconds keep_alive_timeout{2};
  std::size_t keep_alive_max_count = 100;  ///< requests per connection before it is closed
  std::size_t payload_max_length = 64 * 1024;  ///< request bodies (the API takes none)
};

/// max(16, 4 x cores). httplib gives each connection a worker for as long as it is kept
/// alive, and one browser opens six; Searchers are opened per concurrent request, so an
/// idle worker costs only its stack.
unsigned default_worker_threads();

struct ServerConfig {
  std::string index_path;                            ///< INDEX_PATH (usually the indexer's symlink)
  std::vector<rights::RemoteShard> remote_shards;    ///< xapian-tcpsrv shards; used instead of index_path when set
  std::shared_ptr<const rights::Authority> authority;  ///< null: an empty authority
  unsigned threads = default_worker_threads();       ///< worker threads (and at most as many Searchers)
  std::vector<std::string> cors_origins;             ///< exact origins given CORS headers; "*": any
  std::string web_root;                              ///< served at "/" when not empty
  bool log_queries = false;                          ///< include query strings in the log
  std::ostream* log = &std::cerr;                    ///< access and error log; null: none
  /// `Authorization: Bearer <token>` unlocks restricted documents; none: nobody can.
  std::optional<std::string> api_token;
  /// Requests per second each client (IP address, IPv6 /64) may send to /api/*, in bursts
  /// of up to twice that; 0: no limit.
  unsigned rate_limit = 50;
  /// Memory for the counts (total, facets) of recent queries; 0: every query is counted.
  std::size_t count_cache_mb = rights::MatchCountCache::kDefaultBytes >> 20;
  ServerLimits limits;
  /// How often searchers (and the thread that loads facet columns) look for a new index
  /// generation, or retry an index that could not be opened.
  std::chrono::milliseconds refresh_interval{1000};
};

class SearchServer {
 public:
  /// Registers routes and hooks; opens nothing yet (searchers are opened on first use).
  /// Throws std::invalid_argument if web_root is given but is not a directory.
  explicit SearchServer(ServerConfig config);
  SearchServer(const SearchServer&) = delete;
  SearchServer& operator=(const SearchServer&) = delete;

  /// Binds host:port; false if the address is taken or invalid.
  bool bind(const std::string& host, int port);
  /// Binds host on a free port and returns it, or -1.
  int bind_to_any_port(const std::string& host);
  /// Serves until stop(); call after a successful bind. Returns false on a socket error.
  bool listen();
  /// Stops listen() from any thread (also if it has not started yet); idempotent.
  void stop();
  bool is_running() const { return http_.is_running(); }

  /// Tries to open the index now; returns "" if it can be served, else the reason.
  std::string check_index();

 private:
  using Handler = void (SearchServer::*)(const httplib::Request&, httplib::Response&);
  struct Route {
    const char* method;
    const char* pattern;  ///< httplib regex on the decoded path
    const char* name;     ///< metrics label
    Handler handler;
  };

  static const std::vector<Route>& route_table();
  /// The methods `path` answers (the Allow header), empty for a path no route serves.
  static std::vector<std::string> allowed_methods(const std::string& path);
  void register_routes();
  void install_hooks();
  httplib::Server::Handler instrument(const Route& route);
  httplib::Server::HandlerResponse answer_protocol_error(const httplib::Request& request,
                                                         httplib::Response& response);
  void send_error(const httplib::Request& request, httplib::Response& response,
                  const std::exception_ptr& error);

  void handle_search(const httplib::Request& request, httplib::Response& response);
  void handle_document(const httplib::Request& request, httplib::Response& response);
  void handle_suggest(const httplib::Request& request, httplib::Response& response);
  void handle_facet_values(const httplib::Request& request, httplib::Response& response);
  void handle_stats(const httplib::Request& request, httplib::Response& response);
  void handle_health(const httplib::Request& request, httplib::Response& response);
  void handle_ready(const httplib::Request& request, httplib::Response& response);
  void handle_metrics(const httplib::Request& request, httplib::Response& response);
  void handle_preflight(const httplib::Request& request, httplib::Response& response);

  /// `read(searcher)` on a leased searcher, returning what it returns. An IndexUnavailable
  /// from `read` (the generation opened, but a table is unreadable) is recorded in
  /// index_failures_ (for /readyz) and logged, once a minute per reason; failing to open
  /// is said by the warmer.
  template <typename Read>
  auto read_index(const httplib::Request& request, Read read);

  bool is_allowed_origin(const httplib::Request& request) const;
  /// Makes httplib answer whole, whatever Range the request asks for.
  static void ignore_ranges(const httplib::Request& request);
  /// Replaces httplib's params with parse_query_string of the target's query string.
  static void read_query_string(const httplib::Request& request);
  /// Vary: Origin whenever CORS is configured; Allow-Origin and Expose-Headers for allowed origins.
  void add_cors_headers(const httplib::Request& request, httplib::Response& response) const;
  /// Refuses (405, with Allow) a method the path does not answer; true if it answered.
  bool refuse_method(const httplib::Request& request, httplib::Response& response);
  /// Refuses (400 bad_encoding) an address with a broken %-escape; true if it answered.
  bool refuse_bad_address(const httplib::Request& request, httplib::Response& response);
  /// Whether the request may see restricted documents: false without an Authorization
  /// header, true with the right token; throws BadToken for any other Authorization.
  bool may_see_restricted(const httplib::Request& request, httplib::Response& response) const;
  /// Refuses (429) an /api/ request over its client's budget; true if it answered.
  bool refuse_if_over_rate(const httplib::Request& request, httplib::Response& response);
  /// Refuses (413 beyond the payload limit, else 400) a GET/HEAD/OPTIONS that declares a
  /// body, with "Connection: close"; true if it answered.
  bool refuse_unexpected_body(const httplib::Request& request, httplib::Response& response);

  const ServerConfig config_;
  const AccessToken token_;
  std::optional<RateLimiter> rate_limiter_;  // absent when rate_limit is 0
  RequestLog log_;
  SearcherPool searchers_;
  IndexFailures index_failures_;
  Metrics metrics_;
  httplib::Server http_;
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> in_listen_{false};
};

}  // namespace searchd
