#include <unicode/umachine.h>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rights/text_analysis.h"
#include "script_folds.h"

// Marks that writers of Khmer, Thai, Lao and Burmese type in another order than
// Unicode's, put in order before segmentation, normalisation and highlighting (the three
// must agree, or a word found is not marked).

namespace rights {

using detail::three_byte_character;

namespace {

// Where a mark goes in its cluster, for the marks that writers of Khmer, Thai, Lao and
// Burmese type in either order because both look the same on screen (and whose Unicode
// combining classes are 0, so normalisation leaves the order typed); 0 for other
// characters. Marks of a run are put in ascending rank: the order of Unicode's script
// chapters, which ICU's dictionaries and most text follow.
int mark_rank(UChar32 c) {
  // Khmer: the register shifters and robat come before the vowel (ហ៊ុន, not ហុ៊ន).
  if (c == 0x17C9 || c == 0x17CA || c == 0x17CC) return 1;
  if (c >= 0x17B7 && c <= 0x17C5) return 2;
  // Thai and Lao: the vowel above or below, then the tone mark, then nikhahit (ที่, not
  // ท่ี; น้ํา, the decomposed น้ำ, not นํ้า).
  if (c == 0x0E31 || (c >= 0x0E34 && c <= 0x0E3A) || c == 0x0E47) return 1;
  if (c >= 0x0E48 && c <= 0x0E4C) return 2;
  if (c == 0x0E4D) return 3;
  if (c == 0x0EB1 || (c >= 0x0EB4 && c <= 0x0EB9) || c == 0x0EBB) return 1;
  if (c >= 0x0EC8 && c <= 0x0ECC) return 2;
  if (c == 0x0ECD) return 3;
  // Burmese: medials ျ ြ ွ ှ, then the vowels ေ, ါ ာ, ိ ီ ဲ, ု ူ, then ံ ့ ် း (ကို,
  // not ကုိ; လှု, not လုှ; ကြွ, not ကွြ; ုံ, not ံု).
  switch (c) {
    case 0x103B: return 1;
    case 0x103C: return 2;
    case 0x103D: return 3;
    case 0x103E: return 4;
    case 0x1031: return 5;
    case 0x102B: case 0x102C: return 6;
    case 0x102D: case 0x102E: case 0x1032: return 7;
    case 0x102F: case 0x1030: return 8;
    case 0x1036: return 9;
    case 0x1037: return 10;
    case 0x103A: return 11;
    case 0x1038: return 12;
    default: return 0;
  }
}

// Sorts each run of ranked marks (mark_rank) in place, stably; each run changed is
// appended to `moved`. All these marks are 3 bytes long, so the text keeps its length.
bool sort_mark_runs(std::string& utf8, std::vector<MovedRun>* moved) {
  bool changed = false;
  for (std::size_t at = 0; at + 6 <= utf8.size(); ++at) {
    const int first = mark_rank(three_byte_character(utf8, at));
    if (first == 0) continue;
    std::vector<std::pair<int, std::string>> run{{first, utf8.substr(at, 3)}};
    std::size_t end = at + 3;
    for (int rank = 0; (rank = mark_rank(three_byte_character(utf8, end))) != 0; end += 3) {
      run.emplace_back(rank, utf8.substr(end, 3));
    }
    if (!std::is_sorted(run.begin(), run.end(), [](const auto& a, const auto& b) { return a.first < b.first; })) {
      std::stable_sort(run.begin(), run.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
      std::string sorted;
      for (const auto& mark : run) sorted += mark.second;
      utf8.replace(at, end - at, sorted);
      changed = true;
      if (moved != nullptr) moved->push_back({at, end - at});
    }
    at = end - 1;
  }
  return changed;
}

// Puts the letter ဝ for each Burmese digit zero ၀ typed for it (see
// is_myanmar_wa_typed_as_zero); both are 3 bytes, so the text keeps its length.
bool put_wa_for_zero(std::string& utf8) {
  constexpr std::string_view kZero = "\u1040";
  bool changed = false;
  for (std::size_t at = utf8.find(kZero); at != std::string::npos; at = utf8.find(kZero, at + 3)) {
    if (!is_myanmar_wa_typed_as_zero(utf8, at)) continue;
    utf8.replace(at, 3, "\u101D");
    changed = true;
  }
  return changed;
}

}  // namespace

bool is_myanmar_wa_typed_as_zero(std::string_view utf8, std::size_t at) {
  if (utf8.compare(at, 3, "\u1040") != 0) return false;
  const auto is_digit = [](UChar32 c) { return c >= 0x1040 && c <= 0x1049; };
  const auto is_burmese = [](UChar32 c) { return c >= 0x1000 && c <= 0x103F; };  // letters, signs
  const UChar32 before = at >= 3 ? three_byte_character(utf8, at - 3) : -1;
  const UChar32 after = three_byte_character(utf8, at + 3);
  if (is_digit(before) || is_digit(after)) return false;  // ၁၀ (10), ၂၀၂၁
  return is_burmese(before) || is_burmese(after);
}

bool may_have_marks_out_of_order(std::string_view utf8) {
  // Thai and Lao U+0E00-U+0EFF: E0 B8-BB; Burmese U+1000-U+103F: E1 80; Khmer
  // U+1780-U+17FF: E1 9E-9F.
  for (std::size_t at = 0; at + 1 < utf8.size(); ++at) {
    const auto lead = static_cast<unsigned char>(utf8[at]);
    if (lead != 0xE0 && lead != 0xE1) continue;
    const auto second = static_cast<unsigned char>(utf8[at + 1]);
    if ((lead == 0xE0 && second >= 0xB8 && second <= 0xBB) || (lead == 0xE1 && (second == 0x80 || second == 0x9E || second == 0x9F))) {
      return true;
    }
  }
  return false;
}

bool put_marks_in_order(std::string& utf8, std::vector<MovedRun>* moved) {
  if (!may_have_marks_out_of_order(utf8)) return false;
  // Khmer's U+17C0-U+17FF (lead bytes E1 9F) holds the coeng and the nikahit.
  constexpr std::string_view kCoeng = "\u17D2";
  constexpr std::string_view kRo = "\u179A";
  constexpr std::string_view kNikahit = "\u17C6";
  constexpr std::string_view kVowelU = "\u17BB";
  const auto is_consonant = [&](std::size_t at) {  // U+1780-U+17A2: E1 9E 80-A2
    return at + 3 <= utf8.size() && utf8.compare(at, 2, "\xE1\x9E") == 0 &&
           static_cast<unsigned char>(utf8[at + 2]) <= 0xA2;
  };
  const auto at_is = [&](std::size_t at, std::string_view what) {
    return at + what.size() <= utf8.size() && utf8.compare(at, what.size(), what) == 0;
  };
  bool changed = false;
  for (std::size_t at = utf8.find("\xE1\x9F"); at != std::string::npos; at = utf8.find("\xE1\x9F", at + 1)) {
    std::size_t length = 0;
    if (at_is(at, kCoeng) && at_is(at + 3, kRo) && at_is(at + 6, kCoeng) && is_consonant(at + 9) &&
        !at_is(at + 9, kRo)) {
      // Coeng ro is written after the other subscript: ្រ្ត → ្ត្រ.
      utf8.replace(at, 12, utf8.substr(at + 6, 6).append(kCoeng).append(kRo));
      length = 12;
    } else if (at_is(at, kNikahit) && at_is(at + 3, kVowelU)) {
      utf8.replace(at, 6, std::string(kVowelU).append(kNikahit));
      length = 6;
    }
    if (length == 0) continue;
    changed = true;
    if (moved != nullptr) moved->push_back({at, length});
    at += length - 1;
  }
  // Runs the Khmer rules moved hold no ranked marks out of order (subscripts, and ុំ are
  // in order), so the runs sorted here never overlap them; `moved` is kept in text order.
  std::vector<MovedRun> sorted;
  if (utf8.find("\xE1\x81\x80") != std::string::npos && put_wa_for_zero(utf8)) changed = true;
  if (sort_mark_runs(utf8, moved != nullptr ? &sorted : nullptr)) {
    changed = true;
    if (moved != nullptr) {
      moved->insert(moved->end(), sorted.begin(), sorted.end());
      std::sort(moved->begin(), moved->end(), [](const MovedRun& a, const MovedRun& b) { return a.begin < b.begin; });
    }
  }
  return changed;
}

}  // namespace rights
