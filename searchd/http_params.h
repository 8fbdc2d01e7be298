// Query-string parameters -> core request structs. The HTTP layer's only parser of user
// input: it rejects unknown names, repeated single-valued names and malformed values with
// rights::UserError codes, so a typo never silently widens a search.
//
// It takes the decoded parameter multimap (httplib::Params is exactly this type), which
// keeps httplib out of this header and lets `searchd query` feed its command-line options
// through the same validation.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "rights/search.h"

namespace searchd {

/// Decoded query parameters, name -> value, names repeated for repeated parameters.
using QueryParams = std::multimap<std::string, std::string>;

/// The parameters of a query string ("q=a%20b&page=2", without the '?'), decoded as HTML
/// forms encode them (application/x-www-form-urlencoded): pairs split at '&', each pair at
/// its FIRST '=' only, so "q=impunity=declaration" is q = "impunity=declaration" (and
/// "page=5=1" the page "5=1", refused), "+" and %XX decoded in names and values. A pair
/// without '=' is a name with an empty value; empty pairs ("a=1&&b=2") are skipped, and a
/// pair repeated byte for byte counts once (as httplib counted it). cpp-httplib 0.11 kept
/// the text after the LAST '=' of a pair: the server replaces its params with these for
/// every request (server.cpp). A '%' without two hex digits stays as it is (the server has
/// already refused it: check_percent_encoding).
QueryParams parse_query_string(std::string_view query);

/// Output formats of /api/search: no `format` is the JSON answer the page renders;
/// format=json|csv|ris are downloads (export_formats.h), sent as attachments. Exports use
/// the same page and per_page (at most 100) as searches: a bigger export is several
/// pages, which keeps one request's cost bounded.
enum class ResponseFormat { Json, JsonFile, Csv, Ris };

struct SearchParams {
  rights::SearchRequest request;
  ResponseFormat format = ResponseFormat::Json;
};

/// Parameters of /api/search: q, actor, ministry, type, lang, source (repeatable: OR within
/// a facet, AND across), from, to, sort (relevance|date|-date), page, per_page (1..100),
/// format (json|csv|ris). Throws rights::UserError (unknown_parameter, repeated_parameter,
/// bad_page, bad_per_page, bad_sort, bad_format, bad_encoding). The query text and dates
/// are passed through: the core checks them (bad_query, query_too_long, bad_date).
/// An empty value counts as absent (an untouched form field).
/// A year filter must be four digits or "undated" (bad_date).
/// A control character other than tab, LF and CR in a value is refused with that
/// parameter's code (bad_query for q, bad_date for dates, bad_encoding for other filters).
SearchParams parse_search_params(const QueryParams& params);

/// /api/doc/{id}: optional q (the words to highlight).
struct DocumentParams {
  std::string query;
};
DocumentParams parse_document_params(const QueryParams& params);

/// /api/suggest and /api/facets/{name}: q (prefix or substring, may be empty) and limit.
struct LookupParams {
  std::string query;
  int limit = 0;
};
/// `default_limit` applies when limit is absent. A limit that is not a positive whole
/// number up to `max_limit` (the endpoint's own maximum, named in the message) is bad_limit.
LookupParams parse_lookup_params(const QueryParams& params, int default_limit, int max_limit);

/// Endpoints without parameters (/api/stats): any parameter is unknown_parameter.
void check_no_params(const QueryParams& params);

/// A value taken from the path (document id, facet name), already URL-decoded: throws
/// UserError("bad_encoding"), naming it as `what`, unless it is valid UTF-8 without
/// control characters other than tab, line feed and carriage return.
void check_path_value(const std::string& value, const std::string& what);

/// The request's address as sent (path and query string, before decoding): throws
/// UserError("bad_encoding") for a '%' not followed by two hex digits. cpp-httplib keeps
/// such a '%' as a literal, so `q=a%2` searched for "a%2" and a script's encoding slip gave
/// silently wrong results instead of an error.
void check_percent_encoding(std::string_view target);

/// Parses "relevance" | "date" | "-date"; throws UserError("bad_sort").
rights::SortOrder parse_sort(const std::string& value);

/// A --cors-origin value written as browsers send the Origin header: scheme "://" host,
/// optional ":port", lower case, no path ("https://Example.org/" -> "https://example.org").
/// "*" stays "*": any origin. Throws std::invalid_argument saying what is wrong, so that a
/// typo fails at start instead of silently leaving every embedding page without answers.
std::string normalize_cors_origin(std::string_view value);

}  // namespace searchd
