// A running server picks up a new index generation (or a first index) without a restart,
// and no request fails while the indexer switches generations; the searcher pool loads
// each generation's facet columns on its own thread, before any request needs them.
#include <catch2/catch.hpp>

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

void write_small_corpus(const rights::testing::TempDir& directory, int files) {
  const char* const texts[] = {
      "The ministry answered the open letter about land rights.",
      "Monitors reported arrests of land rights activists in the province.",
      "A court hearing on land rights was postponed again.",
  };
  for (int i = 0; i < files; ++i) {
    directory.write("corpus/doc-" + std::to_string(i + 1) + ".txt", texts[i]);
  }
}

}  // namespace

TEST_CASE("a new generation is served within seconds, with no failed request", "[http][e2e]") {
  const rights::testing::TempDir directory("rights-e2e-reload");
  const auto corpus = directory.path() / "corpus";
  const auto index = directory.path() / "index";
  write_small_corpus(directory, 2);
  rights::build_index(corpus, index, {});

  searchd::ServerConfig config;
  config.index_path = index.string();
  RunningServer server(std::move(config));
  httplib::Client client("127.0.0.1", server.port());
  const std::string target = "/api/search?q=land";

  const auto before = get_json(client, target);
  REQUIRE(before.status == 200);
  CHECK(before.body["total"] == 2);

  write_small_corpus(directory, 3);
  rights::build_index(corpus, index, {});

  const auto deadline = Clock::now() + kReloadDeadline;
  std::uint64_t total = 0;
  int requests = 0;
  while (total != 3 && Clock::now() < deadline) {
    const auto reply = get_json(client, target);
    ++requests;
    REQUIRE(reply.status == 200);  // the switch never shows as an error
    total = reply.body["total"].get<std::uint64_t>();
    if (total != 3) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  INFO(requests << " requests while waiting");
  CHECK(total == 3);
}

TEST_CASE("an index that appears after start is served without a restart", "[http][e2e]") {
  const rights::testing::TempDir directory("rights-e2e-late-index");
  const auto corpus = directory.path() / "corpus";
  const auto index = directory.path() / "index";
  searchd::ServerConfig config;
  config.index_path = index.string();
  RunningServer server(std::move(config));
  httplib::Client client("127.0.0.1", server.port());

  CHECK(get_json(client, "/healthz").status == 503);

  write_small_corpus(directory, 2);
  rights::build_index(corpus, index, {});

  const auto deadline = Clock::now() + kReloadDeadline;
  int status = 0;
  while (status != 200 && Clock::now() < deadline) {
    status = get_json(client, "/healthz").status;
    if (status != 200) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  CHECK(status == 200);
  CHECK(get_json(client, "/api/search?q=land").body["total"] == 2);
}

namespace {

// True once `pool` holds facet columns of `generation` (its key is "generation@revision").
bool columns_warmed(const searchd::SearcherPool& pool, const std::string& generation) {
  const auto deadline = Clock::now() + kReloadDeadline;
  while (Clock::now() < deadline) {
    for (const auto& key : pool.warm_facet_columns()) {
      if (key.rfind(generation + "@", 0) == 0) return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

}  // namespace

TEST_CASE("the searcher pool loads each generation's facet columns without a request", "[e2e][warming]") {
  const rights::testing::TempDir directory("rights-e2e-warming");
  const auto corpus = directory.path() / "corpus";
  const auto index = directory.path() / "index";
  write_small_corpus(directory, 2);
  rights::build_index(corpus, index, {});

  searchd::SearcherPool pool(rights::IndexLocation{index.string(), {}}, std::make_shared<const rights::Authority>(),
                             std::chrono::milliseconds(50));
  // Opening a searcher reads no columns, and no search runs: only the warmer loads them.
  const std::string first = pool.lease()->generation();
  CHECK(columns_warmed(pool, first));

  write_small_corpus(directory, 3);
  rights::build_index(corpus, index, {});
  const auto deadline = Clock::now() + kReloadDeadline;
  std::string second = first;
  while (second == first && Clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    second = pool.lease()->generation();
  }
  REQUIRE(second != first);
  CHECK(columns_warmed(pool, second));
  // And the pool's searches answer from the new generation.
  rights::SearchRequest request;
  request.query = "land";
  CHECK(pool.lease()->search(request).total == 3);
}

TEST_CASE("a searcher pool started before its index warms it once it appears", "[e2e][warming]") {
  const rights::testing::TempDir directory("rights-e2e-warming-late");
  const auto corpus = directory.path() / "corpus";
  const auto index = directory.path() / "index";
  searchd::SearcherPool pool(rights::IndexLocation{index.string(), {}}, std::make_shared<const rights::Authority>(),
                             std::chrono::milliseconds(50));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the warmer fails a few times meanwhile
  CHECK(pool.warm_facet_columns().empty());

  write_small_corpus(directory, 2);
  rights::build_index(corpus, index, {});
  const auto deadline = Clock::now() + kReloadDeadline;
  std::string generation;
  while (generation.empty() && Clock::now() < deadline) {
    try {
      generation = pool.lease()->generation();
    } catch (const rights::IndexUnavailable&) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }
  REQUIRE(!generation.empty());
  CHECK(columns_warmed(pool, generation));
}
