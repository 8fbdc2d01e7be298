// What one client can cost the server: slow and idle connections are closed, oversized
// requests are refused with a status (never a crash), static files stay inside the web
// root, each address has a request budget, and the log keeps search terms out.
#include <catch2/catch.hpp>

#include <chrono>
#include <sstream>

#include "e2e_fixture.h"
#include "temp_dir.h"

using rights::e2e::check_error;
using rights::e2e::get_json;
using rights::e2e::RawConnection;
using rights::e2e::RunningServer;
using rights::e2e::with_query;

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

TEST_CASE("defaults: many workers, short keep-alive, bounded timeouts and bodies", "[http][e2e][limits]") {
  CHECK(searchd::default_worker_threads() >= 16);
  CHECK(searchd::default_worker_threads() >= 4 * std::thread::hardware_concurrency());
  const searchd::ServerConfig config;
  CHECK(config.threads == searchd::default_worker_threads());
  CHECK(config.limits.keep_alive_timeout == std::chrono::seconds(2));
  CHECK(config.limits.keep_alive_max_count == 100);
  CHECK(config.limits.read_timeout == std::chrono::seconds(5));
  CHECK(config.limits.write_timeout == std::chrono::seconds(5));
  CHECK(config.limits.payload_max_length == 64 * 1024);
  CHECK(config.rate_limit == 50);
  CHECK_FALSE(config.log_queries);
}

TEST_CASE("a client that sends half a request line is cut off: others are served meanwhile",
          "[http][e2e][limits][slow]") {
  auto config = rights::e2e::corpus_server_config();
  config.threads = 2;
  RunningServer server(std::move(config));

  RawConnection slow(server.port());
  slow.send_text("GET /api/sea");
  const auto started = Clock::now();

  httplib::Client client("127.0.0.1", server.port());
  int served = 0;
  while (seconds_since(started) < 1.0) {
    const auto reply = client.Get("/api/search?q=impunity");
    if (reply && reply->status == 200) ++served;
  }
  CHECK(served > 0);

  std::string received;
  const bool closed = slow.read_until_closed(std::chrono::seconds(8), received);
  const double held = seconds_since(started);
  INFO("held for " << held << " s; received: " << received.substr(0, 200));
  CHECK(closed);
  CHECK(held < 6.5);
  CHECK(received.find(" 200 ") == std::string::npos);
}

TEST_CASE("an idle keep-alive connection is closed after about 2 s", "[http][e2e][limits][slow]") {
  RunningServer server(rights::e2e::corpus_server_config());
  RawConnection idle(server.port());
  idle.send_text("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
  const auto started = Clock::now();
  std::string received;
  CHECK(idle.read_until_closed(std::chrono::seconds(6), received));
  CHECK(received.rfind("HTTP/1.1 200", 0) == 0);
  CHECK(received.find("Keep-Alive: timeout=2, max=100") != std::string::npos);
  const double held = seconds_since(started);
  CHECK(held > 1.5);
  CHECK(held < 4.0);
}

TEST_CASE("oversized requests are refused with a status and the server carries on", "[http][e2e][limits]") {
  RunningServer server(rights::e2e::corpus_server_config());
  httplib::Client client("127.0.0.1", server.port());

  check_error(get_json(client, with_query("/api/search", {{"q", std::string(2049, 'a')}})), 413, "query_too_long");
  check_error(get_json(client, "/api/search?q=a&per_page=101"), 400, "bad_per_page");

  const std::string long_uri = "/api/search?q=" + std::string(9000, 'a');
  const auto uri = get_json(client, long_uri);
  check_error(uri, 414, "uri_too_long");

  SECTION("a GET with a body over the 64 KB payload limit: 413") {
    RawConnection connection(server.port());
    connection.send_text("GET /api/search?q=impunity HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n\r\n" +
                         std::string(100000, 'x'));
    std::string received;
    connection.read_until_closed(std::chrono::seconds(3), received);
    CHECK(received.rfind("HTTP/1.1 413", 0) == 0);
    CHECK(received.find("\"code\":\"payload_too_large\"") != std::string::npos);
  }
  SECTION("a GET with a small body: 400, the body is never run as a request") {
    RawConnection connection(server.port());
    connection.send_text("GET /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: 4\r\n\r\nabcd");
    std::string received;
    connection.read_until_closed(std::chrono::seconds(3), received);
    CHECK(received.rfind("HTTP/1.1 400", 0) == 0);
    CHECK(received.find("\"code\":\"unexpected_body\"") != std::string::npos);
  }
  SECTION("a GET with a small chunked body: 413, saying it is refused unread") {
    // Its size is unknown until read, and httplib 0.11 reads no GET body: the message must
    // say why a 1000-byte body is "too large".
    RawConnection connection(server.port());
    connection.send_text("GET /api/search?q=police HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                         "3e8\r\n" + std::string(1000, 'x') + "\r\n0\r\n\r\n");
    std::string received;
    connection.read_until_closed(std::chrono::seconds(3), received);
    CHECK(received.rfind("HTTP/1.1 413", 0) == 0);
    CHECK(received.find("\"code\":\"payload_too_large\"") != std::string::npos);
    CHECK(received.find("a chunked body is refused unread, whatever its size") != std::string::npos);
  }
  SECTION("a 20 KB header: 4xx, no crash") {
    const auto reply = client.Get("/api/search?q=impunity", {{"X-Padding", std::string(20 * 1024, 'p')}});
    REQUIRE(reply);
    CHECK(reply->status >= 400);
    CHECK(reply->status < 500);
  }
  // Still serving.
  CHECK(get_json(client, "/api/search?q=impunity").status == 200);
}

TEST_CASE("no path traversal and no directory listing under the web root", "[http][e2e][limits]") {
  const rights::testing::TempDir directory("rights-e2e-webroot");
  directory.write("CMakeLists.txt", "project(outside-the-web-root)");
  directory.write("README.md", "outside the web root");
  directory.write("web/index.html", "<!doctype html><title>search page</title>");
  directory.write("web/assets/logo.txt", "logo");  // a subdirectory without index.html
  auto config = rights::e2e::corpus_server_config();
  config.web_root = (directory.path() / "web").string();
  RunningServer server(std::move(config));

  for (const char* target : {"/../CMakeLists.txt", "/%2e%2e/%2e%2e/etc/passwd", "/..%2fREADME.md",
                             "/assets/../../README.md", "/%2e%2e%2fCMakeLists.txt", "/assets/%2e%2e/%2e%2e/README.md"}) {
    INFO(target);
    RawConnection connection(server.port());
    connection.send_text(std::string("GET ") + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    std::string received;
    CHECK(connection.read_until_closed(std::chrono::seconds(3), received));
    CHECK(received.rfind("HTTP/1.1 404", 0) == 0);
    CHECK(received.find("outside") == std::string::npos);
    CHECK(received.find("root:") == std::string::npos);
  }

  httplib::Client client("127.0.0.1", server.port());
  const auto root = client.Get("/");
  REQUIRE(root);
  CHECK(root->status == 200);
  CHECK(root->body.find("search page") != std::string::npos);
  for (const char* target : {"/tests/", "/assets/", "/assets"}) {
    INFO(target);
    const auto reply = client.Get(target);
    REQUIRE(reply);
    CHECK(reply->status == 404);
    CHECK(reply->body.find("logo.txt") == std::string::npos);  // not listed
  }
  CHECK(client.Get("/assets/logo.txt")->status == 200);
}

TEST_CASE("a client over its rate limit gets 429 with Retry-After: other paths are not limited",
          "[http][e2e][limits]") {
  auto config = rights::e2e::corpus_server_config();
  config.rate_limit = 5;  // bursts of 10
  RunningServer server(std::move(config));
  httplib::Client client("127.0.0.1", server.port());

  int ok = 0, limited = 0;
  for (int i = 0; i < 30; ++i) {
    const auto reply = get_json(client, "/api/stats");
    if (reply.status == 200) {
      ++ok;
    } else {
      ++limited;
      check_error(reply, 429, "rate_limited");
      const auto retry_after = reply.headers.find("Retry-After");
      REQUIRE(retry_after != reply.headers.end());
      CHECK(std::stoi(retry_after->second) >= 1);
    }
  }
  INFO(ok << " answered, " << limited << " limited");
  CHECK(ok >= 10);
  CHECK(ok < 20);
  CHECK(limited > 0);
  CHECK(get_json(client, "/healthz").status == 200);  // health checks are never limited
  const auto metrics = client.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->body.find("searchd_errors_total{code=\"rate_limited\"}") != std::string::npos);
}

TEST_CASE("search terms stay out of the log unless log_queries is on", "[http][e2e][limits]") {
  const std::string secret_word = "zyxloggedword";
  const auto run_and_log = [&](bool log_queries) {
    std::ostringstream log;
    {
      auto config = rights::e2e::corpus_server_config();
      config.log = &log;
      config.log_queries = log_queries;
      RunningServer server(std::move(config));
      httplib::Client client("127.0.0.1", server.port());
      CHECK(get_json(client, with_query("/api/search", {{"q", secret_word}})).status == 200);
      CHECK(get_json(client, with_query("/api/suggest", {{"q", secret_word}})).status == 200);
      CHECK(get_json(client, with_query("/api/search", {{"q", secret_word + "\""}})).status == 400);
      // A decoded %0A in the path must not start a forged line of its own.
      CHECK(get_json(client, "/api/doc/x%0Asearchd:%20forged%20line").status == 404);
    }  // the server has stopped: every line is written
    return log.str();
  };
  const std::string quiet = run_and_log(false);
  INFO(quiet);
  CHECK(quiet.find("GET /api/search 200") != std::string::npos);
  CHECK(quiet.find("GET /api/search 400") != std::string::npos);
  CHECK(quiet.find(secret_word) == std::string::npos);
  CHECK(quiet.find("127.0.0.1") == std::string::npos);  // no client addresses either
  CHECK(quiet.find("\nsearchd: forged line") == std::string::npos);
  CHECK(quiet.find("GET /api/doc/x\\x0asearchd: forged line 404") != std::string::npos);

  const std::string verbose = run_and_log(true);
  INFO(verbose);
  CHECK(verbose.find("GET /api/search?q=" + secret_word + " 200") != std::string::npos);
}
