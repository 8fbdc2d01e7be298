// Opening and reopening the databases behind a Searcher: local generations (one database,
// shards joined by a XAPIANDB stub, or a replica kept by xapian-replicate) and remote
// shards served by xapian-tcpsrv. Internal to rights_core.
#pragma once

#include <xapian.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "rights/index_location.h"
#include "rights/search.h"

namespace rights::detail {

struct OpenIndex {
  /// Local: the resolved generation directory. Remote: generation name(s) and addresses.
  std::string generation;
  /// The generation's name alone (local: the directory's name; remote: the shards'
  /// rights.generation names), for unauthenticated endpoints that must not reveal paths
  /// or addresses.
  std::string generation_name;
  /// Local: the text of the XAPIANDB stub(s) found at open, and which version file each
  /// database had. xapian-replicate switches a replica to a new copy by rewriting its
  /// stub, and a database copied in under a served path replaces its version file; neither
  /// is followed by Database::reopen().
  std::string database_fingerprint;
  Xapian::Database db;  ///< every shard as one database
  /// Remote: each shard on its own (sharing db's connections), in IndexLocation order.
  std::vector<Xapian::Database> remote_shards;
  /// Remote: each shard's rights.generation, same order; a change means a new index.
  std::vector<std::string> shard_generations;
  std::vector<std::string> stem_languages;
  /// The authority stored in the generation (kAuthorityKey), null if it has none; and its
  /// JSON, so that a reopen parses it again only when it changed.
  std::shared_ptr<const Authority> authority;
  std::string authority_json;
  std::optional<std::uint64_t> distinct_words_all, distinct_words_visible;  ///< stats cache
};

/// Opens `location` and checks it (reload_index_facts). Throws IndexUnavailable, or
/// ShardUnavailable naming every remote shard that cannot be reached.
OpenIndex open_index(const IndexLocation& location);

/// Reads what the index says about itself (schema version of every shard, the shard set,
/// stem languages, generation) into `index` and drops its caches; for after
/// Database::reopen(). Throws IndexUnavailable when the index is not usable.
void reload_index_facts(const IndexLocation& location, OpenIndex& index);

/// True if the local index now is another database than `index` holds (INDEX_PATH
/// resolves elsewhere, a stub was rewritten, or a database's version file replaced): it
/// must be opened afresh, not reopened.
/// False when INDEX_PATH cannot be resolved now (keep serving what is open).
bool local_index_replaced(const IndexLocation& location, const OpenIndex& index);

/// The ShardUnavailable for a network error during a request, naming the shard in the
/// error's context (Xapian says "remote:tcp(host:port)").
ShardUnavailable shard_failure(const IndexLocation& location, const Xapian::Error& error);

}  // namespace rights::detail
