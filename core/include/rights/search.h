// The search API of the core: plain structs in, plain structs out. No HTTP, no JSON:
// searchd, the one-shot `searchd query` command and the tests all call this.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "rights/authority.h"
#include "rights/document.h"
#include "rights/match_count_cache.h"
#include "rights/index_location.h"

namespace rights {

enum class SortOrder { Relevance, DateAscending, DateDescending };

struct SearchRequest {
  std::string query;                                   ///< user query text (may be empty: match all)
  std::map<std::string, std::vector<std::string>> filters;  ///< facet name -> values (OR within, AND across)
  std::string from_date;                               ///< "", "2021", "2021-05" or "2021-05-12" (inclusive)
  std::string to_date;                                 ///< same forms, inclusive of the whole period
  SortOrder sort = SortOrder::Relevance;
  int page = 1;                                        ///< 1-based
  int per_page = 10;                                   ///< 1..kMaxPerPage
  bool include_restricted = false;                     ///< caller proved it may see restricted docs
};

inline constexpr int kMaxPerPage = 100;
inline constexpr std::size_t kMaxQueryBytes = 2048;

struct FacetCount {
  std::string value;   ///< canonical value (actor id, type, year...)
  std::string label;   ///< display name (actor/ministry name; else the value)
  std::uint64_t count;
};

struct Hit {
  std::string id, path, title, type, date, source;
  std::vector<std::string> languages;
  double score = 0;        ///< BM25 weight (0 when sorted by date with no query)
  std::string snippet;     ///< HTML-escaped, matched words in <mark>
  int page = 0;            ///< PDF page of the snippet, 0 when not paged
  std::vector<std::string> actors, ministries;   ///< canonical ids
  std::vector<std::string> authors;              ///< actor ids, from the manifest (for citations)
};

struct SearchResponse {
  std::uint64_t total = 0;                            ///< exact number of matching documents
  std::vector<Hit> hits;
  std::map<std::string, std::vector<FacetCount>> facets;  ///< every schema facet, by count desc
  std::string suggestion;                             ///< did-you-mean query, or ""
  double took_ms = 0;
  /// The authority of the generation that answered: the names of the hits' actors and
  /// ministries (never null).
  std::shared_ptr<const Authority> authority;
};

struct DocumentResponse {
  DocumentRecord record;
  std::string highlighted_text;  ///< HTML-escaped full text; <mark> around query matches
  std::shared_ptr<const Authority> authority;  ///< as SearchResponse::authority
};

struct Suggestion {
  std::string text;   ///< completion to show
  std::string kind;   ///< "title" | "actor" | "ministry" | "term"
  std::string value;  ///< id for actor/ministry/title (doc id), the text for terms
};

struct IndexStats {
  std::uint64_t documents = 0;
  std::uint64_t terms = 0;  ///< distinct words (unprefixed terms) in the visible documents
  std::string build_time, generation;
  std::map<std::string, std::vector<FacetCount>> facets;
};

/// Errors the caller made (bad query syntax, bad date, bad parameter value). searchd maps
/// them to 400; `code` is a stable machine-readable token ("bad_query", "bad_date"...).
class UserError : public std::runtime_error {
 public:
  UserError(std::string code, const std::string& message)
      : std::runtime_error(message), code_(std::move(code)) {}
  const std::string& code() const { return code_; }
 private:
  std::string code_;
};
class TooLarge : public UserError { public: using UserError::UserError; };   ///< -> 413
class NotFound : public UserError { public: using UserError::UserError; };   ///< -> 404
/// The index is missing, corrupt or of another schema version (-> 503).
class IndexUnavailable : public std::runtime_error { public: using std::runtime_error::runtime_error; };
/// A remote shard cannot be reached or stopped answering (-> 503 "shard_unavailable").
/// Thrown instead of answering from the other shards: a partial count would look right
/// and be wrong.
class ShardUnavailable : public IndexUnavailable {
 public:
  ShardUnavailable(std::vector<std::string> shards, const std::string& message)
      : IndexUnavailable(message), shards_(std::move(shards)) {}
  /// "host:port" of every shard found unreachable.
  const std::vector<std::string>& shards() const { return shards_; }
 private:
  std::vector<std::string> shards_;
};

/// Searches one index (one database, or several shards as one). Holds Xapian::Database
/// handles and analysis state, so it is NOT thread-safe: each worker thread owns one.
/// Opening checks the schema version (of every remote shard).
/// True if the index at `location` opens now and carries the authority it was built with
/// (kAuthorityKey): a Searcher then names and resolves actors with it, whatever authority
/// it is given. False for an index built before it was stored, or one that does not open
/// now (a missing index is said by the Searcher itself).
bool index_has_stored_authority(const IndexLocation& location);

class Searcher {
 public:
  /// Largest `limit` of suggest() and of facet_values().
  static constexpr int kMaxSuggestLimit = 20;
  static constexpr int kMaxFacetValuesLimit = 1000;

  /// Opens INDEX_PATH (usually the symlink maintained by `indexer`). Throws
  /// IndexUnavailable with a clear message if it is missing, corrupt or mismatched.
  Searcher(const std::string& index_path, std::shared_ptr<const Authority> authority);
  /// Opens a local index or a set of remote shards. Throws IndexUnavailable, or
  /// ShardUnavailable naming the shards that cannot be reached. Searchers of one process
  /// share `caches` (null: this searcher keeps its own, with the default sizes).
  Searcher(const IndexLocation& location, std::shared_ptr<const Authority> authority,
           std::shared_ptr<SearchCaches> caches = nullptr);
  ~Searcher();
  Searcher(Searcher&&) noexcept;
  Searcher& operator=(Searcher&&) noexcept;

  SearchResponse search(const SearchRequest& request);
  /// Throws NotFound for an unknown id (or a restricted one without permission).
  DocumentResponse document(const std::string& id, const std::string& query, bool include_restricted);
  /// Completions: actors/ministries, then titles, then index words. limit 1..kMaxSuggestLimit, else
  /// UserError("bad_limit"); an empty prefix gives none.
  std::vector<Suggestion> suggest(const std::string& prefix, int limit, bool include_restricted);
  /// Values of facet `name` containing `contains` (case-insensitive), with counts over
  /// the documents visible to the caller. limit 1..kMaxFacetValuesLimit ("bad_limit"); unknown name:
  /// UserError("unknown_facet").
  std::vector<FacetCount> facet_values(const std::string& name, const std::string& contains,
                                       int limit, bool include_restricted);
  IndexStats stats(bool include_restricted);

  /// The generation this searcher has open: the resolved target of the index symlink, or
  /// for remote shards their generation name(s) and addresses.
  const std::string& generation() const;
  /// The same without paths or addresses ("gen-20261126T194954Z"; remote shards: their
  /// generation names joined by '+'), for endpoints anyone may call.
  const std::string& generation_name() const;
  /// When refresh() takes up a new local generation.
  enum class NewGeneration {
    /// Once its facet columns are loaded, if a warmer loads them (SearchCaches::
    /// facet_columns_warmed_elsewhere; at once otherwise), or once the wait is over
    /// (SearchCaches::longest_wait_for_warm_columns) or the generation open now is gone
    /// from disk. Requests meanwhile answer from the previous generation, at full speed,
    /// instead of counting with Xapian's spies.
    when_warm,
    at_once,  ///< for the warmer itself
  };
  /// Picks up a newer index: a new generation behind INDEX_PATH, a replica that
  /// xapian-replicate updated in place or switched to a new copy, new revisions behind
  /// remote shards, or shards that are reachable again. Returns true if it reopened. On
  /// failure keeps serving what it has (a broken remote set keeps answering 503).
  bool refresh(NewGeneration when = NewGeneration::when_warm);
  /// Loads what searches read from memory (the facet columns of a single local
  /// database) into the shared caches, unless there already; true when they are there
  /// afterwards, false for shards and remote indexes, which have none. Takes seconds
  /// on a large index: for a warmer thread, before requests reach a new generation.
  bool warm();
  /// How searches on the generation open now count facets and totals.
  enum class FacetCounting {
    columns,          ///< from the facet columns in memory (a single local database)
    columns_loading,  ///< not loaded yet: with a warmer, searches count with Xapian's spies
                      ///< until it has loaded them (slower: ~2 s for a query matching most
                      ///< of a million documents); without one, the next search loads them
    spies,            ///< always with Xapian's spies: shards and remote indexes have no columns
  };
  FacetCounting facet_counting();
  /// Throws the IndexUnavailable (or ShardUnavailable) that made this searcher unusable
  /// (a shard stopped answering, a reopen failed) until a refresh recovers; else nothing.
  void throw_if_unusable() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rights
