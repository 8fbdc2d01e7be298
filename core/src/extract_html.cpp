// HTML: the visible text of a page as a browser lays it out, parsed by gumbo.
#include "extract_internal.h"

#include "rights/language_id.h"
#include "rights/text_analysis.h"

#include <gumbo.h>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

namespace rights::detail {

namespace {

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

  /// Between an image or form control and the text beside it: words do not run on.
  void end_word() { request(Gap::Space); }

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

/// Elements a browser draws as a box of their own (images, form controls, embedded media)
/// rather than as a run of text: the words on either side of one are separate words.
/// Not <wbr>, which only marks where a long word may break. Inline <svg> and <math> are
/// pictures and formulas too; their text (an SVG <text> label, a formula's symbols) is
/// kept as words of their own, like alt text, since a reader sees it.
bool is_replaced_element(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_SVG: case GUMBO_TAG_MATH:
    case GUMBO_TAG_IMG: case GUMBO_TAG_INPUT: case GUMBO_TAG_SELECT: case GUMBO_TAG_OPTION:
    case GUMBO_TAG_BUTTON: case GUMBO_TAG_TEXTAREA: case GUMBO_TAG_VIDEO: case GUMBO_TAG_AUDIO:
    case GUMBO_TAG_IFRAME: case GUMBO_TAG_OBJECT: case GUMBO_TAG_EMBED: case GUMBO_TAG_CANVAS:
    case GUMBO_TAG_METER: case GUMBO_TAG_PROGRESS:
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
          if (is_replaced_element(element.tag)) builder.end_word();
          break;
        }
        if (is_invisible_element(element)) break;
        if (element.tag == GUMBO_TAG_BR) {
          builder.end_line();
          break;
        }
        if (is_block_element(element.tag)) builder.end_block();
        if (is_replaced_element(element.tag)) builder.end_word();
        // An image's alt text is what it says to a reader who cannot see it (omindex
        // indexes it too): words of their own, like the image.
        if (element.tag == GUMBO_TAG_IMG) {
          if (const GumboAttribute* alt = gumbo_get_attribute(&element.attributes, "alt")) {
            builder.add_text(alt->value);
            builder.end_word();
          }
        }
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

/// Calls `visit(node)` for the elements with `tag` in the HTML namespace (an SVG <title>
/// is a tooltip), in document order, until it returns true; returns that node, or null.
template <typename Visit>
const GumboNode* find_element(const GumboNode* root, GumboTag tag, Visit visit) {
  std::vector<const GumboNode*> pending{root};
  while (!pending.empty()) {
    const GumboNode* node = pending.back();
    pending.pop_back();
    const GumboVector* children = nullptr;
    if (node->type == GUMBO_NODE_DOCUMENT) {
      children = &node->v.document.children;
    } else if (node->type == GUMBO_NODE_ELEMENT) {
      if (node->v.element.tag == tag && node->v.element.tag_namespace == GUMBO_NAMESPACE_HTML && visit(node)) {
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

const GumboNode* find_first_element(const GumboNode* root, GumboTag tag) {
  return find_element(root, tag, [](const GumboNode*) { return true; });
}

/// The publication date a page declares in a <meta> (the first valid one in document
/// order): Dublin Core, Highwire citation (Google Scholar), Open Graph article and
/// schema.org microdata names, as news sites, repositories and CMSs write them.
std::string declared_publication_date(const GumboNode* root) {
  static constexpr std::string_view kDateNames[] = {
      "date", "dc.date", "dc.date.issued", "dc.date.created", "dcterms.date", "dcterms.issued",
      "dcterms.created", "citation_publication_date", "citation_date", "article:published_time",
      "datepublished"};
  std::string date;
  find_element(root, GUMBO_TAG_META, [&](const GumboNode* meta) {
    const GumboVector* attributes = &meta->v.element.attributes;
    const GumboAttribute* content = gumbo_get_attribute(attributes, "content");
    if (content == nullptr) return false;
    for (const char* naming : {"name", "property", "itemprop"}) {
      const GumboAttribute* key = gumbo_get_attribute(attributes, naming);
      if (key == nullptr) continue;
      const std::string name = ascii_lowercase(trim(key->value));
      if (std::find(std::begin(kDateNames), std::end(kDateNames), name) == std::end(kDateNames)) continue;
      date = metadata_date(content->value);
      if (!date.empty()) return true;
    }
    return false;
  });
  return date;
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
  for (TagStart tag = next_tag(html, 0); tag.at != std::string_view::npos; tag = next_tag(html, tag.at + 1)) {
    if (tag.name.empty() || !stays_open(tag.name)) continue;
    if (tag.end_tag) {
      if (depth > 0) --depth;
      continue;
    }
    const std::size_t tag_end = html.find('>', tag.name_end);
    if (tag_end != std::string_view::npos && html[tag_end - 1] == '/') continue;  // <x/>
    deepest = std::max(deepest, ++depth);
    if (tag.name == "script" || tag.name == "style") {  // raw text up to the end tag
      const std::size_t close = html.find("</", tag_end == std::string_view::npos ? tag.name_end : tag_end);
      if (close == std::string_view::npos) break;
      tag.at = close - 1;  // the next tag is looked for from the "</"
    }
  }
  return deepest;
}

}  // namespace

ExtractedText extract_html(std::string_view bytes) {
  // Validated (or converted from the declared charset) here rather than by gumbo, which
  // would silently replace bad bytes with U+FFFD.
  const std::string html = neutralise_overflowing_char_refs(decode_html_file(bytes));
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
  result.date = declared_publication_date(output->root);
  if (output->root->type == GUMBO_NODE_ELEMENT) {
    if (const GumboAttribute* lang = gumbo_get_attribute(&output->root->v.element.attributes, "lang")) {
      result.language = primary_language_subtag(lang->value);
    }
  }
  return result;
}

}  // namespace rights::detail
