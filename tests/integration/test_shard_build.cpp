// `indexer build --shards N`, `indexer update` and `indexer stats` on sharded indexes,
// through the real binary.
#include <catch2/catch.hpp>

#include <xapian.h>

#include <filesystem>

#include "process.h"
#include "rights/index_builder.h"
#include "rights/schema.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using rights::testing::run_command;
using rights::testing::TempDir;

namespace {

rights::testing::CommandResult indexer(const std::vector<std::string>& args) {
  std::vector<std::string> argv{RIGHTS_INDEXER_BIN};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv);
}

// Document id -> the shard (0-based) holding it.
std::map<std::string, unsigned> placement(const fs::path& generation, unsigned shards) {
  std::map<std::string, unsigned> where;
  for (unsigned shard = 0; shard < shards; ++shard) {
    Xapian::Database db((generation / ("shard-" + std::to_string(shard))).string());
    for (auto term = db.allterms_begin("Q"); term != db.allterms_end("Q"); ++term) {
      where[(*term).substr(1)] = shard;
    }
  }
  return where;
}

}  // namespace

TEST_CASE("build --shards splits the corpus by document id", "[integration][indexer][shards]") {
  TempDir dir("indexer-shards");
  const auto index = dir.path() / "index";
  const auto result = indexer({"build", RIGHTS_CORPUS_DIR, "--index", index.string(), "--shards", "4"});
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.output, Catch::Contains("16 indexed") && Catch::Contains("(4 shards)"));

  const fs::path generation = fs::canonical(index);
  CHECK(rights::generation_shard_count(generation) == 4);
  const auto where = placement(generation, 4);
  CHECK(where.size() == 16);
  for (const auto& [id, shard] : where) CHECK(shard == rights::shard_of(id, 4));
  // The stub joins them: one Database, and the metadata of every shard.
  Xapian::Database all(generation.string());
  CHECK(all.get_doccount() == 16);
  rights::check_schema(all, index.string());

  const auto stats = indexer({"stats", "--index", index.string()});
  INFO(stats.output);
  REQUIRE(stats.exit_code == 0);
  CHECK_THAT(stats.output, Catch::Contains("shards      4") && Catch::Contains("documents   16"));
}

TEST_CASE("update keeps the shard count and puts new documents in their shard", "[integration][indexer][shards]") {
  TempDir dir("indexer-shards-update");
  const auto corpus = dir.path() / "corpus";
  const auto index = dir.path() / "index";
  dir.write("corpus/a.txt", "Statement on land rights, 12 May 2021.");
  dir.write("corpus/b.txt", "Letter to the ministry of interior, 3 June 2021.");
  REQUIRE(indexer({"build", corpus.string(), "--index", index.string(), "--shards", "3"}).exit_code == 0);

  dir.write("corpus/c.txt", "Report on forced evictions, 2022.");
  std::filesystem::remove(corpus / "a.txt");
  const auto updated = indexer({"update", corpus.string(), "--index", index.string()});
  INFO(updated.output);
  REQUIRE(updated.exit_code == 0);
  CHECK_THAT(updated.output, Catch::Contains("1 indexed, 1 unchanged, 1 removed") && Catch::Contains("(3 shards)"));
  const fs::path generation = fs::canonical(index);
  REQUIRE(rights::generation_shard_count(generation) == 3);
  const auto where = placement(generation, 3);
  CHECK(where == std::map<std::string, unsigned>{{"b", rights::shard_of("b", 3)}, {"c", rights::shard_of("c", 3)}});
  for (unsigned shard = 0; shard < 3; ++shard) {
    Xapian::Database db((generation / ("shard-" + std::to_string(shard))).string());
    CHECK(db.get_metadata(rights::kGenerationKey) == generation.filename().string());
    CHECK(db.get_metadata(rights::kShardKey) == std::to_string(shard) + "/3");
  }

  // Another count would move documents between shards: only a fresh build does that.
  const auto other_count = indexer({"update", corpus.string(), "--index", index.string(), "--shards", "2"});
  CHECK(other_count.exit_code == 3);
  CHECK_THAT(other_count.output, Catch::Contains("has 3 shard(s), not 2"));
  CHECK(fs::canonical(index) == generation);  // untouched

  const auto rebuilt = indexer({"build", corpus.string(), "--index", index.string(), "--shards", "2"});
  REQUIRE(rebuilt.exit_code == 0);
  CHECK(rights::generation_shard_count(fs::canonical(index)) == 2);
  REQUIRE(indexer({"build", corpus.string(), "--index", index.string(), "--shards", "1"}).exit_code == 0);
  CHECK(rights::generation_shard_count(fs::canonical(index)) == 1);
  CHECK_FALSE(fs::exists(fs::canonical(index) / "XAPIANDB"));
}

TEST_CASE("build without --shards keeps the shard count of the index it replaces", "[integration][indexer][shards]") {
  TempDir dir("indexer-shards-keep");
  const auto corpus = dir.path() / "corpus";
  const auto index = dir.path() / "index";
  dir.write("corpus/a.txt", "Statement on land rights, 12 May 2021.");
  dir.write("corpus/b.txt", "Letter to the ministry of interior, 3 June 2021.");
  // A first build without --shards: one database.
  REQUIRE(indexer({"build", corpus.string(), "--index", index.string()}).exit_code == 0);
  CHECK(rights::generation_shard_count(fs::canonical(index)) == 1);

  REQUIRE(indexer({"build", corpus.string(), "--index", index.string(), "--shards", "3"}).exit_code == 0);
  // A nightly rebuild that does not repeat --shards: still 3 (servers of shard-k rely on it).
  const auto nightly = indexer({"build", corpus.string(), "--index", index.string()});
  INFO(nightly.output);
  REQUIRE(nightly.exit_code == 0);
  CHECK_THAT(nightly.output, Catch::Contains("(3 shards)"));
  const fs::path generation = fs::canonical(index);
  CHECK(rights::generation_shard_count(generation) == 3);
  CHECK(placement(generation, 3).size() == 2);

  // Its generation gone (deleted by hand): nothing to keep, one database.
  fs::remove_all(generation);
  REQUIRE(indexer({"build", corpus.string(), "--index", index.string()}).exit_code == 0);
  CHECK(rights::generation_shard_count(fs::canonical(index)) == 1);

  // A stub whose shard count cannot be read: the build says how to go on, and leaves it.
  REQUIRE(indexer({"build", corpus.string(), "--index", index.string(), "--shards", "2"}).exit_code == 0);
  const fs::path sharded = fs::canonical(index);
  fs::remove_all(sharded / "shard-0");
  const auto unreadable = indexer({"build", corpus.string(), "--index", index.string()});
  CHECK(unreadable.exit_code == 3);
  CHECK_THAT(unreadable.output, Catch::Contains("give --shards N"));
  CHECK(fs::canonical(index) == sharded);
  REQUIRE(indexer({"build", corpus.string(), "--index", index.string(), "--shards", "1"}).exit_code == 0);
  CHECK(rights::generation_shard_count(fs::canonical(index)) == 1);
}

TEST_CASE("indexer refuses shard counts outside 1..64", "[integration][indexer][shards]") {
  TempDir dir("indexer-shards-usage");
  const auto index = (dir.path() / "index").string();
  for (const char* bad : {"0", "65", "two", "-1"}) {
    INFO(bad);
    const auto result = indexer({"build", RIGHTS_CORPUS_DIR, "--index", index, "--shards", bad});
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Catch::Contains("--shards"));
  }
  CHECK_FALSE(fs::exists(index));
}
