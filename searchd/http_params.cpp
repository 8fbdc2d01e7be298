#include "http_params.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <set>
#include <stdexcept>
#include <vector>

#include <httplib.h>

#include "rights/schema.h"
#include "rights/text_analysis.h"

namespace searchd {

namespace {

// Deep pages cost Xapian a full ranking of every earlier hit; nobody reads page 1001.
constexpr int kMaxPage = 1000;

bool is_facet_filter(const std::string& name) { return rights::find_facet(name) != nullptr; }

std::string join_names(const std::vector<std::string>& names) {
  std::string joined;
  for (const auto& name : names) joined += (joined.empty() ? "" : ", ") + name;
  return joined;
}

// The first control character in `text` other than tab, line feed and carriage return
// (which a text area sends), as "U+0000", or "" if there is none: C0 (U+0000-U+001F), DEL
// (U+007F) and C1 (U+0080-U+009F, in UTF-8 0xC2 0x80-0x9F). Nobody types them: a NUL
// reached Xapian inside a term (and came back in did-you-mean), and any of them would
// garble an error message quoting the text, or cut it short: what() is a C string. DEL
// and C1 are as invisible, and a terminal obeys some C1 codes (CSI) as it does ESC.
std::string find_control_character(const std::string& text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const auto next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    int code = -1;
    if ((byte < 0x20 && byte != '\t' && byte != '\n' && byte != '\r') || byte == 0x7F) code = byte;
    if (byte == 0xC2 && next >= 0x80 && next <= 0x9F) code = next;  // 0xC2 is only ever a lead byte
    if (code >= 0) {
      char name[8];
      std::snprintf(name, sizeof name, "U+%04X", static_cast<unsigned>(code));
      return name;
    }
  }
  return "";
}

// The code a parameter's malformed values get, for a control character in one.
std::string malformed_value_code(const std::string& name) {
  if (name == "q") return "bad_query";
  if (name == "from" || name == "to" || name == "year") return "bad_date";
  if (name == "sort" || name == "page" || name == "per_page" || name == "format" || name == "limit") {
    return "bad_" + name;
  }
  return "bad_encoding";  // the other facet filters take any text
}

// Every parameter name must be one the endpoint knows, and every name and value valid
// UTF-8 (the core assumes it, and JSON cannot carry anything else back) without control
// characters. Names are checked before any message quotes them.
void check_names_and_encoding(const QueryParams& params, const std::vector<std::string>& single_valued,
                              bool allow_facet_filters) {
  for (const auto& [name, value] : params) {
    if (const std::string control = find_control_character(name); !control.empty()) {
      throw rights::UserError("bad_encoding", "a parameter name holds the control character " + control);
    }
    const bool known = std::find(single_valued.begin(), single_valued.end(), name) != single_valued.end() ||
                       (allow_facet_filters && is_facet_filter(name));
    if (!known) {
      std::vector<std::string> expected = single_valued;
      if (allow_facet_filters) {
        for (const auto& facet : rights::kFacets) expected.emplace_back(facet.name);
      }
      throw rights::UserError("unknown_parameter",
                              "unknown parameter \"" + name + "\"; " +
                                  (expected.empty() ? "this endpoint takes none"
                                                    : "expected one of: " + join_names(expected)));
    }
    if (!rights::is_valid_utf8(value)) {
      throw rights::UserError("bad_encoding", "parameter \"" + name + "\" is not valid UTF-8");
    }
    if (const std::string control = find_control_character(value); !control.empty()) {
      throw rights::UserError(malformed_value_code(name),
                              "parameter \"" + name + "\" holds the control character " + control +
                                  "; of those, only tab, line feed and carriage return may appear in text");
    }
  }
  for (const auto& name : single_valued) {
    if (params.count(name) > 1) {
      throw rights::UserError("repeated_parameter", "parameter \"" + name + "\" may be given only once");
    }
  }
}

// The value of a single-valued parameter (already checked not to repeat), or nullptr. An
// empty value is what an untouched form field (or an empty <option>) sends: absent too.
const std::string* find_value(const QueryParams& params, const std::string& name) {
  const auto found = params.find(name);
  return found == params.end() || found->second.empty() ? nullptr : &found->second;
}

// Strict decimal: digits only (no sign, spaces or suffix), within [min, max].
bool parse_bounded_int(const std::string& text, int min, int max, int& out) {
  if (text.empty() || text.size() > 9) return false;  // 9 digits cannot overflow an int
  if (!std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) return false;
  const int value = std::stoi(text);
  if (value < min || value > max) return false;
  out = value;
  return true;
}

int parse_int_param(const QueryParams& params, const std::string& name, int fallback, int min,
                    int max, const char* error_code) {
  const std::string* text = find_value(params, name);
  if (text == nullptr) return fallback;
  int value = 0;
  if (!parse_bounded_int(*text, min, max, value)) {
    throw rights::UserError(error_code, "parameter \"" + name + "\" must be a whole number from " +
                                            std::to_string(min) + " to " + std::to_string(max) +
                                            ", not \"" + *text + "\"");
  }
  return value;
}

// Length and syntax of the query text are the core's to check (TooLarge, bad_query).
std::string query_text(const QueryParams& params) {
  const std::string* text = find_value(params, "q");
  return text == nullptr ? std::string() : *text;
}

ResponseFormat parse_format(const QueryParams& params) {
  const std::string* text = find_value(params, "format");
  if (text == nullptr) return ResponseFormat::Json;
  if (*text == "json") return ResponseFormat::JsonFile;
  if (*text == "csv") return ResponseFormat::Csv;
  if (*text == "ris") return ResponseFormat::Ris;
  throw rights::UserError("bad_format", "unsupported format \"" + *text + "\"; supported: json, csv, ris");
}

// A year facet value is a year as the facet lists it ("2021") or "undated"; anything else
// would silently match nothing.
void check_year(const std::string& value) {
  const bool year = value.size() == 4 && std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (!year && value != rights::kUndatedYear) {
    throw rights::UserError("bad_date", "parameter \"year\" must be a year such as 2021, or \"" +
                                            std::string(rights::kUndatedYear) + "\", not \"" + value + "\"");
  }
}

}  // namespace

rights::SortOrder parse_sort(const std::string& value) {
  if (value == "relevance") return rights::SortOrder::Relevance;
  if (value == "date") return rights::SortOrder::DateAscending;
  if (value == "-date") return rights::SortOrder::DateDescending;
  throw rights::UserError("bad_sort", "sort must be relevance, date or -date, not \"" + value + "\"");
}

SearchParams parse_search_params(const QueryParams& params) {
  check_names_and_encoding(params, {"q", "from", "to", "sort", "page", "per_page", "format"},
                           /*allow_facet_filters=*/true);
  SearchParams parsed;
  rights::SearchRequest& request = parsed.request;
  request.query = query_text(params);
  for (const auto& [name, value] : params) {
    // An empty value is what an untouched form field sends: no constraint, not "match ''".
    if (!is_facet_filter(name) || value.empty()) continue;
    if (name == "year") check_year(value);
    request.filters[name].push_back(value);
  }
  if (const std::string* from = find_value(params, "from")) request.from_date = *from;
  if (const std::string* to = find_value(params, "to")) request.to_date = *to;
  if (const std::string* sort = find_value(params, "sort")) request.sort = parse_sort(*sort);
  request.page = parse_int_param(params, "page", 1, 1, kMaxPage, "bad_page");
  request.per_page = parse_int_param(params, "per_page", request.per_page, 1, rights::kMaxPerPage,
                                     "bad_per_page");
  parsed.format = parse_format(params);
  return parsed;
}

DocumentParams parse_document_params(const QueryParams& params) {
  check_names_and_encoding(params, {"q"}, /*allow_facet_filters=*/false);
  return DocumentParams{query_text(params)};
}

LookupParams parse_lookup_params(const QueryParams& params, int default_limit, int max_limit) {
  check_names_and_encoding(params, {"q", "limit"}, /*allow_facet_filters=*/false);
  LookupParams parsed;
  parsed.query = query_text(params);
  parsed.limit = parse_int_param(params, "limit", default_limit, 1, max_limit, "bad_limit");
  return parsed;
}

void check_no_params(const QueryParams& params) {
  check_names_and_encoding(params, {}, /*allow_facet_filters=*/false);
}

void check_path_value(const std::string& value, const std::string& what) {
  if (!rights::is_valid_utf8(value)) throw rights::UserError("bad_encoding", what + " is not valid UTF-8");
  if (const std::string control = find_control_character(value); !control.empty()) {
    throw rights::UserError("bad_encoding", what + " holds the control character " + control);
  }
}

std::string normalize_cors_origin(std::string_view value) {
  if (value == "*") return "*";
  const auto fail = [&](const std::string& why) -> std::invalid_argument {
    return std::invalid_argument("--cors-origin \"" + std::string(value) + "\": " + why +
                                 "; write the site's origin, e.g. https://example.org or "
                                 "http://127.0.0.1:8000 (or * for any site)");
  };
  std::string origin(value);
  if (!origin.empty() && origin.back() == '/') origin.pop_back();  // pasted from the address bar
  for (auto& c : origin) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto separator = origin.find("://");
  if (separator == std::string::npos || separator == 0) throw fail("no scheme (https://...)");
  const bool scheme_ok = std::all_of(origin.begin(), origin.begin() + static_cast<std::ptrdiff_t>(separator), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  });
  if (!scheme_ok) throw fail("not a scheme before ://");
  const std::string host_port = origin.substr(separator + 3);
  if (host_port.empty()) throw fail("no host");
  if (host_port.find_first_of("/?#@ \t") != std::string::npos) {
    throw fail("an origin has no path, query, user or spaces");
  }
  const auto colon = host_port.rfind(':');
  if (colon != std::string::npos && host_port.find(']') == std::string::npos) {
    const std::string port = host_port.substr(colon + 1);
    const bool digits = !port.empty() && port.size() <= 5 &&
                        std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (colon == 0 || !digits) throw fail("the port must be a number");
  }
  return origin;
}

QueryParams parse_query_string(std::string_view query) {
  QueryParams params;
  std::set<std::string_view> seen;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (pair.empty() || !seen.insert(pair).second) continue;
    const std::size_t equals = pair.find('=');
    const std::string_view name = pair.substr(0, equals);
    const std::string_view value = equals == std::string_view::npos ? std::string_view() : pair.substr(equals + 1);
    // "+" is a space and %XX a byte, as forms encode them (httplib's decoder).
    params.emplace(httplib::detail::decode_url(std::string(name), true),
                   httplib::detail::decode_url(std::string(value), true));
  }
  return params;
}

void check_percent_encoding(std::string_view target) {
  const auto is_hex = [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; };
  for (std::size_t at = target.find('%'); at != std::string_view::npos; at = target.find('%', at + 1)) {
    if (at + 2 >= target.size() || !is_hex(target[at + 1]) || !is_hex(target[at + 2])) {
      throw rights::UserError("bad_encoding", "the address has a % not followed by two hex digits (at byte " +
                                                  std::to_string(at + 1) + "); a literal % is written %25");
    }
  }
}

}  // namespace searchd
