// The API token: exact matching through digests, the Bearer scheme, and where the token
// comes from (file or environment).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "access_token.h"

using searchd::AccessToken;
using searchd::Credentials;

namespace {

const std::string kToken = "unit-test-token-0123456789";

}  // namespace

TEST_CASE("access token: only the exact token matches", "[http][token]") {
  const AccessToken token(kToken);
  CHECK(token.configured());
  CHECK(token.matches(kToken));
  CHECK_FALSE(token.matches(kToken + "x"));
  CHECK_FALSE(token.matches(kToken.substr(0, kToken.size() - 1)));
  CHECK_FALSE(token.matches(""));
  CHECK_FALSE(token.matches(std::string(kToken).replace(0, 1, "U")));
  CHECK_FALSE(AccessToken().matches(""));  // none configured: nothing matches
  CHECK_FALSE(AccessToken().configured());
}

TEST_CASE("access token: short or unprintable tokens are refused at startup", "[http][token]") {
  CHECK_THROWS_AS(AccessToken("short"), std::invalid_argument);
  CHECK_THROWS_AS(AccessToken("a token with spaces in it"), std::invalid_argument);
  CHECK_THROWS_AS(AccessToken("token-with-newline\n-in-it"), std::invalid_argument);
  CHECK_NOTHROW(AccessToken(std::string(searchd::kMinTokenBytes, 'k')));
}

TEST_CASE("authorization header: Bearer scheme only, wrong values are Invalid", "[http][token]") {
  const AccessToken token(kToken);
  CHECK(searchd::check_authorization(token, false, "") == Credentials::None);
  CHECK(searchd::check_authorization(token, true, "Bearer " + kToken) == Credentials::Valid);
  CHECK(searchd::check_authorization(token, true, "bearer  " + kToken + " ") == Credentials::Valid);
  CHECK(searchd::check_authorization(token, true, "") == Credentials::Invalid);
  CHECK(searchd::check_authorization(token, true, kToken) == Credentials::Invalid);
  CHECK(searchd::check_authorization(token, true, "Basic " + kToken) == Credentials::Invalid);
  CHECK(searchd::check_authorization(token, true, "Bearer wrong") == Credentials::Invalid);
  CHECK(searchd::check_authorization(AccessToken(), true, "Bearer " + kToken) == Credentials::Invalid);
}

TEST_CASE("api token: the file wins over the environment: both are trimmed", "[http][token]") {
  const auto file = std::filesystem::temp_directory_path() / "rights-unit-token-file";
  std::ofstream(file) << "  " << kToken << "\n";
  CHECK(searchd::resolve_api_token(file.string(), "from-environment-1234567") == kToken);
  CHECK(searchd::resolve_api_token("", " from-environment-1234567\n") == "from-environment-1234567");
  CHECK_FALSE(searchd::resolve_api_token("", nullptr).has_value());
  CHECK_FALSE(searchd::resolve_api_token("", "  ").has_value());
  std::ofstream(file) << "\n \n";
  CHECK_THROWS_AS(searchd::resolve_api_token(file.string(), nullptr), std::invalid_argument);
  std::filesystem::remove(file);
  CHECK_THROWS_AS(searchd::resolve_api_token(file.string(), nullptr), std::invalid_argument);
}
