// Markdown: markup is stripped lightly, only where it would pollute words and snippets.
#include "extract_internal.h"

#include <cctype>
#include <optional>
#include <string>
#include <vector>

namespace rights::detail {

namespace {

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


}  // namespace

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

}  // namespace rights::detail
