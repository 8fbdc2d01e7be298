#include "server.h"

#include <algorithm>
#include <regex>
#include <stdexcept>
#include <thread>

#include "compression.h"
#include "errors.h"
#include "export_formats.h"
#include "http_params.h"
#include "json_codec.h"

namespace searchd {

namespace {

using httplib::Request;
using httplib::Response;
using HandlerResponse = httplib::Server::HandlerResponse;

// No charset parameter: JSON is always UTF-8 (RFC 8259), and httplib compresses only the
// exact type "application/json".
constexpr const char* kJsonType = "application/json";
constexpr const char* kPrometheusType = "text/plain; version=0.0.4; charset=utf-8";
constexpr const char* kCsvType = "text/csv; charset=utf-8";
constexpr const char* kRisType = "application/x-research-info-systems; charset=utf-8";

constexpr int kDefaultSuggestLimit = 10;
constexpr int kDefaultFacetLimit = 20;

ServerConfig with_defaults(ServerConfig config) {
  if (!config.authority) config.authority = std::make_shared<const rights::Authority>();
  if (config.threads == 0) throw std::invalid_argument("ServerConfig::threads must be at least 1");
  return config;
}

void send_json(Response& response, int status, const std::string& body) {
  response.status = status;
  response.set_content(body, kJsonType);
}

// An export: saved as `filename` by the browser instead of shown.
void send_download(Response& response, const std::string& body, const char* content_type,
                   const char* filename) {
  response.status = 200;
  response.set_header("Content-Disposition", std::string("attachment; filename=\"") + filename + '"');
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_content(body, content_type);
}

// The token as AccessToken wants it: invalid configurations throw std::invalid_argument.
AccessToken make_token(const std::optional<std::string>& configured) {
  return configured ? AccessToken(*configured) : AccessToken();
}

bool is_api_path(const std::string& path) { return path.rfind("/api/", 0) == 0; }

bool is_read_method(const std::string& method) {
  return method == "GET" || method == "HEAD" || method == "OPTIONS";
}

// Whether the request says a body follows. Without Content-Length or Transfer-Encoding a
// request has none (RFC 9112, 6.3), so nothing is left unread if it is answered at once.
bool declares_body(const Request& request) {
  const std::string length = request.get_header_value("Content-Length");
  return request.has_header("Transfer-Encoding") || !(length.empty() || length == "0");
}

std::string join_methods(const std::vector<std::string>& methods) {
  std::string joined;
  for (const auto& method : methods) joined += (joined.empty() ? "" : ", ") + method;
  return joined;
}

// Adds `token` to the response's Vary header (one header, tokens comma-separated).
void add_vary(Response& response, const std::string& token) {
  const auto found = response.headers.find("Vary");
  if (found == response.headers.end()) {
    response.set_header("Vary", token);
  } else if (found->second.find(token) == std::string::npos) {
    found->second += ", " + token;
  }
}

struct ProtocolError {
  const char* code;
  const char* message;
};

// An error httplib answered by itself, before any of our handlers ran.
ProtocolError describe_protocol_error(int status) {
  switch (status) {
    case 404: return {"not_found", "no such endpoint"};
    case 413: return {"payload_too_large", "request body too large"};
    case 414: return {"uri_too_long", "request URI too long"};
    case 416: return {"bad_range", "range not satisfiable"};
    default: return {"bad_request", "malformed HTTP request"};
  }
}

}  // namespace

unsigned default_worker_threads() { return std::max(16U, 4 * std::thread::hardware_concurrency()); }

SearchServer::SearchServer(ServerConfig config)
    : config_(with_defaults(std::move(config))),
      token_(make_token(config_.api_token)),
      log_(config_.log, config_.log_queries),
      searchers_(rights::IndexLocation{config_.index_path, config_.remote_shards}, config_.authority,
                 config_.refresh_interval, config_.count_cache_mb << 20) {
  if (config_.rate_limit > 0) {
    const double rate = config_.rate_limit;
    rate_limiter_.emplace(rate, 2 * rate);
  }
  const unsigned threads = config_.threads;
  http_.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  const ServerLimits& limits = config_.limits;
  http_.set_read_timeout(limits.read_timeout);
  http_.set_write_timeout(limits.write_timeout);
  http_.set_keep_alive_timeout(limits.keep_alive_timeout.count());
  http_.set_keep_alive_max_count(limits.keep_alive_max_count);
  // httplib's default is SO_REUSEPORT, which lets a second searchd bind the same port and
  // take half the requests, perhaps from another index. SO_REUSEADDR alone still allows a
  // restart while old connections linger in TIME_WAIT, and makes a port in use an error.
  http_.set_socket_options([](socket_t sock) {
    int yes = 1;
    setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  http_.set_payload_max_length(limits.payload_max_length);
  // httplib writes headers and body separately; with Nagle's algorithm the body then waits
  // for the client's delayed ACK, ~40 ms on every keep-alive response (wrk measured 43 ms
  // for /healthz, 0.3 ms without).
  http_.set_tcp_nodelay(true);
  // httplib serves mount points before routes, without directory listings, refuses paths
  // with ".." above the root, and maps "/" (and any "dir/") to index.html.
  if (!config_.web_root.empty() && !http_.set_mount_point("/", config_.web_root)) {
    throw std::invalid_argument("web root \"" + config_.web_root + "\" is not a directory");
  }
  install_hooks();
  register_routes();
}

const std::vector<SearchServer::Route>& SearchServer::route_table() {
  // clang-format off
  static const std::vector<Route> routes{
    // method     pattern (regex on the path)  metrics name           handler
    {"GET",     "/api/search",               "/api/search",         &SearchServer::handle_search},
    {"GET",     "/api/doc/(.+)",             "/api/doc/{id}",       &SearchServer::handle_document},
    {"GET",     "/api/suggest",              "/api/suggest",        &SearchServer::handle_suggest},
    {"GET",     "/api/facets/([^/]+)",       "/api/facets/{name}",  &SearchServer::handle_facet_values},
    {"GET",     "/api/stats",                "/api/stats",          &SearchServer::handle_stats},
    {"GET",     "/healthz",                  "/healthz",            &SearchServer::handle_health},
    {"GET",     "/readyz",                   "/readyz",             &SearchServer::handle_ready},
    {"GET",     "/metrics",                  "/metrics",            &SearchServer::handle_metrics},
    {"OPTIONS", "/api/.*",                   "preflight",           &SearchServer::handle_preflight},
  };
  // clang-format on
  return routes;
}

std::vector<std::string> SearchServer::allowed_methods(const std::string& path) {
  // Every /api/ path: the read-only API answers a write with 405, even to a path it lacks.
  if (is_api_path(path)) return {"GET", "HEAD", "OPTIONS"};
  // Asked for every request without a body: the GET routes' patterns are compiled once
  // (immutable after, so shared by the worker threads).
  static const std::vector<std::regex> get_patterns = [] {
    std::vector<std::regex> patterns;
    for (const Route& route : route_table()) {
      if (std::string(route.method) == "GET") patterns.emplace_back(route.pattern);
    }
    return patterns;
  }();
  for (const auto& pattern : get_patterns) {
    if (std::regex_match(path, pattern)) return {"GET", "HEAD"};
  }
  return {};
}

void SearchServer::register_routes() {
  for (const Route& route : route_table()) {
    const std::string method = route.method;
    if (method == "GET") {
      http_.Get(route.pattern, instrument(route));
    } else if (method == "OPTIONS") {
      http_.Options(route.pattern, instrument(route));
    } else {
      throw std::logic_error("route table: unsupported method " + method);
    }
  }
}

void SearchServer::install_hooks() {
  // CORS for configured origins only; other origins get no CORS headers at all, so the
  // browser refuses to hand them the response.
  http_.set_pre_routing_handler([this](const Request& request, Response& response) {
    ignore_ranges(request);
    read_query_string(request);
    add_cors_headers(request, response);
    const bool refused = refuse_unexpected_body(request, response) ||
                         (!declares_body(request) && refuse_method(request, response)) ||
                         refuse_bad_address(request, response) ||
                         refuse_if_over_rate(request, response);
    return refused ? HandlerResponse::Handled : HandlerResponse::Unhandled;
  });
  // Runs on every response, just before httplib writes it.
  http_.set_post_routing_handler([](const Request& request, Response& response) {
    // httplib gives a static file 206 whenever the request has a Range header, also when
    // it sends the whole file, as it does once ranges are ignored (ignore_ranges).
    if (response.status == 206) response.status = 200;
    compress_other_text(request, response);
    // A cache must not hand a gzipped answer to a client that cannot read it, nor the
    // other way round.
    if (is_compressible(response)) add_vary(response, "Accept-Encoding");
  });
  // Routes catch their own exceptions (see instrument()); this is the safety net for
  // anything thrown outside them, so no exception ever becomes httplib's bare 500.
  http_.set_exception_handler([this](const Request& request, Response& response, std::exception_ptr error) {
    send_error(request, response, error);
  });
  // httplib calls this for every status >= 400 (wrapped explicitly: a lambda also converts
  // to the overload taking a void handler).
  http_.set_error_handler(httplib::Server::HandlerWithResponse(
      [this](const Request& request, Response& response) { return answer_protocol_error(request, response); }));
  http_.set_file_request_handler([this](const Request&, Response& response) {
    if (response.status == 206) response.status = 200;  // as in the post-routing handler
    metrics_.record_request("static", response.status, std::nullopt);
  });
  http_.set_logger([this](const Request& request, const Response& response) { log_.access(request, response); });
}

void SearchServer::ignore_ranges(const Request& request) {
  // Every answer is made per request (took_ms, counts, the index generation), so a byte
  // range of one is no part of the next: RFC 9110 (14.2) lets a server ignore Range, and
  // httplib 0.11 would slice any answer, errors included, under status 200, answer 416
  // with an empty body, or send multipart. Static files lose ranges too: they are the
  // page's small scripts and styles, and one rule for every path is simplest to get right.
  // httplib hands hooks a const Request, but it is the request's own object, made
  // non-const per request in httplib's process_request, and read for ranges only after
  // routing.
  const_cast<Request&>(request).ranges.clear();
}

void SearchServer::read_query_string(const Request& request) {
  // httplib 0.11 splits each name=value pair at every '=' and keeps the text after the last
  // one: "q=impunity=declaration" searched "declaration", "page=5=1" was page 1. Every
  // endpoint (and the request log) reads request.params, so they are replaced here, once,
  // by the pairs split at their first '=' (parse_query_string), as forms encode them. The
  // const_cast is ignore_ranges's: the request is httplib's own, non-const per request.
  const std::size_t question = request.target.find('?');
  const_cast<Request&>(request).params =
      question == std::string::npos ? QueryParams() : parse_query_string(std::string_view(request.target).substr(question + 1));
}

void SearchServer::add_cors_headers(const Request& request, Response& response) const {
  if (config_.cors_origins.empty()) return;
  // Whether CORS headers are sent depends on Origin, so every answer varies on it, also
  // one without them: else a shared cache could hand an allowed site the answer made for
  // another origin (or none), without the headers its browser needs.
  add_vary(response, "Origin");
  if (!is_allowed_origin(request)) return;
  response.set_header("Access-Control-Allow-Origin", request.get_header_value("Origin"));
  // Scripts of another origin may read only "safelisted" headers unless told: a page needs
  // Retry-After to back off after 429 or 503, and an export's file name.
  response.set_header("Access-Control-Expose-Headers", "Retry-After, Content-Disposition");
}

bool SearchServer::refuse_method(const Request& request, Response& response) {
  const std::vector<std::string> allowed = allowed_methods(request.path);
  if (allowed.empty() || std::find(allowed.begin(), allowed.end(), request.method) != allowed.end()) return false;
  metrics_.record_request("unmatched", 405, std::nullopt);
  const std::string methods = join_methods(allowed);
  send_error(request, response,
             std::make_exception_ptr(MethodNotAllowed(
                 request.method + " is not allowed here; this endpoint answers " + methods, methods)));
  return true;
}

bool SearchServer::refuse_bad_address(const Request& request, Response& response) {
  try {
    check_percent_encoding(request.target);
    return false;
  } catch (const rights::UserError&) {
    metrics_.record_request("unmatched", 400, std::nullopt);
    send_error(request, response, std::current_exception());
    return true;
  }
}

bool SearchServer::refuse_if_over_rate(const Request& request, Response& response) {
  if (!rate_limiter_ || !is_api_path(request.path)) return false;
  const RateLimiter::Decision decision = rate_limiter_->admit(RateLimiter::client_key(request.remote_addr));
  if (decision.allowed) return false;
  metrics_.record_request("rate_limited", 429, std::nullopt);
  send_error(request, response,
             std::make_exception_ptr(RateLimited(
                 "too many requests from your address; retry in " +
                     std::to_string(decision.retry_after.count()) + " s",
                 decision.retry_after)));
  return true;
}

bool SearchServer::refuse_unexpected_body(const Request& request, Response& response) {
  // httplib 0.11 reads the body of POST/PUT/PATCH/DELETE only (bounded by the payload
  // limit). A body declared on a GET stays unread and its bytes would be parsed as the next
  // request on the connection (request smuggling behind a proxy), so such requests are
  // refused. "Connection: close" tells the client to hang up: httplib 0.11 cannot close
  // the socket from a handler, so bytes still in the socket are parsed as further requests
  // (each passing the same checks, rate limit and token included).
  if (!is_read_method(request.method) || !declares_body(request)) return false;
  const bool chunked = request.has_header("Transfer-Encoding");
  const std::string length_text = request.get_header_value("Content-Length");
  std::uint64_t length = 0;
  const bool numeric = !length_text.empty() && length_text.size() <= 19 &&
                       std::all_of(length_text.begin(), length_text.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (numeric) length = std::stoull(length_text);
  response.set_header("Connection", "close");
  if (chunked || !numeric || length > config_.limits.payload_max_length) {
    // A chunked body's size is known only by reading it, and httplib 0.11 lets no hook
    // read the body of a GET: any chunked body gets 413, however small.
    send_error(request, response,
               std::make_exception_ptr(rights::TooLarge(
                   "payload_too_large", "request bodies are limited to " +
                                            std::to_string(config_.limits.payload_max_length) +
                                            " bytes, and " + request.method + " requests take none" +
                                            (chunked ? " (a chunked body is refused unread, whatever its size)" : ""))));
  } else {
    send_error(request, response,
               std::make_exception_ptr(rights::UserError("unexpected_body", request.method + " requests take no body")));
  }
  metrics_.record_request("unmatched", response.status, std::nullopt);
  return true;
}

bool SearchServer::may_see_restricted(const Request& request, Response& response) const {
  const bool has_header = request.has_header("Authorization");
  switch (check_authorization(token_, has_header, has_header ? request.get_header_value("Authorization") : "")) {
    case Credentials::None:
      return false;
    case Credentials::Valid:
      // Restricted content must never be kept by a shared cache and served to others.
      response.set_header("Cache-Control", "private, no-store");
      return true;
    case Credentials::Invalid:
      break;
  }
  throw BadToken(token_.configured() ? "the Authorization header does not hold a valid API token "
                                       "(expected \"Bearer <token>\")"
                                     : "this server has no API token configured; send no Authorization header");
}

httplib::Server::HandlerResponse SearchServer::answer_protocol_error(const Request& request,
                                                                    Response& response) {
  // Our handlers' errors already carry a JSON body. An empty body means httplib answered by
  // itself, before any route ran: unknown path or method, malformed request, URI too long.
  if (!response.body.empty()) return HandlerResponse::Unhandled;
  // A request with a body and a method no route takes: httplib read the body, then found
  // no route (a request without a body was refused before routing).
  if (response.status == 404 && refuse_method(request, response)) return HandlerResponse::Handled;
  metrics_.record_request("unmatched", response.status, std::nullopt);
  const ProtocolError error = describe_protocol_error(response.status);
  // An unparsable request line leaves the path empty: answer as the API would.
  if (request.path.empty() || !allowed_methods(request.path).empty()) {
    metrics_.record_error(error.code);
    const std::string message =
        response.status == 404 ? std::string(error.message) + ": " + request.path : error.message;
    send_json(response, response.status, error_to_json(error.code, message));
  } else {
    response.set_content(std::string(error.message) + "\n", "text/plain; charset=utf-8");
  }
  return HandlerResponse::Handled;
}

httplib::Server::Handler SearchServer::instrument(const Route& route) {
  return [this, route](const Request& request, Response& response) {
    const auto started = std::chrono::steady_clock::now();
    try {
      (this->*route.handler)(request, response);
    } catch (...) {
      send_error(request, response, std::current_exception());
    }
    const std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
    metrics_.record_request(route.name, response.status, elapsed.count());
  };
}

void SearchServer::send_error(const Request& request, Response& response, const std::exception_ptr& error) {
  const ErrorReply reply = describe_exception(error);
  if (!reply.log_detail.empty() && reply.log_per_request) log_.internal_error(request, reply.log_detail);
  metrics_.record_error(reply.code);
  for (const auto& [name, value] : reply.headers) response.set_header(name, value);
  send_json(response, reply.status, error_to_json(reply.code, reply.message));
}

bool SearchServer::is_allowed_origin(const Request& request) const {
  if (!request.has_header("Origin")) return false;
  const std::string origin = request.get_header_value("Origin");
  for (const auto& allowed : config_.cors_origins) {
    if (allowed == "*" || origin == allowed) return true;
  }
  return false;
}

template <typename Read>
auto SearchServer::read_index(const Request& request, Read read) {
  auto searcher = searchers_.lease();  // failing to open: the warmer says why, once per streak
  try {
    auto result = read(*searcher);
    index_failures_.record_success();
    return result;
  } catch (const rights::ShardUnavailable&) {
    throw;  // the searcher answers 503 on its own (also /healthz, /readyz) until the shard is back
  } catch (const rights::IndexUnavailable& e) {
    const std::string& generation = searcher->generation_name();
    if (index_failures_.record_failure(generation, e.what())) {
      log_.request_failed(request, "index unavailable",
                          std::string(e.what()) + " (generation " + generation +
                              "; /readyz answers 503 meanwhile; repeated once a minute at most)");
    }
    throw;
  }
}

// ---- handlers: parse parameters -> call the core -> serialise ----

void SearchServer::handle_search(const Request& request, Response& response) {
  SearchParams params = parse_search_params(request.params);
  params.request.include_restricted = may_see_restricted(request, response);
  const rights::SearchResponse result =
      read_index(request, [&](rights::Searcher& searcher) { return searcher.search(params.request); });
  switch (params.format) {
    case ResponseFormat::Json:
      send_json(response, 200, search_to_json(result, params.request));
      return;
    case ResponseFormat::JsonFile:
      send_download(response, search_to_json(result, params.request), kJsonType, "search.json");
      return;
    case ResponseFormat::Csv:
      send_download(response, search_to_csv(result), kCsvType, "search.csv");
      return;
    case ResponseFormat::Ris:
      send_download(response, search_to_ris(result, *result.authority), kRisType, "search.ris");
      return;
  }
}

void SearchServer::handle_document(const Request& request, Response& response) {
  const std::string id = request.matches[1];  // httplib has already URL-decoded the path
  check_path_value(id, "the document id");
  const DocumentParams params = parse_document_params(request.params);
  const bool restricted = may_see_restricted(request, response);
  const rights::DocumentResponse document = read_index(
      request, [&](rights::Searcher& searcher) { return searcher.document(id, params.query, restricted); });
  send_json(response, 200, document_to_json(document, !params.query.empty(), *document.authority));
}

void SearchServer::handle_suggest(const Request& request, Response& response) {
  const LookupParams params = parse_lookup_params(request.params, kDefaultSuggestLimit, rights::Searcher::kMaxSuggestLimit);
  const bool restricted = may_see_restricted(request, response);
  const auto suggestions = read_index(
      request, [&](rights::Searcher& searcher) { return searcher.suggest(params.query, params.limit, restricted); });
  send_json(response, 200, suggestions_to_json(suggestions));
}

void SearchServer::handle_facet_values(const Request& request, Response& response) {
  const std::string name = request.matches[1];  // the core rejects unknown facets (unknown_facet)
  check_path_value(name, "the facet name");
  const LookupParams params = parse_lookup_params(request.params, kDefaultFacetLimit, rights::Searcher::kMaxFacetValuesLimit);
  const bool restricted = may_see_restricted(request, response);
  const auto values = read_index(request, [&](rights::Searcher& searcher) {
    return searcher.facet_values(name, params.query, params.limit, restricted);
  });
  send_json(response, 200, facet_values_to_json(name, values));
}

void SearchServer::handle_stats(const Request& request, Response& response) {
  check_no_params(request.params);
  const bool restricted = may_see_restricted(request, response);
  const auto stats = read_index(request, [&](rights::Searcher& searcher) { return searcher.stats(restricted); });
  send_json(response, 200, stats_to_json(stats));
}

void SearchServer::handle_health(const Request&, Response& response) {
  // Leasing opens (or refreshes) the index, so 200 means searches can be answered now;
  // a missing or broken index throws IndexUnavailable -> 503 with the reason.
  auto searcher = searchers_.lease();
  send_json(response, 200, health_to_json(searcher->generation_name(), searcher->facet_counting()));
}

void SearchServer::handle_ready(const Request&, Response& response) {
  // Ready = answering at full speed. Until the warmer has loaded the facet columns of the
  // generation served (after a start, or a replica updated in place) searches are right
  // but a broad one is ~10x slower (2 s at 1M documents): 503, so that a load balancer
  // sends requests to a warm replica meanwhile. A new generation behind the symlink does
  // not make searchd unready: requests stay on the warm one until the new one is warm.
  auto searcher = searchers_.lease();
  // Opening reads little of a generation: one whose tables fail searches is known only
  // from the searches (index_failures_).
  if (const auto reason = index_failures_.failing(searcher->generation_name())) {
    throw rights::IndexUnavailable("searches fail reading " + searcher->generation_name() + ": " + *reason);
  }
  // This searcher serves, but a new one cannot open what INDEX_PATH holds now: requests
  // that need a new searcher get 503 (searcher_pool.cpp), so the load balancer should
  // look elsewhere.
  if (const auto reason = searchers_.open_failure(searcher->generation())) throw rights::IndexUnavailable(*reason);
  const auto counting = searcher->facet_counting();
  if (counting == rights::Searcher::FacetCounting::columns_loading) {
    throw Warming("loading the facet columns of " + searcher->generation_name() + "; searches are answered meanwhile, more slowly");
  }
  send_json(response, 200, health_to_json(searcher->generation_name(), counting));
}

void SearchServer::handle_metrics(const Request&, Response& response) {
  try {
    auto searcher = searchers_.lease();
    // Counting documents walks the facets too; do it once per generation, not per scrape.
    // Public documents only: /metrics is unauthenticated, and a count that moves when a
    // restricted document is added would tell anyone that it exists.
    if (metrics_.index_generation() != searcher->generation()) {
      metrics_.set_index_documents(searcher->generation(), searcher->stats(false).documents);
    }
  } catch (const rights::IndexUnavailable&) {
    // Metrics stay scrapable while the index is down; /healthz reports why.
  }
  response.status = 200;
  response.set_content(metrics_.render(searchers_.count_cache_stats(), searchers_.ranking_cache_stats()), kPrometheusType);
}

void SearchServer::handle_preflight(const Request& request, Response& response) {
  response.status = 204;
  if (!is_allowed_origin(request)) return;
  response.set_header("Access-Control-Allow-Methods", "GET, OPTIONS");
  response.set_header("Access-Control-Allow-Headers", "Content-Type, Authorization");
  response.set_header("Access-Control-Max-Age", "600");
}

// ---- lifecycle ----

bool SearchServer::bind(const std::string& host, int port) { return http_.bind_to_port(host, port); }

int SearchServer::bind_to_any_port(const std::string& host) { return http_.bind_to_any_port(host); }

bool SearchServer::listen() {
  in_listen_ = true;
  const bool ok = stop_requested_ ? true : http_.listen_after_bind();
  in_listen_ = false;
  return ok;
}

void SearchServer::stop() {
  if (stop_requested_.exchange(true)) return;
  // listen() may be between its look at stop_requested_ and httplib marking itself running,
  // when httplib's stop() would do nothing and listen() would never return: wait it out.
  while (in_listen_ && !http_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (http_.is_running()) http_.stop();
}

std::string SearchServer::check_index() {
  try {
    searchers_.lease();
    return "";
  } catch (const rights::IndexUnavailable& e) {
    return e.what();
  }
}

}  // namespace searchd
