#include "rights/extract.h"
#include "rights/zawgyi.h"

#include "extraction_error.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

using rights::ExtractedText;
using rights::ExtractionError;
using rights::Format;
using rights::extract_text;
using rights::testing::extraction_error;

namespace {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open test input " + path);
  std::ostringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

std::string corpus_file(const std::string& relative) {
  return read_file(std::string(RIGHTS_CORPUS_DIR) + "/" + relative);
}

// --- Minimal PDF writer -----------------------------------------------------------------
// Tests build their PDFs at run time so that every byte they depend on is visible here;
// the xref offsets are computed, so poppler reads them without falling back to recovery.

/// A content stream that shows `lines` in Helvetica, one below the other.
std::string text_content(const std::vector<std::string>& lines) {
  std::string stream = "BT /F1 12 Tf 14 TL 72 720 Td\n";
  for (const std::string& line : lines) stream += "(" + line + ") Tj T*\n";
  return stream + "ET\n";
}

struct PdfSpec {
  std::vector<std::string> page_streams;  ///< one content stream per page
  std::string info_entries;               ///< inside the Info dictionary, e.g. "/Title (X)"
  std::string trailer_entries;            ///< extra trailer entries, e.g. an /Encrypt dict
};

std::string build_pdf(const PdfSpec& spec) {
  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;  // offsets[n - 1] is where object n starts
  const auto add_object = [&](const std::string& body) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(offsets.size()) + " 0 obj\n" + body + "\nendobj\n";
  };
  const std::size_t page_count = spec.page_streams.size();
  const std::size_t first_page_object = 5;  // after catalog, pages, font, info
  std::string kids;
  for (std::size_t i = 0; i < page_count; ++i) {
    kids += std::to_string(first_page_object + 2 * i) + " 0 R ";
  }
  add_object("<< /Type /Catalog /Pages 2 0 R >>");
  add_object("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(page_count) + " >>");
  add_object("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  add_object("<< " + spec.info_entries + " >>");
  for (std::size_t i = 0; i < page_count; ++i) {
    add_object("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
               "/Resources << /Font << /F1 3 0 R >> >> /Contents " +
               std::to_string(first_page_object + 2 * i + 1) + " 0 R >>");
    const std::string& stream = spec.page_streams[i];
    add_object("<< /Length " + std::to_string(stream.size()) + " >>\nstream\n" + stream +
               "\nendstream");
  }
  const std::size_t xref_offset = pdf.size();
  pdf += "xref\n0 " + std::to_string(offsets.size() + 1) + "\n0000000000 65535 f \n";
  for (const std::size_t offset : offsets) {
    char entry[21];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(offsets.size() + 1) + " /Root 1 0 R /Info 4 0 R " +
         spec.trailer_entries + " >>\nstartxref\n" + std::to_string(xref_offset) + "\n%%EOF\n";
  return pdf;
}

std::string two_page_pdf() {
  return build_pdf({{text_content({"Page one: freedom of expression.", "Second line."}),
                     text_content({"Page two: prohibition of torture."})},
                    "/Title (Annual Report 2020) /Author (Rights Watch)",
                    ""});
}

}  // namespace

// ----------------------------------------------------------------------------------------

TEST_CASE("format_for_path maps extensions case-insensitively", "[extract]") {
  const auto [path, expected] = GENERATE(table<std::string, std::optional<Format>>({
      {"letter.txt", Format::Text},
      {"LETTER.TXT", Format::Text},
      {"notes.md", Format::Markdown},
      {"notes.Markdown", Format::Markdown},
      {"a/b/page.html", Format::Html},
      {"page.HTM", Format::Html},
      {"report.pdf", Format::Pdf},
      {"report.PdF", Format::Pdf},
      {"report.pdf.bak", std::nullopt},
      {"photo.jpg", std::nullopt},
      {"document.docx", std::nullopt},
      {"README", std::nullopt},
      {"archive.txt.gz", std::nullopt},
      {".txt", std::nullopt},  // a hidden file named ".txt" has no extension
  }));
  CAPTURE(path);
  CHECK(rights::format_for_path(path) == expected);
}

TEST_CASE("Plain text is returned as-is, without BOM and with LF line ends", "[extract]") {
  SECTION("UTF-8 text in any script") {
    const std::string text = "Phnom Penh, 12 May 2021\n\nសិទ្ធិមនុស្ស — droits de l’homme\n";
    const ExtractedText result = extract_text(text, Format::Text);
    CHECK(result.text == text);
    CHECK(result.title.empty());  // the indexer chooses titles for plain text
    CHECK(result.language.empty());
    CHECK(result.page_starts.empty());
  }
  SECTION("BOM is stripped") {
    CHECK(extract_text("\xEF\xBB\xBFHello", Format::Text).text == "Hello");
  }
  SECTION("CRLF and lone CR become LF") {
    CHECK(extract_text("one\r\ntwo\r\n\r\nthree\rfour", Format::Text).text ==
          "one\ntwo\n\nthree\nfour");
  }
}

TEST_CASE("Burmese written for the Zawgyi font is extracted as Unicode", "[extract]") {
  // "The Ministry of Home Affairs arrested two human rights activists in Yangon." in
  // Unicode, and as Zawgyi writes it: ေ and ya-yit before their consonant, U+1039 as the
  // asat, stacked forms from U+1060. The segmenter cut the Zawgyi text into pieces no
  // Unicode query finds.
  const std::string unicode =
      "ပြည်ထဲရေးဝန်ကြီးဌာနက ရန်ကုန်မြို့တွင် လူ့အခွင့်အရေး တက်ကြွလှုပ်ရှားသူ နှစ်ဦးကို ဖမ်းဆီးခဲ့သည်။";
  const std::string zawgyi =
      "ျပည္ထဲေရးဝန္ႀကီးဌာနက ရန္ကုန္ၿမိဳ႔တြင္ လူ႔အခြင့္အေရး တက္ႂကြလႈပ္ရွားသူ ႏွစ္ဦးကို ဖမ္းဆီးခဲ့သည္။";
  CHECK(rights::looks_like_zawgyi(zawgyi));
  CHECK_FALSE(rights::looks_like_zawgyi(unicode));
  CHECK(extract_text(zawgyi + "\n", Format::Text).text == unicode + "\n");
  // Unicode Burmese, Mon and Shan text is kept as it is, a stray sign typed first too.
  CHECK(extract_text(unicode + "\n", Format::Text).text == unicode + "\n");
  CHECK(extract_text("\u1031" + unicode + "\n", Format::Text).text == "\u1031" + unicode + "\n");
  // The title of a Zawgyi page is converted with its text ("lawyer's statement").
  const ExtractedText page = extract_text(
      "<html><head><title>ေရွ႕ေန၏ ထြက္ဆိုခ်က္</title></head><body><p>" + zawgyi + "</p></body></html>", Format::Html);
  CHECK(page.title == "ရှေ့နေ၏ ထွက်ဆိုချက်");
  CHECK(page.text == unicode);
}

// Bytes that are not UTF-8 are mostly an older charset: the line says what to do.
const std::string kNotUtf8Advice = " (save the file as UTF-8; an HTML page may instead name its charset in a <meta>)";

TEST_CASE("Bad input fails with one clear line in every text format", "[extract]") {
  const Format format = GENERATE(Format::Text, Format::Markdown, Format::Html);
  const auto [bytes, expected_message] = GENERATE(table<std::string, std::string>({
      {"", "empty file"},
      {"\xEF\xBB\xBF", "empty file"},
      {std::string("text\0more", 9), "binary file (NUL byte at offset 4)"},
      {std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16), "binary file (NUL byte at offset 8)"},
      {"caf\xE9 latin-1", "invalid UTF-8 at byte 3" + kNotUtf8Advice},
      {"ok \xC0\xAF overlong slash", "invalid UTF-8 at byte 3" + kNotUtf8Advice},
      {"ok \xE0\x80\xAF overlong 3-byte", "invalid UTF-8 at byte 3" + kNotUtf8Advice},
      {"\xED\xA0\x80 surrogate", "invalid UTF-8 at byte 0" + kNotUtf8Advice},
      {"Khmer \xE1\x9E\x9F\xE1\x9E", "invalid UTF-8 at byte 9" + kNotUtf8Advice},  // truncated at the end
      {"\xEF\xBB\xBF\xFF", "invalid UTF-8 at byte 3" + kNotUtf8Advice},  // offsets count the BOM
      {std::string("h\0e\0l\0l\0o\0 \0w\0o\0r\0l\0d\0", 22),  // UTF-16LE
       "looks like UTF-16 text without a byte order mark (NUL bytes at every other offset), "
       "which is not supported (save the file as UTF-8)"},
      {std::string("\0h\0e\0l\0l\0o\0 \0w\0\xE9", 16),  // UTF-16BE, ending in é
       "looks like UTF-16 text without a byte order mark (NUL bytes at every other offset), "
       "which is not supported (save the file as UTF-8)"},
  }));
  CAPTURE(static_cast<int>(format), bytes);
  CHECK(extraction_error(bytes, format) == expected_message);
}

TEST_CASE("Whitespace-only text files are rejected", "[extract]") {
  const Format format = GENERATE(Format::Text, Format::Markdown);
  CHECK_THAT(extraction_error(" \n\t\r\n ", format), Catch::StartsWith("file has no text"));
}

// --- Markdown ---------------------------------------------------------------------------

TEST_CASE("Markdown title is the first ATX heading", "[extract]") {
  const auto [markdown, title] = GENERATE(table<std::string, std::string>({
      {"# Open letter\n\nBody.", "Open letter"},
      {"Intro line\n\n## Second-level *first* heading ##\n# Later", "Second-level first heading"},
      {"   #   Spaced   \nBody", "Spaced"},
      {"#NoSpaceIsNotAHeading\nBody", ""},
      {"```\n# comment in code\n```\n# Real title", "Real title"},
      {"No heading at all.", ""},
      {"# [Linked](https://example.org) title", "Linked title"},
  }));
  CAPTURE(markdown);
  CHECK(extract_text(markdown, Format::Markdown).title == title);
}

TEST_CASE("Markdown markup is stripped lightly", "[extract]") {
  const auto [markdown, text] = GENERATE(table<std::string, std::string>({
      {"# Title", "Title"},
      {"### Article 3 ###", "Article 3"},
      {"Some **bold** and *italic* and __strong__ and _em_.", "Some bold and italic and strong and em."},
      {"See [the report](https://example.org/a_(b)) now.", "See the report now."},
      {"![Map of Cambodia](map.png)", "Map of Cambodia"},
      {"Link with **[bold text](u)** inside", "Link with bold text inside"},
      {"snake_case and file_name.txt stay", "snake_case and file_name.txt stay"},
      {"* list item\n- other item", "* list item\n- other item"},
      {"2 * 3 = 6", "2 * 3 = 6"},
      {"[not a link] and [also](", "[not a link] and [also]("},
      {"[outer [inner](u) text](v) end", "outer [inner](u) text end"},
      {"[a [b](u) and \\](x)", "[a b and ](x)"},
      {"> quoted *text*", "> quoted text"},
      {"**សិទ្ធិមនុស្ស** ក្នុង_ពាក្យ", "សិទ្ធិមនុស្ស ក្នុង_ពាក្យ"},
      {"```\n**kept** _in_ code # too\n```", "```\n**kept** _in_ code # too\n```"},
      {"line one\r\nline two", "line one\nline two"},
  }));
  CAPTURE(markdown);
  CHECK(extract_text(markdown, Format::Markdown).text == text);
}

TEST_CASE("Markdown: a line of unmatched brackets costs one pass", "[extract]") {
  // 600,000 '[' that never close, then a link: each bracket used to be matched by a scan
  // to the end of the line (200,000 took 17 s, this would take minutes and meet the unit
  // tests' time limit); the link is still found.
  constexpr std::size_t kBrackets = 600000;
  const std::string line = std::string(kBrackets, '[') + " see [the report](https://example.org) now";
  const auto text = extract_text(line, Format::Markdown).text;
  CHECK(text.size() == kBrackets + std::string(" see the report now").size());
  CHECK(text.substr(kBrackets) == " see the report now");
}

TEST_CASE("Markdown: many unclosed comments cost one pass", "[extract]") {
  // Whether each `<!--` is ever closed used to be a search to the end of the line or
  // file: 100,000 of them took minutes. Nothing is lost to them.
  constexpr std::size_t kOpenings = 100000;
  std::string inline_openings;
  std::string comment_blocks;
  for (std::size_t i = 0; i < kOpenings; ++i) {
    inline_openings += "a <!-- ";
    comment_blocks += "<!-- - -\n\n";
  }
  CHECK(extract_text(inline_openings + "end", Format::Markdown).text == inline_openings + "end");
  CHECK(extract_text(comment_blocks + "end", Format::Markdown).text ==
        std::string(2 * kOpenings, '\n') + "end");
}

TEST_CASE("Markdown: a line of backtick runs of many lengths costs one pass", "[extract]") {
  // Runs of 1, 2, 3... backticks close no code span (none has a twin); looking for each
  // one's closing run along the rest of the line took seconds per megabyte squared.
  std::string line = "text <!-- ";
  for (std::size_t length = 1; length <= 3000; ++length) line += std::string(length, '`') + "x";
  CHECK(extract_text(line, Format::Markdown).text.size() > 3000);
  // A run closes at the next run of its own length: the span in between is kept as text.
  CHECK(extract_text("a `` <!-- x --> ` `` b <!-- y --> c", Format::Markdown).text == "a `` <!-- x --> ` `` b  c");
}

TEST_CASE("Markdown front matter and setext headings give the title: their markup is not text", "[extract]") {
  // Front matter is metadata: its title is the title, none of it is text.
  const auto [markdown, title, text] = GENERATE(table<std::string, std::string, std::string>({
      {"---\ntitle: \"Open letter on land\"\ndate: 2021-03-04\ntags: [land]\n---\n# Heading\n\nBody.",
       "Open letter on land", "Heading\n\nBody."},
      {"---\nlayout: post\ntitle: Plain title # a comment\n---\nBody.", "Plain title", "Body."},
      {"+++\ntitle = \"TOML title\"\ndate = 2021-03-04\n+++\nBody.", "TOML title", "Body."},
      {"---\nauthor: x\n...\nBody only.", "", "Body only."},
      {"---\nauthor: x\n---\n# Heading\nBody", "Heading", "Heading\nBody"},
      // Not front matter: never closed, or not `key: value`.
      {"---\ntitle: x\nNo end.", "", "\ntitle: x\nNo end."},  // "---" is a thematic break
      {"---\nSome text\n---\nMore", "Some text", "\nSome text\nMore"},
      // A heading looks like a YAML comment; prose after it is no metadata.
      {"---\n# Annual report\n\nSummary: the ministry replied.\n\nSection two\n---\nText",
       "Annual report", "\nAnnual report\n\nSummary: the ministry replied.\n\nSection two\nText"},
      // Setext headings: the paragraph is the heading, the underline is markup.
      {"Annual report\n=============\n\nBody.", "Annual report", "Annual report\n\nBody."},
      {"Intro *para*\n\nSection two\n---\nText\n# Later", "Section two", "Intro para\n\nSection two\nText\nLater"},
      {"Line one\nline two\n===", "Line one line two", "Line one\nline two"},
      {"- item\n---", "", "- item\n"},
      {"> quote\n===", "", "> quote\n==="},
      {"===\nnot a heading", "", "===\nnot a heading"},
  }));
  CAPTURE(markdown);
  const ExtractedText extracted = extract_text(markdown, Format::Markdown);
  CHECK(extracted.title == title);
  CHECK(extracted.text == text);
}

TEST_CASE("Markdown HTML comments are not text", "[extract]") {
  const auto [markdown, text] = GENERATE(table<std::string, std::string>({
      {"Visible <!-- editor's note --> text", "Visible  text"},
      {"Before\n<!--\nsecret\ndraft -->After", "Before\n\n\nAfter"},
      {"<!-- a --> one <!-- b --> two", " one  two"},
      {"```\n<!-- kept in code -->\n```", "```\n<!-- kept in code -->\n```"},
  }));
  CAPTURE(markdown);
  CHECK(extract_text(markdown, Format::Markdown).text == text);
  CHECK(extraction_error("<!-- only a comment -->\n", Format::Markdown) ==
        "file has no text (only whitespace or markup)");
}

TEST_CASE("Markdown backslash escapes give the literal character", "[extract]") {
  const auto [markdown, text] = GENERATE(table<std::string, std::string>({
      {"Escaped \\*stars\\* and \\_under\\_", "Escaped *stars* and _under_"},
      {"\\# not a heading", "# not a heading"},
      {"C:\\path and a\\\\b", "C:\\path and a\\b"},
      {"\\[not a link\\](url)", "[not a link](url)"},
  }));
  CAPTURE(markdown);
  CHECK(extract_text(markdown, Format::Markdown).text == text);
}

// --- HTML -------------------------------------------------------------------------------

TEST_CASE("HTML title comes from <title>, else the first <h1>", "[extract]") {
  const auto [html, title] = GENERATE(table<std::string, std::string>({
      {"<title>  Annual\n report </title><h1>Heading</h1>", "Annual report"},
      {"<title></title><body><h1>The <em>real</em> heading</h1><h1>Second</h1>", "The real heading"},
      {"<body><p>No title here</p>", ""},
      {"<title>Caf&eacute; &amp; rights</title><p>x</p>", "Café & rights"},
      {"<body><svg><title>tooltip</title></svg><h1>Visible</h1>", "Visible"},
  }));
  CAPTURE(html);
  CHECK(extract_text(html, Format::Html).title == title);
}

TEST_CASE("HTML visible text: blocks become paragraphs, whitespace collapses", "[extract]") {
  const auto [html, text] = GENERATE(table<std::string, std::string>({
      {"<p>One</p><p>Two</p>", "One\n\nTwo"},
      {"<p>  Hello   <b>world</b>\n  again! </p>", "Hello world again!"},
      {"<div>a<br>b<br><br>c</div>", "a\nb\n\nc"},
      {"<h1>T</h1><ul><li>x</li><li>y</li></ul>", "T\n\nx\n\ny"},
      {"<table><tr><td>a</td><td>b</td></tr></table>", "a\n\nb"},
      {"<p>in<span>line</span> <a href='u'>link</a></p>", "inline link"},
      {"<p>x</p><pre>  keep\n    layout</pre><p>after</p>", "x\n\n  keep\n    layout\n\nafter"},
      {"<pre>\n  leading layout  \n</pre>", "leading layout"},
      {"<p>&amp; &eacute; &#x1780; &lt;tag&gt;</p>", "& é ក <tag>"},
      // References past U+10FFFF are U+FFFD (gumbo 0.10.1 would overflow: fuzz finding).
      {"<p>&#xEEEEEEEE;</p>", "\uFFFD"},
      {"<p>a&#x80000000;b</p>", "a\uFFFDb"},
      {"<p>&#4294967206;x &#99999999999999999999</p>", "\uFFFDx \uFFFD"},
      {"<section><header>H</header><article>A</article><footer>F</footer></section>", "H\n\nA\n\nF"},
      {"<blockquote>Q</blockquote>tail", "Q\n\ntail"},
  }));
  CAPTURE(html);
  CHECK(extract_text("<html><body>" + html + "</body></html>", Format::Html).text == text);
}

TEST_CASE("HTML invisible content is skipped", "[extract]") {
  const std::string html =
      "<!doctype html><html><head><title>T</title><style>p{color:red}</style>"
      "<script>var headScript = 1;</script></head><body>"
      "<script>document.write('scripted')</script><noscript>enable JS</noscript>"
      "<template><p>template text</p></template><!-- a comment -->"
      "<div hidden>hidden text</div><p>Visible text</p><style>.x{}</style></body></html>";
  const ExtractedText result = extract_text(html, Format::Html);
  CHECK(result.text == "Visible text");
  CHECK(result.title == "T");
}

TEST_CASE("HTML in the charset its <meta> declares is converted to UTF-8", "[extract]") {
  const auto [html, text] = GENERATE(table<std::string, std::string>({
      {"<meta charset=\"windows-1252\"><p>Caf\xE9 \x93quoted\x94</p>", "Café “quoted”"},
      {"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">"
       "</head><body><p>R\xE9sum\xE9</p>", "Résumé"},
      {"<HTML><META CHARSET=Shift_JIS><p>\x93\xFA\x96\x7B</p>", "日本"},
      {"<!-- <meta charset=\"koi8-r\"> --><meta charset='iso-8859-2'><p>\xB1</p>", "ą"},
      {"\xEF\xBB\xBF<meta charset=\"windows-1252\"><p>caf\xC3\xA9</p>", "café"},  // the BOM wins
      {"<meta charset=\"utf-8\"><p>caf\xC3\xA9</p>", "café"},
      {"<meta charset=\"windows-1252\">\r\n<p>a</p>\r\n<p>b</p>", "a\n\nb"},
  }));
  CAPTURE(html);
  CHECK(extract_text(html, Format::Html).text == text);
}

TEST_CASE("HTML with an unknown or violated charset fails with one clear line", "[extract]") {
  const auto [html, message] = GENERATE(table<std::string, std::string>({
      {"<meta charset=\"x-klingon\"><p>Qapla'</p>",
       "unknown charset \"x-klingon\" declared by a <meta> tag (save the file as UTF-8)"},
      {"<meta charset=\"shift_jis\"><p>ok \x81</p>",
       "invalid shift_jis at byte 32 (the charset its <meta> tag declares)"},
      {std::string("<meta charset=\"windows-1252\"><p>a\0b</p>", 39), "binary file (NUL byte at offset 33)"},
      {"<meta charset=\"utf-7\"><p>a+AAA-b</p>",
       "text in utf-7 decodes to a NUL character, which no page shows (save the file as UTF-8)"},
  }));
  CAPTURE(html);
  CHECK(extraction_error(html, Format::Html) == message);
}

TEST_CASE("HTML images and form controls separate words: alt text is text", "[extract]") {
  const auto [html, text] = GENERATE(table<std::string, std::string>({
      {"<label>a</label><input><button>b</button>", "a b"},
      {"one<img alt=\"x\">two", "one x two"},
      {"one<img src=\"i.png\">two", "one two"},
      {"<p>Map: <img alt=\"Phnom Penh\"></p>", "Map: Phnom Penh"},
      {"Vote<select><option>yes</option><option>no</option></select>now", "Vote yes no now"},
      {"a<textarea>b</textarea>c", "a b c"},
      {"x<video>fallback</video>y<iframe></iframe>z", "x fallback y z"},
      {"super<wbr>califragilistic", "supercalifragilistic"},  // <wbr> only allows a line break
      {"one<img alt=\"x\" hidden>two", "onetwo"},  // a hidden image is not there at all
  }));
  CAPTURE(html);
  CHECK(extract_text(html, Format::Html).text == text);
}

TEST_CASE("HTML without visible text is rejected", "[extract]") {
  const std::string html = GENERATE(
      std::string("<html><head><title>Only a title</title></head><body></body></html>"),
      std::string("<script>alert('only a script')</script>"),
      std::string("<body>  \n <style>body{}</style> <!-- nothing --> </body>"),
      std::string("   \n  "));
  CAPTURE(html);
  CHECK(extraction_error(html, Format::Html) == "HTML has no text");
}

TEST_CASE("HTML lang is reduced to the primary subtag", "[extract]") {
  const auto [lang_attribute, language] = GENERATE(table<std::string, std::string>({
      {" lang=\"km\"", "km"},
      {" lang=\"zh-Hant\"", "zh"},
      {" lang=\"EN-us\"", "en"},
      {" lang=\"pt_BR\"", "pt"},
      {" lang=\"fil\"", "fil"},
      // One code per language: CLDR's canonical one, as CLD2 and the facet use.
      {" lang=\"cat\"", "ca"},
      {" lang=\"hau\"", "ha"},
      {" lang=\"fre-FR\"", "fr"},
      {" lang=\"arb\"", "ar"},
      {" lang=\"iw\"", "he"},
      {" lang=\"cri\"", "cri"},
      // Codes that name no language declare nothing.
      {" lang=\"und\"", ""},
      {" lang=\"mul\"", ""},
      {" lang=\"zxx\"", ""},
      {" lang=\"\"", ""},
      {" lang=\"x-private\"", ""},
      {" lang=\"english\"", ""},
      {"", ""},
  }));
  CAPTURE(lang_attribute);
  const std::string html = "<html" + lang_attribute + "><body><p>text</p></body></html>";
  CHECK(extract_text(html, Format::Html).language == language);
}

TEST_CASE("HTML BOM and CRLF are handled before parsing", "[extract]") {
  const ExtractedText result =
      extract_text("\xEF\xBB\xBF<title>T</title>\r\n<pre>a\r\nb</pre>", Format::Html);
  CHECK(result.title == "T");
  CHECK(result.text == "a\nb");
}

TEST_CASE("Deeply nested HTML does not overflow the stack", "[extract]") {
  std::string html;
  for (int i = 0; i < 9000; ++i) html += "<span>";
  html += "deep";
  CHECK(extract_text(html, Format::Html).text == "deep");
}

TEST_CASE("HTML nested absurdly deep is refused before gumbo spends minutes on it", "[extract]") {
  // 400,000 nested <div>s (2 MB) took gumbo two minutes: the whole build waited.
  std::string html = "<html><body>";
  for (int i = 0; i < 400000; ++i) html += "<div>";
  html += "deep";
  CHECK_THROWS_WITH(extract_text(html, Format::Html), Catch::Contains("nested 400000 deep"));
  // What does not nest is not counted: paragraphs and list items close each other, void
  // elements and comments hold nothing, and closed elements give their depth back.
  std::string flat = "<html><body><ul>";
  for (int i = 0; i < 30000; ++i) flat += "<li><p>item <br><img src=x><!-- <div> --><b>bold</b> <span/>";
  flat += "</ul><script>for (;;) { '<div><div><div>' }</script>";
  CHECK_NOTHROW(extract_text(flat, Format::Html));
}

TEST_CASE("UDHR Khmer HTML from the corpus", "[extract]") {
  const ExtractedText result = extract_text(corpus_file("udhr/udhr-khm.html"), Format::Html);
  CHECK(result.language == "km");
  CHECK(result.title == "Khmer, Central");
  CHECK(result.text.find("សិទ្ធិមនុស្ស") != std::string::npos);
  // The <h1> opens the body text; no markup leaks through.
  CHECK(result.text.rfind("សេចក្ដីប្រកាសជាសកលស្ដីពីសិទ្ធិមនុស្ស\n\n", 0) == 0);
  CHECK(result.text.find('<') == std::string::npos);
  CHECK(result.page_starts.empty());
}

TEST_CASE("Every UDHR translation in the corpus extracts with its language", "[extract]") {
  const auto [code, language] = GENERATE(table<std::string, std::string>({
      {"khm", "km"}, {"tha", "th"}, {"lao", "lo"}, {"mya", "my"}, {"cmn_hans", "zh"},
      {"jpn", "ja"}, {"vie", "vi"}, {"fra", "fr"}, {"eng", "en"}, {"arb", "ar"}, {"rus", "ru"},
  }));
  CAPTURE(code);
  const ExtractedText result = extract_text(corpus_file("udhr/udhr-" + code + ".html"), Format::Html);
  CHECK(result.language == language);
  CHECK_FALSE(result.title.empty());
  CHECK(result.text.size() > 5000);
  CHECK(result.text.find("\n\n") != std::string::npos);
}

TEST_CASE("Every corpus document extracts: seed texts come out unchanged", "[extract]") {
  const nlohmann::json manifest = nlohmann::json::parse(corpus_file("manifest.json"));
  REQUIRE(manifest.at("documents").size() >= 16);
  for (const nlohmann::json& document : manifest.at("documents")) {
    const std::string path = document.at("path").get<std::string>();
    CAPTURE(path);
    const std::optional<Format> format = rights::format_for_path(path);
    REQUIRE(format.has_value());
    const std::string bytes = corpus_file(path);
    const ExtractedText result = extract_text(bytes, *format);
    if (*format == Format::Text) {
      CHECK(result.text == bytes);  // UTF-8 without BOM or CR: nothing to change
    } else {
      CHECK(result.text.size() > 1000);
    }
  }
}

// --- PDF --------------------------------------------------------------------------------

TEST_CASE("PDF text is extracted page by page with page_starts", "[extract]") {
  const ExtractedText result = extract_text(two_page_pdf(), Format::Pdf);
  INFO("text: " << result.text);
  REQUIRE(result.page_starts.size() == 2);
  CHECK(result.page_starts[0] == 0);
  const std::size_t page_one = result.text.find("Page one: freedom of expression.");
  const std::size_t second_line = result.text.find("Second line.");
  const std::size_t page_two = result.text.find("Page two: prohibition of torture.");
  REQUIRE(page_one != std::string::npos);
  REQUIRE(second_line != std::string::npos);
  REQUIRE(page_two != std::string::npos);
  CHECK(page_one < result.page_starts[1]);
  CHECK(second_line < result.page_starts[1]);
  CHECK(page_two >= result.page_starts[1]);
  // Pages are joined by a blank line and page 2 starts right after it.
  CHECK(result.text.compare(result.page_starts[1] - 2, 2, "\n\n") == 0);
  CHECK(result.text.compare(result.page_starts[1], 9, "Page two:") == 0);
  CHECK(result.title == "Annual Report 2020");
  CHECK(result.language.empty());
}

TEST_CASE("PDF columns are read one after the other", "[extract]") {
  const std::string left_column =
      text_content({"Left column opens the article", "and the left column ends here."});
  std::string right_column =
      text_content({"Right column starts with this", "and closes the right column."});
  right_column.replace(right_column.find("72 720 Td"), 9, "330 720 Td");
  const std::string text = extract_text(build_pdf({{left_column + right_column}, "", ""}),
                                        Format::Pdf).text;
  INFO("text: " << text);
  // Reading order keeps each column's sentence whole, where a physical layout would
  // interleave "Left column opens the article   Right column starts with this".
  CHECK(text.find("Left column opens the article\nand the left column ends here.") !=
        std::string::npos);
  CHECK(text.find("Right column starts with this\nand closes the right column.") !=
        std::string::npos);
  CHECK(text.find("  ") == std::string::npos);
}

TEST_CASE("PDF title comes from the document info", "[extract]") {
  const auto [info, title] = GENERATE(table<std::string, std::string>({
      {"/Title (Plain title)", "Plain title"},
      // UTF-16BE with BOM: "Droits de l’homme"
      {"/Title <FEFF00440072006F0069007400730020006400650020006C20190068006F006D006D0065>",
       "Droits de l’homme"},
      {"/Title (Caf\\351 \\(PDFDocEncoding\\))", "Café (PDFDocEncoding)"},
      {"/Title ()", ""},
      {"/Author (Only an author)", ""},
      // What tools fill in when the author gave no title is none (the text's first line is):
      {"/Title (Untitled-1)", ""}, {"/Title (untitled)", ""}, {"/Title (Document1)", ""},
      {"/Title (Microsoft Word - LICADHO_report_final.docx)", ""}, {"/Title (report 2020 v3.pdf)", ""},
      {"/Title (Untitled lives: land and memory)", "Untitled lives: land and memory"},
      {"/Title (Documenting abuses)", "Documenting abuses"},
  }));
  CAPTURE(info);
  const std::string pdf = build_pdf({{text_content({"Body"})}, info, ""});
  CHECK(extract_text(pdf, Format::Pdf).title == title);
}

TEST_CASE("PDF with one page of text and an empty page keeps both page starts", "[extract]") {
  const std::string pdf = build_pdf({{"", text_content({"Only text"})}, "", ""});
  const ExtractedText result = extract_text(pdf, Format::Pdf);
  CHECK(result.page_starts == std::vector<std::size_t>{0, 2});
  CHECK(result.text == "\n\nOnly text");
}

TEST_CASE("PDF without text is reported as a probable scan", "[extract]") {
  // A filled rectangle stands in for a scanned image: marks on the page, no text.
  const std::string pdf = build_pdf({{"0 0 1 rg 72 72 400 600 re f\n", ""}, "/Title (Scan)", ""});
  CHECK(extraction_error(pdf, Format::Pdf) == "PDF has no extractable text (scanned image?)");
}

TEST_CASE("Password-protected PDF is reported as locked", "[extract]") {
  // Standard security handler entries whose /U does not match the empty user password:
  // to poppler this is a document that needs a password, exactly like a real one.
  const std::string hex32(64, 'A');
  const std::string encrypt = "/Encrypt << /Filter /Standard /V 1 /R 2 /O <" + hex32 +
                              "> /U <" + hex32 + "> /P -44 >> /ID [<0123456789ABCDEF0123456789ABCDEF> "
                              "<0123456789ABCDEF0123456789ABCDEF>]";
  const std::string pdf = build_pdf({{text_content({"Secret"})}, "", encrypt});
  CHECK(extraction_error(pdf, Format::Pdf) == "PDF is encrypted/locked (password required)");
}

TEST_CASE("Corrupt PDFs fail cleanly", "[extract]") {
  const std::string valid = two_page_pdf();
  const auto [bytes, expected_prefix] = GENERATE_COPY(table<std::string, std::string>({
      {"", "empty file"},
      {"This is not a PDF at all.\n%%EOF\n", "PDF could not be parsed"},
      {"%PDF-1.4\nthis is garbage, no objects\n%%EOF\n", "PDF could not be parsed"},
      {"%PDF-1.7\n" + std::string(2000, '\xA7') + "\n%%EOF", "PDF could not be parsed"},
      {valid.substr(0, valid.size() / 2), "PDF is truncated"},
      {valid.substr(0, valid.size() - 7), "PDF is truncated"},
  }));
  CAPTURE(bytes.size());
  const std::string message = extraction_error(bytes, Format::Pdf);
  CHECK_THAT(message, Catch::StartsWith(expected_prefix));
  CHECK(message.find('\n') == std::string::npos);
}

TEST_CASE("PDF padded after %%EOF (scanners, transfer tools) still extracts", "[extract]") {
  const std::string valid = two_page_pdf();
  const std::string padding =
      GENERATE(std::string(2048, '\0'), std::string(1100, '\n'), std::string(1500, ' ') + "\r\n");
  CAPTURE(padding.size());
  const ExtractedText result = extract_text(valid + padding, Format::Pdf);
  CHECK(result.page_starts.size() == 2);
  CHECK_THAT(result.text, Catch::Contains("prohibition of torture"));
  // Padding does not hide a file that was cut short.
  CHECK_THAT(extraction_error(valid.substr(0, valid.size() / 2) + padding, Format::Pdf),
             Catch::StartsWith("PDF is truncated"));
}

TEST_CASE("Randomly damaged PDFs never crash the extractor", "[extract]") {
  const std::string valid = two_page_pdf();
  std::mt19937 random(20240611);  // fixed seed: failures must be reproducible
  std::uniform_int_distribution<std::size_t> position(0, valid.size() - 1);
  std::uniform_int_distribution<int> byte(0, 255);
  int extracted = 0;
  int rejected = 0;
  for (int round = 0; round < 300; ++round) {
    std::string damaged = valid;
    const int flips = 1 + round % 8;
    for (int i = 0; i < flips; ++i) damaged[position(random)] = static_cast<char>(byte(random));
    CAPTURE(round);
    try {
      const ExtractedText result = extract_text(damaged, Format::Pdf);
      CHECK(result.page_starts.size() <= 2);
      ++extracted;
    } catch (const ExtractionError& error) {
      CHECK(std::string(error.what()).find('\n') == std::string::npos);
      ++rejected;
    }
  }
  CHECK(extracted + rejected == 300);
  CHECK(extracted > 0);  // most single-byte damage is recoverable
}

TEST_CASE("Markdown: '<!--' in code, or never closed mid-line, loses no text", "[extract]") {
  const auto [markdown, text] = GENERATE(table<std::string, std::string>({
      {"# Guide\n\nUse `<!--` to open a comment.\n\nThe rest mwordeight.",
       "Guide\n\nUse `<!--` to open a comment.\n\nThe rest mwordeight."},
      {"Code: `` <!-- x --> `` stays", "Code: `` <!-- x --> `` stays"},
      {"Intro\n\n    <!-- in code\n\nThe rest", "Intro\n\n    <!-- in code\n\nThe rest"},
      {"a <!-- b\n\nc -->d", "a <!-- b\n\nc -->d"},  // mid-line: only a comment closed on its line
      // A comment block that never closes ends at a blank line rather than the file's end.
      {"<!-- draft\nnote\n\nThe rest", "\n\n\nThe rest"},
      {"   <!--\nsecret\n\nstill secret -->\nafter", "\n\n\n\nafter"},
  }));
  CAPTURE(markdown);
  CHECK(extract_text(markdown, Format::Markdown).text == text);
}

TEST_CASE("HTML charset labels are read as browsers read them (WHATWG Encoding)", "[extract]") {
  const auto [html, text] = GENERATE(table<std::string, std::string>({
      {"<meta charset=\"gb2312\"><p>\xD6\xEC\xE9\x46\xBB\xF9</p>", "朱镕基"},  // 镕 is GBK only
      {"<meta charset=\"euc-kr\"><p>\x8C\x63\xB9\xE6\xB0\xA2\xC7\xCF</p>", "똠방각하"},
      {"<meta charset=\"iso-8859-9\"><p>\x80</p>", "€"},
      {"<meta charset=\"tis-620\"><p>\x80</p>", "€"},
      {"<meta charset=\"shift_jis\"><p>\x87\x40</p>", "①"},
      {"<meta charset=\"big5\"><p>\xFA\x41</p>", "\xE9\x8B\x9B"},  // HKSCS: 鋛
  }));
  CAPTURE(html);
  CHECK(extract_text(html, Format::Html).text == text);
}

TEST_CASE("HTML bytes that decode to C1 controls or U+FFFD fail the file", "[extract]") {
  CHECK(extraction_error("<meta charset=\"windows-1252\"><p>a\x81</p>", Format::Html) ==
        "invalid windows-1252 at byte 33 (the charset its <meta> tag declares)");
  CHECK(extraction_error("<meta charset=\"iso-8859-1\"><p>ab\x9D</p>", Format::Html) ==
        "invalid iso-8859-1 at byte 32 (the charset its <meta> tag declares)");
}

TEST_CASE("Markdown thematic breaks are neither text nor a title", "[extract]") {
  const auto [markdown, text] = GENERATE(table<std::string, std::string>({
      {"---\nBody text", "\nBody text"},
      {"***\nBody text", "\nBody text"},
      {"   ___\nBody text", "\nBody text"},
      {"- - -\nBody text", "\nBody text"},
      {"---\ntitle: T\n---\n---\nBody", "\nBody"},
      {"Para\n\n* * *\n\nMore", "Para\n\n\n\nMore"},
  }));
  CAPTURE(markdown);
  const ExtractedText extracted = extract_text(markdown, Format::Markdown);
  CHECK(extracted.text == text);
  CHECK(extracted.title.find_first_of("-*_") == std::string::npos);
}

TEST_CASE("Markdown front matter: block scalars, comments, quoting", "[extract]") {
  const auto [markdown, title] = GENERATE(table<std::string, std::string>({
      {"---\ntitle: >-\n  Folded long\n  title\ndate: 2020\n---\nBody", "Folded long title"},
      {"---\ntitle: |\n  Literal\n---\nBody", "Literal"},
      {"---\ntitle: >+\n  Kept\n\n---\nBody", "Kept"},
      {"---\n# generated by hugo\n\ntitle: Commented\n---\nBody", "Commented"},
      {"---\ntitle: 'It''s a title'\n---\nBody", "It's a title"},
      {"---\ntitle: \"Say \\\"hi\\\" \\\\ now\"\n---\nBody", "Say \"hi\" \\ now"},
      {"+++\n# toml comment\ntitle = \"T \\\"q\\\"\"\n+++\nBody", "T \"q\""},
      {"+++\n[params]\ntitle = \"Theme\"\n+++\nBody", ""},
  }));
  CAPTURE(markdown);
  const ExtractedText extracted = extract_text(markdown, Format::Markdown);
  CHECK(extracted.title == title);
  CHECK(extracted.text == "Body");
}

TEST_CASE("HTML charset prescan: cut, unrelated and later <meta>s declare nothing", "[extract]") {
  const std::string cut = "<p>" + std::string(1000, 'x') + "</p><meta charset=\"windows-1252\">";
  REQUIRE(cut.find("windows-12") < 1024);
  REQUIRE(cut.find("windows-1252\"") + 13 > 1024);
  CHECK_THAT(extract_text(cut, Format::Html).text, Catch::StartsWith("xxx"));
  const auto [html, text] = GENERATE(table<std::string, std::string>({
      {"<meta name=\"description\" content=\"charset=koi8-r\"><p>caf\xC3\xA9</p>", "café"},
      {"<meta charset=\"windows-1252\"><meta charset=\"koi8-r\"><p>caf\xE9</p>", "café"},
      {"<meta content=\"text/html; charset=windows-1252\" http-equiv=\"Content-Type\"><p>caf\xE9</p>", "café"},
      {"<meta charset=windows-1252/><p>caf\xE9</p>", "café"},
  }));
  CAPTURE(html);
  CHECK(extract_text(html, Format::Html).text == text);
}

TEST_CASE("PDF padded with Ctrl-Z or 0xFF after %%EOF still extracts", "[extract]") {
  const std::string padding = GENERATE(std::string(1200, '\x1A'), std::string(2000, '\xFF'),
                                       std::string("\r\n\x1A"));
  CAPTURE(padding.size());
  CHECK(extract_text(two_page_pdf() + padding, Format::Pdf).page_starts.size() == 2);
}

TEST_CASE("HTML inline <svg> and <math> separate words: their text is kept", "[extract]") {
  const auto [html, text] = GENERATE(table<std::string, std::string>({
      {"eight<svg><text>x</text></svg>nine", "eight x nine"},
      {"eight<svg><title>tip</title></svg>nine", "eight nine"},
      {"a<math><mi>x</mi></math>b", "a x b"},
  }));
  CAPTURE(html);
  CHECK(extract_text(html, Format::Html).text == text);
}

TEST_CASE("Markdown front matter: the date it declares, if it is one", "[extract][dates]") {
  const auto [markdown, date] = GENERATE(table<std::string, std::string>({
      {"---\ntitle: T\ndate: 2021-05-12\n---\nBody", "2021-05-12"},
      {"---\ndate: \"2021-05-12T08:00:00+07:00\"\n---\nBody", "2021-05-12"},
      {"---\nDate: 2021-05-12 10:30 # local time\n---\nBody", "2021-05-12"},
      {"---\ndate: 2021-05\n---\nBody", "2021-05"},
      {"---\ndate: '2019'\n---\nBody", "2019"},
      {"+++\ndate = 2021-05-12T08:00:00Z\n+++\nBody", "2021-05-12"},
      {"+++\ndate = \"2021-05-12\"\n+++\nBody", "2021-05-12"},
      // A TOML table's keys are not the document's.
      {"+++\ntitle = \"T\"\n[params]\ndate = 2021-05-12\n+++\nBody", ""},
      {"+++\ndate = 2020-01-02\n[[menu.main]]\ndate = 2021-05-12\n+++\nBody", "2020-01-02"},
      // Hugo's publishDate and a dated `published:` stand in for a missing date ...
      {"---\npublishDate: 2020-01-02\n---\nBody", "2020-01-02"},
      {"---\npublished: 2020-03-04\ntitle: T\n---\nBody", "2020-03-04"},
      // ... but `date:` wins wherever it stands.
      {"---\npublishDate: 2020-01-02\ndate: 2021-05-12\n---\nBody", "2021-05-12"},
      // Not dates: nothing declared.
      {"---\npublished: false\n---\nBody", ""},
      {"---\ndate: 2021-02-30\n---\nBody", ""},
      {"---\ndate: yesterday\n---\nBody", ""},
      {"---\ndate: 20210512\n---\nBody", ""},
      {"---\ndate: 2021-05-12T99:99\n---\nBody", ""},
      {"---\ndate: 2021-05-12 24:30:00\n---\nBody", ""},
      {"---\ndate: 2021-05-12T23:59:60Z\n---\nBody", "2021-05-12"},
      {"---\ndateModified: 2021-05-12\n---\nBody", ""},
      {"---\nlastmod: 2021-05-12\n---\nBody", ""},
      // Front matter never closed is text, and text dates are not declared ones.
      {"---\ndate: 2021-05-12\nBody", ""},
  }));
  CAPTURE(markdown);
  CHECK(extract_text(markdown, Format::Markdown).date == date);
}

TEST_CASE("HTML: the publication date a <meta> declares", "[extract][dates]") {
  const auto [head, date] = GENERATE(table<std::string, std::string>({
      {R"(<meta name="date" content="2021-05-12">)", "2021-05-12"},
      {R"(<meta name="DC.date.issued" content="2021-05">)", "2021-05"},
      {R"(<meta name="dcterms.created" content="2019">)", "2019"},
      {R"(<meta name="citation_publication_date" content="2021/05/12">)", "2021-05-12"},
      {R"(<meta property="article:published_time" content="2021-05-12T08:00:00+07:00">)", "2021-05-12"},
      {R"(<meta itemprop="datePublished" content="2021-05-12">)", "2021-05-12"},
      // The first valid one in document order; invalid ones are passed over.
      {R"(<meta name="date" content="soon"><meta name="dc.date" content="2020-01-02"><meta name="date" content="2021-01-01">)",
       "2020-01-02"},
      // Other metadata is not a publication date.
      {R"(<meta name="article:modified_time" content="2021-05-12">)", ""},
      {R"(<meta name="description" content="2021-05-12">)", ""},
      {R"(<meta name="date">)", ""},
      {"", ""},
  }));
  CAPTURE(head);
  const std::string html = "<html><head>" + head + "<title>T</title></head><body><p>Report of 3 March 2018.</p></body></html>";
  CHECK(extract_text(html, Format::Html).date == date);
}
