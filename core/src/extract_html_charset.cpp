// The character encoding of an HTML file: UTF-8 unless a <meta> declares another, which is
// then converted to UTF-8 with ICU before gumbo (which reads only UTF-8) parses it.
#include "extract_internal.h"

#include "rights/text_analysis.h"

#include <unicode/ucnv.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <string>

namespace rights::detail {

namespace {

// The HTML standard's prescan reads this much before giving up on finding a <meta>.
constexpr std::size_t kPrescanBytes = 1024;
// icu::UnicodeString holds at most 2^31 UTF-16 units; a legacy-charset page this large is
// not a page anyone reads.
constexpr std::size_t kMaxConvertedBytes = std::size_t{1} << 30;

bool is_charset_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == ':';
}

/// The label after "charset" (spaces and '=' between, optionally quoted) in a content=
/// value, as the HTML standard extracts it from `text/html; charset=X`, or "".
std::string charset_from_content(std::string_view content) {
  for (std::size_t key = content.find("charset"); key != std::string_view::npos;
       key = content.find("charset", key + 1)) {
    std::size_t value = key + 7;
    while (value < content.size() && is_ascii_space(content[value])) ++value;
    if (value >= content.size() || content[value] != '=') continue;
    ++value;
    while (value < content.size() && (is_ascii_space(content[value]) || content[value] == '"' ||
                                      content[value] == '\'')) {
      ++value;
    }
    std::size_t value_end = value;
    while (value_end < content.size() && is_charset_name_char(content[value_end])) ++value_end;
    return std::string(content.substr(value, value_end - value));
  }
  return {};
}

/// The charset label one <meta> tag (lower-cased, from "<meta" up to its '>') declares, or
/// "": its charset attribute, else the content attribute's charset= when http-equiv says
/// the content is a Content-Type (in <meta name="description" content="..."> the same
/// words are prose).
std::string meta_charset(std::string_view tag) {
  std::string charset;
  std::string content;
  bool content_type = false;
  std::size_t at = 5;  // past "<meta"
  while (at < tag.size()) {
    while (at < tag.size() && (is_ascii_space(tag[at]) || tag[at] == '/')) ++at;
    const std::size_t name_start = at;
    while (at < tag.size() && !is_ascii_space(tag[at]) && tag[at] != '=' && tag[at] != '/') ++at;
    const std::string_view name = tag.substr(name_start, at - name_start);
    while (at < tag.size() && is_ascii_space(tag[at])) ++at;
    std::string_view value;
    if (at < tag.size() && tag[at] == '=') {
      ++at;
      while (at < tag.size() && is_ascii_space(tag[at])) ++at;
      if (at < tag.size() && (tag[at] == '"' || tag[at] == '\'')) {
        const std::size_t close = tag.find(tag[at], at + 1);
        const std::size_t value_end = close == std::string_view::npos ? tag.size() : close;
        value = tag.substr(at + 1, value_end - at - 1);
        at = value_end + 1;
      } else {
        const std::size_t value_start = at;
        while (at < tag.size() && !is_ascii_space(tag[at])) ++at;
        value = tag.substr(value_start, at - value_start);
      }
    }
    if (name.empty()) break;
    if (name == "charset" && charset.empty()) {
      // Up to the first character no label has: `<meta charset=utf-8/>` is utf-8.
      value = trim(value);
      std::size_t label_end = 0;
      while (label_end < value.size() && is_charset_name_char(value[label_end])) ++label_end;
      charset = std::string(value.substr(0, label_end));
    }
    if (name == "http-equiv") content_type = trim(value) == "content-type";
    if (name == "content" && content.empty()) content = std::string(value);
  }
  if (!charset.empty()) return charset;
  return content_type ? charset_from_content(content) : std::string{};
}

/// The charset label the first <meta> in the first kPrescanBytes that declares one gives,
/// lower-cased, or "". A simple version of the prescan browsers run before parsing:
/// comments are skipped, and a tag the window cuts short is not read (its label may be
/// cut too: "windows-12").
std::string declared_charset(std::string_view html) {
  std::string head(html.substr(0, kPrescanBytes));
  for (char& c : head) c = ascii_lower(c);
  for (std::size_t at = head.find('<'); at != std::string::npos; at = head.find('<', at + 1)) {
    if (head.compare(at, 4, "<!--") == 0) {
      at = head.find("-->", at + 4);
      if (at == std::string::npos) break;
      continue;
    }
    if (head.compare(at, 5, "<meta") != 0 || at + 5 >= head.size() ||
        !(is_ascii_space(head[at + 5]) || head[at + 5] == '/')) {
      continue;
    }
    const std::size_t tag_end = head.find('>', at);
    if (tag_end == std::string::npos) break;
    if (std::string label = meta_charset(std::string_view(head).substr(at, tag_end - at)); !label.empty()) {
      return label;
    }
  }
  return {};
}

/// Whether `html` holds `name` (lower case) at `at`, in any case.
bool has_name_at(std::string_view html, std::size_t at, std::string_view name) {
  if (html.size() - std::min(at, html.size()) < name.size()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (ascii_lower(html[at + i]) != name[i]) return false;
  }
  return true;
}

/// The charset label a <meta> in the <head> declares past the prescan's window, lower-cased,
/// or "". Pages of the Dreamweaver and FrontPage years put long keywords, styles or
/// scripts before their Content-Type <meta>; the HTML parser changes the encoding on a
/// <meta> it meets in the head, and Chrome (HTMLMetaCharsetParser) looks for one as long
/// as it sees only the head's elements, so such pages read right in a browser. As there,
/// the first element that belongs to the body (or </head>) ends the search, and the text
/// of <script>, <style>, <title> and <noscript> is skipped: a "<meta" there is not a tag.
std::string head_charset(std::string_view html) {
  static constexpr std::string_view kHeadElements[] = {"meta", "title", "script", "style", "link",
                                                       "base", "noscript", "object"};
  static constexpr std::string_view kRawTextElements[] = {"title", "script", "style", "noscript"};
  for (TagStart tag = next_tag(html, 0); tag.at != std::string_view::npos; tag = next_tag(html, tag.at + 1)) {
    const std::string& name = tag.name;
    if (name.empty()) continue;  // "a < b" is text; so is "<?xml ...?>" to HTML
    const std::size_t tag_end = html.find('>', tag.name_end);
    if (tag_end == std::string_view::npos) break;
    if (name == "!doctype") continue;
    const bool head_element = std::find(std::begin(kHeadElements), std::end(kHeadElements), name) !=
                              std::end(kHeadElements);
    if (!head_element && (tag.end_tag || (name != "html" && name != "head"))) return {};
    if (!tag.end_tag && name == "meta") {
      std::string meta(html.substr(tag.at, tag_end - tag.at));
      for (char& c : meta) c = ascii_lower(c);
      if (std::string label = meta_charset(meta); !label.empty()) return label;
    }
    if (!tag.end_tag && std::find(std::begin(kRawTextElements), std::end(kRawTextElements), name) !=
                            std::end(kRawTextElements)) {
      const std::string close = "</" + name;
      std::size_t at = tag_end;
      while ((at = html.find("</", at)) != std::string_view::npos && !has_name_at(html, at, close)) ++at;
      if (at == std::string_view::npos) break;
      tag.at = at - 1;  // the next tag is looked for from the end tag
    }
  }
  return {};
}

/// The ICU converter for a charset label, as browsers decide (the WHATWG Encoding
/// Standard's label table): a legacy label means the superset the authors' tools really
/// wrote (ISO-8859-1 and ASCII are windows-1252, GB2312 is GBK, EUC-KR is windows-949...),
/// so a page with the superset's extra characters reads as it does in a browser. A UTF-16
/// label in a <meta> can only be wrong (the <meta> itself was readable as ASCII) and means
/// UTF-8.
std::string converter_name(const std::string& label) {
  struct Superset {
    const char* converter;
    std::initializer_list<const char*> labels;
  };
  static const Superset kSupersets[] = {
      {"utf-8", {"utf-8", "utf8", "unicode-1-1-utf-8", "utf-16", "utf-16le", "utf-16be"}},
      {"windows-1252", {"iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "l1", "ascii", "us-ascii",
                        "cp1252", "x-cp1252", "cp819", "ibm819", "iso-ir-100", "windows-1252"}},
      {"GBK", {"gb2312", "gb_2312", "gb_2312-80", "chinese", "csgb2312", "csiso58gb231280", "iso-ir-58",
               "x-gbk", "gbk", "cp936", "ms936", "windows-936"}},
      {"windows-949", {"euc-kr", "ks_c_5601-1987", "ks_c_5601-1989", "ksc5601", "ksc_5601", "korean",
                       "csksc56011987", "cseuckr", "iso-ir-149", "windows-949"}},
      {"windows-1254", {"iso-8859-9", "iso8859-9", "iso_8859-9", "iso88599", "latin5", "l5", "csisolatin5",
                        "iso-ir-148", "cp1254", "x-cp1254", "windows-1254"}},
      {"windows-874", {"iso-8859-11", "iso8859-11", "iso885911", "tis-620", "dos-874", "windows-874"}},
      {"windows-31j", {"shift_jis", "shift-jis", "sjis", "x-sjis", "ms932", "ms_kanji", "csshiftjis",
                       "windows-31j"}},
      {"big5-hkscs", {"big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"}},
  };
  for (const Superset& superset : kSupersets) {
    for (const char* name : superset.labels) {
      if (label == name) return superset.converter;
    }
  }
  return label;
}

/// Text a browser would show as a box or nothing: C1 controls (windows-1252's unassigned
/// 0x81, 0x8D...) and U+FFFD, which ICU substitutes for some unmapped bytes.
bool is_undisplayable(UChar unit) { return (unit >= 0x80 && unit <= 0x9F) || unit == 0xFFFD; }

struct ConverterCloser {
  void operator()(UConverter* converter) const { ucnv_close(converter); }
};

/// `bytes` in the charset `label` names, as UTF-8. Bytes that are not valid in that charset
/// fail the file, as invalid UTF-8 does, rather than become U+FFFD silently.
std::string convert_to_utf8(std::string_view bytes, const std::string& label) {
  UErrorCode status = U_ZERO_ERROR;
  const std::unique_ptr<UConverter, ConverterCloser> converter(ucnv_open(converter_name(label).c_str(), &status));
  if (U_FAILURE(status) || !converter) {
    throw ExtractionError("unknown charset \"" + label + "\" declared by a <meta> tag (save the file as UTF-8)");
  }
  if (bytes.size() > kMaxConvertedBytes) {
    throw ExtractionError("HTML in " + label + " is too large to convert (over 1 GiB; save it as UTF-8)");
  }
  ucnv_setToUCallBack(converter.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &status);
  icu::UnicodeString text;
  const char* source = bytes.data();
  const char* const source_end = source + bytes.size();
  UChar buffer[2048];
  int32_t offsets[std::size(buffer)];  // of each unit's bytes, from this call's source
  const auto fail_at = [&](std::size_t offset) {
    throw ExtractionError("invalid " + label + " at byte " + std::to_string(offset) +
                          " (the charset its <meta> tag declares)");
  };
  for (;;) {
    UChar* target = buffer;
    const char* const call_source = source;
    status = U_ZERO_ERROR;
    ucnv_toUnicode(converter.get(), &target, buffer + std::size(buffer), &source, source_end, offsets,
                   /*flush=*/true, &status);
    for (std::ptrdiff_t i = 0; i < target - buffer; ++i) {
      // Decoded "successfully", but a byte the charset does not assign: the file is not in
      // the charset it declares, which fails it as an unmappable byte does.
      if (is_undisplayable(buffer[i]) && offsets[i] >= 0) {
        fail_at(static_cast<std::size_t>(call_source - bytes.data()) + static_cast<std::size_t>(offsets[i]));
      }
    }
    text.append(buffer, static_cast<int32_t>(target - buffer));
    if (status == U_BUFFER_OVERFLOW_ERROR) continue;
    if (U_FAILURE(status)) {
      // The source pointer stops after the offending bytes; step back over them so the
      // offset names the first one, as "invalid UTF-8 at byte N" does.
      char invalid[32];
      int8_t invalid_length = sizeof invalid;
      UErrorCode ignored = U_ZERO_ERROR;
      ucnv_getInvalidChars(converter.get(), invalid, &invalid_length, &ignored);
      std::size_t offset = static_cast<std::size_t>(source - bytes.data());
      const auto invalid_bytes = static_cast<std::size_t>(invalid_length);
      if (U_SUCCESS(ignored) && invalid_bytes <= offset) offset -= invalid_bytes;
      fail_at(offset);
    }
    break;
  }
  // Only charsets that are not ASCII-compatible (UTF-7's "+AAA-") make a NUL out of other
  // bytes; a NUL would end gumbo's text node silently, so it fails like one in the file.
  if (text.indexOf(static_cast<UChar>(0)) >= 0) {
    throw ExtractionError("text in " + label +
                          " decodes to a NUL character, which no page shows (save the file as UTF-8)");
  }
  std::string utf8;
  text.toUTF8String(utf8);
  return utf8;
}

}  // namespace

std::string decode_html_file(std::string_view bytes) {
  // A byte order mark wins over any <meta>, as in browsers.
  if (starts_with(bytes, kUtf8Bom) || has_utf16_bom(bytes)) return decode_text_file(bytes);
  std::string label = declared_charset(bytes);
  const bool valid_utf8 = first_invalid_utf8(bytes) == std::string_view::npos;
  // Only for what would otherwise fail as invalid UTF-8: a valid UTF-8 page is UTF-8 (below).
  if (label.empty() && !valid_utf8) label = head_charset(bytes);
  // A page in UTF-8 under a <meta> for an older charset (a template's, or one a server
  // overrode with its Content-Type header, which the saved copy lost) is UTF-8: converted
  // from windows-1252 or GBK it would "succeed" as mojibake that no search finds, while
  // text in those charsets practically never forms valid UTF-8 sequences throughout.
  // Only ASCII is both, and 7-bit charsets (ISO-2022-JP) are then still converted.
  const bool has_non_ascii =
      std::any_of(bytes.begin(), bytes.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
  if (label.empty() || converter_name(label) == "utf-8" || (valid_utf8 && has_non_ascii)) {
    return decode_text_file(bytes);
  }
  check_text_bytes(bytes);
  return normalize_line_ends(convert_to_utf8(bytes, label));
}

}  // namespace rights::detail
