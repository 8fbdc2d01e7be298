#include "rights/text_analysis.h"

#include "script_folds.h"

#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ubrk.h>
#include <unicode/unistr.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <iterator>
#include <stdexcept>

namespace rights {

using namespace detail;

std::size_t first_invalid_utf8(std::string_view text) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(bytes, i, length, c);  // rejects overlongs, surrogates and truncation
    if (c < 0) return static_cast<std::size_t>(start);
  }
  return std::string_view::npos;
}

std::string ascii_lowercase(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool is_valid_utf8(std::string_view text) {
  return first_invalid_utf8(text) == std::string_view::npos;
}

std::string escape_invalid_utf8(std::string_view text) {
  std::string out;
  for (auto bad = first_invalid_utf8(text); bad != std::string_view::npos; bad = first_invalid_utf8(text)) {
    char hex[5];
    std::snprintf(hex, sizeof hex, "\\x%02X", static_cast<unsigned char>(text[bad]));
    out.append(text.substr(0, bad)).append(hex);
    text.remove_prefix(bad + 1);  // the next byte may start a valid sequence
  }
  return out.append(text);
}

namespace {

bool is_ascii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// memo[key], computed by compute(key) on a miss; the memo is emptied when it holds
// `capacity` entries (frequent words come back first, so clearing beats tracking age).
// The key is a std::string so that a hit (the common case) copies nothing.
template <typename Compute>
const std::string& remembered(std::unordered_map<std::string, std::string>& memo, std::size_t capacity,
                              const std::string& key, Compute&& compute) {
  const auto known = memo.find(key);
  if (known != memo.end()) return known->second;
  if (memo.size() >= capacity) memo.clear();
  std::string value = compute(key);
  return memo.emplace(key, std::move(value)).first->second;
}

// True if the segment holds something worth indexing. ICU marks dictionary-segmented
// words (Khmer, Thai, CJK...) with a word status, but we also accept any segment that
// contains a letter, digit or mark so no script's words can fall through the cracks.
bool is_word_segment(std::string_view segment, int32_t rule_status) {
  if (rule_status >= UBRK_WORD_NONE_LIMIT) return true;
  const auto* bytes = reinterpret_cast<const uint8_t*>(segment.data());
  const auto length = static_cast<int32_t>(segment.size());
  for (int32_t i = 0; i < length;) {
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (c < 0) continue;
    const int8_t category = u_charType(c);
    if (u_isalnum(c) || category == U_NON_SPACING_MARK || category == U_COMBINING_SPACING_MARK) {
      return true;
    }
  }
  return false;
}

// Scripts written without spaces whose dictionary segmenter ICU lets a number join the
// word before or after it (Khmer, Thai, Lao, Myanmar): "ឆ្នាំ២០២១" ("year 2021") came out
// one word, found neither by ឆ្នាំ nor by 2021. Khmer Symbols (U+19E0-U+19FF) too.
bool is_spaceless_script(UChar32 c) {
  return (c >= 0x0E00 && c <= 0x0EFF) || (c >= 0x1000 && c <= 0x109F) || (c >= 0x1780 && c <= 0x17FF) ||
         (c >= 0x19E0 && c <= 0x19FF);
}

// Offsets in `segment` where a number meets a word of a spaceless script (see
// is_spaceless_script), so that each is a word of its own; empty for most segments.
std::vector<std::size_t> number_boundaries(std::string_view segment) {
  std::vector<std::size_t> boundaries;
  if (is_ascii(segment)) return boundaries;
  const auto* bytes = reinterpret_cast<const uint8_t*>(segment.data());
  const auto length = static_cast<int32_t>(segment.size());
  enum class Kind { other, digit, spaceless_letter } previous = Kind::other;
  for (int32_t at = 0; at < length;) {
    const int32_t begin = at;
    UChar32 c;
    U8_NEXT(bytes, at, length, c);
    // A Burmese ၀ typed for the letter ဝ is a letter (normalize() makes it one).
    const bool digit = c >= 0 && u_charType(c) == U_DECIMAL_DIGIT_NUMBER &&
                       !(c == 0x1040 && is_myanmar_wa_typed_as_zero(segment, static_cast<std::size_t>(begin)));
    const Kind kind = digit ? Kind::digit
                      : c >= 0 && is_spaceless_script(c)                 ? Kind::spaceless_letter
                                                                          : Kind::other;
    if (kind != Kind::other && previous != Kind::other && kind != previous) {
      boundaries.push_back(static_cast<std::size_t>(begin));
    }
    previous = kind;
  }
  return boundaries;
}

// Appends `term` (from bytes [begin, end) of the source) to `out`, split into pieces of at
// most kMaxTermBytes on character boundaries so nothing exceeds Xapian's term limit.
void append_term(std::string term, std::size_t begin, std::size_t end, std::vector<Token>& out) {
  if (term.empty()) return;
  if (term.size() <= kMaxTermBytes) {
    out.push_back(Token{std::move(term), begin, end});
    return;
  }
  std::size_t piece_start = 0;
  while (piece_start < term.size()) {
    std::size_t piece_end = std::min(term.size(), piece_start + kMaxTermBytes);
    while (piece_end < term.size() && U8_IS_TRAIL(static_cast<uint8_t>(term[piece_end]))) {
      --piece_end;
    }
    out.push_back(Token{term.substr(piece_start, piece_end - piece_start), begin, end});
    piece_start = piece_end;
  }
}

bool is_hangul_syllable(UChar32 c) { return c >= 0xAC00 && c <= 0xD7A3; }

// Hangul syllables are U+AC00-U+D7A3: lead byte 0xEA-0xED (also used by a few other
// blocks, which the decoding below tells apart).
bool may_have_hangul(std::string_view term) {
  return std::any_of(term.begin(), term.end(), [](char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0xEA && byte <= 0xED;
  });
}

// Appends a word holding Hangul. A Korean word carries its particles and endings
// (권리에 "in rights", 인권운동가를): ICU keeps each space-separated word whole and has no
// Korean dictionary, so the noun alone would find nothing. Runs of Hangul syllables
// become overlapping syllable pairs, as Elasticsearch's cjk_bigram filter makes them
// (인권운동가를 → 인권 권운 운동 동가 가를; one syllable stays one term); other runs
// stay whole. Queries go through the same code: 인권 is the pair 인권, and a longer word a
// phrase of pairs. Each pair spans its two syllables of the source when the term has
// the source's bytes (composed Hangul), else the whole word.
void append_hangul_word(const std::string& term, std::string_view source, std::size_t begin, std::vector<Token>& out) {
  const std::size_t end = begin + source.size();
  // Offsets carry over only if the term is the source up to ASCII case: NFKC can lengthen
  // one character and shorten another ("ŉ인권ﬁ"), and offsets taken from the term would
  // then fall inside a character of the source.
  const bool same_bytes = term.size() == source.size() &&
                          std::equal(term.begin(), term.end(), source.begin(), [](char a, char b) {
                            return a == b || (b >= 'A' && b <= 'Z' && a == b - 'A' + 'a');
                          });
  const auto source_range = [&](std::size_t from, std::size_t to) {
    return same_bytes ? std::pair{begin + from, begin + to} : std::pair{begin, end};
  };
  const auto* bytes = reinterpret_cast<const uint8_t*>(term.data());
  const auto length = static_cast<int32_t>(term.size());
  std::vector<std::size_t> syllables;  // byte offsets of the current Hangul run's syllables
  std::size_t other_begin = 0;         // start of the current non-Hangul run
  const auto flush_syllables = [&](std::size_t run_end) {
    if (syllables.empty()) return;
    syllables.push_back(run_end);  // sentinel: where the last syllable ends
    const std::size_t pairs = syllables.size() == 2 ? 1 : syllables.size() - 2;
    for (std::size_t i = 0; i < pairs; ++i) {
      const std::size_t to = syllables[std::min(i + 2, syllables.size() - 1)];
      const auto [from_byte, to_byte] = source_range(syllables[i], to);
      append_term(term.substr(syllables[i], to - syllables[i]), from_byte, to_byte, out);
    }
    syllables.clear();
  };
  for (int32_t i = 0; i < length;) {
    const auto at = static_cast<std::size_t>(i);
    UChar32 c;
    U8_NEXT(bytes, i, length, c);
    if (is_hangul_syllable(c)) {
      if (syllables.empty() && other_begin < at) {
        const auto [from_byte, to_byte] = source_range(other_begin, at);
        append_term(term.substr(other_begin, at - other_begin), from_byte, to_byte, out);
      }
      syllables.push_back(at);
      other_begin = static_cast<std::size_t>(i);
    } else {
      flush_syllables(at);
    }
  }
  flush_syllables(term.size());
  if (other_begin < term.size()) {
    const auto [from_byte, to_byte] = source_range(other_begin, term.size());
    append_term(term.substr(other_begin), from_byte, to_byte, out);
  }
}

// Elided articles, pronouns and prepositions of French, Italian and Catalan ("l'",
// "qu'", "dell'"...): "l’éducation" is the word "éducation", which a reader searches for
// without its article (as Lucene's ElisionFilter does). Only these short forms: English
// "o'clock", "O'Brien" and "aujourd'hui" stay whole.
bool is_elided_article(std::string_view prefix) {
  static constexpr std::string_view kArticles[] = {
      "l", "d", "j", "m", "n", "s", "t", "c", "v", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu",
      "un", "gl", "all", "dall", "dell", "nell", "sull", "coll", "pell", "agl", "dagl", "degl", "negl", "sugl"};
  return std::find(std::begin(kArticles), std::end(kArticles), prefix) != std::end(kArticles);
}

// Bytes of the apostrophe ending an elided article at the start of `segment` (', ’ or ʼ
// after a few letters), or 0.
std::size_t elision_end(std::string_view segment) {
  for (std::size_t at = 1; at < segment.size() && at <= 7; ++at) {
    for (const std::string_view apostrophe : {"'", "\u2019", "\u02BC"}) {
      if (segment.compare(at, apostrophe.size(), apostrophe) == 0) return at + apostrophe.size();
    }
  }
  return 0;
}

// Whether utf8[at] starts a zero-width non-joiner, joiner or word joiner (U+200C, U+200D,
// U+2060) between two letters of a spaceless script. Fonts and keyboards put them inside
// Khmer, Thai, Lao and Burmese words, where they show nothing and normalisation drops
// them; but ICU's dictionary segmenter stops at them, and the words on either side came
// out one term (សកម្មជន‌សិទ្ធិមនុស្ស, "human rights activist", was found neither by
// សកម្មជន nor by សិទ្ធិមនុស្ស).
bool is_invisible_joiner_between_spaceless(std::string_view utf8, std::size_t at) {
  const std::string_view joiner = utf8.substr(at, 3);
  if (joiner != "\u200C" && joiner != "\u200D" && joiner != "\u2060") return false;
  // The letters of these scripts are 3 bytes long (U+0E00-U+19FF).
  const UChar32 before = at >= 3 ? three_byte_character(utf8, at - 3) : -1;
  const UChar32 after = three_byte_character(utf8, at + 3);
  return before >= 0 && after >= 0 && is_spaceless_script(before) && is_spaceless_script(after);
}

// The text as the word segmenter should read it. ICU's dictionaries hold Thai and Lao
// sara am (ำ, ຳ) and Lao ໝ, ໜ composed, and cut the decomposed spellings (ํ + า, as text
// copied from PDFs and some keyboards give it; ຫ + ມ, ຫ + ນ) into other pieces, so a word
// typed one way was never found written the other (การกระทํา, ສະເຫມີພາບ). Those are read
// composed. Khmer's subscript da and ta (្ដ, ្ត) and ឲ, ឱ are typed either way and also
// segment apart (សេចក្ដីថ្លៃថ្នូរ is one word, សេចក្តីថ្លៃថ្នូរ two): read as ta and ឱ, as
// normalize() folds them; so are Traditional Chinese characters, as Simplified (below).
// Invisible joiners inside those words are read as nothing (above).
// Documents and queries both go through here.
struct SegmenterText {
  bool rewritten = false;
  std::string text;
  /// Offsets in `text` just after each composition, which made 6 bytes 3.
  std::vector<std::size_t> shortened_before;

  std::size_t original_offset(std::size_t offset) const {
    if (!rewritten) return offset;
    const auto shortened = std::upper_bound(shortened_before.begin(), shortened_before.end(), offset) -
                           shortened_before.begin();
    return offset + 3 * static_cast<std::size_t>(shortened);
  }
};

SegmenterText segmenter_spelling(std::string_view original) {
  // Marks typed out of order (mark_order.cpp) are read in order, as normalize() puts them
  // (the dictionary knows ស្ត្រី, and cut ស្រ្តី apart); the length stays, offsets too.
  std::string in_order;
  std::string_view utf8 = original;
  if (may_have_marks_out_of_order(original)) {
    in_order.assign(original);
    if (put_marks_in_order(in_order)) utf8 = in_order;
  }
  // Sequences of 3-byte characters and what each becomes; Khmer's keep their length.
  struct Rewrite {
    std::string_view from;
    std::string_view to;
  };
  static constexpr Rewrite kRewrites[] = {
      {"\u0E4D\u0E32", "\u0E33"},  // Thai nikhahit + sara aa → sara am
      {"\u0ECD\u0EB2", "\u0EB3"},  // Lao niggahita + aa → am
      {"\u0EAB\u0EA1", "\u0EDD"},  // Lao ຫ + ມ → ໝ
      {"\u0EAB\u0E99", "\u0EDC"},  // Lao ຫ + ນ → ໜ
      {"\u17D2\u178A", "\u17D2\u178F"},  // Khmer coeng da → coeng ta
      {"\u17B2", "\u17B1"},  // Khmer ឲ → ឱ
      // Vowels typed as two (see vowel_typed_as_two).
      {"\u0E40\u0E40", "\u0E41"},  // Thai sara e typed twice → sara ae
      {"\u0EC0\u0EC0", "\u0EC1"},  // Lao e typed twice → ae
      {"\u17C1\u17B6", "\u17C4"},  // Khmer េ + ា → ោ
      {"\u17C1\u17B8", "\u17BE"},  // Khmer េ + ី → ើ
  };
  SegmenterText out;
  // Thai and Lao are U+0E00-U+0EFF (lead bytes E0 B8-BB), Khmer U+1780-U+17FF (E1 9E-9F):
  // other text is read as it is, after a byte scan.
  const auto may_rewrite = [&](std::size_t at) {  // at + 2 < utf8.size()
    const auto lead = static_cast<unsigned char>(utf8[at]);
    const auto second = static_cast<unsigned char>(utf8[at + 1]);
    return (lead == 0xE0 && second >= 0xB8 && second <= 0xBB) || (lead == 0xE1 && (second == 0x9E || second == 0x9F));
  };
  std::size_t copied = 0;
  const auto replace = [&](std::size_t at, std::size_t length, std::string_view with) {
    if (!out.rewritten) {
      out.rewritten = true;
      out.text.reserve(utf8.size());
    }
    out.text.append(utf8.substr(copied, at - copied));
    out.text.append(with);
    if (with.size() < length) out.shortened_before.push_back(out.text.size());
    copied = at + length;
  };
  // Traditional Chinese is read as Simplified (the index folds it so), or a word would be
  // cut apart in one and not the other (聯合國大會 was one word, 联合国大会 three); only
  // in the Basic Multilingual Plane (the rare characters beyond it keep their spelling here,
  // and are folded in the words all the same).
  for (std::size_t at = 0; at + 2 < utf8.size(); ++at) {
    if (static_cast<unsigned char>(utf8[at]) == 0xE2 && is_invisible_joiner_between_spaceless(utf8, at)) {
      replace(at, 3, {});
      at += 2;
      continue;
    }
    if (starts_han_character(utf8, at)) {
      const auto byte = [&](std::size_t i) { return static_cast<UChar32>(static_cast<unsigned char>(utf8[at + i]) & 0x3F); };
      const UChar32 c = ((static_cast<unsigned char>(utf8[at]) & 0x0F) << 12) | (byte(1) << 6) | byte(2);
      if (const UChar32 simplified = simplified_han(c); simplified >= 0x0800 && simplified <= 0xFFFF) {
        const char encoded[3] = {static_cast<char>(0xE0 | (simplified >> 12)),
                                 static_cast<char>(0x80 | ((simplified >> 6) & 0x3F)),
                                 static_cast<char>(0x80 | (simplified & 0x3F))};
        replace(at, 3, std::string_view(encoded, 3));
      }
      at += 2;
      continue;
    }
    if (!may_rewrite(at)) continue;
    for (const Rewrite& rewrite : kRewrites) {
      if (utf8.compare(at, rewrite.from.size(), rewrite.from) != 0) continue;
      replace(at, rewrite.from.size(), rewrite.to);
      at += rewrite.from.size() - 1;
      break;
    }
  }
  if (out.rewritten) {
    out.text.append(utf8.substr(copied));
  } else if (utf8.data() == in_order.data()) {
    out.rewritten = true;
    out.text = std::move(in_order);
  }
  return out;
}

}  // namespace

std::string normalize(std::string_view utf8) {
  // Fast path: for pure ASCII, NFKC + case folding is exactly ASCII lower-casing. Most
  // words of most corpora take this path, skipping two UTF-16 conversions.
  if (is_ascii(utf8)) {
    std::string lowered(utf8);
    for (auto& c : lowered) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return lowered;
  }
  std::string in_order;
  if (may_have_marks_out_of_order(utf8)) {
    in_order.assign(utf8);
    if (put_marks_in_order(in_order)) utf8 = in_order;
  }
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString text = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  // Typographic apostrophes are not touched by NFKC; fold them so "Women’s" == "Women's".
  // The turned comma ʻ (U+02BB) is the Uzbek oʻ and gʻ and the Hawaiian ʻokina, and ‘
  // (U+2018) is typed for both: "bo'lgan" finds "boʻlgan", "ʻāina" finds "‘āina".
  for (const UChar32 apostrophe : {0x2019, 0x02BC, 0x02BB, 0x2018}) {
    text.findAndReplace(icu::UnicodeString(apostrophe), icu::UnicodeString("'"));
  }
  // A vowel typed as two that look the same (เเ for แ, េ + ា for ោ) is the one vowel.
  for (int32_t i = 0; i + 1 < text.length(); ++i) {
    if (const int32_t one = vowel_typed_as_two(text.charAt(i), text.charAt(i + 1))) {
      text.replace(i, 2, static_cast<UChar>(one));
    }
  }
  drop_iota_subscripts(text);
  compose_malayalam_chillus(text);
  const icu::UnicodeString folded = nfkc_casefold().normalize(text, status);
  if (U_FAILURE(status)) {
    throw std::runtime_error(std::string("ICU normalisation failed: ") + u_errorName(status));
  }
  icu::UnicodeString word = fold_script_variants(folded);
  place_vietnamese_tone(word);
  std::string out;
  word.toUTF8String(out);
  return out;
}

bool is_hangul_syllable_pair(std::string_view term) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(term.data());
  const auto length = static_cast<int32_t>(term.size());
  int32_t at = 0;
  for (int syllable = 0; syllable < 2; ++syllable) {
    if (at >= length) return false;
    UChar32 c;
    U8_NEXT(bytes, at, length, c);
    if (!is_hangul_syllable(c)) return false;
  }
  return at == length;
}


TextAnalyzer::TextAnalyzer() {
  UErrorCode status = U_ZERO_ERROR;
  // The root locale's word rules include the dictionaries for Khmer, Thai, Lao, Burmese,
  // Chinese and Japanese; a language-specific locale would not add anything here.
  words_.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
  if (U_FAILURE(status) || !words_) {
    throw std::runtime_error(std::string("ICU word break iterator unavailable: ") +
                             u_errorName(status));
  }
}

TextAnalyzer::~TextAnalyzer() = default;

std::vector<Token> TextAnalyzer::tokenize(std::string_view utf8) {
  std::vector<Token> tokens;
  if (utf8.empty()) return tokens;
  UErrorCode status = U_ZERO_ERROR;
  // What the segmenter reads: `utf8`, or a copy with the spellings it segments apart made
  // one (segmenter_spelling); offsets are mapped back to `utf8`.
  const SegmenterText segmented = segmenter_spelling(utf8);
  const std::string_view read = segmented.rewritten ? std::string_view(segmented.text) : utf8;
  // UTF-8 UText: the iterator's indexes are byte offsets into `read`, mapped to `utf8`,
  // which is what snippets and highlighting need.
  UText* text = utext_openUTF8(nullptr, read.data(), static_cast<int64_t>(read.size()), &status);
  if (U_FAILURE(status)) {
    throw std::runtime_error(std::string("ICU utext_openUTF8 failed: ") + u_errorName(status));
  }
  words_->setText(text, status);
  if (U_FAILURE(status)) {
    utext_close(text);
    throw std::runtime_error(std::string("ICU setText failed: ") + u_errorName(status));
  }
  const auto add_one_word = [&](std::size_t begin, std::size_t end, int32_t rule_status) {
    const auto segment = utf8.substr(begin, end - begin);
    if (!is_word_segment(segment, rule_status)) return;
    std::string term = normalized(segment);
    // An apostrophe at a word's edge is a letter's (ʻ is one) only in the text, never as
    // typed: ICU leaves ' and ‘ out of a word there, so "ʻāina" is read "āina" like them.
    const auto kept_begin = term.find_first_not_of('\'');
    if (kept_begin == std::string::npos) return;
    term = term.substr(kept_begin, term.find_last_not_of('\'') + 1 - kept_begin);
    std::size_t term_begin = static_cast<std::size_t>(begin);
    const auto apostrophe = term.find('\'');
    if (apostrophe != std::string::npos && apostrophe + 1 < term.size() && term[apostrophe + 1] != '\'' &&
        is_elided_article(std::string_view(term).substr(0, apostrophe))) {
      if (const std::size_t skip = elision_end(segment); skip > 0) {
        term.erase(0, apostrophe + 1);
        term_begin += skip;
      }
    }
    if (may_have_hangul(term)) {
      append_hangul_word(term, utf8.substr(term_begin, end - term_begin), term_begin, tokens);
    } else {
      append_term(std::move(term), term_begin, end, tokens);
    }
  };
  const auto add_word = [&](std::size_t begin, std::size_t end, int32_t rule_status) {
    std::size_t piece = begin;
    for (const std::size_t boundary : number_boundaries(utf8.substr(begin, end - begin))) {
      add_one_word(piece, begin + boundary, rule_status);
      piece = begin + boundary;
    }
    add_one_word(piece, end, rule_status);
  };
  // U+202F NARROW NO-BREAK SPACE joins words in ICU's rules (Unicode gives it the class
  // of "_", for Mongolian, which writes it before a suffix), but normalisation makes it a
  // space and a query splits there: a term holding it could never be searched. So it
  // separates words, as a query reads it: French "«\u202Fliberté\u202F»" and "premier\u202F:"
  // are "liberté" and "premier", Mongolian "ᠳᠡᠭᠦᠦ\u202Fᠢᠨ" is two words, side by side.
  constexpr std::string_view kNarrowNoBreakSpace = "\u202F";
  int32_t begin = words_->first();
  for (int32_t end = words_->next(); end != icu::BreakIterator::DONE;
       begin = end, end = words_->next()) {
    const int32_t rule_status = words_->getRuleStatus();
    auto piece_begin = segmented.original_offset(static_cast<std::size_t>(begin));
    const auto segment_end = segmented.original_offset(static_cast<std::size_t>(end));
    for (std::size_t space = utf8.substr(0, segment_end).find(kNarrowNoBreakSpace, piece_begin);
         space != std::string_view::npos; space = utf8.substr(0, segment_end).find(kNarrowNoBreakSpace, piece_begin)) {
      if (space > piece_begin) add_word(piece_begin, space, rule_status);
      piece_begin = space + kNarrowNoBreakSpace.size();
    }
    if (piece_begin < segment_end) add_word(piece_begin, segment_end, rule_status);
  }
  // Detach before closing: the iterator must not keep a dangling UText.
  words_->setText(icu::UnicodeString());
  utext_close(text);
  return tokens;
}

std::string TextAnalyzer::normalized(std::string_view segment) {
  if (is_ascii(segment)) return normalize(segment);  // its own fast path is as cheap as a lookup
  return remembered(normalized_memo_, kNormalizedMemoEntries, std::string(segment), normalize);
}

std::string TextAnalyzer::unaccented(const std::string& term) {
  if (!may_have_latin_diacritics(term)) return term;
  return remembered(unaccented_memo_, kNormalizedMemoEntries, term,
                    [](const std::string& word) { return without_latin_diacritics(word); });
}

bool TextAnalyzer::has_stemmer(const std::string& lang) {
  if (lang.empty()) return false;
  try {
    Xapian::Stem stemmer(lang);
    return !stemmer.is_none();
  } catch (const Xapian::InvalidArgumentError&) {
    return false;
  }
}

std::string TextAnalyzer::stem(const std::string& term, const std::string& lang) {
  auto found = stemmers_.find(lang);
  if (found == stemmers_.end()) {
    LanguageStemmer language;  // stemmer "none" unless Xapian knows the language
    if (has_stemmer(lang)) language.stemmer = Xapian::Stem(lang);
    found = stemmers_.emplace(lang, std::move(language)).first;
  }
  LanguageStemmer& language = found->second;
  if (language.stemmer.is_none()) return {};
  if (lang != "tr") {
    return remembered(language.memo, kStemMemoEntries, term,
                      [&language](const std::string& word) { return language.stemmer(word); });
  }
  // Turkish writes a proper name's suffixes after an apostrophe ("Ankara'da", "Türkiye'nin"):
  // the name is the stem, as Lucene's Turkish analyser (ApostropheFilter) makes it.
  const auto apostrophe = term.find('\'');
  if (apostrophe != std::string::npos && apostrophe > 0) return stem(term.substr(0, apostrophe), lang);
  // Case folding makes Turkish I (the capital of ı) an i: DİYARBAKIR and ILISU come out
  // "diyarbakir" and "ilisu". Stems fold ı to i too, so that "Diyarbakır" and "ılısu" meet
  // them, as Google does.
  std::string stemmed = remembered(language.memo, kStemMemoEntries, term,
                                   [&language](const std::string& word) { return language.stemmer(word); });
  for (auto at = stemmed.find("\u0131"); at != std::string::npos; at = stemmed.find("\u0131", at)) {
    stemmed.replace(at, 2, "i");
  }
  return stemmed;
}

}  // namespace rights
