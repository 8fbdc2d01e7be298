// Dates with a precision: "2021-05-12" (day), "2021-05" (month), "2021" (year). Used for
// manifest dates, dates found in text, and the from/to filters of a search.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rights {

struct PartialDate {
  int year = 0;
  int month = 0;  ///< 0 when only the year is known
  int day = 0;    ///< 0 when only year/month are known

  /// "YYYY", "YYYY-MM" or "YYYY-MM-DD".
  std::string iso() const;
  /// Sortable value-slot key "YYYYMMDD", unknown parts as "00" (sorts before the period).
  std::string sort_key() const;
  /// Key of the last possible day of the period ("2021" -> "20211299"), for inclusive `to`.
  std::string period_end_key() const;
  /// The smallest sort key of a date that starts on or after this one, for inclusive
  /// `from`. A document dated only "2021" or "2021-03" counts from the first day of its
  /// period (as Elasticsearch reads "2021"), so from "2021-01-01" and from "2021" find
  /// it alike: "2021-01-01" -> "20210000", "2021-03-01" -> "20210300", "2021-03-02" ->
  /// "20210302".
  std::string range_start_key() const;
  bool operator==(const PartialDate& other) const {
    return year == other.year && month == other.month && day == other.day;
  }
};

/// Parses "YYYY", "YYYY-MM" or "YYYY-MM-DD" (a real calendar date, year 1000..9999);
/// nullopt for anything else.
std::optional<PartialDate> parse_iso_date(std::string_view text);

struct DateMention {
  PartialDate date;
  std::size_t begin, end;  ///< byte range in the text
};

/// Explicit dates written in English text: "12 May 2021", "May 12, 2021", "12th May 2021",
/// "November 2019", "2021-05-12". Dates without a year ("May 12") are not returned:
/// guessing the year would invent data.
std::vector<DateMention> find_dates(std::string_view text);

}  // namespace rights
