// Restricted documents (manifest `access: restricted`) never show without the API token,
// through any channel: hits, totals, facets, snippets, completions, did-you-mean, the
// document endpoint, facet values, exports, stats and metrics. With the token they all
// show; a wrong token is refused (401), not silently treated as no token.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <set>

#include "e2e_fixture.h"
#include "rights/index_builder.h"
#include "temp_dir.h"

using rights::e2e::check_error;
using rights::e2e::get_json;
using rights::e2e::hit_ids;
using rights::e2e::RunningServer;
using rights::e2e::with_query;

namespace {

const std::string kToken = "restricted-test-token-5f2c9a";
const std::string kRestrictedId = "witness-statement";
// Everything only the restricted document has: its id, words (the actor's name starts
// with "zyx" too), its year as a facet value, a CSV date or a RIS date, and its source.
const std::vector<std::string> kSecrets{kRestrictedId, "zyx", "\"1999\"", "1999-03", "1999/", "confidential"};

// Three public documents and one restricted one that shares the word "land" with them.
void write_corpus(const rights::testing::TempDir& directory) {
  directory.write("corpus/public-1.txt", "Villagers wrote to the ministry about land rights and Sok Chea.");
  directory.write("corpus/public-2.txt", "A court hearing on land rights was postponed, Sok Chea said.");
  directory.write("corpus/public-3.txt", "Monitors reported arrests of land activists.");
  directory.write("corpus/witness.txt",
                  "The witness zyxwitness described the land seizure to Zyxana Dara in detail. "
                  "Zyxana Dara kept the testimony.");
  directory.write("corpus/authority/actors.json", R"({"actors": [
    {"id": "sok-chea", "name": "Sok Chea", "kind": "person", "aliases": ["Sok Chea"]},
    {"id": "zyxana-dara", "name": "Zyxana Dara", "kind": "person", "aliases": ["Zyxana Dara"]}]})");
  directory.write("corpus/manifest.json", R"({"manifest_version": 1, "documents": [
    {"id": "public-1", "path": "public-1.txt", "title": "Letter on land rights", "type": "letter",
     "date": "2020-03-01", "source": "Villagers", "languages": ["en"], "access": "public"},
    {"id": "public-2", "path": "public-2.txt", "title": "Hearing postponed", "type": "article",
     "date": "2021-06", "source": "The Daily", "languages": ["en"], "access": "public"},
    {"id": "public-3", "path": "public-3.txt", "title": "Arrests of activists", "type": "article",
     "date": "2021", "source": "The Daily", "languages": ["en"], "access": "public"},
    {"id": "witness-statement", "path": "witness.txt", "title": "Zyxwitness testimony on the land seizure",
     "type": "report", "date": "1999-03-04", "source": "Confidential Monitors", "languages": ["en"],
     "authors": ["zyxana-dara"], "access": "restricted"}]})");
}

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

// The secret of kSecrets found in `body`, or "".
std::string leaked_secret(const std::string& body) {
  const std::string lowered = lowercase(body);
  for (const auto& secret : kSecrets) {
    if (lowered.find(secret) != std::string::npos) return secret;
  }
  return "";
}

std::string header_of(const httplib::Headers& headers, const std::string& name) {
  const auto found = headers.find(name);
  return found == headers.end() ? "" : found->second;
}

struct Fixture {
  rights::testing::TempDir directory{"rights-e2e-restricted"};
  std::unique_ptr<RunningServer> server;
  std::unique_ptr<httplib::Client> client;

  Fixture() {
    write_corpus(directory);
    const auto index = directory.path() / "index";
    const auto report = rights::build_index(directory.path() / "corpus", index, {});
    REQUIRE(report.failures.empty());
    REQUIRE(report.documents_indexed == 4);
    searchd::ServerConfig config;
    config.index_path = index.string();
    config.authority = rights::Authority::load(directory.path() / "corpus" / "authority");
    config.api_token = kToken;
    config.rate_limit = 0;
    config.log = nullptr;
    config.threads = 4;
    server = std::make_unique<RunningServer>(std::move(config));
    client = std::make_unique<httplib::Client>("127.0.0.1", server->port());
  }

  httplib::Result get(const std::string& target, const httplib::Headers& headers = {}) {
    auto result = client->Get(target.c_str(), headers);
    REQUIRE(result);
    return result;
  }
};

const httplib::Headers kWithToken{{"Authorization", "Bearer " + kToken}};

// Every channel a restricted document could show through, as GET targets.
const std::vector<std::string> kChannels{
    with_query("/api/search", {{"q", "land"}}),
    with_query("/api/search", {{"q", "zyxwitness"}}),
    with_query("/api/search", {{"q", "zyxwitnes"}}),  // did-you-mean
    with_query("/api/search", {}),
    with_query("/api/search", {{"actor", "sok-chea"}}),
    with_query("/api/search", {{"q", "land"}, {"sort", "date"}}),
    with_query("/api/search", {{"q", "land"}, {"format", "csv"}}),
    with_query("/api/search", {{"q", "land"}, {"format", "ris"}}),
    with_query("/api/search", {{"q", "land"}, {"format", "json"}}),
    with_query("/api/suggest", {{"q", "zyx"}}),
    with_query("/api/suggest", {{"q", "con"}}),
    with_query("/api/facets/actor", {{"q", "zyx"}}),
    with_query("/api/facets/year", {}),
    with_query("/api/facets/source", {}),
    with_query("/api/facets/type", {}),
    "/api/stats",
    "/metrics",
};

}  // namespace

TEST_CASE("without the token no channel shows anything of a restricted document", "[http][e2e][restricted]") {
  Fixture fixture;
  for (const auto& target : kChannels) {
    INFO("GET " << target);
    const auto reply = fixture.get(target);
    CHECK(reply->status == 200);
    INFO("body: " << reply->body.substr(0, 1500));
    CHECK(leaked_secret(reply->body).empty());
  }

  const auto land = get_json(*fixture.client, with_query("/api/search", {{"q", "land"}}));
  CHECK(land.body["total"] == 3);
  CHECK(hit_ids(land.body).size() == 3);
  const auto everything = get_json(*fixture.client, "/api/search");
  CHECK(everything.body["total"] == 3);
  std::uint64_t typed = 0;
  for (const auto& value : everything.body["facets"]["type"]) typed += value["count"].get<std::uint64_t>();
  CHECK(typed == 3);

  CHECK(get_json(*fixture.client, with_query("/api/search", {{"q", "zyxwitnes"}})).body["suggestion"].is_null());
  CHECK(get_json(*fixture.client, "/api/stats").body["documents"] == 3);
  CHECK(fixture.get("/metrics")->body.find("searchd_index_documents 3\n") != std::string::npos);
}

TEST_CASE("a restricted document id answers exactly like a missing one", "[http][e2e][restricted]") {
  Fixture fixture;
  const std::string missing_id = "no-such-statement";  // as long as kRestrictedId
  const auto restricted = get_json(*fixture.client, "/api/doc/" + kRestrictedId);
  const auto missing = get_json(*fixture.client, "/api/doc/" + missing_id);
  check_error(restricted, 404, "not_found");
  check_error(missing, 404, "not_found");
  std::string expected = missing.body.dump();
  expected.replace(expected.find(missing_id), missing_id.size(), kRestrictedId);
  CHECK(restricted.body.dump() == expected);
  CHECK(restricted.headers.size() == missing.headers.size());
}

TEST_CASE("with the token restricted documents show in every channel", "[http][e2e][restricted]") {
  Fixture fixture;
  const auto land = get_json(*fixture.client, with_query("/api/search", {{"q", "land"}}), kWithToken);
  REQUIRE(land.status == 200);
  CHECK(land.body["total"] == 4);
  CHECK(header_of(land.headers, "Cache-Control") == "private, no-store");
  const auto ids = hit_ids(land.body);
  CHECK(std::find(ids.begin(), ids.end(), kRestrictedId) != ids.end());

  const auto witness = get_json(*fixture.client, with_query("/api/search", {{"q", "zyxwitness"}}), kWithToken);
  REQUIRE(witness.body["hits"].size() == 1);
  CHECK(witness.body["hits"][0]["snippet"].get<std::string>().find("<mark>zyxwitness</mark>") != std::string::npos);
  bool actor_counted = false, year_counted = false;
  for (const auto& value : witness.body["facets"]["actor"]) actor_counted |= value["value"] == "zyxana-dara";
  for (const auto& value : witness.body["facets"]["year"]) year_counted |= value["value"] == "1999";
  CHECK(actor_counted);
  CHECK(year_counted);

  const auto typo = get_json(*fixture.client, with_query("/api/search", {{"q", "zyxwitnes"}}), kWithToken);
  CHECK(typo.body["suggestion"] == "zyxwitness");

  const auto suggestions = get_json(*fixture.client, with_query("/api/suggest", {{"q", "zyx"}}), kWithToken);
  std::set<std::string> kinds;
  for (const auto& suggestion : suggestions.body["suggestions"]) kinds.insert(suggestion["kind"].get<std::string>());
  CHECK(kinds == std::set<std::string>{"actor", "title", "term"});

  const auto facet = get_json(*fixture.client, with_query("/api/facets/actor", {{"q", "zyx"}}), kWithToken);
  REQUIRE(facet.body["values"].size() == 1);
  CHECK(facet.body["values"][0]["value"] == "zyxana-dara");

  const auto document = get_json(*fixture.client, "/api/doc/" + kRestrictedId, kWithToken);
  CHECK(document.status == 200);
  CHECK(document.body["access"] == "restricted");

  CHECK(get_json(*fixture.client, "/api/stats", kWithToken).body["documents"] == 4);
  for (const char* format : {"csv", "ris", "json"}) {
    INFO(format);
    const auto exported =
        fixture.get(with_query("/api/search", {{"q", "zyxwitness"}, {"format", format}}), kWithToken);
    CHECK(exported->status == 200);
    CHECK(exported->body.find(kRestrictedId) != std::string::npos);
  }
  // /metrics takes no token: it always counts public documents only.
  CHECK(fixture.get("/metrics", kWithToken)->body.find("searchd_index_documents 3\n") != std::string::npos);
}

TEST_CASE("a wrong or malformed token is refused with 401, never downgraded", "[http][e2e][restricted]") {
  Fixture fixture;
  const std::vector<httplib::Headers> wrong{
      {{"Authorization", "Bearer " + kToken + "x"}},
      {{"Authorization", "Bearer " + kToken.substr(0, kToken.size() - 1)}},
      {{"Authorization", "Bearer "}},
      {{"Authorization", "Basic dXNlcjpwYXNz"}},
      {{"Authorization", kToken}},
  };
  const std::vector<std::string> endpoints{with_query("/api/search", {{"q", "land"}}),
                                           with_query("/api/search", {{"q", "land"}, {"format", "csv"}}),
                                           "/api/doc/public-1", "/api/suggest?q=la", "/api/facets/actor",
                                           "/api/stats"};
  for (const auto& headers : wrong) {
    for (const auto& target : endpoints) {
      INFO(headers.begin()->second << " GET " << target);
      const auto reply = get_json(*fixture.client, target, headers);
      check_error(reply, 401, "bad_token");
      CHECK(header_of(reply.headers, "WWW-Authenticate") == "Bearer error=\"invalid_token\"");
      CHECK(leaked_secret(reply.body.dump()).empty());
    }
  }
  // The scheme name is case-insensitive (RFC 7235).
  CHECK(get_json(*fixture.client, "/api/stats", {{"Authorization", "bearer " + kToken}}).status == 200);
}

TEST_CASE("a server without a token refuses any Authorization header", "[http][e2e][restricted]") {
  auto config = rights::e2e::corpus_server_config();
  RunningServer server(std::move(config));
  httplib::Client client("127.0.0.1", server.port());
  check_error(get_json(client, "/api/stats", {{"Authorization", "Bearer " + kToken}}), 401, "bad_token");
  CHECK(get_json(client, "/api/stats").status == 200);
}
