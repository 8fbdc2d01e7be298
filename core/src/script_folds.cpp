// The script folds: what normalize() (text_analysis.cpp) and the snippets' character-by-
// character search fold out of words, so that a word typed either way its readers write
// it is one term. Same code at index and query time.
#include "script_folds.h"

#include "rights/text_analysis.h"

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <iterator>
#include <stdexcept>
#include <string>
#include <utility>

namespace rights {

namespace detail {

UChar32 three_byte_character(std::string_view utf8, std::size_t at) {
  if (at + 3 > utf8.size() || (static_cast<unsigned char>(utf8[at]) & 0xF0) != 0xE0) return -1;
  const auto byte = [&](std::size_t i) { return static_cast<UChar32>(static_cast<unsigned char>(utf8[at + i])); };
  if ((byte(1) & 0xC0) != 0x80 || (byte(2) & 0xC0) != 0x80) return -1;
  return ((byte(0) & 0x0F) << 12) | ((byte(1) & 0x3F) << 6) | (byte(2) & 0x3F);
}

// Latin letters that are not a base letter plus a combining mark, so NFD leaves them
// whole; lower case only, as words are case-folded first.
const char* latin_letter_replacement(UChar32 c) {
  switch (c) {
    case 0x0111: return "d";   // đ (Vietnamese, Croatian)
    case 0x00F8: return "o";   // ø
    case 0x0142: return "l";   // ł
    case 0x00E6: return "ae";  // æ
    case 0x0153: return "oe";  // œ
    case 0x0127: return "h";   // ħ
    case 0x0131: return "i";   // ı (Turkish dotless i): "irkcilik" finds "ırkçılık"
    // Hausa's hooked letters, typed plain on most keyboards (and so written in much text):
    // "kasashen" finds "ƙasashen".
    case 0x0253: return "b";   // ɓ
    case 0x0257: return "d";   // ɗ
    case 0x0199: return "k";   // ƙ
    case 0x01B4: return "y";   // ƴ
    default: return nullptr;
  }
}

// One of ICU's normalisers, owned by ICU, immutable and thread-safe.
const icu::Normalizer2& icu_normalizer(const icu::Normalizer2* (*get)(UErrorCode&), const char* name) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* normalizer = get(status);
  if (U_FAILURE(status) || normalizer == nullptr) {
    throw std::runtime_error(std::string("ICU ") + name + " unavailable: " + u_errorName(status));
  }
  return *normalizer;
}

const icu::Normalizer2& nfd() { return icu_normalizer(icu::Normalizer2::getNFDInstance, "NFD"); }
const icu::Normalizer2& nfc() { return icu_normalizer(icu::Normalizer2::getNFCInstance, "NFC"); }
const icu::Normalizer2& nfkc_casefold() {
  return icu_normalizer(icu::Normalizer2::getNFKCCasefoldInstance, "NFKC_Casefold");
}

bool is_greek(UChar32 c) { return (c >= 0x0370 && c <= 0x03FF) || (c >= 0x1F00 && c <= 0x1FFF); }

bool is_han(UChar32 c) { return (c >= 0x3400 && c <= 0x9FFF) || (c >= 0x20000 && c <= 0x3134F); }

// Whether text[at] starts a character of U+3400-U+9FFF (lead bytes E3 90 to E9 BF): CJK
// ideographs of the Basic Multilingual Plane. `at + 1` must be inside `text`.
bool starts_han_character(std::string_view text, std::size_t at) {
  const auto lead = static_cast<unsigned char>(text[at]);
  return (lead >= 0xE4 && lead <= 0xE9) || (lead == 0xE3 && static_cast<unsigned char>(text[at + 1]) >= 0x90);
}

// Traditional Chinese characters and the Simplified form of each (ICU's
// Traditional-Simplified transform, one character to one), sorted by the first.
struct HanVariant {
  UChar32 traditional;
  UChar32 simplified;
};
constexpr HanVariant kHanVariants[] = {
#include "han_variants.inc"
};

// The Simplified form of a Traditional character, or 0.
UChar32 simplified_han(UChar32 c) {
  const auto found = std::lower_bound(std::begin(kHanVariants), std::end(kHanVariants), c,
                                      [](const HanVariant& variant, UChar32 key) { return variant.traditional < key; });
  return found != std::end(kHanVariants) && found->traditional == c ? found->simplified : 0;
}

// Characters that fold_script_variants changes or drops.
bool has_script_variant(UChar32 c) {
  return c == 0x0307 || c == 0x0451 || is_greek(c) || (c >= 0x0591 && c <= 0x05C7) || (c >= 0x0610 && c <= 0x06ED) ||
         (c >= 0x0730 && c <= 0x074A) ||
         c == 0x0219 || c == 0x021B || c == 0x093C || c == 0x0A3C || c == 0x178A || c == 0x17B2 || is_han(c) ||
         (c >= 0x0660 && u_charType(c) == U_DECIMAL_DIGIT_NUMBER);
}

// Alef with hamza or madda, written either way by the same writers, as Lucene's
// ArabicNormalizer (Elasticsearch's arabic_normalization) maps them; 0 if none. Its other
// folds, teh marbuta to heh and alef maksura to yeh, are left out: Snowball's Arabic
// stemmer (Xapian's) reads ة as the feminine ending and ه as a pronoun, and would no
// longer join "الكرامة" and "كرامة" ("dignity") if both were ه.
// Farsi yeh and keheh (Persian, Urdu, Pashto, Kurdish), Urdu's heh goal and Persian heh
// with yeh above are the Arabic yeh, kaf and heh that an Arabic keyboard types, and much
// Persian text holds: folded to those, as Lucene's PersianNormalizer does, which leaves
// Arabic words (and the Arabic stemmer) as they were. Urdu's yeh barree (ے) is a letter of
// its own, not a way of writing yeh: کے and کی, اپنے and اپنی are different words.
UChar32 arabic_letter_variant(UChar32 c) {
  switch (c) {
    case 0x0622: case 0x0623: case 0x0625: case 0x0671: return 0x0627;  // آ أ إ ٱ → ا
    case 0x06CC: return 0x064A;               // ی → ي
    case 0x06A9: return 0x0643;               // ک → ك
    case 0x06C1: case 0x06C0: return 0x0647;  // ہ ۀ → ه
    default: return 0;
  }
}

// Marks and letter variants that readers of these scripts type either way, or not at
// all; folded out of every word, at index and at query time alike:
// - Greek accents and diaeresis: capitals are written without them (ΦΥΛΑΚΕΣ, φυλακές);
//   Lucene's GreekLowerCaseFilter drops them too.
// - Hebrew points (niqqud, cantillation) and Arabic harakat and tatweel: most text and
//   every keyboard query is written without them.
// - Arabic alef variants (see arabic_letter_variant).
// - Russian ё is written е in most text (Yandex and Google treat them as one letter).
// - Turkish İ case-folds to i + U+0307 (combining dot): the dot goes, so DİYARBAKIR is
//   "diyarbakır" and never shows as "di̇yarbakır".
icu::UnicodeString fold_script_variants(const icu::UnicodeString& folded) {
  bool greek = false;
  bool any = false;
  for (int32_t i = 0; i < folded.length(); i += U16_LENGTH(folded.char32At(i))) {
    const UChar32 c = folded.char32At(i);
    any = any || has_script_variant(c);
    greek = greek || is_greek(c);
  }
  if (!any) return folded;
  UErrorCode status = U_ZERO_ERROR;
  // Precomposed Greek letters (ά, ΐ, ῶ) carry their accents inside: decompose first.
  const icu::UnicodeString source = greek ? nfd().normalize(folded, status) : folded;
  if (U_FAILURE(status)) {
    throw std::runtime_error(std::string("ICU normalisation failed: ") + u_errorName(status));
  }
  icu::UnicodeString out;
  UChar32 base = 0;
  UChar32 previous = 0;
  for (int32_t i = 0; i < source.length();) {
    const UChar32 c = source.char32At(i);
    i += U16_LENGTH(c);
    const bool mark = u_charType(c) == U_NON_SPACING_MARK;
    // Accents belong to the letter before them: only a Greek letter's, or İ's dot, go.
    if (mark && c >= 0x0300 && c <= 0x036F && (is_greek(base) || (c == 0x0307 && base == 'i'))) continue;
    const UChar32 kept = fold_script_character_after(previous, c);
    previous = c;
    if (kept < 0) continue;
    if (!mark) base = c;
    out.append(kept);
  }
  if (!greek) return out;
  icu::UnicodeString recomposed = nfc().normalize(out, status);
  if (U_FAILURE(status)) {
    throw std::runtime_error(std::string("ICU normalisation failed: ") + u_errorName(status));
  }
  return recomposed;
}

// Polytonic Greek's iota subscript (ᾳ, ῇ, ῷ) is silent and not typed; case folding would
// make it a full ι (ψυχῇ → ψυχηι). Dropped before folding, like the other accents after.
void drop_iota_subscripts(icu::UnicodeString& text) {
  bool found = false;
  for (int32_t i = 0; i < text.length() && !found; ++i) {
    const UChar c = text.charAt(i);
    found = c == 0x0345 || (c >= 0x1F80 && c <= 0x1FFC);
  }
  if (!found) return;
  UErrorCode status = U_ZERO_ERROR;
  text = nfd().normalize(text, status);
  if (U_FAILURE(status)) {
    throw std::runtime_error(std::string("ICU normalisation failed: ") + u_errorName(status));
  }
  text.findAndReplace(icu::UnicodeString(static_cast<UChar32>(0x0345)), icu::UnicodeString());
}

// Malayalam wrote its chillu letters (final consonants) as consonant + virama + ZWJ
// before Unicode 5.1 gave them code points; text of both eras is common (ലോകത്തില്‍ and
// ലോകത്തിൽ are one word). Case folding would drop the ZWJ and leave consonant + virama,
// a different ending, so the old spelling is composed first, as Lucene's IndicNormalizer
// does.
void compose_malayalam_chillus(icu::UnicodeString& text) {
  constexpr UChar kVirama = 0x0D4D;
  constexpr UChar kZeroWidthJoiner = 0x200D;
  if (text.indexOf(kVirama) < 0 || text.indexOf(kZeroWidthJoiner) < 0) return;
  constexpr std::array<std::pair<UChar, UChar>, 6> kChillus{{
      {0x0D23, 0x0D7A}, {0x0D28, 0x0D7B}, {0x0D30, 0x0D7C}, {0x0D32, 0x0D7D}, {0x0D33, 0x0D7E}, {0x0D15, 0x0D7F}}};
  for (const auto& [consonant, chillu] : kChillus) {
    const UChar old_spelling[] = {consonant, kVirama, kZeroWidthJoiner};
    text.findAndReplace(icu::UnicodeString(old_spelling, 3), icu::UnicodeString(chillu));
  }
}

// Vietnamese writes the tone of a final "oa", "oe" or "uy" on either vowel: "hóa" (old
// style) and "hoá" (new style) are one word, both common. Moves it to the second vowel,
// so both spellings are one term; "của", "hoàng" (tone placement not in question) stay.
void place_vietnamese_tone(icu::UnicodeString& word) {
  const int32_t length = word.length();
  if (length < 2) return;
  const UChar second = word.charAt(length - 1);
  if (second != u'a' && second != u'e' && second != u'y') return;
  const UChar first = word.charAt(length - 2);
  if (first < 0x00C0) return;  // a plain letter carries no tone
  icu::UnicodeString parts;
  if (!nfd().getDecomposition(first, parts) || parts.length() != 2) return;
  const UChar base = parts.charAt(0);
  const UChar tone = parts.charAt(1);
  // Not the tilde (ngã): Portuguese writes "põe", "impõe", whose stems it would break,
  // and Vietnamese rarely puts it on a final oa/oe/uy.
  const bool tone_mark = tone == 0x0300 || tone == 0x0301 || tone == 0x0309 || tone == 0x0323;
  if (!tone_mark || !((base == u'o' && second != u'y') || (base == u'u' && second == u'y'))) return;
  const UChar32 toned = nfc().composePair(second, tone);
  if (toned < 0) return;
  word.replace(length - 2, 2, icu::UnicodeString(base).append(toned));
}

}  // namespace detail

using namespace detail;

bool is_unwritten_mark(int32_t c) {
  // Hebrew points and cantillation, Arabic harakat, Syriac vowels and rukkakha/qushshaya;
  // tatweel stretches a word, is no letter.
  return c == 0x0640 ||
         (u_charType(c) == U_NON_SPACING_MARK &&
          ((c >= 0x0591 && c <= 0x05C7) || (c >= 0x0610 && c <= 0x06ED) || (c >= 0x0730 && c <= 0x074A)));
}

std::string compatibility_folded(int32_t c) {
  // From U+0900: Devanagari and Gurmukhi letters with nukta (क़, ਸ਼) are written
  // precomposed in some text, and normalisation decomposes them (then drops the nukta).
  if (c < 0x0900 || nfkc_casefold().isInert(c)) return {};
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString alone(static_cast<UChar32>(c));
  const icu::UnicodeString mapped = nfkc_casefold().normalize(alone, status);
  if (U_FAILURE(status) || mapped == alone) return {};
  std::string out;
  for (int32_t i = 0; i < mapped.length();) {
    const UChar32 part = mapped.char32At(i);
    i += U16_LENGTH(part);
    const int32_t folded = fold_script_character(part);
    if (folded >= 0) icu::UnicodeString(static_cast<UChar32>(folded)).toUTF8String(out);
  }
  return out;
}

int32_t vowel_typed_as_two(int32_t first, int32_t second) {
  // Thai แ and Lao ແ (sara ae) are often typed as two sara e; Khmer's two-part vowels ោ
  // and ើ as their two parts, េ + ា and េ + ី. They look the same, and no word holds the
  // pair: แถลง ("announce") was not found typed เเถลง, nor កាត់ទោស ("sentence") typed
  // with េ + ា, which the segmenter cut into កា + ត់ + ទេាស.
  if (first == 0x0E40 && second == 0x0E40) return 0x0E41;
  if (first == 0x0EC0 && second == 0x0EC0) return 0x0EC1;
  if (first == 0x17C1 && second == 0x17B6) return 0x17C4;
  if (first == 0x17C1 && second == 0x17B8) return 0x17BE;
  return 0;
}

int32_t fold_script_character(int32_t c) {
  // Romanian ș and ț (comma below) and the ş and ţ (cedilla) of older fonts, keyboards and
  // much text are one letter each; the cedilla form is kept, Turkish's ş.
  if (c == 0x0219) return 0x015F;
  if (c == 0x021B) return 0x0163;
  if (c < 0x0370) return c;  // Latin and the combining accents are folded elsewhere
  // Digits of every script are one number: a Khmer or Thai year (២០២១, ๒๕๖๔), an Arabic
  // or Persian article number (١٢, ۱۲) is found by the ASCII digits a reader types, and
  // the other way round, as Elasticsearch's decimal_digit filter folds them (NFKC already
  // folds full-width and mathematical digits; these native digits it keeps).
  if (u_charType(c) == U_DECIMAL_DIGIT_NUMBER) return '0' + u_charDigitValue(c);
  if (is_unwritten_mark(c)) return -1;
  // The nukta of Hindi and Punjabi (ज़ = ज + ़, ਸ਼ = ਸ + ਼) is left out by most writers
  // (आजादी for आज़ादी), as Lucene's HindiNormalizer drops it. Bengali's is kept: য় is a
  // letter of its own there.
  if (c == 0x093C || c == 0x0A3C) return -1;
  // Khmer ឲ is an old form of ឱ (ឲ្យ and ឱ្យ are one word).
  if (c == 0x17B2) return 0x17B1;
  // Traditional and Simplified Chinese are one text to a reader searching it: 人權 and
  // 人权 are one word (as Elasticsearch's STConvert and Google treat them).
  if (is_han(c)) {
    if (const UChar32 simplified = simplified_han(c)) return simplified;
  }
  if (const UChar32 arabic = arabic_letter_variant(c)) return arabic;
  if (c == 0x0451) return 0x0435;
  if (is_greek(c)) {
    icu::UnicodeString parts;
    if (nfd().getDecomposition(c, parts) && parts.length() > 0) return parts.char32At(0);
  }
  return c;
}

int32_t fold_script_character_after(int32_t previous, int32_t c) {
  // Khmer's subscript da (្ដ) and subscript ta (្ត) look the same and are typed either way
  // (សេចក្ដី, សេចក្តី): a subscript da is read as ta. A full ដ stays a letter of its own.
  if (c == 0x178A && previous == 0x17D2) return 0x178F;
  return fold_script_character(c);
}

bool may_have_han(std::string_view text) {
  for (std::size_t at = 0; at + 1 < text.size(); ++at) {
    if (starts_han_character(text, at)) return true;
  }
  return false;
}

// U+00C0-U+027F (Latin-1 letters, Latin Extended-A and -B, IPA) has lead bytes 0xC3-0xC9;
// Latin Extended Additional, U+1E00-U+1EFF (Vietnamese), is 0xE1 0xB8-0xBB.
bool may_have_latin_diacritics(std::string_view word) {
  for (std::size_t i = 0; i < word.size(); ++i) {
    const auto byte = static_cast<unsigned char>(word[i]);
    if (byte >= 0xC3 && byte <= 0xCA) return true;
    // A combining mark (U+0300-U+036F) on a plain letter: Otomí "ko̱nigti", Picard "re̊zon".
    if (byte == 0xCC || byte == 0xCD) return true;
    if (byte == 0xE1 && i + 1 < word.size()) {
      const auto next = static_cast<unsigned char>(word[i + 1]);
      if (next >= 0xB8 && next <= 0xBB) return true;
    }
  }
  return false;
}

std::string without_latin_diacritics(std::string_view word) {
  if (!may_have_latin_diacritics(word)) return std::string(word);
  UErrorCode status = U_ZERO_ERROR;
  const icu::UnicodeString decomposed = nfd().normalize(
      icu::UnicodeString::fromUTF8(icu::StringPiece(word.data(), static_cast<int32_t>(word.size()))), status);
  icu::UnicodeString stripped;
  // The last base character is a Latin letter: below U+02B0, so the tones on ɛ and ɔ
  // (U+025B, U+0254: Akan, Ewe, Lingala, Fon...) go too and "nyɔnsɔ" finds "nyɔ́nsɔ".
  bool after_latin_letter = false;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    const bool combining_diacritic = c >= 0x0300 && c <= 0x036F;
    if (combining_diacritic && after_latin_letter) continue;
    // Only a base character changes whose accents follow: NFD puts other scripts' marks
    // (Khmer coeng, ccc 9) before a Latin accent (ccc 230) on the same letter.
    if (!combining_diacritic && u_charType(c) != U_NON_SPACING_MARK) after_latin_letter = c < 0x02B0;
    if (const char* replacement = latin_letter_replacement(c)) {
      stripped.append(icu::UnicodeString(replacement));
    } else {
      stripped.append(c);
    }
  }
  const icu::UnicodeString recomposed = nfc().normalize(stripped, status);
  if (U_FAILURE(status)) {
    throw std::runtime_error(std::string("ICU normalisation failed: ") + u_errorName(status));
  }
  std::string out;
  recomposed.toUTF8String(out);
  return out;
}

}  // namespace rights
