#include "rights/authority.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <stdexcept>

namespace rights {

namespace {

char kind_tag(EntityKind kind) { return kind == EntityKind::Actor ? 'A' : 'M'; }

// The lookup key of a token run: the kind, then the normalised words joined by a
// separator that never occurs inside a term.
std::string alias_key(EntityKind kind, const std::vector<Token>& tokens, std::size_t first,
                      std::size_t last) {
  std::string key(1, kind_tag(kind));
  for (std::size_t i = first; i < last; ++i) {
    key += '\x1f';
    key += tokens[i].term;
  }
  return key;
}

nlohmann::json read_json(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read authority file " + file.string());
  try {
    return nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error("malformed authority file " + file.string() + ": " + e.what());
  }
}

std::vector<std::string> string_list(const nlohmann::json& value) {
  std::vector<std::string> out;
  if (value.is_array()) {
    for (const auto& item : value) {
      if (item.is_string()) out.push_back(item.get<std::string>());
    }
  }
  return out;
}

std::string string_or_empty(const nlohmann::json& object, const char* key) {
  const auto found = object.find(key);
  return (found != object.end() && found->is_string()) ? found->get<std::string>() : "";
}

// The entries of `json`'s `list_key` array; `source` names where the JSON came from.
void read_entries(const nlohmann::json& json, const char* list_key, EntityKind kind, const std::string& source,
                  std::vector<AuthorityEntry>& out) {
  const auto list = json.find(list_key);
  if (list == json.end() || !list->is_array()) {
    throw std::runtime_error(source + " has no \"" + list_key + "\" array");
  }
  for (const auto& item : *list) {
    AuthorityEntry entry;
    entry.kind = kind;
    entry.id = string_or_empty(item, "id");
    entry.name = string_or_empty(item, "name");
    if (entry.id.empty() || entry.name.empty()) {
      throw std::runtime_error(source + ": an entry lacks id or name");
    }
    entry.actor_kind = string_or_empty(item, "kind");
    entry.role = string_or_empty(item, "role");
    entry.ministry = string_or_empty(item, "ministry");
    entry.aliases = string_list(item.value("aliases", nlohmann::json::array()));
    out.push_back(std::move(entry));
  }
}

void load_entries(const std::filesystem::path& file, const char* list_key, EntityKind kind,
                  std::vector<AuthorityEntry>& out) {
  if (!std::filesystem::exists(file)) return;
  read_entries(read_json(file), list_key, kind, "authority file " + file.string(), out);
}

nlohmann::json entry_to_json(const AuthorityEntry& entry) {
  nlohmann::json json = {{"id", entry.id}, {"name", entry.name}, {"aliases", entry.aliases}};
  if (!entry.actor_kind.empty()) json["kind"] = entry.actor_kind;
  if (!entry.role.empty()) json["role"] = entry.role;
  if (!entry.ministry.empty()) json["ministry"] = entry.ministry;
  return json;
}

}  // namespace

std::shared_ptr<const Authority> Authority::load(const std::filesystem::path& dir) {
  std::vector<AuthorityEntry> entries;
  load_entries(dir / "actors.json", "actors", EntityKind::Actor, entries);
  load_entries(dir / "ministries.json", "ministries", EntityKind::Ministry, entries);
  return from_entries(std::move(entries));
}

std::string Authority::to_json() const {
  nlohmann::json json = {{"actors", nlohmann::json::array()}, {"ministries", nlohmann::json::array()}};
  for (const auto& entry : entries_) {
    json[entry.kind == EntityKind::Actor ? "actors" : "ministries"].push_back(entry_to_json(entry));
  }
  return json.dump();
}

std::shared_ptr<const Authority> Authority::from_json(std::string_view text) {
  nlohmann::json json;
  try {
    json = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error(std::string("malformed authority stored in the index: ") + e.what());
  }
  std::vector<AuthorityEntry> entries;
  read_entries(json, "actors", EntityKind::Actor, "the authority stored in the index", entries);
  read_entries(json, "ministries", EntityKind::Ministry, "the authority stored in the index", entries);
  return from_entries(std::move(entries));
}

std::shared_ptr<const Authority> Authority::from_entries(std::vector<AuthorityEntry> entries) {
  auto authority = std::make_shared<Authority>();
  authority->entries_ = std::move(entries);
  authority->build_index();
  return authority;
}

void Authority::build_index() {
  TextAnalyzer analyzer;
  for (std::size_t index = 0; index < entries_.size(); ++index) {
    const auto& entry = entries_[index];
    std::vector<std::string> names = entry.aliases;
    names.push_back(entry.name);
    // Ids are resolved by find_by_id only: an id such as "interior" is also an ordinary
    // word and must not be found in running text.
    for (const auto& name : names) {
      const auto tokens = analyzer.tokenize(name);
      if (tokens.empty()) continue;
      const auto key = alias_key(entry.kind, tokens, 0, tokens.size());
      const auto [it, inserted] = alias_to_entry_.emplace(key, index);
      if (!inserted && it->second != index) {
        // An alias shared by two entries cannot be resolved; keep the first and say so,
        // because a silent wrong attribution is worse than a missed one.
        std::cerr << "authority: alias \"" << name << "\" of " << entry.id
                  << " already names " << entries_[it->second].id << "; ignored\n";
      }
      auto& lengths = alias_lengths_by_first_word_[std::string(1, kind_tag(entry.kind)) + tokens.front().term];
      if (std::find(lengths.begin(), lengths.end(), tokens.size()) == lengths.end()) {
        lengths.push_back(tokens.size());
        std::sort(lengths.rbegin(), lengths.rend());
      }
    }
  }
}

std::vector<EntityMention> Authority::find_mentions(const std::vector<Token>& tokens) const {
  std::vector<EntityMention> mentions;
  std::string first_word_key;
  for (const EntityKind kind : {EntityKind::Actor, EntityKind::Ministry}) {
    std::size_t i = 0;
    while (i < tokens.size()) {
      std::size_t matched_length = 0;
      first_word_key.assign(1, kind_tag(kind));
      first_word_key += tokens[i].term;
      const auto candidates = alias_lengths_by_first_word_.find(first_word_key);
      if (candidates == alias_lengths_by_first_word_.end()) {
        ++i;
        continue;
      }
      for (const std::size_t length : candidates->second) {  // longest first
        if (length > tokens.size() - i) continue;
        const auto found = alias_to_entry_.find(alias_key(kind, tokens, i, i + length));
        if (found != alias_to_entry_.end()) {
          mentions.push_back({&entries_[found->second], tokens[i].begin, tokens[i + length - 1].end});
          matched_length = length;
          break;
        }
      }
      i += matched_length > 0 ? matched_length : 1;
    }
  }
  return mentions;
}

const AuthorityEntry* Authority::resolve(EntityKind kind, std::string_view user_text,
                                         TextAnalyzer& analyzer) const {
  if (const auto* by_id = find_by_id(kind, user_text)) return by_id;
  const auto tokens = analyzer.tokenize(user_text);
  if (tokens.empty()) return nullptr;
  const auto found = alias_to_entry_.find(alias_key(kind, tokens, 0, tokens.size()));
  return found == alias_to_entry_.end() ? nullptr : &entries_[found->second];
}

const AuthorityEntry* Authority::find_by_id(EntityKind kind, std::string_view id) const {
  for (const auto& entry : entries_) {
    if (entry.kind == kind && entry.id == id) return &entry;
  }
  return nullptr;
}

}  // namespace rights
