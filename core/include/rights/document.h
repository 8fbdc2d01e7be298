// What the index stores per document: the record kept in Xapian document data, from
// which searchd builds hits, snippets and /api/doc without touching the corpus files.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace rights {

struct DocumentRecord {
  std::string id;                  ///< unique id (manifest id, or path without extension)
  std::string path;                ///< path relative to the corpus root, '/'-separated
  std::string title;
  std::string type;                ///< letter | report | article | statement
  std::string date;                ///< "YYYY-MM-DD" | "YYYY-MM" | "YYYY" | "" (undated)
  std::string source;              ///< publisher display name, may be empty
  std::string access = "public";   ///< public | restricted
  std::vector<std::string> languages;   ///< BCP 47 primary subtags, main language first
  std::vector<std::string> actors;      ///< canonical actor ids (manifest + found in text)
  std::vector<std::string> ministries;  ///< canonical ministry ids
  std::vector<std::string> authors;     ///< actor ids, from the manifest
  std::vector<std::string> signatories; ///< actor ids, from the manifest
  std::vector<std::string> addressees;  ///< actor ids, from the manifest
  std::string text;                ///< full extracted text (UTF-8)
  std::vector<std::size_t> page_starts; ///< PDFs: byte offset in `text` where page i+1 starts
  std::string content_hash;        ///< hex hash of the source file's bytes

  /// 1-based page number holding byte `offset` of `text`, or 0 when not paged.
  int page_at(std::size_t offset) const;
};

/// Serialised form stored as Xapian document data (JSON).
std::string serialize_record(const DocumentRecord& record);
/// Throws std::runtime_error on data not written by serialize_record.
DocumentRecord parse_record(std::string_view data);

}  // namespace rights
