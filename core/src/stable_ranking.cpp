#include "stable_ranking.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <iterator>
#include <string>
#include <utility>

#include "rights/schema.h"

namespace rights::detail {

namespace {

// Hits fetched beyond each page edge at first, so that a tie group crossing the edge is
// usually seen whole without matching again; grows fourfold when one is not.
constexpr Xapian::doccount kInitialTieMargin = 4;
// Last-bit differences in a sum of a few dozen doubles stay far below this; genuinely
// different BM25 weights of real documents stay far above it.
constexpr double kRelativeWeightNoise = 1e-9;

bool near_equal(double a, double b) {
  return std::abs(a - b) <= kRelativeWeightNoise * std::max(std::abs(a), std::abs(b));
}

struct Candidate {
  Xapian::MSetIterator item;
  double weight;
};

// Window [start, start + size) of the ranking around the page.
struct Window {
  Xapian::doccount start = 0;
  std::vector<Candidate> items;
};

Window fetch_window(const Xapian::MSet& mset) {
  Window window;
  window.start = mset.get_firstitem();
  for (auto it = mset.begin(); it != mset.end(); ++it) window.items.push_back({it, it.get_weight()});
  return window;
}

// True if items a..b (indices into the window, a <= b) form one chain of near-equal weights.
bool chained(const Window& window, std::size_t a, std::size_t b) {
  for (std::size_t i = a; i < b; ++i) {
    if (!near_equal(window.items[i].weight, window.items[i + 1].weight)) return false;
  }
  return true;
}

// Sorts every run of near-equal weights by Slot::SortKey, descending, like Xapian's own
// tie-break (set_sort_by_relevance_then_value(SortKey, true)).
void settle_ties(Window& window) {
  std::size_t begin = 0;
  while (begin < window.items.size()) {
    std::size_t end = begin + 1;
    while (end < window.items.size() && near_equal(window.items[end - 1].weight, window.items[end].weight)) ++end;
    if (end - begin > 1) {
      std::vector<std::pair<std::string, Candidate>> keyed;
      for (std::size_t i = begin; i < end; ++i) {
        keyed.emplace_back(window.items[i].item.get_document().get_value(slot_number(Slot::SortKey)),
                           window.items[i]);
      }
      std::stable_sort(keyed.begin(), keyed.end(),
                       [](const auto& x, const auto& y) { return x.first > y.first; });
      for (std::size_t i = begin; i < end; ++i) window.items[i] = keyed[i - begin].second;
    }
    begin = end;
  }
}

}  // namespace

RankedPage rank_page(Xapian::Enquire& enquire, Xapian::doccount first, Xapian::doccount count,
                     Xapian::doccount check_at_least, bool settle_near_ties,
                     std::optional<Xapian::doccount> known_total) {
  // With the total known, no match needs counting; the window is still bounded by it.
  const Xapian::doccount window_bound = known_total ? *known_total : check_at_least;
  if (known_total) check_at_least = 0;
  RankedPage page;
  if (!settle_near_ties) {
    page.mset = enquire.get_mset(first, count, check_at_least);
    // One pipelined round of document requests to remote shards, not one per hit. Only
    // for a first page: Xapian 1.4's MSet::fetch() indexes its items by rank and reads
    // past them when the MSet starts later (MSet::Internal::fetch_items).
    if (page.mset.get_firstitem() == 0) page.mset.fetch();
    for (auto it = page.mset.begin(); it != page.mset.end(); ++it) {
      page.hits.push_back({it.get_document(), it.get_weight()});
    }
    return page;
  }
  // 64-bit, so that widening can never wrap; a window is at most every match anyway.
  std::uint64_t margin = kInitialTieMargin;
  const auto fetch_around_page = [&]() {
    const auto start = static_cast<Xapian::doccount>(first > margin ? first - margin : 0);
    const std::uint64_t size = std::min<std::uint64_t>(first - start + count + margin, window_bound);
    return enquire.get_mset(start, static_cast<Xapian::doccount>(size), check_at_least);
  };
  page.mset = fetch_around_page();
  // Exact: known, or counted (check_at_least covers every document).
  const Xapian::doccount matches = known_total ? *known_total : page.mset.get_matches_estimated();
  Window window = fetch_window(page.mset);
  // Set when `window` came from a match with a weight cutoff that returned fewer items than
  // asked: it then holds every match down to the cutoff, below which nothing is near-equal
  // to a window item of weight >= complete_down_from (the cutoff is several noise widths
  // lower), so a group ending at such an item is closed.
  // Negative: not so (weights are never negative).
  double complete_down_from = -1;
  for (;;) {
    const std::size_t page_begin = first - window.start;
    if (page_begin >= window.items.size()) return page;  // past the last match
    const std::size_t page_last = std::min<std::size_t>(page_begin + count, window.items.size()) - 1;
    const bool open_before = window.start > 0 && chained(window, 0, page_begin);
    const bool open_after = window.start + window.items.size() < matches &&
                            !(complete_down_from > 0 && window.items.back().weight >= complete_down_from) &&
                            chained(window, page_last, window.items.size() - 1);
    if (!open_before && !open_after) break;
    // A tie group runs past the window: widen it until the group is inside. The spies
    // have counted already; they must not count this match again.
    enquire.clear_matchspies();
    complete_down_from = -1;
    if (open_before) {
      margin *= 4;
      window = fetch_window(fetch_around_page());
      continue;
    }
    // Only the end is open (the usual case: a page 1 inside a large group of equal
    // weights). One match with a weight cutoff just below the group's lowest weight
    // fetches the whole group — Xapian prunes hard with a cutoff — instead of widening
    // step by step, each step a whole match.
    const double lowest = window.items.back().weight;
    const std::uint64_t wanted = std::min<std::uint64_t>(std::max<std::uint64_t>(4 * window.items.size(), 1024),
                                                         window_bound - window.start);
    enquire.set_cutoff(0, std::max(0.0, lowest * (1 - 4 * kRelativeWeightNoise)));
    const Xapian::MSet wider = enquire.get_mset(window.start, static_cast<Xapian::doccount>(wanted), Xapian::doccount{0});
    enquire.set_cutoff(0, 0);
    if (wider.size() < wanted && lowest > 0) complete_down_from = lowest;
    window = fetch_window(wider);
  }
  settle_ties(window);
  const std::size_t page_begin = first - window.start;
  const std::size_t page_end = std::min<std::size_t>(page_begin + count, window.items.size());
  // Documents are read one by one here (one round trip each to a remote shard): fetching
  // the whole window would also transfer the margins' documents (their full text), and
  // Xapian 1.4's MSet::fetch(item) and fetch(begin, end) pass offsets from the end where
  // ranks are meant, so a part of the window cannot be prefetched.
  for (std::size_t i = page_begin; i < page_end; ++i) {
    page.hits.push_back({window.items[i].item.get_document(), window.items[i].weight});
  }
  return page;
}

std::optional<RankWindow> ranking_window(Xapian::doccount first, int count) {
  const std::uint64_t begin = first / kRankingWindow * kRankingWindow;
  const std::uint64_t end = (std::uint64_t{first} + static_cast<std::uint64_t>(count) + kRankingWindow - 1) /
                            kRankingWindow * kRankingWindow;
  if (count < 1 || end > kDeepestCachedRank) return std::nullopt;
  return RankWindow{static_cast<Xapian::doccount>(begin), static_cast<Xapian::doccount>(end - begin)};
}

std::shared_ptr<const RankedIds> ranked_ids(const RankedPage& page, Xapian::doccount first) {
  auto ranks = std::make_shared<RankedIds>();
  ranks->first = first;
  ranks->ids.reserve(page.hits.size());
  ranks->weights.reserve(page.hits.size());
  for (const auto& hit : page.hits) {
    ranks->ids.push_back(hit.document.get_docid());
    ranks->weights.push_back(hit.weight);
  }
  return ranks;
}

namespace {

// Indexes [begin, end) into a list of `size` ranks from rank `list_first` that hold the
// page [first, first + count); empty when the page starts before the list or past it.
std::pair<std::size_t, std::size_t> page_slice(Xapian::doccount list_first, std::size_t size,
                                               Xapian::doccount first, Xapian::doccount count) {
  if (first < list_first || first - list_first >= size) return {0, 0};
  const std::size_t begin = first - list_first;
  return {begin, std::min<std::size_t>(size, begin + count)};
}

}  // namespace

std::vector<RankedDocument> page_of(const RankedIds& ranks, Xapian::doccount first, Xapian::doccount count,
                                    Xapian::Database& db) {
  std::vector<RankedDocument> hits;
  const auto [begin, end] = page_slice(ranks.first, ranks.ids.size(), first, count);
  for (std::size_t i = begin; i < end; ++i) hits.push_back({db.get_document(ranks.ids[i]), ranks.weights[i]});
  return hits;
}

std::vector<RankedDocument> page_of(RankedPage page, Xapian::doccount page_first, Xapian::doccount first,
                                    Xapian::doccount count) {
  const auto [begin, end] = page_slice(page_first, page.hits.size(), first, count);
  return {std::make_move_iterator(page.hits.begin() + static_cast<std::ptrdiff_t>(begin)),
          std::make_move_iterator(page.hits.begin() + static_cast<std::ptrdiff_t>(end))};
}

}  // namespace rights::detail
