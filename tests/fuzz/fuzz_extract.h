// The body shared by the extraction targets (fuzz_extract_{html,pdf,text}.cpp).
//
// Expected outcomes of rights::extract_text: an ExtractedText, or ExtractionError (the
// function's only documented error). On success the text must be non-empty valid UTF-8,
// the title valid UTF-8, the language empty or a 2-3 letter lower-case subtag, and
// page_starts (PDF only) begin at 0, ascend, and stay within the text; the document's
// languages (document_languages) start with the declared one, are subtags, none twice.
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_common.h"
#include "rights/extract.h"
#include "rights/language_id.h"
#include "rights/text_analysis.h"

namespace fuzz {

inline void check_extracted(const char* target, const rights::ExtractedText& result,
                            rights::Format format) {
  check(!result.text.empty(), target, "extraction succeeded with an empty text");
  if (const std::size_t bad = rights::first_invalid_utf8(result.text); bad != std::string::npos) {
    fail(target, "extracted text is not valid UTF-8 at byte " + std::to_string(bad) + " of " +
                     std::to_string(result.text.size()));
  }
  check(rights::is_valid_utf8(result.title), target, "extracted title is not valid UTF-8");
  const std::string& lang = result.language;
  const bool lang_ok = lang.empty() || ((lang.size() == 2 || lang.size() == 3) &&
                                        lang.find_first_not_of("abcdefghijklmnopqrstuvwxyz") ==
                                            std::string::npos);
  check(lang_ok, target, "language \"" + lang + "\" is not a primary subtag");
  if (format != rights::Format::Pdf) {
    check(result.page_starts.empty(), target, "page_starts set for a non-PDF format");
    return;
  }
  check(!result.page_starts.empty(), target, "PDF text without page_starts");
  check(result.page_starts.front() == 0, target,
        "first page starts at " + std::to_string(result.page_starts.front()) + ", not 0");
  for (std::size_t i = 0; i < result.page_starts.size(); ++i) {
    const std::size_t start = result.page_starts[i];
    check(start <= result.text.size(), target,
          "page " + std::to_string(i + 1) + " starts at " + std::to_string(start) +
              ", past the text's " + std::to_string(result.text.size()) + " bytes");
    if (i > 0) {
      check(start > result.page_starts[i - 1], target,
            "page_starts not ascending at page " + std::to_string(i + 1) + ": " +
                std::to_string(result.page_starts[i - 1]) + " then " + std::to_string(start));
    }
  }
}

/// Extracts `bytes` as `format` and checks the result; ExtractionError is fine. Returns
/// whether extraction succeeded.
inline bool extract_and_check(const char* target, std::string_view bytes, rights::Format format) {
  rights::ExtractedText result;
  try {
    result = rights::extract_text(bytes, format);
  } catch (const rights::ExtractionError& error) {
    check(*error.what() != '\0', target, "ExtractionError without a message");
    return false;
  }
  check_extracted(target, result, format);
  // The document's languages, as analysis takes them: the declared one first, each a
  // primary subtag, none twice.
  const std::vector<std::string> languages = rights::document_languages(result.language, result.text);
  if (!result.language.empty()) {
    check(!languages.empty() && languages.front() == result.language, target,
          "the declared language \"" + result.language + "\" is not the document's first");
  }
  for (std::size_t i = 0; i < languages.size(); ++i) {
    const std::string& code = languages[i];
    check((code.size() == 2 || code.size() == 3) && code.find_first_not_of("abcdefghijklmnopqrstuvwxyz") == std::string::npos,
          target, "document language \"" + code + "\" is not a primary subtag");
    check(std::find(languages.begin(), languages.begin() + static_cast<std::ptrdiff_t>(i), code) ==
              languages.begin() + static_cast<std::ptrdiff_t>(i),
          target, "document language \"" + code + "\" listed twice");
  }
  return true;
}

}  // namespace fuzz
