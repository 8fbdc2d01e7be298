// indexer: builds, updates and describes a search index. Thin: argument handling and
// terminal output only; the work is in rights_core (index_builder.h, search.h).
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>
#include <vector>

#include "rights/index_builder.h"
#include "rights/schema.h"
#include "rights/search.h"

namespace {

constexpr int kExitOk = 0;
constexpr int kExitFileFailures = 1;
constexpr int kExitUsage = 2;
constexpr int kExitFatal = 3;

const char* const kUsage =
    "usage:\n"
    "  indexer build  CORPUS_DIR --index INDEX_PATH [--threads N] [--shards N] [--write-lanes N]\n"
    "                 [--allow-empty]\n"
    "  indexer update CORPUS_DIR --index INDEX_PATH [--threads N] [--shards N] [--allow-empty]\n"
    "  indexer stats  --index INDEX_PATH\n"
    "\n"
    "build   indexes every .txt .md .html .pdf under CORPUS_DIR into a new generation and\n"
    "        switches INDEX_PATH (a symlink) to it atomically.\n"
    "        --shards N (1..64) splits it into N shard databases (by document id) that\n"
    "        open as one (a XAPIANDB stub) or are served separately by xapian-tcpsrv;\n"
    "        --shards 1 writes one database. Without --shards a build keeps the shard\n"
    "        count of the index it replaces (one database for a new index).\n"
    "        --write-lanes N (1..64): Xapian writers of an unsharded build, each into its\n"
    "        own databases, merged at the end (default: one per analysis thread).\n"
    "update  re-indexes added/changed files, removes deleted ones, switches atomically;\n"
    "        keeps the shard count of the current generation (--shards N, if given, must\n"
    "        equal it).\n"
    "        A CORPUS_DIR without documents (an unmounted share?), or whose every file\n"
    "        fails, does not replace an index that has some, nor makes a first one,\n"
    "        unless --allow-empty is given.\n"
    "stats   documents, terms, per-language and per-facet counts.\n"
    "exit status: 0 ok, 1 some files failed (listed), 2 usage error, 3 index not written.\n";

struct Arguments {
  std::string command, corpus_dir, index_path;
  unsigned threads = 0;
  unsigned shards = 0;  ///< 0: not given
  unsigned write_lanes = 0;  ///< 0: not given
  bool allow_empty = false;
};

int usage_error(const std::string& message) {
  std::cerr << "indexer: " << message << "\n\n" << kUsage;
  return kExitUsage;
}

// Reads the number after option args[i] (advancing i) into `out`; returns an exit code on
// error, or -1.
int parse_count(const std::vector<std::string>& args, std::size_t& i, int low, int high, unsigned& out) {
  const std::string& option = args[i];
  if (i + 1 >= args.size()) return usage_error(option + " needs a number");
  const std::string range = option + " must be " + std::to_string(low) + ".." + std::to_string(high);
  try {
    std::size_t used = 0;
    const int value = std::stoi(args[++i], &used);
    if (used != args[i].size() || value < low || value > high) return usage_error(range);
    out = static_cast<unsigned>(value);
  } catch (const std::exception&) {
    return usage_error(range);
  }
  return -1;
}

// Parses argv; returns an exit code on error, or -1 when `out` is complete.
int parse_arguments(int argc, char** argv, Arguments& out) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return usage_error("no command given");
  if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return kExitOk;
  }
  out.command = args[0];
  if (out.command != "build" && out.command != "update" && out.command != "stats") {
    return usage_error("unknown command \"" + out.command + "\"");
  }
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& arg = args[i];
    const bool has_value = i + 1 < args.size();
    if (arg == "--index") {
      if (!has_value) return usage_error("--index needs a path");
      out.index_path = args[++i];
    } else if (arg == "--threads") {
      if (const int code = parse_count(args, i, 1, 256, out.threads); code >= 0) return code;
    } else if (arg == "--shards") {
      if (const int code = parse_count(args, i, 1, static_cast<int>(rights::kMaxShards), out.shards); code >= 0) {
        return code;
      }
    } else if (arg == "--write-lanes" && out.command == "build") {
      if (const int code = parse_count(args, i, 1, static_cast<int>(rights::kMaxWriteLanes), out.write_lanes);
          code >= 0) {
        return code;
      }
    } else if (arg == "--allow-empty" && out.command != "stats") {
      out.allow_empty = true;
    } else if (!arg.empty() && arg[0] == '-') {
      return usage_error("unknown option \"" + arg + "\"");
    } else if (out.corpus_dir.empty() && out.command != "stats") {
      out.corpus_dir = arg;
    } else {
      return usage_error("unexpected argument \"" + arg + "\"");
    }
  }
  if (out.index_path.empty()) return usage_error("--index INDEX_PATH is required");
  if (out.command != "stats" && out.corpus_dir.empty()) return usage_error("CORPUS_DIR is required");
  return -1;
}

std::string format_seconds(double seconds) {
  char buffer[32];
  const auto total = static_cast<long>(seconds);
  std::snprintf(buffer, sizeof buffer, "%ld:%02ld", total / 60, total % 60);
  return buffer;
}

// A path or reason as part of one report line: control characters (a newline or a tab in a
// file name) as \xNN, as the corpus scan shows bytes that are not UTF-8, so that each
// file's line stays one line and no file name can print a line of its own.
std::string one_line(const std::string& text) {
  std::string shown;
  shown.reserve(text.size());
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x20 && byte != 0x7F) {
      shown += c;
      continue;
    }
    char hex[5];
    std::snprintf(hex, sizeof hex, "\\x%02X", byte);
    shown += hex;
  }
  return shown;
}

// Redraws one status line on a terminal: bar, files, MB, rate and ETA.
class ProgressBar {
 public:
  void draw(const rights::BuildProgress& progress) {
    const auto now = std::chrono::steady_clock::now();
    if (progress.files_done != progress.files_total && now - last_draw_ < std::chrono::milliseconds(100)) return;
    last_draw_ = now;
    const double elapsed = std::chrono::duration<double>(now - started_).count();
    const double fraction = progress.bytes_total ? static_cast<double>(progress.bytes_done) / static_cast<double>(progress.bytes_total) : 1.0;
    const double megabytes = static_cast<double>(progress.bytes_done) / 1e6;
    const double rate = elapsed > 0 ? megabytes / elapsed : 0;
    const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
    constexpr int kWidth = 28;
    const int filled = static_cast<int>(fraction * kWidth);
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(kWidth, '.');
    std::fprintf(stderr, "\r[%s] %llu/%llu files  %.1f MB  %.2f MB/s  ETA %s ", bar.c_str(),
                 static_cast<unsigned long long>(progress.files_done),
                 static_cast<unsigned long long>(progress.files_total), megabytes, rate,
                 format_seconds(eta).c_str());
    if (progress.files_done == progress.files_total) std::fputc('\n', stderr);
  }

 private:
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_draw_{};
};

int run_build(const Arguments& args) {
  const bool terminal = ::isatty(STDERR_FILENO) != 0;
  ProgressBar bar;
  rights::BuildOptions options;
  options.analysis_threads = args.threads;
  options.shards = args.shards;
  options.write_lanes = args.write_lanes;
  options.allow_empty = args.allow_empty;
  if (terminal) options.on_progress = [&bar](const rights::BuildProgress& p) { bar.draw(p); };
  options.on_failure = [terminal](const rights::FileFailure& failure) {
    if (terminal) std::fputc('\n', stderr);
    std::cerr << "indexer: skipped " << one_line(failure.path) << ": " << one_line(failure.reason) << "\n";
  };
  const auto report = args.command == "build"
                          ? rights::build_index(args.corpus_dir, args.index_path, options)
                          : rights::update_index(args.corpus_dir, args.index_path, options);
  const double megabytes = static_cast<double>(report.bytes_read) / 1e6;
  std::printf("%s: %llu files, %llu indexed, %llu unchanged, %llu removed, %llu failed, "
              "%llu unsupported skipped; %.2f MB in %.2f s (%.2f MB/s); generation %s%s\n",
              args.command.c_str(), static_cast<unsigned long long>(report.files_seen),
              static_cast<unsigned long long>(report.documents_indexed),
              static_cast<unsigned long long>(report.documents_unchanged),
              static_cast<unsigned long long>(report.documents_removed),
              static_cast<unsigned long long>(report.failures.size()),
              static_cast<unsigned long long>(report.skipped_unsupported.size()), megabytes,
              report.seconds, report.seconds > 0 ? megabytes / report.seconds : 0.0,
              report.generation.c_str(),
              report.shards > 1 ? (" (" + std::to_string(report.shards) + " shards)").c_str() : "");
  for (const auto& path : report.skipped_unsupported) {
    std::printf("  not indexed (unsupported type): %s\n", one_line(path).c_str());
  }
  for (const auto& link : report.skipped_links) {
    std::printf("  not indexed (symbolic link to %s; links are not followed): %s\n",
                one_line(link.target).c_str(), one_line(link.path).c_str());
  }
  for (const auto& special : report.skipped_special) {
    std::printf("  not indexed (%s, not a file): %s\n", special.kind.c_str(), one_line(special.path).c_str());
  }
  for (const auto& failure : report.failures) {
    std::printf("  FAILED %s: %s\n", one_line(failure.path).c_str(), one_line(failure.reason).c_str());
  }
  return report.failures.empty() ? kExitOk : kExitFileFailures;
}

int run_stats(const Arguments& args) {
  rights::Searcher searcher(args.index_path, std::make_shared<rights::Authority>());
  const auto stats = searcher.stats(/*include_restricted=*/true);
  const unsigned shards = rights::generation_shard_count(rights::current_generation(args.index_path));
  std::printf("index       %s\ngeneration  %s\nshards      %u\nbuilt       %s\ndocuments   %llu\nterms       %llu\n",
              args.index_path.c_str(), stats.generation.c_str(), shards, stats.build_time.c_str(),
              static_cast<unsigned long long>(stats.documents),
              static_cast<unsigned long long>(stats.terms));
  for (const auto& [facet, counts] : stats.facets) {
    std::printf("\n%s:\n", facet.c_str());
    for (const auto& count : counts) {
      std::printf("  %8llu  %s\n", static_cast<unsigned long long>(count.count), count.value.c_str());
    }
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  // Over a file-size limit (ulimit -f) the kernel would kill us with SIGXFSZ and leave a
  // half-written generation without a word; ignored, the write fails with EFBIG and the
  // build stops like on a full disk: with a message, the previous index untouched.
  std::signal(SIGXFSZ, SIG_IGN);
  Arguments args;
  if (const int status = parse_arguments(argc, argv, args); status >= 0) return status;
  try {
    return args.command == "stats" ? run_stats(args) : run_build(args);
  } catch (const rights::BuildError& e) {
    std::cerr << "indexer: " << e.what() << "\n";
  } catch (const rights::IndexUnavailable& e) {
    std::cerr << "indexer: " << e.what() << "\n";
  } catch (const rights::SchemaMismatch& e) {  // update of an index from another version
    std::cerr << "indexer: " << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "indexer: unexpected error: " << e.what() << "\n";
  }
  return kExitFatal;
}
