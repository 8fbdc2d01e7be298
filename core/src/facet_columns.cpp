#include "facet_columns.h"

#include <algorithm>
#include <stdexcept>
#include <unordered_map>
#include <utility>

#include "rights/facet_column_cache.h"
#include "rights/schema.h"

namespace rights {

namespace detail {

namespace {

FacetColumns::Column load_column(const Xapian::Database& db, Slot slot, Xapian::docid last_docid) {
  FacetColumns::Column column;
  column.offsets.assign(static_cast<std::size_t>(last_docid) + 2, 0);
  std::unordered_map<std::string, std::uint32_t> ordinal_of;
  Xapian::docid next = 1;  // first document whose row start is not set yet
  for (auto it = db.valuestream_begin(slot_number(slot)); it != db.valuestream_end(slot_number(slot)); ++it) {
    const Xapian::docid docid = it.get_docid();
    if (docid > last_docid) break;  // cannot happen for a consistent snapshot; stay in bounds
    for (; next <= docid; ++next) column.offsets[next] = static_cast<std::uint32_t>(column.ordinals.size());
    for (auto& value : split_facet_values(*it)) {
      auto [found, inserted] = ordinal_of.try_emplace(value, static_cast<std::uint32_t>(column.values.size()));
      if (inserted) column.values.push_back(std::move(value));
      column.ordinals.push_back(found->second);
    }
  }
  for (; next <= last_docid + 1; ++next) column.offsets[next] = static_cast<std::uint32_t>(column.ordinals.size());
  return column;
}

}  // namespace

std::shared_ptr<const FacetColumns> FacetColumns::load(const Xapian::Database& db) {
  if (db.size() != 1) throw std::logic_error("facet columns need a single local database");
  auto columns = std::make_shared<FacetColumns>();
  const Xapian::docid last_docid = db.get_lastdocid();
  for (const auto& facet : kFacets) columns->columns_.push_back(load_column(db, facet.slot, last_docid));
  return columns;
}

std::size_t FacetColumns::memory_bytes() const {
  std::size_t bytes = 0;
  for (const auto& column : columns_) {
    bytes += column.offsets.capacity() * sizeof(std::uint32_t) + column.ordinals.capacity() * sizeof(std::uint32_t);
    for (const auto& value : column.values) bytes += sizeof(std::string) + value.capacity();
  }
  return bytes;
}

FacetColumnSpy::FacetColumnSpy(std::shared_ptr<const FacetColumns> columns, std::vector<std::size_t> facet_indexes)
    : columns_(std::move(columns)), facet_indexes_(std::move(facet_indexes)) {
  for (const std::size_t facet : facet_indexes_) counts_.emplace_back(columns_->column(facet).values.size(), 0);
}

void FacetColumnSpy::operator()(const Xapian::Document& doc, double /*weight*/) {
  const std::size_t docid = doc.get_docid();
  for (std::size_t i = 0; i < facet_indexes_.size(); ++i) {
    const auto& column = columns_->column(facet_indexes_[i]);
    if (docid + 1 >= column.offsets.size()) continue;
    auto& counts = counts_[i];
    for (std::uint32_t at = column.offsets[docid]; at < column.offsets[docid + 1]; ++at) ++counts[column.ordinals[at]];
  }
}

ValueCounts FacetColumnSpy::counts(std::size_t facet_index) const {
  const auto position = std::find(facet_indexes_.begin(), facet_indexes_.end(), facet_index);
  if (position == facet_indexes_.end()) throw std::logic_error("facet not counted by this spy");
  const auto i = static_cast<std::size_t>(position - facet_indexes_.begin());
  const auto& values = columns_->column(facet_index).values;
  ValueCounts out;
  for (std::size_t ordinal = 0; ordinal < values.size(); ++ordinal) {
    if (counts_[i][ordinal] > 0) out.emplace(values[ordinal], counts_[i][ordinal]);
  }
  return out;
}

}  // namespace detail

std::shared_ptr<const detail::FacetColumns> FacetColumnCache::get(const std::string& key, const Xapian::Database& db) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto& [entry_key, columns] : entries_) {
      if (entry_key == key) return columns;
    }
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
