#include "rights/corpus.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>
#include <stdexcept>

#include "rights/extract.h"

namespace rights {

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

}  // namespace

Manifest load_manifest(const std::filesystem::path& corpus_dir) {
  Manifest manifest;
  const auto file = corpus_dir / kManifestName;
  if (!std::filesystem::exists(file)) return manifest;
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

CorpusListing scan_corpus(const std::filesystem::path& corpus_dir, const Manifest& manifest) {
  if (!std::filesystem::is_directory(corpus_dir)) {
    throw std::runtime_error(corpus_dir.string() + " is not a directory");
  }
  CorpusListing listing;
  for (auto it = std::filesystem::recursive_directory_iterator(
           corpus_dir, std::filesystem::directory_options::skip_permission_denied);
       it != std::filesystem::recursive_directory_iterator(); ++it) {
    const std::string relative = std::filesystem::relative(it->path(), corpus_dir).generic_string();
    if (it->is_directory() && relative.rfind('.', 0) == 0) {  // .git and other hidden dirs
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file() || is_excluded(relative, manifest.exclude)) continue;
    if (!format_for_path(it->path())) {
      listing.unsupported.push_back(relative);
      continue;
    }
    listing.supported.push_back({it->path().string(), relative, static_cast<std::uint64_t>(it->file_size())});
  }
  std::sort(listing.supported.begin(), listing.supported.end(),
            [](const CorpusFile& a, const CorpusFile& b) { return a.relative_path < b.relative_path; });
  std::sort(listing.unsupported.begin(), listing.unsupported.end());
  return listing;
}

std::string default_document_id(const std::string& relative_path) {
  const auto slash = relative_path.rfind('/');
  const auto dot = relative_path.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return relative_path;
  return relative_path.substr(0, dot);
}

}  // namespace rights
