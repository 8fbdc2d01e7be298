#include "index_source.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "rights/index_builder.h"
#include "rights/schema.h"

namespace rights::detail {

namespace {

namespace fs = std::filesystem;

constexpr const char* kGlassVersionFile = "iamglass";

std::set<std::string> split_words(const std::string& text) {
  std::set<std::string> words;
  std::istringstream in(text);
  for (std::string word; in >> word;) words.insert(word);
  return words;
}

std::string read_small_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Which file `path` is: device, inode, size and modification time. A file rewritten or
// renamed over (rsync) changes it.
std::string file_identity(const fs::path& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) return "missing";
  return std::to_string(status.st_dev) + ':' + std::to_string(status.st_ino) + ':' + std::to_string(status.st_size) +
         ':' + std::to_string(status.st_mtim.tv_sec) + '.' + std::to_string(status.st_mtim.tv_nsec);
}

// What the databases of `dir` are: the stub and the stubs of the databases it lists (a
// sharded replica is a stub of shards, each a stub kept by xapian-replicate), and the
// version file (iamglass) of each database: any rewrite changes the fingerprint. The
// indexer never commits to a generation after writing it, so a new version file means
// another database under the same path (copied in by an operator, or a generation name
// that came back after a rollback), which Database::reopen() would mix with the old one:
// with the same revision, glass keeps the old tables open under the new statistics.
std::string database_fingerprint(const fs::path& dir) {
  const fs::path stub = dir / kStubFileName;
  if (!fs::exists(stub)) return file_identity(dir / kGlassVersionFile);
  const std::string text = read_small_file(stub);
  std::string fingerprint = text;
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.empty() || line[0] == '#') continue;
    // "auto shard-0", "glass replica_1": the last word is a path relative to the stub.
    const auto space = line.find_last_of(" \t");
    const fs::path listed = dir / line.substr(space == std::string::npos ? 0 : space + 1);
    if (fs::exists(listed / kStubFileName)) {
      fingerprint += '\n' + listed.string() + '\n' + read_small_file(listed / kStubFileName);
    } else {
      fingerprint += '\n' + listed.string() + '\n' + file_identity(listed / kGlassVersionFile);
    }
  }
  return fingerprint;
}

// Every shard must appear exactly once, or the counts would be silently wrong: a shard
// listed twice counts its documents twice, a missing one drops them.
void check_shard_set(const IndexLocation& location, const std::vector<std::string>& shard_keys) {
  const std::size_t listed = location.remote_shards.size();
  std::set<unsigned long> seen;
  for (std::size_t i = 0; i < listed; ++i) {
    const std::string name = location.remote_shards[i].name();
    const std::string& key = shard_keys[i];
    if (key.empty()) {
      if (listed == 1) return;  // one remote serving a whole, unsharded index
      throw IndexUnavailable("remote " + name + " serves a whole index, not one of " +
                             std::to_string(listed) + " shards; list either that one or every shard");
    }
    unsigned long number = 0, count = 0;
    const auto slash = key.find('/');
    try {
      number = std::stoul(key.substr(0, slash));
      count = std::stoul(key.substr(slash + 1));
    } catch (const std::logic_error&) {
      throw IndexUnavailable("remote shard " + name + " has an unreadable shard number \"" + key + "\"");
    }
    if (count != listed) {
      throw IndexUnavailable("remote " + name + " serves shard " + std::to_string(number) + " of " +
                             std::to_string(count) + ", but " + std::to_string(listed) +
                             " remote shard(s) were given; list every shard exactly once");
    }
    if (!seen.insert(number).second) {
      throw IndexUnavailable("shard " + std::to_string(number) + " of " + std::to_string(count) +
                             " is listed twice (again as " + name + "); its documents would count twice");
    }
  }
}

OpenIndex open_local(const IndexLocation& location) {
  std::error_code error;
  const auto resolved = fs::canonical(location.index_path, error);
  if (error) {
    throw IndexUnavailable("no index at " + location.index_path + " (" + error.message() +
                           "); build one with `indexer build`");
  }
  OpenIndex index;
  index.generation = resolved.string();
  index.generation_name = resolved.filename().string();
  index.database_fingerprint = database_fingerprint(resolved);
  try {
    // Opened through the resolved directory, so a concurrent switch of the symlink can
    // never mix two generations in one Database.
    index.db = Xapian::Database(index.generation);
  } catch (const Xapian::Error& e) {
    throw IndexUnavailable("cannot open the index at " + location.index_path + ": " + e.get_description());
  }
  reload_index_facts(location, index);
  return index;
}

OpenIndex open_remote(const IndexLocation& location) {
  OpenIndex index;
  std::vector<std::string> unreachable;
  std::string reasons;
  for (const auto& shard : location.remote_shards) {
    try {
      index.remote_shards.push_back(Xapian::Remote::open(
          shard.host, shard.port, static_cast<unsigned>(location.remote_timeout.count()),
          static_cast<unsigned>(location.remote_connect_timeout.count())));
    } catch (const Xapian::NetworkError& e) {
      // Keep trying the others, so the message names every shard that is down.
      unreachable.push_back(shard.name());
      reasons += (reasons.empty() ? "" : "; ") + shard.name() + ": " + e.get_msg() +
                 (e.get_error_string() ? std::string(" (") + e.get_error_string() + ")" : "");
    } catch (const Xapian::Error& e) {
      throw IndexUnavailable("remote shard " + shard.name() + " cannot be opened: " + e.get_description());
    }
  }
  if (!unreachable.empty()) {
    throw ShardUnavailable(unreachable, std::string(unreachable.size() == 1 ? "shard " : "shards ") +
                                            "unavailable: " + reasons +
                                            " (not answering from the other shards)");
  }
  for (const auto& shard : index.remote_shards) index.db.add_database(shard);
  reload_index_facts(location, index);
  return index;
}

}  // namespace

OpenIndex open_index(const IndexLocation& location) {
  return location.is_remote() ? open_remote(location) : open_local(location);
}

void reload_index_facts(const IndexLocation& location, OpenIndex& index) {
  std::set<std::string> stem_languages, generations;
  std::string authority_json;
  try {
    if (!location.is_remote()) {
      check_schema(index.db, location.index_path);
      // A stub's metadata is its first shard's; every shard holds the same values.
      stem_languages = split_words(index.db.get_metadata(kStemLanguagesKey));
      authority_json = index.db.get_metadata(kAuthorityKey);
    } else {
      std::vector<std::string> shard_keys, shard_generations;
      for (std::size_t i = 0; i < index.remote_shards.size(); ++i) {
        const Xapian::Database& shard = index.remote_shards[i];
        check_schema(shard, "remote shard " + location.remote_shards[i].name());
        shard_keys.push_back(shard.get_metadata(kShardKey));
        for (const auto& language : split_words(shard.get_metadata(kStemLanguagesKey))) {
          stem_languages.insert(language);
        }
        shard_generations.push_back(shard.get_metadata(kGenerationKey));
        generations.insert(shard_generations.back());
      }
      // Shards built together carry the same authority; during a rolling rebuild, the
      // first shard's (the newest and the oldest answer alike for every unchanged entry).
      if (!index.remote_shards.empty()) authority_json = index.remote_shards.front().get_metadata(kAuthorityKey);
      index.shard_generations = shard_generations;
      check_shard_set(location, shard_keys);
      // Shards are rebuilt and restarted one by one, so they may briefly differ; each
      // document is still in exactly one shard (placement depends only on its id).
      std::string names;
      for (const auto& generation : generations) names += (names.empty() ? "" : "+") + generation;
      index.generation = names + " (" + location.describe() + ")";
      index.generation_name = names;
    }
  } catch (const SchemaMismatch& e) {
    throw IndexUnavailable(e.what());
  } catch (const Xapian::NetworkError& e) {
    throw shard_failure(location, e);
  } catch (const Xapian::Error& e) {
    throw IndexUnavailable("cannot read the index at " + location.describe() + ": " + e.get_description());
  }
  index.stem_languages.assign(stem_languages.begin(), stem_languages.end());
  if (authority_json.empty()) {
    index.authority.reset();
  } else if (authority_json != index.authority_json || !index.authority) {
    try {
      index.authority = Authority::from_json(authority_json);
    } catch (const std::runtime_error& e) {
      throw IndexUnavailable("cannot read the index at " + location.describe() + ": " + e.what());
    }
  }
  index.authority_json = std::move(authority_json);
  index.distinct_words_all.reset();
  index.distinct_words_visible.reset();
}

}  // namespace rights::detail

namespace rights {

bool index_has_stored_authority(const IndexLocation& location) {
  try {
    return detail::open_index(location).authority != nullptr;
  } catch (const IndexUnavailable&) {  // ShardUnavailable too
    return false;
  }
}

}  // namespace rights

namespace rights::detail {

bool local_index_replaced(const IndexLocation& location, const OpenIndex& index) {
  std::error_code error;
  const auto resolved = fs::canonical(location.index_path, error);
  if (error) return false;
  return resolved.string() != index.generation || database_fingerprint(resolved) != index.database_fingerprint;
}

ShardUnavailable shard_failure(const IndexLocation& location, const Xapian::Error& error) {
  // Xapian names the connection as "remote:tcp(HOST:PORT)".
  const std::string& context = error.get_context();
  const std::string open = "remote:tcp(";
  std::vector<std::string> shards;
  if (context.size() > open.size() && context.compare(0, open.size(), open) == 0 && context.back() == ')') {
    shards.push_back(context.substr(open.size(), context.size() - open.size() - 1));
  }
  const std::string which = shards.empty() ? "a shard of " + location.describe() : "shard " + shards.front();
  return ShardUnavailable(shards, which + " stopped answering: " + error.get_msg() +
                                      (error.get_error_string() ? std::string(" (") + error.get_error_string() + ")" : "") +
                                      " (not answering from the other shards)");
}

}  // namespace rights::detail
