#include "rights/dates.h"

#include "rights/text_analysis.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <iterator>
#include <map>
#include <regex>

namespace rights {

namespace {

bool is_leap_year(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int days_in_month(int year, int month) {
  static constexpr std::array<int, 12> kDays{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap_year(year) ? 29 : kDays[static_cast<std::size_t>(month - 1)];
}

bool is_valid(const PartialDate& date) {
  if (date.year < 1000 || date.year > 9999) return false;
  if (date.month == 0) return date.day == 0;
  if (date.month < 1 || date.month > 12) return false;
  return date.day == 0 || (date.day >= 1 && date.day <= days_in_month(date.year, date.month));
}

std::string pad(int value, int width) {
  std::string digits = std::to_string(value);
  if (static_cast<int>(digits.size()) < width) {
    digits.insert(0, static_cast<std::size_t>(width) - digits.size(), '0');
  }
  return digits;
}

int month_from_name(std::string name) {
  static constexpr std::array<const char*, 12> kMonths{"jan", "feb", "mar", "apr", "may", "jun",
                                                       "jul", "aug", "sep", "oct", "nov", "dec"};
  name = ascii_lowercase(name);
  for (std::size_t i = 0; i < kMonths.size(); ++i) {
    if (name.compare(0, 3, kMonths[i]) == 0) return static_cast<int>(i) + 1;
  }
  return 0;
}

}  // namespace

std::string PartialDate::iso() const {
  std::string out = pad(year, 4);
  if (month > 0) out += "-" + pad(month, 2);
  if (day > 0) out += "-" + pad(day, 2);
  return out;
}

std::string PartialDate::sort_key() const { return pad(year, 4) + pad(month, 2) + pad(day, 2); }

std::string PartialDate::period_end_key() const {
  return pad(year, 4) + (month > 0 ? pad(month, 2) : "99") + (day > 0 ? pad(day, 2) : "99");
}

std::string PartialDate::range_start_key() const {
  PartialDate first = *this;
  if (first.day <= 1) {
    first.day = 0;  // the first of a month: a date given as that month starts there too
    if (first.month <= 1) first.month = 0;  // January 1st: so does one given as the year
  }
  return first.sort_key();
}

std::optional<PartialDate> parse_iso_date(std::string_view text) {
  static const std::regex kIso(R"((\d{4})(?:-(\d{2})(?:-(\d{2}))?)?)");
  std::match_results<std::string_view::const_iterator> match;
  if (!std::regex_match(text.begin(), text.end(), match, kIso)) return std::nullopt;
  PartialDate date;
  date.year = std::stoi(match[1].str());
  // "2021-00" and "2021-05-00" are not dates; 0 would read as "month/day unknown".
  if (match[2].matched && (date.month = std::stoi(match[2].str())) == 0) return std::nullopt;
  if (match[3].matched && (date.day = std::stoi(match[3].str())) == 0) return std::nullopt;
  if (!is_valid(date)) return std::nullopt;
  return date;
}

std::vector<DateMention> find_dates(std::string_view text) {
  // Month names are matched in full or as 3-letter abbreviations with an optional dot.
  static const std::string kMonth =
      R"((January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?)";
  static const std::regex kDayMonthYear(R"(\b(\d{1,2})(?:st|nd|rd|th)?\s+)" + kMonth +
                                        R"(,?\s+(\d{4})\b)");
  static const std::regex kMonthDayYear(R"(\b)" + kMonth + R"(\s+(\d{1,2})(?:st|nd|rd|th)?,\s*(\d{4})\b)");
  static const std::regex kMonthYear(R"(\b)" + kMonth + R"(\s+(\d{4})\b)");
  static const std::regex kIsoInText(R"(\b(\d{4})-(\d{2})-(\d{2})\b)");

  std::vector<DateMention> mentions;
  // Byte ranges already taken (begin -> end), so that an overlap check is a lookup, not a
  // walk over every earlier date (a long report has thousands).
  std::map<std::size_t, std::size_t> taken;
  const auto overlaps = [&taken](std::size_t begin, std::size_t end) {
    const auto after = taken.lower_bound(begin);
    if (after != taken.end() && after->first < end) return true;
    return after != taken.begin() && std::prev(after)->second > begin;
  };
  // Every pattern contains a 4-digit year, so the regexes (slow: they were a seventh of
  // indexing time) only run over windows around 4-digit numbers, merged when they touch.
  constexpr std::size_t kBeforeYear = 48, kAfterYear = 10;
  std::vector<std::pair<std::size_t, std::size_t>> windows;
  for (std::size_t i = 0; i + 4 <= text.size();) {
    const auto is_digit = [&text](std::size_t at) { return at < text.size() && text[at] >= '0' && text[at] <= '9'; };
    if (!is_digit(i) || (i > 0 && is_digit(i - 1))) {
      ++i;
      continue;
    }
    std::size_t run = i;
    while (is_digit(run)) ++run;
    if (run - i == 4) {
      const std::size_t from = i > kBeforeYear ? i - kBeforeYear : 0;
      const std::size_t to = std::min(text.size(), run + kAfterYear);
      if (!windows.empty() && from <= windows.back().second) {
        windows.back().second = to;
      } else {
        windows.emplace_back(from, to);
      }
    }
    i = run;
  }
  // A window may start inside a word; \b then sees a boundary that is not one, which can
  // only add a match starting mid-number ("123 May 2021" -> "23 May 2021"). Every pattern
  // starts at a word's start, so the window starts after that partial word instead. Not
  // back to the word's start: in Khmer, Thai or Chinese a "word" up to the previous space
  // can be a whole line, and every year on it would rescan it (quadratic).
  const auto is_word_byte = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
  };
  for (auto& window : windows) {
    while (window.first > 0 && window.first < window.second && is_word_byte(text[window.first - 1]) &&
           is_word_byte(text[window.first])) {
      ++window.first;
    }
  }
  using Iterator = std::regex_iterator<std::string_view::const_iterator>;
  const auto scan = [&](const std::regex& pattern, auto&& to_date) {
    for (const auto& [window_begin, window_end] : windows) {
      for (Iterator it(text.begin() + static_cast<std::ptrdiff_t>(window_begin),
                       text.begin() + static_cast<std::ptrdiff_t>(window_end), pattern), end;
           it != end; ++it) {
        const auto& match = *it;
        const auto begin = window_begin + static_cast<std::size_t>(match.position(0));
        const auto finish = begin + static_cast<std::size_t>(match.length(0));
        PartialDate date = to_date(match);
        if (is_valid(date) && !overlaps(begin, finish)) {
          mentions.push_back({date, begin, finish});
          taken.emplace(begin, finish);
        }
      }
    }
  };
  // Most specific patterns first, so "12 May 2021" is not also reported as "May 2021".
  scan(kDayMonthYear, [](const auto& m) {
    return PartialDate{std::stoi(m[3].str()), month_from_name(m[2].str()), std::stoi(m[1].str())};
  });
  scan(kMonthDayYear, [](const auto& m) {
    return PartialDate{std::stoi(m[3].str()), month_from_name(m[1].str()), std::stoi(m[2].str())};
  });
  scan(kIsoInText, [](const auto& m) {
    return PartialDate{std::stoi(m[1].str()), std::stoi(m[2].str()), std::stoi(m[3].str())};
  });
  scan(kMonthYear, [](const auto& m) {
    return PartialDate{std::stoi(m[2].str()), month_from_name(m[1].str()), 0};
  });
  std::sort(mentions.begin(), mentions.end(),
            [](const DateMention& a, const DateMention& b) { return a.begin < b.begin; });
  return mentions;
}

}  // namespace rights
