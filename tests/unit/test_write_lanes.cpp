// WriteLanes (core/src/write_lanes.h): when a lane commits its batch. A commit is what
// another reader of the lane's database can see, so the tests watch for it from outside.
#include <catch2/catch.hpp>

#include <xapian.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "temp_dir.h"
#include "write_lanes.h"

using rights::detail::WriteLanes;
using rights::testing::TempDir;

namespace {

Xapian::Document document_with_data(std::size_t bytes) {
  Xapian::Document document;
  document.set_data(std::string(bytes, 'x'));
  document.add_term("word");
  return document;
}

// Documents a fresh reader sees in `path`, waiting up to 10 s for `expected` (a lane
// thread commits in its own time).
Xapian::doccount committed_documents(const std::string& path, Xapian::doccount expected) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  Xapian::doccount seen = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    seen = Xapian::Database(path).get_doccount();
    if (seen >= expected) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return seen;
}

}  // namespace

TEST_CASE("a write lane commits once its batch holds the data limit, before the document count",
          "[indexer][lanes]") {
  TempDir dir("write-lanes");
  const std::string path = (dir.path() / "lane").string();
  std::vector<Xapian::WritableDatabase> databases;
  databases.emplace_back(path, Xapian::DB_CREATE);
  WriteLanes lanes(databases, {/*documents=*/100, /*data_bytes=*/1000});
  lanes.add(0, document_with_data(600));
  lanes.add(0, document_with_data(600));  // 1,200 bytes: over the limit, so committed
  lanes.add(0, document_with_data(10));   // stays in the next batch until finish()
  CHECK(committed_documents(path, 2) == 2);
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  CHECK(Xapian::Database(path).get_doccount() == 2);
  lanes.finish();
  CHECK(Xapian::Database(path).get_doccount() == 3);
}

TEST_CASE("a write lane commits after the document count, whatever their size", "[indexer][lanes]") {
  TempDir dir("write-lanes");
  const std::string path = (dir.path() / "lane").string();
  std::vector<Xapian::WritableDatabase> databases;
  databases.emplace_back(path, Xapian::DB_CREATE);
  WriteLanes lanes(databases, {/*documents=*/2, /*data_bytes=*/1'000'000});
  lanes.add(0, document_with_data(10));
  lanes.add(0, document_with_data(10));
  lanes.add(0, document_with_data(10));
  CHECK(committed_documents(path, 2) == 2);
  lanes.finish();
  CHECK(Xapian::Database(path).get_doccount() == 3);
}
