#include "xapian_servers.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace rights::e2e {

namespace {

constexpr int kPortAttempts = 5;
constexpr auto kStartDeadline = std::chrono::seconds(10);

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// POSIX socket calls take the generic sockaddr; the cast is the API's own convention.
const sockaddr* as_generic(const sockaddr_in& address) {
  return reinterpret_cast<const sockaddr*>(&address);
}

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address = loopback(0);
  socklen_t length = sizeof address;
  const bool bound = ::bind(fd, as_generic(address), sizeof address) == 0 &&
                     ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  ::close(fd);
  REQUIRE(bound);
  return ntohs(address.sin_port);
}

bool wait_until_accepting(int port, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  do {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_in address = loopback(port);
    const bool connected = fd >= 0 && ::connect(fd, as_generic(address), sizeof address) == 0;
    if (fd >= 0) ::close(fd);
    if (connected) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  } while (std::chrono::steady_clock::now() < deadline);
  return false;
}

std::string find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::istringstream directories(path ? path : "/usr/bin:/bin");
  for (std::string directory; std::getline(directories, directory, ':');) {
    const auto candidate = std::filesystem::path(directory) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  FAIL(name << " is not installed (apt-get install xapian-tools; see scripts/install-deps.sh)");
  return {};
}

LoopbackServer::LoopbackServer(MakeArgv make_argv, std::string log_path, std::string ready_text,
                               int fixed_port)
    : log_path_(std::move(log_path)), ready_text_(std::move(ready_text)) {
  for (int attempt = 0; attempt < (fixed_port > 0 ? 1 : kPortAttempts); ++attempt) {
    if (start_on(fixed_port > 0 ? fixed_port : free_loopback_port(), make_argv)) return;
  }
  FAIL("server did not start; its last log:\n" << read_text(log_path_));
}

bool LoopbackServer::start_on(int port, const MakeArgv& make_argv) {
  process_ = std::make_unique<testing::ChildProcess>(make_argv(port), log_path_, /*own_process_group=*/true);
  const auto deadline = std::chrono::steady_clock::now() + kStartDeadline;
  // Ready when our child says it listens (if it says so at all) and is still running
  // while the port accepts: a server that lost the port to another process exits.
  while (process_->running() && std::chrono::steady_clock::now() < deadline) {
    if ((ready_text_.empty() || read_text(log_path_).find(ready_text_) != std::string::npos) &&
        wait_until_accepting(port, std::chrono::milliseconds(100)) && still_running_after_bind()) {
      port_ = port;
      return true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  process_.reset();  // exited (port taken) or never became ready: kill and reap
  return false;
}

bool LoopbackServer::still_running_after_bind() {
  // A server that failed to bind exits at once; a moment's grace tells it apart.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  return process_->running();
}

void LoopbackServer::stop() { process_.reset(); }

std::unique_ptr<LoopbackServer> start_tcpsrv(const std::string& database_path, const std::string& log_path,
                                             int fixed_port) {
  const std::string program = find_program("xapian-tcpsrv");
  return std::make_unique<LoopbackServer>(
      [&](int port) {
        return std::vector<std::string>{program, "--port", std::to_string(port), "--interface", "127.0.0.1",
                                        database_path};
      },
      log_path, "Listening...", fixed_port);
}

std::unique_ptr<LoopbackServer> start_replicate_server(const std::string& master_dir, const std::string& log_path) {
  const std::string program = find_program("xapian-replicate-server");
  return std::make_unique<LoopbackServer>(
      [&](int port) {
        return std::vector<std::string>{program, "--interface=127.0.0.1", "--port=" + std::to_string(port),
                                        master_dir};
      },
      log_path, "");  // it prints nothing until it serves a client
}

}  // namespace rights::e2e
