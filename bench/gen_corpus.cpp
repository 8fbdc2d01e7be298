// bench_gen_corpus: writes N synthetic human-rights documents for the scale benchmarks.
//
//   bench_gen_corpus --docs N --out DIR [--seed S] [--vocab FILE] [--authority DIR]
//                    [--mean-words W] [--threads T]
//
// DIR must not exist. The corpus is written to DIR.tmp-<pid> and renamed to DIR when
// complete, so an existing DIR is always a whole corpus. Layout: DIR/NNNN/doc-NNNNNNN.txt
// (at most 1000 files per subdirectory; ids = paths), plus a copy of the authority files in
// DIR/authority/ so that the indexer's alias finder produces actor/ministry facets.
//
// Every document is a function of (seed, document number) only: the output is the same
// byte for byte whatever the thread count. Contents:
//  - a title line that steers the indexer's type inference (open letter / joint statement /
//    report / article headline);
//  - a dateline "Phnom Penh, 12 May 2021" (or "May 2021"; ~8% undated), 1995..2024;
//  - paragraphs of words drawn from a Zipf distribution (s = 1.15) over bench/vocabulary.txt
//    followed by pseudo-words (a long tail, as real corpora have), English and Khmer; Khmer
//    words are separated by U+200B ZERO WIDTH SPACE (as Khmer typists do), phrases by spaces;
//  - well-known collocations ("human rights", "rule of law"...) in ~20% of sentences;
//  - 0..4 actor and 0..2 ministry mentions (Zipf over the authority files, canonical name or
//    any alias, Khmer forms included);
//  - letters end with "Yours sincerely," and signatory names.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

namespace fs = std::filesystem;

namespace {

#ifndef BENCH_SOURCE_DIR
#define BENCH_SOURCE_DIR "."
#endif

// --- deterministic randomness (no std:: distributions: their output is implementation-defined)

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

class Rng {
 public:
  Rng(std::uint64_t seed, std::uint64_t stream) {
    std::uint64_t s = seed * 0x9E3779B97F4A7C15ULL ^ (stream + 0x632BE59BD9B4E019ULL);
    for (auto& word : s_) word = splitmix64(s);
  }
  std::uint64_t next() {  // xoshiro256**
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }  // [0, 1)
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(uniform() * static_cast<double>(n)); }
  bool chance(double p) { return uniform() < p; }
  std::size_t between(std::size_t lo, std::size_t hi) { return lo + below(hi - lo + 1); }  // inclusive
  double normal() {  // Box-Muller
    const double u1 = 1.0 - uniform(), u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

// Zipf(s) over ranks 0..n-1 by inverse CDF with a bucket index to shorten the search.
class Zipf {
 public:
  Zipf(std::size_t n, double s) : cdf_(n) {
    double sum = 0;
    for (std::size_t i = 0; i < n; ++i) cdf_[i] = (sum += 1.0 / std::pow(static_cast<double>(i + 1), s));
    for (auto& c : cdf_) c /= sum;
    cdf_.back() = 1.0;
    bucket_.resize(kBuckets + 1);
    std::size_t rank = 0;
    for (std::size_t b = 0; b <= kBuckets; ++b) {
      const double u = static_cast<double>(b) / kBuckets;
      while (rank + 1 < n && cdf_[rank] <= u) ++rank;
      bucket_[b] = rank;
    }
  }
  std::size_t operator()(Rng& rng) const {
    const double u = rng.uniform();
    const auto b = static_cast<std::size_t>(u * kBuckets);
    const auto first = cdf_.begin() + static_cast<std::ptrdiff_t>(bucket_[b]);
    const auto last = cdf_.begin() + static_cast<std::ptrdiff_t>(std::min(bucket_[b + 1] + 1, cdf_.size()));
    return static_cast<std::size_t>(std::upper_bound(first, last, u) - cdf_.begin());
  }

 private:
  static constexpr std::size_t kBuckets = 1 << 16;
  std::vector<double> cdf_;
  std::vector<std::size_t> bucket_;
};

// --- inputs

struct Entity {
  std::string name;
  std::vector<std::string> aliases;
};

struct Inputs {
  std::vector<std::string> english, khmer;
  std::vector<Entity> actors, ministries;
  std::vector<std::string> organisations;  // canonical names of organisation actors (signatories)
};

constexpr std::size_t kEnglishVocabulary = 120000;  // listed words + pseudo-words
constexpr std::size_t kKhmerVocabulary = 8000;
// s = 1.15 puts ~80% of English tokens on the listed (real) words, as in real text where the
// top ~1000 words cover most tokens; the pseudo-word tail grows the vocabulary with N.
constexpr double kWordZipfExponent = 1.15;

// Pronounceable pseudo-words, distinct from each other (they encode their number).
std::string english_pseudo_word(std::size_t n) {
  static const char* const onsets[] = {"b", "c", "d", "f", "g", "h", "j", "k", "l", "m", "n", "p", "r", "s", "t", "v",
                                       "w", "z", "br", "ch", "cl", "dr", "fl", "gr", "pl", "pr", "sh", "st", "th", "tr"};
  static const char* const vowels[] = {"a", "e", "i", "o", "u", "ai", "ea", "ou"};
  std::string word;
  std::size_t x = n;
  do {  // base-240 digits, each one syllable
    word += onsets[x % 30];
    word += vowels[(x / 30) % 8];
    x /= 240;
  } while (x > 0);
  word += "n";  // never a real one-syllable word such as "to"
  return word;
}

std::string khmer_pseudo_word(std::size_t n) {
  // consonant + dependent vowel syllables (U+1780.. consonants, U+17B6.. vowel signs).
  static const char32_t consonants[] = {0x1780, 0x1781, 0x1782, 0x1784, 0x1785, 0x1786, 0x1787, 0x1789,
                                        0x178A, 0x178B, 0x178F, 0x1790, 0x1791, 0x1793, 0x1794, 0x1795,
                                        0x1796, 0x1798, 0x1799, 0x179A, 0x179B, 0x179C, 0x179F, 0x17A0};
  static const char32_t vowel_signs[] = {0x17B6, 0x17B7, 0x17B8, 0x17BB, 0x17BC, 0x17C1, 0x17C4, 0x17C5};
  const auto append = [](std::string& out, char32_t c) {  // 3-byte UTF-8 (all in U+0800..U+FFFF)
    out += static_cast<char>(0xE0 | (c >> 12));
    out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (c & 0x3F));
  };
  std::string word;
  std::size_t x = n;
  do {
    append(word, consonants[x % 24]);
    append(word, vowel_signs[(x / 24) % 8]);
    x /= 192;
  } while (x > 0);
  append(word, 0x1793);  // final NO
  return word;
}

Inputs load_inputs(const fs::path& vocab_file, const fs::path& authority_dir) {
  Inputs in;
  std::ifstream vocab(vocab_file);
  if (!vocab) throw std::runtime_error("cannot read vocabulary " + vocab_file.string());
  for (std::string line; std::getline(vocab, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto tab = line.find('\t');
    if (tab == std::string::npos) throw std::runtime_error("bad vocabulary line: " + line);
    const std::string lang = line.substr(0, tab), word = line.substr(tab + 1);
    (lang == "km" ? in.khmer : in.english).push_back(word);
  }
  if (in.english.empty() || in.khmer.empty()) throw std::runtime_error("vocabulary needs en and km words");
  for (std::size_t i = 0; in.english.size() < kEnglishVocabulary; ++i) in.english.push_back(english_pseudo_word(i));
  for (std::size_t i = 0; in.khmer.size() < kKhmerVocabulary; ++i) in.khmer.push_back(khmer_pseudo_word(i));

  const auto load = [&](const char* file, const char* key, std::vector<Entity>& out) {
    std::ifstream stream(authority_dir / file);
    if (!stream) throw std::runtime_error("cannot read " + (authority_dir / file).string());
    const auto json = nlohmann::json::parse(stream);
    for (const auto& item : json.at(key)) {
      Entity entity{item.at("name").get<std::string>(), {}};
      for (const auto& alias : item.at("aliases")) entity.aliases.push_back(alias.get<std::string>());
      if (std::string(key) == "actors" && item.value("kind", "") == "organisation") in.organisations.push_back(entity.name);
      out.push_back(std::move(entity));
    }
  };
  load("actors.json", "actors", in.actors);
  load("ministries.json", "ministries", in.ministries);
  if (in.actors.empty() || in.ministries.empty() || in.organisations.empty()) {
    throw std::runtime_error("authority files need actors (with organisations) and ministries");
  }
  return in;
}

// --- one document

const char* const kMonths[] = {"January", "February", "March",     "April",   "May",      "June",
                               "July",    "August",   "September", "October", "November", "December"};
// Collocations of the field, planted now and then (Zipf over this list) so that phrase
// queries have real matches, as they would in real documents.
const char* const kPhrases[] = {"human rights", "rule of law", "freedom of expression", "land rights",
                                "sexual harassment", "domestic violence", "freedom of association",
                                "civil society", "right to education", "access to justice",
                                "peaceful assembly", "torture and ill-treatment"};
const char* const kProvinces[] = {"Kampot", "Kandal", "Takeo", "Siem Reap", "Battambang", "Kampong Cham",
                                  "Kampong Thom", "Koh Kong", "Kratie", "Mondulkiri", "Ratanakiri", "Preah Vihear",
                                  "Svay Rieng", "Prey Veng", "Pursat", "Kep", "Pailin", "Stung Treng"};

class DocumentWriter {
 public:
  DocumentWriter(const Inputs& in, double mean_words)
      : in_(in), english_(in.english.size(), kWordZipfExponent), khmer_(in.khmer.size(), kWordZipfExponent),
        actor_rank_(in.actors.size(), 1.0), ministry_rank_(in.ministries.size(), 1.0),
        phrase_rank_(std::size(kPhrases), 1.0), mean_words_(mean_words) {}

  void write(std::uint64_t seed, std::uint64_t number, std::string& out) const {
    Rng rng(seed, number);
    out.clear();
    const double type_draw = rng.uniform();
    const bool khmer_main = rng.chance(0.05);
    const bool khmer_part = khmer_main || rng.chance(0.25);
    // Words: lognormal around mean_words (sigma 0.6), 30..6000.
    const double sigma = 0.6;
    const double median = mean_words_ / std::exp(sigma * sigma / 2);
    const auto words = static_cast<std::size_t>(std::clamp(median * std::exp(sigma * rng.normal()), 30.0, 6000.0));

    // Mentions chosen up front, placed into the body at random sentence starts.
    std::vector<std::string> mentions;
    const std::size_t actor_count = pick_count(rng, {0.25, 0.35, 0.25, 0.10, 0.05});
    for (std::size_t i = 0; i < actor_count; ++i) mentions.push_back(alias_of(rng, in_.actors[actor_rank_(rng)]));
    const std::size_t ministry_count = pick_count(rng, {0.55, 0.35, 0.10});
    for (std::size_t i = 0; i < ministry_count; ++i) mentions.push_back(alias_of(rng, in_.ministries[ministry_rank_(rng)]));

    // Title (first line) steers type inference: see infer_document_type in core/src/analysis.cpp.
    enum class Type { Article, Report, Letter, Statement } type;
    if (type_draw < 0.50) {
      type = Type::Article;
      std::string headline = english_words(rng, rng.between(4, 9));
      headline[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(headline[0])));
      out += headline;
    } else if (type_draw < 0.70) {
      type = Type::Report;
      out += rng.chance(0.5) ? "Report on " : "Annual report: ";
      out += english_words(rng, rng.between(2, 5));
      out += " in ";
      out += kProvinces[rng.below(std::size(kProvinces))];
    } else if (type_draw < 0.85) {
      type = Type::Letter;
      out += "Open letter to ";
      out += in_.actors[actor_rank_(rng)].name;
      out += " on ";
      out += english_words(rng, rng.between(2, 4));
    } else {
      type = Type::Statement;
      out += rng.chance(0.5) ? "Joint statement on " : "Press release: ";
      out += english_words(rng, rng.between(2, 5));
    }
    out += "\n\n";

    if (rng.chance(0.92)) {
      const std::size_t year = rng.between(1995, 2024), month = rng.below(12);
      out += rng.chance(0.8) ? "Phnom Penh, " : std::string(kProvinces[rng.below(std::size(kProvinces))]) + ", ";
      if (rng.chance(0.9)) out += std::to_string(rng.between(1, 28)) + " ";
      out += kMonths[month];
      out += ' ';
      out += std::to_string(year);
      out += "\n\n";
    }
    if (type == Type::Letter) out += "Dear Excellency,\n\n";

    // Body: paragraphs of sentences; Khmer paragraphs mixed in.
    std::size_t written = 0, mention = 0;
    const std::size_t khmer_words = khmer_main ? words * 4 / 5 : khmer_part ? std::min<std::size_t>(words / 4, 120) : 0;
    const std::size_t english_total = words - khmer_words;
    std::size_t khmer_written = 0;
    bool khmer_placed = false;
    while (written < english_total || khmer_written < khmer_words) {
      const bool khmer_now = khmer_written < khmer_words && (khmer_main ? rng.chance(0.8) : (!khmer_placed && written >= english_total / 2) || written >= english_total);
      if (khmer_now) {
        const std::size_t n = std::min<std::size_t>(khmer_words - khmer_written, rng.between(20, 80));
        khmer_paragraph(rng, n, mentions, mention, out);
        khmer_written += n;
        khmer_placed = true;
      } else {
        const std::size_t n = std::min<std::size_t>(english_total - written, rng.between(40, 120));
        english_paragraph(rng, n, mentions, mention, out);
        written += n;
      }
    }
    while (mention < mentions.size()) {  // any left (very short documents)
      out += mentions[mention++];
      out += ".\n\n";
    }
    if (type == Type::Letter) {
      out += "Yours sincerely,\n\n";
      const std::size_t signatories = rng.between(1, 5);
      for (std::size_t i = 0; i < signatories; ++i) {
        out += in_.organisations[rng.below(in_.organisations.size())];
        out += '\n';
      }
    }
  }

 private:
  static std::size_t pick_count(Rng& rng, std::initializer_list<double> weights) {
    double u = rng.uniform();
    std::size_t count = 0;
    for (const double w : weights) {
      if (u < w) return count;
      u -= w;
      ++count;
    }
    return count - 1;
  }

  std::string alias_of(Rng& rng, const Entity& entity) const {
    if (entity.aliases.empty() || rng.chance(0.6)) return entity.name;
    return entity.aliases[rng.below(entity.aliases.size())];
  }

  std::string english_words(Rng& rng, std::size_t n) const {
    std::string text;
    for (std::size_t i = 0; i < n; ++i) {
      if (i) text += ' ';
      text += in_.english[english_(rng)];
    }
    return text;
  }

  // Sentences of 6..24 words; a pending mention replaces a sentence start now and then.
  void english_paragraph(Rng& rng, std::size_t n, const std::vector<std::string>& mentions, std::size_t& mention,
                         std::string& out) const {
    std::size_t left = n;
    while (left > 0) {
      std::size_t sentence = std::min(left, rng.between(6, 24));
      left -= sentence;
      const std::size_t start = out.size();
      if (mention < mentions.size() && rng.chance(0.35)) {
        out += mentions[mention++];
        out += ' ';
        out += in_.english[english_(rng)];
        --sentence;
      } else {
        out += in_.english[english_(rng)];
        out[start] = static_cast<char>(std::toupper(static_cast<unsigned char>(out[start])));
      }
      const std::size_t phrase_at = rng.chance(0.2) ? rng.between(1, sentence) : 0;
      for (std::size_t i = 1; i < sentence; ++i) {
        out += (i % 7 == 0 && rng.chance(0.3)) ? ", " : " ";
        if (i == phrase_at) {
          out += kPhrases[phrase_rank_(rng)];
          out += ' ';
        }
        out += in_.english[english_(rng)];
      }
      out += left ? ". " : ".";
    }
    out += "\n\n";
  }

  // Phrases of 2..8 words joined by U+200B, separated by spaces, ended by KHAN (U+17D4).
  void khmer_paragraph(Rng& rng, std::size_t n, const std::vector<std::string>& mentions, std::size_t& mention,
                       std::string& out) const {
    static const std::string kZwsp = "\xE2\x80\x8B", kKhan = "\xE1\x9F\x94";
    std::size_t left = n;
    bool first = true;
    while (left > 0) {
      const std::size_t phrase = std::min(left, rng.between(2, 8));
      left -= phrase;
      if (!first) out += ' ';
      first = false;
      if (mention < mentions.size() && rng.chance(0.2)) {
        out += mentions[mention++];
        out += ' ';
      }
      for (std::size_t i = 0; i < phrase; ++i) {
        if (i) out += kZwsp;
        out += in_.khmer[khmer_(rng)];
      }
    }
    out += kKhan;
    out += "\n\n";
  }

  const Inputs& in_;
  Zipf english_, khmer_, actor_rank_, ministry_rank_, phrase_rank_;
  double mean_words_;
};

// --- output

void write_file(const std::string& path, const std::string& bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) throw std::runtime_error("cannot create " + path + ": " + std::strerror(errno));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      ::close(fd);
      throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  if (::close(fd) != 0) throw std::runtime_error("cannot close " + path + ": " + std::strerror(errno));
}

struct Options {
  std::uint64_t docs = 0, seed = 42;
  fs::path out, vocab = fs::path(BENCH_SOURCE_DIR) / "vocabulary.txt",
                authority = fs::path(BENCH_SOURCE_DIR) / ".." / "corpus" / "authority";
  double mean_words = 220;
  unsigned threads = 0;
};

const char* const kUsage =
    "usage: bench_gen_corpus --docs N --out DIR [--seed S] [--vocab FILE] [--authority DIR]\n"
    "                        [--mean-words W] [--threads T]\n"
    "N accepts k/m suffixes (10k, 1m). DIR must not exist; it is created complete or not at all.\n";

std::uint64_t parse_count(const std::string& text) {
  std::size_t used = 0;
  const double value = std::stod(text, &used);
  double factor = 1;
  const std::string suffix = text.substr(used);
  if (suffix == "k" || suffix == "K") factor = 1e3;
  else if (suffix == "m" || suffix == "M") factor = 1e6;
  else if (!suffix.empty()) throw std::invalid_argument("bad count " + text);
  if (value * factor < 1) throw std::invalid_argument("count must be >= 1");
  return static_cast<std::uint64_t>(std::llround(value * factor));
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::invalid_argument(arg + " needs a value");
      return argv[++i];
    };
    if (arg == "--docs") o.docs = parse_count(value());
    else if (arg == "--out") o.out = value();
    else if (arg == "--seed") o.seed = std::stoull(value());
    else if (arg == "--vocab") o.vocab = value();
    else if (arg == "--authority") o.authority = value();
    else if (arg == "--mean-words") o.mean_words = std::stod(value());
    else if (arg == "--threads") o.threads = static_cast<unsigned>(std::stoul(value()));
    else if (arg == "--help" || arg == "-h") { std::cout << kUsage; std::exit(0); }
    else throw std::invalid_argument("unknown argument " + arg);
  }
  if (o.docs == 0 || o.out.empty()) throw std::invalid_argument("--docs and --out are required");
  if (o.mean_words < 30) throw std::invalid_argument("--mean-words must be >= 30");
  return o;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  try {
    options = parse(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "bench_gen_corpus: " << e.what() << "\n" << kUsage;
    return 2;
  }
  try {
    if (fs::exists(options.out)) throw std::runtime_error(options.out.string() + " already exists");
    const auto started = std::chrono::steady_clock::now();
    const Inputs inputs = load_inputs(options.vocab, options.authority);
    const DocumentWriter writer(inputs, options.mean_words);

    const fs::path tmp = options.out.string() + ".tmp-" + std::to_string(::getpid());
    fs::remove_all(tmp);
    fs::create_directories(tmp / "authority");
    for (const char* file : {"actors.json", "ministries.json"}) {
      fs::copy_file(options.authority / file, tmp / "authority" / file);
    }
    const std::uint64_t dirs = (options.docs + 999) / 1000;
    for (std::uint64_t d = 0; d < dirs; ++d) {
      char name[24];
      std::snprintf(name, sizeof name, "%04llu", static_cast<unsigned long long>(d));
      fs::create_directory(tmp / name);
    }

    unsigned threads = options.threads ? options.threads : std::max(1u, std::thread::hardware_concurrency());
    std::atomic<std::uint64_t> next{0}, bytes{0};
    std::atomic<bool> failed{false};
    std::string error;
    std::mutex error_mutex;
    std::vector<std::thread> pool;
    for (unsigned t = 0; t < threads; ++t) {
      pool.emplace_back([&] {
        std::string text;
        text.reserve(1 << 16);
        char path[64];
        try {
          for (;;) {
            const std::uint64_t first = next.fetch_add(256);
            if (first >= options.docs || failed) break;
            const std::uint64_t last = std::min(options.docs, first + 256);
            std::uint64_t local_bytes = 0;
            for (std::uint64_t n = first; n < last; ++n) {
              writer.write(options.seed, n, text);
              std::snprintf(path, sizeof path, "/%04llu/doc-%07llu.txt", static_cast<unsigned long long>(n / 1000),
                            static_cast<unsigned long long>(n));
              write_file(tmp.string() + path, text);
              local_bytes += text.size();
            }
            bytes += local_bytes;
          }
        } catch (const std::exception& e) {
          std::lock_guard<std::mutex> lock(error_mutex);
          error = e.what();
          failed = true;
        }
      });
    }
    for (auto& thread : pool) thread.join();
    if (failed) {
      fs::remove_all(tmp);
      throw std::runtime_error(error);
    }
    fs::rename(tmp, options.out);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::printf("bench_gen_corpus: %llu documents, %.1f MB in %s (seed %llu) in %.1f s\n",
                static_cast<unsigned long long>(options.docs), static_cast<double>(bytes.load()) / 1e6,
                options.out.c_str(), static_cast<unsigned long long>(options.seed), seconds);
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "bench_gen_corpus: " << e.what() << "\n";
    return 1;
  }
}
