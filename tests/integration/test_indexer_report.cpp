// The indexer's report: one line per file, whatever the file is called.
#include <catch2/catch.hpp>

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
  CHECK_THAT(result.output, Catch::Contains("  FAILED evil\\x0AFAILED fake.txt.txt: binary file (NUL byte at offset 3)\n"));
  CHECK_THAT(result.output, Catch::Contains("  FAILED tab\\x09here.txt: invalid UTF-8 at byte 3\n"));
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
