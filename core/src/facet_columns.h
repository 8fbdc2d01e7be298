// In-memory facet columns of one local Xapian database, and the match spy that counts
// with them. Internal to rights_core; see rights/facet_column_cache.h for why.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "facet_counts.h"

namespace rights::detail {

/// For every facet of kFacets: the distinct values, and per document id the ordinals of
/// the values its slot holds (compressed rows: ordinals[offsets[d] .. offsets[d+1])).
/// Immutable once loaded, so shared between threads without locking.
class FacetColumns {
 public:
  /// Reads every facet slot of `db`, which must be a single local database: document ids
  /// seen by a match spy are only the database's own ids there.
  static std::shared_ptr<const FacetColumns> load(const Xapian::Database& db);

  struct Column {
    std::vector<std::string> values;
    std::vector<std::uint32_t> offsets;  ///< size last_docid + 2
    std::vector<std::uint32_t> ordinals;
  };
  const Column& column(std::size_t facet_index) const { return columns_[facet_index]; }
  std::size_t memory_bytes() const;

 private:
  std::vector<Column> columns_;  // kFacets order
};

/// Counts the facets `facet_indexes` (into kFacets) of every matching document, exactly
/// as ValueCountMatchSpy + unpack_counts would. Local databases only: it cannot be
/// serialised for a remote server (stock spies are used there).
class FacetColumnSpy : public Xapian::MatchSpy {
 public:
  FacetColumnSpy(std::shared_ptr<const FacetColumns> columns, std::vector<std::size_t> facet_indexes);
  void operator()(const Xapian::Document& doc, double weight) override;
  /// Counts of kFacets[facet_index], which must be one of the counted facets.
  ValueCounts counts(std::size_t facet_index) const;

 private:
  std::shared_ptr<const FacetColumns> columns_;
  std::vector<std::size_t> facet_indexes_;
  std::vector<std::vector<std::uint64_t>> counts_;  // parallel to facet_indexes_
};

}  // namespace rights::detail
