#include "rights/language_id.h"

#include <algorithm>
#include <climits>
#include <cstdio>  // compact_lang_det.h uses FILE without including <cstdio> itself

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

namespace rights {

namespace {

/// A language must cover at least this share of the text to be listed: below it, a few
/// quoted names or a bilingual signature block would make every document multilingual.
constexpr int kMinPercent = 10;

/// CLD2's code for `language` as a BCP 47 primary subtag, or "" for CLD2's placeholders
/// (unknown, script-only "xx-Khmr", test pseudo-languages "zzb"...).
std::string primary_subtag(CLD2::Language language) {
  const char* code = CLD2::LanguageCode(language);
  if (code == nullptr) return {};
  std::string_view subtag(code);
  subtag = subtag.substr(0, subtag.find('-'));
  // CLD2 predates ISO 639's renaming of these two.
  if (subtag == "iw") return "he";
  if (subtag == "jw") return "jv";
  if (subtag.size() < 2 || subtag.size() > 3) return {};
  for (const char c : subtag) {
    if (c < 'a' || c > 'z') return {};  // numeric codes of unassigned Language values
  }
  if (subtag == "un" || subtag == "xx" || subtag == "xxx" || subtag.substr(0, 2) == "zz") return {};
  return std::string(subtag);
}

struct Detection {
  CLD2::Language languages[3];  // by decreasing share of the text
  int percents[3];
  bool is_reliable;
  int valid_prefix_bytes;
};

Detection run_cld2(std::string_view text) {
  // CLD2 takes an int length; a document of over 2 GiB is judged by its first 2 GiB.
  const int length = static_cast<int>(std::min<std::size_t>(text.size(), INT_MAX));
  const CLD2::CLDHints no_hints{nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
  Detection detection{};
  double normalized_scores[3];
  int text_bytes = 0;
  CLD2::ExtDetectLanguageSummaryCheckUTF8(text.data(), length, /*is_plain_text=*/true, &no_hints,
                                          /*flags=*/0, detection.languages, detection.percents,
                                          normalized_scores, /*resultchunkvector=*/nullptr,
                                          &text_bytes, &detection.is_reliable,
                                          &detection.valid_prefix_bytes);
  return detection;
}

}  // namespace

std::vector<std::string> detect_languages(std::string_view utf8_text) {
  Detection detection = run_cld2(utf8_text);
  // CLD2 gives up on the whole buffer at the first invalid byte (its tables would read
  // past a truncated sequence); judge the valid prefix instead of returning nothing.
  if (static_cast<std::size_t>(detection.valid_prefix_bytes) < utf8_text.size() &&
      detection.valid_prefix_bytes < INT_MAX) {
    detection = run_cld2(utf8_text.substr(0, static_cast<std::size_t>(detection.valid_prefix_bytes)));
  }
  // is_reliable is deliberately not a filter: CLD2 already reports text it cannot judge
  // (short, gibberish, names only) as UNKNOWN with 0%, which the loop below drops, and it
  // flags as unreliable documents that mix several languages in short runs, whose
  // languages are genuinely there. Order is by share of the text, not CLD2's summary
  // language, which discounts English as web boilerplate; extracted documents have none.
  std::vector<std::string> languages;
  for (int i = 0; i < 3; ++i) {
    if (detection.languages[i] == CLD2::UNKNOWN_LANGUAGE) continue;
    if (detection.percents[i] < kMinPercent) continue;
    std::string code = primary_subtag(detection.languages[i]);
    // zh and zh-Hant both reduce to "zh"; list it once.
    if (code.empty() || std::find(languages.begin(), languages.end(), code) != languages.end()) {
      continue;
    }
    languages.push_back(std::move(code));
  }
  return languages;
}

}  // namespace rights
