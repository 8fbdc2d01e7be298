#include "index_failures.h"

#include <iterator>

namespace searchd {

bool IndexFailures::record_failure(const std::string& generation, const std::string& reason, Clock::time_point now) {
  std::lock_guard<std::mutex> lock(mutex_);
  latest_ = Failure{generation, reason, now};
  any_failure_ = true;
  // Reasons may differ per block read ("Expected block 7 ..."): each is said, none is
  // repeated within `memory`, and those not seen for that long are forgotten.
  for (auto it = logged_.begin(); it != logged_.end();) {
    it = now - it->second >= memory_ ? logged_.erase(it) : std::next(it);
  }
  return logged_.emplace(reason, now).second;
}

void IndexFailures::record_success() {
  if (!any_failure_.load(std::memory_order_relaxed)) return;
  std::lock_guard<std::mutex> lock(mutex_);
  latest_.reset();
  any_failure_ = false;
}

std::optional<std::string> IndexFailures::failing(const std::string& generation, Clock::time_point now) const {
  std::lock_guard<std::mutex> lock(mutex_);
  if (!latest_ || latest_->generation != generation || now - latest_->when > memory_) return std::nullopt;
  return latest_->reason;
}

}  // namespace searchd
