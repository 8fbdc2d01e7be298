// Running the project's binaries from tests: one-shot commands with captured output, and
// long-running children (searchd) that are killed when the guard goes out of scope.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace rights::testing {

struct CommandResult {
  int exit_code;       ///< exit status, or 128+signal when killed
  std::string output;  ///< stdout and stderr, interleaved
};

/// Runs argv[0] with arguments argv[1..] (no shell) and waits for it.
CommandResult run_command(const std::vector<std::string>& argv);

/// A child process killed (SIGTERM, then SIGKILL) and reaped on destruction.
class ChildProcess {
 public:
  /// `own_process_group`: for servers that signal their whole process group on shutdown
  /// (xapian-tcpsrv ends its connection children with kill(0, SIGTERM)), which would
  /// otherwise include the test itself. Such a child also gets SIGTERM if the test dies.
  explicit ChildProcess(const std::vector<std::string>& argv, const std::string& log_path = "",
                        bool own_process_group = false);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  /// Sends `signal` to the child without waiting.
  void signal(int signal_number) const;
  /// Waits for exit; returns the exit code (128+signal when killed).
  int wait();
  /// True while the child has not exited (reaps it, without waiting, once it has).
  bool running();

 private:
  pid_t pid_ = -1;
  bool reaped_ = false;
  int exit_code_ = -1;
};

}  // namespace rights::testing
