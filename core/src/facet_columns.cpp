#include "facet_columns.h"

#include <algorithm>
#include <limits>
#include <stdexcept>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "rights/facet_column_cache.h"
#include "rights/schema.h"

namespace rights {

namespace detail {

namespace {

// While loading, an ordinal is held as facet index (top bits) and facet-local ordinal: a
// facet's first global ordinal is known only once all its values have been seen.
constexpr unsigned kLocalOrdinalBits = 26;
constexpr std::uint32_t kLocalOrdinalLimit = std::uint32_t{1} << kLocalOrdinalBits;
static_assert(kFacets.size() <= (std::size_t{1} << (32 - kLocalOrdinalBits)), "facet index must fit the top bits");

// Rank of every document's Slot::SortKey value (see FacetColumns::sort_rank). The values
// are held in one buffer while they are sorted: a string each would double the memory.
struct SortRanks {
  std::vector<std::uint32_t> by_docid;
  std::uint32_t first_undated = 1, last_undated = 0;  // the run of keys starting with kSortKeySeparator
};

SortRanks load_sort_ranks(const Xapian::Database& db, Xapian::docid last_docid) {
  const Xapian::valueno slot = slot_number(Slot::SortKey);
  std::string keys;
  std::vector<std::uint32_t> key_start;
  std::vector<Xapian::docid> docids;
  for (auto it = db.valuestream_begin(slot); it != db.valuestream_end(slot); ++it) {
    if (it.get_docid() > last_docid) break;  // cannot happen for a consistent snapshot; stay in bounds
    docids.push_back(it.get_docid());
    key_start.push_back(static_cast<std::uint32_t>(keys.size()));
    keys += *it;
    if (keys.size() > std::numeric_limits<std::uint32_t>::max()) throw std::length_error("sort keys too large to hold in memory");
  }
  key_start.push_back(static_cast<std::uint32_t>(keys.size()));
  const auto key = [&](std::size_t i) {
    return std::string_view(keys).substr(key_start[i], key_start[i + 1] - key_start[i]);
  };
  // Sorted by the keys' first 16 bytes as two big-endian integers (a date, its NUL and
  // the start of the id: ~15× fewer string comparisons at 1M documents), whole keys only
  // where those are equal. Shorter keys are padded with 0 bytes, which sort first, and a
  // key that is a prefix of another then still sorts first through the whole-key compare.
  struct Entry {
    std::uint64_t high, low;
    std::uint32_t index;
  };
  const auto prefix_bytes = [](std::string_view text, std::size_t from) {
    std::uint64_t packed = 0;
    for (std::size_t i = from; i < from + 8; ++i) {
      packed = (packed << 8) | (i < text.size() ? static_cast<unsigned char>(text[i]) : 0u);
    }
    return packed;
  };
  std::vector<Entry> order(docids.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    order[i] = {prefix_bytes(key(i), 0), prefix_bytes(key(i), 8), static_cast<std::uint32_t>(i)};
  }
  std::sort(order.begin(), order.end(), [&](const Entry& a, const Entry& b) {
    if (a.high != b.high) return a.high < b.high;
    if (a.low != b.low) return a.low < b.low;
    return key(a.index) < key(b.index);
  });
  SortRanks ranks;
  ranks.by_docid.assign(static_cast<std::size_t>(last_docid) + 1, 0);
  std::uint32_t rank = 0;
  bool undated_seen = false;
  for (std::size_t k = 0; k < order.size(); ++k) {
    const std::string_view this_key = key(order[k].index);
    if (k == 0 || this_key != key(order[k - 1].index)) ++rank;
    ranks.by_docid[docids[order[k].index]] = rank;
    if (!this_key.empty() && this_key.front() == kSortKeySeparator) {
      if (!undated_seen) ranks.first_undated = rank;
      ranks.last_undated = rank;
      undated_seen = true;
    }
  }
  return ranks;
}

}  // namespace

std::shared_ptr<const FacetColumns> FacetColumns::load(const Xapian::Database& db) {
  if (db.size() != 1) throw std::logic_error("facet columns need a single local database");
  auto columns = std::make_shared<FacetColumns>();
  const Xapian::docid last_docid = db.get_lastdocid();
  SortRanks ranks = load_sort_ranks(db, last_docid);
  columns->sort_rank_ = std::move(ranks.by_docid);
  columns->first_undated_rank_ = ranks.first_undated;
  columns->last_undated_rank_ = ranks.last_undated;

  // All facet slots' value streams side by side, so that each document's row is written
  // in one go, without a column per facet in between.
  std::vector<Xapian::ValueIterator> at, end;
  std::vector<std::unordered_map<std::string, std::uint32_t>> ordinal_of(kFacets.size());
  columns->values_.resize(kFacets.size());
  for (const auto& facet : kFacets) {
    at.push_back(db.valuestream_begin(slot_number(facet.slot)));
    end.push_back(db.valuestream_end(slot_number(facet.slot)));
  }
  columns->row_start_.assign(static_cast<std::size_t>(last_docid) + 2, 0);
  for (Xapian::docid docid = 1; docid <= last_docid; ++docid) {
    columns->row_start_[docid] = static_cast<std::uint32_t>(columns->ordinals_.size());
    for (std::size_t f = 0; f < kFacets.size(); ++f) {
      if (at[f] == end[f] || at[f].get_docid() != docid) continue;
      auto& values = columns->values_[f];
      for (auto& value : split_facet_values(*at[f])) {
        auto [found, inserted] = ordinal_of[f].try_emplace(value, static_cast<std::uint32_t>(values.size()));
        if (found->second >= kLocalOrdinalLimit) throw std::length_error("too many values of one facet");
        if (inserted) values.push_back(std::move(value));
        columns->ordinals_.push_back(static_cast<std::uint32_t>(f << kLocalOrdinalBits) | found->second);
      }
      if (columns->ordinals_.size() >= std::numeric_limits<std::uint32_t>::max()) {
        throw std::length_error("too many facet values to hold in memory");
      }
      ++at[f];  // streams only hold documents up to last_docid in a consistent snapshot
    }
  }
  columns->row_start_[static_cast<std::size_t>(last_docid) + 1] = static_cast<std::uint32_t>(columns->ordinals_.size());
  for (const auto& values : columns->values_) {
    columns->first_ordinal_.push_back(static_cast<std::uint32_t>(columns->ordinal_count_));
    columns->ordinal_count_ += values.size();
  }
  for (auto& ordinal : columns->ordinals_) {
    ordinal = columns->first_ordinal_[ordinal >> kLocalOrdinalBits] + (ordinal & (kLocalOrdinalLimit - 1));
  }
  columns->ordinals_.shrink_to_fit();
  return columns;
}

std::string SortKeyOrder::operator()(const Xapian::Document& doc) const {
  const std::uint32_t rank = columns_->sort_rank(doc.get_docid());
  if (rank == 0) return {};
  std::string key{static_cast<char>(rank >> 24), static_cast<char>(rank >> 16), static_cast<char>(rank >> 8),
                  static_cast<char>(rank)};
  if (undated_last_) key.insert(key.begin(), columns_->undated_rank(rank) ? '\1' : '\0');
  return key;
}

FacetColumnSpy::FacetColumnSpy(std::shared_ptr<const FacetColumns> columns, std::vector<std::size_t> facet_indexes)
    : columns_(std::move(columns)), facet_indexes_(std::move(facet_indexes)), counts_(columns_->ordinal_count(), 0) {}

void FacetColumnSpy::operator()(const Xapian::Document& doc, double /*weight*/) {
  columns_->for_each_ordinal(doc.get_docid(), [this](std::uint32_t ordinal) { ++counts_[ordinal]; });
}

ValueCounts FacetColumnSpy::counts(std::size_t facet_index) const {
  const auto position = std::find(facet_indexes_.begin(), facet_indexes_.end(), facet_index);
  if (position == facet_indexes_.end()) throw std::logic_error("facet not counted by this spy");
  const auto& values = columns_->values(facet_index);
  const std::uint32_t first = columns_->first_ordinal(facet_index);
  ValueCounts out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (counts_[first + i] > 0) out.emplace(values[i], counts_[first + i]);
  }
  return out;
}

}  // namespace detail

std::shared_ptr<const detail::FacetColumns> FacetColumnCache::find_locked(const std::string& key) const {
  for (const auto& [entry_key, columns] : entries_) {
    if (entry_key == key) return columns;
  }
  return nullptr;
}

std::shared_ptr<const detail::FacetColumns> FacetColumnCache::find(const std::string& key) {
  std::lock_guard<std::mutex> lock(mutex_);
  return find_locked(key);
}

std::vector<std::string> FacetColumnCache::keys() {
  std::lock_guard<std::mutex> lock(mutex_);
  std::vector<std::string> out;
  for (const auto& entry : entries_) out.push_back(entry.first);
  return out;
}

std::shared_ptr<const detail::FacetColumns> FacetColumnCache::get(const std::string& key, const Xapian::Database& db) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto columns = find_locked(key)) return columns;
    if (loading_) return nullptr;
    loading_ = true;
  }
  // Loaded outside the lock: other threads keep searching (with spies) meanwhile.
  std::shared_ptr<const detail::FacetColumns> columns;
  try {
    columns = detail::FacetColumns::load(db);
  } catch (...) {
    std::lock_guard<std::mutex> lock(mutex_);
    loading_ = false;
    throw;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  loading_ = false;
  entries_.emplace_back(key, columns);
  if (entries_.size() > kEntries) entries_.erase(entries_.begin());
  return columns;
}

}  // namespace rights
