// When searchers take up a new index generation. With a warmer loading the facet columns
// (SearchCaches::facet_columns_warmed_elsewhere), a searcher stays on the generation it has
// until the new one's columns are loaded, so no request after a rebuild counts facets with
// Xapian's spies; but not past the wait limit, nor once its generation is gone from disk.
#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "rights/index_builder.h"
#include "rights/match_count_cache.h"
#include "rights/search.h"
#include "temp_dir.h"

using rights::Searcher;

namespace {

std::uint64_t land_matches(Searcher& searcher) {
  rights::SearchRequest request;
  request.query = "land";
  return searcher.search(request).total;
}

// An index of one-line texts about land rights, and caches shared as in searchd: a
// warmer, not the requests, loads the facet columns.
class IndexWithWarmer {
 public:
  explicit IndexWithWarmer(const char* name) : dir_(name) { build_generation(1); }
  /// Builds a new generation of `files` texts.
  void build_generation(int files) const {
    for (int i = 1; i <= files; ++i) {
      dir_.write("corpus/doc-" + std::to_string(i) + ".txt", "Land rights report number " + std::to_string(i) + ".");
    }
    rights::build_index(dir_.path() / "corpus", dir_.path() / "index", {});
  }
  /// A searcher sharing the caches (requests' and the warmer's alike).
  Searcher searcher() const { return Searcher(location(), nullptr, caches); }
  rights::IndexLocation location() const { return rights::IndexLocation{(dir_.path() / "index").string(), {}}; }

  const std::shared_ptr<rights::SearchCaches> caches = std::make_shared<rights::SearchCaches>(
      rights::MatchCountCache::kDefaultBytes, /*columns_warmed_elsewhere=*/true);

 private:
  rights::testing::TempDir dir_;
};

}  // namespace

TEST_CASE("with a warmer, a new generation is taken up once its columns are loaded",
          "[integration][generation_switch]") {
  const IndexWithWarmer index("rights-switch-when-warm");
  Searcher request_searcher = index.searcher();
  Searcher warmer = index.searcher();
  REQUIRE(warmer.warm());
  const std::string first = request_searcher.generation();

  index.build_generation(2);
  CHECK_FALSE(request_searcher.refresh());
  CHECK(request_searcher.generation() == first);
  CHECK(land_matches(request_searcher) == 1);  // still answering, from the first generation

  REQUIRE(warmer.refresh(Searcher::NewGeneration::at_once));
  CHECK(warmer.generation() != first);
  CHECK_FALSE(request_searcher.refresh());  // the warmer has the generation, not its columns yet
  REQUIRE(warmer.warm());
  CHECK(request_searcher.refresh());
  CHECK(request_searcher.generation() == warmer.generation());
  CHECK(land_matches(request_searcher) == 2);
  CHECK_FALSE(request_searcher.refresh());
}

TEST_CASE("a searcher does not wait for columns past the limit, nor once its generation is gone",
          "[integration][generation_switch]") {
  const IndexWithWarmer index("rights-switch-anyway");
  Searcher searcher = index.searcher();
  const std::string first = searcher.generation();

  SECTION("the wait limit has passed") {
    index.build_generation(2);
    REQUIRE_FALSE(searcher.refresh());
    index.caches->longest_wait_for_warm_columns = std::chrono::seconds(0);
    CHECK(searcher.refresh());
    CHECK(land_matches(searcher) == 2);
  }
  SECTION("the indexer removed the generation open (it keeps only the previous one)") {
    index.build_generation(2);
    REQUIRE_FALSE(searcher.refresh());
    index.build_generation(3);
    REQUIRE_FALSE(std::filesystem::exists(first));
    CHECK(searcher.refresh());
    CHECK(land_matches(searcher) == 3);
  }
  SECTION("the wait starts afresh when the symlink went back in between") {
    const auto index_path = std::filesystem::path(index.location().index_path);
    const auto first_target = std::filesystem::read_symlink(index_path);
    index.build_generation(2);
    const auto second_target = std::filesystem::read_symlink(index_path);
    const auto point_at = [&](const std::filesystem::path& target) {
      const auto staging = index_path.string() + ".test-switch";
      std::filesystem::create_symlink(target, staging);
      std::filesystem::rename(staging, index_path);
    };
    index.caches->longest_wait_for_warm_columns = std::chrono::milliseconds(300);
    REQUIRE_FALSE(searcher.refresh());  // waiting for the second generation
    point_at(first_target);
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    REQUIRE_FALSE(searcher.refresh());  // back on the first: nothing to take up
    point_at(second_target);
    CHECK_FALSE(searcher.refresh());  // a new wait, not the old one's overdue clock
    CHECK(searcher.generation() == first);
  }
  SECTION("without a warmer, at once") {
    Searcher own_columns(index.location(), nullptr);  // loads its columns itself
    index.build_generation(2);
    CHECK(own_columns.refresh());
    CHECK(land_matches(own_columns) == 2);
  }
}

TEST_CASE("a searcher says how it counts facets: loaded columns, columns still loading, or spies",
          "[integration][generation_switch][facet_counting]") {
  using Counting = Searcher::FacetCounting;
  const IndexWithWarmer index("rights-facet-counting");

  SECTION("with a warmer: loading until the warmer has loaded the columns of this generation") {
    Searcher searcher = index.searcher();
    CHECK(searcher.facet_counting() == Counting::columns_loading);
    CHECK(land_matches(searcher) == 1);  // a search does not load them (it counts with spies)
    CHECK(searcher.facet_counting() == Counting::columns_loading);
    Searcher warmer = index.searcher();
    REQUIRE(warmer.warm());
    CHECK(searcher.facet_counting() == Counting::columns);

    index.build_generation(2);  // the warmer's next generation: loading again once taken up
    REQUIRE(warmer.refresh(Searcher::NewGeneration::at_once));
    CHECK(warmer.facet_counting() == Counting::columns_loading);
    CHECK(searcher.facet_counting() == Counting::columns);  // still on the warm generation
  }
  SECTION("without a warmer, the first search loads them") {
    Searcher own_columns(index.location(), nullptr);
    CHECK(own_columns.facet_counting() == Counting::columns_loading);
    CHECK(land_matches(own_columns) == 1);
    CHECK(own_columns.facet_counting() == Counting::columns);
  }
  SECTION("shards count with spies") {
    rights::testing::TempDir dir("rights-facet-counting-shards");
    dir.write("corpus/a.txt", "Land rights report.");
    dir.write("corpus/b.txt", "Another land rights report.");
    rights::BuildOptions options;
    options.shards = 2;
    rights::build_index(dir.path() / "corpus", dir.path() / "index", options);
    Searcher sharded((dir.path() / "index").string(), nullptr);
    CHECK(sharded.facet_counting() == Counting::spies);
    CHECK(land_matches(sharded) == 2);
  }
}

TEST_CASE("a database copied in over the generation being served is opened afresh, never mixed with the old",
          "[integration][generation]") {
  // An operator's rsync (or a generation name back after a rollback) replaces the files
  // under the path searchd serves. Database::reopen() would keep the old tables under the
  // new statistics (both at revision 1), and the caches would file old counts and ranks
  // under the new database's key: wrong totals, and 500s for document ids that are gone.
  rights::testing::TempDir dir("rights-copied-in");
  for (int i = 1; i <= 4; ++i) dir.write("small/doc-" + std::to_string(i) + ".txt", "Land rights report " + std::to_string(i) + ".");
  for (int i = 1; i <= 9; ++i) dir.write("large/doc-" + std::to_string(i) + ".txt", "Land and housing " + std::to_string(i) + ".");
  dir.write("large/other.txt", "Forests.");
  rights::build_index(dir.path() / "large", dir.path() / "large-index", {});
  rights::build_index(dir.path() / "small", dir.path() / "index", {});
  const rights::IndexLocation location{(dir.path() / "index").string(), {}};
  auto caches = std::make_shared<rights::SearchCaches>();
  Searcher searcher(location, nullptr, caches);
  rights::SearchRequest request;
  request.query = "land";
  REQUIRE(searcher.search(request).total == 4);  // counts and ranks now cached

  // Copy the large index's files over the served generation, each through a temporary
  // name renamed over the old one, as rsync does.
  const auto served = std::filesystem::canonical(dir.path() / "index");
  const auto source = std::filesystem::canonical(dir.path() / "large-index");
  for (const auto& entry : std::filesystem::directory_iterator(source)) {
    const auto temporary = served / ("." + entry.path().filename().string() + ".tmp");
    std::filesystem::copy_file(entry.path(), temporary);
    std::filesystem::rename(temporary, served / entry.path().filename());
  }
  searcher.refresh();
  Searcher fresh(location, nullptr, std::make_shared<rights::SearchCaches>(0));
  const auto expected = fresh.search(request);
  REQUIRE(expected.total == 9);
  for (int repeat = 0; repeat < 2; ++repeat) {
    const auto got = searcher.search(request);
    CHECK(got.total == expected.total);
    REQUIRE(got.hits.size() == expected.hits.size());
    for (std::size_t i = 0; i < got.hits.size(); ++i) CHECK(got.hits[i].id == expected.hits[i].id);
  }
}
