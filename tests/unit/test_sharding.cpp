// Shard placement, remote shard addresses and the sort key that orders documents the same
// way in one index and in its shards.
#include <catch2/catch.hpp>

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "rights/analysis.h"
#include "rights/index_builder.h"
#include "rights/index_location.h"
#include "rights/schema.h"

TEST_CASE("shard placement depends only on the document id", "[unit][shards]") {
  // FNV-1a 64 reference values: the empty string is the offset basis.
  CHECK(rights::fnv1a_64("") == 14695981039346656037ULL);
  CHECK(rights::fnv1a_64("a") == 0xaf63dc4c8601ec8cULL);
  CHECK(rights::fnv1a_hex("a") == "af63dc4c8601ec8c");

  CHECK(rights::shard_of("udhr-eng", 1) == 0);
  CHECK(rights::shard_of("udhr-eng", 0) == 0);
  CHECK(rights::shard_of("udhr-eng", 3) == rights::fnv1a_64("udhr-eng") % 3);

  // Spread: 3000 ids over 3 shards, each shard gets a fair share.
  std::vector<int> per_shard(3);
  for (int i = 0; i < 3000; ++i) per_shard[rights::shard_of("doc-" + std::to_string(i), 3)]++;
  for (const int count : per_shard) CHECK(count > 850);
}

TEST_CASE("remote shards are written HOST:PORT", "[unit][shards]") {
  const auto shard = rights::parse_remote_shard("search-2.example.org:7001");
  CHECK(shard.host == "search-2.example.org");
  CHECK(shard.port == 7001);
  CHECK(shard.name() == "search-2.example.org:7001");

  const auto ipv6 = rights::parse_remote_shard("[::1]:7001");
  CHECK(ipv6.host == "::1");
  CHECK(ipv6.name() == "[::1]:7001");

  for (const char* bad : {"", "host", ":7001", "host:", "host:0", "host:65536", "host:70a", "::1:7001", "[]:7001"}) {
    INFO(bad);
    CHECK_THROWS_AS(rights::parse_remote_shard(bad), std::invalid_argument);
  }

  rights::IndexLocation location;
  location.index_path = "/srv/index";
  CHECK(location.describe() == "/srv/index");
  location.remote_shards = {shard, ipv6};
  CHECK(location.describe() == "remote shards search-2.example.org:7001, [::1]:7001");
}

TEST_CASE("the sort key orders by date, then id, undated first", "[unit][shards]") {
  std::vector<std::string> keys{
      rights::sort_key_value("20210512", "b"), rights::sort_key_value("", "z"),
      rights::sort_key_value("20210512", "a"), rights::sort_key_value("19481210", "udhr-eng"),
      rights::sort_key_value("20210512", "a-longer-id"), rights::sort_key_value("", "a")};
  std::sort(keys.begin(), keys.end());
  const std::vector<std::string> expected{
      rights::sort_key_value("", "a"), rights::sort_key_value("", "z"),
      rights::sort_key_value("19481210", "udhr-eng"), rights::sort_key_value("20210512", "a"),
      rights::sort_key_value("20210512", "a-longer-id"), rights::sort_key_value("20210512", "b")};
  CHECK(keys == expected);
}
