// Parallel write lanes and runs (core/src/generation_writer.h): however a build is split
// while writing, the finished index holds exactly what a one-lane, one-run build holds.
#include <catch2/catch.hpp>

#include <xapian.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "rights/index_builder.h"
#include "rights/schema.h"
#include "temp_dir.h"

namespace fs = std::filesystem;
using rights::testing::TempDir;

namespace {

// Everything a search can see of one document, keyed by nothing Xapian assigns (its
// document id differs between layouts).
struct DocumentSnapshot {
  std::string data;
  std::map<Xapian::valueno, std::string> values;
  std::map<std::string, std::pair<Xapian::termcount, std::vector<Xapian::termpos>>> terms;
  Xapian::termcount length = 0;
  bool operator==(const DocumentSnapshot& other) const {
    return data == other.data && values == other.values && terms == other.terms && length == other.length;
  }
};

struct IndexSnapshot {
  std::map<std::string, DocumentSnapshot> documents;  // by our document id
  // term -> (document frequency, collection frequency): what BM25 and phrase search read.
  std::map<std::string, std::pair<Xapian::doccount, Xapian::termcount>> term_statistics;
  Xapian::totallength total_length = 0;
  std::string stem_languages;
};

IndexSnapshot snapshot(const fs::path& index) {
  Xapian::Database db(fs::canonical(index).string());
  IndexSnapshot out;
  for (auto term = db.allterms_begin(); term != db.allterms_end(); ++term) {
    out.term_statistics[*term] = {term.get_termfreq(), db.get_collection_freq(*term)};
  }
  const std::string id_prefix = rights::prefix::kId;
  for (auto id_term = db.allterms_begin(id_prefix); id_term != db.allterms_end(id_prefix); ++id_term) {
    const Xapian::docid did = *db.postlist_begin(*id_term);
    const Xapian::Document document = db.get_document(did);
    DocumentSnapshot& doc = out.documents[(*id_term).substr(id_prefix.size())];
    doc.data = document.get_data();
    for (auto value = document.values_begin(); value != document.values_end(); ++value) {
      doc.values[value.get_valueno()] = *value;
    }
    for (auto term = document.termlist_begin(); term != document.termlist_end(); ++term) {
      doc.terms[*term] = {term.get_wdf(), {term.positionlist_begin(), term.positionlist_end()}};
    }
    doc.length = db.get_doclength(did);
  }
  out.total_length = db.get_total_length();
  out.stem_languages = db.get_metadata(rights::kStemLanguagesKey);
  return out;
}

rights::BuildReport build(const fs::path& index, unsigned threads, unsigned shards, std::size_t per_run,
                          unsigned write_lanes = 0) {
  rights::BuildOptions options;
  options.analysis_threads = threads;
  options.write_lanes = write_lanes;
  options.shards = shards;
  options.documents_per_run = per_run;
  return rights::build_index(RIGHTS_CORPUS_DIR, index, options);
}

// Stem languages are compared for builds only: an update adds the languages of what it
// indexes to the old list and never drops one (a stale language only adds a stemmed
// alternative to queries).
void check_same(const IndexSnapshot& got, const IndexSnapshot& expected, bool compare_stem_languages = true) {
  REQUIRE(got.documents.size() == expected.documents.size());
  for (const auto& [id, doc] : expected.documents) {
    INFO("document " << id);
    REQUIRE(got.documents.count(id) == 1);
    CHECK(got.documents.at(id) == doc);
  }
  CHECK(got.term_statistics == expected.term_statistics);
  CHECK(got.total_length == expected.total_length);
  if (compare_stem_languages) CHECK(got.stem_languages == expected.stem_languages);
}

}  // namespace

TEST_CASE("lanes and runs merge into exactly the index one writer builds", "[integration][indexer][lanes]") {
  TempDir dir("write-lanes");
  const auto one_writer = dir.path() / "one";
  const auto report = build(one_writer, 1, 1, 0);
  REQUIRE(report.documents_indexed == 16);
  const IndexSnapshot expected = snapshot(one_writer);
  REQUIRE(expected.documents.size() == 16);
  REQUIRE_FALSE(expected.stem_languages.empty());

  SECTION("three lanes of two-document runs (8 runs merged)") {
    const auto index = dir.path() / "lanes";
    REQUIRE(build(index, 3, 1, 2).documents_indexed == 16);
    check_same(snapshot(index), expected);
    // One plain database, nothing of the runs left behind.
    const fs::path generation = fs::canonical(index);
    CHECK_FALSE(fs::exists(generation / rights::kStubFileName));
    for (const auto& entry : fs::directory_iterator(generation.parent_path())) {
      CHECK(entry.path().filename().string().find(".partial") == std::string::npos);
    }
    CHECK(Xapian::Database(generation.string()).get_lastdocid() == 16);
  }

  SECTION("one writer behind three analysis threads, in runs") {
    const auto index = dir.path() / "one-lane";
    REQUIRE(build(index, 3, 1, 5, /*write_lanes=*/1).documents_indexed == 16);
    check_same(snapshot(index), expected);
  }

  SECTION("three shards, each of several runs") {
    const auto index = dir.path() / "shards";
    REQUIRE(build(index, 2, 3, 2).documents_indexed == 16);
    check_same(snapshot(index), expected);
    const fs::path generation = fs::canonical(index);
    REQUIRE(rights::generation_shard_count(generation) == 3);
    for (unsigned shard = 0; shard < 3; ++shard) {
      Xapian::Database db((generation / ("shard-" + std::to_string(shard))).string());
      CHECK(db.get_metadata(rights::kShardKey) == std::to_string(shard) + "/3");
      rights::check_schema(db, generation.string());
      for (auto term = db.allterms_begin(rights::prefix::kId); term != db.allterms_end(rights::prefix::kId); ++term) {
        CHECK(rights::shard_of((*term).substr(1), 3) == shard);
      }
    }
  }

  SECTION("an update of a merged index changes it in place") {
    // The corpus, copied, with one document edited and one deleted; the expected index is
    // a one-writer build of the changed corpus.
    const auto corpus = dir.path() / "corpus";
    fs::copy(RIGHTS_CORPUS_DIR, corpus, fs::copy_options::recursive);
    const auto index = dir.path() / "lanes";
    rights::BuildOptions lanes;
    lanes.analysis_threads = 3;
    lanes.documents_per_run = 2;
    REQUIRE(rights::build_index(corpus, index, lanes).documents_indexed == 16);

    dir.write("corpus/documents/sar-kheng-meets-un-rapporteur-vitit-muntarbhorn.txt",
              "Sar Kheng met the UN rapporteur again on 3 March 2022 about land rights.");
    fs::remove(corpus / "udhr/udhr-rus.html");
    const auto update = rights::update_index(corpus, index, lanes);
    CHECK(update.documents_indexed == 1);
    CHECK(update.documents_removed == 1);
    CHECK(update.documents_unchanged == 14);

    rights::BuildOptions one_lane;
    one_lane.analysis_threads = 1;
    const auto reference = dir.path() / "reference";
    REQUIRE(rights::build_index(corpus, reference, one_lane).documents_indexed == 15);
    check_same(snapshot(index), snapshot(reference), /*compare_stem_languages=*/false);
  }
}
