#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "rights/dates.h"
#include "rights/schema.h"

TEST_CASE("schema prefixes, slots and facet names are unique", "[schema]") {
  std::set<std::string> facet_names, facet_prefixes;
  std::set<Xapian::valueno> facet_slots;
  for (const auto& facet : rights::kFacets) {
    CHECK(facet_names.insert(std::string(facet.name)).second);
    CHECK(facet_prefixes.insert(facet.term_prefix).second);
    CHECK(facet_slots.insert(rights::slot_number(facet.slot)).second);
    CHECK(rights::find_facet(facet.name) == &facet);
  }
  CHECK(rights::find_facet("nope") == nullptr);
  CHECK(facet_slots.count(rights::slot_number(rights::Slot::Date)) == 0);
  CHECK(facet_slots.count(rights::slot_number(rights::Slot::ContentHash)) == 0);
}

TEST_CASE("no term prefix is a prefix of another (terms stay unambiguous)", "[schema]") {
  using namespace rights::prefix;
  const std::vector<std::string> all{kId, kTitle, kStem, kLanguage, kType, kSource,
                                     kActor, kMinistry, kYear, kAccess, kPath};
  for (const auto& a : all) {
    for (const auto& b : all) {
      if (&a == &b) continue;
      INFO(a << " vs " << b);
      CHECK(b.rfind(a, 0) != 0);
    }
  }
}

TEST_CASE("path terms fit Xapian's limit, stay distinct and keep directory prefixes", "[schema]") {
  using rights::path_term;
  CHECK(path_term("a/b.txt") == std::string(rights::prefix::kPath) + "a/b.txt");
  const std::string dir = std::string(150, 'd') + "/" + std::string(60, 'e') + "/";  // 212 bytes
  const std::string one = dir + "one.txt", two = dir + "two.txt", short_file = std::string(150, 'd') + "/x.txt";
  for (const auto& path : {one, two, dir}) {
    CAPTURE(path.size());
    CHECK(path_term(path).size() <= 245);
  }
  CHECK(path_term(one) != path_term(two));  // the same first 200 bytes, different files
  CHECK(path_term(one) == path_term(one));
  // A directory's term is a prefix of the terms of every file under it, however long.
  const std::string short_dir = std::string(150, 'd') + "/";
  for (const auto& file : {one, two, short_file}) {
    CHECK(path_term(file).rfind(path_term(short_dir), 0) == 0);
  }
  CHECK(path_term(one).rfind(path_term(dir), 0) == 0);
}

TEST_CASE("facet value sets pack sorted and unique, and split back", "[schema]") {
  const std::string packed = rights::join_facet_values({"sar-kheng", "koeut-rith", "sar-kheng", ""});
  CHECK(packed == std::string("koeut-rith") + rights::kFacetValueSeparator + "sar-kheng");
  CHECK(rights::split_facet_values(packed) == std::vector<std::string>{"koeut-rith", "sar-kheng"});
  CHECK(rights::split_facet_values("").empty());
}

TEST_CASE("schema version mismatch is refused with a clear message", "[schema]") {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  CHECK_THROWS_WITH(rights::check_schema(db, "idx"), Catch::Contains("no schema version"));
  db.set_metadata(rights::kSchemaVersionKey, "999");
  CHECK_THROWS_WITH(rights::check_schema(db, "idx"), Catch::Contains("version 999"));
  db.set_metadata(rights::kSchemaVersionKey, std::to_string(rights::kSchemaVersion));
  CHECK_NOTHROW(rights::check_schema(db, "idx"));
}

TEST_CASE("partial ISO dates keep their precision", "[dates]") {
  CHECK(rights::parse_iso_date("2021")->sort_key() == "20210000");
  CHECK(rights::parse_iso_date("2021")->period_end_key() == "20219999");
  CHECK(rights::parse_iso_date("2021-05")->period_end_key() == "20210599");
  CHECK(rights::parse_iso_date("2021-05-12")->iso() == "2021-05-12");
  // A date counts from the first day of its period: from 2021-01-01 includes "2021".
  CHECK(rights::parse_iso_date("2021-01-01")->range_start_key() == "20210000");
  CHECK(rights::parse_iso_date("2021-01")->range_start_key() == "20210000");
  CHECK(rights::parse_iso_date("2021")->range_start_key() == "20210000");
  CHECK(rights::parse_iso_date("2021-03-01")->range_start_key() == "20210300");
  CHECK(rights::parse_iso_date("2021-03")->range_start_key() == "20210300");
  CHECK(rights::parse_iso_date("2021-03-02")->range_start_key() == "20210302");
  CHECK(rights::parse_iso_date("2021-01-02")->range_start_key() == "20210102");
  for (const char* bad : {"", "21", "2021-13", "2021-02-30", "2021-5", "2021-05-12x", "abcd",
                          "2021-00", "2021-05-00", "2021-00-00", "2021-00-05"}) {
    INFO(bad);
    CHECK_FALSE(rights::parse_iso_date(bad));
  }
  CHECK(rights::parse_iso_date("2020-02-29"));
  CHECK_FALSE(rights::parse_iso_date("2021-02-29"));
}

TEST_CASE("explicit dates are found in text: year-less ones are not guessed", "[dates]") {
  const std::string text =
      "Phnom Penh, 12 May 2021. Issued on 12 November 2019; met on August 24; "
      "report of March 2020 and on May 25, 2021 and 2021-06-01.";
  std::vector<std::string> found;
  for (const auto& mention : rights::find_dates(text)) found.push_back(mention.date.iso());
  CHECK(found == std::vector<std::string>{"2021-05-12", "2019-11-12", "2020-03", "2021-05-25", "2021-06-01"});
}

TEST_CASE("dates in text: no false day inside a number, and lines without spaces", "[dates]") {
  const auto isos = [](std::string_view text) {
    std::vector<std::string> found;
    for (const auto& mention : rights::find_dates(text)) found.push_back(mention.date.iso());
    return found;
  };
  // "123 May 2021" is not the 23rd; the window of the year may start inside "123" or
  // inside a long word before it.
  const std::string padding(45, 'x');
  CHECK(isos(padding + "123 May 2021") == std::vector<std::string>{"2021-05"});
  CHECK(isos("ref " + padding + "12 May 2021") == std::vector<std::string>{"2021-05"});
  CHECK(isos("ref " + padding + " 12 May 2021") == std::vector<std::string>{"2021-05-12"});
  // Khmer and Chinese are written without spaces: a line can be a whole document. Each
  // year's window used to reach back to the line's start, so a 260 KB line took minutes;
  // here 6,000 years on one 660 KB line, every date still found, in the right order.
  std::string line;
  std::vector<std::string> expected;
  for (int i = 0; i < 6000; ++i) {
    const int year = 2000 + i % 25;
    line += "ក្រសួងមហាផ្ទៃបានឆ្លើយតបទៅនឹងលិខិតនៅ" + std::to_string(year) + "-05-12។人权报告";
    expected.push_back(std::to_string(year) + "-05-12");
  }
  CHECK(isos(line) == expected);
}
