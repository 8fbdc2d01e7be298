// The databases of the index generation being written, and how they become the finished
// generation. Internal to rights_core (index_builder.cpp).
#pragma once

#include <xapian.h>

#include <cstddef>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "write_lanes.h"

namespace rights::detail {

std::string shard_dir_name(unsigned shard);

/// fsync(2) of a file or directory; best effort (a path that cannot be opened is skipped).
void fsync_path(const std::filesystem::path& path);

/// A fresh build writes each lane (one per shard, or `lanes` for an unsharded index) as a
/// series of "runs": small databases of at most documents_per_run documents, merged by
/// the final compaction. Why: Xapian's cost per added document grows with the database
/// it is added to (each flush rewrites B-tree blocks all over the position and postlist
/// tables), so a build that stays small per run keeps its 10k-document speed at 1M; the
/// merge is one linear pass, and the compaction was needed anyway.
///
/// An update copies the current generation and changes it in place, one lane per shard.
class GenerationWriter {
 public:
  struct Layout {
    unsigned shard_count = 1;
    unsigned lanes = 1;                   ///< unsharded fresh builds: parallel writers
    std::size_t documents_per_run = 0;    ///< fresh builds: run length per lane (> 0)
  };

  /// New, empty generation in the directory `dir` (created).
  static GenerationWriter create(const std::filesystem::path& dir, const Layout& layout);
  /// The copied generation in `dir`, with `shard_count` shards, to be updated in place.
  static GenerationWriter open(const std::filesystem::path& dir, unsigned shard_count);

  unsigned shard_count() const { return shard_count_; }

  /// One database per lane, for WriteLanes.
  std::vector<Xapian::WritableDatabase>& databases() { return databases_; }

  /// A fresh generation takes add_document (the caller refuses duplicate ids),
  /// round-robin over its lanes (or to the id's shard), starting a new run when one is
  /// full; an update replaces by id in the id's shard.
  void write(WriteLanes& lanes, const std::string& id, Xapian::Document document);
  void remove(WriteLanes& lanes, const std::string& id);

  /// Update only: document id -> the value of `slot`, over every shard.
  std::map<std::string, std::string> read_ids(Xapian::valueno slot) const;

  /// Call these only while no WriteLanes is running on databases().
  std::string metadata(const std::string& key) const;
  void set_metadata(const std::string& key, const std::string& value);
  /// Records "I/N" in each shard, then commits and closes every database.
  void commit_and_close();
  void close();

  /// Writes the finished generation to `compacted` (a new directory): every shard (or
  /// the one database) compacted, runs merged, plus the stub that joins shards.
  void compact_into(const std::filesystem::path& compacted) const;

 private:
  GenerationWriter(std::filesystem::path dir, unsigned shard_count, bool fresh)
      : dir_(std::move(dir)), shard_count_(shard_count), fresh_(fresh) {}

  std::size_t lane_of(const std::string& id);
  std::filesystem::path run_path(std::size_t lane, std::size_t run) const;
  /// Output database `output` of the finished generation, inside `generation`.
  std::filesystem::path output_path(const std::filesystem::path& generation, unsigned output) const;
  unsigned output_of_lane(std::size_t lane) const { return shard_count_ > 1 ? static_cast<unsigned>(lane) : 0; }

  std::filesystem::path dir_;
  unsigned shard_count_;
  bool fresh_;
  std::size_t documents_per_run_ = 0;
  std::size_t next_lane_ = 0;
  std::vector<Xapian::WritableDatabase> databases_;       ///< the current run of each lane
  std::vector<std::vector<std::filesystem::path>> runs_;  ///< every run of each lane
  std::vector<std::size_t> in_current_run_;               ///< documents, per lane
};

}  // namespace rights::detail
