// The corpus on disk: which files there are, and what the manifest says about them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rights {

/// Manifest metadata for one document (corpus/manifest.json). Empty fields mean "not
/// stated": the indexer then derives the value from the text. See corpus/README.md.
struct ManifestEntry {
  std::string id, path, title, type, date, source, access;
  bool date_given = false;  ///< "date" present, possibly null (= explicitly undated)
  std::vector<std::string> languages, authors, signatories, addressees;
  std::string fingerprint;  ///< the entry's JSON text, part of the document's content hash
  /// Why the entry is unusable (a value of the wrong type, an unknown key), "" if it is
  /// fine: its file then fails with this reason instead of being indexed without the
  /// metadata the user wrote.
  std::string error;
};

struct Manifest {
  /// Key: the entry's path relative to the corpus root, as manifest_path_key() gives it.
  std::map<std::string, ManifestEntry> by_path;
  std::vector<std::string> exclude;  ///< relative paths or dir prefixes ("authority/") not to index

  /// The entry for the file at `relative_path` (as the corpus scan walked it), or nullptr.
  const ManifestEntry* find(const std::string& relative_path) const;
};

/// A manifest path or file name in the form they are compared in: Unicode NFC. macOS
/// writes names decomposed ("De\u0301claration.pdf"), and so do the shares, zips and
/// rsync copies made from it, while a manifest typed or generated elsewhere spells them
/// composed: to the reader they are one name, and the file must get its entry.
std::string manifest_path_key(const std::string& path);

/// The manifest_version this indexer reads.
inline constexpr int kManifestVersion = 1;

/// Reads corpus_dir/manifest.json; an absent file gives an empty manifest. Throws
/// std::runtime_error with the file name and reason if it is malformed, has an unknown
/// top-level key or another manifest_version, has an entry without a "path" string, or
/// lists a path twice. Problems within one entry go to its ManifestEntry::error.
Manifest load_manifest(const std::filesystem::path& corpus_dir);

/// A path under the corpus (relative, '/'-separated) that could not be indexed, and why.
struct FileFailure {
  std::string path;    ///< relative to the corpus root; a directory's ends in '/'
  std::string reason;  ///< one line
};

/// A symbolic link inside the corpus to a file or directory inside it. Links are not
/// followed: the target is listed in its own place (ids come from paths, so a followed
/// link would be a second document with another id, or the target's id twice).
struct SkippedLink {
  std::string path;    ///< of the link
  std::string target;  ///< relative to the corpus root
};

/// Something in the corpus that is neither a file, a directory nor a link: a named pipe
/// (reading one would block the build), a socket or a device. Noted, never read.
struct SkippedSpecial {
  std::string path;
  std::string kind;  ///< "named pipe (FIFO)", "socket", "device"
};

struct CorpusFile {
  // A string, not a std::filesystem::path: libstdc++'s path keeps every component as a
  // path of its own, ~0.5 kB per file here, 0.5 GB of a million-file build's memory.
  std::string full_path;
  std::string relative_path;  ///< '/'-separated, relative to the corpus root
  std::uint64_t size = 0;
};

struct CorpusListing {
  std::vector<CorpusFile> supported;    ///< sorted by relative path
  std::vector<std::string> unsupported; ///< relative paths with extensions we do not index
  /// Directories that could not be read (their files are unknown), symbolic links out of
  /// the corpus or to nothing, names that are not UTF-8 (shown with \xNN escapes): each
  /// is a file failure of the run. Sorted by path.
  std::vector<FileFailure> failures;
  std::vector<SkippedLink> links;       ///< sorted by path
  std::vector<SkippedSpecial> special;  ///< sorted by path
};

/// Every regular file under corpus_dir (recursively), minus hidden files and directories
/// (name starting with '.', at any depth), the manifest, the authority directory and the
/// manifest's exclusions. Symbolic links are never followed (see SkippedLink); one that
/// leads out of the corpus is a failure. Relative paths are the paths walked, never
/// resolved ones. Throws std::runtime_error if corpus_dir itself cannot be read.
CorpusListing scan_corpus(const std::filesystem::path& corpus_dir, const Manifest& manifest);

/// Document id for a file that the manifest does not describe: its relative path without
/// the extension.
std::string default_document_id(const std::string& relative_path);

}  // namespace rights
