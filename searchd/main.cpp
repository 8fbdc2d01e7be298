// searchd: serves an index over HTTP, or answers one query on stdout (`searchd query`).
// Thin: argument handling, signals and terminal output; the HTTP layer is searchd_http
// (server.h) and the search itself rights_core (search.h).
#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "errors.h"
#include "http_params.h"
#include "json_codec.h"
#include "rights/schema.h"
#include "rights/search.h"
#include "server.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitUserError = 1;
constexpr int kExitUsage = 2;
constexpr int kExitFatal = 3;

const char* const kUsage =
    "usage:\n"
    "  searchd --index INDEX_PATH [--host 127.0.0.1] [--port 8080] [--threads N]\n"
    "          [--cors-origin ORIGIN]... [--web-root DIR] [--authority DIR] [--log-queries]\n"
    "          [--token-file PATH] [--rate-limit N] [--count-cache-mb N]\n"
    "  searchd --remote HOST:PORT... [same options]\n"
    "  searchd query (--index INDEX_PATH | --remote HOST:PORT...) [--authority DIR] [--actor X]... [--ministry Y]...\n"
    "          [--type T]... [--lang L]... [--source S]... [--year Y]... [--from DATE] [--to DATE]\n"
    "          [--sort relevance|date|-date] [--page N] [--per-page N] [QUERY]\n"
    "  searchd [query] --help\n"
    "\n"
    "Options take their value as the next argument or after '=' (--lang km, --lang=km).\n"
    "Without a command, serves the HTTP API (and --web-root at /) until SIGTERM or SIGINT\n"
    "        (SIGHUP is logged and ignored). New index generations are taken up without a\n"
    "        restart, with the authority each was built with; --authority DIR (read at start)\n"
    "        serves indexes built without one.\n"
    "The index may be missing at start: /healthz and the API answer 503 until it appears;\n"
    "        /readyz also answers 503 while the facet columns of the index served load.\n"
    "--cors-origin may be repeated; --threads defaults to max(16, 4 x cores).\n"
    "--token-file (else the environment variable SEARCHD_API_TOKEN) holds the API token:\n"
    "        requests with \"Authorization: Bearer TOKEN\" also see restricted documents.\n"
    "--rate-limit: requests per second per client address on /api/* (bursts of 2N),\n"
    "        answered 429 beyond that; default 50, 0 turns it off.\n"
    "--log-queries: also log query strings (they are left out of the log by default).\n"
    "--count-cache-mb: memory for the exact counts (total, facets) of recent queries, so a\n"
    "        repeated or refined query only ranks its page; default 32, 0 turns it off.\n"
    "        An eighth more keeps their first ranks, so the same or a nearby page\n"
    "        reads only its documents.\n"
    "--remote: a shard served by xapian-tcpsrv, instead of --index; repeat it for every\n"
    "        shard (each exactly once). A shard that is down gives 503 shard_unavailable.\n"
    "\n"
    "query   prints the JSON that GET /api/search returns for the same parameters.\n"
    "        exit status: 0 ok, 1 bad query or parameter (error JSON on stdout),\n"
    "        2 usage error, 3 index unavailable or internal error.\n";

int usage_error(const std::string& message) {
  std::cerr << "searchd: " << message << "\n\n" << kUsage;
  return kExitUsage;
}

// What walk_arguments returns for --help (or -h): not an error, the caller prints kUsage.
const std::string kHelpAsked = "--help";

// Walks argv as "--name value" (or "--name=value") pairs and positionals; on_option returns
// false for a name it does not know. Returns an error message, kHelpAsked when --help or
// -h is given, or "" when every argument was accepted.
template <typename OnOption, typename OnPositional>
std::string walk_arguments(const std::vector<std::string>& args, OnOption on_option,
                           OnPositional on_positional) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") return kHelpAsked;
    if (arg.size() < 2 || arg.compare(0, 2, "--") != 0) {
      on_positional(arg);
      continue;
    }
    if (const std::size_t equals = arg.find('='); equals != std::string::npos) {  // --lang=km
      const std::string option = arg.substr(0, equals);
      if (option == "--log-queries") return "--log-queries takes no value";
      if (!on_option(option, arg.substr(equals + 1))) return "unknown option \"" + option + "\"";
      continue;
    }
    if (arg == "--log-queries") {  // the only flag without a value
      if (!on_option(arg, "")) return "unknown option \"" + arg + "\"";
      continue;
    }
    if (i + 1 >= args.size()) return arg + " needs a value (" + arg + " VALUE or " + arg + "=VALUE)";
    if (!on_option(arg, args[i + 1])) return "unknown option \"" + arg + "\"";
    ++i;
  }
  return "";
}

// kUsage on stdout for --help, exit 0.
int print_usage() {
  std::cout << kUsage;
  return kExitOk;
}

bool parse_number(const std::string& text, int min, int max, int& out) {
  if (text.empty() || text.size() > 9 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  out = std::stoi(text);
  return out >= min && out <= max;
}

// Loads --authority DIR into `out`. Returns -1 on success, else the exit code after saying
// why: an explicit directory that does not exist is a usage error (not a silently empty
// authority), malformed authority files are fatal.
int load_authority(const std::string& dir, std::shared_ptr<const rights::Authority>& out) {
  if (dir.empty()) {
    out = std::make_shared<const rights::Authority>();
    return -1;
  }
  if (!std::filesystem::is_directory(dir)) return usage_error("--authority \"" + dir + "\" is not a directory");
  try {
    out = rights::Authority::load(dir);
    return -1;
  } catch (const std::exception& e) {
    std::cerr << "searchd: " << e.what() << '\n';
    return kExitFatal;
  }
}

// Searching works without an authority (an index may be built without one), but actor and
// ministry names then mean nothing to searchd: said at start rather than left to surface
// as a puzzling 400 unknown_actor, bare ids as facet labels and aliases that find nothing.
// An index carries the authority it was built with, which searchd uses whatever it is given
// (the server notes that; `searchd query`, whose output scripts read, does not).
void warn_if_no_authority(const std::string& dir, const rights::Authority& authority,
                          const rights::IndexLocation& location, bool note_override) {
  if (rights::index_has_stored_authority(location)) {
    if (!dir.empty() && note_override) {
      std::cerr << "searchd: note: the index carries the authority it was built with, which names and resolves "
                   "actors and ministries; --authority \"" << dir << "\" serves only indexes without one" << std::endl;
    }
    return;
  }
  if (!authority.entries().empty()) return;
  std::cerr << "searchd: warning: "
            << (dir.empty() ? std::string("no --authority DIR given")
                            : "--authority \"" + dir + "\" has no actors and no ministries (actors.json, ministries.json)")
            << ", and the index carries no authority (built without authority files, by an older indexer, or not "
               "there yet): actor and ministry filters by name are refused (unknown_actor, unknown_ministry), facets "
               "show ids instead of names, and aliases find nothing"
            << std::endl;
}

// Adds "HOST:PORT" to `shards`; returns an error message or "".
std::string add_remote_shard(const std::string& text, std::vector<rights::RemoteShard>& shards) {
  try {
    shards.push_back(rights::parse_remote_shard(text));
    return "";
  } catch (const std::invalid_argument& e) {
    return std::string("--remote: ") + e.what();
  }
}

// Exactly one of a local index and remote shards; returns an error message or "".
std::string check_index_choice(const rights::IndexLocation& location) {
  if (location.index_path.empty() && location.remote_shards.empty()) {
    return "--index INDEX_PATH or --remote HOST:PORT is required";
  }
  if (!location.index_path.empty() && !location.remote_shards.empty()) {
    return "--index and --remote exclude each other (serve a local index or remote shards)";
  }
  return "";
}

std::string index_description(const searchd::ServerConfig& config) {
  return rights::IndexLocation{config.index_path, config.remote_shards}.describe();
}

// ---- searchd query ----

int run_query(const std::vector<std::string>& args) {
  std::string authority_dir, query, remote_error;
  rights::IndexLocation location;
  searchd::QueryParams params;
  const std::string error = walk_arguments(
      args,
      [&](const std::string& option, const std::string& value) {
        const std::string name = option.substr(2);
        if (name == "index") {
          location.index_path = value;
        } else if (name == "remote") {
          if (std::string problem = add_remote_shard(value, location.remote_shards);
              !problem.empty() && remote_error.empty()) {
            remote_error = std::move(problem);
          }
        } else if (name == "authority") {
          authority_dir = value;
        } else if (name == "per-page") {
          params.emplace("per_page", value);
        } else if (name == "from" || name == "to" || name == "sort" || name == "page" ||
                   rights::find_facet(name) != nullptr) {
          params.emplace(name, value);  // same names as the HTTP parameters
        } else {
          return false;
        }
        return true;
      },
      [&](const std::string& word) { query += (query.empty() ? "" : " ") + word; });
  if (error == kHelpAsked) return print_usage();
  if (!error.empty()) return usage_error(error);
  if (!remote_error.empty()) return usage_error(remote_error);
  if (const std::string problem = check_index_choice(location); !problem.empty()) return usage_error(problem);
  if (!query.empty()) params.emplace("q", query);
  std::shared_ptr<const rights::Authority> authority;
  if (const int exit_code = load_authority(authority_dir, authority); exit_code >= 0) return exit_code;
  warn_if_no_authority(authority_dir, *authority, location, /*note_override=*/false);

  try {
    // Validated exactly as the HTTP API validates its query string.
    const searchd::SearchParams search = searchd::parse_search_params(params);
    rights::Searcher searcher(location, authority);
    std::cout << searchd::search_to_json(searcher.search(search.request), search.request) << '\n';
    return kExitOk;
  } catch (...) {
    const searchd::ErrorReply reply = searchd::describe_exception(std::current_exception());
    std::cout << searchd::error_to_json(reply.code, reply.message) << '\n';
    if (reply.status < 500) return kExitUserError;
    std::cerr << "searchd: " << (reply.log_detail.empty() ? reply.message : reply.log_detail) << '\n';
    return kExitFatal;
  }
}

// ---- serving ----

struct ServeArguments {
  searchd::ServerConfig config;
  std::string host = "127.0.0.1";
  int port = 8080;
  std::string authority_dir;
  std::string token_file;
};

// Parses the serve options into `out`; returns an error message or "".
std::string parse_serve_arguments(const std::vector<std::string>& args, ServeArguments& out) {
  std::string value_error;
  const std::string error = walk_arguments(
      args,
      [&](const std::string& option, const std::string& value) {
        int number = 0;
        if (option == "--index") {
          out.config.index_path = value;
        } else if (option == "--remote") {
          if (std::string problem = add_remote_shard(value, out.config.remote_shards); !problem.empty()) {
            value_error = std::move(problem);
          }
        } else if (option == "--host") {
          out.host = value;
        } else if (option == "--port") {
          if (!parse_number(value, 0, 65535, out.port)) value_error = "--port must be 0..65535";
        } else if (option == "--threads") {
          if (parse_number(value, 1, 1024, number)) {
            out.config.threads = static_cast<unsigned>(number);
          } else {
            value_error = "--threads must be 1..1024";
          }
        } else if (option == "--cors-origin") {
          try {
            out.config.cors_origins.push_back(searchd::normalize_cors_origin(value));
          } catch (const std::invalid_argument& e) {
            value_error = e.what();
          }
        } else if (option == "--web-root") {
          out.config.web_root = value;
        } else if (option == "--authority") {
          out.authority_dir = value;
        } else if (option == "--log-queries") {
          out.config.log_queries = true;
        } else if (option == "--token-file") {
          out.token_file = value;
        } else if (option == "--count-cache-mb") {
          if (parse_number(value, 0, 65536, number)) {
            out.config.count_cache_mb = static_cast<std::size_t>(number);
          } else {
            value_error = "--count-cache-mb must be 0..65536";
          }
        } else if (option == "--rate-limit") {
          if (parse_number(value, 0, 1000000, number)) {
            out.config.rate_limit = static_cast<unsigned>(number);
          } else {
            value_error = "--rate-limit must be 0..1000000";
          }
        } else {
          return false;
        }
        return true;
      },
      [&](const std::string& word) { value_error = "unexpected argument \"" + word + "\""; });
  if (!error.empty()) return error;
  if (!value_error.empty()) return value_error;
  if (const std::string problem = check_index_choice({out.config.index_path, out.config.remote_shards});
      !problem.empty()) {
    return problem;
  }
  try {
    out.config.api_token = searchd::resolve_api_token(out.token_file, std::getenv("SEARCHD_API_TOKEN"));
  } catch (const std::invalid_argument& e) {
    return e.what();
  }
  return "";
}

int serve(const std::vector<std::string>& args) {
  ServeArguments arguments;
  if (const std::string error = parse_serve_arguments(args, arguments); !error.empty()) {
    return error == kHelpAsked ? print_usage() : usage_error(error);
  }

  // SIGTERM/SIGINT (stop) and SIGHUP are blocked in every thread (threads inherit the mask,
  // so this comes before any is started) and taken synchronously by a watcher thread with
  // sigwait(). That needs no signal handler and hence no global flag for one to set.
  sigset_t taken_signals;
  sigemptyset(&taken_signals);
  sigaddset(&taken_signals, SIGTERM);
  sigaddset(&taken_signals, SIGINT);
  sigaddset(&taken_signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &taken_signals, nullptr);

  if (const int exit_code = load_authority(arguments.authority_dir, arguments.config.authority);
      exit_code >= 0) {
    return exit_code;
  }
  warn_if_no_authority(arguments.authority_dir, *arguments.config.authority,
                      rights::IndexLocation{arguments.config.index_path, arguments.config.remote_shards},
                      /*note_override=*/true);
  std::unique_ptr<searchd::SearchServer> server;
  try {
    server = std::make_unique<searchd::SearchServer>(arguments.config);
  } catch (const std::invalid_argument& e) {  // a --web-root that is not a directory, a bad token
    return usage_error(e.what());
  }

  const std::string index_problem = server->check_index();
  if (!index_problem.empty()) {
    std::cerr << "searchd: index unavailable: " << index_problem
              << "\nsearchd: answering 503 until a usable index appears at " << index_description(arguments.config)
              << '\n';
  }

  int port = arguments.port;
  if (port == 0) {
    port = server->bind_to_any_port(arguments.host);
  } else if (!server->bind(arguments.host, port)) {
    port = -1;
  }
  if (port < 0) {
    std::cerr << "searchd: cannot listen on " << arguments.host << ':' << arguments.port
              << " (address in use or invalid)\n";
    return kExitFatal;
  }
  std::cerr << "searchd: serving " << index_description(arguments.config) << " on http://" << arguments.host
            << ':' << port << " with " << arguments.config.threads << " threads"
            << (arguments.config.api_token ? "; API token set (restricted documents need it)" : "")
            << std::endl;

  std::atomic<bool> signal_taken{false};
  std::thread watcher([&] {
    int signal_number = 0;
    // SIGHUP, "reload" by convention, would end the process by default, and systemd's
    // Restart=on-failure counts death by SIGHUP as a clean exit: the service stayed down.
    // There is nothing to reload: index generations are taken up without it.
    while (sigwait(&taken_signals, &signal_number) == 0 && signal_number == SIGHUP) {
      std::cerr << "searchd: SIGHUP ignored: searchd takes up new index generations, and the authority each "
                   "was built with, by itself"
                << std::endl;
    }
    signal_taken = true;
    server->stop();
  });
  const bool listened = server->listen();
  // listen() also returns on a socket error; wake the watcher so it can be joined.
  if (!signal_taken) pthread_kill(watcher.native_handle(), SIGTERM);
  watcher.join();
  if (!listened) {
    std::cerr << "searchd: the listening socket failed\n";
    return kExitFatal;
  }
  std::cerr << "searchd: stopped" << std::endl;
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h" || args[0] == "help")) {
    std::cout << kUsage;
    return kExitOk;
  }
  if (!args.empty() && args[0] == "query") return run_query({args.begin() + 1, args.end()});
  return serve(args);
}
