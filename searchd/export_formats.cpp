#include "export_formats.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace searchd {

namespace {

// ---- CSV ----

std::string join(const std::vector<std::string>& values, const char* separator) {
  std::string joined;
  for (const auto& value : values) joined += (joined.empty() ? "" : separator) + value;
  return joined;
}

std::string csv_field(const std::string& value) {
  std::string field = value;
  if (!field.empty() && std::string("=+-@\t\r").find(field.front()) != std::string::npos) {
    field.insert(field.begin(), '\'');
  }
  if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
  std::string quoted = "\"";
  for (const char c : field) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

std::string format_score(double score) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.4f", score);
  return buffer;
}

// ---- RIS ----

// The standard RIS type of each document type (rights::kDocumentTypes); a reference
// manager maps an unknown tag such as "LETTER" to a generic document.
const char* ris_type(const std::string& type) {
  if (type == "letter") return "PCOMM";   // personal communication: Zotero's and EndNote's letter
  if (type == "report") return "RPRT";
  if (type == "article") return "NEWS";   // the corpus's articles come from newspapers
  if (type == "statement") return "PAMP";  // a short standalone publication of an organisation
  return "GEN";
}

// A RIS value is one line: line breaks in a stored title would end the field early.
std::string one_line(const std::string& value) {
  std::string line = value;
  for (char& c : line) {
    if (c == '\r' || c == '\n') c = ' ';
  }
  return line;
}

void add_tag(std::string& out, const char* tag, const std::string& value) {
  if (value.empty()) return;
  out += tag;
  out += "  - ";
  out += one_line(value);
  out += "\r\n";
}

// "2021-05-12" -> "2021/05/12/", "2021-05" -> "2021/05//", "2021" -> "2021///".
std::string ris_date(const std::string& date) {
  const std::string year = date.substr(0, 4);
  const std::string month = date.size() >= 7 ? date.substr(5, 2) : "";
  const std::string day = date.size() >= 10 ? date.substr(8, 2) : "";
  return year + '/' + month + '/' + day + '/';
}

std::string name_of(const rights::Authority& authority, const std::string& id) {
  const rights::AuthorityEntry* entry = authority.find_by_id(rights::EntityKind::Actor, id);
  return entry != nullptr ? entry->name : id;
}

}  // namespace

std::string search_to_csv(const rights::SearchResponse& response) {
  std::string out = "id,title,type,date,source,languages,actors,ministries,path,score\r\n";
  for (const auto& hit : response.hits) {
    const std::vector<std::string> fields{hit.id,
                                          hit.title,
                                          hit.type,
                                          hit.date,
                                          hit.source,
                                          join(hit.languages, ";"),
                                          join(hit.actors, ";"),
                                          join(hit.ministries, ";"),
                                          hit.path};
    for (const auto& field : fields) out += csv_field(field) + ',';
    out += format_score(hit.score) + "\r\n";
  }
  return out;
}

std::string search_to_ris(const rights::SearchResponse& response, const rights::Authority& authority) {
  std::string out;
  for (const auto& hit : response.hits) {
    add_tag(out, "TY", ris_type(hit.type));
    add_tag(out, "TI", hit.title);
    for (const auto& author : hit.authors) add_tag(out, "AU", name_of(authority, author));
    if (hit.date.size() >= 4) {
      add_tag(out, "DA", ris_date(hit.date));
      add_tag(out, "PY", hit.date.substr(0, 4));
    }
    add_tag(out, "PB", hit.source);
    add_tag(out, "LA", join(hit.languages, ", "));
    // By name, as a reference manager lists keywords (the ids sort otherwise).
    std::vector<std::string> keywords;
    for (const auto& actor : hit.actors) keywords.push_back(name_of(authority, actor));
    std::sort(keywords.begin(), keywords.end());
    for (const auto& keyword : keywords) add_tag(out, "KW", keyword);
    // No UR: searchd cannot know the address its users reach it at (a proxy, a path
    // prefix), and a relative "/?doc=..." is useless in a reference manager.
    add_tag(out, "ID", hit.id);
    out += "ER  - \r\n\r\n";
  }
  return out;
}

}  // namespace searchd
