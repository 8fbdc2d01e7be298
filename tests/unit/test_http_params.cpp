// Query-string parameters -> rights::SearchRequest, without a server: the parser is a pure
// function of the decoded parameter multimap.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "http_params.h"

using searchd::QueryParams;

namespace {

// The UserError code thrown by `parse`, or "" if it succeeded.
template <typename Parse>
std::string error_code_of(Parse parse) {
  try {
    parse();
  } catch (const rights::UserError& e) {
    return e.code();
  }
  return "";
}

}  // namespace

TEST_CASE("search params: defaults when nothing is given", "[http]") {
  const auto parsed = searchd::parse_search_params({});
  CHECK(parsed.request.query.empty());
  CHECK(parsed.request.filters.empty());
  CHECK(parsed.request.sort == rights::SortOrder::Relevance);
  CHECK(parsed.request.page == 1);
  CHECK(parsed.request.per_page == rights::SearchRequest{}.per_page);
  CHECK_FALSE(parsed.request.include_restricted);
  CHECK(parsed.format == searchd::ResponseFormat::Json);
}

TEST_CASE("search params: format=json|csv|ris ask for a download", "[http][export]") {
  using searchd::ResponseFormat;
  CHECK(searchd::parse_search_params({{"format", "json"}}).format == ResponseFormat::JsonFile);
  CHECK(searchd::parse_search_params({{"format", "csv"}}).format == ResponseFormat::Csv);
  CHECK(searchd::parse_search_params({{"format", "ris"}}).format == ResponseFormat::Ris);
  // Exports are pages like any search: the same per_page ceiling.
  CHECK(error_code_of([] { searchd::parse_search_params({{"format", "csv"}, {"per_page", "101"}}); }) ==
        "bad_per_page");
}

TEST_CASE("search params: repeatable facets collect values in order, per facet", "[http]") {
  const QueryParams params{{"q", "impunity"},          {"actor", "sar-kheng"},
                           {"actor", "Keut Rith"},     {"ministry", "interior"},
                           {"type", "article"},        {"lang", "en"},
                           {"source", "The Phnom Penh Post"}, {"year", "2021"},
                           {"actor", ""}};
  const auto request = searchd::parse_search_params(params).request;
  CHECK(request.query == "impunity");
  CHECK(request.filters.at("actor") == std::vector<std::string>{"sar-kheng", "Keut Rith"});
  CHECK(request.filters.at("ministry") == std::vector<std::string>{"interior"});
  CHECK(request.filters.at("type") == std::vector<std::string>{"article"});
  CHECK(request.filters.at("lang") == std::vector<std::string>{"en"});
  CHECK(request.filters.at("source") == std::vector<std::string>{"The Phnom Penh Post"});
  CHECK(request.filters.at("year") == std::vector<std::string>{"2021"});
  CHECK(request.filters.size() == 6);  // the empty actor value (an untouched form field) is dropped
}

TEST_CASE("search params: sort values", "[http]") {
  const auto [text, expected] = GENERATE(table<std::string, rights::SortOrder>({
      {"relevance", rights::SortOrder::Relevance},
      {"date", rights::SortOrder::DateAscending},
      {"-date", rights::SortOrder::DateDescending},
  }));
  INFO("sort=" << text);
  CHECK(searchd::parse_search_params({{"sort", text}}).request.sort == expected);
}

TEST_CASE("search params: pages and page sizes within bounds", "[http]") {
  const auto [page, per_page] = GENERATE(table<std::string, std::string>({
      {"1", "1"}, {"7", "100"}, {"1000", "10"},
  }));
  const auto request = searchd::parse_search_params({{"page", page}, {"per_page", per_page}}).request;
  CHECK(request.page == std::stoi(page));
  CHECK(request.per_page == std::stoi(per_page));
}

TEST_CASE("search params: dates are passed through for the core to validate", "[http]") {
  const auto [from, to] = GENERATE(table<std::string, std::string>({
      {"2021", "2021-05"}, {"1948-12-10", ""}, {"", "2020"}, {"not-a-date", "2021-13"},
  }));
  QueryParams params;
  if (!from.empty()) params.emplace("from", from);
  if (!to.empty()) params.emplace("to", to);
  const auto request = searchd::parse_search_params(params).request;
  CHECK(request.from_date == from);
  CHECK(request.to_date == to);
}

TEST_CASE("search params: bad values are rejected with a stable code", "[http]") {
  // (Named copies, not structured bindings: C++17 lambdas cannot capture those.)
  const auto row = GENERATE(table<std::string, std::string, std::string>({
      {"page", "abc", "bad_page"},
      {"page", "0", "bad_page"},
      {"page", "-1", "bad_page"},
      {"page", "1.5", "bad_page"},
      {"page", "99999999999999999999", "bad_page"},
      {"page", "1001", "bad_page"},
      {"per_page", "0", "bad_per_page"},
      {"per_page", "101", "bad_per_page"},
      {"per_page", "1000", "bad_per_page"},
      {"per_page", " 10", "bad_per_page"},
      {"sort", "foo", "bad_sort"},
      {"sort", "Date", "bad_sort"},
      {"format", "xml", "bad_format"},
      {"format", "CSV", "bad_format"},
      {"acter", "sar-kheng", "unknown_parameter"},
      {"Q", "impunity", "unknown_parameter"},
      {"callback", "x", "unknown_parameter"},
      {"q", "\xff\xfe", "bad_encoding"},
      {"actor", "caf\xc3", "bad_encoding"},
  }));
  const std::string name = std::get<0>(row), value = std::get<1>(row), code = std::get<2>(row);
  INFO(name << "=" << value);
  CHECK(error_code_of([&] { searchd::parse_search_params({{name, value}}); }) == code);
}

TEST_CASE("search params: the unknown parameter is named in the message", "[http]") {
  try {
    searchd::parse_search_params({{"q", "x"}, {"acter", "sar-kheng"}});
    FAIL("no error");
  } catch (const rights::UserError& e) {
    CHECK(e.code() == "unknown_parameter");
    CHECK(std::string(e.what()).find("\"acter\"") != std::string::npos);
  }
}

TEST_CASE("search params: single-valued parameters may not repeat", "[http]") {
  const std::string name = GENERATE("q", "from", "to", "sort", "page", "per_page", "format");
  const std::string first = name == "sort" ? "date" : name == "format" ? "json" : "1";
  const std::string second = name == "sort" ? "-date" : name == "format" ? "json " : "2";
  INFO(name);
  CHECK(error_code_of([&] { searchd::parse_search_params({{name, first}, {name, second}}); }) ==
        "repeated_parameter");
}

TEST_CASE("search params: query text is passed through for the core to parse", "[http]") {
  const std::string query = GENERATE(std::string("\"unclosed"), std::string("a AND (b OR"),
                                     std::string(3000, 'a'), std::string("សិទ្ធិមនុស្ស"));
  CHECK(searchd::parse_search_params({{"q", query}}).request.query == query);
}

TEST_CASE("document, lookup and parameterless endpoints check their own names", "[http]") {
  CHECK(searchd::parse_document_params({{"q", "impunity"}}).query == "impunity");
  CHECK(error_code_of([] { searchd::parse_document_params({{"actor", "x"}}); }) == "unknown_parameter");

  const auto lookup = searchd::parse_lookup_params({{"q", "sar"}, {"limit", "5"}}, 10, 20);
  CHECK(lookup.query == "sar");
  CHECK(lookup.limit == 5);
  CHECK(searchd::parse_lookup_params({}, 10, 20).limit == 10);
  CHECK(searchd::parse_lookup_params({{"limit", "20"}}, 10, 20).limit == 20);
  CHECK(error_code_of([] { searchd::parse_lookup_params({{"limit", "0"}}, 10, 20); }) == "bad_limit");
  CHECK(error_code_of([] { searchd::parse_lookup_params({{"limit", "21"}}, 10, 20); }) == "bad_limit");
  CHECK(error_code_of([] { searchd::parse_lookup_params({{"limit", "ten"}}, 10, 20); }) == "bad_limit");
  // The message names the endpoint's own range.
  CHECK_THROWS_WITH(searchd::parse_lookup_params({{"limit", "0"}}, 10, 20), Catch::Contains("from 1 to 20"));
  CHECK(error_code_of([] { searchd::parse_lookup_params({{"page", "2"}}, 10, 20); }) ==
        "unknown_parameter");

  CHECK_NOTHROW(searchd::check_no_params({}));
  CHECK(error_code_of([] { searchd::check_no_params({{"q", ""}}); }) == "unknown_parameter");
}

TEST_CASE("CORS origins given to searchd are origins as browsers send them", "[http]") {
  using searchd::normalize_cors_origin;
  CHECK(normalize_cors_origin("https://example.org") == "https://example.org");
  // Pasted from the address bar, or typed in capitals: what the Origin header will say.
  CHECK(normalize_cors_origin("https://Example.ORG/") == "https://example.org");
  CHECK(normalize_cors_origin("http://127.0.0.1:18120/") == "http://127.0.0.1:18120");
  CHECK(normalize_cors_origin("http://[::1]:8000") == "http://[::1]:8000");
  CHECK(normalize_cors_origin("*") == "*");
  for (const char* bad : {"127.0.0.1:18120", "example.org", "https://", "https://example.org/search",
                          "https://example.org?x", "https://user@example.org", "https://example.org:80x",
                          "://example.org", "https://example.org:", "ht tp://example.org", "**"}) {
    INFO(bad);
    CHECK_THROWS_AS(normalize_cors_origin(bad), std::invalid_argument);
  }
  CHECK_THROWS_WITH(normalize_cors_origin("example.org"), Catch::Contains("https://example.org"));
}

TEST_CASE("search params: a year filter is four digits or \"undated\"", "[http]") {
  CHECK(searchd::parse_search_params({{"year", "2021"}}).request.filters.at("year") ==
        std::vector<std::string>{"2021"});
  CHECK(searchd::parse_search_params({{"year", "undated"}, {"year", "1948"}}).request.filters.at("year") ==
        std::vector<std::string>{"undated", "1948"});
  const std::string year = GENERATE("abc", "20123", "202", "2021-05", " 2021", "-2021");
  INFO("year=" << year);
  CHECK(error_code_of([&] { searchd::parse_search_params({{"year", year}}); }) == "bad_date");
  CHECK_THROWS_WITH(searchd::parse_search_params({{"year", year}}), Catch::Contains("\"year\""));
}

TEST_CASE("parameters: control characters are refused, naming the parameter", "[http]") {
  // C0, DEL (U+007F) and C1 (U+0080-U+009F, two bytes in UTF-8).
  const std::string control = GENERATE(std::string(1, '\0'), std::string("\x01"), std::string("\x1f"),
                                       std::string("\x1b"), std::string("\x7f"), std::string("\xc2\x80"),
                                       std::string("\xc2\x85"), std::string("\xc2\x9f"));
  const auto row = GENERATE(table<std::string, std::string>({
      {"q", "bad_query"},
      {"from", "bad_date"},
      {"to", "bad_date"},
      {"year", "bad_date"},
      {"sort", "bad_sort"},
      {"page", "bad_page"},
      {"per_page", "bad_per_page"},
      {"format", "bad_format"},
      {"actor", "bad_encoding"},
      {"lang", "bad_encoding"},
  }));
  const std::string name = std::get<0>(row), code = std::get<1>(row);
  INFO(name << " with control character " << static_cast<int>(static_cast<unsigned char>(control.back())));
  const QueryParams params{{name, "polic" + control + "e"}};
  CHECK(error_code_of([&] { searchd::parse_search_params(params); }) == code);
  try {
    searchd::parse_search_params(params);
  } catch (const rights::UserError& e) {
    // what() is a C string: the message itself must hold no NUL to be cut at.
    CHECK(std::string(e.what()).find('"' + name + '"') != std::string::npos);
    CHECK(std::string(e.what()).find('\0') == std::string::npos);
  }
  // In a parameter name too (the message must not quote it raw).
  CHECK(error_code_of([&] { searchd::parse_search_params({{"q" + control, "x"}}); }) == "bad_encoding");
  CHECK(error_code_of([&] { searchd::parse_lookup_params({{"q", control}}, 10, 20); }) == "bad_query");
  CHECK(error_code_of([&] { searchd::parse_document_params({{"q", control}}); }) == "bad_query");
}

TEST_CASE("parameters: tab, line feed and carriage return are text", "[http]") {
  const auto request = searchd::parse_search_params({{"q", "land\trights\r\npolice"}}).request;
  CHECK(request.query == "land\trights\r\npolice");
}

TEST_CASE("parameters: the message names the control character by its code point", "[http]") {
  CHECK_THROWS_WITH(searchd::parse_search_params({{"q", "police\x7f"}}), Catch::Contains("U+007F"));
  CHECK_THROWS_WITH(searchd::parse_search_params({{"q", "police\xc2\x85"}}), Catch::Contains("U+0085"));
  CHECK_THROWS_WITH(searchd::check_path_value("doc\xc2\x9f", "the document id"), Catch::Contains("U+009F"));
  CHECK(error_code_of([] { searchd::check_path_value("doc\x7f", "the document id"); }) == "bad_encoding");
}

TEST_CASE("parameters: characters next to the controls are text", "[http]") {
  // U+00A0 (no-break space) and U+00BF are just past C1, and Å (0xC3 0x85) ends with the
  // byte that follows 0xC2 in U+0085: none of them is a control character.
  for (const std::string text : {"land\xc2\xa0rights", "\xc2\xbf police?", "\xc3\x85land", "~police"}) {
    CHECK(searchd::parse_search_params({{"q", text}}).request.query == text);
    CHECK_NOTHROW(searchd::check_path_value(text, "the document id"));
  }
}

TEST_CASE("search params: an empty value is an untouched form field, as if absent", "[http]") {
  const auto parsed = searchd::parse_search_params(
      {{"q", ""}, {"page", ""}, {"per_page", ""}, {"sort", ""}, {"format", ""}, {"from", ""}, {"type", ""}});
  CHECK(parsed.request.page == 1);
  CHECK(parsed.request.per_page == rights::SearchRequest{}.per_page);
  CHECK(parsed.request.sort == rights::SortOrder::Relevance);
  CHECK(parsed.format == searchd::ResponseFormat::Json);
  CHECK(parsed.request.filters.empty());
  CHECK(searchd::parse_lookup_params({{"limit", ""}}, 10, 20).limit == 10);
  // Still given once at most.
  CHECK(error_code_of([] { searchd::parse_search_params({{"page", ""}, {"page", "2"}}); }) ==
        "repeated_parameter");
}

TEST_CASE("percent-escapes in the address: two hex digits after every %", "[http_params]") {
  for (const char* good : {"/api/search?q=police", "/api/search?q=100%25", "/api/search?q=%E1%9E%9F%e1%9e%9f", "/"}) {
    CAPTURE(good);
    CHECK_NOTHROW(searchd::check_percent_encoding(good));
  }
  for (const char* bad : {"/api/search?q=a%2", "/api/search?q=%zz", "/api/search?q=%", "/api/doc/x%g1", "%"}) {
    CAPTURE(bad);
    try {
      searchd::check_percent_encoding(bad);
      FAIL("accepted");
    } catch (const rights::UserError& e) {
      CHECK(e.code() == "bad_encoding");
      CHECK_THAT(e.what(), Catch::Contains("a literal % is written %25"));
    }
  }
}

TEST_CASE("query strings: each pair is split at its first '='", "[http][query_string]") {
  using Params = QueryParams;
  CHECK(searchd::parse_query_string("q=impunity=declaration") == Params{{"q", "impunity=declaration"}});
  CHECK(searchd::parse_query_string("page=5=1") == Params{{"page", "5=1"}});
  CHECK(searchd::parse_query_string("q==x") == Params{{"q", "=x"}});
  CHECK(searchd::parse_query_string("q=a%3Db+c&actor=x&actor=y") ==
        Params{{"q", "a=b c"}, {"actor", "x"}, {"actor", "y"}});
  CHECK(searchd::parse_query_string("q=&page") == Params{{"q", ""}, {"page", ""}});
  CHECK(searchd::parse_query_string("&&q=a&") == Params{{"q", "a"}});
  CHECK(searchd::parse_query_string("%71=%E1%9E%80") == Params{{"q", "\xE1\x9E\x80"}});
  CHECK(searchd::parse_query_string("=x") == Params{{"", "x"}});
  CHECK(searchd::parse_query_string("lang=en&lang=en") == Params{{"lang", "en"}});  // as httplib: once
  CHECK(searchd::parse_query_string("q=100%") == Params{{"q", "100%"}});  // refused before, kept here
  CHECK(searchd::parse_query_string("").empty());
  CHECK(error_code_of([] { searchd::parse_search_params(searchd::parse_query_string("page=5=1")); }) == "bad_page");
}
