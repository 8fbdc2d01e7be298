// The API token that unlocks restricted documents. Requests prove they hold it with
// `Authorization: Bearer <token>`; the comparison takes the same time whatever the
// presented value, so response timing cannot reveal the token byte by byte.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace searchd {

/// Tokens shorter than this are refused at startup: short secrets are guessable over HTTP.
inline constexpr std::size_t kMinTokenBytes = 16;

class AccessToken {
 public:
  /// No token configured: every presented token is wrong.
  AccessToken() = default;
  /// Keeps only the SHA-256 digest of `token`. Throws std::invalid_argument if it is
  /// shorter than kMinTokenBytes or holds whitespace or control characters.
  explicit AccessToken(std::string_view token);

  bool configured() const { return digest_.has_value(); }

  /// True when `presented` is the configured token. Compares SHA-256 digests with
  /// CRYPTO_memcmp: both sides always have 32 bytes, so neither the position of the first
  /// differing byte nor a difference in length changes the time taken.
  bool matches(std::string_view presented) const;

 private:
  using Digest = std::array<unsigned char, 32>;
  static Digest digest_of(std::string_view text);
  std::optional<Digest> digest_;
};

/// Where an `Authorization` header value stands.
enum class Credentials { None, Valid, Invalid };

/// Checks an Authorization header value (`header_present` false: no header sent). Only
/// the `Bearer` scheme (case-insensitive, RFC 6750) is accepted; anything else sent is
/// Invalid, never ignored.
Credentials check_authorization(const AccessToken& token, bool header_present,
                                std::string_view header_value);

/// The token searchd should use: the trimmed contents of `token_file` when one is given,
/// else the trimmed `environment_value` (SEARCHD_API_TOKEN) when set and non-empty, else
/// none. Throws std::invalid_argument naming the file when it cannot be read or is empty.
std::optional<std::string> resolve_api_token(const std::string& token_file,
                                             const char* environment_value);

}  // namespace searchd
