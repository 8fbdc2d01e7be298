// bench_fts5: the SQLite FTS5 peer of the benchmarks — what a user would build instead of
// this project with SQLite alone. See bench/README.md for how it is configured.
//
//   bench_fts5 load  DB CORPUS_DIR
//       Loads every .txt/.md/.html file under CORPUS_DIR (minus authority/ and
//       manifest.json, like the indexer) into a new database DB: an FTS5 table (title, body;
//       porter + unicode61 tokenizer) plus facet tables filled by the same kind of
//       extraction the indexer does (alias finder over corpus_dir/authority, latest
//       English date, type keywords, language by script or <html lang>). One writer, one
//       transaction, then FTS5 'optimize'. Prints one JSON line.
//   bench_fts5 query DB QUERIES --threads C --duration S
//       C threads, each with its own read-only connection, loop over QUERIES (the lines of
//       bench/queries.txt: q=...&actor=...&from=...) for S seconds; each request does what
//       /api/search does: exact total, exact counts of every facet (GROUP BY), top 10 by
//       bm25 (or by date without q) with snippets. Prints one JSON object of latencies.
//   bench_fts5 check DB QUERIES
//       One line per query: its total, for comparing result counts with searchd.
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

// ---------------------------------------------------------------- sqlite helpers

class Db {
 public:
  Db(const std::string& path, int flags) {
    if (sqlite3_open_v2(path.c_str(), &db_, flags, nullptr) != SQLITE_OK) {
      const std::string message = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw std::runtime_error("cannot open " + path + ": " + message);
    }
  }
  ~Db() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  void exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      const std::string message = error ? error : "?";
      sqlite3_free(error);
      throw std::runtime_error("sqlite: " + message + " in: " + sql);
    }
  }
  // Prepared once per connection and reused (reset) afterwards.
  sqlite3_stmt* prepare(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) {
      sqlite3_reset(it->second);
      sqlite3_clear_bindings(it->second);
      return it->second;
    }
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string("sqlite: ") + sqlite3_errmsg(db_) + " in: " + sql);
    }
    cache_.emplace(sql, stmt);
    return stmt;
  }
  void check(int rc, const char* what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
      throw std::runtime_error(std::string("sqlite: ") + what + ": " + sqlite3_errmsg(db_));
    }
  }
  sqlite3* raw() { return db_; }

 private:
  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

void bind_text(sqlite3_stmt* stmt, int index, const std::string& value) {
  sqlite3_bind_text(stmt, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
}

// ---------------------------------------------------------------- text extraction

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

struct Extracted {
  std::string title, text, language;
};

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

// ---------------------------------------------------------------- alias finder

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

struct AliasFinder {
  struct Target {
    bool ministry;
    std::string id, actor_ministry;
  };
  std::unordered_map<std::string, Target> by_key;
  std::unordered_set<std::string> first_tokens;
  std::size_t max_tokens = 0;

  void load(const fs::path& dir) {
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

  void find(const std::vector<std::string>& tokens, std::set<std::string>& actors, std::set<std::string>& ministries) const {
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
};

// ---------------------------------------------------------------- load

const char* const kSchema = R"sql(
CREATE TABLE docs(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, title TEXT, type TEXT,
                  source TEXT, date TEXT, date_key TEXT, year TEXT);
CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize = 'porter unicode61 remove_diacritics 2');
CREATE TABLE doc_actor(doc INTEGER, actor TEXT, PRIMARY KEY(doc, actor)) WITHOUT ROWID;
CREATE TABLE doc_ministry(doc INTEGER, ministry TEXT, PRIMARY KEY(doc, ministry)) WITHOUT ROWID;
CREATE TABLE doc_lang(doc INTEGER, lang TEXT, PRIMARY KEY(doc, lang)) WITHOUT ROWID;
)sql";

const char* const kIndexes = R"sql(
CREATE INDEX doc_actor_by_actor ON doc_actor(actor, doc);
CREATE INDEX doc_ministry_by_ministry ON doc_ministry(ministry, doc);
CREATE INDEX doc_lang_by_lang ON doc_lang(lang, doc);
CREATE INDEX docs_by_date ON docs(date_key);
CREATE INDEX docs_by_type ON docs(type);
)sql";

std::string iso_of_key(const std::string& key) {
  if (key.empty()) return "";
  std::string iso = key.substr(0, 4);
  if (key.compare(4, 2, "00") != 0) iso += "-" + key.substr(4, 2);
  if (key.compare(6, 2, "00") != 0) iso += "-" + key.substr(6, 2);
  return iso;
}

int run_load(const std::string& db_path, const fs::path& corpus) {
  const auto started = Clock::now();
  if (fs::exists(db_path)) throw std::runtime_error(db_path + " already exists");
  AliasFinder aliases;
  aliases.load(corpus / "authority");

  std::vector<fs::path> files;
  for (auto it = fs::recursive_directory_iterator(corpus); it != fs::recursive_directory_iterator(); ++it) {
    const auto relative = fs::relative(it->path(), corpus).generic_string();
    if (it->is_directory() && relative == "authority") {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file() || relative == "manifest.json") continue;
    const auto ext = lower_ascii(it->path().extension().string());
    if (ext == ".txt" || ext == ".md" || ext == ".html" || ext == ".htm") files.push_back(it->path());
  }
  std::sort(files.begin(), files.end());

  Db db(db_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  db.exec(kSchema);
  db.exec("BEGIN");
  std::uint64_t bytes = 0, id = 0;
  std::string content;
  for (const auto& file : files) {
    std::ifstream stream(file, std::ios::binary);
    content.assign(std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>());
    bytes += content.size();
    ++id;
    const auto ext = lower_ascii(file.extension().string());
    Extracted doc;
    if (ext == ".html" || ext == ".htm") {
      doc = extract_html(content);
    } else {
      doc.text = content;
    }
    if (doc.title.empty()) doc.title = first_line(doc.text);
    if (doc.title.empty()) doc.title = file.stem().string();
    const std::string type = infer_type(doc.title, doc.text);
    const std::string date_key = latest_date_key(doc.text);
    std::set<std::string> actors, ministries;
    aliases.find(tokens_of(doc.title + "\n" + doc.text), actors, ministries);
    const auto langs = languages_by_script(doc.text, doc.language);

    auto* insert_doc = db.prepare("INSERT INTO docs(id, path, title, type, source, date, date_key, year) VALUES(?,?,?,?,?,?,?,?)");
    sqlite3_bind_int64(insert_doc, 1, static_cast<sqlite3_int64>(id));
    bind_text(insert_doc, 2, fs::relative(file, corpus).generic_string());
    bind_text(insert_doc, 3, doc.title);
    bind_text(insert_doc, 4, type);
    bind_text(insert_doc, 5, "");
    bind_text(insert_doc, 6, iso_of_key(date_key));
    bind_text(insert_doc, 7, date_key);
    bind_text(insert_doc, 8, date_key.empty() ? "undated" : date_key.substr(0, 4));
    db.check(sqlite3_step(insert_doc), "insert docs");
    auto* insert_fts = db.prepare("INSERT INTO fts(rowid, title, body) VALUES(?,?,?)");
    sqlite3_bind_int64(insert_fts, 1, static_cast<sqlite3_int64>(id));
    bind_text(insert_fts, 2, doc.title);
    bind_text(insert_fts, 3, doc.text);
    db.check(sqlite3_step(insert_fts), "insert fts");
    const auto insert_values = [&](const char* sql, const auto& values) {
      for (const auto& value : values) {
        auto* stmt = db.prepare(sql);
        sqlite3_bind_int64(stmt, 1, static_cast<sqlite3_int64>(id));
        bind_text(stmt, 2, value);
        db.check(sqlite3_step(stmt), sql);
      }
    };
    insert_values("INSERT INTO doc_actor VALUES(?,?)", actors);
    insert_values("INSERT INTO doc_ministry VALUES(?,?)", ministries);
    insert_values("INSERT INTO doc_lang VALUES(?,?)", langs);
  }
  db.exec(kIndexes);
  db.exec("INSERT INTO fts(fts) VALUES('optimize')");
  db.exec("COMMIT");
  db.exec("ANALYZE");
  const double seconds = std::chrono::duration<double>(Clock::now() - started).count();
  nlohmann::json out{{"docs", id}, {"bytes", bytes}, {"seconds", seconds}};
  std::cout << out.dump() << std::endl;
  return 0;
}

// ---------------------------------------------------------------- queries


struct Query {
  std::string line, q, from, to, sort;
  std::map<std::string, std::vector<std::string>> filters;  // actor, ministry, type, lang, source
};

std::vector<Query> load_queries(const std::string& path) {
  std::ifstream stream(path);
  if (!stream) throw std::runtime_error("cannot read " + path);
  std::vector<Query> queries;
  for (std::string line; std::getline(stream, line);) {
    if (line.empty() || line[0] == '#') continue;
    Query query;
    query.line = line;
    std::stringstream parts(line);
    for (std::string part; std::getline(parts, part, '&');) {
      const auto eq = part.find('=');
      if (eq == std::string::npos) throw std::runtime_error("bad query line: " + line);
      const std::string name = part.substr(0, eq), value = part.substr(eq + 1);  // queries.txt is not URL-encoded
      if (name == "q") query.q = value;
      else if (name == "from") query.from = value;
      else if (name == "to") query.to = value;
      else if (name == "sort") query.sort = value;
      else if (name == "actor" || name == "ministry" || name == "type" || name == "lang" || name == "source") query.filters[name].push_back(value);
      else if (name == "page" || name == "per_page") continue;
      else throw std::runtime_error("unsupported parameter " + name + " in: " + line);
    }
    queries.push_back(std::move(query));
  }
  if (queries.empty()) throw std::runtime_error(path + " has no queries");
  return queries;
}

// The query text as an FTS5 expression: each word and each "phrase" quoted, implicit AND.
std::string fts_expression(const std::string& q) {
  std::string expr, current;
  bool in_phrase = false;
  const auto flush = [&] {
    if (current.empty()) return;
    std::string quoted = "\"";
    for (const char c : current) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    quoted += '"';
    expr += (expr.empty() ? "" : " ") + quoted;
    current.clear();
  };
  for (const char c : q) {
    if (c == '"') {
      flush();
      in_phrase = !in_phrase;
    } else if (c == ' ' && !in_phrase) {
      flush();
    } else {
      current += c;
    }
  }
  flush();
  return expr;
}

// "2021" -> "20210000"; to: "2021" -> "20211299", "2021-05" -> "20210599".
std::string date_key(const std::string& iso, bool end) {
  if (iso.empty()) return "";
  std::string y = iso.substr(0, 4), m = iso.size() >= 7 ? iso.substr(5, 2) : "", d = iso.size() >= 10 ? iso.substr(8, 2) : "";
  if (m.empty()) return y + (end ? "1299" : "0000");
  if (d.empty()) return y + m + (end ? "99" : "00");
  return y + m + d;
}

// Number of documents, read once per connection.
std::int64_t document_count(Db& db) {
  static thread_local std::pair<sqlite3*, std::int64_t> cached{nullptr, 0};
  if (cached.first != db.raw()) {
    auto* stmt = db.prepare("SELECT count(*) FROM docs");
    cached = {db.raw(), sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0};
  }
  return cached.second;
}

struct QueryResult {
  std::int64_t total = 0;
  std::size_t hits = 0, facet_values = 0;
};

QueryResult run_query(Db& db, const Query& query) {
  // WHERE clause over the candidate rowid `X`, and its parameters.
  std::string where;
  std::vector<std::string> params;
  const auto add = [&](const std::string& clause) { where += (where.empty() ? "" : " AND ") + clause; };
  static const std::map<std::string, std::pair<const char*, const char*>> kTables{
      {"actor", {"doc_actor", "actor"}}, {"ministry", {"doc_ministry", "ministry"}}, {"lang", {"doc_lang", "lang"}}};
  for (const auto& [facet, values] : query.filters) {
    std::string placeholders;
    for (const auto& v : values) {
      placeholders += placeholders.empty() ? "?" : ",?";
      params.push_back(v);
    }
    const auto table = kTables.find(facet);
    if (table != kTables.end()) {
      add(std::string("X IN (SELECT doc FROM ") + table->second.first + " WHERE " + table->second.second + " IN (" + placeholders + "))");
    } else {
      add("X IN (SELECT id FROM docs WHERE " + facet + " IN (" + placeholders + "))");
    }
  }
  if (!query.from.empty() || !query.to.empty()) {
    std::string clause = "X IN (SELECT id FROM docs WHERE date_key <> ''";
    if (!query.from.empty()) { clause += " AND date_key >= ?"; params.push_back(date_key(query.from, false)); }
    if (!query.to.empty()) { clause += " AND date_key <= ?"; params.push_back(date_key(query.to, true)); }
    add(clause + ")");
  }
  const auto replace_x = [](std::string text, const std::string& by) {
    for (std::size_t at = text.find("X IN"); at != std::string::npos; at = text.find("X IN", at + by.size())) text.replace(at, 1, by);
    return text;
  };
  const std::string expr = fts_expression(query.q);

  db.exec("DELETE FROM temp.m");
  std::string fill;
  if (!expr.empty()) {
    // "+rowid": the filters must not become the FTS5 access path (one MATCH per candidate row).
    fill = "INSERT INTO temp.m(id) SELECT rowid FROM fts WHERE fts MATCH ?" + (where.empty() ? "" : " AND " + replace_x(where, "+rowid"));
  } else {
    fill = "INSERT INTO temp.m(id) SELECT id FROM docs" + (where.empty() ? "" : " WHERE " + replace_x(where, "id"));
  }
  auto* stmt = db.prepare(fill);
  int index = 1;
  if (!expr.empty()) bind_text(stmt, index++, expr);
  for (const auto& p : params) bind_text(stmt, index++, p);
  db.check(sqlite3_step(stmt), "fill");

  QueryResult result;
  stmt = db.prepare("SELECT count(*) FROM temp.m");
  if (sqlite3_step(stmt) == SQLITE_ROW) result.total = sqlite3_column_int64(stmt, 0);
  // One GROUP BY per facet. Few matches: drive the join from the matches (CROSS JOIN keeps
  // that order); many: let the planner scan the facet table's covering index instead.
  static const char* const kFacetQueries[][2] = {
      {"SELECT a.actor, count(*) AS c FROM temp.m CROSS JOIN doc_actor a ON a.doc = m.id GROUP BY a.actor ORDER BY c DESC",
       "SELECT a.actor, count(*) AS c FROM temp.m JOIN doc_actor a ON a.doc = m.id GROUP BY a.actor ORDER BY c DESC"},
      {"SELECT a.ministry, count(*) AS c FROM temp.m CROSS JOIN doc_ministry a ON a.doc = m.id GROUP BY a.ministry ORDER BY c DESC",
       "SELECT a.ministry, count(*) AS c FROM temp.m JOIN doc_ministry a ON a.doc = m.id GROUP BY a.ministry ORDER BY c DESC"},
      {"SELECT d.type, count(*) AS c FROM temp.m CROSS JOIN docs d ON d.id = m.id GROUP BY d.type ORDER BY c DESC",
       "SELECT d.type, count(*) AS c FROM temp.m JOIN docs d ON d.id = m.id GROUP BY d.type ORDER BY c DESC"},
      {"SELECT a.lang, count(*) AS c FROM temp.m CROSS JOIN doc_lang a ON a.doc = m.id GROUP BY a.lang ORDER BY c DESC",
       "SELECT a.lang, count(*) AS c FROM temp.m JOIN doc_lang a ON a.doc = m.id GROUP BY a.lang ORDER BY c DESC"},
      {"SELECT d.source, count(*) AS c FROM temp.m CROSS JOIN docs d ON d.id = m.id WHERE d.source <> '' GROUP BY d.source ORDER BY c DESC",
       "SELECT d.source, count(*) AS c FROM temp.m JOIN docs d ON d.id = m.id WHERE d.source <> '' GROUP BY d.source ORDER BY c DESC"},
      {"SELECT d.year, count(*) AS c FROM temp.m CROSS JOIN docs d ON d.id = m.id GROUP BY d.year ORDER BY c DESC",
       "SELECT d.year, count(*) AS c FROM temp.m JOIN docs d ON d.id = m.id GROUP BY d.year ORDER BY c DESC"},
  };
  const bool selective = result.total * 4 < document_count(db);
  for (const auto& pair : kFacetQueries) {
    stmt = db.prepare(pair[selective ? 0 : 1]);
    while (sqlite3_step(stmt) == SQLITE_ROW) ++result.facet_values;
  }
  // Top 10: ids first (bm25 over the matches, FTS5 driving the join: a rowid-driven plan
  // runs one MATCH per candidate), then titles and snippets for those 10 only.
  const bool by_date = query.sort == "date" || query.sort == "-date";
  std::vector<sqlite3_int64> top;
  if (!expr.empty() && !by_date) {
    stmt = db.prepare("SELECT fts.rowid FROM fts CROSS JOIN temp.m ON m.id = fts.rowid WHERE fts MATCH ? "
                      "ORDER BY bm25(fts, 5.0, 1.0) LIMIT 10");
    bind_text(stmt, 1, expr);
  } else {
    const std::string order = query.sort == "date" ? "ASC" : "DESC";
    stmt = db.prepare("SELECT d.id FROM temp.m CROSS JOIN docs d ON d.id = m.id ORDER BY d.date_key " + order + " LIMIT 10");
  }
  while (sqlite3_step(stmt) == SQLITE_ROW) top.push_back(sqlite3_column_int64(stmt, 0));
  for (const auto id : top) {
    if (!expr.empty()) {
      stmt = db.prepare("SELECT d.path, d.title, d.date, snippet(fts, 1, '<mark>', '</mark>', '…', 24) "
                        "FROM fts CROSS JOIN docs d ON d.id = fts.rowid WHERE fts MATCH ? AND fts.rowid = ?");
      bind_text(stmt, 1, expr);
      sqlite3_bind_int64(stmt, 2, id);
    } else {
      stmt = db.prepare("SELECT d.path, d.title, d.date, substr(fts.body, 1, 200) "
                        "FROM fts CROSS JOIN docs d ON d.id = fts.rowid WHERE fts.rowid = ?");
      sqlite3_bind_int64(stmt, 1, id);
    }
    if (sqlite3_step(stmt) == SQLITE_ROW) {
      for (int c = 0; c < sqlite3_column_count(stmt); ++c) sqlite3_column_text(stmt, c);  // materialise
      ++result.hits;
    }
  }
  return result;
}

void open_for_queries(Db& db) {
  db.exec("PRAGMA temp_store = MEMORY");
  db.exec("CREATE TEMP TABLE IF NOT EXISTS m(id INTEGER PRIMARY KEY)");
}

double percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(sorted.size())));
  return sorted[std::min(sorted.size() - 1, rank == 0 ? 0 : rank - 1)];
}

int run_queries(const std::string& db_path, const std::string& queries_path, unsigned threads, double duration) {
  const auto queries = load_queries(queries_path);
  std::atomic<std::uint64_t> errors{0};
  std::vector<std::vector<double>> latencies(threads);
  std::string first_error;
  std::mutex error_mutex;
  const auto started = Clock::now();
  const auto deadline = started + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(duration));
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      try {
        Db db(db_path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX);
        open_for_queries(db);
        auto& mine = latencies[t];
        for (std::size_t i = t * queries.size() / threads;; ++i) {
          const auto begin = Clock::now();
          if (begin >= deadline) break;
          try {
            run_query(db, queries[i % queries.size()]);
            mine.push_back(std::chrono::duration<double, std::milli>(Clock::now() - begin).count());
          } catch (const std::exception& e) {
            ++errors;
            std::lock_guard<std::mutex> lock(error_mutex);
            if (first_error.empty()) first_error = e.what();
          }
        }
      } catch (const std::exception& e) {
        ++errors;
        std::lock_guard<std::mutex> lock(error_mutex);
        if (first_error.empty()) first_error = e.what();
      }
    });
  }
  for (auto& thread : pool) thread.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - started).count();
  std::vector<double> all;
  for (const auto& l : latencies) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  double sum = 0;
  for (const double l : all) sum += l;
  nlohmann::json out{{"threads", threads},
                     {"duration_s", elapsed},
                     {"requests", all.size()},
                     {"errors", errors.load()},
                     {"rps", static_cast<double>(all.size()) / elapsed},
                     {"p50_ms", percentile(all, 50)},
                     {"p95_ms", percentile(all, 95)},
                     {"p99_ms", percentile(all, 99)},
                     {"mean_ms", all.empty() ? 0.0 : sum / static_cast<double>(all.size())},
                     {"max_ms", all.empty() ? 0.0 : all.back()}};
  if (!first_error.empty()) out["first_error"] = first_error;
  std::cout << out.dump() << std::endl;
  return errors.load() == 0 ? 0 : 1;
}

int run_check(const std::string& db_path, const std::string& queries_path) {
  const auto queries = load_queries(queries_path);
  Db db(db_path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX);
  open_for_queries(db);
  for (const auto& query : queries) {
    const auto begin = Clock::now();
    const auto result = run_query(db, query);
    const double ms = std::chrono::duration<double, std::milli>(Clock::now() - begin).count();
    nlohmann::json out{{"query", query.line}, {"total", result.total}, {"hits", result.hits},
                       {"facet_values", result.facet_values}, {"ms", ms}};
    std::cout << out.dump() << "\n";
  }
  return 0;
}

const char* const kUsage =
    "usage: bench_fts5 load  DB CORPUS_DIR\n"
    "       bench_fts5 query DB QUERIES [--threads C] [--duration S]\n"
    "       bench_fts5 check DB QUERIES\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.size() == 3 && args[0] == "load") return run_load(args[1], args[2]);
    if (args.size() == 3 && args[0] == "check") return run_check(args[1], args[2]);
    if (args.size() >= 3 && args[0] == "query") {
      unsigned threads = 4;
      double duration = 10;
      for (std::size_t i = 3; i < args.size(); ++i) {
        if (args[i] == "--threads" && i + 1 < args.size()) threads = static_cast<unsigned>(std::stoul(args[++i]));
        else if (args[i] == "--duration" && i + 1 < args.size()) duration = std::stod(args[++i]);
        else throw std::invalid_argument("unknown argument " + args[i]);
      }
      if (threads < 1 || duration <= 0) throw std::invalid_argument("--threads >= 1, --duration > 0");
      return run_queries(args[1], args[2], threads, duration);
    }
    std::cerr << kUsage;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "bench_fts5: " << e.what() << "\n";
    return 1;
  }
}
