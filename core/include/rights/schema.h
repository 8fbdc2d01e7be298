// The index schema: the one table of term prefixes, value slots and facets that the
// indexer, the query parser and searchd all read. Nothing else in the code base may
// spell a prefix or a slot number.
#pragma once

#include <xapian.h>

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rights {

/// Bumped whenever a prefix, slot or stored-data layout changes. Written into the index
/// (metadata key kSchemaVersionKey); readers refuse any other version.
/// Version 2 added Slot::SortKey (deterministic ordering across shards); version 3 indexes
/// each word with Latin diacritics also without them (document_builder.cpp) and adds
/// Slot::SortKeyUndatedLast; version 4 indexes French/Italian/Catalan elided words without
/// their article ("l’éducation" -> "éducation", text_analysis.cpp); version 5 folds Greek
/// accents, Hebrew points, Arabic harakat and letter variants, Russian ё and Turkish İ's
/// dot out of every word (text_analysis.cpp, fold_script_variants), and indexes Hangul
/// as syllable pairs (append_hangul_word); version 6 folds Farsi yeh and keheh to the
/// Arabic letters, composes old-style Malayalam chillus and splits words at U+202F
/// (text_analysis.cpp); version 7 folds Khmer subscript da to ta and ឲ to ឱ, Romanian
/// comma-below letters to cedilla, drops the Hindi and Punjabi nukta, leaves Urdu's yeh
/// barree unfolded, reads ʻ and ‘ as apostrophes and drops apostrophes at word edges,
/// segments decomposed Thai/Lao sara am and Lao ຫມ ຫນ as composed, and gives the
/// accent-free copy of words with tones on ɛ/ɔ, marks on plain letters or Hausa's hooked
/// letters, folds Traditional Chinese characters to Simplified and drops Syriac vowel
/// points (text_analysis.cpp); version 8 folds every script's decimal digits to ASCII,
/// splits a number from a Khmer, Thai, Lao or Burmese word written against it and puts
/// Khmer clusters typed out of order (coeng ro first, nikahit before u) in Unicode's order
/// (text_analysis.cpp); version 9 also puts in Unicode's order the marks typed in another
/// order that looks the same: a Khmer register shifter after the vowel, Thai and Lao tone
/// marks before the vowel above and nikhahit before the tone, Burmese medials and vowels
/// (mark_order.cpp, put_marks_in_order), and segments those scripts' words across an
/// invisible joiner (ZWNJ, ZWJ, word joiner) as if it were not there, and reads Thai and
/// Lao sara e typed twice as sara ae and Khmer ោ ើ typed as two vowels as one, and a
/// Burmese digit zero beside letters as the letter wa; Burmese text written for the
/// Zawgyi font is converted to Unicode when extracted (extract.cpp, zawgyi.cpp).
inline constexpr int kSchemaVersion = 9;
inline constexpr const char* kSchemaVersionKey = "rights.schema_version";
inline constexpr const char* kBuildTimeKey = "rights.build_time";        ///< ISO-8601 UTC
inline constexpr const char* kGenerationKey = "rights.generation";       ///< generation dir name
inline constexpr const char* kStemLanguagesKey = "rights.stem_languages";///< space-separated
/// The authority (actors, ministries, aliases) the documents were tagged with, as
/// Authority::to_json. searchd names and resolves actors with it, so a new generation
/// brings its authority along. Absent in indexes built before it was stored.
inline constexpr const char* kAuthorityKey = "rights.authority";
/// "I/N": this database is shard I (0-based) of N. Absent in an unsharded index. Lets a
/// reader of remote shards refuse a set that would count documents twice or miss some.
inline constexpr const char* kShardKey = "rights.shard";

/// Value slots. Facet slots hold a *set* of values (sorted, unique, joined by
/// kFacetValueSeparator) so that one stock ValueCountMatchSpy per facet counts
/// combinations; searchd splits each combination and sums. That keeps multi-valued
/// facets (a letter has many signatories) exact, also through xapian-tcpsrv, which can
/// only unserialise the stock spy.
enum class Slot : Xapian::valueno {
  Date = 0,         ///< "YYYYMMDD", unknown month/day as "00"; absent when undated
  Year = 1,         ///< facet: "2021" or kUndatedYear
  Type = 2,         ///< facet: letter | report | article | statement
  Language = 3,     ///< facet: BCP 47 primary subtags
  Source = 4,       ///< facet: publisher display name
  Actor = 5,        ///< facet: canonical actor ids
  Ministry = 6,     ///< facet: canonical ministry ids
  ContentHash = 7,  ///< hex FNV-1a 64 of the file bytes, for `indexer update`
  Access = 8,       ///< "public" | "restricted"
  /// Date sort key (or "" when undated), kSortKeySeparator, document id: a total order
  /// that does not depend on Xapian document ids, which differ between a single index and
  /// its shards. Date sorts use it directly, relevance uses it to break ties.
  SortKey = 9,
  /// undated_last_sort_key(SortKey): the order of oldest first, where undated documents
  /// come last as they do newest first (SortKey descending), not first.
  SortKeyUndatedLast = 10,
};

inline constexpr char kSortKeySeparator = '\0';  ///< sorts below every date digit

inline constexpr char kFacetValueSeparator = '\x1f';
inline constexpr const char* kUndatedYear = "undated";

/// Boolean and free-text term prefixes (Omega conventions where one exists).
namespace prefix {
inline constexpr const char* kId = "Q";          ///< unique document id
inline constexpr const char* kTitle = "S";       ///< title words (positional, boosted)
inline constexpr const char* kStem = "Z";        ///< stemmed body/title words (no positions)
inline constexpr const char* kLanguage = "L";    ///< language facet term
inline constexpr const char* kType = "XT";       ///< document type
inline constexpr const char* kSource = "XS";     ///< source, normalised display name
inline constexpr const char* kActor = "XA";      ///< canonical actor id
inline constexpr const char* kMinistry = "XM";   ///< canonical ministry id
inline constexpr const char* kYear = "XY";       ///< year or "undated"
inline constexpr const char* kAccess = "XR";     ///< access level
inline constexpr const char* kPath = "XP";       ///< path relative to the corpus root
}  // namespace prefix

/// A facet: the name used in URLs/JSON, its filter-term prefix and its value slot.
struct FacetDef {
  std::string_view name;
  const char* term_prefix;
  Slot slot;
  bool in_response;  ///< counted in every search response
};

/// Every facet, in the order responses list them.
inline constexpr std::array<FacetDef, 6> kFacets{{
    {"actor", prefix::kActor, Slot::Actor, true},
    {"ministry", prefix::kMinistry, Slot::Ministry, true},
    {"type", prefix::kType, Slot::Type, true},
    {"lang", prefix::kLanguage, Slot::Language, true},
    {"source", prefix::kSource, Slot::Source, true},
    {"year", prefix::kYear, Slot::Year, true},
}};

/// Fields a user may name in query text (`actor:sar-kheng`, `title:letter`).
struct QueryFieldDef {
  std::string_view name;
  const char* term_prefix;
  bool boolean;  ///< filter term (exact value), not free text
};
inline constexpr std::array<QueryFieldDef, 6> kQueryFields{{
    {"actor", prefix::kActor, true},
    {"ministry", prefix::kMinistry, true},
    {"type", prefix::kType, true},
    {"lang", prefix::kLanguage, true},
    {"source", prefix::kSource, true},
    {"title", prefix::kTitle, false},
}};

inline constexpr std::array<std::string_view, 4> kDocumentTypes{"letter", "report", "article",
                                                                "statement"};

/// Weight multiplier of title terms relative to body terms (wdf increment).
inline constexpr Xapian::termcount kTitleWdfBoost = 5;

/// Returns the facet called `name`, or nullptr.
const FacetDef* find_facet(std::string_view name);
/// Returns the query field called `name`, or nullptr.
const QueryFieldDef* find_query_field(std::string_view name);

/// The Slot::SortKey value of a document: `date_sort_key` ("YYYYMMDD" or "" when undated),
/// the separator, then `id`.
std::string sort_key_value(const std::string& date_sort_key, const std::string& id);

/// The Slot::SortKeyUndatedLast value of a document whose Slot::SortKey is `sort_key`: the
/// same, but after every dated key when undated (the key starts with kSortKeySeparator).
std::string undated_last_sort_key(const std::string& sort_key);

/// Packs a set of facet values for a slot (sorts, de-duplicates, joins).
std::string join_facet_values(std::vector<std::string> values);
/// Splits a slot value into its facet values.
std::vector<std::string> split_facet_values(std::string_view packed);

/// The normalised form used in boolean terms for free-form values such as sources:
/// NFKC-casefolded, spaces kept. Ids (actor, ministry, type, lang) are used as they are.
std::string boolean_term(const char* term_prefix, std::string_view value);

/// Longest document id, in bytes: the id is a term (prefix::kId), and Xapian refuses terms
/// over 245 bytes. Longer ids (a file's deep path, a long Khmer file name) fail their file.
inline constexpr std::size_t kMaxDocumentIdBytes = 200;
/// The term that finds a document by its corpus path (prefix::kPath). A path too long for
/// a term is cut and given a hash of the whole path, so that two long paths never share
/// a term; the cut path still finds a directory's documents by prefix (`relative_path`
/// ending in '/': use the result as a prefix; a cut directory may find a few more).
std::string path_term(std::string_view relative_path);

/// Thrown when an index was written by another schema version or is not ours.
class SchemaMismatch : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Checks the schema version stored in `db`; throws SchemaMismatch with a message that
/// names both versions and the fix (rebuild with this indexer).
void check_schema(const Xapian::Database& db, const std::string& path_for_message);

constexpr Xapian::valueno slot_number(Slot slot) { return static_cast<Xapian::valueno>(slot); }

}  // namespace rights
