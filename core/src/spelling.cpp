#include "rights/spelling.h"

#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cstdint>
#include <tuple>

namespace rights {

namespace {

// Bounds on term-list scans, so one request never walks a whole large vocabulary.
constexpr std::size_t kMaxCorrectionScan = 50000;
constexpr std::size_t kMaxCompletionScan = 20000;

std::u32string code_points(std::string_view utf8) {
  std::u32string out;
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto length = static_cast<int32_t>(utf8.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    out.push_back(static_cast<char32_t>(c < 0 ? 0xFFFD : c));
  }
  return out;
}

// The first UTF-8 character of `text` (empty for empty text).
std::string first_character(std::string_view text) {
  if (text.empty()) return {};
  std::size_t end = 1;
  while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) ++end;
  return std::string(text.substr(0, end));
}

// Unaccented copies ("nguoi" for "người", document_builder.cpp) are indexed without
// positions: words nobody wrote, which corrections and completions must not offer
// ("Gefaengnis" → "gefangnis"). A copy can also be a word written elsewhere (French
// "déclaration" copied to "declaration", the English word), so a few documents are
// looked at: a frequent written word has positions in one of its first ones.
bool is_written_word(const Xapian::Database& db, const std::string& term) {
  constexpr int kDocumentsLookedAt = 16;
  int looked_at = 0;
  for (auto posting = db.postlist_begin(term); posting != db.postlist_end(term) && looked_at < kDocumentsLookedAt;
       ++posting, ++looked_at) {
    if (db.positionlist_begin(*posting, term) != db.positionlist_end(*posting, term)) return true;
  }
  return false;
}

// Backends without a spelling table (in-memory, some remote setups) throw
// UnimplementedError; they simply have no spelling data.
bool has_spelling_data(const Xapian::Database& db) {
  try {
    return db.spellings_begin() != db.spellings_end();
  } catch (const Xapian::UnimplementedError&) {
    return false;
  }
}

struct Candidate {
  std::string term;
  std::size_t distance;
  Xapian::doccount frequency;
};

}  // namespace

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit) {
  const std::u32string left = code_points(a), right = code_points(b);
  const std::size_t too_far = limit + 1;
  const std::size_t length_gap =
      left.size() > right.size() ? left.size() - right.size() : right.size() - left.size();
  if (length_gap > limit) return too_far;
  // Three rows: the one before the previous is needed for transpositions.
  std::vector<std::size_t> before(right.size() + 1), previous(right.size() + 1),
      current(right.size() + 1);
  for (std::size_t j = 0; j <= right.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= left.size(); ++i) {
    current[0] = i;
    std::size_t row_minimum = current[0];
    for (std::size_t j = 1; j <= right.size(); ++j) {
      const std::size_t substitution = left[i - 1] == right[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + substitution});
      if (i > 1 && j > 1 && left[i - 1] == right[j - 2] && left[i - 2] == right[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
      row_minimum = std::min(row_minimum, current[j]);
    }
    if (row_minimum > limit) return too_far;
    std::swap(before, previous);
    std::swap(previous, current);
  }
  return std::min(previous[right.size()], too_far);
}

std::size_t max_correction_distance(std::string_view word) {
  const std::u32string letters = code_points(word);
  // One edit to a word of one or two characters makes another word, not a typo fixed
  // (人權 -> 人); and a Chinese or Japanese word is not misspelt by a character more or
  // less but written with another one.
  const bool han_or_kana = std::any_of(letters.begin(), letters.end(), [](char32_t c) {
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode script = uscript_getScript(static_cast<UChar32>(c), &status);
    return script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA;
  });
  if (letters.size() <= 2 || han_or_kana) return 0;
  return letters.size() <= 4 ? 1 : 2;
}

std::string spelling_correction(const Xapian::Database& db, const std::string& word,
                                const TermVisibility& visible) {
  if (word.empty()) return {};
  const std::size_t max_distance = max_correction_distance(word);
  if (max_distance == 0) return {};
  if (has_spelling_data(db)) {
    const std::string suggestion =
        db.get_spelling_suggestion(word, static_cast<unsigned>(max_distance));
    if (!suggestion.empty() && suggestion != word && visible(suggestion) && is_written_word(db, suggestion)) {
      return suggestion;
    }
  }
  // Fallback without spelling data: typos rarely hit the first letter, so the terms that
  // share it are a good and bounded candidate set.
  const std::string first = first_character(word);
  std::vector<Candidate> candidates;
  std::size_t scanned = 0;
  for (auto it = db.allterms_begin(first); it != db.allterms_end(first) &&
                                           scanned < kMaxCorrectionScan;
       ++it, ++scanned) {
    const std::string term = *it;
    if (term == word) continue;
    const std::size_t distance = edit_distance(word, term, max_distance);
    if (distance > max_distance) continue;
    candidates.push_back({term, distance, it.get_termfreq()});
  }
  // Like Xapian's own speller: fewest edits first, then the most frequent word.
  std::sort(candidates.begin(), candidates.end(), [](const Candidate& x, const Candidate& y) {
    return std::tie(x.distance, y.frequency, x.term) < std::tie(y.distance, x.frequency, y.term);
  });
  for (const auto& candidate : candidates) {
    if (visible(candidate.term) && is_written_word(db, candidate.term)) return candidate.term;
  }
  return {};
}

std::vector<std::string> complete_term(const Xapian::Database& db, const std::string& prefix,
                                       std::size_t limit, const TermVisibility& visible) {
  std::vector<std::string> out;
  if (prefix.empty() || limit == 0) return out;
  std::vector<std::pair<Xapian::doccount, std::string>> found;
  std::size_t scanned = 0;
  for (auto it = db.allterms_begin(prefix);
       it != db.allterms_end(prefix) && scanned < kMaxCompletionScan; ++it, ++scanned) {
    found.emplace_back(it.get_termfreq(), *it);
  }
  std::sort(found.begin(), found.end(), [](const auto& x, const auto& y) {
    return x.first != y.first ? x.first > y.first : x.second < y.second;
  });
  for (auto& [frequency, term] : found) {
    if (out.size() >= limit) break;
    if (visible(term) && is_written_word(db, term)) out.push_back(std::move(term));
  }
  return out;
}

}  // namespace rights
