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

#include "fts5_extract.h"

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
// The extraction half of this peer (fts5_extract.h).
using fts5_peer::AliasFinder;
using fts5_peer::Extracted;
using fts5_peer::extract_html;
using fts5_peer::first_line;
using fts5_peer::infer_type;
using fts5_peer::languages_by_script;
using fts5_peer::latest_date_key;
using fts5_peer::lower_ascii;
using fts5_peer::tokens_of;

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
