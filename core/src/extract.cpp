// Text extraction: the input checks the text formats share, plain text, and dispatch to
// the Markdown, HTML (gumbo) and PDF (poppler) extractors in extract_*.cpp.
#include "rights/extract.h"

#include "rights/dates.h"
#include "rights/text_analysis.h"
#include "rights/zawgyi.h"

#include <unicode/utf16.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <new>

#include "extract_internal.h"

namespace rights {

namespace detail {

namespace {

constexpr const char* kNotUtf8Advice = " (save the file as UTF-8; an HTML page may instead name its charset in a <meta>)";

// UTF-32LE's starts as UTF-16LE's does.
constexpr std::string_view kUtf32LeBom("\xFF\xFE\0\0", 4);
constexpr std::string_view kUtf32BeBom("\0\0\xFE\xFF", 4);

/// True if the first bytes hold NULs at every other offset, and only there: Latin-script
/// UTF-16 saved without a byte order mark, whose ASCII characters have a NUL half.
bool looks_like_utf16(std::string_view bytes) {
  constexpr std::size_t kSample = 64;
  const std::size_t sample = std::min(bytes.size(), kSample) & ~std::size_t{1};
  if (sample < 4) return false;
  std::size_t nuls_at[2] = {0, 0};  // at even, at odd offsets
  for (std::size_t i = 0; i < sample; ++i) {
    if (bytes[i] == '\0') ++nuls_at[i % 2];
  }
  // Most, not all, pairs: a non-ASCII character (é, an emoji half) has no NUL half.
  const std::size_t pairs = sample / 2;
  return (nuls_at[0] == 0 && nuls_at[1] * 4 >= pairs * 3) || (nuls_at[1] == 0 && nuls_at[0] * 4 >= pairs * 3);
}

/// UTF-16 text after its byte order mark, as UTF-8. Bytes that are not UTF-16 (a lone
/// surrogate, an odd byte at the end) fail the file, as invalid UTF-8 does; offsets in
/// messages are file offsets.
std::string utf16_to_utf8(std::string_view bytes) {
  if (bytes.size() % 2 != 0) {
    throw ExtractionError("UTF-16 text of an odd number of bytes (" + std::to_string(bytes.size()) +
                          "): the file was cut short");
  }
  const bool big_endian = bytes[0] == '\xFE';
  const auto unit_at = [&](std::size_t at) -> UChar32 {
    const UChar32 first = static_cast<unsigned char>(bytes[at]), second = static_cast<unsigned char>(bytes[at + 1]);
    return big_endian ? (first << 8 | second) : (second << 8 | first);
  };
  std::string text;
  text.reserve(bytes.size());
  for (std::size_t at = 2; at < bytes.size(); at += 2) {
    UChar32 code = unit_at(at);
    if (U16_IS_LEAD(code) && at + 2 < bytes.size() && U16_IS_TRAIL(unit_at(at + 2))) {
      code = U16_GET_SUPPLEMENTARY(code, unit_at(at + 2));
      at += 2;
    } else if (U16_IS_SURROGATE(code)) {
      throw ExtractionError("invalid UTF-16 at byte " + std::to_string(at) + " (half of a surrogate pair)");
    } else if (code == 0) {
      throw ExtractionError("binary file (NUL character at byte " + std::to_string(at) + ")");
    }
    char utf8[U8_MAX_LENGTH];
    int32_t length = 0;
    U8_APPEND_UNSAFE(utf8, length, code);
    text.append(utf8, static_cast<std::size_t>(length));
  }
  return text;
}

}  // namespace

bool has_utf16_bom(std::string_view bytes) {
  return starts_with(bytes, "\xFF\xFE") || starts_with(bytes, "\xFE\xFF");
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_ascii_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_ascii_space(text.back())) text.remove_suffix(1);
  return text;
}

bool is_blank(std::string_view text) { return trim(text).empty(); }

namespace {

// False for text starting as a time of day ("hh:mm", "hh:mm:ss") whose hour, minute or
// second is out of range; true for a possible one, and for text not shaped as a time.
bool is_possible_time(std::string_view text) {
  const auto two_digits = [&text](std::size_t at) -> int {
    if (text.size() < at + 2 || std::isdigit(static_cast<unsigned char>(text[at])) == 0 ||
        std::isdigit(static_cast<unsigned char>(text[at + 1])) == 0) {
      return -1;
    }
    return (text[at] - '0') * 10 + (text[at + 1] - '0');
  };
  const int hour = two_digits(0);
  if (hour < 0 || text.size() < 3 || text[2] != ':') return true;
  const int minute = two_digits(3);
  if (minute < 0 || hour > 23 || minute > 59) return false;
  const int second = text.size() > 5 && text[5] == ':' ? two_digits(6) : 0;
  return second >= 0 && second <= 60;  // 60: a leap second
}

}  // namespace

std::string metadata_date(std::string_view value) {
  value = trim(value);
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
    value = trim(value.substr(1, value.size() - 2));
  }
  // The date part: digits and separators; what may follow it is a time ("T08:00",
  // " 08:00") or nothing.
  std::size_t end = 0;
  while (end < value.size() && (std::isdigit(static_cast<unsigned char>(value[end])) != 0 ||
                                value[end] == '-' || value[end] == '/')) {
    ++end;
  }
  if (end < value.size() && value[end] != 'T' && value[end] != 't' && value[end] != ' ') return {};
  // A time that cannot be ("T99:99", "T24:30") says the whole value is not a date.
  if (end < value.size() && !is_possible_time(trim(value.substr(end + 1)))) return {};
  std::string date(value.substr(0, end));
  std::replace(date.begin(), date.end(), '/', '-');
  const auto parsed = parse_iso_date(date);
  return parsed ? parsed->iso() : std::string();
}

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

TagStart next_tag(std::string_view html, std::size_t from) {
  TagStart tag;
  for (std::size_t at = html.find('<', from); at != std::string_view::npos; at = html.find('<', at + 1)) {
    if (html.compare(at, 4, "<!--") == 0) {
      at = html.find("-->", at + 4);
      if (at == std::string_view::npos) break;
      continue;
    }
    tag.at = at;
    tag.end_tag = at + 1 < html.size() && html[at + 1] == '/';
    tag.name_end = at + (tag.end_tag ? 2 : 1);
    while (tag.name_end < html.size() && tag.name.size() < 16 &&
           (std::isalnum(static_cast<unsigned char>(html[tag.name_end])) != 0 || html[tag.name_end] == '!')) {
      tag.name += ascii_lower(html[tag.name_end++]);
    }
    return tag;
  }
  return tag;
}

std::string normalize_line_ends(std::string_view text) {
  std::string result;
  result.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\r') {
      result += text[i];
    } else {
      result += '\n';
      if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
    }
  }
  return result;
}

void check_text_bytes(std::string_view bytes) {
  if (bytes.empty()) throw ExtractionError("empty file");
  // UTF-16 (with a byte order mark, read by decode_text_file) and UTF-32 would otherwise be
  // reported as "binary" (their ASCII has NUL high bytes), which hides the one-step fix.
  if (starts_with(bytes, kUtf32LeBom) || starts_with(bytes, kUtf32BeBom)) {
    throw ExtractionError("UTF-32 text is not supported (save the file as UTF-8)");
  }
  if (looks_like_utf16(bytes)) {
    throw ExtractionError("looks like UTF-16 text without a byte order mark (NUL bytes at every other "
                          "offset), which is not supported (save the file as UTF-8)");
  }
  if (const std::size_t nul = bytes.find('\0'); nul != std::string_view::npos) {
    throw ExtractionError("binary file (NUL byte at offset " + std::to_string(nul) + ")");
  }
}

std::string decode_text_file(std::string_view bytes) {
  if (has_utf16_bom(bytes) && !starts_with(bytes, kUtf32LeBom)) {
    const std::string text = utf16_to_utf8(bytes);
    if (text.empty()) throw ExtractionError("empty file");
    return normalize_line_ends(text);
  }
  check_text_bytes(bytes);
  if (const std::size_t bad = first_invalid_utf8(bytes); bad != std::string_view::npos) {
    // Most often a file in an older charset (windows-1252, TIS-620...) that says not which:
    // the message says how to fix it, as the UTF-16 ones do.
    throw ExtractionError("invalid UTF-8 at byte " + std::to_string(bad) + kNotUtf8Advice);
  }
  if (starts_with(bytes, kUtf8Bom)) bytes.remove_prefix(kUtf8Bom.size());
  if (bytes.empty()) throw ExtractionError("empty file");
  return normalize_line_ends(bytes);
}

}  // namespace detail

namespace {

using detail::decode_text_file;
using detail::is_blank;

ExtractedText extract_plain_text(std::string_view bytes) {
  ExtractedText result;
  result.text = decode_text_file(bytes);
  // A first line is too often a date, a letterhead or a slug to be called a title here;
  // the indexer, which also sees the manifest, decides.
  if (is_blank(result.text)) throw ExtractionError("file has no text (only whitespace)");
  return result;
}

}  // namespace

std::optional<Format> format_for_path(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(), detail::ascii_lower);
  if (extension == ".txt") return Format::Text;
  if (extension == ".md" || extension == ".markdown") return Format::Markdown;
  if (extension == ".html" || extension == ".htm") return Format::Html;
  if (extension == ".pdf") return Format::Pdf;
  return std::nullopt;
}

namespace {

ExtractedText extract_format(std::string_view bytes, Format format) {
  switch (format) {
    case Format::Text: return extract_plain_text(bytes);
    case Format::Markdown: return detail::extract_markdown(bytes);
    case Format::Html: return detail::extract_html(bytes);
    case Format::Pdf: return detail::extract_pdf(bytes);
  }
  throw ExtractionError("unknown format");
}

// Burmese written for the Zawgyi font is indexed, shown and highlighted as Unicode, which
// is what the word segmenter reads and searchers type today: Zawgyi text was cut into
// pieces no Unicode query finds. Each PDF page is converted alone, so that pages keep
// their starts.
void convert_zawgyi(ExtractedText& extracted) {
  if (!looks_like_zawgyi(extracted.text)) return;
  // A title is too short to tell alone, and is written with the font of its text.
  extracted.title = zawgyi_to_unicode(extracted.title);
  if (extracted.page_starts.empty()) {
    extracted.text = zawgyi_to_unicode(extracted.text);
    return;
  }
  std::string text;
  for (std::size_t page = 0; page < extracted.page_starts.size(); ++page) {
    const std::size_t begin = extracted.page_starts[page];
    const std::size_t end =
        page + 1 < extracted.page_starts.size() ? extracted.page_starts[page + 1] : extracted.text.size();
    extracted.page_starts[page] = text.size();
    text += zawgyi_to_unicode(std::string_view(extracted.text).substr(begin, end - begin));
  }
  extracted.text = std::move(text);
}

}  // namespace

ExtractedText extract_text(std::string_view bytes, Format format) {
  try {
    ExtractedText extracted = extract_format(bytes, format);
    convert_zawgyi(extracted);
    return extracted;
  } catch (const ExtractionError&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw ExtractionError("out of memory while extracting text");
  } catch (const std::exception& error) {
    // Callers handle one exception type per file; keep the cause in the message.
    throw ExtractionError(std::string("extraction failed: ") + error.what());
  }
}

}  // namespace rights
