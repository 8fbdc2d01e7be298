#include "e2e_fixture.h"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>

#include "rights/index_builder.h"
#include "temp_dir.h"

namespace rights::e2e {

namespace {

std::filesystem::path build_corpus_index() {
  // Function-local static: built once per test binary, removed (TempDir) at exit.
  static const testing::TempDir directory("rights-e2e-corpus");
  const auto index = directory.path() / "index";
  const BuildReport report = build_index(RIGHTS_CORPUS_DIR, index, {});
  if (!report.failures.empty()) {
    FAIL("corpus file failed to index: " << report.failures.front().path << ": "
                                         << report.failures.front().reason);
  }
  return index;
}

}  // namespace

const std::filesystem::path& corpus_index() {
  static const std::filesystem::path index = build_corpus_index();
  return index;
}

std::shared_ptr<const Authority> corpus_authority() {
  static const auto authority = Authority::load(std::filesystem::path(RIGHTS_CORPUS_DIR) / "authority");
  return authority;
}

searchd::ServerConfig corpus_server_config() {
  searchd::ServerConfig config;
  config.index_path = corpus_index().string();
  config.authority = corpus_authority();
  config.threads = 4;
  // Tests fire requests faster than any person; the limiter has tests of its own.
  config.rate_limit = 0;
  // One access line per request would bury a failing test's output.
  config.log = nullptr;
  return config;
}

RunningServer::RunningServer(searchd::ServerConfig config)
    : server_(std::make_unique<searchd::SearchServer>(std::move(config))) {
  port_ = server_->bind_to_any_port("127.0.0.1");
  REQUIRE(port_ > 0);
  thread_ = std::thread([this] { server_->listen(); });
  // httplib 0.11 has no wait_until_ready(): poll until its accept loop has started.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!server_->is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!server_->is_running()) {
    server_->stop();
    thread_.join();
    FAIL("server did not start listening within 5 s");
  }
}

RunningServer::~RunningServer() {
  server_->stop();
  thread_.join();
}

RawConnection::RawConnection(int port) {
  fd_ = socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd_ >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  REQUIRE(connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
}

RawConnection::~RawConnection() { close(fd_); }

void RawConnection::send_text(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;  // the server may close early on an oversized request
    sent += static_cast<std::size_t>(n);
  }
}

bool RawConnection::read_until_closed(std::chrono::milliseconds limit, std::string& received) {
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + limit;
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return false;
    pollfd waiting{fd_, POLLIN, 0};
    if (poll(&waiting, 1, static_cast<int>(left.count())) <= 0) return false;
    char buffer[4096];
    const ssize_t n = recv(fd_, buffer, sizeof buffer, 0);
    if (n <= 0) return true;  // closed (or reset)
    received.append(buffer, static_cast<std::size_t>(n));
  }
}

std::string raw_exchange(int port, const std::string& request) {
  RawConnection connection(port);
  connection.send_text(request);
  std::string received;
  connection.read_until_closed(std::chrono::seconds(3), received);
  return received;
}

std::string url_encode(const std::string& value) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string out;
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    const bool unreserved = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                            (byte >= '0' && byte <= '9') || byte == '-' || byte == '.' || byte == '_' ||
                            byte == '~';
    if (unreserved) {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    }
  }
  return out;
}

std::string with_query(const std::string& path, const QueryList& params) {
  std::string target = path;
  char separator = '?';
  for (const auto& [name, value] : params) {
    target += separator + url_encode(name) + "=" + url_encode(value);
    separator = '&';
  }
  return target;
}

JsonReply get_json(httplib::Client& client, const std::string& target, const httplib::Headers& headers) {
  INFO("GET " << target);
  const auto result = client.Get(target.c_str(), headers);
  REQUIRE(result);
  JsonReply reply;
  reply.status = result->status;
  reply.content_type = result->get_header_value("Content-Type");
  reply.headers = result->headers;
  INFO("status " << reply.status << ", body: " << result->body.substr(0, 500));
  REQUIRE_NOTHROW(reply.body = nlohmann::json::parse(result->body));
  return reply;
}

std::vector<std::string> hit_ids(const nlohmann::json& search_body) {
  std::vector<std::string> ids;
  for (const auto& hit : search_body.at("hits")) ids.push_back(hit.at("id").get<std::string>());
  return ids;
}

bool ranks_within(const std::vector<std::string>& ids, const std::string& id, std::size_t top) {
  for (std::size_t i = 0; i < ids.size() && i < top; ++i) {
    if (ids[i] == id) return true;
  }
  return false;
}

void check_error(const JsonReply& reply, int status, const std::string& code) {
  INFO("body: " << reply.body.dump());
  CHECK(reply.status == status);
  CHECK(reply.content_type == "application/json");
  REQUIRE(reply.body.contains("error"));
  CHECK(reply.body["error"].value("code", "") == code);
  CHECK_FALSE(reply.body["error"].value("message", "").empty());
}

}  // namespace rights::e2e
