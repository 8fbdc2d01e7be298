// Writes to several Xapian databases at once, one thread per database. Internal to
// rights_core (index_builder.cpp).
//
// Why: a Xapian WritableDatabase takes one writer, and its inverter (above all the
// position lists) costs more CPU per document than all of our analysis, so a single
// writer thread kept the indexer at ~1.2x omindex on two cores. Documents of a fresh
// build are spread over lanes (shards, or parts merged by the final compaction) that
// fill in parallel.
#pragma once

#include <xapian.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace rights::detail {

class WriteLanes {
 public:
  /// When a lane commits its batch: after `documents` writes or once the documents it
  /// added carry `data_bytes` of document data, whichever comes first (0: no limit; both
  /// 0 leaves it to Xapian). Why bytes too: the inverter's cost grows with the words in
  /// a batch, and a batch of long reports holds many times the words of a batch of
  /// letters; a count alone left a whole UDHR build (532 pages of ~13 kB) in one batch,
  /// flushed after the last document instead of alongside the analysis.
  struct FlushPolicy {
    std::size_t documents = 0;
    std::size_t data_bytes = 0;
  };

  /// One thread per database of `databases`, which must outlive this object and not be
  /// touched by anyone else until finish() returns (or this object is destroyed).
  WriteLanes(std::vector<Xapian::WritableDatabase>& databases, FlushPolicy flush);
  /// Stops and joins the threads; queued work is dropped and errors swallowed, because
  /// this only runs without finish() when the build is already failing and being undone.
  ~WriteLanes();
  WriteLanes(const WriteLanes&) = delete;
  WriteLanes& operator=(const WriteLanes&) = delete;

  std::size_t size() const { return lanes_.size(); }

  /// Queue work for lane `lane` (blocks while that lane is kQueueDepth behind). Rethrows
  /// the error of a lane that has failed, so a full disk stops the build early.
  void add(std::size_t lane, Xapian::Document document);
  void replace(std::size_t lane, std::string unique_term, Xapian::Document document);
  void remove(std::size_t lane, std::string unique_term);
  /// The lane commits and closes its database and goes on in a new one at `path`.
  void start_database(std::size_t lane, std::string path, int flags);

  /// Waits until every lane has written its queue and committed, joins the threads and
  /// rethrows the first error any lane met. The databases are then free for the caller's
  /// thread.
  void finish();

 private:
  enum class Kind { Add, Replace, Remove, StartDatabase };
  struct Op {
    Kind kind;
    std::string term_or_path;
    Xapian::Document document;
    int flags = 0;
  };
  struct Lane {
    std::deque<Op> queue;
    std::thread thread;
  };
  // Enough to ride out a slow flush in one lane without holding many documents.
  static constexpr std::size_t kQueueDepth = 32;

  void submit(std::size_t lane, Op op);
  void run(std::size_t lane);
  // drain: write what is queued first (finish), or drop it (destructor).
  void stop_and_join(bool drain);
  void rethrow_if_failed();  // caller holds mutex_

  std::vector<Xapian::WritableDatabase>& databases_;
  const FlushPolicy flush_;
  std::vector<Lane> lanes_;
  std::mutex mutex_;
  std::condition_variable changed_;
  bool closing_ = false;
  bool abandoned_ = false;
  std::exception_ptr error_;
};

}  // namespace rights::detail
