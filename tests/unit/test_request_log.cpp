// What the log may say about a request: query text is blanked from error details.
#include <catch2/catch.hpp>

#include "request_log.h"

TEST_CASE("error details lose the query text, its words and their folded forms", "[http][log]") {
  const searchd::QueryParams params{{"q", "Zyxsecret Villagers of Preah"}, {"actor", "sok-chea"}};
  CHECK(searchd::without_query_text("Term too long: zyxsecret", params) == "Term too long: <redacted>");
  CHECK(searchd::without_query_text("no match for ZYXSECRET villagers", params) ==
        "no match for <redacted> <redacted>");
  CHECK(searchd::without_query_text("query 'Zyxsecret Villagers of Preah' failed", params) ==
        "query '<redacted>' failed");
  CHECK(searchd::without_query_text("actor sok-chea, term XAsok-chea", params) ==
        "actor <redacted>, term XA<redacted>");
  // Short words stay: blanking every "of" would leave nothing readable.
  CHECK(searchd::without_query_text("out of memory", params) == "out of memory");
  CHECK(searchd::without_query_text("disk error", {}) == "disk error");
}
