#include "rights/analysis.h"

#include <algorithm>
#include <cstdio>
#include <set>

#include "rights/dates.h"
#include "rights/extract.h"
#include "rights/language_id.h"
#include "rights/schema.h"
#include "rights/text_analysis.h"

namespace rights {

namespace {

constexpr std::size_t kMaxDerivedTitleBytes = 200;


// The first non-empty line, if short enough to be a heading; else "".
std::string first_line_title(std::string_view text) {
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(start, end - start);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
    if (!line.empty()) return line.size() <= kMaxDerivedTitleBytes ? std::string(line) : "";
    start = end + 1;
  }
  return {};
}

std::string file_stem(const std::string& relative_path) {
  const auto slash = relative_path.rfind('/');
  const std::string name = slash == std::string::npos ? relative_path : relative_path.substr(slash + 1);
  return default_document_id(name);
}

}  // namespace

std::uint64_t fnv1a_64(std::string_view bytes) {
  std::uint64_t hash = 14695981039346656037ULL;
  for (const char c : bytes) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 1099511628211ULL;
  }
  return hash;
}

std::string fnv1a_hex(std::string_view bytes) {
  char buffer[17];
  std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(fnv1a_64(bytes)));
  return buffer;
}

std::string content_hash(std::string_view file_bytes, std::string_view manifest_fingerprint,
                         std::string_view authority_fingerprint) {
  std::string combined = fnv1a_hex(file_bytes);
  combined += fnv1a_hex(manifest_fingerprint);
  combined += fnv1a_hex(authority_fingerprint);
  combined += "analysis " + std::to_string(kAnalysisVersion);
  return fnv1a_hex(combined);
}

std::string infer_document_type(const std::string& title, std::string_view text) {
  const std::string head = ascii_lowercase(title) + "\n" + ascii_lowercase(text.substr(0, 600));
  const std::string tail = ascii_lowercase(text.substr(text.size() > 1500 ? text.size() - 1500 : 0));
  const auto has = [](const std::string& haystack, const char* needle) {
    return haystack.find(needle) != std::string::npos;
  };
  if (has(head, "open letter") || has(head, "dear ") || has(tail, "respectfully yours") ||
      has(tail, "yours sincerely") || has(tail, "sincerely,")) {
    return "letter";
  }
  if (has(head, "joint statement") || has(head, "press release") || has(head, "statement")) {
    return "statement";
  }
  if (has(ascii_lowercase(title), "report") || has(head, "executive summary")) return "report";
  return "article";
}

DocumentRecord analyse_file(const CorpusFile& file, std::string_view bytes,
                            const ManifestEntry* manifest, const Authority& authority,
                            std::string_view authority_fingerprint, TextAnalyzer& analyzer,
                            DocumentWords& words) {
  const auto format = format_for_path(file.full_path);
  if (!format) throw ExtractionError("unsupported file type");
  ExtractedText extracted = extract_text(bytes, *format);

  DocumentRecord record;
  record.path = file.relative_path;
  record.id = manifest && !manifest->id.empty() ? manifest->id : default_document_id(file.relative_path);
  if (record.id.size() > kMaxDocumentIdBytes) {
    throw ExtractionError("document id of " + std::to_string(record.id.size()) + " bytes, longer than " +
                          std::to_string(kMaxDocumentIdBytes) +
                          (manifest && !manifest->id.empty()
                               ? ": give it a shorter id in manifest.json"
                               : " (its path without the extension): give it a shorter id in manifest.json, or a shorter path"));
  }
  record.text = std::move(extracted.text);
  record.page_starts = std::move(extracted.page_starts);
  record.content_hash =
      content_hash(bytes, manifest ? manifest->fingerprint : "", authority_fingerprint);

  // Manifest values win; each fallback is the next most reliable source.
  record.title = manifest && !manifest->title.empty() ? manifest->title : extracted.title;
  if (record.title.empty()) record.title = first_line_title(record.text);
  if (record.title.empty()) record.title = file_stem(file.relative_path);

  if (manifest && !manifest->languages.empty()) {
    record.languages = manifest->languages;
  } else {
    record.languages = document_languages(extracted.language, record.text);
    if (record.languages.empty()) record.languages.push_back("und");  // BCP 47 "undetermined"
  }

  record.type = manifest && !manifest->type.empty() ? manifest->type
                                                     : infer_document_type(record.title, record.text);
  if (std::find(kDocumentTypes.begin(), kDocumentTypes.end(), record.type) == kDocumentTypes.end()) {
    throw ExtractionError("manifest type \"" + record.type + "\" is not one of letter, report, article, statement");
  }
  record.source = manifest ? manifest->source : "";
  record.access = manifest && !manifest->access.empty() ? manifest->access : "public";
  if (record.access != "public" && record.access != "restricted") {
    throw ExtractionError("manifest access \"" + record.access + "\" is not public or restricted");
  }

  words.title = analyzer.tokenize(record.title);
  words.text = analyzer.tokenize(record.text);
  std::set<std::string> actors, ministries;
  for (const auto* tokens : {&words.title, &words.text}) {
    for (const auto& mention : authority.find_mentions(*tokens)) {
      if (mention.entry->kind == EntityKind::Actor) {
        actors.insert(mention.entry->id);
        // Naming a minister makes the document relevant to the ministry facet too.
        if (!mention.entry->ministry.empty()) ministries.insert(mention.entry->ministry);
      } else {
        ministries.insert(mention.entry->id);
      }
    }
  }
  if (manifest) {
    record.authors = manifest->authors;
    record.signatories = manifest->signatories;
    record.addressees = manifest->addressees;
    for (const auto* list : {&manifest->authors, &manifest->signatories, &manifest->addressees}) {
      for (const auto& id : *list) {
        actors.insert(id);
        if (const auto* entry = authority.find_by_id(EntityKind::Actor, id); entry && !entry->ministry.empty()) {
          ministries.insert(entry->ministry);
        }
      }
    }
  }
  record.actors.assign(actors.begin(), actors.end());
  record.ministries.assign(ministries.begin(), ministries.end());

  if (manifest && manifest->date_given) {
    if (!manifest->date.empty() && !parse_iso_date(manifest->date)) {
      throw ExtractionError("manifest date \"" + manifest->date +
                            "\" is not YYYY, YYYY-MM or YYYY-MM-DD");
    }
    record.date = manifest->date;  // may be "" = explicitly undated
  } else if (!extracted.date.empty()) {
    record.date = extracted.date;  // the file's own metadata: front matter, <meta>
  } else {
    // The latest explicit date in the text: a document cites earlier events, so its own
    // date is the last one it can know. Year-less dates are never guessed.
    std::string best_key;
    for (const auto& mention : find_dates(record.text)) {
      if (mention.date.sort_key() > best_key) {
        best_key = mention.date.sort_key();
        record.date = mention.date.iso();
      }
    }
  }
  return record;
}

}  // namespace rights
