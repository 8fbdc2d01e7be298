// A running server picks up a new index generation (or a first index) without a restart,
// and no request fails while the indexer switches generations; the searcher pool loads
// each generation's facet columns on its own thread, and requests move to a new
// generation only once that is done.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "e2e_fixture.h"
#include "rights/index_builder.h"
#include "searcher_pool.h"
#include "temp_dir.h"

using rights::e2e::get_json;
using rights::e2e::RunningServer;

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kReloadDeadline = std::chrono::seconds(5);

// Polls `condition` every 10 ms until it holds (true) or kReloadDeadline has passed (false).
template <typename Condition>
bool eventually(Condition&& condition) {
  const auto deadline = Clock::now() + kReloadDeadline;
  while (Clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

// A temporary corpus of up to three short texts about land rights, and its index.
class SmallIndex {
 public:
  explicit SmallIndex(const char* name) : directory_(name) {}
  /// Writes the first `files` texts (1..3) and builds a new index generation of them.
  void build(int files) const {
    const char* const texts[] = {
        "The ministry answered the open letter about land rights.",
        "Monitors reported arrests of land rights activists in the province.",
        "A court hearing on land rights was postponed again.",
    };
    for (int i = 0; i < files; ++i) {
      directory_.write("corpus/doc-" + std::to_string(i + 1) + ".txt", texts[i]);
    }
    rights::build_index(directory_.path() / "corpus", directory_.path() / "index", {});
  }
  std::string index_path() const { return (directory_.path() / "index").string(); }

 private:
  rights::testing::TempDir directory_;
};

// A pool over `index` refreshing (and warming) every 50 ms.
searchd::SearcherPool warming_pool(const SmallIndex& index) {
  return searchd::SearcherPool(rights::IndexLocation{index.index_path(), {}},
                               std::make_shared<const rights::Authority>(), std::chrono::milliseconds(50));
}

// Configuration of a server on `index` whose searchers (and warmer) look for a new
// generation every `interval`.
searchd::ServerConfig refreshing_every(const SmallIndex& index, std::chrono::milliseconds interval) {
  searchd::ServerConfig config;
  config.index_path = index.index_path();
  config.refresh_interval = interval;
  return config;
}

// True if `pool` holds facet columns of `generation` (its key is "generation@revision").
bool has_columns(const searchd::SearcherPool& pool, const std::string& generation) {
  const auto keys = pool.warm_facet_columns();
  return std::any_of(keys.begin(), keys.end(),
                     [&](const std::string& key) { return key.rfind(generation + "@", 0) == 0; });
}

// True once `pool` holds facet columns of `generation`.
bool columns_warmed(const searchd::SearcherPool& pool, const std::string& generation) {
  return eventually([&] { return has_columns(pool, generation); });
}

}  // namespace

TEST_CASE("a new generation is served within seconds, with no failed request", "[http][e2e]") {
  const SmallIndex index("rights-e2e-reload");
  index.build(2);

  searchd::ServerConfig config;
  config.index_path = index.index_path();
  RunningServer server(std::move(config));
  httplib::Client client("127.0.0.1", server.port());
  const std::string target = "/api/search?q=land";

  const auto before = get_json(client, target);
  REQUIRE(before.status == 200);
  CHECK(before.body["total"] == 2);

  index.build(3);

  std::uint64_t total = 0;
  int requests = 0;
  eventually([&] {
    const auto reply = get_json(client, target);
    ++requests;
    REQUIRE(reply.status == 200);  // the switch never shows as an error
    total = reply.body["total"].get<std::uint64_t>();
    return total == 3;
  });
  INFO(requests << " requests while waiting");
  CHECK(total == 3);
}

TEST_CASE("a new generation brings its authority: new aliases and names without a restart", "[http][e2e]") {
  rights::testing::TempDir directory("rights-e2e-authority-reload");
  const auto actors = [&](const std::string& aliases) {
    directory.write("corpus/authority/actors.json",
                    R"({"actors": [{"id": "zebra-watch", "name": "Zebra Watch Cambodia", "kind": "organisation", )"
                    R"("aliases": [)" + aliases + "]}]}");
  };
  actors(R"("Zebra Watch Cambodia")");
  directory.write("corpus/a.txt", "A statement by Zebra Watch Cambodia on detained activists.");
  directory.write("corpus/b.txt", "ZWC Monitors reported the detention of activists.");
  const auto corpus = directory.path() / "corpus";
  const auto index = directory.path() / "index";
  rights::build_index(corpus, index, {});

  searchd::ServerConfig config;  // no --authority: the index's own
  config.index_path = index.string();
  config.refresh_interval = std::chrono::milliseconds(50);
  RunningServer server(std::move(config));
  httplib::Client client("127.0.0.1", server.port());
  const auto by_alias = get_json(client, "/api/search?q=actor:%22ZWC%20Monitors%22");
  CHECK(by_alias.status == 400);  // not an alias yet
  const auto named = get_json(client, "/api/search?q=activists");
  REQUIRE(named.status == 200);
  REQUIRE(named.body["facets"]["actor"].size() == 1);
  CHECK(named.body["facets"]["actor"][0]["label"] == "Zebra Watch Cambodia");
  CHECK(named.body["facets"]["actor"][0]["count"] == 1);

  // The authority gains an alias and the actor a new name; the index is updated.
  directory.write("corpus/authority/actors.json",
                  R"({"actors": [{"id": "zebra-watch", "name": "Zebra Watch", "kind": "organisation", )"
                  R"("aliases": ["Zebra Watch Cambodia", "ZWC Monitors"]}]})");
  rights::BuildOptions update;
  rights::update_index(corpus, index, update);
  nlohmann::json body;
  CHECK(eventually([&] {
    const auto reply = get_json(client, "/api/search?q=actor:%22ZWC%20Monitors%22");
    body = reply.body;
    return reply.status == 200 && reply.body["total"] == 2;
  }));
  INFO(body.dump());
  REQUIRE(body["facets"]["actor"].size() == 1);
  CHECK(body["facets"]["actor"][0]["label"] == "Zebra Watch");
  const auto document = get_json(client, "/api/doc/b");
  REQUIRE(document.status == 200);
  CHECK(document.body["actors"][0]["name"] == "Zebra Watch");
  const auto suggested = get_json(client, "/api/suggest?q=actor:zwc");
  REQUIRE(suggested.status == 200);
  CHECK(suggested.body["suggestions"][0]["value"] == "zebra-watch");

  // The authority files go; the next generation carries none (not the one before), and
  // ids the documents still carry (here: none left) stay filters while the facets offer them.
  std::filesystem::remove_all(corpus / "authority");
  directory.write("corpus/c.txt", "Unrelated note on land rights.");
  rights::update_index(corpus, index, update);
  CHECK(eventually([&] { return get_json(client, "/api/search?q=actor:%22ZWC%20Monitors%22").status == 400; }));
}

TEST_CASE("an actor id the authority no longer names is still a filter while documents carry it", "[http][e2e]") {
  rights::testing::TempDir directory("rights-e2e-orphan-actor");
  directory.write("corpus/authority/actors.json",
                  R"({"actors": [{"id": "zebra-watch", "name": "Zebra Watch", "aliases": []}]})");
  directory.write("corpus/a.txt", "A statement on detained activists.");
  // The manifest names an author the authority does not list.
  directory.write("corpus/manifest.json",
                  R"({"manifest_version": 1, "documents": [{"id": "a", "path": "a.txt", "authors": ["ghost-org"]}]})");
  rights::build_index(directory.path() / "corpus", directory.path() / "index", {});
  searchd::ServerConfig config;
  config.index_path = (directory.path() / "index").string();
  RunningServer server(std::move(config));
  httplib::Client client("127.0.0.1", server.port());
  const auto listed = get_json(client, "/api/facets/actor?q=ghost");
  REQUIRE(listed.status == 200);
  INFO(listed.body.dump());
  REQUIRE(listed.body["values"].size() == 1);
  CHECK(listed.body["values"][0]["value"] == "ghost-org");
  for (const char* target : {"/api/search?actor=ghost-org", "/api/search?q=actor:ghost-org"}) {
    INFO(target);
    const auto found = get_json(client, target);
    CHECK(found.status == 200);
    CHECK(found.body["total"] == 1);
  }
  const auto excluded = get_json(client, "/api/search?q=activists%20-actor:ghost-org");
  CHECK(excluded.status == 200);
  CHECK(excluded.body["total"] == 0);
  // An id no document carries is still unknown.
  CHECK(get_json(client, "/api/search?actor=nobody-at-all").status == 400);
}

TEST_CASE("an index that appears after start is served without a restart", "[http][e2e]") {
  const SmallIndex index("rights-e2e-late-index");
  searchd::ServerConfig config;
  config.index_path = index.index_path();
  RunningServer server(std::move(config));
  httplib::Client client("127.0.0.1", server.port());

  CHECK(get_json(client, "/healthz").status == 503);

  index.build(2);

  CHECK(eventually([&] { return get_json(client, "/healthz").status == 200; }));
  CHECK(get_json(client, "/api/search?q=land").body["total"] == 2);
}

TEST_CASE("/readyz answers 503 warming while the generation served has no facet columns", "[http][e2e][warming]") {
  const SmallIndex index("rights-e2e-readyz-warming");
  // The warmer tries at the start, finds no index, and sleeps past the end of the test;
  // requests open the index as soon as it appears.
  RunningServer server(refreshing_every(index, std::chrono::minutes(10)));
  httplib::Client client("127.0.0.1", server.port());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the warmer's one attempt
  index.build(2);

  const auto health = get_json(client, "/healthz");
  REQUIRE(health.status == 200);
  CHECK(health.body["facet_counting"] == "loading");
  const auto ready = get_json(client, "/readyz");
  rights::e2e::check_error(ready, 503, "warming");
  CHECK(ready.body["error"]["message"].get<std::string>().find(index.index_path()) == std::string::npos);
  CHECK(ready.headers.find("Retry-After") != ready.headers.end());
  // Searches are answered meanwhile, with the same counts.
  const auto search = get_json(client, "/api/search?q=land");
  REQUIRE(search.status == 200);
  CHECK(search.body["total"] == 2);
  CHECK(get_json(client, "/readyz").status == 503);
}

TEST_CASE("/readyz answers 200 once the facet columns are loaded, 503 without an index", "[http][e2e][warming]") {
  const SmallIndex index("rights-e2e-readyz");
  RunningServer server(refreshing_every(index, std::chrono::milliseconds(50)));
  httplib::Client client("127.0.0.1", server.port());
  rights::e2e::check_error(get_json(client, "/readyz"), 503, "index_unavailable");

  index.build(2);
  CHECK(eventually([&] { return get_json(client, "/readyz").status == 200; }));
  const auto ready = get_json(client, "/readyz");
  CHECK(ready.body["facet_counting"] == "columns");
  CHECK(get_json(client, "/healthz").body["facet_counting"] == "columns");
}

TEST_CASE("the searcher pool loads each generation's facet columns without a request", "[e2e][warming]") {
  const SmallIndex index("rights-e2e-warming");
  index.build(2);

  auto pool = warming_pool(index);
  // Opening a searcher reads no columns, and no search runs: only the warmer loads them.
  const std::string first = pool.lease()->generation();
  CHECK(columns_warmed(pool, first));

  index.build(3);
  std::string second = first;
  REQUIRE(eventually([&] { return (second = pool.lease()->generation()) != first; }));
  // Leases take up the new generation only once the warmer has loaded its columns.
  CHECK(has_columns(pool, second));
  // And the pool's searches answer from the new generation.
  rights::SearchRequest request;
  request.query = "land";
  CHECK(pool.lease()->search(request).total == 3);
}

TEST_CASE("a searcher pool started before its index warms it once it appears", "[e2e][warming]") {
  const SmallIndex index("rights-e2e-warming-late");
  auto pool = warming_pool(index);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the warmer fails a few times meanwhile
  CHECK(pool.warm_facet_columns().empty());

  index.build(2);
  std::string generation;
  REQUIRE(eventually([&] {
    try {
      generation = pool.lease()->generation();
    } catch (const rights::IndexUnavailable&) {
      return false;
    }
    return true;
  }));
  CHECK(columns_warmed(pool, generation));
}
