#include "request_log.h"

#include <cctype>
#include <set>
#include <sstream>
#include <vector>

#include "rights/text_analysis.h"

namespace searchd {

namespace {

constexpr std::size_t kMinRedactedBytes = 3;
constexpr const char* kRedacted = "<redacted>";

std::string ascii_lowercase(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

// Replaces every occurrence of `needle` in `text`, ignoring ASCII case (byte lengths do
// not change under ASCII lowercasing, so positions in the lowered copy are valid in `text`).
void redact_all(std::string& text, const std::string& needle) {
  const std::string lowered_needle = ascii_lowercase(needle);
  std::string lowered = ascii_lowercase(text);
  for (std::size_t at = lowered.find(lowered_needle); at != std::string::npos;
       at = lowered.find(lowered_needle, at + std::char_traits<char>::length(kRedacted))) {
    text.replace(at, needle.size(), kRedacted);
    lowered.replace(at, needle.size(), kRedacted);
  }
}

// Splits on anything that is not a letter or digit of ASCII, keeping non-ASCII bytes
// (words of other scripts) together.
std::vector<std::string> words_of(const std::string& value) {
  std::vector<std::string> words;
  std::string word;
  for (const char c : value) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80 || std::isalnum(byte)) {
      word += c;
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

// A request field as it may appear in a log line: control bytes (a decoded "%0A" in a path
// would forge a line of its own) shown as \xNN, and cut short, since a client chooses it.
std::string loggable(const std::string& text) {
  static const char* const kHex = "0123456789abcdef";
  constexpr std::size_t kMaxLoggedBytes = 300;
  std::string out;
  for (const char c : text.substr(0, kMaxLoggedBytes)) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7F || c == '\\') {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0x0F];
    } else {
      out += c;
    }
  }
  if (text.size() > kMaxLoggedBytes) out += "...";
  return out;
}

}  // namespace

std::string without_query_text(std::string text, const QueryParams& params) {
  // Longest first, so a whole value is blanked before its words would split it up.
  std::set<std::string, bool (*)(const std::string&, const std::string&)> secrets(
      [](const std::string& a, const std::string& b) { return a.size() != b.size() ? a.size() > b.size() : a < b; });
  for (const auto& [name, value] : params) {
    secrets.insert(value);
    for (const auto& word : words_of(value)) {
      secrets.insert(word);
      try {
        secrets.insert(rights::normalize(word));
      } catch (const std::exception&) {
        // Not valid UTF-8: the raw word is blanked already.
      }
    }
  }
  for (const auto& secret : secrets) {
    if (secret.size() >= kMinRedactedBytes) redact_all(text, secret);
  }
  return text;
}

void RequestLog::access(const httplib::Request& request, const httplib::Response& response) {
  std::ostringstream line;
  line << "searchd: " << what_was_asked(request) << ' ' << response.status << ' ' << response.body.size()
       << " bytes";
  write(line.str());
}

void RequestLog::internal_error(const httplib::Request& request, const std::string& detail) {
  request_failed(request, "internal error", detail);
}

void RequestLog::request_failed(const httplib::Request& request, const std::string& what, const std::string& detail) {
  write("searchd: " + what + " on " + what_was_asked(request) + ": " +
        loggable(log_queries_ ? detail : without_query_text(detail, request.params)));
}

void RequestLog::note(const std::string& line) { write(line); }

std::string RequestLog::what_was_asked(const httplib::Request& request) const {
  // The path names the endpoint (and a document id); the query string holds what a user
  // searched for. A request httplib could not parse has no path, and its "method" is
  // whatever garbage came first.
  if (request.path.empty()) return "(unparsed request)";
  return loggable(request.method) + ' ' + loggable(log_queries_ ? request.target : request.path);
}

void RequestLog::write(const std::string& line) {
  if (sink_ == nullptr) return;
  const std::string whole = line + '\n';
  std::lock_guard<std::mutex> lock(mutex_);
  // One write of the whole line: std::cerr is unbuffered and would write each piece.
  sink_->write(whole.data(), static_cast<std::streamsize>(whole.size()));
  sink_->flush();
}

}  // namespace searchd
