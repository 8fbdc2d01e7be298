// The query language: a small recursive-descent parser that runs every word through the
// same TextAnalyzer as indexing (Xapian::QueryParser cannot segment Khmer, Thai or CJK).
//
//   word  "a phrase"  "words near"~5  title:word  title:"a phrase"  impun*
//   actor:"Keut Rith"  ministry:interior  type:letter  lang:km  source:"The Phnom Penh Post"
//   date:2021..2022  date:2021-05..  date:..2020  date:2021-05-12
//   a AND b   a OR b   a NOT b   NOT a   -a   +a   ( ... )     (default operator: AND)
//
// Errors are rights::UserError (search.h) with a stable code: bad_query, bad_encoding,
// bad_date, unknown_actor, unknown_ministry, unknown_type; TooLarge query_too_long.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "rights/authority.h"
#include "rights/text_analysis.h"

namespace rights {

struct QueryContext {
  TextAnalyzer& analyzer;
  const Authority* authority = nullptr;       ///< nullptr: no actor/ministry can resolve
  std::vector<std::string> stem_languages;    ///< BCP 47 codes, as stored in the index metadata
  /// True if a document the caller may see has this (actor or ministry) term. An id the
  /// index carries but the authority does not name (removed from actors.json, or listed
  /// only in the manifest) is then still a filter: the facets offer it. May be empty.
  std::function<bool(const std::string& term)> visible_term;
};

/// A word the user typed on its own (not quoted, not a field value, not negated, no
/// wildcard): the candidates for a did-you-mean rewrite of the query text.
struct PlainWord {
  std::string term;        ///< normalised, as looked up in the index
  std::size_t begin = 0;   ///< byte range of the word in the query text
  std::size_t end = 0;
};

/// What to highlight in a document for a query: the user's positive words (free words,
/// title words; normalised), wildcard prefixes, phrases, and the languages whose stems
/// count as the same word.
struct HighlightTerms {
  /// Marked wherever they stand, in any form of the same stem.
  std::vector<std::string> words;
  std::vector<std::string> prefixes;
  std::vector<std::string> stem_languages;
  /// Words that must stand together: quoted phrases and chunks of several words (Khmer,
  /// Thai or CJK written without spaces). Marked only where they stand together, word for
  /// word as the search matched them: the を of "人権を保護する" or the "to" of "right to
  /// life" elsewhere in the text is no match. A snippet shows where a phrase stands.
  std::vector<std::vector<std::string>> phrases;
  /// Every name (canonical and aliases) of the actors and ministries the query found: an
  /// alias typed ("ស ខេង"), or actor:/ministry:. Marked where they stand word for word, so
  /// a document is marked in the spelling it uses ("Sar Kheng"); never word by word, which
  /// would mark every "of" of "Ministry of Interior". A snippet shows where one stands.
  std::vector<std::vector<std::string>> names;
  bool empty() const { return words.empty() && prefixes.empty() && phrases.empty() && names.empty(); }
};

struct ParsedQuery {
  Xapian::Query query;           ///< match_all() for an empty query
  bool has_scoring_terms = false;  ///< false: only filters/negations; relevance is meaningless
  std::vector<PlainWord> plain_words;
  HighlightTerms highlight;
};

/// A query matching every document, new on each call. Never copy Xapian::Query::MatchAll
/// instead: it is one static object whose reference count (a plain unsigned in Xapian 1.4)
/// every copy increments, so copies made by concurrent requests race on it and crash the
/// server (seen under wrk with filter-only searches).
Xapian::Query match_all();

/// Parses `text`; throws UserError/TooLarge as described above.
ParsedQuery analyse_query(std::string_view text, const QueryContext& context);

/// The Xapian query of `text` (analyse_query(text, context).query).
Xapian::Query parse_query(std::string_view text, const QueryContext& context);

/// The synonym group of one free word: the word, and for each stem language its stem and
/// "Z"+stem (see document_builder.h for why both are needed).
Xapian::Query word_query(const std::string& term, const QueryContext& context);

/// Parses a date range written "FROM..TO" (either side may be empty) or a single date;
/// returns the OP_VALUE_RANGE/GE/LE query on Slot::Date. Throws UserError("bad_date").
Xapian::Query date_range_query(std::string_view from, std::string_view to);

/// `value` as a document type of kDocumentTypes (case-folded), for type: in a query and
/// the type filter alike; UserError("unknown_type") naming the types otherwise, rather
/// than a search that quietly finds nothing for "reports".
std::string document_type_or_throw(const std::string& value);

/// The language a `lang` filter looks for (the lang parameter and lang: in a query
/// alike), as the index stores it: primary_language_subtag ("pt-BR" -> "pt", "EN" -> "en",
/// "iw" -> "he", "tl" -> "fil"). A value that names no language is kept as typed (it then
/// finds nothing, as before).
std::string language_filter_value(const std::string& value);

}  // namespace rights
