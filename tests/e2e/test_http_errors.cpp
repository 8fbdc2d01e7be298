// Every error path answers a JSON error with the right status (never 500), CORS follows
// the allowlist, static files stay inside the web root, and a missing index is a 503.
#include <catch2/catch.hpp>

#include <sstream>

#include "e2e_fixture.h"
#include "temp_dir.h"

using rights::e2e::check_error;
using rights::e2e::get_json;
using rights::e2e::RunningServer;
using rights::e2e::with_query;

TEST_CASE("bad requests answer JSON errors with their status and code", "[http][e2e]") {
  RunningServer server(rights::e2e::corpus_server_config());
  httplib::Client client("127.0.0.1", server.port());

  struct Case {
    std::string target;
    int status;
    std::string code;
  };
  const std::vector<Case> cases{
      {"/api/search?per_page=abc", 400, "bad_per_page"},
      {"/api/search?per_page=1000", 400, "bad_per_page"},
      {"/api/search?page=abc", 400, "bad_page"},
      {"/api/search?sort=foo", 400, "bad_sort"},
      {"/api/search?q=impunity&acter=sar-kheng", 400, "unknown_parameter"},
      {"/api/search?page=1&page=2", 400, "repeated_parameter"},
      {"/api/search?from=2021-13-45", 400, "bad_date"},
      {with_query("/api/search", {{"q", "\"unclosed"}}), 400, "bad_query"},
      {with_query("/api/search", {{"q", std::string(3000, 'a')}}), 413, "query_too_long"},
      {"/api/search?q=%FF%FEabc", 400, "bad_encoding"},
      {"/api/search?actor=nobody-at-all", 400, "unknown_actor"},
      {"/api/search?type=reports", 400, "unknown_type"},
      {"/api/facets/colour", 400, "unknown_facet"},
      {"/api/suggest?q=sar&limit=0", 400, "bad_limit"},
      {"/api/stats?verbose=1", 400, "unknown_parameter"},
      {"/api/doc/no-such-document", 404, "not_found"},
      {"/api/doc/%FF", 400, "bad_encoding"},
      {"/api/search?from=2021-00", 400, "bad_date"},
      {"/api/no-such-endpoint", 404, "not_found"},
      // Control characters are no text: refused before a NUL can become a term or cut a message.
      {"/api/search?q=%00abc", 400, "bad_query"},
      {"/api/search?q=polic%00e", 400, "bad_query"},
      {"/api/suggest?q=sa%01", 400, "bad_query"},
      {"/api/facets/actor%00", 400, "bad_encoding"},
      {"/api/doc/udhr%00-khm", 400, "bad_encoding"},
      // DEL and C1 (U+0080-U+009F) are control characters too.
      {"/api/search?q=police%7F", 400, "bad_query"},
      // A broken %-escape is an error, not a literal "%" (httplib keeps it as one).
      {"/api/search?q=a%2", 400, "bad_encoding"},
      {"/api/search?q=%zzpolice", 400, "bad_encoding"},
      {"/api/doc/udhr-eng%", 400, "bad_encoding"},
      {"/api/search?q=police%C2%85", 400, "bad_query"},
      {"/api/search?lang=en%C2%9F", 400, "bad_encoding"},
      {"/api/doc/udhr%7F-khm", 400, "bad_encoding"},
      {"/api/facets/actor%C2%80", 400, "bad_encoding"},
  };
  for (const auto& c : cases) {
    INFO("GET " << c.target.substr(0, 120));
    check_error(get_json(client, c.target), c.status, c.code);
  }
  const auto facet = get_json(client, "/api/facets/actor%00x");
  CHECK(facet.body["error"]["message"].get<std::string>().find("facet name") != std::string::npos);

  const auto deleted = client.Delete("/api/search");
  REQUIRE(deleted);
  CHECK(deleted->status == 405);
  CHECK(deleted->get_header_value("Allow") == "GET, HEAD, OPTIONS");
  CHECK(nlohmann::json::parse(deleted->body)["error"]["code"] == "method_not_allowed");
}

TEST_CASE("CORS headers only for allowlisted origins: preflight for /api/*", "[http][e2e]") {
  auto config = rights::e2e::corpus_server_config();
  config.cors_origins = {"https://rights.example"};
  RunningServer server(std::move(config));
  httplib::Client client("127.0.0.1", server.port());

  const auto allowed = client.Get("/healthz", {{"Origin", "https://rights.example"}});
  REQUIRE(allowed);
  CHECK(allowed->get_header_value("Access-Control-Allow-Origin") == "https://rights.example");
  CHECK(allowed->get_header_value("Vary").find("Origin") != std::string::npos);

  const auto other = client.Get("/api/search?q=impunity", {{"Origin", "https://evil.example"}});
  REQUIRE(other);
  CHECK(other->status == 200);
  CHECK_FALSE(other->has_header("Access-Control-Allow-Origin"));

  const auto preflight = client.Options("/api/search", {{"Origin", "https://rights.example"},
                                                        {"Access-Control-Request-Method", "GET"}});
  REQUIRE(preflight);
  CHECK(preflight->status == 204);
  CHECK(preflight->get_header_value("Access-Control-Allow-Origin") == "https://rights.example");
  CHECK(preflight->get_header_value("Access-Control-Allow-Methods").find("GET") != std::string::npos);
  CHECK(preflight->get_header_value("Access-Control-Allow-Headers") == "Content-Type, Authorization");

  const auto other_preflight = client.Options("/api/search", {{"Origin", "https://evil.example"}});
  REQUIRE(other_preflight);
  CHECK_FALSE(other_preflight->has_header("Access-Control-Allow-Origin"));
  CHECK_FALSE(other_preflight->has_header("Access-Control-Allow-Methods"));
}

TEST_CASE("CORS: --cors-origin '*' allows any site", "[http][e2e]") {
  auto config = rights::e2e::corpus_server_config();
  config.cors_origins = {"*"};
  RunningServer server(std::move(config));
  httplib::Client client("127.0.0.1", server.port());
  const auto any = client.Get("/api/search?q=impunity", {{"Origin", "https://any.example"}});
  REQUIRE(any);
  CHECK(any->get_header_value("Access-Control-Allow-Origin") == "https://any.example");
  CHECK(any->get_header_value("Vary").find("Origin") != std::string::npos);
}

TEST_CASE("the web root is served at / without listings or escapes", "[http][e2e]") {
  const rights::testing::TempDir directory("rights-e2e-web");
  directory.write("web/index.html", "<!doctype html><title>rights</title>");
  directory.write("web/js/app.js", "console.log('app');");
  directory.write("secret.txt", "outside the web root");
  auto config = rights::e2e::corpus_server_config();
  config.web_root = (directory.path() / "web").string();
  RunningServer server(std::move(config));
  httplib::Client client("127.0.0.1", server.port());

  const auto index = client.Get("/");
  REQUIRE(index);
  CHECK(index->status == 200);
  CHECK(index->body.find("<title>rights</title>") != std::string::npos);
  CHECK(index->get_header_value("Content-Type").rfind("text/html", 0) == 0);

  const auto script = client.Get("/js/app.js");
  REQUIRE(script);
  CHECK(script->status == 200);

  for (const char* target : {"/../secret.txt", "/%2e%2e/secret.txt", "/js/../../secret.txt", "/js"}) {
    INFO(target);
    const auto escaped = client.Get(target);
    REQUIRE(escaped);
    CHECK(escaped->status == 404);
    CHECK(escaped->body.find("outside the web root") == std::string::npos);
  }
  // The API still wins over the static mount.
  CHECK(get_json(client, "/healthz").status == 200);
}

TEST_CASE("a server on a missing index starts and answers 503 until it appears", "[http][e2e]") {
  const rights::testing::TempDir directory("rights-e2e-missing");
  searchd::ServerConfig config;
  config.index_path = (directory.path() / "no-index-here").string();
  std::ostringstream log;
  config.log = &log;
  RunningServer server(std::move(config));
  httplib::Client client("127.0.0.1", server.port());

  for (const char* target : {"/healthz", "/readyz", "/api/search?q=impunity", "/api/doc/udhr-khm"}) {
    INFO(target);
    const auto reply = get_json(client, target);
    check_error(reply, 503, "index_unavailable");
    // The endpoints are unauthenticated: where the index lives is for the server log only.
    CHECK(reply.body.dump().find(directory.path().string()) == std::string::npos);
    CHECK(reply.body.dump().find("no-index-here") == std::string::npos);
    CHECK(reply.headers.find("Retry-After") != reply.headers.end());
  }
  const auto metrics = client.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  // The reason is logged by the warmer once per streak, not as an error per probe.
  CHECK(log.str().find("internal error") == std::string::npos);

  // A corrupt index (a directory that is not a Xapian database) is unavailable too.
  const rights::testing::TempDir corrupt("rights-e2e-corrupt");
  corrupt.write("index/iamglass", "not a database");
  searchd::ServerConfig corrupt_config;
  corrupt_config.index_path = (corrupt.path() / "index").string();
  RunningServer corrupt_server(std::move(corrupt_config));
  httplib::Client corrupt_client("127.0.0.1", corrupt_server.port());
  check_error(get_json(corrupt_client, "/healthz"), 503, "index_unavailable");
}
