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
};

struct SearchResponse {
  std::uint64_t total = 0;                            ///< exact number of matching documents
  std::vector<Hit> hits;
  std::map<std::string, std::vector<FacetCount>> facets;  ///< every schema facet, by count desc
  std::string suggestion;                             ///< did-you-mean query, or ""
  double took_ms = 0;
};

struct DocumentResponse {
  DocumentRecord record;
  std::string highlighted_text;  ///< HTML-escaped full text; <mark> around query matches
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

/// Searches one index. Holds a Xapian::Database and analysis state, so it is NOT
/// thread-safe: each worker thread owns one. Opening checks the schema version.
class Searcher {
 public:
  /// Opens INDEX_PATH (usually the symlink maintained by `indexer`). Throws
  /// IndexUnavailable with a clear message if it is missing, corrupt or mismatched.
  Searcher(const std::string& index_path, std::shared_ptr<const Authority> authority);
  ~Searcher();
  Searcher(Searcher&&) noexcept;
  Searcher& operator=(Searcher&&) noexcept;

  SearchResponse search(const SearchRequest& request);
  /// Throws NotFound for an unknown id (or a restricted one without permission).
  DocumentResponse document(const std::string& id, const std::string& query, bool include_restricted);
  /// Completions: actors/ministries, then titles, then index words. limit 1..20, else
  /// UserError("bad_limit"); an empty prefix gives none.
  std::vector<Suggestion> suggest(const std::string& prefix, int limit, bool include_restricted);
  /// Values of facet `name` containing `contains` (case-insensitive), with counts over
  /// the documents visible to the caller. limit 1..1000 ("bad_limit"); unknown name:
  /// UserError("unknown_facet").
  std::vector<FacetCount> facet_values(const std::string& name, const std::string& contains,
                                       int limit, bool include_restricted);
  IndexStats stats(bool include_restricted);

  /// The generation this searcher has open (resolved target of the index symlink).
  const std::string& generation() const;
  /// Reopens if INDEX_PATH now points at a newer generation; returns true if it did.
  bool refresh();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace rights
