// The sample corpus indexed once per test run (rights::build_index) and helpers for
// searching it, shared by the integration test files that search: inline, so that every
// file reads the same index, built once.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "rights/index_builder.h"
#include "rights/schema.h"
#include "rights/search.h"
#include "temp_dir.h"

namespace rights::testing {

using rights::SearchRequest;
using rights::Searcher;

struct CorpusIndex {
  rights::testing::TempDir dir{"rights-search-corpus"};
  std::filesystem::path index = dir.path() / "index";
  std::shared_ptr<const rights::Authority> authority;
  nlohmann::json manifest;

  CorpusIndex() {
    const auto report = rights::build_index(RIGHTS_CORPUS_DIR, index, {});
    if (!report.failures.empty()) {
      throw std::runtime_error("corpus build failed: " + report.failures.front().path + ": " +
                               report.failures.front().reason);
    }
    authority = rights::Authority::load(std::filesystem::path(RIGHTS_CORPUS_DIR) / "authority");
    std::ifstream in(std::filesystem::path(RIGHTS_CORPUS_DIR) / "manifest.json");
    manifest = nlohmann::json::parse(in);
  }

  // The manifest id of the one document whose path contains `fragment` (ids of the seed
  // texts may still change; their file names describe them).
  std::string id_for(const std::string& fragment) const {
    std::vector<std::string> ids;
    for (const auto& document : manifest.at("documents")) {
      if (document.at("path").get<std::string>().find(fragment) != std::string::npos) {
        ids.push_back(document.at("id").get<std::string>());
      }
    }
    if (ids.size() != 1) throw std::runtime_error("manifest has no single path with " + fragment);
    return ids.front();
  }

  std::size_t document_count() const { return manifest.at("documents").size(); }
};

inline const CorpusIndex& corpus() {
  static const CorpusIndex built;  // built once: every test case reads the same index
  return built;
}

inline Searcher corpus_searcher() { return Searcher(corpus().index.string(), corpus().authority); }

inline SearchRequest request(const std::string& query, int per_page = rights::kMaxPerPage) {
  SearchRequest req;
  req.query = query;
  req.per_page = per_page;
  return req;
}

inline std::vector<std::string> sorted(std::vector<std::string> ids) {
  std::sort(ids.begin(), ids.end());
  return ids;
}

inline std::vector<std::string> hit_ids(const rights::SearchResponse& response, std::size_t at_most = 1000) {
  std::vector<std::string> ids;
  for (const auto& hit : response.hits) {
    if (ids.size() < at_most) ids.push_back(hit.id);
  }
  return ids;
}

inline bool contains(const std::vector<std::string>& list, const std::string& value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

inline std::uint64_t facet_count(const std::map<std::string, std::vector<rights::FacetCount>>& facets,
                          const std::string& facet, const std::string& value) {
  for (const auto& count : facets.at(facet)) {
    if (count.value == value) return count.count;
  }
  return 0;
}

inline std::uint64_t facet_count(const rights::SearchResponse& response, const std::string& facet,
                          const std::string& value) {
  return facet_count(response.facets, facet, value);
}

inline std::string error_code_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const rights::UserError& e) {
    return e.code();
  }
  return "no error";
}


}  // namespace rights::testing
