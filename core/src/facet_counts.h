// Facet counting for the searcher: one stock ValueCountMatchSpy per facet slot counts the
// packed value *combinations* (schema.h); these helpers split them into per-value counts
// and rank them. Internal to rights_core.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "rights/authority.h"
#include "rights/schema.h"
#include "rights/search.h"

namespace rights::detail {

/// Facet value -> number of documents holding it.
using ValueCounts = std::map<std::string, std::uint64_t>;

/// Exact counts of one query's matches: how many, and per facet (kFacets order).
struct MatchCounts {
  std::uint64_t total = 0;
  std::vector<ValueCounts> facets;
  /// Approximate heap bytes, for the cache's budget.
  std::size_t memory_bytes() const;
};

/// Splits each counted combination and adds its count to every member value. Exact,
/// because a document's slot holds each value at most once.
ValueCounts unpack_counts(const Xapian::ValueCountMatchSpy& spy);

/// Display name of a facet value: the authority's name for actor and ministry ids, the
/// value itself otherwise (and for ids the authority does not know).
std::string facet_label(const FacetDef& facet, const std::string& value,
                        const Authority* authority);

/// Entity kind of the actor/ministry facets; false for the others.
bool facet_entity_kind(const FacetDef& facet, EntityKind& kind);

/// Counts sorted by count (descending) then value, at most `limit` (0: all), then each of
/// `selected` that the limit left out, with its count (0 if none): a value the user has
/// chosen is always shown, with its name and real count, so it can be seen and removed. A
/// selected value is shown as stored when it differs only as the filter terms ignore
/// (boolean_term: case, "EN" -> "en"), once.
std::vector<FacetCount> rank_counts(const ValueCounts& counts, const FacetDef& facet,
                                    const Authority* authority, std::size_t limit,
                                    const std::vector<std::string>& selected = {});

}  // namespace rights::detail
