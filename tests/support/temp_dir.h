// RAII temporary directory for tests: created fresh, removed with everything in it.
#pragma once

#include <filesystem>
#include <string>

namespace rights::testing {

class TempDir {
 public:
  /// Creates a new empty directory under the system temp dir, named after `tag`.
  explicit TempDir(const std::string& tag = "rights-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  /// Writes `contents` to `relative` (creating parent dirs) and returns the full path.
  std::filesystem::path write(const std::string& relative, const std::string& contents) const;

 private:
  std::filesystem::path path_;
};

}  // namespace rights::testing
