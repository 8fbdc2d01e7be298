// Raw HTML in Markdown: what site generators, GitHub READMEs and note apps put there
// (<div align="center">, <br>, <sup>, <img>) renders as markup, not text, so it must not
// become words in the index and snippets.
#include "rights/extract.h"

#include <catch2/catch.hpp>

#include <string>

using rights::Format;
using rights::extract_text;

TEST_CASE("Markdown raw HTML tags are markup: only the text between them is kept", "[extract][markdown]") {
  const auto [markdown, text] = GENERATE(table<std::string, std::string>({
      {"<div align=\"center\">\n<b>Annual</b> report\n</div>", "\nAnnual report\n"},
      // An image's alt text is what it says to a reader who cannot see it, as in HTML.
      {"Logo: <img src=\"logo.png\" alt=\"Rights Watch\" width=200/> here", "Logo: Rights Watch here"},
      {"Cases rose<sup>1</sup> sharply.<br>New line", "Cases rose1 sharply. New line"},
      {"<details><summary>More</summary>Hidden detail</details>", "More Hidden detail"},
      {"A <span\tclass='x' data-id=7 title = \"t\">word</span>.", "A word."},
      {"<p>Khmer: \xE1\x9E\x9F\xE1\x9E\xB7\xE1\x9E\x91\xE1\x9F\x92\xE1\x9E\x92\xE1\x9E\xB7</p>",
       "Khmer: \xE1\x9E\x9F\xE1\x9E\xB7\xE1\x9E\x91\xE1\x9F\x92\xE1\x9E\x92\xE1\x9E\xB7"},
  }));
  CAPTURE(markdown);
  CHECK(extract_text(markdown, Format::Markdown).text == text);
}

TEST_CASE("Markdown text that only looks like HTML stays text", "[extract][markdown]") {
  const std::string markdown = GENERATE(
      std::string("Write `<div>` in code"),             // a code span shows its tags
      std::string("```\n<div align=\"center\">\n```"),  // so does a code block
      std::string("    <b>indented code</b>"),
      std::string("See <https://example.org> or <info@example.org>"),  // autolinks show their text
      std::string("If a < b and c > d"),                                 // no tag name after '<'
      std::string("An unclosed <a href=\"x tag"));
  CAPTURE(markdown);
  CHECK(extract_text(markdown, Format::Markdown).text == markdown);
  // A backslash escape shows the character itself: the '<' starts no tag.
  CHECK(extract_text("Escaped \\<b> is literal", Format::Markdown).text == "Escaped <b> is literal");
}

TEST_CASE("Markdown headings lose their tags too", "[extract][markdown]") {
  const auto extracted = extract_text("# Report <small>2021</small>\n\nBody", Format::Markdown);
  CHECK(extracted.title == "Report 2021");
}

TEST_CASE("Markdown: a line of unclosed attribute quotes costs linear time", "[extract][markdown]") {
  std::string line;
  for (int i = 0; i < 100000; ++i) line += "<a b=\"";
  CHECK(extract_text(line + "\nend", Format::Markdown).text.size() == line.size() + 4);
}
