// Text extraction: shared input checks, plain text and Markdown, and dispatch to the
// HTML (gumbo) and PDF (poppler) extractors, which live in this file too so that the
// checks stay private to it.
#include "rights/extract.h"

#include "rights/text_analysis.h"

#include <gumbo.h>
#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <memory>
#include <utility>
#include <vector>

namespace rights {

namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

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

char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

/// CRLF and lone CR (old Mac files) both become LF, so that paragraph detection and
/// snippets see one line-end convention whatever the author's editor was.
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

/// The checks every text-based format (plain text, Markdown, HTML) shares: the bytes must
/// be non-empty UTF-8 without NULs. Returns the text with the BOM stripped and LF line ends.
/// Offsets in messages are file offsets, so a user can find the byte with a hex editor.
std::string decode_text_file(std::string_view bytes) {
  if (bytes.empty()) throw ExtractionError("empty file");
  // UTF-16 would otherwise be reported as "binary" (its ASCII has NUL high bytes), which
  // hides the one-step fix.
  if (starts_with(bytes, "\xFF\xFE") || starts_with(bytes, "\xFE\xFF")) {
    throw ExtractionError("UTF-16 text is not supported (save the file as UTF-8)");
  }
  if (const std::size_t nul = bytes.find('\0'); nul != std::string_view::npos) {
    throw ExtractionError("binary file (NUL byte at offset " + std::to_string(nul) + ")");
  }
  if (const std::size_t bad = first_invalid_utf8(bytes); bad != std::string_view::npos) {
    throw ExtractionError("invalid UTF-8 at byte " + std::to_string(bad));
  }
  if (starts_with(bytes, kUtf8Bom)) bytes.remove_prefix(kUtf8Bom.size());
  if (bytes.empty()) throw ExtractionError("empty file");
  return normalize_line_ends(bytes);
}

// ---------------------------------------------------------------------------------------
// Plain text

ExtractedText extract_plain_text(std::string_view bytes) {
  ExtractedText result;
  result.text = decode_text_file(bytes);
  // A first line is too often a date, a letterhead or a slug to be called a title here;
  // the indexer, which also sees the manifest, decides.
  if (is_blank(result.text)) throw ExtractionError("file has no text (only whitespace)");
  return result;
}

// ---------------------------------------------------------------------------------------
// Markdown: markup is stripped lightly, only where it would pollute words and snippets.

/// The content of an ATX heading line ("## Title ##" -> "Title"), or nullopt if `line`
/// is not one. CommonMark: up to 3 spaces of indent, 1-6 '#', then a space or the end.
std::optional<std::string_view> atx_heading_content(std::string_view line) {
  std::size_t indent = 0;
  while (indent < line.size() && indent < 3 && line[indent] == ' ') ++indent;
  std::size_t hashes = 0;
  while (indent + hashes < line.size() && line[indent + hashes] == '#') ++hashes;
  if (hashes == 0 || hashes > 6) return std::nullopt;
  std::string_view content = line.substr(indent + hashes);
  if (!content.empty() && content.front() != ' ' && content.front() != '\t') return std::nullopt;
  content = trim(content);
  // Optional closing sequence: trailing '#'s that are the whole content or follow a space.
  std::size_t closing = content.size();
  while (closing > 0 && content[closing - 1] == '#') --closing;
  if (closing == 0) return std::string_view{};
  if (closing < content.size() && (content[closing - 1] == ' ' || content[closing - 1] == '\t')) {
    content = trim(content.substr(0, closing));
  }
  return content;
}

/// Finds the index of the `close` that balances the `open` at `start`, or npos.
// For each `open` bracket of `text`, the index of the `close` that matches it (nesting
// counted, backslash-escaped brackets ignored); npos for the rest. One pass with a stack:
// looking for each bracket's match from scratch made a line of unmatched '[' quadratic
// (80k of them took 3.8 s).
std::vector<std::size_t> matching_brackets(std::string_view text, char open, char close) {
  std::vector<std::size_t> partner(text.size(), std::string_view::npos);
  std::vector<std::size_t> open_at;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\') {
      ++i;  // an escaped bracket does not count
    } else if (text[i] == open) {
      open_at.push_back(i);
    } else if (text[i] == close && !open_at.empty()) {
      partner[open_at.back()] = i;
      open_at.pop_back();
    }
  }
  return partner;
}

/// "[text](url)" -> "text" and "![alt](url)" -> "alt": the URL is not prose and would
/// only add junk words to the index and snippets.
std::string replace_inline_links(std::string_view line) {
  if (line.find('[') == std::string_view::npos) return std::string(line);
  const auto bracket_end = matching_brackets(line, '[', ']');
  const auto paren_end = matching_brackets(line, '(', ')');
  std::string result;
  result.reserve(line.size());
  std::size_t i = 0;
  while (i < line.size()) {
    const bool image = line[i] == '!' && i + 1 < line.size() && line[i + 1] == '[';
    const std::size_t open = image ? i + 1 : i;
    if (line[open] == '[') {
      const std::size_t close = bracket_end[open];
      if (close != std::string_view::npos && close + 1 < line.size() && line[close + 1] == '(') {
        const std::size_t url_end = paren_end[close + 1];
        if (url_end != std::string_view::npos) {
          result.append(line.substr(open + 1, close - open - 1));
          i = url_end + 1;
          continue;
        }
      }
    }
    result += line[i];
    ++i;
  }
  return result;
}

enum class CharClass { Space, Punctuation, Other };

CharClass classify(std::string_view text, std::size_t index) {
  if (index >= text.size() || is_ascii_space(text[index])) return CharClass::Space;
  const auto byte = static_cast<unsigned char>(text[index]);
  // Non-ASCII bytes count as word characters: good enough to keep intraword '_' in any
  // script, which is all the distinction below is for.
  if (byte < 0x80 && std::ispunct(byte) != 0) return CharClass::Punctuation;
  return CharClass::Other;
}

/// Drops '*' and '_' runs that CommonMark would treat as emphasis delimiters (flanking
/// runs), keeping list bullets ("* item"), arithmetic ("2 * 3") and intraword
/// underscores ("snake_case", "file_name.txt").
std::string strip_emphasis(std::string_view line) {
  std::string result;
  result.reserve(line.size());
  std::size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c != '*' && c != '_') {
      result += c;
      ++i;
      continue;
    }
    std::size_t run_end = i;
    while (run_end < line.size() && line[run_end] == c) ++run_end;
    const CharClass before = i == 0 ? CharClass::Space : classify(line, i - 1);
    const CharClass after = classify(line, run_end);
    const bool left_flanking = after != CharClass::Space &&
        (after != CharClass::Punctuation || before != CharClass::Other);
    const bool right_flanking = before != CharClass::Space &&
        (before != CharClass::Punctuation || after != CharClass::Other);
    const bool is_delimiter = c == '*'
        ? (left_flanking || right_flanking)
        : ((left_flanking && (!right_flanking || before == CharClass::Punctuation)) ||
           (right_flanking && (!left_flanking || after == CharClass::Punctuation)));
    if (!is_delimiter) result.append(line.substr(i, run_end - i));
    i = run_end;
  }
  return result;
}

std::string strip_inline_markup(std::string_view line) {
  return strip_emphasis(replace_inline_links(line));
}

/// The fence ("```", "~~~~") a line opens or closes, or an empty view.
std::string_view code_fence(std::string_view line) {
  std::size_t indent = 0;
  while (indent < line.size() && indent < 3 && line[indent] == ' ') ++indent;
  if (indent >= line.size() || (line[indent] != '`' && line[indent] != '~')) return {};
  std::size_t length = 0;
  while (indent + length < line.size() && line[indent + length] == line[indent]) ++length;
  return length >= 3 ? line.substr(indent, length) : std::string_view{};
}

ExtractedText extract_markdown(std::string_view bytes) {
  const std::string source = decode_text_file(bytes);
  ExtractedText result;
  result.text.reserve(source.size());
  std::string open_fence;  // non-empty while inside a fenced code block
  std::size_t line_start = 0;
  while (line_start <= source.size()) {
    std::size_t line_end = source.find('\n', line_start);
    if (line_end == std::string::npos) line_end = source.size();
    const std::string_view line(source.data() + line_start, line_end - line_start);

    if (const std::string_view fence = code_fence(line); !fence.empty()) {
      if (open_fence.empty()) {
        open_fence = std::string(fence);
      } else if (fence.front() == open_fence.front() && fence.size() >= open_fence.size() &&
                 is_blank(trim(line).substr(fence.size()))) {
        open_fence.clear();
      }
      result.text.append(line);
    } else if (!open_fence.empty()) {
      result.text.append(line);  // code is kept verbatim: '#' and '_' are meaningful there
    } else if (const auto heading = atx_heading_content(line)) {
      const std::string heading_text = strip_inline_markup(*heading);
      if (result.title.empty()) result.title = std::string(trim(heading_text));
      result.text.append(heading_text);
    } else {
      result.text.append(strip_inline_markup(line));
    }
    if (line_end == source.size()) break;
    result.text += '\n';
    line_start = line_end + 1;
  }
  if (is_blank(result.text)) throw ExtractionError("file has no text (only whitespace or markup)");
  return result;
}

// ---------------------------------------------------------------------------------------
// HTML

/// Accumulates visible text the way a browser lays it out: runs of HTML whitespace
/// collapse to one space, blocks are separated by a blank line, <br> ends a line.
class VisibleTextBuilder {
 public:
  /// In single-line mode (titles) every break becomes a space.
  explicit VisibleTextBuilder(bool single_line = false) : single_line_(single_line) {}

  void add_text(std::string_view text) {
    for (const char c : text) {
      if (is_html_space(c)) {
        request(Gap::Space);
      } else {
        flush_gap();
        text_ += c;
      }
    }
  }

  /// <pre> content: whitespace and line ends are the author's layout, keep them.
  void add_preformatted(std::string_view text) {
    if (text.empty()) return;
    flush_gap();
    text_.append(text);
  }

  void end_block() { request(Gap::Paragraph); }

  /// A second consecutive <br> is a blank line, which is how authors write paragraphs
  /// in hand-made pages.
  void end_line() { request(pending_ == Gap::Line ? Gap::Paragraph : Gap::Line); }

  std::string take() {
    // Whitespace at either end can only come from <pre> content; it is layout, not text.
    const std::string_view trimmed = trim(text_);
    return std::string(trimmed);
  }

 private:
  enum class Gap { None, Space, Line, Paragraph };  // ordered: a wider gap wins

  static bool is_html_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
  }

  void request(Gap gap) {
    if (single_line_) gap = std::min(gap, Gap::Space);
    pending_ = std::max(pending_, gap);
  }

  void flush_gap() {
    // No gap before the first character, so the text never starts with whitespace.
    if (!text_.empty()) {
      switch (pending_) {
        case Gap::None: break;
        case Gap::Space: text_ += ' '; break;
        case Gap::Line: text_ += '\n'; break;
        case Gap::Paragraph: text_ += "\n\n"; break;
      }
    }
    pending_ = Gap::None;
  }

  bool single_line_;
  std::string text_;
  Gap pending_ = Gap::None;
};

bool is_block_element(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_P: case GUMBO_TAG_DIV: case GUMBO_TAG_H1: case GUMBO_TAG_H2:
    case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
    case GUMBO_TAG_LI: case GUMBO_TAG_TR: case GUMBO_TAG_TD: case GUMBO_TAG_TH:
    case GUMBO_TAG_SECTION: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_HEADER:
    case GUMBO_TAG_FOOTER: case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_PRE:
    case GUMBO_TAG_UL: case GUMBO_TAG_OL: case GUMBO_TAG_DL: case GUMBO_TAG_DT:
    case GUMBO_TAG_DD: case GUMBO_TAG_TABLE: case GUMBO_TAG_CAPTION: case GUMBO_TAG_MAIN:
    case GUMBO_TAG_NAV: case GUMBO_TAG_ASIDE: case GUMBO_TAG_FIGURE:
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_ADDRESS: case GUMBO_TAG_HR:
    case GUMBO_TAG_DETAILS: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_FORM:
    case GUMBO_TAG_FIELDSET: case GUMBO_TAG_BODY:
      return true;
    default:
      return false;
  }
}

/// Elements whose content a reader never sees. <title> is read separately.
bool is_invisible_element(const GumboElement& element) {
  switch (element.tag) {
    case GUMBO_TAG_SCRIPT: case GUMBO_TAG_STYLE: case GUMBO_TAG_NOSCRIPT:
    case GUMBO_TAG_TEMPLATE: case GUMBO_TAG_HEAD: case GUMBO_TAG_TITLE:
      return true;
    default:
      // The `hidden` attribute is how pages ship dialogs and alternate-language blocks.
      return gumbo_get_attribute(&element.attributes, "hidden") != nullptr;
  }
}

/// Appends the visible text under `root` to `builder`. Iterative, because real-world
/// HTML can nest deeply enough to overflow the stack with recursion.
void collect_visible_text(const GumboNode* root, VisibleTextBuilder& builder) {
  struct Step {
    const GumboNode* node;
    bool leaving;  // true once the node's children have been visited
  };
  std::vector<Step> pending{{root, false}};
  int preformatted_depth = 0;
  while (!pending.empty()) {
    const Step step = pending.back();
    pending.pop_back();
    const GumboNode* node = step.node;
    switch (node->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_WHITESPACE:
      case GUMBO_NODE_CDATA:
        if (preformatted_depth > 0) {
          builder.add_preformatted(node->v.text.text);
        } else {
          builder.add_text(node->v.text.text);
        }
        break;
      case GUMBO_NODE_DOCUMENT:
        for (unsigned i = node->v.document.children.length; i-- > 0;) {
          pending.push_back({static_cast<const GumboNode*>(node->v.document.children.data[i]), false});
        }
        break;
      case GUMBO_NODE_ELEMENT: {
        const GumboElement& element = node->v.element;
        if (step.leaving) {
          if (element.tag == GUMBO_TAG_PRE) --preformatted_depth;
          if (is_block_element(element.tag)) builder.end_block();
          break;
        }
        if (is_invisible_element(element)) break;
        if (element.tag == GUMBO_TAG_BR) {
          builder.end_line();
          break;
        }
        if (is_block_element(element.tag)) builder.end_block();
        if (element.tag == GUMBO_TAG_PRE) ++preformatted_depth;
        pending.push_back({node, true});
        for (unsigned i = element.children.length; i-- > 0;) {
          pending.push_back({static_cast<const GumboNode*>(element.children.data[i]), false});
        }
        break;
      }
      case GUMBO_NODE_COMMENT:
      case GUMBO_NODE_TEMPLATE:  // template content is inert until a script uses it
        break;
    }
  }
}

/// First element with `tag` in the HTML namespace (an SVG <title> is a tooltip), or null.
const GumboNode* find_first_element(const GumboNode* root, GumboTag tag) {
  std::vector<const GumboNode*> pending{root};
  while (!pending.empty()) {
    const GumboNode* node = pending.back();
    pending.pop_back();
    const GumboVector* children = nullptr;
    if (node->type == GUMBO_NODE_DOCUMENT) {
      children = &node->v.document.children;
    } else if (node->type == GUMBO_NODE_ELEMENT) {
      if (node->v.element.tag == tag && node->v.element.tag_namespace == GUMBO_NAMESPACE_HTML) {
        return node;
      }
      children = &node->v.element.children;
    }
    if (children == nullptr) continue;
    for (unsigned i = children->length; i-- > 0;) {
      pending.push_back(static_cast<const GumboNode*>(children->data[i]));
    }
  }
  return nullptr;
}

/// Text of an element on one line (titles, headings).
std::string single_line_text(const GumboNode* element) {
  VisibleTextBuilder builder(/*single_line=*/true);
  // The element itself may be <title>, which collect_visible_text treats as invisible.
  for (unsigned i = 0; i < element->v.element.children.length; ++i) {
    collect_visible_text(static_cast<const GumboNode*>(element->v.element.children.data[i]),
                         builder);
  }
  return builder.take();
}

/// The primary subtag of a BCP 47 tag, lower-cased ("zh-Hant" -> "zh", "EN_us" -> "en"),
/// or "" for values that are not a language ("", "x-klingon", "12").
std::string primary_language_subtag(std::string_view tag) {
  tag = trim(tag);
  const std::size_t end = std::min(tag.find_first_of("-_"), tag.size());
  if (end < 2 || end > 3) return {};
  std::string subtag;
  for (const char c : tag.substr(0, end)) {
    const char lower = ascii_lower(c);
    if (lower < 'a' || lower > 'z') return {};
    subtag += lower;
  }
  return subtag;
}

struct GumboOutputDeleter {
  void operator()(GumboOutput* output) const { gumbo_destroy_output(&kGumboDefaultOptions, output); }
};

// Gumbo 0.10.1 (Debian 12) reads numeric character references into a signed int: a value
// past 2^31 overflows, passes its range check and comes out as a stray byte or a NUL
// (which silently ends the text node). HTML says any reference above U+10FFFF means
// U+FFFD, so write exactly that before gumbo sees it. Found by fuzz_extract_html.
std::string neutralise_overflowing_char_refs(std::string html) {
  constexpr unsigned long kMaxCodePoint = 0x10FFFF;
  std::string out;
  out.reserve(html.size());
  std::size_t i = 0;
  while (i < html.size()) {
    if (html[i] != '&' || i + 2 >= html.size() || html[i + 1] != '#') {
      out += html[i++];
      continue;
    }
    const bool hex = html[i + 2] == 'x' || html[i + 2] == 'X';
    std::size_t digits_end = i + (hex ? 3 : 2);
    unsigned long value = 0;
    bool too_large = false;
    for (; digits_end < html.size(); ++digits_end) {
      const char c = html[digits_end];
      int digit;
      if (c >= '0' && c <= '9') digit = c - '0';
      else if (hex && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
      else break;
      if (!too_large) value = value * (hex ? 16 : 10) + static_cast<unsigned long>(digit);
      too_large = too_large || value > kMaxCodePoint;
    }
    if (!too_large) {
      out.append(html, i, digits_end - i);
    } else {
      out += "&#xFFFD;";
      if (digits_end < html.size() && html[digits_end] == ';') ++digits_end;
    }
    i = digits_end;
  }
  return out;
}

// Elements gumbo keeps open until their end tag: the depth it works at. Void elements and
// those an HTML parser closes by itself (<p>, <li>, <td>...) are left out.
bool stays_open(std::string_view tag) {
  static constexpr std::string_view kClosedByParser[] = {
      "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
      "wbr", "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "rb", "rt", "rp", "thead", "tbody",
      "tfoot", "colgroup", "caption", "html", "head", "body", "!doctype"};
  return std::find(std::begin(kClosedByParser), std::end(kClosedByParser), tag) == std::end(kClosedByParser);
}

// How deep elements nest, roughly (start tags minus end tags), without parsing. gumbo's
// time grows with the square of the depth: 10,000 levels take 0.13 s, 50,000 take 3.4 s
// and a 2 MB file of nested <div>s two minutes, holding up the whole build.
std::size_t element_depth(std::string_view html) {
  std::size_t depth = 0, deepest = 0;
  for (std::size_t at = html.find('<'); at != std::string_view::npos; at = html.find('<', at + 1)) {
    if (html.compare(at, 4, "<!--") == 0) {
      at = html.find("-->", at + 4);
      if (at == std::string_view::npos) break;
      continue;
    }
    const bool end_tag = at + 1 < html.size() && html[at + 1] == '/';
    std::size_t name_end = at + (end_tag ? 2 : 1);
    std::string name;
    while (name_end < html.size() && name.size() < 16 &&
           (std::isalnum(static_cast<unsigned char>(html[name_end])) != 0 || html[name_end] == '!')) {
      name += static_cast<char>(std::tolower(static_cast<unsigned char>(html[name_end++])));
    }
    if (name.empty() || !stays_open(name)) continue;
    if (end_tag) {
      if (depth > 0) --depth;
      continue;
    }
    const std::size_t tag_end = html.find('>', name_end);
    if (tag_end != std::string_view::npos && html[tag_end - 1] == '/') continue;  // <x/>
    deepest = std::max(deepest, ++depth);
    if (name == "script" || name == "style") {  // raw text up to the end tag
      at = html.find("</", tag_end == std::string_view::npos ? name_end : tag_end);
      if (at == std::string_view::npos) break;
      --at;
    }
  }
  return deepest;
}

ExtractedText extract_html(std::string_view bytes) {
  // Validated here rather than by gumbo, which would silently replace bad bytes with U+FFFD.
  const std::string html = neutralise_overflowing_char_refs(decode_text_file(bytes));
  constexpr std::size_t kMaxElementDepth = 10000;  // browsers stop nesting at 512
  if (const std::size_t depth = element_depth(html); depth > kMaxElementDepth) {
    throw ExtractionError("HTML elements nested " + std::to_string(depth) + " deep (more than " +
                          std::to_string(kMaxElementDepth) + "): not parsed, it would take minutes");
  }
  GumboOptions options = kGumboDefaultOptions;
  options.max_errors = 0;  // parse errors are not reported anywhere; don't store them
  const std::unique_ptr<GumboOutput, GumboOutputDeleter> output(
      gumbo_parse_with_options(&options, html.data(), html.size()));
  if (!output || output->root == nullptr) throw ExtractionError("HTML could not be parsed");

  ExtractedText result;
  VisibleTextBuilder body;
  collect_visible_text(output->root, body);
  result.text = body.take();
  if (result.text.empty()) throw ExtractionError("HTML has no text");

  if (const GumboNode* title = find_first_element(output->root, GUMBO_TAG_TITLE)) {
    result.title = single_line_text(title);
  }
  if (result.title.empty()) {
    if (const GumboNode* heading = find_first_element(output->root, GUMBO_TAG_H1)) {
      result.title = single_line_text(heading);
    }
  }
  if (output->root->type == GUMBO_NODE_ELEMENT) {
    if (const GumboAttribute* lang = gumbo_get_attribute(&output->root->v.element.attributes, "lang")) {
      result.language = primary_language_subtag(lang->value);
    }
  }
  return result;
}

// ---------------------------------------------------------------------------------------
// PDF

/// Poppler reports every recoverable defect of a PDF on stderr by default; for an indexer
/// walking thousands of files that is noise, and failures are reported through
/// ExtractionError instead. Installed once, before the first document is loaded.
void silence_poppler_diagnostics() {
  static const bool silenced = [] {
    poppler::set_debug_error_function([](const std::string&, void*) {}, nullptr);
    return true;
  }();
  static_cast<void>(silenced);
}

std::string to_std_string(const poppler::ustring& text) {
  const poppler::byte_array utf8 = text.to_utf8();
  return std::string(utf8.begin(), utf8.end());
}

/// Page text as poppler gives it, made to fit the rest of the text: LF line ends, form
/// feeds as line ends, no NULs (some fonts map glyphs to U+0000), no trailing whitespace.
std::string clean_page_text(std::string text) {
  std::replace(text.begin(), text.end(), '\f', '\n');
  text.erase(std::remove(text.begin(), text.end(), '\0'), text.end());
  text = normalize_line_ends(text);
  while (!text.empty() && is_ascii_space(text.back())) text.pop_back();
  return text;
}

ExtractedText extract_pdf(std::string_view bytes) {
  if (bytes.empty()) throw ExtractionError("empty file");
  // Readers accept up to 1 KiB of junk before the header and require %%EOF within the
  // last 1 KiB; without %%EOF the file was cut short (interrupted download or copy), and
  // poppler's recovery would otherwise return part of the document as if it were all.
  if (bytes.substr(0, 1024).find("%PDF-") == std::string_view::npos) {
    throw ExtractionError("PDF could not be parsed (no %PDF header)");
  }
  if (bytes.substr(bytes.size() - std::min<std::size_t>(bytes.size(), 1024)).find("%%EOF") ==
      std::string_view::npos) {
    throw ExtractionError("PDF is truncated (no %%EOF marker at the end)");
  }
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) {
    throw ExtractionError("PDF is too large (over 2 GiB)");
  }
  silence_poppler_diagnostics();

  // poppler reads `bytes` in place for the document's lifetime, which ends in this scope.
  const std::unique_ptr<poppler::document> document(poppler::document::load_from_raw_data(
      bytes.data(), static_cast<int>(bytes.size())));
  if (!document) throw ExtractionError("PDF could not be parsed");
  if (document->is_locked()) throw ExtractionError("PDF is encrypted/locked (password required)");
  const int page_count = document->pages();
  if (page_count <= 0) throw ExtractionError("PDF could not be parsed (no pages)");

  ExtractedText result;
  result.page_starts.reserve(static_cast<std::size_t>(page_count));
  for (int index = 0; index < page_count; ++index) {
    // Every page gets a start offset, even one poppler cannot open, so page numbers
    // derived from page_starts stay the printed ones.
    if (index > 0) result.text += "\n\n";
    result.page_starts.push_back(result.text.size());
    const std::unique_ptr<poppler::page> page(document->create_page(index));
    if (page) {
      // Reading order (what pdftotext prints by default), not page->text()'s default
      // physical layout: that one pads with spaces and glues the lines of side-by-side
      // columns together, which breaks phrase search and snippets.
      const poppler::ustring text =
          page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout);
      result.text += clean_page_text(to_std_string(text));
    }
  }
  if (is_blank(result.text)) {
    throw ExtractionError("PDF has no extractable text (scanned image?)");
  }
  // poppler converts from UTF-16 and should never produce bad UTF-8; if it does, say so
  // rather than pass it to the index.
  if (const std::size_t bad = first_invalid_utf8(result.text); bad != std::string::npos) {
    throw ExtractionError("PDF text is not valid UTF-8 (at byte " + std::to_string(bad) +
                          " of the extracted text)");
  }

  std::string title = to_std_string(document->info_key("Title"));
  title.erase(std::remove(title.begin(), title.end(), '\0'), title.end());
  if (is_valid_utf8(title)) result.title = std::string(trim(title));
  return result;
}

}  // namespace

std::optional<Format> format_for_path(const std::filesystem::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(), ascii_lower);
  if (extension == ".txt") return Format::Text;
  if (extension == ".md" || extension == ".markdown") return Format::Markdown;
  if (extension == ".html" || extension == ".htm") return Format::Html;
  if (extension == ".pdf") return Format::Pdf;
  return std::nullopt;
}

ExtractedText extract_text(std::string_view bytes, Format format) {
  try {
    switch (format) {
      case Format::Text: return extract_plain_text(bytes);
      case Format::Markdown: return extract_markdown(bytes);
      case Format::Html: return extract_html(bytes);
      case Format::Pdf: return extract_pdf(bytes);
    }
  } catch (const ExtractionError&) {
    throw;
  } catch (const std::bad_alloc&) {
    throw ExtractionError("out of memory while extracting text");
  } catch (const std::exception& error) {
    // Callers handle one exception type per file; keep the cause in the message.
    throw ExtractionError(std::string("extraction failed: ") + error.what());
  }
  throw ExtractionError("unknown format");
}

}  // namespace rights
