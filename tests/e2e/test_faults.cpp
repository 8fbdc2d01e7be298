// Faults around the real searchd binary: index rebuilds under load (wrk), the indexer
// killed with SIGKILL while searchd serves, and searchd started on a missing, corrupt or
// wrong-schema index. Each prints its figure (figures.h).
#include <catch2/catch.hpp>

#include <signal.h>
#include <unistd.h>

#include <xapian.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

#include "e2e_fixture.h"
#include "figures.h"
#include "process.h"
#include "rights/schema.h"
#include "temp_dir.h"
#include "xapian_servers.h"

using rights::testing::ChildProcess;
using rights::testing::report_figure;
using rights::testing::run_command;
using rights::testing::TempDir;

namespace {

using Clock = std::chrono::steady_clock;

const std::string kAuthorityDir = std::string(RIGHTS_CORPUS_DIR) + "/authority";

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string generation_of(const std::filesystem::path& index) {
  std::error_code error;
  return std::filesystem::canonical(index, error).filename().string();
}

// The searchd binary on a free loopback port, logging to a file; SIGTERM on destruction.
class SearchdProcess {
 public:
  SearchdProcess(const TempDir& directory, const std::string& index, const std::vector<std::string>& extra = {})
      : port_(rights::e2e::free_loopback_port()), log_(directory.path() / "searchd.log") {
    std::vector<std::string> argv{RIGHTS_SEARCHD_BIN, "--index", index, "--port", std::to_string(port_),
                                  "--authority", kAuthorityDir};
    argv.insert(argv.end(), extra.begin(), extra.end());
    process_ = std::make_unique<ChildProcess>(argv, log_.string());
    // Up when it answers anything at all (a broken index answers 503).
    httplib::Client client("127.0.0.1", port_);
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (!client.Get("/healthz") && Clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE(client.Get("/healthz"));
  }

  int port() const { return port_; }
  std::string log() const { return read_text(log_); }
  bool alive() const { return kill(process_->pid(), 0) == 0; }

 private:
  int port_;
  std::filesystem::path log_;
  std::unique_ptr<ChildProcess> process_;
};

// Polls `path` until it answers `status` or `limit` passes; returns the seconds it took, or
// a negative number on timeout.
double seconds_until_status(int port, const std::string& path, int status, std::chrono::seconds limit) {
  httplib::Client client("127.0.0.1", port);
  const auto started = Clock::now();
  while (Clock::now() - started < limit) {
    const auto reply = client.Get(path.c_str());
    if (reply && reply->status == status) return std::chrono::duration<double>(Clock::now() - started).count();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return -1;
}

// Requests /api/search in a loop on its own thread until stopped; counts what failed.
class QueryLoop {
 public:
  explicit QueryLoop(int port)
      : thread_([this, port] {
          httplib::Client client("127.0.0.1", port);
          while (!stop_) {
            const auto reply = client.Get("/api/search?q=impunity");
            ++requests_;
            if (!reply || reply->status != 200 || reply->body.find("\"total\":0,") != std::string::npos) {
              ++failed_;
            }
          }
        }) {}
  ~QueryLoop() { finish(); }
  QueryLoop(const QueryLoop&) = delete;
  QueryLoop& operator=(const QueryLoop&) = delete;

  void finish() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }
  int requests() const { return requests_; }
  int failed() const { return failed_; }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<int> requests_{0}, failed_{0};
  std::thread thread_;
};

// Like xapian_servers.h's find_program, but "" when missing, so the caller can say how
// to install it.
std::string program_on_path(const std::string& name) {
  std::istringstream path(std::getenv("PATH") != nullptr ? std::getenv("PATH") : "/usr/bin:/bin");
  for (std::string dir; std::getline(path, dir, ':');) {
    const std::string candidate = dir + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0) return candidate;
  }
  return "";
}

// The number after `label` in wrk's summary, 0 when wrk left the line out (it prints
// "Non-2xx or 3xx responses" and "Socket errors" only when there were some).
long long wrk_count(const std::string& summary, const std::string& pattern) {
  std::smatch match;
  if (!std::regex_search(summary, match, std::regex(pattern))) return 0;
  return std::stoll(match[1].str());
}

// Many small English documents mentioning impunity, so a build takes long enough to kill.
void write_large_corpus(const TempDir& directory, int count) {
  for (int i = 0; i < count; ++i) {
    std::string text = "Report " + std::to_string(i) + " on impunity.\n";
    for (int line = 0; line < 40; ++line) {
      text += "The ministry answered the letter number " + std::to_string(line) + ".\n";
    }
    directory.write("big/doc" + std::to_string(i) + ".txt", text);
  }
}

}  // namespace

TEST_CASE("rebuilding the index twice under load fails no request", "[e2e][faults][slow]") {
  const std::string wrk = program_on_path("wrk");
  if (wrk.empty()) FAIL("wrk not found in PATH: install it with scripts/install-deps.sh (Debian package wrk)");
  const TempDir directory("rights-e2e-rebuild-load");
  const auto index = (directory.path() / "index").string();
  const std::vector<std::string> build{RIGHTS_INDEXER_BIN, "build", RIGHTS_CORPUS_DIR, "--index", index};
  REQUIRE(run_command(build).exit_code == 0);
  SearchdProcess searchd(directory, index, {"--rate-limit", "0", "--threads", "16"});
  REQUIRE(seconds_until_status(searchd.port(), "/healthz", 200, std::chrono::seconds(5)) >= 0);

  const auto script = directory.write("queries.lua", R"lua(
local queries = {
  "/api/search?q=impunity",
  "/api/search?q=land%20rights&sort=-date",
  "/api/search?q=%E1%9E%9F%E1%9E%B7%E1%9E%91%E1%9F%92%E1%9E%92%E1%9E%B7",
  "/api/search?actor=sar-kheng",
  "/api/suggest?q=sar",
}
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", queries[counter % #queries + 1])
end
)lua");
  const auto wrk_log = directory.path() / "wrk.log";
  // --timeout: a slow answer (sanitizer builds, two cores shared with the indexer) is not a
  // failed one; wrk's default of 2 s would count it as a socket error.
  ChildProcess load({wrk, "-d", "8s", "-c", "8", "-t", "2", "--timeout", "10s", "-s", script.string(),
                     "http://127.0.0.1:" + std::to_string(searchd.port())},
                    wrk_log.string());
  std::vector<std::string> generations{generation_of(index)};
  for (int rebuild = 0; rebuild < 2; ++rebuild) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    const auto result = run_command(build);
    INFO(result.output);
    CHECK(result.exit_code == 0);
    generations.push_back(generation_of(index));
  }
  CHECK(load.wait() == 0);
  const std::string summary = read_text(wrk_log);
  INFO(summary);
  CHECK(generations[0] != generations[1]);
  CHECK(generations[1] != generations[2]);

  const long long requests = wrk_count(summary, R"((\d+) requests in)");
  const long long non_2xx = wrk_count(summary, R"(Non-2xx or 3xx responses: (\d+))");
  std::smatch socket_errors;
  long long socket_error_count = 0;
  if (std::regex_search(summary, socket_errors,
                        std::regex(R"(Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+))"))) {
    for (std::size_t i = 1; i <= 4; ++i) socket_error_count += std::stoll(socket_errors[i].str());
  }
  CHECK(requests > 0);
  CHECK(non_2xx == 0);
  CHECK(socket_error_count == 0);
  report_figure("rebuild-under-load", std::to_string(requests) + " requests, " +
                                          std::to_string(non_2xx + socket_error_count) +
                                          " failed, 2 rebuilds (wrk -d 8s -c 8 -t 2)");
  INFO(searchd.log().substr(0, 2000));
  CHECK(searchd.alive());
}

TEST_CASE("kill -9 of the indexer while searchd serves fails no request", "[e2e][faults][slow]") {
  const TempDir directory("rights-e2e-kill-serving");
  const auto index = (directory.path() / "index").string();
  REQUIRE(run_command({RIGHTS_INDEXER_BIN, "build", RIGHTS_CORPUS_DIR, "--index", index}).exit_code == 0);
  write_large_corpus(directory, 800);
  const auto big = (directory.path() / "big").string();
  SearchdProcess searchd(directory, index, {"--rate-limit", "0"});
  REQUIRE(seconds_until_status(searchd.port(), "/healthz", 200, std::chrono::seconds(5)) >= 0);

  QueryLoop queries(searchd.port());
  std::mt19937 random(2024);
  std::uniform_int_distribution<int> delay_ms(5, 800);
  int killed_midway = 0;
  constexpr int kRounds = 6;
  for (int round = 0; round < kRounds; ++round) {
    ChildProcess indexer({RIGHTS_INDEXER_BIN, round % 2 == 0 ? "build" : "update", big, "--index", index});
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    indexer.signal(SIGKILL);
    if (indexer.wait() == 128 + SIGKILL) ++killed_midway;
  }
  // One last complete build: the new generation must be picked up too.
  REQUIRE(run_command({RIGHTS_INDEXER_BIN, "build", big, "--index", index}).exit_code == 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  queries.finish();
  CHECK(killed_midway > 0);
  CHECK(queries.requests() > 0);
  CHECK(queries.failed() == 0);
  CHECK(searchd.alive());
  report_figure("kill-9-while-serving", std::to_string(queries.requests()) + " requests during " +
                                            std::to_string(killed_midway) + " killed indexer runs, " +
                                            std::to_string(queries.failed()) + " failed");
}

TEST_CASE("searchd on a missing, corrupt or wrong-schema index: 503 until a good one appears",
          "[e2e][faults]") {
  const std::string kind = GENERATE("missing", "corrupt", "wrong-schema");
  const TempDir directory("rights-e2e-bad-index");
  const auto index = directory.path() / "index";
  const auto generation = directory.path() / "index.generations" / "gen-broken";
  std::string expected_reason;
  if (kind == "missing") {
    expected_reason = "no index at " + index.string();
  } else if (kind == "corrupt") {
    directory.write("index.generations/gen-broken/iamglass", std::string(4096, '\x5a'));
    directory.write("index.generations/gen-broken/postlist.glass", std::string(65536, '\xa5'));
    std::filesystem::create_directory_symlink("index.generations/gen-broken", index);
    expected_reason = "cannot open the index at " + index.string();
  } else {
    std::filesystem::create_directories(generation);
    Xapian::WritableDatabase db(generation.string(), Xapian::DB_CREATE);
    db.set_metadata(rights::kSchemaVersionKey, std::to_string(rights::kSchemaVersion + 98));
    db.commit();
    db.close();
    std::filesystem::create_directory_symlink("index.generations/gen-broken", index);
    expected_reason = "schema version " + std::to_string(rights::kSchemaVersion + 98);
  }
  INFO(kind);

  SearchdProcess searchd(directory, index.string());
  httplib::Client client("127.0.0.1", searchd.port());
  rights::e2e::check_error(rights::e2e::get_json(client, "/healthz"), 503, "index_unavailable");
  const auto search = rights::e2e::get_json(client, "/api/search?q=impunity");
  rights::e2e::check_error(search, 503, "index_unavailable");
  // The reason names the index's path: in the log, never in the unauthenticated answer.
  CHECK_THAT(search.body["error"]["message"].get<std::string>(), !Catch::Contains(index.string()));
  CHECK_THAT(searchd.log(), Catch::Contains("searchd: index unavailable: ") && Catch::Contains(expected_reason));

  const auto query = run_command({RIGHTS_SEARCHD_BIN, "query", "--index", index.string(), "impunity"});
  CHECK(query.exit_code == 3);
  CHECK_THAT(query.output, Catch::Contains(expected_reason));

  const auto build = run_command({RIGHTS_INDEXER_BIN, "build", RIGHTS_CORPUS_DIR, "--index", index.string()});
  INFO(build.output);
  REQUIRE(build.exit_code == 0);
  const double recovered = seconds_until_status(searchd.port(), "/healthz", 200, std::chrono::seconds(5));
  CHECK(recovered >= 0);
  CHECK(rights::e2e::get_json(client, "/api/search?q=impunity").status == 200);
  CHECK(searchd.alive());
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.2f", recovered);
  report_figure("bad-index-" + kind, std::string("503 while broken, 200 ") + seconds + " s after a good build");
}

TEST_CASE("a search that finds a table of the index corrupt is logged once, and /readyz answers 503",
          "[e2e][faults]") {
  // The index opens and its facet columns load (neither reads the document data), so only
  // a search that fetches its hits finds the damage.
  const TempDir directory("rights-e2e-corrupt-table");
  const auto index = directory.path() / "index";
  const auto generation = directory.path() / "index.generations" / "gen-damaged";
  std::filesystem::create_directories(generation.parent_path());
  std::filesystem::copy(std::filesystem::canonical(rights::e2e::corpus_index()), generation,
                        std::filesystem::copy_options::recursive);
  std::filesystem::create_directory_symlink("index.generations/gen-damaged", index);
  {
    // Blocks 5-7 (of 8 KB) of the document data: leaves, not the root read at open.
    std::fstream docdata(generation / "docdata.glass", std::ios::in | std::ios::out | std::ios::binary);
    REQUIRE(docdata);
    docdata.seekp(5 * 8192);
    const std::string garbage(3 * 8192, '\xa5');
    docdata.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    REQUIRE(docdata);
  }

  SearchdProcess searchd(directory, index.string());
  httplib::Client client("127.0.0.1", searchd.port());
  INFO(searchd.log());
  REQUIRE(seconds_until_status(searchd.port(), "/readyz", 200, std::chrono::seconds(10)) >= 0);
  const std::string line = "searchd: index unavailable on GET /api/search: index read failed: ";
  for (int attempt = 0; attempt < 5; ++attempt) {
    const auto search = rights::e2e::get_json(client, "/api/search?per_page=100");
    rights::e2e::check_error(search, 503, "index_unavailable");
    CHECK_THAT(search.body["error"]["message"].get<std::string>(), Catch::Contains("the server log says why"));
  }
  const std::string logged = searchd.log();
  INFO(logged);
  // Said, with the generation, and not once per request.
  CHECK_THAT(logged, Catch::Contains(line) && Catch::Contains("gen-damaged"));
  std::size_t lines = 0;
  for (auto at = logged.find(line); at != std::string::npos; at = logged.find(line, at + 1)) ++lines;
  CHECK(lines == 1);
  // A load balancer must stop sending searches here.
  rights::e2e::check_error(rights::e2e::get_json(client, "/readyz"), 503, "index_unavailable");

  // A good generation is served again, and is ready.
  const auto build = run_command({RIGHTS_INDEXER_BIN, "build", RIGHTS_CORPUS_DIR, "--index", index.string()});
  INFO(build.output);
  REQUIRE(build.exit_code == 0);
  CHECK(seconds_until_status(searchd.port(), "/readyz", 200, std::chrono::seconds(10)) >= 0);
  CHECK(rights::e2e::get_json(client, "/api/search?per_page=100").status == 200);
  CHECK(searchd.alive());
}

TEST_CASE("a generation of another schema behind the served index: logged, /readyz 503, until a good one",
          "[e2e][faults]") {
  // An older indexer run by hand during a rollback writes schema N-1 behind the symlink of
  // a served index: searchers already open keep the generation they have, new ones cannot
  // open, so requests got a mix of answers and 503s with /readyz 200 and nothing logged.
  const TempDir directory("rights-e2e-other-schema");
  const auto index = directory.path() / "index";
  const auto good = directory.path() / "index.generations" / "gen-good";
  std::filesystem::create_directories(good.parent_path());
  std::filesystem::copy(std::filesystem::canonical(rights::e2e::corpus_index()), good,
                        std::filesystem::copy_options::recursive);
  std::filesystem::create_directory_symlink("index.generations/gen-good", index);
  SearchdProcess searchd(directory, index.string());
  httplib::Client client("127.0.0.1", searchd.port());
  REQUIRE(seconds_until_status(searchd.port(), "/readyz", 200, std::chrono::seconds(10)) >= 0);
  REQUIRE(rights::e2e::get_json(client, "/api/search?q=impunity").status == 200);

  const auto other = directory.path() / "index.generations" / "gen-other";
  std::filesystem::copy(good, other, std::filesystem::copy_options::recursive);
  {
    Xapian::WritableDatabase db(other.string(), Xapian::DB_OPEN);
    db.set_metadata(rights::kSchemaVersionKey, std::to_string(rights::kSchemaVersion - 1));
    db.commit();
  }
  const auto next = directory.path() / "index.next";
  std::filesystem::create_directory_symlink("index.generations/gen-other", next);
  std::filesystem::rename(next, index);

  INFO(searchd.log());
  CHECK(seconds_until_status(searchd.port(), "/readyz", 503, std::chrono::seconds(5)) >= 0);
  rights::e2e::check_error(rights::e2e::get_json(client, "/readyz"), 503, "index_unavailable");
  CHECK_THAT(searchd.log(), Catch::Contains("searchd: index unavailable: ") &&
                                Catch::Contains("schema version " + std::to_string(rights::kSchemaVersion - 1)));

  const auto build = run_command({RIGHTS_INDEXER_BIN, "build", RIGHTS_CORPUS_DIR, "--index", index.string()});
  INFO(build.output);
  REQUIRE(build.exit_code == 0);
  CHECK(seconds_until_status(searchd.port(), "/readyz", 200, std::chrono::seconds(10)) >= 0);
  CHECK(rights::e2e::get_json(client, "/api/search?q=impunity").status == 200);
  CHECK(searchd.alive());
}

TEST_CASE("searchd refuses bad numeric options with a usage error", "[e2e][faults]") {
  for (const auto& [option, value] : std::vector<std::pair<std::string, std::string>>{
           {"--count-cache-mb", "-1"}, {"--count-cache-mb", "big"}, {"--threads", "0"}, {"--rate-limit", "x"}}) {
    CAPTURE(option, value);
    const auto result = run_command({RIGHTS_SEARCHD_BIN, "--index", "/nonexistent", option, value});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Catch::Contains(option + " must be"));
  }
  // A CORS origin that no browser would send (path, no scheme) would leave every
  // embedding page without answers and nothing in the log: refused at start instead.
  for (const std::string origin : {"127.0.0.1:18120", "https://example.org/search"}) {
    CAPTURE(origin);
    const auto result = run_command({RIGHTS_SEARCHD_BIN, "--index", "/nonexistent", "--cors-origin", origin});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Catch::Contains("--cors-origin \"" + origin + "\""));
  }
}
