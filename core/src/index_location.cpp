#include "rights/index_location.h"

#include <algorithm>
#include <stdexcept>

namespace rights {

std::string RemoteShard::name() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  return (ipv6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

RemoteShard parse_remote_shard(const std::string& text) {
  const auto bad = [&text](const std::string& why) {
    return std::invalid_argument("remote shard \"" + text + "\" " + why + " (expected HOST:PORT)");
  };
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) throw bad("has no host and port");
  std::string host = text.substr(0, colon);
  const std::string port_text = text.substr(colon + 1);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string::npos) {
    throw bad("is ambiguous: write an IPv6 address in brackets");
  }
  if (host.empty()) throw bad("has an empty host");
  if (port_text.empty() || port_text.size() > 5 ||
      !std::all_of(port_text.begin(), port_text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    throw bad("has no numeric port");
  }
  const int port = std::stoi(port_text);
  if (port < 1 || port > 65535) throw bad("has a port outside 1..65535");
  return RemoteShard{host, static_cast<std::uint16_t>(port)};
}

std::string IndexLocation::describe() const {
  if (!is_remote()) return index_path;
  std::string names;
  for (const auto& shard : remote_shards) names += (names.empty() ? "" : ", ") + shard.name();
  return "remote shards " + names;
}

}  // namespace rights
