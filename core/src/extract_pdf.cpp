// PDF: page text in reading order, read by poppler.
#include "extract_internal.h"

#include "rights/text_analysis.h"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <iterator>
#include <memory>
#include <string>

namespace rights::detail {

namespace {

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

/// True for a Title that a tool filled in because the author gave none: "Untitled" (and
/// InDesign's "Untitled-1"), Word's "Document1", and the file name that printing to PDF
/// writes ("Microsoft Word - report_final.docx", "report v3.pdf"). Shown as the title of
/// a hit, it says nothing; the first line of the text, used instead, usually names the
/// report.
bool is_placeholder_title(std::string_view title) {
  const std::string lower = ascii_lowercase(title);
  std::string_view name(lower);
  while (!name.empty() && (std::isdigit(static_cast<unsigned char>(name.back())) != 0 || name.back() == '-' ||
                           name.back() == '_' || name.back() == ' ')) {
    name.remove_suffix(1);
  }
  if (name == "untitled" || name == "document" || name == "untitled document") return true;
  for (const std::string_view tool : {"microsoft word - ", "microsoft powerpoint - ", "microsoft excel - "}) {
    if (starts_with(lower, tool)) return true;
  }
  static constexpr std::string_view kFileExtensions[] = {".doc", ".docx", ".rtf", ".odt", ".pdf", ".indd",
                                                         ".txt", ".ppt", ".pptx", ".xls", ".xlsx"};
  const std::size_t dot = lower.rfind('.');
  return dot != std::string::npos &&
         std::find(std::begin(kFileExtensions), std::end(kFileExtensions), std::string_view(lower).substr(dot)) !=
             std::end(kFileExtensions);
}

}  // namespace

ExtractedText extract_pdf(std::string_view bytes) {
  if (bytes.empty()) throw ExtractionError("empty file");
  // Readers accept up to 1 KiB of junk before the header and require %%EOF within the
  // last 1 KiB; without %%EOF the file was cut short (interrupted download or copy), and
  // poppler's recovery would otherwise return part of the document as if it were all.
  if (bytes.substr(0, 1024).find("%PDF-") == std::string_view::npos) {
    throw ExtractionError("PDF could not be parsed (no %PDF header)");
  }
  // Scanners and some transfer tools pad the file after %%EOF, far past 1 KiB: with NULs,
  // line ends, Ctrl-Z (0x1A, the DOS end-of-file mark) or 0xFF (erased flash memory). The
  // padding is not part of the document, so it is left out (poppler then finds startxref
  // where it looks, without rebuilding the cross-reference table).
  const auto is_padding = [](char c) { return c == '\0' || c == '\x1A' || c == '\xFF' || is_ascii_space(c); };
  while (!bytes.empty() && is_padding(bytes.back())) bytes.remove_suffix(1);
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
  if (is_valid_utf8(title) && !is_placeholder_title(trim(title))) result.title = std::string(trim(title));
  return result;
}

}  // namespace rights::detail
