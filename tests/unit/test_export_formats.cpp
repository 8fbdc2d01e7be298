// CSV and RIS serialisation of search hits, without a server.
#include <catch2/catch.hpp>

#include "export_formats.h"

namespace {

rights::Hit make_hit(std::string id, std::string title, std::string type, std::string date) {
  rights::Hit hit;
  hit.id = std::move(id);
  hit.title = std::move(title);
  hit.type = std::move(type);
  hit.date = std::move(date);
  hit.path = hit.id + ".txt";
  hit.languages = {"en"};
  hit.score = 1.5;
  return hit;
}

}  // namespace

TEST_CASE("CSV: fields are quoted only when needed, quotes doubled, formulas defused", "[export]") {
  rights::SearchResponse response;
  response.hits.push_back(make_hit("plain", "Plain title", "report", "2021"));
  response.hits.push_back(make_hit("comma", "One, two", "letter", ""));
  response.hits.push_back(make_hit("quote", "Say \"no\"", "article", "2021-05"));
  response.hits.push_back(make_hit("lines", "Line one\nline two", "article", ""));
  response.hits.push_back(make_hit("formula", "@SUM(A1)", "article", ""));
  response.hits.back().actors = {"a", "b"};
  const std::string csv = searchd::search_to_csv(response);
  CHECK(csv ==
        "id,title,type,date,source,languages,actors,ministries,path,score\r\n"
        "plain,Plain title,report,2021,,en,,,plain.txt,1.5000\r\n"
        "comma,\"One, two\",letter,,,en,,,comma.txt,1.5000\r\n"
        "quote,\"Say \"\"no\"\"\",article,2021-05,,en,,,quote.txt,1.5000\r\n"
        "lines,\"Line one\nline two\",article,,,en,,,lines.txt,1.5000\r\n"
        "formula,'@SUM(A1),article,,,en,a;b,,formula.txt,1.5000\r\n");
  CHECK(searchd::search_to_csv({}) == "id,title,type,date,source,languages,actors,ministries,path,score\r\n");
}

TEST_CASE("RIS: types, dates by precision, names from the authority", "[export]") {
  rights::AuthorityEntry author;
  author.id = "licadho";
  author.name = "LICADHO";
  rights::AuthorityEntry minister;  // id sorts before "licadho", name after it
  minister.id = "koeut-rith";
  minister.name = "Minister Koeut Rith";
  const auto authority = rights::Authority::from_entries({author, minister});
  rights::SearchResponse response;
  response.hits.push_back(make_hit("r/1", "A report\r\nin two lines", "report", "2021-05-12"));
  response.hits.back().authors = {"licadho", "unknown-id"};
  response.hits.back().actors = {"koeut-rith", "licadho"};  // as indexed: by id
  response.hits.back().source = "LICADHO";
  response.hits.push_back(make_hit("s", "Statement", "statement", ""));
  response.hits.push_back(make_hit("l", "Letter", "letter", "2020"));
  response.hits.push_back(make_hit("n", "News", "article", "2019-11"));
  const std::string ris = searchd::search_to_ris(response, *authority);
  CHECK(ris ==
        "TY  - RPRT\r\nTI  - A report  in two lines\r\nAU  - LICADHO\r\nAU  - unknown-id\r\n"
        "DA  - 2021/05/12/\r\nPY  - 2021\r\nPB  - LICADHO\r\nLA  - en\r\nKW  - LICADHO\r\n"
        "KW  - Minister Koeut Rith\r\n"
        "ID  - r/1\r\nER  - \r\n\r\n"
        "TY  - PAMP\r\nTI  - Statement\r\nLA  - en\r\nID  - s\r\nER  - \r\n\r\n"
        "TY  - PCOMM\r\nTI  - Letter\r\nDA  - 2020///\r\nPY  - 2020\r\nLA  - en\r\nID  - l\r\n"
        "ER  - \r\n\r\n"
        "TY  - NEWS\r\nTI  - News\r\nDA  - 2019/11//\r\nPY  - 2019\r\nLA  - en\r\nID  - n\r\n"
        "ER  - \r\n\r\n");
}
