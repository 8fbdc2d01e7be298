// Fuzzes rights::TextAnalyzer::tokenize on valid UTF-8 (its documented precondition; other
// inputs are rejected so they do not enter the corpus).
//
// Every token must have a non-empty, valid UTF-8 term of at most kMaxTermBytes, a byte
// range inside the input that starts on a character boundary, and ranges must be ordered
// and non-overlapping. The one allowed exception: the pieces of a word longer than
// kMaxTermBytes (split by tokenize) share the whole word's range, so a token may repeat
// the previous token's range exactly. A term without its Latin diacritics (indexed too) must
// be non-empty, valid UTF-8 and no longer than the term.
#include <string>

#include "fuzz_common.h"
#include "rights/text_analysis.h"

namespace {

constexpr const char* kTarget = "fuzz_tokenize";

std::string describe(const rights::Token& token) {
  return "\"" + token.term + "\" [" + std::to_string(token.begin) + ", " + std::to_string(token.end) + ")";
}

bool is_boundary(std::string_view text, std::size_t offset) {
  return offset == text.size() || (static_cast<unsigned char>(text[offset]) & 0xC0U) != 0x80U;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = fuzz::as_text(data, size);
  if (!rights::is_valid_utf8(text)) return -1;  // precondition; -1: keep out of the corpus
  return fuzz::guarded(kTarget, [&] {
    static rights::TextAnalyzer analyzer;  // reused, as the indexer and searchd do
    const std::vector<rights::Token> tokens = analyzer.tokenize(text);
    for (std::size_t i = 0; i < tokens.size(); ++i) {
      const rights::Token& token = tokens[i];
      fuzz::check(!token.term.empty(), kTarget, "empty term at token " + std::to_string(i));
      fuzz::check(token.term.size() <= rights::kMaxTermBytes, kTarget,
                  "term of " + std::to_string(token.term.size()) + " bytes > kMaxTermBytes: " + describe(token));
      fuzz::check(rights::is_valid_utf8(token.term), kTarget,
                  "term " + std::to_string(i) + " is not valid UTF-8, range [" +
                      std::to_string(token.begin) + ", " + std::to_string(token.end) + ")");
      fuzz::check(token.begin < token.end && token.end <= text.size(), kTarget,
                  "range outside the input of " + std::to_string(text.size()) + " bytes: " + describe(token));
      fuzz::check(is_boundary(text, token.begin) && is_boundary(text, token.end), kTarget,
                  "range not on character boundaries: " + describe(token));
      const std::string plain = analyzer.unaccented(token.term);
      fuzz::check(!plain.empty() && plain.size() <= token.term.size() && rights::is_valid_utf8(plain), kTarget,
                  "unaccented form \"" + plain + "\" of " + describe(token));
      if (i > 0) {
        const rights::Token& previous = tokens[i - 1];
        const bool same_word = token.begin == previous.begin && token.end == previous.end;
        // Korean is indexed as overlapping syllable pairs (인권 권운 운동): each starts
        // after the one before and ends no earlier.
        const bool next_pair = rights::is_hangul_syllable_pair(token.term) &&
                               rights::is_hangul_syllable_pair(previous.term) && token.begin > previous.begin &&
                               token.end >= previous.end;
        fuzz::check(same_word || next_pair || token.begin >= previous.end, kTarget,
                    "token " + describe(token) + " overlaps or precedes " + describe(previous));
      }
    }
    return 0;
  });
}
