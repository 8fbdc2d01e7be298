// Shared pieces of the end-to-end tests: the corpus index (built once per test binary), an
// in-process SearchServer on a free loopback port, and small HTTP/JSON helpers.
#pragma once

#include <httplib.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "server.h"

namespace rights::e2e {

/// The index of RIGHTS_CORPUS_DIR, built on first use and removed when the binary exits.
const std::filesystem::path& corpus_index();

/// The corpus authority (actors and ministries with their aliases), loaded once.
std::shared_ptr<const Authority> corpus_authority();

/// Config serving corpus_index() with the corpus authority.
searchd::ServerConfig corpus_server_config();

/// A SearchServer listening on 127.0.0.1:<free port> in a background thread; stopped and
/// joined on destruction.
class RunningServer {
 public:
  explicit RunningServer(searchd::ServerConfig config);
  ~RunningServer();
  RunningServer(const RunningServer&) = delete;
  RunningServer& operator=(const RunningServer&) = delete;

  int port() const { return port_; }

 private:
  std::unique_ptr<searchd::SearchServer> server_;
  int port_ = -1;
  std::thread thread_;
};

/// A plain TCP connection to a server, for requests no HTTP client library would send.
class RawConnection {
 public:
  explicit RawConnection(int port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  void send_text(const std::string& bytes);
  /// Reads until the server closes the connection or `limit` passes; true if it closed.
  bool read_until_closed(std::chrono::milliseconds limit, std::string& received);

 private:
  int fd_ = -1;
};

/// Sends `request` (a whole HTTP/1.1 request, which should say "Connection: close") on a
/// new connection and returns what the server answered within 3 s.
std::string raw_exchange(int port, const std::string& request);

/// Percent-encodes everything but RFC 3986 unreserved characters (also every byte >= 0x80,
/// valid UTF-8 or not).
std::string url_encode(const std::string& value);

using QueryList = std::vector<std::pair<std::string, std::string>>;

/// "path?name=value&..." with names and values encoded.
std::string with_query(const std::string& path, const QueryList& params);

struct JsonReply {
  int status = 0;
  std::string content_type;
  nlohmann::json body;
  httplib::Headers headers;
};

/// GETs `target` (path and query, already encoded). Fails the test if the server does
/// not answer or the body is not JSON.
JsonReply get_json(httplib::Client& client, const std::string& target, const httplib::Headers& headers = {});

/// The "id" of every hit of a /api/search body, in rank order.
std::vector<std::string> hit_ids(const nlohmann::json& search_body);

/// True if `ids` holds `id` among its first `top` entries.
bool ranks_within(const std::vector<std::string>& ids, const std::string& id, std::size_t top);

/// Checks that `reply` is a JSON error {"error":{"code","message"}} with this status and code.
void check_error(const JsonReply& reply, int status, const std::string& code);

}  // namespace rights::e2e
