#include "rights/language_id.h"
#include "rights/text_analysis.h"

#include <algorithm>
#include <iterator>
#include <utility>
#include <climits>
#include <cstdio>  // compact_lang_det.h uses FILE without including <cstdio> itself

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>
// GetLanguageFromName, IsLatnLanguage and IsOthrLanguage: exported by libcld2, declared
// only in this header.
#include <cld2/internal/lang_script.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <stdexcept>
#include <string>

namespace rights {

namespace {

/// A language must cover at least this share of the text to be listed: below it, a few
/// quoted names or a bilingual signature block would make every document multilingual.
constexpr int kMinPercent = 10;
/// The share a language written in the same script as the declared one needs.
constexpr int kMinNeighbourPercent = 25;

/// CLD2's code for `language` as a BCP 47 primary subtag, or "" for CLD2's placeholders
/// (unknown, script-only "xx-Khmr", test pseudo-languages "zzb"...).
std::string primary_subtag(CLD2::Language language) {
  const char* code = CLD2::LanguageCode(language);
  if (code == nullptr) return {};
  std::string_view subtag(code);
  subtag = subtag.substr(0, subtag.find('-'));
  if (subtag.size() < 2 || subtag.size() > 3) return {};
  for (const char c : subtag) {
    if (c < 'a' || c > 'z') return {};  // numeric codes of unassigned Language values
  }
  if (subtag == "un" || subtag == "xx" || subtag == "xxx" || subtag.substr(0, 2) == "zz") return {};
  // Canonical: CLD2 predates ISO 639's renaming of "iw" (he) and "jw" (jv).
  return canonical_language(subtag);
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

// True if the text may hold combining marks CLD2 was not trained on: U+0300-U+036F
// (lead byte 0xCC or 0xCD: decomposed Latin, as macOS writes file text), Hebrew points
// (U+0591-U+05C7) or Arabic harakat and tatweel (U+0610-U+061A, U+0640-U+065F, U+0670).
bool may_have_marks(std::string_view text) {
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const auto next = static_cast<unsigned char>(text[i + 1]);
    if (lead == 0xCC || lead == 0xCD) return true;
    if ((lead == 0xD6 && next >= 0x91) || (lead == 0xD7 && next <= 0x87)) return true;
    if ((lead == 0xD8 && next >= 0x90 && next <= 0x9A) || (lead == 0xD9 && (next <= 0x9F || next == 0xB0))) return true;
  }
  return false;
}

// The text as CLD2 knows its languages: composed (NFC), without Hebrew points or Arabic
// harakat. Decomposed Vietnamese or vowelled Arabic would otherwise come out "und", which
// also leaves the document without a stemmer.
std::string as_cld2_reads_it(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU NFC unavailable: ") + u_errorName(status));
  const icu::UnicodeString composed = nfc->normalize(
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size()))), status);
  if (U_FAILURE(status)) throw std::runtime_error(std::string("ICU NFC failed: ") + u_errorName(status));
  icu::UnicodeString plain;
  for (int32_t i = 0; i < composed.length();) {
    const UChar32 c = composed.char32At(i);
    i += U16_LENGTH(c);
    if (is_unwritten_mark(c)) continue;
    plain.append(c);
  }
  std::string out;
  plain.toUTF8String(out);
  return out;
}

}  // namespace

std::string canonical_language(std::string_view language) {
  if (language == "und" || language == "mul" || language == "zxx" || language == "mis") return {};
  const icu::Locale canonical = icu::Locale::createCanonical(std::string(language).c_str());
  if (canonical.isBogus()) return std::string(language);
  const std::string_view code = canonical.getLanguage();
  // An empty or odd answer (ICU has aliases to whole locales) keeps the code as it was.
  if (code.size() < 2 || code.size() > 3) return std::string(language);
  return std::string(code);
}

std::string primary_language_subtag(std::string_view tag) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; };
  while (!tag.empty() && blank(tag.front())) tag.remove_prefix(1);
  while (!tag.empty() && blank(tag.back())) tag.remove_suffix(1);
  const std::size_t end = std::min(tag.find_first_of("-_"), tag.size());
  if (end < 2 || end > 3) return {};
  std::string subtag;
  for (const char c : tag.substr(0, end)) {
    const char lower = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower < 'a' || lower > 'z') return {};
    subtag += lower;
  }
  return canonical_language(subtag);
}

namespace {

struct DetectedLanguage {
  std::string code;        // canonical, as in the facet
  CLD2::Language cld2;
  int percent;             // of the text
};

std::vector<DetectedLanguage> detect(std::string_view utf8_text) {
  // Invalid UTF-8 goes to CLD2 as it is (see below); ICU would replace the bad bytes.
  std::string plain;
  if (may_have_marks(utf8_text) && is_valid_utf8(utf8_text)) {
    plain = as_cld2_reads_it(utf8_text);
    utf8_text = plain;
  }
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
  std::vector<DetectedLanguage> languages;
  for (int i = 0; i < 3; ++i) {
    if (detection.languages[i] == CLD2::UNKNOWN_LANGUAGE) continue;
    if (detection.percents[i] < kMinPercent) continue;
    std::string code = primary_subtag(detection.languages[i]);
    // zh and zh-Hant both reduce to "zh"; list it once.
    const bool listed = std::any_of(languages.begin(), languages.end(),
                                    [&](const DetectedLanguage& seen) { return seen.code == code; });
    if (code.empty() || listed) continue;
    languages.push_back({std::move(code), detection.languages[i], detection.percents[i]});
  }
  return languages;
}

/// True if CLD2 reports text in `declared` as `detected`: the same code, or the
/// macrolanguage CLD2 detects for an individual language that CLDR keeps apart (both
/// are valid tags, so canonical_language leaves them).
bool same_language(std::string_view declared, std::string_view detected) {
  if (declared == detected) return true;
  static constexpr std::pair<std::string_view, std::string_view> kMacrolanguages[] = {
      {"nb", "no"}, {"nn", "no"}, {"zlm", "ms"}, {"ckb", "ku"}, {"kmr", "ku"},
  };
  return std::any_of(std::begin(kMacrolanguages), std::end(kMacrolanguages), [&](const auto& pair) {
    return pair.first == declared && pair.second == detected;
  });
}

enum class Script { Unknown, Latin, Other, Both };

/// Whether CLD2 detects `language` in Latin script, in others, or both (Azerbaijani,
/// Serbian); Unknown for languages CLD2 does not know.
Script written_in(CLD2::Language language) {
  if (language == CLD2::UNKNOWN_LANGUAGE) return Script::Unknown;
  const bool latin = CLD2::IsLatnLanguage(language);
  const bool other = CLD2::IsOthrLanguage(language);
  if (latin && other) return Script::Both;
  if (latin) return Script::Latin;
  return other ? Script::Other : Script::Unknown;
}

bool written_apart(std::string_view declared, CLD2::Language detected) {
  const Script first = written_in(CLD2::GetLanguageFromName(std::string(declared).c_str()));
  const Script second = written_in(detected);
  return (first == Script::Latin && second == Script::Other) || (first == Script::Other && second == Script::Latin);
}

}  // namespace

std::vector<std::string> detect_languages(std::string_view utf8_text) {
  std::vector<std::string> languages;
  for (auto& language : detect(utf8_text)) languages.push_back(std::move(language.code));
  return languages;
}

std::vector<std::string> document_languages(std::string_view declared, std::string_view utf8_text) {
  if (declared.empty()) return detect_languages(utf8_text);
  const std::vector<DetectedLanguage> detected = detect(utf8_text);
  const bool declared_found = std::any_of(detected.begin(), detected.end(), [&](const DetectedLanguage& language) {
    return same_language(declared, language.code);
  });
  std::vector<std::string> languages{std::string(declared)};
  for (const DetectedLanguage& language : detected) {
    if (same_language(declared, language.code)) continue;
    const bool apart = written_apart(declared, language.cld2);
    if (!declared_found && declared != "en" && !apart) continue;
    // Beside the declared language, CLD2 gives a close neighbour a part of the text
    // (Norwegian 10% of the Swedish UDHR, Serbian 14% of the Macedonian): another language
    // in the same script counts from a quarter of the text.
    if (declared_found && !apart && language.percent < kMinNeighbourPercent) continue;
    if (std::find(languages.begin(), languages.end(), language.code) == languages.end()) {
      languages.push_back(language.code);
    }
  }
  return languages;
}

}  // namespace rights
