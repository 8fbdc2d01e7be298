// Offline index builds and incremental updates with atomic generation switching.
//
// INDEX_PATH is a symlink to a generation directory INDEX_PATH.generations/<name>. A build
// writes a new generation, commits and fsyncs it, then renames a fresh symlink over
// INDEX_PATH: readers see the old index or the new one, never a half-built one, and a
// kill -9 at any point leaves the previous generation in place and openable.
//
// Sharding: with BuildOptions::shards = N > 1 a generation directory holds N databases
// shard-0 ... shard-(N-1) and a Xapian stub file XAPIANDB listing them, so
// Xapian::Database(generation_dir) (and hence Searcher) opens all of them as one. Every
// shard carries the full metadata (schema version, build time, generation, stem
// languages) plus its own "I/N" (kShardKey), and each can be served on its own by
// xapian-tcpsrv.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rights/authority.h"
#include "rights/corpus.h"  // FileFailure, SkippedLink

namespace rights {

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
  /// build: number of shard databases (1: one plain database; 0: the count of the index
  /// being replaced, 1 for a new one). update: 0 keeps the current generation's count;
  /// any other value must equal it (documents are never moved between shards; change the
  /// count with a fresh build).
  unsigned shards = 0;
  /// build: documents per run of a write lane before a new run starts (runs are merged
  /// at the end; see core/src/generation_writer.h). 0: the default (10,000, or more if
  /// that would make over 48 runs). Tests set it small to exercise the merge.
  std::size_t documents_per_run = 0;
  /// build, unsharded: parallel Xapian writers (1..kMaxWriteLanes), each writing its own
  /// databases, merged by the final compaction. 0: one per analysis thread. (A sharded
  /// build has one writer per shard.)
  unsigned write_lanes = 0;
  /// Replace an index that has documents by one without any. Off: a corpus directory
  /// with no documents (an unmounted share, a wrong path) is a BuildError and the served
  /// index stays, rather than every search suddenly finding nothing.
  bool allow_empty = false;
};

inline constexpr unsigned kMaxWriteLanes = 64;

inline constexpr unsigned kMaxShards = 64;
/// Name of the Xapian stub file that makes a directory of shards open as one database.
inline constexpr const char* kStubFileName = "XAPIANDB";

struct BuildReport {
  std::uint64_t files_seen = 0;      ///< supported files found under the corpus
  std::uint64_t documents_indexed = 0;  ///< added or replaced in this run
  std::uint64_t documents_unchanged = 0;  ///< update: same content hash, kept
  std::uint64_t documents_removed = 0;    ///< update: file gone, removed
  std::uint64_t bytes_read = 0;
  std::vector<FileFailure> failures;
  std::vector<std::string> skipped_unsupported;  ///< files with an extension we do not index
  std::vector<SkippedLink> skipped_links;        ///< symbolic links inside the corpus, not followed
  std::vector<SkippedSpecial> skipped_special;   ///< named pipes, sockets, devices: never read
  std::string generation;            ///< the generation INDEX_PATH now points at
  unsigned shards = 1;               ///< shard databases in that generation
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

/// The shard (0 .. shard_count-1) that holds document `id`: FNV-1a 64 of the id modulo the
/// count. Depends on nothing but the id, so an update finds every document where the build
/// put it.
unsigned shard_of(std::string_view id, unsigned shard_count);

/// Number of shard databases in a generation directory (1 for a plain database). Throws
/// BuildError if the directory's shard layout is unreadable.
unsigned generation_shard_count(const std::filesystem::path& generation_dir);

}  // namespace rights
