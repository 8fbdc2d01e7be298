#include "facet_counts.h"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <algorithm>

namespace rights::detail {

ValueCounts unpack_counts(const Xapian::ValueCountMatchSpy& spy) {
  ValueCounts counts;
  for (auto it = spy.values_begin(); it != spy.values_end(); ++it) {
    const Xapian::doccount documents = it.get_termfreq();
    for (auto& value : split_facet_values(*it)) counts[std::move(value)] += documents;
  }
  return counts;
}

namespace {

// "km" -> "Khmer": ICU's English name of a BCP 47 language subtag, for scripts reading
// the facets; the code itself where ICU has no name for it.
std::string language_name(const std::string& code) {
  const icu::Locale locale(code.c_str());
  icu::UnicodeString name;
  locale.getDisplayLanguage(icu::Locale::getEnglish(), name);
  std::string out;
  name.toUTF8String(out);
  return out.empty() || out == code ? code : out;
}

}  // namespace

bool facet_entity_kind(const FacetDef& facet, EntityKind& kind) {
  if (facet.slot == Slot::Actor) {
    kind = EntityKind::Actor;
    return true;
  }
  if (facet.slot == Slot::Ministry) {
    kind = EntityKind::Ministry;
    return true;
  }
  return false;
}

std::string facet_label(const FacetDef& facet, const std::string& value,
                        const Authority* authority) {
  EntityKind kind{};
  if (authority != nullptr && facet_entity_kind(facet, kind)) {
    if (const auto* entry = authority->find_by_id(kind, value)) return entry->name;
  }
  if (facet.slot == Slot::Language) return language_name(value);
  return value;
}

std::vector<FacetCount> rank_counts(const ValueCounts& counts, const FacetDef& facet,
                                    const Authority* authority, std::size_t limit,
                                    const std::vector<std::string>& selected) {
  std::vector<FacetCount> ranked;
  ranked.reserve(counts.size());
  for (const auto& [value, count] : counts) {
    if (count > 0) ranked.push_back({value, "", count});
  }
  std::sort(ranked.begin(), ranked.end(), [](const FacetCount& a, const FacetCount& b) {
    return a.count != b.count ? a.count > b.count : a.value < b.value;
  });
  if (limit > 0 && ranked.size() > limit) ranked.resize(limit);
  for (const auto& value : selected) {
    // A filter matches the stored value whatever its case ("EN", "the phnom penh post"):
    // the value is echoed as stored, with its count, not once more with 0.
    FacetCount chosen{value, "", 0};
    if (const auto found = counts.find(value); found != counts.end()) {
      chosen.count = found->second;
    } else {
      const std::string term = boolean_term(facet.term_prefix, value);
      for (const auto& [stored, count] : counts) {
        if (count > 0 && boolean_term(facet.term_prefix, stored) == term) {
          chosen = {stored, "", count};
          break;
        }
      }
    }
    const bool shown = std::any_of(ranked.begin(), ranked.end(), [&](const FacetCount& c) { return c.value == chosen.value; });
    if (!shown) ranked.push_back(std::move(chosen));
  }
  for (auto& entry : ranked) entry.label = facet_label(facet, entry.value, authority);
  return ranked;
}

}  // namespace rights::detail
