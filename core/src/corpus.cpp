#include "rights/corpus.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <stdexcept>
#include <system_error>

#include "rights/extract.h"
#include "rights/text_analysis.h"

namespace rights {

namespace fs = std::filesystem;

namespace {

constexpr const char* kManifestName = "manifest.json";
constexpr const char* kAuthorityDir = "authority/";

std::string text_field(const nlohmann::json& object, const char* key) {
  const auto found = object.find(key);
  return (found != object.end() && found->is_string()) ? found->get<std::string>() : "";
}

std::vector<std::string> list_field(const nlohmann::json& object, const char* key) {
  std::vector<std::string> out;
  const auto found = object.find(key);
  if (found == object.end() || found->is_null()) return out;
  if (!found->is_array()) throw std::runtime_error(std::string("\"") + key + "\" must be a list");
  for (const auto& item : *found) {
    if (!item.is_string()) throw std::runtime_error(std::string("\"") + key + "\" must list strings");
    out.push_back(item.get<std::string>());
  }
  return out;
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
  if (directory && name.front() == '.') return;  // .git, .cache, ... at any depth
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
    // FIFOs, sockets, devices: not documents (reading a FIFO would block the build)
  } else if (!format_for_path(name)) {
    listing.unsupported.push_back(relative);
  } else if (const std::uintmax_t size = entry.file_size(error); error) {
    listing.failures.push_back({relative, "cannot read (" + error.message() + ")"});
  } else {
    listing.supported.push_back({entry.path().string(), relative, static_cast<std::uint64_t>(size)});
  }
}

}  // namespace

Manifest load_manifest(const fs::path& corpus_dir) {
  Manifest manifest;
  const auto file = corpus_dir / kManifestName;
  if (!fs::exists(file)) return manifest;
  std::ifstream in(file);
  if (!in) throw std::runtime_error("cannot read " + file.string());
  try {
    const auto json = nlohmann::json::parse(in);
    manifest.exclude = list_field(json, "exclude");
    const auto documents = json.find("documents");
    if (documents == json.end() || !documents->is_array()) {
      throw std::runtime_error("no \"documents\" list");
    }
    for (const auto& item : *documents) {
      ManifestEntry entry;
      entry.id = text_field(item, "id");
      entry.path = text_field(item, "path");
      if (entry.path.empty()) throw std::runtime_error("a document has no \"path\"");
      entry.title = text_field(item, "title");
      entry.type = text_field(item, "type");
      entry.date_given = item.contains("date");
      entry.date = text_field(item, "date");
      entry.source = text_field(item, "source");
      entry.access = text_field(item, "access");
      entry.languages = list_field(item, "languages");
      entry.authors = list_field(item, "authors");
      entry.signatories = list_field(item, "signatories");
      entry.addressees = list_field(item, "addressees");
      entry.fingerprint = item.dump();
      const auto path = entry.path;
      if (!manifest.by_path.emplace(path, std::move(entry)).second) {
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
  return listing;
}

std::string default_document_id(const std::string& relative_path) {
  const auto slash = relative_path.rfind('/');
  const auto dot = relative_path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return relative_path;
  return relative_path.substr(0, dot);
}

}  // namespace rights
