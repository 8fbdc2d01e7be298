// Searcher::Impl, shared by searcher.cpp (queries, facets, documents, completions) and
// searcher_lifecycle.cpp (opening, reopening, taking up new generations). Internal to
// rights_core.
#pragma once

#include <xapian.h>

#include <chrono>
#include <exception>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "facet_columns.h"
#include "facet_counts.h"
#include "index_source.h"
#include "rights/query_parser.h"
#include "rights/schema.h"
#include "rights/search.h"
#include "rights/spelling.h"
#include "rights/text_analysis.h"

namespace rights {

namespace detail {

// Access value of documents that only token holders may see.
inline constexpr const char* kRestrictedAccess = "restricted";

inline std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n\f\v");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n\f\v");
  return text.substr(first, last - first + 1);
}

// User-supplied text other than the query (filters, prefixes): same limits as queries.
inline void check_user_text(const std::string& text, const char* what) {
  if (text.size() > kMaxQueryBytes) {
    throw TooLarge("query_too_long", std::string(what) + " is " + std::to_string(text.size()) +
                                         " bytes long; the limit is " +
                                         std::to_string(kMaxQueryBytes));
  }
  if (!is_valid_utf8(text)) {
    throw UserError("bad_encoding", std::string(what) + " is not valid UTF-8");
  }
}

inline Xapian::Query restricted_documents() {
  return Xapian::Query(std::string(prefix::kAccess) + kRestrictedAccess);
}

inline Xapian::Query visible_only(const Xapian::Query& query, bool include_restricted) {
  if (include_restricted) return query;
  return Xapian::Query(Xapian::Query::OP_AND_NOT, query, restricted_documents());
}

inline Xapian::Query all_of(const std::vector<Xapian::Query>& parts) {
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

// A request's facet filters, by facet, so disjunctive counts can drop one of them.
struct FacetFilter {
  const FacetDef* facet;
  Xapian::Query query;
  std::vector<std::string> values;  ///< as stored (actor/ministry: the entity id)
};

}  // namespace detail

struct Searcher::Impl {
  IndexLocation location;
  // The authority given by the caller (searchd --authority), for indexes that carry none;
  // see authority().
  std::shared_ptr<const Authority> configured_authority;
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
        configured_authority(authority_in ? std::move(authority_in) : std::make_shared<const Authority>()),
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

  // The authority the generation served was tagged with (stored in it by the indexer), so
  // that names, aliases and labels follow each new generation without a restart; the
  // configured one for an index built before the authority was stored.
  const std::shared_ptr<const Authority>& authority() const {
    return index.authority ? index.authority : configured_authority;
  }

  QueryContext query_context(bool include_restricted) {
    return QueryContext{analyzer, authority().get(), index.stem_languages, term_visibility(include_restricted)};
  }

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

  // Names what this searcher reads: the generation, the database's UUID (a database
  // rebuilt or copied in under a name used before is another one) and, as a replica is
  // updated in place under the same generation name, the revision. Single local databases
  // only (a stub of shards or a remote set has no one revision).
  std::string revision_key() { return revision_key_of(index); }
  static std::string revision_key_of(const detail::OpenIndex& open) {
    return open.generation + "@" + open.db.get_uuid() + "@" + std::to_string(open.db.get_revision());
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
    enquire.set_query(detail::visible_only(query, include_restricted));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    return enquire.get_mset(0, 1).size() > 0;
  }

  std::uint64_t count_visible(const Xapian::Query& query, bool include_restricted) {
    Xapian::Enquire enquire(db());
    enquire.set_query(detail::visible_only(query, include_restricted));
    enquire.set_weighting_scheme(Xapian::BoolWeight());
    return enquire.get_mset(0, 0, doccount()).get_matches_estimated();
  }

  TermVisibility term_visibility(bool include_restricted) {
    return [this, include_restricted](const std::string& term) {
      if (include_restricted) return db().term_exists(term);
      return db().term_exists(term) && matches_visible(Xapian::Query(term), false);
    };
  }

  // The id `value` names: through the authority (id, name or alias), else `value` itself
  // if visible documents carry it (an id the authority no longer names: the facets offer it).
  std::string resolve_or_throw(EntityKind kind, const std::string& value, bool include_restricted) {
    if (const auto* entry = authority()->resolve(kind, value, analyzer)) return entry->id;
    const bool actor = kind == EntityKind::Actor;
    if (term_visibility(include_restricted)(std::string(actor ? prefix::kActor : prefix::kMinistry) + value)) {
      return value;
    }
    throw UserError(actor ? "unknown_actor" : "unknown_ministry",
                    std::string("no ") + (actor ? "actor" : "ministry") + " named \"" + value + "\"");
  }

  std::vector<detail::FacetFilter> facet_filters(const SearchRequest& request) {
    std::vector<detail::FacetFilter> filters;
    for (const auto& [name, values] : request.filters) {
      const FacetDef* facet = find_facet(name);
      if (facet == nullptr) throw UserError("unknown_facet", "there is no facet named \"" + name + "\"");
      std::vector<Xapian::Query> alternatives;
      std::vector<std::string> stored;
      for (const auto& value : values) {
        detail::check_user_text(value, "a filter value");
        if (detail::trim(value).empty()) continue;
        EntityKind kind{};
        if (detail::facet_entity_kind(*facet, kind)) {
          std::string id = resolve_or_throw(kind, value, request.include_restricted);
          alternatives.emplace_back(facet->term_prefix + id);
          stored.push_back(std::move(id));
        } else {
          const std::string stored_value = facet->slot == Slot::Type       ? document_type_or_throw(value)
                                           : facet->slot == Slot::Language ? language_filter_value(value)
                                                                           : value;
          alternatives.emplace_back(boolean_term(facet->term_prefix, stored_value));
          stored.push_back(stored_value);
        }
      }
      if (alternatives.empty()) continue;
      filters.push_back({facet, Xapian::Query(Xapian::Query::OP_OR, alternatives.begin(),
                                              alternatives.end()), std::move(stored)});
    }
    return filters;
  }

  static std::optional<Xapian::Query> date_filter(const SearchRequest& request) {
    if (request.from_date.empty() && request.to_date.empty()) return std::nullopt;
    // Undated documents have no Date value, so any range excludes them.
    return date_range_query(request.from_date, request.to_date);
  }

  // The parsed query restricted by every filter except `without` (for disjunctive counts).
  static Xapian::Query filtered(const Xapian::Query& parsed, const std::vector<detail::FacetFilter>& facets,
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
    if (!filters.empty()) query = Xapian::Query(Xapian::Query::OP_FILTER, query, detail::all_of(filters));
    return detail::visible_only(query, include_restricted);
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
      facets[std::string(kFacets[i].name)] = detail::rank_counts(counts->facets[i], kFacets[i], authority().get(), limit);
    }
    return facets;
  }

  SearchResponse search(const SearchRequest& request);
  std::string did_you_mean(const SearchRequest& request, const ParsedQuery& parsed,
                           const std::vector<detail::FacetFilter>& facets,
                           const std::optional<Xapian::Query>& dates, std::uint64_t total);
  DocumentResponse document(const std::string& id, const std::string& query, bool include_restricted);
  std::vector<Suggestion> suggest(const std::string& prefix, int limit, bool include_restricted);
  bool searched_as_itself(const std::string& written, const std::string& term);
  bool finds_as_typed(const std::string& chunk, const std::string& term_prefix, bool include_restricted);
  /// An index word as readers write it, for suggestions and rewrites (as_written; for
  /// Greek and Arabic-script words, as a document writes it: written_word).
  std::string as_readers_write(const std::string& term, bool include_restricted);
  /// Korean words completing the Hangul word `typed` ends with, as documents write them
  /// (korean_completion.cpp).
  std::vector<std::string> korean_completions(const std::string& typed, std::size_t limit, bool include_restricted);
  std::vector<FacetCount> facet_values(const std::string& name, const std::string& contains,
                                       int limit, bool include_restricted);
  IndexStats stats(bool include_restricted);
  std::uint64_t distinct_words(bool include_restricted);
};

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

}  // namespace rights
