// Completions for Korean words (korean_completion.cpp). Internal to rights_core; the pure
// functions are exposed for unit tests.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace rights {

/// The Hangul syllables `typed` ends with, if they are a word of their own (after a space
/// or at the start) of at least two syllables (one pair); else "".
std::string trailing_hangul_word(std::string_view typed);

/// Counts into `counts` the words of `text` (runs of Hangul syllables, as written) that
/// start with `start` and are longer.
void count_hangul_words(std::string_view text, std::string_view start, std::map<std::string, int>& counts);

/// The `limit` most frequent of `counts`, a trailing particle left out where the noun is
/// also written alone or with another particle; `start` and a particle is no completion.
std::vector<std::string> best_hangul_words(const std::map<std::string, int>& counts, std::string_view start,
                                           std::size_t limit);

}  // namespace rights
