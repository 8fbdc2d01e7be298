// Character encodings of real-world files: what legacy pages and Windows tools wrote,
// read as browsers and editors read it (test_extract.cpp holds the prescan basics).
#include "rights/extract.h"

#include "extraction_error.h"

#include <catch2/catch.hpp>

#include <string>

using rights::Format;
using rights::extract_text;
using rights::testing::extraction_error;

// Dreamweaver- and FrontPage-era pages often put long keywords, descriptions, styles or
// scripts before their Content-Type <meta>. Chrome keeps looking for it through the whole
// <head> (the HTML parser changes the encoding on a <meta> there), so such a page reads
// right in a browser and must not fail as invalid UTF-8.
TEST_CASE("HTML charset declared in the <head> after the first 1024 bytes", "[extract][charset]") {
  const std::string filler(1100, 'x');
  const auto [head, text] = GENERATE_REF(table<std::string, std::string>({
      {"<meta name=\"keywords\" content=\"" + filler + "\">"
       "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">",
       "D\xC3\xA9\x63laration"},
      {"<style>p{}/*" + filler + "*/</style><META CHARSET=\"koi8-r\">", "D\xD0\x98\x63laration"},
      {"<title>T</title><script>var s = '" + filler + "';</script><link rel=x><meta charset=\"windows-1252\">",
       "D\xC3\xA9\x63laration"},
  }));
  // 0xE9 is é in windows-1252 and И in KOI8-R: either way not UTF-8.
  const std::string html = "<!DOCTYPE html><html><head>" + head + "</head><body><p>D\xE9\x63laration</p></body></html>";
  CAPTURE(head.substr(head.size() - 60));
  CHECK(extract_text(html, Format::Html).text == text);
}

TEST_CASE("HTML charset: a late <meta> outside the <head> or in a script declares nothing", "[extract][charset]") {
  const std::string filler(1100, 'x');
  const std::string html = GENERATE_REF(
      // In the body, as the prescan has it (and Chrome past its first 1024 bytes).
      "<html><head></head><body><p>" + filler + "</p><meta charset=\"windows-1252\"><p>D\xE9\x63laration</p>",
      // Inside a script, a string that looks like a tag is not one.
      "<html><head><script>document.write('" + filler +
          "<meta charset=\"windows-1252\">');</script></head><body><p>D\xE9\x63laration</p>");
  CHECK_THAT(extraction_error(html, Format::Html), Catch::StartsWith("invalid UTF-8 at byte"));
}

TEST_CASE("HTML charset: a late <meta> does not re-read a page that is valid UTF-8", "[extract][charset]") {
  // What was indexed as UTF-8 stays so: no index built before this changes.
  const std::string html = "<html><head><meta name=\"keywords\" content=\"" + std::string(1100, 'x') +
                           "\"><meta charset=\"windows-1252\"></head><body><p>caf\xC3\xA9</p>";
  CHECK(extract_text(html, Format::Html).text == "caf\xC3\xA9");
}
