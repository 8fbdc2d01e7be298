// rights::Searcher's lifecycle: opening the index, reopening it after failures, and taking
// up new generations and replica revisions (Searcher::refresh, NewGeneration).
#include <chrono>
#include <filesystem>
#include <memory>
#include <system_error>

#include "searcher_impl.h"

namespace rights {

namespace {

// Between attempts to reopen an index that failed (a shard down, a broken replica): a
// burst of requests must not each wait for connection attempts.
constexpr auto kReopenRetryInterval = std::chrono::seconds(1);

IndexLocation local_index(const std::string& index_path) {
  IndexLocation location;
  location.index_path = index_path;
  return location;
}

}  // namespace

Searcher::Searcher(const std::string& index_path, std::shared_ptr<const Authority> authority)
    : Searcher(local_index(index_path), std::move(authority)) {}
Searcher::Searcher(const IndexLocation& location, std::shared_ptr<const Authority> authority,
                   std::shared_ptr<SearchCaches> caches)
    : impl_(std::make_unique<Impl>(location, std::move(authority), std::move(caches))) {}
Searcher::~Searcher() = default;
Searcher::Searcher(Searcher&&) noexcept = default;
Searcher& Searcher::operator=(Searcher&&) noexcept = default;

const std::string& Searcher::generation() const { return impl_->index.generation; }
const std::string& Searcher::generation_name() const { return impl_->index.generation_name; }

bool Searcher::refresh(NewGeneration when) { return impl_->refresh(when); }

bool Searcher::warm() {
  return impl_->guarded([&] { return impl_->facet_columns(/*load=*/true) != nullptr; });
}

Searcher::FacetCounting Searcher::facet_counting() {
  return impl_->guarded([&] {
    if (!impl_->single_local_database()) return FacetCounting::spies;
    const bool loaded = impl_->caches->facet_columns.find(impl_->revision_key()) != nullptr;
    return loaded ? FacetCounting::columns : FacetCounting::columns_loading;
  });
}

void Searcher::throw_if_unusable() const {
  if (impl_->unusable) std::rethrow_exception(impl_->unusable);
}

// Opens the location afresh (new connections, the current generation or replica copy)
// and swaps it in. On failure keeps what is open, records why in `unusable` if that is
// already unusable, and returns false; tries at most once per kReopenRetryInterval.
bool Searcher::Impl::reopen_replacing() {
  const auto now = std::chrono::steady_clock::now();
  if (now < next_reopen_attempt) return false;
  next_reopen_attempt = now + kReopenRetryInterval;
  try {
    index = detail::open_index(location);
    unusable = nullptr;
    new_generation_seen.reset();
    return true;
  } catch (const IndexUnavailable&) {
    if (unusable) unusable = std::current_exception();
    return false;
  }
}

bool Searcher::Impl::refresh(NewGeneration when) {
  if (unusable) return reopen_replacing();
  if (location.is_remote()) return refresh_remote();
  if (detail::local_index_replaced(location, index)) {
    const bool wait = when == NewGeneration::when_warm && caches->facet_columns_warmed_elsewhere;
    return wait ? take_up_when_warm() : reopen_replacing();
  }
  new_generation_seen.reset();  // the symlink went back before the wait was over
  // Same database: a replica that xapian-replicate may have updated in place.
  bool moved_on = false;
  try {
    moved_on = index.db.reopen();
  } catch (const Xapian::Error&) {
    // Not moved: what is open still reads its revision. Try afresh, else keep serving it.
    next_reopen_attempt = {};
    return reopen_replacing();
  }
  if (!moved_on) return false;
  try {
    detail::reload_index_facts(location, index);
    return true;
  } catch (const IndexUnavailable&) {
    // The handles are on the new revision, which cannot be served (another schema):
    // answer 503 until a fresh open finds something usable.
    unusable = std::current_exception();
    next_reopen_attempt = {};
    return reopen_replacing();
  }
}

// Takes up the new generation behind INDEX_PATH once the warmer has loaded its facet
// columns. Switching at once would make every request of the next seconds count with
// Xapian's spies: at a million documents a query matching most of them takes ~2.3 s that
// way against ~0.2 s with the columns, and the warmer's load takes ~1.4 s. The open
// generation stays readable meanwhile (the indexer keeps the previous one); when it is
// gone anyway, or the warmer is late beyond the limit, the switch happens regardless.
bool Searcher::Impl::take_up_when_warm() {
  const auto now = std::chrono::steady_clock::now();
  if (!new_generation_seen) new_generation_seen = now;
  std::error_code error;
  const bool still_on_disk = std::filesystem::exists(index.generation, error);
  if (!still_on_disk || now - *new_generation_seen >= caches->longest_wait_for_warm_columns) {
    return reopen_replacing();
  }
  detail::OpenIndex fresh;
  try {
    fresh = detail::open_index(location);
  } catch (const IndexUnavailable&) {
    return false;  // as reopen_replacing(): keep serving what is open
  }
  const bool single_database = fresh.db.size() == 1;  // shards count with spies: nothing to wait for
  if (single_database && !caches->facet_columns.find(revision_key_of(fresh))) return false;
  index = std::move(fresh);
  new_generation_seen.reset();
  return true;
}

// Remote shards are never asked to Database::reopen(): xapian-tcpsrv re-reads the path it
// was given, and when that is the indexer's symlink, now at another generation, the
// server mixes the new generation's statistics with the old one's tables (seen: the new
// document count over the old documents). A fresh connection opens whatever the path
// holds now, consistently; it replaces the open one when a shard's generation changed.
// The probe doubles as a health check: a shard that refuses it makes this searcher
// answer 503 until it is back.
bool Searcher::Impl::refresh_remote() {
  const auto now = std::chrono::steady_clock::now();
  if (now < next_remote_check) return false;
  next_remote_check = now + location.remote_recheck_interval;
  try {
    detail::OpenIndex fresh = detail::open_index(location);
    if (fresh.shard_generations == index.shard_generations) return false;  // keeps the caches
    index = std::move(fresh);
    return true;
  } catch (const IndexUnavailable&) {
    unusable = std::current_exception();
    next_reopen_attempt = now + kReopenRetryInterval;
    return false;
  }
}

}  // namespace rights
