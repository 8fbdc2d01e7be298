#include "rights/zawgyi.h"

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <memory>
#include <stdexcept>

// Zawgyi is a font that draws Burmese from code points of the Myanmar block used in
// another way than Unicode's: a vowel sign ေ or the medial ya-yit typed before the
// consonant they are drawn before, U+1039 as the asat, U+1060-U+1097 as stacked and
// alternative forms. Most Burmese text written before 2019 (and much still) is Zawgyi:
// Unicode words are not found in it, nor Zawgyi words in Unicode. ICU carries CLDR's
// Zawgyi-my transform; what it lacks is telling the two apart, done here by the
// sequences that Unicode's storage order rules out, as Google's myanmar-tools does with a
// trained model.

namespace rights {

namespace {

bool is_myanmar(UChar32 c) { return c >= 0x1000 && c <= 0x109F; }

// Myanmar letters (consonants and independent vowels of Burmese, Mon, Shan, Karen...).
bool is_myanmar_letter(UChar32 c) { return is_myanmar(c) && u_charType(c) == U_OTHER_LETTER; }

// Signs that follow a letter in Unicode's order: vowel signs, medials, asat, tones.
bool is_myanmar_sign(UChar32 c) {
  if (!is_myanmar(c)) return false;
  const int8_t type = u_charType(c);
  return type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK;
}

}  // namespace

bool looks_like_zawgyi(std::string_view utf8) {
  // Every document is asked: most hold no Myanmar (U+1000-U+109F: E1 80-82), and a byte
  // search for its lead byte skips them without decoding their text.
  bool myanmar_bytes = false;
  for (auto at = utf8.find('\xE1'); at != std::string_view::npos && !myanmar_bytes; at = utf8.find('\xE1', at + 1)) {
    myanmar_bytes = at + 1 < utf8.size() && static_cast<unsigned char>(utf8[at + 1]) >= 0x80 &&
                    static_cast<unsigned char>(utf8[at + 1]) <= 0x82;
  }
  if (!myanmar_bytes) return false;
  const auto* bytes = reinterpret_cast<const uint8_t*>(utf8.data());
  const auto length = static_cast<int32_t>(utf8.size());
  std::size_t myanmar = 0;
  std::size_t impossible = 0;  // sequences Unicode's order rules out, Zawgyi's normal ones
  UChar32 previous = ' ';
  for (int32_t at = 0; at < length;) {
    UChar32 c;
    U8_NEXT(bytes, at, length, c);
    if (c < 0) continue;
    if (is_myanmar(c)) {
      ++myanmar;
      // ေ (U+1031) or the medial ya-yit (U+103B in Zawgyi) first in a word, or ေ after
      // another sign: Zawgyi types them before the consonant, Unicode after it.
      if ((c == 0x1031 || c == 0x103B) && (!is_myanmar(previous) || (c == 0x1031 && is_myanmar_sign(previous) &&
                                                                      previous != 0x103B && previous != 0x103C &&
                                                                      previous != 0x103D && previous != 0x103E))) {
        ++impossible;
      }
    }
    // U+1039 stacks the letter after it in Unicode; as Zawgyi's asat it ends a syllable.
    if (previous == 0x1039 && !is_myanmar_letter(c)) ++impossible;
    previous = c;
  }
  if (previous == 0x1039) ++impossible;
  // A stray sign in Unicode text is a typo; Zawgyi text has such a sequence every few words.
  return impossible >= 2 && impossible * 50 >= myanmar;
}

std::string zawgyi_to_unicode(std::string_view utf8) {
  UErrorCode status = U_ZERO_ERROR;
  // One transform per call: ICU transliterators keep no state across calls but are not
  // documented as safe to share between threads, and only Zawgyi documents get here.
  std::unique_ptr<icu::Transliterator> transform(
      icu::Transliterator::createInstance("Zawgyi-my", UTRANS_FORWARD, status));
  if (U_FAILURE(status) || !transform) {
    throw std::runtime_error(std::string("ICU Zawgyi-my transform unavailable: ") + u_errorName(status));
  }
  icu::UnicodeString text =
      icu::UnicodeString::fromUTF8(icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  transform->transliterate(text);
  std::string out;
  text.toUTF8String(out);
  return out;
}

}  // namespace rights
