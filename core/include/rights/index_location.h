// Where a Searcher reads its index: a local INDEX_PATH (a plain or sharded generation, or
// a xapian-replicate replica), or shards served by xapian-tcpsrv on other machines.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace rights {

/// One shard database served by `xapian-tcpsrv --port PORT` on HOST.
struct RemoteShard {
  std::string host;
  std::uint16_t port = 0;

  /// "host:port" ("[::1]:port" for an IPv6 address), as operators write it.
  std::string name() const;
};

/// Parses "host:port" or "[ipv6]:port". Throws std::invalid_argument with a message that
/// names the text when it is not of that form or the port is not 1..65535.
RemoteShard parse_remote_shard(const std::string& text);

struct IndexLocation {
  /// A local index: INDEX_PATH (the indexer's symlink, a generation directory, a sharded
  /// generation with its XAPIANDB stub, or a replica directory kept by xapian-replicate).
  std::string index_path;
  /// Remote shards, opened together as one database; used when not empty (index_path is
  /// then ignored). Every shard of the index must be listed exactly once.
  std::vector<RemoteShard> remote_shards;
  /// Longest wait for one remote operation before its shard counts as unavailable.
  std::chrono::milliseconds remote_timeout{10000};
  /// Longest wait for a TCP connection to a shard.
  std::chrono::milliseconds remote_connect_timeout{2000};
  /// How often Searcher::refresh() opens fresh connections to look for a new generation
  /// behind the remote shards (and to notice a shard that went down).
  std::chrono::milliseconds remote_recheck_interval{5000};

  bool is_remote() const { return !remote_shards.empty(); }
  /// For messages: the index path, or "remote shards h1:p1, h2:p2".
  std::string describe() const;
};

}  // namespace rights
