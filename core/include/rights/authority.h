// Authority files: the canonical actors (people, organisations) and ministries, with
// every alias (spelling variants, Khmer-script forms). Used by the indexer to find them in
// text and by the query side to resolve what a user typed to the canonical id.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "rights/text_analysis.h"

namespace rights {

enum class EntityKind { Actor, Ministry };

struct AuthorityEntry {
  std::string id;       ///< canonical id, e.g. "koeut-rith", "interior"
  std::string name;     ///< canonical display name
  EntityKind kind = EntityKind::Actor;
  std::string actor_kind;  ///< actors: "person" | "organisation"
  std::string role;        ///< actors: free text
  std::string ministry;    ///< actors: ministry id or ""
  std::vector<std::string> aliases;  ///< as written in the authority file
};

/// An entity occurrence in a text.
struct EntityMention {
  const AuthorityEntry* entry;
  std::size_t begin, end;  ///< byte range in the analysed text
};

/// Immutable after loading, hence safe to share between threads.
class Authority {
 public:
  Authority() = default;
  /// Loads actors.json and ministries.json from `dir` (corpus/authority). A missing dir
  /// yields an empty authority; malformed JSON throws std::runtime_error naming the file.
  static std::shared_ptr<const Authority> load(const std::filesystem::path& dir);
  /// Builds from entries directly (tests).
  static std::shared_ptr<const Authority> from_entries(std::vector<AuthorityEntry> entries);
  /// Every entry as one JSON text (the fields of actors.json and ministries.json), which
  /// from_json reads back: an index stores the authority it was built with, so that a
  /// server names and resolves actors as that index's documents were tagged.
  std::string to_json() const;
  /// Throws std::runtime_error for malformed JSON or entries.
  static std::shared_ptr<const Authority> from_json(std::string_view json);

  /// Every mention of a known name or alias in `tokens` (longest match wins, no overlaps).
  std::vector<EntityMention> find_mentions(const std::vector<Token>& tokens) const;

  /// Resolves what a user typed (id, canonical name or any alias, any case/normalisation)
  /// to the entry of `kind`, or nullptr. `analyzer` is the caller's (not thread-safe).
  const AuthorityEntry* resolve(EntityKind kind, std::string_view user_text,
                                TextAnalyzer& analyzer) const;
  const AuthorityEntry* find_by_id(EntityKind kind, std::string_view id) const;
  const std::vector<AuthorityEntry>& entries() const { return entries_; }

 private:
  void build_index();

  std::vector<AuthorityEntry> entries_;
  // Kind + normalised token sequence of each id/name/alias -> entry index (see
  // alias_key()).
  std::map<std::string, std::size_t> alias_to_entry_;
  // Kind + first word of an alias -> the word counts of the aliases starting with it,
  // longest first: find_mentions tries only those, so a word that starts no alias costs
  // one hash lookup (this was a quarter of indexing time).
  std::unordered_map<std::string, std::vector<std::size_t>> alias_lengths_by_first_word_;
};

}  // namespace rights
