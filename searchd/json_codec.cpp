#include "json_codec.h"

#include <nlohmann/json.hpp>

#include "rights/schema.h"

namespace searchd {

namespace {

// Insertion-ordered, so bodies list keys in the documented order.
using Json = nlohmann::ordered_json;

// Replacing invalid UTF-8 (U+FFFD) instead of throwing: a stray byte in a stored title must
// cost one glyph, not the whole response.
std::string dump(const Json& body) { return body.dump(-1, ' ', false, Json::error_handler_t::replace); }

Json string_or_null(const std::string& text) { return text.empty() ? Json(nullptr) : Json(text); }

Json facet_counts_to_json(const std::vector<rights::FacetCount>& counts) {
  Json values = Json::array();
  for (const auto& count : counts) {
    values.push_back({{"value", count.value}, {"label", count.label}, {"count", count.count}});
  }
  return values;
}

// Every schema facet, in schema order, present even when empty so clients need no checks.
Json facets_to_json(const std::map<std::string, std::vector<rights::FacetCount>>& facets) {
  Json out = Json::object();
  for (const auto& facet : rights::kFacets) {
    if (!facet.in_response) continue;
    const auto found = facets.find(std::string(facet.name));
    out[std::string(facet.name)] =
        found == facets.end() ? Json::array() : facet_counts_to_json(found->second);
  }
  return out;
}

Json hit_to_json(const rights::Hit& hit) {
  Json out = {{"id", hit.id},
              {"path", hit.path},
              {"title", hit.title},
              {"type", hit.type},
              {"date", string_or_null(hit.date)},
              {"lang", hit.languages},
              {"source", hit.source},
              {"score", hit.score},
              {"snippet", hit.snippet}};
  if (hit.page > 0) out["page"] = hit.page;
  out["actors"] = hit.actors;
  out["ministries"] = hit.ministries;
  return out;
}

Json entities_to_json(const std::vector<std::string>& ids, rights::EntityKind kind,
                      const rights::Authority& authority) {
  Json out = Json::array();
  for (const auto& id : ids) {
    const rights::AuthorityEntry* entry = authority.find_by_id(kind, id);
    out.push_back({{"id", id}, {"name", entry != nullptr ? entry->name : id}});
  }
  return out;
}

}  // namespace

std::string search_to_json(const rights::SearchResponse& response, const rights::SearchRequest& request) {
  Json hits = Json::array();
  for (const auto& hit : response.hits) hits.push_back(hit_to_json(hit));
  const Json body = {{"total", response.total},
                     {"hits", std::move(hits)},
                     {"facets", facets_to_json(response.facets)},
                     {"suggestion", string_or_null(response.suggestion)},
                     {"took_ms", response.took_ms},
                     {"page", request.page},
                     {"per_page", request.per_page}};
  return dump(body);
}

std::string document_to_json(const rights::DocumentResponse& document, bool has_query,
                             const rights::Authority& authority) {
  const rights::DocumentRecord& record = document.record;
  using rights::EntityKind;
  const Json body = {
      {"id", record.id},
      {"path", record.path},
      {"title", record.title},
      {"type", record.type},
      {"date", string_or_null(record.date)},
      {"lang", record.languages},
      {"source", record.source},
      {"access", record.access},
      {"actors", entities_to_json(record.actors, EntityKind::Actor, authority)},
      {"ministries", entities_to_json(record.ministries, EntityKind::Ministry, authority)},
      {"authors", entities_to_json(record.authors, EntityKind::Actor, authority)},
      {"signatories", entities_to_json(record.signatories, EntityKind::Actor, authority)},
      {"addressees", entities_to_json(record.addressees, EntityKind::Actor, authority)},
      {"text", record.text},
      {"highlighted_text", has_query ? Json(document.highlighted_text) : Json(nullptr)},
      {"page_starts", record.page_starts}};
  return dump(body);
}

std::string suggestions_to_json(const std::vector<rights::Suggestion>& suggestions) {
  Json list = Json::array();
  for (const auto& suggestion : suggestions) {
    list.push_back({{"text", suggestion.text}, {"kind", suggestion.kind}, {"value", suggestion.value}});
  }
  return dump(Json{{"suggestions", std::move(list)}});
}

std::string facet_values_to_json(const std::string& facet_name,
                                 const std::vector<rights::FacetCount>& values) {
  return dump(Json{{"facet", facet_name}, {"values", facet_counts_to_json(values)}});
}

std::string stats_to_json(const rights::IndexStats& stats) {
  return dump(Json{{"documents", stats.documents},
                   {"terms", stats.terms},
                   {"build_time", stats.build_time},
                   {"generation", stats.generation},
                   {"facets", facets_to_json(stats.facets)}});
}

std::string health_to_json(const std::string& generation, rights::Searcher::FacetCounting counting) {
  using Counting = rights::Searcher::FacetCounting;
  const char* counting_name = counting == Counting::columns ? "columns"
                              : counting == Counting::spies ? "spies"
                                                            : "loading";
  return dump(Json{{"status", "ok"}, {"generation", generation}, {"facet_counting", counting_name}});
}

std::string error_to_json(const std::string& code, const std::string& message) {
  return dump(Json{{"error", {{"code", code}, {"message", message}}}});
}

}  // namespace searchd
