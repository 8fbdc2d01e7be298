#include "rights/snippets.h"

#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <limits>
#include <optional>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace rights {

namespace {

constexpr std::string_view kEllipsis = "\u2026";
constexpr std::string_view kMarkOpen = "<mark>";
constexpr std::string_view kMarkClose = "</mark>";
// Text before the first word / after the last one (an opening quote, a final full stop) is
// kept when it is this short, rather than replaced by an ellipsis.
constexpr std::size_t kEdgeSlackBytes = 16;
// At most this much context before the first match of a snippet window.
constexpr std::size_t kMaxLeadingContextBytes = 100;
// A window is cut inside a word only when that single word is longer than this.
constexpr std::size_t kMaxSingleWordBytes = 600;
// Texts longer than this are analysed in windows around likely matches (see make_snippet).
constexpr std::size_t kWindowedAnalysisAboveBytes = 4096;
constexpr int kMaxSnippetWindows = 8;

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

void append_escaped(std::string& out, std::string_view text, bool collapse_spaces) {
  bool previous_space = false;
  for (const char c : text) {
    if (collapse_spaces && is_ascii_space(c)) {
      if (!previous_space) out += ' ';
      previous_space = true;
      continue;
    }
    previous_space = false;
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
}

// Decides whether a normalised word is one the query asked for; remembers each decision
// because a text repeats its words and stemming is the expensive part.
class WordMatcher {
 public:
  static constexpr int kNone = -1;

  WordMatcher(const HighlightTerms& terms, TextAnalyzer& analyzer) : analyzer_(analyzer), prefixes_(terms.prefixes) {
    for (std::size_t i = 0; i < terms.words.size(); ++i) words_.emplace(terms.words[i], static_cast<int>(i));
    for (const auto& language : terms.stem_languages) {
      if (!TextAnalyzer::has_stemmer(language)) continue;
      std::unordered_map<std::string, int> stems;
      for (std::size_t i = 0; i < terms.words.size(); ++i) {
        const std::string stem = analyzer_.stem(terms.words[i], language);
        if (stem.empty()) continue;
        stems.emplace(stem, static_cast<int>(i));
        // word_query also searches the stem as a word of this language, and stemming a
        // stem may change it (universales -> universal -> univers): a text word that is
        // the stem itself matches without stemming.
        stem_words_.emplace(stem, static_cast<int>(i));
      }
      stems_by_language_.emplace_back(language, std::move(stems));
    }
  }

  /// Which query word `term` matches (its index in words, then prefixes after them), or
  /// kNone: "rights" and "right" are the same word of the query "rights".
  int which(const std::string& term) {
    const auto known = decisions_.find(term);
    if (known != decisions_.end()) return known->second;
    const int decision = decide(term);
    decisions_.emplace(term, decision);
    return decision;
  }

 private:
  int decide(const std::string& term) {
    if (const auto word = words_.find(term); word != words_.end()) return word->second;
    if (const auto word = stem_words_.find(term); word != stem_words_.end()) return word->second;
    // As indexed: "déclaration" in the text is also "declaration" (document_builder.cpp).
    const std::string plain = analyzer_.unaccented(term);
    if (plain != term) {
      if (const int word = decide(plain); word != kNone) return word;
    }
    for (std::size_t i = 0; i < prefixes_.size(); ++i) {
      if (term.compare(0, prefixes_[i].size(), prefixes_[i]) == 0) return static_cast<int>(words_.size() + i);
    }
    for (const auto& [language, stems] : stems_by_language_) {
      if (stems.empty()) continue;
      const std::string stem = analyzer_.stem(term, language);
      if (stem.empty()) continue;
      if (const auto found = stems.find(stem); found != stems.end()) return found->second;
    }
    return kNone;
  }

  TextAnalyzer& analyzer_;
  std::unordered_map<std::string, int> words_;
  std::unordered_map<std::string, int> stem_words_;  ///< stems of words, in stem_languages
  std::vector<std::string> prefixes_;
  std::vector<std::pair<std::string, std::unordered_map<std::string, int>>> stems_by_language_;
  std::unordered_map<std::string, int> decisions_;
};

// A word of the text: its byte range and whether to mark it. Over-long words that the
// analyzer split into several terms share one range and become one span here.
struct Span {
  std::size_t begin, end;
  bool matched;
  std::string term;  ///< the analyzer's term (its first piece for an over-long word)
  int query_word = WordMatcher::kNone;  ///< which query word it matches (WordMatcher::which)
};

// "kheng’s" for "kheng": a possessive stays one word ("Sar Kheng’s post"); a name's last
// word may carry it.
bool is_possessive_of(std::string_view term, std::string_view word) {
  if (term.size() <= word.size() || term.compare(0, word.size(), word) != 0) return false;
  const std::string_view suffix = term.substr(word.size());
  return suffix == "'s" || suffix == "\u2019s";
}

// Query word numbers of phrases and names, above any WordMatcher index.
constexpr int kFirstPhraseWord = 1 << 19;
constexpr int kFirstNameWord = 1 << 20;

// Marks every place where one of `sequences` stands word for word; each sequence counts as
// one query word, numbered from `first_word`. A map from a sequence's first word keeps it
// one lookup per span, also for long documents and many aliases. With `possessive_ends`,
// the last word may carry a possessive (a name: "Sar Kheng’s post").
void mark_sequences(std::vector<Span>& spans, const std::vector<std::vector<std::string>>& sequences,
                    int first_word, bool possessive_ends) {
  if (sequences.empty()) return;
  std::unordered_map<std::string_view, std::vector<std::size_t>> by_first_word;
  for (std::size_t n = 0; n < sequences.size(); ++n) {
    if (!sequences[n].empty()) by_first_word[sequences[n].front()].push_back(n);
  }
  for (std::size_t at = 0; at < spans.size(); ++at) {
    const auto found = by_first_word.find(spans[at].term);
    if (found == by_first_word.end()) continue;
    for (const std::size_t n : found->second) {
      const auto& sequence = sequences[n];
      if (at + sequence.size() > spans.size()) continue;
      std::size_t k = 1;
      while (k < sequence.size() &&
             (spans[at + k].term == sequence[k] ||
              (possessive_ends && k + 1 == sequence.size() && is_possessive_of(spans[at + k].term, sequence[k])))) {
        ++k;
      }
      if (k < sequence.size()) continue;
      for (k = 0; k < sequence.size(); ++k) {
        spans[at + k].matched = true;
        spans[at + k].query_word = first_word + static_cast<int>(n);
      }
      break;
    }
  }
}

// Spans of the words of text[from, to), with offsets into the whole text.
std::vector<Span> word_spans(std::string_view text, const HighlightTerms& terms,
                             TextAnalyzer& analyzer, WordMatcher& matcher, std::size_t from = 0,
                             std::size_t to = std::string_view::npos) {
  std::vector<Span> spans;
  const std::string_view range = text.substr(from, to == std::string_view::npos ? to : to - from);
  if (range.empty()) return spans;
  for (auto& token : analyzer.tokenize(range)) {
    const int query_word = terms.empty() ? WordMatcher::kNone : matcher.which(token.term);
    const bool matched = query_word != WordMatcher::kNone;
    if (!spans.empty() && spans.back().begin == from + token.begin) {
      spans.back().matched = spans.back().matched || matched;
      if (matched) spans.back().query_word = query_word;
    } else {
      spans.push_back({from + token.begin, from + token.end, matched, std::move(token.term), query_word});
    }
  }
  // Phrase words are marked only where the phrase stands (as OP_PHRASE matched them), and
  // WordMatcher does not know them, so a phrase word is no match on its own.
  mark_sequences(spans, terms.phrases, kFirstPhraseWord, false);
  mark_sequences(spans, terms.names, kFirstNameWord, true);
  return spans;
}

// Index of the first span where a phrase or name stands (as mark_sequences marked it), and
// its length in spans; {npos, 0} when none does.
std::pair<std::size_t, std::size_t> find_phrase(const std::vector<Span>& spans, const HighlightTerms& terms) {
  for (std::size_t at = 0; at < spans.size(); ++at) {
    const int word = spans[at].query_word;
    if (word >= kFirstNameWord) return {at, terms.names[static_cast<std::size_t>(word - kFirstNameWord)].size()};
    if (word >= kFirstPhraseWord) {
      return {at, terms.phrases[static_cast<std::size_t>(word - kFirstPhraseWord)].size()};
    }
  }
  return {std::string_view::npos, 0};
}

// How many different query words are marked in spans[first, last].
std::size_t distinct_matches(const std::vector<Span>& spans, std::size_t first, std::size_t last) {
  std::unordered_set<int> seen;
  for (std::size_t i = first; i <= last && i < spans.size(); ++i) {
    if (spans[i].matched) seen.insert(spans[i].query_word);
  }
  return seen.size();
}

// The phrases and names written out, as needles: without spaces (Khmer, Thai, CJK) and
// with them.
std::vector<std::string> phrase_needles(const HighlightTerms& terms) {
  std::vector<std::string> needles;
  std::vector<std::vector<std::string>> sequences = terms.phrases;
  sequences.insert(sequences.end(), terms.names.begin(), terms.names.end());
  for (const auto& phrase : sequences) {
    std::string joined, spaced;
    for (const auto& word : phrase) {
      joined += word;
      spaced += (spaced.empty() ? "" : " ") + word;
    }
    needles.push_back(joined);
    needles.push_back(spaced);
  }
  return needles;
}

std::vector<Span> word_spans(std::string_view text, const HighlightTerms& terms,
                             TextAnalyzer& analyzer) {
  WordMatcher matcher(terms, analyzer);
  return word_spans(text, terms, analyzer, matcher);
}

std::size_t to_char_boundary(std::string_view text, std::size_t offset) {
  while (offset < text.size() && (static_cast<unsigned char>(text[offset]) & 0xC0U) == 0x80U) --offset;
  return offset;
}

// Moves `offset` back to just after a space (at most 64 bytes), so a window does not start
// or end inside a word; in scripts without spaces a character boundary has to do.
std::size_t to_word_boundary(std::string_view text, std::size_t offset) {
  offset = to_char_boundary(text, std::min(offset, text.size()));
  for (std::size_t back = 0; back < 64 && offset - back > 0; ++back) {
    if (is_ascii_space(text[offset - back - 1])) return offset - back;
  }
  return offset;
}

// Byte strings that every match of the query must contain, lower-cased: each word cut to
// what it shares with its stems ("rights" -> "right"), and each wildcard prefix.
std::vector<std::string> match_needles(const HighlightTerms& terms, TextAnalyzer& analyzer) {
  std::vector<std::string> needles = terms.prefixes;
  for (const auto& word : terms.words) {
    std::size_t shared = word.size();
    for (const auto& language : terms.stem_languages) {
      const std::string stem = analyzer.stem(word, language);
      if (stem.empty()) continue;
      std::size_t common = 0;
      while (common < std::min(shared, stem.size()) && word[common] == stem[common]) ++common;
      shared = common;
    }
    needles.push_back(word.substr(0, to_char_boundary(word, shared)));
  }
  needles.erase(std::remove_if(needles.begin(), needles.end(),
                               [](const std::string& n) { return n.size() < 2; }),
                needles.end());
  return needles;
}

// A text as needles are looked for in it: ASCII lower-cased, other code points case-folded
// one by one, combining accents dropped and Latin letters without diacritics, so that the
// needle "declaration" (typed without its accent) is found in "Déclaration" and "право" in
// "Право". Needles are folded the same way. The window analysis then decides what
// really matches, so a fold that finds too much only costs a window.
class FoldedText {
 public:
  enum Fold { ascii_only, everything };

  FoldedText(std::string_view text, TextAnalyzer& analyzer, Fold fold) : fold_(fold) {
    // ASCII lower-casing in place, the whole job for ASCII texts and for ascii_only.
    folded_.assign(text);
    for (auto& c : folded_) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (static_cast<unsigned char>(c) >= 0x80) ascii_ = false;
    }
    if (ascii_ || fold == ascii_only) return;
    same_offsets_ = false;
    folded_.clear();
    origin_.reserve(text.size());
    // Khmer, Thai, Lao and Burmese clusters typed out of order are read in order, as
    // normalize() has the words.
    std::string in_order;
    std::vector<MovedRun> moved;
    if (may_have_marks_out_of_order(text)) {
      in_order.assign(text);
      if (put_marks_in_order(in_order, &moved)) text = in_order;
    }
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
    const auto length = static_cast<std::int32_t>(text.size());
    UChar32 previous = 0;  // the character before, for the folds that depend on it
    for (std::int32_t at = 0; at < length;) {
      const std::int32_t begin = at;
      if (bytes[at] < 0x80) {
        previous = bytes[at];
        const char c = text[static_cast<std::size_t>(at++)];
        append(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c, begin);
        continue;
      }
      UChar32 c = 0;
      U8_NEXT(bytes, at, length, c);
      const std::string_view original = text.substr(static_cast<std::size_t>(begin),
                                                    static_cast<std::size_t>(at - begin));
      if (c >= 0x0300 && c <= 0x036F) continue;  // a combining accent of decomposed text
      // NFKC case folding deletes default-ignorables (the ZWNJ inside Persian words, soft
      // hyphens), so the index words have none: "بین‌المللی" is searched as بينالمللي.
      if (c >= 0 && u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) continue;
      // A vowel typed as two (เเ, េ + ា) is the one vowel, as normalize() reads it.
      if (c >= 0 && at < length) {
        std::int32_t after = at;
        UChar32 next = 0;
        U8_NEXT(bytes, after, length, next);
        if (const UChar32 one = vowel_typed_as_two(c, next)) {
          append_utf8(folded_, one);
          while (origin_.size() < folded_.size()) origin_.push_back(static_cast<std::uint32_t>(begin));
          at = after;
          previous = one;
          continue;
        }
      }
      // Thai ำ is indexed as ํ + า, full-width Ａ as a...: as normalize() has them, or a
      // needle holding them ("ดำเนิน") is never found in the text.
      if (const std::string compatible = compatibility_folded(c); !compatible.empty()) {
        for (const char byte : compatible) append(byte, begin);
        continue;
      }
      // Case, then the script folds of the index (Greek accents, Hebrew points, Arabic
      // harakat and alef variants, ё), so "φυλακεσ" is found in "φυλακές".
      const UChar32 folded =
          c < 0 ? c : fold_script_character_after(previous, u_foldCase(c, U_FOLD_CASE_DEFAULT));
      previous = c;
      if (folded < 0 && c >= 0) continue;
      // Invalid bytes are kept as they are. Most characters of most scripts (Khmer, Thai,
      // CJK, Arabic) fold to themselves.
      if (c < 0 || (folded == c && !may_have_latin_diacritics(original))) {
        for (const char byte : original) append(byte, begin);
        continue;
      }
      std::string piece;
      append_utf8(piece, folded);
      for (const char byte : analyzer.unaccented(piece)) append(byte, begin);
    }
    map_moved_runs(moved);
  }

  const std::string& folded() const { return folded_; }
  bool is_ascii() const { return ascii_; }
  Fold fold() const { return fold_; }
  /// Offset in the original text of the character that gave folded()[at].
  std::size_t text_offset(std::size_t at) const { return same_offsets_ ? at : origin_[at]; }

 private:
  // Offsets inside a run put_marks_in_order moved are the run's start, except its last
  // character's (the same in both orders), so a match ending there ends where it does.
  void map_moved_runs(const std::vector<MovedRun>& moved) {
    auto run = moved.begin();
    for (auto& offset : origin_) {
      while (run != moved.end() && offset >= run->begin + run->length) ++run;
      if (run == moved.end()) return;
      if (offset < run->begin) continue;
      const std::size_t last_character = run->begin + run->length - 3;
      offset = static_cast<std::uint32_t>(offset >= last_character ? last_character : run->begin);
    }
  }

  void append(char byte, std::int32_t text_offset) {
    folded_.push_back(byte);
    origin_.push_back(static_cast<std::uint32_t>(text_offset));
  }

  static void append_utf8(std::string& out, UChar32 c) {
    std::uint8_t bytes[U8_MAX_LENGTH];
    std::int32_t length = 0;
    UBool error = false;
    U8_APPEND(bytes, length, U8_MAX_LENGTH, c, error);
    if (!error) out.append(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(length));
  }

  std::string folded_;
  Fold fold_;
  bool ascii_ = true;
  bool same_offsets_ = true;           ///< ASCII lower-casing only: offsets are text offsets
  std::vector<std::uint32_t> origin_;  ///< otherwise the text offset of each folded byte
};

// Text offsets where a needle, folded like `text`, occurs: at most 64, the rarest needle's
// first, each needle's in text order. A window holding every query word holds the rarest
// one, so its occurrences are the windows worth analysing first ("education droit" in a
// text saying "droit" a hundred times before "éducation").
std::vector<std::size_t> needle_offsets(const FoldedText& text, const std::vector<std::string>& needles,
                                        TextAnalyzer& analyzer) {
  constexpr std::size_t kMaxOffsets = 64;
  std::vector<std::vector<std::size_t>> per_needle;
  const std::string& haystack = text.folded();
  for (const auto& needle : needles) {
    const std::string folded = FoldedText(needle, analyzer, text.fold()).folded();
    if (folded.size() < 2) continue;
    std::vector<std::size_t> found;
    for (auto at = haystack.find(folded); at != std::string::npos && found.size() < kMaxOffsets;
         at = haystack.find(folded, at + folded.size())) {
      found.push_back(text.text_offset(at));
    }
    if (!found.empty()) per_needle.push_back(std::move(found));
  }
  std::stable_sort(per_needle.begin(), per_needle.end(),
                   [](const auto& a, const auto& b) { return a.size() < b.size(); });
  std::vector<std::size_t> offsets;
  for (const auto& found : per_needle) {
    for (const std::size_t at : found) {
      if (offsets.size() == kMaxOffsets) return offsets;
      offsets.push_back(at);
    }
  }
  return offsets;
}

// Escapes text[begin, end), wrapping the matched spans inside it in <mark>. Spans that
// touch or overlap share one mark: Korean syllable pairs overlap (인권, 권운), and
// Chinese words matched side by side (维权 律师) read as one marked phrase. So do matched
// words with only spaces between them: "Sar Kheng" is one mark, and one match for the
// document view's "Next match", not two.
std::string render(std::string_view text, const std::vector<Span>& spans, std::size_t begin,
                   std::size_t end, bool collapse_spaces) {
  std::string out;
  out.reserve(end - begin + 64);
  std::size_t cursor = begin;
  bool mark_ends_at_cursor = false;
  for (const auto& span : spans) {
    if (!span.matched || span.begin < begin || span.end > end || span.end <= cursor) continue;
    const bool spaces_between = span.begin > cursor && mark_ends_at_cursor &&
                                text.substr(cursor, span.begin - cursor).find_first_not_of(" \t") == std::string_view::npos;
    if ((span.begin <= cursor || spaces_between) && mark_ends_at_cursor) {
      out.resize(out.size() - kMarkClose.size());  // reopen the mark just closed
      if (spaces_between) {
        append_escaped(out, text.substr(cursor, span.begin - cursor), collapse_spaces);
        cursor = span.begin;
      }
    } else if (span.begin < cursor) {
      continue;  // overlaps unmarked text already written
    } else {
      append_escaped(out, text.substr(cursor, span.begin - cursor), collapse_spaces);
      out += kMarkOpen;
      cursor = span.begin;
    }
    append_escaped(out, text.substr(cursor, span.end - cursor), collapse_spaces);
    out += kMarkClose;
    cursor = span.end;
    mark_ends_at_cursor = true;
  }
  append_escaped(out, text.substr(cursor, end - cursor), collapse_spaces);
  return out;
}

// Index range [first, last] of the spans holding the most matches within max_bytes; every
// best window can be shrunk to start and end on a match, so only those are tried.
std::pair<std::size_t, std::size_t> densest_window(const std::vector<Span>& spans,
                                                   std::size_t max_bytes) {
  std::vector<std::size_t> matches;
  for (std::size_t i = 0; i < spans.size(); ++i) {
    if (spans[i].matched) matches.push_back(i);
  }
  // The window showing the most different query words, then the most matches: five of a
  // frequent word (Thai "สิทธิ", 15 bytes) must not hide the rare word beside one of them.
  std::unordered_map<int, std::size_t> words_in_window;  // query word -> its matches inside
  std::size_t best_first = matches.front(), best_last = matches.front(), best_words = 0, best_count = 0;
  std::size_t next = 0;  // matches[next] is the first match not in the window yet
  for (std::size_t first = 0; first < matches.size(); ++first) {
    while (next < matches.size() &&
           (next == first || spans[matches[next]].end - spans[matches[first]].begin <= max_bytes)) {
      ++words_in_window[spans[matches[next]].query_word];
      ++next;
    }
    const std::size_t count = next - first;
    if (words_in_window.size() > best_words || (words_in_window.size() == best_words && count > best_count)) {
      best_words = words_in_window.size();
      best_count = count;
      best_first = matches[first];
      best_last = matches[next - 1];
    }
    const auto leaving = words_in_window.find(spans[matches[first]].query_word);
    if (--leaving->second == 0) words_in_window.erase(leaving);
  }
  return {best_first, best_last};
}

// Grows [first, last] with context: some before the first match, the rest after.
std::pair<std::size_t, std::size_t> add_context(const std::vector<Span>& spans, std::size_t first,
                                                std::size_t last, std::size_t max_bytes,
                                                bool more_text_after = false) {
  const std::size_t used = spans[last].end - spans[first].begin;
  const std::size_t spare = used < max_bytes ? max_bytes - used : 0;
  const std::size_t lead = std::min(spare / 2, kMaxLeadingContextBytes);
  const std::size_t anchor = spans[first].begin;
  // used + lead <= max_bytes, so leading words within `lead` always fit.
  while (first > 0 && anchor - spans[first - 1].begin <= lead) --first;
  while (last + 1 < spans.size() && spans[last + 1].end - spans[first].begin <= max_bytes) ++last;
  // At the end of the text: give the unused budget back to the leading context.
  if (last + 1 == spans.size() && !more_text_after) {
    while (first > 0 && spans[last].end - spans[first - 1].begin <= max_bytes) --first;
  }
  return {first, last};
}

std::string cut_and_render(std::string_view text, const std::vector<Span>& spans,
                           std::size_t first, std::size_t last) {
  std::size_t begin = spans[first].begin;
  // spans[0] may not be the text's first word (windowed analysis): the byte test covers it.
  const bool cut_before = !(first == 0 && begin <= kEdgeSlackBytes);
  if (!cut_before) {
    begin = 0;
    while (begin < spans[first].begin && is_ascii_space(text[begin])) ++begin;
  }
  std::size_t end = spans[last].end;
  bool cut_after = !(last + 1 == spans.size() && text.size() - end <= kEdgeSlackBytes);  // ditto
  if (!cut_after) {
    end = text.size();
    while (end > spans[last].end && is_ascii_space(text[end - 1])) --end;
  } else {
    // Keep punctuation glued to the last word ("impunity." rather than "impunity…").
    while (end < text.size() && end - spans[last].end < 4 &&
           (last + 1 == spans.size() || end < spans[last + 1].begin) &&
           static_cast<unsigned char>(text[end]) < 0x80 && !is_ascii_space(text[end]) &&
           std::ispunct(static_cast<unsigned char>(text[end])) != 0) {
      ++end;
    }
  }
  if (end - begin > 2 * kMaxSingleWordBytes) {
    // One giant "word" (a base64 blob): show its start only.
    end = begin + kMaxSingleWordBytes;
    while ((static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) --end;
    cut_after = true;
  }
  std::string out;
  if (cut_before) out += kEllipsis;
  out += render(text, spans, begin, end, true);
  if (cut_after) out += kEllipsis;
  return out;
}

// A snippet chosen among windows of a long text, and how good it is.
struct WindowChoice {
  std::string snippet;
  std::size_t words = 0;   ///< different query words it shows
  std::size_t offset = 0;  ///< where its first match is
};

// Segmenting a long text in full for every hit dominates search time. Every match contains
// one of the needles (case and Latin accents aside), so only windows around needle
// occurrences are analysed; nullopt if none of them holds a real match (the caller then
// analyses the full text).
std::optional<WindowChoice> windowed_snippet(std::string_view text, const HighlightTerms& terms,
                                             TextAnalyzer& analyzer, std::size_t max_bytes) {
  WordMatcher matcher(terms, analyzer);
  const std::size_t query_words =
      std::max<std::size_t>(1, terms.words.size() + terms.prefixes.size() + terms.phrases.size());
  // Windows around `candidates`; with `phrase_only`, only a window where a phrase stands.
  // Without a phrase, the window showing the most different query words wins ("social
  // security" shows both, not "social progress" first); all of them ends the search.
  const auto best_window = [&](const std::vector<std::size_t>& candidates,
                               bool phrase_only) -> std::optional<WindowChoice> {
    std::vector<std::pair<std::size_t, std::size_t>> analysed;  // windows already tried
    std::optional<WindowChoice> best;
    int windows = 0;
    for (const std::size_t at : candidates) {
      if (std::any_of(analysed.begin(), analysed.end(),
                      [at](const auto& window) { return at >= window.first && at < window.second; })) {
        continue;
      }
      if (++windows > kMaxSnippetWindows) break;
      const std::size_t from = to_word_boundary(text, at > max_bytes ? at - max_bytes : 0);
      // A window reaching the end of the text is not cut: its last word is whole.
      const std::size_t to =
          at + 2 * max_bytes >= text.size() ? text.size() : to_word_boundary(text, at + 2 * max_bytes);
      analysed.emplace_back(from, to == 0 ? text.size() : to);
      auto spans = word_spans(text, terms, analyzer, matcher, from, to == 0 ? text.size() : to);
      // Drop a word the window's end may have cut.
      if (to < text.size() && spans.size() > 1) spans.pop_back();
      const auto [phrase_at, phrase_length] = find_phrase(spans, terms);
      std::size_t first = 0, last = 0;
      if (phrase_length > 0) {
        first = phrase_at;
        last = phrase_at + phrase_length - 1;
      } else if (phrase_only ||
                 std::none_of(spans.begin(), spans.end(), [](const Span& span) { return span.matched; })) {
        continue;
      } else {
        std::tie(first, last) = densest_window(spans, max_bytes);
      }
      const std::size_t offset = spans[first].begin;
      const std::size_t words = phrase_length > 0 ? query_words : distinct_matches(spans, first, last);
      std::tie(first, last) = add_context(spans, first, last, max_bytes, to < text.size());
      if (!best || words > best->words) best = WindowChoice{cut_and_render(text, spans, first, last), words, offset};
      if (best->words >= query_words) break;
    }
    return best;
  };
  // Phrases first, written out, so that the snippet shows them rather than one of their
  // words; then the words.
  const auto phrases = phrase_needles(terms);
  const auto needles = match_needles(terms, analyzer);
  const auto search_in = [&](const FoldedText& haystack) -> std::optional<WindowChoice> {
    if (!phrases.empty()) {
      if (auto choice = best_window(needle_offsets(haystack, phrases, analyzer), true)) return choice;
    }
    return best_window(needle_offsets(haystack, needles, analyzer), false);
  };
  // First the needles as typed in an ASCII-lowered copy: cheap, and enough for most
  // matches. Then, when that missed a query word and the text has other characters, in
  // the folded text (FoldedText, ~5 ms per MB): words typed without their accents, or
  // matching capitalised non-ASCII words; still far cheaper than segmenting everything
  // (~40 ms per MB).
  const FoldedText lowered(text, analyzer, FoldedText::ascii_only);
  auto choice = search_in(lowered);
  if ((!choice || choice->words < query_words) && !lowered.is_ascii()) {
    auto folded = search_in(FoldedText(text, analyzer, FoldedText::everything));
    if (folded && (!choice || folded->words > choice->words)) choice = std::move(folded);
  }
  return choice;
}

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  append_escaped(out, text, false);
  return out;
}

std::string make_snippet(std::string_view text, const HighlightTerms& terms,
                         TextAnalyzer& analyzer, std::size_t max_bytes, std::size_t* hit_offset) {
  if (hit_offset != nullptr) *hit_offset = 0;
  if (terms.empty()) {
    // Nothing to look for: the start of the text is the snippet, so only analyse that much
    // (long documents would otherwise be segmented in full for every hit).
    std::size_t analysed = std::min(text.size(), max_bytes + kEdgeSlackBytes + 64);
    while (analysed < text.size() && (static_cast<unsigned char>(text[analysed]) & 0xC0U) == 0x80U) {
      --analysed;
    }
    const std::string_view start = text.substr(0, analysed);
    auto spans = word_spans(start, terms, analyzer);
    // The last word may have been cut by `analysed`; it is dropped unless the text ends there.
    if (analysed < text.size() && spans.size() > 1) spans.pop_back();
    if (!spans.empty()) {
      const auto [first, last] = add_context(spans, 0, 0, max_bytes);
      return cut_and_render(text, spans, first, last);
    }
  }
  if (!terms.empty() && text.size() > kWindowedAnalysisAboveBytes &&
      text.size() < static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max())) {
    if (auto choice = windowed_snippet(text, terms, analyzer, max_bytes)) {
      if (hit_offset != nullptr) *hit_offset = choice->offset;
      return std::move(choice->snippet);
    }
  }
  const auto spans = word_spans(text, terms, analyzer);
  if (spans.empty()) {
    // No words at all: show the (escaped) start, cut on a character boundary.
    std::size_t end = std::min(text.size(), max_bytes);
    while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) --end;
    std::string out;
    append_escaped(out, text.substr(0, end), true);
    if (end < text.size()) out += kEllipsis;
    return out;
  }
  const bool any_match =
      std::any_of(spans.begin(), spans.end(), [](const Span& span) { return span.matched; });
  const auto [phrase_at, phrase_length] = find_phrase(spans, terms);
  std::size_t first = 0, last = 0;
  if (phrase_length > 0) {
    first = phrase_at;
    last = phrase_at + phrase_length - 1;
    if (hit_offset != nullptr) *hit_offset = spans[first].begin;
  } else if (any_match) {
    std::tie(first, last) = densest_window(spans, max_bytes);
    if (hit_offset != nullptr) *hit_offset = spans[first].begin;
  }
  std::tie(first, last) = add_context(spans, first, last, max_bytes);
  return cut_and_render(text, spans, first, last);
}

std::string make_snippet(std::string_view text,
                         const std::vector<std::string>& query_terms_normalised,
                         TextAnalyzer& analyzer, std::size_t max_bytes, std::size_t* hit_offset) {
  HighlightTerms terms;
  for (const auto& term : query_terms_normalised) {
    if (!term.empty() && term.back() == '*') {
      terms.prefixes.push_back(term.substr(0, term.size() - 1));
    } else {
      terms.words.push_back(term);
    }
  }
  return make_snippet(text, terms, analyzer, max_bytes, hit_offset);
}

std::string highlight_all(std::string_view text, const HighlightTerms& terms,
                          TextAnalyzer& analyzer) {
  return render(text, word_spans(text, terms, analyzer), 0, text.size(), false);
}

}  // namespace rights

namespace rights {

std::string written_word(std::string_view text, const std::string& term, TextAnalyzer& analyzer) {
  // A word frequent enough to be offered stands early in most texts: the first 64 kB, cut
  // at a character's start, keep this cheap (folding is ~5 ms per MB).
  constexpr std::size_t kLookIn = 64 * 1024;
  constexpr int kOccurrencesSeen = 64;
  std::size_t cut = std::min(text.size(), kLookIn);
  while (cut < text.size() && cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  const std::string_view head = text.substr(0, cut);
  const FoldedText folded(head, analyzer, FoldedText::everything);
  const std::string needle = FoldedText(term, analyzer, FoldedText::everything).folded();
  if (needle.empty()) return {};
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(head.data());
  const auto length = static_cast<std::int32_t>(head.size());
  const auto word_character = [](UChar32 c) {
    return u_isalnum(c) || u_charType(c) == U_NON_SPACING_MARK || u_charType(c) == U_COMBINING_SPACING_MARK;
  };
  // The best occurrence: a whole word not in capitals (Greek capitals drop their accents:
  // "ΑΡΘΡΟ" is no spelling of άρθρο), then a whole word, then one inside a longer word (in
  // Chinese or Thai every word is).
  UErrorCode nfc_status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(nfc_status);
  if (U_FAILURE(nfc_status)) return {};
  std::string best;
  int best_rank = 4;
  const std::string& haystack = folded.folded();
  int seen = 0;
  for (auto at = haystack.find(needle); at != std::string::npos && seen < kOccurrencesSeen;
       at = haystack.find(needle, at + 1), ++seen) {
    const auto begin = static_cast<std::int32_t>(folded.text_offset(at));
    auto end = static_cast<std::int32_t>(folded.text_offset(at + needle.size() - 1));
    UChar32 c = 0;
    U8_NEXT(bytes, end, length, c);  // past the last character matched
    // Marks the fold dropped after it (harakat, accents) are the word's.
    for (std::int32_t next = end; next < length; end = next) {
      U8_NEXT(bytes, next, length, c);
      if (c < 0 || (u_charType(c) != U_NON_SPACING_MARK && c != 0x0640)) break;
    }
    bool whole = true;
    if (begin > 0) {  // the character before: back over continuation bytes, then read it
      std::int32_t before = begin - 1;
      while (before > 0 && (bytes[before] & 0xC0) == 0x80) --before;
      U8_NEXT(bytes, before, length, c);
      whole = !(c >= 0 && word_character(c));
    }
    if (std::int32_t after = end; whole && after < length) {
      U8_NEXT(bytes, after, length, c);
      whole = !(c >= 0 && word_character(c));
    }
    const icu::UnicodeString span =
        icu::UnicodeString::fromUTF8(icu::StringPiece(head.data() + begin, end - begin));
    bool capitals = false;  // a capital after the first letter
    for (int32_t i = U16_LENGTH(span.char32At(0)); i < span.length(); i += U16_LENGTH(span.char32At(i))) {
      capitals = capitals || u_isupper(span.char32At(i));
    }
    const int rank = whole ? (capitals ? 1 : 0) : (capitals ? 3 : 2);
    if (rank >= best_rank) continue;
    // As a reader writes it in running text: lower case, without the Arabic and Hebrew
    // vowel marks no one types; kept only if searching it finds this very term.
    const icu::UnicodeString word = icu::UnicodeString(span).toLower(icu::Locale::getRoot());
    icu::UnicodeString plain;
    for (int32_t i = 0; i < word.length(); i += U16_LENGTH(word.char32At(i))) {
      if (!is_unwritten_mark(word.char32At(i))) plain.append(word.char32At(i));
    }
    // Composed, as typed (the text may be decomposed, as macOS writes files).
    UErrorCode status = U_ZERO_ERROR;
    std::string out;
    nfc->normalize(plain, status).toUTF8String(out);
    if (U_FAILURE(status) || normalize(out) != term) continue;
    best = std::move(out);
    best_rank = rank;
    if (best_rank == 0) break;
  }
  return best;
}

}  // namespace rights
