// Figures the fault tests measure ("FIGURE rebuild-under-load: 18234 requests, 0 failed"):
// printed to stdout (ctest -V, --output-on-failure) and appended to RIGHTS_FIGURES_FILE,
// which scripts/test.sh prints after each ctest run so they show in the CI log.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <cstdio>
#include <string>

namespace rights::testing {

inline void report_figure(const std::string& name, const std::string& text) {
  const std::string line = "FIGURE " + name + ": " + text + "\n";
  std::fputs(line.c_str(), stdout);
  std::fflush(stdout);
#ifdef RIGHTS_FIGURES_FILE
  // One write() with O_APPEND: lines from test processes running in parallel never mix.
  const int fd = ::open(RIGHTS_FIGURES_FILE, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd >= 0) {
    const ssize_t written = ::write(fd, line.data(), line.size());
    (void)written;  // a figure that cannot be saved is still printed above
    ::close(fd);
  }
#endif
}

}  // namespace rights::testing
