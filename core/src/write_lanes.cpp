#include "write_lanes.h"

#include <utility>

namespace rights::detail {

WriteLanes::WriteLanes(std::vector<Xapian::WritableDatabase>& databases, FlushPolicy flush)
    : databases_(databases), flush_(flush), lanes_(databases.size()) {
  try {
    for (std::size_t lane = 0; lane < lanes_.size(); ++lane) {
      lanes_[lane].thread = std::thread([this, lane] { run(lane); });
    }
  } catch (...) {
    stop_and_join(false);
    throw;
  }
}

WriteLanes::~WriteLanes() { stop_and_join(false); }

void WriteLanes::add(std::size_t lane, Xapian::Document document) {
  submit(lane, {Kind::Add, {}, std::move(document)});
}

void WriteLanes::replace(std::size_t lane, std::string unique_term, Xapian::Document document) {
  submit(lane, {Kind::Replace, std::move(unique_term), std::move(document)});
}

void WriteLanes::remove(std::size_t lane, std::string unique_term) {
  submit(lane, {Kind::Remove, std::move(unique_term), {}});
}

void WriteLanes::start_database(std::size_t lane, std::string path, int flags) {
  submit(lane, {Kind::StartDatabase, std::move(path), {}, flags});
}

void WriteLanes::submit(std::size_t lane, Op op) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [&] { return error_ || lanes_[lane].queue.size() < kQueueDepth; });
  rethrow_if_failed();
  // Moved in under the lock: Xapian::Document's reference count is not atomic, so the
  // lane thread must be the only owner from here on.
  lanes_[lane].queue.push_back(std::move(op));
  changed_.notify_all();
}

void WriteLanes::run(std::size_t lane) {
  Xapian::WritableDatabase& db = databases_[lane];
  std::size_t unflushed = 0;
  std::size_t unflushed_bytes = 0;
  for (;;) {
    Op op;
    bool drained = false;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [&] { return error_ || closing_ || !lanes_[lane].queue.empty(); });
      if (error_ || abandoned_) return;  // some lane failed, or the build is being undone
      if (lanes_[lane].queue.empty()) {
        drained = true;  // closing, and all written
      } else {
        op = std::move(lanes_[lane].queue.front());
        lanes_[lane].queue.pop_front();
        changed_.notify_all();
      }
    }
    try {
      if (drained) {
        db.commit();  // the last batch: flushed here, in parallel with the other lanes
        return;
      }
      switch (op.kind) {
        case Kind::Add:
          if (flush_.data_bytes > 0) unflushed_bytes += op.document.get_data().size();
          db.add_document(op.document);
          break;
        case Kind::Replace:
          if (flush_.data_bytes > 0) unflushed_bytes += op.document.get_data().size();
          db.replace_document(op.term_or_path, op.document);
          break;
        case Kind::Remove: db.delete_document(op.term_or_path); break;
        case Kind::StartDatabase:
          db.commit();
          db.close();
          db = Xapian::WritableDatabase(op.term_or_path, op.flags);
          unflushed = 0;
          unflushed_bytes = 0;
          continue;
      }
      ++unflushed;
      if ((flush_.documents > 0 && unflushed >= flush_.documents) ||
          (flush_.data_bytes > 0 && unflushed_bytes >= flush_.data_bytes)) {
        db.commit();
        unflushed = 0;
        unflushed_bytes = 0;
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!error_) error_ = std::current_exception();
      changed_.notify_all();
      return;
    }
  }
}

void WriteLanes::rethrow_if_failed() {
  if (error_) std::rethrow_exception(error_);
}

void WriteLanes::stop_and_join(bool drain) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
    if (!drain) abandoned_ = true;
  }
  changed_.notify_all();
  for (auto& lane : lanes_) {
    if (lane.thread.joinable()) lane.thread.join();
  }
}

void WriteLanes::finish() {
  stop_and_join(true);
  std::lock_guard<std::mutex> lock(mutex_);
  rethrow_if_failed();
}

}  // namespace rights::detail
