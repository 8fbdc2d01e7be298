// Korean completions are read in the documents' text (core/src/korean_completion.cpp).
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include "korean_completion.h"

using Words = std::vector<std::string>;

TEST_CASE("Korean completion: the word typed last, two syllables at least, standing alone", "[suggest]") {
  CHECK(rights::trailing_hangul_word("인권") == "인권");
  CHECK(rights::trailing_hangul_word("모든 사람") == "사람");
  CHECK(rights::trailing_hangul_word("UN 인권위") == "인권위");
  CHECK(rights::trailing_hangul_word("권").empty());          // one syllable: a pair is two
  CHECK(rights::trailing_hangul_word("UN인권").empty());      // glued to other letters
  CHECK(rights::trailing_hangul_word("인권 ").empty());        // a word finished
  CHECK(rights::trailing_hangul_word("human rights").empty());
  CHECK(rights::trailing_hangul_word("").empty());
}

TEST_CASE("Korean completion: words of the text starting with the syllables typed", "[suggest]") {
  std::map<std::string, int> counts;
  rights::count_hangul_words("국가인권위원회는 인권위원회의 결정을, 국가인권위원회의 권고. 인권", "인권", counts);
  // Only at a word's start, longer than what was typed; "인권" alone completes nothing.
  CHECK(counts == std::map<std::string, int>{{"인권위원회의", 1}});
  rights::count_hangul_words("인권위원회가 인권위원회는", "인권", counts);
  CHECK(counts == std::map<std::string, int>{{"인권위원회가", 1}, {"인권위원회는", 1}, {"인권위원회의", 1}});
}

TEST_CASE("Korean completion: particles are left out where the noun is also written otherwise", "[suggest]") {
  const std::map<std::string, int> counts{
      {"인권위원회는", 2}, {"인권위원회의", 3}, {"인권운동가", 1}, {"인권과", 4}, {"인권에", 2}, {"인권침해를", 1},
  };
  // 인권위원회 + 는/의: one word, counted once for both; 인권 + 과/에: what was typed, no
  // completion; 인권침해를: the noun is written no other way, so it stays as written.
  CHECK(rights::best_hangul_words(counts, "인권", 10) == Words{"인권위원회", "인권운동가", "인권침해를"});
  CHECK(rights::best_hangul_words(counts, "인권", 1) == Words{"인권위원회"});
  // 어린이 ("child") is no 어린 + 이: nothing else is written after 어린.
  CHECK(rights::best_hangul_words({{"어린이", 2}, {"어린이의", 1}}, "어린", 10) == Words{"어린이"});
}
