// What the extractors of each format share, internal to rights_core: the input checks
// of the text formats and small string helpers. One extractor per file (extract_*.cpp)
// keeps each under the project's size limit; rights/extract.h is the public face.
#pragma once

#include <string>
#include <string_view>

#include "rights/extract.h"

namespace rights::detail {

bool starts_with(std::string_view text, std::string_view prefix);
bool is_ascii_space(char c);
std::string_view trim(std::string_view text);
bool is_blank(std::string_view text);
char ascii_lower(char c);

/// CRLF and lone CR (old Mac files) both become LF, so that paragraph detection and
/// snippets see one line-end convention whatever the author's editor was.
std::string normalize_line_ends(std::string_view text);

/// A tag as a rough scan of HTML sees it before parsing: where its '<' is, its name
/// lower-cased (up to 16 letters, digits or '!', as in "!doctype"; "" for "a < b"),
/// whether it is an end tag, and where the name stops.
struct TagStart {
  std::size_t at = std::string_view::npos;
  std::string name;
  bool end_tag = false;
  std::size_t name_end = 0;
};

/// The first tag of `html` at or after `from`, skipping comments (<!-- ... -->); its `at`
/// is npos if there is none (or a comment runs to the end).
TagStart next_tag(std::string_view html, std::size_t from);

inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

/// Throws ExtractionError unless `bytes` can be text in an ASCII-compatible charset:
/// not empty, not UTF-16 or UTF-32, without NULs.
void check_text_bytes(std::string_view bytes);

/// Whether `bytes` starts with a UTF-16 byte order mark (either byte order).
bool has_utf16_bom(std::string_view bytes);

/// The checks every text-based format (plain text, Markdown, HTML) shares: the bytes must
/// be non-empty UTF-8 without NULs, or UTF-16 with a byte order mark (Notepad's and Word's
/// "Unicode"; without the mark, UTF-16 is refused). Returns the text as UTF-8 with the BOM
/// stripped and LF line ends. Offsets in messages are file offsets, so a user can find
/// the byte with a hex editor.
std::string decode_text_file(std::string_view bytes);

/// decode_text_file for HTML, which may declare another charset than UTF-8 in a <meta>
/// tag: such a file is converted to UTF-8 (an unknown charset fails it).
std::string decode_html_file(std::string_view bytes);

/// A date as metadata writes it ("2021-05-12", "2021-05-12T08:00:00+07:00", "2021/05/12",
/// "2021-05", "2021", quoted or not) as "YYYY[-MM[-DD]]"; "" if it is none (a real
/// calendar date is required: "2021-02-30", "yesterday" and "false" are not).
std::string metadata_date(std::string_view value);

ExtractedText extract_markdown(std::string_view bytes);
ExtractedText extract_html(std::string_view bytes);
ExtractedText extract_pdf(std::string_view bytes);

}  // namespace rights::detail
