// Markdown: markup is stripped lightly, only where it would pollute words and snippets.
#include "extract_internal.h"

#include "rights/text_analysis.h"

#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <unordered_map>
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
/// underscores ("snake_case", "file_name.txt"). A backslash escape (`\*`) is the
/// literal character, never a delimiter: the author wrote it to show that character.
std::string strip_emphasis(std::string_view line) {
  std::string result;
  result.reserve(line.size());
  std::size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == '\\' && classify(line, i + 1) == CharClass::Punctuation) {
      result += line[i + 1];
      i += 2;
      continue;
    }
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

/// A line of only `=` (level 1) or `-` (level 2) after up to 3 spaces of indent: the
/// underline of a setext heading when it follows a paragraph. Returns the character or 0.
char setext_underline(std::string_view line) {
  std::size_t indent = 0;
  while (indent < line.size() && indent < 3 && line[indent] == ' ') ++indent;
  std::string_view rest = line.substr(indent);
  while (!rest.empty() && (rest.back() == ' ' || rest.back() == '\t')) rest.remove_suffix(1);
  if (rest.empty() || (rest.front() != '=' && rest.front() != '-')) return 0;
  return rest.find_first_not_of(rest.front()) == std::string_view::npos ? rest.front() : 0;
}

/// True if `line` is a thematic break: after at most 3 spaces, three or more of one of
/// '-', '*', '_', with only spaces or tabs between them ("---", "* * *").
bool is_thematic_break(std::string_view line) {
  std::size_t indent = 0;
  while (indent < line.size() && indent < 3 && line[indent] == ' ') ++indent;
  if (indent >= line.size()) return false;
  const char marker = line[indent];
  if (marker != '-' && marker != '*' && marker != '_') return false;
  std::size_t count = 0;
  for (const char c : line.substr(indent)) {
    if (c == marker) {
      ++count;
    } else if (c != ' ' && c != '\t') {
      return false;
    }
  }
  return count >= 3;
}

/// True if `line` opens a list item or a block quote. An underline below such a line is a
/// thematic break or a lazy continuation, not a setext heading.
bool starts_container_block(std::string_view line) {
  std::size_t at = 0;
  while (at < line.size() && at < 3 && line[at] == ' ') ++at;
  if (at >= line.size()) return false;
  if (line[at] == '>') return true;
  const auto followed_by_space = [&](std::size_t marker_end) {
    return marker_end >= line.size() || line[marker_end] == ' ' || line[marker_end] == '\t';
  };
  if (line[at] == '-' || line[at] == '*' || line[at] == '+') return followed_by_space(at + 1);
  std::size_t digits = at;
  while (digits < line.size() && digits - at < 9 && std::isdigit(static_cast<unsigned char>(line[digits])) != 0) {
    ++digits;
  }
  return digits > at && digits < line.size() && (line[digits] == '.' || line[digits] == ')') &&
         followed_by_space(digits + 1);
}

/// The backtick runs of a line and, for each, the next run of the same length: a code
/// span opened by N backticks closes at the next run of exactly N on the line, else its
/// backticks are literal, as CommonMark has them. Found in one pass from the right, so a
/// line of runs of many different lengths costs linear time, not a scan per run.
struct BacktickRuns {
  std::vector<std::size_t> start;
  std::vector<std::size_t> length;
  std::vector<std::size_t> closing;  ///< index of the run closing this one, or npos
};

BacktickRuns backtick_runs(std::string_view line) {
  BacktickRuns runs;
  for (std::size_t at = line.find('`'); at != std::string_view::npos; at = line.find('`', at)) {
    std::size_t length = 0;
    while (at + length < line.size() && line[at + length] == '`') ++length;
    runs.start.push_back(at);
    runs.length.push_back(length);
    at += length;
  }
  runs.closing.assign(runs.start.size(), std::string_view::npos);
  std::unordered_map<std::size_t, std::size_t> next_of_length;
  for (std::size_t i = runs.start.size(); i-- > 0;) {
    const auto next = next_of_length.find(runs.length[i]);
    if (next != next_of_length.end()) runs.closing[i] = next->second;
    next_of_length[runs.length[i]] = i;
  }
  return runs;
}

/// A raw HTML tag of a Markdown line, as CommonMark reads one: an open tag (`<name`, then
/// attributes each after white space, then `>` or `/>`) or a closing tag (`</name>`).
struct RawTag {
  std::size_t end = std::string_view::npos;  ///< one past its '>'; npos: no tag starts here
  std::string name;                          ///< lower-cased
  std::string alt;                           ///< its alt attribute's value
};

/// Where a quote character is known not to occur again on the line: a second tag with an
/// unclosed quote fails at once instead of searching to the end of the line again (a line
/// of `<a b="` repeated would otherwise cost quadratic time).
struct QuoteSearch {
  std::size_t none_from[2] = {std::string_view::npos, std::string_view::npos};  // '"', '\''
  std::size_t find(std::string_view line, char quote, std::size_t from) {
    std::size_t& none = none_from[quote == '"' ? 0 : 1];
    if (none != std::string_view::npos && from >= none) return std::string_view::npos;
    const std::size_t found = line.find(quote, from);
    if (found == std::string_view::npos) none = from;
    return found;
  }
};

RawTag raw_html_tag(std::string_view line, std::size_t at, QuoteSearch& quotes) {
  const auto is_alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  const auto is_name_char = [&](char c) { return is_alpha(c) || (c >= '0' && c <= '9') || c == '-'; };
  const auto skip_space = [&](std::size_t i) {
    while (i < line.size() && is_ascii_space(line[i])) ++i;
    return i;
  };
  RawTag tag;
  std::size_t i = at + 1;
  const bool closing = i < line.size() && line[i] == '/';
  if (closing) ++i;
  if (i >= line.size() || !is_alpha(line[i])) return tag;
  while (i < line.size() && is_name_char(line[i])) tag.name += ascii_lower(line[i++]);
  for (;;) {
    const std::size_t after_space = skip_space(i);
    if (after_space < line.size() && line[after_space] == '>') {
      tag.end = after_space + 1;
      return tag;
    }
    if (!closing && line.compare(after_space, 2, "/>") == 0) {
      tag.end = after_space + 2;
      return tag;
    }
    if (closing || after_space == i || after_space >= line.size()) return RawTag{};
    // An attribute: a name, then optionally `= value` (unquoted, or in ' or ").
    i = after_space;
    const std::size_t name_start = i;
    const auto is_attribute_char = [&](char c) { return is_name_char(c) || c == '_' || c == ':' || c == '.'; };
    if (!(is_alpha(line[i]) || line[i] == '_' || line[i] == ':')) return RawTag{};
    while (i < line.size() && is_attribute_char(line[i])) ++i;
    const std::string attribute = ascii_lowercase(line.substr(name_start, i - name_start));
    const std::size_t equals = skip_space(i);
    if (equals >= line.size() || line[equals] != '=') continue;
    const std::size_t value_start = skip_space(equals + 1);
    if (value_start >= line.size()) return RawTag{};
    std::string_view value;
    if (line[value_start] == '"' || line[value_start] == '\'') {
      const std::size_t close = quotes.find(line, line[value_start], value_start + 1);
      if (close == std::string_view::npos) return RawTag{};
      value = line.substr(value_start + 1, close - value_start - 1);
      i = close + 1;
    } else {
      i = value_start;
      constexpr std::string_view kNotUnquoted = "\"'=<>`";
      while (i < line.size() && !is_ascii_space(line[i]) && kNotUnquoted.find(line[i]) == std::string_view::npos) ++i;
      if (i == value_start) return RawTag{};
      value = line.substr(value_start, i - value_start);
    }
    if (attribute == "alt") tag.alt = std::string(value);
  }
}

/// Inline elements, whose tags sit inside a word without splitting it (`rose<sup>1</sup>`);
/// any other tag (<br>, <div>, <img>, <td>...) separates the words around it.
bool is_phrasing_tag(const std::string& name) {
  static constexpr std::string_view kPhrasing[] = {
      "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins", "kbd",
      "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u", "var"};
  return std::find(std::begin(kPhrasing), std::end(kPhrasing), name) != std::end(kPhrasing);
}

/// `line` without its raw HTML, which CommonMark passes to the page as markup: tags
/// (`<div align="center">`, `<br>`, `<sup>`; an <img>'s alt text stays, as in HTML) and the
/// comments (`<!-- ... -->`) that open and close on it, notes to editors that are never
/// shown. Code spans keep theirs, and an unclosed `<!--` is text, as CommonMark renders
/// them: removing to the end of the file would silently drop everything after a mention
/// of the syntax.
std::string strip_inline_html(std::string_view line) {
  std::string kept;
  QuoteSearch quotes;
  const auto separate = [&kept] {
    if (!kept.empty() && !is_ascii_space(kept.back())) kept += ' ';
  };
  // Whether a `-->` follows is asked of the last one, not searched for at each `<!--`:
  // a line of many unclosed `<!--` would otherwise cost quadratic time.
  const std::size_t last_close = line.rfind("-->");
  const BacktickRuns runs = backtick_runs(line);
  std::size_t run = 0;  // the first backtick run at or after `at`
  std::size_t at = 0;
  while (at < line.size()) {
    while (run < runs.start.size() && runs.start[run] < at) ++run;
    if (line[at] == '`') {
      // `at` starts a run: spans and comments end after a run, or before one.
      const std::size_t closing = runs.closing[run];
      const std::size_t copy_end = closing == std::string_view::npos ? at + runs.length[run]
                                                                     : runs.start[closing] + runs.length[closing];
      kept.append(line.substr(at, copy_end - at));
      at = copy_end;
    } else if (line.compare(at, 4, "<!--") == 0 && last_close != std::string_view::npos &&
               last_close >= at + 4) {
      at = line.find("-->", at + 4) + 3;
    } else if (line[at] == '<' && (at == 0 || line[at - 1] != '\\')) {
      const RawTag tag = raw_html_tag(line, at, quotes);
      if (tag.end == std::string_view::npos) {
        kept += line[at++];
        continue;
      }
      if (!is_phrasing_tag(tag.name)) separate();
      if (!tag.alt.empty()) {
        kept += tag.alt;
        separate();
      }
      at = tag.end;
      // No space before what follows: "a<br> b" is "a b", and a line ending in a tag
      // ends there.
      if (!kept.empty() && kept.back() == ' ' && (at == line.size() || is_ascii_space(line[at]))) kept.pop_back();
    } else {
      kept += line[at];
      ++at;
    }
  }
  return kept;
}

/// True if `line` starts an HTML comment block: `<!--` after at most 3 spaces.
bool starts_comment_block(std::string_view line) {
  std::size_t indent = 0;
  while (indent < line.size() && indent < 3 && line[indent] == ' ') ++indent;
  return line.compare(indent, 4, "<!--") == 0;
}

/// Leading indentation in columns (a tab counts to the next multiple of 4).
std::size_t indent_columns(std::string_view line) {
  std::size_t columns = 0;
  for (const char c : line) {
    if (c == ' ') {
      ++columns;
    } else if (c == '\t') {
      columns += 4 - columns % 4;
    } else {
      break;
    }
  }
  return columns;
}

/// Where an HTML comment block stands at the start of a line.
enum class CommentBlock {
  None,
  UntilClose,       ///< ends at the line holding `-->`
  UntilBlankLine,   ///< never closed in the file: ends at the next blank line
};

/// The raw value of a `key: X` (YAML) or `key = "X"` (TOML) line, or nullopt; `key` in
/// lower case, matched in any case.
std::optional<std::string_view> key_value(std::string_view line, std::string_view key, char separator) {
  if (line.size() <= key.size()) return std::nullopt;
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (ascii_lower(line[i]) != key[i]) return std::nullopt;
  }
  std::string_view value = trim(line.substr(key.size()));
  if (value.empty() || value.front() != separator) return std::nullopt;
  return trim(value.substr(1));
}

/// True if `value` is a YAML block scalar indicator ("|", ">-", "|2+"...): the title is
/// on the indented lines below.
bool is_block_scalar_indicator(std::string_view value) {
  value = trim(value.substr(0, value.find(" #")));
  if (value.empty() || (value.front() != '|' && value.front() != '>') || value.size() > 3) return false;
  return value.substr(1).find_first_not_of("+-123456789") == std::string_view::npos;
}

/// A quoted or plain scalar's text: '' in single quotes is a quote, backslash escapes in
/// double quotes (YAML and TOML) are the characters they name; "" if the quote is not closed.
std::string unquote_title(std::string_view value, char separator) {
  if (value.size() >= 2 && value.front() == '\'') {
    std::string text;
    for (std::size_t i = 1; i < value.size(); ++i) {
      if (value[i] != '\'') {
        text += value[i];
      } else if (i + 1 < value.size() && value[i + 1] == '\'') {
        text += '\'';
        ++i;
      } else {
        return std::string(trim(text));
      }
    }
    return {};
  }
  if (value.size() >= 2 && value.front() == '"') {
    std::string text;
    for (std::size_t i = 1; i < value.size(); ++i) {
      if (value[i] == '"') return std::string(trim(text));
      if (value[i] == '\\' && i + 1 < value.size()) {
        ++i;
        // \n and \t would split a one-line title; a space stands in for them.
        text += value[i] == 'n' || value[i] == 't' ? ' ' : value[i];
      } else {
        text += value[i];
      }
    }
    return {};
  }
  if (separator == '=') return {};  // TOML strings are always quoted
  // A YAML plain scalar ends at a comment.
  return std::string(trim(value.substr(0, value.find(" #"))));
}

struct FrontMatter {
  std::size_t end = 0;  ///< offset in the source just past the closing line; 0 if none
  std::string title;
  std::string date;  ///< `date:`, else `publishDate:` (Hugo) or `published:`, if a date
};

/// YAML (`---` ... `---` or `...`) or TOML (`+++` ... `+++`) front matter at the start of
/// the file, as static site generators write it: metadata, not prose. An opening line
/// that is not followed by `key: value` (or `key = value`) is a thematic break instead;
/// comment lines (`# generated by hugo`) and blank lines may come before the first key.
/// True if a non-blank, non-comment line inside front matter reads as metadata: a
/// `key: value` (`key = value` in TOML) with a plain key, an indented continuation or
/// nested value, a YAML list item, or a TOML table header.
bool is_metadata_line(std::string_view line, char separator) {
  if (line.front() == ' ' || line.front() == '\t') return true;
  if (line.front() == '-' && (line.size() == 1 || line[1] == ' ')) return true;
  if (separator == '=' && line.front() == '[') return true;
  std::size_t key_end = 0;
  while (key_end < line.size() && (std::isalnum(static_cast<unsigned char>(line[key_end])) != 0 ||
                                   line[key_end] == '_' || line[key_end] == '-' || line[key_end] == '.' ||
                                   line[key_end] == '"' || line[key_end] == '\'')) {
    ++key_end;
  }
  const std::string_view after_key = trim(line.substr(key_end));
  return key_end > 0 && !after_key.empty() && after_key.front() == separator;
}

FrontMatter front_matter(std::string_view source) {
  const std::size_t first_end = source.find('\n');
  if (first_end == std::string_view::npos) return {};
  const std::string_view opening = trim(source.substr(0, first_end));
  if (opening != "---" && opening != "+++") return {};
  const char separator = opening == "---" ? ':' : '=';
  FrontMatter result;
  std::string publication_date;  // from the keys that stand in for a missing `date:`
  bool in_block_title = false;  // reading the indented lines of `title: >-`
  bool in_toml_table = false;
  for (std::size_t start = first_end + 1; start < source.size();) {
    const std::size_t end = std::min(source.find('\n', start), source.size());
    const std::string_view line = source.substr(start, end - start);
    const std::string_view trimmed = trim(line);
    start = end + 1;
    if (trimmed == opening || (separator == ':' && trimmed == "...")) {
      result.end = std::min(end + 1, source.size());
      if (result.date.empty()) result.date = publication_date;
      return result;
    }
    if (in_block_title) {
      if (trimmed.empty()) continue;
      if (line.front() == ' ' || line.front() == '\t') {
        // Folded or literal, a title reads as one line.
        if (!result.title.empty()) result.title += ' ';
        result.title.append(trimmed);
        continue;
      }
      in_block_title = false;
    }
    if (trimmed.empty() || trimmed.front() == '#') continue;
    // Every other line must read as metadata, or the opening line was a thematic break
    // over prose: "# Annual report" before "Summary: ..." is a heading, not a comment.
    if (!is_metadata_line(line, separator)) return {};
    // Keys after a TOML table header (`[params]`, `[[menu.main]]`) belong to that table:
    // a theme's `[params] date = ...` is not the document's date, nor its `title` the title.
    if (separator == '=' && line.front() == '[') in_toml_table = true;
    if (in_toml_table) continue;
    if (const auto value = key_value(line, "date", separator); value && result.date.empty()) {
      result.date = metadata_date(*value);
    }
    for (const std::string_view key : {"publishdate", "published"}) {
      const auto value = key_value(line, key, separator);
      if (value && publication_date.empty()) publication_date = metadata_date(*value);
    }
    if (!result.title.empty()) continue;
    if (const auto value = key_value(line, "title", separator)) {
      if (separator == ':' && is_block_scalar_indicator(*value)) {
        in_block_title = true;
      } else {
        result.title = unquote_title(*value, separator);
      }
    }
  }
  return {};  // never closed: not front matter
}

/// A paragraph's text on one line, for a title.
std::string one_line(std::string_view text) {
  std::string line(trim(text));
  std::replace(line.begin(), line.end(), '\n', ' ');
  return line;
}

}  // namespace

ExtractedText extract_markdown(std::string_view bytes) {
  const std::string source = decode_text_file(bytes);
  ExtractedText result;
  const FrontMatter front = front_matter(source);
  result.title = front.title;  // the author's own metadata, so it beats the first heading
  result.date = front.date;
  result.text.reserve(source.size());
  std::string open_fence;  // non-empty while inside a fenced code block
  CommentBlock comment = CommentBlock::None;
  // Once, not per comment block: many unclosed blocks would each search the rest of the file.
  const std::size_t last_close = source.rfind("-->");
  // True from a list item until a line outside it: there, 4 spaces of indent continue the
  // item rather than start an indented code block.
  bool in_list = false;
  // Where the paragraph being read starts in result.text (npos between paragraphs), and
  // whether an underline would make it a setext heading.
  std::size_t paragraph_start = std::string::npos;
  bool paragraph_can_be_heading = false;
  std::size_t line_start = front.end;
  while (line_start <= source.size()) {
    std::size_t line_end = source.find('\n', line_start);
    if (line_end == std::string::npos) line_end = source.size();
    std::string_view line(source.data() + line_start, line_end - line_start);
    std::string uncommented;
    const bool blank = is_blank(line);
    if (!blank && indent_columns(line) < 2 && !starts_container_block(line)) in_list = false;
    if (!blank && starts_container_block(line) && line.find_first_not_of(' ') < 4) in_list = true;
    const bool indented_code =
        paragraph_start == std::string::npos && !in_list && !blank && indent_columns(line) >= 4;
    if (comment == CommentBlock::UntilBlankLine && blank) comment = CommentBlock::None;
    if (comment != CommentBlock::None) {
      // The block's text is a note to editors; what follows its `-->` on the closing line
      // is shown, as before.
      const std::size_t close = line.find("-->");
      if (close == std::string_view::npos) {
        line = {};
      } else {
        comment = CommentBlock::None;
        uncommented = strip_inline_html(line.substr(close + 3));
        line = uncommented;
      }
    } else if (open_fence.empty() && !indented_code && starts_comment_block(line) &&
               line.find("-->", line.find("<!--") + 4) == std::string_view::npos) {
      // CommonMark runs a comment block that never closes to the end of the file; for a
      // search index losing the rest of the document to a typo is worse than indexing a
      // stray note, so it ends at the blank line where a paragraph would.
      const std::size_t after_open = line_start + line.find("<!--") + 4;
      comment = last_close == std::string::npos || last_close < after_open ? CommentBlock::UntilBlankLine
                                                                           : CommentBlock::UntilClose;
      line = {};
    } else if (open_fence.empty() && !indented_code && line.find('<') != std::string_view::npos) {
      uncommented = strip_inline_html(line);
      line = uncommented;
    }
    const std::size_t line_text_start = result.text.size();
    bool paragraph_line = false;

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
    } else if (paragraph_can_be_heading && setext_underline(line) != 0) {
      // The underline is markup: the paragraph above it is the heading, and the underline's
      // line end takes the place of the paragraph's, as if the underline were not there.
      if (result.title.empty()) result.title = one_line(std::string_view(result.text).substr(paragraph_start));
      result.text.pop_back();
    } else if (is_thematic_break(line)) {
      // A break is drawn as a rule, not read: as text it would become the first line of
      // the document (the title of one that starts with it) and show in snippets.
    } else {
      result.text.append(strip_inline_markup(line));
      paragraph_line = !is_blank(line);
    }
    if (!paragraph_line) {
      paragraph_start = std::string::npos;
      paragraph_can_be_heading = false;
    } else if (paragraph_start == std::string::npos) {
      paragraph_start = line_text_start;
      paragraph_can_be_heading = !starts_container_block(line);
    }
    if (line_end == source.size()) break;
    result.text += '\n';
    line_start = line_end + 1;
  }
  if (is_blank(result.text)) throw ExtractionError("file has no text (only whitespace or markup)");
  return result;
}

}  // namespace rights::detail
