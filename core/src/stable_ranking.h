// Choosing a page of hits so that one index and its shards (local or remote) give the
// same ranked list. Internal to rights_core.
//
// Xapian orders documents of equal weight by document id, and ids differ between a single
// database and its shards; Searcher therefore breaks exact ties with Slot::SortKey. That
// is not quite enough: a shard computes a BM25 weight by adding the same term weights in
// another order (its query tree is shaped by its own term frequencies), so weights that
// are equal in one index can differ in the last bit across shards. Here, weights equal
// within floating-point noise count as tied and are put in Slot::SortKey order, also
// when such a group straddles a page boundary.
#pragma once

#include <xapian.h>

#include <cstddef>
#include <memory>
#include <optional>
#include <vector>

namespace rights::detail {

struct RankedDocument {
  Xapian::Document document;
  double weight = 0;
};

/// Ranks [first, first + ids.size()) of one ranked list, as RankingCache keeps them.
struct RankedIds {
  Xapian::doccount first = 0;
  std::vector<Xapian::docid> ids;
  std::vector<double> weights;  ///< of ids, in order
  std::size_t memory_bytes() const {
    return sizeof(RankedIds) + ids.capacity() * sizeof(Xapian::docid) + weights.capacity() * sizeof(double);
  }
};

struct RankedPage {
  /// The first MSet computed: the one during which the enquire's match spies counted,
  /// and whose totals are exact when check_at_least covers every document.
  Xapian::MSet mset;
  std::vector<RankedDocument> hits;  ///< the page, in order
};

/// Returns hits [first, first + count) of `enquire`, which is fully configured (query,
/// weighting, sort, spies). With `settle_near_ties` (ranked by weight: Xapian sorting by
/// relevance, alone or then by Slot::SortKey descending), equal and near-equal weights
/// are put in Slot::SortKey order, descending; this may run the match again over a wider
/// window, after removing the enquire's match spies so that they count once.
/// `known_total`: the exact number of matches, when already known (from a cache); Xapian
/// then only ranks (check_at_least 0: its top-k pruning skips most of the matches) and
/// `check_at_least` is ignored.
RankedPage rank_page(Xapian::Enquire& enquire, Xapian::doccount first, Xapian::doccount count,
                     Xapian::doccount check_at_least, bool settle_near_ties,
                     std::optional<Xapian::doccount> known_total = std::nullopt);

/// Ranks of a ranked list that RankingCache keeps: [first, first + count).
struct RankWindow {
  Xapian::doccount first = 0;
  Xapian::doccount count = 0;
};

/// The window of whole kRankingWindow blocks that holds the page [first, first + count),
/// or none for a page beyond kDeepestCachedRank: pages near each other (page 2 after page
/// 1, 25 per page after 10) share one ranking, and deep pages, rarely read twice, do not
/// fill the cache.
std::optional<RankWindow> ranking_window(Xapian::doccount first, int count);
inline constexpr Xapian::doccount kRankingWindow = 50;
inline constexpr Xapian::doccount kDeepestCachedRank = 500;

/// The ids and weights of `page`, whose first hit has rank `first`.
std::shared_ptr<const RankedIds> ranked_ids(const RankedPage& page, Xapian::doccount first);

/// Hits [first, first + count) of `ranks`, their documents read from `db`.
std::vector<RankedDocument> page_of(const RankedIds& ranks, Xapian::doccount first, Xapian::doccount count,
                                    Xapian::Database& db);

/// Hits [first, first + count) of `page`, whose first hit has rank `page_first`.
std::vector<RankedDocument> page_of(RankedPage page, Xapian::doccount page_first, Xapian::doccount first,
                                    Xapian::doccount count);

}  // namespace rights::detail
