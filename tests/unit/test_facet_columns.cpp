// The in-memory facet columns must count exactly what Xapian's stock ValueCountMatchSpy
// (plus splitting the packed value sets) counts: same database, same queries, with
// multi-valued, empty and missing slots, deleted documents and a database changed
// after its columns were loaded.
#include <catch2/catch.hpp>
#include <xapian.h>

#include <cstddef>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "facet_columns.h"
#include "facet_counts.h"
#include "rights/facet_column_cache.h"
#include "rights/schema.h"

using rights::kFacets;
using rights::detail::FacetColumns;
using rights::detail::FacetColumnSpy;
using rights::detail::ValueCounts;

namespace {

std::vector<std::size_t> every_facet() {
  std::vector<std::size_t> indexes;
  for (std::size_t i = 0; i < kFacets.size(); ++i) indexes.push_back(i);
  return indexes;
}

// `documents` random documents: each facet slot holds 0..4 of 12 values (or is absent),
// terms "even"/"odd" and "w<k>" to query by; every seventh document deleted again.
Xapian::WritableDatabase random_database(unsigned documents, unsigned seed) {
  Xapian::WritableDatabase db(std::string(), Xapian::DB_BACKEND_INMEMORY);
  std::mt19937 random(seed);
  for (unsigned n = 0; n < documents; ++n) {
    Xapian::Document doc;
    doc.add_term(n % 2 == 0 ? "even" : "odd");
    doc.add_term("w" + std::to_string(random() % 5));
    for (const auto& facet : kFacets) {
      const auto values = random() % 5;  // 0: slot absent
      std::vector<std::string> set;
      for (std::uint_fast32_t v = 0; v < values; ++v) set.push_back(std::string(facet.name) + "-" + std::to_string(random() % 12));
      if (!set.empty()) doc.add_value(rights::slot_number(facet.slot), rights::join_facet_values(set));
    }
    // Sort keys: some absent, many shared, bytes above 0x7f (compared unsigned). Half
    // share their first 16 bytes (what the loader sorts by before whole keys), with NULs
    // inside and at the end, and one is a prefix of the others.
    // Keys of undated documents start with the separator: the undated-last order puts them
    // after all the others.
    if (random() % 6 != 0) {
      std::string key = std::string(1, static_cast<char>(0x70 + random() % 32)) + std::to_string(random() % 40);
      if (random() % 5 == 0) key += '\0';
      if (random() % 2 == 0) key = std::string("2019-05-13\0doc-0", 16) + key.substr(0, random() % (key.size() + 1));
      if (random() % 4 == 0) key = rights::sort_key_value("", key);
      doc.add_value(rights::slot_number(rights::Slot::SortKey), key);
      doc.add_value(rights::slot_number(rights::Slot::SortKeyUndatedLast), rights::undated_last_sort_key(key));
    }
    db.add_document(doc);
  }
  for (Xapian::docid did = 7; did <= documents; did += 7) db.delete_document(did);
  return db;
}

std::vector<ValueCounts> stock_counts(const Xapian::Database& db, const Xapian::Query& query) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> spies;
  for (const auto& facet : kFacets) {
    spies.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(rights::slot_number(facet.slot)));
    enquire.add_matchspy(spies.back().get());
  }
  enquire.get_mset(0, 10, db.get_doccount());
  std::vector<ValueCounts> counts;
  for (const auto& spy : spies) counts.push_back(rights::detail::unpack_counts(*spy));
  return counts;
}

std::vector<ValueCounts> column_counts(const Xapian::Database& db, const Xapian::Query& query,
                                       std::shared_ptr<const FacetColumns> columns) {
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  FacetColumnSpy spy(std::move(columns), every_facet());
  enquire.add_matchspy(&spy);
  enquire.get_mset(0, 10, db.get_doccount());
  std::vector<ValueCounts> counts;
  for (std::size_t i = 0; i < kFacets.size(); ++i) counts.push_back(spy.counts(i));
  return counts;
}

}  // namespace

TEST_CASE("facet columns count exactly what ValueCountMatchSpy counts", "[facet_columns]") {
  for (const unsigned seed : {1u, 2u, 3u}) {
    const auto db = random_database(500, seed);
    const auto columns = FacetColumns::load(db);
    for (const auto& query : {Xapian::Query::MatchAll, Xapian::Query("even"), Xapian::Query("w3"),
                              Xapian::Query(Xapian::Query::OP_AND, Xapian::Query("odd"), Xapian::Query("w1")),
                              Xapian::Query("absent")}) {
      CAPTURE(seed, query.get_description());
      const auto expected = stock_counts(db, query);
      CHECK(column_counts(db, query, columns) == expected);
    }
  }
}

TEST_CASE("a facet column spy asked for some facets reports exactly those", "[facet_columns]") {
  const auto db = random_database(300, 11);
  const auto columns = FacetColumns::load(db);
  const Xapian::Query query("odd");
  const auto expected = stock_counts(db, query);
  // The last facet and the first: rows hold every facet, interleaved, so a facet's counts
  // must come from its own ordinals only, whichever facets are asked for.
  const std::vector<std::size_t> asked = {kFacets.size() - 1, 0};
  Xapian::Enquire enquire(db);
  enquire.set_query(query);
  FacetColumnSpy spy(columns, asked);
  enquire.add_matchspy(&spy);
  enquire.get_mset(0, 10, db.get_doccount());
  for (const std::size_t facet : asked) {
    CAPTURE(facet);
    CHECK(!expected[facet].empty());
    CHECK(spy.counts(facet) == expected[facet]);
  }
  CHECK_THROWS_AS(spy.counts(1), std::logic_error);
}

// Every document id of `enquire`'s whole ranking, in order.
std::vector<Xapian::docid> ranking(const Xapian::Enquire& enquire, const Xapian::Database& db) {
  std::vector<Xapian::docid> ids;
  const auto mset = enquire.get_mset(0, db.get_doccount());
  for (auto it = mset.begin(); it != mset.end(); ++it) ids.push_back(*it);
  return ids;
}

TEST_CASE("SortKeyOrder ranks documents exactly as their SortKey values do", "[facet_columns]") {
  const auto db = random_database(400, 13);
  const auto columns = FacetColumns::load(db);
  rights::detail::SortKeyOrder order(columns);
  const auto slot = rights::slot_number(rights::Slot::SortKey);
  for (const auto& query : {Xapian::Query::MatchAll, Xapian::Query("w2"),
                            Xapian::Query(Xapian::Query::OP_OR, Xapian::Query("even"), Xapian::Query("w4"))}) {
    for (const bool descending : {false, true}) {
      CAPTURE(query.get_description(), descending);
      Xapian::Enquire by_value(db), by_key(db);
      by_value.set_query(query);
      by_key.set_query(query);
      by_value.set_sort_by_value(slot, descending);
      by_key.set_sort_by_key(&order, descending);
      const auto expected = ranking(by_value, db);
      CHECK(expected.size() > 20);
      CHECK(ranking(by_key, db) == expected);
      // Relevance first: the documents' weights tie in large groups (every one has two
      // terms), so the order within each group is the sort key's.
      by_value.set_sort_by_relevance_then_value(slot, descending);
      by_key.set_sort_by_relevance_then_key(&order, descending);
      CHECK(ranking(by_key, db) == ranking(by_value, db));
    }
  }
  // With undated documents last: exactly as the SortKeyUndatedLast values.
  rights::detail::SortKeyOrder undated_last(columns, /*undated_last=*/true);
  const auto undated_last_slot = rights::slot_number(rights::Slot::SortKeyUndatedLast);
  for (const bool descending : {false, true}) {
    Xapian::Enquire by_value(db), by_key(db);
    by_value.set_query(Xapian::Query::MatchAll);
    by_key.set_query(Xapian::Query::MatchAll);
    by_value.set_sort_by_value(undated_last_slot, descending);
    by_key.set_sort_by_key(&undated_last, descending);
    CHECK(ranking(by_key, db) == ranking(by_value, db));
  }
  // A document's key is empty exactly when it has no SortKey value (rank 0).
  const Xapian::Document some = db.get_document(1);
  CHECK((order(some).empty()) == some.get_value(slot).empty());
}

TEST_CASE("facet columns never count values a document does not hold", "[facet_columns]") {
  const auto db = random_database(100, 9);
  const auto columns = FacetColumns::load(db);
  const auto counts = column_counts(db, Xapian::Query::MatchAll, columns);
  std::uint64_t total = 0;
  for (const auto& [value, count] : counts[0]) total += count;
  // Sanity of the comparison above: the random data has values, and deleted documents
  // (every seventh) are not counted.
  CHECK(total > 0);
  CHECK(counts == stock_counts(db, Xapian::Query::MatchAll));
  CHECK(db.get_doccount() == 100 - 100 / 7);
}

TEST_CASE("facet column cache: one load per key, a new key loads again", "[facet_columns]") {
  rights::FacetColumnCache cache;
  auto db = random_database(50, 4);
  const auto first = cache.get("gen-a@1", db);
  REQUIRE(first != nullptr);
  CHECK(cache.get("gen-a@1", db) == first);

  // A changed database under a new key gets new columns that see the new document.
  Xapian::Document extra;
  extra.add_term("even");
  extra.add_value(rights::slot_number(kFacets[0].slot), "brand-new");
  db.add_document(extra);
  const auto second = cache.get("gen-a@2", db);
  REQUIRE(second != nullptr);
  CHECK(second != first);
  CHECK(column_counts(db, Xapian::Query("even"), second) == stock_counts(db, Xapian::Query("even")));
  CHECK(column_counts(db, Xapian::Query("even"), second)[0].count("brand-new") == 1);
  // Both generations stay cached while threads may still be on the old one.
  CHECK(cache.get("gen-a@1", db) == first);
}

TEST_CASE("facet columns refuse a database made of several shards", "[facet_columns]") {
  Xapian::Database combined;
  combined.add_database(random_database(10, 5));
  combined.add_database(random_database(10, 6));
  CHECK_THROWS_AS(FacetColumns::load(combined), std::logic_error);
}
