// The script folds of normalize() (text_analysis.cpp) and of the character-by-character
// search of snippets: Latin letters without diacritics, Greek accents, Arabic and Persian
// letter variants, Traditional Chinese as Simplified... Internal to rights_core.
#pragma once

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <string_view>

namespace rights::detail {

const icu::Normalizer2& nfkc_casefold();

/// The character of 3 UTF-8 bytes at utf8[at] (U+0800-U+FFFF: the letters and marks of
/// Khmer, Thai, Lao, Burmese...), or -1.
UChar32 three_byte_character(std::string_view utf8, std::size_t at);

/// Whether text[at] starts a character of U+3400-U+9FFF (lead bytes E3 90 to E9 BF): CJK
/// ideographs of the Basic Multilingual Plane. `at + 1` must be inside `text`.
bool starts_han_character(std::string_view text, std::size_t at);

/// The Simplified form of a Traditional character, or 0.
UChar32 simplified_han(UChar32 c);

/// A word, already NFKC case-folded, with the marks and letter variants its script's
/// readers type either way folded out (see fold_script_variants in script_folds.cpp).
icu::UnicodeString fold_script_variants(const icu::UnicodeString& folded);

/// Before case folding: polytonic Greek's silent iota subscript dropped; old-style
/// Malayalam chillus composed.
void drop_iota_subscripts(icu::UnicodeString& text);
void compose_malayalam_chillus(icu::UnicodeString& text);

/// The Vietnamese tone of a final oa, oe or uy on the second vowel.
void place_vietnamese_tone(icu::UnicodeString& word);

}  // namespace rights::detail
