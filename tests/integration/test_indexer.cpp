// The indexer CLI contract, end to end through the real binary.
#include <catch2/catch.hpp>

#include <algorithm>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xapian.h>

#include <chrono>
#include <random>
#include <thread>

#include "process.h"
#include "rights/schema.h"
#include "rights/text_analysis.h"
#include "temp_dir.h"

using rights::testing::ChildProcess;
using rights::testing::run_command;
using rights::testing::TempDir;

namespace {

const std::string kIndexer = RIGHTS_INDEXER_BIN;
const std::string kCorpus = RIGHTS_CORPUS_DIR;

rights::testing::CommandResult indexer(const std::vector<std::string>& args) {
  std::vector<std::string> argv{kIndexer};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv);
}

Xapian::doccount document_count(const std::string& index) { return Xapian::Database(index).get_doccount(); }

// The usual layout of a test: DIR/corpus indexed into DIR/index.
std::string index_in(const TempDir& dir) { return (dir.path() / "index").string(); }
rights::testing::CommandResult index_corpus(const TempDir& dir, const std::string& command = "build") {
  return indexer({command, (dir.path() / "corpus").string(), "--index", index_in(dir)});
}

// Runs the indexer as a user that permissions apply to. Root reads and writes anything,
// so under root (CI) the indexer runs as nobody, given the files of `dir` it needs.
class UnprivilegedIndexer {
 public:
  explicit UnprivilegedIndexer(const TempDir& dir) {
    if (::geteuid() != 0) return;
    REQUIRE(::chown(dir.path().c_str(), kNobody, kNobody) == 0);
    for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.path())) {
      REQUIRE(::lchown(entry.path().c_str(), kNobody, kNobody) == 0);
    }
    std::filesystem::permissions(dir.path(), std::filesystem::perms::others_exec, std::filesystem::perm_options::add);
    prefix_ = {"/usr/bin/setpriv", "--reuid=" + std::to_string(kNobody), "--regid=" + std::to_string(kNobody),
               "--clear-groups"};
  }
  rights::testing::CommandResult operator()(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = prefix_;
    argv.push_back(kIndexer);
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv);
  }

 private:
  static constexpr unsigned kNobody = 65534;
  std::vector<std::string> prefix_;
};

std::string generation_of(const std::filesystem::path& index) {
  return std::filesystem::canonical(index).filename().string();
}

// Writes `count` small documents (English + Khmer) so a build takes long enough to be killed.
void write_large_corpus(const TempDir& dir, int count) {
  for (int i = 0; i < count; ++i) {
    std::string text = "Report " + std::to_string(i) + " on impunity and សិទ្ធិមនុស្ស.\n";
    for (int line = 0; line < 40; ++line) text += "The ministry of interior answered the letter number " + std::to_string(line) + ".\n";
    dir.write("big/doc" + std::to_string(i) + ".txt", text);
  }
}

}  // namespace

TEST_CASE("build indexes the whole sample corpus with nothing dropped", "[integration][indexer]") {
  TempDir dir("indexer-build");
  const auto index = (dir.path() / "index").string();
  const auto result = indexer({"build", kCorpus, "--index", index});
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  CHECK_THAT(result.output, Catch::Contains("16 files, 16 indexed") && Catch::Contains("0 failed"));
  Xapian::Database db(index);
  CHECK(db.get_doccount() == 16);
  rights::check_schema(db, index);
  // A Khmer word of the UDHR and a Khmer name from the open letter are whole words.
  CHECK(db.get_termfreq("សិទ្ធិមនុស្ស") >= 1);
  CHECK(db.get_termfreq("សុភា") >= 1);
  // "Keut Rith" (letter) and "Koeut Rith" (article) are one actor.
  CHECK(db.get_termfreq("XAkoeut-rith") == 2);
  CHECK(db.get_termfreq("XYundated") == 3);
}

TEST_CASE("a plain folder without manifest works and ids are relative paths", "[integration][indexer]") {
  TempDir dir("indexer-plain");
  dir.write("corpus/a.txt", "First note about impunity, 12 May 2021.");
  dir.write("corpus/sub/b.md", "# Heading\n\nSecond note.");
  const auto index = (dir.path() / "index").string();
  const auto result = indexer({"build", (dir.path() / "corpus").string(), "--index", index});
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  Xapian::Database db(index);
  CHECK(db.get_termfreq("Qa") == 1);
  CHECK(db.get_termfreq("Qsub/b") == 1);
  CHECK(db.get_termfreq("XY2021") == 1);  // date found in the text
}

TEST_CASE("a document's date: the manifest's, else the one its file declares, else the latest in its text",
          "[integration][indexer][dates]") {
  TempDir dir("indexer-dates");
  const std::string cites = "It recalls the arrests of 3 March 2018 and the hearing of 9 June 2023.";
  dir.write("corpus/post.md", "---\ntitle: Statement\ndate: 2021-05-12\n---\n" + cites);
  dir.write("corpus/page.html", "<html><head><meta name=\"citation_publication_date\" content=\"2020/11/02\">"
                                "</head><body><p>" + cites + "</p></body></html>");
  dir.write("corpus/note.txt", cites);
  dir.write("corpus/listed.md", "---\ndate: 2021-05-12\n---\n" + cites);
  dir.write("corpus/manifest.json", R"({"manifest_version": 1, "documents": [
      {"id": "listed", "path": "listed.md", "date": "2019-07"}]})");
  const auto result = index_corpus(dir);
  INFO(result.output);
  REQUIRE(result.exit_code == 0);
  Xapian::Database db(index_in(dir));
  const auto year_of = [&](const std::string& id) {
    Xapian::Enquire enquire(db);
    enquire.set_query(Xapian::Query("Q" + id));
    const Xapian::MSet found = enquire.get_mset(0, 1);
    REQUIRE(found.size() == 1);
    std::string years;
    for (auto term = db.termlist_begin(*found.begin()); term != db.termlist_end(*found.begin()); ++term) {
      if ((*term).rfind("XY", 0) == 0) years += (*term).substr(2);
    }
    return years;
  };
  CHECK(year_of("post") == "2021");     // front matter, not the later hearing of 2023
  CHECK(year_of("page") == "2020");     // <meta>
  CHECK(year_of("note") == "2023");     // nothing declared: the latest date in the text
  CHECK(year_of("listed") == "2019");   // the manifest beats the file
}

TEST_CASE("an id too long for a Xapian term fails its file: a long path with a short id is indexed",
          "[integration][indexer][corpus]") {
  TempDir dir("indexer-long-ids");
  std::string khmer_name;  // 81 Khmer characters, 243 bytes: a title used as a file name
  for (int i = 0; i < 9; ++i) khmer_name += "របាយការណ៍";
  std::string deep;  // 9 directories: a 261-byte path
  for (int i = 0; i < 9; ++i) deep += "subdirectory-of-reports-0" + std::to_string(i) + "/";
  dir.write("corpus/" + khmer_name + ".txt", "Khmer named report on land rights.");
  dir.write("corpus/" + deep + "annual-report-2021.txt", "Deep annual report on land rights.");
  dir.write("corpus/" + deep + "named.txt", "Deep report with a manifest id, on land rights.");
  dir.write("corpus/a.txt", "A short statement on land rights.");
  dir.write("corpus/manifest.json", R"({"manifest_version": 1, "documents": [{"id": "deep-named", "path": ")" +
                                        deep + R"(named.txt"}]})");
  for (const std::string command : {"build", "update"}) {
    INFO(command);
    const auto result = index_corpus(dir, command);
    INFO(result.output);
    CHECK(result.exit_code == 1);
    if (command == "build") {
      CHECK_THAT(result.output, Catch::Contains("2 indexed") && Catch::Contains("2 failed"));
    } else {
      CHECK_THAT(result.output, Catch::Contains("0 indexed, 2 unchanged") && Catch::Contains("2 failed"));
    }
    CHECK_THAT(result.output, Catch::Contains("FAILED " + khmer_name + ".txt: document id of 243 bytes, longer than 200"));
    CHECK_THAT(result.output, Catch::Contains("FAILED " + deep + "annual-report-2021.txt: document id of"));
    Xapian::Database db(index_in(dir));
    CHECK(db.get_doccount() == 2);
    CHECK(db.get_termfreq("Qdeep-named") == 1);
    CHECK(db.get_termfreq("Qa") == 1);
  }
  // The long-path document goes when its file goes (found by its cut path term).
  std::filesystem::remove(dir.path() / "corpus" / deep / "named.txt");
  dir.write("corpus/manifest.json", R"({"manifest_version": 1, "documents": []})");
  const auto removed = index_corpus(dir, "update");
  INFO(removed.output);
  CHECK_THAT(removed.output, Catch::Contains("1 removed"));
  CHECK(Xapian::Database(index_in(dir)).get_termfreq("Qdeep-named") == 0);
}

TEST_CASE("each generation carries the authority it was built with: an update brings it to an index without",
          "[integration][indexer]") {
  TempDir dir("indexer-stored-authority");
  dir.write("corpus/a.txt", "A statement by Zebra Watch on land rights.");
  dir.write("corpus/authority/actors.json", R"({"actors": [{"id": "zebra-watch", "name": "Zebra Watch"}]})");
  REQUIRE(index_corpus(dir).exit_code == 0);
  const auto stored = [&] { return Xapian::Database(index_in(dir)).get_metadata(rights::kAuthorityKey); };
  CHECK_THAT(stored(), Catch::Contains("zebra-watch"));
  // As an indexer that did not store it would have left it.
  {
    Xapian::WritableDatabase old(std::filesystem::canonical(index_in(dir)).string());
    old.set_metadata(rights::kAuthorityKey, "");
    old.commit();
  }
  REQUIRE(stored().empty());
  const auto served = generation_of(index_in(dir));
  const auto updated = index_corpus(dir, "update");
  INFO(updated.output);
  CHECK(updated.exit_code == 0);
  CHECK_THAT(updated.output, Catch::Contains("0 indexed, 1 unchanged"));
  CHECK(generation_of(index_in(dir)) != served);  // a new generation, for the metadata alone
  CHECK_THAT(stored(), Catch::Contains("zebra-watch"));
  // Nothing changed at all: no new generation.
  const auto again = generation_of(index_in(dir));
  CHECK(index_corpus(dir, "update").exit_code == 0);
  CHECK(generation_of(index_in(dir)) == again);
  // The authority files go: the next generation carries none, not the one before.
  std::filesystem::remove_all(dir.path() / "corpus/authority");
  CHECK(index_corpus(dir, "update").exit_code == 0);
  CHECK(stored().empty());
}

TEST_CASE("bad files are reported one line each, skipped, and the run goes on", "[integration][indexer]") {
  TempDir dir("indexer-bad");
  dir.write("corpus/good.txt", "A good document about justice.");
  dir.write("corpus/empty.txt", "");
  dir.write("corpus/binary.txt", std::string("abc\0def", 7));
  dir.write("corpus/latin1.txt", "caf\xe9 au lait");
  dir.write("corpus/broken.pdf", "%PDF-1.4 this is not really a pdf");
  dir.write("corpus/script-only.html", "<html><body><script>var a = 1;</script></body></html>");
  dir.write("corpus/notes.docx", "unsupported");
  const auto index = (dir.path() / "index").string();
  const auto result = indexer({"build", (dir.path() / "corpus").string(), "--index", index});
  INFO(result.output);
  CHECK(result.exit_code == 1);
  for (const char* name : {"empty.txt", "binary.txt", "latin1.txt", "broken.pdf", "script-only.html"}) {
    CHECK_THAT(result.output, Catch::Contains(std::string("FAILED ") + name + ": "));
  }
  CHECK_THAT(result.output, Catch::Contains("invalid UTF-8 at byte 3"));
  CHECK_THAT(result.output, Catch::Contains("not indexed (unsupported type): notes.docx"));
  CHECK(document_count(index) == 1);
}

TEST_CASE("duplicate ids and manifest entries without a file are reported, the rest indexed",
          "[integration][indexer]") {
  TempDir dir("indexer-manifest");
  dir.write("corpus/docs/a.txt", "First letter about land.");
  dir.write("corpus/docs/b.txt", "Second letter about land.");
  dir.write("corpus/docs/c.txt", "Third letter about land.");
  dir.write("corpus/manifest.json", R"({"manifest_version": 1, "documents": [
      {"id": "letter", "path": "docs/a.txt"},
      {"id": "letter", "path": "docs/b.txt"},
      {"id": "gone", "path": "docs/missing.txt"}]})");
  const auto index = (dir.path() / "index").string();
  const auto result = indexer({"build", (dir.path() / "corpus").string(), "--index", index});
  INFO(result.output);
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.output, Catch::Contains("FAILED docs/b.txt: duplicate document id \"letter\" (already used by docs/a.txt)"));
  CHECK_THAT(result.output, Catch::Contains("FAILED docs/missing.txt: listed in manifest.json but missing or unsupported"));
  Xapian::Database db(index);
  CHECK(db.get_doccount() == 2);
  CHECK(db.get_termfreq("Qletter") == 1);
  CHECK(db.get_termfreq("Qdocs/c") == 1);
}

TEST_CASE("usage errors exit 2 with a message", "[integration][indexer]") {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {}, {"frobnicate"}, {"build"}, {"build", kCorpus}, {"build", kCorpus, "--index"},
           {"build", kCorpus, "--index", "/tmp/x", "--bogus"}, {"stats"},
           {"build", kCorpus, "--index", "/tmp/x", "--write-lanes", "0"},
           {"build", kCorpus, "--index", "/tmp/x", "--write-lanes", "65"},
           {"build", kCorpus, "--index", "/tmp/x", "--write-lanes", "2x"},
           {"build", kCorpus, "--index", "/tmp/x", "--write-lanes"},
           {"build", kCorpus, "--index", "/tmp/x", "--threads", "1.5"},
           {"update", kCorpus, "--index", "/tmp/x", "--write-lanes", "2"}}) {
    const auto result = indexer(args);
    INFO(result.output);
    CHECK(result.exit_code == 2);
    CHECK_THAT(result.output, Catch::Contains("usage:"));
  }
}

TEST_CASE("update is incremental and idempotent", "[integration][indexer]") {
  TempDir dir("indexer-update");
  dir.write("corpus/a.txt", "Alpha document.");
  dir.write("corpus/b.txt", "Beta document.");
  const auto corpus = (dir.path() / "corpus").string();
  const auto index = dir.path() / "index";
  REQUIRE(indexer({"build", corpus, "--index", index.string()}).exit_code == 0);
  const auto first_generation = generation_of(index);

  auto result = indexer({"update", corpus, "--index", index.string()});
  INFO(result.output);
  CHECK_THAT(result.output, Catch::Contains("0 indexed, 2 unchanged, 0 removed"));
  CHECK(generation_of(index) == first_generation);  // nothing changed: no new generation

  dir.write("corpus/b.txt", "Beta document, revised.");
  dir.write("corpus/c.txt", "Gamma document.");
  std::filesystem::remove(dir.path() / "corpus/a.txt");
  result = indexer({"update", corpus, "--index", index.string()});
  CHECK_THAT(result.output, Catch::Contains("2 indexed, 0 unchanged, 1 removed"));
  Xapian::Database db(index.string());
  CHECK(db.get_doccount() == 2);
  CHECK(db.get_termfreq("revised") == 1);
  CHECK(db.get_termfreq("Qa") == 0);

  result = indexer({"update", corpus, "--index", index.string()});
  CHECK_THAT(result.output, Catch::Contains("0 indexed, 2 unchanged, 0 removed"));
  // With the slash shell completion adds, INDEX_PATH still names the symlink.
  result = indexer({"update", corpus, "--index", index.string() + "/"});
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.output, Catch::Contains("0 indexed, 2 unchanged, 0 removed"));
}

TEST_CASE("update re-reads a renamed file: its new path and format count, not only its bytes",
          "[integration][indexer]") {
  TempDir dir("indexer-update-rename");
  const std::string html =
      "<html><head><title>Real Title</title></head><body><p>Report on <b>arbitrary</b> detention</p>"
      "<script>trackerjunk()</script></body></html>\n";
  dir.write("corpus/report.txt", html);
  dir.write("corpus/a.txt", "Plain words, [see](https://zyxurl.example.org).");
  const auto index = index_in(dir);
  REQUIRE(index_corpus(dir).exit_code == 0);
  std::filesystem::rename(dir.path() / "corpus/report.txt", dir.path() / "corpus/report.html");
  std::filesystem::rename(dir.path() / "corpus/a.txt", dir.path() / "corpus/a.md");
  const auto result = index_corpus(dir, "update");
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.output, Catch::Contains("2 indexed, 0 unchanged, 0 removed"));
  Xapian::Database db(index);
  CHECK(db.get_doccount() == 2);
  CHECK(db.get_termfreq(std::string(rights::prefix::kPath) + "report.html") == 1);
  CHECK(db.get_termfreq(std::string(rights::prefix::kPath) + "report.txt") == 0);
  CHECK(db.get_termfreq(std::string(rights::prefix::kPath) + "a.md") == 1);
  CHECK(db.get_termfreq("trackerjunk") == 0);  // the script is no longer text
  CHECK(db.get_termfreq(std::string(rights::prefix::kTitle) + "real") == 1);
  CHECK(db.get_termfreq("zyxurl") == 0);  // a Markdown link's URL is not text
}

TEST_CASE("after a switch the generation served before stays, whatever else is on disk",
          "[integration][indexer]") {
  TempDir dir("indexer-keep-previous");
  dir.write("corpus/a.txt", "Alpha document.");
  const auto corpus = (dir.path() / "corpus").string();
  const auto index = dir.path() / "index";
  REQUIRE(indexer({"build", corpus, "--index", index.string()}).exit_code == 0);
  const auto served_before = generation_of(index);
  // A complete generation that was never served (a build whose switch failed, under an
  // older indexer), named to sort after every real one.
  dir.write("index.generations/gen-99991231T235959Z/iamglass", "");
  REQUIRE(indexer({"build", corpus, "--index", index.string()}).exit_code == 0);
  const auto generations = dir.path() / "index.generations";
  // Readers that were mid-request on the generation served before keep it; the orphan goes.
  CHECK(std::filesystem::exists(generations / served_before));
  CHECK_FALSE(std::filesystem::exists(generations / "gen-99991231T235959Z"));
  CHECK(document_count(index.string()) == 1);
}

TEST_CASE("generation names are never used twice, even for several updates within a second",
          "[integration][indexer]") {
  // searchd keys its caches by generation name and revision (1 in every new database):
  // a name coming back after its generation was removed served the old counts and ranks.
  TempDir dir("indexer-generation-names");
  dir.write("corpus/a.txt", "Alpha document.");
  const auto corpus = (dir.path() / "corpus").string();
  const auto index = dir.path() / "index";
  REQUIRE(indexer({"build", corpus, "--index", index.string()}).exit_code == 0);
  std::vector<std::string> names{generation_of(index)};
  for (int update = 0; update < 7; ++update) {
    dir.write("corpus/u" + std::to_string(update) + ".txt", "Update " + std::to_string(update) + ".");
    REQUIRE(indexer({"update", corpus, "--index", index.string()}).exit_code == 0);
    const std::string name = generation_of(index);
    INFO("generations so far: " << names.size());
    CHECK(std::find(names.begin(), names.end(), name) == names.end());
    names.push_back(name);
  }
  // Still sortable by creation time (fewer than ten within one second here).
  CHECK(std::is_sorted(names.begin(), names.end()));
}

TEST_CASE("a corpus without documents does not replace an index that has some", "[integration][indexer]") {
  TempDir dir("indexer-empty-corpus");
  dir.write("corpus/a.txt", "Alpha document.");
  const auto index = index_in(dir);
  REQUIRE(index_corpus(dir).exit_code == 0);
  const auto served = generation_of(index);
  // The share is not mounted: the directory is there, empty.
  std::filesystem::remove(dir.path() / "corpus/a.txt");
  for (const std::string command : {"update", "build"}) {
    CAPTURE(command);
    const auto result = index_corpus(dir, command);
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.output, Catch::Contains("holds no documents to index") && Catch::Contains("keeps its 1 documents") &&
                                  Catch::Contains("--allow-empty"));
    CHECK(generation_of(index) == served);
    CHECK(document_count(index) == 1);
  }
  // Said on purpose, it is done.
  const auto result = indexer({"update", (dir.path() / "corpus").string(), "--index", index, "--allow-empty"});
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK(document_count(index) == 0);
}

TEST_CASE("a corpus whose every file fails does not replace an index that has some", "[integration][indexer]") {
  TempDir dir("indexer-all-failed");
  dir.write("corpus/a.txt", "Alpha document.");
  dir.write("corpus/b.txt", "Beta document.");
  const auto index = index_in(dir);
  REQUIRE(index_corpus(dir).exit_code == 0);
  const auto served = generation_of(index);
  // A sync that left every file empty.
  dir.write("corpus/a.txt", "");
  dir.write("corpus/b.txt", "");
  for (const std::string command : {"update", "build"}) {
    CAPTURE(command);
    const auto result = index_corpus(dir, command);
    INFO(result.output);
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.output, Catch::Contains("no document of") && Catch::Contains("(2 failed)") &&
                                  Catch::Contains("keeps its 2 documents") && Catch::Contains("--allow-empty"));
    CHECK(generation_of(index) == served);
    CHECK(document_count(index) == 2);
  }
  // A half-done sync: one file emptied, the other gone. update would keep the first's old
  // version and delete the second's document.
  std::filesystem::remove(dir.path() / "corpus/b.txt");
  const auto half = index_corpus(dir, "update");
  INFO(half.output);
  CHECK(half.exit_code == 3);
  CHECK_THAT(half.output, Catch::Contains("(1 failed)") && Catch::Contains("keeps its 2 documents"));
  CHECK(generation_of(index) == served);
  CHECK(document_count(index) == 2);
  // A wrong path holding one file that fails: an update would have removed everything.
  dir.write("wrong/c.txt", std::string("\x7f" "ELF\x02\x01\x01\0\0\0", 10));
  const auto wrong = indexer({"update", (dir.path() / "wrong").string(), "--index", index});
  INFO(wrong.output);
  CHECK(wrong.exit_code == 3);
  CHECK(document_count(index) == 2);
  // Nothing left behind in the generations directory but the served generation.
  std::size_t generations = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir.path() / "index.generations")) {
    (void)entry;
    ++generations;
  }
  CHECK(generations == 1);
  // Said on purpose, it is done.
  const auto forced = indexer({"build", (dir.path() / "corpus").string(), "--index", index, "--allow-empty"});
  INFO(forced.output);
  CHECK(forced.exit_code == 1);
  CHECK(document_count(index) == 0);
}

TEST_CASE("a first build that indexes nothing writes no index", "[integration][indexer]") {
  TempDir dir("indexer-first-build-empty");
  // A manifest mistake on every entry, or a wrong path: nothing to serve.
  dir.write("corpus/a.txt", "Alpha document.");
  dir.write("corpus/manifest.json", R"({"documents": [{"path": "a.txt", "languages": ["english"]}]})");
  dir.write("empty/.keep", "");
  const auto index = index_in(dir);
  for (const std::string corpus : {"corpus", "empty"}) {
    CAPTURE(corpus);
    const auto result = indexer({"build", (dir.path() / corpus).string(), "--index", index});
    INFO(result.output);
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.output, Catch::Contains("no index written") && Catch::Contains("--allow-empty"));
    CHECK_FALSE(std::filesystem::exists(std::filesystem::symlink_status(index)));
  }
  const auto forced = indexer({"build", (dir.path() / "empty").string(), "--index", index, "--allow-empty"});
  INFO(forced.output);
  CHECK(forced.exit_code == 0);
  CHECK(document_count(index) == 0);
}

TEST_CASE("a directory where the index symlink cannot be switched fails before the build",
          "[integration][indexer]") {
  TempDir dir("indexer-read-only-parent");
  dir.write("corpus/a.txt", "Alpha document.");
  dir.write("out/.keep", "");
  const auto out = dir.path() / "out";
  const auto index = out / "index";
  const UnprivilegedIndexer run(dir);
  const auto corpus = (dir.path() / "corpus").string();
  REQUIRE(run({"build", corpus, "--index", index.string()}).exit_code == 0);
  const auto served = generation_of(index);
  REQUIRE(std::filesystem::exists(out / "index.generations" / served));

  std::filesystem::permissions(out, std::filesystem::perms::owner_write | std::filesystem::perms::group_write |
                                        std::filesystem::perms::others_write,
                               std::filesystem::perm_options::remove);
  const auto result = run({"build", corpus, "--index", index.string()});
  std::filesystem::permissions(out, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
  INFO(result.output);
  CHECK(result.exit_code == 3);
  CHECK_THAT(result.output, Catch::Contains("cannot write in " + out.string()));
  CHECK(generation_of(index) == served);
  // Nothing written: the generations are as they were.
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(out / "index.generations")) {
    names.push_back(entry.path().filename().string());
  }
  CHECK(names == std::vector<std::string>{served});
}

TEST_CASE("update of an index of another schema version says to rebuild, and changes nothing",
          "[integration][indexer]") {
  TempDir dir("indexer-update-schema");
  dir.write("corpus/a.txt", "Alpha document.");
  const auto corpus = (dir.path() / "corpus").string();
  const auto index = dir.path() / "index";
  REQUIRE(indexer({"build", corpus, "--index", index.string()}).exit_code == 0);
  const auto generation = generation_of(index);
  {
    Xapian::WritableDatabase db(std::filesystem::canonical(index).string(), Xapian::DB_OPEN);
    db.set_metadata(rights::kSchemaVersionKey, std::to_string(rights::kSchemaVersion - 1));
    db.commit();
  }
  dir.write("corpus/b.txt", "Beta document.");
  const std::vector<std::vector<std::string>> commands{{"update", corpus, "--index", index.string()},
                                                       {"stats", "--index", index.string()}};
  for (const auto& command : commands) {
    const auto result = indexer(command);
    INFO(command.front() << ": " << result.output);
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.output, Catch::Contains("schema version " + std::to_string(rights::kSchemaVersion - 1)) &&
                                  Catch::Contains("indexer build") && !Catch::Contains("unexpected"));
  }
  CHECK(generation_of(index) == generation);
}

TEST_CASE("kill -9 at any moment of a build or update leaves the previous index intact",
          "[integration][indexer][slow]") {
  TempDir dir("indexer-kill");
  const auto index = dir.path() / "index";
  REQUIRE(indexer({"build", kCorpus, "--index", index.string()}).exit_code == 0);
  const auto good_generation = generation_of(index);
  write_large_corpus(dir, 1500);
  const auto big = (dir.path() / "big").string();

  std::mt19937 random(12345);
  std::uniform_int_distribution<int> delay_ms(5, 600);
  int killed_midway = 0;
  for (int round = 0; round < 6; ++round) {
    const std::string command = round % 2 == 0 ? "build" : "update";
    ChildProcess child({kIndexer, command, big, "--index", index.string()});
    std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms(random)));
    child.signal(SIGKILL);
    const int status = child.wait();
    if (status == 128 + SIGKILL) ++killed_midway;
    INFO("round " << round << " " << command << " exit " << status);
    // Whatever happened, INDEX_PATH opens as a complete index of one corpus or the other.
    Xapian::Database db(index.string());
    rights::check_schema(db, index.string());
    const bool old_index = generation_of(index) == good_generation;
    CHECK(db.get_doccount() == (old_index ? 16u : 1500u));
  }
  CHECK(killed_midway > 0);  // the test really interrupted builds

  const auto result = indexer({"build", big, "--index", index.string()});
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK(document_count(index.string()) == 1500);
  for (const auto& entry : std::filesystem::directory_iterator(dir.path() / "index.generations")) {
    CHECK(entry.path().extension() != ".partial");  // leftovers of killed runs are cleaned
  }
}

namespace {

// Makes a directory unreadable for the lifetime of the object (and readable again, so
// that TempDir can remove it, even when a REQUIRE fails first).
class UnreadableDirectory {
 public:
  explicit UnreadableDirectory(std::filesystem::path path) : path_(std::move(path)) {
    std::filesystem::permissions(path_, std::filesystem::perms::none);
  }
  ~UnreadableDirectory() {
    std::error_code ignored;  // a destructor must not throw; the TempDir goes anyway
    std::filesystem::permissions(path_, std::filesystem::perms::owner_all, ignored);
  }
  UnreadableDirectory(const UnreadableDirectory&) = delete;
  UnreadableDirectory& operator=(const UnreadableDirectory&) = delete;

 private:
  std::filesystem::path path_;
};

}  // namespace

TEST_CASE("an unreadable directory fails the run, and update keeps its documents", "[integration][indexer][corpus]") {
  TempDir dir("indexer-unreadable-dir");
  dir.write("corpus/a.txt", "A public note about land.");
  dir.write("corpus/sub/secret/s.txt", "A note about the hearing.");
  dir.write("corpus/sub/secret/deeper/t.txt", "Another note about the hearing.");
  dir.write("corpus/manifest.json", R"({"documents": [{"id": "hearing", "path": "sub/secret/s.txt"}]})");
  const auto index = index_in(dir);
  const UnprivilegedIndexer run(dir);
  const auto index_corpus = [&](const TempDir& in, const std::string& command = "build") {
    return run({command, (in.path() / "corpus").string(), "--index", index_in(in)});
  };
  REQUIRE(index_corpus(dir).exit_code == 0);
  REQUIRE(document_count(index) == 3);
  {
    const UnreadableDirectory guard(dir.path() / "corpus/sub/secret");
    auto result = index_corpus(dir, "update");
    INFO(result.output);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.output, Catch::Contains("FAILED sub/secret/: cannot read directory (Permission denied)") &&
                                  Catch::Contains("0 removed") && !Catch::Contains("missing"));
    CHECK(document_count(index) == 3);  // not deleted: the files are there, only unreadable
    Xapian::Database db(index);
    CHECK(db.get_termfreq("Qhearing") == 1);
    CHECK(db.get_termfreq("Qsub/secret/deeper/t") == 1);

    const auto fresh = (dir.path() / "fresh").string();
    result = run({"build", (dir.path() / "corpus").string(), "--index", fresh});
    INFO(result.output);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.output, Catch::Contains("FAILED sub/secret/: cannot read directory"));
    CHECK(document_count(fresh) == 1);
  }
  // Readable again: nothing to do, nothing lost.
  const auto result = index_corpus(dir, "update");
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK_THAT(result.output, Catch::Contains("0 indexed, 3 unchanged, 0 removed"));
}

TEST_CASE("symbolic links are not followed: out of the corpus refused, inside it noted",
          "[integration][indexer][corpus]") {
  TempDir dir("indexer-symlinks");
  dir.write("outside/private.txt", "Private words of the operator: zyxoutside.");
  dir.write("corpus/links/target.txt", "The target document about land.");
  const auto corpus = dir.path() / "corpus";
  std::filesystem::create_symlink(dir.path() / "outside/private.txt", corpus / "links/outside-link.txt");
  std::filesystem::create_directory_symlink(dir.path() / "outside", corpus / "outside-dir");
  std::filesystem::create_symlink("target.txt", corpus / "links/inner-link.txt");
  std::filesystem::create_directory_symlink("links", corpus / "alias");
  std::filesystem::create_symlink("missing.txt", corpus / "links/dangling.txt");
  dir.write("corpus/manifest.json", R"({"documents": [{"id": "inner", "path": "links/inner-link.txt"}]})");
  const auto index = index_in(dir);
  for (const std::string command : {"build", "update", "update"}) {
    const auto result = index_corpus(dir, command);
    INFO(command << ": " << result.output);
    CHECK(result.exit_code == 1);
    CHECK_THAT(result.output, Catch::Contains("FAILED links/outside-link.txt: symbolic link out of the corpus") &&
                                  Catch::Contains("FAILED outside-dir: symbolic link out of the corpus") &&
                                  Catch::Contains("FAILED links/dangling.txt: symbolic link to nothing"));
    CHECK_THAT(result.output,
               Catch::Contains("not indexed (symbolic link to links/target.txt; links are not followed): links/inner-link.txt") &&
                   Catch::Contains("not indexed (symbolic link to links; links are not followed): alias") &&
                   Catch::Contains("FAILED links/inner-link.txt: listed in manifest.json but a symbolic link (to "
                                   "links/target.txt), which is not followed; list its target instead"));
    CHECK_THAT(result.output, !Catch::Contains("duplicate document id") && !Catch::Contains("FAILED links/target.txt"));
    Xapian::Database db(index);
    CHECK(db.get_doccount() == 1);
    CHECK(db.get_termfreq("Qlinks/target") == 1);
    CHECK(db.get_termfreq("zyxoutside") == 0);
  }
}

TEST_CASE("a named pipe in the corpus is noted, never read", "[integration][indexer][corpus]") {
  TempDir dir("indexer-fifo");
  dir.write("corpus/a.txt", "A note about land.");
  // Opening a FIFO for reading blocks until a writer comes: read, it would hang the build.
  REQUIRE(::mkfifo((dir.path() / "corpus/pipe.txt").c_str(), 0644) == 0);
  const auto index = index_in(dir);
  for (const std::string command : {"build", "update"}) {
    const auto result = index_corpus(dir, command);
    INFO(command << ": " << result.output);
    CHECK(result.exit_code == 0);
    CHECK_THAT(result.output, Catch::Contains("not indexed (named pipe (FIFO), not a file): pipe.txt"));
    CHECK(Xapian::Database(index).get_doccount() == 1);
  }
}

TEST_CASE("a file that fails does not take its id from a good one", "[integration][indexer][corpus]") {
  TempDir dir("indexer-failed-id");
  dir.write("corpus/bad/empty.pdf", "");
  dir.write("corpus/bad/empty.txt", "The good text behind the same id.");
  dir.write("corpus/twice/x.md", "# One\n\nFirst good file.");
  dir.write("corpus/twice/x.txt", "Second good file.");
  const auto index = index_in(dir);
  const auto result = index_corpus(dir);
  INFO(result.output);
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.output, Catch::Contains("FAILED bad/empty.pdf: empty file") &&
                                !Catch::Contains("FAILED bad/empty.txt"));
  // Two good files with one id still clash.
  CHECK_THAT(result.output, Catch::Contains("FAILED twice/x.txt: duplicate document id \"twice/x\" (already used by twice/x.md)"));
  Xapian::Database db(index);
  CHECK(db.get_doccount() == 2);
  CHECK(db.get_termfreq("Qbad/empty") == 1);
  CHECK(db.get_termfreq("behind") == 1);
}

TEST_CASE("update keeps the indexed version of a file that now fails", "[integration][indexer][corpus]") {
  TempDir dir("indexer-update-failing");
  dir.write("corpus/a.txt", "Alpha document about zyxalpha.");
  dir.write("corpus/b.txt", "Beta document.");
  dir.write("corpus/c.txt", "Gamma document.");  // indexed each time (a run where all fail is refused)
  dir.write("corpus/manifest.json", R"({"manifest_version": 1, "documents": [{"id": "beta", "path": "b.txt"}]})");
  const auto index = index_in(dir);
  REQUIRE(index_corpus(dir).exit_code == 0);
  dir.write("corpus/a.txt", "");  // now empty: fails
  dir.write("corpus/manifest.json", R"({"manifest_version": 1, "documents": [{"id": "beta", "path": "b.txt", "tittle": "B"}]})");
  const auto result = index_corpus(dir, "update");
  INFO(result.output);
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.output, Catch::Contains("FAILED a.txt: empty file") &&
                                Catch::Contains("FAILED b.txt: manifest.json entry: unknown key \"tittle\"") &&
                                Catch::Contains("0 removed"));
  Xapian::Database db(index);
  CHECK(db.get_doccount() == 3);
  CHECK(db.get_termfreq("zyxalpha") == 1);
  CHECK(db.get_termfreq("Qbeta") == 1);
}

TEST_CASE("a file name that is not UTF-8 is one clear failure", "[integration][indexer][corpus]") {
  TempDir dir("indexer-latin1-name");
  dir.write("corpus/a.txt", "A note about land.");
  dir.write("corpus/caf\xe9.txt", "Coffee notes.");
  dir.write("corpus/r\xe9sum\xe9s/b.txt", "Notes in a badly named folder.");
  const auto index = index_in(dir);
  const auto result = index_corpus(dir);
  INFO(result.output);
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.output, Catch::Contains("FAILED caf\\xE9.txt: file name is not valid UTF-8") &&
                                Catch::Contains("FAILED r\\xE9sum\\xE9s/: directory name is not valid UTF-8") &&
                                !Catch::Contains("json"));
  CHECK(rights::is_valid_utf8(result.output));
  CHECK(document_count(index) == 1);
}

TEST_CASE("manifest entries with wrong types or unknown keys fail their file", "[integration][indexer][corpus]") {
  TempDir dir("indexer-manifest-types");
  for (const char* name : {"a", "b", "c", "d", "e", "f", "g", "h"}) {
    dir.write(std::string("corpus/docs/") + name + ".txt", std::string("Letter ") + name + " about land, 3 March 2020.");
  }
  dir.write("corpus/manifest.json", R"({"manifest_version": 1, "documents": [
      {"path": "docs/a.txt", "id": 42},
      {"path": "docs/b.txt", "date": 2021},
      {"path": "docs/c.txt", "title": ["x"]},
      {"path": "docs/d.txt", "tittle": "Typo"},
      {"path": "docs/e.txt", "authors": "someone"},
      {"path": "docs/f.txt", "id": ""},
      {"path": "docs/g.txt", "date": "12/05/2021"},
      {"path": "docs/h.txt", "id": "fine", "title": null, "date": null, "languages": null,
       "date_evidence": "Undated on purpose."}]})");
  const auto index = index_in(dir);
  const auto result = index_corpus(dir);
  INFO(result.output);
  CHECK(result.exit_code == 1);
  for (const char* expected : {
           "FAILED docs/a.txt: manifest.json entry: \"id\" must be a string, not number 42",
           "FAILED docs/b.txt: manifest.json entry: \"date\" must be a string (YYYY, YYYY-MM or YYYY-MM-DD) or null, not number 2021",
           "FAILED docs/c.txt: manifest.json entry: \"title\" must be a string, not array [\"x\"]",
           "FAILED docs/d.txt: manifest.json entry: unknown key \"tittle\"",
           "FAILED docs/e.txt: manifest.json entry: \"authors\" must be a list of strings, not \"someone\"",
           "FAILED docs/f.txt: manifest.json entry: \"id\" is empty",
           "FAILED docs/g.txt: manifest date \"12/05/2021\" is not YYYY, YYYY-MM or YYYY-MM-DD"}) {
    CHECK_THAT(result.output, Catch::Contains(expected));
  }
  Xapian::Database db(index);
  CHECK(db.get_doccount() == 1);
  CHECK(db.get_termfreq("Qfine") == 1);
  CHECK(db.get_termfreq("XYundated") == 1);  // null date: explicitly undated
}

TEST_CASE("an unknown top-level manifest key or version stops the run before any index",
          "[integration][indexer][corpus]") {
  TempDir dir("indexer-manifest-top");
  dir.write("corpus/a.txt", "A note about land.");
  const auto index = (dir.path() / "index").string();
  for (const auto& [manifest, expected] : std::vector<std::pair<std::string, std::string>>{
           {R"({"manifest_version": 1, "documents": [], "documnets": []})", "unknown key \"documnets\""},
           {R"({"manifest_version": 99, "documents": []})", "manifest_version 99 is not supported"},
           {R"({"manifest_version": "1", "documents": []})", "manifest_version \"1\" is not supported"},
           {R"({"documents": [{"id": "a"}]})", "documents[0] has no \"path\" string"}}) {
    dir.write("corpus/manifest.json", manifest);
    const auto result = index_corpus(dir);
    INFO(manifest << "\n" << result.output);
    CHECK(result.exit_code == 3);
    CHECK_THAT(result.output, Catch::Contains("manifest.json: " + expected));
    CHECK(!std::filesystem::exists(index));
  }
}
