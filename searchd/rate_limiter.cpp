#include "rate_limiter.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace searchd {

namespace {

// How often admit() sweeps out idle buckets: rarely enough to cost nothing per request.
constexpr auto kCleanupInterval = std::chrono::seconds(10);
// Shared by new clients once max_clients are tracked; no address can look like this.
constexpr const char* kOverflowClient = "(overflow)";

}  // namespace

RateLimiter::RateLimiter(double rate, double burst, Now now, std::size_t max_clients)
    : rate_(rate),
      burst_(burst),
      now_(std::move(now)),
      max_clients_(max_clients),
      idle_after_(std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(burst / rate))),
      last_cleanup_(now_()) {
  if (!(rate > 0) || !(burst >= 1) || max_clients == 0) {
    throw std::invalid_argument("RateLimiter needs rate > 0, burst >= 1 and max_clients >= 1");
  }
}

RateLimiter::Decision RateLimiter::admit(const std::string& client) {
  const Clock::time_point now = now_();
  std::lock_guard<std::mutex> lock(mutex_);
  if (now - last_cleanup_ >= kCleanupInterval) forget_idle_clients(now);
  auto found = buckets_.find(client);
  if (found == buckets_.end()) {
    if (buckets_.size() >= max_clients_) forget_idle_clients(now);
    const std::string key = buckets_.size() >= max_clients_ ? std::string(kOverflowClient) : client;
    found = buckets_.emplace(key, Bucket{burst_, now}).first;
  }
  Bucket& bucket = found->second;
  const double elapsed = std::chrono::duration<double>(now - bucket.updated).count();
  bucket.tokens = std::min(burst_, bucket.tokens + std::max(0.0, elapsed) * rate_);
  bucket.updated = now;
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return {true, std::chrono::seconds(0)};
  }
  const double wait = (1 - bucket.tokens) / rate_;
  return {false, std::chrono::seconds(std::max<long long>(1, static_cast<long long>(std::ceil(wait))))};
}

std::size_t RateLimiter::tracked_clients() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return buckets_.size();
}

void RateLimiter::forget_idle_clients(Clock::time_point now) {
  last_cleanup_ = now;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    it = now - it->second.updated >= idle_after_ ? buckets_.erase(it) : std::next(it);
  }
}

std::string RateLimiter::client_key(const std::string& remote_address) {
  in6_addr address{};
  if (remote_address.find(':') == std::string::npos ||
      inet_pton(AF_INET6, remote_address.c_str(), &address) != 1) {
    return remote_address;  // IPv4 (or not an address at all): as it is
  }
  if (IN6_IS_ADDR_V4MAPPED(&address)) {  // "::ffff:192.0.2.1" is the IPv4 client 192.0.2.1
    char text[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, &address.s6_addr[12], text, sizeof text);
    return text;
  }
  static const char* const kHex = "0123456789abcdef";
  std::string network;
  for (std::size_t i = 0; i < 8; ++i) {
    if (i > 0 && i % 2 == 0) network += ':';
    network += kHex[address.s6_addr[i] >> 4];
    network += kHex[address.s6_addr[i] & 0x0F];
  }
  return network + "::/64";
}

}  // namespace searchd
