// Fuzzes searchd's query-string parameter parser (searchd/http_params.h): the input is a
// raw query string ("q=torture&actor=sar-kheng&page=2"), decoded by parse_query_string
// (what the server does before a handler runs, percent-decoding included, so any byte can
// reach a name or a value), then given to every endpoint's parser.
//
// Expected outcomes: parsed params within their documented ranges, or rights::UserError
// with a documented code. Anything else (another exception, an out-of-range page, a crash,
// a sanitizer report) is a bug.

#include <algorithm>
#include <array>
#include <string>

#include "fuzz_common.h"
#include "http_params.h"
#include "rights/schema.h"
#include "rights/text_analysis.h"

namespace {

constexpr const char* kTarget = "fuzz_http_params";

// As http_params.h documents them: a control character in `q` is bad_query, in a date or
// year bad_date (the parameter's own code).
constexpr std::array<const char*, 10> kErrorCodes{
    "unknown_parameter", "repeated_parameter", "bad_page",  "bad_per_page", "bad_sort",
    "bad_format",        "bad_encoding",       "bad_limit", "bad_query",    "bad_date"};

void check_error(const rights::UserError& error, const char* parser) {
  const std::string& code = error.code();
  fuzz::check(std::find(kErrorCodes.begin(), kErrorCodes.end(), code) != kErrorCodes.end(), kTarget,
              std::string(parser) + ": undocumented UserError code \"" + code + "\": " + error.what());
}

/// The value of single-valued `name`, or "" (the parsers reject repeats before this matters).
std::string value_of(const searchd::QueryParams& params, const std::string& name) {
  const auto found = params.find(name);
  return found == params.end() ? std::string() : found->second;
}

void check_search(const searchd::SearchParams& parsed, const searchd::QueryParams& params) {
  const rights::SearchRequest& request = parsed.request;
  fuzz::check(request.page >= 1 && request.page <= 1000, kTarget,
              "page " + std::to_string(request.page) + " accepted");
  fuzz::check(request.per_page >= 1 && request.per_page <= rights::kMaxPerPage, kTarget,
              "per_page " + std::to_string(request.per_page) + " accepted");
  fuzz::check(request.sort == rights::SortOrder::Relevance ||
                  request.sort == rights::SortOrder::DateAscending ||
                  request.sort == rights::SortOrder::DateDescending,
              kTarget, "sort out of range");
  fuzz::check(!request.include_restricted, kTarget, "a query string turned on include_restricted");
  fuzz::check(request.query == value_of(params, "q"), kTarget, "q was not passed through");
  fuzz::check(request.from_date == value_of(params, "from") && request.to_date == value_of(params, "to"),
              kTarget, "from/to were not passed through");
  for (const auto& [facet, values] : request.filters) {
    fuzz::check(rights::find_facet(facet) != nullptr, kTarget, "filter on unknown facet \"" + facet + "\"");
    fuzz::check(!values.empty(), kTarget, "facet \"" + facet + "\" has an empty value list");
    for (const auto& value : values) {
      fuzz::check(!value.empty(), kTarget, "empty value kept for facet \"" + facet + "\"");
      fuzz::check(rights::is_valid_utf8(value), kTarget, "invalid UTF-8 accepted in facet \"" + facet + "\"");
    }
  }
  fuzz::check(rights::is_valid_utf8(request.query) && rights::is_valid_utf8(request.from_date) &&
                  rights::is_valid_utf8(request.to_date),
              kTarget, "invalid UTF-8 accepted in q/from/to");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string query_string(reinterpret_cast<const char*>(data), size);
  return fuzz::guarded(kTarget, [&] {
    const searchd::QueryParams params = searchd::parse_query_string(query_string);

    try {
      check_search(searchd::parse_search_params(params), params);
    } catch (const rights::UserError& error) {
      check_error(error, "parse_search_params");
    }
    try {
      const auto parsed = searchd::parse_document_params(params);
      fuzz::check(parsed.query == value_of(params, "q"), kTarget, "doc: q was not passed through");
    } catch (const rights::UserError& error) {
      check_error(error, "parse_document_params");
    }
    try {
      const auto parsed = searchd::parse_lookup_params(params, 10, 20);
      fuzz::check(parsed.limit >= 1, kTarget, "lookup: limit " + std::to_string(parsed.limit) + " accepted");
      fuzz::check(params.count("limit") != 0 || parsed.limit == 10, kTarget, "lookup: default limit lost");
      fuzz::check(rights::is_valid_utf8(parsed.query), kTarget, "lookup: invalid UTF-8 accepted in q");
    } catch (const rights::UserError& error) {
      check_error(error, "parse_lookup_params");
    }
    try {
      searchd::check_no_params(params);
      fuzz::check(params.empty(), kTarget, "check_no_params accepted a parameter");
    } catch (const rights::UserError& error) {
      check_error(error, "check_no_params");
    }
    for (const auto& [name, value] : params) {
      try {
        searchd::parse_sort(value);
      } catch (const rights::UserError& error) {
        check_error(error, "parse_sort");
      }
    }
    return 0;
  });
}
