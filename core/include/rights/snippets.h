// Snippets and highlighting for hits and /api/doc. Words are found with the same
// TextAnalyzer as indexing, so a <mark> always wraps a whole word in every script (the
// segmenter decides where a Khmer, Thai or Chinese word ends), and output is HTML-escaped.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "rights/query_parser.h"
#include "rights/text_analysis.h"

namespace rights {

/// Escapes & < > " ' for HTML text and attribute values.
std::string html_escape(std::string_view text);

/// The ~max_bytes window of `text` (cut at word boundaries, "…" where cut) holding the
/// most query words, HTML-escaped, whitespace runs collapsed, each matching word wrapped in
/// <mark></mark>. A word matches when it is one of terms.words, has the same stem as one
/// of them in any of terms.stem_languages, is such a stem itself (the search looks for it
/// as a word: "Universal" for "universales"), or starts with one of terms.prefixes; words of
/// terms.phrases and terms.names match only where the whole phrase or name stands, and a
/// window showing one is preferred. With no match the snippet is the start of the text. `hit_offset`, when given, receives the byte
/// offset in `text` of the first match shown (0 without a match), e.g. for its PDF page.
std::string make_snippet(std::string_view text, const HighlightTerms& terms,
                         TextAnalyzer& analyzer, std::size_t max_bytes = 300,
                         std::size_t* hit_offset = nullptr);

/// Convenience form: normalised words; an entry ending in '*' is a prefix. No stemming.
std::string make_snippet(std::string_view text,
                         const std::vector<std::string>& query_terms_normalised,
                         TextAnalyzer& analyzer, std::size_t max_bytes = 300,
                         std::size_t* hit_offset = nullptr);

/// The index word `term` as `text` writes it (lower case, without Arabic or Hebrew vowel
/// marks): "αξιοπρέπεια" for "αξιοπρεπεια", "الإنسان" for "الانسان", "کشور" for "كشور",
/// "人權" for "人权" in Traditional text. A whole word not in capitals is preferred, then a
/// whole word, then the characters inside a longer word. "" if it is not in the first
/// 64 kB, or what is there does not normalise to `term`. For suggestions, which offer index
/// words.
std::string written_word(std::string_view text, const std::string& term, TextAnalyzer& analyzer);

/// The whole of `text`, HTML-escaped (whitespace kept), matching words in <mark>.
std::string highlight_all(std::string_view text, const HighlightTerms& terms,
                          TextAnalyzer& analyzer);

}  // namespace rights
