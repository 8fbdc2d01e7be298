// New data reaching readers without a restart: remote shards rebuilt behind xapian-tcpsrv,
// replicas kept by xapian-replicate, and near-equal weights that must rank alike in one
// index and in shards across page boundaries.
#include <catch2/catch.hpp>

#include <algorithm>
#include <filesystem>

#include "e2e_fixture.h"
#include "process.h"
#include "rights/search.h"
#include "shard_fixture.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using rights::Searcher;
using rights::SearchRequest;
using rights::e2e::corpus_authority;
using rights::e2e::indexer_build;
using rights::e2e::shard_request;
using rights::e2e::ShardServers;
using rights::testing::TempDir;

namespace {

// A copy of the sample corpus that a test may add files to.
fs::path copy_of_corpus(const TempDir& directory) {
  const fs::path corpus = directory.path() / "corpus";
  fs::copy(RIGHTS_CORPUS_DIR, corpus, fs::copy_options::recursive);
  return corpus;
}

// Enough terms that shards sum them in another order than the single index does (their
// query trees follow their own term frequencies): equal weights there differ in the last bit.
const char* const kTieQuery =
    "joint OR statement OR on OR land OR rights OR defenders OR may OR 2021 OR ministry OR the OR families";

const char* const kAddedStatement =
    "Statement on the eviction of the Boeung Kak lake residents, 3 March 2023. The "
    "residents' land rights were ignored.";

}  // namespace

TEST_CASE("remote shards serve a new generation after refresh", "[shards][e2e]") {
  TempDir directory("rights-e2e-shard-rebuild");
  const fs::path corpus = copy_of_corpus(directory);
  const fs::path index = directory.path() / "index";
  indexer_build(corpus, index, rights::e2e::kTestShards);
  // Each tcpsrv serves INDEX/shard-N through the indexer's symlink.
  ShardServers servers(index, directory.path());
  Searcher remote(servers.location(), corpus_authority());
  REQUIRE(remote.stats(true).documents == 16);
  const std::string generation = remote.generation();

  directory.write("corpus/added/boeung-kak.txt", kAddedStatement);
  indexer_build(corpus, index, rights::e2e::kTestShards);
  REQUIRE(remote.refresh());
  CHECK(remote.generation() != generation);
  CHECK(remote.stats(true).documents == 17);
  const auto everything = remote.search(shard_request("", 100));
  CHECK(everything.total == 17);
  std::uint64_t by_year = 0;
  for (const auto& count : everything.facets.at("year")) by_year += count.count;
  CHECK(by_year == 17);  // statistics and documents of one and the same generation
  const auto found = remote.search(shard_request("boeung kak"));
  REQUIRE(found.total == 1);
  CHECK(found.hits.front().id == "added/boeung-kak");
  CHECK_FALSE(remote.refresh());  // nothing new since
}

TEST_CASE("a replica made by xapian-replicate is picked up by refresh", "[replica][e2e]") {
  TempDir directory("rights-e2e-replica");
  const fs::path corpus = copy_of_corpus(directory);
  const fs::path master = directory.path() / "master";
  const fs::path replica = directory.path() / "replica" / "index";
  fs::create_directories(master);
  fs::create_directories(replica.parent_path());
  indexer_build(corpus, master / "index", 1);

  // The master directory holds INDEX_PATH (a symlink); clients name it relative to it.
  const auto server = rights::e2e::start_replicate_server(master.string(), (directory.path() / "server.log").string());
  const std::string replicate_program = rights::e2e::find_program("xapian-replicate");
  const auto replicate_once = [&] {
    const auto result = rights::testing::run_command({replicate_program, "-h", "127.0.0.1", "-p",
                                                      std::to_string(server->port()), "-m", "index", "-o",
                                                      replica.string()});
    INFO(result.output);
    REQUIRE(result.exit_code == 0);
  };

  replicate_once();
  Searcher searcher(replica.string(), corpus_authority());
  REQUIRE(searcher.stats(true).documents == 16);
  CHECK_FALSE(searcher.refresh());

  // A rebuild is a new database (new UUID): the replica gets a full copy in a new
  // directory and its XAPIANDB stub is rewritten, which reopen() alone would not see.
  directory.write("corpus/added/boeung-kak.txt", kAddedStatement);
  indexer_build(corpus, master / "index", 1);
  replicate_once();
  REQUIRE(searcher.refresh());
  CHECK(searcher.stats(true).documents == 17);
  REQUIRE(searcher.search(shard_request("boeung kak")).total == 1);
  CHECK_FALSE(searcher.refresh());
}

TEST_CASE("near-equal weights rank alike in one index and in shards, across pages", "[shards][e2e]") {
  // Identical documents get equal weights in one index but, in shards, weights that may
  // differ in the last bit; ties go by date then id, newest first, wherever they fall.
  TempDir directory("rights-e2e-shard-ties");
  const std::string text = "Joint statement on land rights defenders, 12 May 2021.";
  for (int copy = 0; copy < 23; ++copy) {
    directory.write("corpus/copies/copy-" + std::to_string(100 + copy) + ".txt", text);
  }
  directory.write("corpus/other/older.txt", "Land rights defenders were arrested, 2 June 2019.");
  directory.write("corpus/other/longer.txt",
                  "Land rights defenders and their families asked the ministry about the land. 2020");
  const fs::path single_index = directory.path() / "single";
  const fs::path sharded_index = directory.path() / "sharded";
  indexer_build(directory.path() / "corpus", single_index, 1);
  indexer_build(directory.path() / "corpus", sharded_index, rights::e2e::kTestShards);
  ShardServers servers(sharded_index, directory.path());

  Searcher single(single_index.string(), corpus_authority());
  Searcher local_shards(sharded_index.string(), corpus_authority());
  Searcher remote_shards(servers.location(), corpus_authority());

  const auto all = single.search(shard_request(kTieQuery, 100));
  REQUIRE(all.total == 25);
  std::vector<std::string> copies;
  for (const auto& hit : all.hits) {
    if (hit.id.rfind("copies/", 0) == 0) copies.push_back(hit.id);
  }
  REQUIRE(copies.size() == 23);
  CHECK(std::is_sorted(copies.rbegin(), copies.rend()));  // equal weight and date: id, descending

  for (const int per_page : {4, 7, 10, 100}) {
    for (int page = 1; (page - 1) * per_page < 25; ++page) {
      const auto search = shard_request(kTieQuery, per_page, page);
      INFO(rights::e2e::describe(search));
      const auto paged = single.search(search);
      // The page is its slice of the whole ranking (one window, nothing to widen).
      const auto first = static_cast<std::size_t>((page - 1) * per_page);
      REQUIRE(paged.hits.size() == std::min<std::size_t>(static_cast<std::size_t>(per_page), all.hits.size() - first));
      for (std::size_t i = 0; i < paged.hits.size(); ++i) {
        CHECK(paged.hits[i].id == all.hits[first + i].id);
      }
      const auto expected = rights::e2e::digest(paged);
      rights::e2e::check_same_answer(expected, rights::e2e::digest(local_shards.search(search)));
      rights::e2e::check_same_answer(expected, rights::e2e::digest(remote_shards.search(search)));
    }
  }
}
