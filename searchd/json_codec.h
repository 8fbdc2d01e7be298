// Core response structs -> the JSON bodies of the HTTP API (and of `searchd query`, which
// prints exactly what /api/search returns). Keys keep the documented order.
#pragma once

#include <string>
#include <vector>

#include "rights/authority.h"
#include "rights/search.h"

namespace searchd {

/// {"total", "hits":[{"id","path","title","type","date","lang","source","score","snippet",
/// "page" (only when > 0),"actors","ministries"}], "facets":{"actor":[{"value","label",
/// "count"}], ...every schema facet...}, "suggestion", "took_ms", "page", "per_page"}.
/// An undated hit has "date": null; no suggestion is "suggestion": null.
std::string search_to_json(const rights::SearchResponse& response, const rights::SearchRequest& request);

/// {"id","path","title","type","date","lang","source","access","actors":[{"id","name"}],
/// "ministries":[{"id","name"}],"authors","signatories","addressees" (same {"id","name"}
/// form),"text","highlighted_text" (null when no query was given),"page_starts"}.
/// Names come from `authority`; an id it does not know is its own name.
std::string document_to_json(const rights::DocumentResponse& document, bool has_query,
                             const rights::Authority& authority);

/// {"suggestions":[{"text","kind","value"}]}
std::string suggestions_to_json(const std::vector<rights::Suggestion>& suggestions);

/// {"facet": name, "values":[{"value","label","count"}]}
std::string facet_values_to_json(const std::string& facet_name,
                                 const std::vector<rights::FacetCount>& values);

/// {"documents","terms","build_time","generation","facets":{...as in search...}}
std::string stats_to_json(const rights::IndexStats& stats);

/// {"status":"ok","generation": generation,"facet_counting":"columns"|"loading"|"spies"}
std::string health_to_json(const std::string& generation, rights::Searcher::FacetCounting counting);

/// {"error":{"code","message"}}
std::string error_to_json(const std::string& code, const std::string& message);

}  // namespace searchd
