// rights::Searcher: queries, facets, hits, did-you-mean, documents, completions, stats.
// Opening and reopening the index are in searcher_lifecycle.cpp.
#include <unicode/unistr.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_set>

#include "rights/snippets.h"
#include "korean_completion.h"
#include "searcher_impl.h"
#include "stable_ranking.h"

namespace rights {

namespace {

// `correction` (a lower-case index word) written like `typed`: "Keng" -> "Kheng", "UNHCR"
// -> upper case. ASCII letters only; other scripts are left as the index has them.
std::string with_case_of(std::string_view typed, std::string correction) {
  const auto is_upper = [](char c) { return c >= 'A' && c <= 'Z'; };
  const auto is_letter = [&](char c) { return is_upper(c) || (c >= 'a' && c <= 'z'); };
  const bool all_caps = typed.size() > 1 && std::all_of(typed.begin(), typed.end(), [&](char c) {
                          return !is_letter(c) || is_upper(c);
                        }) && std::any_of(typed.begin(), typed.end(), is_letter);
  for (std::size_t i = 0; i < correction.size(); ++i) {
    char& c = correction[i];
    if (c >= 'a' && c <= 'z' && (all_caps || (i == 0 && !typed.empty() && is_upper(typed.front())))) {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return correction;
}

// An index word as a reader writes it, for suggestions and rewrites: case folding makes
// every Greek sigma σ, while a word ends in ς ("ακτιβιστας", not "ακτιβιστασ"); NFKC
// splits Thai and Lao sara am into nikhahit + sara aa ("กระทํา"), which no reader types
// and the word segmenter no longer reads as the word (its search finds nothing), so it is
// put back (normalize() splits it again when the suggestion is searched).
std::string as_written(std::string word) {
  constexpr std::string_view kSigma = "\u03C3";
  if (word.size() >= kSigma.size() && word.compare(word.size() - kSigma.size(), kSigma.size(), kSigma) == 0) {
    word.replace(word.size() - kSigma.size(), kSigma.size(), "\u03C2");
  }
  constexpr std::pair<std::string_view, std::string_view> kSaraAm[] = {{"\u0E4D\u0E32", "\u0E33"},
                                                                       {"\u0ECD\u0EB2", "\u0EB3"}};
  for (const auto& [split, whole] : kSaraAm) {
    for (auto at = word.find(split); at != std::string::npos; at = word.find(split, at + whole.size())) {
      word.replace(at, split.size(), whole);
    }
  }
  return word;
}

// Words of most scripts past Latin-1 may be indexed folded, as readers do not write them:
// Greek without accents, Arabic without hamza, Persian letters as Arabic ones (كشور),
// Romanian ţ for ț, Hindi without nukta, Khmer ្ត for ្ដ, Simplified for Traditional.
bool may_be_folded(std::string_view term) {
  return std::any_of(term.begin(), term.end(), [](char c) { return static_cast<unsigned char>(c) >= 0xC4; });
}

// A Chinese completion keeps the characters as typed, Traditional or Simplified (人權宣 →
// 人權宣言, though the index and the document found may write 人权宣言), and the rest as
// the document writes it; `word` itself unless that still searches `term`.
std::string keep_typed_characters(std::string_view typed, const std::string& word, const std::string& term) {
  if (!may_have_han(term)) return word;
  const icu::UnicodeString kept = icu::UnicodeString::fromUTF8(icu::StringPiece(typed.data(), static_cast<int32_t>(typed.size())));
  const icu::UnicodeString written = icu::UnicodeString::fromUTF8(word);
  const int32_t typed_characters = kept.countChar32();
  if (written.countChar32() < typed_characters) return word;
  icu::UnicodeString spliced = kept;
  spliced.append(written, written.moveIndex32(0, typed_characters), written.length());
  std::string out;
  spliced.toUTF8String(out);
  return normalize(out) == term ? out : word;
}

constexpr std::size_t kFacetValuesPerResponse = 50;
constexpr std::size_t kSnippetBytes = 300;
// Below this many hits a did-you-mean rewrite is worth offering.
constexpr std::uint64_t kSuggestBelowTotal = 3;

using detail::all_of;
using detail::check_user_text;
using detail::FacetFilter;
using detail::kRestrictedAccess;
using detail::trim;
using detail::visible_only;

// The query's highlight terms for one document: stems only in the document's languages,
// as the index stems its words and the query finds its stems (word_query). Turkish
// "insan" stems to "in", which is not the query's word in an English text.
HighlightTerms for_languages(const HighlightTerms& terms, const std::vector<std::string>& languages) {
  HighlightTerms own = terms;
  own.stem_languages.clear();
  for (const auto& language : terms.stem_languages) {
    if (std::find(languages.begin(), languages.end(), language) != languages.end()) own.stem_languages.push_back(language);
  }
  return own;
}

}  // namespace

SearchResponse Searcher::Impl::search(const SearchRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  if (request.per_page < 1 || request.per_page > kMaxPerPage) {
    throw UserError("bad_per_page", "per_page must be between 1 and " + std::to_string(kMaxPerPage) +
                                        ", not " + std::to_string(request.per_page));
  }
  if (request.page < 1) {
    throw UserError("bad_page", "page must be 1 or more, not " + std::to_string(request.page));
  }
  const ParsedQuery parsed = analyse_query(request.query, query_context(request.include_restricted));
  const auto facets = facet_filters(request);
  const auto dates = date_filter(request);

  const Xapian::Query query = filtered(parsed.query, facets, dates, nullptr, request.include_restricted);
  // SortKey order from memory when this database has its columns loaded, else from the
  // value slot: the same order (declared before `enquire`, which points at it).
  const auto columns = facet_columns();
  const auto sort_key_order = columns ? std::make_unique<detail::SortKeyOrder>(columns) : nullptr;
  const auto undated_last_order =
      columns ? std::make_unique<detail::SortKeyOrder>(columns, /*undated_last=*/true) : nullptr;
  Xapian::Enquire enquire(db());
  enquire.set_query(query);
  // Without words to score (empty query, only filters/negations) BM25 would rank by
  // document length; a constant weight keeps the order neutral (index order).
  if (!parsed.has_scoring_terms) enquire.set_weighting_scheme(Xapian::BoolWeight());
  // Every order ends in Slot::SortKey (date, then id; or SortKeyUndatedLast), never in Xapian's document ids:
  // those differ between one index and its shards, and the answers must not.
  const bool by_weight = request.sort == SortOrder::Relevance && parsed.has_scoring_terms;
  // Xapian 1.4 bug (matcher/multimatch.cc): sorted by anything but pure relevance, the
  // client runs the match spies once more on remote documents that sort below the page,
  // which the remote server has already counted, so remote counts come out too high.
  // Over remote shards, a search by weight therefore asks Xapian for pure relevance
  // (rank_page puts equal weights in SortKey order all the same) and keeps its spies;
  // other orders count remote facets in a separate, relevance-ordered match.
  const bool pure_relevance = by_weight && location.is_remote();
  const bool spies_in_main_match = !location.is_remote() || pure_relevance;
  if (request.sort == SortOrder::Relevance && !pure_relevance) {
    // Equal relevance: newest first (for an empty query, everything newest first).
    if (sort_key_order) {
      enquire.set_sort_by_relevance_then_key(sort_key_order.get(), true);
    } else {
      enquire.set_sort_by_relevance_then_value(slot_number(Slot::SortKey), true);
    }
  } else if (request.sort != SortOrder::Relevance) {
    // Undated documents last either way (as Elasticsearch and Solr put missing values):
    // SortKey descending, or SortKeyUndatedLast ascending.
    const bool descending = request.sort == SortOrder::DateDescending;
    if (sort_key_order) {
      enquire.set_sort_by_key(descending ? sort_key_order.get() : undated_last_order.get(), descending);
    } else {
      enquire.set_sort_by_value(slot_number(descending ? Slot::SortKey : Slot::SortKeyUndatedLast), descending);
    }
  }
  const Xapian::doccount total_documents = doccount();
  // 64-bit arithmetic: page * per_page cannot overflow; past the end is simply empty.
  const std::uint64_t first = static_cast<std::uint64_t>(request.page - 1) *
                              static_cast<std::uint64_t>(request.per_page);
  const auto first_item = static_cast<Xapian::doccount>(std::min<std::uint64_t>(first, total_documents));
  // Counted before (same query, generation and revision): Xapian only ranks the page.
  const std::string counts_key = count_cache_key(query);
  std::shared_ptr<const detail::MatchCounts> counts =
      counts_key.empty() ? nullptr : caches->match_counts.find(counts_key);
  // Ranked before in the same order: the page is read from the cached ranks. Ranks are
  // cached in windows around the page (RankingCache), the first ranks only.
  const auto window = counts_key.empty() ? std::nullopt : detail::ranking_window(first_item, request.per_page);
  const std::string ranking_key =
      window ? counts_key + '\n' + std::to_string(static_cast<int>(request.sort)) +
                   (parsed.has_scoring_terms ? " weighted " : " unweighted ") + std::to_string(window->first) +
                   '+' + std::to_string(window->count)
             : std::string();
  const std::shared_ptr<const detail::RankedIds> cached_ranks =
      counts && !ranking_key.empty() ? caches->rankings.find(ranking_key) : nullptr;
  std::vector<detail::RankedDocument> page;
  if (cached_ranks) {
    page = detail::page_of(*cached_ranks, first_item, static_cast<Xapian::doccount>(request.per_page), db());
  } else {
    const Xapian::doccount rank_from = window ? window->first : first_item;
    const auto rank_count = window ? window->count : static_cast<Xapian::doccount>(request.per_page);
    std::optional<detail::RankedPage> ranked;
    // Remote and not by pure relevance (see above): counted first, in a match of their own.
    if (!counts && !spies_in_main_match) counts = counts_of(query);
    const auto run_main_match = [&] {
      // Counts known: only rank. Else checkatleast = every document: the total is exact
      // and the spies see every match.
      ranked = detail::rank_page(enquire, rank_from, rank_count, total_documents, by_weight,
                                 counts ? std::optional<Xapian::doccount>(counts->total) : std::nullopt);
    };
    if (counts) {
      run_main_match();
    } else {
      auto counted = std::make_shared<detail::MatchCounts>();
      counted->facets = count_facets_in(enquire, columns, every_facet(), run_main_match);
      counted->total = ranked->mset.get_matches_estimated();
      if (!counts_key.empty()) caches->match_counts.insert(counts_key, counted);
      counts = std::move(counted);
    }
    if (window) caches->rankings.insert(ranking_key, detail::ranked_ids(*ranked, rank_from));
    page = detail::page_of(std::move(*ranked), rank_from, first_item, static_cast<Xapian::doccount>(request.per_page));
  }

  SearchResponse response;
  response.authority = authority();
  response.total = counts->total;
  for (std::size_t i = 0; i < kFacets.size(); ++i) {
    const FacetDef& facet = kFacets[i];
    if (!facet.in_response) continue;
    const bool has_own_filter =
        std::any_of(facets.begin(), facets.end(), [&facet](const FacetFilter& f) { return f.facet == &facet; }) ||
        (facet.slot == Slot::Year && dates.has_value());
    // Disjunctive faceting: a filtered facet is counted without its own filter, so the
    // user still sees (and can add) its other values; the other filters still apply.
    const auto facet_counts = has_own_filter
                                  ? counts_of(filtered(parsed.query, facets, dates, &facet,
                                                       request.include_restricted))
                                  : counts;
    std::vector<std::string> selected;
    for (const auto& filter : facets) {
      if (filter.facet == &facet) selected.insert(selected.end(), filter.values.begin(), filter.values.end());
    }
    response.facets[std::string(facet.name)] =
        detail::rank_counts(facet_counts->facets[i], facet, authority().get(), kFacetValuesPerResponse, selected);
  }
  for (const auto& ranked_hit : page) {
    DocumentRecord record = parse_record(ranked_hit.document.get_data());
    Hit hit;
    std::size_t snippet_offset = 0;
    hit.snippet = make_snippet(record.text, for_languages(parsed.highlight, record.languages), analyzer,
                               kSnippetBytes, &snippet_offset);
    hit.page = record.page_at(snippet_offset);
    hit.score = ranked_hit.weight;
    hit.id = std::move(record.id);
    hit.path = std::move(record.path);
    hit.title = std::move(record.title);
    hit.type = std::move(record.type);
    hit.date = std::move(record.date);
    hit.source = std::move(record.source);
    hit.languages = std::move(record.languages);
    hit.actors = std::move(record.actors);
    hit.ministries = std::move(record.ministries);
    hit.authors = std::move(record.authors);
    response.hits.push_back(std::move(hit));
  }
  if (response.total < kSuggestBelowTotal && !parsed.plain_words.empty()) {
    response.suggestion = did_you_mean(request, parsed, facets, dates, response.total);
  }
  response.took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return response;
}

std::string Searcher::Impl::did_you_mean(const SearchRequest& request, const ParsedQuery& parsed,
                                         const std::vector<FacetFilter>& facets,
                                         const std::optional<Xapian::Query>& dates, std::uint64_t total) {
  const bool include_restricted = request.include_restricted;
  const auto context = query_context(include_restricted);
  const auto visible = term_visibility(include_restricted);
  std::string rewritten = request.query;
  bool changed = false;
  // Back to front, so the byte ranges of earlier words stay valid after a replacement.
  for (auto word = parsed.plain_words.rbegin(); word != parsed.plain_words.rend(); ++word) {
    // A word found in any form (its stems included) is not a typo.
    if (matches_visible(word_query(word->term, context), include_restricted)) continue;
    const std::string correction = spelling_correction(db(), word->term, visible);
    if (correction.empty()) continue;
    rewritten.replace(word->begin, word->end - word->begin,
                      with_case_of(std::string_view(request.query).substr(word->begin, word->end - word->begin),
                                   as_readers_write(correction, include_restricted)));
    changed = true;
  }
  if (!changed) return {};
  // Offered only when it finds more than the query as typed, under the same filters (as
  // Elasticsearch's collate option does): each corrected word exists, but together, or
  // with the filters, they may find nothing ("Hun Sen" must not become "Hun se").
  Xapian::Query corrected;
  try {
    corrected = analyse_query(rewritten, context).query;
  } catch (const UserError&) {
    // Corrections are index words, lower case, so they never read as operators; should a
    // rewrite still not parse, the search answers without an offer rather than failing.
    return {};
  }
  Xapian::Enquire enquire(db());
  enquire.set_query(filtered(corrected, facets, dates, nullptr, include_restricted));
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  const auto wanted = static_cast<Xapian::doccount>(total + 1);
  return enquire.get_mset(0, wanted).size() >= wanted ? rewritten : std::string();
}

DocumentResponse Searcher::Impl::document(const std::string& id, const std::string& query,
                                          bool include_restricted) {
  // One message for "missing" and "restricted": the answer must not reveal existence.
  const auto not_found = [&id] { return NotFound("not_found", "no document with id \"" + id + "\""); };
  // Ids are UTF-8 (the indexer refuses other file names): bytes that are not are a
  // mistake in the request, not a missing document.
  if (!is_valid_utf8(id)) throw UserError("bad_encoding", "the document id is not valid UTF-8");
  if (id.empty() || id.size() > kMaxDocumentIdBytes) throw not_found();
  const std::string id_term = prefix::kId + id;
  const auto posting = db().postlist_begin(id_term);
  if (posting == db().postlist_end(id_term)) throw not_found();
  DocumentResponse response;
  response.authority = authority();
  response.record = parse_record(db().get_document(*posting).get_data());
  if (response.record.access == kRestrictedAccess && !include_restricted) throw not_found();
  if (trim(query).empty()) {
    response.highlighted_text = html_escape(response.record.text);
  } else {
    const ParsedQuery parsed = analyse_query(query, query_context(include_restricted));
    response.highlighted_text =
        highlight_all(response.record.text, for_languages(parsed.highlight, response.record.languages), analyzer);
  }
  return response;
}

namespace {

// value: type:, lang:, source: (their facet's values); date: takes dates, never words.
enum class SuggestField { any, actor, ministry, title, value, date };

// The field the last chunk of a suggest prefix names ("... actor:sa"), if any, where the
// value typed after it starts, and whether the chunk excludes it ("-actor:sa").
struct FieldPrefix {
  SuggestField field = SuggestField::any;
  std::size_t value_begin = 0;
  bool negated = false;
  std::string name;  ///< the field's name, lower case
};

FieldPrefix suggest_field(const std::string& typed) {
  // A quote still open (`source:"the ph`) holds spaces of the value being typed.
  const auto open_quote = std::count(typed.begin(), typed.end(), '"') % 2 == 1 ? typed.rfind('"') : std::string::npos;
  const auto space = open_quote == std::string::npos ? typed.find_last_of(" \t")
                     : open_quote == 0               ? std::string::npos
                                                     : typed.find_last_of(" \t", open_quote - 1);
  const std::size_t chunk_begin = space == std::string::npos ? 0 : space + 1;
  const auto colon = typed.find(':', chunk_begin);
  if (colon == std::string::npos) return {};
  std::string name = typed.substr(chunk_begin, colon - chunk_begin);
  // "NOT actor:sa" excludes as "-actor:sa" does: the word before the chunk is the operator.
  const std::string before = trim(typed.substr(0, chunk_begin));
  const bool after_not = before == "NOT" || (before.size() > 3 && before.compare(before.size() - 4, 4, " NOT") == 0) ||
                         (before.size() > 3 && before.compare(before.size() - 4, 4, "(NOT") == 0);
  // Operators glued to the field: "-actor:", "+type:", "(lang:", "-(type:", "NOT(lang:",
  // "x AND(type:", "(NOT(actor:".
  bool negated = after_not;
  std::size_t name_begin = 0;
  for (;;) {
    if (name.compare(name_begin, 4, "NOT(") == 0) {
      negated = true;
      name_begin += 4;
    } else if (name.compare(name_begin, 4, "AND(") == 0) {
      name_begin += 4;
    } else if (name.compare(name_begin, 3, "OR(") == 0) {
      name_begin += 3;
    } else if (name_begin < name.size() && (name[name_begin] == '(' || name[name_begin] == '+')) {
      ++name_begin;
    } else if (name_begin < name.size() && name[name_begin] == '-') {
      negated = true;
      ++name_begin;
    } else {
      break;
    }
  }
  name.erase(0, name_begin);
  name = ascii_lowercase(name);
  const SuggestField field = name == "actor"                   ? SuggestField::actor
                             : name == "ministry"              ? SuggestField::ministry
                             : name == "title"                 ? SuggestField::title
                             : name == "date"                  ? SuggestField::date
                             : find_query_field(name) != nullptr ? SuggestField::value
                                                               : SuggestField::any;
  if (field == SuggestField::any) return {};
  return {field, colon + 1, negated, name};
}

// Where the words typed last with nothing between them start: the pieces the segmenter
// cut a chunk of a script written without spaces into (Thai, Burmese, Chinese...).
// Elsewhere the last word alone; Korean pairs overlap, so they never join.
std::size_t glued_run_begin(const std::vector<Token>& words) {
  std::size_t begin = words.size() - 1;
  while (begin > 0 && words[begin - 1].end == words[begin].begin) --begin;
  return begin;
}

// "actor:sar k": a name typed after actor: or ministry: without quotes runs on past a
// space. The query language reads the value up to the space ("actor:sar": no such actor,
// 400) and then a word, so when that value names no actor (`names(field, value)` false)
// the words after it are still the name being typed: the field of the whole run, whose
// completions are the names (quoted when a query text is offered). Up to three more words.
template <typename Names>
FieldPrefix unquoted_name_field(const std::string& typed, Names&& names) {
  if (std::count(typed.begin(), typed.end(), '"') % 2 == 1) return {};
  std::size_t chunk_end = typed.find_last_of(" \t");
  for (int words_after = 1; words_after <= 3 && chunk_end != std::string::npos; ++words_after) {
    chunk_end = typed.find_last_not_of(" \t", chunk_end);
    if (chunk_end == std::string::npos) return {};
    const std::size_t space = typed.find_last_of(" \t", chunk_end);
    const std::string chunk = typed.substr(space == std::string::npos ? 0 : space + 1,
                                           chunk_end + 1 - (space == std::string::npos ? 0 : space + 1));
    if (chunk.find(':') != std::string::npos) {
      FieldPrefix prefix = suggest_field(typed.substr(0, chunk_end + 1));
      if (prefix.field != SuggestField::actor && prefix.field != SuggestField::ministry) return {};
      const std::string value = typed.substr(prefix.value_begin, chunk_end + 1 - prefix.value_begin);
      if (value.empty() || value.find_first_of("\"()") != std::string::npos || names(prefix.field, value)) return {};
      return prefix;
    }
    // The words of a name, not operators or groups.
    if (chunk.find_first_of("\"()") != std::string::npos || chunk == "AND" || chunk == "OR" || chunk == "NOT") {
      return {};
    }
    chunk_end = space;
  }
  return {};
}

}  // namespace

// True when `written` typed alone is searched as the index word `term` itself, not cut
// into other pieces: it then finds the documents that have the word.
bool Searcher::Impl::searched_as_itself(const std::string& written, const std::string& term) {
  const auto tokens = analyzer.tokenize(written);
  return tokens.size() == 1 && tokens.front().term == term;
}

// True when `chunk`, typed as one chunk, finds a visible document: its word, or its
// words as a phrase, as the query parser reads a chunk cut into several words.
bool Searcher::Impl::finds_as_typed(const std::string& chunk, const std::string& term_prefix,
                                    bool include_restricted) {
  const auto tokens = analyzer.tokenize(chunk);
  if (tokens.empty()) return false;
  std::vector<Xapian::Query> terms;
  for (const auto& token : tokens) terms.emplace_back(term_prefix + token.term);
  if (terms.size() == 1) return matches_visible(terms.front(), include_restricted);
  const auto length = static_cast<Xapian::termcount>(terms.size());
  return matches_visible(Xapian::Query(Xapian::Query::OP_PHRASE, terms.begin(), terms.end(), length),
                         include_restricted);
}

std::vector<Suggestion> Searcher::Impl::suggest(const std::string& prefix_text, int limit,
                                                bool include_restricted) {
  if (limit < 1 || limit > kMaxSuggestLimit) {
    throw UserError("bad_limit", "limit must be between 1 and " + std::to_string(kMaxSuggestLimit) +
                                     ", not " + std::to_string(limit));
  }
  check_user_text(prefix_text, "the prefix");
  std::string typed = trim(prefix_text);
  if (typed.empty()) return {};
  // A quote or group just closed (`source:"Amnesty (Cambodia)"`, `"human rights"`,
  // `(title:"human rights")`) ends what was typed: nothing is left to complete, and a
  // completion would reopen it (400 once searched).
  const bool quote_open = std::count(typed.begin(), typed.end(), '"') % 2 == 1;
  if (!quote_open && (typed.back() == '"' || typed.back() == ')')) return {};
  const auto wanted = static_cast<std::size_t>(limit);
  // "actor:sa", "ministry:inte", "title:decl": completions that the field takes. Index
  // words would make "actor:said", which the query language then refuses.
  FieldPrefix prefix_field = suggest_field(typed);
  if (prefix_field.field == SuggestField::any) {
    prefix_field = unquoted_name_field(typed, [this](SuggestField name_field, std::string_view value) {
      const EntityKind kind = name_field == SuggestField::actor ? EntityKind::Actor : EntityKind::Ministry;
      return authority()->resolve(kind, value, analyzer) != nullptr;
    });
  }
  const auto [field, value_begin, negated, field_name] = prefix_field;
  const std::string field_lead = typed.substr(0, value_begin);
  typed.erase(0, value_begin);
  if (field != SuggestField::any && !typed.empty() && typed.front() == '"') typed.erase(0, 1);
  if (typed.empty() || field == SuggestField::date) return {};
  const std::string normalised = normalize(typed);

  std::vector<Suggestion> out;
  std::unordered_set<std::string> seen;
  const auto add = [&out, &seen, wanted](Suggestion suggestion) {
    if (out.size() >= wanted) return;
    if (seen.insert(suggestion.kind + '\x1f' + suggestion.value).second) {
      out.push_back(std::move(suggestion));
    }
  };

  // type:, lang:, source: take the values of their facet ("type:le" -> "type:letter"),
  // those starting with what is typed first; index words would be refused or find nothing.
  if (field == SuggestField::value) {
    const auto values = facet_values(field_name, typed, kMaxFacetValuesLimit, include_restricted);
    for (const bool starting : {true, false}) {
      for (const auto& value : values) {
        if ((normalize(value.value).rfind(normalised, 0) == 0) != starting) continue;
        if (value.value.find('"') != std::string::npos) continue;  // cannot be quoted
        const bool quoted = value.value.find_first_of(" \t") != std::string::npos;
        const std::string completed = field_lead + (quoted ? '"' + value.value + '"' : value.value);
        add({completed, "term", completed});
      }
    }
    return out;
  }

  // 1. Actors and ministries named (id, name or alias) by something starting with the
  //    prefix, or with a word starting with it; only those in visible documents.
  struct EntityMatch {
    const AuthorityEntry* entry;
    std::uint64_t documents;
  };
  std::vector<EntityMatch> entities;
  for (const auto& entry : authority()->entries()) {
    if ((field == SuggestField::actor && entry.kind != EntityKind::Actor) ||
        (field == SuggestField::ministry && entry.kind != EntityKind::Ministry) || field == SuggestField::title) {
      continue;
    }
    std::vector<std::string> names = entry.aliases;
    names.push_back(entry.name);
    names.push_back(entry.id);
    const bool named = std::any_of(names.begin(), names.end(), [&](const std::string& name) {
      if (normalize(name).compare(0, normalised.size(), normalised) == 0) return true;
      const auto words = analyzer.tokenize(name);
      return std::any_of(words.begin(), words.end(), [&](const Token& word) {
        return word.term.compare(0, normalised.size(), normalised) == 0;
      });
    });
    if (!named) continue;
    const char* term_prefix = entry.kind == EntityKind::Actor ? prefix::kActor : prefix::kMinistry;
    const auto documents = count_visible(Xapian::Query(term_prefix + entry.id), include_restricted);
    if (documents > 0) entities.push_back({&entry, documents});
  }
  std::sort(entities.begin(), entities.end(), [](const EntityMatch& a, const EntityMatch& b) {
    return a.documents != b.documents ? a.documents > b.documents : a.entry->name < b.entry->name;
  });
  for (const auto& match : entities) {
    if (negated) {
      // "-actor:sa" asks to leave an actor out: offer the query text that does, since an
      // actor suggestion is picked as a filter that keeps only that actor's documents.
      const std::string& name = match.entry->name;
      const bool quotable = name.find('"') == std::string::npos;
      const std::string completed = field_lead + (quotable ? '"' + name + '"' : match.entry->id);
      add({completed, "term", completed});
      continue;
    }
    add({match.entry->name, match.entry->kind == EntityKind::Actor ? "actor" : "ministry",
         match.entry->id});
  }

  if (field == SuggestField::actor || field == SuggestField::ministry) return out;
  const auto words = analyzer.tokenize(typed);
  if (words.empty()) return out;
  const std::string& last_word = words.back().term;

  // 2. Titles of visible documents holding the complete words and a word with the prefix.
  if (out.size() < wanted && field == SuggestField::any) {
    std::vector<Xapian::Query> parts;
    for (std::size_t i = 0; i + 1 < words.size(); ++i) parts.emplace_back(prefix::kTitle + words[i].term);
    parts.emplace_back(Xapian::Query::OP_WILDCARD, prefix::kTitle + last_word, 200,
                       Xapian::Query::WILDCARD_LIMIT_MOST_FREQUENT);
    Xapian::Enquire enquire(db());
    enquire.set_query(visible_only(all_of(parts), include_restricted));
    const auto titles = enquire.get_mset(0, static_cast<Xapian::doccount>(wanted));
    for (auto it = titles.begin(); it != titles.end(); ++it) {
      const auto record = parse_record(it.get_document().get_data());
      add({record.title, "title", record.id});
    }
  }

  // 3. Index words (after title: words of titles) completing what is typed, most frequent
  //    first; words as written, never unaccented copies (complete_term).
  if (out.size() < wanted) {
    const std::string term_prefix = field == SuggestField::title ? prefix::kTitle : "";
    // A Korean pair that completes a prefix is as likely a fragment across two words as a
    // word, so none is offered; left out before the limit, so that words fill it.
    const TermVisibility visible = term_visibility(include_restricted);
    const TermVisibility offered = [&](const std::string& term) {
      return !is_hangul_syllable_pair(std::string_view(term).substr(term_prefix.size())) && visible(term);
    };
    // Thai, Burmese, Japanese... are typed without spaces, and the segmenter cuts a word
    // not finished yet into dictionary pieces ("เสรีภา": เสรี + ภา). Completing only the
    // last piece glued to the others makes words nobody wrote ("เสรีภาษา"), so the whole
    // run of glued pieces is completed first ("เสรีภาพ"), then shorter tails of it, each
    // kept only if what the search box would then hold finds documents.
    const std::size_t run_begin = glued_run_begin(words);
    // Inside a quote still open ("right to li) the completion ends the phrase: the words
    // before it in the quote must stand with it in a document, and the quote is closed,
    // or the box would hold a phrase found nowhere, or a query refused (unbalanced quote).
    const std::size_t phrase_begin =
        field == SuggestField::any && quote_open ? typed.rfind('"') + 1 : std::string::npos;
    // Words joined by a hyphen or maqaf ("human-ri", "די־א") are searched as a phrase: a
    // completion must stand with the words before it, or the box would hold "human-rin".
    std::size_t joined_begin = run_begin;
    while (joined_begin > 0) {
      const std::string_view between = std::string_view(typed).substr(
          words[joined_begin - 1].end, words[joined_begin].begin - words[joined_begin - 1].end);
      const bool hyphen = between == "-" || between == "\u2010" || between == "\u2011" || between == "\u05BE";
      if (!hyphen) break;
      --joined_begin;
    }
    for (std::size_t first = run_begin; first < words.size() && out.size() < wanted; ++first) {
      std::string tail;
      for (std::size_t i = first; i < words.size(); ++i) tail += words[i].term;
      const bool in_phrase = phrase_begin != std::string::npos && words[first].begin >= phrase_begin;
      const std::size_t checked_from = in_phrase ? phrase_begin : words[joined_begin].begin;
      const std::string typed_before = typed.substr(checked_from, words[first].begin - checked_from);
      const bool alone = first == run_begin && joined_begin == run_begin && trim(typed_before).empty();
      // Checked candidates may be turned down, so a glued run or a phrase asks for more.
      const std::size_t candidates = (wanted - out.size()) * (alone && run_begin + 1 == words.size() ? 1 : 3);
      auto terms = complete_term(db(), term_prefix + tail, candidates, offered);
      for (auto& term : terms) {
        term.erase(0, term_prefix.size());
        // Checked as the index word (its written form searches the same words); the written
        // form, a document lookup, only for what is offered.
        const std::string indexed = as_written(term);
        if (!(alone && searched_as_itself(indexed, term)) &&
            !finds_as_typed(typed_before + indexed, term_prefix, include_restricted)) {
          continue;
        }
        const std::string word = keep_typed_characters(std::string_view(typed).substr(words[first].begin),
                                                       as_readers_write(term, include_restricted), term);
        const std::string completed =
            field_lead + typed.substr(0, words[first].begin) + word + (in_phrase ? "\"" : "");
        add({completed, "term", completed});
      }
    }
  }

  // 4. Korean words as the documents write them: the index holds syllable pairs, which
  //    step 3 leaves out (korean_completion.cpp).
  if (out.size() < wanted && field == SuggestField::any && !quote_open) {
    const std::string start = trailing_hangul_word(typed);
    for (const auto& word : korean_completions(typed, wanted - out.size(), include_restricted)) {
      const std::string completed = typed.substr(0, typed.size() - start.size()) + word;
      add({completed, "term", completed});
    }
  }
  return out;
}

std::string Searcher::Impl::as_readers_write(const std::string& term, bool include_restricted) {
  const std::string word = as_written(term);
  if (!may_be_folded(term)) return word;
  // As the shortest of the first visible documents holding it writes it (its text is
  // parsed, so not a 20 MB report's when a short letter has the word too).
  Xapian::Enquire enquire(db());
  enquire.set_query(detail::visible_only(Xapian::Query(term), include_restricted));
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  const Xapian::MSet some = enquire.get_mset(0, 20);
  Xapian::docid shortest = 0;
  Xapian::termcount shortest_length = 0;
  for (auto it = some.begin(); it != some.end(); ++it) {
    const Xapian::termcount length = db().get_doclength(*it);
    if (shortest == 0 || length < shortest_length) {
      shortest = *it;
      shortest_length = length;
    }
  }
  // Parsing a document costs ~3 ms per MB, per word offered: not for long reports alone.
  constexpr Xapian::termcount kMaxWordsRead = 100000;
  if (shortest == 0 || shortest_length > kMaxWordsRead) return word;
  const std::string written = written_word(parse_record(db().get_document(shortest).get_data()).text, term, analyzer);
  return written.empty() ? word : written;
}

std::vector<FacetCount> Searcher::Impl::facet_values(const std::string& name,
                                                     const std::string& contains, int limit,
                                                     bool include_restricted) {
  const FacetDef* facet = find_facet(name);
  if (facet == nullptr) throw UserError("unknown_facet", "there is no facet named \"" + name + "\"");
  if (limit < 1 || limit > kMaxFacetValuesLimit) {
    throw UserError("bad_limit", "limit must be between 1 and " + std::to_string(kMaxFacetValuesLimit) +
                                     ", not " + std::to_string(limit));
  }
  check_user_text(contains, "the filter text");
  const std::string wanted = normalize(trim(contains));
  const auto counts = count_facet(visible_only(match_all(), include_restricted), *facet);
  // An actor or ministry is found by any of its names: "Keut" finds Koeut Rith, whom the
  // open letter calls Keut Rith, as the actor filter and free text do.
  const auto names_of = [&](const std::string& value) {
    std::vector<std::string> names{value, detail::facet_label(*facet, value, authority().get())};
    EntityKind kind{};
    if (detail::facet_entity_kind(*facet, kind)) {
      if (const auto* entry = authority()->find_by_id(kind, value)) {
        names.insert(names.end(), entry->aliases.begin(), entry->aliases.end());
      }
    }
    return names;
  };
  // Values whose code or a name is what was typed come first ("km" is Khmer, before
  // Kimbundu and Turkmen, which only contain it), then those with a name starting with
  // it, then the rest; by count within each.
  enum Tier { whole, start, inside, kTiers };
  detail::ValueCounts tiers[kTiers];
  for (const auto& [value, count] : counts) {
    if (wanted.empty()) {
      tiers[whole].emplace(value, count);
      continue;
    }
    int best = kTiers;
    for (const auto& candidate : names_of(value)) {
      const std::string normalized = normalize(candidate);
      const auto at = normalized.find(wanted);
      if (at == std::string::npos) continue;
      best = std::min<int>(best, normalized.size() == wanted.size() ? whole : at == 0 ? start : inside);
    }
    if (best < kTiers) tiers[best].emplace(value, count);
  }
  std::vector<FacetCount> ranked;
  for (const auto& tier : tiers) {
    if (ranked.size() >= static_cast<std::size_t>(limit)) break;
    auto part = detail::rank_counts(tier, *facet, authority().get(), static_cast<std::size_t>(limit) - ranked.size());
    ranked.insert(ranked.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
  }
  return ranked;
}

std::uint64_t Searcher::Impl::distinct_words(bool include_restricted) {
  auto& cached = include_restricted ? index.distinct_words_all : index.distinct_words_visible;
  if (cached) return *cached;
  std::set<Xapian::docid> restricted;
  if (!include_restricted) {
    const std::string term = std::string(prefix::kAccess) + kRestrictedAccess;
    for (auto it = db().postlist_begin(term); it != db().postlist_end(term); ++it) restricted.insert(*it);
  }
  std::uint64_t words = 0;
  // Words are case-folded, so they never start with an ASCII capital; prefixed terms
  // ("S...", "XA...", "Z...") all do and sort together between "A" and "[".
  auto it = db().allterms_begin();
  const auto end = db().allterms_end();
  while (it != end) {
    const std::string term = *it;
    if (term.front() >= 'A' && term.front() <= 'Z') {
      it.skip_to("[");
      continue;
    }
    if (restricted.empty() || it.get_termfreq() > restricted.size()) {
      ++words;
    } else {
      // Rare word: count it only if a visible document has it.
      for (auto posting = db().postlist_begin(term); posting != db().postlist_end(term); ++posting) {
        if (restricted.count(*posting) == 0) {
          ++words;
          break;
        }
      }
    }
    ++it;
  }
  cached = words;
  return words;
}

IndexStats Searcher::Impl::stats(bool include_restricted) {
  IndexStats stats;
  const std::string restricted_term = std::string(prefix::kAccess) + kRestrictedAccess;
  stats.documents = doccount() - (include_restricted ? 0 : db().get_termfreq(restricted_term));
  stats.terms = distinct_words(include_restricted);
  stats.build_time = db().get_metadata(kBuildTimeKey);
  stats.generation = db().get_metadata(kGenerationKey);
  stats.facets = all_facets_over(visible_only(match_all(), include_restricted), 0);
  return stats;
}

SearchResponse Searcher::search(const SearchRequest& request) {
  return impl_->guarded([&] { return impl_->search(request); });
}

DocumentResponse Searcher::document(const std::string& id, const std::string& query,
                                    bool include_restricted) {
  return impl_->guarded([&] { return impl_->document(id, query, include_restricted); });
}

std::vector<Suggestion> Searcher::suggest(const std::string& prefix, int limit,
                                          bool include_restricted) {
  return impl_->guarded([&] { return impl_->suggest(prefix, limit, include_restricted); });
}

std::vector<FacetCount> Searcher::facet_values(const std::string& name, const std::string& contains,
                                               int limit, bool include_restricted) {
  return impl_->guarded([&] { return impl_->facet_values(name, contains, limit, include_restricted); });
}

IndexStats Searcher::stats(bool include_restricted) {
  return impl_->guarded([&] { return impl_->stats(include_restricted); });
}

}  // namespace rights
