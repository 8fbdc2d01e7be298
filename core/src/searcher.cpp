// rights::Searcher: queries, facets, hits, did-you-mean, documents, completions, stats.
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <sstream>
#include <unordered_set>

#include "facet_columns.h"
#include "facet_counts.h"
#include "index_source.h"
#include "rights/query_parser.h"
#include "rights/schema.h"
#include "rights/search.h"
#include "rights/snippets.h"
#include "rights/spelling.h"
#include "stable_ranking.h"

namespace rights {

namespace {

constexpr std::size_t kFacetValuesPerResponse = 50;
constexpr std::size_t kSnippetBytes = 300;
constexpr int kMaxSuggestions = 20;
constexpr int kMaxFacetValues = 1000;
// Below this many hits a did-you-mean rewrite is worth offering.
constexpr std::uint64_t kSuggestBelowTotal = 3;
constexpr const char* kRestrictedAccess = "restricted";

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n\f\v");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n\f\v");
  return text.substr(first, last - first + 1);
}

// User-supplied text other than the query (filters, prefixes): same limits as queries.
void check_user_text(const std::string& text, const char* what) {
  if (text.size() > kMaxQueryBytes) {
    throw TooLarge("query_too_long", std::string(what) + " is " + std::to_string(text.size()) +
                                         " bytes long; the limit is " +
                                         std::to_string(kMaxQueryBytes));
  }
  if (!is_valid_utf8(text)) {
    throw UserError("bad_encoding", std::string(what) + " is not valid UTF-8");
  }
}

Xapian::Query restricted_documents() {
  return Xapian::Query(std::string(prefix::kAccess) + kRestrictedAccess);
}

Xapian::Query visible_only(const Xapian::Query& query, bool include_restricted) {
  if (include_restricted) return query;
  return Xapian::Query(Xapian::Query::OP_AND_NOT, query, restricted_documents());
}

Xapian::Query all_of(const std::vector<Xapian::Query>& parts) {
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

// Between attempts to reopen an index that failed (a shard down, a broken replica): a
// burst of requests must not each wait for connection attempts.
constexpr auto kReopenRetryInterval = std::chrono::seconds(1);

IndexLocation local_index(const std::string& index_path) {
  IndexLocation location;
  location.index_path = index_path;
  return location;
}

// A request's facet filters, by facet, so disjunctive counts can drop one of them.
struct FacetFilter {
  const FacetDef* facet;
  Xapian::Query query;
};

}  // namespace

struct Searcher::Impl {
  IndexLocation location;
  std::shared_ptr<const Authority> authority;
  std::shared_ptr<SearchCaches> caches;
  detail::OpenIndex index;
  TextAnalyzer analyzer;
  // Set when `index` must not be used (a shard stopped answering, a reopened index failed
  // its checks): why, as the exception to answer with until a reopen succeeds.
  std::exception_ptr unusable;
  std::chrono::steady_clock::time_point next_reopen_attempt;
  std::chrono::steady_clock::time_point next_remote_check;
  // When refresh() first found a new generation it waits to take up (NewGeneration).
  std::optional<std::chrono::steady_clock::time_point> new_generation_seen;

  Impl(IndexLocation location_in, std::shared_ptr<const Authority> authority_in,
       std::shared_ptr<SearchCaches> caches_in)
      : location(std::move(location_in)),
        authority(authority_in ? std::move(authority_in) : std::make_shared<const Authority>()),
        caches(caches_in ? std::move(caches_in) : std::make_shared<SearchCaches>()),
        index(detail::open_index(location)),
        next_remote_check(std::chrono::steady_clock::now() + location.remote_recheck_interval) {}

  template <typename Function>
  auto guarded(Function&& function) -> decltype(function());
  bool reopen_replacing();
  bool refresh(NewGeneration when);
  bool take_up_when_warm();
  bool refresh_remote();

  Xapian::Database& db() { return index.db; }

  QueryContext query_context() { return QueryContext{analyzer, authority.get(), index.stem_languages}; }

  Xapian::doccount doccount() { return db().get_doccount(); }

  // In-memory facet columns of a single local database; null for shards and remote
  // databases (a match spy sees only shard-local document ids there, and a remote server
  // can only run stock spies) and while another thread loads them. Loads them if they are
  // not there, unless a warmer loads them (SearchCaches) and `load` is false.
  std::shared_ptr<const detail::FacetColumns> facet_columns(bool load = false) {
    if (!single_local_database()) return nullptr;
    if (caches->facet_columns_warmed_elsewhere && !load) return caches->facet_columns.find(revision_key());
    return caches->facet_columns.get(revision_key(), db());
  }

  bool single_local_database() { return !location.is_remote() && db().size() == 1; }

  // Names what this searcher reads: the generation and, as a replica is updated in place
  // under the same generation name, the revision. Single local databases only (a stub of
  // shards or a remote set has no one revision).
  std::string revision_key() { return revision_key_of(index); }
  static std::string revision_key_of(const detail::OpenIndex& open) {
    return open.generation + "@" + std::to_string(open.db.get_revision());
  }

  // Key of `query`'s counts in the shared MatchCountCache, or "" when they are not cached
  // (cache off; shards and remote databases, whose revisions cannot be named). The query
  // is serialised, not described: serialisation is unambiguous, whatever a term contains,
  // and it includes visible_only()'s exclusion, so public and restricted counts never mix.
  std::string count_cache_key(const Xapian::Query& query) {
    if (!caches->match_counts.enabled() || !single_local_database()) return {};
    return revision_key() + '\n' + query.serialise();
  }

  // Counts of the facets `facet_indexes` (into kFacets), in that order, from one match of
  // `enquire` run by `run_match` — with `columns` (from facet_columns()) when there are
  // some, else with one stock ValueCountMatchSpy per facet.
  template <typename RunMatch>
  std::vector<detail::ValueCounts> count_facets_in(Xapian::Enquire& enquire,
                                                   std::shared_ptr<const detail::FacetColumns> columns,
                                                   const std::vector<std::size_t>& facet_indexes, RunMatch&& run_match) {
    std::vector<detail::ValueCounts> counts;
    if (columns) {
      detail::FacetColumnSpy spy(std::move(columns), facet_indexes);
      enquire.add_matchspy(&spy);
      run_match();
      enquire.clear_matchspies();
      for (const std::size_t facet : facet_indexes) counts.push_back(spy.counts(facet));
      return counts;
    }
    std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
    for (const std::size_t facet : facet_indexes) {
      spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(slot_number(kFacets[facet].slot)));
      enquire.add_matchspy(spies.back().get());
    }
    run_match();
    enquire.clear_matchspies();
    for (const auto& spy : spies) counts.push_back(detail::unpack_counts(*spy));
    return counts;
  }

  static std::vector<std::size_t> every_facet() {
    std::vector<std::size_t> indexes(kFacets.size());
    for (std::size_t i = 0; i < indexes.size(); ++i) indexes[i] = i;
    return indexes;
  }

  // True when `query` matches a document the caller may see.
  bool matches_visible(const Xapian::Query& query, bool include_restricted) {
    Xapian::Enquire enquire(db());
    enquire.set_query(visible_only(query, include_restricted));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    return enquire.get_mset(0, 1).size() > 0;
  }

  std::uint64_t count_visible(const Xapian::Query& query, bool include_restricted) {
    Xapian::Enquire enquire(db());
    enquire.set_query(visible_only(query, include_restricted));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    return enquire.get_mset(0, 0, doccount()).get_matches_estimated();
  }

  TermVisibility term_visibility(bool include_restricted) {
    return [this, include_restricted](const std::string& term) {
      if (include_restricted) return db().term_exists(term);
      return db().term_exists(term) && matches_visible(Xapian::Query(term), false);
    };
  }

  const AuthorityEntry* resolve_or_throw(EntityKind kind, const std::string& value) {
    if (const auto* entry = authority->resolve(kind, value, analyzer)) return entry;
    const bool actor = kind == EntityKind::Actor;
    throw UserError(actor ? "unknown_actor" : "unknown_ministry",
                    std::string("no ") + (actor ? "actor" : "ministry") + " named \"" + value + "\"");
  }

  std::vector<FacetFilter> facet_filters(const SearchRequest& request) {
    std::vector<FacetFilter> filters;
    for (const auto& [name, values] : request.filters) {
      const FacetDef* facet = find_facet(name);
      if (facet == nullptr) throw UserError("unknown_facet", "there is no facet named \"" + name + "\"");
      std::vector<Xapian::Query> alternatives;
      for (const auto& value : values) {
        check_user_text(value, "a filter value");
        if (trim(value).empty()) continue;
        EntityKind kind{};
        if (detail::facet_entity_kind(*facet, kind)) {
          const auto* entry = resolve_or_throw(kind, value);
          alternatives.emplace_back(facet->term_prefix + entry->id);
        } else {
          alternatives.emplace_back(boolean_term(facet->term_prefix, value));
        }
      }
      if (alternatives.empty()) continue;
      filters.push_back({facet, Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(),
                                              alternatives.end())});
    }
    return filters;
  }

  static std::optional<Xapian::Query> date_filter(const SearchRequest& request) {
    if (request.from_date.empty() && request.to_date.empty()) return std::nullopt;
    // Undated documents have no Date value, so any range excludes them.
    return date_range_query(request.from_date, request.to_date);
  }

  // The parsed query restricted by every filter except `without` (for disjunctive counts).
  static Xapian::Query filtered(const Xapian::Query& parsed, const std::vector<FacetFilter>& facets,
                                const std::optional<Xapian::Query>& dates,
                                const FacetDef* without, bool include_restricted) {
    std::vector<Xapian::Query> filters;
    for (const auto& filter : facets) {
      if (filter.facet != without) filters.push_back(filter.query);
    }
    // The date range narrows the year facet, so it counts as the year facet's own filter.
    const bool counting_years = without != nullptr && without->slot == Slot::Year;
    if (dates && !counting_years) filters.push_back(*dates);
    Xapian::Query query = parsed;
    if (!filters.empty()) query = Xapian::Query(Xapian::Query::OP_FILTER, query, all_of(filters));
    return visible_only(query, include_restricted);
  }

  // Counts of one facet over the documents matching `query`.
  detail::ValueCounts count_facet(const Xapian::Query& query, const FacetDef& facet) {
    return counts_of(query)->facets[static_cast<std::size_t>(&facet - kFacets.data())];
  }

  // Total and every facet's counts (kFacets order) over the documents matching `query`:
  // from the shared cache, or counted in a match of their own, unweighted and in relevance
  // order, the one order in which Xapian 1.4 counts remote matches exactly (see search()).
  // Every facet is counted even when one is wanted: the cost is in visiting the matches,
  // and the entry then serves the other facets of a later request too.
  std::shared_ptr<const detail::MatchCounts> counts_of(const Xapian::Query& query) {
    const std::string key = count_cache_key(query);
    if (!key.empty()) {
      if (auto cached = caches->match_counts.find(key)) return cached;
    }
    Xapian::Enquire enquire(db());
    enquire.set_query(query);
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    auto counts = std::make_shared<detail::MatchCounts>();
    counts->facets = count_facets_in(enquire, facet_columns(), every_facet(), [&] {
      counts->total = enquire.get_mset(0, 0, doccount()).get_matches_estimated();
    });
    if (!key.empty()) caches->match_counts.insert(key, counts);
    return counts;
  }

  std::map<std::string, std::vector<FacetCount>> all_facets_over(const Xapian::Query& query,
                                                                 std::size_t limit) {
    const auto counts = counts_of(query);
    std::map<std::string, std::vector<FacetCount>> facets;
    for (std::size_t i = 0; i < kFacets.size(); ++i) {
      facets[std::string(kFacets[i].name)] = detail::rank_counts(counts->facets[i], kFacets[i], authority.get(), limit);
    }
    return facets;
  }

  SearchResponse search(const SearchRequest& request);
  std::string did_you_mean(const std::string& query_text, const ParsedQuery& parsed,
                           bool include_restricted);
  DocumentResponse document(const std::string& id, const std::string& query, bool include_restricted);
  std::vector<Suggestion> suggest(const std::string& prefix, int limit, bool include_restricted);
  std::vector<FacetCount> facet_values(const std::string& name, const std::string& contains,
                                       int limit, bool include_restricted);
  IndexStats stats(bool include_restricted);
  std::uint64_t distinct_words(bool include_restricted);
};

SearchResponse Searcher::Impl::search(const SearchRequest& request) {
  const auto started = std::chrono::steady_clock::now();
  if (request.per_page < 1 || request.per_page > kMaxPerPage) {
    throw UserError("bad_per_page", "per_page must be between 1 and " + std::to_string(kMaxPerPage) +
                                        ", not " + std::to_string(request.per_page));
  }
  if (request.page < 1) {
    throw UserError("bad_page", "page must be 1 or more, not " + std::to_string(request.page));
  }
  const ParsedQuery parsed = analyse_query(request.query, query_context());
  const auto facets = facet_filters(request);
  const auto dates = date_filter(request);

  const Xapian::Query query = filtered(parsed.query, facets, dates, nullptr, request.include_restricted);
  // SortKey order from memory when this database has its columns loaded, else from the
  // value slot: the same order (declared before `enquire`, which points at it).
  const auto columns = facet_columns();
  const auto sort_key_order = columns ? std::make_unique<detail::SortKeyOrder>(columns) : nullptr;
  Xapian::Enquire enquire(db());
  enquire.set_query(query);
  // Without words to score (empty query, only filters/negations) BM25 would rank by
  // document length; a constant weight keeps the order neutral (index order).
  if (!parsed.has_scoring_terms) enquire.set_weighting_scheme(Xapian::BoolWeight());
  // Every order ends in Slot::SortKey (date, then id), never in Xapian's document ids:
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
    // Undated documents have an empty date: first ascending, last descending.
    const bool descending = request.sort == SortOrder::DateDescending;
    if (sort_key_order) {
      enquire.set_sort_by_key(sort_key_order.get(), descending);
    } else {
      enquire.set_sort_by_value(slot_number(Slot::SortKey), descending);
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
  std::optional<detail::RankedPage> ranked;
  // Remote and not by pure relevance (see above): counted first, in a match of their own.
  if (!counts && !spies_in_main_match) counts = counts_of(query);
  const auto run_main_match = [&] {
    // Counts known: only rank. Else checkatleast = every document: the total is exact and
    // the spies see every match.
    ranked = detail::rank_page(enquire, first_item, static_cast<Xapian::doccount>(request.per_page),
                               total_documents, by_weight,
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

  SearchResponse response;
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
    response.facets[std::string(facet.name)] =
        detail::rank_counts(facet_counts->facets[i], facet, authority.get(), kFacetValuesPerResponse);
  }
  for (const auto& ranked_hit : ranked->hits) {
    DocumentRecord record = parse_record(ranked_hit.document.get_data());
    Hit hit;
    std::size_t snippet_offset = 0;
    hit.snippet = make_snippet(record.text, parsed.highlight, analyzer, kSnippetBytes, &snippet_offset);
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
    response.suggestion = did_you_mean(request.query, parsed, request.include_restricted);
  }
  response.took_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  return response;
}

std::string Searcher::Impl::did_you_mean(const std::string& query_text, const ParsedQuery& parsed,
                                         bool include_restricted) {
  const auto context = query_context();
  const auto visible = term_visibility(include_restricted);
  std::string rewritten = query_text;
  bool changed = false;
  // Back to front, so the byte ranges of earlier words stay valid after a replacement.
  for (auto word = parsed.plain_words.rbegin(); word != parsed.plain_words.rend(); ++word) {
    // A word found in any form (its stems included) is not a typo.
    if (matches_visible(word_query(word->term, context), include_restricted)) continue;
    const std::string correction = spelling_correction(db(), word->term, visible);
    if (correction.empty()) continue;
    rewritten.replace(word->begin, word->end - word->begin, correction);
    changed = true;
  }
  return changed ? rewritten : std::string();
}

DocumentResponse Searcher::Impl::document(const std::string& id, const std::string& query,
                                          bool include_restricted) {
  // One message for "missing" and "restricted": the answer must not reveal existence.
  const auto not_found = [&id] { return NotFound("not_found", "no document with id \"" + id + "\""); };
  if (id.empty() || id.size() > kMaxTermBytes || !is_valid_utf8(id)) throw not_found();
  const std::string id_term = prefix::kId + id;
  const auto posting = db().postlist_begin(id_term);
  if (posting == db().postlist_end(id_term)) throw not_found();
  DocumentResponse response;
  response.record = parse_record(db().get_document(*posting).get_data());
  if (response.record.access == kRestrictedAccess && !include_restricted) throw not_found();
  if (trim(query).empty()) {
    response.highlighted_text = html_escape(response.record.text);
  } else {
    const ParsedQuery parsed = analyse_query(query, query_context());
    response.highlighted_text = highlight_all(response.record.text, parsed.highlight, analyzer);
  }
  return response;
}

std::vector<Suggestion> Searcher::Impl::suggest(const std::string& prefix_text, int limit,
                                                bool include_restricted) {
  if (limit < 1 || limit > kMaxSuggestions) {
    throw UserError("bad_limit", "limit must be between 1 and " + std::to_string(kMaxSuggestions) +
                                     ", not " + std::to_string(limit));
  }
  check_user_text(prefix_text, "the prefix");
  const std::string typed = trim(prefix_text);
  if (typed.empty()) return {};
  const auto wanted = static_cast<std::size_t>(limit);
  const std::string normalised = normalize(typed);

  std::vector<Suggestion> out;
  std::unordered_set<std::string> seen;
  const auto add = [&out, &seen, wanted](Suggestion suggestion) {
    if (out.size() >= wanted) return;
    if (seen.insert(suggestion.kind + '\x1f' + suggestion.value).second) {
      out.push_back(std::move(suggestion));
    }
  };

  // 1. Actors and ministries named (id, name or alias) by something starting with the
  //    prefix, or with a word starting with it; only those in visible documents.
  struct EntityMatch {
    const AuthorityEntry* entry;
    std::uint64_t documents;
  };
  std::vector<EntityMatch> entities;
  for (const auto& entry : authority->entries()) {
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
    add({match.entry->name, match.entry->kind == EntityKind::Actor ? "actor" : "ministry",
         match.entry->id});
  }

  const auto words = analyzer.tokenize(typed);
  if (words.empty()) return out;
  const std::string& last_word = words.back().term;

  // 2. Titles of visible documents holding the complete words and a word with the prefix.
  if (out.size() < wanted) {
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

  // 3. Index words completing the last word typed, most frequent first.
  if (out.size() < wanted) {
    const std::string lead = typed.substr(0, words.back().begin);
    for (const auto& term : complete_term(db(), last_word, wanted - out.size() + 1,
                                          term_visibility(include_restricted))) {
      const std::string completed = lead + term;
      add({completed, "term", completed});
    }
  }
  return out;
}

std::vector<FacetCount> Searcher::Impl::facet_values(const std::string& name,
                                                     const std::string& contains, int limit,
                                                     bool include_restricted) {
  const FacetDef* facet = find_facet(name);
  if (facet == nullptr) throw UserError("unknown_facet", "there is no facet named \"" + name + "\"");
  if (limit < 1 || limit > kMaxFacetValues) {
    throw UserError("bad_limit", "limit must be between 1 and " + std::to_string(kMaxFacetValues) +
                                     ", not " + std::to_string(limit));
  }
  check_user_text(contains, "the filter text");
  const std::string wanted = normalize(trim(contains));
  const auto counts = count_facet(visible_only(match_all(), include_restricted), *facet);
  detail::ValueCounts kept;
  for (const auto& [value, count] : counts) {
    if (wanted.empty() || normalize(value).find(wanted) != std::string::npos ||
        normalize(detail::facet_label(*facet, value, authority.get())).find(wanted) !=
            std::string::npos) {
      kept.emplace(value, count);
    }
  }
  return detail::rank_counts(kept, *facet, authority.get(), static_cast<std::size_t>(limit));
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

Searcher::Searcher(const std::string& index_path, std::shared_ptr<const Authority> authority)
    : Searcher(local_index(index_path), std::move(authority)) {}
Searcher::Searcher(const IndexLocation& location, std::shared_ptr<const Authority> authority,
                   std::shared_ptr<SearchCaches> caches)
    : impl_(std::make_unique<Impl>(location, std::move(authority), std::move(caches))) {}
Searcher::~Searcher() = default;
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;

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

const std::string& Searcher::generation() const { return impl_->index.generation; }

bool Searcher::refresh(NewGeneration when) { return impl_->refresh(when); }

bool Searcher::warm() {
  return impl_->guarded([&] { return impl_->facet_columns(/*load=*/true) != nullptr; });
}

void Searcher::throw_if_unusable() const {
  if (impl_->unusable) std::rethrow_exception(impl_->unusable);
}

// Public methods run their body through this. A failing index surfaces as
// IndexUnavailable (503), a remote shard that stops answering as ShardUnavailable, never
// as a partial answer. Two failures are retried once, after reopening: a connection
// that xapian-tcpsrv closed for idling, and a replica that xapian-replicate changed in
// place while we read (DatabaseModifiedError).
template <typename Function>
auto Searcher::Impl::guarded(Function&& function) -> decltype(function()) {
  try {
    if (unusable && !reopen_replacing()) std::rethrow_exception(unusable);
    try {
      return function();
    } catch (const Xapian::NetworkError&) {
      unusable = std::current_exception();
      next_reopen_attempt = {};  // reconnect now: an idle timeout is the usual cause
      // A failed reopen recorded which shards are down, better than this error's context.
      if (!reopen_replacing()) std::rethrow_exception(unusable);
      return function();
    } catch (const Xapian::DatabaseModifiedError&) {
      if (location.is_remote()) throw;  // never reopen remotes: see refresh_remote()
      index.db.reopen();
      detail::reload_index_facts(location, index);
      return function();
    }
  } catch (const Xapian::NetworkError& e) {
    unusable = std::make_exception_ptr(detail::shard_failure(location, e));
    std::rethrow_exception(unusable);
  } catch (const Xapian::DatabaseError& e) {
    throw IndexUnavailable("index read failed: " + e.get_description());
  } catch (const Xapian::Error& e) {
    throw std::runtime_error("search failed: " + e.get_description());
  }
}

// Opens the location afresh (new connections, the current generation or replica copy)
// and swaps it in. On failure keeps what is open, records why in `unusable` if that is
// already unusable, and returns false; tries at most once per kReopenRetryInterval.
bool Searcher::Impl::reopen_replacing() {
  const auto now = std::chrono::steady_clock::now();
  if (now < next_reopen_attempt) return false;
  next_reopen_attempt = now + kReopenRetryInterval;
  try {
    index = detail::open_index(location);
    unusable = nullptr;
    new_generation_seen.reset();
    return true;
  } catch (const IndexUnavailable&) {
    if (unusable) unusable = std::current_exception();
    return false;
  }
}

bool Searcher::Impl::refresh(NewGeneration when) {
  if (unusable) return reopen_replacing();
  if (location.is_remote()) return refresh_remote();
  if (detail::local_index_replaced(location, index)) {
    const bool wait = when == NewGeneration::when_warm && caches->facet_columns_warmed_elsewhere;
    return wait ? take_up_when_warm() : reopen_replacing();
  }
  new_generation_seen.reset();  // the symlink went back before the wait was over
  // Same database: a replica that xapian-replicate may have updated in place.
  bool moved_on = false;
  try {
    moved_on = index.db.reopen();
  } catch (const Xapian::Error&) {
    // Not moved: what is open still reads its revision. Try afresh, else keep serving it.
    next_reopen_attempt = {};
    return reopen_replacing();
  }
  if (!moved_on) return false;
  try {
    detail::reload_index_facts(location, index);
    return true;
  } catch (const IndexUnavailable&) {
    // The handles are on the new revision, which cannot be served (another schema):
    // answer 503 until a fresh open finds something usable.
    unusable = std::current_exception();
    next_reopen_attempt = {};
    return reopen_replacing();
  }
}

// Takes up the new generation behind INDEX_PATH once the warmer has loaded its facet
// columns. Switching at once would make every request of the next seconds count with
// Xapian's spies: at a million documents a query matching most of them takes ~2.3 s that
// way against ~0.2 s with the columns, and the warmer's load takes ~1.4 s. The open
// generation stays readable meanwhile (the indexer keeps the previous one); when it is
// gone anyway, or the warmer is late beyond the limit, the switch happens regardless.
bool Searcher::Impl::take_up_when_warm() {
  const auto now = std::chrono::steady_clock::now();
  if (!new_generation_seen) new_generation_seen = now;
  std::error_code error;
  const bool still_on_disk = std::filesystem::exists(index.generation, error);
  if (!still_on_disk || now - *new_generation_seen >= caches->longest_wait_for_warm_columns) {
    return reopen_replacing();
  }
  detail::OpenIndex fresh;
  try {
    fresh = detail::open_index(location);
  } catch (const IndexUnavailable&) {
    return false;  // as reopen_replacing(): keep serving what is open
  }
  const bool single_database = fresh.db.size() == 1;  // shards count with spies: nothing to wait for
  if (single_database && !caches->facet_columns.find(revision_key_of(fresh))) return false;
  index = std::move(fresh);
  new_generation_seen.reset();
  return true;
}

// Remote shards are never asked to Database::reopen(): xapian-tcpsrv re-reads the path it
// was given, and when that is the indexer's symlink, now at another generation, the
// server mixes the new generation's statistics with the old one's tables (seen: the new
// document count over the old documents). A fresh connection opens whatever the path
// holds now, consistently; it replaces the open one when a shard's generation changed.
// The probe doubles as a health check: a shard that refuses it makes this searcher
// answer 503 until it is back.
bool Searcher::Impl::refresh_remote() {
  const auto now = std::chrono::steady_clock::now();
  if (now < next_remote_check) return false;
  next_remote_check = now + location.remote_recheck_interval;
  try {
    detail::OpenIndex fresh = detail::open_index(location);
    if (fresh.shard_generations == index.shard_generations) return false;  // keeps the caches
    index = std::move(fresh);
    return true;
  } catch (const IndexUnavailable&) {
    unusable = std::current_exception();
    next_reopen_attempt = now + kReopenRetryInterval;
    return false;
  }
}

}  // namespace rights
