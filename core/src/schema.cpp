#include "rights/schema.h"

#include <algorithm>
#include <cstdio>

#include "rights/analysis.h"
#include "rights/text_analysis.h"

namespace rights {

const FacetDef* find_facet(std::string_view name) {
  for (const auto& facet : kFacets) {
    if (facet.name == name) return &facet;
  }
  return nullptr;
}

const QueryFieldDef* find_query_field(std::string_view name) {
  for (const auto& field : kQueryFields) {
    if (field.name == name) return &field;
  }
  return nullptr;
}

std::string sort_key_value(const std::string& date_sort_key, const std::string& id) {
  std::string key = date_sort_key;
  key += kSortKeySeparator;
  key += id;
  return key;
}

std::string undated_last_sort_key(const std::string& sort_key) {
  // Dated keys start with a date digit, so 0xFF sorts after all of them.
  if (!sort_key.empty() && sort_key.front() == kSortKeySeparator) return '\xff' + sort_key;
  return sort_key;
}

std::string join_facet_values(std::vector<std::string> values) {
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  std::string packed;
  for (const auto& value : values) {
    if (value.empty()) continue;
    if (!packed.empty()) packed += kFacetValueSeparator;
    packed += value;
  }
  return packed;
}

std::vector<std::string> split_facet_values(std::string_view packed) {
  std::vector<std::string> values;
  while (!packed.empty()) {
    const auto separator = packed.find(kFacetValueSeparator);
    values.emplace_back(packed.substr(0, separator));
    if (separator == std::string_view::npos) break;
    packed.remove_prefix(separator + 1);
  }
  return values;
}

std::string boolean_term(const char* term_prefix, std::string_view value) {
  std::string term = term_prefix;
  // Free-form values (sources) are folded so a filter matches whatever case the user types;
  // ids are already lower-case ASCII and fold to themselves.
  term += normalize(value);
  // Xapian rejects terms over 245 bytes; such values cannot be meaningful filters anyway.
  if (term.size() > 240) term.resize(240);
  return term;
}

std::string path_term(std::string_view relative_path) {
  constexpr std::size_t kKeptBytes = kMaxDocumentIdBytes - 20;  // room for "#" + 16 hex digits
  std::string term = prefix::kPath;
  // A directory's term is a prefix of the terms of all files under it, cut or not.
  if (!relative_path.empty() && relative_path.back() == '/') return term.append(relative_path.substr(0, kKeptBytes));
  if (relative_path.size() <= kMaxDocumentIdBytes) return term.append(relative_path);
  term.append(relative_path.substr(0, kKeptBytes));
  char hash[20];
  std::snprintf(hash, sizeof hash, "#%016llx", static_cast<unsigned long long>(fnv1a_64(relative_path)));
  return term.append(hash);
}

void check_schema(const Xapian::Database& db, const std::string& path_for_message) {
  const std::string stored = db.get_metadata(kSchemaVersionKey);
  if (stored.empty()) {
    throw SchemaMismatch(path_for_message + " is not an index built by this indexer "
                         "(no schema version); rebuild it with `indexer build`");
  }
  if (stored != std::to_string(kSchemaVersion)) {
    throw SchemaMismatch(path_for_message + " has index schema version " + stored +
                         " but this program reads version " + std::to_string(kSchemaVersion) +
                         "; rebuild it with this version's `indexer build`");
  }
}

}  // namespace rights
