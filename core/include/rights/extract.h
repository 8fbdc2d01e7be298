// Text extraction from the supported file formats. Every failure is an ExtractionError
// whose message is one clear line for the indexer's report ("binary file", "invalid UTF-8
// at byte 1234", "PDF is encrypted"...); nothing is silently skipped.
#pragma once

#include <cstddef>
#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rights {

enum class Format { Text, Markdown, Html, Pdf };

/// The format a file's extension names (.txt, .md/.markdown, .html/.htm, .pdf; case
/// insensitive), or nullopt for files the indexer does not handle.
std::optional<Format> format_for_path(const std::filesystem::path& path);

struct ExtractedText {
  std::string title;      ///< <title>/first heading; empty if the format gives none
  std::string text;       ///< body text, valid UTF-8, paragraphs separated by "\n\n"
  std::string language;   ///< language the file declares (HTML lang), BCP 47 primary subtag
  /// The date the file declares for itself: Markdown front matter `date:`, an HTML
  /// <meta> publication date. "YYYY", "YYYY-MM" or "YYYY-MM-DD"; empty if none is valid.
  std::string date;
  std::vector<std::size_t> page_starts;  ///< PDFs: byte offset in `text` of each page
};

class ExtractionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Extracts text from the file contents `bytes` in `format`. Throws ExtractionError for
/// empty, binary, invalid-UTF-8, malformed or text-less input.
ExtractedText extract_text(std::string_view bytes, Format format);

}  // namespace rights
