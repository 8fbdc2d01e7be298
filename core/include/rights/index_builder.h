// Offline index builds and incremental updates with atomic generation switching.
//
// INDEX_PATH is a symlink to a generation directory INDEX_PATH.generations/<name>. A build
// writes a new generation, commits and fsyncs it, then renames a fresh symlink over
// INDEX_PATH: readers see the old index or the new one, never a half-built one, and a
// kill -9 at any point leaves the previous generation in place and openable.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "rights/authority.h"

namespace rights {

struct FileFailure {
  std::string path;    ///< relative to the corpus root
  std::string reason;  ///< one line
};

struct BuildProgress {
  std::uint64_t files_done = 0, files_total = 0;
  std::uint64_t bytes_done = 0, bytes_total = 0;
};

struct BuildOptions {
  unsigned analysis_threads = 0;  ///< 0: one per core
  /// Called from the writer thread after each file; may be empty.
  std::function<void(const BuildProgress&)> on_progress;
  /// Called for each failed file as it happens (the report lists them all too).
  std::function<void(const FileFailure&)> on_failure;
};

struct BuildReport {
  std::uint64_t files_seen = 0;      ///< supported files found under the corpus
  std::uint64_t documents_indexed = 0;  ///< added or replaced in this run
  std::uint64_t documents_unchanged = 0;  ///< update: same content hash, kept
  std::uint64_t documents_removed = 0;    ///< update: file gone, removed
  std::uint64_t bytes_read = 0;
  std::vector<FileFailure> failures;
  std::vector<std::string> skipped_unsupported;  ///< files with an extension we do not index
  std::string generation;            ///< the generation INDEX_PATH now points at
  double seconds = 0;
};

/// Thrown for problems that stop a build before or while switching (bad arguments, an
/// unwritable destination, disk full): the previous index stays as it was.
class BuildError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Indexes every supported file under `corpus_dir` (using corpus_dir/manifest.json and
/// corpus_dir/authority/ when present) into a new generation and switches `index_path`.
BuildReport build_index(const std::filesystem::path& corpus_dir,
                        const std::filesystem::path& index_path, const BuildOptions& options);

/// Re-indexes added/changed files (by content hash), removes deleted ones, and switches
/// `index_path` to the updated copy. Running it twice in a row changes nothing the second time.
BuildReport update_index(const std::filesystem::path& corpus_dir,
                         const std::filesystem::path& index_path, const BuildOptions& options);

/// The directory INDEX_PATH currently resolves to (throws BuildError if none).
std::filesystem::path current_generation(const std::filesystem::path& index_path);

}  // namespace rights
