// Text analysis shared by the indexer and the query side: one place decides what a
// word is in every script, so a query finds exactly what indexing produced.
//
// Pipeline: UTF-8 validation -> ICU word segmentation (dictionary-based for Khmer, Thai,
// Lao, Burmese, Chinese, Japanese) -> per-token NFKC + case folding -> optional
// Snowball stem by document language.
#pragma once

#include <unicode/uversion.h>  // declares namespace icu for the forward declaration
#include <xapian.h>

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>


U_NAMESPACE_BEGIN
class BreakIterator;
U_NAMESPACE_END

namespace rights {

/// One word of a text.
struct Token {
  std::string term;    ///< normalised (NFKC + case fold) word, as indexed
  std::size_t begin;   ///< byte offset of the word in the analysed UTF-8 text
  std::size_t end;     ///< one past the last byte
};

/// The words of a document's title and text. analyse_file segments them once for
/// authority mentions and build_xapian_document indexes the same tokens: segmenting is
/// the largest part of analysis, and was done twice.
struct DocumentWords {
  std::vector<Token> title;
  std::vector<Token> text;
};

/// Longest term Xapian accepts is 245 bytes; longer "words" (base64 blobs, URLs glued
/// together) are split at this many bytes on a character boundary rather than dropped.
inline constexpr std::size_t kMaxTermBytes = 200;

/// True if `text` is well-formed UTF-8 (no overlongs, surrogates or truncation).
bool is_valid_utf8(std::string_view text);

/// `text` with A-Z as a-z and every other byte as it is: for ASCII keywords (field names,
/// HTML tag and meta names, month names), never for words (see normalize()).
std::string ascii_lowercase(std::string_view text);

/// Byte offset of the first invalid UTF-8 sequence, or npos.
std::size_t first_invalid_utf8(std::string_view text);

/// `text` with every byte that is not part of valid UTF-8 written as \xNN (upper-case
/// hex), so that a file name in another encoding can be shown and stored as text.
std::string escape_invalid_utf8(std::string_view text);

/// NFKC + full case folding, with typographic apostrophes folded to ASCII so that
/// "Women’s" and "Women's" index alike. Input must be valid UTF-8.
std::string normalize(std::string_view utf8);

/// `word` (normalised) with the diacritics of its Latin letters removed — "déclaration" ->
/// "declaration", "người" -> "nguoi", "łódź" -> "lodz", "đồng" -> "dong", "œuvre" ->
/// "oeuvre" — or `word` unchanged. Marks on other scripts stay: they are letters there
/// (Khmer and Thai vowel signs, Cyrillic "й"), not accents a user may leave out.
std::string without_latin_diacritics(std::string_view word);

/// False when without_latin_diacritics(word) is certainly `word` itself: no code point in
/// U+00C0-U+02BF, U+0300-U+036F or U+1E00-U+1EFF. A byte scan, for callers that must not even copy the
/// word in the common case (ASCII, Khmer, Thai, CJK...).
bool may_have_latin_diacritics(std::string_view word);

/// True if `text` holds a CJK ideograph of U+3400-U+9FFF (the characters that Traditional
/// and Simplified Chinese write differently). A byte scan.
bool may_have_han(std::string_view text);

/// Clusters typed in another order than Unicode's, which look the same on screen: Khmer's
/// coeng ro before another subscript (ស្រ្តី for ស្ត្រី, "woman"), nikahit before the vowel
/// u (ំុ for ុំ) and a register shifter after the vowel (ហុ៊ន for ហ៊ុន); Thai and Lao tone
/// marks before the vowel above (ท่ี for ที่) and nikhahit before the tone (นํ้า); Burmese
/// medials and vowels in another order (ကုိ for ကို, လုှ for လှု); and the Burmese digit
/// zero ၀ typed for the letter ဝ, which looks the same (see is_myanmar_wa_typed_as_zero), is
/// made the letter. Put in Unicode's order in place: the text keeps its length. Appends the
/// offset of each moved run of characters to `moved` (if given), in text order: the run's
/// bytes are a permutation of the original's, whose characters are 3 bytes each. False if
/// nothing was moved (a byte scan for most text).
struct MovedRun {
  std::size_t begin;
  std::size_t length;
};
bool put_marks_in_order(std::string& utf8, std::vector<MovedRun>* moved = nullptr);

/// Whether utf8[at] starts a Burmese digit zero ၀ that stands for the letter ဝ (wa): beside
/// a Burmese letter or sign and beside no digit (၀န်ကြီး "minister" typed with the digit,
/// as Zawgyi-era keyboards and much text have it; ၁၀ and ၂၀၂၁ stay numbers).
bool is_myanmar_wa_typed_as_zero(std::string_view utf8, std::size_t at);

/// Whether `utf8` holds Khmer, Thai, Lao or Burmese, whose marks put_marks_in_order may
/// move: a byte scan, for callers to skip copying the text.
bool may_have_marks_out_of_order(std::string_view utf8);

/// The vowel that `first` and `second` typed in a row stand for, or 0: Thai and Lao sara
/// ae typed as two sara e (เเ for แ), Khmer ោ and ើ typed as េ + ា and េ + ី. They look
/// the same; normalize() and the word segmenter read the pair as the one vowel.
int32_t vowel_typed_as_two(int32_t first, int32_t second);

/// For a character already case-folded, what the script folds of normalize() make of it
/// taken alone: -1 if they drop it (a Hebrew point, an Arabic haraka or tatweel), else
/// the character they keep (ё → е, أ → ا, ά → α, the character itself). For searching
/// raw text for normalised words character by character (snippets).
int32_t fold_script_character(int32_t c);

/// fold_script_character for a character that follows `previous` (case-folded too): the
/// folds that depend on the character before (Khmer subscript da after the coeng is ta).
int32_t fold_script_character_after(int32_t previous, int32_t c);

/// What normalize() makes of a character from U+0900 on that compatibility folding
/// changes (Thai and Lao sara am, full-width and half-width forms, ligatures,
/// compatibility ideographs), in UTF-8 after the script folds; "" for a character it
/// leaves as it is. For searching raw text for normalised words (snippets).
std::string compatibility_folded(int32_t c);

/// True for a Hebrew point or cantillation mark, an Arabic haraka or tatweel, a Syriac
/// vowel or rukkakha/qushshaya point: what
/// fold_script_character drops, and language identification reads without.
bool is_unwritten_mark(int32_t c);

/// True if `term` is two Hangul syllables: a pair that Korean text is indexed as, which
/// may be a word (권리) or a fragment across two (권운 of 인권운동).
bool is_hangul_syllable_pair(std::string_view term);

/// Word segmenter and stemmer. Holds ICU and Snowball state, so it is NOT thread-safe:
/// give each thread its own (construction is cheap, a few microseconds after the first).
class TextAnalyzer {
 public:
  /// Throws std::runtime_error if ICU's word break data is unavailable.
  TextAnalyzer();
  ~TextAnalyzer();
  TextAnalyzer(const TextAnalyzer&) = delete;
  TextAnalyzer& operator=(const TextAnalyzer&) = delete;

  /// Words of `utf8` in order (punctuation and spaces dropped). Input must be valid UTF-8.
  std::vector<Token> tokenize(std::string_view utf8);

  /// Snowball stem of an already-normalised word for BCP 47 language `lang`, or an empty
  /// string when Xapian has no stemmer for it.
  std::string stem(const std::string& term, const std::string& lang);

  /// without_latin_diacritics(term), remembered like stems.
  std::string unaccented(const std::string& term);

  /// True when Xapian ships a stemmer for `lang` (e.g. "en", "fr", "ru", "ar").
  static bool has_stemmer(const std::string& lang);

 private:
  // Snowball is ~5% of indexing CPU, and word frequencies are Zipfian, so each language
  // remembers the stems it has computed, cleared when it reaches kStemMemoEntries
  // (~1.5 MB; the most frequent words come back first).
  struct LanguageStemmer {
    Xapian::Stem stemmer;
    std::unordered_map<std::string, std::string> memo;
  };
  static constexpr std::size_t kStemMemoEntries = 16384;

  // normalize() of a non-ASCII segment goes through two UTF-16 conversions; segments
  // repeat as words do, so they are remembered the same way.
  std::string normalized(std::string_view segment);
  std::unordered_map<std::string, std::string> normalized_memo_;
  static constexpr std::size_t kNormalizedMemoEntries = 16384;
  std::unordered_map<std::string, std::string> unaccented_memo_;

  std::unique_ptr<icu::BreakIterator> words_;
  std::map<std::string, LanguageStemmer> stemmers_;
};

}  // namespace rights
