#include "rights/index_builder.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <xapian.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <sstream>
#include <thread>
#include <unordered_map>

#include "rights/analysis.h"
#include "rights/corpus.h"
#include "rights/document_builder.h"
#include "rights/extract.h"
#include "rights/schema.h"
#include "generation_writer.h"
#include "write_lanes.h"

namespace fs = std::filesystem;

namespace rights {

namespace {

constexpr const char* kGenerationsSuffix = ".generations";
constexpr const char* kPartialSuffix = ".partial";
// Files analysed ahead of the writer: bounds memory while keeping both cores busy.
constexpr std::size_t kAnalysisWindow = 64;
// A write lane flushes its batch after documents_per_run / kRunDocumentsPerFlush
// documents, within [kMinDocumentsPerLaneFlush, kMaxDocumentsPerLaneFlush] (the maximum
// for `update`, which writes into a whole index). Xapian's default (10,000 per database)
// makes the in-memory inverter big and slow to update (its per-term maps of document ids
// are walked for every posting): on the 10k generated corpus, 1,000 per lane took the
// build from 14.3 to 9.2 s and peak RSS from 275 to 86 MB. Below that, the best batch
// grows with the database a flush merges into (interleaved builds; this machine varies
// by 5-20%): runs of 10,000, at 10k two lanes at 300 each 8.7 s vs 500 9.5 s (medians of
// four), at 100k 300 each 91 / 93 s vs 500 94 / 98 s, one lane 250-500 alike and 1,000
// slower; runs of 20,834, as at 1M, 500 93 / 91 s vs 300 110 / 95 s and 650 95 / 102 s
// (and a whole 1M build with 300 took 1,164 s against 1,070 s with 500).
constexpr std::size_t kRunDocumentsPerFlush = 32;
constexpr std::size_t kMinDocumentsPerLaneFlush = 300;
constexpr std::size_t kMaxDocumentsPerLaneFlush = 500;
// Those counts were tuned on documents of ~2 kB of data (text and metadata); a batch of
// longer documents flushes once it holds as much data as that many of them. On UDHR
// (532 pages of ~13 kB of text, so a lane's whole share in one batch) by hand,
// interleaved, 3-4 rounds each: 300 documents 1.52 s, 30 1.42 s, 60 1.45 s, 120 1.47 s.
constexpr std::size_t kDataBytesPerFlushDocument = 2048;
// Documents per run of a write lane (see GenerationWriter), unless that would make more
// than kMaxRuns runs in all: the final merge opens them all at once (~5 files each).
constexpr std::size_t kDocumentsPerRun = 10000;
constexpr std::size_t kMaxRuns = 48;

using detail::fsync_path;
using detail::GenerationWriter;
using detail::shard_dir_name;

// A build without --shards keeps the layout of the index it replaces: servers of its
// shards (xapian-tcpsrv, deploy/README.md) read shard-0 ... shard-(N-1) of each new
// generation, and a nightly rebuild must not quietly turn them into one database.
unsigned shard_count_to_keep(const fs::path& index_path) {
  std::error_code error;
  const fs::path current = fs::canonical(index_path, error);
  if (error) return 1;  // no index yet, or its generation is gone: nothing to keep
  try {
    return generation_shard_count(current);
  } catch (const BuildError& e) {
    throw BuildError(std::string(e.what()) + "; give --shards N to build the index afresh with N shards (1: one database)");
  }
}

std::uintmax_t bytes_under(const fs::path& dir) {
  std::uintmax_t bytes = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) bytes += entry.file_size();
  }
  return bytes;
}

// An update starts from a copy of the served generation. libstdc++ reports a copy that
// ran out of space as "Input/output error" (its sendfile path turns ENOSPC into EIO),
// which sends an operator to check the hardware: say what is short.
void copy_generation(const fs::path& current, const fs::path& copy) {
  try {
    fs::copy(current, copy, fs::copy_options::recursive);
  } catch (const fs::filesystem_error& e) {
    std::error_code error;
    const std::uintmax_t needed = bytes_under(current);
    const fs::space_info space = fs::space(copy.parent_path(), error);
    if (error || e.code() != std::errc::io_error || space.available >= needed) throw;
    throw fs::filesystem_error("cannot copy the served generation (" + std::to_string(needed / 1024) + " kB)",
                               current, copy, std::make_error_code(std::errc::no_space_on_device));
  }
}

fs::path generations_dir(const fs::path& index_path) {
  return index_path.parent_path() / (index_path.filename().string() + kGenerationsSuffix);
}

// Holds an exclusive flock on INDEX_PATH.lock for the lifetime of the object, so two
// indexers can never write generations of the same index at once.
class IndexLock {
 public:
  explicit IndexLock(const fs::path& index_path) {
    const auto lock_path = index_path.string() + ".lock";
    fd_ = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) throw BuildError("cannot create lock file " + lock_path + " (" + std::strerror(errno) + ")");
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      ::close(fd_);
      throw BuildError("another indexer is working on " + index_path.string() + " (" + lock_path + " is locked)");
    }
  }
  ~IndexLock() { ::close(fd_); }  // closing releases the lock
  IndexLock(const IndexLock&) = delete;
  IndexLock& operator=(const IndexLock&) = delete;

 private:
  int fd_ = -1;
};

std::string utc_timestamp(const char* format) {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, format, &parts);
  return buffer;
}

void check_index_path(const fs::path& index_path) {
  if (index_path.empty()) throw BuildError("no index path given");
  const auto status = fs::symlink_status(index_path);
  if (fs::exists(status) && !fs::is_symlink(status)) {
    throw BuildError(index_path.string() + " exists and is not an index symlink made by indexer; "
                     "move it away or choose another --index path");
  }
  const fs::path directory = index_path.parent_path().empty() ? fs::path(".") : index_path.parent_path();
  if (!fs::is_directory(directory)) {
    throw BuildError("directory " + directory.string() + " does not exist");
  }
  // The symlink is switched there at the very end: say so now, not after the whole build.
  if (::access(directory.c_str(), W_OK) != 0) {
    throw BuildError("cannot write in " + directory.string() + " (" + std::strerror(errno) +
                     "), where the index symlink and its generations live");
  }
}

bool is_partial(const std::string& name) {
  const std::string suffix = kPartialSuffix;
  return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), std::string::npos, suffix) == 0;
}

// A generation name never used before in `generations`, sortable by creation time:
// gen-<UTC second>, then -1, -2... within the same second, always after the highest suffix
// of that second on disk. Never a gap that a removed generation left: searchd keys its
// caches by generation name and revision (1 in every fresh database), so a build and three
// updates within one second must not bring back the name of the one removed meanwhile.
std::string new_generation_name(const fs::path& generations) {
  const std::string base = "gen-" + utc_timestamp("%Y%m%dT%H%M%SZ");
  long highest_suffix = -1;  // -1: no generation of this second; 0: `base` itself
  for (const auto& entry : fs::directory_iterator(generations)) {
    std::string name = entry.path().filename().string();
    if (is_partial(name)) name.erase(name.size() - std::string_view(kPartialSuffix).size());
    if (name.compare(0, base.size(), base) != 0) continue;
    if (name.size() == base.size()) {
      highest_suffix = std::max(highest_suffix, 0L);
    } else if (name[base.size()] == '-' && name.size() > base.size() + 1 &&
               name.find_first_not_of("0123456789", base.size() + 1) == std::string::npos &&
               name.size() - base.size() - 1 < 9) {
      highest_suffix = std::max(highest_suffix, std::stol(name.substr(base.size() + 1)));
    }
  }
  return highest_suffix < 0 ? base : base + "-" + std::to_string(highest_suffix + 1);
}

// Removes generations left half-built by a killed run (we hold the lock, so no one is
// writing them).
void remove_partial_generations(const fs::path& generations) {
  for (const auto& entry : fs::directory_iterator(generations)) {
    if (is_partial(entry.path().filename().string())) fs::remove_all(entry.path());
  }
}

// Removes every generation but `keep`: after a switch, the new one and the one served
// before it, which stays for readers that were mid-request when the symlink switched.
// Named explicitly, not guessed from names: a generation left by a failed switch was never
// served, and "gen-…-10" sorts before "gen-…-9".
void prune_generations(const fs::path& generations, const std::set<std::string>& keep) {
  for (const auto& entry : fs::directory_iterator(generations)) {
    if (keep.count(entry.path().filename().string()) == 0) fs::remove_all(entry.path());
  }
}

// Documents in the generation INDEX_PATH serves; 0 if it cannot be opened (the build
// that follows replaces it anyway).
Xapian::doccount served_documents(const fs::path& index_path) {
  try {
    return Xapian::Database(index_path.string()).get_doccount();
  } catch (const Xapian::Error&) {
    return 0;
  }
}

// After a failed build: removes what it wrote, except what INDEX_PATH points at (the
// switch may have happened before the failure, e.g. in the fsync after it).
void discard_unserved(const fs::path& index_path, const std::vector<fs::path>& written) {
  std::error_code error;
  const fs::path served = fs::canonical(index_path, error);
  for (const auto& path : written) {
    std::error_code ignored;  // best effort: the next run removes leftovers too
    if (error || fs::canonical(path, ignored) != served) fs::remove_all(path, ignored);
  }
}

// Points INDEX_PATH at `generation` with one rename(2): atomic for every reader.
void switch_symlink(const fs::path& index_path, const std::string& generation) {
  const fs::path target = fs::path(index_path.filename().string() + kGenerationsSuffix) / generation;
  const fs::path temporary = index_path.string() + ".switch-" + std::to_string(::getpid());
  fs::remove(temporary);
  fs::create_symlink(target, temporary);
  fs::rename(temporary, index_path);
  fsync_path(index_path.parent_path().empty() ? fs::path(".") : index_path.parent_path());
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ExtractionError("cannot open file (permission denied or vanished)");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw ExtractionError("read error");
  return buffer.str();
}

std::string authority_fingerprint(const fs::path& corpus_dir) {
  std::string combined;
  for (const char* name : {"authority/actors.json", "authority/ministries.json"}) {
    const auto path = corpus_dir / name;
    if (fs::exists(path)) combined += fnv1a_hex(read_file(path));
  }
  return combined;
}

// What an analysis worker hands the writer for one file.
struct AnalysedFile {
  std::optional<Xapian::Document> document;  // absent when failed or unchanged
  std::string id;
  std::string primary_language;
  std::optional<std::string> failure;
  bool unchanged = false;
};

struct ExistingDocument {
  std::string content_hash;
};

// Runs analysis on `threads` workers and hands results to `consume` in corpus order on
// the calling thread, which keeps the books (duplicate ids, progress) and hands documents
// to the write lanes in that order.
template <typename Consume>
void run_pipeline(const std::vector<CorpusFile>& files, const Manifest& manifest,
                  const Authority& authority, const std::string& authority_print,
                  const std::map<std::string, ExistingDocument>& existing, unsigned threads,
                  Consume&& consume) {
  // A ring of kAnalysisWindow slots, not one per file: file i is claimed only once file
  // i - kAnalysisWindow has been written, so slot i % kAnalysisWindow is free by then
  // (and memory stays flat at a million files).
  std::vector<std::optional<AnalysedFile>> results(std::min(files.size(), kAnalysisWindow));
  const auto slot = [&results](std::size_t index) -> std::optional<AnalysedFile>& {
    return results[index % results.size()];
  };
  std::mutex mutex;
  std::condition_variable changed;
  std::size_t next_to_claim = 0;
  std::size_t next_to_write = 0;
  bool stopping = false;

  const auto analyse_one = [&](const CorpusFile& file, TextAnalyzer& analyzer) {
    AnalysedFile out;
    const ManifestEntry* entry = manifest.find(file.relative_path);
    out.id = entry && !entry->id.empty() ? entry->id : default_document_id(file.relative_path);
    try {
      // Before the content-hash check: an entry that an older indexer accepted unchanged
      // must not pass as unchanged now.
      if (entry && !entry->error.empty()) throw ExtractionError("manifest.json entry: " + entry->error);
      const std::string bytes = read_file(file.full_path);
      // Besides the bytes and the manifest entry, the document depends on the authority
      // files and on the file's path, which is stored and picks the format: a.txt renamed
      // a.html (same id, same bytes) must be parsed again as HTML and found at its new path.
      const std::string context_print = authority_print + '\0' + file.relative_path;
      const auto existing_doc = existing.find(out.id);
      if (existing_doc != existing.end() &&
          existing_doc->second.content_hash ==
              content_hash(bytes, entry ? entry->fingerprint : "", context_print)) {
        out.unchanged = true;
        return out;
      }
      DocumentWords words;
      DocumentRecord record = analyse_file(file, bytes, entry, authority, context_print, analyzer, words);
      out.primary_language = record.languages.empty() ? "" : record.languages.front();
      out.document = build_xapian_document(record, words, analyzer);
    } catch (const ExtractionError& e) {
      out.failure = e.what();
    } catch (const std::exception& e) {  // ICU/Xapian/JSON trouble with this one file
      out.failure = std::string("cannot analyse: ") + e.what();
    }
    return out;
  };

  const auto worker = [&]() {
    TextAnalyzer analyzer;
    for (;;) {
      std::size_t index;
      {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] {
          return stopping || next_to_claim >= files.size() || next_to_claim < next_to_write + kAnalysisWindow;
        });
        if (stopping || next_to_claim >= files.size()) return;
        index = next_to_claim++;
      }
      AnalysedFile analysed = analyse_one(files[index], analyzer);
      {
        std::lock_guard<std::mutex> lock(mutex);
        slot(index) = std::move(analysed);
      }
      changed.notify_all();
    }
  };

  std::vector<std::thread> workers;
  for (unsigned i = 0; i < threads; ++i) workers.emplace_back(worker);
  try {
    for (std::size_t index = 0; index < files.size(); ++index) {
      AnalysedFile ready;
      {
        std::unique_lock<std::mutex> lock(mutex);
        changed.wait(lock, [&] { return slot(index).has_value(); });
        ready = std::move(*slot(index));
        slot(index).reset();
        next_to_write = index + 1;
      }
      changed.notify_all();
      consume(files[index], std::move(ready));
    }
  } catch (...) {
    {
      std::lock_guard<std::mutex> lock(mutex);
      stopping = true;
    }
    changed.notify_all();
    for (auto& thread : workers) thread.join();
    throw;
  }
  for (auto& thread : workers) thread.join();
}


// True if `path` is one of `paths` or under one of them that ends in '/' (a directory).
bool is_covered(const std::string& path, const std::vector<std::string>& paths) {
  return std::any_of(paths.begin(), paths.end(), [&](const std::string& covering) {
    return covering == path || (!covering.empty() && covering.back() == '/' && path.rfind(covering, 0) == 0);
  });
}

// Ids of the documents that `db` holds for `paths` (a path ending in '/' stands for
// everything under that directory), found by their path terms.
std::set<std::string> ids_at_paths(const Xapian::Database& db, const std::vector<std::string>& paths) {
  std::set<std::string> ids;
  const std::string id_prefix = prefix::kId;
  for (const auto& path : paths) {
    const std::string term = path_term(path);
    const bool directory = !path.empty() && path.back() == '/';
    for (auto found = db.allterms_begin(term); found != db.allterms_end(term); ++found) {
      if (!directory && *found != term) continue;  // "a.txt" is not "a.txt.bak"
      for (auto doc = db.postlist_begin(*found); doc != db.postlist_end(*found); ++doc) {
        auto terms = db.termlist_begin(*doc);
        terms.skip_to(id_prefix);
        if (terms != db.termlist_end(*doc) && (*terms).rfind(id_prefix, 0) == 0) {
          ids.insert((*terms).substr(id_prefix.size()));
        }
      }
    }
  }
  return ids;
}

std::set<std::string> split_words(const std::string& text) {
  std::set<std::string> words;
  std::istringstream in(text);
  for (std::string word; in >> word;) words.insert(word);
  return words;
}

enum class Mode { Build, Update };

BuildReport build_or_update(const fs::path& corpus_dir, const fs::path& index_path_as_given,
                            const BuildOptions& options, Mode mode) {
  const auto started = std::chrono::steady_clock::now();
  // "idx/" (shell completion adds the slash) names the symlink itself, not the directory
  // it points at.
  std::string trimmed = index_path_as_given.string();
  while (trimmed.size() > 1 && trimmed.back() == '/') trimmed.pop_back();
  const fs::path index_path(trimmed);
  check_index_path(index_path);
  if (options.shards > kMaxShards) {
    throw BuildError("--shards must be 1.." + std::to_string(kMaxShards) + ", not " + std::to_string(options.shards));
  }
  IndexLock lock(index_path);

  const Manifest manifest = [&] {
    try {
      return load_manifest(corpus_dir);
    } catch (const std::runtime_error& e) {
      throw BuildError(e.what());
    }
  }();
  std::shared_ptr<const Authority> authority;
  CorpusListing listing;
  try {
    authority = Authority::load(corpus_dir / "authority");
    listing = scan_corpus(corpus_dir, manifest);
  } catch (const std::runtime_error& e) {
    throw BuildError(e.what());
  }
  const std::string authority_print = authority_fingerprint(corpus_dir);
  if (listing.supported.empty() && listing.failures.empty() && !options.allow_empty && fs::exists(index_path)) {
    const Xapian::doccount served = served_documents(index_path);
    if (served > 0) {
      throw BuildError(corpus_dir.string() + " holds no documents to index (an unmounted or emptied "
                       "directory?); the index keeps its " + std::to_string(served) +
                       " documents. To replace them by an empty index, pass --allow-empty.");
    }
  }

  BuildReport report;
  report.files_seen = listing.supported.size();
  report.skipped_unsupported = listing.unsupported;
  report.skipped_links = listing.links;
  report.skipped_special = listing.special;
  const auto fail = [&](const std::string& path, const std::string& reason) {
    report.failures.push_back({path, reason});
    if (options.on_failure) options.on_failure(report.failures.back());
  };
  // Files (and directories, ending in '/') that failed: an update keeps their indexed
  // versions, as a file that could not be read or analysed has not been deleted.
  std::vector<std::string> kept_paths;
  for (const auto& failure : listing.failures) {
    fail(failure.path, failure.reason);
    kept_paths.push_back(failure.path);
  }
  // A manifest entry without its file is a document the user expects and would not get.
  // Names are compared as the manifest's keys are (manifest_path_key: NFC).
  std::set<std::string> listed_keys;
  if (!manifest.by_path.empty()) {
    for (const auto& file : listing.supported) listed_keys.insert(manifest_path_key(file.relative_path));
  }
  for (const auto& listed : manifest.by_path) {
    if (listed_keys.count(listed.first)) continue;
    const std::string& path = listed.second.path;  // a plain reference: lambdas may capture it (C++17)
    if (is_covered(path, kept_paths)) continue;  // its directory or link failed above
    const auto link = std::find_if(listing.links.begin(), listing.links.end(),
                                   [&](const SkippedLink& skipped) { return skipped.path == path; });
    // A hidden name is one scan_corpus skips ("./a.txt" is a mistyped path, not a hidden file).
    const fs::path as_path(path);
    const bool hidden = std::any_of(as_path.begin(), as_path.end(), [](const fs::path& part) {
      const std::string name = part.string();
      return name.size() > 1 && name.front() == '.' && name != "..";
    });
    fail(path, link != listing.links.end()
                   ? "listed in manifest.json but a symbolic link (to " + link->target +
                         "), which is not followed; list its target instead"
               : hidden ? "listed in manifest.json but hidden (a name starting with '.'), which is never indexed"
                        : "listed in manifest.json but missing or unsupported");
  }

  const fs::path generations = generations_dir(index_path);
  fs::create_directories(generations);
  remove_partial_generations(generations);
  const std::string served_before = fs::exists(index_path) ? current_generation(index_path).filename().string() : "";
  const std::string generation = new_generation_name(generations);
  // Documents are written to `raw`, which is then compacted into `partial`, which is
  // renamed to the generation. Both names end in kPartialSuffix, so whatever a crash
  // leaves behind is removed by the next run and never read.
  const fs::path raw = generations / (generation + ".raw" + kPartialSuffix);
  const fs::path partial = generations / (generation + kPartialSuffix);

  try {
    std::map<std::string, ExistingDocument> existing;
    std::optional<Xapian::Database> previous;  // update: the generation being updated, as it was
    std::set<std::string> stem_languages;
    std::optional<GenerationWriter> db;
    std::size_t flush_every = kMaxDocumentsPerLaneFlush;
    const unsigned threads = options.analysis_threads > 0
                                 ? options.analysis_threads
                                 : std::max(1u, std::thread::hardware_concurrency());
    if (mode == Mode::Update && fs::exists(index_path)) {
      const fs::path current = current_generation(index_path);
      previous.emplace(current.string());
      check_schema(*previous, index_path.string());
      const unsigned shard_count = generation_shard_count(current);
      if (options.shards != 0 && options.shards != shard_count) {
        throw BuildError("the index at " + index_path.string() + " has " + std::to_string(shard_count) +
                         " shard(s), not " + std::to_string(options.shards) +
                         "; update keeps the count (run `indexer build --shards " +
                         std::to_string(options.shards) + "` to change it)");
      }
      copy_generation(current, raw);
      db = GenerationWriter::open(raw, shard_count);
      for (auto& [id, hash] : db->read_ids(slot_number(Slot::ContentHash))) existing[id] = {std::move(hash)};
      stem_languages = split_words(db->metadata(kStemLanguagesKey));
    } else {
      GenerationWriter::Layout layout;
      layout.shard_count = options.shards > 0 ? options.shards : shard_count_to_keep(index_path);
      if (options.write_lanes > kMaxWriteLanes) {
        throw BuildError("--write-lanes must be 1.." + std::to_string(kMaxWriteLanes) + ", not " +
                         std::to_string(options.write_lanes));
      }
      layout.lanes = options.write_lanes > 0 ? options.write_lanes : threads;
      layout.documents_per_run = options.documents_per_run > 0
                                     ? options.documents_per_run
                                     : std::max(kDocumentsPerRun, listing.supported.size() / kMaxRuns + 1);
      flush_every = std::clamp(layout.documents_per_run / kRunDocumentsPerFlush, kMinDocumentsPerLaneFlush,
                               kMaxDocumentsPerLaneFlush);
      db = GenerationWriter::create(raw, layout);
    }
    // Declared after `db`, so unwinding stops the lane threads before the databases close.
    detail::WriteLanes lanes(db->databases(), {flush_every, flush_every * kDataBytesPerFlushDocument});

    BuildProgress progress;
    progress.files_total = listing.supported.size();
    for (const auto& file : listing.supported) progress.bytes_total += file.size;
    // Document id -> the file that has it (index into listing.supported), to refuse
    // duplicates; an index rather than the path keeps a million ids affordable.
    std::unordered_map<std::string, std::size_t> file_of_id;
    file_of_id.reserve(listing.supported.size());

    run_pipeline(listing.supported, manifest, *authority, authority_print, existing, threads,
                 [&](const CorpusFile& file, AnalysedFile analysed) {
                   progress.files_done++;
                   progress.bytes_done += file.size;
                   report.bytes_read += file.size;
                   const auto file_index = static_cast<std::size_t>(&file - listing.supported.data());
                   // Only a document that is indexed (or kept unchanged) claims its id: a
                   // file that failed must not push out a good one with the same id.
                   const auto claim = [&] { return file_of_id.emplace(analysed.id, file_index); };
                   if (analysed.failure) {
                     fail(file.relative_path, *analysed.failure);
                     kept_paths.push_back(file.relative_path);
                   } else if (const auto [it, fresh] = claim(); !fresh) {
                     fail(file.relative_path, "duplicate document id \"" + analysed.id + "\" (already used by " +
                                                  listing.supported[it->second].relative_path + ")");
                     kept_paths.push_back(file.relative_path);
                   } else if (analysed.unchanged) {
                     report.documents_unchanged++;
                   } else {
                     db->write(lanes, analysed.id, std::move(*analysed.document));
                     if (TextAnalyzer::has_stemmer(analysed.primary_language)) {
                       stem_languages.insert(analysed.primary_language);
                     }
                     report.documents_indexed++;
                   }
                   if (options.on_progress) options.on_progress(progress);
                 });

    const std::set<std::string> kept_ids = previous ? ids_at_paths(*previous, kept_paths) : std::set<std::string>{};
    for (const auto& [id, document] : existing) {
      if (!file_of_id.count(id) && !kept_ids.count(id)) {
        db->remove(lanes, id);
        report.documents_removed++;
      }
    }
    lanes.finish();
    // The listing check above catches an empty directory; this one a corpus none of whose
    // files could be indexed (a sync that left 0-byte files, a wrong path holding one odd
    // file, unreadable directories). An update would keep the failed files' old versions
    // but delete the documents of every missing file; either way the run read nothing
    // usable, and the served documents must not give way to fewer.
    // A first build too: an empty index served (healthz 200, every search 0 hits) hides a
    // wrong path or a manifest mistake until someone notices.
    if (report.documents_indexed + report.documents_unchanged == 0 && !options.allow_empty) {
      db->close();
      fs::remove_all(raw);
      const std::string found = "no document of " + corpus_dir.string() + " could be indexed (" +
                                std::to_string(report.failures.size()) + " failed); ";
      if (const Xapian::doccount served = served_documents(index_path); served > 0) {
        throw BuildError(found + "the index keeps its " + std::to_string(served) +
                         " documents. To replace them, pass --allow-empty.");
      }
      throw BuildError(found + "no index written. To write an empty one, pass --allow-empty.");
    }
    // An empty value removes the key: a generation without authority files carries none.
    const std::string authority_json = authority->entries().empty() ? std::string() : authority->to_json();
    // An index written before generations carried their authority gets it from the next
    // update, even one that changes no document.
    const bool authority_changed = previous && previous->get_metadata(kAuthorityKey) != authority_json;
    if (mode == Mode::Update && report.documents_indexed == 0 && report.documents_removed == 0 && !authority_changed) {
      // Nothing changed: keep serving the current generation rather than switching to an
      // identical copy (searchd would reopen for nothing).
      db->close();
      fs::remove_all(raw);
      report.generation = current_generation(index_path).filename().string();
      report.shards = db->shard_count();
      report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      return report;
    }
    std::string languages;
    for (const auto& language : stem_languages) languages += (languages.empty() ? "" : " ") + language;
    db->set_metadata(kStemLanguagesKey, languages);
    // Without authority files the key is absent (also when an update copied one from the
    // generation before), and searchd's --authority (if any) is used.
    db->set_metadata(kAuthorityKey, authority_json);
    db->set_metadata(kSchemaVersionKey, std::to_string(kSchemaVersion));
    db->set_metadata(kBuildTimeKey, utc_timestamp("%Y-%m-%dT%H:%M:%SZ"));
    db->set_metadata(kGenerationKey, generation);
    report.shards = db->shard_count();
    db->commit_and_close();
    db->compact_into(partial);
    fs::remove_all(raw);

    fs::rename(partial, generations / generation);
    fsync_path(generations);
    switch_symlink(index_path, generation);
  } catch (const Xapian::Error& e) {
    discard_unserved(index_path, {raw, partial, generations / generation});
    throw BuildError("index write failed, previous index left as it was: " + e.get_description());
  } catch (const fs::filesystem_error& e) {
    discard_unserved(index_path, {raw, partial, generations / generation});
    throw BuildError(std::string("index write failed, previous index left as it was: ") + e.what());
  }
  prune_generations(generations, {generation, served_before});
  report.generation = generation;
  report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return report;
}

}  // namespace

fs::path current_generation(const fs::path& index_path) {
  std::error_code error;
  const fs::path resolved = fs::canonical(index_path, error);
  if (error) throw BuildError("no index at " + index_path.string() + ": " + error.message());
  return resolved;
}

unsigned shard_of(std::string_view id, unsigned shard_count) {
  if (shard_count <= 1) return 0;
  return static_cast<unsigned>(fnv1a_64(id) % shard_count);
}

unsigned generation_shard_count(const fs::path& generation_dir) {
  if (!fs::exists(generation_dir / kStubFileName)) return 1;
  // Shard 0's "0/N" is the authority; the stub is only how Xapian finds the shards.
  try {
    const std::string shard = Xapian::Database((generation_dir / shard_dir_name(0)).string()).get_metadata(kShardKey);
    const auto slash = shard.find('/');
    if (slash != std::string::npos) {
      const unsigned long count = std::stoul(shard.substr(slash + 1));
      if (count >= 1 && count <= kMaxShards) return static_cast<unsigned>(count);
    }
  } catch (const Xapian::Error&) {
    // reported below
  } catch (const std::logic_error&) {  // stoul: not a number
  }
  throw BuildError(generation_dir.string() + " has a " + kStubFileName +
                   " stub but no readable shard count in " + shard_dir_name(0) + "; rebuild it");
}

BuildReport build_index(const fs::path& corpus_dir, const fs::path& index_path,
                        const BuildOptions& options) {
  return build_or_update(corpus_dir, index_path, options, Mode::Build);
}

BuildReport update_index(const fs::path& corpus_dir, const fs::path& index_path,
                         const BuildOptions& options) {
  return build_or_update(corpus_dir, index_path, options, Mode::Update);
}

}  // namespace rights
