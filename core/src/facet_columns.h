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

/// In-memory columns of a single local database, read once per revision: the document
/// order of Slot::SortKey, and for every facet of kFacets, its distinct values; and per document id one row holding
/// the values of all its facet slots, as ordinals numbered across facets (facet f's values
/// are ordinals first_ordinal(f) .. first_ordinal(f) + values(f).size() - 1). Rows, not a
/// column per facet: a spy visiting a match touches one row (a cache line or two) instead
/// of two places in each of the facet columns — at a million documents the cache misses
/// were most of its time. Immutable once loaded, so shared between threads without locking.
class FacetColumns {
 public:
  /// Reads every facet slot of `db`, which must be a single local database: document ids
  /// seen by a match spy are only the database's own ids there.
  static std::shared_ptr<const FacetColumns> load(const Xapian::Database& db);

  const std::vector<std::string>& values(std::size_t facet_index) const { return values_[facet_index]; }
  std::uint32_t first_ordinal(std::size_t facet_index) const { return first_ordinal_[facet_index]; }
  std::size_t ordinal_count() const { return ordinal_count_; }
  /// Calls count(ordinal) for every facet value document `docid` holds.
  template <typename Count>
  void for_each_ordinal(Xapian::docid docid, Count&& count) const {
    if (static_cast<std::size_t>(docid) + 1 >= row_start_.size()) return;
    for (std::uint32_t at = row_start_[docid]; at < row_start_[docid + 1]; ++at) count(ordinals_[at]);
  }
  /// Place of the document's Slot::SortKey value in the ascending order of all of them:
  /// equal values share a place, the first place is 1; 0 when it has none.
  std::uint32_t sort_rank(Xapian::docid docid) const {
    return static_cast<std::size_t>(docid) < sort_rank_.size() ? sort_rank_[docid] : 0;
  }
  /// True for the places of undated documents (SortKey starting with kSortKeySeparator):
  /// one run of places, as such keys sort together.
  bool undated_rank(std::uint32_t rank) const { return rank >= first_undated_rank_ && rank <= last_undated_rank_; }

 private:
  std::vector<std::uint32_t> sort_rank_;          // by document id
  std::uint32_t first_undated_rank_ = 1, last_undated_rank_ = 0;  // an empty run by default
  std::vector<std::vector<std::string>> values_;  // kFacets order
  std::vector<std::uint32_t> first_ordinal_;      // kFacets order
  std::size_t ordinal_count_ = 0;
  std::vector<std::uint32_t> row_start_;  ///< size last_docid + 2: row d is [row_start_[d], row_start_[d + 1])
  std::vector<std::uint32_t> ordinals_;
};

/// Orders documents exactly as their Slot::SortKey values would (for Enquire's
/// set_sort_by_key and set_sort_by_relevance_then_key) from the ranks held in memory:
/// Xapian otherwise reads the value of every candidate from disk, which cost more than
/// the BM25 weights themselves on a 1M-document index (a word in 15k of them: 6.5 ms
/// ranking alone, 21 ms with the value tie-break). Local databases only, like the spy.
class SortKeyOrder : public Xapian::KeyMaker {
 public:
  /// Slot::SortKey's order, or with `undated_last` Slot::SortKeyUndatedLast's.
  explicit SortKeyOrder(std::shared_ptr<const FacetColumns> columns, bool undated_last = false)
      : columns_(std::move(columns)), undated_last_(undated_last) {}
  /// The rank as four big-endian bytes, so that keys compare as the ranks do (after a
  /// byte 1 for undated documents and 0 for the others with `undated_last`); "" (before
  /// every rank, as the empty value sorts before every value) for a document without one.
  std::string operator()(const Xapian::Document& doc) const override;

 private:
  std::shared_ptr<const FacetColumns> columns_;
  bool undated_last_;
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
  std::vector<std::uint64_t> counts_;  // by ordinal: every facet is counted, only the asked ones reported
};

}  // namespace rights::detail
