// The index vocabulary seen from the query side: did-you-mean corrections and term
// completions. Both must never surface a word that only restricted documents contain, so
// every candidate passes through a caller-supplied visibility check.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace rights {

/// True when `term` occurs in at least one document the caller may see.
using TermVisibility = std::function<bool(const std::string& term)>;

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions) between
/// two UTF-8 strings, counted in code points; any value above `limit` is returned as
/// limit + 1 (the computation stops early).
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t limit);

/// Largest edit distance accepted for a correction of `word`: 0 (no correction) for words
/// of one or two characters and for Chinese/Japanese words, 1 for words of up to four
/// characters (two edits would turn most short words into any other), else 2.
std::size_t max_correction_distance(std::string_view word);

/// The best correction of the normalised word `word`, or "" if none: Xapian's spelling
/// suggestion when the index has spelling data, otherwise (or when that one is not
/// visible) the unprefixed index term closest in edit distance, then most frequent, among
/// terms sharing the word's first character (a bounded scan of the term list). Never an
/// unaccented copy of a word, which no document writes.
std::string spelling_correction(const Xapian::Database& db, const std::string& word,
                                const TermVisibility& visible);

/// Up to `limit` unprefixed index terms starting with the normalised `prefix`, most
/// frequent first (ties alphabetical), each visible and written in some document (not
/// only an unaccented copy). Scans a bounded number of terms.
std::vector<std::string> complete_term(const Xapian::Database& db, const std::string& prefix,
                                       std::size_t limit, const TermVisibility& visible);

}  // namespace rights
