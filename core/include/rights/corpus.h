// The corpus on disk: which files there are, and what the manifest says about them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rights {

/// Manifest metadata for one document (corpus/manifest.json). Empty fields mean "not
/// stated": the indexer then derives the value from the text. See corpus/README.md.
struct ManifestEntry {
  std::string id, path, title, type, date, source, access;
  bool date_given = false;  ///< "date" present, possibly null (= explicitly undated)
  std::vector<std::string> languages, authors, signatories, addressees;
  std::string fingerprint;  ///< the entry's JSON text, part of the document's content hash
};

struct Manifest {
  std::map<std::string, ManifestEntry> by_path;  ///< key: path relative to the corpus root
  std::vector<std::string> exclude;  ///< relative paths or dir prefixes ("authority/") not to index
};

/// Reads corpus_dir/manifest.json; an absent file gives an empty manifest. Throws
/// std::runtime_error with the file name and reason if it is malformed or lists a
/// path twice.
Manifest load_manifest(const std::filesystem::path& corpus_dir);

struct CorpusFile {
  // A string, not a std::filesystem::path: libstdc++'s path keeps every component as a
  // path of its own, ~0.5 kB per file here, 0.5 GB of a million-file build's memory.
  std::string full_path;
  std::string relative_path;  ///< '/'-separated, relative to the corpus root
  std::uint64_t size = 0;
};

struct CorpusListing {
  std::vector<CorpusFile> supported;    ///< sorted by relative path
  std::vector<std::string> unsupported; ///< relative paths with extensions we do not index
};

/// Every regular file under corpus_dir (recursively, symlinks not followed out of it),
/// minus the manifest, the authority directory and the manifest's exclusions.
CorpusListing scan_corpus(const std::filesystem::path& corpus_dir, const Manifest& manifest);

/// Document id for a file that the manifest does not describe: its relative path without
/// the extension.
std::string default_document_id(const std::string& relative_path);

}  // namespace rights
