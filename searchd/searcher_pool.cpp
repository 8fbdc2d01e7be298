#include "searcher_pool.h"

#include <filesystem>
#include <iostream>
#include <utility>

#include "errors.h"

namespace searchd {

namespace {

rights::IndexLocation local_index(std::string index_path) {
  rights::IndexLocation location;
  location.index_path = std::move(index_path);
  return location;
}

}  // namespace

SearcherPool::SearcherPool(std::string index_path, std::shared_ptr<const rights::Authority> authority,
                           Clock::duration refresh_interval)
    : SearcherPool(local_index(std::move(index_path)), std::move(authority), refresh_interval) {}

SearcherPool::SearcherPool(rights::IndexLocation location, std::shared_ptr<const rights::Authority> authority,
                           Clock::duration refresh_interval, std::size_t count_cache_bytes)
    : location_(std::move(location)),
      authority_(std::move(authority)),
      refresh_interval_(refresh_interval),
      caches_(std::make_shared<rights::SearchCaches>(count_cache_bytes, /*columns_warmed_elsewhere=*/true)),
      warmer_([this] { warm_until_stopped(); }) {}

SearcherPool::~SearcherPool() {
  {
    std::lock_guard<std::mutex> lock(warmer_mutex_);
    stopping_ = true;
  }
  warmer_wakeup_.notify_all();
  warmer_.join();
}

void SearcherPool::warm_until_stopped() {
  if (location_.is_remote()) return;  // remote shards count with stock spies: nothing to load
  std::optional<rights::Searcher> searcher;
  std::string last_error;
  while (true) {
    try {
      if (searcher) {
        searcher->refresh(rights::Searcher::NewGeneration::at_once);
      } else {
        searcher.emplace(location_, authority_, caches_);
      }
      searcher->warm();
      last_error.clear();
    } catch (...) {
      // No index yet, a shard down, a generation removed under us: requests answer those
      // errors themselves (and count with spies meanwhile); the warmer tries again next
      // interval, from a fresh open. Said once per streak, not every second. Everything is
      // caught: an exception leaving this thread would end the process.
      searcher.reset();
      const ErrorReply reply = describe_exception(std::current_exception());
      const std::string error = reply.log_detail.empty() ? reply.message : reply.log_detail;
      if (error != last_error) std::cerr << "searchd: warming the facet columns failed: " << error << '\n';
      last_error = error;
    }
    std::unique_lock<std::mutex> lock(warmer_mutex_);
    if (warmer_wakeup_.wait_for(lock, refresh_interval_, [this] { return stopping_; })) return;
  }
}

SearcherPool::Lease::~Lease() {
  if (entry_) pool_->give_back(std::move(entry_));
}

SearcherPool::Lease SearcherPool::lease() {
  std::unique_ptr<Entry> entry = take_idle();
  if (!entry) return Lease(*this, open_entry());
  // Outside the lock: reopening a database takes a while and must not stall other leases.
  // If it throws, the entry is dropped and the next lease opens afresh.
  refresh_if_due(*entry);
  // A searcher whose remote shard went down (noticed by the refresh or an earlier
  // request) answers with that error, also to /healthz; it stays pooled to retry later.
  Lease lease(*this, std::move(entry));
  lease->throw_if_unusable();
  return lease;
}

std::unique_ptr<SearcherPool::Entry> SearcherPool::take_idle() {
  std::lock_guard<std::mutex> lock(mutex_);
  if (idle_.empty()) return nullptr;
  std::unique_ptr<Entry> entry = std::move(idle_.back());
  idle_.pop_back();
  return entry;
}

std::unique_ptr<SearcherPool::Entry> SearcherPool::open_entry() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (last_open_failure_ && Clock::now() - *last_open_failure_ < refresh_interval_) {
      std::rethrow_exception(last_open_failure_error_);
    }
  }
  try {
    // Entry is an aggregate, which std::make_unique cannot brace-initialise.
    std::unique_ptr<Entry> entry(new Entry{rights::Searcher(location_, authority_, caches_), Clock::now()});
    std::lock_guard<std::mutex> lock(mutex_);
    last_open_failure_.reset();
    last_open_failure_said_.clear();
    return entry;
  } catch (const rights::IndexUnavailable& e) {
    std::lock_guard<std::mutex> lock(mutex_);
    last_open_failure_ = Clock::now();
    last_open_failure_error_ = std::current_exception();
    // Searchers already open keep the generation they have, so requests may get a mix of
    // answers and 503s (after an older indexer wrote another schema behind INDEX_PATH, say):
    // said in the log, once per streak, and /readyz answers 503 (open_failure).
    if (last_open_failure_said_ != e.what()) {
      last_open_failure_said_ = e.what();
      std::cerr << "searchd: index unavailable: " << e.what()
                << " (searchers already open keep serving the generation they have; new ones get 503, "
                   "and /readyz answers 503, until it opens)\n";
    }
    throw;
  }
}

std::optional<std::string> SearcherPool::open_failure(const std::string& serving) {
  // Requests open a searcher only when every pooled one is busy, so a generation behind
  // INDEX_PATH that cannot open may go unnoticed until load rises: tried here.
  bool moved_on = false;
  if (!location_.is_remote()) {
    std::error_code error;
    const auto current = std::filesystem::canonical(location_.index_path, error);
    moved_on = !error && current.string() != serving;
  }
  const Clock::time_point now = Clock::now();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!last_open_failure_ && !moved_on) return std::nullopt;
    if (last_open_failure_ && now - *last_open_failure_ < refresh_interval_) return last_open_failure_said_;
    if (!last_open_failure_ && last_open_probe_ && now - *last_open_probe_ < refresh_interval_) return std::nullopt;
    last_open_probe_ = now;
  }
  // Due for a try: a searcher that opens joins the pool.
  try {
    give_back(open_entry());
    return std::nullopt;
  } catch (const rights::IndexUnavailable& e) {
    return std::string(e.what());
  }
}

void SearcherPool::refresh_if_due(Entry& entry) {
  const Clock::time_point now = Clock::now();
  if (now - entry.last_refresh < refresh_interval_) return;
  entry.last_refresh = now;
  entry.searcher.refresh();
}

void SearcherPool::give_back(std::unique_ptr<Entry> entry) {
  std::lock_guard<std::mutex> lock(mutex_);
  idle_.push_back(std::move(entry));
}

}  // namespace searchd
