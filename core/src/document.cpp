#include "rights/document.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

namespace rights {

int DocumentRecord::page_at(std::size_t offset) const {
  if (page_starts.empty()) return 0;
  const auto after = std::upper_bound(page_starts.begin(), page_starts.end(), offset);
  return static_cast<int>(std::max<std::ptrdiff_t>(1, after - page_starts.begin()));
}

std::string serialize_record(const DocumentRecord& r) {
  nlohmann::json json = {
      {"id", r.id},           {"path", r.path},
      {"title", r.title},     {"type", r.type},
      {"date", r.date},       {"source", r.source},
      {"access", r.access},   {"languages", r.languages},
      {"actors", r.actors},   {"ministries", r.ministries},
      {"authors", r.authors}, {"signatories", r.signatories},
      {"addressees", r.addressees}, {"text", r.text},
      {"page_starts", r.page_starts}, {"content_hash", r.content_hash},
  };
  return json.dump();
}

DocumentRecord parse_record(std::string_view data) {
  try {
    const auto json = nlohmann::json::parse(data);
    DocumentRecord r;
    json.at("id").get_to(r.id);
    json.at("path").get_to(r.path);
    json.at("title").get_to(r.title);
    json.at("type").get_to(r.type);
    json.at("date").get_to(r.date);
    json.at("source").get_to(r.source);
    json.at("access").get_to(r.access);
    json.at("languages").get_to(r.languages);
    json.at("actors").get_to(r.actors);
    json.at("ministries").get_to(r.ministries);
    json.at("authors").get_to(r.authors);
    json.at("signatories").get_to(r.signatories);
    json.at("addressees").get_to(r.addressees);
    json.at("text").get_to(r.text);
    json.at("page_starts").get_to(r.page_starts);
    json.at("content_hash").get_to(r.content_hash);
    return r;
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("corrupt document record in index: ") + e.what());
  }
}

}  // namespace rights
