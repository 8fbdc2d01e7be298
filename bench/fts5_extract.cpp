// See fts5_extract.h.
#include "fts5_extract.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <fstream>

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace fts5_peer {

namespace {

bool starts_with_ci(std::string_view text, std::size_t at, std::string_view prefix) {
  if (at + prefix.size() > text.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[at + i])) != prefix[i]) return false;
  }
  return true;
}

void append_utf8(std::string& out, unsigned long cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::string decode_entities(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '&') {
      out += in[i];
      continue;
    }
    const auto semi = in.find(';', i);
    if (semi == std::string_view::npos || semi - i > 10) {
      out += '&';
      continue;
    }
    const std::string_view name = in.substr(i + 1, semi - i - 1);
    if (name == "amp") out += '&';
    else if (name == "lt") out += '<';
    else if (name == "gt") out += '>';
    else if (name == "quot") out += '"';
    else if (name == "apos") out += '\'';
    else if (name == "nbsp") out += ' ';
    else if (!name.empty() && name[0] == '#') {
      const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
      const unsigned long cp = std::strtoul(std::string(name.substr(hex ? 2 : 1)).c_str(), nullptr, hex ? 16 : 10);
      append_utf8(out, cp ? cp : 0xFFFD);
    } else {
      out.append(in.substr(i, semi - i + 1));
      i = semi;
      continue;
    }
    i = semi;
  }
  return out;
}

}  // namespace

// Tags out (script/style with their content), entities decoded, block ends as newlines.
Extracted extract_html(std::string_view html) {
  Extracted result;
  std::string text;
  text.reserve(html.size());
  std::string current_tag;
  std::size_t title_begin = std::string::npos, h1_begin = std::string::npos;
  std::string h1;
  for (std::size_t i = 0; i < html.size();) {
    if (html[i] != '<') {
      const auto next = html.find('<', i);
      const auto chunk = html.substr(i, next == std::string_view::npos ? std::string_view::npos : next - i);
      text += decode_entities(chunk);
      i = next == std::string_view::npos ? html.size() : next;
      continue;
    }
    const auto close = html.find('>', i);
    if (close == std::string_view::npos) break;
    std::string_view tag = html.substr(i + 1, close - i - 1);
    std::size_t name_end = 0;
    while (name_end < tag.size() && (std::isalnum(static_cast<unsigned char>(tag[name_end])) || tag[name_end] == '/' || tag[name_end] == '!')) ++name_end;
    std::string name(tag.substr(0, name_end));
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    i = close + 1;
    if (name == "script" || name == "style") {
      const auto end = html.find("</" + name, i);
      i = end == std::string_view::npos ? html.size() : html.find('>', end) + 1;
      continue;
    }
    if (name == "html" && result.language.empty()) {
      const auto lang = tag.find("lang=\"");
      if (lang != std::string_view::npos) {
        auto value = tag.substr(lang + 6);
        value = value.substr(0, value.find_first_of("\"-_"));
        result.language.assign(value);
      }
    }
    if (name == "title") title_begin = text.size();
    if (name == "/title" && title_begin != std::string::npos) {
      result.title = text.substr(title_begin);
      text.resize(title_begin);  // the <title> is metadata, not body text
      title_begin = std::string::npos;
      continue;
    }
    if (name == "h1" && h1.empty()) h1_begin = text.size();
    if (name == "/h1" && h1_begin != std::string::npos) {
      h1 = text.substr(h1_begin);
      h1_begin = std::string::npos;
    }
    static const std::set<std::string> blocks{"/p", "br", "/h1", "/h2", "/h3", "/h4", "/li", "/div", "/header", "/tr", "/title"};
    if (blocks.count(name)) text += '\n';
  }
  result.text = std::move(text);
  // The indexer uses the <h1> over the <title> when both exist (UDHR: the declaration's name).
  if (!h1.empty()) result.title = h1;
  const auto trim = [](std::string& s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
    std::size_t start = 0;
    while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
    s.erase(0, start);
  };
  trim(result.title);
  return result;
}

std::string first_line(std::string_view text) {
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(start, end - start);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.front()))) line.remove_prefix(1);
    while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) line.remove_suffix(1);
    if (!line.empty()) return line.size() <= 200 ? std::string(line) : "";
    start = end + 1;
  }
  return {};
}

std::string lower_ascii(std::string_view text) {
  std::string out(text);
  for (auto& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// Same keyword rules as the indexer's infer_document_type.
std::string infer_type(const std::string& title, std::string_view text) {
  const std::string head = lower_ascii(title) + "\n" + lower_ascii(text.substr(0, 600));
  const std::string tail = lower_ascii(text.substr(text.size() > 1500 ? text.size() - 1500 : 0));
  const auto has = [](const std::string& h, const char* n) { return h.find(n) != std::string::npos; };
  if (has(head, "open letter") || has(head, "dear ") || has(tail, "respectfully yours") ||
      has(tail, "yours sincerely") || has(tail, "sincerely,")) return "letter";
  if (has(head, "joint statement") || has(head, "press release") || has(head, "statement")) return "statement";
  if (has(lower_ascii(title), "report") || has(head, "executive summary")) return "report";
  return "article";
}

// Latest English date ("12 May 2021", "May 12, 2021", "May 2021", "2021-05-12") as a
// sort key "YYYYMMDD" (00 for unknown parts); "" when none.
std::string latest_date_key(std::string_view text) {
  static const char* const months[] = {"january", "february", "march", "april", "may", "june", "july",
                                       "august", "september", "october", "november", "december"};
  std::string best;
  const auto consider = [&](int year, int month, int day) {
    if (year < 1000 || year > 9999 || month < 0 || month > 12 || day < 0 || day > 31) return;
    char key[16];
    std::snprintf(key, sizeof key, "%04d%02d%02d", year, month, day);
    if (best < key) best = key;
  };
  const auto digits_at = [&](std::size_t at, std::size_t n) {
    if (at + n > text.size()) return -1;
    int value = 0;
    for (std::size_t k = 0; k < n; ++k) {
      if (!std::isdigit(static_cast<unsigned char>(text[at + k]))) return -1;
      value = value * 10 + (text[at + k] - '0');
    }
    if (at + n < text.size() && std::isdigit(static_cast<unsigned char>(text[at + n]))) return -1;
    return value;
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (std::isdigit(static_cast<unsigned char>(c)) && (i == 0 || !std::isalnum(static_cast<unsigned char>(text[i - 1])))) {
      // 2021-05-12
      const int y = digits_at(i, 4);
      if (y > 0 && i + 10 <= text.size() && text[i + 4] == '-' && text[i + 7] == '-') {
        const int m = digits_at(i + 5, 2), d = digits_at(i + 8, 2);
        if (m > 0 && d > 0) consider(y, m, d);
      }
      continue;
    }
    if (!std::isalpha(static_cast<unsigned char>(c)) || (i > 0 && std::isalpha(static_cast<unsigned char>(text[i - 1])))) continue;
    for (int m = 0; m < 12; ++m) {
      const std::size_t len = std::strlen(months[m]);
      if (!starts_with_ci(text, i, months[m])) continue;
      std::size_t j = i + len;
      if (j < text.size() && std::isalpha(static_cast<unsigned char>(text[j]))) break;
      // optional day before: "12 May"
      int day = 0;
      if (i >= 2 && text[i - 1] == ' ') {
        std::size_t k = i - 1;
        while (k > 0 && std::isdigit(static_cast<unsigned char>(text[k - 1]))) --k;
        if (i - 1 - k >= 1 && i - 1 - k <= 2 && (k == 0 || !std::isalnum(static_cast<unsigned char>(text[k - 1])))) {
          day = std::atoi(std::string(text.substr(k, i - 1 - k)).c_str());
        }
      }
      // "May 12, 2021"
      if (j + 1 < text.size() && text[j] == ' ' && std::isdigit(static_cast<unsigned char>(text[j + 1]))) {
        std::size_t k = j + 1;
        int d2 = 0;
        while (k < text.size() && std::isdigit(static_cast<unsigned char>(text[k])) && k - j <= 2) d2 = d2 * 10 + (text[k++] - '0');
        if (k + 6 <= text.size() && text[k] == ',' && text[k + 1] == ' ') {
          const int y = digits_at(k + 2, 4);
          if (y > 0) { consider(y, m + 1, d2); break; }
        }
      }
      if (j + 5 <= text.size() && text[j] == ' ') {
        const int y = digits_at(j + 1, 4);
        if (y > 0) consider(y, m + 1, day);
      }
      break;
    }
  }
  return best;
}

// Languages by script: "km" for Khmer letters, "en" for Latin ones (main language first).
std::vector<std::string> languages_by_script(std::string_view text, const std::string& declared) {
  std::size_t latin = 0, khmer = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (std::isalpha(c)) ++latin;
    else if (c == 0xE1 && i + 1 < text.size() && (static_cast<unsigned char>(text[i + 1]) & 0xFE) == 0x9E) ++khmer;  // U+1780..U+17FF
  }
  std::vector<std::string> langs;
  if (!declared.empty()) langs.push_back(declared);
  const std::size_t total = latin + khmer;
  if (total == 0) return langs.empty() ? std::vector<std::string>{"und"} : langs;
  const auto add = [&](const char* l) {
    if (std::find(langs.begin(), langs.end(), l) == langs.end()) langs.emplace_back(l);
  };
  if (khmer * 2 > total) {
    add("km");
    if (latin * 10 > total) add("en");
  } else if (declared.empty()) {
    add("en");
    if (khmer * 20 > total) add("km");
  }
  return langs;
}

// Word tokens: ASCII letters/digits/apostrophes (lower-cased) and any non-ASCII character
// except spaces, dashes, quotes and Khmer punctuation, which separate like ASCII punctuation.
std::vector<std::string> tokens_of(std::string_view text) {
  std::vector<std::string> tokens;
  std::string current;
  const auto flush = [&] {
    while (!current.empty() && current.back() == '\'') current.pop_back();
    if (!current.empty()) tokens.push_back(std::move(current));
    current.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (std::isalnum(c)) current += static_cast<char>(std::tolower(c));
      else if (c == '\'' && !current.empty()) current += '\'';
      else flush();
      ++i;
      continue;
    }
    std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
    len = std::min(len, text.size() - i);
    const std::string_view ch = text.substr(i, len);
    if (ch == "\xE2\x80\x99") {  // ’ -> '
      if (!current.empty()) current += '\'';
    } else if (ch == "\xE2\x80\x8B" || ch == "\xC2\xA0" || ch == "\xE2\x80\x93" || ch == "\xE2\x80\x94" ||
               ch == "\xE2\x80\x9C" || ch == "\xE2\x80\x9D" || ch == "\xE2\x80\x98" || ch == "\xE1\x9F\x94" ||
               ch == "\xE1\x9F\x95" || ch == "\xE2\x80\xA6") {
      flush();
    } else {
      current.append(ch);
    }
    i += len;
  }
  flush();
  return tokens;
}

void AliasFinder::load(const fs::path& dir) {
  for (const bool ministry : {false, true}) {
    const fs::path file = dir / (ministry ? "ministries.json" : "actors.json");
    std::ifstream stream(file);
    if (!stream) continue;
    const auto json = nlohmann::json::parse(stream);
    for (const auto& item : json.at(ministry ? "ministries" : "actors")) {
      Target target{ministry, item.at("id").get<std::string>(),
                    ministry || item.value("ministry", nlohmann::json()).is_null() ? "" : item.at("ministry").get<std::string>()};
      std::vector<std::string> names{item.at("name").get<std::string>()};
      for (const auto& alias : item.at("aliases")) names.push_back(alias.get<std::string>());
      for (const auto& name : names) {
        const auto tokens = tokens_of(name);
        if (tokens.empty()) continue;
        std::string key;
        for (const auto& t : tokens) key += (key.empty() ? "" : " ") + t;
        by_key.emplace(key, target);
        first_tokens.insert(tokens[0]);
        max_tokens = std::max(max_tokens, tokens.size());
      }
    }
  }
}

void AliasFinder::find(const std::vector<std::string>& tokens, std::set<std::string>& actors,
                       std::set<std::string>& ministries) const {
  for (std::size_t i = 0; i < tokens.size();) {
    std::size_t matched = 0;
    if (first_tokens.count(tokens[i])) {
      for (std::size_t n = std::min(max_tokens, tokens.size() - i); n >= 1 && !matched; --n) {
        std::string key = tokens[i];
        for (std::size_t k = 1; k < n; ++k) key += ' ' + tokens[i + k];
        const auto it = by_key.find(key);
        if (it == by_key.end()) continue;
        matched = n;
        if (it->second.ministry) {
          ministries.insert(it->second.id);
        } else {
          actors.insert(it->second.id);
          if (!it->second.actor_ministry.empty()) ministries.insert(it->second.actor_ministry);
        }
      }
    }
    i += matched ? matched : 1;
  }
}

}  // namespace fts5_peer
