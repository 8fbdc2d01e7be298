// Exports of /api/search (format=csv|ris|json): downloads with their content type and
// file name, the same hits as the JSON answer, and CSV quoting that survives commas,
// quotes and formula-looking titles.
#include <catch2/catch.hpp>

#include <algorithm>

#include "e2e_fixture.h"
#include "rights/index_builder.h"
#include "temp_dir.h"

using rights::e2e::check_error;
using rights::e2e::get_json;
using rights::e2e::hit_ids;
using rights::e2e::RunningServer;
using rights::e2e::with_query;

namespace {

const std::string kOpenLetter = "2021-05-open-letter-cso-gbv-cases";

// The lines of a CRLF-terminated text (without the CRLFs).
std::vector<std::string> crlf_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  for (std::size_t end = text.find("\r\n"); end != std::string::npos; end = text.find("\r\n", start)) {
    lines.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

bool contains_line(const std::vector<std::string>& lines, const std::string& line) {
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

}  // namespace

TEST_CASE("exports are attachments with their content type", "[http][e2e][export]") {
  RunningServer server(rights::e2e::corpus_server_config());
  httplib::Client client("127.0.0.1", server.port());
  struct Case {
    std::string format, content_type, filename;
  };
  const std::vector<Case> cases{
      {"csv", "text/csv; charset=utf-8", "search.csv"},
      {"ris", "application/x-research-info-systems; charset=utf-8", "search.ris"},
      {"json", "application/json", "search.json"},
  };
  for (const auto& c : cases) {
    INFO(c.format);
    const auto reply = client.Get(with_query("/api/search", {{"q", "open letter"}, {"format", c.format}}).c_str());
    REQUIRE(reply);
    CHECK(reply->status == 200);
    CHECK(reply->get_header_value("Content-Type") == c.content_type);
    CHECK(reply->get_header_value("Content-Disposition") == "attachment; filename=\"" + c.filename + "\"");
    CHECK(reply->body.find(kOpenLetter) != std::string::npos);
  }
  // The plain search answer stays inline.
  const auto inline_reply = client.Get("/api/search?q=letter");
  REQUIRE(inline_reply);
  CHECK_FALSE(inline_reply->has_header("Content-Disposition"));
  check_error(get_json(client, "/api/search?q=letter&format=xml"), 400, "bad_format");
}

TEST_CASE("CSV export: header, one row per hit, RFC 4180 quoting", "[http][e2e][export]") {
  RunningServer server(rights::e2e::corpus_server_config());
  httplib::Client client("127.0.0.1", server.port());
  const auto json = get_json(client, with_query("/api/search", {{"q", "impunity"}, {"per_page", "5"}}));
  const auto csv = client.Get(with_query("/api/search", {{"q", "impunity"}, {"per_page", "5"}, {"format", "csv"}}).c_str());
  REQUIRE(csv);
  CHECK(csv->body.rfind("id,title,type,date,source,languages,actors,ministries,path,score\r\n", 0) == 0);
  CHECK(csv->body.compare(0, 3, "\xEF\xBB\xBF") != 0);  // no byte-order mark
  const auto lines = crlf_lines(csv->body);
  CHECK(lines.size() == 1 + json.body["hits"].size());
  // Rows follow the JSON ranking (the id is the first field and never needs quoting here).
  const auto ids = hit_ids(json.body);
  for (std::size_t i = 0; i < ids.size() && i + 1 < lines.size(); ++i) {
    CHECK(lines[i + 1].rfind(ids[i] + ",", 0) == 0);
  }

  // The open letter's title holds commas: quoted as one field.
  const auto letter = client.Get(with_query("/api/search", {{"q", "open letter"}, {"format", "csv"}}).c_str());
  REQUIRE(letter);
  CHECK(letter->body.find(",\"Open letter: request for legal action against Oknha Heng Sear, former Oknha") !=
        std::string::npos);
}

TEST_CASE("CSV quotes doubled quotes: RIS carries the citation fields", "[http][e2e][export]") {
  const rights::testing::TempDir directory("rights-e2e-export");
  directory.write("corpus/a.txt", "Statement by the monitors on the eviction.");
  directory.write("corpus/b.txt", "A note that starts a formula.");
  directory.write("corpus/authority/actors.json", R"({"actors": [
    {"id": "monitors-group", "name": "Monitors Group", "kind": "organisation", "aliases": ["the monitors"]}]})");
  directory.write("corpus/manifest.json", R"json({"manifest_version": 1, "documents": [
    {"id": "a", "path": "a.txt", "title": "Eviction, \"urgent\" statement", "type": "statement",
     "date": "2021-05", "source": "Monitors, Inc.", "languages": ["en", "km"], "authors": ["monitors-group"],
     "access": "public"},
    {"id": "b", "path": "b.txt", "title": "=HYPERLINK(\"http://x\")", "type": "report", "date": "2020-02-03",
     "source": "Notes", "languages": ["en"], "access": "public"}]})json");
  const auto index = directory.path() / "index";
  REQUIRE(rights::build_index(directory.path() / "corpus", index, {}).failures.empty());
  searchd::ServerConfig config;
  config.index_path = index.string();
  config.authority = rights::Authority::load(directory.path() / "corpus" / "authority");
  config.log = nullptr;
  RunningServer server(std::move(config));
  httplib::Client client("127.0.0.1", server.port());

  const auto csv = client.Get("/api/search?sort=date&format=csv");
  REQUIRE(csv);
  const auto lines = crlf_lines(csv->body);
  REQUIRE(lines.size() == 3);
  // Ascending date: b (2020-02-03) then a (2021-05). A formula-looking title is defused.
  CHECK(lines[1].rfind("b,\"'=HYPERLINK(\"\"http://x\"\")\",report,2020-02-03,Notes,en,,,b.txt,", 0) == 0);
  CHECK(lines[2].rfind("a,\"Eviction, \"\"urgent\"\" statement\",statement,2021-05,\"Monitors, Inc.\",en;km,"
                       "monitors-group,,a.txt,",
                       0) == 0);

  const auto ris = client.Get("/api/search?sort=date&format=ris");
  REQUIRE(ris);
  const auto ris_lines = crlf_lines(ris->body);
  for (const char* expected : {"TY  - PAMP", "TI  - Eviction, \"urgent\" statement", "AU  - Monitors Group",
                               "DA  - 2021/05//", "PY  - 2021", "PB  - Monitors, Inc.", "LA  - en, km",
                               "KW  - Monitors Group", "ID  - a", "TY  - RPRT",
                               "DA  - 2020/02/03/", "ER  - "}) {
    INFO(expected);
    CHECK(contains_line(ris_lines, expected));
  }
  CHECK(ris_lines.front() == "TY  - RPRT");  // every record starts with TY
  // No relative link: searchd does not know the address its users reach it at.
  CHECK(ris->body.find("UR  - ") == std::string::npos);
}
