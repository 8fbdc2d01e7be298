// Xapian's own servers for the shard and replica tests (xapian-tcpsrv,
// xapian-replicate-server): started on free loopback ports and killed by RAII guards.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "process.h"

namespace rights::e2e {

/// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, read, closed).
int free_loopback_port();

/// True once something accepts TCP connections on 127.0.0.1:port; false after `timeout`.
bool wait_until_accepting(int port, std::chrono::milliseconds timeout);

/// Full path of the program `name` on PATH; fails the test when it is not installed.
std::string find_program(const std::string& name);

/// A server listening on 127.0.0.1. The port is picked free, and picked again if the
/// server could not bind it (another process took it in between). SIGTERM on
/// destruction or stop(); xapian-tcpsrv then also ends the children serving connections.
class LoopbackServer {
 public:
  using MakeArgv = std::function<std::vector<std::string>(int port)>;

  /// `make_argv(port)` gives the full command line for a port; `ready_text` is what the
  /// server prints (to `log_path`) once it listens, "" if nothing. `fixed_port` > 0:
  /// that port only.
  LoopbackServer(MakeArgv make_argv, std::string log_path, std::string ready_text, int fixed_port = 0);
  LoopbackServer(const LoopbackServer&) = delete;
  LoopbackServer& operator=(const LoopbackServer&) = delete;

  int port() const { return port_; }
  /// Kills the server now (as a crash or an operator would) and waits for it.
  void stop();

 private:
  bool start_on(int port, const MakeArgv& make_argv);
  bool still_running_after_bind();

  std::string log_path_, ready_text_;
  std::unique_ptr<testing::ChildProcess> process_;
  int port_ = -1;
};

/// `xapian-tcpsrv` serving `database_path` on a free loopback port.
std::unique_ptr<LoopbackServer> start_tcpsrv(const std::string& database_path, const std::string& log_path,
                                             int fixed_port = 0);

/// `xapian-replicate-server` publishing the databases under `master_dir`.
std::unique_ptr<LoopbackServer> start_replicate_server(const std::string& master_dir, const std::string& log_path);

}  // namespace rights::e2e
