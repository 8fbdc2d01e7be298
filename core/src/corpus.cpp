#include "rights/corpus.h"
#include "rights/language_id.h"

#include <nlohmann/json.hpp>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <system_error>

#include "rights/extract.h"
#include "rights/text_analysis.h"

namespace rights {

namespace fs = std::filesystem;

namespace {

constexpr const char* kManifestName = "manifest.json";
constexpr const char* kAuthorityDir = "authority/";

// The keys a manifest may have, each with where its value goes. A key that is not here
// is an error rather than ignored: a typo ("tittle") would otherwise silently lose the
// metadata the user wrote.
constexpr std::array<const char*, 3> kTopLevelKeys{"manifest_version", "exclude", "documents"};
struct TextField {
  const char* key;
  std::string ManifestEntry::*member;  // nullptr: checked, not indexed
};
constexpr std::array<TextField, 7> kTextFields{{{"id", &ManifestEntry::id},
                                                {"path", &ManifestEntry::path},
                                                {"title", &ManifestEntry::title},
                                                {"type", &ManifestEntry::type},
                                                {"source", &ManifestEntry::source},
                                                {"access", &ManifestEntry::access},
                                                {"date_evidence", nullptr}}};
struct ListField {
  const char* key;
  std::vector<std::string> ManifestEntry::*member;
};
constexpr std::array<ListField, 4> kListFields{{{"languages", &ManifestEntry::languages},
                                                {"authors", &ManifestEntry::authors},
                                                {"signatories", &ManifestEntry::signatories},
                                                {"addressees", &ManifestEntry::addressees}}};
constexpr const char* kDateKey = "date";  // string or null (= undated): not a TextField

template <typename Fields>
const typename Fields::value_type* find_field(const Fields& fields, const std::string& key) {
  const auto found = std::find_if(fields.begin(), fields.end(), [&](const auto& field) { return key == field.key; });
  return found == fields.end() ? nullptr : &*found;
}

// A key or value as JSON text (quoted, control characters escaped) for a message.
std::string as_json(const nlohmann::json& value) { return value.dump(); }

// A list of strings, or null for none; nullopt for anything else.
std::optional<std::vector<std::string>> string_list(const nlohmann::json& value) {
  std::vector<std::string> out;
  if (value.is_null()) return out;
  if (!value.is_array()) return std::nullopt;
  for (const auto& item : value) {
    if (!item.is_string()) return std::nullopt;
    out.push_back(item.get<std::string>());
  }
  return out;
}

// documents[index]. Only an entry that names no file is an error of the whole manifest;
// any other problem is the entry's (ManifestEntry::error), reported on its file, so one
// bad entry does not stop the rest of the corpus.
ManifestEntry read_entry(const nlohmann::json& item, std::size_t index) {
  const std::string where = "documents[" + std::to_string(index) + "]";
  if (!item.is_object()) throw std::runtime_error(where + " is not an object");
  const auto path = item.find("path");
  if (path == item.end() || !path->is_string() || path->get_ref<const std::string&>().empty()) {
    throw std::runtime_error(where + " has no \"path\" string");
  }
  ManifestEntry entry;
  std::vector<std::string> problems;
  for (const auto& field : item.items()) {
    const std::string& key = field.key();
    const nlohmann::json& value = field.value();
    if (key == kDateKey) {
      entry.date_given = true;
      if (value.is_string()) {
        entry.date = value.get<std::string>();
      } else if (!value.is_null()) {
        problems.push_back("\"date\" must be a string (YYYY, YYYY-MM or YYYY-MM-DD) or null, not " +
                           std::string(value.type_name()) + " " + as_json(value));
      }
    } else if (const auto* text = find_field(kTextFields, key)) {
      if (value.is_string()) {
        if (text->member) entry.*(text->member) = value.get<std::string>();
      } else if (!value.is_null()) {
        problems.push_back(as_json(key) + " must be a string, not " + value.type_name() + " " + as_json(value));
      }
    } else if (const auto* list = find_field(kListFields, key)) {
      if (auto values = string_list(value)) {
        entry.*(list->member) = std::move(*values);
      } else {
        problems.push_back(as_json(key) + " must be a list of strings, not " + as_json(value));
      }
    } else {
      problems.push_back("unknown key " + as_json(key));
    }
  }
  // Languages as the facet and the lang filter read them, as HTML lang is read: "pt-BR" is
  // "pt", "iw" is "he" (a filter on either finds the document); "und" stays undetermined.
  std::vector<std::string> languages;
  for (const auto& language : entry.languages) {
    std::string code = language == "und" ? language : primary_language_subtag(language);
    if (code.empty()) {
      problems.push_back("\"languages\": " + as_json(language) + " is not a language code (such as \"km\" or \"pt-BR\")");
    } else if (std::find(languages.begin(), languages.end(), code) == languages.end()) {
      languages.push_back(std::move(code));
    }
  }
  entry.languages = std::move(languages);
  // "" would otherwise mean "not stated" and silently give the path-derived id.
  if (const auto id = item.find("id"); id != item.end() && id->is_string() && entry.id.empty()) {
    problems.push_back("\"id\" is empty");
  }
  for (const auto& problem : problems) entry.error += (entry.error.empty() ? "" : "; ") + problem;
  entry.fingerprint = item.dump();
  return entry;
}

bool is_excluded(const std::string& relative, const std::vector<std::string>& exclude) {
  if (relative == kManifestName || relative.rfind(kAuthorityDir, 0) == 0) return true;
  return std::any_of(exclude.begin(), exclude.end(), [&](const std::string& pattern) {
    if (!pattern.empty() && pattern.back() == '/') return relative.rfind(pattern, 0) == 0;
    return relative == pattern;
  });
}

// Whole components, so /srv/corpus-old is not within /srv/corpus. Both canonical.
bool is_within(const fs::path& path, const fs::path& root) {
  auto part = path.begin();
  for (const auto& root_part : root) {
    if (part == path.end() || *part != root_part) return false;
    ++part;
  }
  return true;
}

// What scan_corpus walks: a directory and its path relative to the root ("" for the
// root itself, else ending in '/').
struct PendingDirectory {
  fs::path path;
  std::string relative;
};

// A symbolic link is never followed: its target, if inside the corpus, is listed where
// it is (so `ln -s a.txt b.txt` does not make a second document, or a duplicate id on
// every run); one to outside the corpus would publish a file the corpus owner never
// put there (`ln -s /etc/shadow`), so it is refused loudly rather than skipped.
void list_link(const fs::path& link, const std::string& relative, const fs::path& root, CorpusListing& listing) {
  std::error_code error;
  const fs::path target = fs::canonical(link, error);
  if (error) {
    listing.failures.push_back({relative, "symbolic link to nothing (" + error.message() + ")"});
  } else if (!is_within(target, root)) {
    listing.failures.push_back(
        {relative, "symbolic link out of the corpus (to " + escape_invalid_utf8(target.string()) + "), not followed"});
  } else {
    listing.links.push_back({relative, escape_invalid_utf8(target.lexically_relative(root).generic_string())});
  }
}

void list_entry(const fs::directory_entry& entry, const std::string& prefix, const fs::path& root,
                const Manifest& manifest, CorpusListing& listing, std::vector<PendingDirectory>& pending) {
  const std::string name = entry.path().filename().string();
  const std::string relative = prefix + name;
  std::error_code error;
  const fs::file_status own_status = entry.symlink_status(error);
  if (error) {
    listing.failures.push_back({escape_invalid_utf8(relative), "cannot read (" + error.message() + ")"});
    return;
  }
  const bool link = fs::is_symlink(own_status);
  const fs::file_status status = link ? entry.status(error) : own_status;  // error: a dangling link
  const bool directory = !error && fs::is_directory(status);
  // Hidden names at any depth: directories (.git, .cache) and files, which are never
  // documents either: the AppleDouble "._report.pdf" a Mac writes beside each file on a
  // shared drive or USB stick, Emacs's ".#report.txt" lock link, .DS_Store. Each would
  // otherwise be a FAILED line on every run, hiding the failures that matter.
  if (name.front() == '.') return;
  if (is_excluded(directory ? relative + "/" : relative, manifest.exclude)) return;
  if (!is_valid_utf8(name)) {
    // Ids, paths and the report are UTF-8 text: the name cannot be any of them as it is.
    const std::string shown = escape_invalid_utf8(relative) + (directory ? "/" : "");
    if (!link && fs::is_regular_file(status) && !format_for_path(name)) {
      listing.unsupported.push_back(shown);
    } else {
      listing.failures.push_back({shown, std::string(directory ? "directory" : "file") +
                                             " name is not valid UTF-8 (bad bytes shown as \\xNN); rename it"});
    }
    return;
  }
  if (link) {
    list_link(entry.path(), relative, root, listing);
  } else if (directory) {
    pending.push_back({entry.path(), relative + "/"});
  } else if (!fs::is_regular_file(status)) {
    listing.special.push_back({relative, fs::is_fifo(status)     ? "named pipe (FIFO)"
                                         : fs::is_socket(status) ? "socket"
                                         : fs::is_block_file(status) || fs::is_character_file(status)
                                             ? "device"
                                             : "not a regular file"});
  } else if (!format_for_path(name)) {
    listing.unsupported.push_back(relative);
  } else if (const std::uintmax_t size = entry.file_size(error); error) {
    listing.failures.push_back({relative, "cannot read (" + error.message() + ")"});
  } else {
    listing.supported.push_back({entry.path().string(), relative, static_cast<std::uint64_t>(size)});
  }
}

}  // namespace

std::string manifest_path_key(const std::string& path) {
  if (std::all_of(path.begin(), path.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; })) {
    return path;  // ASCII is NFC already: most corpora never reach ICU here
  }
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  const icu::UnicodeString normalized = U_SUCCESS(status) ? nfc->normalize(icu::UnicodeString::fromUTF8(path), status)
                                                          : icu::UnicodeString();
  if (U_FAILURE(status)) {
    throw std::runtime_error(std::string("cannot normalise the path \"") + path + "\": " + u_errorName(status));
  }
  std::string key;
  normalized.toUTF8String(key);
  return key;
}

const ManifestEntry* Manifest::find(const std::string& relative_path) const {
  const auto found = by_path.find(manifest_path_key(relative_path));
  return found == by_path.end() ? nullptr : &found->second;
}

Manifest load_manifest(const fs::path& corpus_dir) {
  Manifest manifest;
  const auto file = corpus_dir / kManifestName;
  if (!fs::exists(file)) return manifest;
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  try {
    const auto json = nlohmann::json::parse(in);
    if (!json.is_object()) throw std::runtime_error("not a JSON object");
    for (const auto& field : json.items()) {
      if (std::find_if(kTopLevelKeys.begin(), kTopLevelKeys.end(),
                       [&](const char* key) { return field.key() == key; }) == kTopLevelKeys.end()) {
        throw std::runtime_error("unknown key " + as_json(field.key()) +
                                 " (a manifest has manifest_version, exclude and documents)");
      }
    }
    // Absent: version 1, written before the key existed. Another version may mean
    // things this indexer would get wrong.
    const auto version = json.find("manifest_version");
    if (version != json.end() && !(version->is_number_integer() && *version == kManifestVersion)) {
      throw std::runtime_error("manifest_version " + as_json(*version) +
                               " is not supported (this indexer reads version " +
                               std::to_string(kManifestVersion) + ")");
    }
    if (const auto exclude = json.find("exclude"); exclude != json.end()) {
      auto patterns = string_list(*exclude);
      if (!patterns) throw std::runtime_error("\"exclude\" must be a list of strings");
      manifest.exclude = std::move(*patterns);
    }
    const auto documents = json.find("documents");
    if (documents == json.end() || !documents->is_array()) {
      throw std::runtime_error("no \"documents\" list");
    }
    for (std::size_t index = 0; index < documents->size(); ++index) {
      ManifestEntry entry = read_entry((*documents)[index], index);
      const auto path = entry.path;
      if (!manifest.by_path.emplace(manifest_path_key(path), std::move(entry)).second) {
        throw std::runtime_error("path \"" + path + "\" is listed twice");
      }
    }
  } catch (const nlohmann::json::exception& e) {
    throw std::runtime_error("malformed " + file.string() + ": " + e.what());
  } catch (const std::runtime_error& e) {
    throw std::runtime_error("malformed " + file.string() + ": " + e.what());
  }
  return manifest;
}

// Walks one directory at a time rather than with recursive_directory_iterator, whose
// skip_permission_denied hid unreadable directories (and `update` then deleted their
// documents): every directory that cannot be read is a failure of the run, and nothing
// under a hidden or excluded directory is opened at all.
CorpusListing scan_corpus(const fs::path& corpus_dir, const Manifest& manifest) {
  std::error_code error;
  if (!fs::is_directory(corpus_dir, error)) throw std::runtime_error(corpus_dir.string() + " is not a directory");
  const fs::path root = fs::canonical(corpus_dir, error);
  if (error) throw std::runtime_error("cannot resolve " + corpus_dir.string() + ": " + error.message());
  CorpusListing listing;
  std::vector<PendingDirectory> pending{{corpus_dir, ""}};
  while (!pending.empty()) {
    const PendingDirectory dir = std::move(pending.back());
    pending.pop_back();
    fs::directory_iterator entries(dir.path, error);
    for (; !error && entries != fs::directory_iterator(); entries.increment(error)) {
      list_entry(*entries, dir.relative, root, manifest, listing, pending);
    }
    if (!error) continue;
    // An unreadable root would look like an empty corpus: an update would remove everything.
    if (dir.relative.empty()) throw std::runtime_error("cannot read " + corpus_dir.string() + ": " + error.message());
    listing.failures.push_back({dir.relative, "cannot read directory (" + error.message() +
                                                  "): its files are not indexed, and an update keeps their "
                                                  "indexed versions"});
    error.clear();
  }
  std::sort(listing.supported.begin(), listing.supported.end(),
            [](const CorpusFile& a, const CorpusFile& b) { return a.relative_path < b.relative_path; });
  std::sort(listing.unsupported.begin(), listing.unsupported.end());
  std::sort(listing.failures.begin(), listing.failures.end(),
            [](const FileFailure& a, const FileFailure& b) { return a.path < b.path; });
  std::sort(listing.links.begin(), listing.links.end(),
            [](const SkippedLink& a, const SkippedLink& b) { return a.path < b.path; });
  std::sort(listing.special.begin(), listing.special.end(),
            [](const SkippedSpecial& a, const SkippedSpecial& b) { return a.path < b.path; });
  return listing;
}

std::string default_document_id(const std::string& relative_path) {
  const auto slash = relative_path.rfind('/');
  const auto dot = relative_path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return relative_path;
  return relative_path.substr(0, dot);
}

}  // namespace rights
