#include "generation_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>

#include "rights/index_builder.h"
#include "rights/schema.h"

namespace fs = std::filesystem;

namespace rights::detail {

namespace {

// The databases written here are temporary (the compacted copy is what gets fsynced and
// served; a crash leaves only a .partial directory behind), so their commits skip fsync.
constexpr int kWorkingDatabaseFlags = Xapian::DB_NO_SYNC;

// "auto shard-0" ... : paths in a stub are relative to the stub's directory, so the
// generation can be renamed, copied or replicated as a whole.
void write_stub(const fs::path& dir, unsigned shard_count) {
  const fs::path stub = dir / kStubFileName;
  {
    std::ofstream out(stub, std::ios::binary | std::ios::trunc);
    for (unsigned shard = 0; shard < shard_count; ++shard) out << "auto " << shard_dir_name(shard) << '\n';
    if (!out.flush()) throw BuildError("cannot write " + stub.string());
  }
  fsync_path(stub);
}

}  // namespace

std::string shard_dir_name(unsigned shard) { return "shard-" + std::to_string(shard); }

void fsync_path(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

GenerationWriter GenerationWriter::create(const fs::path& dir, const Layout& layout) {
  GenerationWriter writer(dir, std::max(1u, layout.shard_count), /*fresh=*/true);
  writer.documents_per_run_ = std::max<std::size_t>(1, layout.documents_per_run);
  const std::size_t lanes = writer.shard_count_ > 1 ? writer.shard_count_ : std::max(1u, layout.lanes);
  fs::create_directories(dir);
  writer.runs_.resize(lanes);
  writer.in_current_run_.assign(lanes, 0);
  for (std::size_t lane = 0; lane < lanes; ++lane) {
    writer.runs_[lane].push_back(writer.run_path(lane, 0));
    writer.databases_.emplace_back(writer.runs_[lane].back().string(), Xapian::DB_CREATE | kWorkingDatabaseFlags);
  }
  return writer;
}

GenerationWriter GenerationWriter::open(const fs::path& dir, unsigned shard_count) {
  GenerationWriter writer(dir, shard_count, /*fresh=*/false);
  for (unsigned shard = 0; shard < shard_count; ++shard) {
    writer.runs_.push_back({shard_count > 1 ? dir / shard_dir_name(shard) : dir});
    writer.databases_.emplace_back(writer.runs_.back().back().string(), Xapian::DB_OPEN | kWorkingDatabaseFlags);
  }
  return writer;
}

fs::path GenerationWriter::run_path(std::size_t lane, std::size_t run) const {
  return dir_ / ("lane-" + std::to_string(lane) + "-run-" + std::to_string(run));
}

fs::path GenerationWriter::output_path(const fs::path& generation, unsigned output) const {
  return shard_count_ > 1 ? generation / shard_dir_name(output) : generation;
}

std::size_t GenerationWriter::lane_of(const std::string& id) {
  if (shard_count_ > 1) return shard_of(id, shard_count_);
  return next_lane_++ % runs_.size();
}

void GenerationWriter::write(WriteLanes& lanes, const std::string& id, Xapian::Document document) {
  if (!fresh_) {
    lanes.replace(shard_of(id, shard_count_), prefix::kId + id, std::move(document));
    return;
  }
  const std::size_t lane = lane_of(id);
  if (in_current_run_[lane] == documents_per_run_) {
    runs_[lane].push_back(run_path(lane, runs_[lane].size()));
    lanes.start_database(lane, runs_[lane].back().string(), Xapian::DB_CREATE | kWorkingDatabaseFlags);
    in_current_run_[lane] = 0;
  }
  lanes.add(lane, std::move(document));
  ++in_current_run_[lane];
}

void GenerationWriter::remove(WriteLanes& lanes, const std::string& id) {
  lanes.remove(shard_of(id, shard_count_), prefix::kId + id);
}

std::map<std::string, std::string> GenerationWriter::read_ids(Xapian::valueno slot) const {
  std::map<std::string, std::string> ids;
  const std::string id_prefix = prefix::kId;
  for (const auto& db : databases_) {
    for (auto term = db.allterms_begin(id_prefix); term != db.allterms_end(id_prefix); ++term) {
      const auto posting = db.postlist_begin(*term);
      if (posting == db.postlist_end(*term)) continue;
      ids[(*term).substr(id_prefix.size())] = db.get_document(*posting).get_value(slot);
    }
  }
  return ids;
}

// Every shard carries all metadata: a remote reader may talk to any one of them first.
// (Runs get it in their last database; the merge keeps it.)
std::string GenerationWriter::metadata(const std::string& key) const { return databases_.front().get_metadata(key); }

void GenerationWriter::set_metadata(const std::string& key, const std::string& value) {
  for (auto& db : databases_) db.set_metadata(key, value);
}

void GenerationWriter::commit_and_close() {
  for (std::size_t lane = 0; lane < databases_.size() && shard_count_ > 1; ++lane) {
    databases_[lane].set_metadata(kShardKey, std::to_string(lane) + "/" + std::to_string(shard_count_));
  }
  for (auto& db : databases_) db.commit();
  close();
}

void GenerationWriter::close() {
  for (auto& db : databases_) db.close();
}

// Xapian's B-trees leave their blocks partly empty while documents are added; compacting
// the finished generation packs them (postlists shrink by ~45%, a whole index by ~13%,
// so less disk and more of it in the page cache) before anyone reads it.
void GenerationWriter::compact_into(const fs::path& compacted) const {
  if (shard_count_ > 1) {
    fs::create_directories(compacted);
    write_stub(compacted, shard_count_);
  }
  for (unsigned output = 0; output < shard_count_; ++output) {
    Xapian::Database sources;
    std::size_t source_count = 0;
    for (std::size_t lane = 0; lane < runs_.size(); ++lane) {
      if (output_of_lane(lane) != output) continue;
      for (const auto& run : runs_[lane]) {
        sources.add_database(Xapian::Database(run.string()));
        ++source_count;
      }
    }
    // One source keeps its document ids (an update); runs are renumbered one after the
    // other. Multipass merges many runs in rounds, which Xapian documents as faster.
    const unsigned flags = source_count == 1 ? Xapian::DBCOMPACT_NO_RENUMBER : Xapian::DBCOMPACT_MULTIPASS;
    sources.compact(output_path(compacted, output).string(), flags);
  }
}

}  // namespace rights::detail
