// Text extraction of the SQLite FTS5 peer (bench_fts5 load): what a user building search
// on SQLite alone would write — a light HTML stripper, type keywords, the latest English
// date, language by script, an alias finder over the authority files. Deliberately not
// the project's core (gumbo, CLD2, ICU): the peer is what one would build instead.
#pragma once

#include <cstddef>
#include <filesystem>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace fts5_peer {

struct Extracted {
  std::string title, text, language;
};

// Tags out (script/style with their content), entities decoded, block ends as newlines.
Extracted extract_html(std::string_view html);

// The first non-blank line, trimmed, as a title; "" if it is longer than 200 bytes.
std::string first_line(std::string_view text);

// ASCII letters lower-cased, every other byte as it is.
std::string lower_ascii(std::string_view text);

// Same keyword rules as the indexer's infer_document_type.
std::string infer_type(const std::string& title, std::string_view text);

// Latest English date ("12 May 2021", "May 12, 2021", "May 2021", "2021-05-12") as a
// sort key "YYYYMMDD" (00 for unknown parts); "" when none.
std::string latest_date_key(std::string_view text);

// Languages by script: "km" for Khmer letters, "en" for Latin ones (main language first).
std::vector<std::string> languages_by_script(std::string_view text, const std::string& declared);

// Word tokens: ASCII letters/digits/apostrophes (lower-cased) and any non-ASCII character
// except spaces, dashes, quotes and Khmer punctuation, which separate like ASCII punctuation.
std::vector<std::string> tokens_of(std::string_view text);

struct AliasFinder {
  struct Target {
    bool ministry;
    std::string id, actor_ministry;
  };
  std::unordered_map<std::string, Target> by_key;
  std::unordered_set<std::string> first_tokens;
  std::size_t max_tokens = 0;

  /// Reads actors.json and ministries.json of an authority directory (missing files: none).
  void load(const std::filesystem::path& dir);
  /// Adds the actors and ministries whose names or aliases occur in `tokens` (longest first).
  void find(const std::vector<std::string>& tokens, std::set<std::string>& actors,
            std::set<std::string>& ministries) const;
};

}  // namespace fts5_peer
