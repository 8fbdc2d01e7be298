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

namespace {

/// `utf8` (ASCII and BMP characters, plus any surrogate pairs spelt out by the caller) as
/// UTF-16 with a byte order mark, the way Notepad ("Unicode") and Word save it.
std::string utf16(const std::u16string& text, bool big_endian) {
  std::string bytes = big_endian ? "\xFE\xFF" : "\xFF\xFE";
  for (const char16_t unit : text) {
    const char high = static_cast<char>(unit >> 8), low = static_cast<char>(unit & 0xFF);
    bytes += big_endian ? high : low;
    bytes += big_endian ? low : high;
  }
  return bytes;
}

}  // namespace

// Windows Notepad saved "Unicode" (UTF-16LE with a byte order mark) for years, and Word
// saves "Unicode Text" and Unicode web pages so: the mark makes the encoding certain, and
// every editor and browser reads such a file.
TEST_CASE("UTF-16 with a byte order mark is read in every text format", "[extract][charset]") {
  const bool big_endian = GENERATE(false, true);
  CAPTURE(big_endian);
  // Khmer, an emoji (a surrogate pair) and CRLF line ends, as Notepad writes them.
  const std::u16string text = u"\u179F\u17B7\u1791\u17D2\u1792\u17B7 rights \U0001F54A\r\nsecond line";
  CHECK(extract_text(utf16(text, big_endian), Format::Text).text ==
        "\xE1\x9E\x9F\xE1\x9E\xB7\xE1\x9E\x91\xE1\x9F\x92\xE1\x9E\x92\xE1\x9E\xB7 rights \xF0\x9F\x95\x8A\nsecond line");
  const auto markdown = extract_text(utf16(u"# Rapport\r\n\r\nD\u00E9claration", big_endian), Format::Markdown);
  CHECK(markdown.title == "Rapport");
  CHECK(markdown.text == "Rapport\n\nD\xC3\xA9\x63laration");
  // Word's Unicode web page declares charset=unicode; the byte order mark wins, as in browsers.
  const auto html = extract_text(
      utf16(u"<html><head><meta http-equiv=Content-Type content=\"text/html; charset=unicode\">"
            u"<title>\u0627\u0644\u062D\u0642</title></head><body><p>D\u00E9claration</p></body></html>",
            big_endian),
      Format::Html);
  CHECK(html.title == "\xD8\xA7\xD9\x84\xD8\xAD\xD9\x82");
  CHECK(html.text == "D\xC3\xA9\x63laration");
}

TEST_CASE("Broken UTF-16 fails with one clear line", "[extract][charset]") {
  const Format format = GENERATE(Format::Text, Format::Markdown, Format::Html);
  const auto [bytes, message] = GENERATE_REF(table<std::string, std::string>({
      {utf16(u"", false), "empty file"},
      {utf16(u"ok", false) + "o", "UTF-16 text of an odd number of bytes (7): the file was cut short"},
      {utf16(u"a\xD83D", true), "invalid UTF-16 at byte 4 (half of a surrogate pair)"},
      {utf16(u"a\xDC00z", false), "invalid UTF-16 at byte 4 (half of a surrogate pair)"},
      {utf16(std::u16string(u"a\0b", 3), false), "binary file (NUL character at byte 4)"},
      {std::string("\xFF\xFE\0\0a\0\0\0", 8), "UTF-32 text is not supported (save the file as UTF-8)"},
  }));
  CAPTURE(static_cast<int>(format), bytes);
  CHECK(extraction_error(bytes, format) == message);
}

// Pages whose template still declares an old charset while the CMS writes UTF-8 are
// common; a browser reads them right when the server's Content-Type header says UTF-8
// (the header wins over the <meta>), but a page saved to disk (wget, a site archive)
// keeps only the <meta>. Converting its UTF-8 bytes as windows-1252 or GBK "succeeds" and
// indexes mojibake ("DÃ©claration", "D茅claration") that no search finds.
TEST_CASE("HTML that is valid UTF-8 is UTF-8, whatever legacy charset its <meta> declares", "[extract][charset]") {
  const std::string body = "<p>D\xC3\xA9\x63laration de l\xE2\x80\x99homme \xE4\xBA\xBA\xE6\xA8\xA9</p>";
  const std::string label = GENERATE("iso-8859-1", "windows-1252", "gb2312", "shift_jis", "koi8-r", "big5");
  CAPTURE(label);
  CHECK(extract_text("<meta charset=\"" + label + "\">" + body, Format::Html).text ==
        "D\xC3\xA9\x63laration de l\xE2\x80\x99homme \xE4\xBA\xBA\xE6\xA8\xA9");
}

TEST_CASE("HTML in a 7-bit charset is still converted: ASCII bytes say nothing", "[extract][charset]") {
  // ISO-2022-JP writes Japanese with escape sequences in ASCII bytes: valid UTF-8 too.
  CHECK(extract_text("<meta charset=\"iso-2022-jp\"><p>\x1B$BF|K\\\x1B(B</p>", Format::Html).text ==
        "\xE6\x97\xA5\xE6\x9C\xAC");
}
