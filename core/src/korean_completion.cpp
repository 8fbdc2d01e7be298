// Completions for Korean. Hangul is indexed as overlapping syllable pairs (인권운동가를 →
// 인권 권운 운동 동가 가를), which suggest() leaves out: a pair completing a prefix is as
// likely a fragment across two words as a word. The words a reader would pick are in the
// documents' text, so they are read there: the words (runs of Hangul syllables) of
// documents holding the typed syllables, starting with them, most frequent first, without
// the particle a noun carries when it is also written with another one (인권위원회는 and
// 인권위원회의 offer 인권위원회).
#include "korean_completion.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <map>

#include "searcher_impl.h"

namespace rights {

namespace {

bool is_hangul_syllable(UChar32 c) { return c >= 0xAC00 && c <= 0xD7A3; }

// The character ending at byte `end` of `text` (end > 0) and where it starts. (ICU's
// U8_PREV casts in the old style, which the build refuses.)
UChar32 character_before(std::string_view text, std::int32_t end, std::int32_t& begin) {
  begin = end - 1;
  while (begin > 0 && (static_cast<unsigned char>(text[static_cast<std::size_t>(begin)]) & 0xC0) == 0x80) --begin;
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  std::int32_t at = begin;
  UChar32 c = 0;
  U8_NEXT(bytes, at, end, c);
  return at == end ? c : -1;
}

// Particles (josa) written after a noun, longest first so that 에서 is taken before 서.
constexpr std::string_view kParticles[] = {
    "에서는", "에게서", "으로서", "으로써", "으로는", "에서", "에게", "으로", "로서", "로써", "부터", "까지", "처럼",
    "과", "와", "을", "를", "이", "가", "은", "는", "의", "에", "로", "도", "만",
};

}  // namespace

std::string trailing_hangul_word(std::string_view typed) {
  auto at = static_cast<std::int32_t>(typed.size());
  int syllables = 0;
  while (at > 0) {
    std::int32_t before = 0;
    if (!is_hangul_syllable(character_before(typed, at, before))) break;
    at = before;
    ++syllables;
  }
  if (syllables < 2) return {};
  // The word must stand alone: after a space or at the start, not glued to other letters.
  if (at > 0 && typed[static_cast<std::size_t>(at) - 1] != ' ' && typed[static_cast<std::size_t>(at) - 1] != '\t') {
    return {};
  }
  return std::string(typed.substr(static_cast<std::size_t>(at)));
}

void count_hangul_words(std::string_view text, std::string_view start, std::map<std::string, int>& counts) {
  if (start.empty()) return;
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  const auto length = static_cast<std::int32_t>(text.size());
  for (auto found = text.find(start); found != std::string_view::npos; found = text.find(start, found + start.size())) {
    const auto begin = static_cast<std::int32_t>(found);
    std::int32_t before = 0;
    if (begin > 0 && is_hangul_syllable(character_before(text, begin, before))) continue;  // inside a word
    auto end = static_cast<std::int32_t>(found + start.size());
    for (std::int32_t next = end; next < length; end = next) {
      UChar32 c = 0;
      U8_NEXT(bytes, next, length, c);
      if (!is_hangul_syllable(c)) break;
    }
    if (static_cast<std::size_t>(end - begin) > start.size()) {
      ++counts[std::string(text.substr(found, static_cast<std::size_t>(end - begin)))];
    }
  }
}

std::vector<std::string> best_hangul_words(const std::map<std::string, int>& counts, std::string_view start,
                                           std::size_t limit) {
  // A word is offered without its particle when the noun before it is also written alone or
  // with another particle: 인권위원회는 is 인권위원회 + 는, 어린이 ("child") is not 어린 + 이.
  const auto written_otherwise = [&](const std::string& noun, std::string_view particle) {
    if (counts.count(noun) > 0) return true;
    return std::any_of(std::begin(kParticles), std::end(kParticles), [&](std::string_view other) {
      return other != particle && counts.count(noun + std::string(other)) > 0;
    });
  };
  std::map<std::string, int> words;
  for (const auto& [word, count] : counts) {
    std::string offered = word;
    for (const std::string_view particle : kParticles) {
      if (word.size() <= particle.size() || word.compare(word.size() - particle.size(), particle.size(), particle) != 0) {
        continue;
      }
      const std::string noun = word.substr(0, word.size() - particle.size());
      if (noun.size() >= start.size() && written_otherwise(noun, particle)) offered = noun;
      break;
    }
    // What was typed with a particle (인권과, 인권에) completes nothing: it finds what the
    // word typed finds.
    if (offered.size() > start.size()) words[offered] += count;
  }
  std::vector<std::pair<std::string, int>> ranked(words.begin(), words.end());
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    if (a.second != b.second) return a.second > b.second;
    return a.first.size() != b.first.size() ? a.first.size() < b.first.size() : a.first < b.first;
  });
  std::vector<std::string> best;
  for (auto& [word, count] : ranked) {
    if (best.size() == limit) break;
    best.push_back(std::move(word));
  }
  return best;
}

std::vector<std::string> Searcher::Impl::korean_completions(const std::string& typed, std::size_t limit,
                                                            bool include_restricted) {
  const std::string start = trailing_hangul_word(typed);
  if (start.empty() || limit == 0) return {};
  // Documents holding the syllables typed (their pairs, as a phrase); the most recent
  // first matters less than reading few: a few dozen short texts give the common words.
  const auto tokens = analyzer.tokenize(start);
  std::vector<Xapian::Query> pairs;
  for (const auto& token : tokens) pairs.emplace_back(token.term);
  if (pairs.empty()) return {};
  const auto window = static_cast<Xapian::termcount>(pairs.size());
  Xapian::Enquire enquire(db());
  enquire.set_query(detail::visible_only(
      pairs.size() == 1 ? pairs.front() : Xapian::Query(Xapian::Query::OP_PHRASE, pairs.begin(), pairs.end(), window),
      include_restricted));
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  constexpr Xapian::doccount kDocumentsRead = 20;
  // Parsing a document costs ~3 ms per MB: long reports are left out (as for written forms).
  constexpr Xapian::termcount kMaxWordsRead = 100000;
  const Xapian::MSet some = enquire.get_mset(0, kDocumentsRead);
  std::map<std::string, int> counts;
  for (auto it = some.begin(); it != some.end(); ++it) {
    if (db().get_doclength(*it) > kMaxWordsRead) continue;
    count_hangul_words(parse_record(it.get_document().get_data()).text, start, counts);
  }
  return best_hangul_words(counts, start, limit);
}

}  // namespace rights
