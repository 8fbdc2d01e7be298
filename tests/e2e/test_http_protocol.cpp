// HTTP semantics around the answers, whatever the endpoint: headers, methods, ranges.
#include <catch2/catch.hpp>

#include "e2e_fixture.h"
#include "temp_dir.h"

using rights::e2e::check_error;
using rights::e2e::get_json;
using rights::e2e::raw_exchange;
using rights::e2e::RunningServer;

namespace {

// The status line of a raw HTTP answer ("HTTP/1.1 405 Method Not Allowed").
std::string status_line(const std::string& answer) { return answer.substr(0, answer.find("\r\n")); }

// Whether a raw HTTP answer carries this header line exactly (name case as searchd sends it).
bool has_header_line(const std::string& answer, const std::string& line) {
  const auto end_of_headers = answer.find("\r\n\r\n");
  return answer.substr(0, end_of_headers).find("\r\n" + line + "\r\n") != std::string::npos;
}

}  // namespace

TEST_CASE("Range headers are ignored: API answers are always whole", "[http][e2e]") {
  const rights::testing::TempDir directory("rights-e2e-range");
  directory.write("web/app.js", "console.log('a static file of some length');");
  auto config = rights::e2e::corpus_server_config();
  config.web_root = (directory.path() / "web").string();
  RunningServer server(std::move(config));
  httplib::Client client("127.0.0.1", server.port());
  const auto search = client.Get("/api/search?q=police");
  const auto csv = client.Get("/api/search?q=police&format=csv");
  REQUIRE(search);
  REQUIRE(csv);
  const auto total = nlohmann::json::parse(search->body).at("total");

  for (const char* range : {"bytes=0-20", "bytes=0-5,10-20", "bytes=99999-", "bytes=-5"}) {
    INFO("Range: " << range);
    const httplib::Headers headers{{"Range", range}};
    const auto json = client.Get("/api/search?q=police", headers);
    REQUIRE(json);
    CHECK(json->status == 200);
    CHECK_FALSE(json->has_header("Content-Range"));
    CHECK(nlohmann::json::parse(json->body).at("total") == total);

    const auto export_reply = client.Get("/api/search?q=police&format=csv", headers);
    REQUIRE(export_reply);
    CHECK(export_reply->status == 200);
    CHECK(export_reply->body == csv->body);

    for (const char* target : {"/healthz", "/metrics", "/api/stats"}) {
      INFO(target);
      const auto reply = client.Get(target, headers);
      REQUIRE(reply);
      CHECK(reply->status == 200);
      CHECK_FALSE(reply->has_header("Content-Range"));
      CHECK(reply->body.size() > 30);
    }
    const auto error = get_json(client, "/api/search?page=0", headers);
    check_error(error, 400, "bad_page");

    const auto file = client.Get("/app.js", headers);
    REQUIRE(file);
    CHECK(file->status == 200);
    CHECK(file->body == "console.log('a static file of some length');");
    const auto head = client.Head("/app.js", headers);
    REQUIRE(head);
    CHECK(head->status == 200);
  }
}

TEST_CASE("JSON is gzip-compressed for clients that accept it: compressible answers vary on it",
          "[http][e2e]") {
  RunningServer server(rights::e2e::corpus_server_config());
  httplib::Client client("127.0.0.1", server.port());
  client.set_decompress(false);
  const auto plain = client.Get("/api/search?q=the&per_page=100");
  REQUIRE(plain);
  CHECK(plain->get_header_value("Content-Type") == "application/json");
  CHECK_FALSE(plain->has_header("Content-Encoding"));
  CHECK(plain->get_header_value("Vary").find("Accept-Encoding") != std::string::npos);

  for (const char* target : {"/api/search?q=the&per_page=100", "/api/search?q=the&per_page=100&format=csv",
                             "/api/search?q=the&per_page=100&format=ris",
                             "/api/search?q=the&per_page=100&format=json", "/api/stats"}) {
    INFO(target);
    const auto gzipped = client.Get(target, {{"Accept-Encoding", "gzip"}});
    REQUIRE(gzipped);
    CHECK(gzipped->status == 200);
    CHECK(gzipped->get_header_value("Content-Encoding") == "gzip");
    CHECK(gzipped->get_header_value("Vary").find("Accept-Encoding") != std::string::npos);
  }
  const auto gzipped = client.Get("/api/search?q=the&per_page=100", {{"Accept-Encoding", "gzip"}});
  REQUIRE(gzipped);
  CHECK(gzipped->body.size() * 3 < plain->body.size());
}

TEST_CASE("the RIS export is compressed like CSV, and unpacks to the same file", "[http][e2e][export]") {
  // httplib compresses only its own list of types (text/*, JSON, XML, ...); RIS is not on it.
  RunningServer server(rights::e2e::corpus_server_config());
  httplib::Client raw("127.0.0.1", server.port());
  raw.set_decompress(false);
  httplib::Client unpacking("127.0.0.1", server.port());
  const char* const target = "/api/search?q=the&per_page=100&format=ris";
  const auto plain = raw.Get(target);
  REQUIRE(plain);
  REQUIRE(plain->status == 200);
  CHECK(plain->get_header_value("Content-Type").rfind("application/x-research-info-systems", 0) == 0);
  CHECK_FALSE(plain->has_header("Content-Encoding"));
  CHECK(plain->get_header_value("Vary").find("Accept-Encoding") != std::string::npos);
  REQUIRE(plain->body.rfind("TY  - ", 0) == 0);

  for (const std::string encoding : {"gzip", "br"}) {
    INFO(encoding);
    const auto packed = raw.Get(target, {{"Accept-Encoding", encoding}});
    REQUIRE(packed);
    CHECK(packed->status == 200);
    CHECK(packed->get_header_value("Content-Encoding") == encoding);
    CHECK(packed->get_header_value("Vary").find("Accept-Encoding") != std::string::npos);
    CHECK(packed->get_header_value("Content-Length") == std::to_string(packed->body.size()));
    CHECK(packed->get_header_value_count("Content-Length") == 1);
    CHECK(packed->body.size() * 3 < plain->body.size());
    const auto unpacked = unpacking.Get(target, {{"Accept-Encoding", encoding}});
    REQUIRE(unpacked);
    CHECK(unpacked->body == plain->body);
  }
  const auto head = raw.Head(target, {{"Accept-Encoding", "gzip"}});
  REQUIRE(head);
  CHECK(head->get_header_value("Content-Encoding") == "gzip");
}

TEST_CASE("a method an endpoint does not take gets 405 with Allow and a JSON error", "[http][e2e]") {
  RunningServer server(rights::e2e::corpus_server_config());
  const int port = server.port();
  struct Case {
    std::string request, allow;
  };
  const std::vector<Case> cases{
      {"POST /healthz HTTP/1.1\r\nContent-Length: 1\r\n\r\nx", "GET, HEAD"},
      {"POST /readyz HTTP/1.1\r\nContent-Length: 1\r\n\r\nx", "GET, HEAD"},
      {"POST /metrics HTTP/1.1\r\nContent-Length: 1\r\n\r\nx", "GET, HEAD"},
      {"POST /healthz HTTP/1.1\r\n\r\n", "GET, HEAD"},
      {"OPTIONS /healthz HTTP/1.1\r\n\r\n", "GET, HEAD"},
      {"DELETE /metrics HTTP/1.1\r\n\r\n", "GET, HEAD"},
      // No Content-Length: no body (RFC 9112), so nothing to wait for.
      {"POST /api/search?q=x HTTP/1.1\r\n\r\n", "GET, HEAD, OPTIONS"},
      {"PUT /api/doc/x HTTP/1.1\r\n\r\n", "GET, HEAD, OPTIONS"},
      {"POST /api/search?q=x HTTP/1.1\r\nContent-Length: 1\r\n\r\nx", "GET, HEAD, OPTIONS"},
  };
  for (const auto& c : cases) {
    const std::string request_line = c.request.substr(0, c.request.find("\r\n"));
    INFO(request_line);
    // Host and Connection go after the request line; the case's own headers follow.
    const auto line_end = c.request.find("\r\n") + 2;
    const std::string request = c.request.substr(0, line_end) + "Host: localhost\r\nConnection: close\r\n" +
                                c.request.substr(line_end);
    const auto started = std::chrono::steady_clock::now();
    const std::string answer = raw_exchange(port, request);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(2));
    CHECK(status_line(answer).rfind("HTTP/1.1 405", 0) == 0);
    CHECK(has_header_line(answer, "Allow: " + c.allow));
    CHECK(has_header_line(answer, "Content-Type: application/json"));
    CHECK(answer.find("\"code\":\"method_not_allowed\"") != std::string::npos);
  }
  // Unknown paths stay 404, and GET still works.
  httplib::Client client("127.0.0.1", port);
  check_error(get_json(client, "/api/no-such-endpoint"), 404, "not_found");
  CHECK(get_json(client, "/healthz").status == 200);
}

TEST_CASE("CORS: every answer says it varies on Origin: Retry-After and Content-Disposition are exposed",
          "[http][e2e]") {
  auto config = rights::e2e::corpus_server_config();
  config.cors_origins = {"https://rights.example"};
  RunningServer server(std::move(config));
  httplib::Client client("127.0.0.1", server.port());

  const auto vary_of = [](const httplib::Result& reply) {
    std::string vary;
    for (auto [it, end] = reply->headers.equal_range("Vary"); it != end; ++it) vary += it->second + ",";
    return vary;
  };
  const std::vector<httplib::Headers> origins{
      {{"Origin", "https://rights.example"}}, {{"Origin", "https://evil.example"}}, {}};
  for (const auto& origin : origins) {
    for (const char* target : {"/api/search?q=impunity", "/healthz", "/api/search?page=0", "/api/nothing"}) {
      INFO((origin.empty() ? "no Origin" : origin.begin()->second) << " GET " << target);
      const auto reply = client.Get(target, origin);
      REQUIRE(reply);
      CHECK(vary_of(reply).find("Origin") != std::string::npos);
    }
  }
  const auto allowed = client.Get("/api/search?q=impunity&format=csv", {{"Origin", "https://rights.example"}});
  REQUIRE(allowed);
  CHECK(allowed->get_header_value("Access-Control-Expose-Headers") == "Retry-After, Content-Disposition");
  const auto other = client.Get("/api/search?q=impunity", {{"Origin", "https://evil.example"}});
  REQUIRE(other);
  CHECK_FALSE(other->has_header("Access-Control-Expose-Headers"));

  // Without --cors-origin nothing depends on Origin.
  RunningServer no_cors(rights::e2e::corpus_server_config());
  httplib::Client plain_client("127.0.0.1", no_cors.port());
  const auto plain = plain_client.Get("/healthz", {{"Origin", "https://rights.example"}});
  REQUIRE(plain);
  CHECK(vary_of(plain).find("Origin") == std::string::npos);
}
