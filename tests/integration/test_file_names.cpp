// File names as operators' machines write them: hidden ones are no documents, the report
// shows each on one line, and the manifest finds a file whatever Unicode form its name is in.
#include <catch2/catch.hpp>

#include <xapian.h>

#include <filesystem>
#include <sstream>
#include <string>

#include "process.h"
#include "temp_dir.h"

using rights::testing::run_command;
using rights::testing::TempDir;

// A file name may hold any byte but '/' and NUL: a newline (a title pasted into a "save
// as" box) or a tab. Printed as it is, it would split the file's FAILED line in two, and a
// name could even print a FAILED line of its own for a file that does not exist.
TEST_CASE("control characters in a file name are shown escaped: one line per file", "[integration][indexer]") {
  TempDir dir("indexer-report-names");
  dir.write("corpus/good.txt", "A good note.");
  dir.write("corpus/evil\nFAILED fake.txt.txt", std::string("bad\0", 4));
  dir.write("corpus/tab\there.txt", "caf\xE9");
  dir.write("corpus/odd\x1B[2Jname.csv", "not a document type");
  const auto result = run_command({RIGHTS_INDEXER_BIN, "build", (dir.path() / "corpus").string(), "--index",
                                   (dir.path() / "index").string()});
  INFO(result.output);
  CHECK(result.exit_code == 1);
  CHECK_THAT(result.output,
             Catch::Contains("  FAILED evil\\x0AFAILED fake.txt.txt: binary file (NUL byte at offset 3)\n"));
  CHECK_THAT(result.output, Catch::Contains("  FAILED tab\\x09here.txt: invalid UTF-8 at byte 3 (save the file as UTF-8"));
  CHECK_THAT(result.output, Catch::Contains("indexer: skipped evil\\x0AFAILED fake.txt.txt: binary file"));
  CHECK_THAT(result.output, Catch::Contains("  not indexed (unsupported type): odd\\x1B[2Jname.csv\n"));
  // Each report line names a file that failed, and only the two files that did have one.
  std::istringstream lines(result.output);
  int failed_lines = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.find("FAILED") < line.find(':')) ++failed_lines;
  }
  CHECK(failed_lines == 2);
}

// macOS writes (and copies to shares, zips and rsyncs) names decomposed: "Déclaration" as
// "De\u0301claration". A manifest typed or generated elsewhere spells it composed. Both are
// the same name to the person who reads them; the file must get its entry, not a FAILED
// line saying a file that `ls` shows is missing.
TEST_CASE("a manifest entry finds its file in the other Unicode form (NFC or NFD)", "[integration][indexer]") {
  TempDir dir("indexer-nfd-names");
  const std::string decomposed = "De\xCC\x81\x63laration.txt", composed = "D\xC3\xA9\x63laration.txt";
  dir.write("corpus/" + decomposed, "A declaration on land rights.");
  dir.write("corpus/R\xC3\xA9sum\xC3\xA9.txt", "A summary.");
  dir.write("corpus/manifest.json", R"({"documents": [)"
                                    R"({"path": ")" + composed + R"(", "id": "decl", "title": "The Declaration"},)"
                                    R"({"path": "Re\u0301sume\u0301.txt", "id": "summary"}]})");
  const auto index = (dir.path() / "index").string();
  const auto result = run_command({RIGHTS_INDEXER_BIN, "build", (dir.path() / "corpus").string(), "--index", index});
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK(result.output.find("FAILED") == std::string::npos);
  Xapian::Database db(index);
  CHECK(db.get_doccount() == 2);
  CHECK(db.get_termfreq("Qdecl") == 1);
  CHECK(db.get_termfreq("Qsummary") == 1);
}

TEST_CASE("hidden directories and files are skipped at any depth", "[integration][indexer][corpus]") {
  TempDir dir("indexer-hidden");
  dir.write("corpus/a.txt", "A note about land.");
  dir.write("corpus/.git/COMMIT_EDITMSG.txt", "Top-level commit message zyxtop.");
  dir.write("corpus/sub/.git/COMMIT_EDITMSG.txt", "Nested commit message zyxnested.");
  dir.write("corpus/sub/deeper/.cache/x.txt", "Cached zyxcached.");
  dir.write("corpus/sub/b.txt", "Another note.");
  // What a Mac leaves beside each file on a shared drive or USB stick (AppleDouble), and
  // the lock link Emacs keeps while a file is edited: never documents, and each was a
  // FAILED line (exit status 1) on every run.
  dir.write("corpus/sub/._b.txt", std::string("\0\x05\x16\x07\0\x02\0\0Mac OS X        ", 24));
  dir.write("corpus/._report.pdf", std::string("\0\x05\x16\x07\0\x02\0\0Mac OS X        ", 24));
  std::filesystem::create_symlink("user@host.1234:1700000000", dir.path() / "corpus/sub/.#b.txt");
  dir.write("corpus/.notes.txt", "A hidden note zyxnote.");
  const auto index = (dir.path() / "index").string();
  const auto index_corpus = [&](const std::string& command) {
    return run_command({RIGHTS_INDEXER_BIN, command, (dir.path() / "corpus").string(), "--index", index});
  };
  auto result = index_corpus("build");
  INFO(result.output);
  CHECK(result.exit_code == 0);
  CHECK(result.output.find("FAILED") == std::string::npos);
  Xapian::Database db(index);
  CHECK(db.get_doccount() == 2);
  for (const char* word : {"zyxtop", "zyxnested", "zyxcached", "zyxnote"}) CHECK(db.get_termfreq(word) == 0);
  // A manifest that names a hidden file is told why it is not indexed.
  dir.write("corpus/manifest.json", R"({"documents": [{"path": ".notes.txt"}, {"path": "./a.txt"}]})");
  result = index_corpus("update");
  CHECK_THAT(result.output, Catch::Contains("FAILED .notes.txt: listed in manifest.json but hidden"));
  CHECK_THAT(result.output, Catch::Contains("FAILED ./a.txt: listed in manifest.json but missing or unsupported"));
}
