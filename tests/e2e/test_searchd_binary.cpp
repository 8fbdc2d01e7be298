// The real searchd binary: `searchd query` prints what /api/search returns, and the server
// starts on a given port and exits 0 on SIGTERM.
#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iterator>

#include "e2e_fixture.h"
#include "process.h"
#include "temp_dir.h"

using rights::e2e::get_json;
using rights::e2e::hit_ids;
using rights::e2e::with_query;

namespace {

const std::string kAuthorityDir = std::string(RIGHTS_CORPUS_DIR) + "/authority";

// A port that was free a moment ago: bind 127.0.0.1:0, read the port, close. (httplib
// cannot tell another process which port it chose.)
int free_loopback_port() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof address;
  const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0 &&
                  getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  close(fd);
  REQUIRE(ok);
  return ntohs(address.sin_port);
}

// The JSON document searchd printed: its last line (run_command interleaves stderr, where
// the core may have warned, e.g. about an ambiguous authority alias).
nlohmann::json printed_json(const std::string& output) {
  std::string trimmed = output;
  while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
  const auto line_start = trimmed.rfind('\n');
  return nlohmann::json::parse(line_start == std::string::npos ? trimmed : trimmed.substr(line_start + 1));
}

// Polls /healthz until it answers 200 or 10 s pass; returns the last status (0: no answer).
int wait_until_healthy(int port) {
  httplib::Client client("127.0.0.1", port);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (status != 200 && std::chrono::steady_clock::now() < deadline) {
    if (const auto reply = client.Get("/healthz")) {
      status = reply->status;
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  return status;
}

std::string read_log(const std::filesystem::path& path) {
  std::ifstream log(path);
  return std::string((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
}

std::size_t count_of(const std::string& text, const std::string& part) {
  std::size_t count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
  return count;
}

}  // namespace

TEST_CASE("searchd query prints the hits of /api/search", "[http][e2e]") {
  const std::string index = rights::e2e::corpus_index().string();
  const auto result = rights::testing::run_command(
      {RIGHTS_SEARCHD_BIN, "query", "--index", index, "--authority", kAuthorityDir, "impunity"});
  INFO(result.output.substr(0, 800));
  REQUIRE(result.exit_code == 0);
  nlohmann::json printed;
  REQUIRE_NOTHROW(printed = printed_json(result.output));

  rights::e2e::RunningServer server(rights::e2e::corpus_server_config());
  httplib::Client client("127.0.0.1", server.port());
  const auto served = get_json(client, with_query("/api/search", {{"q", "impunity"}}));
  REQUIRE(served.status == 200);
  CHECK_FALSE(hit_ids(printed).empty());
  CHECK(hit_ids(printed) == hit_ids(served.body));
  printed.erase("took_ms");
  auto served_body = served.body;
  served_body.erase("took_ms");
  CHECK(printed == served_body);
}

TEST_CASE("searchd query: user errors exit 1 with the error JSON, usage errors exit 2", "[http][e2e]") {
  const std::string index = rights::e2e::corpus_index().string();
  const auto bad = rights::testing::run_command(
      {RIGHTS_SEARCHD_BIN, "query", "--index", index, "--per-page", "1000", "impunity"});
  CHECK(bad.exit_code == 1);
  CHECK(printed_json(bad.output)["error"]["code"] == "bad_per_page");

  const auto usage = rights::testing::run_command({RIGHTS_SEARCHD_BIN, "query", "impunity"});
  CHECK(usage.exit_code == 2);

  const auto missing = rights::testing::run_command(
      {RIGHTS_SEARCHD_BIN, "query", "--index", "/nonexistent/rights-index", "impunity"});
  CHECK(missing.exit_code == 3);
  CHECK(missing.output.find("index_unavailable") != std::string::npos);
}

TEST_CASE("searchd serves on the given port and exits 0 on SIGTERM", "[http][e2e]") {
  const rights::testing::TempDir directory("rights-e2e-binary");
  const int port = free_loopback_port();
  rights::testing::ChildProcess searchd(
      {RIGHTS_SEARCHD_BIN, "--index", rights::e2e::corpus_index().string(), "--port", std::to_string(port),
       "--threads", "2", "--authority", kAuthorityDir},
      (directory.path() / "searchd.log").string());
  REQUIRE(wait_until_healthy(port) == 200);

  searchd.signal(SIGTERM);
  CHECK(searchd.wait() == 0);
}

TEST_CASE("a second searchd on a port in use exits with an error instead of sharing it", "[http][e2e]") {
  // The first one answers from the corpus index; a second one on the same port must not
  // take a share of its requests (SO_REUSEPORT) but say the port is taken.
  rights::e2e::RunningServer first(rights::e2e::corpus_server_config());
  const rights::testing::TempDir directory("rights-e2e-port-in-use");
  rights::testing::ChildProcess second(
      {RIGHTS_SEARCHD_BIN, "--index", rights::e2e::corpus_index().string(), "--port", std::to_string(first.port()),
       "--threads", "2"},
      (directory.path() / "searchd.log").string());
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (second.running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE_FALSE(second.running());
  CHECK(second.wait() == 3);
  CHECK_THAT(read_log(directory.path() / "searchd.log"),
             Catch::Contains("cannot listen on 127.0.0.1:" + std::to_string(first.port())));
}

TEST_CASE("SIGHUP does not stop searchd: it is logged once per signal, with a hint", "[http][e2e]") {
  // systemd's Restart=on-failure counts death by SIGHUP as a clean exit: the service would
  // stay down.
  const rights::testing::TempDir directory("rights-e2e-sighup");
  const auto log_path = directory.path() / "searchd.log";
  const int port = free_loopback_port();
  rights::testing::ChildProcess searchd(
      {RIGHTS_SEARCHD_BIN, "--index", rights::e2e::corpus_index().string(), "--port", std::to_string(port),
       "--threads", "2", "--authority", kAuthorityDir},
      log_path.string());
  REQUIRE(wait_until_healthy(port) == 200);

  const std::string line = "searchd: SIGHUP ignored: searchd takes up new index generations";
  for (int signals = 1; signals <= 2; ++signals) {
    searchd.signal(SIGHUP);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (count_of(read_log(log_path), line) < static_cast<std::size_t>(signals) && searchd.running() &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    INFO(read_log(log_path));
    REQUIRE(searchd.running());
    CHECK(count_of(read_log(log_path), line) == static_cast<std::size_t>(signals));
    CHECK_THAT(read_log(log_path), Catch::Contains("and the authority each was built with, by itself"));
    CHECK(wait_until_healthy(port) == 200);
  }
  searchd.signal(SIGTERM);
  CHECK(searchd.wait() == 0);
}

TEST_CASE("searchd warns at start when neither the index nor --authority has an authority", "[http][e2e]") {
  const rights::testing::TempDir directory("rights-e2e-no-authority");
  std::filesystem::create_directories(directory.path() / "empty-authority");
  // An index built from a corpus without authority files carries none.
  directory.write("bare/a.txt", "Statement on impunity and land rights, 12 May 2021.");
  const std::string bare_index = (directory.path() / "bare-index").string();
  REQUIRE(rights::testing::run_command({RIGHTS_INDEXER_BIN, "build", (directory.path() / "bare").string(), "--index",
                                        bare_index})
              .exit_code == 0);
  const std::string with_authority = rights::e2e::corpus_index().string();  // carries the corpus's
  const std::string warning = "searchd: warning: ";
  const std::string note = "searchd: note: the index carries the authority it was built with";
  struct Start {
    std::string index;
    std::vector<std::string> options;
    bool warns, notes;
    std::string says;
  };
  const std::string empty_dir = (directory.path() / "empty-authority").string();
  for (const auto& start : std::vector<Start>{
           {bare_index, {}, true, false, "no --authority DIR given, and the index carries no authority"},
           {bare_index, {"--authority", empty_dir}, true, false,
            "--authority \"" + empty_dir + "\" has no actors and no ministries"},
           {bare_index, {"--authority", kAuthorityDir}, false, false, ""},
           {with_authority, {}, false, false, ""},
           {with_authority, {"--authority", empty_dir}, false, true, ""}}) {
    INFO(start.index << (start.options.empty() ? " without --authority" : " " + start.options.back()));
    const auto log_path = directory.path() / "searchd.log";
    const int port = free_loopback_port();
    std::vector<std::string> argv{RIGHTS_SEARCHD_BIN, "--index", start.index,
                                  "--port", std::to_string(port), "--threads", "2"};
    argv.insert(argv.end(), start.options.begin(), start.options.end());
    {
      rights::testing::ChildProcess searchd(argv, log_path.string());
      REQUIRE(wait_until_healthy(port) == 200);  // an index without authority is legitimate
      searchd.signal(SIGTERM);
      CHECK(searchd.wait() == 0);
    }
    const std::string logged = read_log(log_path);
    INFO(logged);
    CHECK((logged.find(warning) != std::string::npos) == start.warns);
    CHECK((logged.find(note) != std::string::npos) == start.notes);
    if (start.warns) {
      CHECK_THAT(logged, Catch::Contains(start.says) && Catch::Contains("unknown_actor"));
    }

    std::vector<std::string> query{RIGHTS_SEARCHD_BIN, "query", "--index", start.index};
    query.insert(query.end(), start.options.begin(), start.options.end());
    query.emplace_back("impunity");
    const auto result = rights::testing::run_command(query);
    CHECK(result.exit_code == 0);
    CHECK((result.output.find(warning) != std::string::npos) == start.warns);
    CHECK(printed_json(result.output).contains("hits"));
  }
  // The index's own authority resolves aliases without --authority ("Keut Rith" is an
  // alias of koeut-rith in the corpus's actors.json).
  const auto alias = rights::testing::run_command(
      {RIGHTS_SEARCHD_BIN, "query", "--index", with_authority, "actor:\"Keut Rith\""});
  INFO(alias.output);
  CHECK(alias.exit_code == 0);
  CHECK(printed_json(alias.output).value("total", 0) == 2);
}

TEST_CASE("searchd query --help prints the usage and options also take --name=value", "[http][e2e]") {
  for (const char* help : {"--help", "-h"}) {
    INFO(help);
    const auto result = rights::testing::run_command({RIGHTS_SEARCHD_BIN, "query", help});
    CHECK(result.exit_code == 0);
    CHECK(result.output.find("usage:") != std::string::npos);
    CHECK(result.output.find("needs a value") == std::string::npos);
  }
  const std::string index = rights::e2e::corpus_index().string();
  const auto spaced = rights::testing::run_command(
      {RIGHTS_SEARCHD_BIN, "query", "--index", index, "--authority", kAuthorityDir, "--lang", "en", "impunity"});
  const auto joined = rights::testing::run_command(
      {RIGHTS_SEARCHD_BIN, "query", "--index=" + index, "--authority=" + kAuthorityDir, "--lang=en", "impunity"});
  INFO(joined.output.substr(0, 800));
  REQUIRE(spaced.exit_code == 0);
  REQUIRE(joined.exit_code == 0);
  CHECK_FALSE(hit_ids(printed_json(joined.output)).empty());
  CHECK(hit_ids(printed_json(joined.output)) == hit_ids(printed_json(spaced.output)));
  // A value holding '=' keeps it (split at the first one).
  const auto source = rights::testing::run_command({RIGHTS_SEARCHD_BIN, "query", "--index=" + index, "--source=a=b"});
  CHECK(source.exit_code == 0);
  // A missing value says both forms.
  const auto missing = rights::testing::run_command({RIGHTS_SEARCHD_BIN, "query", "--index", index, "--lang"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.output.find("--lang needs a value (--lang VALUE or --lang=VALUE)") != std::string::npos);
}
