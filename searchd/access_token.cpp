#include "access_token.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace searchd {

namespace {

constexpr std::string_view kWhitespace = " \t\r\n\f\v";

std::string_view trim(std::string_view text) {
  const auto first = text.find_first_not_of(kWhitespace);
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(kWhitespace);
  return text.substr(first, last - first + 1);
}

bool is_printable_ascii(char c) { return c > ' ' && c < 0x7F; }

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
           return lower(x) == lower(y);
         });
}

}  // namespace

AccessToken::AccessToken(std::string_view token) {
  if (token.size() < kMinTokenBytes) {
    throw std::invalid_argument("the API token must be at least " + std::to_string(kMinTokenBytes) +
                                " characters long (it is " + std::to_string(token.size()) + ")");
  }
  // A header value cannot carry such characters, so a token holding them could never match.
  if (!std::all_of(token.begin(), token.end(), is_printable_ascii)) {
    throw std::invalid_argument("the API token may only hold printable ASCII characters without spaces");
  }
  digest_ = digest_of(token);
}

AccessToken::Digest AccessToken::digest_of(std::string_view text) {
  Digest digest{};
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest.data());
  return digest;
}

bool AccessToken::matches(std::string_view presented) const {
  if (!digest_) return false;
  const Digest candidate = digest_of(presented);
  return CRYPTO_memcmp(candidate.data(), digest_->data(), candidate.size()) == 0;
}

Credentials check_authorization(const AccessToken& token, bool header_present,
                                std::string_view header_value) {
  if (!header_present) return Credentials::None;
  const std::string_view value = trim(header_value);
  const auto space = value.find(' ');
  if (space == std::string_view::npos || !equals_ignoring_case(value.substr(0, space), "bearer")) {
    return Credentials::Invalid;
  }
  return token.matches(trim(value.substr(space + 1))) ? Credentials::Valid : Credentials::Invalid;
}

std::optional<std::string> resolve_api_token(const std::string& token_file,
                                             const char* environment_value) {
  if (!token_file.empty()) {
    std::ifstream in(token_file, std::ios::binary);
    if (!in) throw std::invalid_argument("cannot read --token-file \"" + token_file + "\"");
    std::ostringstream contents;
    contents << in.rdbuf();
    const std::string text = contents.str();
    const std::string_view token = trim(text);
    if (token.empty()) throw std::invalid_argument("--token-file \"" + token_file + "\" is empty");
    return std::string(token);
  }
  if (environment_value == nullptr) return std::nullopt;
  const std::string_view token = trim(environment_value);
  if (token.empty()) return std::nullopt;
  return std::string(token);
}

}  // namespace searchd
